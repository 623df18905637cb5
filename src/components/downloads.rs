//! A run's JSON and CSV downloads. The engine's worker writes them (the exports' code is not in
//! the page's download, which opens share links without it); the page saves what it gets.

use leptos::prelude::*;
use powertune_tuner::{
    export::{File, Format},
    result::RunResult,
};

use crate::{engine_worker::use_engine_worker, outcome::WorkerError, worker_protocol::Task};

/// Offers `file` as a download.
fn save(file: &File) {
    use wasm_bindgen::JsCast as _;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&file.text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(&file.media_type);
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
        a.set_download(&file.name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// "Download JSON" and "Download CSV" for `run` (as viewed).
#[component]
pub fn Downloads(
    /// The run.
    run: RunResult,
) -> impl IntoView {
    let engine = use_engine_worker();
    let export = Action::new_local(move |(run, format): &(RunResult, Format)| {
        let task = Task::Export {
            run: Box::new(run.clone()),
            format: *format,
        };
        async move {
            let file = engine
                .start(task, None, |_| {})
                .reply()
                .await?
                .into_exported()?;
            save(&file);
            Ok::<_, WorkerError>(())
        }
    });
    let run = StoredValue::new(run);
    let button = move |format: Format, class: &'static str, label: &'static str| {
        view! {
            <button
                type="button"
                class=format!("secondary {class}")
                prop:disabled=move || export.pending().get()
                on:click=move |_| {
                    export.dispatch_local((run.get_value(), format));
                }
            >
                {label}
            </button>
        }
    };
    let status = move || {
        if export.pending().get() {
            return "Preparing the file…".to_owned();
        }
        export.value().with(|v| match v {
            Some(Err(e)) => format!("Not downloaded: {e}"),
            _ => String::new(),
        })
    };
    view! {
        <div class="row downloads">
            {button(Format::Json, "export-json", "Download JSON")}
            {button(Format::Csv, "export-csv", "Download CSV")} <span class="muted" role="status">
                {status}
            </span>
        </div>
    }
}
