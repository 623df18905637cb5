//! A simulated Lambda service: the demo account, the engine's tests, and `lambda-emulator`.
//!
//! It keeps functions with their configuration, versions and aliases, and behaves like Lambda
//! where the engine can tell: configuration updates stay `InProgress` for a while (publishing
//! meanwhile conflicts), versions can start `Pending`, identical configurations publish no new
//! version, aliases pointing at a version protect it from deletion, and invocations return a
//! `REPORT` log tail (text or JSON) whose numbers follow a per-function model:
//!
//! - CPU-bound work scales with the vCPU share (Lambda gives one full vCPU at 1,769 MB, and up to
//!   6 at 10,240 MB); only the parallel part of the work uses more than one vCPU (Amdahl);
//! - I/O waits do not scale with memory;
//! - below its memory need a function runs out of memory;
//! - a new execution environment (a cold start) adds init time;
//! - durations carry seeded log-normal noise, so runs are deterministic given a seed.
//!
//! Faults can be injected: throttling, server errors, function errors, credentials that expire
//! after N calls, updates that never finish, a memory quota (new accounts: 3,008 MB).

use std::{cell::RefCell, collections::BTreeMap, time::Duration};

use base64::Engine as _;

use crate::{
    api::{
        Clock, ConfigUpdate, FunctionConfig, FunctionPage, FunctionState, FunctionSummary,
        InvokeOutput, LambdaApi, LambdaError, LogFormat, UpdateStatus, VersionSummary,
    },
    arn::FunctionArn,
    memory::MemoryMb,
    pricing::Architecture,
};

/// How a simulated function performs.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionModel {
    /// CPU time in ms at one full vCPU.
    pub cpu_ms: f64,
    /// Share of the CPU work that can use more than one vCPU (0..=1).
    pub parallel_fraction: f64,
    /// I/O wait in ms, independent of memory.
    pub io_ms: f64,
    /// Below this memory the function runs out of memory.
    pub memory_need_mb: u32,
    /// Init duration in ms at one full vCPU (cold starts).
    pub init_ms: f64,
    /// Relative noise (standard deviation of the log-normal factor).
    pub noise: f64,
    /// Share of invocations that fail with a function error (0..=1).
    pub error_rate: f64,
}

impl FunctionModel {
    /// The expected duration in ms at `memory_mb`, without noise or init.
    pub fn duration_ms(&self, memory_mb: u32) -> f64 {
        let vcpus = f64::from(memory_mb) / f64::from(MemoryMb::ONE_VCPU);
        let cpu = if vcpus <= 1.0 {
            self.cpu_ms / vcpus
        } else {
            let usable = vcpus.min(6.0);
            self.cpu_ms * ((1.0 - self.parallel_fraction) + self.parallel_fraction / usable)
        };
        cpu + self.io_ms
    }

    /// Init duration at `memory_mb`: init is mostly CPU-bound and single-threaded.
    pub fn init_duration_ms(&self, memory_mb: u32) -> f64 {
        let vcpus = (f64::from(memory_mb) / f64::from(MemoryMb::ONE_VCPU)).min(1.0);
        self.init_ms / vcpus.powf(0.7)
    }
}

/// A function to create in the simulation.
#[derive(Debug, Clone, PartialEq)]
pub struct SimFunctionSpec {
    /// Name.
    pub name: String,
    /// Region.
    pub region: String,
    /// Initial memory.
    pub memory_mb: u32,
    /// Description.
    pub description: String,
    /// Architecture.
    pub architecture: Architecture,
    /// Log format.
    pub log_format: LogFormat,
    /// Timeout in seconds.
    pub timeout_s: u32,
    /// Runtime name, for listings.
    pub runtime: String,
    /// Performance model.
    pub model: FunctionModel,
}

/// The demo account's id.
pub const DEMO_ACCOUNT: &str = "123456789012";

