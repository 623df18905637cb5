//! Our Lambda client against moto in IAM-enforced mode: moto recomputes every SigV4 signature
//! with botocore (an implementation independent of ours) and checks IAM policies.
//!
//! Needs `tools/venv` with `moto[server]==5.2.5` (installed by `scripts/setup.sh test`). Only
//! POST and PUT operations are used: moto fails signature checks of every signed request with an
//! empty body (its bug; see `docs/platform-facts.md`), and our client is not bent to it.
#![cfg(not(target_arch = "wasm32"))]

use std::{
    net::TcpListener,
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use aws_sdk_lambda::config::SharedCredentialsProvider;
use powertune_aws::{
    AwsLambda, ClientSettings,
    cloudwatch::{self, CloudWatchError},
    s3::{S3Error, fetch_payload},
};
use powertune_tuner::{
    FunctionArn, MemoryMb,
    api::{ConfigUpdate, LambdaApi, LambdaError},
    input::S3Location,
};
use serde_json::Value;

fn venv() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tools/venv/bin");
    dir.join("moto_server").exists().then_some(dir)
}

/// A moto server prepared by `moto_setup.py`, stopped on drop.
struct Moto {
    child: Child,
    endpoint: String,
    setup: Value,
}

impl Moto {
    /// `None` when moto is not installed and this is not CI (where it must be).
    fn start(without: &[&str]) -> Option<Self> {
        let Some(bin) = venv() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "moto is not installed: run scripts/setup.sh test (it installs moto[server]==5.2.5 into tools/venv)"
            );
            eprintln!("skipping: moto is not installed (scripts/setup.sh test installs it)");
            return None;
        };
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(bin.join("moto_server"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server starts");
        let endpoint = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "moto_server did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut setup = Command::new(bin.join("python"));
        setup
            .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/moto_setup.py"))
            .arg(&endpoint);
        for action in without {
            setup.args(["--without", action]);
        }
        let out = setup.output().expect("moto_setup.py runs");
        assert!(
            out.status.success(),
            "moto_setup.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let setup: Value = serde_json::from_slice(&out.stdout).expect("moto_setup.py prints JSON");
        Some(Self {
            child,
            endpoint,
            setup,
        })
    }

    fn credentials(&self) -> aws_credential_types::Credentials {
        aws_credential_types::Credentials::new(
            self.setup["accessKeyId"].as_str().unwrap(),
            self.setup["secretAccessKey"].as_str().unwrap(),
            Some(self.setup["sessionToken"].as_str().unwrap().to_owned()),
            None,
            "test",
        )
    }

    async fn s3(&self, key: &str) -> Result<serde_json::Value, S3Error> {
        let location = S3Location {
            bucket: "payloads".into(),
            key: key.into(),
        };
        fetch_payload(
            &location,
            "us-east-1",
            &self.credentials(),
            Some(&self.endpoint),
        )
        .await
    }

    fn client(&self, secret: Option<&str>) -> AwsLambda {
        let credentials = aws_credential_types::Credentials::new(
            self.setup["accessKeyId"].as_str().unwrap(),
            secret.unwrap_or(self.setup["secretAccessKey"].as_str().unwrap()),
            Some(self.setup["sessionToken"].as_str().unwrap().to_owned()),
            None,
            "test",
        );
        AwsLambda::new(ClientSettings {
            credentials: SharedCredentialsProvider::new(credentials),
            endpoint_url: Some(self.endpoint.clone()),
        })
    }

    fn function(&self) -> FunctionArn {
        self.setup["functionArn"].as_str().unwrap().parse().unwrap()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn memory(mb: u32) -> ConfigUpdate {
    ConfigUpdate {
        memory: Some(MemoryMb::new(mb).unwrap()),
        description: Some(" - RAM512".into()),
        revision_id: None,
    }
}

#[tokio::test(flavor = "current_thread")]
async fn temporary_credentials_sign_post_and_put_operations_that_moto_accepts() {
    let Some(moto) = Moto::start(&[]) else { return };
    let client = moto.client(None);
    let f = moto.function();
    let updated = client
        .update_function_configuration(&f, &memory(512))
        .await
        .unwrap();
    assert_eq!(updated.memory.get(), 512);
    assert_eq!(updated.description, " - RAM512");
    let version = client.publish_version(&f).await.unwrap();
    assert!(!version.is_empty());
    client.create_alias(&f, "RAM512", &version).await.unwrap();
    client.update_alias(&f, "RAM512", &version).await.unwrap();
    let out = client
        .invoke(&f, Some("RAM512"), None, br#"{"hello":"moto"}"#)
        .await
        .unwrap();
    assert_eq!(out.status, 200);
    assert!(out.function_error.is_none());
}

#[tokio::test(flavor = "current_thread")]
async fn a_wrong_secret_is_rejected_with_our_clear_error() {
    let Some(moto) = Moto::start(&[]) else { return };
    let client = moto.client(Some("this-is-not-the-secret-key-00000000000000"));
    let err = client
        .update_function_configuration(&moto.function(), &memory(512))
        .await
        .unwrap_err();
    assert!(
        matches!(err, LambdaError::InvalidCredentials { .. }),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(text.contains("credentials were rejected"), "{text}");
    assert!(!text.contains("this-is-not-the-secret"), "{text}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_missing_permission_names_the_action() {
    let Some(moto) = Moto::start(&["lambda:PublishVersion"]) else {
        return;
    };
    let client = moto.client(None);
    let f = moto.function();
    // Allowed actions still work with these credentials ...
    client
        .update_function_configuration(&f, &memory(256))
        .await
        .unwrap();
    // ... and the missing one is named.
    let err = client.publish_version(&f).await.unwrap_err();
    assert!(
        matches!(&err, LambdaError::AccessDenied { action: Some(a), .. } if a == "lambda:PublishVersion"),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("the credentials need lambda:PublishVersion"),
        "{err}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn s3_payloads_are_read_with_signed_requests() {
    let Some(moto) = Moto::start(&[]) else { return };
    let weighted = moto.s3("dir/weighted.json").await.unwrap();
    assert_eq!(weighted[0]["weight"], 3);
    assert!(powertune_tuner::payload::is_weighted(&weighted));
    assert_eq!(
        moto.s3("plain.txt").await.unwrap(),
        serde_json::json!("just a string")
    );
    assert!(matches!(
        moto.s3("missing.json").await,
        Err(S3Error::NotFound(_))
    ));
    let err = moto.s3("big.bin").await.unwrap_err();
    assert!(
        matches!(err, S3Error::TooLarge(_, n) if n > 7_000_000),
        "{err:?}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn s3_without_get_object_is_a_clear_permission_error() {
    let Some(moto) = Moto::start(&["s3:GetObject"]) else {
        return;
    };
    let err = moto.s3("dir/weighted.json").await.unwrap_err();
    assert!(matches!(err, S3Error::Forbidden(..)), "{err:?}");
    assert!(
        err.to_string()
            .contains("s3:GetObject on arn:aws:s3:::payloads/dir/weighted.json"),
        "{err}"
    );
}

#[tokio::test]
async fn monthly_invocations_are_the_last_30_days_of_the_invocations_metric() {
    let Some(moto) = Moto::start(&[]) else {
        return;
    };
    let n = cloudwatch::monthly_invocations(
        &moto.function(),
        &moto.credentials(),
        Some(&moto.endpoint),
    )
    .await
    .unwrap();
    // 1,000,000 + 250; the datapoint 45 days ago is outside the window.
    assert_eq!(n, 1_000_250);
    // A function with no traffic says so and what to do.
    let other: FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:idle"
        .parse()
        .unwrap();
    let err = cloudwatch::monthly_invocations(&other, &moto.credentials(), Some(&moto.endpoint))
        .await
        .unwrap_err();
    assert!(matches!(err, CloudWatchError::NoData(_)), "{err:?}");
}

#[tokio::test]
async fn monthly_invocations_without_permission_name_the_action() {
    let Some(moto) = Moto::start(&["cloudwatch:GetMetricStatistics"]) else {
        return;
    };
    let err = cloudwatch::monthly_invocations(
        &moto.function(),
        &moto.credentials(),
        Some(&moto.endpoint),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, CloudWatchError::Forbidden(_)), "{err:?}");
    assert!(err.to_string().contains("cloudwatch:GetMetricStatistics"));
}
