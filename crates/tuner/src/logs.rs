//! Reading the `REPORT` of an invocation out of its log tail, and writing one ([`render`]).
//!
//! Invoke with `LogType: Tail` returns the base64 of the last 4 KB of the invocation's log. Its
//! report is either a text line (`REPORT RequestId: …⇥Duration: 469.40 ms⇥Billed Duration: …`) or,
//! for functions with the JSON log format, a `platform.report` record. Application logs before it
//! may be anything: multi-line, pretty-printed JSON, junk, or cut mid-line at the 4 KB boundary.
//!
//! Differences from the original's log parsing (see `docs/original-behaviour.md`), all
//! deliberate:
//! - the tail is searched from the end for either form, instead of choosing the format by the
//!   first character (a cut first line no longer silently yields 0 ms);
//! - a JSON report without an optional metric (`initDurationMs` on a warm start, the restore
//!   metrics without SnapStart) counts that metric as 0 instead of failing the run (the
//!   original's open issue #305);
//! - integer durations (`Duration: 5 ms`) are read too;
//! - memory size, max memory used, and timeouts / out-of-memory failures are recognised.

mod render;

use base64::Engine as _;
use serde_json::Value;

pub use self::render::{FailureLine, Invocation, render};

/// The metrics of one invocation's report. Absent optional metrics are 0.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Report {
    /// `Duration` in ms.
    pub duration_ms: f64,
    /// `Billed Duration` in ms.
    pub billed_duration_ms: f64,
    /// `Init Duration` in ms (cold starts only).
    pub init_duration_ms: f64,
    /// `Restore Duration` in ms (SnapStart only).
    pub restore_duration_ms: f64,
    /// `Billed Restore Duration` in ms (SnapStart only).
    pub billed_restore_duration_ms: f64,
    /// `Memory Size` in MB.
    pub memory_size_mb: Option<u32>,
    /// `Max Memory Used` in MB.
    pub max_memory_used_mb: Option<u32>,
}

impl Report {
    /// Duration as the original measures it: run time plus init and restore time.
    pub fn total_duration_ms(&self) -> f64 {
        self.duration_ms + self.init_duration_ms + self.restore_duration_ms
    }

    /// Billed time: billed duration plus billed restore duration.
    pub fn billed_ms(&self) -> f64 {
        self.billed_duration_ms + self.billed_restore_duration_ms
    }

    /// Whether this invocation started a new execution environment.
    pub fn is_cold_start(&self) -> bool {
        self.init_duration_ms > 0.0 || self.restore_duration_ms > 0.0
    }
}

/// How an invocation failed, as far as its log tail tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LogFailure {
    /// `Task timed out after N seconds`, or a report with status `timeout`.
    Timeout,
    /// The runtime ran out of memory.
    OutOfMemory,
    /// A report with status `error` (crash or unhandled error).
    Error,
}

/// What a log tail says about its invocation.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LogTail {
    /// The report, if one was found.
    pub report: Option<Report>,
    /// A recognised failure.
    pub failure: Option<LogFailure>,
}

/// Decodes and reads a base64 log tail (the `X-Amz-Log-Result` header). A missing or undecodable
/// tail has no report.
pub fn parse_base64(tail: Option<&str>) -> LogTail {
    tail.and_then(|b64| {
        base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .ok()
    })
    .map(|bytes| parse(&String::from_utf8_lossy(&bytes)))
    .unwrap_or_default()
}

/// Reads a decoded log tail.
pub fn parse(text: &str) -> LogTail {
    let report = text
        .lines()
        .rev()
        .find_map(|line| text_report(line).or_else(|| json_line_report(line)))
        .or_else(|| whole_json_report(text));
    LogTail {
        report,
        failure: failure(text),
    }
}

