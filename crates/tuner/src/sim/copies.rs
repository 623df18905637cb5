//! Copies of functions in the simulated account: `GetFunction`, `CreateFunction` and
//! `DeleteFunction`, as a run comparing architectures uses them.
//!
//! A simulated function's deployment package is a few bytes naming it; `Code.Location` is
//! `sim-code:<name>`, which `lambda-emulator` serves over HTTP; a container image's URI ends in
//! `/<name>:latest`. A function created from a package or an image behaves like the function it
//! was taken from, on its own architecture: a measured function measured on both replays the
//! measurements of the copy's architecture.

use std::collections::BTreeMap;

use super::{DEMO_ACCOUNT, SimLambda, not_found};
use crate::{
    api::{
        FunctionCode, FunctionConfig, FunctionDefinition, FunctionDetails, LambdaError, Package,
    },
    arn::FunctionArn,
    clock::Clock,
    platform::PackageType,
    pricing::Architecture,
};

/// The scheme of a simulated function's `Code.Location`; the function's name follows.
pub const CODE_SCHEME: &str = "sim-code:";

/// How a simulated deployment package starts; the name of its function follows.
const PACKAGE_PREFIX: &str = "powertune-sim-package:";

/// Lambda's answer to a package it cannot read.
fn unreadable_package() -> LambdaError {
    LambdaError::InvalidRequest {
        message: "Could not unzip uploaded file. Please check your file, then try to upload again."
            .into(),
    }
}

impl<C: Clock> SimLambda<C> {
    /// Publishes layer version `layer` (an ARN), compatible with `architectures` (none: not
    /// said), and adds it to `function`'s layers.
    pub fn attach_layer(
        &self,
        function: &FunctionArn,
        layer: &str,
        architectures: &[Architecture],
    ) {
        let mut state = self.state.borrow_mut();
        let entry = state
            .layers
            .entry(layer.to_owned())
            .or_insert_with(|| (architectures.to_vec(), Vec::new()));
        entry.1.push(function.to_string());
    }

    /// `GetLayerVersionByArn`'s `CompatibleArchitectures`.
    pub(super) fn layer(&self, layer: &str) -> Result<Vec<Architecture>, LambdaError> {
        self.enter()?;
        self.state
            .borrow()
            .layers
            .get(layer)
            .map(|(architectures, _)| architectures.clone())
            .ok_or_else(|| not_found(layer))
    }

    /// The layers `function` uses, in the order attached.
    fn layers_of(&self, function: &str) -> Vec<String> {
        self.state
            .borrow()
            .layers
            .iter()
            .filter(|(_, (_, users))| users.iter().any(|u| u == function))
            .map(|(arn, _)| arn.clone())
            .collect()
    }

    /// `GetFunction` of `function`'s `$LATEST`.
    pub(super) fn details(&self, function: &FunctionArn) -> Result<FunctionDetails, LambdaError> {
        let layers = self.layers_of(&function.to_string());
        self.with_function(function, |f, now, _| {
            let name = f.arn.name().to_owned();
            let image = f.spec.platform.package_type == PackageType::Image;
            Ok(FunctionDetails {
                definition: FunctionDefinition {
                    config: f.config(None, now),
                    handler: (!image).then(|| "index.handler".to_owned()),
                    role: format!("arn:aws:iam::{DEMO_ACCOUNT}:role/{name}-role"),
                    environment: BTreeMap::new(),
                    layers,
                    vpc: None,
                    tracing: None,
                    log_group: None,
                    file_systems: Vec::new(),
                    tags: f.tags.clone(),
                },
                package: if image {
                    Package::Image {
                        uri: format!(
                            "{DEMO_ACCOUNT}.dkr.ecr.{}.amazonaws.com/{name}:latest",
                            f.arn.region()
                        ),
                    }
                } else {
                    Package::Zip {
                        location: Some(format!("{CODE_SCHEME}{name}")),
                        size: package_of(&name).len() as u64,
                    }
                },
            })
        })
    }

