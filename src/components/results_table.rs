//! A run's results: the recommendation of each strategy and a row per memory size.

use leptos::prelude::*;
use powertune_tuner::{
    Strategy,
    failure::{is_not_measured, short_cause},
    result::RunResult,
};

use crate::format;

/// Recommendations ("X% cheaper, Y% faster than the current N MB") and the per-size table.
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
    let current = run.current_memory;
    let recommendations = Strategy::ALL
        .into_iter()
        .map(|strategy| {
            let rec = run.recommend(strategy);
            let size = rec.map_or("–".to_owned(), |r| run.sizes[r.index].memory.to_string());
            let versus = match (rec.and_then(|r| r.versus_current), current) {
                (Some(cmp), Some(m)) => format!("{cmp} than the current {m}"),
                _ => String::new(),
            };
            view! {
                <li
                    class="recommendation"
                    data-strategy=strategy.as_str()
                    class:chosen=strategy == run.strategy
                >
                    <span class="label">{format!("Best for {strategy}")}</span>
                    <strong>{size}</strong>
                    <span class="versus">{versus}</span>
                </li>
            }
        })
        .collect_view();
    let detailed = run.sizes.iter().any(|s| s.detail.is_some());
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
            let detail = size.detail.clone();
            let unmeasured = size.error.as_deref().is_some_and(is_not_measured);
            let failed = size.error.is_some() && !unmeasured;
            let detail_error = size.error.clone().filter(|_| failed);
            let extra = detailed.then(|| match &detail {
                Some(d) if !failed => {
                    let s = &d.stats;
                    let memory_warning = s.near_memory_limit(size.memory);
                    view! {
                        <td class="num">{format::duration_ms(s.duration.p50)}</td>
                        <td class="num">{format::duration_ms(s.duration.p90)}</td>
                        <td class="num">{format::duration_ms(s.duration.p99)}</td>
                        <td class="num">
                            {format!(
                                "{} / {}",
                                format::duration_ms(s.duration.min),
                                format::duration_ms(s.duration.max),
                            )}
                        </td>
                        <td class="num">
                            {format!("{} ({})", s.cold_starts, format::duration_ms(s.mean_init_ms))}
                        </td>
                        <td
                            class="num"
                            class:warn=memory_warning
                            title=if memory_warning { "close to the memory limit" } else { "" }
                        >
                            {s.max_memory_used_mb.map_or("–".into(), |m| format!("{m} MB"))}
                        </td>
                        <td class="num">{format::cost(size.average_cost * 1e6, currency)}</td>
                    }
                    .into_any()
                }
                // A failed size's cause goes where its numbers would be, in sight.
                _ => view! {
                    <td colspan="7" class="note">
                        {detail_error.clone().map(size_error)}
                    </td>
                }
                .into_any(),
            });
            view! {
                <tr data-memory=size.memory.get() class:failed=failed class:unmeasured=unmeasured>
                    <td class="num">{size.memory.get()}</td>
                    <td class="num">
                        {if size.error.is_some() {
                            "–".to_owned()
                        } else {
                            format::duration_ms(size.average_duration_ms)
                        }}
                    </td>
                    <td class="num">
                        {if size.error.is_some() {
                            "–".to_owned()
                        } else {
                            format::cost(size.average_cost, currency)
                        }}
                    </td>
                    {extra}
                    <td class="note">
                        {match (size.error.clone(), detailed) {
                            (Some(_), _) if unmeasured => "not measured".into_any(),
                            (Some(error), false) => size_error(error).into_any(),
                            (Some(_), true) => ().into_any(),
                            (None, _) => tags.join(", ").into_any(),
                        }}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let extra_heads = detailed.then(|| {
        view! {
            <th scope="col">"p50"</th>
            <th scope="col">"p90"</th>
            <th scope="col">"p99"</th>
            <th scope="col">"min / max"</th>
            <th scope="col">"cold starts (init)"</th>
            <th scope="col">"max memory used"</th>
            <th scope="col">"cost per million"</th>
        }
    });
    view! {
        <ul class="recommendations">{recommendations}</ul>
        <div class="table-wrap">
            <table class="results">
                <thead>
                    <tr>
                        <th scope="col">"Memory (MB)"</th>
                        <th scope="col">"Average duration"</th>
                        <th scope="col">"Average cost"</th>
                        {extra_heads}
                        <th scope="col">"Best for / error"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// A failed size's error: the original's text is long (payload, type, message, trace), so its
/// cause in a few words, the whole behind a disclosure.
fn size_error(error: String) -> impl IntoView {
    view! {
        <details class="size-error">
            <summary>{short_cause(&error)}</summary>
            <pre>{error}</pre>
        </details>
    }
}
