//! Lambda's REST API (2015-03-31) over the simulated service, and the router that joins it
//! with the middleware and the test-control endpoints.

use axum::{
    Router,
    body::Bytes,
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode},
    middleware,
    response::IntoResponse,
    routing::{get, post},
};
use powertune_tuner::{
    MemoryMb,
    api::{ConfigUpdate, LambdaApi, LambdaError},
};
use serde_json::{Value, json};

use crate::{
    control, copies,
    errors::{ApiError, ApiResult, aws_error, invalid},
    middleware::{authenticate, cors},
    wire::{AliasBody, QualifierQuery, UpdateBody, alias_json, configuration_json, json_response},
};

pub use crate::state::AppState;

/// The router.
pub fn app(state: AppState) -> Router {
    let lambda = Router::new()
        .route(
            "/2015-03-31/functions",
            get(list_functions).post(copies::create_function),
        )
        .route("/2015-03-31/functions/", get(list_functions))
        .route(
            "/2015-03-31/functions/{function}",
            get(copies::get_function).delete(delete_function),
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
        .route("/2018-10-31/layers", get(copies::get_layer_version))
        .route("/", post(crate::cloudwatch::get_metric_statistics))
        .layer(middleware::from_fn_with_state(state.clone(), authenticate));
    Router::new()
        .merge(lambda)
        .route("/_emulator/state", get(control::emulator_state))
        .route("/_emulator/faults", post(control::set_faults))
        .fallback(|| async {
            aws_error(
                StatusCode::NOT_FOUND,
                "UnknownOperationException",
                "the emulator does not implement this operation",
            )
        })
        .layer(middleware::from_fn(cors))
        // After the CORS layer: a function's code downloads without CORS headers.
        .route("/_emulator/code/{name}", get(copies::download_code))
        .with_state(state)
}

async fn list_functions(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    let region = crate::wire::region_of(&headers);
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

async fn get_configuration(
    State(state): State<AppState>,
    Path(function): Path<String>,
    Query(q): Query<QualifierQuery>,
) -> ApiResult {
    let arn = state.resolve(&function).await?;
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

async fn update_configuration(
    State(state): State<AppState>,
    Path(function): Path<String>,
    body: Bytes,
) -> ApiResult {
    let arn = state.resolve(&function).await?;
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
        revision_id: body.revision_id,
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
    let arn = state.resolve(&function).await?;
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
    let arn = state.resolve(&function).await?;
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

async fn create_alias(
    State(state): State<AppState>,
    Path(function): Path<String>,
    body: Bytes,
) -> ApiResult {
    let arn = state.resolve(&function).await?;
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
    let arn = state.resolve(&function).await?;
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
    let arn = state.resolve(&function).await?;
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
    let arn = state.resolve(&function).await?;
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
    let arn = state.resolve(&function).await?;
    let Some(version) = q.qualifier else {
        return copies::delete_whole(&state, arn).await;
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
    let arn = state.resolve(&function).await?;
    let tail = headers
        .get("x-amz-log-type")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"Tail"));
    let payload = body.to_vec();
    let tenant = headers
        .get("x-amz-tenant-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (out, version) = state
        .sim
        .call(move |sim| async move {
            let out = sim
                .invoke(&arn, q.qualifier.as_deref(), tenant.as_deref(), &payload)
                .await?;
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
