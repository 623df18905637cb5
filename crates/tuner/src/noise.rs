//! Whether a recommendation stands out from the noise: the sizes whose 95 % interval of the
//! strategy's objective reaches the recommended size's (raised by the run's tolerance) cannot be
//! told apart from it, and the result says so in words.
//!
//! The intervals are those of [`crate::stats::confidence`] on the numbers every table shows (the
//! trimmed means). A balanced score's interval combines the cost and duration intervals, each
//! normalised by the largest measured average as the score itself is.

use serde::Serialize;

use crate::{
    memory::MemoryMb,
    result::RunResult,
    stats::confidence::{Interval, within_noise_of_best},
    strategy::{Strategy, balanced_score, clamp_weight},
};

/// The sizes that cannot be told apart from a strategy's pick.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Separation {
    /// The strategy.
    pub strategy: Strategy,
    /// The recommended size.
    pub recommended: MemoryMb,
    /// The sizes within noise of it, itself included, ascending.
    pub within_noise: Vec<MemoryMb>,
    /// The cheapest of them (by average cost).
    pub cheapest: MemoryMb,
    /// Whether the recommended size has an interval at all (it needs two invocations that are
    /// not trimmed away); without one nothing can be said.
    pub known: bool,
    /// The run's tolerance.
    pub tolerance: f64,
}

impl RunResult {
    /// The 95 % interval of `strategy`'s objective (lower is better) for every size; `None` for
    /// sizes that are not usable or have too few invocations.
    pub fn objective_intervals(&self, strategy: Strategy) -> Vec<Option<Interval>> {
        let interval = |i: usize| -> Option<(Interval, Interval)> {
            let size = &self.sizes[i];
            let detail = size.detail.as_ref().filter(|_| size.is_usable())?;
            Some((detail.cost_interval?, detail.stats.duration_interval?))
        };
        let usable = self.sizes.iter().filter(|s| s.is_usable());
        let maxima = usable.fold((f64::MIN_POSITIVE, f64::MIN_POSITIVE), |m, s| {
            (m.0.max(s.average_cost), m.1.max(s.average_duration_ms))
        });
        let w = clamp_weight(self.balanced_weight);
        (0..self.sizes.len())
            .map(|i| {
                let (cost, duration) = interval(i)?;
                Some(match strategy {
                    Strategy::Cost => cost,
                    Strategy::Speed => duration,
                    Strategy::Balanced => Interval {
                        low: balanced_score(w, (cost.low, duration.low), maxima),
                        high: balanced_score(w, (cost.high, duration.high), maxima),
                    },
                })
            })
            .collect()
    }

    /// Which sizes cannot be told apart from `strategy`'s recommendation; `None` when nothing is
    /// recommended.
    pub fn separation(&self, strategy: Strategy) -> Option<Separation> {
        let best = self.recommend(strategy)?.index;
        let intervals = self.objective_intervals(strategy);
        let tied = within_noise_of_best(&intervals, best, self.tolerance);
        let cheapest = tied
            .iter()
            .copied()
            .min_by(|&a, &b| {
                self.sizes[a]
                    .average_cost
                    .total_cmp(&self.sizes[b].average_cost)
            })
            .unwrap_or(best);
        Some(Separation {
            strategy,
            recommended: self.sizes[best].memory,
            within_noise: tied.iter().map(|&i| self.sizes[i].memory).collect(),
            cheapest: self.sizes[cheapest].memory,
            known: intervals[best].is_some(),
            tolerance: self.tolerance,
        })
    }
}

impl Separation {
    /// Whether the recommended size is better than every other beyond noise and tolerance.
    pub fn is_separated(&self) -> bool {
        self.known && self.within_noise.len() == 1
    }

    /// The finding in words, for results, exports and the CLI.
    pub fn statement(&self) -> String {
        let tolerance = format!("{:.0} %", self.tolerance * 100.0);
        if !self.known {
            return format!(
                "{} has too few invocations for a confidence interval: run more invocations to know whether it stands out",
                self.recommended
            );
        }
        if self.is_separated() {
            return format!(
                "{} is {} than every other size beyond noise (95 % intervals, {tolerance} tolerance)",
                self.recommended,
                self.strategy_word()
            );
        }
        let sizes = list(&self.within_noise);
        if self.cheapest == self.recommended {
            format!(
                "{sizes} are within noise (95 % intervals, {tolerance} tolerance); the cheapest of them, {}, is recommended; more invocations would separate them",
                self.recommended
            )
        } else {
            format!(
                "{sizes} are within noise of {} (95 % intervals, {tolerance} tolerance); {} is the cheapest of them; more invocations would separate them",
                self.recommended, self.cheapest
            )
        }
    }

    fn strategy_word(&self) -> &'static str {
        match self.strategy {
            Strategy::Cost => "cheaper",
            Strategy::Speed => "faster",
            Strategy::Balanced => "better balanced",
        }
    }
}