/// A text `REPORT` line, tab-separated.
fn text_report(line: &str) -> Option<Report> {
    let start = line.find("REPORT RequestId:")?;
    let mut report = Report::default();
    let mut has_duration = false;
    for field in line[start..].split('\t') {
        let Some((name, value)) = field.trim().split_once(':') else {
            continue;
        };
        let number = || leading_number(value);
        match name.trim() {
            "Duration" => {
                report.duration_ms = number()?;
                has_duration = true;
            }
            "Billed Duration" => report.billed_duration_ms = number()?,
            "Init Duration" => report.init_duration_ms = number()?,
            "Restore Duration" => report.restore_duration_ms = number()?,
            "Billed Restore Duration" => report.billed_restore_duration_ms = number()?,
            "Memory Size" => report.memory_size_mb = number().map(|n| n as u32),
            "Max Memory Used" => report.max_memory_used_mb = number().map(|n| n as u32),
            _ => {}
        }
    }
    has_duration.then_some(report)
}

/// The number at the start of `" 469.40 ms"`.
fn leading_number(text: &str) -> Option<f64> {
    let text = text.trim();
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    text[..end].parse().ok()
}

/// A one-line JSON `platform.report` record.
fn json_line_report(line: &str) -> Option<Report> {
    if !line.contains("platform.report") {
        return None;
    }
    // The line may carry a prefix (an extension's log text glued in front): start at the brace.
    let json = &line[line.find('{')?..];
    record_report(&serde_json::from_str(json).ok()?)
}

/// A tail that is one JSON value as a whole: a pretty-printed record or an array of records.
fn whole_json_report(text: &str) -> Option<Report> {
    if !text.contains("platform.report") {
        return None;
    }
    match serde_json::from_str::<Value>(text.trim()).ok()? {
        Value::Array(records) => records.iter().find_map(record_report),
        record => record_report(&record),
    }
}

fn record_report(record: &Value) -> Option<Report> {
    if record.get("type")?.as_str()? != "platform.report" {
        return None;
    }
    let metrics = record.get("record")?.get("metrics")?;
    let metric = |key: &str| metrics.get(key).and_then(Value::as_f64);
    Some(Report {
        // A report without its duration is not usable as one.
        duration_ms: metric("durationMs")?,
        billed_duration_ms: metric("billedDurationMs").unwrap_or(0.0),
        init_duration_ms: metric("initDurationMs").unwrap_or(0.0),
        restore_duration_ms: metric("restoreDurationMs").unwrap_or(0.0),
        billed_restore_duration_ms: metric("billedRestoreDurationMs").unwrap_or(0.0),
        memory_size_mb: metric("memorySizeMB").map(|n| n as u32),
        max_memory_used_mb: metric("maxMemoryUsedMB").map(|n| n as u32),
    })
}

