//! The JSON shapes of Lambda's REST API that the emulator reads and writes.

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};
use powertune_tuner::{
    FunctionArn,
    api::{FunctionConfig, FunctionState, LogFormat, UpdateStatus},
    platform::PackageType,
};
use serde::Deserialize;
use serde_json::{Value, json};

/// The region a request was signed for (the emulator holds one account; default us-east-1).
pub fn region_of(headers: &axum::http::HeaderMap) -> String {
    headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|a| a.split("Credential=").nth(1))
        .and_then(|c| c.split('/').nth(2))
        .unwrap_or("us-east-1")
        .to_owned()
}

/// The `Qualifier` query parameter.
#[derive(Deserialize)]
pub struct QualifierQuery {
    /// `?Qualifier=` (a version or alias).
    #[serde(rename = "Qualifier")]
    pub qualifier: Option<String>,
}

/// The body of UpdateFunctionConfiguration (the fields a run sets).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateBody {
    /// `MemorySize`.
    pub memory_size: Option<u32>,
    /// `Description`.
    pub description: Option<String>,
    /// `RevisionId`: apply only if the function is still at this revision.
    pub revision_id: Option<String>,
}

/// A function configuration as GetFunctionConfiguration answers it.
pub fn configuration_json(config: &FunctionConfig) -> Value {
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
        "Runtime": config.platform.runtime.as_deref().unwrap_or("nodejs22.x"),
        "Role": format!("arn:aws:iam::{}:role/lambda-role", config.arn.account()),
        "Handler": "index.handler",
        "CodeSize": 1024,
        "Description": config.description,
        "Timeout": config.timeout_s,
        "MemorySize": config.memory.get(),
        "LastModified": "2026-01-01T00:00:00.000+0000",
        "CodeSha256": "emulated",
        "Version": config.version,
        "RevisionId": config.revision_id,
        "State": state,
        "LastUpdateStatus": update,
        "PackageType": match config.platform.package_type { PackageType::Zip => "Zip", PackageType::Image => "Image" },
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
    let platform = &config.platform;
    if platform.package_type == PackageType::Image {
        // Container images have no runtime or handler.
        value
            .as_object_mut()
            .map(|o| (o.remove("Runtime"), o.remove("Handler")));
    }
    if let Some(provider) = &platform.capacity_provider {
        value["CapacityProviderConfig"] = json!({"LambdaManagedInstancesCapacityProviderConfig": {
            "CapacityProviderArn": provider, "PerExecutionEnvironmentMaxConcurrency": 10,
            "ExecutionEnvironmentMemoryGiBPerVCpu": 2.0}});
    }
    if platform.tenant_isolated {
        value["TenancyConfig"] = json!({"TenantIsolationMode": "PER_TENANT"});
    }
    if platform.durable {
        value["DurableConfig"] = json!({"RetentionPeriodInDays": 14, "ExecutionTimeout": 86400});
    }
    if platform.snap_start {
        value["SnapStart"] = json!({"ApplyOn": "PublishedVersions", "OptimizationStatus": "On"});
    }
    value
}

/// `value` as a JSON response with `status`.
pub fn json_response(status: StatusCode, value: Value) -> Response {
    (status, axum::Json(value)).into_response()
}

/// An alias as GetAlias answers it.
pub fn alias_json(arn: &FunctionArn, name: &str, version: &str) -> Value {
    json!({"AliasArn": arn.qualified(name), "Name": name, "FunctionVersion": version, "Description": "", "RevisionId": "emulated"})
}

/// The body of CreateAlias and UpdateAlias.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AliasBody {
    /// `Name`.
    pub name: Option<String>,
    /// `FunctionVersion`.
    pub function_version: Option<String>,
}
