//! The engine's settings that the original's input does not have.

use std::time::Duration;

use crate::output::ORIGINAL_VISUALIZATION_URL;

/// Tuning knobs that the original's input does not have.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOptions {
    /// Most invocations in flight across all sizes.
    pub max_concurrency: usize,
    /// Most invocations in flight per size with `parallelInvocation` (default: all of them).
    pub per_size_concurrency: Option<usize>,
    /// Retries of a failed invocation before its size counts as failed.
    pub retries: u32,
    /// Client-side limit per invocation; default: the function's timeout plus 10 s.
    pub invocation_timeout: Option<Duration>,
    /// Longest wait for a configuration update or a version to become active.
    pub wait_limit: Duration,
    /// Seed of the backoff jitter.
    pub seed: u64,
    /// Base of the chart-site link in the output.
    pub visualization_url: String,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            max_concurrency: 10,
            per_size_concurrency: None,
            retries: 2,
            invocation_timeout: None,
            wait_limit: Duration::from_secs(300),
            seed: 0x5eed,
            visualization_url: ORIGINAL_VISUALIZATION_URL.to_owned(),
        }
    }
}
