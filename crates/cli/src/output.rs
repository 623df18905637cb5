//! What `powertune run` writes (one run's or a comparison's): the `--full` statistics, the
//! `--fail-if-costlier-than` check, and where the JSON goes (the `--output` file, or stdout).

use anyhow::Context as _;
use powertune_tuner::{
    Strategy, engine::RunReport, pricing::Architecture, result::RunResult, share::compact,
};
use serde_json::{Value, json};

use crate::{cli::RunArgs, exit::Exit};

/// `output` as pretty JSON, to `--output` or stdout.
pub fn write_output(args: &RunArgs, output: &Value) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(output)?;
    match &args.output {
        Some(path) => std::fs::write(path, text + "\n")
            .with_context(|| format!("while writing {}", path.display())),
        None => {
            println!("{text}");
            Ok(())
        }
    }
}

/// What `--full` adds to a run's output: every statistic, the run's figures and its share link.
pub fn full_json(args: &RunArgs, report: &RunReport, result: &RunResult) -> Value {
    json!({
        "result": result,
        "invocations": report.invocations,
        "tuningCost": report.tuning_cost,
        "elapsedMs": report.elapsed_ms,
        "shareLink": format!("#{}", compact::encode(&shared(args, result))),
        "warnings": report.warnings,
        "separation": powertune_tuner::export::separation_json(result),
        "monthly": powertune_tuner::export::monthly_json(result),
    })
}

/// `result` as its share link carries it: without the function's name unless asked.
pub fn shared(args: &RunArgs, result: &RunResult) -> RunResult {
    let mut shared = result.clone();
    if !args.share_function_name {
        shared.function_name = None;
    }
    shared
}

/// The CI check: does the current memory cost more than `limit_pct` percent above the cheapest
/// measured size? Reads the cost strategy's own comparison with the current memory.
pub fn check_cost(result: &RunResult, limit_pct: f64) -> Exit {
    let Some(best) = result.recommend(Strategy::Cost) else {
        eprintln!("check failed: no size could be measured");
        return Exit::Failed;
    };
    let cheapest = result.sizes[best.index].memory;
    let (Some(change), Some(current)) = (best.versus_current, result.current_memory) else {
        eprintln!(
            "check failed: the function's current memory was not among the tested sizes, so it cannot be compared"
        );
        return Exit::Failed;
    };
    let above_pct = change.current_cost_above_pct();
    let verdict = if above_pct > limit_pct {
        "failed"
    } else {
        "passed"
    };
    eprintln!(
        "check {verdict}: {current} costs {above_pct:.1}% more than {cheapest} (limit {limit_pct}%)"
    );
    if above_pct > limit_pct {
        Exit::Failed
    } else {
        Exit::Success
    }
}

/// The CI check over a comparison of architectures: does the function's current memory, on its
/// own architecture, cost more than `limit_pct` percent above the cheapest size measured on any
/// of them?
pub fn check_cost_over(runs: &[&RunResult], own: Architecture, limit_pct: f64) -> Exit {
    let cheapest = runs
        .iter()
        .flat_map(|r| {
            r.sizes
                .iter()
                .filter(|s| s.is_usable())
                .map(move |s| (r.architecture, s.memory, s.average_cost))
        })
        .min_by(|a, b| a.2.total_cmp(&b.2));
    let current = runs.iter().find(|r| r.architecture == own).and_then(|r| {
        let memory = r.current_memory?;
        let size = r
            .sizes
            .iter()
            .find(|s| s.memory == memory && s.is_usable())?;
        Some((memory, size.average_cost))
    });
    let (Some((architecture, memory, lowest)), Some((now, cost))) = (cheapest, current) else {
        eprintln!(
            "check failed: the function's current memory on {own} was not among the measured sizes, so it cannot be compared"
        );
        return Exit::Failed;
    };
    let above_pct = (cost / lowest - 1.0) * 100.0;
    let verdict = if above_pct > limit_pct {
        "failed"
    } else {
        "passed"
    };
    eprintln!(
        "check {verdict}: {now} on {own} costs {above_pct:.1}% more than {memory} on {architecture} (limit {limit_pct}%)"
    );
    if above_pct > limit_pct {
        Exit::Failed
    } else {
        Exit::Success
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use powertune_tuner::{MemoryMb, fixtures};

    #[test]
    fn the_check_over_architectures_compares_the_current_size_with_the_cheapest_anywhere() {
        let own = result(1024, &[(512, 2.0), (1024, 2.2)]);
        let mut other = result(1024, &[(512, 1.6), (1024, 1.9)]);
        other.architecture = Architecture::Arm64;
        // 2.2 against arm64's 1.6: 37.5 % more.
        assert_eq!(
            check_cost_over(&[&own, &other], Architecture::X86_64, 40.0),
            Exit::Success
        );
        assert_eq!(
            check_cost_over(&[&own, &other], Architecture::X86_64, 30.0),
            Exit::Failed
        );
        // Without the function's own run, there is nothing to compare.
        assert_eq!(
            check_cost_over(&[&other], Architecture::X86_64, 99.0),
            Exit::Failed
        );
    }

    fn result(current: u32, costs: &[(u32, f64)]) -> RunResult {
        let rows: Vec<_> = costs.iter().map(|&(m, c)| (m, c, 10.0, c)).collect();
        let mut run = fixtures::run_of_rows(&rows, Strategy::Cost, 0.5);
        run.current_memory = Some(MemoryMb::new(current).unwrap());
        run
    }

    #[test]
    fn cost_check() {
        // Current (1024 MB) costs 2.0, the cheapest 1.0: 100 % more.
        let r = result(1024, &[(128, 1.0), (1024, 2.0)]);
        assert_eq!(check_cost(&r, 50.0), Exit::Failed);
        assert_eq!(check_cost(&r, 150.0), Exit::Success);
        let unmeasured = result(2048, &[(128, 1.0), (1024, 2.0)]);
        assert_eq!(check_cost(&unmeasured, 50.0), Exit::Failed);
    }
}
