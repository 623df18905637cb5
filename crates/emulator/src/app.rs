//! The HTTP surface: Lambda's REST API (2015-03-31) over the simulated service, plus a few
//! unauthenticated `/_emulator/` endpoints for tests.

use std::sync::Arc;

use axum::{
    Router,
    body::{Body, Bytes},
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use powertune_tuner::{
    FunctionArn, MemoryMb,
    api::{
        ConfigUpdate, FunctionConfig, FunctionState, LambdaApi, LambdaError, LogFormat,
        UpdateStatus,
    },
    sim::Faults,
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    actor::SimHandle,
    sigv4::{self, IssuedCredentials},
};

/// Shared state of the server.
#[derive(Clone)]
pub struct AppState {
    /// The simulation.
    pub sim: SimHandle,
    /// Credentials accepted; empty means signatures are not checked.
    pub credentials: Arc<Vec<IssuedCredentials>>,
}

/// Headers a browser may read, exactly as Lambda exposes them (`X-Amz-Executed-Version` is not).
const EXPOSED_HEADERS: &str = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date,x-amz-log-result,x-amz-function-error";

/// The router.
pub fn app(state: AppState) -> Router {
    let lambda = Router::new()
        .route("/2015-03-31/functions", get(list_functions))
        .route("/2015-03-31/functions/", get(list_functions))
        .route(
            "/2015-03-31/functions/{function}",
            axum::routing::delete(delete_function),
        )
        .route(
            "/2015-03-31/functions/{function}/configuration",
            get(get_configuration).put(update_configuration),
        )
        .route(
            "/2015-03-31/functions/{function}/versions",
            post(publish_version).get(list_versions),
        )
        .route(
            "/2015-03-31/functions/{function}/aliases",
            post(create_alias),
        )
        .route(
            "/2015-03-31/functions/{function}/aliases/{alias}",
            get(get_alias).put(update_alias).delete(delete_alias),
        )
        .route("/2015-03-31/functions/{function}/invocations", post(invoke))
        .layer(middleware::from_fn_with_state(state.clone(), authenticate));
    Router::new()
        .merge(lambda)
        .route("/_emulator/state", get(emulator_state))
        .route("/_emulator/faults", post(set_faults))
        .fallback(|| async {
            aws_error(
                StatusCode::NOT_FOUND,
                "UnknownOperationException",
                "the emulator does not implement this operation",
            )
        })
        .layer(middleware::from_fn(cors))
        .with_state(state)
}

/// CORS as Lambda answers it: preflights for any origin, echoing the requested headers.
async fn cors(request: axum::extract::Request, next: Next) -> Response {
    if request.method() == Method::OPTIONS {
        let requested = request
            .headers()
            .get("access-control-request-headers")
            .cloned();
        let mut response = StatusCode::OK.into_response();
        let h = response.headers_mut();
        h.insert("access-control-allow-origin", HeaderValue::from_static("*"));
        h.insert(
            "access-control-allow-methods",
            HeaderValue::from_static("GET,PUT,POST,DELETE,OPTIONS"),
        );
        if let Some(requested) = requested {
            h.insert("access-control-allow-headers", requested);
        }
        h.insert("access-control-max-age", HeaderValue::from_static("172800"));
        return response;
    }
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    h.insert(
        "access-control-expose-headers",
        HeaderValue::from_static(EXPOSED_HEADERS),
    );
    response
}

/// Checks the SigV4 signature of every Lambda request.
async fn authenticate(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: Next,
) -> Response {
    if state.credentials.is_empty() {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 16 * 1024 * 1024).await else {
        return aws_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestTooLargeException",
            "Request must be smaller than 6291456 bytes",
        );
    };
    if let Err(e) = sigv4::verify(
        &state.credentials,
        &parts.method,
        &parts.uri,
        &parts.headers,
        &bytes,
    ) {
        let status = if e.code == "MissingAuthenticationTokenException"
            || e.code == "IncompleteSignatureException"
        {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::FORBIDDEN
        };
        return aws_error(status, e.code, &e.message);
    }
    next.run(axum::extract::Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// An error in the shape the AWS SDKs parse for restJson services.
fn aws_error(status: StatusCode, code: &str, message: &str) -> Response {
    let mut response = (
        status,
        axum::Json(json!({"Type": "User", "message": message})),
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(code) {
        response.headers_mut().insert("x-amzn-errortype", value);
    }
    response
}

struct ApiError(LambdaError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = match &self.0 {
            LambdaError::Throttled { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, "TooManyRequestsException")
            }
            LambdaError::Conflict { .. } => (StatusCode::CONFLICT, "ResourceConflictException"),
            LambdaError::NotFound { .. } => (StatusCode::NOT_FOUND, "ResourceNotFoundException"),
            LambdaError::AccessDenied { .. } => (StatusCode::FORBIDDEN, "AccessDeniedException"),
            LambdaError::ExpiredCredentials { .. } => {
                (StatusCode::FORBIDDEN, "ExpiredTokenException")
            }
            LambdaError::InvalidCredentials { .. } => {
                (StatusCode::FORBIDDEN, "UnrecognizedClientException")
            }
            LambdaError::InvalidRequest { .. } => {
                (StatusCode::BAD_REQUEST, "InvalidParameterValueException")
            }
            _ => (StatusCode::INTERNAL_SERVER_ERROR, "ServiceException"),
        };
        let message = match self.0 {
            LambdaError::Throttled { message }
            | LambdaError::Conflict { message }
            | LambdaError::NotFound { message }
            | LambdaError::AccessDenied { message, .. }
            | LambdaError::ExpiredCredentials { message }
            | LambdaError::InvalidCredentials { message }
            | LambdaError::InvalidRequest { message }
            | LambdaError::Service { message, .. }
            | LambdaError::Network { message } => message,
            other => other.to_string(),
        };
        aws_error(status, code, &message)
    }
}

type ApiResult = Result<Response, ApiError>;

/// Resolves the `{function}` path label (a name or an ARN) to the function's ARN.
async fn resolve(state: &AppState, label: &str) -> Result<FunctionArn, ApiError> {
    let label = label.to_owned();
    let arns = state
        .sim
        .call(|sim| async move { sim.function_arns() })
        .await;
    arns.into_iter()
        .find(|arn| arn.to_string() == label || arn.name() == label)
        .ok_or_else(|| {
            ApiError(LambdaError::NotFound {
                message: format!("Function not found: {label}"),
            })
        })
}

#[derive(Deserialize)]
struct QualifierQuery {
    #[serde(rename = "Qualifier")]
    qualifier: Option<String>,
}

fn configuration_json(config: &FunctionConfig) -> Value {
    let arn = if config.version == "$LATEST" {
        config.arn.to_string()
    } else {
        config.arn.qualified(&config.version)
    };
    let (state, reason) = match &config.state {
        FunctionState::Active => ("Active", None),
        FunctionState::Pending => ("Pending", Some("The function is being created.")),
        FunctionState::Inactive => ("Inactive", None),
        FunctionState::Failed(r) => ("Failed", Some(r.as_str())),
    };
    let (update, update_reason) = match &config.last_update_status {
        UpdateStatus::Successful => ("Successful", None),
        UpdateStatus::InProgress => ("InProgress", Some("The function is being updated.")),
        UpdateStatus::Failed(r) => ("Failed", Some(r.as_str())),
    };
    let mut value = json!({
        "FunctionName": config.arn.name(),
        "FunctionArn": arn,
        "Runtime": "nodejs22.x",
        "Role": format!("arn:aws:iam::{}:role/lambda-role", config.arn.account()),
        "Handler": "index.handler",
        "CodeSize": 1024,
        "Description": config.description,
        "Timeout": config.timeout_s,
        "MemorySize": config.memory.get(),
        "LastModified": "2026-01-01T00:00:00.000+0000",
        "CodeSha256": "emulated",
        "Version": config.version,
        "State": state,
        "LastUpdateStatus": update,
        "PackageType": "Zip",
        "Architectures": [config.architecture.as_str()],
        "EphemeralStorage": {"Size": config.ephemeral_storage_mb},
        "LoggingConfig": {
            "LogFormat": match config.log_format { LogFormat::Text => "Text", LogFormat::Json => "JSON" },
            "LogGroup": format!("/aws/lambda/{}", config.arn.name()),
        },
    });
    if let Some(reason) = reason {
        value["StateReason"] = json!(reason);
    }
    if let Some(reason) = update_reason {
        value["LastUpdateStatusReason"] = json!(reason);
    }
    value
}

fn json_response(status: StatusCode, value: Value) -> Response {
    (status, axum::Json(value)).into_response()
}

async fn list_functions(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    let region = region_of(&headers);
    let page = state
        .sim
        .call(move |sim| async move {
            let mut configs = Vec::new();
            for summary in sim.list_functions(&region, None).await?.functions {
                configs.push(sim.get_function_configuration(&summary.arn, None).await?);
            }
            Ok::<_, LambdaError>(configs)
        })
        .await
        .map_err(ApiError)?;
    let functions: Vec<Value> = page.iter().map(configuration_json).collect();
    Ok(json_response(
        StatusCode::OK,
        json!({"Functions": functions}),
    ))
}

/// The region a request was signed for (the emulator holds one account; default us-east-1).
fn region_of(headers: &HeaderMap) -> String {
    headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|a| a.split("Credential=").nth(1))
        .and_then(|c| c.split('/').nth(2))
        .unwrap_or("us-east-1")
        .to_owned()
}

