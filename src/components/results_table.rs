//! A table of one run's sizes with the recommendation of each strategy.

use leptos::prelude::*;
use powertune_tuner::{Strategy, output::RunResult};

use crate::format;

/// One row per memory size, and which size each strategy recommends.
#[component]
pub fn ResultsTable(
    /// The run to show.
    run: RunResult,
) -> impl IntoView {
    let currency = run.currency;
    let picks: Vec<(Strategy, Option<usize>)> = Strategy::ALL
        .into_iter()
        .map(|s| (s, run.recommend(s).map(|r| r.index)))
        .collect();
    let recommendations = picks
        .iter()
        .map(|(strategy, index)| {
            let size = index.map_or("–".to_owned(), |i| run.sizes[i].memory.to_string());
            view! {
                <li class="recommendation" data-strategy=strategy.as_str()>
                    <span class="label">{format!("Best for {strategy}")}</span>
                    <strong>{size}</strong>
                </li>
            }
        })
        .collect_view();
    let rows = run
        .sizes
        .iter()
        .enumerate()
        .map(|(i, size)| {
            let tags: Vec<&str> = picks
                .iter()
                .filter(|(_, pick)| *pick == Some(i))
                .map(|(s, _)| s.as_str())
                .collect();
            view! {
                <tr data-memory=size.memory.get()>
                    <td class="num">{size.memory.get()}</td>
                    <td class="num">{format::duration_ms(size.average_duration_ms)}</td>
                    <td class="num">{format::cost(size.average_cost, currency)}</td>
                    <td>{tags.join(", ")}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <ul class="recommendations">{recommendations}</ul>
        <table class="results">
            <thead>
                <tr>
                    <th scope="col">"Memory (MB)"</th>
                    <th scope="col">"Average duration"</th>
                    <th scope="col">"Average cost"</th>
                    <th scope="col">"Best for"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
