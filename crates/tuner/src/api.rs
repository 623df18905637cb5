//! The seam between the engine and Lambda: [`LambdaApi`], its data types and its errors.
//!
//! Implemented over aws-sdk-lambda (in the browser and natively) by `powertune-aws`, and in memory
//! by [`crate::sim`] for the demo account and tests. The trait's futures carry no `Send` bound, so
//! one implementation serves the browser's single thread and a current-thread tokio runtime; the
//! engine gets its concurrency by joining futures, not by spawning tasks.

use std::fmt;

pub use crate::clock::Clock;

mod definition;
pub mod intercept;
mod listing;

pub use definition::{
    FileSystem, FunctionCode, FunctionDefinition, FunctionDetails, INLINE_LIMIT, Package, Vpc,
    chosen_package_problem,
};
pub use listing::list_all_functions;

use crate::{arn::FunctionArn, memory::MemoryMb, pricing::Architecture};

/// `State` of a function version.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum FunctionState {
    /// Ready to invoke.
    #[default]
    Active,
    /// Being prepared (SnapStart can take minutes).
    Pending,
    /// Preparation failed.
    Failed(String),
    /// Idle functions are deactivated; invoking wakes them.
    Inactive,
}

/// `LastUpdateStatus` of `$LATEST`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum UpdateStatus {
    /// The last update is complete.
    #[default]
    Successful,
    /// An update is being applied; publishing now fails with a conflict.
    InProgress,
    /// The last update failed, with its reason.
    Failed(String),
}

/// Format of the function's logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// Plain text (`REPORT RequestId: …`).
    #[default]
    Text,
    /// JSON records (`platform.report`).
    Json,
}

/// What the engine needs of a function's (or version's) configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionConfig {
    /// The function's ARN (unqualified).
    pub arn: FunctionArn,
    /// `$LATEST` or a version number.
    pub version: String,
    /// Memory in MB.
    pub memory: MemoryMb,
    /// Description.
    pub description: String,
    /// CPU architecture.
    pub architecture: Architecture,
    /// Timeout in seconds.
    pub timeout_s: u32,
    /// Ephemeral storage in MB (512 is free).
    pub ephemeral_storage_mb: u32,
    /// Log format.
    pub log_format: LogFormat,
    /// Version state.
    pub state: FunctionState,
    /// Last update status.
    pub last_update_status: UpdateStatus,
    /// The kind of function (Managed Instances, tenant isolation, durable, SnapStart, …).
    pub platform: crate::platform::Platform,
    /// `RevisionId`: changes with every change to the function; empty when not known.
    pub revision_id: String,
}

/// A change to `$LATEST`'s configuration.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConfigUpdate {
    /// New memory.
    pub memory: Option<MemoryMb>,
    /// New description.
    pub description: Option<String>,
    /// Only if the function is still at this `RevisionId` (Lambda answers
    /// `PreconditionFailedException` otherwise): a compare-and-swap.
    pub revision_id: Option<String>,
}

/// The answer of a synchronous invocation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InvokeOutput {
    /// HTTP status (200 for handled and unhandled function errors alike).
    pub status: u16,
    /// `X-Amz-Function-Error` (`Unhandled`, `Handled`), when the function failed.
    pub function_error: Option<String>,
    /// `X-Amz-Log-Result`: base64 of the last 4 KB of the log.
    pub log_tail: Option<String>,
    /// The response payload.
    pub payload: Vec<u8>,
}

/// One function in a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionSummary {
    /// The ARN.
    pub arn: FunctionArn,
    /// Memory in MB.
    pub memory: u32,
    /// Runtime (`nodejs22.x`, …); empty for container images.
    pub runtime: String,
    /// Architecture.
    pub architecture: Architecture,
}

/// One page of `ListFunctions`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FunctionPage {
    /// The functions.
    pub functions: Vec<FunctionSummary>,
    /// Marker of the next page.
    pub next_marker: Option<String>,
}

/// One published version, as `ListVersionsByFunction` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionSummary {
    /// The version number.
    pub version: String,
    /// Its memory.
    pub memory: u32,
    /// Its description.
    pub description: String,
}

/// What went wrong talking to Lambda, in terms a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum LambdaError {
    /// Too many requests (429 / `TooManyRequestsException`); retried with backoff.
    #[error(
        "throttled by Lambda ({message}): lower the concurrency or raise the function's concurrency limit"
    )]
    Throttled {
        /// AWS's message.
        message: String,
    },
    /// `ResourceConflictException`, e.g. an update still in progress.
    #[error("conflict: {message}")]
    Conflict {
        /// AWS's message.
        message: String,
    },
    /// `PreconditionFailedException`: the function changed since the `RevisionId` given.
    #[error("precondition failed: {message}")]
    PreconditionFailed {
        /// AWS's message.
        message: String,
    },
    /// `ResourceNotFoundException`.
    #[error("not found: {message}")]
    NotFound {
        /// AWS's message (names the function, alias or version).
        message: String,
    },
    /// Not allowed by IAM.
    #[error("access denied{}: {message}", .action.as_ref().map(|a| format!(" (the credentials need {a})")).unwrap_or_default())]
    AccessDenied {
        /// The IAM action missing, when known (`lambda:PublishVersion`).
        action: Option<String>,
        /// AWS's message.
        message: String,
    },
    /// Expired credentials.
    #[error(
        "the credentials have expired ({message}): paste a fresh session token; what was measured so far is kept"
    )]
    ExpiredCredentials {
        /// AWS's message.
        message: String,
    },
    /// Unknown key or bad signature.
    #[error(
        "the credentials were rejected ({message}): check the access key id and secret, and that the session token belongs to them"
    )]
    InvalidCredentials {
        /// AWS's message.
        message: String,
    },
    /// A request Lambda refused as invalid (e.g. memory above the account's quota).
    #[error("invalid request: {message}")]
    InvalidRequest {
        /// AWS's message.
        message: String,
    },
    /// The request did not reach Lambda or no answer came back.
    #[error("network error: {message}")]
    Network {
        /// What the transport said.
        message: String,
    },
    /// No answer in time (the SDK's timeout; its text names the limit).
    #[error("no answer in time: {message}")]
    Timeout {
        /// What timed out, and after how long.
        message: String,
    },
    /// No credentials could be found, so nothing was sent.
    #[error(
        "no AWS credentials found ({message}): set AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or AWS_PROFILE, or paste temporary credentials"
    )]
    NoCredentials {
        /// What the credential chain said.
        message: String,
    },
    /// Any other service error.
    #[error("{code} (HTTP {status}): {message}")]
    Service {
        /// AWS's error code.
        code: String,
        /// HTTP status.
        status: u16,
        /// AWS's message.
        message: String,
    },
}

