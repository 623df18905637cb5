//! The adaptive policy's yardstick: each size's objective under the run's strategy (lower is
//! better), measured with its 95 % interval, or predicted from the duration curve.
//!
//! The objective is the strategy's: the trimmed-mean cost, the trimmed-mean duration, or the
//! balanced score over the sizes measured so far (normalised by their largest cost and duration,
//! as the result does; the screening ladder holds the extremes).

use super::{Progress, SizeStatus, SizeView};
use crate::{
    sampling::curve::DurationCurve,
    stats::confidence::{Interval, trimmed_mean_interval},
    stats::{SizeStats, discard_count, trimmed_mean},
    strategy::{Candidate, Strategy, balanced_score, select},
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

/// The index of the smallest size worth trying (`sizes` ascending): above the largest that
/// failed when nothing below it worked. A function that runs out of memory or time at a size
/// does so at every smaller one, so the sizes below are not tried on the model's word; a
/// failure with a working size below it says nothing of the sizes between.
pub(super) fn first_viable(sizes: &[SizeView<'_>]) -> usize {
    let Some(failed) = sizes.iter().rposition(|s| s.status == SizeStatus::Failed) else {
        return 0;
    };
    let worked_below = sizes[..failed]
        .iter()
        .any(|s| usable(s) && !s.samples.is_empty());
    if worked_below { 0 } else { failed + 1 }
}

impl Yardstick {
    /// The cost and duration of every usable size with at least one sample.
    pub fn figures(&self, progress: &Progress<'_>) -> Vec<Option<(Objective, Objective)>> {
        progress
            .sizes
            .iter()
            .map(|size| {
                if size.samples.is_empty() || !usable(size) {
                    return None;
                }
                let durations: Vec<f64> = size.samples.iter().map(|s| s.duration_ms).collect();
                let billed: Vec<f64> = size.samples.iter().map(|s| s.billed_ms).collect();
                let line = progress.price.cost_line(size.memory, progress.ephemeral_mb);
                let discard = self.discard_for(durations.len());
                let duration = Objective {
                    point: trimmed_mean(&durations, discard),
                    interval: trimmed_mean_interval(&durations, discard),
                };
                let cost = Objective {
                    point: line.at(trimmed_mean(&billed, discard)),
                    interval: trimmed_mean_interval(&billed, discard)
                        .map(|i| i.affine(line.per_ms, line.fixed)),
                };
                Some((cost, duration))
            })
            .collect()
    }

    /// The trimmed fraction for `n` calls: the run's, but dropping at least one call at each end
    /// once there are three, so that one cold start (whose init Lambda bills) or one outlier
    /// cannot decide a screen of a few calls. The original's fraction drops none of fewer than
    /// five calls; the result keeps showing its number. A run that trims nothing
    /// (`discardTopBottom: 0`) is left so.
    fn discard_for(&self, n: usize) -> f64 {
        if self.discard > 0.0 && n >= 3 && discard_count(n, self.discard) == 0 {
            1.0 / n as f64 + 1e-9
        } else {
            self.discard
        }
    }

    /// Every usable measured size as the result sees it (index, average cost and duration): the
    /// original's rule on the run's own trimmed means (not [`Self::discard_for`]'s, so below
    /// five calls nothing is trimmed), from the [`SizeStats`] [`crate::result::RunResult`]
    /// computes.
    pub fn as_the_result_sees(&self, progress: &Progress<'_>) -> Vec<(usize, Candidate)> {
        progress
            .sizes
            .iter()
            .enumerate()
            .filter(|(_, size)| !size.samples.is_empty() && usable(size))
            .map(|(i, size)| {
                let stats = SizeStats::compute(size.samples, 0, self.discard);
                let line = progress.price.cost_line(size.memory, progress.ephemeral_mb);
                let candidate = Candidate {
                    power: size.memory.get(),
                    cost: line.at(stats.average_billed_ms),
                    duration: stats.average_duration_ms,
                };
                (i, candidate)
            })
            .collect()
    }

    /// The size the result would recommend on what is measured so far (so that the pick is the
    /// result's by construction).
    pub fn recommended(&self, progress: &Progress<'_>) -> Option<usize> {
        let (indices, candidates): (Vec<usize>, Vec<Candidate>) =
            self.as_the_result_sees(progress).into_iter().unzip();
        select(&candidates, self.strategy, self.balanced_weight).map(|k| indices[k])
    }

    /// The largest measured average cost and duration: the balanced score's yardsticks, as the
    /// result computes them over the measured sizes.
    fn maxima(figures: &[Option<(Objective, Objective)>]) -> (f64, f64) {
        figures
            .iter()
            .flatten()
            .fold((f64::MIN_POSITIVE, f64::MIN_POSITIVE), |m, (c, d)| {
                (m.0.max(c.point), m.1.max(d.point))
            })
    }

    /// The objective of every usable size with at least one sample; `None` for the others.
    pub fn measured(&self, progress: &Progress<'_>) -> Vec<Option<Objective>> {
        let raw = self.figures(progress);
        match self.strategy {
            Strategy::Cost => raw.iter().map(|r| r.map(|(c, _)| c)).collect(),
            Strategy::Speed => raw.iter().map(|r| r.map(|(_, d)| d)).collect(),
            Strategy::Balanced => {
                let maxima = Self::maxima(&raw);
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
                (
                    f64::from(s.memory.get()),
                    trimmed_mean(&d, self.discard_for(d.len())),
                )
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
        // Scored against the measured maxima, as the measured sizes are, so that predictions
        // and measurements compare on one scale.
        let maxima = Self::maxima(&self.figures(progress));
        let viable = first_viable(progress.sizes);
        progress
            .sizes
            .iter()
            .zip(&modelled)
            .zip(measured)
            .enumerate()
            .map(|(i, ((s, &(c, d)), m))| {
                if !usable(s) || i < viable {
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
