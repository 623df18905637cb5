//! The simulated service's answers to each Lambda operation.

use std::time::Duration;

use base64::Engine as _;

use super::{SimLambda, State, measured, not_found, update_in_progress};
use crate::{
    api::{
        ConfigUpdate, FunctionCode, FunctionConfig, FunctionDefinition, FunctionDetails,
        FunctionPage, FunctionSummary, InvokeOutput, LambdaApi, LambdaError, VersionSummary,
    },
    arn::FunctionArn,
    clock::Clock,
    logs,
};

/// How long a SnapStart snapshot keeps a published version Pending, at time scale 1.
const SNAPSHOT_MS: f64 = 120_000.0;

impl<C: Clock> LambdaApi for SimLambda<C> {
    async fn get_function_configuration(
        &self,
        function: &FunctionArn,
        qualifier: Option<&str>,
    ) -> Result<FunctionConfig, LambdaError> {
        self.with_function(function, |f, now, _| {
            let version = f.resolve(qualifier)?;
            Ok(f.config(version, now))
        })
    }

    async fn update_function_configuration(
        &self,
        function: &FunctionArn,
        update: &ConfigUpdate,
    ) -> Result<FunctionConfig, LambdaError> {
        self.with_function(function, |f, now, faults| {
            if now < f.update_done_at_ms {
                return Err(update_in_progress(&f.arn));
            }
            if let Some(expected) = &update.revision_id
                && *expected != format!("sim-revision-{}", f.revision)
            {
                return Err(LambdaError::PreconditionFailed {
                    message: "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id".into(),
                });
            }
            if let Some(memory) = update.memory {
                if memory.get() > faults.memory_quota_mb {
                    return Err(LambdaError::InvalidRequest {
                        message: format!(
                            "'MemorySize' value failed to satisfy constraint: Member must have value less than or equal to {}",
                            faults.memory_quota_mb
                        ),
                    });
                }
                if memory != f.latest.memory {
                    f.latest.warm = 0;
                }
                f.latest.memory = memory;
            }
            if let Some(description) = &update.description {
                f.latest.description.clone_from(description);
            }
            f.revision += 1;
            f.update_done_at_ms = if faults.stuck_update { f64::INFINITY } else { now + faults.update_duration.as_millis() as f64 };
            Ok(f.config(None, now))
        })
    }

    async fn publish_version(&self, function: &FunctionArn) -> Result<String, LambdaError> {
        self.with_function(function, |f, now, faults| {
            if now < f.update_done_at_ms {
                return Err(update_in_progress(&f.arn));
            }
            // Like Lambda: nothing changed since the last published version means no new version.
            if let Some((number, last)) = f.versions.iter().next_back()
                && last.memory == f.latest.memory
                && last.description == f.latest.description
            {
                return Ok(number.to_string());
            }
            let number = f.versions.keys().next_back().map_or(1, |n| n + 1);
            let mut version = f.latest.clone();
            // SnapStart snapshots a published version, which stays Pending for up to minutes.
            let pending_ms = if f.spec.platform.snap_start {
                (SNAPSHOT_MS * faults.time_scale).max(faults.pending_duration.as_millis() as f64)
            } else {
                faults.pending_duration.as_millis() as f64
            };
            version.ready_at_ms = now + pending_ms;
            version.warm = 0;
            version.busy = 0;
            f.versions.insert(number, version);
            Ok(number.to_string())
        })
    }

    async fn get_alias(&self, function: &FunctionArn, alias: &str) -> Result<String, LambdaError> {
        self.with_function(function, |f, _, _| {
            f.aliases
                .get(alias)
                .cloned()
                .ok_or_else(|| LambdaError::NotFound {
                    message: format!("Alias not found: {}:{alias}", f.arn),
                })
        })
    }

    async fn create_alias(
        &self,
        function: &FunctionArn,
        alias: &str,
        version: &str,
    ) -> Result<(), LambdaError> {
        self.with_function(function, |f, _, _| {
            if f.aliases.contains_key(alias) {
                return Err(LambdaError::Conflict {
                    message: format!("Alias already exists: {}:{alias}", f.arn),
                });
            }
            f.resolve(Some(version))?;
            f.aliases.insert(alias.to_owned(), version.to_owned());
            Ok(())
        })
    }

