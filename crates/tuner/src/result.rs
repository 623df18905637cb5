//! The result model of a run: what was measured per size, the recommendation under each
//! strategy, the Pareto front, and the computation of all of it from raw measurements.
//!
//! Everything that shows or ships a result (the original's output object in [`crate::output`],
//! share links in [`crate::share`], exports in [`crate::export`], the web app) depends on this
//! module, never the other way round.

use serde::{Deserialize, Serialize};

mod compute;
mod serialized;

pub use compute::{Measurement, RunContext, SizeOutcome, Skipped};

use crate::{
    failure::SizeFailure,
    memory::MemoryMb,
    pricing::{Architecture, Currency},
    sampling::SamplingMode,
    stats::SizeStats,
    stats::confidence::Interval,
    strategy::{self, Candidate, ChangeFromCurrent, Strategy},
    traffic::Traffic,
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
    pub error: Option<SizeFailure>,
    /// Why this size was never invoked, if it was not (it did not fail: it has no measurement).
    #[serde(default)]
    pub unmeasured: Option<Unmeasured>,
}

/// Why a size of `powerValues` has no measurement although it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Unmeasured {
    /// The sampling policy did not choose it (adaptive sampling predicted it cannot win).
    NotChosen,
    /// The run stopped (cancelled or failed) before it.
    Stopped,
}

/// How a table says that a size has no measurement.
pub const NOT_MEASURED: &str = "not measured";

impl std::fmt::Display for Unmeasured {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::NotChosen => "not measured: the sampling policy did not choose this size",
            Self::Stopped => "not measured: the run stopped before this size",
        })
    }
}

/// The full measurements of one size (written as `result/serialized.rs` says).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SizeDetail {
    /// The statistics.
    pub stats: SizeStats,
    /// Cost of every invocation of this size.
    pub total_cost: f64,
    /// The 95 % interval of the average cost (see [`crate::stats::confidence`]).
    pub cost_interval: Option<Interval>,
}

impl SizeResult {
    /// Whether this size can be recommended.
    pub fn is_usable(&self) -> bool {
        self.error.is_none()
            && self.unmeasured.is_none()
            && self.average_duration_ms > 0.0
            && self.average_duration_ms.is_finite()
    }

    /// What the strategies compare of this size.
    pub fn candidate(&self) -> Candidate {
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
    /// The relative margin within which two sizes count as equally good (the input's
    /// `tolerance`).
    #[serde(default = "default_tolerance")]
    pub tolerance: f64,
    /// How the run sampled, when it was measured here (not for a result read from a link of
    /// the original's chart site).
    #[serde(default)]
    pub sampling: Option<SamplingSummary>,
    /// The function's monthly traffic, when the input gave it (see [`crate::monthly`]).
    #[serde(default)]
    pub traffic: Option<Traffic>,
}

impl SamplingSummary {
    /// What adaptive sampling saved, in words; `None` for the grid, which is the yardstick.
    pub fn statement(&self) -> Option<String> {
        (self.mode == SamplingMode::Adaptive).then(|| {
            format!(
                "adaptive sampling made {} invocations and published {} versions, against the grid's {} and {} ({:.0} % of its invocations)",
                self.invocations,
                self.published,
                self.grid_invocations,
                self.grid_published,
                100.0 * f64::from(self.invocations) / f64::from(self.grid_invocations.max(1))
            )
        })
    }
}

fn default_tolerance() -> f64 {
    crate::stats::confidence::DEFAULT_TOLERANCE
}

/// How much a run measured, against what the grid (the original's schedule) would have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SamplingSummary {
    /// The input's `sampling`.
    pub mode: SamplingMode,
    /// Invocations made, retries included.
    pub invocations: u32,
    /// Versions published.
    pub published: u32,
    /// Invocations the grid makes: every size, `num` each.
    pub grid_invocations: u32,
    /// Versions the grid publishes.
    pub grid_published: u32,
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
        crate::order::sort_indices(&mut front, &|a, b| {
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
        r.sizes[3].error = Some(crate::failure::SizeFailure::new(
            crate::failure::FailureKind::TimedOut,
            "timed out",
        ));
        assert_eq!(r.pareto_front(), vec![4, 2, 0]);
    }

    #[test]
    fn adaptive_sampling_states_what_it_saved() {
        let mut summary = SamplingSummary {
            mode: SamplingMode::Adaptive,
            invocations: 115,
            published: 9,
            grid_invocations: 460,
            grid_published: 46,
        };
        assert_eq!(
            summary.statement().unwrap(),
            "adaptive sampling made 115 invocations and published 9 versions, against the grid's 460 and 46 (25 % of its invocations)"
        );
        summary.mode = SamplingMode::Grid;
        assert_eq!(summary.statement(), None);
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
}
