//! Lambda prices and what an invocation costs.
//!
//! [`PRICES`] is the one table of duration prices per region and architecture. Source: AWS
//! Lambda pricing (aws.amazon.com/lambda/pricing: us-east-1 list prices, see
//! `docs/platform-facts.md`; and
//! the regions that differ as published in artilleryio/artillery
//! `packages/artillery/lib/platform/aws-lambda/prices.js`), checked 2026-11-30 and, with the tiers, 2026-12-02. China regions bill
//! in CNY; their x86 figure is the original tool's (1.42e-8 CNY per ms at 128 MB), and their arm64
//! and request figures are estimates (marked `estimated`), because no source we could check lists
//! them.
//!
//! The table holds each region's first-tier duration price; [`tiers`] has the monthly volume
//! discounts and the free tier.
//!
//! An invocation costs, as AWS bills it:
//! `billed ms / 1000 × memory GB × price per GB-s + request charge + ephemeral storage above
//! 512 MB × billed seconds × storage price`, where billed ms is `Billed Duration` (+ `Billed
//! Restore Duration` for SnapStart); since August 2025 that includes the INIT phase.
//!
//! Where this differs from the original tool (kept in [`original`] for parity tests):
//! - the original rounds the x86 price up to 2.1e-9 USD per ms at 128 MB (exact: 2.0833e-9), so
//!   its costs are about 0.8 % high;
//! - it uses one arm64 price (1.7e-9) for every region, China included (in USD);
//! - it leaves out the $0.20 per million request charge and ephemeral storage;
//! - its average cost rounds the trimmed mean billed duration up to a whole ms.

use std::{fmt, str::FromStr};

use crate::memory::MemoryMb;

/// The date the price table was last checked.
pub const PRICES_CHECKED: &str = "2026-12-02";

/// A CPU architecture Lambda runs on.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Architecture {
    /// Intel/AMD (the default).
    #[default]
    #[serde(rename = "x86_64")]
    X86_64,
    /// Graviton.
    #[serde(rename = "arm64")]
    Arm64,
}

impl Architecture {
    /// The name Lambda uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::X86_64 => "x86_64",
            Self::Arm64 => "arm64",
        }
    }
}

impl fmt::Display for Architecture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Architecture {
    type Err = UnsupportedArchitecture;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "x86_64" => Ok(Self::X86_64),
            "arm64" => Ok(Self::Arm64),
            other => Err(UnsupportedArchitecture(other.to_owned())),
        }
    }
}

/// An architecture with no price (the original's `Unsupported architecture: <arch>`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported architecture {0:?}: Lambda prices are known for x86_64 and arm64")]
pub struct UnsupportedArchitecture(pub String);

/// The currency a region bills in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Currency {
    /// US dollars.
    #[default]
    #[serde(rename = "USD")]
    Usd,
    /// Chinese yuan (the `cn-` regions).
    #[serde(rename = "CNY")]
    Cny,
}

impl Currency {
    /// The ISO code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Usd => "USD",
            Self::Cny => "CNY",
        }
    }

    /// The symbol written before an amount: `$`, `¥`.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Usd => "$",
            Self::Cny => "¥",
        }
    }

    /// The currency of a region.
    pub fn of_region(region: &str) -> Self {
        if region.starts_with("cn-") {
            Self::Cny
        } else {
            Self::Usd
        }
    }
}

/// One row of the price table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegionPrices {
    /// Region code; `"default"` for every region not listed.
    pub region: &'static str,
    /// x86_64 duration price per GB-second.
    pub x86_64_per_gb_s: f64,
    /// arm64 duration price per GB-second.
    pub arm64_per_gb_s: f64,
    /// Price of one request.
    pub per_request: f64,
    /// Ephemeral storage above 512 MB, per GB-second.
    pub storage_per_gb_s: f64,
    /// Whether some figure of this row is an estimate rather than a published price.
    pub estimated: bool,
}

const US_REQUEST: f64 = 0.20 / 1e6;
const US_STORAGE: f64 = 0.000_000_030_9;

const fn row(region: &'static str, x86: f64, arm: f64) -> RegionPrices {
    RegionPrices {
        region,
        x86_64_per_gb_s: x86,
        arm64_per_gb_s: arm,
        per_request: US_REQUEST,
        storage_per_gb_s: US_STORAGE,
        estimated: false,
    }
}

