//! A tuning run on the page: one [`Action`] whose future runs the engine on the browser's event
//! loop, folding its events into a progress signal. The outcome keeps the domain's error types
//! up to the view.

use std::rc::Rc;

use leptos::prelude::*;
use powertune_aws::{cloudwatch::CloudWatchError, runtime::PlatformClock, s3::S3Error};
use powertune_tuner::{
    FunctionArn, TuningInput,
    cancel::CancelToken,
    engine::{self, Event, Hooks, RunError, RunOptions},
    input::PayloadSource,
    journal::Journal,
    monthly::{MonthlyInvocations, TrafficSource},
    result::RunResult,
    share::compact,
};

use crate::{
    backend::Backend,
    history::RunHistory,
    progress::Progress,
    session::{AwsAccess, SessionError},
};

/// What a run needs, gathered by the Start handler.
pub struct RunRequest {
    /// Where the Lambda calls go, or why there is nowhere.
    pub backend: Result<Backend, SessionError>,
    /// Where what the run creates is recorded.
    pub journal: Rc<dyn Journal>,
    /// The validated input.
    pub input: TuningInput,
    /// For a `payloadS3` download and a CloudWatch read, in an AWS account.
    pub aws: Option<AwsAccess>,
    /// Cancels the run (it still cleans up).
    pub cancel: CancelToken,
}

/// A finished run with results.
#[derive(Debug, Clone, PartialEq)]
pub struct Finished {
    /// The tuned function.
    pub function: FunctionArn,
    /// The results.
    pub result: RunResult,
    /// Invocations made.
    pub invocations: u32,
    /// What they cost.
    pub tuning_cost: f64,
    /// Warnings raised.
    pub warnings: Vec<String>,
}

/// Why a run did not produce results.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RunProblem {
    /// The account cannot make calls.
    #[error(transparent)]
    Session(#[from] SessionError),
    /// `payloadS3` in the demo account.
    #[error(
        "payloadS3 needs an AWS account: the demo account has no S3 bucket. Use an inline payload."
    )]
    S3InDemo,
    /// The `payloadS3` object could not be read.
    #[error(transparent)]
    Payload(#[from] S3Error),
    /// `monthlyInvocations: "cloudwatch"` in the demo account.
    #[error(
        "monthlyInvocations \"cloudwatch\" needs an AWS account: the demo account has no CloudWatch. Type the number of invocations a month."
    )]
    CloudwatchInDemo,
    /// The monthly invocations could not be read from CloudWatch.
    #[error("monthlyInvocations: {0}")]
    Monthly(#[from] CloudWatchError),
    /// `architectures`, which the web app does not run yet.
    #[error(
        "architectures: comparing x86_64 and arm64 runs in the CLI for now (powertune run --input input.json); here, leave it empty to tune the function's own architecture. Nothing was created."
    )]
    ArchitecturesInBrowser,
    /// The engine stopped (after cleaning up).
    #[error(transparent)]
    Engine(#[from] RunError),
}

/// A run that stopped, with what it measured before and what cleanup could not remove.
#[derive(Debug, Clone, PartialEq)]
pub struct Stopped {
    /// Why.
    pub problem: RunProblem,
    /// What was measured before it stopped.
    pub partial: Option<Box<RunResult>>,
    /// Cleanup problems, if any remain (kept in the journal).
    pub leftovers: Vec<String>,
}

impl From<RunProblem> for Stopped {
    fn from(problem: RunProblem) -> Self {
        Self {
            problem,
            partial: None,
            leftovers: Vec::new(),
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq)]
pub enum RunOutcome {
    /// With results.
    Finished(Box<Finished>),
    /// A dry run (no analysis).
    DryRunDone,
    /// Stopped with a problem.
    Stopped(Stopped),
}

/// The page's tuning run: the action, its live progress, and the token that cancels it.
#[derive(Clone, Copy)]
pub struct TuningRun {
    /// Dispatched by Start; its value is the last outcome.
    pub action: Action<RunRequest, RunOutcome>,
    /// The live progress of the current (or last) run.
    pub progress: RwSignal<Progress>,
    cancel: StoredValue<Option<CancelToken>, LocalStorage>,
}

impl TuningRun {
    /// The run action; finished runs go into `history`, provided as context.
    pub fn provide(history: RwSignal<RunHistory>) -> Self {
        let progress = RwSignal::new(Progress::default());
        let action = Action::new_local(move |request: &RunRequest| {
            let request = RunRequest {
                backend: request.backend.clone(),
                journal: request.journal.clone(),
                input: request.input.clone(),
                aws: request.aws.clone(),
                cancel: request.cancel.clone(),
            };
            async move {
                let outcome = execute(request, progress).await;
                progress.update(|p| p.ended_at = Some(js_sys::Date::now()));
                if let RunOutcome::Finished(finished) = &outcome {
                    let label = format!("{} at {}", compact::label(&finished.result), clock_time());
                    history.update(|h| h.finish(label, finished.result.clone()));
                }
                outcome
            }
        });
        let run = Self {
            action,
            progress,
            cancel: StoredValue::new_local(None),
        };
        // If the page's app goes away mid-run (unmounted), the run is cancelled: its future
        // goes on to clean up, as the hackernews example cancels its requests on cleanup.
        on_cleanup(move || run.cancel());
        provide_context(run);
        run
    }

