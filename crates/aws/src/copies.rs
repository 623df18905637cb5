//! `GetFunction`, `CreateFunction` and `DeleteFunction` over aws-sdk-lambda: copying a function
//! to the other architecture.

use aws_sdk_lambda::{
    Client,
    operation::create_function::builders::CreateFunctionFluentBuilder,
    primitives::Blob,
    types::{
        Architecture as SdkArchitecture, Environment, EphemeralStorage, FileSystemConfig,
        FunctionCode as SdkCode, FunctionConfiguration, LogFormat as SdkLogFormat, LoggingConfig,
        PackageType as SdkPackageType, Runtime, TracingConfig, TracingMode, VpcConfig,
    },
};
use powertune_tuner::{
    FunctionArn,
    api::{
        FileSystem, FunctionCode, FunctionConfig, FunctionDefinition, FunctionDetails, LambdaError,
        LogFormat, Package, Vpc,
    },
    pricing::Architecture,
};

use crate::{convert::ConfigurationOutput as _, error::map_error};

/// The function's code, for a copy: its .zip package downloaded from `Code.Location`, or, for a
/// container image (built for one architecture), `copy_image_uri`: the image built for the
/// other.
pub async fn download_package(
    package: &Package,
    copy_image_uri: Option<&str>,
) -> Result<FunctionCode, String> {
    match package {
        Package::Image { .. } => copy_image_uri
            .map(|uri| FunctionCode::Image(uri.to_owned()))
            .ok_or_else(|| {
                "it is a container image, which is built for one architecture: give the image built for the other as \"copyImageUri\"".to_owned()
            }),
        Package::Zip { size, .. } if *size > powertune_tuner::api::INLINE_LIMIT => Err(format!(
            "its package is {} MB, over the 50 MB CreateFunction takes inline",
            size / 1024 / 1024
        )),
        Package::Zip { location: None, .. } => {
            Err("GetFunction gave no Code.Location to download its package from".into())
        }
        Package::Zip {
            location: Some(url),
            ..
        } => match crate::http_get::get(url, Vec::new()).await {
            Ok((200, bytes)) => Ok(FunctionCode::Zip(bytes)),
            Ok((status, _)) => Err(format!(
                "downloading its package from Code.Location answered HTTP {status}"
            )),
            Err(e) => Err(format!("downloading its package from Code.Location: {e}")),
        },
    }
}

/// `GetFunction` of `function`'s `$LATEST`.
pub async fn get_function(
    client: &Client,
    function: &FunctionArn,
) -> Result<FunctionDetails, LambdaError> {
    let out = client
        .get_function()
        .function_name(function.to_string())
        .send()
        .await
        .map_err(|e| map_error(e, "lambda:GetFunction"))?;
    let configuration = out.configuration().ok_or_else(|| LambdaError::Service {
        code: "MissingConfiguration".into(),
        status: 200,
        message: "GetFunction answered without the function's configuration".into(),
    })?;
    let code = out.code();
    let package = match code.and_then(|c| c.image_uri()) {
        Some(uri) => Package::Image {
            uri: uri.to_owned(),
        },
        None => Package::Zip {
            location: code.and_then(|c| c.location()).map(str::to_owned),
            size: u64::try_from(configuration.code_size()).unwrap_or(0),
        },
    };
    Ok(FunctionDetails {
        definition: definition(configuration, function, out.tags())?,
        package,
    })
}

fn definition(
    c: &FunctionConfiguration,
    function: &FunctionArn,
    tags: Option<&std::collections::HashMap<String, String>>,
) -> Result<FunctionDefinition, LambdaError> {
    Ok(FunctionDefinition {
        config: c.to_config(function)?,
        handler: c.handler().map(str::to_owned),
        role: c.role().unwrap_or_default().to_owned(),
        environment: c
            .environment()
            .and_then(|e| e.variables())
            .map(|v| v.clone().into_iter().collect())
            .unwrap_or_default(),
        layers: c
            .layers()
            .iter()
            .filter_map(|l| l.arn().map(str::to_owned))
            .collect(),
        vpc: c
            .vpc_config()
            .filter(|v| !v.subnet_ids().is_empty())
            .map(|v| Vpc {
                subnet_ids: v.subnet_ids().to_vec(),
                security_group_ids: v.security_group_ids().to_vec(),
            }),
        tracing: c
            .tracing_config()
            .and_then(|t| t.mode())
            .map(|m| m.as_str().to_owned()),
        log_group: c
            .logging_config()
            .and_then(|l| l.log_group())
            .map(str::to_owned),
        file_systems: c
            .file_system_configs()
            .iter()
            .map(|f| FileSystem {
                arn: f.arn().to_owned(),
                local_mount_path: f.local_mount_path().to_owned(),
            })
            .collect(),
        tags: tags
            .map(|t| t.clone().into_iter().collect())
            .unwrap_or_default(),
    })
}

/// `CreateFunction` of `definition` with `code`.
pub async fn create_function(
    client: &Client,
    definition: &FunctionDefinition,
    code: &FunctionCode,
) -> Result<FunctionConfig, LambdaError> {
    let out = request(client, definition, code)?
        .send()
        .await
        .map_err(|e| map_error(e, "lambda:CreateFunction"))?;
    out.to_config(&definition.config.arn)
}

