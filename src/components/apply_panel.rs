//! "Apply the optimum": set the function's memory to the recommended size, optionally publishing
//! a version and pointing an alias at it.

use leptos::prelude::*;
use powertune_tuner::{FunctionArn, MemoryMb, alias::check_alias_name, engine::RunError};

use crate::{
    engine_worker::use_engine_worker,
    outcome::WorkerError,
    session::{SessionError, use_session},
    worker_protocol::Task,
};

/// Why an apply did not happen.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
enum ApplyError {
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error(transparent)]
    Engine(#[from] RunError),
    #[error(transparent)]
    Worker(#[from] WorkerError),
}

/// What to apply.
#[derive(Debug, Clone)]
struct ApplyRequest {
    function: FunctionArn,
    memory: MemoryMb,
    alias: Option<String>,
}

/// One button that applies `memory` to `function` (and optionally an alias).
#[component]
pub fn ApplyPanel(
    /// The tuned function.
    function: FunctionArn,
    /// The size to apply (follows the strategy viewed); `None` when nothing can be recommended.
    #[prop(into)]
    memory: Signal<Option<MemoryMb>>,
) -> impl IntoView {
    let session = use_session();
    let alias = RwSignal::new(String::new());
    let alias_problem = Memo::new(move |_| {
        alias.with(|a| {
            let a = a.trim();
            check_alias_name(a)
                .err()
                .filter(|_| !a.is_empty())
                .map(|p| format!("alias \"{a}\" {p}"))
        })
    });
    let engine = use_engine_worker();
    let apply = Action::new_local(move |request: &ApplyRequest| {
        let request = request.clone();
        async move {
            let task = Task::Apply {
                account: session.account()?,
                function: request.function.clone(),
                memory: request.memory,
                alias: request.alias.clone(),
            };
            engine
                .start(task, None, |_| {})
                .reply()
                .await?
                .into_applied()??;
            Ok::<_, ApplyError>(match &request.alias {
                Some(a) => {
                    format!(
                        "{} now has {}; a new version with it is published and alias \"{a}\" points at it.",
                        request.function.name(),
                        request.memory,
                    )
                }
                None => format!(
                    "{} ($LATEST) now has {}.",
                    request.function.name(),
                    request.memory
                ),
            })
        }
    });
    let name = function.name().to_owned();
    let function = StoredValue::new(function);
    let on_apply = move |_| {
        let Some(memory) = memory.get_untracked() else {
            return;
        };
        let alias = alias.with_untracked(|a| a.trim().to_owned());
        apply.dispatch_local(ApplyRequest {
            function: function.get_value(),
            memory,
            alias: (!alias.is_empty()).then_some(alias),
        });
    };
    let status = move || {
        if apply.pending().get() {
            return (String::from("Applying…"), false);
        }
        if let Some(problem) = alias_problem.get() {
            return (problem, true);
        }
        apply.value().with(|v| match v {
            Some(Ok(done)) => (done.clone(), false),
            Some(Err(e)) => (format!("Not applied: {e}"), true),
            None => (String::new(), false),
        })
    };
    let failed = move || status().1;
    view! {
        <section class="card" aria-labelledby="apply-title">
            <h2 id="apply-title">"Apply the optimum"</h2>
            <div class="row">
                <label class="inline">
                    "Alias (optional)"
                    <input
                        id="apply-alias"
                        placeholder="e.g. live"
                        spellcheck="false"
                        prop:value=move || alias.get()
                        on:input=move |ev| alias.set(event_target_value(&ev))
                    />
                </label>
                <button
                    type="button"
                    id="apply"
                    prop:disabled=move || {
                        memory.with(Option::is_none) || apply.pending().get()
                            || alias_problem.with(Option::is_some)
                    }
                    on:click=on_apply
                >
                    {move || match memory.get() {
                        Some(m) => format!("Apply {m} to {name}"),
                        None => "Nothing to apply".to_owned(),
                    }}
                </button>
            </div>
            <p
                aria-live="polite"
                id="apply-status"
                class:error-text=failed
                class:ok-text=move || !failed() && apply.value().with(|v| v.is_some())
            >
                {move || status().0}
            </p>
        </section>
    }
}
