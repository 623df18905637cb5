//! "Apply the optimum": set the function's memory to the recommended size, optionally publishing
//! a version and pointing an alias at it.

use leptos::prelude::*;
use powertune_aws::runtime::PlatformClock;
use powertune_tuner::{
    FunctionArn, MemoryMb,
    alias::check_alias_name,
    engine::{self, RunOptions},
};

use crate::backend::Backend;

/// Where an apply is.
#[derive(Debug, Clone, PartialEq)]
enum ApplyState {
    Idle,
    Applying,
    Done(String),
    Failed(String),
}

/// One button that applies `memory` to `function` (and optionally an alias).
#[component]
pub fn ApplyPanel(
    /// Where the calls go.
    backend: Backend,
    /// The tuned function.
    function: FunctionArn,
    /// The size to apply (follows the strategy viewed); `None` when nothing can be recommended.
    #[prop(into)]
    memory: Signal<Option<MemoryMb>>,
) -> impl IntoView {
    let alias = RwSignal::new(String::new());
    let state = RwSignal::new(ApplyState::Idle);
    let backend = StoredValue::new_local(backend);
    let function = StoredValue::new(function);
    let apply = move |_| {
        let Some(memory) = memory.get_untracked() else {
            return;
        };
        let alias_name = alias.get_untracked().trim().to_owned();
        if let Err(problem) = check_alias_name(&alias_name)
            && !alias_name.is_empty()
        {
            state.set(ApplyState::Failed(format!(
                "alias \"{alias_name}\" {problem}"
            )));
            return;
        }
        state.set(ApplyState::Applying);
        let api = backend.get_value();
        let function = function.get_value();
        leptos::task::spawn_local(async move {
            let clock = PlatformClock::default();
            let alias = (!alias_name.is_empty()).then_some(alias_name.as_str());
            let outcome = engine::apply(
                &api,
                &clock,
                &function,
                memory,
                alias,
                RunOptions::default().wait_limit,
            )
            .await;
            state.set(match outcome {
                Ok(()) => ApplyState::Done(match alias {
                    Some(a) => format!(
                        "{} now has {memory}; a new version with it is published and alias \"{a}\" points at it.",
                        function.name()
                    ),
                    None => format!("{} ($LATEST) now has {memory}.", function.name()),
                }),
                Err(e) => ApplyState::Failed(format!("Not applied: {e}")),
            });
        });
    };
    view! {
        <section class="card" aria-labelledby="apply-title">
            <h2 id="apply-title">"Apply the optimum"</h2>
            <div class="row">
                <label class="inline">"Alias (optional)"
                    <input id="apply-alias" placeholder="e.g. live" spellcheck="false" prop:value=move || alias.get() on:input=move |ev| alias.set(event_target_value(&ev)) />
                </label>
                <button type="button" id="apply" prop:disabled=move || memory.get().is_none() || state.get() == ApplyState::Applying on:click=apply>
                    {move || match memory.get() {
                        Some(m) => format!("Apply {m} to {}", function.with_value(|f| f.name().to_owned())),
                        None => "Nothing to apply".to_owned(),
                    }}
                </button>
            </div>
            <p aria-live="polite" id="apply-status" class:error-text=move || matches!(state.get(), ApplyState::Failed(_)) class:ok-text=move || matches!(state.get(), ApplyState::Done(_))>
                {move || match state.get() {
                    ApplyState::Idle => String::new(),
                    ApplyState::Applying => "Applying…".into(),
                    ApplyState::Done(m) | ApplyState::Failed(m) => m,
                }}
            </p>
        </section>
    }
}
