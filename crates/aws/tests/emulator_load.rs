//! `lambda-emulator` under a bounded local load, through the SDK client the CLI uses: 200
//! signed invocations at once, five times over, with 10 % throttling injected. Every answer is a
//! result or the throttling it was told to inject, and the emulator's invocation count matches
//! the invocations that succeeded: its state stays consistent under concurrency.

#![cfg(not(target_arch = "wasm32"))]

use powertune_aws::{AwsLambda, ParsedCredentials};
use powertune_testkit::Emulator;
use powertune_tuner::{FunctionArn, api::LambdaApi, api::LambdaError};

const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:api-handler";

#[tokio::test(flavor = "current_thread")]
async fn two_hundred_concurrent_signed_invocations_give_results_or_the_injected_throttling() {
    let emulator = Emulator::start(&["--seed", "5", "--time-scale", "0.01"]);
    emulator.control(
        "POST",
        "/_emulator/faults",
        r#"{"throttleRate": 0.1, "timeScale": 0.01}"#,
    );
    let credentials = ParsedCredentials::from_fields(
        emulator.credential("accessKeyId"),
        emulator.credential("secretAccessKey"),
        emulator.credential("sessionToken"),
        powertune_aws::runtime::unix_now(),
        false,
    )
    .unwrap();
    let lambda = AwsLambda::from_parsed(&credentials, Some(emulator.endpoint.clone()));
    let arn: FunctionArn = ARN.parse().unwrap();
    let before = emulator.function(ARN)["invocations"].as_u64().unwrap();
    let (mut succeeded, mut throttled) = (0_u64, 0_u64);
    for _ in 0..5 {
        let calls = (0..200).map(|i| {
            let payload = format!("{{\"i\": {i}}}");
            let (lambda, arn) = (&lambda, &arn);
            async move { lambda.invoke(arn, None, None, payload.as_bytes()).await }
        });
        for answer in futures::future::join_all(calls).await {
            match answer {
                Ok(output) => {
                    assert!(output.function_error.is_none(), "{output:?}");
                    succeeded += 1;
                }
                Err(LambdaError::Throttled { .. }) => throttled += 1,
                Err(other) => panic!("an answer other than the injected throttling: {other:?}"),
            }
        }
    }
    assert_eq!(succeeded + throttled, 1000);
    assert!(throttled > 0, "10 % throttling was injected");
    let after = emulator.function(ARN)["invocations"].as_u64().unwrap();
    assert_eq!(
        after - before,
        succeeded,
        "the emulator counted every invocation it ran"
    );
}
