//! What a run reports as it goes: its phases and progress events.

use std::{fmt, time::Duration};

use crate::{
    alias::TuningAlias, failure::SizeFailure, memory::MemoryMb, pricing::Price, sampling::SizeNote,
};

/// Phases of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Phase {
    /// Reading the function's configuration.
    Initializing,
    /// Publishing versions and invoking them.
    Tuning,
    /// Deleting aliases and versions, restoring `$LATEST`.
    CleaningUp,
    /// Computing the result.
    Analyzing,
    /// Applying the optimum.
    Optimizing,
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Initializing => "initializing",
            Self::Tuning => "tuning",
            Self::CleaningUp => "cleaning up",
            Self::Analyzing => "analyzing",
            Self::Optimizing => "optimizing",
        })
    }
}

/// Progress, as it happens.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum Event {
    /// A new phase began.
    Phase(Phase),
    /// The function's configuration before the run.
    Initialized {
        /// `$LATEST` memory.
        memory: MemoryMb,
        /// Sizes to test.
        sizes: Vec<MemoryMb>,
        /// Invocations per size.
        invocations_per_size: u32,
        /// The prices of this function (region and architecture), for a running cost.
        price: Price,
        /// Its ephemeral storage in MB, priced above 512.
        ephemeral_mb: u32,
    },
    /// Publishing a version for an alias began.
    Publishing {
        /// Size.
        memory: MemoryMb,
        /// Alias.
        alias: TuningAlias,
    },
    /// An alias points at its new version.
    Published {
        /// Size.
        memory: MemoryMb,
        /// Alias.
        alias: TuningAlias,
        /// Version.
        version: String,
    },
    /// A size's invocations began.
    SizeStarted {
        /// Size.
        memory: MemoryMb,
    },
    /// An invocation finished (successfully or after its last retry).
    Invoked {
        /// Size.
        memory: MemoryMb,
        /// Invocations finished for this size.
        done: u32,
        /// Invocations requested of this size so far.
        total: u32,
        /// Billed ms of this invocation.
        billed_ms: f64,
    },
    /// An invocation failed and is tried again.
    Retrying {
        /// Size.
        memory: MemoryMb,
        /// Retry number (1 = first retry).
        attempt: u32,
        /// Why it failed.
        error: SizeFailure,
    },
    /// Lambda throttled a request; waiting before trying again.
    Throttled {
        /// Wait before the next try.
        delay: Duration,
    },
    /// An invocation failed on its last try (after its retries, each an [`Event::Retrying`]):
    /// with [`Event::Invoked`] and [`Event::Retrying`], every invocation the run makes is one
    /// event, so progress counts what the result's summary counts.
    InvocationFailed {
        /// Size.
        memory: MemoryMb,
        /// Why it failed.
        error: SizeFailure,
    },
    /// A size is done.
    SizeFinished {
        /// Size.
        memory: MemoryMb,
        /// Its error, if it failed.
        error: Option<SizeFailure>,
    },
    /// The sampling policy changed a size's role (adaptive sampling: screened, racing,
    /// dropped, or not measured), and why.
    Sampling(SizeNote),
    /// Something worth knowing that does not stop the run.
    Warning(String),
    /// Cleanup removed an alias and its version.
    Removed {
        /// Alias.
        alias: TuningAlias,
    },
    /// `$LATEST` is back at its original configuration.
    Restored {
        /// Memory restored.
        memory: u32,
    },
    /// The optimum was applied.
    Optimized {
        /// Memory applied.
        memory: MemoryMb,
        /// Alias updated, if any.
        alias: Option<String>,
    },
}
