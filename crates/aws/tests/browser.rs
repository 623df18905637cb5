//! The browser transport: the SDK client compiled to wasm, in headless Chromium, signing requests
//! that `lambda-emulator` verifies, across origins (so CORS preflights and exposed headers are
//! exercised as with the real endpoints).
//!
//! `scripts/test.sh` starts the emulator and passes its endpoint and credentials at build time
//! (`POWERTUNE_TEST_ENDPOINT`, `…_KEY_ID`, `…_SECRET`, `…_TOKEN`).
#![cfg(target_arch = "wasm32")]

use aws_sdk_lambda::config::SharedCredentialsProvider;
use powertune_aws::{AwsLambda, ClientSettings};
use powertune_tuner::{
    FunctionArn, MemoryMb,
    api::{ConfigUpdate, LambdaApi, LambdaError},
    logs,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:api-handler";

/// A build-time setting from scripts/test.sh; checked at run time so the crate also builds for
/// lints.
fn setting(value: Option<&'static str>, name: &str) -> &'static str {
    value.unwrap_or_else(|| {
        panic!(
            "{name} is not set: run these tests through scripts/test.sh, which starts the emulator"
        )
    })
}

fn endpoint() -> &'static str {
    setting(
        option_env!("POWERTUNE_TEST_ENDPOINT"),
        "POWERTUNE_TEST_ENDPOINT",
    )
}

/// The emulator's credentials, with `secret` instead of its secret when given.
fn credentials(secret: Option<&str>) -> aws_credential_types::Credentials {
    aws_credential_types::Credentials::new(
        setting(
            option_env!("POWERTUNE_TEST_KEY_ID"),
            "POWERTUNE_TEST_KEY_ID",
        ),
        secret.unwrap_or(setting(
            option_env!("POWERTUNE_TEST_SECRET"),
            "POWERTUNE_TEST_SECRET",
        )),
        Some(setting(option_env!("POWERTUNE_TEST_TOKEN"), "POWERTUNE_TEST_TOKEN").to_owned()),
        None,
        "test",
    )
}

fn client(secret: Option<&str>) -> AwsLambda {
    AwsLambda::new(ClientSettings {
        credentials: SharedCredentialsProvider::new(credentials(secret)),
        endpoint_url: Some(endpoint().to_owned()),
    })
}

fn arn() -> FunctionArn {
    ARN.parse().unwrap()
}

#[wasm_bindgen_test]
async fn signed_requests_pass_and_the_log_tail_header_is_readable() {
    let client = client(None);
    // GET with an empty body, PUT with one, POST with a payload: each signed and verified.
    let config = client
        .get_function_configuration(&arn(), None)
        .await
        .unwrap();
    assert_eq!(config.arn, arn());
    let update = ConfigUpdate {
        memory: Some(MemoryMb::new(config.memory.get()).unwrap()),
        description: Some(String::new()),
        revision_id: None,
    };
    client
        .update_function_configuration(&arn(), &update)
        .await
        .unwrap();
    let out = client
        .invoke(&arn(), None, None, br#"{"from":"browser"}"#)
        .await
        .unwrap();
    assert_eq!(out.status, 200);
    let tail = out
        .log_tail
        .expect("X-Amz-Log-Result is exposed to the page");
    let report = logs::parse_base64(Some(&tail))
        .report
        .expect("the tail holds a REPORT");
    assert!(report.duration_ms > 0.0);
    assert_eq!(
        String::from_utf8(out.payload).unwrap(),
        r#"{"statusCode":200,"received":{"from":"browser"}}"#
    );
    let page = client.list_functions("us-east-1", None).await.unwrap();
    assert!(page.functions.iter().any(|f| f.arn == arn()));
}

#[wasm_bindgen_test]
async fn a_wrong_secret_gives_the_credentials_error_in_the_browser_too() {
    let err = client(Some("wrong-secret-wrong-secret-wrong-secret-00"))
        .get_function_configuration(&arn(), None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, LambdaError::InvalidCredentials { .. }),
        "{err:?}"
    );
}

#[wasm_bindgen_test]
async fn an_unreachable_endpoint_is_a_network_error_that_explains_itself() {
    let credentials = aws_credential_types::Credentials::new(
        "ASIAEXAMPLEKEY123456",
        "secret",
        Some("token".into()),
        None,
        "test",
    );
    let client = AwsLambda::new(ClientSettings {
        credentials: SharedCredentialsProvider::new(credentials),
        // Port 9 (discard) is closed on loopback.
        endpoint_url: Some("http://127.0.0.1:9".into()),
    });
    let err = client
        .get_function_configuration(&arn(), None)
        .await
        .unwrap_err();
    let LambdaError::Network { message } = &err else {
        panic!("{err:?}")
    };
    assert!(message.contains("CORS"), "{message}");
}

/// The CloudWatch read from the page: a signed form POST across origins, its XML answer read.
#[wasm_bindgen_test]
async fn monthly_invocations_are_read_from_cloudwatch_in_the_browser() {
    // scripts/test.sh starts the emulator with --cloudwatch-invocations 4500000.
    let n = powertune_aws::cloudwatch::monthly_invocations(
        &arn(),
        &credentials(None),
        Some(endpoint()),
    )
    .await
    .unwrap();
    assert_eq!(n, 4_500_000);
}