    async fn update_alias(
        &self,
        function: &FunctionArn,
        alias: &str,
        version: &str,
    ) -> Result<(), LambdaError> {
        self.with_function(function, |f, _, _| {
            f.resolve(Some(version))?;
            let target = f
                .aliases
                .get_mut(alias)
                .ok_or_else(|| LambdaError::NotFound {
                    message: format!("Alias not found: {}:{alias}", f.arn),
                })?;
            version.clone_into(target);
            Ok(())
        })
    }

    async fn delete_alias(&self, function: &FunctionArn, alias: &str) -> Result<(), LambdaError> {
        // Lambda answers 204 for an alias that does not exist.
        self.with_function(function, |f, _, _| {
            f.aliases.remove(alias);
            Ok(())
        })
    }

    async fn delete_version(
        &self,
        function: &FunctionArn,
        version: &str,
    ) -> Result<(), LambdaError> {
        self.with_function(function, |f, _, _| {
            let number: u64 = version.parse().map_err(|_| LambdaError::InvalidRequest {
                message: format!("{version} is not a version number"),
            })?;
            if let Some((alias, _)) = f.aliases.iter().find(|(_, v)| v.as_str() == version) {
                return Err(LambdaError::Conflict {
                    message: format!("Unable to delete version because the following aliases reference it: [{alias}]"),
                });
            }
            f.versions.remove(&number).map(|_| ()).ok_or_else(|| not_found(&format!("{}:{version}", f.arn)))
        })
    }

    async fn invoke(
        &self,
        function: &FunctionArn,
        qualifier: Option<&str>,
        tenant: Option<&str>,
        payload: &[u8],
    ) -> Result<InvokeOutput, LambdaError> {
        let (invocation, version, scale) = self.with_function(function, |f, now, faults| {
            let version = f.resolve(qualifier)?;
            // As Lambda answers: a tenant id is required by, and only accepted by, a
            // tenant-isolated function.
            match (f.spec.platform.tenant_isolated, tenant) {
                (true, None) => {
                    return Err(LambdaError::InvalidRequest {
                        message: "The TenantId parameter is required for functions with tenant isolation mode PER_TENANT".into(),
                    });
                }
                (false, Some(_)) => {
                    return Err(LambdaError::InvalidRequest {
                        message: "The TenantId parameter is not supported for functions without tenant isolation".into(),
                    });
                }
                _ => {}
            }
            // Counted like Lambda's Invocations metric: calls that run, not those refused.
            f.invocations += 1;
            let config = match version {
                None => &mut f.latest,
                Some(n) => f.versions.get_mut(&n).expect("resolved"),
            };
            if now < config.ready_at_ms {
                f.invocations -= 1;
                return Err(LambdaError::Conflict {
                    message: "The operation cannot be performed at this time. The function is currently in the following state: Pending".into(),
                });
            }
            let cold = config.busy >= config.warm;
            if cold {
                config.warm += 1;
            }
            config.busy += 1;
            Ok((
                (
                    config.memory,
                    cold,
                    f.spec.log_format,
                    f.spec.timeout_s,
                    f.spec.platform.snap_start,
                ),
                version,
                faults.time_scale,
            ))
        })?;
        let (memory, cold, log_format, timeout_s, snap_start) = invocation;
        let memory_mb = memory.get();
        let (throttled, execution) = {
            let mut state = self.state.borrow_mut();
            let State {
                functions,
                rng,
                faults,
                ..
            } = &mut *state;
            let throttled = faults.throttle_rate > 0.0 && rng.f64() < faults.throttle_rate;
            let f = functions
                .get_mut(&function.to_string())
                .ok_or_else(|| not_found(&function.to_string()))?;
            let execution = match &f.spec.measured {
                Some(profile) => match f.replay.next(profile, memory_mb) {
                    Some(sample) => sample.execution(memory_mb, timeout_s),
                    None => measured::unmeasured(memory_mb),
                },
                None => {
                    let model = &f.spec.model;
                    // Log-normal noise via Box-Muller.
                    let (u1, u2) = (rng.f64().max(1e-12), rng.f64());
                    let normal = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
                    let fails = model.error_rate > 0.0 && rng.f64() < model.error_rate;
                    model.execution(
                        f.spec.architecture,
                        memory_mb,
                        cold,
                        (model.noise * normal).exp(),
                        fails,
                        timeout_s,
                    )
                }
            };
            (throttled, execution)
        };
        let release = || {
            let mut state = self.state.borrow_mut();
            if let Some(f) = state.functions.get_mut(&function.to_string()) {
                let config = match version {
                    None => &mut f.latest,
                    Some(n) => match f.versions.get_mut(&n) {
                        Some(v) => v,
                        None => return,
                    },
                };
                config.busy = config.busy.saturating_sub(1);
                if cold && throttled {
                    config.warm = config.warm.saturating_sub(1);
                }
                if throttled {
                    f.invocations = f.invocations.saturating_sub(1);
                }
            }
        };
        if throttled {
            release();
            return Err(LambdaError::Throttled {
                message: "Rate Exceeded.".into(),
            });
        }
        if scale > 0.0 {
            self.clock
                .sleep(Duration::from_secs_f64(
                    (execution.init_ms + execution.duration_ms) * scale / 1000.0,
                ))
                .await;
        }
        release();
        let request_id = format!("{:08x}-sim", self.state.borrow_mut().rng.u32(..));
        let failure = execution
            .failure
            .as_ref()
            .map(|(error_type, message)| (*error_type, message.as_str()));
        let tail = logs::render(
            log_format,
            &logs::Invocation {
                request_id: &request_id,
                report: execution.report(memory_mb, snap_start),
                failure: failure.map(|(error_type, message)| match error_type {
                    "Sandbox.Timedout" => logs::FailureLine::Timeout { after_s: timeout_s },
                    _ => logs::FailureLine::Error {
                        error_type,
                        message,
                    },
                }),
            },
        );
        let (function_error, payload) = match failure {
            Some((error_type, message)) => (
                Some("Unhandled".to_owned()),
                serde_json::json!({"errorType": error_type, "errorMessage": message, "stackTrace": []}).to_string().into_bytes(),
            ),
            None => (None, echo(payload)),
        };
        Ok(InvokeOutput {
            status: 200,
            function_error,
            log_tail: Some(base64::engine::general_purpose::STANDARD.encode(tail)),
            payload,
        })
    }

