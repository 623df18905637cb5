//! [`LambdaApi`] over aws-sdk-lambda: one implementation for the browser and native code; only
//! the transport, timer and clock differ ([`crate::runtime`]).

use std::{cell::RefCell, collections::HashMap};

use aws_sdk_lambda::{
    Client,
    config::{BehaviorVersion, Region, SharedCredentialsProvider, retry::RetryConfig},
    error::{ProvideErrorMetadata, SdkError},
    primitives::Blob,
    types::{InvocationType, LogType},
};
use powertune_tuner::{
    FunctionArn, MemoryMb,
    api::{
        ConfigUpdate, FunctionConfig, FunctionPage, FunctionState, FunctionSummary, InvokeOutput,
        LambdaApi, LambdaError, LogFormat, UpdateStatus, VersionSummary,
    },
    pricing::Architecture,
};

/// Where and as whom to call Lambda.
#[derive(Debug, Clone)]
pub struct ClientSettings {
    /// Credentials for every call.
    pub credentials: SharedCredentialsProvider,
    /// Replaces `https://lambda.<region>.amazonaws.com` (the local emulator, LocalStack).
    pub endpoint_url: Option<String>,
}

/// Lambda through the AWS SDK, one client per region (functions and processors may live in
/// different regions).
#[derive(Debug)]
pub struct AwsLambda {
    settings: ClientSettings,
    clients: RefCell<HashMap<String, Client>>,
}

impl AwsLambda {
    /// A Lambda client with `settings`.
    pub fn new(settings: ClientSettings) -> Self {
        Self {
            settings,
            clients: RefCell::new(HashMap::new()),
        }
    }

    /// A client signing with pasted credentials.
    pub fn from_parsed(
        credentials: &crate::ParsedCredentials,
        endpoint_url: Option<String>,
    ) -> Self {
        Self::new(ClientSettings {
            credentials: SharedCredentialsProvider::new(credentials.to_sdk()),
            endpoint_url,
        })
    }

    fn client(&self, region: &str) -> Client {
        self.clients
            .borrow_mut()
            .entry(region.to_owned())
            .or_insert_with(|| {
                // Retries are the engine's: it backs off with jitter and reports throttling.
                let builder = aws_sdk_lambda::Config::builder()
                    .behavior_version(BehaviorVersion::latest())
                    .region(Region::new(region.to_owned()))
                    .credentials_provider(self.settings.credentials.clone())
                    .retry_config(RetryConfig::disabled());
                let builder = crate::runtime::configure(builder);
                let builder = match &self.settings.endpoint_url {
                    Some(url) => builder.endpoint_url(url),
                    None => builder,
                };
                Client::from_conf(builder.build())
            })
            .clone()
    }

    fn for_function(&self, function: &FunctionArn) -> Client {
        self.client(function.region())
    }
}

type HttpResponse = aws_smithy_runtime_api::client::orchestrator::HttpResponse;

/// Turns an SDK error into the domain's, once, here.
fn map_error<E>(error: SdkError<E, HttpResponse>, action: &str) -> LambdaError
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
        SdkError::TimeoutError(_) => LambdaError::Timeout(std::time::Duration::ZERO),
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

fn memory_of(mb: Option<i32>) -> Result<MemoryMb, LambdaError> {
    let mb = mb.unwrap_or(128);
    MemoryMb::new(u32::try_from(mb).unwrap_or(0)).map_err(|e| LambdaError::InvalidRequest {
        message: e.to_string(),
    })
}

fn architecture_of(archs: &[aws_sdk_lambda::types::Architecture]) -> Architecture {
    match archs.first() {
        Some(aws_sdk_lambda::types::Architecture::Arm64) => Architecture::Arm64,
        _ => Architecture::X86_64,
    }
}

