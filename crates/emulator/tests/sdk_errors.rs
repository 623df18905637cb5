//! The real SDK client (powertune-aws over aws-sdk-lambda) against the emulator served in-process:
//! each error shape the emulator answers reads as the domain's error a real Lambda would give.

use std::{sync::Arc, time::Duration};

use aws_credential_types::{Credentials, provider::SharedCredentialsProvider};
use lambda_emulator::{
    actor::SimHandle,
    routes::{AppState, app},
    sigv4::IssuedCredentials,
};
use powertune_aws::{AwsLambda, ClientSettings};
use powertune_tuner::{
    FunctionArn, MemoryMb,
    api::{ConfigUpdate, LambdaApi, LambdaError},
    sim::{Faults, sample_functions},
};
use serde_json::json;

const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:image-resizer";

struct Served {
    endpoint: String,
    sim: SimHandle,
    issued: IssuedCredentials,
}

async fn serve() -> Served {
    let issued = IssuedCredentials {
        access_key_id: "ASIAEMULATORTEST0001".into(),
        secret_access_key: "emulator-test-secret-000000000000000000000".into(),
        session_token: "emulator-test-token".into(),
    };
    let faults = Faults {
        // Long enough that a publish right after an update always conflicts.
        update_duration: Duration::from_secs(600),
        memory_quota_mb: 3008,
        time_scale: 0.0,
        ..Faults::default()
    };
    let sim = SimHandle::start(sample_functions("us-east-1"), 2, faults);
    let router = app(AppState {
        sim: sim.clone(),
        credentials: Arc::new(vec![issued.clone()]),
        cloudwatch_invocations: None,
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    Served {
        endpoint,
        sim,
        issued,
    }
}

fn client(served: &Served, secret: &str) -> AwsLambda {
    let credentials = Credentials::new(
        &served.issued.access_key_id,
        secret,
        Some(served.issued.session_token.clone()),
        None,
        "test",
    );
    AwsLambda::new(ClientSettings {
        credentials: SharedCredentialsProvider::new(credentials),
        endpoint_url: Some(served.endpoint.clone()),
    })
}

async fn set_faults(served: &Served, faults: serde_json::Value) {
    let config: lambda_emulator::control::FaultsConfig = serde_json::from_value(faults).unwrap();
    let faults = config.to_faults();
    served
        .sim
        .call(move |sim| async move { sim.set_faults(faults) })
        .await;
}

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