/// The demo account's sample functions, in `region`.
pub fn sample_functions(region: &str) -> Vec<SimFunctionSpec> {
    let spec =
        |name: &str, memory_mb, runtime: &str, architecture, log_format, timeout_s, model| {
            SimFunctionSpec {
                name: name.into(),
                region: region.into(),
                memory_mb,
                description: String::new(),
                architecture,
                log_format,
                timeout_s,
                runtime: runtime.into(),
                model,
            }
        };
    vec![
        spec(
            "image-resizer",
            1024,
            "nodejs22.x",
            Architecture::X86_64,
            LogFormat::Text,
            30,
            FunctionModel {
                cpu_ms: 180.0,
                parallel_fraction: 0.8,
                io_ms: 25.0,
                memory_need_mb: 192,
                init_ms: 320.0,
                noise: 0.08,
                error_rate: 0.0,
            },
        ),
        spec(
            "api-handler",
            512,
            "python3.13",
            Architecture::Arm64,
            LogFormat::Json,
            10,
            FunctionModel {
                cpu_ms: 6.0,
                parallel_fraction: 0.0,
                io_ms: 45.0,
                memory_need_mb: 128,
                init_ms: 210.0,
                noise: 0.15,
                error_rate: 0.0,
            },
        ),
        spec(
            "pdf-renderer",
            2048,
            "java21",
            Architecture::X86_64,
            LogFormat::Text,
            60,
            FunctionModel {
                cpu_ms: 900.0,
                parallel_fraction: 0.5,
                io_ms: 60.0,
                memory_need_mb: 512,
                init_ms: 1400.0,
                noise: 0.06,
                error_rate: 0.0,
            },
        ),
        spec(
            "ml-inference",
            3008,
            "python3.13",
            Architecture::X86_64,
            LogFormat::Json,
            120,
            FunctionModel {
                cpu_ms: 2400.0,
                parallel_fraction: 0.95,
                io_ms: 15.0,
                memory_need_mb: 1024,
                init_ms: 2600.0,
                noise: 0.05,
                error_rate: 0.0,
            },
        ),
    ]
}

/// Injected faults and service timings.
#[derive(Debug, Clone, PartialEq)]
pub struct Faults {
    /// Share of Invoke calls answered with 429.
    pub throttle_rate: f64,
    /// Share of API calls answered with 500.
    pub server_error_rate: f64,
    /// After this many API calls, every call fails with expired credentials.
    pub expire_after_calls: Option<u64>,
    /// Configuration updates never finish.
    pub stuck_update: bool,
    /// How long a configuration update stays `InProgress`.
    pub update_duration: Duration,
    /// How long a new version stays `Pending`.
    pub pending_duration: Duration,
    /// The account's memory quota in MB.
    pub memory_quota_mb: u32,
    /// Invocations take their simulated duration times this factor in real (clock) time; 0 makes
    /// them instant.
    pub time_scale: f64,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            throttle_rate: 0.0,
            server_error_rate: 0.0,
            expire_after_calls: None,
            stuck_update: false,
            update_duration: Duration::from_millis(600),
            pending_duration: Duration::ZERO,
            memory_quota_mb: MemoryMb::MAX,
            time_scale: 0.0,
        }
    }
}

#[derive(Debug, Clone)]
struct VersionConfig {
    memory: MemoryMb,
    description: String,
    ready_at_ms: f64,
    /// Execution environments kept warm, and how many are busy.
    warm: u32,
    busy: u32,
}

#[derive(Debug)]
struct SimFunction {
    spec: SimFunctionSpec,
    arn: FunctionArn,
    latest: VersionConfig,
    update_done_at_ms: f64,
    versions: BTreeMap<u64, VersionConfig>,
    aliases: BTreeMap<String, String>,
    invocations: u64,
}

#[derive(Debug)]
struct State {
    functions: BTreeMap<String, SimFunction>,
    rng: fastrand::Rng,
    calls: u64,
    faults: Faults,
}

/// The simulated service; `C` is the clock it reads time from (and sleeps on, with a
/// `time_scale` above 0).
#[derive(Debug)]
pub struct SimLambda<C> {
    clock: C,
    state: RefCell<State>,
}

/// What a simulated account holds, for assertions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionSnapshot {
    /// `$LATEST` memory.
    pub memory: u32,
    /// `$LATEST` description.
    pub description: String,
    /// Published version numbers.
    pub versions: Vec<String>,
    /// Alias names.
    pub aliases: Vec<String>,
    /// Invocations received, all qualifiers together.
    pub invocations: u64,
}

/// Lambda's answer to a change while `$LATEST` is being updated.
fn update_in_progress(arn: &FunctionArn) -> LambdaError {
    LambdaError::Conflict {
        message: format!(
            "The operation cannot be performed at this time. An update is in progress for resource: {arn}"
        ),
    }
}

fn not_found(what: &str) -> LambdaError {
    LambdaError::NotFound {
        message: format!("Function not found: {what}"),
    }
}

