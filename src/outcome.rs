//! How the engine's tasks end, with their types: shared by the page, which shows them, and the
//! engine's worker, which sends them.

use powertune_aws::{CredentialsError, cloudwatch::CloudWatchError, s3::S3Error};
use powertune_tuner::{
    FunctionArn,
    api::LambdaError,
    engine::{RunError, RunFailure},
    pricing::Architecture,
    result::RunResult,
};
use serde::{Deserialize, Serialize};

/// Why the session cannot make Lambda calls.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum SessionError {
    /// AWS mode without credentials.
    #[error(
        "paste temporary credentials for your AWS account first (or switch to the demo account)"
    )]
    NoCredentials,
    /// The pasted credentials have expired. Found by the page before a task starts, so it never
    /// crosses to or from the worker.
    #[error(transparent)]
    #[serde(skip)]
    Expired(CredentialsError),
}

/// The engine's worker did not answer: it could not start, or it stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error(
    "the engine's worker {0}: reload the page (a run's journal keeps what it created, and the banner offers to clean it up)"
)]
pub struct WorkerError(pub String);

/// Why the functions could not be listed.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum ListError {
    /// No usable credentials.
    #[error(transparent)]
    Session(#[from] SessionError),
    /// `ListFunctions` failed.
    #[error(transparent)]
    Lambda(#[from] LambdaError),
    /// The worker is gone.
    #[error(transparent)]
    Worker(#[from] WorkerError),
}

/// A finished run with results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// With `architectures`: the other architectures' runs, after this one (the first that
    /// gave results, in the input's order).
    pub compared: Vec<ComparedRun>,
    /// With `architectures`: what the comparison found, in words (the best over all, its money
    /// a month, an architecture the code does not run on, a copy left behind).
    pub comparison: Vec<String>,
}

/// One architecture's run in a comparison, beside the one shown first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparedRun {
    /// The architecture.
    pub architecture: Architecture,
    /// The function tuned: a temporary copy, for an architecture not the function's own.
    pub function: FunctionArn,
    /// Its results, or why it has none.
    pub outcome: Result<RunResult, String>,
}

/// Why a run did not produce results.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
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
    /// The engine stopped (after cleaning up).
    #[error(transparent)]
    Engine(#[from] RunError),
    /// A comparison of architectures in which none gave results (each one's reason).
    #[error("no architecture gave results: {0}")]
    Compared(String),
    /// The engine's worker is gone.
    #[error(transparent)]
    Worker(#[from] WorkerError),
}

/// A run that stopped, with what it measured before and what cleanup could not remove.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stopped {
    /// Why.
    pub problem: RunProblem,
    /// What was measured before it stopped.
    pub partial: Option<Box<RunResult>>,
    /// Cleanup problems, if any remain (kept in the journal).
    pub leftovers: Vec<String>,
}

impl From<Box<RunFailure>> for Stopped {
    /// The engine stopped: its error, what it measured, and what its cleanup left.
    fn from(failure: Box<RunFailure>) -> Self {
        Self {
            problem: failure.error.into(),
            partial: failure.partial.map(Box::new),
            leftovers: failure.cleanup.errors,
        }
    }
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RunOutcome {
    /// With results.
    Finished(Box<Finished>),
    /// A dry run (no analysis).
    DryRunDone,
    /// Stopped with a problem.
    Stopped(Stopped),
}
