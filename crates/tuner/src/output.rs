//! The result of a run, and the original tool's output object (spec §7).

use serde::{Deserialize, Serialize};

use crate::{
    memory::MemoryMb,
    pricing::{Architecture, Currency},
    share::original as original_link,
    stats::SizeStats,
    strategy::{self, Candidate, Comparison, Strategy},
};

/// The original tool's default chart site.
pub const ORIGINAL_VISUALIZATION_URL: &str = "https://lambda-power-tuning.show/";

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
    pub versus_current: Option<Comparison>,
}

impl RunResult {
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
            versus_current: current
                .map(|c| Comparison::between(&c.candidate(), &self.sizes[index].candidate())),
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

    /// The original chart site's link for these results.
    pub fn original_visualization_url(&self, base: &str) -> String {
        let points: Vec<original_link::Point> = self
            .sizes
            .iter()
            .filter(|s| s.is_usable())
            .map(|s| original_link::Point {
                power: f64::from(s.memory.get()),
                duration: s.average_duration_ms,
                cost: s.average_cost,
            })
            .collect();
        original_link::visualization_url(base, &points, self.currency == Currency::Cny)
    }

    /// The original tool's output object for the chosen strategy.
    ///
    /// # Errors
    /// [`NoUsableSize`] when every size failed.
    pub fn original_output(
        &self,
        include_stats: bool,
        visualization_base: &str,
    ) -> Result<OriginalOutput, NoUsableSize> {
        let best = self.recommend(self.strategy).ok_or(NoUsableSize)?;
        let chosen = &self.sizes[best.index];
        Ok(OriginalOutput {
            power: chosen.memory.get(),
            cost: chosen.average_cost,
            duration: chosen.average_duration_ms,
            state_machine: StateMachine {
                execution_cost: 0.0,
                lambda_cost: self.lambda_cost(),
                visualization: self.original_visualization_url(visualization_base),
            },
            stats: include_stats.then(|| {
                self.sizes
                    .iter()
                    .map(|s| OriginalStat {
                        value: s.memory.get(),
                        average_price: s.average_cost,
                        average_duration: s.average_duration_ms,
                    })
                    .collect()
            }),
        })
    }
}

/// Every size failed, so nothing can be recommended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("every memory size failed, so there is nothing to recommend: see each size's error")]
pub struct NoUsableSize;

/// The original's output: `{power, cost, duration, stateMachine, stats?}`.
///
/// `stateMachine.executionCost` is always 0: powertune runs no Step Functions state machine (the
/// original charged about $0.000025 per state transition for it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OriginalOutput {
    /// The optimal memory in MB.
    pub power: u32,
    /// Its average cost per invocation.
    pub cost: f64,
    /// Its average duration in ms.
    pub duration: f64,
    /// Costs and the chart link.
    pub state_machine: StateMachine,
    /// Per-size figures, when `includeOutputResults` was set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stats: Option<Vec<OriginalStat>>,
}

/// The original's `stateMachine` object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StateMachine {
    /// Always 0 here (no state machine runs).
    pub execution_cost: f64,
    /// Cost of all invocations.
    pub lambda_cost: f64,
    /// The chart link.
    pub visualization: String,
}

