//! The tuning page: account, form, live run, results and share links.

use leptos::prelude::*;
use powertune_tuner::{Strategy, input::Key, result::RunResult};
use serde_json::Value;

use crate::{
    components::{
        account_panel::{AccountPanel, ListedFunctions},
        apply_panel::ApplyPanel,
        compare_panel::ComparePanel,
        package_picker::{ChosenPackage, PackagePicker},
        recovery::RecoveryBanner,
        results::ResultsView,
        run_panel::RunPanel,
        share_panel::SharePanel,
        tuning_form::TuningForm,
    },
    form::FormState,
    format,
    history::RunHistory,
    run::{RunOutcome, use_tuning_run},
    session::{Mode, default_function, use_session},
};

/// The workbench.
#[component]
pub fn Workbench() -> impl IntoView {
    let session = use_session();
    let run = use_tuning_run();
    let form = RwSignal::new(FormState::new(&default_function(Mode::Demo)));
    let base = RwSignal::new(Value::Null);
    ListedFunctions::provide();
    // Switching accounts clears the function choice of the other account.
    let on_mode = Callback::new(move |mode: Mode| {
        session.mode.set(mode);
        form.update(|f| f.set_text(Key::LambdaArn, default_function(mode)));
    });
    // A comparison's copy in an AWS account may need the function's package, chosen by hand.
    let package = RwSignal::new(None::<ChosenPackage>);
    let comparing_in_aws = move || {
        session.mode.get() == Mode::Aws
            && form.with(|f| !f.text(Key::Architectures).trim().is_empty())
    };
    let on_start = Callback::new(move |()| {
        let Ok(parsed) = form.with_untracked(|f| f.parse(&base.get_untracked())) else {
            return;
        };
        let package = (!parsed.input.architectures.is_empty())
            .then(|| package.with_untracked(|p| p.as_ref().map(|p| p.bytes.clone())))
            .flatten();
        run.start(session.account(), session.journal(), parsed.input, package);
    });
    // Leaving mid-run would strand the run's aliases and versions: ask first.
    let before_unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if run.is_running_untracked() {
            ev.prevent_default();
            ev.set_return_value("A tuning is running: leaving now skips its cleanup.");
        }
    });
    on_cleanup(move || before_unload.remove());
    // Keyed by the action's version too, so a second run of the same function mounts fresh
    // results (with the run's own strategy viewed again).
    let finished = Memo::new(move |_| {
        if run.is_running() {
            return None;
        }
        let version = run.action.version().get();
        run.action.value().with(|o| match o {
            Some(RunOutcome::Finished(f)) => Some((version, f.function.clone())),
            _ => None,
        })
    });

    view! {
        <RecoveryBanner />
        <AccountPanel on_mode />
        <TuningForm form base on_start />
        <Show when=comparing_in_aws>
            <PackagePicker package />
        </Show>
        <Show when=move || run.has_started()>
            <RunPanel />
        </Show>
        {move || finished.get().map(|(_, function)| view! { <Results function /> })}
    }
}

/// The latest finished run's results, with what it can be compared with, applied and shared.
#[component]
fn Results(
    /// The tuned function.
    function: powertune_tuner::FunctionArn,
) -> impl IntoView {
    let run = use_tuning_run();
    let history = expect_context::<RwSignal<RunHistory>>();
    // The strategy and weight viewed start as the run's own with every new run.
    let strategy = RwSignal::new(None::<Strategy>);
    let weight = RwSignal::new(None::<f64>);
    let monthly = RwSignal::new(None::<u64>);
    let shown = Signal::derive(move || history.with(RunHistory::shown));
    let viewed = Signal::derive(move || {
        let (s, w, m) = (strategy.get(), weight.get(), monthly.get());
        shown
            .get()
            .into_iter()
            .map(|(_, run)| run.viewed_as(s, w).with_monthly_invocations(m))
            .collect::<Vec<RunResult>>()
    });
    let to_apply = Signal::derive(move || viewed.with(|runs| runs.first()?.recommended_memory()));
    let summary = move || {
        run.action.value().with(|o| match o {
            Some(RunOutcome::Finished(f)) => Some((
                format!(
                    "{} invocations, costing {} in all.",
                    f.invocations,
                    format::cost(f.tuning_cost, f.result.currency)
                ),
                f.warnings.clone(),
            )),
            _ => None,
        })
    };
    // A comparison of architectures: what it found, before the results.
    let comparison = move || {
        run.action.value().with(|o| match o {
            Some(RunOutcome::Finished(f)) if !f.comparison.is_empty() => Some(f.comparison.clone()),
            _ => None,
        })
    };
    let name = function.name().to_owned();
    view! {
        <section class="card" aria-labelledby="results-title" id="results">
            <h2 id="results-title">{format!("Results: {name}")}</h2>
            {move || {
                comparison()
                    .map(|lines| {
                        view! {
                            <ul class="plain" id="architectures-found">
                                {lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                            </ul>
                        }
                    })
            }}
            <ResultsView runs=shown strategy weight monthly />
            <ComparePanel />
            {move || {
                summary()
                    .map(|(cost, warnings)| {
                        view! {
                            <p class="muted" id="run-cost">
                                {cost}
                            </p>
                            {(!warnings.is_empty())
                                .then(|| {
                                    view! {
                                        <ul class="warnings">
                                            {warnings
                                                .into_iter()
                                                .map(|w| view! { <li>{w}</li> })
                                                .collect_view()}
                                        </ul>
                                    }
                                })}
                        }
                    })
            }}
        </section>
        <ApplyPanel function memory=to_apply />
        <SharePanel runs=viewed />
    }
}
