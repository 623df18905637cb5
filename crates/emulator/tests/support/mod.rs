//! The emulator served in-process on 127.0.0.1, and the real SDK client (powertune-aws over
//! aws-sdk-lambda) signing for it.
#![allow(dead_code)] // Each test binary uses some of these.

use std::{sync::Arc, time::Duration};

use aws_credential_types::{Credentials, provider::SharedCredentialsProvider};
use lambda_emulator::{
    actor::SimHandle,
    routes::{AppState, app},
    sigv4::IssuedCredentials,
};
use powertune_aws::{AwsLambda, ClientSettings};
use powertune_tuner::sim::{Faults, sample_functions};

pub const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:image-resizer";

pub struct Served {
    pub endpoint: String,
    pub sim: SimHandle,
    pub issued: IssuedCredentials,
}

pub async fn serve() -> Served {
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

pub fn client(served: &Served, secret: &str) -> AwsLambda {
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

pub async fn set_faults(served: &Served, faults: serde_json::Value) {
    let config: lambda_emulator::control::FaultsConfig = serde_json::from_value(faults).unwrap();
    let faults = config.to_faults();
    served
        .sim
        .call(move |sim| async move { sim.set_faults(faults) })
        .await;
}
