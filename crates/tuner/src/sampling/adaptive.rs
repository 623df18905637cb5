//! Adaptive sampling: about the grid's answer for a fraction of its invocations.
//!
//! 1. **Screen** a geometric ladder of sizes (the smallest, the largest and three between,
//!    evenly spaced in log memory) with [`SCREEN_CALLS`] invocations each.
//! 2. **Model** duration against memory with [`DurationCurve`] (Parrotfish, SoCC 2023) and
//!    predict the strategy's objective at every size; **shortlist** the sizes predicted within
//!    [`SHORTLIST_MARGIN`] of the best, and the best's neighbours.
//! 3. **Race** the shortlist: [`ROUND_CALLS`] more invocations per survivor per round, round
//!    robin so drift over time hits all sizes alike; after each round, **drop** a size whose
//!    95 % interval of the objective lies wholly above the best's by more than the tolerance
//!    (the interval of [`crate::confidence`], the trimmed mean's, so the drop test judges the
//!    number the result shows). When the leader sits at the shortlist's edge, its untried
//!    neighbour joins the race.
//! 4. **Stop** when one size is left; when every survivor, after [`MIN_RACE_CALLS`] invocations,
//!    is within the tolerance of the leader (they are equally good as far as the user counts a
//!    difference, and the result says they are within noise); or when every survivor has had
//!    `num` invocations.
//!
//! The objective is the strategy's ([`super::objective`]).

use super::{
    Decision, Progress, Request, SamplingPolicy, SizeNote, SizeStatus, SizeView,
    objective::{Yardstick, usable},
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
    /// Role changes since the last decision, for the engine to report.
    notes: Vec<SizeNote>,
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
            notes: Vec::new(),
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

    /// The ladder: indices of sizes nearest to `LADDER` memories evenly spaced in log memory.
    fn ladder(sizes: &[SizeView<'_>]) -> Vec<usize> {
        let n = sizes.len();
        if n <= LADDER {
            return (0..n).collect();
        }
        let (lo, hi) = (
            f64::from(sizes[0].memory.get()),
            f64::from(sizes[n - 1].memory.get()),
        );
        let mut picks: Vec<usize> = (0..LADDER)
            .map(|k| {
                let target = lo * (hi / lo).powf(k as f64 / (LADDER - 1) as f64);
                (0..n)
                    .min_by(|&a, &b| {
                        let d =
                            |i: usize| (f64::from(sizes[i].memory.get()).ln() - target.ln()).abs();
                        d(a).total_cmp(&d(b))
                    })
                    .unwrap_or(0)
            })
            .collect();
        picks.dedup();
        picks
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

    fn shortlist(&mut self, progress: &Progress<'_>) {
        let measured = self.yardstick().measured(progress);
        let predicted = self.yardstick().predicted(progress, &measured);
        let Some(best) = predicted
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.map(|p| (i, p)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
        else {
            return;
        };
        let margin = SHORTLIST_MARGIN.max(self.tolerance);
        let reach = best.1 * (1.0 + margin);
        let best_memory = progress.sizes[best.0].memory;
        for (i, p) in predicted.iter().enumerate() {
            let Some(p) = *p else { continue };
            let near = i + 1 == best.0 || i == best.0 + 1 || i == best.0;
            let worse = (p / best.1 - 1.0) * 100.0;
            let measured = measured[i].is_some();
            let (role, why) = if i == best.0 {
                (Role::Racing, "the best so far".to_owned())
            } else if p <= reach {
                let what = if measured { "measured" } else { "predicted" };
                (
                    Role::Racing,
                    format!("{what} {worse:.0} % from the best, {best_memory}"),
                )
            } else if near {
                (Role::Racing, format!("next to the best, {best_memory}"))
            } else if measured {
                (
                    Role::Screened,
                    format!("{worse:.0} % worse than {best_memory}: out of the race"),
                )
            } else {
                (
                    Role::Unmeasured,
                    format!(
                        "predicted {worse:.0} % worse than {best_memory}, beyond the {:.0} % margin",
                        margin * 100.0
                    ),
                )
            };
            self.set_role(progress, i, role, why);
        }
    }

    fn race(&mut self, progress: &Progress<'_>) -> Decision {
        for (i, size) in progress.sizes.iter().enumerate() {
            if self.roles[i] == Role::Racing && !usable(size) {
                self.set_role(progress, i, Role::Dropped, "it failed".into());
            }
        }
        let racing: Vec<usize> = (0..self.roles.len())
            .filter(|&i| self.roles[i] == Role::Racing)
            .collect();
        if racing.iter().any(|&i| progress.sizes[i].is_busy()) {
            return Decision::default();
        }
        let objectives = self.yardstick().measured(progress);
        let Some(leader) = racing
            .iter()
            .copied()
            .filter_map(|i| objectives[i].map(|o| (i, o)))
            .min_by(|a, b| a.1.point.total_cmp(&b.1.point))
        else {
            return self.finish(StopReason::BudgetSpent);
        };
        // Drop what is worse than the leader beyond doubt and beyond the tolerance.
        let leader_memory = progress.sizes[leader.0].memory;
        if let Some(top) = leader.1.interval {
            let reach = top.high * (1.0 + self.tolerance);
            for &i in &racing {
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
        // A leader at the shortlist's edge: its untried neighbour joins.
        for neighbour in [leader.0.wrapping_sub(1), leader.0 + 1] {
            if let Some(size) = progress.sizes.get(neighbour)
                && size.status == SizeStatus::Untouched
                && self.roles[neighbour] == Role::Unmeasured
            {
                let why = format!("next to the leader, {leader_memory}");
                self.set_role(progress, neighbour, Role::Racing, why);
            }
        }
        let racing: Vec<usize> = (0..self.roles.len())
            .filter(|&i| self.roles[i] == Role::Racing)
            .collect();
        let measured_racing: Vec<Interval> = racing
            .iter()
            .filter_map(|&i| objectives[i].and_then(|o| o.interval))
            .collect();
        let all_measured = measured_racing.len() == racing.len();
        if racing.len() == 1 && all_measured {
            return self.finish(StopReason::Separated);
        }
        // Every survivor is within the tolerance of the leader and none is separated from it:
        // the differences left are smaller than what the user counts as a difference.
        let settled = racing.iter().all(|&i| {
            progress.sizes[i].samples.len() as u32 >= MIN_RACE_CALLS.min(progress.max_per_size)
                && objectives[i].is_some_and(|o| o.point <= leader.1.point * (1.0 + self.tolerance))
        });
        if all_measured && settled {
            return self.finish(StopReason::WithinTolerance);
        }
        let requests: Vec<Request> = racing
            .iter()
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
        if requests.is_empty() {
            return self.finish(StopReason::BudgetSpent);
        }
        Decision {
            requests,
            ..Decision::default()
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
                let ladder = Self::ladder(progress.sizes);
                for &i in &ladder {
                    self.set_role(
                        progress,
                        i,
                        Role::Screened,
                        "on the screening ladder".into(),
                    );
                }
                self.phase = Phase::Screening;
                Decision {
                    requests: ladder
                        .iter()
                        .map(|&i| Request {
                            memory: progress.sizes[i].memory,
                            invocations: SCREEN_CALLS.min(progress.max_per_size),
                        })
                        .collect(),
                    ..Decision::default()
                }
            }
            Phase::Screening => {
                if progress.sizes.iter().any(SizeView::is_busy) {
                    return Decision::default();
                }
                self.shortlist(progress);
                self.phase = Phase::Racing;
                self.race(progress)
            }
            Phase::Racing => self.race(progress),
            Phase::Done => Decision::default(),
        }
    }
}
