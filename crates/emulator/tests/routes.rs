//! The router in-process (tower's `oneshot`, no socket): Lambda's routes, its error shapes, CORS
//! and the test-control endpoints.

use std::{sync::Arc, time::Duration};

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
};
use lambda_emulator::{
    actor::SimHandle,
    routes::{AppState, app},
    sigv4::IssuedCredentials,
};
use powertune_tuner::sim::{Faults, sample_functions};
use serde_json::{Value, json};
use tower::ServiceExt as _;

const FUNCTION: &str = "/2015-03-31/functions/image-resizer";

fn router(signed: bool) -> Router {
    let faults = Faults {
        // Long enough that a publish right after an update always conflicts.
        update_duration: Duration::from_secs(600),
        time_scale: 0.0,
        ..Faults::default()
    };
    app(AppState {
        sim: SimHandle::start(sample_functions("us-east-1"), 1, faults),
        credentials: Arc::new(if signed {
            vec![IssuedCredentials {
                access_key_id: "ASIAEXAMPLE000000000".into(),
                secret_access_key: "secret".into(),
                session_token: "token".into(),
            }]
        } else {
            Vec::new()
        }),
        cloudwatch_invocations: None,
    })
}

struct Answer {
    status: StatusCode,
    error_type: Option<String>,
    body: Value,
    headers: axum::http::HeaderMap,
}

async fn call(router: &Router, method: &str, uri: &str, body: Value) -> Answer {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(if body.is_null() {
            Body::empty()
        } else {
            Body::from(body.to_string())
        })
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    Answer {
        status,
        error_type: headers
            .get("x-amzn-errortype")
            .map(|v| v.to_str().unwrap().to_owned()),
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        headers,
    }
}

#[tokio::test]
async fn errors_have_lambdas_status_code_and_message() {
    let r = router(false);
    let missing = call(
        &r,
        "GET",
        "/2015-03-31/functions/nope/configuration",
        Value::Null,
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(
        missing.error_type.as_deref(),
        Some("ResourceNotFoundException")
    );
    assert!(missing.body["message"].as_str().unwrap().contains("nope"));

    let too_big = call(
        &r,
        "PUT",
        &format!("{FUNCTION}/configuration"),
        json!({"MemorySize": 20000}),
    )
    .await;
    assert_eq!(too_big.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        too_big.error_type.as_deref(),
        Some("InvalidParameterValueException")
    );

    // Publishing while an update is in progress conflicts, as on Lambda.
    let updated = call(
        &r,
        "PUT",
        &format!("{FUNCTION}/configuration"),
        json!({"MemorySize": 512}),
    )
    .await;
    assert_eq!(updated.status, StatusCode::OK);
    assert_eq!(updated.body["LastUpdateStatus"], "InProgress");
    let conflict = call(&r, "POST", &format!("{FUNCTION}/versions"), json!({})).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert_eq!(
        conflict.error_type.as_deref(),
        Some("ResourceConflictException")
    );

    let malformed = call(
        &r,
        "POST",
        &format!("{FUNCTION}/aliases"),
        json!({"Name": "a"}),
    )
    .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);

    let absent = call(
        &r,
        "DELETE",
        "/2015-03-31/functions/no-such-copy",
        Value::Null,
    )
    .await;
    assert_eq!(absent.status, StatusCode::NOT_FOUND);
    assert_eq!(
        absent.error_type.as_deref(),
        Some("ResourceNotFoundException")
    );

    let unknown = call(&r, "GET", "/2015-03-31/layers", Value::Null).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(
        unknown.error_type.as_deref(),
        Some("UnknownOperationException")
    );
}

#[tokio::test]
async fn versions_aliases_and_invocations_round_trip() {
    let r = router(false);
    let config = call(&r, "GET", &format!("{FUNCTION}/configuration"), Value::Null).await;
    assert_eq!(config.body["MemorySize"], 1024);
    assert_eq!(config.body["Version"], "$LATEST");
    let version = call(&r, "POST", &format!("{FUNCTION}/versions"), json!({})).await;
    assert_eq!(version.status, StatusCode::CREATED, "{}", version.body);
    let number = version.body["Version"].as_str().unwrap().to_owned();
    let alias = call(
        &r,
        "POST",
        &format!("{FUNCTION}/aliases"),
        json!({"Name": "RAM1024", "FunctionVersion": number}),
    )
    .await;
    assert_eq!(alias.status, StatusCode::CREATED);
    let invoked = call(
        &r,
        "POST",
        &format!("{FUNCTION}/invocations?Qualifier=RAM1024"),
        json!({"x": 1}),
    )
    .await;
    assert_eq!(invoked.status, StatusCode::OK);
    // No log tail unless asked for (X-Amz-Log-Type: Tail).
    assert!(invoked.headers.get("x-amz-log-result").is_none());
    assert_eq!(invoked.headers["x-amz-executed-version"], number.as_str());
    let state = call(&r, "GET", "/_emulator/state", Value::Null).await;
    let f = state.body["functions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["arn"].as_str().unwrap().ends_with(":image-resizer"))
        .unwrap()
        .clone();
    assert_eq!(f["aliases"], json!(["RAM1024"]));
    assert_eq!(f["invocations"], 1);
    // A version behind an alias cannot be deleted.
    let protected = call(
        &r,
        "DELETE",
        &format!("{FUNCTION}?Qualifier={number}"),
        Value::Null,
    )
    .await;
    assert_eq!(
        protected.error_type.as_deref(),
        Some("ResourceConflictException")
    );
}

#[tokio::test]
async fn cors_is_answered_as_lambda_answers_it() {
    let r = router(true);
    let preflight = Request::builder()
        .method("OPTIONS")
        .uri(format!("{FUNCTION}/invocations"))
        .header("origin", "http://127.0.0.1:8080")
        .header("access-control-request-headers", "authorization,x-amz-date")
        .body(Body::empty())
        .unwrap();
    let response = r.clone().oneshot(preflight).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let h = response.headers();
    assert_eq!(h["access-control-allow-origin"], "*");
    assert_eq!(
        h["access-control-allow-headers"],
        "authorization,x-amz-date"
    );
    // Unsigned requests are refused, still with CORS headers so a page can read why.
    let unsigned = call(&r, "GET", &format!("{FUNCTION}/configuration"), Value::Null).await;
    assert_eq!(unsigned.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        unsigned.error_type.as_deref(),
        Some("MissingAuthenticationTokenException")
    );
    let exposed = unsigned.headers["access-control-expose-headers"]
        .to_str()
        .unwrap();
    assert!(exposed.contains("x-amz-log-result") && !exposed.contains("Executed-Version"));

    // A function's code downloads without CORS headers, as a presigned S3 URL may answer a
    // page: the web app must then ask for the package instead.
    let code = call(&r, "GET", "/_emulator/code/image-resizer", Value::Null).await;
    assert_eq!(code.status, StatusCode::OK);
    assert!(
        !code.headers.contains_key("access-control-allow-origin"),
        "{:?}",
        code.headers
    );
}

#[tokio::test]
async fn faults_can_be_changed_and_bad_ones_are_refused() {
    let r = router(false);
    let set = call(
        &r,
        "POST",
        "/_emulator/faults",
        json!({"throttleRate": 1.0}),
    )
    .await;
    assert_eq!(set.status, StatusCode::NO_CONTENT);
    let throttled = call(&r, "POST", &format!("{FUNCTION}/invocations"), json!({})).await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        throttled.error_type.as_deref(),
        Some("TooManyRequestsException")
    );
    let bad = call(
        &r,
        "POST",
        "/_emulator/faults",
        json!({"throttleRate": "lots"}),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}
