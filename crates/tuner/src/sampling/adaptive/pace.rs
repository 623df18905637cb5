//! The race's clock: an adaptive run aims to end in a share of the grid's time.
//!
//! A size's invocations run one after another (unless the input asks for parallel ones), so the
//! grid's run lasts about `num` calls of its slowest size, usually the smallest. When that size is
//! also the cheapest, a race that gives it `num` calls lasts as long as the grid, however few sizes
//! it measures. So the race gives a size more calls only while they would end within
//! [`AdaptiveConfig::time_share`] of that time. Only the sizes the result rests on, the leader and
//! the size it would recommend, get [`AdaptiveConfig::min_race_calls`] (a trimmed mean worth the
//! name) whatever the time: a size that joins late, say next to a new leader, could otherwise run
//! its first five calls past the deadline (a small size's, as slow as the grid's longest). A run
//! whose calls are short next to its configuration updates (about a second each, one per size of
//! the grid) is not held to it: there the calls are not what the user waits for.
//!
//! The policy sees no clock; it estimates time from the durations it has measured, so it decides
//! alike against Lambda, in the demo account (whose time is scaled) and on `lambda-emulator` at
//! `--time-scale 0`. Each size's calls run back to back from when it began (the ladder's at the
//! start, a size that joins the race when it joins), so the run has lasted at least until the
//! latest end of any size's finished calls. A size's next calls start then, not where its own
//! last ones ended: it may have waited (for a late screen, or for a size a round behind), and
//! the wait is time spent. (The estimate leaves out the configuration updates, so the cap is on
//! the lenient side.)

use super::AdaptiveConfig;
use crate::sampling::{Progress, SizeView};

/// About how long Lambda takes to apply a configuration update, which the grid needs once per
/// size: calls shorter than that in total are not the run's critical path.
const UPDATE_MS: f64 = 1000.0;

/// When each racing size's chain of calls began, in the run's estimated time.
#[derive(Debug, Clone)]
pub(super) struct Pace {
    /// [`AdaptiveConfig::time_share`].
    time_share: f64,
    /// [`AdaptiveConfig::min_race_calls`].
    min_race_calls: u32,
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

/// The race's time at one decision: the run's estimated time so far and its deadline.
#[derive(Debug, Clone, Copy)]
pub(super) struct Budget {
    now_ms: f64,
    deadline_ms: f64,
    /// The sizes owed [`AdaptiveConfig::min_race_calls`] whatever the time: the leader and the
    /// result's pick.
    owed: [Option<usize>; 2],
}

impl Budget {
    /// Whether `calls` calls of a size as fast as `like` (a measured size next to it) would end
    /// within the race's time, starting now: for a size that has none of its own yet.
    pub fn fits_like(&self, progress: &Progress<'_>, like: usize, calls: u32) -> bool {
        mean_duration(&progress.sizes[like])
            .is_none_or(|mean| self.now_ms + f64::from(calls) * mean <= self.deadline_ms)
    }
}

impl Pace {
    pub fn new(config: &AdaptiveConfig) -> Self {
        Self {
            time_share: config.time_share,
            min_race_calls: config.min_race_calls,
            started_ms: Vec::new(),
            held: Vec::new(),
        }
    }

    /// Notes when the sizes in `racing` began racing: now (the `budget`'s) for a size new to
    /// the race, less the calls it had before, which began earlier. (Its calls then end now, so
    /// the run's time stays the budget's.)
    pub fn note_racing(&mut self, progress: &Progress<'_>, racing: &[usize], budget: Budget) {
        self.started_ms.resize(progress.sizes.len(), None);
        self.held.resize(progress.sizes.len(), false);
        for &i in racing {
            let start = &mut self.started_ms[i];
            if start.is_none() {
                *start = Some((budget.now_ms - chain_ms(&progress.sizes[i])).max(0.0));
            }
        }
    }

    /// The time so far and the deadline, once per decision; `owed` are the sizes the result rests
    /// on (the leader, the size it would recommend), which get [`AdaptiveConfig::min_race_calls`]
    /// in any case.
    pub fn budget(&self, progress: &Progress<'_>, owed: [Option<usize>; 2]) -> Budget {
        Budget {
            now_ms: self.elapsed_ms(progress),
            deadline_ms: self.deadline_ms(progress),
            owed,
        }
    }

