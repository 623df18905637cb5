//! powertune's own keys: sampling, tolerance, architectures, and how they combine with the
//! original's.

use super::*;

#[test]
fn sampling_and_tolerance_are_read_with_named_errors() {
    let p = ok(json!({"lambdaARN": ARN, "num": 10}));
    assert_eq!(
        (p.input.sampling, p.input.tolerance),
        (SamplingMode::Grid, 0.02)
    );
    assert!(
        p.input.to_json().get("sampling").is_none(),
        "defaults stay out of the JSON"
    );
    let p = ok(json!({"lambdaARN": ARN, "num": 10, "sampling": "adaptive", "tolerance": 0.05}));
    assert_eq!(
        (p.input.sampling, p.input.tolerance),
        (SamplingMode::Adaptive, 0.05)
    );
    assert_eq!(parse_value(&p.input.to_json()).unwrap().input, p.input);
    let err = errors(json!({"lambdaARN": ARN, "num": 10, "sampling": "smart", "tolerance": 0.9}));
    let fields: Vec<&str> = err.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["sampling", "tolerance"]);
    assert!(err.0[0].rule.contains("\"grid\"") && err.0[0].rule.contains("\"adaptive\""));
    assert_eq!(
        fields_of(json!({"lambdaARN": ARN, "num": 10, "sampling": 3})),
        ["sampling"]
    );
}

#[test]
fn adaptive_sampling_refuses_cold_starts_and_is_ignored_in_a_dry_run() {
    let err = errors(
        json!({"lambdaARN": ARN, "num": 10, "sampling": "adaptive", "onlyColdStarts": true}),
    );
    assert_eq!(err.0[0].field, "sampling");
    assert!(
        err.0[0].rule.contains("onlyColdStarts"),
        "{}",
        err.0[0].rule
    );
    let p = ok(json!({"lambdaARN": ARN, "num": 10, "sampling": "adaptive", "dryRun": true}));
    assert!(
        p.warnings.iter().any(|w| w.contains("ignored with dryRun")),
        "{:?}",
        p.warnings
    );
}

#[test]
fn architectures_are_one_or_both_each_once() {
    use crate::pricing::Architecture;
    let p = ok(json!({"lambdaARN": ARN, "num": 10}));
    assert!(p.input.architectures.is_empty(), "the function's own");
    assert!(p.input.to_json().get("architectures").is_none());
    let p = ok(json!({"lambdaARN": ARN, "num": 10, "architectures": ["x86_64", "arm64"]}));
    assert_eq!(
        p.input.architectures,
        [Architecture::X86_64, Architecture::Arm64]
    );
    assert_eq!(parse_value(&p.input.to_json()).unwrap().input, p.input);
    for bad in [
        json!(["arm"]),
        json!(["arm64", "arm64"]),
        json!([]),
        json!("arm64"),
        json!(["x86_64", "arm64", "x86_64"]),
    ] {
        let err = errors(json!({"lambdaARN": ARN, "num": 10, "architectures": bad}));
        assert_eq!(err.0.len(), 1, "{bad}: {err}");
        assert_eq!(err.0[0].field, "architectures");
        assert!(err.0[0].rule.contains("\"x86_64\" and \"arm64\""), "{err}");
    }
    let err = errors(
        json!({"lambdaARN": ARN, "num": 10, "architectures": ["arm64"], "autoOptimize": true}),
    );
    assert!(err.0[0].rule.contains("autoOptimize"), "{err}");
}

#[test]
fn copy_image_uri_is_an_ecr_image_beside_architectures() {
    let image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/resizer:arm64";
    let p = ok(
        json!({"lambdaARN": ARN, "num": 10, "architectures": ["x86_64", "arm64"], "copyImageUri": image}),
    );
    assert_eq!(p.input.copy_image_uri.as_deref(), Some(image));
    assert_eq!(parse_value(&p.input.to_json()).unwrap().input, p.input);

    let alone = errors(json!({"lambdaARN": ARN, "num": 10, "copyImageUri": image}));
    assert_eq!(alone.0[0].field, "copyImageUri");
    assert!(
        alone.0[0].rule.contains("set \"architectures\" too"),
        "{alone}"
    );
    for bad in [
        "resizer:arm64",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/resizer",
        "",
    ] {
        let e = errors(
            json!({"lambdaARN": ARN, "num": 10, "architectures": ["arm64"], "copyImageUri": bad}),
        );
        assert!(e.0[0].rule.contains("Amazon ECR image URI"), "{bad}: {e}");
    }
}
