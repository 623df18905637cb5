//! Downloads of a run's results: JSON (the original tool's output shape plus every statistic)
//! and CSV (a row per memory size, for spreadsheets).

use serde::Serialize;
use serde_json::{Value, json};

mod file;

pub use file::{File, Format, file};

use crate::{
    failure::SizeFailure,
    output::{ORIGINAL_VISUALIZATION_URL, OriginalOutput},
    result::RunResult,
    strategy::Strategy,
};

/// The file name of a run's downloads without extension: `powertune-<function>`, or
/// `powertune-<architecture>` when the function's name is not shared; characters other than
/// letters, digits, `-` and `_` become `-`, so the name is safe on every file system.
pub fn file_stem(run: &RunResult) -> String {
    let name = run
        .function_name
        .clone()
        .unwrap_or_else(|| run.architecture.to_string());
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("powertune-{safe}")
}

/// The original's output object (`power`, `cost`, `duration`, `stateMachine`, `stats`) with
/// powertune's full results under `"powertune"`, and there under `"separation"` which sizes are
/// within noise of the recommendation, with the finding in words. When every size failed, the
/// original part is absent and `"error"` says why.
pub fn to_json(run: &RunResult) -> Value {
    let mut out = match OriginalOutput::from_run(run, true, ORIGINAL_VISUALIZATION_URL) {
        Ok(original) => serde_json::to_value(original).unwrap_or_else(|_| json!({})),
        Err(e) => json!({ "error": e.to_string() }),
    };
    if let Value::Object(map) = &mut out {
        let mut ours = serde_json::to_value(run).unwrap_or(Value::Null);
        if let Some(separation) = separation_json(run) {
            ours["separation"] = separation;
        }
        if let Some(monthly) = monthly_json(run) {
            ours["monthly"] = monthly;
        }
        map.insert("powertune".into(), ours);
    }
    out
}

/// The run's [`crate::noise::Separation`] under its own strategy, with `"statement"` in words.
pub fn separation_json(run: &RunResult) -> Option<Value> {
    let separation = run.separation(run.strategy)?;
    let mut value = serde_json::to_value(&separation).ok()?;
    value["statement"] = separation.statement().into();
    Some(value)
}

/// The monthly costs (see [`crate::monthly`]) for pipelines: the traffic and what was assumed,
/// every usable size's `monthlyCost` in the region's currency, and each strategy's pick with
/// its change against the current size, in numbers and in words.
pub fn monthly_json(run: &RunResult) -> Option<Value> {
    let month = run.monthly()?;
    let current = month.current_month().map(|c| c.cost);
    let sizes: Vec<Value> = month
        .sizes
        .iter()
        .map(|s| {
            let mut size = json!({
                "memoryMb": s.memory.get(),
                "monthlyCost": s.cost,
                "gbSeconds": s.gb_seconds,
            });
            if let Some(now) = current {
                size["monthlyChange"] = json!(s.cost - now);
            }
            if let Some(cold) = s.cold_start_cost {
                size["coldStartCost"] = json!(cold);
                size["coldStartsMonthly"] =
                    json!(month.cold_start_share(s).map(|(added, _)| added));
            }
            size
        })
        .collect();
    let mut picks = serde_json::Map::new();
    for strategy in Strategy::ALL {
        if let Some(best) = run.recommend(strategy) {
            let memory = run.sizes[best.index].memory;
            picks.insert(
                strategy.as_str().into(),
                json!({
                    "memoryMb": memory.get(),
                    "monthlyCost": month.of(memory).map(|s| s.cost),
                    "statement": month.statement(memory),
                    "coldStarts": month.cold_start_statement(memory),
                }),
            );
        }
    }
    let t = &month.traffic;
    Some(json!({
        "invocations": t.invocations,
        "source": t.source.as_str(),
        "freeTier": t.free_tier,
        "otherGbSeconds": t.other_gb_seconds,
        "coldStartRate": month.cold_start_rate,
        "currency": month.currency.code(),
        "currentMemoryMb": month.current.map(|m| m.get()),
        "assumptions": month.assumptions(),
        "sizes": sizes,
        "picks": picks,
    }))
}

