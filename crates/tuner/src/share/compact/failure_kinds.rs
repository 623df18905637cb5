//! Each failed size's [`crate::failure::FailureKind`] as a `pt4` link carries it ([`CompactKind`]: postcard
//! needs an externally tagged enum).

use crate::{failure::CompactKind, result::RunResult};

/// Every size's failure kind, `None` for a size that did not fail.
pub(super) fn of(run: &RunResult) -> Vec<Option<CompactKind>> {
    run.sizes
        .iter()
        .map(|s| s.error.as_ref().map(|e| CompactKind::from(&e.kind)))
        .collect()
}

/// Gives each failed size of `run` its kind (sizes read from the link's messages come without).
pub(super) fn apply(kinds: Vec<Option<CompactKind>>, run: &mut RunResult) {
    for (size, kind) in run.sizes.iter_mut().zip(kinds) {
        if let (Some(error), Some(kind)) = (&mut size.error, kind) {
            error.kind = kind.into();
        }
    }
}
