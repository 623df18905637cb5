//! A run's results: the answer (each strategy's recommendation, how sure, per month) and a row
//! per measured size, the sizes never measured folded into one line.

use leptos::prelude::*;
use powertune_tuner::{
    MemoryMb, Strategy,
    failure::SizeFailure,
    pricing::Currency,
    result::{NOT_MEASURED, RunResult, SizeResult},
    stats::confidence::Interval,
};

use crate::format;

/// The answer: each strategy's recommendation ("X% cheaper, Y% faster than the current N MB"),
/// how sure the run is, and what adaptive sampling saved.
#[component]
pub fn Answer(
    /// The run to show.
    run: RunResult,
) -> impl IntoView {
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
    // The answer in money per month, when the run knows the function's traffic.
    let month = run
        .monthly()
        .and_then(|month| month.statement(run.recommended_memory()?));
    view! {
        <ul class="recommendations">{recommendations}</ul>
        {month.map(|s| view! { <p class="month-statement">{format::sentence(&s)}</p> })}
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
    }
}

/// A row per measured size; the sizes never measured fold into one line that shows them.
#[component]
pub fn ResultsTable(
    /// The run to show.
    run: RunResult,
    /// Whether the sizes never measured are shown (kept by the caller, so that they stay so
    /// when the viewed strategy redraws the run).
    unmeasured_shown: RwSignal<bool>,
) -> impl IntoView {
    let currency = run.currency;
    let picks: Vec<(Strategy, Option<usize>)> = Strategy::ALL
        .into_iter()
        .map(|s| (s, run.recommend(s).map(|r| r.index)))
        .collect();
    let tied = run
        .separation(run.strategy)
        .filter(|s| s.known)
        .map(|s| s.within_noise)
        .unwrap_or_default();
    let detailed = run.sizes.iter().any(|s| s.detail.is_some());
    // Why the charts draw no prediction for a size that was not measured.
    let no_prediction: Vec<(MemoryMb, String)> = run
        .predictions()
        .into_iter()
        .filter_map(|(m, p)| p.err().map(|why| (m, why.to_string())))
        .collect();
    let rows = Rows {
        picks,
        tied,
        detailed,
        no_prediction,
        currency,
    };
    let measured_rows = run
        .sizes
        .iter()
        .enumerate()
        .filter(|(_, size)| size.unmeasured.is_none())
        .map(|(i, size)| rows.row(i, size))
        .collect_view();
    let unmeasured: Vec<(usize, SizeResult)> = run
        .sizes
        .iter()
        .enumerate()
        .filter(|(_, size)| size.unmeasured.is_some())
        .map(|(i, size)| (i, size.clone()))
        .collect();
    let columns = if detailed { 12 } else { 4 };
    let fold = run.unmeasured_statement().map(|statement| {
        let expanded = unmeasured_shown;
        let rows = rows.clone();
        view! {
            <tr class="unmeasured-fold">
                <td colspan=columns>
                    <button
                        type="button"
                        class="link"
                        id="show-unmeasured"
                        aria-expanded=move || expanded.get().to_string()
                        on:click=move |_| expanded.update(|e| *e = !*e)
                    >
                        {format::sentence(&statement)}
                        " "
                        {move || if expanded.get() { "Hide them." } else { "Show them." }}
                    </button>
                </td>
            </tr>
            {move || {
                expanded
                    .get()
                    .then(|| {
                        unmeasured.iter().map(|(i, size)| rows.row(*i, size)).collect_view()
                    })
            }}
        }
    });
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
                <tbody>{measured_rows} {fold}</tbody>
            </table>
        </div>
    }
}

/// What every row of one run's table needs.
#[derive(Clone)]
struct Rows {
    picks: Vec<(Strategy, Option<usize>)>,
    tied: Vec<MemoryMb>,
    detailed: bool,
    no_prediction: Vec<(MemoryMb, String)>,
    currency: Currency,
}

impl Rows {
    /// Size `i`'s row.
    fn row(&self, i: usize, size: &SizeResult) -> AnyView {
        let tags: Vec<&str> = self
            .picks
            .iter()
            .filter(|(_, pick)| *pick == Some(i))
            .map(|(s, _)| s.as_str())
            .collect();
        let detail = size.detail.clone();
        let unmeasured = size.unmeasured.is_some();
        let failed = size.error.is_some();
        let within_noise = self.tied.len() > 1 && self.tied.contains(&size.memory);
        let intervals = detail
            .as_ref()
            .map(|d| (d.stats.duration_interval, d.cost_interval));
        let detail_error = size.error.clone().filter(|_| failed);
        let extra = self.detailed.then(|| match &detail {
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
                            format!("{} ({})", s.cold_starts, format::duration_ms(s.mean_init_ms))
                        }}
                    </td>
                    <td
                        class="num"
                        class:warn=memory_warning
                        title=if memory_warning { "close to the memory limit" } else { "" }
                    >
                        {s.max_memory_used_mb.map_or("–".into(), |m| format!("{m} MB"))}
                    </td>
                    <td class="num">{format::cost(size.average_cost * 1e6, self.currency)}</td>
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
                            move |c| format::cost(c, self.currency),
                        ))} {(!measured).then_some("–")}
                </td>
                {extra}
                <td class="note">
                    {match (size.error.clone(), self.detailed) {
                        _ if unmeasured => {
                            match self.no_prediction.iter().find(|(m, _)| *m == size.memory) {
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
        .into_any()
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