impl LambdaError {
    /// Whether waiting and retrying the same request may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Throttled { .. }
            | Self::Conflict { .. }
            | Self::Network { .. }
            | Self::Timeout { .. } => true,
            Self::Service { status, .. } => *status >= 500,
            _ => false,
        }
    }

    /// Whether the failure concerns the whole run (credentials, permissions) rather than one
    /// request: such errors stop the run, after cleanup.
    pub fn is_fatal(&self) -> bool {
        matches!(
            self,
            Self::AccessDenied { .. }
                | Self::ExpiredCredentials { .. }
                | Self::InvalidCredentials { .. }
                | Self::NoCredentials { .. }
        )
    }
}

/// The Lambda operations a tuning run uses.
///
/// Functions are named by their unqualified ARN; the implementation picks the region from it, so
/// processors in other regions work.
#[allow(async_fn_in_trait)] // Deliberately no `Send` bound: see the module docs.
pub trait LambdaApi {
    /// `GetFunctionConfiguration`; `qualifier` is a version or alias, `None` for `$LATEST`.
    async fn get_function_configuration(
        &self,
        function: &FunctionArn,
        qualifier: Option<&str>,
    ) -> Result<FunctionConfig, LambdaError>;
    /// `UpdateFunctionConfiguration` of `$LATEST`.
    async fn update_function_configuration(
        &self,
        function: &FunctionArn,
        update: &ConfigUpdate,
    ) -> Result<FunctionConfig, LambdaError>;
    /// `PublishVersion`; returns the version number.
    async fn publish_version(&self, function: &FunctionArn) -> Result<String, LambdaError>;
    /// `GetAlias`; returns the version the alias points at.
    async fn get_alias(&self, function: &FunctionArn, alias: &str) -> Result<String, LambdaError>;
    /// `CreateAlias`.
    async fn create_alias(
        &self,
        function: &FunctionArn,
        alias: &str,
        version: &str,
    ) -> Result<(), LambdaError>;
    /// `UpdateAlias`.
    async fn update_alias(
        &self,
        function: &FunctionArn,
        alias: &str,
        version: &str,
    ) -> Result<(), LambdaError>;
    /// `DeleteAlias`.
    async fn delete_alias(&self, function: &FunctionArn, alias: &str) -> Result<(), LambdaError>;
    /// `DeleteFunction` of one version.
    async fn delete_version(
        &self,
        function: &FunctionArn,
        version: &str,
    ) -> Result<(), LambdaError>;
    /// `Invoke` (RequestResponse, `LogType: Tail`), for `tenant` of a tenant-isolated function.
    async fn invoke(
        &self,
        function: &FunctionArn,
        qualifier: Option<&str>,
        tenant: Option<&str>,
        payload: &[u8],
    ) -> Result<InvokeOutput, LambdaError>;
    /// `ListFunctions`, one page.
    async fn list_functions(
        &self,
        region: &str,
        marker: Option<&str>,
    ) -> Result<FunctionPage, LambdaError>;
    /// `ListVersionsByFunction`, every page; `$LATEST` left out.
    async fn list_versions(
        &self,
        function: &FunctionArn,
    ) -> Result<Vec<VersionSummary>, LambdaError>;
    /// `GetFunction` of `$LATEST`: what a copy of the function needs.
    async fn get_function(&self, function: &FunctionArn) -> Result<FunctionDetails, LambdaError>;
    /// `GetLayerVersionByArn`: the architectures the layer version says it is compatible with
    /// (`CompatibleArchitectures`; empty when it says none, which Lambda does not check).
    async fn layer_architectures(&self, layer: &str) -> Result<Vec<Architecture>, LambdaError>;
    /// `CreateFunction` of `definition` (named by its `config.arn`) with `code`; returns its
    /// configuration (`Pending` until Lambda has prepared it).
    async fn create_function(
        &self,
        definition: &FunctionDefinition,
        code: &FunctionCode,
    ) -> Result<FunctionConfig, LambdaError>;
    /// `DeleteFunction` of the whole function, every version and alias with it.
    async fn delete_function(&self, function: &FunctionArn) -> Result<(), LambdaError>;
}

impl fmt::Display for FunctionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Active => f.write_str("Active"),
            Self::Pending => f.write_str("Pending"),
            Self::Failed(reason) => write!(f, "Failed ({reason})"),
            Self::Inactive => f.write_str("Inactive"),
        }
    }
}
