//! Real measurements as replayable functions: the data set of lambda-benchmark (MIT), an S3
//! writer measured on four runtimes and two architectures at 16 sizes from 128 to 2,048 MB, about
//! ten invocations each. Its format is `{runtime: {architecture: {memory: [sample, ...]}}}` with
//! samples `{duration, billed_duration, max_memory_used, init_duration?}` in ms and MB.
//!
//! The demo account offers these functions next to its modelled ones, and the replay tests and
//! benchmark run on them.

use serde_json::{Map, Value};

use super::{FunctionModel, MeasuredProfile, MeasuredSample, SimFunctionSpec};
use crate::{api::LogFormat, pricing::Architecture};

/// One replayable function of the data set.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchmarkFunction {
    /// The function, replaying its measurements.
    pub spec: SimFunctionSpec,
    /// One line on what it is, for the demo account's picker.
    pub about: String,
}

impl BenchmarkFunction {
    /// The measured sizes, ascending: the only ones a run of it can measure.
    pub fn sizes(&self) -> Vec<u32> {
        self.spec
            .measured
            .as_ref()
            .map(|p| p.keys().copied().collect())
            .unwrap_or_default()
    }
}

/// The functions of a lambda-benchmark data set (`json`), named `s3-writer-<runtime>-<arch>`, in
/// `region`, each starting at 1,024 MB.
///
/// # Errors
/// A message naming what is not in the data set's format.
pub fn lambda_benchmark(json: &str, region: &str) -> Result<Vec<BenchmarkFunction>, String> {
    // Read through `Value` rather than typed maps: the web app links this, and `Value` parsing
    // is in its download already.
    let data: Value =
        serde_json::from_str(json).map_err(|e| format!("not a lambda-benchmark data set: {e}"))?;
    let object = |v: &Value, what: &str| -> Result<Map<String, Value>, String> {
        v.as_object()
            .cloned()
            .ok_or_else(|| format!("not a lambda-benchmark data set: {what} is not an object"))
    };
    let mut out = Vec::new();
    for (runtime, architectures) in object(&data, "the top level")? {
        for (arch, sizes) in object(&architectures, &runtime)? {
            let architecture: Architecture = arch
                .parse()
                .map_err(|_| format!("{runtime}: unknown architecture {arch:?}"))?;
            let mut profile = MeasuredProfile::new();
            for (memory, samples) in object(&sizes, &format!("{runtime}/{arch}"))? {
                let memory: u32 = memory
                    .parse()
                    .map_err(|_| format!("{runtime}/{arch}: {memory:?} is not a memory size"))?;
                let number = |s: &Value, key: &str| s.get(key).and_then(Value::as_f64);
                let samples = samples
                    .as_array()
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|s| {
                        Some(MeasuredSample {
                            duration_ms: number(s, "duration")?,
                            init_duration_ms: number(s, "init_duration"),
                            billed_duration_ms: number(s, "billed_duration"),
                            max_memory_used_mb: s
                                .get("max_memory_used")
                                .and_then(Value::as_u64)
                                .and_then(|m| u32::try_from(m).ok()),
                        })
                    })
                    .collect();
                profile.insert(memory, samples);
            }
            let (low, high) = (
                profile.keys().next().copied().unwrap_or(0),
                profile.keys().last().copied().unwrap_or(0),
            );
            out.push(BenchmarkFunction {
                about: format!(
                    "measurements of a real function (lambda-benchmark's S3 writer, {runtime} on {architecture}) replayed, {low}–{high} MB"
                ),
                spec: SimFunctionSpec {
                    name: format!("s3-writer-{runtime}-{arch}"),
                    region: region.into(),
                    memory_mb: 1024,
                    description: String::new(),
                    architecture,
                    log_format: LogFormat::Text,
                    timeout_s: 900,
                    runtime: runtime.clone(),
                    model: FunctionModel::replayed(),
                    measured: Some(profile),
                    measured_other: None,
                    platform: Default::default(),
                },
            });
        }
    }
    // Each function carries its runtime's measurements on the other architecture, which a copy
    // of it for that architecture replays.
    let profiles: Vec<(String, Architecture, Option<MeasuredProfile>)> = out
        .iter()
        .map(|f| {
            (
                f.spec.runtime.clone(),
                f.spec.architecture,
                f.spec.measured.clone(),
            )
        })
        .collect();
    for f in &mut out {
        f.spec.measured_other = profiles
            .iter()
            .find(|(runtime, architecture, _)| {
                *runtime == f.spec.runtime && *architecture != f.spec.architecture
            })
            .and_then(|(_, _, profile)| profile.clone());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_runtime_and_architecture_is_a_function_of_its_measured_sizes() {
        let json = r#"{"python311": {"arm64": {"128": [{"duration": 900.5, "billed_duration": 901, "max_memory_used": 80, "init_duration": 310.2}], "256": [{"duration": 450.1}]},
                                    "x86_64": {"128": [{"duration": 990.0}]}}}"#;
        let functions = lambda_benchmark(json, "eu-west-1").unwrap();
        assert_eq!(functions.len(), 2);
        let arm = &functions[0];
        assert_eq!(arm.spec.name, "s3-writer-python311-arm64");
        assert_eq!(arm.spec.architecture, Architecture::Arm64);
        assert_eq!(arm.spec.region, "eu-west-1");
        assert_eq!(arm.sizes(), [128, 256]);
        let first = &arm.spec.measured.as_ref().unwrap()[&128][0];
        assert_eq!(first.init_duration_ms, Some(310.2));
        assert_eq!(first.billed_duration_ms, Some(901.0));
        assert!(arm.about.contains("python311 on arm64"), "{}", arm.about);
        assert!(arm.about.ends_with("replayed, 128–256 MB"), "{}", arm.about);
    }

    #[test]
    fn other_shapes_are_refused_with_what_is_wrong() {
        let e = lambda_benchmark(r#"{"rust": {"sparc": {}}}"#, "us-east-1").unwrap_err();
        assert!(e.contains("unknown architecture \"sparc\""), "{e}");
        let e = lambda_benchmark(r#"{"rust": {"arm64": {"lots": []}}}"#, "us-east-1").unwrap_err();
        assert!(e.contains("\"lots\" is not a memory size"), "{e}");
        assert!(
            lambda_benchmark("[]", "us-east-1")
                .unwrap_err()
                .starts_with("not a lambda-benchmark")
        );
    }
}
