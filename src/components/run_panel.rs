//! Live progress of a run, per memory size, with Cancel.

use leptos::prelude::*;

use crate::{
    format,
    hooks::use_timestamp,
    progress::{self, CellState},
    run::{RunOutcome, use_tuning_run},
};

/// The phase (announced to screen readers) and the counts in words, a compact cell per size
/// (its state by colour and symbol, its reason on hover, focus and in the log), and Cancel.
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
    // The size whose reason is shown under the cells: the one last hovered or focused.
    let pointed = RwSignal::new(None::<u32>);
    // Each size's cell, once per progress update: the strip, the counts, the pointed size's
    // line and the log all read it.
    let cells = Memo::new(move |_| {
        let running = run.is_running();
        progress.with(|p| p.cells(running))
    });
    let strip = move || {
        progress.with(|p| {
            cells
                .get()
                .into_iter()
                .map(|cell| {
                    let memory = cell.memory;
                    let role = p.role(memory).map(|(role, why)| {
                        view! {
                            <span class="role visually-hidden" data-role=role.as_str()>
                                {format!("{}: {why}", role.as_str())}
                            </span>
                        }
                    });
                    let text = match cell.state {
                        CellState::Invoking { done, total } => format!("{done}/{total}"),
                        state => state.symbol().to_owned(),
                    };
                    view! {
                        <li
                            class="cell"
                            data-state=cell.state.as_str()
                            data-memory=memory
                            tabindex="0"
                            title=cell.detail.clone()
                            aria-label=cell.detail.clone()
                            on:focus=move |_| pointed.set(Some(memory))
                            on:mouseenter=move |_| pointed.set(Some(memory))
                        >
                            <span class="mem" aria-hidden="true">
                                {memory}
                            </span>
                            <span class="sym" aria-hidden="true">
                                {text}
                            </span>
                            {role}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let counts = move || cells.with(|c| progress::counts(c));
    let detail = move || {
        let memory = pointed.get()?;
        cells.with(|c| {
            c.iter()
                .find(|c| c.memory == memory)
                .map(|c| c.detail.clone())
        })
    };
    let log = Memo::new(move |_| {
        let lines = cells.with(|c| c.iter().map(|c| c.detail.clone()).collect::<Vec<_>>());
        progress.with(|p| {
            lines
                .into_iter()
                .chain(p.log.iter().cloned())
                .collect::<Vec<_>>()
        })
    });
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
        <section class="card run-panel" aria-labelledby="run-title">
            <h2 id="run-title">"Run"</h2>
            <p aria-live="polite" id="phase">
                {phase}
            </p>
            <p class="muted" id="run-meter">
                {meter}
                " · "
                <span id="run-counts">{counts}</span>
            </p>
            <ul class="sizes" aria-label="Memory sizes: hover or focus one for its state and why">
                {strip}
            </ul>
            {move || {
                detail()
                    .map(|d| {
                        view! {
                            <p class="muted" id="size-detail">
                                {d}
                            </p>
                        }
                    })
            }}
            <details id="run-log">
                <summary>
                    {move || format!("Every size and event ({})", log.with(Vec::len))}
                </summary>
                <ul>
                    {move || {
                        log.get().into_iter().map(|line| view! { <li>{line}</li> }).collect_view()
                    }}
                </ul>
            </details>
            <Show when=move || run.is_running()>
                <button type="button" id="cancel" class="secondary" on:click=move |_| run.cancel()>
                    "Cancel (cleans up)"
                </button>
            </Show>
            {ending}
        </section>
    }
}
