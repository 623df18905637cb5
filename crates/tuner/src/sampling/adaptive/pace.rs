//! The race's clock: an adaptive run aims to end in a share of the grid's time.
//!
//! A size's invocations run one after another (unless the input asks for parallel ones), so the
//! grid's run lasts about `num` calls of its slowest size, usually the smallest. When that size
//! is also the cheapest, a race that gives it `num` calls lasts as long as the grid, however few
//! sizes it measures. So the race gives a size more calls (beyond [`MIN_RACE_CALLS`], which every
//! survivor gets for a trimmed mean worth judging) only while they would end within
//! [`TIME_SHARE`] of that time. A run whose calls are short next to its configuration updates
//! (about a second each, one per size of the grid) is not held to it: there the calls are not
//! what the user waits for.
//!
//! The policy sees no clock; it estimates time from the durations it has measured, so it decides
//! alike against Lambda, in the demo account (whose time is scaled) and on `lambda-emulator` at
//! `--time-scale 0`. The run has lasted at least as long as its longest chain of one size's
//! calls, and a size that joins the race starts its chain then. (The estimate leaves out the
//! configuration updates and the waits for slower sizes, so the cap is on the lenient side.)

use super::MIN_RACE_CALLS;
use crate::sampling::{Progress, SizeView};

/// The share of the grid's call time an adaptive race may take.
pub const TIME_SHARE: f64 = 0.6;
/// About how long Lambda takes to apply a configuration update, which the grid needs once per
/// size: calls shorter than that in total are not the run's critical path.
const UPDATE_MS: f64 = 1000.0;

/// When each racing size's chain of calls began, in the run's estimated time.
#[derive(Debug, Clone, Default)]
pub(super) struct Pace {
    started_ms: Vec<Option<f64>>,
    /// Sizes already told that the race's time holds them back.
    held: Vec<bool>,
}

fn mean_duration(size: &SizeView<'_>) -> Option<f64> {
    (!size.samples.is_empty()).then(|| chain_ms(size) / size.samples.len() as f64)
}

/// The time one size's finished calls took, end to end.
fn chain_ms(size: &SizeView<'_>) -> f64 {
    size.samples.iter().map(|s| s.duration_ms).sum()
}

impl Pace {
    /// Notes when the sizes in `racing` began racing: now for a size new to the race (less the
    /// calls it had before, which began earlier).
    pub fn note_racing(&mut self, progress: &Progress<'_>, racing: &[usize]) {
        self.started_ms.resize(progress.sizes.len(), None);
        self.held.resize(progress.sizes.len(), false);
        let now = Self::elapsed_ms(progress);
        for &i in racing {
            let start = &mut self.started_ms[i];
            if start.is_none() {
                *start = Some((now - chain_ms(&progress.sizes[i])).max(0.0));
            }
        }
    }

    /// Whether size `i` may get `calls` more invocations: it has fewer than [`MIN_RACE_CALLS`],
    /// or they would end by `deadline_ms` ([`Pace::deadline_ms`], once per decision).
    pub fn allows(&self, progress: &Progress<'_>, i: usize, calls: u32, deadline_ms: f64) -> bool {
        let size = &progress.sizes[i];
        if size.requested < MIN_RACE_CALLS.min(progress.max_per_size) {
            return true;
        }
        let Some(mean) = mean_duration(size) else {
            return true;
        };
        let start = self.started_ms.get(i).copied().flatten().unwrap_or(0.0);
        start + f64::from(size.requested + calls) * mean <= deadline_ms
    }

    /// Why size `i` gets no more calls, the first time the race's time holds it back.
    pub fn newly_held(
        &mut self,
        progress: &Progress<'_>,
        i: usize,
        calls: u32,
        deadline_ms: f64,
    ) -> Option<String> {
        if self.allows(progress, i, calls, deadline_ms) || self.held.get(i).copied().unwrap_or(true)
        {
            return None;
        }
        self.held[i] = true;
        Some(format!(
            "held at {} calls: more would end after {:.0} % of the grid's time",
            progress.sizes[i].requested,
            TIME_SHARE * 100.0
        ))
    }

    /// [`TIME_SHARE`] of the grid's call time (`num` calls of the slowest size measured), or
    /// the grid's configuration updates when those take longer.
    pub fn deadline_ms(progress: &Progress<'_>) -> f64 {
        let slowest = progress
            .sizes
            .iter()
            .filter_map(mean_duration)
            .fold(0.0, f64::max);
        let calls = f64::from(progress.max_per_size) * slowest;
        let updates = UPDATE_MS * progress.sizes.len() as f64;
        if calls <= updates {
            f64::INFINITY
        } else {
            TIME_SHARE * calls
        }
    }

    /// The run's time so far, at least: its longest chain of one size's calls.
    fn elapsed_ms(progress: &Progress<'_>) -> f64 {
        progress.sizes.iter().map(chain_ms).fold(0.0, f64::max)
    }
}
