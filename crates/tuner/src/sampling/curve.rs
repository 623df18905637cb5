//! How duration falls with memory, from a few measured sizes. Two models with three parameters
//! each are fitted, and the one with the smaller squared error predicts:
//!
//! - **Parrotfish's** `d(m) = a0 + a1·exp(−m/a2)` (Moghimi et al., "Parrotfish: Parametric
//!   Regression for Optimizing Serverless Functions", SoCC 2023): `a0` is the part more memory
//!   cannot speed up (I/O, waiting), `a1` the part it can, `a2` how fast that part shrinks. Fitted
//!   by profile least squares: for a fixed `a2` the model is linear in `a0` and `a1`, so each `a2`
//!   on a log-spaced grid gets its closed-form least-squares line, refined by golden-section
//!   search; the `a2` with the smallest error wins.
//! - **Lambda's vCPU share** `d(m) = io + serial·max(1769/m, 1) + parallel·1769/m`: Lambda gives
//!   a function CPU in proportion to its memory, one full vCPU at 1,769 MB and up to six at
//!   10,240 MB (AWS Lambda Developer Guide, "Configuring Lambda function memory"), so
//!   single-threaded work stops speeding up at 1,769 MB while multi-threaded work keeps going.
//!   Linear in its three non-negative parameters: non-negative least squares by trying every
//!   subset of them.
//!
//! No solver, no starting guess, and the same answer every time. Parrotfish's exponential fits
//! smooth speed-ups; the vCPU model fits the knee at 1,769 MB and the 1/m fall below it, which an
//! exponential overshoots.
//!
//! Both are fitted, and compared, on **relative** error (each point weighted by `1/d²`): a
//! call's noise is a share of its duration, and the sizes that matter are the fast ones. On
//! squared ms the smallest size, 10 to 100 times slower than the rest, decides the fit alone,
//! and a few percent of runtime overhead there bends the curve under every size near the
//! optimum.

/// Lambda's memory for one full vCPU, in MB.
const ONE_VCPU_MB: f64 = 1769.0;

/// A fitted duration curve: whichever model fits the points better.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DurationCurve {
    /// Parrotfish's exponential.
    Exponential(Exponential),
    /// Lambda's vCPU share: `io + serial·max(1769/m, 1) + parallel·1769/m`.
    VcpuShare {
        /// ms that memory cannot speed up.
        io: f64,
        /// ms of single-threaded work at one vCPU or more.
        serial: f64,
        /// ms of multi-threaded work at one vCPU.
        parallel: f64,
    },
}

/// Parrotfish's `a0 + a1·exp(−m/a2)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exponential {
    /// The floor more memory cannot go below, in ms.
    pub a0: f64,
    /// The part that memory speeds up, in ms at 0 MB.
    pub a1: f64,
    /// The memory scale of the speed-up, in MB.
    pub a2: f64,
}

/// A point's weight in the fits: the inverse square of its duration, so that each point counts
/// by its relative error.
fn weight(duration: f64) -> f64 {
    1.0 / duration.max(1e-3).powi(2)
}

/// The weighted squared relative error of `at` over `points`.
fn relative_error(points: &[(f64, f64)], at: impl Fn(f64) -> f64) -> f64 {
    points
        .iter()
        .map(|p| weight(p.1) * (at(p.0) - p.1).powi(2))
        .sum()
}

/// The `a2` values tried: 40 steps from 32 MB to 32 GB.
fn scales() -> impl Iterator<Item = f64> {
    (0..=40).map(|i| 32.0 * 1000_f64.powf(f64::from(i) / 40.0))
}

