//! The `powertune` binary against a real `lambda-emulator` process over HTTP, with SigV4 checked:
//! the full flow, faults, bad credentials, bad input, and a process killed mid-run followed by
//! `powertune cleanup`.

use std::{
    io::{BufRead as _, BufReader, Read as _, Write as _},
    net::TcpStream,
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
    time::{Duration, Instant},
};

use serde_json::{Value, json};

const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:image-resizer";

/// A running emulator, stopped on drop.
struct Emulator {
    child: Child,
    endpoint: String,
    credentials: Value,
}

impl Emulator {
    fn start(args: &[&str]) -> Self {
        let mut child = Command::new(sibling_binary("lambda-emulator"))
            .args(["--port", "0", "--seed", "3"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("lambda-emulator starts (build it with `cargo build -p lambda-emulator`)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let credentials: Value =
            serde_json::from_str(&line).expect("the emulator prints its endpoint and credentials");
        Self {
            child,
            endpoint: credentials["endpoint"].as_str().unwrap().to_owned(),
            credentials,
        }
    }

    /// `GET`/`POST` on the emulator's unsigned test endpoints.
    fn control(&self, method: &str, path: &str, body: &str) -> String {
        let host = self.endpoint.trim_start_matches("http://");
        let mut stream = TcpStream::connect(host).unwrap();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default()
    }

    /// The image-resizer function as the emulator holds it.
    fn function(&self) -> Value {
        self.function_named(ARN)
    }

    /// The function `arn` as the emulator holds it.
    fn function_named(&self, arn: &str) -> Value {
        let state: Value =
            serde_json::from_str(&self.control("GET", "/_emulator/state", "")).unwrap();
        state["functions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["arn"] == arn)
            .unwrap()
            .clone()
    }

    fn assert_clean(&self) {
        let f = self.function();
        assert_eq!(f["aliases"], json!([]), "aliases left: {f}");
        assert_eq!(f["versions"], json!([]), "versions left: {f}");
        assert_eq!(f["memory"], 1024, "memory not restored: {f}");
        assert_eq!(f["description"], "", "description not restored: {f}");
    }

    fn powertune(&self, dir: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(sibling_binary("powertune"));
        cmd.args(args)
            .args(["--endpoint-url", &self.endpoint, "--journal"])
            .arg(dir.join("journal"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", dir)
            .env(
                "AWS_ACCESS_KEY_ID",
                self.credentials["accessKeyId"].as_str().unwrap(),
            )
            .env(
                "AWS_SECRET_ACCESS_KEY",
                self.credentials["secretAccessKey"].as_str().unwrap(),
            )
            .env(
                "AWS_SESSION_TOKEN",
                self.credentials["sessionToken"].as_str().unwrap(),
            )
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true");
        cmd
    }
}

impl Emulator {
    /// `powertune run --quiet --input <input>` in the background, its output discarded.
    fn spawn_run(&self, dir: &Path, input: &Path) -> Child {
        self.powertune(dir, &["run", "--quiet"])
            .arg("--input")
            .arg(input)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `powertune` binary of this crate, or `lambda-emulator` built next to it (target/<profile>/,
/// built here first when missing, since Cargo builds only this crate's binaries for its tests).
fn sibling_binary(name: &str) -> PathBuf {
    if name == "powertune" {
        return PathBuf::from(env!("CARGO_BIN_EXE_powertune"));
    }
    let own = Path::new(env!("CARGO_BIN_EXE_powertune"));
    let path = own.with_file_name(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    static BUILD: std::sync::Once = std::sync::Once::new();
    BUILD.call_once(|| {
        let profile_dir = own.parent().unwrap();
        let release = profile_dir.file_name().is_some_and(|n| n == "release");
        let mut cargo = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cargo.args(["build", "--quiet", "-p", name, "--bin", name]);
        if release {
            cargo.arg("--release");
        }
        let status = cargo.status().expect("cargo runs");
        assert!(
            status.success(),
            "building {name} failed: run `cargo build -p {name}`"
        );
    });
    path
}

/// Every entry of every journal file in `dir`'s journal directory.
fn journal_entries(dir: &Path) -> Vec<Value> {
    let Ok(listing) = std::fs::read_dir(dir.join("journal")) else {
        return Vec::new();
    };
    listing
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .flat_map(|p| {
            let entries: Vec<Value> =
                serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
            entries
        })
        .collect()
}

fn write_input(dir: &Path, input: &Value) -> PathBuf {
    let path = dir.join("input.json");
    std::fs::write(&path, input.to_string()).unwrap();
    path
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("powertune runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

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
            .starts_with("#pt1.")
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
fn the_cost_check_fails_a_pipeline_when_the_current_memory_is_too_costly() {
    let emulator = Emulator::start(&["--time-scale", "0.01", "--update-ms", "100"]);
    let dir = tempfile::tempdir().unwrap();
    // image-resizer runs at 1024 MB; with the tested sizes the cheapest is another size.
    let input = write_input(
        dir.path(),
        &json!({"lambdaARN": ARN, "num": 5, "powerValues": [256, 1024, 4096]}),
    );
    let out = run(emulator
        .powertune(
            dir.path(),
            &["run", "--quiet", "--fail-if-costlier-than", "0"],
        )
        .arg("--input")
        .arg(&input));
    let err = stderr(&out);
    assert!(err.contains("check "), "{err}");
    let output: Value = serde_json::from_slice(&out.stdout).unwrap();
    let expect_fail = output["power"] != 1024;
    assert_eq!(
        out.status.code(),
        Some(if expect_fail { 1 } else { 0 }),
        "{err}"
    );
    let out = run(emulator
        .powertune(
            dir.path(),
            &["run", "--quiet", "--fail-if-costlier-than", "1000"],
        )
        .arg("--input")
        .arg(&input));
    assert!(out.status.success(), "{}", stderr(&out));
    emulator.assert_clean();
}

#[test]
fn policy_and_share_commands() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), &json!({"lambdaARN": ARN, "num": 5}));
    let out = Command::new(sibling_binary("powertune"))
        .args(["policy", "--input"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(out.status.success());
    let policy: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(policy["Statement"][0]["Resource"][1], format!("{ARN}:*"));

    let link = "https://lambda-power-tuning.show/#gAAAAQACAAQABsAL;ZooQR4yvkUa/pQRGRC5zRaADHUVjOftE;QdWhOEMkoziDT5Q4xhiIOMYYiDi6RNc4";
    let out = Command::new(sibling_binary("powertune"))
        .args(["share", "decode", link])
        .output()
        .unwrap();
    assert!(out.status.success());
    let runs: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(runs[0]["result"]["sizes"].as_array().unwrap().len(), 6);

    let out = Command::new(sibling_binary("powertune"))
        .args(["share", "decode", "#abc"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("';'-separated parts"),
        "{}",
        stderr(&out)
    );
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
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("could not read s3://payloads/input.json"),
        "{}",
        stderr(&out)
    );
    assert_eq!(emulator.function()["invocations"], 0);
    emulator.assert_clean();
}