#[derive(Serialize)]
struct CsvRow {
    memory_mb: u32,
    /// So that the rows of a comparison's runs (x86_64 and arm64) can share one sheet.
    architecture: &'static str,
    average_duration_ms: Option<f64>,
    average_cost: Option<f64>,
    currency: &'static str,
    invocations: Option<u32>,
    errors: Option<u32>,
    p50_ms: Option<f64>,
    p90_ms: Option<f64>,
    p99_ms: Option<f64>,
    min_ms: Option<f64>,
    max_ms: Option<f64>,
    std_dev_ms: Option<f64>,
    cold_starts: Option<u32>,
    mean_init_ms: Option<f64>,
    mean_restore_ms: Option<f64>,
    max_memory_used_mb: Option<u32>,
    total_cost: Option<f64>,
    duration_ci95_low_ms: Option<f64>,
    duration_ci95_high_ms: Option<f64>,
    cost_ci95_low: Option<f64>,
    cost_ci95_high: Option<f64>,
    within_noise_of_best: bool,
    monthly_cost: Option<f64>,
    monthly_change_vs_current: Option<f64>,
    error: Option<String>,
    error_kind: Option<&'static str>,
}

/// One row per size; statistics a size lacks (failed sizes, results from an original chart
/// link) are empty cells.
pub fn to_csv(run: &RunResult) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let tied = run
        .separation(run.strategy)
        .map(|s| s.within_noise)
        .unwrap_or_default();
    let month = run.monthly();
    let current_month = month
        .as_ref()
        .and_then(|m| m.current_month().map(|c| c.cost));
    for size in &run.sizes {
        let ok = size.is_usable();
        let monthly_cost = month
            .as_ref()
            .and_then(|m| m.of(size.memory))
            .map(|s| s.cost);
        let stats = size.detail.as_ref().map(|d| &d.stats);
        let row = CsvRow {
            memory_mb: size.memory.get(),
            architecture: run.architecture.as_str(),
            average_duration_ms: ok.then_some(size.average_duration_ms),
            average_cost: ok.then_some(size.average_cost),
            currency: run.currency.code(),
            invocations: stats.map(|s| s.invocations),
            errors: stats.map(|s| s.errors),
            p50_ms: stats.map(|s| s.duration.p50),
            p90_ms: stats.map(|s| s.duration.p90),
            p99_ms: stats.map(|s| s.duration.p99),
            min_ms: stats.map(|s| s.duration.min),
            max_ms: stats.map(|s| s.duration.max),
            std_dev_ms: stats.map(|s| s.duration.std_dev),
            cold_starts: stats.map(|s| s.cold_starts),
            mean_init_ms: stats.map(|s| s.mean_init_ms),
            mean_restore_ms: stats.map(|s| s.mean_restore_ms),
            max_memory_used_mb: stats.and_then(|s| s.max_memory_used_mb),
            total_cost: size.detail.as_ref().map(|d| d.total_cost),
            duration_ci95_low_ms: stats.and_then(|s| s.duration_interval).map(|i| i.low),
            duration_ci95_high_ms: stats.and_then(|s| s.duration_interval).map(|i| i.high),
            cost_ci95_low: size
                .detail
                .as_ref()
                .and_then(|d| d.cost_interval)
                .map(|i| i.low),
            cost_ci95_high: size
                .detail
                .as_ref()
                .and_then(|d| d.cost_interval)
                .map(|i| i.high),
            within_noise_of_best: tied.contains(&size.memory),
            monthly_cost,
            monthly_change_vs_current: monthly_cost.zip(current_month).map(|(c, now)| c - now),
            error: size
                .error
                .as_ref()
                .map(|e| e.message.clone())
                .or_else(|| size.unmeasured.map(|u| u.to_string())),
            error_kind: size.error.as_ref().map(SizeFailure::kind_name),
        };
        // Writing plain values to memory cannot fail.
        let _ = writer.serialize(row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_say_what_they_hold() {
        let mut run = crate::fixtures::readme_run();
        run.function_name = Some("my fn/üx".into());
        assert_eq!(file_stem(&run), "powertune-my-fn--x");
        run.function_name = None;
        assert_eq!(file_stem(&run), format!("powertune-{}", run.architecture));
    }

    use crate::fixtures::readme_run;

    #[test]
    fn json_has_the_original_shape_and_our_results() {
        let run = readme_run();
        let out = to_json(&run);
        let best = run.recommend(run.strategy).unwrap();
        assert_eq!(out["power"], run.sizes[best.index].memory.get());
        assert_eq!(out["stats"].as_array().unwrap().len(), 6);
        assert_eq!(out["stateMachine"]["executionCost"], 0.0);
        assert!(
            out["stateMachine"]["visualization"]
                .as_str()
                .unwrap()
                .starts_with(ORIGINAL_VISUALIZATION_URL)
        );
        let back: RunResult = serde_json::from_value(out["powertune"].clone()).unwrap();
        assert_eq!(back, run);
    }

    #[test]
    fn json_of_an_all_failed_run_says_why() {
        let mut run = readme_run();
        for s in &mut run.sizes {
            s.error = Some(SizeFailure::new(
                crate::failure::FailureKind::OutOfMemory,
                "out of memory",
            ));
        }
        let out = to_json(&run);
        assert!(out.get("power").is_none());
        assert!(
            out["error"]
                .as_str()
                .unwrap()
                .contains("every memory size failed")
        );
    }

    #[test]
    fn csv_has_a_header_and_a_row_per_size_with_quoted_errors() {
        let mut run = readme_run();
        run.sizes[1].error = Some(SizeFailure::new(
            crate::failure::FailureKind::TimedOut,
            "Task timed out, after 3.00 seconds",
        ));
        let text = to_csv(&run);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 7);
        assert!(
            lines[0]
                .starts_with("memory_mb,architecture,average_duration_ms,average_cost,currency,")
        );
        assert!(lines[1].starts_with("128,"), "{}", lines[1]);
        assert!(
            lines[2].ends_with(",\"Task timed out, after 3.00 seconds\",timed-out"),
            "{}",
            lines[2]
        );
        assert!(lines[2].starts_with("256,x86_64,,,USD,"), "{}", lines[2]);
        assert!(lines[0].contains(",duration_ci95_low_ms,duration_ci95_high_ms,cost_ci95_low,cost_ci95_high,within_noise_of_best,monthly_cost,monthly_change_vs_current,error,error_kind"));
    }

    #[test]
    fn exports_carry_the_intervals_and_the_noise_finding() {
        use crate::{fixtures::measured_run, result::Unmeasured};
        let mut run = measured_run();
        let text = to_csv(&run);
        let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
        let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
        let best = run.recommended_memory().unwrap().get().to_string();
        let row: Vec<&str> = text
            .lines()
            .find(|l| l.starts_with(&format!("{best},")))
            .unwrap()
            .split(',')
            .collect();
        let low: f64 = row[column("duration_ci95_low_ms")].parse().unwrap();
        let high: f64 = row[column("duration_ci95_high_ms")].parse().unwrap();
        let mean: f64 = row[column("average_duration_ms")].parse().unwrap();
        assert!(low < mean && mean < high, "{low} {mean} {high}");
        assert_eq!(row[column("within_noise_of_best")], "true");
        let json = to_json(&run);
        let statement = json["powertune"]["separation"]["statement"]
            .as_str()
            .unwrap();
        assert!(statement.contains("95 % intervals"), "{statement}");
        // A size never measured says so rather than failing.
        run.sizes[0] = crate::result::SizeResult {
            detail: None,
            unmeasured: Some(Unmeasured::NotChosen),
            ..run.sizes[0].clone()
        };
        let text = to_csv(&run);
        let first = text.lines().nth(1).unwrap();
        assert!(
            first.ends_with(",false,,,not measured: the sampling policy did not choose this size,"),
            "{first}"
        );
    }

    #[test]
    fn monthly_costs_are_in_the_json_and_the_csv_when_the_traffic_is_known() {
        let mut run = crate::fixtures::measured_run();
        assert!(monthly_json(&run).is_none());
        assert!(to_csv(&run).lines().nth(1).unwrap().contains(",,,"));
        run.traffic = Some(crate::traffic::Traffic {
            invocations: 30_000_000,
            source: crate::traffic::TrafficSource::Input,
            free_tier: false,
            other_gb_seconds: None,
            cold_start_rate: None,
        });
        let monthly = monthly_json(&run).unwrap();
        assert_eq!(monthly["invocations"], 30_000_000);
        assert_eq!(monthly["source"], "input");
        assert_eq!(monthly["freeTier"], false);
        assert_eq!(monthly["sizes"].as_array().unwrap().len(), 4);
        let at_256 = &monthly["sizes"][0];
        assert_eq!(at_256["memoryMb"], 256);
        let month = run.monthly().unwrap();
        assert_eq!(at_256["monthlyCost"], month.sizes[0].cost);
        // Against the current 1024 MB.
        assert_eq!(monthly["sizes"][2]["monthlyChange"], 0.0);
        let cost_pick = &monthly["picks"]["cost"];
        assert!(
            cost_pick["statement"]
                .as_str()
                .unwrap()
                .contains("than the current 1024 MB")
        );
        assert_eq!(to_json(&run)["powertune"]["monthly"], monthly);
        let csv = to_csv(&run);
        let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
        let column = header.iter().position(|h| *h == "monthly_cost").unwrap();
        let first: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
        let cost: f64 = first[column].parse().unwrap();
        assert!((cost - month.sizes[0].cost).abs() < 1e-9);
    }
}
