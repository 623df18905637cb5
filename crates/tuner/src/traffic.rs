//! The function's monthly traffic, as the input gives it or CloudWatch counts it: a leaf type
//! that results and share links carry, and [`crate::monthly`] prices.

use serde::{Deserialize, Serialize};

/// The most invocations a month can hold at Lambda's highest concurrency quotas, with a wide
/// margin: a bigger number is a typo.
pub const MAX_MONTHLY_INVOCATIONS: u64 = 10u64.pow(13);

/// Where the monthly invocation count came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TrafficSource {
    /// The input's `monthlyInvocations`.
    Input,
    /// The function's `Invocations` metric summed over the last 30 days.
    Cloudwatch,
}

impl TrafficSource {
    /// The name in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Input => "input",
            Self::Cloudwatch => "cloudwatch",
        }
    }
}

/// The input's `monthlyInvocations`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthlyInvocations {
    /// A count, and where it came from.
    Known(u64, TrafficSource),
    /// `"cloudwatch"`: to be read from the function's `Invocations` metric before the run.
    FromCloudwatch,
}

/// The function's monthly traffic and what else its month's bill holds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Traffic {
    /// Invocations per month.
    pub invocations: u64,
    /// Where that number came from.
    pub source: TrafficSource,
    /// Whether to take the free tier off.
    #[serde(default)]
    pub free_tier: bool,
    /// The account's other GB-seconds per month in this region and architecture.
    #[serde(default)]
    pub other_gb_seconds: Option<f64>,
    /// The share of invocations that are cold starts; `None`: the run's share.
    #[serde(default)]
    pub cold_start_rate: Option<f64>,
}
