//! The adaptive policy's race: more calls for the shortlisted sizes, drops, halving and the
//! stopping rules (who joins beside a racing size is `joins.rs`; balanced's yardsticks are
//! measured beside it, `yardsticks.rs`).

use super::{AdaptivePolicy, Role, StopReason};
use crate::{
    sampling::{
        Decision, Progress, Request, SizeView,
        objective::{Objective, usable},
    },
    stats::confidence::Interval,
};

/// The calls racing size `i` gets next: a screen's when it has none, a round's after, within
/// `num`.
fn next_calls(config: &super::AdaptiveConfig, progress: &Progress<'_>, i: usize) -> u32 {
    let size = &progress.sizes[i];
    let wanted = if size.requested == 0 {
        config.screen_calls
    } else {
        config.round_calls
    };
    wanted.min(progress.max_per_size.saturating_sub(size.requested))
}

impl AdaptivePolicy {
    /// The sizes racing now.
    pub(super) fn racing(&self) -> Vec<usize> {
        (0..self.roles.len())
            .filter(|&i| self.roles[i] == Role::Racing)
            .collect()
    }

    pub(super) fn race(&mut self, progress: &Progress<'_>) -> Decision {
        for (i, size) in progress.sizes.iter().enumerate() {
            if self.roles[i] == Role::Racing && !usable(size) {
                self.set_role(progress, i, Role::Dropped, "it failed".into());
            }
        }
        let objectives = self.yardstick().measured(progress);
        self.judge_late_screens(progress, &objectives);
        let racing = self.racing();
        // The leader among the racing sizes measured so far; none yet when the shortlist is
        // all predictions, which are then measured first.
        let leader = racing
            .iter()
            .copied()
            .filter_map(|i| objectives[i].map(|o| (i, o)))
            .min_by(|a, b| a.1.point.total_cmp(&b.1.point));
        if let Some(leader) = leader {
            self.drop_separated(progress, &racing, &objectives, leader);
        }
        let pick = self.race_the_recommendation(progress);
        let budget = self.pace.budget(progress, [leader.map(|l| l.0), pick]);
        // Sizes the race's time holds back (idle, and their next calls would end too late):
        // they stand outside the lockstep, or the others would wait for them to the end.
        let held: Vec<bool> = (0..progress.sizes.len())
            .map(|i| {
                let calls = next_calls(&self.config, progress, i);
                self.roles[i] == Role::Racing
                    && !progress.sizes[i].is_busy()
                    && calls > 0
                    && !self.pace.allows(progress, i, calls, budget)
            })
            .collect();
        self.halve(progress, [leader.map(|l| l.0), pick], &held);
        if let Some(leader) = leader {
            self.widen(progress, leader.0, budget);
        }
        let racing = self.racing();
        let measured_racing: Vec<Interval> = racing
            .iter()
            .filter_map(|&i| objectives[i].and_then(|o| o.interval))
            .collect();
        let all_measured = measured_racing.len() == racing.len();
        // A screen still running may hold the best size: no verdict before its numbers.
        let screens_done = self.pending.is_empty();
        // One size left; or the result's pick is good within the tolerance beyond doubt:
        // measured as often as any survivor, and its interval's top within the tolerance of
        // every other survivor's bottom (the ε-good stopping rule of LUCB, Kalyanakrishnan et
        // al., ICML 2012). A point estimate within the tolerance is not enough: the pick could
        // then sit the tolerance plus the noise from the best.
        let verdict = if !(all_measured && screens_done) {
            None
        } else if racing.len() == 1 {
            Some(StopReason::Separated)
        } else if self.certified(progress, &racing, &objectives, pick) {
            Some(StopReason::WithinTolerance)
        } else {
            None
        };
        if let Some(reason) = verdict
            && !pick.is_some_and(|p| self.try_the_picks_neighbours(progress, p, budget))
        {
            return self.finish(reason);
        }
        let racing = self.racing();
        // No round barrier: a size gets its next calls as soon as its last ones finish; it waits
        // only when it is a round ahead of the least measured (a size that joined late can hold
        // the slowest back: the pace counts the wait as time spent).
        let behind = racing
            .iter()
            .filter(|&&i| !held[i])
            .map(|&i| progress.sizes[i].requested)
            .min()
            .unwrap_or(0);
        for &i in &racing {
            let calls = next_calls(&self.config, progress, i);
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
            .filter(|&&i| progress.sizes[i].requested < behind + self.config.round_calls)
            .filter_map(|&i| {
                let calls = next_calls(&self.config, progress, i);
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
        requests.extend(self.yardsticks_firmed_up(progress, pick, budget));
        Decision {
            requests,
            ..Decision::default()
        }
    }

    /// Sequential halving (Karnin, Koren and Somekh, ICML 2013): each time every racing size has
    /// finished a round more than at the last halving (the screen's calls the first time), the
    /// better half goes on (at least
    /// [`AdaptiveConfig::halving_floor`](super::AdaptiveConfig::halving_floor)); `keep` (the
    /// leader, the result's pick) always does. The sizes are ranked on their first calls only, as
    /// many for each, so a size that ran ahead is not judged on more calls than its rivals and a
    /// lucky few calls cannot win; the calls then go to the sizes still in doubt. No size waits for
    /// the others: the ranking needs only their first calls.
    fn halve(&mut self, progress: &Progress<'_>, keep: [Option<usize>; 2], held: &[bool]) {
        let racing = self.racing();
        // The level the sizes still going on have all reached (a size the race's time holds
        // back is ranked on all it has).
        let level = racing
            .iter()
            .filter(|&&i| !held[i])
            .map(|&i| progress.sizes[i].samples.len() as u32)
            .min()
            .unwrap_or(0);
        let floor = self.config.halving_floor;
        let due = self
            .halved_at
            .map_or(self.config.screen_calls, |at| at + self.config.round_calls);
        if racing.len() <= floor
            || !self.pending.is_empty()
            || level < due.min(progress.max_per_size)
        {
            return;
        }
        self.halved_at = Some(level);
        // Every size's first `level` calls: the ranking compares like with like.
        let views: Vec<SizeView<'_>> = progress
            .sizes
            .iter()
            .map(|s| SizeView {
                samples: &s.samples[..s.samples.len().min(level as usize)],
                ..*s
            })
            .collect();
        let equal = Progress {
            sizes: &views,
            ..*progress
        };
        let objectives = self.yardstick().measured(&equal);
        let mut ranked: Vec<(usize, f64)> = racing
            .iter()
            .filter_map(|&i| objectives[i].map(|o| (i, o.point)))
            .collect();
        ranked.sort_by(|a, b| a.1.total_cmp(&b.1));
        let survivors = racing.len().div_ceil(2).max(floor);
        let Some(&(first, best_point)) = ranked.first() else {
            return;
        };
        let best = progress.sizes[first].memory;
        for &(i, point) in ranked.iter().skip(survivors) {
            if keep.contains(&Some(i)) {
                continue;
            }
            let worse = (point / best_point - 1.0) * 100.0;
            let why =
                format!("in the worse half on {level} calls each ({worse:.1} % behind {best})");
            self.set_role(progress, i, Role::Dropped, why);
        }
    }

    /// Whether `pick` (the result's) is certainly within the tolerance of the best survivor: it
    /// races, has [`AdaptiveConfig::min_race_calls`](super::AdaptiveConfig::min_race_calls) and as
    /// many calls as any survivor, and the top of its interval lies within a share of the tolerance
    /// ([`AdaptiveConfig::certify_share`](super::AdaptiveConfig::certify_share)) of the bottom of
    /// every other survivor's.
    fn certified(
        &self,
        progress: &Progress<'_>,
        racing: &[usize],
        objectives: &[Option<Objective>],
        pick: Option<usize>,
    ) -> bool {
        let Some(pick) = pick.filter(|p| racing.contains(p)) else {
            return false;
        };
        let calls = |i: usize| progress.sizes[i].samples.len() as u32;
        if calls(pick) < self.config.min_race_calls.min(progress.max_per_size)
            || racing.iter().any(|&i| calls(i) > calls(pick))
        {
            return false;
        }
        let Some(top) = objectives[pick].and_then(|o| o.interval) else {
            return false;
        };
        // A share of the tolerance (half by default): the pick is judged later on calls it has
        // not seen, whose noise the certificate cannot cover.
        let margin = 1.0 + self.config.tolerance * self.config.certify_share;
        racing.iter().filter(|&&i| i != pick).all(|&i| {
            objectives[i]
                .and_then(|o| o.interval)
                .is_some_and(|iv| top.high <= iv.low * margin)
        })
    }

    /// Drops what is worse than the leader beyond doubt and beyond the tolerance.
    fn drop_separated(
        &mut self,
        progress: &Progress<'_>,
        racing: &[usize],
        objectives: &[Option<Objective>],
        leader: (usize, Objective),
    ) {
        let leader_memory = progress.sizes[leader.0].memory;
        if let Some(top) = leader.1.interval {
            let reach = top.high * (1.0 + self.config.tolerance);
            for &i in racing {
                if objectives[i]
                    .and_then(|o| o.interval)
                    .is_some_and(|iv| iv.low > reach)
                {
                    let why = format!(
                        "its 95 % interval lies above {leader_memory}'s by more than the {:.0} % tolerance",
                        self.config.tolerance * 100.0
                    );
                    self.set_role(progress, i, Role::Dropped, why);
                }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        fixtures::{size_view, steady_calls, warm_sample},
        pricing::{Architecture, Price},
        strategy::Strategy,
    };

    fn config(strategy: Strategy) -> super::super::AdaptiveConfig {
        super::super::AdaptiveConfig {
            strategy,
            ..Default::default()
        }
    }

    #[test]
    fn halving_ranks_sizes_on_as_many_calls_each_without_waiting_for_equal_counts() {
        // Four racing sizes that never stand at the same count at once: 1024 MB ran ahead to
        // five calls, two fast ones after three slow ones. Before, halving waited for equal
        // counts (rarely seen without a barrier) and would have judged 1024 MB on all five; now
        // every size is ranked on its first three, and 1024 MB is in the worse half.
        let ahead: Vec<_> = [1100.0, 1100.0, 1100.0, 700.0, 700.0]
            .into_iter()
            .map(|d| warm_sample(d, d))
            .collect();
        let (a, b, c) = (
            steady_calls(1000.0, 3),
            steady_calls(1010.0, 4),
            steady_calls(1050.0, 3),
        );
        let sizes = [
            size_view(1024, &ahead, false),
            size_view(1088, &a, false),
            size_view(1152, &b, false),
            size_view(1216, &c, false),
        ];
        let progress = Progress {
            sizes: &sizes,
            max_per_size: 10,
            price: Price::for_function("us-east-1", Architecture::X86_64),
            ephemeral_mb: 512,
        };
        let mut policy = AdaptivePolicy::new(config(Strategy::Speed));
        policy.roles = vec![Role::Racing; 4];
        policy.halve(&progress, [None, None], &[false; 4]);
        assert_eq!(
            policy.roles,
            [Role::Dropped, Role::Racing, Role::Racing, Role::Dropped]
        );
        assert!(
            policy.notes[0].why.contains("on 3 calls each"),
            "{:?}",
            policy.notes
        );
    }

    #[test]
    fn a_pick_on_fewer_calls_than_a_rival_is_not_certified() {
        // 1024 MB came out cheapest on three calls; 2048 MB, its rival, has nine. Under the old
        // rule (every survivor within the tolerance by its point estimate) the race stopped and
        // the three lucky calls won. The pick must first be measured as often as its rivals.
        let (few, many) = (steady_calls(1000.0, 3), steady_calls(505.0, 9));
        let sizes = [size_view(1024, &few, false), size_view(2048, &many, false)];
        let progress = Progress {
            sizes: &sizes,
            max_per_size: 10,
            price: Price::for_function("us-east-1", Architecture::X86_64),
            ephemeral_mb: 512,
        };
        let policy = AdaptivePolicy::new(config(Strategy::Cost));
        let objectives = policy.yardstick().measured(&progress);
        assert!(!policy.certified(&progress, &[0, 1], &objectives, Some(0)));
        let (equal, rival) = (steady_calls(1000.0, 9), steady_calls(560.0, 9));
        let sizes = [
            size_view(1024, &equal, false),
            size_view(2048, &rival, false),
        ];
        let progress = Progress {
            sizes: &sizes,
            ..progress
        };
        let objectives = policy.yardstick().measured(&progress);
        assert!(
            policy.certified(&progress, &[0, 1], &objectives, Some(0)),
            "at equal calls, a pick 10 % cheaper beyond doubt is certified"
        );
    }
}