    async fn list_versions(
        &self,
        function: &FunctionArn,
    ) -> Result<Vec<VersionSummary>, LambdaError> {
        self.with_function(function, |f, _, _| {
            Ok(f.versions
                .iter()
                .map(|(number, v)| VersionSummary {
                    version: number.to_string(),
                    memory: v.memory.get(),
                    description: v.description.clone(),
                })
                .collect())
        })
    }

    async fn list_functions(
        &self,
        region: &str,
        _marker: Option<&str>,
    ) -> Result<FunctionPage, LambdaError> {
        self.enter()?;
        let state = self.state.borrow();
        Ok(FunctionPage {
            functions: state
                .functions
                .values()
                .filter(|f| f.arn.region() == region)
                .map(|f| FunctionSummary {
                    arn: f.arn.clone(),
                    memory: f.latest.memory.get(),
                    runtime: f.spec.runtime.clone(),
                    architecture: f.spec.architecture,
                })
                .collect(),
            next_marker: None,
        })
    }

    async fn get_function(&self, function: &FunctionArn) -> Result<FunctionDetails, LambdaError> {
        self.details(function)
    }

    async fn create_function(
        &self,
        definition: &FunctionDefinition,
        code: &FunctionCode,
    ) -> Result<FunctionConfig, LambdaError> {
        self.create_copy(definition, code)
    }

    async fn delete_function(&self, function: &FunctionArn) -> Result<(), LambdaError> {
        self.delete_whole(function)
    }
    async fn layer_architectures(
        &self,
        layer: &str,
    ) -> Result<Vec<crate::pricing::Architecture>, LambdaError> {
        self.layer(layer)
    }
}

/// The simulated functions answer with what they were sent.
fn echo(payload: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(payload);
    serde_json::json!({"statusCode": 200, "received": serde_json::from_str::<serde_json::Value>(&text).unwrap_or(serde_json::Value::Null)})
        .to_string()
        .into_bytes()
}
