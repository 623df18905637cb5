//! Results of one or more runs, the answer first: each run's recommendations, then the charts
//! with every run overlaid, the strategy, weight and monthly traffic switches (no re-run), and
//! each run's table, monthly costs and JSON/CSV downloads (`downloads.rs`).

use leptos::prelude::*;
use powertune_tuner::{Strategy, result::RunResult};

use crate::components::{
    charts::Charts,
    downloads::Downloads,
    monthly_costs::MonthlyCosts,
    results_table::{Answer, ResultsTable},
};

/// The monthly invocations typed in the view: a count, `Some(0)` (no monthly costs) when the
/// field is emptied, `None` (each run's own) when it is not a number.
fn monthly_typed(text: &str) -> Option<u64> {
    let digits = text.trim().replace([',', '_', ' '], "");
    if digits.is_empty() {
        Some(0)
    } else {
        digits.parse().ok()
    }
}

/// The results of `runs` (the first is the main one; the others are compared with it).
/// `strategy` and `weight` are the viewed strategy and balanced weight, shared with the caller so
/// what it offers to apply follows them.
#[component]
pub fn ResultsView(
    /// The runs with their labels.
    #[prop(into)]
    runs: Signal<Vec<(String, RunResult)>>,
    /// The strategy viewed (`None`: each run's own).
    strategy: RwSignal<Option<Strategy>>,
    /// The balanced weight viewed (`None`: each run's own).
    weight: RwSignal<Option<f64>>,
    /// The monthly invocations viewed (`None`: each run's own traffic, if any).
    monthly: RwSignal<Option<u64>>,
) -> impl IntoView {
    let viewed = Signal::derive(move || {
        let (s, w, m) = (strategy.get(), weight.get(), monthly.get());
        runs.get()
            .into_iter()
            .map(|(label, run)| (label, run.viewed_as(s, w).with_monthly_invocations(m)))
            .collect::<Vec<_>>()
    });
    let first = move || viewed.with(|r| r.first().map(|(_, run)| run.clone()));
    // What the user unfolded stays unfolded when a switch redraws the runs.
    let (unmeasured_shown, month_open) = (RwSignal::new(false), RwSignal::new(false));
    let several = move || viewed.with(|r| r.len() > 1);
    let key = |(i, (label, run)): &(usize, (String, RunResult))| {
        (
            *i,
            label.clone(),
            format!(
                "{:?}{}{:?}",
                run.strategy,
                run.balanced_weight,
                run.traffic.map(|t| t.invocations)
            ),
        )
    };
    view! {
        // The answer first: each run's recommendations, how sure, per month.
        <For each=move || viewed.get().into_iter().enumerate() key=key let:((i, (label, run)))>
            <div class="answer" data-run=i>
                {several().then(|| view! { <h3>{label.clone()}</h3> })}
                <Answer run=run.clone() />
            </div>
        </For>
        <Charts runs=viewed />
        <div class="row view-controls">
            <label>"Strategy "
                <select id="view-strategy"
                    prop:value=move || first().map_or("cost", |r| r.strategy.as_str())
                    on:change=move |ev| strategy.set(event_target_value(&ev).parse().ok())>
                    <option value="cost">"cost"</option>
                    <option value="speed">"speed"</option>
                    <option value="balanced">"balanced"</option>
                </select>
            </label>
            <label>"Balanced weight "
                <input type="range" id="view-weight" min="0" max="1" step="0.05"
                    prop:value=move || first().map_or(0.5, |r| r.balanced_weight).to_string()
                    on:input=move |ev| weight.set(event_target_value(&ev).parse().ok()) />
            </label>
            <span class="muted" title="0 favours speed, 1 favours cost">{move || first().map(|r| format!("{:.2} (0 speed … 1 cost)", r.balanced_weight))}</span>
            <label>"Monthly invocations "
                <input type="text" inputmode="numeric" id="view-monthly" size="12" placeholder="e.g. 30000000"
                    prop:value=move || first().and_then(|r| r.traffic).map(|t| t.invocations.to_string()).unwrap_or_default()
                    on:change=move |ev| monthly.set(monthly_typed(&event_target_value(&ev))) />
            </label>
        </div>
        <For each=move || viewed.get().into_iter().enumerate() key=key let:((i, (label, run)))>
            <div class="run-block" data-run=i>
                {several().then(|| view! { <h3>{label.clone()}</h3> })}
                <ResultsTable run=run.clone() unmeasured_shown />
                <MonthlyCosts run=run.clone() open=month_open />
                <Downloads run=run.clone() />
            </div>
        </For>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn typed_monthly_invocations() {
        assert_eq!(super::monthly_typed("30,000,000"), Some(30_000_000));
        assert_eq!(super::monthly_typed("  "), Some(0));
        assert_eq!(super::monthly_typed("lots"), None);
    }
}
