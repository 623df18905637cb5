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

mod benchmark;
mod copies;
mod demo;
mod faults;
mod measured;
mod model;
mod quiet;
mod service;
mod synthetic;

use std::{cell::RefCell, collections::BTreeMap};

pub use self::{
    benchmark::{BenchmarkFunction, lambda_benchmark},
    copies::CODE_SCHEME,
    demo::{DEMO_ACCOUNT, SAMPLE_ABOUT, sample_about, sample_functions},
    faults::Faults,
    measured::{MeasuredProfile, MeasuredSample},
    model::{Arm64, Execution, FunctionModel, SimFunctionSpec},
    quiet::{QUIET_FAMILIES, quiet_profiles},
    synthetic::{CALLS_PER_SIZE, FAMILIES, SyntheticProfile, synthetic_profiles},
};
pub use crate::clock::ManualClock;
use crate::{
    api::{FunctionConfig, FunctionState, LambdaError, UpdateStatus},
    arn::FunctionArn,
    clock::Clock,
    memory::MemoryMb,
};

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
    /// Where the replay of measured samples stands.
    replay: measured::Replay,
    /// Counts the changes of `$LATEST`'s configuration: its `RevisionId`.
    revision: u64,
    /// Its tags.
    tags: BTreeMap<String, String>,
}

#[derive(Debug)]
struct State {
    functions: BTreeMap<String, SimFunction>,
    /// Layer versions by ARN: their compatible architectures, and the functions using them.
    layers: BTreeMap<String, (Vec<crate::pricing::Architecture>, Vec<String>)>,
    rng: fastrand::Rng,
    /// The service's seed, from which each function's replay order derives.
    seed: u64,
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
    /// Invocations run, all qualifiers together (throttled and refused calls are not counted, as
    /// in Lambda's Invocations metric).
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
                layers: BTreeMap::new(),
                rng: fastrand::Rng::with_seed(seed),
                seed,
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
        self.insert_function(spec, BTreeMap::new(), 0.0);
    }

    /// Adds a function with `tags`, ready to invoke from `ready_at_ms`.
    fn insert_function(
        &self,
        spec: SimFunctionSpec,
        tags: BTreeMap<String, String>,
        ready_at_ms: f64,
    ) {
        let arn: FunctionArn = format!(
            "arn:aws:lambda:{}:{DEMO_ACCOUNT}:function:{}",
            spec.region, spec.name
        )
        .parse()
        .expect("a valid simulated ARN");
        // From the seed and the order functions were added in, not from the noise's stream, so
        // adding a replayed function does not change the modelled ones' noise.
        let replay_seed = {
            let state = self.state.borrow();
            (state.functions.len() as u64 + 1)
                .wrapping_mul(measured::SPREAD)
                .wrapping_add(state.seed)
        };
        let latest = VersionConfig {
            memory: MemoryMb::new(spec.memory_mb).expect("a valid memory size"),
            description: spec.description.clone(),
            ready_at_ms,
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
                replay: measured::Replay::seeded(replay_seed),
                revision: 1,
                tags,
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
            platform: self.spec.platform.clone(),
            revision_id: format!("sim-revision-{}", self.revision),
        }
    }
}

#[cfg(test)]
mod tests;
