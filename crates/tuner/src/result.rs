//! The result model of a run: what was measured per size, the recommendation under each
//! strategy, the Pareto front, and the computation of all of it from raw measurements.
//!
//! Everything that shows or ships a result (the original's output object in [`crate::output`],
//! share links in [`crate::share`], exports in [`crate::export`], the web app) depends on this
//! module, never the other way round.

use serde::{Deserialize, Serialize};

use crate::{
    arn::FunctionArn,
    memory::MemoryMb,
    pricing::{Architecture, Currency, Price},
    stats::{Sample, SizeStats},
    strategy::{self, Candidate, ChangeFromCurrent, Strategy},
};

/// What was measured for one memory size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SizeResult {
    /// The memory size.
    pub memory: MemoryMb,
    /// Trimmed-mean duration in ms (the original's `averageDuration`).
    pub average_duration_ms: f64,
    /// Average cost of one invocation (the original's `averagePrice`).
    pub average_cost: f64,
    /// Everything else measured; absent for results read from an original chart link, which
    /// carries only duration and cost.
    pub detail: Option<SizeDetail>,
    /// Why this size failed, if it did; failed sizes take no part in the recommendation.
    pub error: Option<String>,
}

/// The full measurements of one size.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SizeDetail {
    /// The statistics.
    #[serde(flatten)]
    pub stats: SizeStats,
    /// Cost of every invocation of this size.
    pub total_cost: f64,
}

impl SizeResult {
    /// Whether this size can be recommended.
    pub fn is_usable(&self) -> bool {
        self.error.is_none()
            && self.average_duration_ms > 0.0
            && self.average_duration_ms.is_finite()
    }

    fn candidate(&self) -> Candidate {
        Candidate {
            power: self.memory.get(),
            cost: self.average_cost,
            duration: self.average_duration_ms,
        }
    }
}

/// A whole run's results: enough to render, recommend, and share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunResult {
    /// Function name, only when the user chose to show it.
    pub function_name: Option<String>,
    /// Region of the function.
    pub region: Option<String>,
    /// Architecture measured.
    pub architecture: Architecture,
    /// Currency of the costs.
    pub currency: Currency,
    /// The memory the function had before the run.
    pub current_memory: Option<MemoryMb>,
    /// The strategy chosen.
    pub strategy: Strategy,
    /// The balanced weight chosen.
    pub balanced_weight: f64,
    /// One entry per size, ascending by memory.
    pub sizes: Vec<SizeResult>,
}

/// A recommendation under one strategy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Recommendation {
    /// The strategy.
    pub strategy: Strategy,
    /// Index into [`RunResult::sizes`].
    pub index: usize,
    /// Compared with the current memory, when that was measured too.
    pub versus_current: Option<ChangeFromCurrent>,
}

impl RunResult {
    /// This result as viewed with another strategy or balanced weight, when one is picked;
    /// the measurements are the same.
    pub fn viewed_as(mut self, strategy: Option<Strategy>, weight: Option<f64>) -> Self {
        if let Some(s) = strategy {
            self.strategy = s;
        }
        if let Some(w) = weight {
            self.balanced_weight = w;
        }
        self
    }

    /// The memory size recommended under this result's own strategy.
    pub fn recommended_memory(&self) -> Option<MemoryMb> {
        let best = self.recommend(self.strategy)?;
        Some(self.sizes[best.index].memory)
    }

    /// The best size under `strategy` (with this result's balanced weight), among the usable sizes.
    pub fn recommend(&self, strategy: Strategy) -> Option<Recommendation> {
        let usable: Vec<usize> = (0..self.sizes.len())
            .filter(|&i| self.sizes[i].is_usable())
            .collect();
        let candidates: Vec<Candidate> =
            usable.iter().map(|&i| self.sizes[i].candidate()).collect();
        let index = usable[strategy::select(&candidates, strategy, self.balanced_weight)?];
        let current = self
            .current_memory
            .and_then(|m| self.sizes.iter().find(|s| s.memory == m && s.is_usable()));
        Some(Recommendation {
            strategy,
            index,
            versus_current: current.map(|c| {
                ChangeFromCurrent::between(&c.candidate(), &self.sizes[index].candidate())
            }),
        })
    }

    /// The usable sizes no other size beats on both cost and duration (the trade-offs worth
    /// considering), as indices into [`RunResult::sizes`], fastest first.
    pub fn pareto_front(&self) -> Vec<usize> {
        let usable: Vec<usize> = (0..self.sizes.len())
            .filter(|&i| self.sizes[i].is_usable())
            .collect();
        let dominates = |a: &SizeResult, b: &SizeResult| {
            a.average_cost <= b.average_cost
                && a.average_duration_ms <= b.average_duration_ms
                && (a.average_cost < b.average_cost
                    || a.average_duration_ms < b.average_duration_ms)
        };
        let mut front: Vec<usize> = usable
            .iter()
            .copied()
            .filter(|&i| {
                !usable
                    .iter()
                    .any(|&j| dominates(&self.sizes[j], &self.sizes[i]))
            })
            .collect();
        front.sort_by(|&a, &b| {
            self.sizes[a]
                .average_duration_ms
                .total_cmp(&self.sizes[b].average_duration_ms)
        });
        front
    }