/// The `CreateFunction` request of `definition` with `code`.
fn request(
    client: &Client,
    definition: &FunctionDefinition,
    code: &FunctionCode,
) -> Result<CreateFunctionFluentBuilder, LambdaError> {
    let from = definition;
    let invalid = |e: aws_smithy_types::error::operation::BuildError| LambdaError::InvalidRequest {
        message: e.to_string(),
    };
    let image = matches!(code, FunctionCode::Image(_));
    let code = match code {
        FunctionCode::Zip(bytes) => SdkCode::builder().zip_file(Blob::new(bytes.clone())),
        FunctionCode::S3 { bucket, key } => SdkCode::builder().s3_bucket(bucket).s3_key(key),
        FunctionCode::Image(uri) => SdkCode::builder().image_uri(uri),
    }
    .build();
    let file_systems = from
        .file_systems
        .iter()
        .map(|f| {
            FileSystemConfig::builder()
                .arn(&f.arn)
                .local_mount_path(&f.local_mount_path)
                .build()
                .map_err(invalid)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(client
        .create_function()
        .function_name(from.config.arn.to_string())
        .role(&from.role)
        .set_handler(from.handler.clone().filter(|_| !image))
        .set_runtime(
            from.config
                .platform
                .runtime
                .as_deref()
                .filter(|_| !image)
                .map(Runtime::from),
        )
        .package_type(if image {
            SdkPackageType::Image
        } else {
            SdkPackageType::Zip
        })
        .code(code)
        .description(&from.config.description)
        .timeout(i32::try_from(from.config.timeout_s).unwrap_or(3))
        .memory_size(i32::try_from(from.config.memory.get()).unwrap_or(128))
        .ephemeral_storage(
            EphemeralStorage::builder()
                .size(i32::try_from(from.config.ephemeral_storage_mb).unwrap_or(512))
                .build()
                .map_err(invalid)?,
        )
        .environment(
            Environment::builder()
                .set_variables(Some(from.environment.clone().into_iter().collect()))
                .build(),
        )
        .set_layers(Some(from.layers.clone()))
        .set_vpc_config(from.vpc.as_ref().map(|v| {
            VpcConfig::builder()
                .set_subnet_ids(Some(v.subnet_ids.clone()))
                .set_security_group_ids(Some(v.security_group_ids.clone()))
                .build()
        }))
        .set_tracing_config(
            from.tracing
                .as_deref()
                .map(|m| TracingConfig::builder().mode(TracingMode::from(m)).build()),
        )
        .logging_config(
            LoggingConfig::builder()
                .log_format(match from.config.log_format {
                    LogFormat::Json => SdkLogFormat::Json,
                    LogFormat::Text => SdkLogFormat::Text,
                })
                .set_log_group(from.log_group.clone())
                .build(),
        )
        .set_file_system_configs((!file_systems.is_empty()).then_some(file_systems))
        .architectures(match from.config.architecture {
            Architecture::Arm64 => SdkArchitecture::Arm64,
            Architecture::X86_64 => SdkArchitecture::X8664,
        })
        .set_tags(Some(from.tags.clone().into_iter().collect())))
}

/// `DeleteFunction` of the whole function.
pub async fn delete_function(client: &Client, function: &FunctionArn) -> Result<(), LambdaError> {
    client
        .delete_function()
        .function_name(function.to_string())
        .send()
        .await
        .map(|_| ())
        .map_err(|e| map_error(e, "lambda:DeleteFunction"))
}

/// `GetLayerVersionByArn`: the layer version's `CompatibleArchitectures`.
pub async fn layer_architectures(
    client: &Client,
    layer: &str,
) -> Result<Vec<Architecture>, LambdaError> {
    let out = client
        .get_layer_version_by_arn()
        .arn(layer)
        .send()
        .await
        .map_err(|e| map_error(e, "lambda:GetLayerVersion"))?;
    Ok(out
        .compatible_architectures()
        .iter()
        .filter_map(|a| match a {
            SdkArchitecture::X8664 => Some(Architecture::X86_64),
            SdkArchitecture::Arm64 => Some(Architecture::Arm64),
            _ => None,
        })
        .collect())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn an_image_function_is_copied_from_the_image_given_for_the_other_architecture() {
        let image = Package::Image {
            uri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/f:x86".into(),
        };
        let other = "123456789012.dkr.ecr.us-east-1.amazonaws.com/f:arm64";
        let code = futures::executor::block_on(download_package(&image, Some(other)));
        assert_eq!(code, Ok(FunctionCode::Image(other.into())));
        let refused = futures::executor::block_on(download_package(&image, None)).unwrap_err();
        assert!(refused.contains("\"copyImageUri\""), "{refused}");
        let big = Package::Zip {
            location: Some("http://127.0.0.1:9/never".into()),
            size: powertune_tuner::api::INLINE_LIMIT + 1,
        };
        let refused = futures::executor::block_on(download_package(&big, None)).unwrap_err();
        assert!(refused.contains("50 MB"), "{refused}");
    }
}