impl<C: Clock> SimLambda<C> {
    /// A service holding `functions`, with `seed` for its noise and `faults`.
    pub fn new(clock: C, functions: Vec<SimFunctionSpec>, seed: u64, faults: Faults) -> Self {
        let sim = Self {
            clock,
            state: RefCell::new(State {
                functions: BTreeMap::new(),
                rng: fastrand::Rng::with_seed(seed),
                calls: 0,
                faults,
            }),
        };
        for spec in functions {
            sim.add_function(spec);
        }
        sim
    }

    /// The demo account: the sample functions in us-east-1.
    pub fn demo(clock: C, seed: u64, faults: Faults) -> Self {
        Self::new(clock, sample_functions("us-east-1"), seed, faults)
    }

    /// Adds a function.
    pub fn add_function(&self, spec: SimFunctionSpec) {
        let arn: FunctionArn = format!(
            "arn:aws:lambda:{}:{DEMO_ACCOUNT}:function:{}",
            spec.region, spec.name
        )
        .parse()
        .expect("a valid simulated ARN");
        let latest = VersionConfig {
            memory: MemoryMb::new(spec.memory_mb).expect("a valid memory size"),
            description: spec.description.clone(),
            ready_at_ms: 0.0,
            warm: 0,
            busy: 0,
        };
        self.state.borrow_mut().functions.insert(
            arn.to_string(),
            SimFunction {
                spec,
                arn,
                latest,
                update_done_at_ms: 0.0,
                versions: BTreeMap::new(),
                aliases: BTreeMap::new(),
                invocations: 0,
            },
        );
    }

    /// Changes the injected faults.
    pub fn set_faults(&self, faults: Faults) {
        let mut state = self.state.borrow_mut();
        if !faults.stuck_update {
            // A stuck update ends when the fault is lifted.
            let now = self.clock.now_ms();
            for f in state
                .functions
                .values_mut()
                .filter(|f| f.update_done_at_ms.is_infinite())
            {
                f.update_done_at_ms = now;
            }
        }
        state.faults = faults;
    }

    /// The ARNs of all functions.
    pub fn function_arns(&self) -> Vec<FunctionArn> {
        self.state
            .borrow()
            .functions
            .values()
            .map(|f| f.arn.clone())
            .collect()
    }

    /// What `function` holds now.
    pub fn snapshot(&self, function: &FunctionArn) -> Option<FunctionSnapshot> {
        let state = self.state.borrow();
        let f = state.functions.get(&function.to_string())?;
        Some(FunctionSnapshot {
            memory: f.latest.memory.get(),
            description: f.latest.description.clone(),
            versions: f.versions.keys().map(u64::to_string).collect(),
            aliases: f.aliases.keys().cloned().collect(),
            invocations: f.invocations,
        })
    }

    /// Counts the call and applies call-level faults.
    fn enter(&self) -> Result<(), LambdaError> {
        let mut state = self.state.borrow_mut();
        state.calls += 1;
        if state
            .faults
            .expire_after_calls
            .is_some_and(|n| state.calls > n)
        {
            return Err(LambdaError::ExpiredCredentials {
                message: "The security token included in the request is expired".into(),
            });
        }
        let rate = state.faults.server_error_rate;
        if rate > 0.0 && state.rng.f64() < rate {
            return Err(LambdaError::Service {
                code: "ServiceException".into(),
                status: 500,
                message: "simulated internal error".into(),
            });
        }
        Ok(())
    }

    fn with_function<T>(
        &self,
        function: &FunctionArn,
        f: impl FnOnce(&mut SimFunction, f64, &Faults) -> Result<T, LambdaError>,
    ) -> Result<T, LambdaError> {
        self.enter()?;
        let now = self.clock.now_ms();
        let mut state = self.state.borrow_mut();
        let State {
            functions, faults, ..
        } = &mut *state;
        let func = functions
            .get_mut(&function.to_string())
            .ok_or_else(|| not_found(&function.to_string()))?;
        f(func, now, faults)
    }
}

impl SimFunction {
    fn resolve(&self, qualifier: Option<&str>) -> Result<Option<u64>, LambdaError> {
        match qualifier {
            None | Some("$LATEST") => Ok(None),
            Some(q) => {
                let version = self.aliases.get(q).map_or(q, String::as_str);
                let number: u64 = version
                    .parse()
                    .map_err(|_| not_found(&format!("{}:{q}", self.arn)))?;
                if self.versions.contains_key(&number) {
                    Ok(Some(number))
                } else {
                    Err(not_found(&format!("{}:{q}", self.arn)))
                }
            }
        }
    }

