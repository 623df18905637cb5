//! Live progress of a run, per memory size, with Cancel.

use leptos::prelude::*;

use crate::{
    format,
    hooks::use_timestamp,
    progress::SizeState,
    run::{RunOutcome, use_tuning_run},
};

/// Progress bars per size, the phase (announced to screen readers), and Cancel.
#[component]
pub fn RunPanel() -> impl IntoView {
    let run = use_tuning_run();
    let progress = run.progress;
    let now = use_timestamp(250, move || run.is_running());
    let phase = move || {
        progress.with(|p| {
            let (done, total) = p.invocations();
            let phase = if run.is_running() {
                if p.phase.is_empty() {
                    "starting"
                } else {
                    p.phase.as_str()
                }
            } else {
                run.action.value().with(|o| match o {
                    Some(RunOutcome::Finished(_)) => "finished",
                    Some(RunOutcome::DryRunDone) => "dry run finished",
                    _ => "stopped",
                })
            };
            let retries = if p.retries > 0 {
                format!(", {} retries", p.retries)
            } else {
                String::new()
            };
            if p.is_adaptive() {
                format!(
                    "{phase} — {done} invocations (adaptive sampling: at most {total}){retries}"
                )
            } else {
                format!("{phase} — {done}/{total} invocations{retries}")
            }
        })
    };
    let meter = move || {
        let now = now.get();
        progress.with(|p| {
            format!(
                "{:.1} s elapsed · {} spent on invocations so far",
                p.elapsed_seconds(now),
                format::cost(p.cost, p.currency),
            )
        })
    };
    let sizes = move || {
        let running = run.is_running();
        progress.with(|p| {
            p.sizes
                .iter()
                .map(|(memory, s)| {
                    let (value, max, text, full) = match s {
                        SizeState::Waiting if !running => {
                            (0, 1, "not measured".to_owned(), String::new())
                        }
                        SizeState::Waiting => (0, 1, "waiting".to_owned(), String::new()),
                        SizeState::Publishing => (
                            0,
                            1,
                            "publishing version and alias".to_owned(),
                            String::new(),
                        ),
                        SizeState::Running { done, total } => {
                            (*done, *total, format!("{done}/{total}"), String::new())
                        }
                        SizeState::Done { calls } => {
                            (1, 1, format!("done, {calls} calls"), String::new())
                        }
                        SizeState::Failed(e) => {
                            (1, 1, format!("failed: {}", e.short()), e.message.clone())
                        }
                    };
                    let failed = matches!(s, SizeState::Failed(_));
                    let role = p.role(*memory).map(|(role, why)| {
                        view! {
                            <span class="role" data-role=role.as_str() title=why.clone()>
                                {format!("{}: {why}", role.as_str())}
                            </span>
                        }
                    });
                    view! {
                        <li class:failed=failed>
                            <span class="mem">{format!("{memory} MB")}</span>
                            <progress
                                value=value
                                max=max
                                aria-label=format!("{memory} MB")
                            ></progress>
                            <span class="state" title=full>
                                {text}
                            </span>
                            {role}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let ending = move || {
        run.action.value().with(|o| match o {
            Some(RunOutcome::Stopped(stopped)) if !run.is_running() => {
                let leftovers = (!stopped.leftovers.is_empty()).then(|| {
                    format!(
                        "Left behind (kept in the journal for later cleanup): {}",
                        stopped.leftovers.join("; "),
                    )
                });
                Some(
                    view! {
                        <div role="alert" class="error-text" id="run-error">
                            <p>{stopped.problem.to_string()}</p>
                            {leftovers.map(|l| view! { <p>{l}</p> })}
                        </div>
                    }
                    .into_any(),
                )
            }
            Some(RunOutcome::DryRunDone) if !run.is_running() => Some(
                view! {
                    <p id="dry-run-done">
                        "Dry run done: every size was published, invoked once and cleaned up."
                    </p>
                }
                .into_any(),
            ),
            _ => None,
        })
    };
    view! {
        <section class="card" aria-labelledby="run-title">
            <h2 id="run-title">"Run"</h2>
            <p aria-live="polite" id="phase">
                {phase}
            </p>
            <p class="muted" id="run-meter">
                {meter}
            </p>
            <ul class="sizes">{sizes}</ul>
            <Show when=move || run.is_running()>
                <button type="button" id="cancel" class="secondary" on:click=move |_| run.cancel()>
                    "Cancel (cleans up)"
                </button>
            </Show>
            {ending}
        </section>
    }
}
