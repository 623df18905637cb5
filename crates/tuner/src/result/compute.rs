//! A result from raw measurements: what the engine measured of each size, priced, summarised
//! and given its 95 % intervals.

use super::{RunResult, SamplingSummary, SizeDetail, SizeResult, Unmeasured};
use crate::{
    arn::FunctionArn,
    failure::SizeFailure,
    memory::MemoryMb,
    pricing::{Architecture, Currency, Price},
    stats::confidence::trimmed_mean_interval,
    stats::{Sample, SizeStats},
    strategy::Strategy,
};

/// What the engine measured of one size; the raw material of a [`SizeResult`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Measurement {
    /// Successful invocations.
    pub samples: Vec<Sample>,
    /// Attempts that failed (retried or not).
    pub failed_attempts: u32,
    /// Billed ms of the failed attempts, which cost money too.
    pub failed_billed_ms: f64,
    /// The architecture of the size's version.
    pub architecture: Architecture,
    /// Its ephemeral storage in MB.
    pub ephemeral_mb: u32,
    /// Why the size failed (an invocation failed on every retry), if it did.
    pub failure: Option<SizeFailure>,
}

/// One size of a run: measured, or why not.
#[derive(Debug, Clone, PartialEq)]
pub struct SizeOutcome {
    /// The size.
    pub memory: MemoryMb,
    /// Its measurements, or why it has none.
    pub measurement: Result<Measurement, Skipped>,
}

/// Why a size was never invoked.
#[derive(Debug, Clone, PartialEq)]
pub enum Skipped {
    /// Lambda refused to publish it (for example above the account's memory quota): a failure.
    Refused(SizeFailure),
    /// Not a failure: see [`Unmeasured`].
    Unmeasured(Unmeasured),
}

/// What a result needs to know about the run besides its measurements.
#[derive(Debug, Clone, PartialEq)]
pub struct RunContext<'a> {
    /// The function tuned.
    pub function: &'a FunctionArn,
    /// `$LATEST`'s memory before the run.
    pub current_memory: MemoryMb,
    /// `$LATEST`'s architecture (used when no size was measured).
    pub architecture: Architecture,
    /// The strategy chosen.
    pub strategy: Strategy,
    /// The balanced weight chosen.
    pub balanced_weight: f64,
    /// The trimmed-mean fraction (the input's `discardTopBottom`, 0 with `onlyColdStarts`).
    pub discard: f64,
    /// The input's `tolerance`.
    pub tolerance: f64,
    /// What the run measured against the grid.
    pub sampling: Option<SamplingSummary>,
    /// The function's monthly traffic, when the input gave it.
    pub traffic: Option<crate::traffic::Traffic>,
}

impl SizeResult {
    /// The result of one size from its measurements, priced for `region`.
    pub fn from_outcome(outcome: &SizeOutcome, region: &str, discard: f64) -> Self {
        let memory = outcome.memory;
        let m = match &outcome.measurement {
            Ok(m) => m,
            Err(skipped) => {
                let (error, unmeasured) = match skipped {
                    Skipped::Refused(reason) => (Some(reason.clone()), None),
                    Skipped::Unmeasured(why) => (None, Some(*why)),
                };
                return Self {
                    memory,
                    average_duration_ms: 0.0,
                    average_cost: 0.0,
                    detail: None,
                    error,
                    unmeasured,
                };
            }
        };
        let price = Price::for_function(region, m.architecture);
        let stats = SizeStats::compute(&m.samples, m.failed_attempts, discard);
        let line = price.cost_line(memory, m.ephemeral_mb);
        let average_cost = if m.samples.is_empty() {
            0.0
        } else {
            line.at(stats.average_billed_ms)
        };
        let billed: Vec<f64> = m.samples.iter().map(|s| s.billed_ms).collect();
        let cost_interval =
            trimmed_mean_interval(&billed, discard).map(|i| i.affine(line.per_ms, line.fixed));
        let attempts = stats.invocations + m.failed_attempts;
        let total_cost = price.total(
            memory,
            stats.total_billed_ms + m.failed_billed_ms,
            attempts,
            m.ephemeral_mb,
        );
        Self {
            memory,
            average_duration_ms: stats.average_duration_ms,
            average_cost,
            error: m.failure.clone(),
            unmeasured: None,
            detail: Some(SizeDetail {
                stats,
                total_cost,
                cost_interval,
            }),
        }
    }
}

