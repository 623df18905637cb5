//! The root component.

use leptos::prelude::*;
use powertune_tuner::share::{self, ShareLinkError, SharedLink};

use powertune_tuner::result::RunResult;

use crate::{
    components::{results::ResultsView, share_panel::SharePanel},
    pages::workbench::Workbench,
};

/// The current URL fragment, without `#`.
fn current_hash() -> String {
    window()
        .location()
        .hash()
        .unwrap_or_default()
        .trim_start_matches('#')
        .to_owned()
}

/// The whole app: the results a share link carries, or else the tuning workbench.
#[component]
pub fn App() -> impl IntoView {
    let (hash, set_hash) = signal(current_hash());
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        set_hash.set(current_hash())
    });
    on_cleanup(move || handle.remove());
    let decoded = Memo::new(move |_| {
        let hash = hash.get();
        (!hash.is_empty()).then(|| share::decode(&hash))
    });

    view! {
        <header class="masthead">
            <h1>"powertune"</h1>
            <p class="tagline">"AWS Lambda Power Tuning in your browser"</p>
        </header>
        <main>
            {move || match decoded.get() {
                None => view! { <Workbench /> }.into_any(),
                Some(Ok(link)) => view! { <SharedResults link /> }.into_any(),
                Some(Err(error)) => view! { <LinkError error /> }.into_any(),
            }}
        </main>
    }
}

/// The runs of a decoded link, overlaid in the charts when there are several.
#[component]
fn SharedResults(
    /// The decoded link.
    link: SharedLink,
) -> impl IntoView {
    let runs = link.runs();
    let title = match runs.as_slice() {
        [(label, _)] if label.is_empty() => "Shared results".to_owned(),
        [(label, _)] => format!("Shared results: {label}"),
        _ => format!("Shared comparison of {} runs", runs.len()),
    };
    let shared: Vec<RunResult> = runs.iter().map(|(_, r)| r.clone()).collect();
    let strategy = RwSignal::new(None);
    let weight = RwSignal::new(None);
    view! {
        <section class="card" id="shared">
            <h2>{title}</h2>
            <ResultsView runs=Signal::stored(runs) strategy weight />
            <p><a href="#" id="new-tuning">"Start a tuning of your own"</a></p>
        </section>
        <SharePanel runs=Signal::stored(shared) />
    }
}

/// A link that cannot be read.
#[component]
fn LinkError(
    /// What is wrong with it.
    error: ShareLinkError,
) -> impl IntoView {
    view! {
        <section class="card error" role="alert">
            <h2>"This link cannot be opened"</h2>
            <p class="error-text">{error.to_string()}</p>
            <p><a href="#" on:click=|_| { let _ = window().location().set_hash(""); }>"Go to the tuning page"</a></p>
        </section>
    }
}