async fn get_configuration(
    State(state): State<AppState>,
    Path(function): Path<String>,
    Query(q): Query<QualifierQuery>,
) -> ApiResult {
    let arn = resolve(&state, &function).await?;
    let config = state
        .sim
        .call(move |sim| async move {
            sim.get_function_configuration(&arn, q.qualifier.as_deref())
                .await
        })
        .await
        .map_err(ApiError)?;
    Ok(json_response(StatusCode::OK, configuration_json(&config)))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateBody {
    memory_size: Option<u32>,
    description: Option<String>,
}

fn invalid(message: String) -> ApiError {
    ApiError(LambdaError::InvalidRequest { message })
}

async fn update_configuration(
    State(state): State<AppState>,
    Path(function): Path<String>,
    body: Bytes,
) -> ApiResult {
    let arn = resolve(&state, &function).await?;
    let body: UpdateBody = serde_json::from_slice(&body)
        .map_err(|e| invalid(format!("malformed request body: {e}")))?;
    let memory = body
        .memory_size
        .map(|m| {
            MemoryMb::new(m).map_err(|_| invalid(format!("1 validation error detected: Value '{m}' at 'memorySize' failed to satisfy constraint: Member must have value between 128 and 10240")))
        })
        .transpose()?;
    let update = ConfigUpdate {
        memory,
        description: body.description,
    };
    let config = state
        .sim
        .call(move |sim| async move { sim.update_function_configuration(&arn, &update).await })
        .await
        .map_err(ApiError)?;
    Ok(json_response(StatusCode::OK, configuration_json(&config)))
}

/// `ListVersionsByFunction`: `$LATEST` and every version, in one page.
async fn list_versions(State(state): State<AppState>, Path(function): Path<String>) -> ApiResult {
    let arn = resolve(&state, &function).await?;
    let configs = state
        .sim
        .call(move |sim| async move {
            let mut configs = vec![sim.get_function_configuration(&arn, None).await?];
            for v in sim.list_versions(&arn).await? {
                configs.push(
                    sim.get_function_configuration(&arn, Some(&v.version))
                        .await?,
                );
            }
            Ok::<_, LambdaError>(configs)
        })
        .await
        .map_err(ApiError)?;
    let versions: Vec<Value> = configs.iter().map(configuration_json).collect();
    Ok(json_response(StatusCode::OK, json!({"Versions": versions})))
}

async fn publish_version(State(state): State<AppState>, Path(function): Path<String>) -> ApiResult {
    let arn = resolve(&state, &function).await?;
    let config = state
        .sim
        .call(move |sim| async move {
            let version = sim.publish_version(&arn).await?;
            sim.get_function_configuration(&arn, Some(&version)).await
        })
        .await
        .map_err(ApiError)?;
    Ok(json_response(
        StatusCode::CREATED,
        configuration_json(&config),
    ))
}

fn alias_json(arn: &FunctionArn, name: &str, version: &str) -> Value {
    json!({"AliasArn": arn.qualified(name), "Name": name, "FunctionVersion": version, "Description": "", "RevisionId": "emulated"})
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AliasBody {
    name: Option<String>,
    function_version: Option<String>,
}

async fn create_alias(
    State(state): State<AppState>,
    Path(function): Path<String>,
    body: Bytes,
) -> ApiResult {
    let arn = resolve(&state, &function).await?;
    let body: AliasBody = serde_json::from_slice(&body)
        .map_err(|e| invalid(format!("malformed request body: {e}")))?;
    let (Some(name), Some(version)) = (body.name, body.function_version) else {
        return Err(invalid("Name and FunctionVersion are required".into()));
    };
    let (a, n, v) = (arn.clone(), name.clone(), version.clone());
    state
        .sim
        .call(move |sim| async move { sim.create_alias(&a, &n, &v).await })
        .await
        .map_err(ApiError)?;
    Ok(json_response(
        StatusCode::CREATED,
        alias_json(&arn, &name, &version),
    ))
}

async fn get_alias(
    State(state): State<AppState>,
    Path((function, alias)): Path<(String, String)>,
) -> ApiResult {
    let arn = resolve(&state, &function).await?;
    let (a, n) = (arn.clone(), alias.clone());
    let version = state
        .sim
        .call(move |sim| async move { sim.get_alias(&a, &n).await })
        .await
        .map_err(ApiError)?;
    Ok(json_response(
        StatusCode::OK,
        alias_json(&arn, &alias, &version),
    ))
}

async fn update_alias(
    State(state): State<AppState>,
    Path((function, alias)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    let arn = resolve(&state, &function).await?;
    let body: AliasBody = serde_json::from_slice(&body)
        .map_err(|e| invalid(format!("malformed request body: {e}")))?;
    let (a, n) = (arn.clone(), alias.clone());
    let version = state
        .sim
        .call(move |sim| async move {
            let version = match body.function_version {
                Some(v) => v,
                None => sim.get_alias(&a, &n).await?,
            };
            sim.update_alias(&a, &n, &version).await.map(|()| version)
        })
        .await
        .map_err(ApiError)?;
    Ok(json_response(
        StatusCode::OK,
        alias_json(&arn, &alias, &version),
    ))
}

async fn delete_alias(
    State(state): State<AppState>,
    Path((function, alias)): Path<(String, String)>,
) -> ApiResult {
    let arn = resolve(&state, &function).await?;
    state
        .sim
        .call(move |sim| async move { sim.delete_alias(&arn, &alias).await })
        .await
        .map_err(ApiError)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn delete_function(
    State(state): State<AppState>,
    Path(function): Path<String>,
    Query(q): Query<QualifierQuery>,
) -> ApiResult {
    let arn = resolve(&state, &function).await?;
    let Some(version) = q.qualifier else {
        // Deleting a whole function is not something a tuning run does.
        return Err(ApiError(LambdaError::AccessDenied {
            action: Some("lambda:DeleteFunction".into()),
            message: "the emulator deletes single versions only: pass Qualifier".into(),
        }));
    };
    state
        .sim
        .call(move |sim| async move { sim.delete_version(&arn, &version).await })
        .await
        .map_err(ApiError)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn invoke(
    State(state): State<AppState>,
    Path(function): Path<String>,
    Query(q): Query<QualifierQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let arn = resolve(&state, &function).await?;
    let tail = headers
        .get("x-amz-log-type")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"Tail"));
    let payload = body.to_vec();
    let (out, version) = state
        .sim
        .call(move |sim| async move {
            let out = sim.invoke(&arn, q.qualifier.as_deref(), &payload).await?;
            let version = sim
                .get_function_configuration(&arn, q.qualifier.as_deref())
                .await?
                .version;
            Ok::<_, LambdaError>((out, version))
        })
        .await
        .map_err(ApiError)?;
    let mut response = (StatusCode::OK, out.payload).into_response();
    let h = response.headers_mut();
    h.insert("content-type", HeaderValue::from_static("application/json"));
    if let Ok(v) = HeaderValue::from_str(&version) {
        h.insert("x-amz-executed-version", v);
    }
    if let Some(error) = out
        .function_error
        .and_then(|e| HeaderValue::from_str(&e).ok())
    {
        h.insert("x-amz-function-error", error);
    }
    if tail && let Some(log) = out.log_tail.and_then(|l| HeaderValue::from_str(&l).ok()) {
        h.insert("x-amz-log-result", log);
    }
    Ok(response)
}

/// Every function's versions, aliases and `$LATEST` memory, for tests.
async fn emulator_state(State(state): State<AppState>) -> Response {
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

async fn set_faults(State(state): State<AppState>, body: Bytes) -> Response {
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
