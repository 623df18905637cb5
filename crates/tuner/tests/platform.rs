//! The engine on the kinds of function the original tool does not know (Managed Instances,
//! tenant isolation, durable functions, SnapStart, container images, arm64) and on payload
//! placeholders, against the simulated service.

use std::cell::RefCell;

use crate::support::{World, every_size_measured};
use futures::executor::block_on;
use powertune_tuner::{
    FunctionArn,
    api::{
        InvokeOutput, LambdaApi, LambdaError,
        intercept::{Intercepted, Overrides},
    },
    cancel::CancelToken,
    engine::{self, Event, Hooks, RunError, RunOptions},
    platform::{PackageType, Platform, Refusal},
    pricing::Architecture,
    sim::{Faults, FunctionModel, SimFunctionSpec},
};
use serde_json::{Value, json};

fn function(name: &str, platform: Platform) -> SimFunctionSpec {
    SimFunctionSpec {
        name: name.into(),
        region: "us-east-1".into(),
        memory_mb: 1024,
        description: String::new(),
        architecture: Architecture::X86_64,
        log_format: powertune_tuner::api::LogFormat::Text,
        timeout_s: 10,
        runtime: platform.runtime.clone().unwrap_or_default(),
        model: FunctionModel {
            cpu_ms: 200.0,
            parallel_fraction: 0.0,
            io_ms: 10.0,
            memory_need_mb: 128,
            init_ms: 400.0,
            noise: 0.05,
            error_rate: 0.0,
            arm64: powertune_tuner::sim::Arm64::default(),
        },
        measured: None,
        measured_other: None,
        platform,
    }
}

fn world_with(name: &str, platform: Platform) -> World {
    let w = World::new(Faults::default());
    w.sim.add_function(function(name, platform));
    w
}

fn sizes() -> Value {
    json!({"powerValues": [256, 512, 1024], "num": 5})
}

fn invocations(w: &World, name: &str) -> u64 {
    w.sim.snapshot(&w.arn(name)).unwrap().invocations
}

#[test]
fn a_function_on_managed_instances_is_refused_before_anything_is_created() {
    let w = world_with(
        "on-instances",
        Platform {
            capacity_provider: Some(
                "arn:aws:lambda:us-east-1:123456789012:capacity-provider:fleet".into(),
            ),
            ..Platform::default()
        },
    );
    let failure = w.run(&w.input("on-instances", sizes())).unwrap_err();
    assert!(
        matches!(&failure.error, RunError::Refused(Refusal::ManagedInstances { capacity_provider, .. }) if capacity_provider.ends_with(":fleet")),
        "{failure}"
    );
    let text = failure.error.to_string();
    assert!(text.contains("memory per vCPU"), "{text}");
    assert_eq!(invocations(&w, "on-instances"), 0);
    w.assert_clean("on-instances", 1024);
}

#[test]
fn a_tenant_isolated_function_needs_a_tenant_id_and_gets_it_on_every_call() {
    let isolated = Platform {
        tenant_isolated: true,
        ..Platform::default()
    };
    let w = world_with("per-tenant", isolated);
    let failure = w.run(&w.input("per-tenant", sizes())).unwrap_err();
    assert!(
        matches!(
            failure.error,
            RunError::Refused(Refusal::TenantIdRequired { .. })
        ),
        "{failure}"
    );
    assert_eq!(invocations(&w, "per-tenant"), 0);
    w.assert_clean("per-tenant", 1024);

    // With a tenant: every invocation names it (the simulation refuses one that does not).
    let mut extra = sizes();
    extra["tenantId"] = json!("customer-42");
    let report = w.run(&w.input("per-tenant", extra)).unwrap();
    assert!(every_size_measured(&report.result.unwrap()));
    assert_eq!(invocations(&w, "per-tenant"), 15);
    w.assert_clean("per-tenant", 1024);
}

#[test]
fn a_tenant_id_for_a_plain_function_is_not_sent_and_the_run_says_so() {
    let w = world_with("plain", Platform::default());
    let mut extra = sizes();
    extra["tenantId"] = json!("customer-42");
    let report = w.run(&w.input("plain", extra)).unwrap();
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("not tenant-isolated")),
        "{:?}",
        report.warnings
    );
    assert!(every_size_measured(&report.result.unwrap()));
    w.assert_clean("plain", 1024);
}

