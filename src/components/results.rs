//! Results of one or more runs, the answer first: each run's recommendations, then the charts
//! with every run overlaid, the strategy, weight and monthly traffic switches (no re-run), and
//! each run's table, monthly costs and JSON/CSV downloads.

use leptos::prelude::*;
use powertune_tuner::{Strategy, export, result::RunResult};

use crate::components::{
    charts::Charts,
    monthly_costs::MonthlyCosts,
    results_table::{Answer, ResultsTable},
};

/// Offers `text` as a file download named `name`.
fn download(name: &str, mime: &str, text: &str) {
    use wasm_bindgen::JsCast as _;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = document()
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

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
                <div class="row downloads">
                    <button type="button" class="secondary export-json" on:click={
                        let run = run.clone();
                        move |_| {
                            let text = serde_json::to_string_pretty(&export::to_json(&run)).unwrap_or_default();
                            download(&format!("{}.json", export::file_stem(&run)), "application/json", &text);
                        }
                    }>"Download JSON"</button>
                    <button type="button" class="secondary export-csv" on:click={
                        let run = run.clone();
                        move |_| download(&format!("{}.csv", export::file_stem(&run)), "text/csv", &export::to_csv(&run))
                    }>"Download CSV"</button>
                </div>
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