    fn config(&self, version: Option<u64>, now: f64) -> FunctionConfig {
        let (v, name) = match version {
            None => (&self.latest, "$LATEST".to_owned()),
            Some(n) => (&self.versions[&n], n.to_string()),
        };
        let last_update_status = if version.is_none() && now < self.update_done_at_ms {
            UpdateStatus::InProgress
        } else {
            UpdateStatus::Successful
        };
        FunctionConfig {
            arn: self.arn.clone(),
            version: name,
            memory: v.memory,
            description: v.description.clone(),
            architecture: self.spec.architecture,
            timeout_s: self.spec.timeout_s,
            ephemeral_storage_mb: 512,
            log_format: self.spec.log_format,
            state: if now < v.ready_at_ms {
                FunctionState::Pending
            } else {
                FunctionState::Active
            },
            last_update_status,
        }
    }
}

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
            version.ready_at_ms = now + faults.pending_duration.as_millis() as f64;
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
        payload: &[u8],
    ) -> Result<InvokeOutput, LambdaError> {
        let (invocation, version, scale) = self.with_function(function, |f, now, faults| {
            let version = f.resolve(qualifier)?;
            f.invocations += 1;
            let config = match version {
                None => &mut f.latest,
                Some(n) => f.versions.get_mut(&n).expect("resolved"),
            };
            if now < config.ready_at_ms {
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
                (config.memory, cold, f.spec.model.clone(), f.spec.log_format, f.spec.timeout_s),
                version,
                faults.time_scale,
            ))
        })?;
        let (memory, cold, model, log_format, timeout_s) = invocation;
        let (throttled, noise_factor, fails) = {
            let mut state = self.state.borrow_mut();
            let throttled =
                state.faults.throttle_rate > 0.0 && state.rng.f64() < state.faults.throttle_rate;
            // Log-normal noise via Box-Muller.
            let (u1, u2) = (state.rng.f64().max(1e-12), state.rng.f64());
            let normal = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
            let fails = model.error_rate > 0.0 && state.rng.f64() < model.error_rate;
            (throttled, (model.noise * normal).exp(), fails)
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
            }
        };
        if throttled {
            release();
            return Err(LambdaError::Throttled {
                message: "Rate Exceeded.".into(),
            });
        }
        let memory_mb = memory.get();
        let out_of_memory = memory_mb < model.memory_need_mb;
        let init_ms = if cold {
            model.init_duration_ms(memory_mb) * noise_factor
        } else {
            0.0
        };
        let mut duration_ms = if out_of_memory {
            model.duration_ms(memory_mb) * 0.4 * noise_factor
        } else {
            model.duration_ms(memory_mb) * noise_factor
        };
        let timeout_ms = f64::from(timeout_s) * 1000.0;
        let timed_out = duration_ms > timeout_ms;
        if timed_out {
            duration_ms = timeout_ms;
        }
        if scale > 0.0 {
            self.clock
                .sleep(Duration::from_secs_f64(
                    (init_ms + duration_ms) * scale / 1000.0,
                ))
                .await;
        }
        release();
        let billed_ms = (init_ms + duration_ms).ceil().max(1.0);
        let max_memory_used = if out_of_memory {
            memory_mb
        } else {
            (model.memory_need_mb * 9 / 10).max(40).min(memory_mb)
        };
        let request_id = format!("{:08x}-sim", self.state.borrow_mut().rng.u32(..));
        let failure = if out_of_memory {
            Some((
                "Runtime.OutOfMemory",
                "Runtime exited with error: signal: killed",
            ))
        } else if timed_out {
            Some(("Sandbox.Timedout", "Task timed out"))
        } else if fails {
            Some((
                "SimulatedError",
                "the function failed (simulated error rate)",
            ))
        } else {
            None
        };
        let tail = log_tail(
            log_format,
            &request_id,
            duration_ms,
            billed_ms,
            memory_mb,
            max_memory_used,
            init_ms,
            failure,
            timeout_s,
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
}

/// The simulated functions answer with what they were sent.
fn echo(payload: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(payload);
    serde_json::json!({"statusCode": 200, "received": serde_json::from_str::<serde_json::Value>(&text).unwrap_or(serde_json::Value::Null)})
        .to_string()
        .into_bytes()
}

