//! How a run ends: its report, or the error that stopped it, and what cleanup did either way.

use std::time::Duration;

use super::Phase;
use crate::{
    api::{FunctionConfig, LambdaError},
    failure::SizeFailure,
    journal::JournalError,
    memory::MemoryMb,
    output::OriginalOutput,
    payload,
    result::RunResult,
};

/// Why a run stopped.
#[derive(Debug, Clone, PartialEq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum RunError {
    /// Lambda refused or failed a request the run cannot do without.
    #[error("while {phase}: {source}")]
    Lambda {
        /// The phase.
        phase: Phase,
        /// The error.
        source: LambdaError,
    },
    /// The user cancelled.
    #[error("the run was cancelled; what it created has been removed")]
    Cancelled,
    /// A wait did not end.
    #[error(
        "while {phase}: {what} did not finish within {waited:?}: check the function in the AWS console, then run cleanup"
    )]
    Stuck {
        /// The phase.
        phase: Phase,
        /// What was awaited.
        what: String,
        /// How long.
        waited: Duration,
    },
    /// Lambda reported a configuration update of `$LATEST` as failed (`LastUpdateStatus`).
    #[error("while {phase}: Lambda could not apply the configuration of {function}: {reason}")]
    UpdateFailed {
        /// The phase.
        phase: Phase,
        /// The function's name.
        function: String,
        /// `LastUpdateStatusReason`.
        reason: String,
    },
    /// A published version did not become active (`State: Failed`).
    #[error("the version behind {alias} failed to become active: {reason}")]
    VersionFailed {
        /// The alias.
        alias: String,
        /// `StateReason`.
        reason: String,
    },
    /// The copy of the function for the other architecture did not become active
    /// (`State: Failed`).
    #[error(
        "the copy {function} for {architecture} failed to become active: {reason}; it is deleted"
    )]
    CopyFailed {
        /// The copy's name.
        function: String,
        /// Its architecture.
        architecture: crate::pricing::Architecture,
        /// `StateReason`.
        reason: String,
    },
    /// The function cannot be copied to the other architecture; nothing was created.
    #[error("cannot tune {function} on {architecture}: {reason}")]
    CopyRefused {
        /// The function's name.
        function: String,
        /// The architecture asked for.
        architecture: crate::pricing::Architecture,
        /// Why, and what to do.
        reason: String,
    },
    /// The journal could not be written, so the run stopped before creating anything more.
    #[error("{0}; the run stopped before creating anything it could not record")]
    Journal(#[from] JournalError),
    /// Another run is tuning the function (or stopped without cleaning up): its versions exist.
    #[error(
        "{function} has versions of another powertune run ({}): wait for that run to finish; if it stopped, run cleanup where it ran, or delete those aliases and versions. Nothing was changed",
        .found.join(", ")
    )]
    AnotherRun {
        /// The function's name.
        function: String,
        /// The other run's aliases and versions, as `RAM512 (version 7)`.
        found: Vec<String>,
    },
    /// The kind of function refuses a run before anything is created (Managed Instances, a
    /// tenant-isolated function without `tenantId`).
    #[error(transparent)]
    Refused(#[from] crate::platform::Refusal),
    /// Applying the optimum published a version for an alias, could not point the alias at it,
    /// and could not delete it either.
    #[error(
        "{cause}; version {version} of {function}, published for alias {alias}, could not be deleted either ({left}): delete it (aws lambda delete-function --function-name {function} --qualifier {version})"
    )]
    VersionLeft {
        /// Why the alias was not pointed.
        cause: Box<RunError>,
        /// The function's name.
        function: String,
        /// The alias.
        alias: String,
        /// The version left.
        version: String,
        /// Why it could not be deleted.
        left: String,
    },
    /// Every size failed.
    #[error("every memory size failed; the first error was: {0}")]
    AllSizesFailed(SizeFailure),
    /// Payloads could not be generated.
    #[error(transparent)]
    Payload(#[from] payload::PayloadError),
}

/// What cleanup did.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct CleanupReport {
    /// Aliases deleted.
    pub aliases_deleted: Vec<String>,
    /// Versions deleted.
    pub versions_deleted: Vec<String>,
    /// Copies of the function deleted (for another architecture), by name.
    pub functions_deleted: Vec<String>,
    /// Whether `$LATEST` was restored (or already was as before).
    pub restored: bool,
    /// What could not be undone; those entries stay in the journal.
    pub errors: Vec<String>,
}

impl CleanupReport {
    /// Adds what another cleanup did (several journals cleaned up one after the other).
    pub fn merge(&mut self, other: Self) {
        self.aliases_deleted.extend(other.aliases_deleted);
        self.versions_deleted.extend(other.versions_deleted);
        self.functions_deleted.extend(other.functions_deleted);
        self.restored |= other.restored;
        self.errors.extend(other.errors);
    }

    /// Whether everything was undone.
    pub fn is_complete(&self) -> bool {
        self.errors.is_empty()
    }

    /// What was undone, in words: `removed 2 alias(es) and 2 version(s), $LATEST restored`
    /// (and `, 1 function copy` when the run made one).
    pub fn summary(&self) -> String {
        let copies = match self.functions_deleted.len() {
            0 => String::new(),
            1 => ", 1 function copy".to_owned(),
            n => format!(", {n} function copies"),
        };
        format!(
            "removed {} alias(es) and {} version(s){copies}{}",
            self.aliases_deleted.len(),
            self.versions_deleted.len(),
            if self.restored {
                ", $LATEST restored"
            } else {
                ""
            }
        )
    }
}

/// A finished run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    /// The results; `None` for a dry run.
    pub result: Option<RunResult>,
    /// The original tool's output object; `None` for a dry run.
    pub output: Option<OriginalOutput>,
    /// `$LATEST` before the run.
    pub original: FunctionConfig,
    /// Invocations made, retries included.
    pub invocations: u32,
    /// Cost of every invocation made, failed ones included.
    pub tuning_cost: f64,
    /// Warnings raised on the way.
    pub warnings: Vec<String>,
    /// What cleanup did.
    pub cleanup: CleanupReport,
    /// The memory applied by `autoOptimize`.
    pub optimized: Option<MemoryMb>,
    /// Time from the first request to the end of cleanup (and optimization), in ms.
    pub elapsed_ms: f64,
}

/// A run that stopped, after cleaning up.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{error}")]
pub struct RunFailure {
    /// Why.
    pub error: RunError,
    /// What was measured before it stopped.
    pub partial: Option<RunResult>,
    /// What cleanup did.
    pub cleanup: CleanupReport,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleanups_of_several_journals_add_up() {
        let mut all = CleanupReport::default();
        all.merge(CleanupReport {
            aliases_deleted: vec!["RAM128".into()],
            versions_deleted: vec!["3".into()],
            functions_deleted: Vec::new(),
            restored: true,
            errors: Vec::new(),
        });
        all.merge(CleanupReport {
            aliases_deleted: vec!["RAM256".into()],
            versions_deleted: vec!["4".into()],
            functions_deleted: vec!["f-pt-arm64-1".into()],
            restored: false,
            errors: vec!["version 5: throttled".into()],
        });
        assert_eq!(
            all.summary(),
            "removed 2 alias(es) and 2 version(s), 1 function copy, $LATEST restored"
        );
        assert!(!all.is_complete());
    }
}
