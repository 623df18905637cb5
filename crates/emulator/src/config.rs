//! The emulator's `--config` file: seed, faults and functions.

use anyhow::Context as _;
use powertune_tuner::{
    api::LogFormat,
    platform::{PackageType, Platform},
    pricing::Architecture,
    sim::{Arm64, FunctionModel, MeasuredProfile, SimFunctionSpec},
};
use serde::Deserialize;

use crate::control::FaultsConfig;

/// The `--config` file.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ConfigFile {
    /// Seed of the simulation's noise.
    pub seed: Option<u64>,
    /// Injected faults.
    pub faults: FaultsConfig,
    /// Functions besides (or instead of) the samples.
    pub functions: Vec<FunctionFile>,
    /// Keep the sample functions next to `functions` (default true).
    pub samples: Option<bool>,
}

/// One function of the config file: its settings and performance model.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)] // The simulation's model fields, documented there.
pub struct FunctionFile {
    pub name: String,
    #[serde(default = "default_region")]
    pub region: String,
    #[serde(default = "default_memory")]
    pub memory_mb: u32,
    #[serde(default)]
    pub architecture: Option<String>,
    #[serde(default)]
    pub json_logs: bool,
    #[serde(default = "default_timeout")]
    pub timeout_s: u32,
    #[serde(default)]
    pub cpu_ms: f64,
    #[serde(default)]
    pub parallel_fraction: f64,
    #[serde(default)]
    pub io_ms: f64,
    #[serde(default = "default_need")]
    pub memory_need_mb: u32,
    #[serde(default)]
    pub init_ms: f64,
    #[serde(default)]
    pub noise: f64,
    #[serde(default)]
    pub error_rate: f64,
    /// Samples per memory size to replay instead of the model (`{"128": [{"durationMs": …}]}`).
    #[serde(default)]
    pub measured: Option<MeasuredProfile>,
    /// The runtime (`provided.al2023`, …); none for a container image.
    #[serde(default)]
    pub runtime: Option<String>,
    /// `"Image"` for a container image (default `"Zip"`).
    #[serde(default)]
    pub package_type: Option<String>,
    /// A capacity provider's ARN: the function runs on Lambda Managed Instances.
    #[serde(default)]
    pub capacity_provider: Option<String>,
    /// Every invocation must name a tenant.
    #[serde(default)]
    pub tenant_isolated: bool,
    /// A durable function.
    #[serde(default)]
    pub durable: bool,
    /// Published versions take a SnapStart snapshot.
    #[serde(default)]
    pub snap_start: bool,
    /// On arm64 (a copy for the other architecture), its durations times this; 1 by default.
    #[serde(default)]
    pub arm64_duration_factor: Option<f64>,
    /// Its code does not run on arm64: every invocation of an arm64 copy fails.
    #[serde(default)]
    pub arm64_fails: bool,
    /// The layer versions it uses (`GetLayerVersionByArn` answers for them).
    #[serde(default)]
    pub layers: Vec<LayerFile>,
}

/// A layer version a function uses.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LayerFile {
    /// Its ARN, `arn:aws:lambda:<region>:<account>:layer:<name>:<version>`.
    pub arn: String,
    /// `CompatibleArchitectures`; none: not said.
    #[serde(default)]
    pub compatible_architectures: Vec<Architecture>,
}

fn default_region() -> String {
    "us-east-1".into()
}
fn default_memory() -> u32 {
    1024
}
fn default_timeout() -> u32 {
    30
}
fn default_need() -> u32 {
    128
}

impl FunctionFile {
    /// The simulation's spec of this function.
    ///
    /// # Errors
    /// An unknown architecture or a memory size Lambda refuses.
    pub fn into_spec(self) -> anyhow::Result<SimFunctionSpec> {
        let architecture = match self.architecture.as_deref() {
            None => Architecture::X86_64,
            Some(a) => a
                .parse()
                .with_context(|| format!("function {}", self.name))?,
        };
        powertune_tuner::MemoryMb::new(self.memory_mb)
            .with_context(|| format!("function {}", self.name))?;
        let package_type = match self.package_type.as_deref() {
            None | Some("Zip") => PackageType::Zip,
            Some("Image") => PackageType::Image,
            Some(other) => anyhow::bail!(
                "function {}: packageType {other:?} is not \"Zip\" or \"Image\"",
                self.name
            ),
        };
        Ok(SimFunctionSpec {
            name: self.name,
            region: self.region,
            memory_mb: self.memory_mb,
            description: String::new(),
            architecture,
            log_format: if self.json_logs {
                LogFormat::Json
            } else {
                LogFormat::Text
            },
            timeout_s: self.timeout_s,
            runtime: self.runtime.clone().unwrap_or_else(|| "nodejs22.x".into()),
            model: FunctionModel {
                cpu_ms: self.cpu_ms,
                parallel_fraction: self.parallel_fraction,
                io_ms: self.io_ms,
                memory_need_mb: self.memory_need_mb,
                init_ms: self.init_ms,
                noise: self.noise,
                error_rate: self.error_rate,
                arm64: if self.arm64_fails {
                    Arm64::Fails
                } else {
                    Arm64::Runs {
                        duration_factor: self.arm64_duration_factor.unwrap_or(1.0),
                    }
                },
            },
            measured: self.measured,
            measured_other: None,
            platform: Platform {
                capacity_provider: self.capacity_provider,
                tenant_isolated: self.tenant_isolated,
                durable: self.durable,
                snap_start: self.snap_start,
                package_type,
                runtime: self.runtime,
            },
        })
    }
}