/// One entry of the original's `stats`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OriginalStat {
    /// Memory in MB.
    pub value: u32,
    /// Average cost per invocation.
    pub average_price: f64,
    /// Average duration in ms.
    pub average_duration: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run built from the spec's analyzer fixtures: (memory, cost, duration, total cost).
    fn run(rows: &[(u32, f64, f64, f64)], strategy: Strategy, weight: f64) -> RunResult {
        RunResult {
            function_name: None,
            region: Some("us-east-1".into()),
            architecture: Architecture::X86_64,
            currency: Currency::Usd,
            current_memory: None,
            strategy,
            balanced_weight: weight,
            sizes: rows
                .iter()
                .map(|&(m, cost, duration, total)| SizeResult {
                    memory: MemoryMb::new(m).unwrap(),
                    average_duration_ms: duration,
                    average_cost: cost,
                    detail: Some(SizeDetail {
                        total_cost: total,
                        ..SizeDetail::default()
                    }),
                    error: None,
                })
                .collect(),
        }
    }

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
    fn ac_87_and_102_cost_output_and_link() {
        let r = run(
            &[
                (128, 100.0, 100.0, 1.0),
                (256, 200.0, 300.0, 2.0),
                (512, 30.0, 200.0, 3.0),
            ],
            Strategy::Cost,
            0.5,
        );
        let out = r
            .original_output(false, ORIGINAL_VISUALIZATION_URL)
            .unwrap();
        assert_eq!((out.power, out.cost, out.duration), (512, 30.0, 200.0));
        assert_eq!(out.state_machine.lambda_cost, 6.0);
        assert_eq!(out.state_machine.execution_cost, 0.0);
        assert_eq!(
            out.state_machine.visualization,
            "https://lambda-power-tuning.show/#gAAAAQAC;AADIQgAAlkMAAEhD;AADIQgAASEMAAPBB"
        );
        assert!(out.stats.is_none());
        let json = serde_json::to_value(&out).unwrap();
        assert!(json.get("stats").is_none());
        assert_eq!(json["stateMachine"]["lambdaCost"], 6.0);
    }

    #[test]
    fn ac_88_89_lambda_cost_sums_totals() {
        let r = run(
            &[
                (128, 100.0, 100.0, 1.0),
                (256, 200.0, 300.0, 3.0),
                (512, 30.0, 200.0, 5.0),
            ],
            Strategy::Cost,
            0.5,
        );
        assert_eq!(
            r.original_output(false, "x")
                .unwrap()
                .state_machine
                .lambda_cost,
            9.0
        );
        let r = run(
            &[
                (128, 100.0, 100.0, 1.0),
                (256, 200.0, 300.0, 6.0),
                (512, 30.0, 200.0, 9.0),
            ],
            Strategy::Cost,
            0.5,
        );
        assert_eq!(
            r.original_output(false, "x")
                .unwrap()
                .state_machine
                .lambda_cost,
            16.0
        );
    }

    #[test]
    fn ac_100_101_include_output_results() {
        let r = run(
            &[
                (128, 100.0, 300.0, 1.0),
                (256, 200.0, 200.0, 1.0),
                (512, 300.0, 100.0, 1.0),
            ],
            Strategy::Speed,
            0.5,
        );
        let out = r.original_output(true, "x").unwrap();
        assert_eq!(out.power, 512);
        assert_eq!(out.state_machine.lambda_cost, 3.0);
        let stats = out.stats.unwrap();
        assert_eq!(
            stats[1],
            OriginalStat {
                value: 256,
                average_price: 200.0,
                average_duration: 200.0
            }
        );
        let json = serde_json::to_value(&stats[0]).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"value": 128, "averagePrice": 100.0, "averageDuration": 300.0})
        );
    }

    #[test]
    fn ac_103_three_strategies_and_link() {
        let rows = [
            (128, 1.05e-8, 4.416666666666667, 5.859e-7),
            (256, 1.26e-8, 2.9, 1.3e-6),
            (512, 2.1e-8, 2.1, 2.2e-6),
        ];
        let r = run(&rows, Strategy::Cost, 0.5);
        assert_eq!(
            r.sizes[r.recommend(Strategy::Cost).unwrap().index]
                .memory
                .get(),
            128
        );
        assert_eq!(
            r.sizes[r.recommend(Strategy::Speed).unwrap().index]
                .memory
                .get(),
            512
        );
        assert_eq!(
            r.sizes[r.recommend(Strategy::Balanced).unwrap().index]
                .memory
                .get(),
            256
        );
        assert!((r.lambda_cost() - 4.0859e-6).abs() < 1e-18);
        assert_eq!(
            r.original_visualization_url(ORIGINAL_VISUALIZATION_URL),
            "https://lambda-power-tuning.show/#gAAAAQAC;VVWNQJqZOUBmZgZA;fWM0MmN3WDJ9Y7Qy"
        );
    }

    #[test]
    fn failed_and_zero_duration_sizes_are_not_recommended() {
        let mut r = run(
            &[
                (128, 1.0, 100.0, 1.0),
                (256, 0.5, 0.0, 1.0),
                (512, 0.1, 50.0, 1.0),
            ],
            Strategy::Cost,
            0.5,
        );
        r.sizes[2].error = Some("out of memory".into());
        assert_eq!(r.recommend(Strategy::Cost).unwrap().index, 0);
        r.sizes[0].error = Some("timeout".into());
        assert_eq!(r.original_output(false, "x").unwrap_err(), NoUsableSize);
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

    #[test]
    fn cny_links_carry_the_currency() {
        let mut r = run(&[(128, 1.0, 1.0, 1.0)], Strategy::Cost, 0.5);
        r.currency = Currency::Cny;
        assert!(
            r.original_visualization_url("https://prefix/")
                .starts_with("https://prefix/?currency=CNY#")
        );
    }
}
