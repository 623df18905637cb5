//! The adaptive policy's yardstick: each size's objective under the run's strategy (lower is
//! better), measured with its 95 % interval, or predicted from the duration curve.
//!
//! The objective is the strategy's: the trimmed-mean cost, the trimmed-mean duration, or the
//! balanced score over the sizes measured so far (normalised by their largest cost and duration,
//! as the result does; the screening ladder holds the extremes).

use super::{Progress, SizeStatus, SizeView};
use crate::{
    confidence::{Interval, trimmed_mean_interval},
    sampling::curve::DurationCurve,
    stats::trimmed_mean,
    strategy::{Strategy, balanced_score},
};

/// One size's objective: the point estimate and its interval (lower is better).
#[derive(Debug, Clone, Copy)]
pub(super) struct Objective {
    pub point: f64,
    pub interval: Option<Interval>,
}

/// What the objective judges: the strategy, its weight and the trimmed mean's fraction.
#[derive(Debug, Clone, Copy)]
pub(super) struct Yardstick {
    pub strategy: Strategy,
    pub balanced_weight: f64,
    pub discard: f64,
}

/// Whether a size can still be measured and compared.
pub(super) fn usable(size: &SizeView<'_>) -> bool {
    !matches!(size.status, SizeStatus::Failed | SizeStatus::Refused)
}

impl Yardstick {
    /// The objective of every usable size with at least one sample; `None` for the others.
    pub fn measured(&self, progress: &Progress<'_>) -> Vec<Option<Objective>> {
        let raw: Vec<Option<(Objective, Objective)>> = progress
            .sizes
            .iter()
            .map(|size| {
                if size.samples.is_empty() || !usable(size) {
                    return None;
                }
                let durations: Vec<f64> = size.samples.iter().map(|s| s.duration_ms).collect();
                let billed: Vec<f64> = size.samples.iter().map(|s| s.billed_ms).collect();
                let line = progress.price.cost_line(size.memory, progress.ephemeral_mb);
                let duration = Objective {
                    point: trimmed_mean(&durations, self.discard),
                    interval: trimmed_mean_interval(&durations, self.discard),
                };
                let cost = Objective {
                    point: line.at(trimmed_mean(&billed, self.discard)),
                    interval: trimmed_mean_interval(&billed, self.discard)
                        .map(|i| i.affine(line.per_ms, line.fixed)),
                };
                Some((cost, duration))
            })
            .collect();
        match self.strategy {
            Strategy::Cost => raw.iter().map(|r| r.map(|(c, _)| c)).collect(),
            Strategy::Speed => raw.iter().map(|r| r.map(|(_, d)| d)).collect(),
            Strategy::Balanced => {
                let max = |f: fn(&(Objective, Objective)) -> f64| {
                    raw.iter()
                        .flatten()
                        .map(f)
                        .fold(f64::MIN_POSITIVE, f64::max)
                };
                let maxima = (max(|r| r.0.point), max(|r| r.1.point));
                let score = |c: f64, d: f64| balanced_score(self.balanced_weight, (c, d), maxima);
                raw.iter()
                    .map(|r| {
                        r.map(|(c, d)| Objective {
                            point: score(c.point, d.point),
                            interval: c.interval.zip(d.interval).map(|(ci, di)| Interval {
                                low: score(ci.low, di.low),
                                high: score(ci.high, di.high),
                            }),
                        })
                    })
                    .collect()
            }
        }
    }

    /// The predicted objective of every usable size, from the curve through the measured ones
    /// (measured sizes keep their measured value).
    pub fn predicted(
        &self,
        progress: &Progress<'_>,
        measured: &[Option<Objective>],
    ) -> Vec<Option<f64>> {
        let points: Vec<(f64, f64)> = progress
            .sizes
            .iter()
            .filter(|s| !s.samples.is_empty() && usable(s))
            .map(|s| {
                let d: Vec<f64> = s.samples.iter().map(|x| x.duration_ms).collect();
                (f64::from(s.memory.get()), trimmed_mean(&d, self.discard))
            })
            .collect();
        let Some(curve) = DurationCurve::fit(&points) else {
            // Too few sizes to model: every usable size stays a candidate.
            return progress
                .sizes
                .iter()
                .zip(measured)
                .map(|(s, m)| usable(s).then(|| m.map_or(0.0, |o| o.point)))
                .collect();
        };
        let modelled: Vec<(f64, f64)> = progress
            .sizes
            .iter()
            .map(|s| {
                let d = curve.at(f64::from(s.memory.get()));
                let line = progress.price.cost_line(s.memory, progress.ephemeral_mb);
                (line.at(d), d)
            })
            .collect();
        let maxima = modelled
            .iter()
            .fold((f64::MIN_POSITIVE, f64::MIN_POSITIVE), |acc, m| {
                (acc.0.max(m.0), acc.1.max(m.1))
            });
        progress
            .sizes
            .iter()
            .zip(&modelled)
            .zip(measured)
            .map(|((s, &(c, d)), m)| {
                if !usable(s) {
                    return None;
                }
                if let Some(m) = m {
                    return Some(m.point);
                }
                Some(match self.strategy {
                    Strategy::Cost => c,
                    Strategy::Speed => d,
                    Strategy::Balanced => balanced_score(self.balanced_weight, (c, d), maxima),
                })
            })
            .collect()
    }
}
