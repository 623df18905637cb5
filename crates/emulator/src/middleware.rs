//! What every request passes through: CORS as Lambda answers it, and the SigV4 check.

use axum::{
    body::Body,
    extract::State,
    http::{HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::{errors::aws_error, sigv4, state::AppState};

/// Headers a browser may read, exactly as Lambda exposes them (`X-Amz-Executed-Version` is not).
const EXPOSED_HEADERS: &str = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date,x-amz-log-result,x-amz-function-error";

/// CORS as Lambda answers it: preflights for any origin, echoing the requested headers.
pub async fn cors(request: axum::extract::Request, next: Next) -> Response {
    if request.method() == Method::OPTIONS {
        let requested = request
            .headers()
            .get("access-control-request-headers")
            .cloned();
        let mut response = StatusCode::OK.into_response();
        let h = response.headers_mut();
        h.insert("access-control-allow-origin", HeaderValue::from_static("*"));
        h.insert(
            "access-control-allow-methods",
            HeaderValue::from_static("GET,PUT,POST,DELETE,OPTIONS"),
        );
        if let Some(requested) = requested {
            h.insert("access-control-allow-headers", requested);
        }
        h.insert("access-control-max-age", HeaderValue::from_static("172800"));
        return response;
    }
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    h.insert(
        "access-control-expose-headers",
        HeaderValue::from_static(EXPOSED_HEADERS),
    );
    response
}

/// Checks the SigV4 signature of every Lambda request.
pub async fn authenticate(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: Next,
) -> Response {
    if state.credentials.is_empty() {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 16 * 1024 * 1024).await else {
        return aws_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestTooLargeException",
            "Request must be smaller than 6291456 bytes",
        );
    };
    if let Err(e) = sigv4::verify(
        &state.credentials,
        &parts.method,
        &parts.uri,
        &parts.headers,
        &bytes,
    ) {
        let status = if e.code == "MissingAuthenticationTokenException"
            || e.code == "IncompleteSignatureException"
        {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::FORBIDDEN
        };
        return aws_error(status, e.code, &e.message);
    }
    next.run(axum::extract::Request::from_parts(parts, Body::from(bytes)))
        .await
}