#[allow(clippy::too_many_arguments)] // One log line's fields.
fn log_tail(
    format: LogFormat,
    request_id: &str,
    duration_ms: f64,
    billed_ms: f64,
    memory_mb: u32,
    max_memory_used_mb: u32,
    init_ms: f64,
    failure: Option<(&str, &str)>,
    timeout_s: u32,
) -> String {
    match format {
        LogFormat::Text => {
            let mut tail = format!(
                "START RequestId: {request_id} Version: 1\n2026-01-01T00:00:00.000Z\t{request_id}\tINFO\tprocessing\n"
            );
            if let Some((error_type, message)) = failure {
                if error_type == "Sandbox.Timedout" {
                    tail.push_str(&format!("2026-01-01T00:00:00.000Z {request_id} Task timed out after {timeout_s}.00 seconds\n"));
                } else {
                    tail.push_str(&format!("Error: {message}\n{error_type}\n"));
                }
            }
            tail.push_str(&format!(
                "END RequestId: {request_id}\nREPORT RequestId: {request_id}\tDuration: {duration_ms:.2} ms\tBilled Duration: {billed_ms} ms\tMemory Size: {memory_mb} MB\tMax Memory Used: {max_memory_used_mb} MB\t"
            ));
            if init_ms > 0.0 {
                tail.push_str(&format!("Init Duration: {init_ms:.2} ms\t"));
            }
            tail.push('\n');
            tail
        }
        LogFormat::Json => {
            let status = match failure {
                Some(("Sandbox.Timedout", _)) => "timeout",
                Some(_) => "error",
                None => "success",
            };
            let mut metrics = serde_json::json!({
                "durationMs": (duration_ms * 1000.0).round() / 1000.0,
                "billedDurationMs": billed_ms,
                "memorySizeMB": memory_mb,
                "maxMemoryUsedMB": max_memory_used_mb,
            });
            if init_ms > 0.0 {
                metrics["initDurationMs"] = serde_json::json!((init_ms * 1000.0).round() / 1000.0);
            }
            let app = serde_json::json!({"timestamp": "2026-01-01T00:00:00.000Z", "level": "INFO", "requestId": request_id, "message": "processing"});
            let mut error = String::new();
            if let Some((error_type, message)) = failure {
                error = format!(
                    "{}\n",
                    serde_json::json!({"level": "ERROR", "errorType": error_type, "errorMessage": message})
                );
            }
            let report = serde_json::json!({"time": "2026-01-01T00:00:00.000Z", "type": "platform.report", "record": {"requestId": request_id, "metrics": metrics, "status": status}});
            format!("{app}\n{error}{report}\n")
        }
    }
}

/// A clock for tests and simulations: `sleep` returns at once and moves time forward.
#[derive(Debug, Clone, Default)]
pub struct ManualClock(std::rc::Rc<std::cell::Cell<f64>>);

