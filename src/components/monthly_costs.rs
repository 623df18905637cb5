//! A run's answer in money per month: each size's monthly cost and its change against the
//! current size, what cold starts add, and what was assumed (the recommendation's cost in
//! words is part of the answer, `results_table::Answer`). All of it is the domain's ([`powertune_tuner::monthly`]); this only lays it out.

use leptos::prelude::*;
use powertune_tuner::{money, result::RunResult};

/// The monthly costs of `run`, when it carries the function's traffic.
#[component]
pub fn MonthlyCosts(
    /// The run (as viewed: its strategy and traffic).
    run: RunResult,
    /// Whether the table of every size is unfolded (kept by the caller, so that it stays so
    /// when the viewed strategy or traffic redraws the run).
    open: RwSignal<bool>,
) -> impl IntoView {
    let month = run.monthly()?;
    let best = run.recommended_memory();
    let currency = month.currency;
    let rows = month
        .sizes
        .iter()
        .map(|s| {
            let change = month.change_from_current(s);
            view! {
                <tr data-memory=s.memory.get() class:chosen=Some(s.memory) == best>
                    <td class="num">{s.memory.get()}</td>
                    <td class="num month-cost">{money::cents(s.cost, currency)}</td>
                    <td class="num">{change.unwrap_or_else(|| "–".into())}</td>
                    <td class="num">{money::cents(s.cost * 12.0, currency)}</td>
                </tr>
            }
        })
        .collect_view();
    let cold = best.and_then(|m| month.cold_start_statement(m));
    let versus = month
        .current
        .map_or("vs current".to_owned(), |m| format!("vs the current {m}"));
    Some(view! {
        <div class="monthly">
            <h4>"Per month"</h4>
            {cold.map(|s| view! { <p class="month-cold">{crate::format::sentence(&s)}</p> })}
            <details
                class="month-table"
                prop:open=move || open.get()
                on:toggle=move |ev| open.set(crate::components::details_open(&ev))
            >
                <summary>
                    {format!("Every measured size per month and per year ({})", month.sizes.len())}
                </summary>
                <div class="table-wrap">
                    <table class="results month">
                        <thead>
                            <tr>
                                <th scope="col">"Memory (MB)"</th>
                                <th scope="col">"Per month"</th>
                                <th scope="col">{versus}</th>
                                <th scope="col">"Per year"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </details>
            <p class="muted month-assumptions">{crate::format::sentence(&month.assumptions())}</p>
        </div>
    })
}
