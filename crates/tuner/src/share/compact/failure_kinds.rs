//! Each failed size's [`FailureKind`] as a `pt4` link carries it: postcard needs an externally
//! tagged enum, and the link keeps its own, so that the domain's type can change without
//! breaking links.

use serde::{Deserialize, Serialize};

use crate::{failure::FailureKind, result::RunResult};

#[derive(Serialize, Deserialize)]
pub(super) enum WireKind {
    OutOfMemory,
    TimedOut,
    NoAnswer(u64),
    FunctionError(Option<String>),
    PreProcessor,
    PostProcessor,
    NoReport,
    Refused(Option<u32>),
    Unknown,
}

impl From<&FailureKind> for WireKind {
    fn from(kind: &FailureKind) -> Self {
        match kind {
            FailureKind::OutOfMemory => Self::OutOfMemory,
            FailureKind::TimedOut => Self::TimedOut,
            FailureKind::NoAnswer { after_s } => Self::NoAnswer(*after_s),
            FailureKind::FunctionError { error_type } => Self::FunctionError(error_type.clone()),
            FailureKind::PreProcessor => Self::PreProcessor,
            FailureKind::PostProcessor => Self::PostProcessor,
            FailureKind::NoReport => Self::NoReport,
            FailureKind::Refused { quota_mb } => Self::Refused(*quota_mb),
            FailureKind::Unknown => Self::Unknown,
        }
    }
}

impl From<WireKind> for FailureKind {
    fn from(kind: WireKind) -> Self {
        match kind {
            WireKind::OutOfMemory => Self::OutOfMemory,
            WireKind::TimedOut => Self::TimedOut,
            WireKind::NoAnswer(after_s) => Self::NoAnswer { after_s },
            WireKind::FunctionError(error_type) => Self::FunctionError { error_type },
            WireKind::PreProcessor => Self::PreProcessor,
            WireKind::PostProcessor => Self::PostProcessor,
            WireKind::NoReport => Self::NoReport,
            WireKind::Refused(quota_mb) => Self::Refused { quota_mb },
            WireKind::Unknown => Self::Unknown,
        }
    }
}

/// Every size's failure kind, `None` for a size that did not fail.
pub(super) fn of(run: &RunResult) -> Vec<Option<WireKind>> {
    run.sizes
        .iter()
        .map(|s| s.error.as_ref().map(|e| WireKind::from(&e.kind)))
        .collect()
}

/// Gives each failed size of `run` its kind (sizes read from the link's messages come without).
pub(super) fn apply(kinds: Vec<Option<WireKind>>, run: &mut RunResult) {
    for (size, kind) in run.sizes.iter_mut().zip(kinds) {
        if let (Some(error), Some(kind)) = (&mut size.error, kind) {
            error.kind = kind.into();
        }
    }
}
