//! Runs to compare with the current one: earlier runs of this page, and shared links pasted in.

use leptos::prelude::*;
use powertune_tuner::share;

use crate::history::RunHistory;

/// A checkbox per earlier run and a box to add a shared link.
#[component]
pub fn ComparePanel() -> impl IntoView {
    let history = expect_context::<RwSignal<RunHistory>>();
    let link = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let add = move |_| match share::decode(&link.get_untracked()) {
        Ok(decoded) => {
            history.update(|h| h.add_link(&decoded));
            link.set(String::new());
            error.set(None);
        }
        Err(e) => error.set(Some(e.to_string())),
    };
    view! {
        <details class="compare" id="compare">
            <summary>
                {move || {
                    format!(
                        "Compare with other runs ({} shown)",
                        history.with(RunHistory::shown_count),
                    )
                }}
            </summary>
            <ul class="plain">
                {move || {
                    history
                        .with(|h| {
                            h.earlier()
                                .iter()
                                .enumerate()
                                .map(|(i, e)| {
                                    view! {
                                        <li>
                                            <label class="inline">
                                                <input
                                                    type="checkbox"
                                                    class="compare-toggle"
                                                    prop:checked=e.shown
                                                    on:change=move |ev| {
                                                        history
                                                            .update(|h| h.set_shown(i, event_target_checked(&ev)))
                                                    }
                                                />
                                                {e.label.clone()}
                                            </label>
                                        </li>
                                    }
                                })
                                .collect_view()
                        })
                }}
            </ul>
            <label for="compare-link">
                "Add a shared link (powertune or lambda-power-tuning.show), e.g. the same function on arm64"
            </label>
            <div class="row">
                <input
                    id="compare-link"
                    spellcheck="false"
                    prop:value=move || link.get()
                    on:input=move |ev| link.set(event_target_value(&ev))
                />
                <button type="button" id="compare-add" class="secondary" on:click=add>
                    "Add"
                </button>
            </div>
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="error-text" role="alert">
                                {e}
                            </p>
                        }
                    })
            }}
        </details>
    }
}