fn failure(text: &str) -> Option<LogFailure> {
    if text.contains("Runtime.OutOfMemory") || text.contains("signal: killed") {
        Some(LogFailure::OutOfMemory)
    } else if text.contains("Task timed out after")
        || text.contains("Status: timeout")
        || text.contains(r#""status":"timeout""#)
    {
        Some(LogFailure::Timeout)
    } else if text.contains("Status: error") || text.contains(r#""status":"error""#) {
        Some(LogFailure::Error)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE_A: &str = "START RequestId: 1a2b Version: $LATEST\nEND RequestId: 1a2b\nREPORT RequestId: 1a2b\tDuration: 469.40 ms\tBilled Duration: 500 ms\tMemory Size: 1024 MB\tMax Memory Used: 21 MB\tInit Duration: 100.99 ms\t\n";
    const FIXTURE_B: &str = "START RequestId: 1a2b Version: 3\nEND RequestId: 1a2b\nREPORT RequestId: 1a2b\tDuration: 469.40 ms\tBilled Duration: 500 ms\tMemory Size: 1024 MB\tMax Memory Used: 21 MB\tRestore Duration: 474.16 ms\tBilled Restore Duration: 75 ms\t\n";
    const FIXTURE_C: &str = concat!(
        r#"{"timestamp":"2024-01-01T00:00:00.000Z","level":"INFO","requestId":"79b4f56e","message":"hello"}"#,
        "\n",
        r#"{"time":"2024-01-01T00:00:00.000Z","type":"platform.start","record":{"requestId":"79b4f56e","version":"$LATEST"}}"#,
        "\n",
        r#"{"time":"2024-01-01T00:00:00.001Z","type":"platform.runtimeDone","record":{"requestId":"79b4f56e","status":"success","metrics":{"durationMs":1.056,"producedBytes":0}}}"#,
        "\n",
        r#"{"time":"2024-01-01T00:00:00.002Z","type":"platform.report","record":{"requestId":"79b4f56e","metrics":{"durationMs":1.317,"billedDurationMs":2,"memorySizeMB":1024,"maxMemoryUsedMB":68,"initDurationMs":10},"status":"success"}}"#,
        "\n"
    );
    const FIXTURE_D: &str = concat!(
        r#"{"time":"2024-01-01T00:00:00.000Z","type":"platform.start","record":{"requestId":"x","version":"3"}}"#,
        "\n",
        r#"{"time":"2024-01-01T00:00:00.002Z","type":"platform.report","record":{"requestId":"x","metrics":{"durationMs":147.156,"billedDurationMs":201,"memorySizeMB":512,"maxMemoryUsedMB":91,"restoreDurationMs":500.795,"billedRestoreDurationMs":53},"status":"success"}}"#,
    );

    fn report(text: &str) -> Report {
        parse(text).report.expect("a report")
    }

    fn b64(text: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(text)
    }

    #[test]
    fn text_report() {
        let r = report(FIXTURE_A);
        assert_eq!(r.duration_ms, 469.4);
        assert_eq!(r.init_duration_ms, 100.99);
        assert_eq!(r.billed_duration_ms, 500.0);
        assert_eq!(r.memory_size_mb, Some(1024));
        assert_eq!(r.max_memory_used_mb, Some(21));
        assert!(r.is_cold_start());
    }

    #[test]
    fn snapstart_text_report() {
        let r = report(FIXTURE_B);
        assert_eq!(r.restore_duration_ms, 474.16);
        assert_eq!(r.billed_restore_duration_ms, 75.0);
    }

    #[test]
    fn no_report_means_none() {
        assert_eq!(parse("hello world").report, None);
        assert_eq!(
            parse("START RequestId: 1a2b Version: $LATEST\n").report,
            None
        );
    }

    #[test]
    fn json_report() {
        let r = report(FIXTURE_C);
        assert_eq!(r.duration_ms, 1.317);
        assert_eq!(r.init_duration_ms, 10.0);
        assert_eq!(r.billed_duration_ms, 2.0);
        assert_eq!(r.max_memory_used_mb, Some(68));
    }

    #[test]
    fn json_snapstart_report() {
        let r = report(FIXTURE_D);
        assert_eq!(r.restore_duration_ms, 500.795);
        assert_eq!(r.billed_restore_duration_ms, 53.0);
    }

    #[test]
    fn extension_text_glued_in_front_and_broken_first_object() {
        let glued = FIXTURE_C.replacen(
            r#"{"time":"2024-01-01T00:00:00.000Z","type":"platform.start""#,
            r#"[AWS Parameters and Secrets Lambda Extension] started{"time":"2024-01-01T00:00:00.000Z","type":"platform.start""#,
            1,
        );
        assert_eq!(report(&glued).duration_ms, 1.317);
        let broken = FIXTURE_C.replacen(r#""hello"}"#, r#""hello""#, 1);
        assert_eq!(report(&broken).duration_ms, 1.317);
    }

    #[test]
    fn json_without_report() {
        assert_eq!(
            parse(r#"{"type":"platform.start","record":{}}"#).report,
            None
        );
    }

    #[test]
    fn pretty_printed_report() {
        let text = "\n  {\n    \"type\": \"platform.report\",\n    \"record\": {\n      \"metrics\": {\n        \"durationMs\": 100.0,\n        \"initDurationMs\": 200.0\n      }\n    }\n  }\n";
        let r = report(text);
        assert_eq!(r.duration_ms, 100.0);
        assert_eq!(r.init_duration_ms, 200.0);
    }

    #[test]
    fn pretty_printed_array() {
        let text = "[\n  {\"type\": \"platform.report\", \"record\": {\"metrics\": {\"durationMs\": 100}}},\n  {\"type\": \"platform.test\", \"record\": {}}\n]\n\n\n";
        assert_eq!(report(text).duration_ms, 100.0);
    }

    #[test]
    fn report_without_duration_is_not_a_report() {
        let text = "{\n \"type\": \"platform.report\",\n \"record\": {\"metrics\": {\"initDurationMs\": 200.0}}\n}";
        assert_eq!(parse(text).report, None);
    }

    #[test]
    fn totals_from_base64() {
        let a = parse_base64(Some(&b64(FIXTURE_A))).report.unwrap();
        assert_eq!(a.total_duration_ms(), 469.4 + 100.99);
        let b = parse_base64(Some(&b64(FIXTURE_B))).report.unwrap();
        assert_eq!(b.total_duration_ms(), 469.4 + 474.16);
        assert_eq!(b.billed_ms(), 575.0);
    }

    #[test]
    fn missing_tail_has_no_report() {
        assert_eq!(parse_base64(None), LogTail::default());
        assert_eq!(parse_base64(Some("%%% not base64")).report, None);
    }

    #[test]
    fn json_warm_start_without_optional_metrics_reads_them_as_0() {
        // The original throws "Invalid JSON log does not contain restoreDurationMs" here (#305).
        let r = report(FIXTURE_C);
        assert_eq!(r.restore_duration_ms, 0.0);
        assert_eq!(r.total_duration_ms(), 1.317 + 10.0);
    }

    #[test]
    fn integer_duration_is_read() {
        // The original's regex requires decimals and yields 0 here.
        let r = report("REPORT RequestId: x\tDuration: 5 ms\tBilled Duration: 5 ms\t");
        assert_eq!(r.duration_ms, 5.0);
    }

    #[test]
    fn duration_is_not_confused_with_billed_or_init_duration() {
        let r = report(
            "REPORT RequestId: x\tBilled Duration: 7 ms\tInit Duration: 3.5 ms\tDuration: 6.25 ms",
        );
        assert_eq!(
            (r.duration_ms, r.billed_duration_ms, r.init_duration_ms),
            (6.25, 7.0, 3.5)
        );
    }

    #[test]
    fn cut_first_line_and_junk_before_the_report() {
        let tail = format!(
            "e\":\"cut mid-way\"}}\n{{\n  \"pretty\": [1,\n 2]\n}}\n\u{1b}[31mjunk\n{FIXTURE_A}"
        );
        assert_eq!(report(&tail).duration_ms, 469.4);
        // A text tail whose first character is '{' is still read as text.
        assert_eq!(report(&format!("{{junk\n{FIXTURE_A}")).duration_ms, 469.4);
    }

    #[test]
    fn the_last_report_wins() {
        let two = format!("{}\n{}", FIXTURE_B, FIXTURE_A);
        assert_eq!(report(&two).init_duration_ms, 100.99);
    }

    #[test]
    fn trailing_spaces_are_tolerated() {
        let r = report(
            "REPORT RequestId: x  \tDuration: 12.50 ms  \tBilled Duration: 13 ms   \tMemory Size: 128 MB \t",
        );
        assert_eq!(
            (r.duration_ms, r.billed_duration_ms, r.memory_size_mb),
            (12.5, 13.0, Some(128))
        );
    }

    #[test]
    fn failures_are_recognised() {
        let timeout = "2024-01-01T00:00:03.000Z 1a2b Task timed out after 3.00 seconds\nEND RequestId: 1a2b\nREPORT RequestId: 1a2b\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 20 MB\tStatus: timeout";
        let tail = parse(timeout);
        assert_eq!(tail.failure, Some(LogFailure::Timeout));
        assert_eq!(tail.report.unwrap().billed_duration_ms, 3000.0);
        let oom = "Error: Runtime exited with error: signal: killed\nRuntime.OutOfMemory\nREPORT RequestId: 1\tDuration: 80.00 ms\tBilled Duration: 80 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB";
        assert_eq!(parse(oom).failure, Some(LogFailure::OutOfMemory));
        let json_error =
            r#"{"type":"platform.report","record":{"metrics":{"durationMs":1},"status":"error"}}"#;
        assert_eq!(parse(json_error).failure, Some(LogFailure::Error));
        assert_eq!(parse(FIXTURE_A).failure, None);
    }
}