    /// Total cost of all invocations of the run.
    pub fn lambda_cost(&self) -> f64 {
        self.sizes
            .iter()
            .filter_map(|s| s.detail.as_ref())
            .map(|d| d.total_cost)
            .sum()
    }
}

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
    pub failure: Option<String>,
}

/// One size of a run: measured, or why not.
#[derive(Debug, Clone, PartialEq)]
pub struct SizeOutcome {
    /// The size.
    pub memory: MemoryMb,
    /// Its measurements; `Err` with the reason when it was never invoked (refused by Lambda,
    /// not chosen by the sampling policy, or the run stopped first).
    pub measurement: Result<Measurement, String>,
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
}

impl SizeResult {
    /// The result of one size from its measurements, priced for `region`.
    pub fn from_outcome(outcome: &SizeOutcome, region: &str, discard: f64) -> Self {
        let memory = outcome.memory;
        let m = match &outcome.measurement {
            Ok(m) => m,
            Err(reason) => {
                return Self {
                    memory,
                    average_duration_ms: 0.0,
                    average_cost: 0.0,
                    detail: None,
                    error: Some(reason.clone()),
                };
            }
        };
        let price = Price::for_function(region, m.architecture);
        let stats = SizeStats::compute(&m.samples, m.failed_attempts, discard);
        let average_cost = if m.samples.is_empty() {
            0.0
        } else {
            price.invocation(memory, stats.average_billed_ms, m.ephemeral_mb)
        };
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
            detail: Some(SizeDetail { stats, total_cost }),
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
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) use crate::fixtures::run_of_rows as run;

    #[test]
    fn pareto_front_keeps_only_undominated_sizes_fastest_first() {
        // 256 is dominated by 512 (cheaper and faster); 2048 costs more than 1024 for no speed.
        let mut r = run(
            &[
                (128, 1.0, 900.0, 0.0),
                (256, 1.5, 600.0, 0.0),
                (512, 1.2, 300.0, 0.0),
                (1024, 2.0, 150.0, 0.0),
                (2048, 4.0, 150.0, 0.0),
            ],
            Strategy::Cost,
            0.5,
        );
        assert_eq!(r.pareto_front(), vec![3, 2, 0]);
        r.sizes[3].error = Some("timed out".into());
        assert_eq!(r.pareto_front(), vec![4, 2, 0]);
    }

    #[test]
    fn a_view_changes_the_strategy_and_its_recommendation_not_the_measurements() {
        let readme = crate::fixtures::readme_run();
        let cheapest = readme.clone().viewed_as(Some(Strategy::Cost), None);
        let fastest = readme.clone().viewed_as(Some(Strategy::Speed), Some(0.1));
        assert_eq!(fastest.balanced_weight, 0.1);
        assert_eq!(fastest.sizes, readme.sizes);
        assert_ne!(cheapest.recommended_memory(), fastest.recommended_memory());
        assert_eq!(readme.clone().viewed_as(None, None), readme);
    }

    #[test]
    fn comparison_with_current_memory() {
        let mut r = run(
            &[(128, 1.0, 200.0, 1.0), (1024, 4.0, 50.0, 1.0)],
            Strategy::Cost,
            0.5,
        );
        r.current_memory = Some(MemoryMb::new(1024).unwrap());
        let rec = r.recommend(Strategy::Cost).unwrap();
        assert_eq!(
            rec.versus_current.unwrap().to_string(),
            "75% cheaper, 300% slower"
        );
    }

    fn outcome(memory: u32, billed: &[f64]) -> SizeOutcome {
        SizeOutcome {
            memory: MemoryMb::new(memory).unwrap(),
            measurement: Ok(Measurement {
                samples: billed
                    .iter()
                    .map(|&ms| Sample {
                        duration_ms: ms - 0.5,
                        billed_ms: ms,
                        init_ms: 0.0,
                        cold_start: false,
                        max_memory_used_mb: None,
                    })
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
        };
        let mut failed = outcome(256, &[100.0]);
        if let Ok(m) = &mut failed.measurement {
            m.failed_attempts = 3;
            m.failed_billed_ms = 300.0;
            m.failure = Some("out of memory".into());
        }
        let sizes = [
            SizeOutcome {
                memory: MemoryMb::new(128).unwrap(),
                measurement: Err("Lambda refused 128 MB".into()),
            },
            failed,
            // The trimmed mean drops 1 of 5 at each end: (100 + 100 + 100) / 3.
            outcome(1024, &[10.0, 100.0, 100.0, 100.0, 1000.0]),
        ];
        let r = RunResult::from_outcomes(&context, &sizes);
        assert_eq!(r.region.as_deref(), Some("eu-west-1"));
        assert_eq!(r.function_name.as_deref(), Some("f"));
        assert_eq!(r.architecture, Architecture::Arm64);
        assert_eq!(r.sizes[0].error.as_deref(), Some("Lambda refused 128 MB"));
        assert!(r.sizes[0].detail.is_none());
        assert_eq!(r.sizes[1].error.as_deref(), Some("out of memory"));
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
