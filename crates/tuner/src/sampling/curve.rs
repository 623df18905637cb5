//! How duration falls with memory: the model `d(m) = a0 + a1·exp(−m/a2)` that Parrotfish (Moghimi
//! et al., "Parrotfish: Parametric Regression for Optimizing Serverless Functions", SoCC 2023)
//! fits to a few measured sizes. `a0` is the part more memory cannot speed up (I/O, waiting),
//! `a1` the part it can, `a2` how fast that part shrinks.
//!
//! Fitted by profile least squares: for a fixed `a2` the model is linear in `a0` and `a1`, so each
//! `a2` on a log-spaced grid gets its closed-form least-squares line, and the `a2` with the
//! smallest squared error wins. No solver, no starting guess, and the same answer every time.

/// A fitted duration curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DurationCurve {
    /// The floor more memory cannot go below, in ms.
    pub a0: f64,
    /// The part that memory speeds up, in ms at 0 MB.
    pub a1: f64,
    /// The memory scale of the speed-up, in MB.
    pub a2: f64,
}

/// The `a2` values tried: 40 steps from 32 MB to 32 GB.
fn scales() -> impl Iterator<Item = f64> {
    (0..=40).map(|i| 32.0 * 1000_f64.powf(f64::from(i) / 40.0))
}

impl DurationCurve {
    /// The least-squares curve through `points` (memory MB, duration ms); `None` with fewer
    /// than three distinct sizes, which cannot tell the three parameters apart.
    pub fn fit(points: &[(f64, f64)]) -> Option<Self> {
        let mut sizes: Vec<f64> = points.iter().map(|p| p.0).collect();
        sizes.sort_by(f64::total_cmp);
        sizes.dedup();
        if sizes.len() < 3 || points.iter().any(|p| !p.0.is_finite() || !p.1.is_finite()) {
            return None;
        }
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

    /// The least-squares `a0`, `a1` for a fixed `a2`, and its squared error.
    fn line_at(points: &[(f64, f64)], a2: f64) -> Option<(f64, Self)> {
        let n = points.len() as f64;
        let xs: Vec<f64> = points.iter().map(|p| (-p.0 / a2).exp()).collect();
        let mean_x = xs.iter().sum::<f64>() / n;
        let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
        let sxx: f64 = xs.iter().map(|x| (x - mean_x).powi(2)).sum();
        if sxx <= f64::EPSILON {
            return None;
        }
        let sxy: f64 = xs
            .iter()
            .zip(points)
            .map(|(x, p)| (x - mean_x) * (p.1 - mean_y))
            .sum();
        // Duration never rises with memory in this model: a negative slope is clamped to a flat
        // line, which the data then judges.
        let a1 = (sxy / sxx).max(0.0);
        let a0 = mean_y - a1 * mean_x;
        let curve = Self { a0, a1, a2 };
        let error = points.iter().map(|p| (curve.at(p.0) - p.1).powi(2)).sum();
        Some((error, curve))
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
        let truth = DurationCurve {
            a0: 120.0,
            a1: 4000.0,
            a2: 400.0,
        };
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
