//! SDK errors turned into the domain's [`LambdaError`], once, here: AWS error codes, HTTP
//! statuses, XML bodies the SDK cannot parse, timeouts, and requests that never left.

use aws_sdk_lambda::error::{ProvideErrorMetadata, SdkError};
use powertune_tuner::api::LambdaError;

type HttpResponse = aws_smithy_runtime_api::client::orchestrator::HttpResponse;

/// Turns an SDK error into the domain's, once, here.
pub fn map_error<E>(error: SdkError<E, HttpResponse>, action: &str) -> LambdaError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let detail = format!(
        "{}",
        aws_smithy_types::error::display::DisplayErrorContext(&error)
    );
    match &error {
        SdkError::ServiceError(context) => {
            let raw = context.raw();
            let body = raw
                .body()
                .bytes()
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default();
            let code = context.err().code().unwrap_or_default();
            let message = context.err().message().unwrap_or_default();
            classify(code, raw.status().as_u16(), message, &body, action)
        }
        // The SDK's text names the timeout and its duration ("… occurred after 3s").
        SdkError::TimeoutError(_) => LambdaError::Timeout { message: detail },
        SdkError::DispatchFailure(_) if credentials_missing(&error) => {
            LambdaError::NoCredentials { message: detail }
        }
        SdkError::DispatchFailure(_) if cfg!(target_arch = "wasm32") => LambdaError::Network {
            message: format!(
                "the request did not reach the endpoint ({detail}); in a browser this is usually a blocked CORS request, a wrong endpoint URL, or no network"
            ),
        },
        SdkError::DispatchFailure(_) => LambdaError::Network {
            message: format!(
                "the request did not reach the endpoint ({detail}); check the endpoint URL and the network"
            ),
        },
        _ => LambdaError::Network { message: detail },
    }
}

/// Whether the request was never sent because no credentials could be loaded.
fn credentials_missing(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(e) = cause {
        if e.is::<aws_credential_types::provider::error::CredentialsError>() {
            return true;
        }
        cause = e.source();
    }
    false
}

/// The error for an AWS error code, HTTP status and message (also used for bodies the SDK
/// could not parse, such as XML errors).
pub fn classify(code: &str, status: u16, message: &str, body: &str, action: &str) -> LambdaError {
    let message = if message.is_empty() {
        body.trim().chars().take(300).collect()
    } else {
        message.to_owned()
    };
    let text = format!("{code} {message} {body}");
    let has = |needle: &str| text.contains(needle);
    match code {
        "TooManyRequestsException" | "ThrottlingException" | "Throttling" => {
            LambdaError::Throttled { message }
        }
        "ResourceConflictException" => LambdaError::Conflict { message },
        "PreconditionFailedException" => LambdaError::PreconditionFailed { message },
        "ResourceNotFoundException" => LambdaError::NotFound { message },
        "ExpiredTokenException" | "ExpiredToken" | "RequestExpired" => {
            LambdaError::ExpiredCredentials { message }
        }
        "UnrecognizedClientException"
        | "InvalidSignatureException"
        | "SignatureDoesNotMatch"
        | "InvalidClientTokenId"
        | "IncompleteSignatureException"
        | "MissingAuthenticationTokenException" => LambdaError::InvalidCredentials { message },
        "InvalidParameterValueException"
        | "ValidationException"
        | "InvalidRequestContentException"
        | "RequestTooLargeException" => LambdaError::InvalidRequest { message },
        "AccessDeniedException" | "AccessDenied" => LambdaError::AccessDenied {
            action: denied_action(&text).or_else(|| Some(action.to_owned())),
            message,
        },
        _ if status == 429 => LambdaError::Throttled { message },
        _ if status == 403 && (has("not authorized") || has("AccessDenied")) => {
            LambdaError::AccessDenied {
                action: denied_action(&text).or_else(|| Some(action.to_owned())),
                message,
            }
        }
        _ if status == 403
            && (has("Signature") || has("security token") || has("InvalidClientTokenId")) =>
        {
            if has("expired") {
                LambdaError::ExpiredCredentials { message }
            } else {
                LambdaError::InvalidCredentials { message }
            }
        }
        _ => LambdaError::Service {
            code: if code.is_empty() {
                "UnknownError".into()
            } else {
                code.to_owned()
            },
            status,
            message,
        },
    }
}

/// `lambda:PublishVersion` out of "… is not authorized to perform: lambda:PublishVersion on …".
fn denied_action(text: &str) -> Option<String> {
    let rest = text.split("perform: ").nth(1)?;
    let action: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == ':')
        .collect();
    action.contains(':').then_some(action)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        assert!(matches!(
            classify("TooManyRequestsException", 429, "Rate Exceeded.", "", "a"),
            LambdaError::Throttled { .. }
        ));
        assert!(matches!(
            classify("", 429, "", "", "a"),
            LambdaError::Throttled { .. }
        ));
        assert!(matches!(
            classify("ResourceConflictException", 409, "busy", "", "a"),
            LambdaError::Conflict { .. }
        ));
        assert!(matches!(
            classify("ExpiredTokenException", 403, "expired", "", "a"),
            LambdaError::ExpiredCredentials { .. }
        ));
        assert!(matches!(
            classify("InvalidSignatureException", 403, "bad", "", "a"),
            LambdaError::InvalidCredentials { .. }
        ));
        let denied = classify(
            "AccessDeniedException",
            403,
            "User: arn:aws:sts::123456789012:assumed-role/r/s is not authorized to perform: lambda:PublishVersion on resource: arn:aws:lambda:us-east-1:123456789012:function:f",
            "",
            "lambda:PublishVersion",
        );
        assert_eq!(
            denied.to_string().split(':').next().unwrap(),
            "access denied (the credentials need lambda"
        );
        assert!(
            matches!(denied, LambdaError::AccessDenied { action: Some(a), .. } if a == "lambda:PublishVersion")
        );
        // An XML error body (moto) that the SDK could not parse.
        let xml = "<ErrorResponse><Error><Code>AccessDenied</Code><Message>User: x is not authorized to perform: lambda:CreateAlias</Message></Error></ErrorResponse>";
        assert!(
            matches!(classify("", 403, "", xml, "lambda:CreateAlias"), LambdaError::AccessDenied { action: Some(a), .. } if a == "lambda:CreateAlias")
        );
        let bad_sig = "<Error><Code>SignatureDoesNotMatch</Code></Error>";
        assert!(matches!(
            classify("", 403, "", bad_sig, "x"),
            LambdaError::InvalidCredentials { .. }
        ));
        assert!(matches!(
            classify("Weird", 500, "oops", "", "x"),
            LambdaError::Service { status: 500, .. }
        ));
    }
}
