//! Starting a run from the page: the engine runs on the browser's event loop, its events fold
//! into a progress signal, and its outcome lands in a state signal.

use std::rc::Rc;

use leptos::prelude::*;
use powertune_aws::{ParsedCredentials, runtime::PlatformClock};
use powertune_tuner::{
    FunctionArn, TuningInput,
    cancel::CancelToken,
    engine::{self, Event, Hooks, RunOptions},
    input::PayloadSource,
    journal::Journal,
    result::RunResult,
};

use crate::{backend::Backend, progress::Progress};

/// Where a run is.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum RunState {
    /// Nothing started.
    #[default]
    Idle,
    /// Under way.
    Running,
    /// Finished with results.
    Finished {
        /// The tuned function.
        function: FunctionArn,
        /// The results.
        result: RunResult,
        /// Invocations made.
        invocations: u32,
        /// What they cost.
        tuning_cost: f64,
        /// Warnings raised.
        warnings: Vec<String>,
    },
    /// A dry run finished (no analysis).
    DryRunDone,
    /// Stopped with an error (after cleanup).
    Failed {
        /// What went wrong, for people.
        message: String,
        /// What was measured before.
        partial: Option<RunResult>,
        /// Cleanup problems, if any remain.
        leftovers: Vec<String>,
    },
}

/// Starts a run of `input` on `backend`; returns the token that cancels it.
pub fn start(
    backend: Backend,
    journal: Rc<dyn Journal>,
    input: TuningInput,
    credentials: Option<ParsedCredentials>,
    progress: RwSignal<Progress>,
    state: RwSignal<RunState>,
) -> CancelToken {
    let cancel = CancelToken::new();
    let token = cancel.clone();
    progress.set(Progress::default());
    state.set(RunState::Running);
    leptos::task::spawn_local(async move {
        let payload = match &input.payload {
            PayloadSource::None => None,
            PayloadSource::Inline(value) => Some(value.clone()),
            PayloadSource::S3(location) => {
                let Some(creds) = credentials else {
                    state.set(RunState::Failed {
                        message: "payloadS3 needs an AWS account: the demo account has no S3 bucket. Use an inline payload.".into(),
                        partial: None,
                        leftovers: Vec::new(),
                    });
                    return;
                };
                match powertune_aws::s3::fetch_payload(
                    location,
                    input.lambda_arn.region(),
                    &creds.to_sdk(),
                    None,
                )
                .await
                {
                    Ok(value) => Some(value),
                    Err(e) => {
                        state.set(RunState::Failed {
                            message: e.to_string(),
                            partial: None,
                            leftovers: Vec::new(),
                        });
                        return;
                    }
                }
            }
        };
        let clock = PlatformClock::default();
        let on_event = move |e: Event| progress.update(|p| p.apply(&e));
        let hooks = Hooks {
            on_event: &on_event,
            cancel: &token,
        };
        let outcome = engine::run(
            &backend,
            &clock,
            &*journal,
            &input,
            payload.as_ref(),
            &RunOptions::default(),
            hooks,
        )
        .await;
        state.set(match outcome {
            Ok(report) => match report.result {
                Some(result) => RunState::Finished {
                    function: input.lambda_arn.clone(),
                    result,
                    invocations: report.invocations,
                    tuning_cost: report.tuning_cost,
                    warnings: report.warnings,
                },
                None => RunState::DryRunDone,
            },
            Err(failure) => RunState::Failed {
                message: failure.error.to_string(),
                partial: failure.partial,
                leftovers: failure.cleanup.errors,
            },
        });
    });
    cancel
}
