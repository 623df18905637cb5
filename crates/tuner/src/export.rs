//! Downloads of a run's results: JSON (the original tool's output shape plus every statistic)
//! and CSV (a row per memory size, for spreadsheets).

use serde::Serialize;
use serde_json::{Value, json};

use crate::{
    output::{ORIGINAL_VISUALIZATION_URL, OriginalOutput},
    result::RunResult,
};

/// The original's output object (`power`, `cost`, `duration`, `stateMachine`, `stats`) with
/// powertune's full results under `"powertune"`. When every size failed, the original part is
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

/// absent and `"error"` says why.
pub fn to_json(run: &RunResult) -> Value {
    let mut out = match OriginalOutput::from_run(run, true, ORIGINAL_VISUALIZATION_URL) {
        Ok(original) => serde_json::to_value(original).unwrap_or_else(|_| json!({})),
        Err(e) => json!({ "error": e.to_string() }),
    };
    if let Value::Object(map) = &mut out {
        map.insert(
            "powertune".into(),
            serde_json::to_value(run).unwrap_or(Value::Null),
        );
    }
    out
}

#[derive(Serialize)]
struct CsvRow<'a> {
    memory_mb: u32,
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
    max_memory_used_mb: Option<u32>,
    total_cost: Option<f64>,
    error: Option<&'a str>,
}

/// One row per size; statistics a size lacks (failed sizes, results from an original chart
/// link) are empty cells.
pub fn to_csv(run: &RunResult) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for size in &run.sizes {
        let ok = size.error.is_none();
        let stats = size.detail.as_ref().map(|d| &d.stats);
        let row = CsvRow {
            memory_mb: size.memory.get(),
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
            max_memory_used_mb: stats.and_then(|s| s.max_memory_used_mb),
            total_cost: size.detail.as_ref().map(|d| d.total_cost),
            error: size.error.as_deref(),
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
            s.error = Some("out of memory".into());
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
        run.sizes[1].error = Some("Task timed out, after 3.00 seconds".into());
        let text = to_csv(&run);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 7);
        assert!(lines[0].starts_with("memory_mb,average_duration_ms,average_cost,currency,"));
        assert!(lines[1].starts_with("128,"), "{}", lines[1]);
        assert!(
            lines[2].ends_with(",\"Task timed out, after 3.00 seconds\""),
            "{}",
            lines[2]
        );
        assert!(lines[2].starts_with("256,,,USD,"), "{}", lines[2]);
    }
}