impl DurationCurve {
    /// The better of the two least-squares curves through `points` (memory MB, duration ms);
    /// `None` with fewer than three distinct sizes, which cannot tell three parameters apart.
    pub fn fit(points: &[(f64, f64)]) -> Option<Self> {
        let mut sizes: Vec<f64> = points.iter().map(|p| p.0).collect();
        sizes.sort_by(f64::total_cmp);
        sizes.dedup();
        if sizes.len() < 3
            || points
                .iter()
                .any(|p| !p.0.is_finite() || !p.1.is_finite() || p.0 <= 0.0)
        {
            return None;
        }
        let error = |curve: &Self| relative_error(points, |m| curve.at(m));
        let candidates = [
            Exponential::fit(points).map(Self::Exponential),
            Self::fit_vcpu_share(points),
        ];
        candidates
            .into_iter()
            .flatten()
            .min_by(|a, b| error(a).total_cmp(&error(b)))
    }

    /// The predicted duration at `memory` MB, never below 0.
    pub fn at(&self, memory: f64) -> f64 {
        match *self {
            Self::Exponential(e) => e.at(memory),
            Self::VcpuShare {
                io,
                serial,
                parallel,
            } => {
                let share = ONE_VCPU_MB / memory;
                (io + serial * share.max(1.0) + parallel * share).max(0.0)
            }
        }
    }

    /// Non-negative least squares of the vCPU model: the best fit over every subset of its
    /// parameters whose unconstrained solution is non-negative.
    fn fit_vcpu_share(points: &[(f64, f64)]) -> Option<Self> {
        let basis = |m: f64| {
            let share = ONE_VCPU_MB / m;
            [1.0, share.max(1.0), share]
        };
        let mut best: Option<(f64, [f64; 3])> = None;
        for subset in 1..8_u8 {
            let used: Vec<usize> = (0..3).filter(|k| subset & (1 << k) != 0).collect();
            let Some(solved) = least_squares(points, &used, &basis) else {
                continue;
            };
            if solved.iter().any(|c| *c < 0.0) {
                continue;
            }
            let mut coefficients = [0.0; 3];
            for (&k, c) in used.iter().zip(solved) {
                coefficients[k] = c;
            }
            let error = relative_error(points, |m| {
                let b = basis(m);
                (0..3).map(|k| coefficients[k] * b[k]).sum()
            });
            if best.is_none_or(|(e, _)| error < e) {
                best = Some((error, coefficients));
            }
        }
        best.map(|(_, [io, serial, parallel])| Self::VcpuShare {
            io,
            serial,
            parallel,
        })
    }
}

/// The weighted least-squares coefficients of the basis functions `used` (normal equations, solved by
/// Gauss–Jordan elimination with partial pivoting); `None` when they are not independent here.
/// At most three unknowns: a linear-algebra crate would cost the download more than these lines.
fn least_squares(
    points: &[(f64, f64)],
    used: &[usize],
    basis: &dyn Fn(f64) -> [f64; 3],
) -> Option<Vec<f64>> {
    let n = used.len();
    let mut a = vec![vec![0.0; n + 1]; n];
    for p in points {
        let (b, w) = (basis(p.0), weight(p.1));
        for (i, &bi) in used.iter().enumerate() {
            for (j, &bj) in used.iter().enumerate() {
                a[i][j] += w * b[bi] * b[bj];
            }
            a[i][n] += w * b[bi] * p.1;
        }
    }
    for col in 0..n {
        let pivot = (col..n).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))?;
        if a[pivot][col].abs() < 1e-9 * a[pivot].iter().map(|v| v.abs()).fold(1.0, f64::max) {
            return None;
        }
        a.swap(col, pivot);
        let pivot_row = a[col].clone();
        for (row, values) in a.iter_mut().enumerate() {
            if row != col {
                let factor = values[col] / pivot_row[col];
                for (value, p) in values.iter_mut().zip(&pivot_row).skip(col) {
                    *value -= factor * p;
                }
            }
        }
    }
    Some((0..n).map(|i| a[i][n] / a[i][i]).collect())
}

