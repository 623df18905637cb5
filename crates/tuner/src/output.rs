//! The original tool's output object (`{power, cost, duration, stateMachine, stats?}`), built
//! from a run's [`RunResult`].

use serde::{Deserialize, Serialize};

use crate::{pricing::Currency, result::RunResult, share::original as original_link};

/// The original tool's default chart site.
pub const ORIGINAL_VISUALIZATION_URL: &str = "https://lambda-power-tuning.show/";

/// The original chart site's link for `run`'s usable sizes.
pub fn visualization_url(run: &RunResult, base: &str) -> String {
    let points: Vec<original_link::Point> = run
        .sizes
        .iter()
        .filter(|s| s.is_usable())
        .map(|s| original_link::Point {
            power: f64::from(s.memory.get()),
            duration: s.average_duration_ms,
            cost: s.average_cost,
        })
        .collect();
    original_link::visualization_url(base, &points, run.currency == Currency::Cny)
}

impl OriginalOutput {
    /// The original tool's output object for `run`'s chosen strategy; with `include_stats`, the
    /// per-size figures too (`includeOutputResults`).
    ///
    /// # Errors
    /// [`NoUsableSize`] when every size failed.
    pub fn from_run(
        run: &RunResult,
        include_stats: bool,
        visualization_base: &str,
    ) -> Result<Self, NoUsableSize> {
        let best = run.recommend(run.strategy).ok_or(NoUsableSize)?;
        let chosen = &run.sizes[best.index];
        Ok(Self {
            power: chosen.memory.get(),
            cost: chosen.average_cost,
            duration: chosen.average_duration_ms,
            state_machine: StateMachine {
                execution_cost: 0.0,
                lambda_cost: run.lambda_cost(),
                visualization: visualization_url(run, visualization_base),
            },
            stats: include_stats.then(|| {
                // A size adaptive sampling never measured has no figures to report.
                run.sizes
                    .iter()
                    .filter(|s| s.unmeasured.is_none())
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
    use crate::{result::tests::run, strategy::Strategy};

    #[test]
    fn cost_strategy_output_and_its_chart_link() {
        let r = run(
            &[
                (128, 100.0, 100.0, 1.0),
                (256, 200.0, 300.0, 2.0),
                (512, 30.0, 200.0, 3.0),
            ],
            Strategy::Cost,
            0.5,
        );
        let out = OriginalOutput::from_run(&r, false, ORIGINAL_VISUALIZATION_URL).unwrap();
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
    fn lambda_cost_sums_every_sizes_total() {
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
            OriginalOutput::from_run(&r, false, "x")
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
            OriginalOutput::from_run(&r, false, "x")
                .unwrap()
                .state_machine
                .lambda_cost,
            16.0
        );
    }

    #[test]
    fn include_output_results_adds_per_size_stats() {
        let r = run(
            &[
                (128, 100.0, 300.0, 1.0),
                (256, 200.0, 200.0, 1.0),
                (512, 300.0, 100.0, 1.0),
            ],
            Strategy::Speed,
            0.5,
        );
        let out = OriginalOutput::from_run(&r, true, "x").unwrap();
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
    fn each_strategy_picks_its_size_and_the_link_is_the_originals() {
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
            visualization_url(&r, ORIGINAL_VISUALIZATION_URL),
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
        r.sizes[2].error = Some(crate::failure::SizeFailure::new(
            crate::failure::FailureKind::OutOfMemory,
            "out of memory",
        ));
        assert_eq!(r.recommend(Strategy::Cost).unwrap().index, 0);
        r.sizes[0].error = Some(crate::failure::SizeFailure::new(
            crate::failure::FailureKind::TimedOut,
            "timeout",
        ));
        assert_eq!(
            OriginalOutput::from_run(&r, false, "x").unwrap_err(),
            NoUsableSize
        );
    }

    #[test]
    fn cny_links_carry_the_currency() {
        let mut r = run(&[(128, 1.0, 1.0, 1.0)], Strategy::Cost, 0.5);
        r.currency = Currency::Cny;
        assert!(
            visualization_url(&r, "https://prefix/").starts_with("https://prefix/?currency=CNY#")
        );
    }
}
