//! Writing a log tail as Lambda does: the inverse of [`super::parse`], used by the simulated
//! service and `lambda-emulator` to answer invocations.

use super::Report;
use crate::api::LogFormat;

/// How the invocation failed, as its log shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureLine<'a> {
    /// `Task timed out after N seconds` (status `timeout`).
    Timeout {
        /// The function's timeout.
        after_s: u32,
    },
    /// The runtime's error (status `error`).
    Error {
        /// `errorType`, e.g. `Runtime.OutOfMemory`.
        error_type: &'a str,
        /// `errorMessage`.
        message: &'a str,
    },
}

/// One invocation to write out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Invocation<'a> {
    /// The request id.
    pub request_id: &'a str,
    /// Its metrics; absent optional ones (0, `None`) are left out as Lambda leaves them out.
    pub report: Report,
    /// How it failed, if it did.
    pub failure: Option<FailureLine<'a>>,
}

/// The log tail of `invocation` in `format`: an application line, the failure if any, and the
/// report (text: `END` and a tab-separated `REPORT` line; JSON: a `platform.report` record).
/// Text durations have two decimals and JSON ones three, as Lambda writes them.
pub fn render(format: LogFormat, invocation: &Invocation<'_>) -> String {
    match format {
        LogFormat::Text => text(invocation),
        LogFormat::Json => json(invocation),
    }
}

fn text(invocation: &Invocation<'_>) -> String {
    let id = invocation.request_id;
    let r = &invocation.report;
    let mut tail = format!(
        "START RequestId: {id} Version: 1\n2026-01-01T00:00:00.000Z\t{id}\tINFO\tprocessing\n"
    );
    match invocation.failure {
        Some(FailureLine::Timeout { after_s }) => tail.push_str(&format!(
            "2026-01-01T00:00:00.000Z {id} Task timed out after {after_s}.00 seconds\n"
        )),
        Some(FailureLine::Error {
            error_type,
            message,
        }) => tail.push_str(&format!("Error: {message}\n{error_type}\n")),
        None => {}
    }
    tail.push_str(&format!(
        "END RequestId: {id}\nREPORT RequestId: {id}\tDuration: {:.2} ms\tBilled Duration: {} ms\t",
        r.duration_ms, r.billed_duration_ms
    ));
    if let Some(mb) = r.memory_size_mb {
        tail.push_str(&format!("Memory Size: {mb} MB\t"));
    }
    if let Some(mb) = r.max_memory_used_mb {
        tail.push_str(&format!("Max Memory Used: {mb} MB\t"));
    }
    if r.init_duration_ms > 0.0 {
        tail.push_str(&format!("Init Duration: {:.2} ms\t", r.init_duration_ms));
    }
    if r.restore_duration_ms > 0.0 {
        tail.push_str(&format!(
            "Restore Duration: {:.2} ms\tBilled Restore Duration: {} ms\t",
            r.restore_duration_ms, r.billed_restore_duration_ms
        ));
    }
    tail.push('\n');
    tail
}