impl Exponential {
    /// Profile least squares over `a2`.
    fn fit(points: &[(f64, f64)]) -> Option<Self> {
        let mut best: Option<(f64, Self)> = None;
        for a2 in scales() {
            if let Some((error, curve)) = Self::line_at(points, a2)
                && best.is_none_or(|(e, _)| error < e)
            {
                best = Some((error, curve));
            }
        }
        // Refine between the grid's neighbours of the best scale: golden-section search on
        // log a2, where the error is smooth.
        let (_, coarse) = best?;
        let step = 1000_f64.powf(1.0 / 40.0).ln();
        let (mut lo, mut hi) = (coarse.a2.ln() - step, coarse.a2.ln() + step);
        let ratio = (5_f64.sqrt() - 1.0) / 2.0;
        for _ in 0..40 {
            let (x1, x2) = (hi - ratio * (hi - lo), lo + ratio * (hi - lo));
            let e = |x: f64| Self::line_at(points, x.exp()).map_or(f64::INFINITY, |(e, _)| e);
            if e(x1) < e(x2) {
                hi = x2;
            } else {
                lo = x1;
            }
        }
        let refined = Self::line_at(points, ((lo + hi) / 2.0).exp());
        match (refined, best) {
            (Some((e, c)), Some((coarse_error, _))) if e <= coarse_error => Some(c),
            (_, best) => best.map(|(_, c)| c),
        }
    }

    /// The weighted least-squares `a0`, `a1` for a fixed `a2`, and its relative error.
    fn line_at(points: &[(f64, f64)], a2: f64) -> Option<(f64, Self)> {
        let ws: Vec<f64> = points.iter().map(|p| weight(p.1)).collect();
        let total: f64 = ws.iter().sum();
        let xs: Vec<f64> = points.iter().map(|p| (-p.0 / a2).exp()).collect();
        let mean_x = xs.iter().zip(&ws).map(|(x, w)| w * x).sum::<f64>() / total;
        let mean_y = points.iter().zip(&ws).map(|(p, w)| w * p.1).sum::<f64>() / total;
        let sxx: f64 = xs
            .iter()
            .zip(&ws)
            .map(|(x, w)| w * (x - mean_x).powi(2))
            .sum();
        if sxx <= f64::EPSILON * total {
            return None;
        }
        let sxy: f64 = xs
            .iter()
            .zip(points)
            .zip(&ws)
            .map(|((x, p), w)| w * (x - mean_x) * (p.1 - mean_y))
            .sum();
        // Duration never rises with memory in this model: a negative slope is clamped to a flat
        // line, which the data then judges.
        let a1 = (sxy / sxx).max(0.0);
        let a0 = mean_y - a1 * mean_x;
        let curve = Self { a0, a1, a2 };
        Some((relative_error(points, |m| curve.at(m)), curve))
    }