#[test]
fn durable_and_snap_start_functions_are_tuned_and_explained() {
    let w = world_with(
        "durable",
        Platform {
            durable: true,
            ..Platform::default()
        },
    );
    let report = w.run(&w.input("durable", sizes())).unwrap();
    assert!(
        report.warnings[0].contains("durable function"),
        "{:?}",
        report.warnings
    );
    w.assert_clean("durable", 1024);

    let w = world_with(
        "snapped",
        Platform {
            snap_start: true,
            ..Platform::default()
        },
    );
    let report = w.run(&w.input("snapped", sizes())).unwrap();
    assert!(
        w.count(|e| matches!(e, Event::Warning(text) if text.contains("SnapStart"))) == 1,
        "the progress says why versions stay Pending"
    );
    // Cold starts restore a snapshot: restore duration is reported beside init.
    let result = report.result.unwrap();
    let stats = &result.sizes[0].detail.as_ref().unwrap().stats;
    assert!(stats.cold_starts > 0);
    assert!(stats.mean_restore_ms > 0.0, "{stats:?}");
    assert_eq!(stats.mean_init_ms, 0.0);
    w.assert_clean("snapped", 1024);
}

#[test]
fn container_images_os_only_runtimes_and_arm64_are_tuned_end_to_end() {
    for (name, platform, architecture) in [
        (
            "image",
            Platform {
                package_type: PackageType::Image,
                ..Platform::default()
            },
            Architecture::X86_64,
        ),
        (
            "provided",
            Platform {
                runtime: Some("provided.al2023".into()),
                ..Platform::default()
            },
            Architecture::Arm64,
        ),
    ] {
        let w = World::new(Faults::default());
        w.sim.add_function(SimFunctionSpec {
            architecture,
            ..function(name, platform)
        });
        let report = w.run(&w.input(name, sizes())).unwrap();
        let result = report.result.unwrap();
        assert_eq!(result.architecture, architecture, "{name}");
        assert!(result.sizes.iter().all(|s| s.is_usable()), "{name}");
        w.assert_clean(name, 1024);
    }
}

/// Records every payload the tuned function receives.
struct Payloads(RefCell<Vec<(Option<String>, String)>>);

impl Overrides for Payloads {
    async fn invoke<A: LambdaApi>(
        &self,
        inner: &A,
        function: &FunctionArn,
        qualifier: Option<&str>,
        tenant: Option<&str>,
        payload: &[u8],
    ) -> Result<InvokeOutput, LambdaError> {
        self.0.borrow_mut().push((
            qualifier.map(str::to_owned),
            String::from_utf8_lossy(payload).into_owned(),
        ));
        inner.invoke(function, qualifier, tenant, payload).await
    }
}

#[test]
fn placeholders_give_every_invocation_its_index_and_size() {
    let w = World::new(Faults::default());
    let api = Intercepted {
        inner: &w.sim,
        overrides: Payloads(RefCell::new(Vec::new())),
    };
    let input = w.input(
        "api-handler",
        json!({"powerValues": [256, 512], "num": 5, "payload": [
            {"payload": {"key": "order-${mem}-${index}", "note": "$${index} stays"}, "weight": 3},
            {"payload": {"key": "other-${index}"}, "weight": 2}
        ]}),
    );
    let payload = match &input.payload {
        powertune_tuner::input::PayloadSource::Inline(v) => v.clone(),
        _ => unreachable!(),
    };
    block_on(engine::run(
        &api,
        &w.clock,
        &w.journal,
        &input,
        Some(&payload),
        &RunOptions::default(),
        Hooks {
            on_event: &|_| {},
            cancel: &CancelToken::new(),
        },
    ))
    .unwrap();
    let sent = api.overrides.0.into_inner();
    let at = |alias: &str| -> Vec<Value> {
        sent.iter()
            .filter(|(q, _)| q.as_deref() == Some(alias))
            .map(|(_, p)| serde_json::from_str(p).unwrap())
            .collect()
    };
    let at_512 = at("RAM512");
    assert_eq!(at_512.len(), 5);
    let keys: Vec<&str> = at_512.iter().map(|p| p["key"].as_str().unwrap()).collect();
    assert_eq!(
        keys,
        [
            "order-512-0",
            "order-512-1",
            "order-512-2",
            "other-3",
            "other-4"
        ]
    );
    assert_eq!(at_512[0]["note"], "${index} stays");
    assert_eq!(at("RAM256")[4]["key"], "other-4");
    w.assert_clean("api-handler", 512);
}
