//! Crash recovery: if an earlier tab stopped mid-run, its journal in localStorage still lists
//! the aliases and versions it created and the memory to restore; this banner removes them.

use leptos::prelude::*;
use powertune_aws::runtime::PlatformClock;
use powertune_tuner::{
    engine::{self, RunOptions},
    journal::{Journal as _, JournalEntry},
};

use crate::{backend::Backend, journal::LocalStorageJournal};

fn describe(entry: &JournalEntry) -> String {
    match entry {
        JournalEntry::Restore {
            function, memory, ..
        } => format!("restore {function} to {memory}"),
        JournalEntry::Alias {
            function,
            alias,
            version,
        } => match version {
            Some(v) => format!("delete alias {alias} and version {v} of {function}"),
            None => format!("delete alias {alias} of {function} (if it was created)"),
        },
    }
}

/// The banner; hidden while the journal is empty. `backend` gives the AWS account's client once
/// credentials are pasted.
#[component]
pub fn RecoveryBanner(
    /// The client for the pasted credentials, if any.
    backend: Callback<(), Option<Backend>>,
    /// Whether a run is under way (its own entries are in the journal then).
    #[prop(into)]
    running: Signal<bool>,
) -> impl IntoView {
    let entries = RwSignal::new(Vec::new());
    let status = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // Read at start (the effect runs once) and again when a run ends, which empties its own
    // entries.
    Effect::new(move |_| {
        if !running.get() {
            entries.set(LocalStorageJournal.entries());
        }
    });
    let clean = move |_| {
        let Some(api) = backend.run(()) else {
            status.set(Some(
                "Paste temporary credentials for the account of these functions above (\"My AWS account\"), then clean up.".into(),
            ));
            return;
        };
        busy.set(true);
        let todo = entries.get_untracked();
        leptos::task::spawn_local(async move {
            let clock = PlatformClock::default();
            let report = engine::clean_up(
                &api,
                &clock,
                &LocalStorageJournal,
                &todo,
                RunOptions::default().wait_limit,
                &|_| {},
            )
            .await;
            busy.set(false);
            entries.set(LocalStorageJournal.entries());
            status.set(Some(if report.is_complete() {
                format!("Cleaned up: {}.", report.summary())
            } else {
                format!(
                    "Some could not be removed (they stay listed): {}",
                    report.errors.join("; ")
                )
            }));
        });
    };
    let dismiss = move |_| {
        for e in entries.get_untracked() {
            // Forgetting is best effort: what cannot be removed is listed again next time.
            let _ = LocalStorageJournal.remove(&e);
        }
        entries.set(Vec::new());
        status.set(None);
    };
    view! {
        <Show when=move || !running.get() && (!entries.with(Vec::is_empty) || status.with(Option::is_some))>
            <section class="card banner" role="region" aria-labelledby="recovery-title" id="recovery">
                <h2 id="recovery-title">"An earlier run did not finish its cleanup"</h2>
                <Show when=move || !entries.with(Vec::is_empty)>
                    <p>"A tab closed or crashed mid-run. Its journal (in this browser, no credentials in it) lists what is left to undo:"</p>
                    <ul id="recovery-entries">{move || entries.get().iter().map(|e| view! { <li>{describe(e)}</li> }).collect_view()}</ul>
                    <div class="row">
                        <button type="button" id="recovery-clean" prop:disabled=move || busy.get() on:click=clean>"Clean up now"</button>
                        <button type="button" class="secondary" id="recovery-dismiss" on:click=dismiss>"Forget this list (I cleaned up myself)"</button>
                    </div>
                </Show>
                <p aria-live="polite" id="recovery-status">{move || status.get()}</p>
            </section>
        </Show>
    }
}
