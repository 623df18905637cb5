//! Balanced's yardsticks: every balanced score divides by the largest measured cost and
//! duration, so the sizes holding them are measured as well as the scores need.

use super::{AdaptivePolicy, Role, pace};
use crate::{
    sampling::{Progress, Request},
    strategy::{Candidate, Strategy},
};

impl AdaptivePolicy {
    /// Balanced scores divide by the largest measured cost and duration; the sizes holding them
    /// (usually the ladder's ends) get
    /// [`AdaptiveConfig::min_race_calls`](super::AdaptiveConfig::min_race_calls) too, so the noise
    /// of three calls does not tilt every score, and a round more while the race's time allows
    /// and the figure they hold is uncertain enough to move a racing size's score against the
    /// pick's by more than the tolerance (a heavy tail can leave a slow call in five): its
    /// interval's relative half width times the largest difference of the terms it divides.
    pub(super) fn yardsticks_firmed_up(
        &self,
        progress: &Progress<'_>,
        pick: Option<usize>,
        budget: pace::Budget,
    ) -> Vec<Request> {
        if self.config.strategy != Strategy::Balanced {
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
        let figures = self.yardstick().figures(progress);
        // How much a yardstick's relative error moves a racing size's score against the pick's,
        // relative to the pick's score: scaling every cost (or duration) term by the same
        // factor moves two scores apart by the difference of their terms.
        let w = self.config.balanced_weight;
        let maxima = seen.iter().fold((0.0_f64, 0.0_f64), |m, (_, c)| {
            (m.0.max(c.cost), m.1.max(c.duration))
        });
        let term = |c: &Candidate| (w * c.cost / maxima.0, (1.0 - w) * c.duration / maxima.1);
        let reach = pick
            .and_then(|p| seen.iter().find(|(i, _)| *i == p))
            .map_or((1.0, 1.0), |(_, p)| {
                let (pc, pd) = term(p);
                let score = pc + pd;
                seen.iter()
                    .filter(|(i, _)| self.roles[*i] == Role::Racing)
                    .fold((0.0_f64, 0.0_f64), |r, (_, c)| {
                        let (cc, cd) = term(c);
                        (
                            r.0.max((cc - pc).abs() / score),
                            r.1.max((cd - pd).abs() / score),
                        )
                    })
            });
        let loose = |i: usize, holds_cost: bool| {
            let reach = if holds_cost { reach.0 } else { reach.1 };
            figures[i]
                .and_then(|(c, d)| if holds_cost { c } else { d }.interval)
                .is_none_or(|iv| iv.relative_half_width() * reach > self.config.tolerance)
        };
        let mut out = Vec::new();
        for (i, holds_cost) in [
            largest(|c| c.cost).map(|i| (i, true)),
            largest(|c| c.duration).map(|i| (i, false)),
        ]
        .into_iter()
        .flatten()
        {
            let size = &progress.sizes[i];
            let owed = self
                .config
                .min_race_calls
                .min(progress.max_per_size)
                .saturating_sub(size.requested);
            let wanted = if owed > 0 {
                owed
            } else if !size.is_busy()
                && loose(i, holds_cost)
                && self
                    .pace
                    .allows(progress, i, self.config.round_calls, budget)
            {
                self.config
                    .round_calls
                    .min(progress.max_per_size.saturating_sub(size.requested))
            } else {
                0
            };
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{progress, size_view, steady_calls, warm_sample};

    #[test]
    fn a_balanced_yardstick_is_measured_while_its_noise_could_change_the_pick() {
        // Balanced divides every score by the largest duration, 128 MB's. Its five calls hold two
        // slow ones, which the trimmed mean keeps one of: its interval is wide enough to move
        // 2048 MB's score against the pick's (1024 MB's) by more than the 2 % tolerance, so it
        // gets a round more; five steady calls get none.
        let (cost_holder, pick, rival) = (
            vec![warm_sample(50.0, 50.0); 5],
            steady_calls(20.0, 5),
            steady_calls(12.0, 5),
        );
        let yardstick =
            |calls: &[f64]| calls.iter().map(|&d| warm_sample(d, d)).collect::<Vec<_>>();
        let requests = |slowest: &[crate::stats::Sample]| {
            let sizes = [
                size_view(128, slowest, false),
                size_view(1024, &pick, false),
                size_view(2048, &rival, false),
                size_view(3008, &cost_holder, false),
            ];
            let progress = progress(&sizes);
            let mut policy = AdaptivePolicy::new(super::super::AdaptiveConfig {
                strategy: Strategy::Balanced,
                ..Default::default()
            });
            policy.roles = vec![Role::Screened, Role::Racing, Role::Racing, Role::Screened];
            policy.pace.observe(&progress);
            let budget = policy.pace.budget(&progress, [Some(1), Some(1)]);
            policy.yardsticks_firmed_up(&progress, Some(1), budget)
        };
        let tailed = yardstick(&[100.0, 300.0, 100.0, 280.0, 99.0]);
        assert_eq!(
            requests(&tailed),
            [Request {
                memory: crate::memory::MemoryMb::new(128).unwrap(),
                invocations: 2
            }]
        );
        assert_eq!(
            requests(&yardstick(&[100.0, 101.0, 99.0, 100.0, 100.0])),
            []
        );
    }
}