    /// Starts a run of `input` (the caller gathered the account's parts).
    pub fn start(
        &self,
        backend: Result<Backend, SessionError>,
        journal: Rc<dyn Journal>,
        input: TuningInput,
        aws: Option<AwsAccess>,
    ) {
        let cancel = CancelToken::new();
        self.cancel.set_value(Some(cancel.clone()));
        self.progress.set(Progress::started(js_sys::Date::now()));
        self.action.dispatch_local(RunRequest {
            backend,
            journal,
            input,
            aws,
            cancel,
        });
    }

    /// Asks the run to stop; it cleans up, then ends as cancelled.
    pub fn cancel(&self) {
        self.cancel.try_with_value(|c| {
            if let Some(c) = c {
                c.cancel();
            }
        });
    }

    /// Whether a run is under way (tracked).
    pub fn is_running(&self) -> bool {
        self.action.pending().get()
    }

    /// Whether a run is under way (not tracked, for event handlers).
    pub fn is_running_untracked(&self) -> bool {
        self.action.pending().get_untracked()
    }

    /// Whether a run was ever started on this page (tracked).
    pub fn has_started(&self) -> bool {
        self.is_running() || self.action.value().with(Option::is_some)
    }
}

/// The page's [`TuningRun`].
pub fn use_tuning_run() -> TuningRun {
    expect_context::<TuningRun>()
}

/// Runs the engine for `request`, folding events into `progress`.
async fn execute(request: RunRequest, progress: RwSignal<Progress>) -> RunOutcome {
    let RunRequest {
        backend,
        journal,
        mut input,
        aws,
        cancel,
    } = request;
    let backend = match backend {
        Ok(backend) => backend,
        Err(e) => return RunOutcome::Stopped(RunProblem::from(e).into()),
    };
    if !input.architectures.is_empty() {
        return RunOutcome::Stopped(RunProblem::ArchitecturesInBrowser.into());
    }
    let payload = match &input.payload {
        PayloadSource::None => None,
        PayloadSource::Inline(value) => Some(value.clone()),
        PayloadSource::S3(location) => {
            let Some(aws) = &aws else {
                return RunOutcome::Stopped(RunProblem::S3InDemo.into());
            };
            match powertune_aws::s3::fetch_payload(
                location,
                input.lambda_arn.region(),
                &aws.credentials.to_sdk(),
                None,
            )
            .await
            {
                Ok(value) => Some(value),
                Err(e) => return RunOutcome::Stopped(RunProblem::from(e).into()),
            }
        }
    };
    if input.monthly_invocations == Some(MonthlyInvocations::FromCloudwatch) {
        // Before anything is created: a failure here leaves nothing behind.
        let Some(aws) = &aws else {
            return RunOutcome::Stopped(RunProblem::CloudwatchInDemo.into());
        };
        match powertune_aws::cloudwatch::monthly_invocations(
            &input.lambda_arn,
            &aws.credentials.to_sdk(),
            aws.endpoint.as_deref(),
        )
        .await
        {
            Ok(n) => {
                input.monthly_invocations =
                    Some(MonthlyInvocations::Known(n, TrafficSource::Cloudwatch));
            }
            Err(e) => return RunOutcome::Stopped(RunProblem::from(e).into()),
        }
    }
    let clock = PlatformClock::default();
    let on_event = move |e: Event| progress.update(|p| p.apply(&e));
    let hooks = Hooks {
        on_event: &on_event,
        cancel: &cancel,
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
    match outcome {
        Ok(report) => match report.result {
            Some(result) => RunOutcome::Finished(Box::new(Finished {
                function: input.lambda_arn.clone(),
                result,
                invocations: report.invocations,
                tuning_cost: report.tuning_cost,
                warnings: report.warnings,
            })),
            None => RunOutcome::DryRunDone,
        },
        Err(failure) => RunOutcome::Stopped(Stopped {
            problem: failure.error.into(),
            partial: failure.partial.map(Box::new),
            leftovers: failure.cleanup.errors,
        }),
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