impl RunResult {
    /// The result of a run from what was measured of each size (ascending by memory).
    pub fn from_outcomes(run: &RunContext<'_>, sizes: &[SizeOutcome]) -> Self {
        let region = run.function.region();
        let architecture = sizes
            .iter()
            .find_map(|s| s.measurement.as_ref().ok().map(|m| m.architecture))
            .unwrap_or(run.architecture);
        Self {
            function_name: Some(run.function.name().to_owned()),
            region: Some(region.to_owned()),
            architecture,
            currency: Currency::of_region(region),
            current_memory: Some(run.current_memory),
            strategy: run.strategy,
            balanced_weight: run.balanced_weight,
            sizes: sizes
                .iter()
                .map(|s| SizeResult::from_outcome(s, region, run.discard))
                .collect(),
            tolerance: run.tolerance,
            sampling: run.sampling,
            traffic: run.traffic,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(memory: u32, billed: &[f64]) -> SizeOutcome {
        SizeOutcome {
            memory: MemoryMb::new(memory).unwrap(),
            measurement: Ok(Measurement {
                samples: billed
                    .iter()
                    .map(|&ms| crate::fixtures::warm_sample(ms - 0.5, ms))
                    .collect(),
                architecture: Architecture::Arm64,
                ephemeral_mb: 512,
                ..Measurement::default()
            }),
        }
    }

    #[test]
    fn results_are_computed_from_measurements_without_a_run() {
        let arn: FunctionArn = "arn:aws:lambda:eu-west-1:123456789012:function:f"
            .parse()
            .unwrap();
        let context = RunContext {
            function: &arn,
            current_memory: MemoryMb::new(1024).unwrap(),
            architecture: Architecture::X86_64,
            strategy: Strategy::Cost,
            balanced_weight: 0.5,
            discard: 0.2,
            tolerance: 0.02,
            sampling: None,
            traffic: None,
        };
        let mut failed = outcome(256, &[100.0]);
        if let Ok(m) = &mut failed.measurement {
            m.failed_attempts = 3;
            m.failed_billed_ms = 300.0;
            m.failure = Some(crate::failure::SizeFailure::new(
                crate::failure::FailureKind::OutOfMemory,
                "out of memory",
            ));
        }
        let sizes = [
            SizeOutcome {
                memory: MemoryMb::new(128).unwrap(),
                measurement: Err(Skipped::Refused(crate::failure::SizeFailure::new(
                    crate::failure::FailureKind::Refused { quota_mb: None },
                    "Lambda refused 128 MB",
                ))),
            },
            failed,
            // The trimmed mean drops 1 of 5 at each end: (100 + 100 + 100) / 3.
            outcome(1024, &[10.0, 100.0, 100.0, 100.0, 1000.0]),
        ];
        let r = RunResult::from_outcomes(&context, &sizes);
        assert_eq!(r.region.as_deref(), Some("eu-west-1"));
        assert_eq!(r.function_name.as_deref(), Some("f"));
        assert_eq!(r.architecture, Architecture::Arm64);
        assert_eq!(
            r.sizes[0].error.as_ref().unwrap().message,
            "Lambda refused 128 MB"
        );
        assert!(r.sizes[0].detail.is_none());
        assert_eq!(
            r.sizes[1].error.as_ref().unwrap().kind,
            crate::failure::FailureKind::OutOfMemory
        );
        let price = Price::for_function("eu-west-1", Architecture::Arm64);
        let m1024 = MemoryMb::new(1024).unwrap();
        assert_eq!(r.sizes[2].average_duration_ms, 99.5);
        assert_eq!(r.sizes[2].average_cost, price.invocation(m1024, 100.0, 512));
        let detail = r.sizes[2].detail.as_ref().unwrap();
        assert_eq!(detail.stats.invocations, 5);
        assert_eq!(detail.total_cost, price.total(m1024, 1310.0, 5, 512));
        // The failed size's attempts are paid for too: 1 success and 3 failures.
        let m256 = MemoryMb::new(256).unwrap();
        assert_eq!(
            r.sizes[1].detail.as_ref().unwrap().total_cost,
            price.total(m256, 400.0, 4, 512)
        );
        assert_eq!(r.recommend(Strategy::Cost).unwrap().index, 2);
    }
}
