//! Crash recovery: if an earlier tab stopped mid-run, its journal in localStorage still lists
//! the aliases and versions it created and the memory to restore; this banner removes them.

use std::rc::Rc;

use leptos::prelude::*;
use powertune_tuner::{engine::CleanupReport, journal::JournalEntry};

use crate::{
    engine_worker::use_engine_worker,
    hooks::use_storage_changes,
    journal::{self, Leftover},
    outcome::WorkerError,
    run::use_tuning_run,
    session::{SessionError, use_session},
    worker_protocol::Task,
};

/// Why a cleanup did not happen.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
enum CleanupError {
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error(transparent)]
    Worker(#[from] WorkerError),
}

/// The banner; shown while a run whose tab is gone left entries in its journal (a run going on
/// in this tab or another holds its journal's lock, so its entries are not listed).
#[component]
pub fn RecoveryBanner() -> impl IntoView {
    let session = use_session();
    let run = use_tuning_run();
    // Bumped by this banner's own changes; other tabs' changes arrive as storage events.
    let revision = RwSignal::new(0_u32);
    let other_tabs = use_storage_changes();
    let found = LocalResource::new(move || {
        revision.track();
        other_tabs.track();
        // Read again when a run ends: a run that could not clean up leaves its journal.
        run.is_running();
        journal::leftovers()
    });
    let leftovers = move || found.get().unwrap_or_default();
    let entries =
        move || -> Vec<JournalEntry> { leftovers().into_iter().flat_map(|l| l.entries).collect() };
    let engine = use_engine_worker();
    let clean = Action::new_local(move |todo: &Vec<Leftover>| {
        let todo = todo.clone();
        async move {
            let account = session.aws_account()?;
            let mut report = CleanupReport::default();
            for leftover in todo {
                let task = Task::CleanUp {
                    account: account.clone(),
                    entries: leftover.entries,
                };
                let journal = Rc::new(leftover.journal);
                let one = engine
                    .start(task, Some(journal), |_| {})
                    .reply()
                    .await?
                    .into_cleaned_up()?;
                report.merge(one);
            }
            revision.update(|n| *n += 1);
            Ok::<CleanupReport, CleanupError>(report)
        }
    });
    let dismissed = RwSignal::new(false);
    let dismiss = move |_| {
        for leftover in leftovers() {
            leftover.journal.forget();
        }
        dismissed.set(true);
        revision.update(|n| *n += 1);
    };
    let status = move || {
        clean.value().with(|v| {
            v.as_ref().map(|outcome| match outcome {
                Err(CleanupError::Session(SessionError::NoCredentials)) => "Paste temporary credentials for the account of these functions above (\"My AWS account\"), then clean up.".to_owned(),
                Err(e) => e.to_string(),
                Ok(report) if report.is_complete() => format!("Cleaned up: {}.", report.summary()),
                Ok(report) => format!("Some could not be removed (they stay listed): {}", report.errors.join("; ")),
            })
        })
    };
    let has_entries = move || !entries().is_empty();
    view! {
        <Show when=move || {
            has_entries() || (clean.value().with(Option::is_some) && !dismissed.get())
        }>
            <section
                class="card banner"
                role="region"
                aria-labelledby="recovery-title"
                id="recovery"
            >
                <h2 id="recovery-title">"An earlier run did not finish its cleanup"</h2>
                <Show when=has_entries>
                    <p>
                        "A tab closed or crashed mid-run. Its journal (in this browser, no credentials in it) lists what is left to undo:"
                    </p>
                    <ul id="recovery-entries">
                        {move || {
                            entries()
                                .iter()
                                .map(|e| view! { <li>{e.to_string()}</li> })
                                .collect_view()
                        }}
                    </ul>
                    <div class="row">
                        <button
                            type="button"
                            id="recovery-clean"
                            prop:disabled=move || clean.pending().get()
                            on:click=move |_| {
                                clean.dispatch_local(leftovers());
                            }
                        >
                            "Clean up now"
                        </button>
                        <button
                            type="button"
                            class="secondary"
                            id="recovery-dismiss"
                            on:click=dismiss
                        >
                            "Forget this list (I cleaned up myself)"
                        </button>
                    </div>
                </Show>
                <p aria-live="polite" id="recovery-status">
                    {status}
                </p>
            </section>
        </Show>
    }
}
