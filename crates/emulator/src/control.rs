//! The unsigned test endpoints: `GET /_emulator/state` (every function's versions, aliases,
//! memory and invocation count) and `POST /_emulator/faults` (change the injected faults).

use axum::{
    body::Bytes,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use powertune_tuner::sim::Faults;
use serde::Deserialize;
use serde_json::json;

use crate::{errors::aws_error, state::AppState, wire::json_response};

/// Every function's versions, aliases and `$LATEST` memory, for tests.
pub async fn emulator_state(State(state): State<AppState>) -> Response {
    let functions = state
        .sim
        .call(|sim| async move {
            sim.function_arns()
                .iter()
                .filter_map(|arn| {
                    let s = sim.snapshot(arn)?;
                    Some(json!({
                        "arn": arn.to_string(), "memory": s.memory, "description": s.description,
                        "versions": s.versions, "aliases": s.aliases, "invocations": s.invocations,
                    }))
                })
                .collect::<Vec<_>>()
        })
        .await;
    json_response(StatusCode::OK, json!({"functions": functions}))
}

/// Injected faults and timings, as the emulator's config file and `/_emulator/faults` take them.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct FaultsConfig {
    /// Share of invocations throttled.
    pub throttle_rate: f64,
    /// Share of calls answered with 500.
    pub server_error_rate: f64,
    /// Credentials expire after this many calls.
    pub expire_after_calls: Option<u64>,
    /// Updates never finish.
    pub stuck_update: bool,
    /// Update duration in ms.
    pub update_ms: Option<u64>,
    /// Pending duration of new versions in ms.
    pub pending_ms: Option<u64>,
    /// Memory quota in MB.
    pub memory_quota_mb: Option<u32>,
    /// Real time per simulated time.
    pub time_scale: Option<f64>,
}

impl FaultsConfig {
    /// The simulation's faults.
    pub fn to_faults(&self) -> Faults {
        let d = Faults::default();
        Faults {
            throttle_rate: self.throttle_rate,
            server_error_rate: self.server_error_rate,
            expire_after_calls: self.expire_after_calls,
            stuck_update: self.stuck_update,
            update_duration: self
                .update_ms
                .map_or(d.update_duration, std::time::Duration::from_millis),
            pending_duration: self
                .pending_ms
                .map_or(d.pending_duration, std::time::Duration::from_millis),
            memory_quota_mb: self.memory_quota_mb.unwrap_or(d.memory_quota_mb),
            time_scale: self.time_scale.unwrap_or(1.0),
        }
    }
}

/// Replaces the injected faults.
pub async fn set_faults(State(state): State<AppState>, body: Bytes) -> Response {
    match serde_json::from_slice::<FaultsConfig>(&body) {
        Ok(config) => {
            let faults = config.to_faults();
            state
                .sim
                .call(move |sim| async move { sim.set_faults(faults) })
                .await;
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => aws_error(
            StatusCode::BAD_REQUEST,
            "InvalidRequestContentException",
            &e.to_string(),
        ),
    }
}
