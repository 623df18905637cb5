//! Adaptive sampling: about the grid's answer for a fraction of its invocations.
//!
//! 1. **Screen** a geometric ladder of sizes (the smallest, the largest and three between,
//!    evenly spaced in log memory, and the size nearest one full vCPU, 1,769 MB, when the range
//!    spans it) with [`SCREEN_CALLS`] invocations each. When fewer than three sizes survive it
//!    (the small ones ran out of memory), screen a second ladder over the sizes above the
//!    largest that failed.
//! 2. **Model** duration against memory with [`DurationCurve`] (Parrotfish, SoCC 2023) and
//!    predict the strategy's objective at every size; **shortlist** the sizes predicted within
//!    [`SHORTLIST_MARGIN`] of the best (the [`SHORTLIST_MAX`] most promising of them), and the
//!    best's neighbours.
//!    The race starts once every ladder size but the slowest has its screen; the slowest is
//!    judged against the shortlist's margin when its numbers come.
//! 3. **Race** the shortlist: [`ROUND_CALLS`] more invocations per survivor as soon as its last
//!    ones finish, no size more than a round ahead of the least measured (so drift over time
//!    hits the sizes about alike, and the slowest size, the run's critical path, never waits);
//!    whenever calls finish, **drop** a size whose 95 % interval of the objective lies wholly
//!    above the best's by more than the tolerance (the interval of [`crate::confidence`], the
//!    trimmed mean's, so the drop test judges the number the result shows). The size the result
//!    would recommend so far always races. When the leader sits at the shortlist's edge, its untried
//!    neighbour joins the race.
//! 4. **Stop** when one size is left; when every survivor, after [`MIN_RACE_CALLS`] invocations,
//!    is within the tolerance of the leader (they are equally good as far as the user counts a
//!    difference, and the result says they are within noise); when every survivor has had
//!    `num` invocations; or when no survivor's next calls would end within [`pace::TIME_SHARE`] of
//!    the grid's time (see [`pace`]: the slowest size is the run's critical path).
//!
//! The objective is the strategy's ([`super::objective`]).

mod pace;

pub use pace::TIME_SHARE;
mod screening;

use super::{
    Decision, Progress, Request, SamplingPolicy, SizeNote,
    objective::{Objective, Yardstick, usable},
};
use crate::{
    confidence::Interval,
    strategy::{Strategy, clamp_weight},
};

/// Invocations of each ladder size (and of a size that joins the race).
pub const SCREEN_CALLS: u32 = 3;
/// Sizes on the screening ladder.
pub const LADDER: usize = 5;
/// Invocations added to each survivor per racing round.
pub const ROUND_CALLS: u32 = 2;
/// How far above the best predicted objective a size may be and still be raced.
pub const SHORTLIST_MARGIN: f64 = 0.15;
/// The most sizes the race starts with (the best's neighbours may join, and the leader's later).
pub const SHORTLIST_MAX: usize = 6;
/// Invocations each survivor has before the race may end with the survivors equal.
pub const MIN_RACE_CALLS: u32 = 5;

/// Where a size stands in the adaptive run, for progress and results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Not measured.
    Unmeasured,
    /// Measured on the ladder, not shortlisted.
    Screened,
    /// In the race.
    Racing,
    /// Dropped from the race: its interval lies above the leader's.
    Dropped,
}

impl Role {
    /// The role in a word or two, for progress.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unmeasured => "not measured",
            Self::Screened => "screened",
            Self::Racing => "racing",
            Self::Dropped => "dropped",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Start,
    Screening,
    Racing,
    Done,
}

/// The adaptive policy; see the module documentation.
#[derive(Debug, Clone)]
pub struct AdaptivePolicy {
    strategy: Strategy,
    balanced_weight: f64,
    tolerance: f64,
    discard: f64,
    phase: Phase,
    roles: Vec<Role>,
    /// Ladder sizes still being screened when the race began (the slowest), judged when their
    /// numbers come.
    pending: Vec<usize>,
    /// Role changes since the last decision, for the engine to report.
    notes: Vec<SizeNote>,
    /// When the racing sizes began, for the race's time.
    pace: pace::Pace,
    /// Why the run stopped, once it has.
    stop: Option<StopReason>,
}

/// Why an adaptive run stopped measuring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// One size was left in the race.
    Separated,
    /// The survivors are equal within the tolerance.
    WithinTolerance,
    /// Every survivor had `num` invocations.
    BudgetSpent,
    /// No survivor's next calls would end within the race's share of the grid's time.
    TimeSpent,
}

impl AdaptivePolicy {
    /// A policy for `strategy` (with `balanced_weight`), treating sizes within `tolerance`
    /// (relative) as equally good, judging trimmed means that drop `discard` at each end.
    pub fn new(strategy: Strategy, balanced_weight: f64, tolerance: f64, discard: f64) -> Self {
        Self {
            strategy,
            balanced_weight: clamp_weight(balanced_weight),
            tolerance: tolerance.max(0.0),
            discard,
            phase: Phase::Start,
            roles: Vec::new(),
            pending: Vec::new(),
            notes: Vec::new(),
            pace: pace::Pace::default(),
            stop: None,
        }
    }

