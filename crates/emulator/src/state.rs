//! The server's shared state, which every handler and the middleware read.

use std::sync::Arc;

use powertune_tuner::{FunctionArn, api::LambdaError};

use crate::{actor::SimHandle, errors::ApiError, sigv4::IssuedCredentials};

/// Shared state of the server.
#[derive(Clone)]
pub struct AppState {
    /// The simulation.
    pub sim: SimHandle,
    /// Credentials accepted; empty means signatures are not checked.
    pub credentials: Arc<Vec<IssuedCredentials>>,
    /// Every function's invocations a month, as CloudWatch's metric answers them.
    pub cloudwatch_invocations: Option<u64>,
}

impl AppState {
    /// Resolves a `{function}` path label (a name or an ARN) to the function's ARN.
    ///
    /// # Errors
    /// Lambda's `ResourceNotFoundException` when no function has that name or ARN.
    pub async fn resolve(&self, label: &str) -> Result<FunctionArn, ApiError> {
        let label = label.to_owned();
        let arns = self
            .sim
            .call(|sim| async move { sim.function_arns() })
            .await;
        arns.into_iter()
            .find(|arn| arn.to_string() == label || arn.name() == label)
            .ok_or_else(|| {
                ApiError(LambdaError::NotFound {
                    message: format!("Function not found: {label}"),
                })
            })
    }
}