    /// The predicted duration at `memory` MB, never below 0.
    pub fn at(&self, memory: f64) -> f64 {
        (self.a0 + self.a1 * (-memory / self.a2).exp()).max(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_curve_is_recovered_from_its_own_points() {
        let truth = DurationCurve::Exponential(Exponential {
            a0: 120.0,
            a1: 4000.0,
            a2: 400.0,
        });
        let points: Vec<(f64, f64)> = [128.0, 256.0, 512.0, 1024.0, 2048.0]
            .into_iter()
            .map(|m| (m, truth.at(m)))
            .collect();
        let fit = DurationCurve::fit(&points).unwrap();
        for m in [192.0, 768.0, 1536.0, 3008.0] {
            let rel = (fit.at(m) - truth.at(m)).abs() / truth.at(m);
            assert!(rel < 0.03, "at {m}: {} vs {}", fit.at(m), truth.at(m));
        }
    }

    #[test]
    fn the_vcpu_knee_is_recovered_where_an_exponential_overshoots() {
        // Single-threaded work of 900 ms at one vCPU plus 40 ms of I/O: 1/m below 1,769 MB,
        // flat above.
        let truth = DurationCurve::VcpuShare {
            io: 40.0,
            serial: 900.0,
            parallel: 0.0,
        };
        let points: Vec<(f64, f64)> = [128.0, 256.0, 640.0, 1344.0, 3008.0]
            .into_iter()
            .map(|m| (m, truth.at(m)))
            .collect();
        let fit = DurationCurve::fit(&points).unwrap();
        assert!(matches!(fit, DurationCurve::VcpuShare { .. }), "{fit:?}");
        for m in [192.0, 960.0, 1600.0, 1792.0, 2240.0] {
            let rel = (fit.at(m) - truth.at(m)).abs() / truth.at(m);
            assert!(rel < 0.01, "at {m}: {} vs {}", fit.at(m), truth.at(m));
        }
        let exponential = Exponential::fit(&points).unwrap();
        let worst = [960.0, 1600.0]
            .map(|m| (exponential.at(m) - truth.at(m)).abs() / truth.at(m))
            .into_iter()
            .fold(0.0, f64::max);
        assert!(worst > 0.05, "the exponential alone is off by {worst}");
    }

    #[test]
    fn multi_threaded_work_keeps_speeding_up_past_one_vcpu() {
        let truth = DurationCurve::VcpuShare {
            io: 10.0,
            serial: 100.0,
            parallel: 2000.0,
        };
        let points: Vec<(f64, f64)> = [128.0, 512.0, 1769.0, 4096.0, 10240.0]
            .into_iter()
            .map(|m| (m, truth.at(m)))
            .collect();
        let fit = DurationCurve::fit(&points).unwrap();
        assert!((fit.at(7168.0) - truth.at(7168.0)).abs() < 1.0, "{fit:?}");
    }

    #[test]
    fn a_flat_function_fits_flat() {
        let points = [(128.0, 50.0), (512.0, 51.0), (1024.0, 49.0), (2048.0, 50.0)];
        let fit = DurationCurve::fit(&points).unwrap();
        assert!((fit.at(3008.0) - 50.0).abs() < 1.5, "{fit:?}");
        assert!((fit.at(128.0) - 50.0).abs() < 1.5, "{fit:?}");
    }

    #[test]
    fn two_sizes_are_not_enough() {
        assert_eq!(
            DurationCurve::fit(&[(128.0, 10.0), (256.0, 5.0), (256.0, 6.0)]),
            None
        );
        assert_eq!(
            DurationCurve::fit(&[(128.0, f64::NAN), (256.0, 5.0), (512.0, 3.0)]),
            None
        );
    }
}

#[cfg(test)]
mod relative_fit_tests {
    use super::*;

    #[test]
    fn overhead_at_the_smallest_size_does_not_bend_the_curve_near_the_optimum() {
        // Single-threaded work with a runtime overhead that only the smallest sizes pay (40 %
        // at 128 MB, 10 % at 256 MB), as a managed runtime's GC and JIT do. Its cost is flat
        // from about 640 MB to one vCPU. Fitted on squared ms, 128 MB (ten times slower than
        // the rest) decided the curve alone: the exponential won, undershot between the rungs,
        // and put the cheapest size at 576 MB, so the flat bottom was never raced.
        let truth = |m: f64| {
            let vcpus = m / 1769.0;
            let cpu = if vcpus <= 1.0 {
                1000.0 / vcpus * (1.0 + 0.1 * (256.0 / m).powi(2))
            } else {
                1000.0 * (0.95 + 0.05 / vcpus.min(2.0))
            };
            cpu + 20.0
        };
        let points: Vec<(f64, f64)> = [128.0, 256.0, 640.0, 1344.0, 1792.0, 3008.0]
            .into_iter()
            .map(|m| (m, truth(m)))
            .collect();
        let fit = DurationCurve::fit(&points).unwrap();

        // What the shortlist reads is each size's cost against the others': neither model has
        // an overhead term, so the level may be off by a few percent, but not the shape (the
        // old fit had 576 MB 39 % cheaper than it is, against 1,344 MB).
        let cost = |f: &dyn Fn(f64) -> f64, m: f64| m * f(m) / (1344.0 * f(1344.0));
        for m in [576.0, 768.0, 1024.0, 1536.0, 1728.0] {
            let (fitted, true_cost) = (cost(&|x| fit.at(x), m), cost(&truth, m));
            let rel = (fitted / true_cost - 1.0).abs();
            assert!(rel < 0.03, "at {m}: {fitted} vs {true_cost} ({fit:?})");
        }
    }
}