fn json(invocation: &Invocation<'_>) -> String {
    use serde_json::json;

    let id = invocation.request_id;
    let r = &invocation.report;
    let ms = |v: f64| (v * 1000.0).round() / 1000.0;
    let status = match invocation.failure {
        Some(FailureLine::Timeout { .. }) => "timeout",
        Some(FailureLine::Error { .. }) => "error",
        None => "success",
    };
    let mut metrics = json!({
        "durationMs": ms(r.duration_ms),
        "billedDurationMs": r.billed_duration_ms,
    });
    if let Some(mb) = r.memory_size_mb {
        metrics["memorySizeMB"] = json!(mb);
    }
    if let Some(mb) = r.max_memory_used_mb {
        metrics["maxMemoryUsedMB"] = json!(mb);
    }
    if r.init_duration_ms > 0.0 {
        metrics["initDurationMs"] = json!(ms(r.init_duration_ms));
    }
    if r.restore_duration_ms > 0.0 {
        metrics["restoreDurationMs"] = json!(ms(r.restore_duration_ms));
        metrics["billedRestoreDurationMs"] = json!(r.billed_restore_duration_ms);
    }
    let app = json!({"timestamp": "2026-01-01T00:00:00.000Z", "level": "INFO", "requestId": id, "message": "processing"});
    let error = match invocation.failure {
        Some(FailureLine::Error {
            error_type,
            message,
        }) => format!(
            "{}\n",
            json!({"level": "ERROR", "errorType": error_type, "errorMessage": message})
        ),
        Some(FailureLine::Timeout { after_s }) => format!(
            "{}\n",
            json!({"level": "ERROR", "message": format!("Task timed out after {after_s}.00 seconds")})
        ),
        None => String::new(),
    };
    let report = json!({"time": "2026-01-01T00:00:00.000Z", "type": "platform.report", "record": {"requestId": id, "metrics": metrics, "status": status}});
    format!("{app}\n{error}{report}\n")
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::logs::{LogFailure, parse};

    /// Reports whose numbers `format` writes exactly: durations in its decimals, billed time in
    /// whole ms.
    fn report(decimals: u32) -> impl Strategy<Value = Report> {
        let scale = 10f64.powi(decimals as i32);
        let duration = move |max: u64| (0..max).prop_map(move |n| n as f64 / scale);
        (
            duration(900_000_000),
            0u32..900_000,
            prop_oneof![Just(0.0), duration(10_000_000)],
            prop_oneof![Just(None), (1u32..10_000).prop_map(Some)],
            (128u32..=10_240, 1u32..10_240),
        )
            .prop_map(
                |(duration_ms, billed, init, restore, (memory, used))| Report {
                    duration_ms,
                    billed_duration_ms: f64::from(billed),
                    init_duration_ms: init,
                    restore_duration_ms: restore.map_or(0.0, |r| f64::from(r) / 4.0),
                    billed_restore_duration_ms: restore.map_or(0.0, f64::from),
                    memory_size_mb: Some(memory),
                    max_memory_used_mb: Some(used),
                },
            )
    }

    fn failure() -> impl Strategy<Value = Option<FailureLine<'static>>> {
        prop_oneof![
            Just(None),
            (1u32..900).prop_map(|after_s| Some(FailureLine::Timeout { after_s })),
            Just(Some(FailureLine::Error {
                error_type: "Runtime.OutOfMemory",
                message: "Runtime exited with error: signal: killed"
            })),
        ]
    }

    proptest! {
        #[test]
        fn parse_reads_back_what_render_writes_as_text(report in report(2), failure in failure()) {
            let invocation = Invocation { request_id: "r-1", report, failure };
            let tail = parse(&render(LogFormat::Text, &invocation));
            prop_assert_eq!(tail.report, Some(report));
            prop_assert_eq!(tail.failure.is_some(), failure.is_some());
        }

        #[test]
        fn parse_reads_back_what_render_writes_as_json(report in report(3), failure in failure()) {
            let invocation = Invocation { request_id: "r-1", report, failure };
            let tail = parse(&render(LogFormat::Json, &invocation));
            prop_assert_eq!(tail.report, Some(report));
            prop_assert_eq!(tail.failure.is_some(), failure.is_some());
        }
    }

    #[test]
    fn failures_read_back_as_their_kind() {
        let report = Report {
            duration_ms: 3000.0,
            billed_duration_ms: 3000.0,
            ..Report::default()
        };
        for format in [LogFormat::Text, LogFormat::Json] {
            let timeout = Invocation {
                request_id: "r",
                report,
                failure: Some(FailureLine::Timeout { after_s: 3 }),
            };
            assert_eq!(
                parse(&render(format, &timeout)).failure,
                Some(LogFailure::Timeout)
            );
            let oom = Invocation {
                failure: Some(FailureLine::Error {
                    error_type: "Runtime.OutOfMemory",
                    message: "out of memory",
                }),
                ..timeout
            };
            assert_eq!(
                parse(&render(format, &oom)).failure,
                Some(LogFailure::OutOfMemory)
            );
        }
    }
}
