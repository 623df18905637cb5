//! The root component.

use leptos::prelude::*;
use powertune_tuner::share::{self, ShareLinkError, SharedLink};

use crate::{components::results_table::ResultsTable, pages::workbench::Workbench};

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

/// The runs of a decoded link.
#[component]
fn SharedResults(
    /// The decoded link.
    link: SharedLink,
) -> impl IntoView {
    link.runs()
        .into_iter()
        .map(|(label, run)| {
            view! {
                <section class="card">
                    <h2>{if label.is_empty() { "Shared results".to_owned() } else { format!("Shared results: {label}") }}</h2>
                    <ResultsTable run />
                    <p><a href="#" id="new-tuning">"Start a tuning of your own"</a></p>
                </section>
            }
        })
        .collect_view()
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
