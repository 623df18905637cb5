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
//! start, a size that joins the race when it joins); a decision comes when a batch ends, so the
//! run's time is then that batch's end (against Lambda, the latest end of any finished chain;
//! where calls end in the order they were asked for, a slow size's batch reported early does not
//! move the clock to its end). A size's next calls start then, not where its own last ones
//! ended: it may have waited (for a late screen, or for a size a round behind), and the wait is
//! time spent. A size never asked for before starts once it is published: Lambda applies one
//! configuration update at a time, about a second each, so a size waits for those asked before
//! it. The grid's time is counted the same way: it publishes the sizes in order, so its slowest
//! size's calls start after the updates of the sizes before it.

use super::AdaptiveConfig;
use crate::sampling::{Progress, Request, SizeStatus, SizeView};

/// About how long Lambda takes to apply a configuration update, which every size needs once
/// before its first call: the grid's calls shorter than that in total are not the run's
/// critical path.
const UPDATE_MS: f64 = 1000.0;

/// When each racing size's chain of calls began, in the run's estimated time.
#[derive(Debug, Clone)]
pub(super) struct Pace {
    /// [`AdaptiveConfig::time_share`].
    time_share: f64,
    /// [`AdaptiveConfig::min_race_calls`].
    min_race_calls: u32,
    /// When each size's finished calls ended, in the run's estimated time.
    ends_ms: Vec<f64>,
    /// When each size's calls under way were asked for (a decision's time), if any are.
    asked_ms: Vec<Option<f64>>,
    /// Sizes already told that the race's time holds them back.
    held: Vec<bool>,
    /// Each size's finished calls at the last decision, to tell which batch has just ended.
    seen: Vec<usize>,
    /// The run's time at the last decision.
    now_ms: f64,
    /// When the last size asked for is published: sizes are published one at a time, each
    /// before its first call.
    published_ms: f64,
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
            ends_ms: Vec::new(),
            asked_ms: Vec::new(),
            held: Vec::new(),
            seen: Vec::new(),
            now_ms: 0.0,
            published_ms: 0.0,
        }
    }

    /// Moves the run's time to this decision's: when the batch that has just ended did (see
    /// [`Self::elapsed_ms`]). Once per decision, before any other call.
    pub fn observe(&mut self, progress: &Progress<'_>) {
        self.now_ms = self.elapsed_ms(progress);
    }

    /// Notes that `requests` were asked for at this decision's time: their
    /// calls start then, or when the size's calls under way end; a size never asked for before
    /// starts once it is published, after the sizes asked for before it.
    pub fn note_requested(&mut self, progress: &Progress<'_>, requests: &[Request]) {
        self.asked_ms.resize(progress.sizes.len(), None);
        for request in requests {
            if let Some(i) = progress
                .sizes
                .iter()
                .position(|s| s.memory == request.memory)
            {
                let start = if progress.sizes[i].status == SizeStatus::Untouched {
                    self.published_ms = self.published_ms.max(self.now_ms) + UPDATE_MS;
                    self.published_ms
                } else {
                    self.now_ms
                };
                self.asked_ms[i].get_or_insert(start);
            }
        }
    }

    /// The time so far and the deadline, once per decision; `owed` are the sizes the result rests
    /// on (the leader, the size it would recommend), which get [`AdaptiveConfig::min_race_calls`]
    /// in any case.
    pub fn budget(&self, progress: &Progress<'_>, owed: [Option<usize>; 2]) -> Budget {
        Budget {
            now_ms: self.now_ms,
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

    /// [`AdaptiveConfig::time_share`] of the grid's time, or no limit when the grid's
    /// configuration updates take longer than its slowest size's calls. The grid publishes the
    /// sizes in order, one at a time, and each size's `num` calls follow its update: it ends
    /// when the last of them does, usually the slowest size's (the smallest working one, which
    /// waits for the sizes below it). The slowest size is often one whose first calls are still
    /// running (the ladder's smallest, which the race does not wait for): a size reports its
    /// calls when its batch ends, so one still running is judged by how long it has run.
    fn deadline_ms(&self, progress: &Progress<'_>) -> f64 {
        let num = f64::from(progress.max_per_size);
        let call_ms = |i: usize| {
            let measured = mean_duration(&progress.sizes[i]).unwrap_or(0.0);
            measured.max(self.running_call_ms(progress, i))
        };
        let (mut slowest, mut grid) = (0.0_f64, 0.0_f64);
        for i in 0..progress.sizes.len() {
            let call = call_ms(i);
            slowest = slowest.max(call);
            if call > 0.0 {
                grid = grid.max((i + 1) as f64 * UPDATE_MS + num * call);
            }
        }
        let updates = UPDATE_MS * progress.sizes.len() as f64;
        if num * slowest <= updates {
            f64::INFINITY
        } else {
            self.time_share * grid
        }
    }

    /// The least a call of size `i` takes, from its batch under way: its calls run one after
    /// another (or side by side, each then longer still), so a batch of `n` calls that has run
    /// for `t` without ending takes more than `t / n` a call. Zero for a size with none under
    /// way.
    fn running_call_ms(&self, progress: &Progress<'_>, i: usize) -> f64 {
        let size = &progress.sizes[i];
        let pending = size.requested.saturating_sub(size.samples.len() as u32);
        if pending == 0 || !size.is_busy() {
            return 0.0;
        }
        (self.now_ms - self.batch_start_ms(i)).max(0.0) / f64::from(pending)
    }

    /// When size `i`'s batch under way (or just ended) began: when it was asked for, or when the
    /// size's earlier calls ended if they ended later (the ladder's batches, asked for at the
    /// start, begin at zero).
    fn batch_start_ms(&self, i: usize) -> f64 {
        let ended = self.ends_ms.get(i).copied().unwrap_or(0.0);
        self.asked_ms
            .get(i)
            .copied()
            .flatten()
            .map_or(ended, |asked| asked.max(ended))
    }

    /// The run's time at this decision: when the batch that has just ended did (the latest end
    /// among the sizes with new calls since the last decision; the last decision's time when
    /// none has). A batch starts when it was asked for, or when the size's earlier calls
    /// ended (the ladder's at the start), and its calls run back to back. Decisions come as
    /// batches end, so against Lambda this is the latest end of any finished batch. Where calls
    /// end in the order they were asked for instead (`lambda-emulator --time-scale 0`), a slow
    /// size's batch can be reported before a fast size's that really ended earlier; the clock
    /// does not jump to the slow batch's end then, which would stop a race that real time lets
    /// run beside it.
    fn elapsed_ms(&mut self, progress: &Progress<'_>) -> f64 {
        let n = progress.sizes.len();
        self.seen.resize(n, 0);
        self.ends_ms.resize(n, 0.0);
        self.asked_ms.resize(n, None);
        self.held.resize(n, false);
        let mut ended = None::<f64>;
        for i in 0..n {
            let samples = progress.sizes[i].samples;
            if samples.len() > self.seen[i] {
                let start = self.batch_start_ms(i);
                self.asked_ms[i] = None;
                let batch: f64 = samples[self.seen[i]..].iter().map(|s| s.duration_ms).sum();
                self.ends_ms[i] = start + batch;
                self.seen[i] = samples.len();
                ended = Some(ended.map_or(self.ends_ms[i], |e| e.max(self.ends_ms[i])));
            }
        }
        ended.unwrap_or(self.now_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{progress as at, size_view, warm_sample};

    #[test]
    fn only_the_sizes_the_result_rests_on_get_their_five_calls_past_the_deadline() {
        // 128 MB takes a minute a call: the grid's time is ten of them, the deadline five. With
        // four calls done (the run's time so far), two more would end at six minutes.
        let (slow, fast) = (
            vec![warm_sample(60_000.0, 60_000.0); 4],
            vec![warm_sample(8_000.0, 8_000.0); 5],
        );
        let sizes = [size_view(128, &slow, false), size_view(1024, &fast, false)];
        let progress = at(&sizes);
        let mut pace = Pace::new(&AdaptiveConfig::default());
        pace.observe(&progress);
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

    #[test]
    fn a_slow_screen_still_running_sets_the_grids_time() {
        // 128 MB's three screening calls of a minute each are still running when 1024 MB's
        // second round (5 calls of 8 s, 40 s) is reported, at 40 s. Counting only the sizes
        // with finished calls, the grid's time would be ten calls of 8 s, and the race's up at
        // 40 s; 128 MB has run 40 s for three calls, so a call of it takes over 13 s: the
        // deadline is at least 67 s, and two more calls of 1024 MB (ending at 56 s) fit.
        let fast = vec![warm_sample(8_000.0, 8_000.0); 5];
        let mut screening = size_view(128, &[], false);
        screening.status = SizeStatus::Measured;
        screening.requested = 3;
        screening.in_flight = 1;
        let sizes = [screening, size_view(1024, &fast, false)];
        let progress = at(&sizes);
        let mut pace = Pace::new(&AdaptiveConfig::default());
        pace.observe(&progress);
        let budget = pace.budget(&progress, [None, None]);
        assert_eq!(budget.now_ms, 40_000.0);
        assert!(
            budget.deadline_ms >= 0.5 * 10.0 * 40_000.0 / 3.0,
            "{budget:?}"
        );
        assert!(pace.allows(&progress, 1, 2, budget));
    }

    #[test]
    fn a_new_sizes_calls_start_once_it_is_published_after_those_asked_before_it() {
        // Two sizes asked for at the start: Lambda applies one configuration update at a time
        // (about a second each), so 1024 MB's calls begin at 2 s, and its three calls of a
        // second end at 5 s, not 3 s.
        let calls = vec![warm_sample(1_000.0, 1_000.0); 3];
        let asked = [size_view(512, &[], false), size_view(1024, &[], false)];
        let mut pace = Pace::new(&AdaptiveConfig::default());
        pace.observe(&at(&asked));
        let screen = |size: &SizeView<'_>| Request {
            memory: size.memory,
            invocations: 3,
        };
        pace.note_requested(&at(&asked), &[screen(&asked[0]), screen(&asked[1])]);
        let mut running = size_view(512, &[], false);
        running.status = SizeStatus::Measured;
        running.requested = 3;
        let reported = [running, size_view(1024, &calls, false)];
        pace.observe(&at(&reported));
        assert_eq!(pace.budget(&at(&reported), [None, None]).now_ms, 5_000.0);
    }

    #[test]
    fn the_grids_time_counts_the_updates_before_its_slowest_size() {
        // 128 and 256 MB ran out of memory; 512 MB, the slowest that works, takes 10 s a call.
        // The grid publishes 128, 256 and 512 MB in turn (a second each) before 512 MB's ten
        // calls: it lasts 103 s, and the race half of that.
        let (slow, fast) = (
            vec![warm_sample(10_000.0, 10_000.0); 3],
            vec![warm_sample(5_000.0, 5_000.0); 3],
        );
        let sizes = [
            size_view(128, &[], true),
            size_view(256, &[], true),
            size_view(512, &slow, false),
            size_view(1024, &fast, false),
        ];
        let mut pace = Pace::new(&AdaptiveConfig::default());
        pace.observe(&at(&sizes));
        assert_eq!(pace.budget(&at(&sizes), [None, None]).deadline_ms, 51_500.0);
    }

    #[test]
    fn a_slow_batch_reported_first_does_not_end_the_race_beside_it() {
        // At --time-scale 0 calls end in the order they were asked for: 128 MB's five calls of
        // a minute (ending at 5 min) are reported before 1024 MB's second round, which really
        // ended at 40 s. The deadline is 5 min (half of ten minute-long calls). At the round's
        // report the run is at 40 s, not 5 min: 1024 MB's next round fits.
        let slow = vec![warm_sample(60_000.0, 60_000.0); 5];
        let (round1, round2) = (
            vec![warm_sample(8_000.0, 8_000.0); 3],
            vec![warm_sample(8_000.0, 8_000.0); 5],
        );
        let mut pace = Pace::new(&AdaptiveConfig::default());
        let first = [
            size_view(128, &slow, false),
            size_view(1024, &round1, false),
        ];
        pace.observe(&at(&first));
        let budget = pace.budget(&at(&first), [None, None]);
        assert!(
            !pace.allows(&at(&first), 1, 2, budget),
            "5 min: the race's time is up"
        );
        let second = [
            size_view(128, &slow, false),
            size_view(1024, &round2, false),
        ];
        pace.observe(&at(&second));
        let budget = pace.budget(&at(&second), [None, None]);
        assert!(
            pace.allows(&at(&second), 1, 2, budget),
            "at 40 s two more calls of 8 s fit"
        );
    }
}
