//! How a simulated function performs: a vCPU-share model of its duration, and its settings.

use super::measured::MeasuredProfile;
use crate::{api::LogFormat, memory::MemoryMb, pricing::Architecture};

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
    /// How it runs on arm64 (the other fields are x86_64's).
    pub arm64: Arm64,
}

/// How a simulated function runs on arm64, against x86_64.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Arm64 {
    /// It runs, its durations multiplied by this (below 1: faster on Graviton).
    Runs {
        /// arm64's duration over x86_64's.
        duration_factor: f64,
    },
    /// Its code is native x86_64 code: every invocation fails (`Runtime.InvalidEntrypoint`).
    Fails,
}

impl Default for Arm64 {
    fn default() -> Self {
        Self::Runs {
            duration_factor: 1.0,
        }
    }
}

impl FunctionModel {
    /// The model of a function that replays measurements: its fields are unused, so it only
    /// needs to be harmless (no noise, no errors, no memory need).
    pub fn replayed() -> Self {
        Self {
            cpu_ms: 1.0,
            parallel_fraction: 0.0,
            io_ms: 0.0,
            memory_need_mb: 128,
            init_ms: 0.0,
            noise: 0.0,
            error_rate: 0.0,
            arm64: Arm64::default(),
        }
    }

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

/// What one invocation did, as its `REPORT` line tells it.
#[derive(Debug, Clone, PartialEq)]
pub struct Execution {
    /// Init duration in ms (0 on a warm start).
    pub init_ms: f64,
    /// Duration in ms.
    pub duration_ms: f64,
    /// Billed duration in ms.
    pub billed_ms: f64,
    /// Max memory used in MB.
    pub max_memory_used_mb: u32,
    /// The function's error type and message, if it failed.
    pub failure: Option<(&'static str, String)>,
}

impl FunctionModel {
    /// An invocation on `architecture` at `memory_mb`: `cold` adds init time, `noise` scales the
    /// durations (and arm64's factor with it; code that does not run there fails at once),
    /// `fails` makes it a function error; below the memory need it runs out of memory, past
    /// `timeout_s` it times out. Billed time is duration plus init, rounded up to 1 ms.
    pub fn execution(
        &self,
        architecture: Architecture,
        memory_mb: u32,
        cold: bool,
        noise: f64,
        fails: bool,
        timeout_s: u32,
    ) -> Execution {
        let noise = match (architecture, self.arm64) {
            (Architecture::X86_64, _) => noise,
            (Architecture::Arm64, Arm64::Runs { duration_factor }) => noise * duration_factor,
            (Architecture::Arm64, Arm64::Fails) => {
                return Execution {
                    init_ms: 0.0,
                    duration_ms: 2.0,
                    billed_ms: 2.0,
                    max_memory_used_mb: 30.min(memory_mb),
                    failure: Some((
                        "Runtime.InvalidEntrypoint",
                        "fork/exec /var/task/bootstrap: exec format error".to_owned(),
                    )),
                };
            }
        };
        let out_of_memory = memory_mb < self.memory_need_mb;
        let init_ms = if cold {
            self.init_duration_ms(memory_mb) * noise
        } else {
            0.0
        };
        let mut duration_ms = self.duration_ms(memory_mb) * noise;
        if out_of_memory {
            duration_ms *= 0.4;
        }
        let timeout_ms = f64::from(timeout_s) * 1000.0;
        let timed_out = duration_ms > timeout_ms;
        duration_ms = duration_ms.min(timeout_ms);
        let failure = if out_of_memory {
            Some((
                "Runtime.OutOfMemory",
                "Runtime exited with error: signal: killed".to_owned(),
            ))
        } else if timed_out {
            Some(("Sandbox.Timedout", "Task timed out".to_owned()))
        } else if fails {
            Some((
                "SimulatedError",
                "the function failed (simulated error rate)".to_owned(),
            ))
        } else {
            None
        };
        Execution {
            init_ms,
            duration_ms,
            billed_ms: (init_ms + duration_ms).ceil().max(1.0),
            max_memory_used_mb: if out_of_memory {
                memory_mb
            } else {
                (self.memory_need_mb * 9 / 10).max(40).min(memory_mb)
            },
            failure,
        }
    }
}

impl Execution {
    /// The `REPORT` metrics of this execution at `memory_mb`. With SnapStart a cold start
    /// restores a snapshot instead of running INIT: a restore of a quarter of the init time,
    /// billed on its own line (`Billed Restore Duration`).
    pub fn report(&self, memory_mb: u32, snap_start: bool) -> crate::logs::Report {
        let (init_ms, restore_ms) = if snap_start {
            (0.0, self.init_ms / 4.0)
        } else {
            (self.init_ms, 0.0)
        };
        crate::logs::Report {
            duration_ms: self.duration_ms,
            billed_duration_ms: if snap_start {
                self.duration_ms.ceil().max(1.0)
            } else {
                self.billed_ms
            },
            init_duration_ms: init_ms,
            restore_duration_ms: restore_ms,
            billed_restore_duration_ms: restore_ms.ceil(),
            memory_size_mb: Some(memory_mb),
            max_memory_used_mb: Some(self.max_memory_used_mb),
        }
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
    /// Measurements of a real function to replay instead of the model (whose fields are then
    /// unused).
    pub measured: Option<MeasuredProfile>,
    /// Its measurements on the other architecture, which a copy for that architecture replays.
    pub measured_other: Option<MeasuredProfile>,
    /// The kind of function (Managed Instances, tenant isolation, …); a plain one by default.
    pub platform: crate::platform::Platform,
}

#[cfg(test)]
mod tests {
    use crate::sim::sample_functions;

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
}
