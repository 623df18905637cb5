//! The root component.

use leptos::prelude::*;
use powertune_tuner::share::{self, ShareLinkError, SharedLink};

use crate::components::results_table::ResultsTable;

/// The current URL fragment, without `#`.
fn current_hash() -> String {
    window()
        .location()
        .hash()
        .unwrap_or_default()
        .trim_start_matches('#')
        .to_owned()
}

/// The whole app: for now, the results carried by a share link in the URL.
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
                None => view! { <Intro /> }.into_any(),
                Some(Ok(link)) => view! { <SharedResults link /> }.into_any(),
                Some(Err(error)) => view! { <LinkError error /> }.into_any(),
            }}
        </main>
    }
}

/// What a visitor sees without a link.
#[component]
fn Intro() -> impl IntoView {
    view! {
        <section class="card">
            <h2>"Open a result"</h2>
            <p>
                "Open a powertune share link, or a link of the original chart site "
                "(lambda-power-tuning.show), and its results appear here."
            </p>
            <p>
                <a id="sample-link" href="#gAAAAQACAAQABsAL;ZooQR4yvkUa/pQRGRC5zRaADHUVjOftE;QdWhOEMkoziDT5Q4xhiIOMYYiDi6RNc4">
                    "Open the original README's sample"
                </a>
            </p>
        </section>
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
                    <h2>{if label.is_empty() { "Results".to_owned() } else { format!("Results: {label}") }}</h2>
                    <ResultsTable run />
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
        </section>
    }
}