/// The configuration fields shared by the Get and Update outputs.
macro_rules! function_config {
    ($arn:expr, $out:expr) => {{
        let out = $out;
        FunctionConfig {
            arn: $arn.clone(),
            version: out.version().unwrap_or("$LATEST").to_owned(),
            memory: memory_of(out.memory_size())?,
            description: out.description().unwrap_or_default().to_owned(),
            architecture: architecture_of(out.architectures()),
            timeout_s: out
                .timeout()
                .and_then(|t| u32::try_from(t).ok())
                .unwrap_or(3),
            ephemeral_storage_mb: out
                .ephemeral_storage()
                .and_then(|e| u32::try_from(e.size()).ok())
                .unwrap_or(512),
            log_format: match out.logging_config().and_then(|l| l.log_format()) {
                Some(aws_sdk_lambda::types::LogFormat::Json) => LogFormat::Json,
                _ => LogFormat::Text,
            },
            state: match out.state() {
                Some(aws_sdk_lambda::types::State::Pending) => FunctionState::Pending,
                Some(aws_sdk_lambda::types::State::Inactive) => FunctionState::Inactive,
                Some(aws_sdk_lambda::types::State::Failed) => {
                    FunctionState::Failed(out.state_reason().unwrap_or_default().to_owned())
                }
                _ => FunctionState::Active,
            },
            last_update_status: match out.last_update_status() {
                Some(aws_sdk_lambda::types::LastUpdateStatus::InProgress) => {
                    UpdateStatus::InProgress
                }
                Some(aws_sdk_lambda::types::LastUpdateStatus::Failed) => UpdateStatus::Failed(
                    out.last_update_status_reason()
                        .unwrap_or_default()
                        .to_owned(),
                ),
                _ => UpdateStatus::Successful,
            },
        }
    }};
}

impl LambdaApi for AwsLambda {
    async fn get_function_configuration(
        &self,
        function: &FunctionArn,
        qualifier: Option<&str>,
    ) -> Result<FunctionConfig, LambdaError> {
        let out = self
            .for_function(function)
            .get_function_configuration()
            .function_name(function.to_string())
            .set_qualifier(qualifier.map(str::to_owned))
            .send()
            .await
            .map_err(|e| map_error(e, "lambda:GetFunctionConfiguration"))?;
        Ok(function_config!(function, &out))
    }

    async fn update_function_configuration(
        &self,
        function: &FunctionArn,
        update: &ConfigUpdate,
    ) -> Result<FunctionConfig, LambdaError> {
        let out = self
            .for_function(function)
            .update_function_configuration()
            .function_name(function.to_string())
            .set_memory_size(update.memory.map(|m| m.get() as i32))
            .set_description(update.description.clone())
            .send()
            .await
            .map_err(|e| map_error(e, "lambda:UpdateFunctionConfiguration"))?;
        Ok(function_config!(function, &out))
    }

    async fn publish_version(&self, function: &FunctionArn) -> Result<String, LambdaError> {
        let out = self
            .for_function(function)
            .publish_version()
            .function_name(function.to_string())
            .send()
            .await
            .map_err(|e| map_error(e, "lambda:PublishVersion"))?;
        out.version()
            .map(str::to_owned)
            .ok_or_else(|| LambdaError::Service {
                code: "MissingVersion".into(),
                status: 200,
                message: "PublishVersion answered without a version number".into(),
            })
    }

    async fn get_alias(&self, function: &FunctionArn, alias: &str) -> Result<String, LambdaError> {
        let out = self
            .for_function(function)
            .get_alias()
            .function_name(function.to_string())
            .name(alias)
            .send()
            .await
            .map_err(|e| map_error(e, "lambda:GetAlias"))?;
        Ok(out.function_version().unwrap_or_default().to_owned())
    }

