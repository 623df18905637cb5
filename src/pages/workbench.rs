//! The tuning page: account, form, live run, results and share links.

use std::rc::Rc;

use leptos::prelude::*;
use powertune_aws::{AwsLambda, ParsedCredentials, runtime::unix_now};
use powertune_tuner::{
    Strategy,
    api::LambdaApi as _,
    cancel::CancelToken,
    journal::{Journal, MemoryJournal},
    result::RunResult,
    share::compact,
    sim::{DEMO_ACCOUNT, sample_functions},
};
use serde_json::Value;

use crate::{
    backend::{Backend, DEMO_REGION},
    components::{
        account_panel::{AccountPanel, Mode},
        apply_panel::ApplyPanel,
        compare_panel::{CompareEntry, ComparePanel},
        recovery::RecoveryBanner,
        results::{ResultsView, viewed_as},
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
        if creds
            .as_ref()
            .and_then(|c| c.seconds_left(unix_now()))
            .is_some_and(|left| left <= 0)
        {
            state.set(RunState::Failed {
                message: "the pasted credentials have expired: get fresh ones (aws sts get-session-token or assume-role) and paste them again".into(),
                partial: None,
                leftovers: Vec::new(),
            });
            return;
        }
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
    // The latest finished run, and the earlier ones (and pasted links) it can be compared with.
    let current = RwSignal::new(None::<(String, RunResult)>);
    let compared = RwSignal::new(Vec::<CompareEntry>::new());
    Effect::new(move |_| {
        if let RunState::Finished { result, .. } = state.get() {
            let label = format!("{} at {}", compact::label(&result), clock_time());
            let previous = current.try_update(|c| c.replace((label, result))).flatten();
            if let Some((label, run)) = previous {
                compared.update(|all| {
                    all.insert(
                        0,
                        CompareEntry {
                            label,
                            run,
                            shown: false,
                        },
                    )
                });
            }
            view_strategy.set(None);
            view_weight.set(None);
        }
    });
    let shown_runs = Signal::derive(move || {
        let mut runs: Vec<(String, RunResult)> = current.get().into_iter().collect();
        compared.with(|c| {
            runs.extend(
                c.iter()
                    .filter(|e| e.shown)
                    .map(|e| (e.label.clone(), e.run.clone())),
            )
        });
        runs
    });
    let share_runs = Signal::derive(move || {
        let (s, w) = (view_strategy.get(), view_weight.get());
        shown_runs
            .get()
            .into_iter()
            .map(|(_, run)| viewed_as(run, s, w))
            .collect::<Vec<_>>()
    });
    let to_apply = Signal::derive(move || {
        share_runs.with(|runs| {
            let run = runs.first()?;
            let best = run.recommend(run.strategy)?;
            Some(run.sizes[best.index].memory)
        })
    });
    let recovery_backend = Callback::new(move |()| aws_backend());
    // Leaving mid-run would strand the run's aliases and versions: ask first.
    let before_unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if state.get_untracked() == RunState::Running {
            ev.prevent_default();
            ev.set_return_value("A tuning is running: leaving now skips its cleanup.");
        }
    });
    on_cleanup(move || before_unload.remove());

    view! {
        <RecoveryBanner backend=recovery_backend running />
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
            RunState::Finished { function, result, invocations, tuning_cost, warnings } => {
                let currency = result.currency;
                let backend = match mode.get_untracked() {
                    Mode::Demo => Some(demo.get_value()),
                    Mode::Aws => aws_backend(),
                };
                Some(view! {
                    <section class="card" aria-labelledby="results-title" id="results">
                        <h2 id="results-title">{format!("Results: {}", function.name())}</h2>
                        <ResultsView runs=shown_runs strategy=view_strategy weight=view_weight />
                        <ComparePanel entries=compared />
                        <p class="muted" id="run-cost">{format!("{invocations} invocations, costing {} in all.", crate::format::cost(tuning_cost, currency))}</p>
                        {(!warnings.is_empty()).then(|| view! { <ul class="warnings">{warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul> })}
                    </section>
                    {backend.map(|backend| view! { <ApplyPanel backend function memory=to_apply /> })}
                    <SharePanel runs=share_runs />
                })
            }
            _ => None,
        }}
    }
}

/// The local time of day, `HH:MM:SS`, to tell runs apart.
fn clock_time() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:02}:{:02}:{:02}",
        now.get_hours(),
        now.get_minutes(),
        now.get_seconds()
    )
}
