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

impl RunResult {
    /// The model's figures for every size the sampling policy chose not to measure; empty when
    /// there is none, or fewer than three measured sizes to fit the curve to.
    pub fn predicted(&self) -> Vec<PredictedSize> {
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
        let Some(curve) = DurationCurve::fit(&points) else {
            return Vec::new();
        };
        let price = Price::for_function(
            self.region.as_deref().unwrap_or("us-east-1"),
            self.architecture,
        );
        skipped
            .into_iter()
            .map(|memory| {
                let duration_ms = curve.at(f64::from(memory.get())).max(0.0);
                PredictedSize {
                    memory,
                    duration_ms,
                    cost: price.cost_line(memory, 512).at(duration_ms.ceil()),
                }
            })
            .collect()
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
