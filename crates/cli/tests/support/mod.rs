//! The CLI tests' shared parts: a `lambda-emulator` process, the `powertune` binary pointed at
//! it, and reading what a run left.
#![allow(dead_code)] // Each test binary uses its own part of it.

use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
};

use serde_json::{Value, json};

pub const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:image-resizer";

/// A running emulator (see powertune-testkit) with the CLI's view of it.
pub struct Emulator(pub powertune_testkit::Emulator);

impl std::ops::Deref for Emulator {
    type Target = powertune_testkit::Emulator;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl Emulator {
    pub fn start(args: &[&str]) -> Self {
        let mut all = vec!["--seed", "3"];
        all.extend_from_slice(args);
        Self(powertune_testkit::Emulator::start(&all))
    }

    /// The image-resizer function as the emulator holds it.
    pub fn function(&self) -> Value {
        self.0.function(ARN)
    }

    /// The function `arn` as the emulator holds it.
    pub fn function_named(&self, arn: &str) -> Value {
        self.0.function(arn)
    }

    pub fn assert_clean(&self) {
        let f = self.function();
        assert_eq!(f["aliases"], json!([]), "aliases left: {f}");
        assert_eq!(f["versions"], json!([]), "versions left: {f}");
        assert_eq!(f["memory"], 1024, "memory not restored: {f}");
        assert_eq!(f["description"], "", "description not restored: {f}");
    }

    pub fn powertune(&self, dir: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(powertune_binary());
        cmd.args(args)
            .args(["--endpoint-url", &self.endpoint, "--journal"])
            .arg(dir.join("journal"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", dir)
            .env("AWS_ACCESS_KEY_ID", self.credential("accessKeyId"))
            .env("AWS_SECRET_ACCESS_KEY", self.credential("secretAccessKey"))
            .env("AWS_SESSION_TOKEN", self.credential("sessionToken"))
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true");
        cmd
    }
}

impl Emulator {
    /// `powertune run --quiet --input <input>` in the background, its output discarded.
    pub fn spawn_run(&self, dir: &Path, input: &Path) -> Child {
        self.powertune(dir, &["run", "--quiet"])
            .arg("--input")
            .arg(input)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    }
}

/// The `powertune` binary of this crate.
pub fn powertune_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_powertune"))
}

/// Every entry of every journal file in `dir`'s journal directory.
pub fn journal_entries(dir: &Path) -> Vec<Value> {
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

pub fn write_input(dir: &Path, input: &Value) -> PathBuf {
    let path = dir.join("input.json");
    std::fs::write(&path, input.to_string()).unwrap();
    path
}

pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("powertune runs")
}

/// `out` ended with exit `code` and said `text` on stderr.
pub fn assert_exit(out: &Output, code: i32, text: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(err.contains(text), "expected {text:?} in: {err}");
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