/// The price table. The first row is the default for every region not listed.
pub const PRICES: &[RegionPrices] = &[
    row("default", 0.000_016_666_7, 0.000_013_333_4),
    row("af-south-1", 0.000_022_1, 0.000_017_68),
    row("ap-east-1", 0.000_022_92, 0.000_018_3),
    row("eu-south-1", 0.000_019_517_2, 0.000_015_613_8),
    row("me-south-1", 0.000_020_666_7, 0.000_016_533_4),
    row("me-central-1", 0.000_020_666_7, 0.000_016_533_4),
    RegionPrices {
        region: "cn-north-1",
        x86_64_per_gb_s: 0.000_113_6,
        arm64_per_gb_s: 0.000_090_88,
        per_request: 1.36 / 1e6,
        storage_per_gb_s: 0.000_000_21,
        estimated: true,
    },
    RegionPrices {
        region: "cn-northwest-1",
        x86_64_per_gb_s: 0.000_113_6,
        arm64_per_gb_s: 0.000_090_88,
        per_request: 1.36 / 1e6,
        storage_per_gb_s: 0.000_000_21,
        estimated: true,
    },
];

/// The prices that apply to one function.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Price {
    /// Duration price per GB-second.
    pub per_gb_s: f64,
    /// Price of one request.
    pub per_request: f64,
    /// Ephemeral storage above 512 MB, per GB-second.
    pub storage_per_gb_s: f64,
    /// The currency of all three.
    pub currency: Currency,
    /// Whether a figure is an estimate.
    pub estimated: bool,
    /// The monthly duration tiers `per_gb_s` is the first of.
    #[serde(with = "tiers::by_architecture")]
    pub tiers: &'static [tiers::Tier; 3],
}

impl Price {
    /// The prices for a function in `region` on `architecture`.
    pub fn for_function(region: &str, architecture: Architecture) -> Self {
        let row = PRICES
            .iter()
            .find(|r| r.region == region)
            .unwrap_or(&PRICES[0]);
        Self {
            per_gb_s: match architecture {
                Architecture::X86_64 => row.x86_64_per_gb_s,
                Architecture::Arm64 => row.arm64_per_gb_s,
            },
            per_request: row.per_request,
            storage_per_gb_s: row.storage_per_gb_s,
            currency: Currency::of_region(region),
            estimated: row.estimated,
            tiers: tiers::of(architecture),
        }
    }

    /// The cost of one invocation billed for `billed_ms` at `memory`, with `ephemeral_mb` of
    /// ephemeral storage (512 MB is free).
    pub fn invocation(&self, memory: MemoryMb, billed_ms: f64, ephemeral_mb: u32) -> f64 {
        self.duration(memory, billed_ms, ephemeral_mb) + self.per_request
    }

    /// The duration and storage charge of `billed_ms` (no request charge), so that totals over
    /// many invocations can be priced from their summed billed time.
    pub fn duration(&self, memory: MemoryMb, billed_ms: f64, ephemeral_mb: u32) -> f64 {
        let seconds = billed_ms / 1000.0;
        let extra_storage_gb = f64::from(ephemeral_mb.saturating_sub(512)) / 1024.0;
        seconds * memory.gb() * self.per_gb_s + seconds * extra_storage_gb * self.storage_per_gb_s
    }

    /// The cost of one invocation at `memory` as a function of its billed ms: duration and
    /// storage are linear in it, the request charge is fixed.
    pub fn cost_line(&self, memory: MemoryMb, ephemeral_mb: u32) -> CostLine {
        CostLine {
            per_ms: self.duration(memory, 1.0, ephemeral_mb),
            fixed: self.per_request,
        }
    }

    /// The cost of `invocations` invocations that were billed `total_billed_ms` in all.
    pub fn total(
        &self,
        memory: MemoryMb,
        total_billed_ms: f64,
        invocations: u32,
        ephemeral_mb: u32,
    ) -> f64 {
        self.duration(memory, total_billed_ms, ephemeral_mb)
            + f64::from(invocations) * self.per_request
    }
}

/// One invocation's cost at one size, `per_ms · billed_ms + fixed`: an interval of billed
/// durations maps to one of costs through it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CostLine {
    /// Duration and storage charge per billed ms.
    pub per_ms: f64,
    /// The request charge.
    pub fixed: f64,
}

impl CostLine {
    /// The cost of an invocation billed `billed_ms`.
    pub fn at(self, billed_ms: f64) -> f64 {
        self.per_ms * billed_ms + self.fixed
    }
}

/// What a run costs before it starts, if every invocation is billed `billed_ms`: the duration
/// is unknown until measured, so callers show this for a few assumed durations. x86_64 prices
/// (the higher) and no free tier, so it errs high.
pub fn estimate(
    region: &str,
    sizes: &[MemoryMb],
    invocations_per_size: u32,
    billed_ms: f64,
) -> (f64, Currency) {
    let price = Price::for_function(region, Architecture::X86_64);
    let cost = sizes
        .iter()
        .map(|&m| f64::from(invocations_per_size) * price.invocation(m, billed_ms, 512))
        .sum();
    (cost, price.currency)
}

/// The monthly duration tiers and the free tier.
pub mod tiers;

/// The original tool's pricing, exactly (`template.yml` `baseCosts` and `sfCosts`, `utils.js`
/// `stepFunctionsCost`; see `docs/original-behaviour.md`), for parity checks and comparisons.
pub mod original;

#[cfg(test)]
mod tests;
