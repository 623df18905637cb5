//! Errors in the shape the AWS SDKs parse for restJson services: the status, the
//! `x-amzn-ErrorType` header with AWS's code, and `{"message": …}`.

use axum::{
    http::{HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use powertune_tuner::api::LambdaError;
use serde_json::json;

/// An error in the shape the AWS SDKs parse for restJson services.
pub fn aws_error(status: StatusCode, code: &str, message: &str) -> Response {
    let mut response = (
        status,
        axum::Json(json!({"Type": "User", "message": message})),
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(code) {
        response.headers_mut().insert("x-amzn-errortype", value);
    }
    response
}

/// A domain error answered as Lambda would answer it.
pub struct ApiError(pub LambdaError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = match &self.0 {
            LambdaError::Throttled { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, "TooManyRequestsException")
            }
            LambdaError::Conflict { .. } => (StatusCode::CONFLICT, "ResourceConflictException"),
            LambdaError::PreconditionFailed { .. } => (
                StatusCode::PRECONDITION_FAILED,
                "PreconditionFailedException",
            ),
            LambdaError::NotFound { .. } => (StatusCode::NOT_FOUND, "ResourceNotFoundException"),
            LambdaError::AccessDenied { .. } => (StatusCode::FORBIDDEN, "AccessDeniedException"),
            LambdaError::ExpiredCredentials { .. } => {
                (StatusCode::FORBIDDEN, "ExpiredTokenException")
            }
            LambdaError::InvalidCredentials { .. } => {
                (StatusCode::FORBIDDEN, "UnrecognizedClientException")
            }
            LambdaError::InvalidRequest { .. } => {
                (StatusCode::BAD_REQUEST, "InvalidParameterValueException")
            }
            _ => (StatusCode::INTERNAL_SERVER_ERROR, "ServiceException"),
        };
        let message = match self.0 {
            LambdaError::Throttled { message }
            | LambdaError::Conflict { message }
            | LambdaError::PreconditionFailed { message }
            | LambdaError::NotFound { message }
            | LambdaError::AccessDenied { message, .. }
            | LambdaError::ExpiredCredentials { message }
            | LambdaError::InvalidCredentials { message }
            | LambdaError::InvalidRequest { message }
            | LambdaError::Service { message, .. }
            | LambdaError::Network { message } => message,
            other => other.to_string(),
        };
        aws_error(status, code, &message)
    }
}

/// What a Lambda handler answers.
pub type ApiResult = Result<Response, ApiError>;

/// An `InvalidParameterValueException`.
pub fn invalid(message: String) -> ApiError {
    ApiError(LambdaError::InvalidRequest { message })
}