    /// The deployment package a download of `location` (a simulated `Code.Location`) gives;
    /// `None` when no such function exists.
    pub fn package(&self, location: &str) -> Option<Vec<u8>> {
        let name = location.strip_prefix(CODE_SCHEME)?;
        let state = self.state.borrow();
        state
            .functions
            .values()
            .any(|f| f.arn.name() == name)
            .then(|| package_of(name))
    }

    /// `CreateFunction` of `definition` with `code`: `Pending` for the injected
    /// `pending_duration`, then a function that behaves like the one its code came from.
    pub(super) fn create_copy(
        &self,
        definition: &FunctionDefinition,
        code: &FunctionCode,
    ) -> Result<FunctionConfig, LambdaError> {
        self.enter()?;
        let now = self.clock.now_ms();
        let config = &definition.config;
        let (spec, ready_at_ms) = {
            let state = self.state.borrow();
            if state.functions.contains_key(&config.arn.to_string()) {
                return Err(LambdaError::Conflict {
                    message: format!("Function already exist: {}", config.arn.name()),
                });
            }
            let source = match code {
                FunctionCode::Zip(bytes) => std::str::from_utf8(bytes)
                    .ok()
                    .and_then(|text| text.strip_prefix(PACKAGE_PREFIX)),
                FunctionCode::Image(uri) => uri
                    .rsplit('/')
                    .next()
                    .and_then(|repository| repository.strip_suffix(":latest")),
                FunctionCode::S3 { bucket, .. } => {
                    return Err(LambdaError::InvalidRequest {
                        message: format!(
                            "Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist ({bucket}; the simulated account has no S3)"
                        ),
                    });
                }
            }
            .ok_or_else(unreadable_package)?;
            let from = state
                .functions
                .values()
                .find(|f| f.arn.name() == source)
                .ok_or_else(unreadable_package)?;
            let mut spec = from.spec.clone();
            if spec.architecture != config.architecture && spec.measured_other.is_some() {
                // Measured on both: the copy replays the other architecture's measurements.
                std::mem::swap(&mut spec.measured, &mut spec.measured_other);
            }
            spec.name = config.arn.name().to_owned();
            spec.region = config.arn.region().to_owned();
            spec.architecture = config.architecture;
            spec.memory_mb = config.memory.get();
            spec.description.clone_from(&config.description);
            spec.timeout_s = config.timeout_s;
            (spec, now + state.faults.pending_duration.as_millis() as f64)
        };
        self.insert_function(spec, definition.tags.clone(), ready_at_ms);
        self.with_function(&config.arn, |f, now, _| Ok(f.config(None, now)))
    }

    /// `DeleteFunction` of the whole function.
    pub(super) fn delete_whole(&self, function: &FunctionArn) -> Result<(), LambdaError> {
        self.enter()?;
        self.state
            .borrow_mut()
            .functions
            .remove(&function.to_string())
            .map(|_| ())
            .ok_or_else(|| not_found(&function.to_string()))
    }
}

