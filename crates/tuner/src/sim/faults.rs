//! Faults injected into the simulated service, and its timings.

use std::time::Duration;

use crate::memory::MemoryMb;

/// Injected faults and service timings.
#[derive(Debug, Clone, PartialEq)]
pub struct Faults {
    /// Share of Invoke calls answered with 429.
    pub throttle_rate: f64,
    /// Share of API calls answered with 500.
    pub server_error_rate: f64,
    /// After this many API calls, every call fails with expired credentials.
    pub expire_after_calls: Option<u64>,
    /// Configuration updates never finish.
    pub stuck_update: bool,
    /// How long a configuration update stays `InProgress`.
    pub update_duration: Duration,
    /// How long a new version stays `Pending`.
    pub pending_duration: Duration,
    /// The account's memory quota in MB.
    pub memory_quota_mb: u32,
    /// Invocations take their simulated duration times this factor in real (clock) time; 0 makes
    /// them instant.
    pub time_scale: f64,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            throttle_rate: 0.0,
            server_error_rate: 0.0,
            expire_after_calls: None,
            stuck_update: false,
            update_duration: Duration::from_millis(600),
            pending_duration: Duration::ZERO,
            memory_quota_mb: MemoryMb::MAX,
            time_scale: 0.0,
        }
    }
}
