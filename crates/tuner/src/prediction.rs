//! What the duration model predicts for the sizes a run never measured (adaptive sampling
//! skips most of them), so charts can show the model's view next to the measurements, visibly
//! apart from them.
//!
//! The curve is [`DurationCurve`] (Parrotfish's `a0 + a1·exp(−m/a2)`) fitted to the measured
//! trimmed-mean durations; the cost is that duration, rounded up to Lambda's 1 ms billing, at the
//! function's region and architecture with the default 512 MB of ephemeral storage (the result
//! does not carry the storage size; storage is free up to 512 MB and a small part of the price
//! above it). A prediction is never a measurement: no recommendation or statistic uses one.

use crate::{
    memory::MemoryMb,
    pricing::Price,
    result::{RunResult, Unmeasured},
    sampling::DurationCurve,
    strategy::{Strategy, balanced_score},
};

/// The model's figures for one size that was not measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PredictedSize {
    /// The size.
    pub memory: MemoryMb,
    /// Predicted average duration in ms.
    pub duration_ms: f64,
    /// Predicted cost of one invocation.
    pub cost: f64,
}

/// Why the model gives no figures for a size that was not measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoPrediction {
    /// Fewer than three sizes were measured: too few to fit the curve to.
    TooFewMeasured,
    /// Below the smallest size that worked: the function may fail there (it did at a size
    /// below), and the curve has nothing below to go on.
    BelowWorking {
        /// The smallest size measured that worked.
        smallest: MemoryMb,
    },
    /// Above the largest size measured: the curve would extrapolate.
    AboveMeasured {
        /// The largest size measured.
        largest: MemoryMb,
    },
}

impl std::fmt::Display for NoPrediction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TooFewMeasured => f.write_str("no prediction: fewer than three sizes measured"),
            Self::BelowWorking { smallest } => write!(
                f,
                "no prediction: below {smallest}, the smallest size that worked"
            ),
            Self::AboveMeasured { largest } => write!(
                f,
                "no prediction: above {largest}, the largest size measured"
            ),
        }
    }
}

impl RunResult {
    /// The model's figures for every size the sampling policy chose not to measure, or why
    /// there are none: only inside the measured working range (between the smallest and the
    /// largest size that worked), where the curve interpolates; never below a size that failed
    /// with nothing working below it.
    pub fn predictions(&self) -> Vec<(MemoryMb, Result<PredictedSize, NoPrediction>)> {
        let skipped: Vec<MemoryMb> = self
            .sizes
            .iter()
            .filter(|s| s.unmeasured == Some(Unmeasured::NotChosen))
            .map(|s| s.memory)
            .collect();
        if skipped.is_empty() {
            return Vec::new();
        }
        let points: Vec<(f64, f64)> = self
            .sizes
            .iter()
            .filter(|s| s.is_usable())
            .map(|s| (f64::from(s.memory.get()), s.average_duration_ms))
            .collect();
        let working = self
            .sizes
            .iter()
            .filter(|s| s.is_usable())
            .map(|s| s.memory);
        let (Some(smallest), Some(largest), Some(curve)) = (
            working.clone().min(),
            working.max(),
            DurationCurve::fit(&points),
        ) else {
            return skipped
                .into_iter()
                .map(|m| (m, Err(NoPrediction::TooFewMeasured)))
                .collect();
        };
        let price = Price::for_function(
            self.region.as_deref().unwrap_or("us-east-1"),
            self.architecture,
        );
        skipped
            .into_iter()
            .map(|memory| {
                if memory < smallest {
                    return (memory, Err(NoPrediction::BelowWorking { smallest }));
                }
                if memory > largest {
                    return (memory, Err(NoPrediction::AboveMeasured { largest }));
                }
                let duration_ms = curve.at(f64::from(memory.get())).max(0.0);
                let predicted = PredictedSize {
                    memory,
                    duration_ms,
                    cost: price.cost_line(memory, 512).at(duration_ms.ceil()),
                };
                (memory, Ok(predicted))
            })
            .collect()
    }

    /// The model's figures for the sizes [`Self::predictions`] predicts.
    pub fn predicted(&self) -> Vec<PredictedSize> {
        self.predictions()
            .into_iter()
            .filter_map(|(_, p)| p.ok())
            .collect()
    }

    /// The sizes never measured, in a line for a folded table: "34 sizes not measured: the
    /// model puts each at least 15 % from the best (cost)". `None` when every size was
    /// measured.
    pub fn unmeasured_statement(&self) -> Option<String> {
        let count = self.sizes.iter().filter(|s| s.unmeasured.is_some()).count();
        if count == 0 {
            return None;
        }
        let sizes = if count == 1 { "size" } else { "sizes" };
        let closest = self.closest_predicted_gap();
        Some(match closest {
            Some(gap) => format!(
                "{count} {sizes} not measured: the model puts each at least {:.0} % from the best ({})",
                (gap * 100.0).floor(),
                self.strategy
            ),
            None => format!("{count} {sizes} not measured"),
        })
    }

