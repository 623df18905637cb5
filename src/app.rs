//! The root component: the session, the run and its history as context; the tuning workbench,
//! and over it the results a share link carries.

use leptos::prelude::*;
use powertune_tuner::{
    result::RunResult,
    share::{self, ShareLinkError, SharedLink, original::README_SAMPLE_HASH},
};

use crate::{
    components::{results::ResultsView, share_panel::SharePanel},
    engine_worker::EngineWorker,
    history::RunHistory,
    pages::workbench::Workbench,
    run::TuningRun,
    session::Session,
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

/// The whole app. The workbench stays mounted while a share link is open, hidden, so a run
/// under way goes on (and cleans up) and the leave-page guard stays.
#[component]
pub fn App() -> impl IntoView {
    Session::provide();
    EngineWorker::provide();
    let history = RwSignal::new(RunHistory::default());
    provide_context(history);
    let run = TuningRun::provide(history);
    let (hash, set_hash) = signal(current_hash());
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        set_hash.set(current_hash())
    });
    on_cleanup(move || handle.remove());
    let decoded = Memo::new(move |_| {
        let hash = hash.get();
        (!hash.is_empty()).then(|| share::decode(&hash))
    });
    let link_open = move || decoded.with(Option::is_some);

    view! {
        <header class="masthead">
            <h1>"powertune"</h1>
            <p class="tagline">"AWS Lambda Power Tuning in your browser"</p>
        </header>
        <main>
            <Show when=move || link_open() && run.is_running()>
                <p class="card banner" id="running-elsewhere" role="status">
                    "A tuning is still running on the tuning page. "
                    <a href="#">"Back to it"</a>
                </p>
            </Show>
            {move || {
                decoded
                    .get()
                    .map(|link| match link {
                        Ok(link) => view! { <SharedResults link /> }.into_any(),
                        Err(error) => view! { <LinkError error /> }.into_any(),
                    })
            }}
            <div id="workbench" hidden=link_open>
                <Intro />
                <Workbench />
            </div>
        </main>
    }
}

/// What the tool does, what a run creates and removes, and what it costs, before anything else.
#[component]
fn Intro() -> impl IntoView {
    view! {
        <section class="intro" aria-label="About powertune">
            <p>
                "Finds the memory size that makes a Lambda function cheapest, fastest or both: it invokes the function at each size and compares the measured duration and cost. "
                "The demo account below runs in this page; with your own account, your browser signs every call to AWS and nothing else sees your credentials."
            </p>
            <p class="muted">
                "A run publishes a version and alias per size, restores the function and removes them again; it costs the invocations it makes (the estimate is shown before you start). "
                <a href=format!("#{README_SAMPLE_HASH}") id="sample-result">
                    "Open a sample result"
                </a>
            </p>
        </section>
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
    let monthly = RwSignal::new(None);
    view! {
        <section class="card" id="shared">
            <h2>{title}</h2>
            <ResultsView runs=Signal::stored(runs) strategy weight monthly />
            <p>
                <a href="#" id="new-tuning">
                    "Start a tuning of your own"
                </a>
            </p>
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
            <p>
                <a href="#">"Go to the tuning page"</a>
            </p>
        </section>
    }
}