    async fn create_alias(
        &self,
        function: &FunctionArn,
        alias: &str,
        version: &str,
    ) -> Result<(), LambdaError> {
        self.for_function(function)
            .create_alias()
            .function_name(function.to_string())
            .name(alias)
            .function_version(version)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| map_error(e, "lambda:CreateAlias"))
    }

    async fn update_alias(
        &self,
        function: &FunctionArn,
        alias: &str,
        version: &str,
    ) -> Result<(), LambdaError> {
        self.for_function(function)
            .update_alias()
            .function_name(function.to_string())
            .name(alias)
            .function_version(version)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| map_error(e, "lambda:UpdateAlias"))
    }

    async fn delete_alias(&self, function: &FunctionArn, alias: &str) -> Result<(), LambdaError> {
        self.for_function(function)
            .delete_alias()
            .function_name(function.to_string())
            .name(alias)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| map_error(e, "lambda:DeleteAlias"))
    }

    async fn delete_version(
        &self,
        function: &FunctionArn,
        version: &str,
    ) -> Result<(), LambdaError> {
        self.for_function(function)
            .delete_function()
            .function_name(function.to_string())
            .qualifier(version)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| map_error(e, "lambda:DeleteFunction"))
    }

    async fn invoke(
        &self,
        function: &FunctionArn,
        qualifier: Option<&str>,
        payload: &[u8],
    ) -> Result<InvokeOutput, LambdaError> {
        let out = self
            .for_function(function)
            .invoke()
            .function_name(function.to_string())
            .set_qualifier(qualifier.map(str::to_owned))
            .invocation_type(InvocationType::RequestResponse)
            .log_type(LogType::Tail)
            .payload(Blob::new(payload))
            .send()
            .await
            .map_err(|e| map_error(e, "lambda:InvokeFunction"))?;
        Ok(InvokeOutput {
            status: u16::try_from(out.status_code()).unwrap_or(200),
            function_error: out.function_error().map(str::to_owned),
            log_tail: out.log_result().map(str::to_owned),
            payload: out
                .payload()
                .map(|b| b.as_ref().to_vec())
                .unwrap_or_default(),
        })
    }

    async fn list_functions(
        &self,
        region: &str,
        marker: Option<&str>,
    ) -> Result<FunctionPage, LambdaError> {
        let out = self
            .client(region)
            .list_functions()
            .set_marker(marker.map(str::to_owned))
            .send()
            .await
            .map_err(|e| map_error(e, "lambda:ListFunctions"))?;
        Ok(FunctionPage {
            functions: out
                .functions()
                .iter()
                .filter_map(|f| {
                    Some(FunctionSummary {
                        arn: f.function_arn()?.parse().ok()?,
                        memory: f
                            .memory_size()
                            .and_then(|m| u32::try_from(m).ok())
                            .unwrap_or(128),
                        runtime: f
                            .runtime()
                            .map(|r| r.as_str().to_owned())
                            .unwrap_or_default(),
                        architecture: architecture_of(f.architectures()),
                    })
                })
                .collect(),
            next_marker: out.next_marker().map(str::to_owned),
        })
    }

    async fn list_versions(
        &self,
        function: &FunctionArn,
    ) -> Result<Vec<VersionSummary>, LambdaError> {
        let mut versions = Vec::new();
        let mut marker = None::<String>;
        loop {
            let out = self
                .client(function.region())
                .list_versions_by_function()
                .function_name(function.to_string())
                .set_marker(marker.take())
                .send()
                .await
                .map_err(|e| map_error(e, "lambda:ListVersionsByFunction"))?;
            versions.extend(
                out.versions()
                    .iter()
                    .filter(|v| v.version() != Some("$LATEST"))
                    .filter_map(|v| {
                        Some(VersionSummary {
                            version: v.version()?.to_owned(),
                            memory: v.memory_size().and_then(|m| u32::try_from(m).ok())?,
                            description: v.description().unwrap_or_default().to_owned(),
                        })
                    }),
            );
            marker = out.next_marker().map(str::to_owned);
            if marker.is_none() {
                return Ok(versions);
            }
        }
    }
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
