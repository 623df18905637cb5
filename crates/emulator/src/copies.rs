//! `GetFunction`, `CreateFunction` and `DeleteFunction` of a whole function, and the download of
//! a function's code: what a run comparing architectures needs. The code's download answers
//! without CORS headers, as a presigned S3 URL may, so that the web app's fallback (asking for
//! the package) is what a browser exercises.

use std::collections::BTreeMap;

use axum::{
    body::Bytes,
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode},
    response::IntoResponse,
};
use base64::Engine as _;
use powertune_tuner::{
    FunctionArn, MemoryMb,
    api::{
        FileSystem, FunctionCode, FunctionConfig, FunctionDefinition, FunctionState, LambdaApi,
        LambdaError, LogFormat, Package, UpdateStatus, Vpc,
    },
    platform::{PackageType, Platform},
    pricing::Architecture,
    sim::{CODE_SCHEME, DEMO_ACCOUNT},
};
use serde::Deserialize;
use serde_json::json;

use crate::{
    errors::{ApiError, ApiResult, invalid},
    state::AppState,
    wire::{configuration_json, json_response, region_of},
};

/// Where the emulator serves a function's code.
const CODE_PATH: &str = "/_emulator/code/";

pub async fn get_function(
    State(state): State<AppState>,
    Path(function): Path<String>,
    headers: HeaderMap,
) -> ApiResult {
    let arn = state.resolve(&function).await?;
    let details = state
        .sim
        .call(move |sim| async move { sim.get_function(&arn).await })
        .await
        .map_err(ApiError)?;
    let definition = &details.definition;
    let mut configuration = configuration_json(&definition.config);
    configuration["Role"] = json!(definition.role);
    configuration["Environment"] = json!({"Variables": definition.environment});
    configuration["Layers"] = definition
        .layers
        .iter()
        .map(|arn| json!({"Arn": arn, "CodeSize": 1024}))
        .collect();
    let code = match &details.package {
        Package::Zip { location, size } => {
            configuration["CodeSize"] = json!(size);
            let host = headers
                .get(http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("127.0.0.1");
            let location = location
                .as_deref()
                .and_then(|l| l.strip_prefix(CODE_SCHEME));
            json!({"RepositoryType": "S3", "Location": location.map(|name| format!("http://{host}{CODE_PATH}{name}"))})
        }
        Package::Image { uri } => json!({"RepositoryType": "ECR", "ImageUri": uri}),
    };
    Ok(json_response(
        StatusCode::OK,
        json!({"Configuration": configuration, "Code": code, "Tags": definition.tags}),
    ))
}

/// `GetLayerVersionByArn` (`?find=LayerVersion&Arn=…`): what a copy needs of a layer, its
/// `CompatibleArchitectures`.
pub async fn get_layer_version(
    State(state): State<AppState>,
    Query(query): Query<BTreeMap<String, String>>,
) -> ApiResult {
    let arn = match (query.get("find").map(String::as_str), query.get("Arn")) {
        (Some("LayerVersion"), Some(arn)) => arn.clone(),
        _ => {
            return Err(invalid(
                "GetLayerVersionByArn takes find=LayerVersion and Arn".into(),
            ));
        }
    };
    let layer = arn.clone();
    let architectures = state
        .sim
        .call(move |sim| async move { sim.layer_architectures(&layer).await })
        .await
        .map_err(ApiError)?;
    let (layer_arn, version) = arn.rsplit_once(':').unwrap_or((&arn, "1"));
    Ok(json_response(
        StatusCode::OK,
        json!({
            "LayerArn": layer_arn,
            "LayerVersionArn": arn,
            "Version": version.parse::<i64>().unwrap_or(1),
            "CompatibleArchitectures": architectures,
            "Content": {"CodeSize": 1024},
        }),
    ))
}

/// A function's deployment package, as its `Code.Location` serves it.
pub async fn download_code(State(state): State<AppState>, Path(name): Path<String>) -> ApiResult {
    let package = state
        .sim
        .call(move |sim| async move { sim.package(&format!("{CODE_SCHEME}{name}")) })
        .await
        .ok_or_else(|| {
            ApiError(LambdaError::NotFound {
                message: "NoSuchKey: The specified key does not exist.".into(),
            })
        })?;
    let mut response = (StatusCode::OK, package).into_response();
    response
        .headers_mut()
        .insert("content-type", HeaderValue::from_static("application/zip"));
    Ok(response)
}

/// The body of CreateFunction (what a copy sets).
#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct CreateBody {
    function_name: String,
    role: String,
    handler: Option<String>,
    runtime: Option<String>,
    code: CodeBody,
    description: String,
    timeout: Option<u32>,
    memory_size: Option<u32>,
    architectures: Vec<String>,
    package_type: Option<String>,
    environment: Option<EnvironmentBody>,
    layers: Vec<String>,
    vpc_config: Option<VpcBody>,
    tracing_config: Option<TracingBody>,
    logging_config: Option<LoggingBody>,
    ephemeral_storage: Option<StorageBody>,
    file_system_configs: Vec<FileSystemBody>,
    tags: BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct CodeBody {
    zip_file: Option<String>,
    s3_bucket: Option<String>,
    s3_key: Option<String>,
    image_uri: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct EnvironmentBody {
    variables: BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct VpcBody {
    subnet_ids: Vec<String>,
    security_group_ids: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct TracingBody {
    mode: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct LoggingBody {
    log_format: Option<String>,
    log_group: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct StorageBody {
    size: u32,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct FileSystemBody {
    arn: String,
    local_mount_path: String,
}

pub async fn create_function(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let body: CreateBody = serde_json::from_slice(&body)
        .map_err(|e| invalid(format!("the request body is not CreateFunction's: {e}")))?;
    let arn: FunctionArn = match body.function_name.parse() {
        Ok(arn) => arn,
        Err(_) => format!(
            "arn:aws:lambda:{}:{DEMO_ACCOUNT}:function:{}",
            region_of(&headers),
            body.function_name
        )
        .parse()
        .map_err(|_| {
            invalid(format!(
                "FunctionName {:?} is not valid",
                body.function_name
            ))
        })?,
    };
    let code = match (
        &body.code.zip_file,
        &body.code.s3_bucket,
        &body.code.image_uri,
    ) {
        (Some(zip), _, _) => FunctionCode::Zip(
            base64::engine::general_purpose::STANDARD
                .decode(zip)
                .map_err(|_| invalid("Code.ZipFile is not base64".into()))?,
        ),
        (None, Some(bucket), _) => FunctionCode::S3 {
            bucket: bucket.clone(),
            key: body.code.s3_key.clone().unwrap_or_default(),
        },
        (None, None, Some(uri)) => FunctionCode::Image(uri.clone()),
        (None, None, None) => return Err(invalid("Code is empty".into())),
    };
    let memory =
        MemoryMb::new(body.memory_size.unwrap_or(128)).map_err(|e| invalid(e.to_string()))?;
    let definition = FunctionDefinition {
        config: FunctionConfig {
            arn,
            version: "$LATEST".into(),
            memory,
            description: body.description,
            architecture: match body.architectures.first().map(String::as_str) {
                Some("arm64") => Architecture::Arm64,
                _ => Architecture::X86_64,
            },
            timeout_s: body.timeout.unwrap_or(3),
            ephemeral_storage_mb: body.ephemeral_storage.map_or(512, |e| e.size),
            log_format: match body
                .logging_config
                .as_ref()
                .and_then(|l| l.log_format.as_deref())
            {
                Some("JSON") => LogFormat::Json,
                _ => LogFormat::Text,
            },
            state: FunctionState::Pending,
            last_update_status: UpdateStatus::Successful,
            platform: Platform {
                package_type: match body.package_type.as_deref() {
                    Some("Image") => PackageType::Image,
                    _ => PackageType::Zip,
                },
                runtime: body.runtime,
                ..Platform::default()
            },
            revision_id: String::new(),
        },
        handler: body.handler,
        role: body.role,
        environment: body.environment.map(|e| e.variables).unwrap_or_default(),
        layers: body.layers,
        vpc: body.vpc_config.map(|v| Vpc {
            subnet_ids: v.subnet_ids,
            security_group_ids: v.security_group_ids,
        }),
        tracing: body.tracing_config.and_then(|t| t.mode),
        log_group: body.logging_config.and_then(|l| l.log_group),
        file_systems: body
            .file_system_configs
            .into_iter()
            .map(|f| FileSystem {
                arn: f.arn,
                local_mount_path: f.local_mount_path,
            })
            .collect(),
        tags: body.tags,
    };
    let created = state
        .sim
        .call(move |sim| async move { sim.create_function(&definition, &code).await })
        .await
        .map_err(ApiError)?;
    Ok(json_response(
        StatusCode::CREATED,
        configuration_json(&created),
    ))
}

/// `DeleteFunction` of the whole function (no `Qualifier`).
pub async fn delete_whole(state: &AppState, arn: FunctionArn) -> ApiResult {
    state
        .sim
        .call(move |sim| async move { sim.delete_function(&arn).await })
        .await
        .map_err(ApiError)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
