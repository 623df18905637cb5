//! How sure a measurement is: the 95 % confidence interval of a size's trimmed-mean duration,
//! and which sizes cannot be told apart from the best.
//!
//! Method: the trimmed mean's interval of Tukey and McLaughlin (1963), as given by Wilcox,
//! *Introduction to Robust Estimation and Hypothesis Testing* (4th ed., 2017, §4.4.2): with `g`
//! values trimmed from each end of `n`, the standard error is the winsorized standard deviation
//! times `√n / (n − 2g)`, and the interval uses Student's t with `n − 2g − 1` degrees of freedom.
//! It is centred on the original tool's trimmed mean (the number every table shows), with the
//! original's own count of trimmed values ([`crate::stats::trimming::discard_count`]). Without trimming it
//! is the textbook t-interval of the mean.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::stats::trimming::{discard_count, trimmed_mean};

/// The confidence level of every interval powertune states.
pub const LEVEL: f64 = 0.95;
/// The relative difference below which two sizes count as equally good (the input's
/// `tolerance`, by default).
pub const DEFAULT_TOLERANCE: f64 = 0.02;

/// A closed interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

impl Interval {
    /// `a·x + b` of both bounds (`a ≥ 0`): an interval of durations as one of costs, since a
    /// size's cost is linear in its billed duration.
    pub fn affine(self, a: f64, b: f64) -> Self {
        Self {
            low: a * self.low + b,
            high: a * self.high + b,
        }
    }

    /// Half the width, relative to the midpoint (`0.05` is "±5 %").
    pub fn relative_half_width(self) -> f64 {
        let mid = (self.low + self.high) / 2.0;
        if mid == 0.0 {
            0.0
        } else {
            (self.high - self.low) / 2.0 / mid.abs()
        }
    }
}

/// The [`LEVEL`] interval of the trimmed mean of `values` (trimming `fraction` at each end, as
/// the original does). `None` with fewer than two values kept, where no spread can be known.
pub fn trimmed_mean_interval(values: &[f64], fraction: f64) -> Option<Interval> {
    let n = values.len();
    let g = discard_count(n, fraction);
    if n < 2 || n < 2 * g + 2 {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let (lo, hi) = (sorted[g], sorted[n - 1 - g]);
    let winsorized: Vec<f64> = sorted.iter().map(|v| v.clamp(lo, hi)).collect();
    let mean = winsorized.iter().sum::<f64>() / n as f64;
    let variance = winsorized.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n as f64 - 1.0);
    let standard_error = variance.sqrt() * (n as f64).sqrt() / (n - 2 * g) as f64;
    let degrees = (n - 2 * g - 1) as f64;
    let t = StudentsT::new(0.0, 1.0, degrees)
        .ok()?
        .inverse_cdf(1.0 - (1.0 - LEVEL) / 2.0);
    let centre = trimmed_mean(values, fraction);
    Some(Interval {
        low: centre - t * standard_error,
        high: centre + t * standard_error,
    })
}

