//! [`LambdaApi`] over aws-sdk-lambda: one implementation for the browser and native code; only
//! the transport, timer and clock differ ([`crate::runtime`]).

use std::{cell::RefCell, collections::HashMap};

use aws_sdk_lambda::{
    Client,
    config::{BehaviorVersion, Region, SharedCredentialsProvider, retry::RetryConfig},
    primitives::Blob,
    types::{InvocationType, LogType},
};
use powertune_tuner::{
    FunctionArn,
    api::{
        ConfigUpdate, FunctionCode, FunctionConfig, FunctionDefinition, FunctionDetails,
        FunctionPage, FunctionSummary, InvokeOutput, LambdaApi, LambdaError, VersionSummary,
    },
};

use crate::{
    convert::{ConfigurationOutput as _, architecture_of},
    error::map_error,
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
        out.to_config(function)
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
            .set_revision_id(update.revision_id.clone())
            .send()
            .await
            .map_err(|e| map_error(e, "lambda:UpdateFunctionConfiguration"))?;
        out.to_config(function)
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
        tenant: Option<&str>,
        payload: &[u8],
    ) -> Result<InvokeOutput, LambdaError> {
        let out = self
            .for_function(function)
            .invoke()
            .function_name(function.to_string())
            .set_qualifier(qualifier.map(str::to_owned))
            .set_tenant_id(tenant.map(str::to_owned))
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

    async fn get_function(&self, function: &FunctionArn) -> Result<FunctionDetails, LambdaError> {
        crate::copies::get_function(&self.for_function(function), function).await
    }

    async fn create_function(
        &self,
        definition: &FunctionDefinition,
        code: &FunctionCode,
    ) -> Result<FunctionConfig, LambdaError> {
        crate::copies::create_function(&self.for_function(&definition.config.arn), definition, code)
            .await
    }

    async fn delete_function(&self, function: &FunctionArn) -> Result<(), LambdaError> {
        crate::copies::delete_function(&self.for_function(function), function).await
    }

    async fn layer_architectures(
        &self,
        layer: &str,
    ) -> Result<Vec<powertune_tuner::pricing::Architecture>, LambdaError> {
        // arn:aws:lambda:<region>:<account>:layer:<name>:<version>
        let region = layer.split(':').nth(3).unwrap_or_default();
        crate::copies::layer_architectures(&self.client(region), layer).await
    }
}