/// The simulated deployment package of the function `name`.
fn package_of(name: &str) -> Vec<u8> {
    format!("{PACKAGE_PREFIX}{name}").into_bytes()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crate::{
        api::{FunctionCode, FunctionState, LambdaApi, LambdaError, Package},
        arn::FunctionArn,
        clock::ManualClock,
        pricing::Architecture,
        sim::{Faults, SimLambda},
    };

    fn sim() -> SimLambda<ManualClock> {
        SimLambda::demo(
            ManualClock::default(),
            1,
            Faults {
                pending_duration: std::time::Duration::from_secs(5),
                ..Faults::default()
            },
        )
    }

    fn copy_arn(of: &FunctionArn) -> FunctionArn {
        format!(
            "arn:aws:lambda:{}:{}:function:{}-pt-arm64-test",
            of.region(),
            of.account(),
            of.name()
        )
        .parse()
        .unwrap()
    }

    #[test]
    fn a_copy_from_the_downloaded_package_runs_like_its_function_and_is_deleted_whole() {
        futures::executor::block_on(async {
            let sim = sim();
            let original = sim.function_arns()[0].clone();
            let details = sim.get_function(&original).await.unwrap();
            let Package::Zip {
                location: Some(location),
                size,
            } = &details.package
            else {
                panic!("a .zip package: {:?}", details.package);
            };
            let package = sim.package(location).expect("the package downloads");
            assert_eq!(package.len() as u64, *size);
            let arn = copy_arn(&original);
            let tags = BTreeMap::from([("powertune:copy-of".to_owned(), original.to_string())]);
            let definition =
                details
                    .definition
                    .copy(arn.clone(), Architecture::Arm64, tags.clone());
            let code = FunctionCode::Zip(package);
            let created = sim.create_function(&definition, &code).await.unwrap();
            assert_eq!(created.architecture, Architecture::Arm64);
            assert_eq!(created.memory, details.definition.config.memory);
            assert_eq!(created.state, FunctionState::Pending);
            assert!(matches!(
                sim.create_function(&definition, &code).await,
                Err(LambdaError::Conflict { .. })
            ));
            assert!(
                matches!(
                    sim.invoke(&arn, None, None, b"{}").await,
                    Err(LambdaError::Conflict { .. })
                ),
                "a Pending copy cannot be invoked yet"
            );
            assert_eq!(sim.get_function(&arn).await.unwrap().definition.tags, tags);

            sim.delete_function(&arn).await.unwrap();
            assert!(sim.snapshot(&arn).is_none());
            assert!(sim.snapshot(&original).is_some(), "the original stays");
            assert!(matches!(
                sim.delete_function(&arn).await,
                Err(LambdaError::NotFound { .. })
            ));
        });
    }

    #[test]
    fn a_package_that_is_not_one_is_refused_and_creates_nothing() {
        futures::executor::block_on(async {
            let sim = sim();
            let original = sim.function_arns()[0].clone();
            let arn = copy_arn(&original);
            let definition = sim.get_function(&original).await.unwrap().definition.copy(
                arn.clone(),
                Architecture::Arm64,
                BTreeMap::new(),
            );
            let code = FunctionCode::Zip(b"PK\x03\x04 not ours".to_vec());
            let refused = sim.create_function(&definition, &code).await.unwrap_err();
            assert!(refused.to_string().contains("Could not unzip"), "{refused}");
            assert!(sim.snapshot(&arn).is_none());
            assert_eq!(sim.package("sim-code:no-such-function"), None);
        });
    }
}

#[cfg(test)]
mod measured_tests {
    use base64::Engine as _;

    use crate::{
        MemoryMb,
        api::{FunctionCode, LambdaApi, Package},
        clock::ManualClock,
        pricing::Architecture,
        sim::{Faults, SimLambda, lambda_benchmark},
    };

    #[test]
    fn a_copy_of_a_function_measured_on_both_replays_its_architectures_measurements() {
        let json = r#"{"python311": {"arm64": {"128": [{"duration": 900.5}]},
                                    "x86_64": {"128": [{"duration": 990.0}]}}}"#;
        let specs: Vec<_> = lambda_benchmark(json, "us-east-1")
            .unwrap()
            .into_iter()
            .map(|f| f.spec)
            .collect();
        let sim = SimLambda::new(ManualClock::default(), specs, 1, Faults::default());
        let x86 = sim
            .function_arns()
            .into_iter()
            .find(|a| a.name().ends_with("x86_64"))
            .unwrap();
        futures::executor::block_on(async {
            let details = sim.get_function(&x86).await.unwrap();
            let Package::Zip {
                location: Some(location),
                ..
            } = &details.package
            else {
                panic!("{:?}", details.package)
            };
            let arn: crate::arn::FunctionArn = format!("{x86}-pt-arm64-m").parse().unwrap();
            let mut definition =
                details
                    .definition
                    .copy(arn.clone(), Architecture::Arm64, Default::default());
            definition.config.memory = MemoryMb::new(128).unwrap();
            let code = FunctionCode::Zip(sim.package(location).unwrap());
            sim.create_function(&definition, &code).await.unwrap();
            let tail = |out: crate::api::InvokeOutput| {
                String::from_utf8(
                    base64::engine::general_purpose::STANDARD
                        .decode(out.log_tail.unwrap())
                        .unwrap(),
                )
                .unwrap()
            };
            let copy = tail(sim.invoke(&arn, None, None, b"{}").await.unwrap());
            assert!(copy.contains("Duration: 900.5"), "arm64's sample: {copy}");
        });
    }
}