/// "512, 576 and 640 MB"; a long list as "9 sizes from 512 to 1536 MB".
fn list(sizes: &[MemoryMb]) -> String {
    match sizes {
        [] => String::new(),
        [one] => one.to_string(),
        [first, .., last] if sizes.len() > 5 => {
            format!("{} sizes from {} to {last}", sizes.len(), first.get())
        }
        [rest @ .., last] => {
            let head: Vec<String> = rest.iter().map(|m| m.get().to_string()).collect();
            format!("{} and {last}", head.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        fixtures::run_of_rows,
        result::{RunResult, SizeDetail},
        stats::SizeStats,
    };

    fn mb(m: u32) -> MemoryMb {
        MemoryMb::new(m).unwrap()
    }

    /// Sizes of (memory, cost, duration, relative half width of both intervals).
    fn run(rows: &[(u32, f64, f64, f64)], strategy: Strategy) -> RunResult {
        let mut run = run_of_rows(
            &rows
                .iter()
                .map(|&(m, c, d, _)| (m, c, d, 0.0))
                .collect::<Vec<_>>(),
            strategy,
            0.5,
        );
        for (size, &(_, c, d, half)) in run.sizes.iter_mut().zip(rows) {
            let around = |v: f64| Interval {
                low: v * (1.0 - half),
                high: v * (1.0 + half),
            };
            size.detail = Some(SizeDetail {
                stats: SizeStats {
                    duration_interval: Some(around(d)),
                    ..SizeStats::default()
                },
                cost_interval: Some(around(c)),
                ..SizeDetail::default()
            });
        }
        run
    }

    #[test]
    fn a_clear_winner_is_separated() {
        let r = run(
            &[
                (512, 1.0, 300.0, 0.01),
                (1024, 1.5, 160.0, 0.01),
                (2048, 2.6, 140.0, 0.01),
            ],
            Strategy::Cost,
        );
        let s = r.separation(Strategy::Cost).unwrap();
        assert!(s.is_separated());
        assert_eq!(s.within_noise, [mb(512)]);
        assert_eq!(
            s.statement(),
            "512 MB is cheaper than every other size beyond noise (95 % intervals, 2 % tolerance)"
        );
    }

    #[test]
    fn overlapping_sizes_are_named_and_the_cheapest_of_them_pointed_out() {
        // Speed: 1024 is fastest on average, 768 and 1536 overlap it; 512 is clearly slower.
        let r = run(
            &[
                (512, 1.0, 300.0, 0.02),
                (768, 1.2, 205.0, 0.05),
                (1024, 1.5, 200.0, 0.05),
                (1536, 2.2, 201.0, 0.05),
            ],
            Strategy::Speed,
        );
        let s = r.separation(Strategy::Speed).unwrap();
        assert_eq!(s.recommended, mb(1024));
        assert_eq!(s.within_noise, [mb(768), mb(1024), mb(1536)]);
        assert_eq!(s.cheapest, mb(768));
        assert!(!s.is_separated());
        assert_eq!(
            s.statement(),
            "768, 1024 and 1536 MB are within noise of 1024 MB (95 % intervals, 2 % tolerance); 768 MB is the cheapest of them; more invocations would separate them"
        );
        // Under cost, the cheapest is the recommendation itself.
        let s = r.separation(Strategy::Cost).unwrap();
        assert_eq!(s.recommended, mb(512));
        assert_eq!(s.within_noise, [mb(512)]);
    }

    #[test]
    fn the_tolerance_widens_what_counts_as_equal() {
        let mut r = run(
            &[(512, 1.00, 300.0, 0.001), (1024, 1.04, 160.0, 0.001)],
            Strategy::Cost,
        );
        assert_eq!(r.separation(Strategy::Cost).unwrap().within_noise.len(), 1);
        r.tolerance = 0.05;
        let s = r.separation(Strategy::Cost).unwrap();
        assert_eq!(s.within_noise, [mb(512), mb(1024)]);
        assert!(s.statement().starts_with(
            "512 and 1024 MB are within noise (95 % intervals, 5 % tolerance); the cheapest of them, 512 MB, is recommended"
        ));
    }

    #[test]
    fn without_intervals_nothing_is_claimed() {
        let r = crate::fixtures::readme_run();
        let s = r.separation(Strategy::Speed).unwrap();
        assert!(!s.known && !s.is_separated());
        assert!(
            s.statement().contains("too few invocations"),
            "{}",
            s.statement()
        );
    }

    #[test]
    fn a_balanced_interval_spans_the_scores_of_its_bounds() {
        let r = run(
            &[(512, 1.0, 200.0, 0.1), (1024, 2.0, 100.0, 0.1)],
            Strategy::Balanced,
        );
        let i = r.objective_intervals(Strategy::Balanced);
        // Maxima 2.0 and 200: 512 scores 0.5·1/2 + 0.5·200/200 = 0.75, ±10 %.
        let a = i[0].unwrap();
        assert!(
            (a.low - 0.675).abs() < 1e-12 && (a.high - 0.825).abs() < 1e-12,
            "{a:?}"
        );
    }

    #[test]
    fn long_lists_are_summarised() {
        let sizes: Vec<MemoryMb> = (4..=10).map(|k| mb(k * 128)).collect();
        assert_eq!(list(&sizes), "7 sizes from 512 to 1280 MB");
        assert_eq!(list(&sizes[..2]), "512 and 640 MB");
    }
}