    fn yardstick(&self) -> Yardstick {
        Yardstick {
            strategy: self.strategy,
            balanced_weight: self.balanced_weight,
            discard: self.discard,
        }
    }

    /// Each size's role so far, in `powerValues` order.
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// Why measuring stopped, once it has.
    pub fn stop_reason(&self) -> Option<StopReason> {
        self.stop
    }

    /// Gives size `i` its `role`, noting why for progress.
    fn set_role(&mut self, progress: &Progress<'_>, i: usize, role: Role, why: String) {
        self.roles[i] = role;
        self.notes.push(SizeNote {
            memory: progress.sizes[i].memory,
            role,
            why,
        });
    }

    fn race(&mut self, progress: &Progress<'_>) -> Decision {
        for (i, size) in progress.sizes.iter().enumerate() {
            if self.roles[i] == Role::Racing && !usable(size) {
                self.set_role(progress, i, Role::Dropped, "it failed".into());
            }
        }
        let objectives = self.yardstick().measured(progress);
        self.judge_late_screens(progress, &objectives);
        let racing: Vec<usize> = (0..self.roles.len())
            .filter(|&i| self.roles[i] == Role::Racing)
            .collect();
        // The leader among the racing sizes measured so far; none yet when the shortlist is
        // all predictions, which are then measured first.
        let leader = racing
            .iter()
            .copied()
            .filter_map(|i| objectives[i].map(|o| (i, o)))
            .min_by(|a, b| a.1.point.total_cmp(&b.1.point));
        if let Some(leader) = leader {
            self.drop_and_widen(progress, &racing, &objectives, leader);
        }
        self.race_the_recommendation(progress);
        let racing: Vec<usize> = (0..self.roles.len())
            .filter(|&i| self.roles[i] == Role::Racing)
            .collect();
        let measured_racing: Vec<Interval> = racing
            .iter()
            .filter_map(|&i| objectives[i].and_then(|o| o.interval))
            .collect();
        let all_measured = measured_racing.len() == racing.len();
        // A screen still running may hold the best size: no verdict before its numbers.
        let screens_done = self.pending.is_empty();
        if racing.len() == 1 && all_measured && screens_done {
            return self.finish(StopReason::Separated);
        }
        // Every survivor is within the tolerance of the leader and none is separated from it:
        // the differences left are smaller than what the user counts as a difference.
        let settled = leader.is_some_and(|leader| {
            racing.iter().all(|&i| {
                progress.sizes[i].samples.len() as u32 >= MIN_RACE_CALLS.min(progress.max_per_size)
                    && objectives[i]
                        .is_some_and(|o| o.point <= leader.1.point * (1.0 + self.tolerance))
            })
        });
        if all_measured && settled {
            if screens_done {
                return self.finish(StopReason::WithinTolerance);
            }
            return Decision::default();
        }
        // No round barrier: a size gets its next calls as soon as its last ones finish, so the
        // slowest size (on the run's critical path) never waits for another; a faster one waits
        // only when it is a round ahead of the least measured.
        let behind = racing
            .iter()
            .map(|&i| progress.sizes[i].requested)
            .min()
            .unwrap_or(0);
        self.pace.note_racing(progress, &racing);
        for &i in &racing {
            let size = &progress.sizes[i];
            if !size.is_busy()
                && size.requested < progress.max_per_size
                && let Some(why) = self.pace.newly_held(progress, i, ROUND_CALLS)
            {
                self.set_role(progress, i, Role::Racing, why);
            }
        }
        let mut requests: Vec<Request> = racing
            .iter()
            .filter(|&&i| !progress.sizes[i].is_busy())
            .filter(|&&i| progress.sizes[i].requested < behind + ROUND_CALLS)
            .filter(|&&i| self.pace.allows(progress, i, ROUND_CALLS))
            .filter_map(|&i| {
                let size = &progress.sizes[i];
                let left = progress.max_per_size.saturating_sub(size.requested);
                let wanted = if size.requested == 0 {
                    SCREEN_CALLS
                } else {
                    ROUND_CALLS
                };
                (left > 0).then(|| Request {
                    memory: size.memory,
                    invocations: wanted.min(left),
                })
            })
            .collect();
        // The late screens left pending are exactly those still running.
        let busy = !screens_done || racing.iter().any(|&i| progress.sizes[i].is_busy());
        if requests.is_empty() && !busy {
            let spent = racing
                .iter()
                .all(|&i| progress.sizes[i].requested >= progress.max_per_size);
            return self.finish(if spent {
                StopReason::BudgetSpent
            } else {
                StopReason::TimeSpent
            });
        }
        requests.extend(self.yardsticks_firmed_up(progress));
        Decision {
            requests,
            ..Decision::default()
        }
    }

