//! Runs to compare with the current one: earlier runs of this page, and shared links pasted in.

use leptos::prelude::*;
use powertune_tuner::{result::RunResult, share};

/// A run that can be overlaid.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareEntry {
    /// Legend text.
    pub label: String,
    /// The results.
    pub run: RunResult,
    /// Drawn over the current run.
    pub shown: bool,
}

/// A checkbox per earlier run and a box to add a shared link.
#[component]
pub fn ComparePanel(
    /// The runs on offer.
    entries: RwSignal<Vec<CompareEntry>>,
) -> impl IntoView {
    let link = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let add = move |_| match share::decode(&link.get_untracked()) {
        Ok(decoded) => {
            entries.update(|e| {
                e.extend(decoded.runs().into_iter().map(|(label, run)| CompareEntry {
                    label: if label.is_empty() {
                        "pasted link".to_owned()
                    } else {
                        format!("link: {label}")
                    },
                    run,
                    shown: true,
                }))
            });
            link.set(String::new());
            error.set(None);
        }
        Err(e) => error.set(Some(e.to_string())),
    };
    view! {
        <details class="compare" id="compare">
            <summary>{move || format!("Compare with other runs ({} shown)", entries.with(|e| e.iter().filter(|x| x.shown).count()))}</summary>
            <ul class="plain">
                {move || entries.get().into_iter().enumerate().map(|(i, e)| view! {
                    <li><label class="inline">
                        <input type="checkbox" class="compare-toggle" prop:checked=e.shown
                            on:change=move |ev| entries.update(|all| all[i].shown = event_target_checked(&ev)) />
                        {e.label}
                    </label></li>
                }).collect_view()}
            </ul>
            <label for="compare-link">"Add a shared link (powertune or lambda-power-tuning.show), e.g. the same function on arm64"</label>
            <div class="row">
                <input id="compare-link" spellcheck="false" prop:value=move || link.get() on:input=move |ev| link.set(event_target_value(&ev)) />
                <button type="button" id="compare-add" class="secondary" on:click=add>"Add"</button>
            </div>
            {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
        </details>
    }
}
