//! The real SDK client (powertune-aws over aws-sdk-lambda) against the emulator served in-process:
//! each error shape the emulator answers reads as the domain's error a real Lambda would give.

mod support;

use powertune_tuner::{
    FunctionArn, MemoryMb,
    api::{ConfigUpdate, LambdaApi, LambdaError},
};
use serde_json::json;
use support::{ARN, client, serve, set_faults};

fn memory(mb: u32) -> ConfigUpdate {
    ConfigUpdate {
        memory: Some(MemoryMb::new(mb).unwrap()),
        description: None,
        revision_id: None,
    }
}

#[tokio::test]
async fn each_error_shape_reads_as_the_domains_error() {
    let served = serve().await;
    let lambda = client(&served, &served.issued.secret_access_key);
    let arn: FunctionArn = ARN.parse().unwrap();
    let missing: FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:nope"
        .parse()
        .unwrap();

    let e = lambda.get_function_configuration(&missing, None).await;
    assert!(
        matches!(e, Err(LambdaError::NotFound { ref message }) if message.contains("nope")),
        "{e:?}"
    );

    // Above the account's memory quota: refused as invalid, which fails only that size.
    let e = lambda
        .update_function_configuration(&arn, &memory(4096))
        .await;
    assert!(
        matches!(e, Err(LambdaError::InvalidRequest { .. })),
        "{e:?}"
    );

    lambda
        .update_function_configuration(&arn, &memory(512))
        .await
        .unwrap();
    let e = lambda.publish_version(&arn).await;
    assert!(matches!(e, Err(LambdaError::Conflict { .. })), "{e:?}");

    let e = lambda.get_alias(&arn, "RAM999").await;
    assert!(matches!(e, Err(LambdaError::NotFound { .. })), "{e:?}");

    set_faults(&served, json!({"throttleRate": 1.0, "timeScale": 0})).await;
    let e = lambda.invoke(&arn, None, None, b"{}").await;
    assert!(matches!(e, Err(LambdaError::Throttled { .. })), "{e:?}");
    assert!(e.unwrap_err().is_transient());

    set_faults(&served, json!({"serverErrorRate": 1.0, "timeScale": 0})).await;
    let e = lambda.get_function_configuration(&arn, None).await;
    assert!(
        matches!(e, Err(LambdaError::Service { status: 500, .. })),
        "{e:?}"
    );

    set_faults(&served, json!({"expireAfterCalls": 0, "timeScale": 0})).await;
    let e = lambda.get_function_configuration(&arn, None).await;
    assert!(
        matches!(e, Err(LambdaError::ExpiredCredentials { .. })),
        "{e:?}"
    );
    assert!(e.unwrap_err().is_fatal());
}

#[tokio::test]
async fn a_wrong_secret_reads_as_rejected_credentials() {
    let served = serve().await;
    let lambda = client(&served, "not-the-secret-0000000000000000000000000");
    let arn: FunctionArn = ARN.parse().unwrap();
    let e = lambda.get_function_configuration(&arn, None).await;
    assert!(
        matches!(e, Err(LambdaError::InvalidCredentials { .. })),
        "{e:?}"
    );
    let text = e.unwrap_err().to_string();
    assert!(
        text.contains("credentials were rejected") && !text.contains("not-the-secret"),
        "{text}"
    );
}

#[tokio::test]
async fn an_update_at_a_stale_revision_reads_as_a_failed_precondition() {
    let served = serve().await;
    set_faults(&served, json!({"updateMs": 0})).await;
    let lambda = client(&served, &served.issued.secret_access_key);
    let arn: FunctionArn = ARN.parse().unwrap();
    let read = lambda.get_function_configuration(&arn, None).await.unwrap();
    assert!(!read.revision_id.is_empty(), "{read:?}");
    let at = |revision: &str| ConfigUpdate {
        revision_id: Some(revision.to_owned()),
        ..memory(512)
    };
    // At the revision read: applied, and the revision moves on.
    let updated = lambda
        .update_function_configuration(&arn, &at(&read.revision_id))
        .await
        .unwrap();
    assert_ne!(updated.revision_id, read.revision_id);
    // At the old one again: refused, as Lambda refuses it.
    let e = lambda
        .update_function_configuration(&arn, &at(&read.revision_id))
        .await;
    assert!(
        matches!(e, Err(LambdaError::PreconditionFailed { .. })),
        "{e:?}"
    );
}
