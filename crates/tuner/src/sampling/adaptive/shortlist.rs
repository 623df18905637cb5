//! The shortlist the race starts with, from the screens and the duration curve, and the ladder
//! sizes whose screens end after the race began, judged as the shortlist would have.

use super::{AdaptivePolicy, Role};
use crate::sampling::{Progress, SizeView, objective::Objective};

/// Up to `cap` of `within` (index and predicted objective, best first): the best, then the next
/// best that is not next to one taken, and so on; side-by-side ones only when those run out.
fn spread(within: &[(usize, f64)], cap: usize) -> Vec<usize> {
    let mut taken: Vec<usize> = Vec::new();
    for &(i, _) in within {
        if taken.len() < cap && !taken.iter().any(|&t| t.abs_diff(i) <= 1) {
            taken.push(i);
        }
    }
    for &(i, _) in within {
        if taken.len() < cap && !taken.contains(&i) {
            taken.push(i);
        }
    }
    taken
}

impl AdaptivePolicy {
    pub(super) fn shortlist(&mut self, progress: &Progress<'_>) {
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
        let margin = self.config.shortlist_reach();
        let reach = best.1 * (1.0 + margin);
        self.shortlisted_against = Some(best.1);
        let best_memory = progress.sizes[best.0].memory;
        // The most promising sizes within the margin, at most a fifth of the list: where the
        // objective is flat many sizes are within it, the model cannot rank them (each size's
        // own noise and worker decide), so they are taken spread over the flat region rather
        // than side by side, and the race's halving sorts them.
        // A screened size is judged by the best it may be ([`best_case`]): three calls cannot
        // exclude what lies within their noise (a bimodal function's three slow calls at its
        // fastest size kept it out of the race).
        let hopeful: Vec<Option<f64>> = predicted
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let p = (*p)?;
                let Some(m) = measured[i] else { return Some(p) };
                Some(best_case(Objective { point: p, ..m }, &progress.sizes[i]))
            })
            .collect();
        let mut within: Vec<(usize, f64)> = hopeful
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.filter(|&p| p <= reach).map(|p| (i, p)))
            .collect();
        within.sort_by(|a, b| a.1.total_cmp(&b.1));
        let cap = self.config.shortlist_cap(progress.sizes.len());
        let shortlisted = spread(&within, cap);
        let near = |i: usize| i + 1 == best.0 || i == best.0 + 1 || i == best.0;
        // The sizes never measured that would race, most promising first: as many as the run
        // may still publish race.
        let mut new: Vec<(usize, f64)> = predicted
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.map(|p| (i, p)))
            .filter(|&(i, _)| {
                measured[i].is_none()
                    && !self.pending.contains(&i)
                    && (near(i) || shortlisted.contains(&i))
            })
            .collect();
        new.sort_by(|a, b| a.1.total_cmp(&b.1));
        let room = self.publish_room(progress);
        let unpublished: Vec<usize> = new.iter().skip(room).map(|n| n.0).collect();
        let publish_cap = self.config.publish_cap(progress.sizes.len());
        for (i, p) in predicted.iter().enumerate() {
            let Some(p) = *p else { continue };
            if self.pending.contains(&i) {
                continue; // still screening: judged on its numbers (judge_late_screens)
            }
            let worse = (p / best.1 - 1.0) * 100.0;
            let measured = measured[i].is_some();
            let (role, why) = if unpublished.contains(&i) {
                (
                    Role::Unmeasured,
                    format!(
                        "predicted {worse:.0} % from the best, {best_memory}, but the run publishes at most {publish_cap} sizes"
                    ),
                )
            } else if i == best.0 {
                (Role::Racing, "the best so far".to_owned())
            } else if shortlisted.contains(&i) {
                let what = if measured { "measured" } else { "predicted" };
                (
                    Role::Racing,
                    format!("{what} {worse:.0} % from the best, {best_memory}"),
                )
            } else if near(i) {
                (Role::Racing, format!("next to the best, {best_memory}"))
            } else if hopeful[i].is_some_and(|h| h <= reach) {
                let what = if measured { "measured" } else { "predicted" };
                (
                    if measured {
                        Role::Screened
                    } else {
                        Role::Unmeasured
                    },
                    format!(
                        "{what} {worse:.0} % from the best, {best_memory}, but {cap} sizes race"
                    ),
                )
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

    /// The ladder sizes whose screen was still running when the race began, once it has
    /// finished: they race when their measured objective is within the shortlist's margin of
    /// the best measured so far, as the shortlist would have judged them. When the best
    /// measured is then worse than what the shortlist judged against (a prediction, often the
    /// late size's own, that the measurements belie), the sizes screened out are judged again
    /// against it.
    pub(super) fn judge_late_screens(
        &mut self,
        progress: &Progress<'_>,
        objectives: &[Option<Objective>],
    ) {
        let done: Vec<usize> = self
            .pending
            .iter()
            .copied()
            .filter(|&i| !progress.sizes[i].is_busy())
            .collect();
        self.pending.retain(|i| !done.contains(i));
        let margin = self.config.shortlist_reach();
        for &i in &done {
            let Some(own) = objectives[i] else { continue }; // it failed: stays out
            let best = objectives
                .iter()
                .enumerate()
                .filter_map(|(j, o)| o.filter(|_| j != i).map(|o| (j, o.point)))
                .min_by(|a, b| a.1.total_cmp(&b.1));
            let Some((best, point)) = best.filter(|b| b.1 < own.point) else {
                self.set_role(progress, i, Role::Racing, "the best so far".into());
                continue;
            };
            let worse = (own.point / point - 1.0) * 100.0;
            let best_memory = progress.sizes[best].memory;
            // As the shortlist judges a screened size: by the best it may be.
            if best_case(own, &progress.sizes[i]) <= point * (1.0 + margin) {
                let why = format!("measured {worse:.0} % from the best, {best_memory}");
                self.set_role(progress, i, Role::Racing, why);
            } else {
                let why = format!("{worse:.0} % worse than {best_memory}: out of the race");
                self.set_role(progress, i, Role::Screened, why);
            }
        }
        if let Some(&late) = done.last() {
            self.rejudge_screened_out(progress, objectives, late);
        }
    }

    /// The screened-out sizes judged again, as the shortlist would, against the best measured
    /// objective when that is worse than what the shortlist judged against: a curve that did
    /// not yet see the slowest size can put its prediction of that size far below what the
    /// size measures (a step at a vCPU boundary the curve smooths over), and every size was
    /// then judged against a best that does not exist.
    fn rejudge_screened_out(
        &mut self,
        progress: &Progress<'_>,
        objectives: &[Option<Objective>],
        late: usize,
    ) {
        let best = objectives
            .iter()
            .enumerate()
            .filter_map(|(j, o)| o.map(|o| (j, o.point)))
            .min_by(|a, b| a.1.total_cmp(&b.1));
        let (Some(against), Some((best, point))) = (self.shortlisted_against, best) else {
            return;
        };
        if point <= against {
            return;
        }
        self.shortlisted_against = Some(point);
        let margin = self.config.shortlist_reach();
        let (best_memory, late_memory) = (progress.sizes[best].memory, progress.sizes[late].memory);
        for (j, own) in objectives.iter().enumerate() {
            let Some(own) = *own else { continue };
            if self.roles[j] == Role::Screened
                && !self.pending.contains(&j)
                && best_case(own, &progress.sizes[j]) <= point * (1.0 + margin)
            {
                let why = if j == best {
                    format!("the best so far, once {late_memory}'s screen was in")
                } else {
                    let worse = (own.point / point - 1.0) * 100.0;
                    format!(
                        "measured {worse:.0} % from the best, {best_memory}, once {late_memory}'s screen was in"
                    )
                };
                self.set_role(progress, j, Role::Racing, why);
            }
        }
    }
}

/// The best a measured size's objective may be: the low end of its 95 % interval, or, for a
/// screen too short for one, its objective scaled by its fastest call over its mean call; its
/// measured objective when a call was a cold start.
fn best_case(objective: Objective, size: &SizeView<'_>) -> f64 {
    // A cold start's call is of another kind than the warm ones: its speed bounds nothing.
    if size.samples.iter().any(|s| s.cold_start) {
        return objective.point;
    }
    let low = objective
        .interval
        .map_or_else(|| objective.point * best_call_share(size), |i| i.low);
    low.min(objective.point)
}

/// A size's fastest call over its mean call: how much better than its average it may be. (The
/// size's true median lies below the fastest of three of its warm calls one time in eight.)
fn best_call_share(size: &SizeView<'_>) -> f64 {
    let n = size.samples.len() as f64;
    let (min, sum) = size.samples.iter().fold((f64::INFINITY, 0.0), |(m, s), x| {
        (m.min(x.duration_ms), s + x.duration_ms)
    });
    if n == 0.0 || sum <= 0.0 {
        1.0
    } else {
        (min / (sum / n)).min(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategy::Strategy;

    /// Views of `memories`, each with its `calls`, none failed.
    fn views<'a>(memories: &[u32], calls: &'a [Vec<crate::stats::Sample>]) -> Vec<SizeView<'a>> {
        memories
            .iter()
            .zip(calls)
            .map(|(&mb, c)| crate::fixtures::size_view(mb, c, false))
            .collect()
    }

    fn policy(strategy: Strategy) -> AdaptivePolicy {
        AdaptivePolicy::new(super::super::AdaptiveConfig {
            strategy,
            ..Default::default()
        })
    }

    #[test]
    fn a_screen_is_judged_by_the_best_it_may_be() {
        use crate::fixtures::{size_view, warm_sample};
        // Three calls, one fast: too few for an interval once one is dropped at each end. The
        // median (130) may be as low as the fast call's share of the mean (100 / 120).
        let calls = [100.0, 130.0, 130.0].map(|d| warm_sample(d, d));
        let size = size_view(3008, &calls, false);
        let screen = Objective {
            point: 130.0,
            interval: None,
        };
        assert!((best_case(screen, &size) - 130.0 * 100.0 / 120.0).abs() < 1e-9);
        // With an interval, its low end; never above the point.
        let measured = Objective {
            point: 130.0,
            interval: Some(crate::stats::confidence::Interval {
                low: 120.0,
                high: 140.0,
            }),
        };
        assert_eq!(best_case(measured, &size), 120.0);
        let quiet = [130.0; 3].map(|d| warm_sample(d, d));
        assert_eq!(best_case(screen, &size_view(3008, &quiet, false)), 130.0);
        // A cold start among them: no bound.
        let mut cold = calls;
        cold[1].cold_start = true;
        assert_eq!(best_case(screen, &size_view(3008, &cold, false)), 130.0);
    }

    #[test]
    fn sizes_screened_out_against_a_prediction_the_late_screen_belies_race_again() {
        use crate::fixtures::{progress, steady_calls};
        // Cost. The race began while 128 MB's screen ran; the curve through the others put it
        // at half of 1792 MB's cost, so 1792 MB, the cheapest measured (a second vCPU makes it
        // fast), was screened out as 64 % worse. 128 MB's screen shows it costs more than
        // 1792 MB: judged against the best there is, 1792 MB races, and 3008 MB (a third
        // dearer) stays out.
        let calls = [
            steady_calls(36_000.0, 3),
            steady_calls(16_600.0, 3),
            steady_calls(2_300.0, 3),
            steady_calls(1_800.0, 3),
        ];
        let sizes = views(&[128, 256, 1792, 3008], &calls);
        let progress = progress(&sizes);
        let mut policy = policy(Strategy::Cost);
        let objectives = policy.yardstick().measured(&progress);
        let cost = |i: usize| objectives[i].unwrap().point;
        policy.roles = vec![Role::Screened, Role::Racing, Role::Screened, Role::Screened];
        policy.pending = vec![0];
        policy.shortlisted_against = Some(cost(2) / 1.64);
        policy.judge_late_screens(&progress, &objectives);
        assert_eq!(policy.roles[2], Role::Racing, "{:?}", policy.notes);
        assert_eq!(policy.roles[3], Role::Screened, "{:?}", policy.notes);
        assert!(
            policy.notes.iter().any(|n| n.memory.get() == 1792
                && n.why == "the best so far, once 128 MB's screen was in"),
            "{:?}",
            policy.notes
        );
    }

    #[test]
    fn a_screen_whose_fast_call_reaches_the_best_races() {
        use crate::fixtures::{progress, warm_sample};
        // Speed. Every size screened with three warm calls; 2048 MB is the fastest on its
        // means (80 ms). 3008 MB's median is 110 ms, 37 % slower and beyond the 15 % margin,
        // but one of its calls took 70 ms: its true median may be as low as 80 ms. Judged by
        // its mean, it was out of the race.
        let steady = |ms: f64| vec![warm_sample(ms, ms); 3];
        let calls: Vec<Vec<crate::stats::Sample>> = [1000.0, 500.0, 250.0, 125.0, 90.0, 80.0, 85.0]
            .into_iter()
            .map(steady)
            .chain([[70.0, 110.0, 110.0].map(|d| warm_sample(d, d)).to_vec()])
            .collect();
        let sizes = views(&[128, 256, 512, 1024, 1536, 2048, 2560, 3008], &calls);
        let progress = progress(&sizes);
        let mut policy = policy(Strategy::Speed);
        policy.roles = vec![Role::Screened; sizes.len()];
        policy.shortlist(&progress);
        assert_eq!(policy.roles[5], Role::Racing, "2048 MB, the best");
        assert_eq!(policy.roles[7], Role::Racing, "3008 MB: {:?}", policy.roles);
        assert_eq!(policy.roles[0], Role::Screened, "128 MB is out");
    }

    #[test]
    fn the_race_publishes_at_most_half_the_list() {
        use crate::fixtures::{progress, size_view, warm_sample};
        // Speed over 16 sizes, 128 to 2048 MB, the ladder's five screened: flat from 1024 MB
        // up, so the shortlist would race sizes spread over that region and the best's
        // neighbours, most never measured. Half the list is 8 publishes: 3 beyond the ladder.
        let ladder = [
            (128, 400.0),
            (256, 200.0),
            (512, 110.0),
            (1024, 100.0),
            (2048, 100.0),
        ];
        let calls: Vec<(u32, Vec<crate::stats::Sample>)> = (1..=16)
            .map(|k| {
                let mb = 128 * k;
                let ms = ladder.iter().find(|l| l.0 == mb).map(|l| l.1);
                (
                    mb,
                    ms.map_or_else(Vec::new, |ms| vec![warm_sample(ms, ms); 3]),
                )
            })
            .collect();
        let sizes: Vec<SizeView<'_>> = calls
            .iter()
            .map(|(mb, c)| size_view(*mb, c, false))
            .collect();
        let progress = progress(&sizes);
        let shortlisted = |publish_share: f64| {
            let mut policy = AdaptivePolicy::new(super::super::AdaptiveConfig {
                strategy: Strategy::Speed,
                publish_share,
                ..Default::default()
            });
            policy.roles = sizes
                .iter()
                .map(|s| {
                    if s.samples.is_empty() {
                        Role::Unmeasured
                    } else {
                        Role::Screened
                    }
                })
                .collect();
            policy.shortlist(&progress);
            policy
        };
        let published = |policy: &AdaptivePolicy| {
            policy
                .roles
                .iter()
                .filter(|&&r| r != Role::Unmeasured)
                .count()
        };
        let unlimited = shortlisted(1.0);
        assert!(published(&unlimited) > 8, "{:?}", unlimited.roles);
        let capped = shortlisted(0.5);
        assert_eq!(published(&capped), 8, "{:?}", capped.roles);
        assert!(
            capped
                .notes
                .iter()
                .any(|n| n.why.contains("the run publishes at most 8 sizes")),
            "{:?}",
            capped.notes
        );
    }

    #[test]
    fn a_flat_bottom_is_shortlisted_spread_out_not_side_by_side() {
        // Predicted within the margin, best first: where the model is flat its order among
        // 10, 11, 12 and 9 is noise. Before, the shortlist took the best three side by side
        // (10, 11, 12) and never saw the rest of the flat region.
        let within = [
            (10, 1.0),
            (11, 1.001),
            (12, 1.002),
            (9, 1.003),
            (20, 1.01),
            (30, 1.02),
        ];
        assert_eq!(spread(&within, 3), [10, 12, 20]);
        assert_eq!(spread(&within, 5), [10, 12, 20, 30, 11]);
        let config = super::super::AdaptiveConfig::default();
        assert_eq!(config.shortlist_cap(46), 9);
        assert_eq!(config.shortlist_cap(16), 3);
    }
}