    /// Whether size `i` (idle) may get `calls` more invocations: it is owed them (fewer than
    /// [`AdaptiveConfig::min_race_calls`], and the result rests on it), it has never been measured,
    /// or they would end by the deadline, starting now (no earlier than its own last calls ended,
    /// as now is the latest end of any size's).
    pub fn allows(&self, progress: &Progress<'_>, i: usize, calls: u32, budget: Budget) -> bool {
        let size = &progress.sizes[i];
        if budget.owed.contains(&Some(i))
            && size.requested < self.min_race_calls.min(progress.max_per_size)
        {
            return true;
        }
        let Some(mean) = mean_duration(size) else {
            return true;
        };
        budget.now_ms + f64::from(calls) * mean <= budget.deadline_ms
    }

    /// Whether the race's time has held any size back: the race is near its end, and no size
    /// should join it (the estimate of the run's time leaves waits and updates out, so a join's
    /// own estimate is not to be trusted then).
    pub fn any_held(&self) -> bool {
        self.held.iter().any(|&h| h)
    }

    /// Why size `i` gets no more calls, the first time the race's time holds it back.
    pub fn newly_held(
        &mut self,
        progress: &Progress<'_>,
        i: usize,
        calls: u32,
        budget: Budget,
    ) -> Option<String> {
        if self.allows(progress, i, calls, budget) || self.held.get(i).copied().unwrap_or(true) {
            return None;
        }
        self.held[i] = true;
        Some(format!(
            "held at {} calls: more would end after {:.0} % of the grid's time",
            progress.sizes[i].requested,
            self.time_share * 100.0
        ))
    }

    /// [`AdaptiveConfig::time_share`] of the grid's call time (`num` calls of the slowest size
    /// measured), or no limit when the grid's configuration updates take longer.
    fn deadline_ms(&self, progress: &Progress<'_>) -> f64 {
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
            self.time_share * calls
        }
    }

    /// When size `i`'s finished calls ended: its chain from when it began (the ladder's at 0).
    fn end_ms(&self, progress: &Progress<'_>, i: usize) -> f64 {
        let start = self.started_ms.get(i).copied().flatten().unwrap_or(0.0);
        start + chain_ms(&progress.sizes[i])
    }

    /// The run's time so far, at least: the latest end of any size's chain of calls. (A size
    /// that waited, for a slower one or a late screen, starts its next calls now, not when its
    /// last ones ended.)
    fn elapsed_ms(&self, progress: &Progress<'_>) -> f64 {
        (0..progress.sizes.len())
            .map(|i| self.end_ms(progress, i))
            .fold(0.0, f64::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        fixtures::{size_view, warm_sample},
        pricing::{Architecture, Price},
    };

    #[test]
    fn only_the_sizes_the_result_rests_on_get_their_five_calls_past_the_deadline() {
        // 128 MB takes a minute a call: the grid's time is ten of them, the deadline five. With
        // four calls done (the run's time so far), two more would end at six minutes.
        let (slow, fast) = (
            vec![warm_sample(60_000.0, 60_000.0); 4],
            vec![warm_sample(8_000.0, 8_000.0); 5],
        );
        let sizes = [size_view(128, &slow, false), size_view(1024, &fast, false)];
        let progress = Progress {
            sizes: &sizes,
            max_per_size: 10,
            price: Price::for_function("us-east-1", Architecture::X86_64),
            ephemeral_mb: 512,
        };
        let pace = Pace::new(&AdaptiveConfig::default());
        let neighbour = pace.budget(&progress, [Some(1), None]);
        assert!(
            !pace.allows(&progress, 0, 2, neighbour),
            "a size the result does not rest on gets no calls past the deadline"
        );
        let leader = pace.budget(&progress, [Some(0), None]);
        assert!(
            pace.allows(&progress, 0, 2, leader),
            "the leader gets its five"
        );
        let pick = pace.budget(&progress, [Some(1), Some(0)]);
        assert!(
            pace.allows(&progress, 0, 2, pick),
            "so does the result's pick"
        );
        assert!(
            pace.allows(&progress, 0, 1, neighbour),
            "one more call ends at the deadline, within it"
        );
    }
}
