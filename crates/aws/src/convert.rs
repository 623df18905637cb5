//! Conversions from the SDK's types to the domain's.

use aws_sdk_lambda::types::{
    Architecture as SdkArchitecture, EphemeralStorage, LastUpdateStatus, LogFormat as SdkLogFormat,
    LoggingConfig, PackageType as SdkPackageType, SnapStartApplyOn, State, TenantIsolationMode,
};
use powertune_tuner::{
    FunctionArn, MemoryMb,
    api::{FunctionConfig, FunctionState, LambdaError, LogFormat, UpdateStatus},
    platform::{PackageType, Platform},
    pricing::Architecture,
};

/// A memory size from the SDK (absent reads as Lambda's default, 128 MB).
pub fn memory_of(mb: Option<i32>) -> Result<MemoryMb, LambdaError> {
    let mb = mb.unwrap_or(128);
    MemoryMb::new(u32::try_from(mb).unwrap_or(0)).map_err(|e| LambdaError::InvalidRequest {
        message: e.to_string(),
    })
}

/// The first architecture (Lambda allows one), x86_64 by default.
pub fn architecture_of(archs: &[SdkArchitecture]) -> Architecture {
    match archs.first() {
        Some(SdkArchitecture::Arm64) => Architecture::Arm64,
        _ => Architecture::X86_64,
    }
}

/// The answers of GetFunctionConfiguration and UpdateFunctionConfiguration, which describe a
/// function's configuration with the same fields.
pub trait ConfigurationOutput {
    /// `Version`.
    fn version(&self) -> Option<&str>;
    /// `MemorySize`.
    fn memory_size(&self) -> Option<i32>;
    /// `Description`.
    fn description(&self) -> Option<&str>;
    /// `Architectures`.
    fn architectures(&self) -> &[SdkArchitecture];
    /// `Timeout`.
    fn timeout(&self) -> Option<i32>;
    /// `EphemeralStorage`.
    fn ephemeral_storage(&self) -> Option<&EphemeralStorage>;
    /// `LoggingConfig`.
    fn logging_config(&self) -> Option<&LoggingConfig>;
    /// `State` and `StateReason`.
    fn state(&self) -> (Option<&State>, Option<&str>);
    /// `LastUpdateStatus` and its reason.
    fn last_update(&self) -> (Option<&LastUpdateStatus>, Option<&str>);
    /// `RevisionId`.
    fn revision_id(&self) -> Option<&str>;
    /// `CapacityProviderConfig`, `TenancyConfig`, `DurableConfig`, `SnapStart`, `PackageType`
    /// and `Runtime`: the kind of function.
    fn platform(&self) -> Platform;

    /// The domain's configuration of `arn`.
    ///
    /// # Errors
    /// A memory size Lambda would not accept.
    fn to_config(&self, arn: &FunctionArn) -> Result<FunctionConfig, LambdaError> {
        let (state, state_reason) = self.state();
        let (update, update_reason) = self.last_update();
        Ok(FunctionConfig {
            arn: arn.clone(),
            version: self.version().unwrap_or("$LATEST").to_owned(),
            memory: memory_of(self.memory_size())?,
            description: self.description().unwrap_or_default().to_owned(),
            architecture: architecture_of(self.architectures()),
            timeout_s: self
                .timeout()
                .and_then(|t| u32::try_from(t).ok())
                .unwrap_or(3),
            ephemeral_storage_mb: self
                .ephemeral_storage()
                .and_then(|e| u32::try_from(e.size()).ok())
                .unwrap_or(512),
            log_format: match self.logging_config().and_then(|l| l.log_format()) {
                Some(SdkLogFormat::Json) => LogFormat::Json,
                _ => LogFormat::Text,
            },
            state: match state {
                Some(State::Pending) => FunctionState::Pending,
                Some(State::Inactive) => FunctionState::Inactive,
                Some(State::Failed) => {
                    FunctionState::Failed(state_reason.unwrap_or_default().to_owned())
                }
                _ => FunctionState::Active,
            },
            last_update_status: match update {
                Some(LastUpdateStatus::InProgress) => UpdateStatus::InProgress,
                Some(LastUpdateStatus::Failed) => {
                    UpdateStatus::Failed(update_reason.unwrap_or_default().to_owned())
                }
                _ => UpdateStatus::Successful,
            },
            platform: self.platform(),
            revision_id: self.revision_id().unwrap_or_default().to_owned(),
        })
    }
}

/// Implements [`ConfigurationOutput`] for an SDK output type, whose accessors have these names.
macro_rules! configuration_output {
    ($($output:ty),*) => {$(
        impl ConfigurationOutput for $output {
            fn version(&self) -> Option<&str> { self.version() }
            fn memory_size(&self) -> Option<i32> { self.memory_size() }
            fn description(&self) -> Option<&str> { self.description() }
            fn architectures(&self) -> &[SdkArchitecture] { self.architectures() }
            fn timeout(&self) -> Option<i32> { self.timeout() }
            fn ephemeral_storage(&self) -> Option<&EphemeralStorage> { self.ephemeral_storage() }
            fn logging_config(&self) -> Option<&LoggingConfig> { self.logging_config() }
            fn state(&self) -> (Option<&State>, Option<&str>) {
                (self.state(), self.state_reason())
            }
            fn last_update(&self) -> (Option<&LastUpdateStatus>, Option<&str>) {
                (self.last_update_status(), self.last_update_status_reason())
            }
            fn revision_id(&self) -> Option<&str> { self.revision_id() }
            fn platform(&self) -> Platform {
                Platform {
                    capacity_provider: self
                        .capacity_provider_config()
                        .and_then(|c| c.lambda_managed_instances_capacity_provider_config())
                        .map(|c| c.capacity_provider_arn().to_owned()),
                    tenant_isolated: self
                        .tenancy_config()
                        .is_some_and(|t| *t.tenant_isolation_mode() == TenantIsolationMode::PerTenant),
                    durable: self.durable_config().is_some(),
                    snap_start: self
                        .snap_start()
                        .and_then(|s| s.apply_on())
                        .is_some_and(|a| *a == SnapStartApplyOn::PublishedVersions),
                    package_type: match self.package_type() {
                        Some(SdkPackageType::Image) => PackageType::Image,
                        _ => PackageType::Zip,
                    },
                    runtime: self.runtime().map(|r| r.as_str().to_owned()),
                }
            }
        }
    )*};
}

configuration_output!(
    aws_sdk_lambda::operation::get_function_configuration::GetFunctionConfigurationOutput,
    aws_sdk_lambda::operation::update_function_configuration::UpdateFunctionConfigurationOutput,
    aws_sdk_lambda::operation::create_function::CreateFunctionOutput,
    aws_sdk_lambda::types::FunctionConfiguration
);
