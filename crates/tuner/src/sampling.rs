//! Which memory sizes to measure, and how many invocations each still needs: the engine's
//! sampling-policy seam.
//!
//! The engine ([`crate::engine`]) owns everything about *how* to measure: publishing sizes one at
//! a time while earlier ones are invoked, bounded concurrency, retries, cancel, the journal and
//! cleanup. A [`SamplingPolicy`] decides only *what* to measure. The engine asks it at the start
//! and again whenever something finishes (a size published or refused, a batch of invocations
//! done), showing it everything measured so far ([`Progress`]); the policy answers with more
//! [`Request`]s, or none.
//!
//! The engine keeps a policy within bounds whatever it asks: sizes outside the run's
//! `powerValues` are ignored, and no size gets more than [`Progress::max_per_size`] invocations
//! in all (the input's `num`). A size whose invocation failed on every retry takes no further
//! invocations. The run ends when nothing is being published or invoked and the policy asks for
//! nothing more that can run.
//!
//! [`GridPolicy`] is the original tool's schedule: every size, `num` invocations each.
//!
//! # A policy that stops early
//!
//! This one measures the sizes in ascending order, three invocations each, and stops at the first
//! size whose mean billed duration is no better than the previous size's: past that point more
//! memory only costs more.
//!
//! ```
//! use powertune_tuner::sampling::{Decision, Progress, Request, SamplingPolicy};
//!
//! struct StopWhenFlat;
//!
//! impl SamplingPolicy for StopWhenFlat {
//!     fn decide(&mut self, progress: &Progress<'_>) -> Decision {
//!         let mean = |i: usize| {
//!             let s = progress.sizes[i].samples;
//!             s.iter().map(|x| x.billed_ms).sum::<f64>() / s.len().max(1) as f64
//!         };
//!         // The next size to measure is the first one not asked for yet.
//!         let Some(next) = progress.sizes.iter().position(|s| s.requested == 0) else {
//!             return Decision::default();
//!         };
//!         if next > 0 {
//!             if progress.sizes[next - 1].is_busy() {
//!                 return Decision::default(); // wait for the last size's numbers
//!             }
//!             if next > 1 && mean(next - 1) >= mean(next - 2) {
//!                 return Decision::default(); // stop: nothing more is requested
//!             }
//!         }
//!         Decision {
//!             requests: vec![Request { memory: progress.sizes[next].memory, invocations: 3 }],
//!             ..Decision::default()
//!         }
//!     }
//! }
//! ```

use crate::{memory::MemoryMb, pricing::Price, stats::Sample};

mod adaptive;
mod curve;
mod grid;
mod objective;

pub use adaptive::{AdaptiveConfig, AdaptivePolicy, Role, StopReason};
pub use curve::{DurationCurve, Exponential};
pub use grid::GridPolicy;

/// How a run chooses what to measure (the input's `sampling`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SamplingMode {
    /// The original's schedule: every size, `num` invocations each ([`GridPolicy`]).
    #[default]
    Grid,
    /// Screen, model, race ([`AdaptivePolicy`]): `num` is the most any size gets.
    Adaptive,
}

impl SamplingMode {
    /// The name the input uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Grid => "grid",
            Self::Adaptive => "adaptive",
        }
    }
}

impl std::str::FromStr for SamplingMode {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "grid" => Ok(Self::Grid),
            "adaptive" => Ok(Self::Adaptive),
            _ => Err(()),
        }
    }
}

/// Where a size stands in the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeStatus {
    /// Not asked for by the policy yet.
    Untouched,
    /// Waiting for, or being, published.
    Publishing,
    /// Published and invocable (invocations may be running).
    Measured,
    /// Lambda refused this size (for example above the account's memory quota).
    Refused,
    /// An invocation failed on every retry; the size takes no more invocations.
    Failed,
}

/// What the policy sees of one size.
#[derive(Debug, Clone, Copy)]
pub struct SizeView<'a> {
    /// The size.
    pub memory: MemoryMb,
    /// Where it stands.
    pub status: SizeStatus,
    /// Successful invocations so far, in the order they finished.
    pub samples: &'a [Sample],
    /// Invocations requested so far (after the engine's cap), finished or not.
    pub requested: u32,
    /// Invocations started and not finished yet.
    pub in_flight: u32,
}

impl SizeView<'_> {
    /// Whether the size still has work under way or queued: being published, or invocations
    /// requested that have not finished. A policy waiting for a size's numbers waits for this to
    /// turn false.
    pub fn is_busy(&self) -> bool {
        match self.status {
            SizeStatus::Publishing => true,
            SizeStatus::Measured => {
                self.in_flight > 0 || (self.samples.len() as u32) < self.requested
            }
            SizeStatus::Untouched | SizeStatus::Refused | SizeStatus::Failed => false,
        }
    }
}

/// Everything measured so far, as the policy sees it.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// Every size of the run's `powerValues`, ascending.
    pub sizes: &'a [SizeView<'a>],
    /// The most invocations any one size may get (the input's `num`; 1 in a dry run).
    pub max_per_size: u32,
    /// The function's prices (region and architecture).
    pub price: Price,
    /// The function's ephemeral storage in MB, priced above 512.
    pub ephemeral_mb: u32,
}

/// Invocations wanted of one size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    /// The size; published first if it is not yet.
    pub memory: MemoryMb,
    /// More invocations wanted, on top of those requested before; 0 publishes the size ahead of
    /// time (so that it is ready when the policy wants it).
    pub invocations: u32,
}

/// A policy's answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decision {
    /// What to add; sizes new to the run are published in this order.
    pub requests: Vec<Request>,
    /// A promise that no size beyond those requested so far will be requested: the engine
    /// restores `$LATEST` as soon as the last one is published, instead of at the end.
    pub no_more_sizes: bool,
    /// What the policy decided about sizes and why, for progress (the engine reports each as
    /// an [`crate::engine::Event::Sampling`]).
    pub notes: Vec<SizeNote>,
}

/// A size's role in an adaptive run changed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SizeNote {
    /// The size.
    pub memory: MemoryMb,
    /// Its role now.
    pub role: Role,
    /// Why, in words ("its 95 % interval lies above 1024 MB's by more than the 2 % tolerance").
    pub why: String,
}

/// Decides what the engine measures; see the module documentation.
pub trait SamplingPolicy {
    /// The next requests, given what is measured so far.
    fn decide(&mut self, progress: &Progress<'_>) -> Decision;
}
