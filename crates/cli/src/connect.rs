//! Where a command reads its input and finds AWS: files, the credential chain, the Lambda and S3
//! endpoints, and the journal directory.

use std::{io::Read as _, path::Path};

use anyhow::Context as _;
use powertune_aws::{AwsLambda, ClientSettings};
use serde_json::Value;

use crate::{cli::ConnectArgs, exit::BadInput, journal_dir::JournalDir};

/// A file's text, or stdin for `-`.
pub fn read(path: &Path) -> anyhow::Result<String> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| BadInput(format!("cannot read stdin: {e}")))?;
        Ok(text)
    } else {
        std::fs::read_to_string(path)
            .map_err(|e| BadInput(format!("cannot read {}: {e}", path.display())).into())
    }
}

impl ConnectArgs {
    /// `--wait-limit` as a duration.
    pub fn wait_limit(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.wait_limit)
    }
}

pub type Provider = aws_credential_types::provider::SharedCredentialsProvider;

/// Credentials from the standard AWS chain (environment, profiles, SSO).
pub async fn credentials(region: Option<&str>) -> anyhow::Result<Provider> {
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
    if let Some(region) = region {
        loader = loader.region(aws_config::Region::new(region.to_owned()));
    }
    let config = loader.load().await;
    config.credentials_provider().context(
        "no AWS credentials found: set AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or AWS_PROFILE",
    )
}

pub fn lambda(connect: &ConnectArgs, credentials: Provider) -> AwsLambda {
    let endpoint_url = endpoint(&connect.endpoint_url, "AWS_ENDPOINT_URL_LAMBDA");
    AwsLambda::new(ClientSettings {
        credentials,
        endpoint_url,
    })
}

/// The credentials the chain provides now, for a call made without the SDK (to `service`).
async fn resolve(
    provider: &Provider,
    service: &str,
) -> anyhow::Result<aws_credential_types::Credentials> {
    use aws_credential_types::provider::ProvideCredentials as _;
    provider
        .provide_credentials()
        .await
        .with_context(|| format!("while resolving credentials for {service}"))
}

/// A service's endpoint: its flag, else its `AWS_ENDPOINT_URL_<SERVICE>` variable, else
/// `AWS_ENDPOINT_URL` (the SDKs' order); `None` for AWS's own.
fn endpoint(flag: &Option<String>, service_variable: &str) -> Option<String> {
    flag.clone()
        .or_else(|| std::env::var(service_variable).ok())
        .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok())
}

/// Reads the `payloadS3` object (in the function's region) and checks it against the input.
pub async fn s3_payload(
    connect: &ConnectArgs,
    provider: &Provider,
    location: &powertune_tuner::input::S3Location,
    region: &str,
) -> anyhow::Result<Value> {
    let credentials = resolve(provider, "S3").await?;
    let endpoint = endpoint(&connect.s3_endpoint_url, "AWS_ENDPOINT_URL_S3");
    Ok(
        powertune_aws::s3::fetch_payload(location, region, &credentials, endpoint.as_deref())
            .await?,
    )
}

/// The function's invocations over the last 30 days, from its CloudWatch metric.
pub async fn monthly_invocations(
    connect: &ConnectArgs,
    provider: &Provider,
    function: &powertune_tuner::FunctionArn,
) -> anyhow::Result<u64> {
    let credentials = resolve(provider, "CloudWatch").await?;
    let endpoint = endpoint(
        &connect.cloudwatch_endpoint_url,
        "AWS_ENDPOINT_URL_CLOUDWATCH",
    );
    Ok(
        powertune_aws::cloudwatch::monthly_invocations(function, &credentials, endpoint.as_deref())
            .await?,
    )
}

pub fn journal_dir(connect: &ConnectArgs) -> anyhow::Result<JournalDir> {
    JournalDir::open(
        &connect
            .journal
            .clone()
            .unwrap_or_else(JournalDir::default_path),
    )
}
