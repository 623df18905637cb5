//! One try of one invocation: the original's pre-processor, the invocation (abandoned after the
//! client timeout), its post-processor, and the `REPORT` line of its log tail; a failed try says
//! why as a [`SizeFailure`], with the original's error text.

use std::time::Duration;

use futures::{
    future::{self, Either},
    pin_mut,
};
use serde_json::Value;

use super::{Engine, Phase, RunError};
use crate::{
    api::{Clock, LambdaApi},
    failure::{FailureKind, SizeFailure},
    logs::{self, LogFailure},
    stats::Sample,
};

/// How one try of one invocation ended.
pub(super) enum Attempt {
    Measured(Sample),
    Failed {
        failure: SizeFailure,
        billed_ms: f64,
    },
}

impl<A: LambdaApi, C: Clock> Engine<'_, A, C> {
    /// One try: the pre-processor, the invocation, the post-processor (as the original: a
    /// processor's failure fails the try; the pre-processor's answer, when not empty, replaces
    /// the payload).
    pub(super) async fn attempt(
        &self,
        alias: &str,
        payload: &str,
        timeout: Duration,
    ) -> Result<Attempt, RunError> {
        let phase = Phase::Tuning;
        let mode = if self.input.parallel_invocation {
            "parallel"
        } else {
            "series"
        };
        let mut payload = payload.as_bytes().to_vec();
        if let Some(pre) = &self.input.pre_processor_arn {
            let out = self
                .retrier
                .call(|| self.api.invoke(pre, None, None, &payload))
                .await
                .map_err(|e| e.in_phase(phase))?;
            if out.function_error.is_some() {
                return Ok(Attempt::Failed {
                    failure: SizeFailure::new(
                        FailureKind::PreProcessor,
                        self.error_message(
                            &format!("PreProcessor {pre} failed"),
                            &payload,
                            &out.payload,
                        ),
                    ),
                    billed_ms: 0.0,
                });
            }
            if !out.payload.is_empty() {
                payload = out.payload;
            }
        }
        let tenant = self.tenant.borrow().clone();
        let invoke = self.retrier.call(|| {
            self.api
                .invoke(self.arn(), Some(alias), tenant.as_deref(), &payload)
        });
        let sleep = self.clock.sleep(timeout);
        pin_mut!(invoke, sleep);
        let out = match future::select(invoke, sleep).await {
            Either::Left((out, _)) => out.map_err(|e| e.in_phase(phase))?,
            Either::Right(_) => {
                let after_s = timeout.as_secs();
                return Ok(Attempt::Failed {
                    failure: SizeFailure::new(
                        FailureKind::NoAnswer { after_s },
                        format!(
                            "no answer within {after_s} s (client timeout); the request was abandoned"
                        ),
                    ),
                    billed_ms: timeout.as_millis() as f64,
                });
            }
        };
        let tail = logs::parse_base64(out.log_tail.as_deref());
        let billed_ms = tail.report.map_or(0.0, |r| r.billed_ms());
        if let Some(post) = &self.input.post_processor_arn {
            let post_out = self
                .retrier
                .call(|| self.api.invoke(post, None, None, &out.payload))
                .await
                .map_err(|e| e.in_phase(phase))?;
            if post_out.function_error.is_some() {
                return Ok(Attempt::Failed {
                    failure: SizeFailure::new(
                        FailureKind::PostProcessor,
                        self.error_message(
                            &format!("PostProcessor {post} failed"),
                            &out.payload,
                            &post_out.payload,
                        ),
                    ),
                    billed_ms,
                });
            }
        }
        if out.function_error.is_some() {
            let error_type = serde_json::from_slice::<Value>(&out.payload)
                .ok()
                .and_then(|v| {
                    v.get("errorType")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                })
                .unwrap_or_default();
            if !self.input.allowed_exceptions.contains(&error_type) {
                let (kind, prefix) = match tail.failure {
                    Some(LogFailure::Timeout) => (
                        FailureKind::TimedOut,
                        format!("Invocation timed out (running in {mode})"),
                    ),
                    Some(LogFailure::OutOfMemory) => (
                        FailureKind::OutOfMemory,
                        format!("Invocation ran out of memory (running in {mode})"),
                    ),
                    _ => (
                        FailureKind::FunctionError {
                            error_type: (!error_type.is_empty()).then(|| error_type.clone()),
                        },
                        format!("Invocation error (running in {mode})"),
                    ),
                };
                return Ok(Attempt::Failed {
                    failure: SizeFailure::new(
                        kind,
                        self.error_message(&prefix, &payload, &out.payload),
                    ),
                    billed_ms,
                });
            }
        }
        match tail.report {
            Some(report) => Ok(Attempt::Measured(Sample::from(&report))),
            None => Ok(Attempt::Failed {
                failure: SizeFailure::new(
                    FailureKind::NoReport,
                    "the invocation's log tail has no REPORT line, so its duration is unknown",
                ),
                billed_ms: 0.0,
            }),
        }
    }

    /// The original's error text: prefix, payload unless `disablePayloadLogs`, and the function's
    /// error type, message and trace.
    fn error_message(&self, prefix: &str, payload: &[u8], response: &[u8]) -> String {
        let response: Value = serde_json::from_slice(response).unwrap_or(Value::Null);
        let field = |key: &str| {
            response
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let with_payload = if self.input.disable_payload_logs {
            String::new()
        } else {
            format!(
                " with payload {}",
                Value::String(String::from_utf8_lossy(payload).into_owned())
            )
        };
        let trace = response
            .get("stackTrace")
            .map(Value::to_string)
            .unwrap_or_else(|| "[]".into());
        format!(
            "{prefix}{with_payload} - original error type: \"{}\", original error message: \"{}\",trace: \"{trace}\"",
            field("errorType"),
            field("errorMessage"),
        )
    }
}
