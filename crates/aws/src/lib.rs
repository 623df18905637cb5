//! powertune's AWS access, the same code in the browser and natively.
//!
//! - [`AwsLambda`]: the engine's `LambdaApi` over aws-sdk-lambda. In the browser it runs on our
//!   fetch transport with a `setTimeout` timer and a `Date.now()` clock; natively on the SDK's
//!   default client. SDK errors are mapped once, here, to the domain's `LambdaError`.
//! - [`credentials`]: reads what people paste (export blocks, STS JSON, three fields).
//! - [`policy`]: the least-privilege IAM policy for a run.
//! - [`s3`]: reads `payloadS3` objects with one signed request.
//! - [`cloudwatch`]: reads a function's monthly invocations with one signed request.
#![deny(missing_docs)]

pub mod client;
pub mod cloudwatch;
pub mod convert;
pub mod copies;
pub mod credentials;
pub mod error;
pub mod expiry;
#[cfg(target_arch = "wasm32")]
pub mod fetch;
pub mod http_get;
pub mod policy;
pub mod runtime;
pub mod s3;
pub mod signing;

pub use client::{AwsLambda, ClientSettings};
pub use credentials::{CredentialsError, HandedCredentials, ParsedCredentials};
