//! What the native integration tests (the CLI's and the end-to-end ones) share: a
//! `lambda-emulator` process on a port of its own choosing, its temporary credentials, and its
//! unsigned test endpoints (`/_emulator/…`).

use std::{
    io::{BufRead as _, BufReader},
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::Once,
};

use serde_json::Value;

/// A running `lambda-emulator`, stopped on drop.
pub struct Emulator {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub endpoint: String,
    /// The JSON line it printed: `endpoint`, `accessKeyId`, `secretAccessKey`, `sessionToken`.
    pub credentials: Value,
}

impl Emulator {
    /// Starts one with `--port 0 args…` and reads the endpoint and credentials it prints.
    ///
    /// # Panics
    /// When it cannot be built or started, or prints no JSON line.
    pub fn start(args: &[&str]) -> Self {
        let binary = workspace_binary("lambda-emulator");
        let mut child = Command::new(&binary)
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "{} does not start ({e}): run `cargo build -p lambda-emulator`",
                    binary.display()
                )
            });
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout"))
            .read_line(&mut line)
            .expect("the emulator's first line");
        let credentials: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("the emulator prints its endpoint as JSON ({e}): {line:?}"));
        Self {
            child,
            endpoint: credentials["endpoint"]
                .as_str()
                .expect("an endpoint")
                .to_owned(),
            credentials,
        }
    }

    /// A credential field: `accessKeyId`, `secretAccessKey` or `sessionToken`.
    pub fn credential(&self, field: &str) -> &str {
        self.credentials[field].as_str().unwrap_or_default()
    }

    /// `method path` with a JSON `body` on the unsigned test endpoints; the response body.
    ///
    /// # Panics
    /// When the emulator does not answer.
    pub fn control(&self, method: &str, path: &str, body: &str) -> String {
        let url = format!("{}{path}", self.endpoint);
        let response = match method {
            "GET" => ureq::get(&url).call(),
            _ => ureq::post(&url)
                .header("Content-Type", "application/json")
                .send(body),
        };
        response
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
            .body_mut()
            .read_to_string()
            .expect("a text body")
    }

    /// Every function as the emulator holds it (`/_emulator/state`).
    pub fn state(&self) -> Value {
        serde_json::from_str(&self.control("GET", "/_emulator/state", ""))
            .expect("the state is JSON")
    }

    /// The function `arn` as the emulator holds it.
    ///
    /// # Panics
    /// When the emulator has no such function.
    pub fn function(&self, arn: &str) -> Value {
        self.state()["functions"]
            .as_array()
            .and_then(|functions| functions.iter().find(|f| f["arn"] == arn))
            .unwrap_or_else(|| panic!("the emulator has no function {arn}"))
            .clone()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A binary of this workspace in the profile directory the running test was built into
/// (`target/debug/`), built first when missing: Cargo builds a test's own crate's binaries, not
/// other crates'.
///
/// # Panics
/// When the build fails.
pub fn workspace_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test's path");
    // target/<profile>/deps/<test> → target/<profile>
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("a target directory")
        .to_owned();
    let path = profile_dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    static BUILD: Once = Once::new();
    BUILD.call_once(|| {
        let mut cargo = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cargo.args(["build", "--quiet", "-p", name, "--bin", name]);
        if profile_dir.file_name().is_some_and(|n| n == "release") {
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
