//! What it takes to copy a function to the other architecture: `GetFunction`'s answer, and the
//! definition `CreateFunction` takes.

use std::collections::BTreeMap;

use super::FunctionConfig;
use crate::{arn::FunctionArn, pricing::Architecture};

/// How a function's code is packaged, as `GetFunction` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Package {
    /// A .zip deployment package.
    Zip {
        /// `Code.Location`: a presigned URL to download it, valid for minutes.
        location: Option<String>,
        /// `CodeSize` in bytes.
        size: u64,
    },
    /// A container image, which is built for one architecture.
    Image {
        /// `Code.ImageUri`.
        uri: String,
    },
}

/// A VPC the function's network interfaces live in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Vpc {
    /// Subnet ids.
    pub subnet_ids: Vec<String>,
    /// Security group ids.
    pub security_group_ids: Vec<String>,
}

/// An Amazon EFS file system the function mounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSystem {
    /// The access point's ARN.
    pub arn: String,
    /// Where it is mounted (`/mnt/…`).
    pub local_mount_path: String,
}

/// A function's definition: what `CreateFunction` takes, and what `GetFunction` says of
/// `$LATEST` besides its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionDefinition {
    /// ARN (name and region), memory, timeout, ephemeral storage, log format, architecture,
    /// description, runtime and kind.
    pub config: FunctionConfig,
    /// `Handler`; none for a container image.
    pub handler: Option<String>,
    /// `Role`: the execution role's ARN.
    pub role: String,
    /// `Environment.Variables`.
    pub environment: BTreeMap<String, String>,
    /// `Layers`: layer version ARNs, in order.
    pub layers: Vec<String>,
    /// `VpcConfig`, when the function is attached to a VPC.
    pub vpc: Option<Vpc>,
    /// `TracingConfig.Mode` (`Active`, `PassThrough`).
    pub tracing: Option<String>,
    /// `LoggingConfig.LogGroup`, when not the default.
    pub log_group: Option<String>,
    /// `FileSystemConfigs`.
    pub file_systems: Vec<FileSystem>,
    /// `Tags`.
    pub tags: BTreeMap<String, String>,
}

impl FunctionDefinition {
    /// The definition of a copy of this function named `arn`, for `architecture`, with `tags`
    /// (the function's own are not copied).
    pub fn copy(
        &self,
        arn: FunctionArn,
        architecture: Architecture,
        tags: BTreeMap<String, String>,
    ) -> Self {
        let mut copy = self.clone();
        copy.config.arn = arn;
        copy.config.architecture = architecture;
        copy.tags = tags;
        copy
    }
}

/// What `GetFunction` answers: the definition and where the code is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionDetails {
    /// The function's definition.
    pub definition: FunctionDefinition,
    /// Its code.
    pub package: Package,
}

/// The code a function is created with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FunctionCode {
    /// The .zip deployment package's bytes (`ZipFile`, at most 50 MB inline).
    Zip(Vec<u8>),
    /// A .zip deployment package in S3.
    S3 {
        /// Bucket, in the function's region.
        bucket: String,
        /// Key.
        key: String,
    },
    /// A container image URI, built for the function's architecture.
    Image(String),
}

/// The most `CreateFunction` takes inline as a .zip package (`ZipFile`), in bytes.
pub const INLINE_LIMIT: u64 = 50 * 1024 * 1024;

/// Why a file named `name` of `bytes` bytes cannot be a copy's package, chosen by hand.
pub fn chosen_package_problem(name: &str, bytes: u64) -> Option<String> {
    if !name.to_ascii_lowercase().ends_with(".zip") {
        return Some(format!(
            "{name} is not a .zip file: choose the function's deployment package (the .zip the Lambda console's \"Download\" gives)"
        ));
    }
    (bytes > INLINE_LIMIT).then(|| {
        format!(
            "{name} is {} MB: CreateFunction takes at most 50 MB inline; tune the other architecture with the CLI, from a package in S3",
            bytes / 1024 / 1024
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chosen_package_must_be_a_zip_within_the_inline_limit() {
        assert_eq!(chosen_package_problem("function.ZIP", 1024), None);
        assert_eq!(chosen_package_problem("f.zip", INLINE_LIMIT), None);
        let big = chosen_package_problem("f.zip", INLINE_LIMIT + 1).unwrap();
        assert!(big.contains("50 MB") && big.contains("CLI"), "{big}");
        let other = chosen_package_problem("f.tar.gz", 10).unwrap();
        assert!(other.contains("not a .zip"), "{other}");
    }
}
