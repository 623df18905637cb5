//! Whether a comparison's architectures can be told apart: each one's recommended size against
//! the others', on their 95 % intervals, as within one run (`stats::confidence`).

use super::Comparison;
use crate::{
    stats::confidence::{Interval, within_noise_of_best},
    strategy::Strategy,
};

impl Comparison {
    /// In words, whether each architecture's recommendation for `strategy` is beyond noise of
    /// the others' (cost and speed only: their intervals are in money and milliseconds, which
    /// compare across runs; the balanced score is relative to each run's own extremes). `None`
    /// with fewer than two architectures measured, for balanced, or without intervals.
    pub fn across_noise(&self, strategy: Strategy) -> Option<String> {
        if strategy == Strategy::Balanced {
            return None;
        }
        let mut picks = Vec::new();
        for run in &self.runs {
            let Some(result) = run.outcome.as_ref().ok().and_then(|r| r.result.as_ref()) else {
                continue;
            };
            let Some(best) = result.recommend(strategy) else {
                continue;
            };
            let interval: Option<Interval> = result.objective_intervals(strategy)[best.index];
            let size = &result.sizes[best.index];
            let point = match strategy {
                Strategy::Speed => size.average_duration_ms,
                _ => size.average_cost,
            };
            picks.push((
                run.architecture,
                size.memory,
                point,
                interval?,
                result.tolerance,
            ));
        }
        if picks.len() < 2 {
            return None;
        }
        let best = (0..picks.len()).min_by(|&a, &b| picks[a].2.total_cmp(&picks[b].2))?;
        let intervals: Vec<Option<Interval>> = picks.iter().map(|p| Some(p.3)).collect();
        let tolerance = picks[best].4;
        let tied = within_noise_of_best(&intervals, best, tolerance);
        let name = |i: usize| format!("{} at {}", picks[i].0, picks[i].1);
        let how = format!("95 % intervals, {} % tolerance", tolerance * 100.0);
        let what = match strategy {
            Strategy::Speed => "faster",
            _ => "cheaper",
        };
        Some(if tied.len() == picks.len() {
            let names: Vec<String> = (0..picks.len()).map(name).collect();
            format!(
                "{} are within noise of each other ({how}): more invocations would separate them.",
                names.join(" and ")
            )
        } else {
            let others: Vec<String> = (0..picks.len())
                .filter(|i| !tied.contains(i))
                .map(name)
                .collect();
            format!(
                "{} is {what} than {} beyond noise ({how}).",
                name(best),
                others.join(" and ")
            )
        })
    }
}
