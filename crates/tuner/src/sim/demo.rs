//! The demo account's sample functions: models of typical workloads, not measurements.

use super::{FunctionModel, SimFunctionSpec};
use crate::{api::LogFormat, pricing::Architecture};

/// The demo account's id.
pub const DEMO_ACCOUNT: &str = "123456789012";

/// What each sample function models, in one line, for the demo account's function picker.
pub const SAMPLE_ABOUT: [(&str, &str); 4] = [
    (
        "image-resizer",
        "multi-threaded CPU work (80 % parallel): faster with every vCPU up to six; needs 192 MB",
    ),
    (
        "api-handler",
        "waits 45 ms on I/O with little CPU: more memory barely helps, so small sizes are cheapest",
    ),
    (
        "pdf-renderer",
        "Java, 1.4 s cold start, half-parallel CPU work; runs out of memory below 512 MB",
    ),
    (
        "ml-inference",
        "heavy parallel CPU work (95 %) and a large model: runs out of memory below 1,024 MB",
    ),
];

/// The line of [`SAMPLE_ABOUT`] for the sample function `name`.
pub fn sample_about(name: &str) -> Option<&'static str> {
    SAMPLE_ABOUT
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, about)| *about)
}

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
                measured: None,
                measured_other: None,
                platform: Default::default(),
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
                // Sharp's native code has Graviton builds, and runs faster there.
                arm64: super::Arm64::Runs {
                    duration_factor: 0.85,
                },
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
                arm64: super::Arm64::default(),
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
                // This JIT-heavy rendering runs slower on Graviton.
                arm64: super::Arm64::Runs {
                    duration_factor: 1.3,
                },
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
                // Its wheels are x86_64-only native code.
                arm64: super::Arm64::Fails,
            },
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_function_says_what_it_models() {
        let names: Vec<String> = sample_functions("us-east-1")
            .into_iter()
            .map(|f| f.name)
            .collect();
        let described: Vec<&str> = SAMPLE_ABOUT.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, described);
        assert!(sample_about("nope").is_none());
    }
}
