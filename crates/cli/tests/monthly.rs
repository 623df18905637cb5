//! The monthly answer from the `powertune` binary against a real `lambda-emulator`: the figures
//! under `powertune.monthly`, the sentence on stderr, and a CloudWatch read that fails before
//! anything is created.

mod support;

use serde_json::{Value, json};
use support::*;

#[test]
fn monthly_costs_are_in_the_full_output_and_said_on_stderr() {
    let emulator = Emulator::start(&["--time-scale", "0.02", "--update-ms", "0"]);
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(
        dir.path(),
        &json!({"lambdaARN": ARN, "num": 5, "powerValues": [512, 1024, 2048], "monthlyInvocations": 30_000_000, "freeTier": true}),
    );
    let out = run(emulator
        .powertune(dir.path(), &["run", "--full"])
        .arg("--input")
        .arg(&input));
    assert!(out.status.success(), "{}", stderr(&out));
    let output: Value = serde_json::from_slice(&out.stdout).unwrap();
    let monthly = &output["powertune"]["monthly"];
    assert_eq!(monthly["invocations"], 30_000_000, "{monthly}");
    assert_eq!(monthly["source"], "input");
    assert_eq!(monthly["freeTier"], true);
    assert_eq!(monthly["currency"], "USD");
    let sizes = monthly["sizes"].as_array().unwrap();
    assert_eq!(sizes.len(), 3);
    for size in sizes {
        assert!(size["monthlyCost"].as_f64().unwrap() > 0.0, "{size}");
    }
    // The current 1024 MB is among the sizes: every size has its change against it.
    assert_eq!(sizes[1]["memoryMb"], 1024);
    assert_eq!(sizes[1]["monthlyChange"], 0.0);
    let power = output["power"].as_u64().unwrap();
    let pick = &monthly["picks"]["cost"];
    assert_eq!(pick["memoryMb"], power);
    let err = stderr(&out);
    assert!(err.contains(&format!("{power} MB: $")), "{err}");
    assert!(err.contains("/month"), "{err}");
    assert!(
        err.contains("30,000,000 invocations a month (as given)"),
        "{err}"
    );
    assert!(err.contains("free tier taken off"), "{err}");
    // The share link carries the traffic.
    let link = output["powertune"]["shareLink"].as_str().unwrap();
    let shared = powertune_tuner::share::compact::decode(link.trim_start_matches('#')).unwrap();
    assert_eq!(shared.traffic.unwrap().invocations, 30_000_000);
    emulator.assert_clean();
}

#[test]
fn an_unreachable_cloudwatch_stops_the_run_before_anything_is_created() {
    let emulator = Emulator::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(
        dir.path(),
        &json!({"lambdaARN": ARN, "num": 5, "monthlyInvocations": "cloudwatch"}),
    );
    let out = run(emulator
        .powertune(
            dir.path(),
            &[
                "run",
                "--quiet",
                "--cloudwatch-endpoint-url",
                "http://127.0.0.1:9",
            ],
        )
        .arg("--input")
        .arg(&input));
    assert_exit(
        &out,
        1,
        "monthlyInvocations: could not reach CloudWatch for image-resizer",
    );
    assert_eq!(emulator.function()["invocations"], 0);
    emulator.assert_clean();
}