impl ManualClock {
    /// A clock at time 0.
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves time forward.
    pub fn advance(&self, by: Duration) {
        self.0.set(self.0.get() + by.as_secs_f64() * 1000.0);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> f64 {
        self.0.get()
    }

    async fn sleep(&self, duration: Duration) {
        self.advance(duration);
        // Let other futures run, as a real timer would.
        YieldNow(false).await;
    }
}

struct YieldNow(bool);

impl std::future::Future for YieldNow {
    type Output = ();
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if self.0 {
            std::task::Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;

    fn sim() -> (SimLambda<ManualClock>, ManualClock, FunctionArn) {
        let clock = ManualClock::new();
        let sim = SimLambda::demo(clock.clone(), 7, Faults::default());
        let arn = sim
            .function_arns()
            .into_iter()
            .find(|a| a.name() == "image-resizer")
            .unwrap();
        (sim, clock, arn)
    }

    #[test]
    fn model_follows_vcpu_share() {
        let model = sample_functions("us-east-1")[0].model.clone();
        let at = |mb| model.duration_ms(mb);
        // Below one vCPU, doubling memory roughly halves CPU time.
        assert!((at(256) - model.io_ms) / (at(512) - model.io_ms) > 1.99);
        // Above one vCPU only the parallel part speeds up.
        assert!(at(3538) < at(1769));
        assert!(at(10240) > model.cpu_ms * (1.0 - model.parallel_fraction));
        let io_bound = sample_functions("us-east-1")[1].model.clone();
        assert!(io_bound.duration_ms(1024) - io_bound.duration_ms(2048) < 5.0);
    }

    async fn set_memory(sim: &SimLambda<ManualClock>, arn: &FunctionArn, mb: u32) {
        let update = ConfigUpdate {
            memory: Some(MemoryMb::new(mb).unwrap()),
            description: None,
        };
        sim.update_function_configuration(arn, &update)
            .await
            .unwrap();
    }

    #[test]
    fn update_window_conflicts_and_publish_dedupes() {
        let (sim, clock, arn) = sim();
        block_on(async {
            set_memory(&sim, &arn, 256).await;
            let cfg = sim.get_function_configuration(&arn, None).await.unwrap();
            assert_eq!(cfg.last_update_status, UpdateStatus::InProgress);
            assert!(matches!(
                sim.publish_version(&arn).await,
                Err(LambdaError::Conflict { .. })
            ));
            clock.advance(Duration::from_secs(1));
            let v1 = sim.publish_version(&arn).await.unwrap();
            assert_eq!(
                sim.publish_version(&arn).await.unwrap(),
                v1,
                "no change, no new version"
            );
            sim.create_alias(&arn, "RAM256", &v1).await.unwrap();
            assert!(
                matches!(sim.create_alias(&arn, "RAM256", &v1).await, Err(LambdaError::Conflict { message }) if message.contains("already exists"))
            );
            assert!(matches!(
                sim.delete_version(&arn, &v1).await,
                Err(LambdaError::Conflict { .. })
            ));
            sim.delete_alias(&arn, "RAM256").await.unwrap();
            sim.delete_version(&arn, &v1).await.unwrap();
            assert!(matches!(
                sim.get_alias(&arn, "RAM256").await,
                Err(LambdaError::NotFound { .. })
            ));
        });
    }

    #[test]
    fn invocations_report_cold_then_warm() {
        let (sim, _, arn) = sim();
        block_on(async {
            let first = sim.invoke(&arn, None, b"{}").await.unwrap();
            let second = sim.invoke(&arn, None, b"{}").await.unwrap();
            let r1 = crate::logs::parse_base64(first.log_tail.as_deref())
                .report
                .unwrap();
            let r2 = crate::logs::parse_base64(second.log_tail.as_deref())
                .report
                .unwrap();
            assert!(r1.is_cold_start() && !r2.is_cold_start());
            assert_eq!(r1.memory_size_mb, Some(1024));
            assert!(r2.billed_duration_ms >= r2.duration_ms.ceil());
        });
    }

    #[test]
    fn out_of_memory_below_the_need() {
        let (sim, clock, arn) = sim();
        block_on(async {
            set_memory(&sim, &arn, 128).await;
            clock.advance(Duration::from_secs(1));
            let out = sim.invoke(&arn, None, b"{}").await.unwrap();
            assert_eq!(out.function_error.as_deref(), Some("Unhandled"));
            let tail = crate::logs::parse_base64(out.log_tail.as_deref());
            assert_eq!(tail.failure, Some(crate::logs::LogFailure::OutOfMemory));
        });
    }

    #[test]
    fn json_log_functions_report_in_json() {
        let clock = ManualClock::new();
        let sim = SimLambda::demo(clock, 1, Faults::default());
        let arn = sim
            .function_arns()
            .into_iter()
            .find(|a| a.name() == "api-handler")
            .unwrap();
        let out = block_on(sim.invoke(&arn, None, b"null")).unwrap();
        let text = String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(out.log_tail.unwrap())
                .unwrap(),
        )
        .unwrap();
        assert!(text.contains("\"type\":\"platform.report\""));
        assert!(crate::logs::parse(&text).report.unwrap().init_duration_ms > 0.0);
    }

    #[test]
    fn quota_and_expiry_faults() {
        let (sim, _, arn) = sim();
        sim.set_faults(Faults {
            memory_quota_mb: 3008,
            expire_after_calls: Some(2),
            ..Faults::default()
        });
        block_on(async {
            let update = ConfigUpdate {
                memory: Some(MemoryMb::new(4096).unwrap()),
                description: None,
            };
            assert!(matches!(
                sim.update_function_configuration(&arn, &update).await,
                Err(LambdaError::InvalidRequest { .. })
            ));
            sim.get_function_configuration(&arn, None).await.unwrap();
            assert!(matches!(
                sim.get_function_configuration(&arn, None).await,
                Err(LambdaError::ExpiredCredentials { .. })
            ));
        });
    }
}
