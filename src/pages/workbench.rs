//! The tuning page: account, form, live run, results and share links.

use std::rc::Rc;

use leptos::prelude::*;
use powertune_aws::{AwsLambda, ParsedCredentials};
use powertune_tuner::{
    Strategy,
    api::LambdaApi as _,
    cancel::CancelToken,
    journal::{Journal, MemoryJournal},
    sim::{DEMO_ACCOUNT, sample_functions},
};
use serde_json::Value;

use crate::{
    backend::{Backend, DEMO_REGION},
    components::{
        account_panel::{AccountPanel, Mode},
        results_table::ResultsTable,
        run_panel::RunPanel,
        share_panel::SharePanel,
        tuning_form::TuningForm,
    },
    form::FormState,
    journal::LocalStorageJournal,
    progress::Progress,
    run::{self, RunState},
};

fn demo_functions() -> Vec<String> {
    sample_functions(DEMO_REGION)
        .iter()
        .map(|f| {
            format!(
                "arn:aws:lambda:{DEMO_REGION}:{DEMO_ACCOUNT}:function:{}",
                f.name
            )
        })
        .collect()
}

/// The workbench.
#[component]
pub fn Workbench() -> impl IntoView {
    let mode = RwSignal::new(Mode::Demo);
    let credentials = RwSignal::new(None::<ParsedCredentials>);
    let region = RwSignal::new("us-east-1".to_owned());
    let endpoint = RwSignal::new(String::new());
    let demo = StoredValue::new_local(Backend::demo());
    let form = RwSignal::new(FormState::new(&demo_functions()[0]));
    let base = RwSignal::new(Value::Null);
    let progress = RwSignal::new(Progress::default());
    let state = RwSignal::new(RunState::Idle);
    let cancel = StoredValue::new_local(None::<CancelToken>);
    let aws_functions = RwSignal::new(Vec::<String>::new());
    let functions = Signal::derive(move || {
        if mode.get() == Mode::Demo {
            demo_functions()
        } else {
            aws_functions.get()
        }
    });

    let aws_backend = move || {
        let creds = credentials.get_untracked()?;
        let endpoint = endpoint.get_untracked();
        Some(Backend::Aws(Rc::new(AwsLambda::from_parsed(
            &creds,
            (!endpoint.trim().is_empty()).then(|| endpoint.trim().to_owned()),
        ))))
    };
    let list_error = RwSignal::new(None::<String>);
    let list_functions = move |_| {
        let Some(backend) = aws_backend() else {
            list_error.set(Some("paste credentials first".into()));
            return;
        };
        let region = region.get_untracked();
        leptos::task::spawn_local(async move {
            let mut arns = Vec::new();
            let mut marker = None::<String>;
            loop {
                match backend.list_functions(&region, marker.as_deref()).await {
                    Ok(page) => {
                        arns.extend(page.functions.into_iter().map(|f| f.arn.to_string()));
                        marker = page.next_marker;
                        if marker.is_none() {
                            break;
                        }
                    }
                    Err(e) => {
                        list_error.set(Some(e.to_string()));
                        return;
                    }
                }
            }
            list_error.set(None);
            aws_functions.set(arns);
        });
    };
    let on_start = Callback::new(move |()| {
        let Ok(parsed) = form.with_untracked(|f| f.parse(&base.get_untracked())) else {
            return;
        };
        let (backend, journal): (Backend, Rc<dyn Journal>) = match mode.get_untracked() {
            Mode::Demo => (demo.get_value(), Rc::new(MemoryJournal::default())),
            Mode::Aws => match aws_backend() {
                Some(b) => (b, Rc::new(LocalStorageJournal)),
                None => {
                    state.set(RunState::Failed {
                        message: "paste temporary credentials for your AWS account first (or switch to the demo account)".into(),
                        partial: None,
                        leftovers: Vec::new(),
                    });
                    return;
                }
            },
        };
        let creds = (mode.get_untracked() == Mode::Aws)
            .then(|| credentials.get_untracked())
            .flatten();
        let token = run::start(backend, journal, parsed.input, creds, progress, state);
        cancel.set_value(Some(token));
    });
    let on_cancel = Callback::new(move |()| {
        cancel.with_value(|c| {
            if let Some(c) = c {
                c.cancel();
            }
        })
    });
    let running = Signal::derive(move || state.get() == RunState::Running);
    // Switching accounts clears the function choice of the other account.
    Effect::new(move |previous: Option<Mode>| {
        let now = mode.get();
        if previous.is_some_and(|p| p != now) {
            form.update(|f| {
                f.lambda_arn = if now == Mode::Demo {
                    demo_functions()[0].clone()
                } else {
                    String::new()
                }
            });
        }
        now
    });
    let view_strategy = RwSignal::new(None::<Strategy>);
    let view_weight = RwSignal::new(None::<f64>);

    view! {
        <AccountPanel mode credentials region endpoint />
        <Show when=move || mode.get() == Mode::Aws>
            <div class="row">
                <button type="button" id="list-functions" class="secondary" on:click=list_functions>"List functions in the region"</button>
                {move || list_error.get().map(|e| view! { <span class="error-text" role="alert">{e}</span> })}
            </div>
        </Show>
        <TuningForm form base functions running on_start />
        <Show when=move || state.get() != RunState::Idle>
            <RunPanel progress state on_cancel />
        </Show>
        {move || match state.get() {
            RunState::Finished { mut result, invocations, tuning_cost, warnings } => {
                if let Some(s) = view_strategy.get() { result.strategy = s; }
                if let Some(w) = view_weight.get() { result.balanced_weight = w; }
                let currency = result.currency;
                let shared = result.clone();
                Some(view! {
                    <section class="card" aria-labelledby="results-title" id="results">
                        <h2 id="results-title">{format!("Results: {}", result.function_name.clone().unwrap_or_default())}</h2>
                        <div class="row">
                            <label>"Strategy "
                                <select id="view-strategy" prop:value=result.strategy.as_str() on:change=move |ev| view_strategy.set(event_target_value(&ev).parse().ok())>
                                    <option value="cost">"cost"</option>
                                    <option value="speed">"speed"</option>
                                    <option value="balanced">"balanced"</option>
                                </select>
                            </label>
                            <label>"Balanced weight "
                                <input type="range" id="view-weight" min="0" max="1" step="0.05" prop:value=result.balanced_weight.to_string()
                                    on:input=move |ev| view_weight.set(event_target_value(&ev).parse().ok()) />
                            </label>
                        </div>
                        <ResultsTable run=result />
                        <p class="muted">{format!("{invocations} invocations, costing {} in all.", crate::format::cost(tuning_cost, currency))}</p>
                        {(!warnings.is_empty()).then(|| view! { <ul class="warnings">{warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul> })}
                    </section>
                    <SharePanel result=shared />
                })
            }
            _ => None,
        }}
    }
}
