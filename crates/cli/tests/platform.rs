//! The `powertune` binary against a real `lambda-emulator` holding the kinds of function the
//! original tool does not know: each gets its message, the refused ones create nothing, and the
//! rest (tenant-isolated with a tenant, durable, SnapStart, a container image, an arm64
//! function on `provided.al2023`) are tuned end to end through the SDK.

mod support;

use std::path::Path;

use serde_json::{Value, json};
use support::*;

/// A layer built for x86_64 only.
const NATIVE_LAYER: &str = "arn:aws:lambda:us-east-1:123456789012:layer:native:2";

fn arn(name: &str) -> String {
    format!("arn:aws:lambda:us-east-1:123456789012:function:{name}")
}

/// An emulator holding only the special functions.
fn emulator(dir: &Path) -> Emulator {
    let model =
        json!({"memoryMb": 1024, "cpuMs": 40.0, "ioMs": 5.0, "initMs": 200.0, "noise": 0.02});
    let with = |name: &str, extra: Value| {
        let mut f = model.clone();
        f["name"] = json!(name);
        f.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        f
    };
    let config = dir.join("emulator.json");
    std::fs::write(
        &config,
        json!({"samples": false, "functions": [
            with("on-instances", json!({"capacityProvider": "arn:aws:lambda:us-east-1:123456789012:capacity-provider:fleet"})),
            with("per-tenant", json!({"tenantIsolated": true})),
            with("durable", json!({"durable": true})),
            with("snapped", json!({"snapStart": true, "runtime": "java21"})),
            with("image", json!({"packageType": "Image"})),
            with("provided-arm", json!({"runtime": "provided.al2023", "architecture": "arm64", "jsonLogs": true})),
            with("with-native-layer", json!({"layers": [
                {"arn": "arn:aws:lambda:us-east-1:123456789012:layer:config:1"},
                {"arn": NATIVE_LAYER, "compatibleArchitectures": ["x86_64"]},
            ]})),
        ]})
        .to_string(),
    )
    .unwrap();
    Emulator::start(&[
        "--config",
        config.to_str().unwrap(),
        "--time-scale",
        "0.001",
        "--update-ms",
        "0",
    ])
}

fn tune(emulator: &Emulator, dir: &Path, name: &str, extra: Value) -> std::process::Output {
    let mut input = json!({"lambdaARN": arn(name), "num": 5, "powerValues": [256, 512, 1024]});
    input
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let input = write_input(dir, &input);
    run(emulator
        .powertune(dir, &["run", "--full"])
        .arg("--input")
        .arg(&input))
}

fn assert_untouched(emulator: &Emulator, name: &str) {
    let f = emulator.function_named(&arn(name));
    assert_eq!(f["invocations"], 0, "{f}");
    assert_eq!(f["aliases"], json!([]), "{f}");
    assert_eq!(f["versions"], json!([]), "{f}");
    assert_eq!(f["memory"], 1024, "{f}");
}

fn assert_tuned(out: &std::process::Output, emulator: &Emulator, name: &str) -> Value {
    assert!(out.status.success(), "{name}: {}", stderr(out));
    let output: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        [256, 512, 1024].contains(&output["power"].as_u64().unwrap()),
        "{output}"
    );
    let f = emulator.function_named(&arn(name));
    assert_eq!(f["aliases"], json!([]), "{f}");
    assert_eq!(f["versions"], json!([]), "{f}");
    assert_eq!(f["memory"], 1024, "{f}");
    assert_eq!(f["invocations"], 15, "{f}");
    output
}

#[test]
fn managed_instances_and_tenant_isolation_without_a_tenant_are_refused_up_front() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = emulator(dir.path());
    let out = tune(&emulator, dir.path(), "on-instances", json!({}));
    assert_exit(&out, 1, "runs on Lambda Managed Instances");
    let err = stderr(&out);
    assert!(
        err.contains("memory per vCPU") && err.contains("Nothing was changed"),
        "{err}"
    );
    assert_untouched(&emulator, "on-instances");

    let out = tune(&emulator, dir.path(), "per-tenant", json!({}));
    assert_exit(&out, 1, "is tenant-isolated");
    assert!(
        stderr(&out).contains("Add \"tenantId\" to the input"),
        "{}",
        stderr(&out)
    );
    assert_untouched(&emulator, "per-tenant");
}

#[test]
fn a_tenant_isolated_function_is_tuned_with_its_tenant_id() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = emulator(dir.path());
    // The emulator refuses an invocation without X-Amz-Tenant-Id, so 15 measured calls show that
    // the SDK sent it each time.
    let out = tune(
        &emulator,
        dir.path(),
        "per-tenant",
        json!({"tenantId": "customer-42"}),
    );
    assert_tuned(&out, &emulator, "per-tenant");
}

#[test]
fn durable_and_snap_start_functions_are_tuned_with_what_the_figures_mean() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = emulator(dir.path());
    let out = tune(&emulator, dir.path(), "durable", json!({}));
    let output = assert_tuned(&out, &emulator, "durable");
    let warnings = output["powertune"]["warnings"].to_string();
    assert!(
        warnings.contains("not a durable execution's total time"),
        "{warnings}"
    );

    let out = tune(&emulator, dir.path(), "snapped", json!({}));
    let output = assert_tuned(&out, &emulator, "snapped");
    assert!(stderr(&out).contains("uses SnapStart"), "{}", stderr(&out));
    let restore = output["powertune"]["result"]["sizes"][0]["detail"]["meanRestoreMs"]
        .as_f64()
        .unwrap();
    assert!(restore > 0.0, "{output}");
}

#[test]
fn container_images_and_arm64_on_provided_al2023_are_tuned_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = emulator(dir.path());
    let out = tune(&emulator, dir.path(), "image", json!({}));
    assert_tuned(&out, &emulator, "image");
    let out = tune(&emulator, dir.path(), "provided-arm", json!({}));
    let output = assert_tuned(&out, &emulator, "provided-arm");
    assert_eq!(output["powertune"]["result"]["architecture"], "arm64");
}

#[test]
fn a_comparison_refuses_a_layer_without_arm64_and_copies_an_image_from_its_other_image() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = emulator(dir.path());
    let both = json!({"architectures": ["x86_64", "arm64"]});
    // GetLayerVersionByArn over HTTP: the x86_64-only layer is named, nothing is created.
    let out = tune(&emulator, dir.path(), "with-native-layer", both.clone());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(NATIVE_LAYER) && stderr(&out).contains("x86_64 only"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("layer:config:1"), "{}", stderr(&out));
    assert_untouched(&emulator, "with-native-layer");
    // A container image is copied from the image built for the other architecture.
    let mut image = both;
    image["copyImageUri"] = json!("123456789012.dkr.ecr.us-east-1.amazonaws.com/image:latest");
    let out = tune(&emulator, dir.path(), "image", image);
    assert!(out.status.success(), "{}", stderr(&out));
    let output: Value = serde_json::from_slice(&out.stdout).unwrap();
    let runs = output["architectures"].as_array().unwrap();
    assert_eq!(runs.len(), 2, "{output}");
    assert!(
        runs.iter().all(|r| r["output"]["power"].is_u64()),
        "{output}"
    );
    let names: Vec<String> = emulator.state()["functions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["arn"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains("-pt-")),
        "a copy is left: {names:?}"
    );
}
