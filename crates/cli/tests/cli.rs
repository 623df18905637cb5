//! The `powertune` binary against a real `lambda-emulator` process over HTTP, with SigV4 checked:
//! the full flow, faults, bad credentials, bad input, and a process killed mid-run followed by
//! `powertune cleanup`.

mod support;

use std::{
    process::Command,
    time::{Duration, Instant},
};

use serde_json::{Value, json};
use support::*;

#[test]
fn full_run_prints_the_original_output_and_leaves_nothing() {
    let emulator = Emulator::start(&["--time-scale", "0.02", "--update-ms", "200"]);
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(
        dir.path(),
        &json!({"lambdaARN": ARN, "num": 8, "powerValues": [256, 512, 1024], "includeOutputResults": true, "parallelInvocation": true}),
    );
    let out = run(emulator
        .powertune(dir.path(), &["run", "--full"])
        .arg("--input")
        .arg(&input));
    assert!(out.status.success(), "{}", stderr(&out));
    let output: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        [256, 512, 1024].contains(&output["power"].as_u64().unwrap()),
        "{output}"
    );
    assert!(output["cost"].as_f64().unwrap() > 0.0);
    assert!(output["duration"].as_f64().unwrap() > 0.0);
    assert_eq!(output["stateMachine"]["executionCost"], 0.0);
    assert!(
        output["stateMachine"]["visualization"]
            .as_str()
            .unwrap()
            .starts_with("https://lambda-power-tuning.show/#")
    );
    assert_eq!(output["stats"].as_array().unwrap().len(), 3);
    assert!(
        output["powertune"]["shareLink"]
            .as_str()
            .unwrap()
            .starts_with("#pt4.")
    );
    assert_eq!(output["powertune"]["invocations"], 24);
    emulator.assert_clean();
    assert_eq!(emulator.function()["invocations"], 24);
    assert_eq!(journal_entries(dir.path()), Vec::<Value>::new());
    // A finished run removes its journal files.
    assert_eq!(
        std::fs::read_dir(dir.path().join("journal"))
            .unwrap()
            .count(),
        0
    );
}

#[test]
fn throttling_and_server_errors_do_not_fail_the_run() {
    let emulator = Emulator::start(&["--time-scale", "0.01", "--update-ms", "100"]);
    emulator.control(
        "POST",
        "/_emulator/faults",
        r#"{"throttleRate": 0.3, "serverErrorRate": 0.05, "updateMs": 100, "timeScale": 0.01}"#,
    );
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(
        dir.path(),
        &json!({"lambdaARN": ARN, "num": 10, "powerValues": [512, 1024], "parallelInvocation": true}),
    );
    let out = run(emulator
        .powertune(dir.path(), &["run", "--quiet"])
        .arg("--input")
        .arg(&input));
    assert!(out.status.success(), "{}", stderr(&out));
    emulator.assert_clean();
}

#[test]
fn a_wrong_secret_is_refused_with_a_clear_error() {
    let emulator = Emulator::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), &json!({"lambdaARN": ARN, "num": 5}));
    let out = run(emulator
        .powertune(dir.path(), &["run", "--quiet"])
        .arg("--input")
        .arg(&input)
        .env(
            "AWS_SECRET_ACCESS_KEY",
            "not-the-secret-at-all-0000000000000000000",
        ));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("credentials were rejected"), "{err}");
    assert!(
        err.contains("signature we calculated does not match"),
        "{err}"
    );
    assert!(
        !err.contains("not-the-secret"),
        "the secret must never be printed: {err}"
    );
    emulator.assert_clean();
}

#[test]
fn bad_input_is_explained_and_nothing_is_called() {
    let emulator = Emulator::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(
        dir.path(),
        &json!({"lambdaARN": "image-resizer", "num": 3, "powerValues": [64]}),
    );
    let out = run(emulator
        .powertune(dir.path(), &["run"])
        .arg("--input")
        .arg(&input));
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("3 problems in the tuning input"), "{err}");
    assert!(
        err.contains("lambdaARN") && err.contains("paste the full ARN"),
        "{err}"
    );
    assert!(err.contains("powerValues[0] = 64"), "{err}");
    assert_eq!(emulator.function()["invocations"], 0);
}

