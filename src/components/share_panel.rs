//! Share links for a result: powertune's own and the original chart site's.

use leptos::prelude::*;
use powertune_tuner::{output::ORIGINAL_VISUALIZATION_URL, output::RunResult, share::compact};

fn page_url() -> String {
    let location = window().location();
    format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    )
}

/// The links, each in a read-only field that selects on focus.
#[component]
pub fn SharePanel(
    /// The result to share.
    result: RunResult,
) -> impl IntoView {
    let (with_name, set_with_name) = signal(false);
    let original = result.original_visualization_url(ORIGINAL_VISUALIZATION_URL);
    let own = move || {
        let mut shared = result.clone();
        if !with_name.get() {
            shared.function_name = None;
        }
        format!("{}#{}", page_url(), compact::encode(&shared))
    };
    view! {
        <section class="card" aria-labelledby="share-title">
            <h2 id="share-title">"Share"</h2>
            <label for="share-link">"Link to these results (no credentials, no account id)"</label>
            <input id="share-link" readonly prop:value=own on:focus=|ev| select(&ev) />
            <label class="inline"><input type="checkbox" id="share-name" prop:checked=move || with_name.get() on:change=move |ev| set_with_name.set(event_target_checked(&ev)) />"include the function name"</label>
            <label for="original-link">"Link for the original chart site (lambda-power-tuning.show)"</label>
            <input id="original-link" readonly prop:value=original on:focus=|ev| select(&ev) />
        </section>
    }
}

fn select(ev: &leptos::ev::FocusEvent) {
    use wasm_bindgen::JsCast as _;
    if let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        input.select();
    }
}
