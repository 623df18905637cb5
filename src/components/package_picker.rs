//! The function's .zip deployment package, chosen from disk, for a comparison's copy when the
//! browser may not download it from `Code.Location` (AWS's code bucket may not answer a page
//! with CORS headers).

use leptos::prelude::*;
use powertune_tuner::api::chosen_package_problem;
use wasm_bindgen::JsCast as _;
use wasm_bindgen_futures::JsFuture;

/// A chosen package: its file name and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChosenPackage {
    /// The file's name, to say which one.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Reads the file an `<input type=file>` holds.
async fn read(input: web_sys::HtmlInputElement) -> Result<Option<ChosenPackage>, String> {
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return Ok(None);
    };
    let name = file.name();
    if let Some(problem) = chosen_package_problem(&name, file.size() as u64) {
        return Err(problem);
    }
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| format!("{name} could not be read"))?;
    Ok(Some(ChosenPackage {
        name,
        bytes: js_sys::Uint8Array::new(&buffer).to_vec(),
    }))
}

/// A file picker for the package, which `package` holds once chosen.
#[component]
pub fn PackagePicker(package: RwSignal<Option<ChosenPackage>>) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let chosen = Action::new_local(move |input: &web_sys::HtmlInputElement| {
        let input = input.clone();
        async move {
            match read(input).await {
                Ok(read) => {
                    package.set(read);
                    problem.set(None);
                }
                Err(e) => {
                    package.set(None);
                    problem.set(Some(e));
                }
            }
        }
    });
    let on_change = move |ev: web_sys::Event| {
        if let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            chosen.dispatch_local(input);
        }
    };
    view! {
        <div class="field" id="package-picker">
            <label for="package">
                "The copy for the other architecture needs the function's code. The page downloads it from GetFunction's Code.Location when AWS lets it; if it does not, choose the function's .zip deployment package (at most 50 MB):"
            </label>
            <input type="file" id="package" accept=".zip,application/zip" on:change=on_change />
            {move || {
                package
                    .with(|p| {
                        p.as_ref()
                            .map(|p| {
                                format!("{}: {} bytes, used for the copy.", p.name, p.bytes.len())
                            })
                    })
                    .map(|text| {
                        view! {
                            <p class="muted" id="package-status">
                                {text}
                            </p>
                        }
                    })
            }}
            {move || {
                problem
                    .get()
                    .map(|e| {
                        view! {
                            <p class="error-text" role="alert" id="package-error">
                                {e}
                            </p>
                        }
                    })
            }}
        </div>
    }
}
