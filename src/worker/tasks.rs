//! What the worker does for each [`Task`](crate::worker_protocol::Task): a run (with its S3
//! payload and CloudWatch reads; `compare` when it has `architectures`), an apply, a dead run's
//! cleanup, a listing.

use powertune_aws::runtime::PlatformClock;
use powertune_tuner::{
    FunctionArn, TuningInput,
    api::list_all_functions,
    cancel::CancelToken,
    engine::{self, Event, Hooks, RunOptions},
    input::PayloadSource,
    journal::Journal,
    monthly::{MonthlyInvocations, TrafficSource},
};

use super::{backend::Backend, compare};
use crate::{
    outcome::{Finished, ListError, RunOutcome, RunProblem},
    worker_protocol::{Account, Reply},
};

/// Credentials and the custom endpoint, for the calls made beside Lambda's.
pub struct AwsAccess {
    /// The pasted credentials.
    pub credentials: powertune_aws::ParsedCredentials,
    /// A custom endpoint that serves S3 and CloudWatch too; `None` for AWS.
    pub endpoint: Option<String>,
}

impl AwsAccess {
    /// The access `account` gives (none in the demo account).
    pub fn of(account: &Account) -> Option<Self> {
        match account {
            Account::Demo => None,
            Account::Aws {
                credentials,
                endpoint,
            } => Some(Self {
                credentials: credentials.clone().into(),
                endpoint: endpoint.clone(),
            }),
        }
    }
}

/// Runs the engine for `input`, reporting its events.
pub async fn run(
    backend: Backend,
    aws: Option<AwsAccess>,
    journal: &dyn Journal,
    mut input: TuningInput,
    package: Option<Vec<u8>>,
    cancel: &CancelToken,
    on_event: &dyn Fn(Event),
) -> RunOutcome {
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
    let hooks = Hooks { on_event, cancel };
    if !input.architectures.is_empty() {
        return compare::run(&backend, journal, &input, payload.as_ref(), package, hooks).await;
    }
    let outcome = engine::run(
        &backend,
        &PlatformClock::default(),
        journal,
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
                compared: Vec::new(),
                comparison: Vec::new(),
            })),
            None => RunOutcome::DryRunDone,
        },
        Err(failure) => RunOutcome::Stopped(failure.into()),
    }
}

/// Applies `memory` (and `alias`) to `function`.
pub async fn apply(
    backend: Backend,
    function: FunctionArn,
    memory: powertune_tuner::MemoryMb,
    alias: Option<String>,
) -> Reply {
    Reply::Applied(
        engine::apply(
            &backend,
            &PlatformClock::default(),
            &function,
            memory,
            alias.as_deref(),
            RunOptions::default().wait_limit,
        )
        .await,
    )
}

/// Undoes a dead run's journal, whose writes go to the page.
pub async fn clean_up(backend: Backend, journal: &dyn Journal) -> Reply {
    let entries = journal.entries();
    let report = engine::clean_up(
        &backend,
        &PlatformClock::default(),
        journal,
        &entries,
        RunOptions::default().wait_limit,
        &|_| {},
    )
    .await;
    // What cleanup forgot reaches the page before the answer does.
    let _ = journal.settled().await;
    Reply::CleanedUp(report)
}

/// The region's functions.
pub async fn list(backend: Backend, region: String) -> Reply {
    Reply::Functions(
        list_all_functions(&backend, &region)
            .await
            .map(|functions| functions.into_iter().map(|f| f.arn).collect())
            .map_err(ListError::from),
    )
}