    /// How close the model puts the nearest predicted size to the best measured one, under the
    /// run's strategy, relatively (`None` without predictions or measurements).
    fn closest_predicted_gap(&self) -> Option<f64> {
        let measured: Vec<(f64, f64)> = self
            .sizes
            .iter()
            .filter(|s| s.is_usable())
            .map(|s| (s.average_cost, s.average_duration_ms))
            .collect();
        let max = |pick: fn(&(f64, f64)) -> f64| measured.iter().map(pick).fold(0.0, f64::max);
        let maxima = (max(|m| m.0), max(|m| m.1));
        let objective = |(cost, duration): (f64, f64)| match self.strategy {
            Strategy::Cost => cost,
            Strategy::Speed => duration,
            Strategy::Balanced => balanced_score(self.balanced_weight, (cost, duration), maxima),
        };
        let best = measured
            .iter()
            .map(|&m| objective(m))
            .fold(f64::INFINITY, f64::min);
        if !best.is_finite() || best <= 0.0 {
            return None;
        }
        self.predicted()
            .iter()
            .map(|p| (objective((p.cost, p.duration_ms)) / best - 1.0).max(0.0))
            .min_by(f64::total_cmp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::measured_run;

    #[test]
    fn sizes_never_measured_get_the_models_figures_and_measured_ones_do_not() {
        let mut run = measured_run();
        assert!(run.predicted().is_empty(), "every size was measured");
        // 512 MB skipped: the curve through 256, 1024 and 2048 MB predicts it.
        let truth = run.sizes[1].average_duration_ms;
        run.sizes[1].unmeasured = Some(Unmeasured::NotChosen);
        run.sizes[1].detail = None;
        let predicted = run.predicted();
        assert_eq!(predicted.len(), 1);
        assert_eq!(predicted[0].memory.get(), 512);
        let error = (predicted[0].duration_ms / truth - 1.0).abs();
        assert!(error < 0.1, "{} against {truth}", predicted[0].duration_ms);
        assert!(predicted[0].cost > 0.0);
        // A size the run stopped before is not the model's to fill in.
        run.sizes[1].unmeasured = Some(Unmeasured::Stopped);
        assert!(run.predicted().is_empty());
    }

    #[test]
    fn sizes_outside_the_working_range_get_no_prediction_and_say_why() {
        // Out of memory at 128 and 256 MB, working from 640 MB: the curve through 640..=1536 MB
        // put 192 MB cheaper than anything measured (a demo run drew it so); 3008 MB would be
        // an extrapolation. Neither is predicted, and both say why; 768 MB, between measured
        // sizes, is.
        let mut run = crate::fixtures::run_of_rows(
            &[
                (128, 0.0, 0.0, 0.0),
                (192, 0.0, 0.0, 0.0),
                (256, 0.0, 0.0, 0.0),
                (640, 1.0, 900.0, 0.0),
                (768, 0.0, 0.0, 0.0),
                (1024, 1.0, 560.0, 0.0),
                (1536, 1.0, 380.0, 0.0),
                (3008, 0.0, 0.0, 0.0),
            ],
            crate::strategy::Strategy::Cost,
            0.5,
        );
        for i in [0, 2] {
            run.sizes[i].error = Some(crate::failure::SizeFailure::new(
                crate::failure::FailureKind::OutOfMemory,
                "out of memory",
            ));
        }
        for i in [1, 4, 7] {
            run.sizes[i].unmeasured = Some(Unmeasured::NotChosen);
        }
        let predictions = run.predictions();
        let why = |m: u32| {
            let p = predictions.iter().find(|p| p.0.get() == m).unwrap();
            p.1.map(|_| "predicted".to_owned())
                .unwrap_or_else(|w| w.to_string())
        };
        assert_eq!(
            why(192),
            "no prediction: below 640 MB, the smallest size that worked"
        );
        assert_eq!(
            why(3008),
            "no prediction: above 1536 MB, the largest size measured"
        );
        assert_eq!(why(768), "predicted");
        assert_eq!(run.predicted().len(), 1);
    }

    #[test]
    fn the_sizes_never_measured_are_summed_up_with_how_far_the_model_puts_them() {
        let mut run = measured_run();
        assert_eq!(run.unmeasured_statement(), None);
        run.sizes[1].unmeasured = Some(Unmeasured::NotChosen);
        run.sizes[1].detail = None;
        let statement = run.unmeasured_statement().unwrap();
        assert!(
            statement.starts_with("1 size not measured: the model puts each at least ")
                && statement.ends_with("% from the best (cost)"),
            "{statement}"
        );
        // Without a model (two sizes measured), the count alone.
        run.sizes[2].unmeasured = Some(Unmeasured::NotChosen);
        run.sizes[2].detail = None;
        assert_eq!(
            run.unmeasured_statement().as_deref(),
            Some("2 sizes not measured")
        );
    }

    #[test]
    fn too_few_measured_sizes_predict_nothing() {
        let mut run = measured_run();
        for size in &mut run.sizes[1..3] {
            size.unmeasured = Some(Unmeasured::NotChosen);
            size.detail = None;
        }
        assert!(
            run.predicted().is_empty(),
            "two sizes cannot fit three parameters"
        );
    }
}
