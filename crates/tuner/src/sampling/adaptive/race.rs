//! The adaptive policy's race: more calls for the shortlisted sizes, drops, the leader's
//! neighbours and the result's pick joining, and the stopping rules.

use super::{AdaptivePolicy, MIN_RACE_CALLS, ROUND_CALLS, Role, SCREEN_CALLS, StopReason};
use crate::{
    confidence::Interval,
    sampling::{
        Decision, Progress, Request,
        objective::{Objective, first_viable, usable},
    },
    strategy::{Candidate, Strategy},
};

/// The calls racing size `i` gets next: a screen's when it has none, a round's after, within
/// `num`.
fn next_calls(progress: &Progress<'_>, i: usize) -> u32 {
    let size = &progress.sizes[i];
    let wanted = if size.requested == 0 {
        SCREEN_CALLS
    } else {
        ROUND_CALLS
    };
    wanted.min(progress.max_per_size.saturating_sub(size.requested))
}

impl AdaptivePolicy {
    pub(super) fn race(&mut self, progress: &Progress<'_>) -> Decision {
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
        let pick = self.race_the_recommendation(progress);
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
        // No round barrier: a size gets its next calls as soon as its last ones finish; it waits
        // only when it is a round ahead of the least measured (a size that joined late can hold
        // the slowest back: the pace counts the wait as time spent).
        let behind = racing
            .iter()
            .map(|&i| progress.sizes[i].requested)
            .min()
            .unwrap_or(0);
        let budget = self.pace.budget(progress, [leader.map(|l| l.0), pick]);
        self.pace.note_racing(progress, &racing, budget);
        for &i in &racing {
            let calls = next_calls(progress, i);
            if !progress.sizes[i].is_busy()
                && calls > 0
                && let Some(why) = self.pace.newly_held(progress, i, calls, budget)
            {
                self.set_role(progress, i, Role::Racing, why);
            }
        }
        let mut requests: Vec<Request> = racing
            .iter()
            .filter(|&&i| !progress.sizes[i].is_busy())
            .filter(|&&i| progress.sizes[i].requested < behind + ROUND_CALLS)
            .filter_map(|&i| {
                let calls = next_calls(progress, i);
                (calls > 0 && self.pace.allows(progress, i, calls, budget)).then(|| Request {
                    memory: progress.sizes[i].memory,
                    invocations: calls,
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
        // The result divides by its own averages, which trim nothing below five calls: one slow
        // call in a three-call screen can make a size the duration yardstick and tilt every
        // score towards cost. The policy's medians would not see it, so the result's numbers
        // decide which sizes hold the yardsticks.
        let seen = self.yardstick().as_the_result_sees(progress);
        let largest = |pick: fn(&Candidate) -> f64| {
            seen.iter()
                .max_by(|a, b| pick(&a.1).total_cmp(&pick(&b.1)))
                .map(|(i, _)| *i)
        };
        let mut out = Vec::new();
        for i in [largest(|c| c.cost), largest(|c| c.duration)]
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
        let viable = first_viable(progress.sizes);
        for neighbour in [leader.0.wrapping_sub(1), leader.0 + 1] {
            if let Some(size) = progress.sizes.get(neighbour)
                && usable(size)
                && neighbour >= viable
                && matches!(self.roles[neighbour], Role::Unmeasured | Role::Screened)
            {
                let why = format!("next to the leader, {leader_memory}");
                self.set_role(progress, neighbour, Role::Racing, why);
            }
        }
    }

    /// The size the result would recommend on its numbers so far joins the race when it is
    /// out of it (screened out on a few lucky calls, or dropped before the leader's numbers
    /// rose): a recommendation should rest on a raced size, not on a screen. Returns it.
    fn race_the_recommendation(&mut self, progress: &Progress<'_>) -> Option<usize> {
        let pick = self.yardstick().recommended(progress)?;
        let size = &progress.sizes[pick];
        if self.roles[pick] != Role::Racing && size.requested < progress.max_per_size {
            let why = format!(
                "the result would recommend it on its {} calls",
                size.samples.len()
            );
            self.set_role(progress, pick, Role::Racing, why);
        }
        Some(pick)
    }
}