#[test]
fn a_killed_run_is_cleaned_up_by_powertune_cleanup() {
    // Slow invocations, so the process is killed mid-run with aliases and versions created.
    let emulator = Emulator::start(&["--time-scale", "1", "--update-ms", "200"]);
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(
        dir.path(),
        &json!({"lambdaARN": ARN, "num": 50, "powerValues": [256, 512, 1024, 2048]}),
    );
    let mut child = emulator.spawn_run(dir.path(), &input);
    let started = Instant::now();
    loop {
        let versions = emulator.function()["versions"].as_array().unwrap().len();
        if versions >= 2 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the run never published two versions"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let left = emulator.function();
    assert!(
        !left["aliases"].as_array().unwrap().is_empty(),
        "the kill should leave aliases behind: {left}"
    );
    let entries = journal_entries(dir.path());
    assert!(entries.len() >= 3, "{entries:?}");

    let out = run(&mut emulator.powertune(dir.path(), &["cleanup"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("$LATEST restored"),
        "{}",
        stderr(&out)
    );
    emulator.assert_clean();
    assert_eq!(journal_entries(dir.path()), Vec::<Value>::new());
    // A second cleanup has nothing to do.
    let out = run(&mut emulator.powertune(dir.path(), &["cleanup"]));
    assert!(out.status.success() && stderr(&out).contains("nothing to clean up"));
}

#[test]
fn two_killed_runs_of_two_functions_keep_their_own_journals_and_one_cleanup_removes_both() {
    const OTHER: &str = "arn:aws:lambda:us-east-1:123456789012:function:api-handler";
    let emulator = Emulator::start(&["--time-scale", "1", "--update-ms", "200"]);
    let dir = tempfile::tempdir().unwrap();
    let spawn = |arn: &str, file: &str| {
        let input = dir.path().join(file);
        std::fs::write(
            &input,
            json!({"lambdaARN": arn, "num": 50, "powerValues": [256, 512, 1024, 2048]}).to_string(),
        )
        .unwrap();
        emulator.spawn_run(dir.path(), &input)
    };
    // One HOME and one journal directory, written by both processes at once.
    let mut first = spawn(ARN, "first.json");
    let mut second = spawn(OTHER, "second.json");
    let versions = |arn: &str| {
        emulator.function_named(arn)["versions"]
            .as_array()
            .unwrap()
            .len()
    };
    let started = Instant::now();
    while versions(ARN) < 2 || versions(OTHER) < 2 {
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "the runs never published two versions each"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    for child in [&mut first, &mut second] {
        child.kill().unwrap();
        child.wait().unwrap();
    }
    let entries = journal_entries(dir.path());
    for arn in [ARN, OTHER] {
        let aliases = emulator.function_named(arn)["aliases"]
            .as_array()
            .unwrap()
            .len();
        let journaled = entries
            .iter()
            .filter(|e| e["kind"] == "alias" && e["function"] == arn)
            .count();
        assert!(aliases >= 2 && journaled >= aliases, "{arn}: {entries:?}");
    }

    let out = run(&mut emulator.powertune(dir.path(), &["cleanup"]));
    assert!(out.status.success(), "{}", stderr(&out));
    for arn in [ARN, OTHER] {
        let f = emulator.function_named(arn);
        assert_eq!(f["aliases"], json!([]), "aliases left: {f}");
        assert_eq!(f["versions"], json!([]), "versions left: {f}");
    }
    assert_eq!(emulator.function_named(OTHER)["memory"], 512);
    emulator.assert_clean();
    assert_eq!(journal_entries(dir.path()), Vec::<Value>::new());
}

#[test]
fn share_encode_prints_the_chart_sites_link_and_powertunes() {
    let dir = tempfile::tempdir().unwrap();
    // The original's output with includeOutputResults, as the original tool prints it.
    let output = json!({
        "power": 512, "cost": 2.1e-7, "duration": 30.0,
        "stateMachine": {"executionCost": 0.0, "lambdaCost": 1e-5, "visualization": "x"},
        "stats": [
            {"value": 128, "averagePrice": 1.0e-7, "averageDuration": 100.0},
            {"value": 256, "averagePrice": 2.0e-7, "averageDuration": 300.0},
            {"value": 512, "averagePrice": 3.0e-8, "averageDuration": 200.0}
        ]
    });
    let path = dir.path().join("output.json");
    std::fs::write(&path, output.to_string()).unwrap();
    let out = run(Command::new(powertune_binary())
        .args(["share", "encode", "--input"])
        .arg(&path));
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines[0].starts_with("https://lambda-power-tuning.show/#gAAAAQAC;"),
        "{stdout}"
    );
    assert!(lines[1].starts_with("#pt4."), "{stdout}");
    // Both links carry the same three sizes.
    for link in &lines {
        let out = run(Command::new(powertune_binary()).args(["share", "decode", link]));
        let runs: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            runs[0]["result"]["sizes"].as_array().unwrap().len(),
            3,
            "{link}"
        );
    }

    std::fs::write(&path, r#"{"power": 512}"#).unwrap();
    let out = run(Command::new(powertune_binary())
        .args(["share", "encode", "--input"])
        .arg(&path));
    assert_exit(&out, 2, "not the output of a tuning run");
}

#[test]
fn exit_codes_tell_bad_input_from_a_failed_run() {
    let emulator = Emulator::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), &json!({"lambdaARN": ARN, "num": 5}));
    // No credentials anywhere: the run fails (1), it is not a usage error, and it says what to set.
    let out = run(emulator
        .powertune(dir.path(), &["run", "--quiet"])
        .arg("--input")
        .arg(&input)
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN"));
    assert_exit(&out, 1, "no AWS credentials found");
    assert_eq!(emulator.function()["invocations"], 0);
    // A missing input file and a bare function name are bad input (2), naming the problem.
    let out = run(emulator
        .powertune(dir.path(), &["run"])
        .arg("--input")
        .arg(dir.path().join("missing.json")));
    assert_exit(&out, 2, "cannot read");
    let out = run(Command::new(powertune_binary()).args(["policy", "my-function"]));
    assert_exit(&out, 2, "is a function name, not an ARN");
    let out = run(Command::new(powertune_binary()).args(["policy", ARN]));
    assert!(out.status.success());
    let policy: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(policy["Statement"][0]["Resource"][0], ARN);
}

#[test]
fn a_measured_profile_in_the_emulator_is_replayed() {
    const REPLAYED: &str = "arn:aws:lambda:us-east-1:123456789012:function:replayed";
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("emulator.json");
    std::fs::write(
        &config,
        json!({"functions": [{"name": "replayed", "memoryMb": 1024, "measured": {
            "128": [{"durationMs": 900.5, "maxMemoryUsedMb": 62}, {"durationMs": 910.5}],
            "256": [{"durationMs": 300.2, "initDurationMs": 100.0, "billedDurationMs": 401}],
        }}]})
        .to_string(),
    )
    .unwrap();
    let emulator = Emulator::start(&[
        "--config",
        config.to_str().unwrap(),
        "--time-scale",
        "0",
        "--update-ms",
        "0",
    ]);
    let input = write_input(
        dir.path(),
        &json!({"lambdaARN": REPLAYED, "num": 5, "powerValues": [128, 256, 512], "includeOutputResults": true}),
    );
    let out = run(emulator
        .powertune(dir.path(), &["run", "--quiet"])
        .arg("--input")
        .arg(&input));
    assert!(out.status.success(), "{}", stderr(&out));
    let output: Value = serde_json::from_slice(&out.stdout).unwrap();
    // 256 MB × 401 ms beats 128 MB × ~906 ms.
    assert_eq!(output["power"], 256);
    assert_eq!(output["stats"][1]["averageDuration"], 400.2);
    // 512 MB has no samples: its three tries fail and the others go on.
    assert_eq!(output["stats"][2]["averageDuration"], 0.0);
    let f = emulator.function_named(REPLAYED);
    assert_eq!(f["invocations"], 5 + 5 + 3);
    assert_eq!(
        (f["aliases"].clone(), f["memory"].clone()),
        (json!([]), json!(1024))
    );
}

#[test]
fn the_cost_check_fails_a_pipeline_when_the_current_memory_is_too_costly() {
    const API_HANDLER: &str = "arn:aws:lambda:us-east-1:123456789012:function:api-handler";
    let emulator = Emulator::start(&["--time-scale", "0.01", "--update-ms", "100"]);
    let dir = tempfile::tempdir().unwrap();
    // api-handler runs at 512 MB and mostly waits on I/O: 128 MB costs about half as much.
    let input = write_input(
        dir.path(),
        &json!({"lambdaARN": API_HANDLER, "num": 5, "powerValues": [128, 512, 2048]}),
    );
    let check = |limit: &str| {
        run(emulator
            .powertune(
                dir.path(),
                &["run", "--quiet", "--fail-if-costlier-than", limit],
            )
            .arg("--input")
            .arg(&input))
    };
    let out = check("10");
    assert_exit(&out, 1, "check failed: 512 MB costs");
    let output: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(output["power"], 128);
    let out = check("1000");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("check passed"), "{}", stderr(&out));
    let f = emulator.function_named(API_HANDLER);
    assert_eq!(
        (f["aliases"].clone(), f["memory"].clone()),
        (json!([]), json!(512))
    );
}

#[test]
fn policy_and_share_commands() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), &json!({"lambdaARN": ARN, "num": 5}));
    let out = Command::new(powertune_binary())
        .args(["policy", "--input"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(out.status.success());
    let policy: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(policy["Statement"][0]["Resource"][1], format!("{ARN}:*"));

    let link = powertune_tuner::fixtures::README_SAMPLE_URL;
    let out = Command::new(powertune_binary())
        .args(["share", "decode", link])
        .output()
        .unwrap();
    assert!(out.status.success());
    let runs: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(runs[0]["result"]["sizes"].as_array().unwrap().len(), 6);

    let out = Command::new(powertune_binary())
        .args(["share", "decode", "#abc"])
        .output()
        .unwrap();
    assert_exit(&out, 2, "';'-separated parts");
}

#[test]
fn an_unreadable_s3_payload_stops_before_anything_is_created() {
    let emulator = Emulator::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(
        dir.path(),
        &json!({"lambdaARN": ARN, "num": 5, "payloadS3": "s3://payloads/input.json"}),
    );
    let out = run(emulator
        .powertune(
            dir.path(),
            &["run", "--quiet", "--s3-endpoint-url", "http://127.0.0.1:9"],
        )
        .arg("--input")
        .arg(&input));
    assert_exit(&out, 1, "could not read s3://payloads/input.json");
    assert_eq!(emulator.function()["invocations"], 0);
    emulator.assert_clean();
}

#[test]
fn adaptive_sampling_from_the_input_invokes_fewer_sizes_and_leaves_nothing() {
    let emulator = Emulator::start(&["--time-scale", "0.02", "--update-ms", "50"]);
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(
        dir.path(),
        &json!({"lambdaARN": ARN, "num": 10, "powerValues": "ALL", "sampling": "adaptive", "parallelInvocation": true}),
    );
    let out = run(emulator
        .powertune(dir.path(), &["run", "--full"])
        .arg("--input")
        .arg(&input));
    assert!(out.status.success(), "{}", stderr(&out));
    let output: Value = serde_json::from_slice(&out.stdout).unwrap();
    let invocations = output["powertune"]["invocations"].as_u64().unwrap();
    assert!(invocations < 460, "{invocations} of the grid's 460");
    assert_eq!(emulator.function()["invocations"], invocations);
    assert!(output["power"].as_u64().unwrap() >= 128, "{output}");
    let sampling = &output["powertune"]["result"]["sampling"];
    assert_eq!(sampling["mode"], "adaptive");
    assert_eq!(sampling["gridInvocations"], 460);
    assert_eq!(sampling["invocations"], invocations);
    // The noise finding, in the output and on stderr.
    let statement = output["powertune"]["separation"]["statement"]
        .as_str()
        .unwrap();
    assert!(statement.contains("95 % intervals"), "{statement}");
    assert!(stderr(&out).contains(statement), "{}", stderr(&out));
    // Progress names each size's role in the race and why.
    assert!(
        stderr(&out).contains(": screened (on the screening ladder)"),
        "{}",
        stderr(&out)
    );
    let stats = output["powertune"]["result"]["sizes"].as_array().unwrap();
    assert!(
        stats.iter().any(|s| s["unmeasured"] == "notChosen"),
        "sizes never invoked are typed as such"
    );
    emulator.assert_clean();
    assert_eq!(journal_entries(dir.path()), Vec::<Value>::new());
}
