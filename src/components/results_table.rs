//! A run's results: the recommendation of each strategy and a row per memory size.

use leptos::prelude::*;
use powertune_tuner::{
    MemoryMb, Strategy,
    confidence::Interval,
    failure::SizeFailure,
    result::{NOT_MEASURED, RunResult},
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
    let separation = run.separation(run.strategy);
    let tied = separation
        .as_ref()
        .filter(|s| s.known)
        .map(|s| s.within_noise.clone())
        .unwrap_or_default();
    let findings = view! {
        {separation
            .as_ref()
            .filter(|s| s.known)
            .map(|s| {
                view! {
                    <p class="noise" class:separated=s.is_separated()>
                        {format::sentence(&s.statement())}
                    </p>
                }
            })}
        {run
            .sampling
            .and_then(|s| s.statement())
            .map(|text| view! { <p class="sampling">{format::sentence(&text)}</p> })}
    };
    let detailed = run.sizes.iter().any(|s| s.detail.is_some());
    // Why the charts draw no prediction for a size that was not measured.
    let no_prediction: Vec<(MemoryMb, String)> = run
        .predictions()
        .into_iter()
        .filter_map(|(m, p)| p.err().map(|why| (m, why.to_string())))
        .collect();
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
            let unmeasured = size.unmeasured.is_some();
            let failed = size.error.is_some();
            let within_noise = tied.len() > 1 && tied.contains(&size.memory);
            let intervals = detail
                .as_ref()
                .map(|d| (d.stats.duration_interval, d.cost_interval));
            let detail_error = size.error.clone().filter(|_| failed);
            let extra = detailed.then(|| match &detail {
                Some(d) if !failed => {
                    let s = &d.stats;
                    let memory_warning = s.near_memory_limit(size.memory);
                    view! {
                        <td class="num calls">{s.invocations}</td>
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
                            {if s.mean_restore_ms > 0.0 {
                                format!(
                                    "{} (restore {})",
                                    s.cold_starts,
                                    format::duration_ms(s.mean_restore_ms),
                                )
                            } else {
                                format!(
                                    "{} ({})",
                                    s.cold_starts,
                                    format::duration_ms(s.mean_init_ms),
                                )
                            }}
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
                    <td colspan="8" class="note">
                        {detail_error.clone().map(size_error)}
                    </td>
                }
                .into_any(),
            });
            let measured = !failed && !unmeasured;
            let (duration_interval, cost_interval) = intervals.unwrap_or_default();
            let mut notes = tags.join(", ");
            if within_noise && tags.is_empty() {
                notes = "within noise".into();
            }
            view! {
                <tr
                    data-memory=size.memory.get()
                    class:failed=failed
                    class:unmeasured=unmeasured
                    class:within-noise=within_noise
                >
                    <td class="num">{size.memory.get()}</td>
                    <td class="num">
                        {measured
                            .then(|| with_margin(
                                size.average_duration_ms,
                                duration_interval,
                                format::duration_ms,
                            ))} {(!measured).then_some("–")}
                    </td>
                    <td class="num">
                        {measured
                            .then(|| with_margin(
                                size.average_cost,
                                cost_interval,
                                move |c| format::cost(c, currency),
                            ))} {(!measured).then_some("–")}
                    </td>
                    {extra}
                    <td class="note">
                        {match (size.error.clone(), detailed) {
                            _ if unmeasured => {
                                match no_prediction.iter().find(|(m, _)| *m == size.memory) {
                                    Some((_, why)) => format!("{NOT_MEASURED}; {why}").into_any(),
                                    None => NOT_MEASURED.into_any(),
                                }
                            }
                            (Some(error), false) => size_error(error).into_any(),
                            (Some(_), true) => ().into_any(),
                            (None, _) => notes.into_any(),
                        }}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let extra_heads = detailed.then(|| {
        view! {
            <th scope="col">"Calls"</th>
            <th scope="col">"p50"</th>
            <th scope="col">"p90"</th>
            <th scope="col">"p99"</th>
            <th scope="col">"min / max"</th>
            <th scope="col">"cold starts (init or restore)"</th>
            <th scope="col">"max memory used"</th>
            <th scope="col">"cost per million"</th>
        }
    });
    view! {
        <ul class="recommendations">{recommendations}</ul>
        {findings}
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

/// An average (`format`ted) with its 95 % margin, the interval's bounds in the tooltip.
fn with_margin(
    average: f64,
    interval: Option<Interval>,
    format: impl Fn(f64) -> String,
) -> impl IntoView {
    let margin = interval.map(|i| {
        let bounds = format!("95 % interval: {} to {}", format(i.low), format(i.high));
        view! {
            <span class="ci" title=bounds>
                {format::margin(i)}
            </span>
        }
    });
    view! {
        {format(average)}
        {margin}
    }
}

/// A failed size's error: the original's text is long (payload, type, message, trace), so its
/// cause in a few words, the whole behind a disclosure.
fn size_error(error: SizeFailure) -> impl IntoView {
    let (kind, short) = (error.kind_name(), error.short());
    view! {
        <details class="size-error" data-kind=kind>
            <summary>{short}</summary>
            <pre>{error.message}</pre>
        </details>
    }
}
