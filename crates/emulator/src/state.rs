//! The server's shared state, which every handler and the middleware read.

use std::sync::Arc;

use crate::{actor::SimHandle, sigv4::IssuedCredentials};

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