/// The indices of `candidates` (each an objective's interval, lower is better, `None` for a size
/// that cannot be compared) that cannot be told apart from the best one, `best` among them:
/// those whose interval reaches below the best's upper bound raised by `tolerance` (relative).
/// A size is only ever worse than the best if its whole interval lies above that.
pub fn within_noise_of_best(
    candidates: &[Option<Interval>],
    best: usize,
    tolerance: f64,
) -> Vec<usize> {
    let Some(Some(top)) = candidates.get(best) else {
        return vec![best];
    };
    let reach = top.high * (1.0 + tolerance);
    candidates
        .iter()
        .enumerate()
        .filter(|(i, c)| *i == best || c.is_some_and(|c| c.low <= reach))
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_trimming_it_is_the_t_interval_of_the_mean() {
        // Mean 5, sample sd √(10/4)=1.5811, t(0.975; 4) = 2.7764: 5 ± 2.7764·1.5811/√5.
        let i = trimmed_mean_interval(&[3.0, 4.0, 5.0, 6.0, 7.0], 0.0).unwrap();
        let half = 2.776_445 * (2.5_f64).sqrt() / 5_f64.sqrt();
        assert!((i.low - (5.0 - half)).abs() < 1e-4, "{i:?}");
        assert!((i.high - (5.0 + half)).abs() < 1e-4, "{i:?}");
    }

    #[test]
    fn trimming_winsorizes_the_outliers_it_drops() {
        // 10 values, 20 % trimmed: g = 2, the two 1000s become 9s for the spread, so one slow
        // outlier does not blow the interval up, and the centre is the original's trimmed mean.
        let values = [5.0, 6.0, 6.0, 7.0, 7.0, 8.0, 8.0, 9.0, 1000.0, 1000.0];
        let i = trimmed_mean_interval(&values, 0.2).unwrap();
        let centre = trimmed_mean(&values, 0.2);
        assert!((((i.low + i.high) / 2.0) - centre).abs() < 1e-9);
        assert!(i.high - i.low < 4.0, "{i:?}");
        // Wilcox's formula by hand: winsorized [6,6,6,7,7,8,8,9,9,9], sd_w, √10/6, t(0.975; 5).
        let w = [6.0, 6.0, 6.0, 7.0, 7.0, 8.0, 8.0, 9.0, 9.0, 9.0];
        let m = w.iter().sum::<f64>() / 10.0;
        let sd = (w.iter().map(|v: &f64| (v - m).powi(2)).sum::<f64>() / 9.0).sqrt();
        let half = 2.570_582 * sd * 10_f64.sqrt() / 6.0;
        assert!((i.high - centre - half).abs() < 1e-4, "{i:?} {half}");
    }

    #[test]
    fn too_few_values_give_no_interval() {
        assert_eq!(trimmed_mean_interval(&[], 0.2), None);
        assert_eq!(trimmed_mean_interval(&[5.0], 0.0), None);
        // 5 values trimmed 40 %: g = 2, one value kept.
        assert_eq!(trimmed_mean_interval(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.4), None);
        let same = trimmed_mean_interval(&[4.0, 4.0, 4.0], 0.0).unwrap();
        assert_eq!((same.low, same.high), (4.0, 4.0));
    }

    #[test]
    fn more_invocations_narrow_the_interval() {
        let noisy =
            |n: usize| -> Vec<f64> { (0..n).map(|i| 100.0 + ((i * 37) % 11) as f64).collect() };
        let few = trimmed_mean_interval(&noisy(10), 0.2).unwrap();
        let many = trimmed_mean_interval(&noisy(100), 0.2).unwrap();
        assert!(many.relative_half_width() < few.relative_half_width() / 2.0);
    }

    #[test]
    fn sizes_whose_interval_reaches_the_best_are_within_noise() {
        let at = |low, high| Some(Interval { low, high });
        let sizes = [
            at(10.0, 12.0),
            at(11.5, 13.0),
            at(12.1, 12.5),
            at(20.0, 21.0),
            None,
        ];
        assert_eq!(within_noise_of_best(&sizes, 0, 0.0), [0, 1]);
        // 2 % tolerance reaches 12.24: the third size's interval starts at 12.1.
        assert_eq!(within_noise_of_best(&sizes, 0, 0.02), [0, 1, 2]);
        assert_eq!(
            within_noise_of_best(&sizes, 4, 0.02),
            [4],
            "no interval: only itself"
        );
    }

    #[test]
    fn a_duration_interval_maps_to_a_cost_interval() {
        let i = Interval {
            low: 100.0,
            high: 110.0,
        }
        .affine(2.0, 1.0);
        assert_eq!((i.low, i.high), (201.0, 221.0));
        assert!((i.relative_half_width() - 10.0 / 211.0).abs() < 1e-12);
    }
}
