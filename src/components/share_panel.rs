//! Share links for results: powertune's own (one run or a comparison) and the original chart
//! site's.

use leptos::prelude::*;
use powertune_tuner::{
    output::{self, ORIGINAL_VISUALIZATION_URL},
    result::RunResult,
    share::compact,
};

fn page_url() -> String {
    let location = window().location();
    format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    )
}

/// The links, each in a read-only field that selects on focus, with copy buttons.
#[component]
pub fn SharePanel(
    /// The runs to share: the main one first, then those compared with it.
    #[prop(into)]
    runs: Signal<Vec<RunResult>>,
) -> impl IntoView {
    let (with_name, set_with_name) = signal(false);
    let original = move || {
        runs.with(|r| {
            r.first()
                .map(|run| output::visualization_url(run, ORIGINAL_VISUALIZATION_URL))
                .unwrap_or_default()
        })
    };
    let own = move || {
        let mut shared = runs.get();
        if !with_name.get() {
            for run in &mut shared {
                run.function_name = None;
            }
        }
        format!("{}#{}", page_url(), compact::encode_many(&shared))
    };
    // Which link was copied, or `None` when the browser refused the clipboard.
    let copy = Action::new_local(|(which, text): &(&'static str, String)| {
        let which = *which;
        let promise = window().navigator().clipboard().write_text(text);
        async move {
            wasm_bindgen_futures::JsFuture::from(promise)
                .await
                .is_ok()
                .then_some(which)
        }
    });
    let copied = move || {
        copy.value().with(|v| {
            v.map(|done| {
                done.unwrap_or(
                    "The browser refused the clipboard: select the link and copy it yourself.",
                )
            })
        })
    };
    view! {
        <section class="card" aria-labelledby="share-title">
            <h2 id="share-title">"Share"</h2>
            <label for="share-link">
                {move || {
                    if runs.with(Vec::len) > 1 {
                        "Link to these results and the runs compared with them (no credentials, no account id)"
                    } else {
                        "Link to these results (no credentials, no account id)"
                    }
                }}
            </label>
            <div class="row nowrap">
                <input id="share-link" readonly prop:value=own on:focus=|ev| select(&ev) />
                <button
                    type="button"
                    class="secondary"
                    id="copy-share"
                    on:click=move |_| {
                        copy.dispatch_local(("powertune link copied", own()));
                    }
                >
                    "Copy"
                </button>
            </div>
            <label class="inline">
                <input
                    type="checkbox"
                    id="share-name"
                    prop:checked=move || with_name.get()
                    on:change=move |ev| set_with_name.set(event_target_checked(&ev))
                />
                "include the function name"
            </label>
            <label for="original-link">
                "Link for the original chart site (lambda-power-tuning.show; main run only)"
            </label>
            <div class="row nowrap">
                <input id="original-link" readonly prop:value=original on:focus=|ev| select(&ev) />
                <button
                    type="button"
                    class="secondary"
                    id="copy-original"
                    on:click=move |_| {
                        copy.dispatch_local(("chart-site link copied", original()));
                    }
                >
                    "Copy"
                </button>
            </div>
            <p aria-live="polite" class="muted" id="copy-status">
                {copied}
            </p>
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
