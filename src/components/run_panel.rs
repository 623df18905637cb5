//! Live progress of a run, per memory size, with Cancel.

use leptos::prelude::*;

use crate::{
    format,
    progress::{Progress, SizeState},
    run::RunState,
};

/// Progress bars per size, the phase (announced to screen readers), and Cancel.
#[component]
pub fn RunPanel(
    /// The progress.
    progress: RwSignal<Progress>,
    /// The run's state.
    state: RwSignal<RunState>,
    /// Cancels the run (it still cleans up).
    on_cancel: Callback<()>,
) -> impl IntoView {
    let running = move || state.get() == RunState::Running;
    // Elapsed time ticks while the run is under way and stops with it.
    let started = StoredValue::new(js_sys::Date::now());
    let now = RwSignal::new(js_sys::Date::now());
    let ticker = set_interval_with_handle(
        move || {
            if state.get_untracked() == RunState::Running {
                now.set(js_sys::Date::now());
            }
        },
        std::time::Duration::from_millis(250),
    )
    .ok();
    on_cleanup(move || {
        if let Some(t) = ticker {
            t.clear();
        }
    });
    Effect::new(move |previous: Option<bool>| {
        let is_running = state.get() == RunState::Running;
        if is_running && previous != Some(true) {
            started.set_value(js_sys::Date::now());
            now.set(js_sys::Date::now());
        }
        is_running
    });
    view! {
        <section class="card" aria-labelledby="run-title">
            <h2 id="run-title">"Run"</h2>
            <p aria-live="polite" id="phase">{move || progress.with(|p| {
                let (done, total) = p.invocations();
                let phase = match state.get() {
                    RunState::Finished { .. } => "finished",
                    RunState::DryRunDone => "dry run finished",
                    RunState::Failed { .. } => "stopped",
                    _ if p.phase.is_empty() => "starting",
                    _ => &p.phase,
                };
                format!("{phase} — {done}/{total} invocations{}",
                    if p.retries > 0 { format!(", {} retries", p.retries) } else { String::new() })
            })}</p>
            <p class="muted" id="run-meter">{move || {
                let seconds = ((now.get() - started.get_value()) / 1000.0).max(0.0);
                progress.with(|p| format!("{:.1} s elapsed · {} spent on invocations so far", seconds, format::cost(p.cost, p.currency)))
            }}</p>
            <ul class="sizes">
                {move || progress.with(|p| p.sizes.iter().map(|(memory, s)| {
                    let (value, max, text) = match s {
                        SizeState::Waiting => (0, 1, "waiting".to_owned()),
                        SizeState::Publishing => (0, 1, "publishing version and alias".to_owned()),
                        SizeState::Running { done, total } => (*done, *total, format!("{done}/{total}")),
                        SizeState::Done => (1, 1, "done".to_owned()),
                        SizeState::Failed(e) => (1, 1, format!("failed: {e}")),
                    };
                    let failed = matches!(s, SizeState::Failed(_));
                    view! {
                        <li class:failed=failed>
                            <span class="mem">{format!("{memory} MB")}</span>
                            <progress value=value max=max aria-label=format!("{memory} MB")></progress>
                            <span class="state">{text}</span>
                        </li>
                    }
                }).collect_view())}
            </ul>
            <Show when=running>
                <button type="button" id="cancel" class="secondary" on:click=move |_| on_cancel.run(())>"Cancel (cleans up)"</button>
            </Show>
            {move || match state.get() {
                RunState::Failed { message, leftovers, .. } => Some(view! {
                    <div role="alert" class="error-text" id="run-error">
                        <p>{message}</p>
                        {(!leftovers.is_empty()).then(|| view! { <p>{format!("Left behind (kept in the journal for later cleanup): {}", leftovers.join("; "))}</p> })}
                    </div>
                }.into_any()),
                RunState::DryRunDone => Some(view! { <p id="dry-run-done">"Dry run done: every size was published, invoked once and cleaned up."</p> }.into_any()),
                _ => None,
            }}
        </section>
    }
}