    /// Balanced scores divide by the largest measured cost and duration; the sizes holding them
    /// (usually the ladder's ends) get [`MIN_RACE_CALLS`] too, so the noise of three calls does
    /// not tilt every score.
    fn yardsticks_firmed_up(&self, progress: &Progress<'_>) -> Vec<Request> {
        if self.strategy != Strategy::Balanced {
            return Vec::new();
        }
        let objectives = self.yardstick().figures(progress);
        let largest = |pick: fn(&(Objective, Objective)) -> f64| {
            objectives
                .iter()
                .enumerate()
                .filter_map(|(i, o)| o.as_ref().map(|o| (i, pick(o))))
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(i, _)| i)
        };
        let mut out = Vec::new();
        for i in [largest(|f| f.0.point), largest(|f| f.1.point)]
            .into_iter()
            .flatten()
        {
            let size = &progress.sizes[i];
            let wanted = MIN_RACE_CALLS
                .min(progress.max_per_size)
                .saturating_sub(size.requested);
            if wanted > 0
                && self.roles[i] != Role::Racing
                && !out.iter().any(|r: &Request| r.memory == size.memory)
            {
                out.push(Request {
                    memory: size.memory,
                    invocations: wanted,
                });
            }
        }
        out
    }

    /// Drops what is worse than the leader beyond doubt and beyond the tolerance, and brings
    /// the leader's neighbours into the race when it sits at the shortlist's edge.
    fn drop_and_widen(
        &mut self,
        progress: &Progress<'_>,
        racing: &[usize],
        objectives: &[Option<Objective>],
        leader: (usize, Objective),
    ) {
        let leader_memory = progress.sizes[leader.0].memory;
        if let Some(top) = leader.1.interval {
            let reach = top.high * (1.0 + self.tolerance);
            for &i in racing {
                if objectives[i]
                    .and_then(|o| o.interval)
                    .is_some_and(|iv| iv.low > reach)
                {
                    let why = format!(
                        "its 95 % interval lies above {leader_memory}'s by more than the {:.0} % tolerance",
                        self.tolerance * 100.0
                    );
                    self.set_role(progress, i, Role::Dropped, why);
                }
            }
        }
        // A leader at the shortlist's edge: its neighbour joins, whether never measured or
        // screened out on the model's word.
        for neighbour in [leader.0.wrapping_sub(1), leader.0 + 1] {
            if let Some(size) = progress.sizes.get(neighbour)
                && usable(size)
                && matches!(self.roles[neighbour], Role::Unmeasured | Role::Screened)
            {
                let why = format!("next to the leader, {leader_memory}");
                self.set_role(progress, neighbour, Role::Racing, why);
            }
        }
    }

    /// The size the result would recommend on its numbers so far joins the race when it is
    /// out of it (screened out on a few lucky calls, or dropped before the leader's numbers
    /// rose): a recommendation should rest on a raced size, not on a screen.
    fn race_the_recommendation(&mut self, progress: &Progress<'_>) {
        let Some(pick) = self.yardstick().recommended(progress) else {
            return;
        };
        let size = &progress.sizes[pick];
        if self.roles[pick] != Role::Racing && size.requested < progress.max_per_size {
            let why = format!(
                "the result would recommend it on its {} calls",
                size.samples.len()
            );
            self.set_role(progress, pick, Role::Racing, why);
        }
    }

    fn finish(&mut self, reason: StopReason) -> Decision {
        self.phase = Phase::Done;
        self.stop = Some(reason);
        Decision {
            no_more_sizes: true,
            ..Decision::default()
        }
    }
}

impl SamplingPolicy for AdaptivePolicy {
    fn decide(&mut self, progress: &Progress<'_>) -> Decision {
        let mut decision = self.next(progress);
        decision.notes = std::mem::take(&mut self.notes);
        decision
    }
}

impl AdaptivePolicy {
    fn next(&mut self, progress: &Progress<'_>) -> Decision {
        match self.phase {
            Phase::Start => {
                self.roles = vec![Role::Unmeasured; progress.sizes.len()];
                let all: Vec<usize> = (0..progress.sizes.len()).collect();
                let ladder = Self::ladder(progress.sizes, &all);
                self.phase = Phase::Screening;
                self.screen(progress, &ladder, "on the screening ladder")
            }
            Phase::Screening => {
                // The race starts when every ladder size but the slowest has its screen: the
                // slowest (usually the smallest) would otherwise hold every other size idle for
                // as long as its own calls take, and it is judged when its numbers come.
                let busy: Vec<usize> = (0..progress.sizes.len())
                    .filter(|&i| progress.sizes[i].is_busy())
                    .collect();
                if busy.len() > 1 || (!busy.is_empty() && !Self::curve_can_fit(progress)) {
                    return Decision::default();
                }
                if busy.is_empty()
                    && let Some(more) = self.rescreen(progress)
                {
                    return more;
                }
                self.pending = busy;
                self.shortlist(progress);
                self.phase = Phase::Racing;
                self.race(progress)
            }
            Phase::Racing => self.race(progress),
            Phase::Done => Decision::default(),
        }
    }
}
