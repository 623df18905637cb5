//! Lambda's monthly duration tiers and free tier.
//!
//! Since 2022 Lambda bills an account's duration in each region and architecture in monthly
//! tiers of GB-seconds: x86_64 at the listed price up to 6 billion GB-s, 10 % less from 6 to 15
//! billion, 20 % less above; arm64 the same steps at 7.5 and 18.75 billion. Source: AWS Compute
//! Blog, "Introducing tiered pricing for AWS Lambda" (Heeki Park, 2022), and
//! aws.amazon.com/lambda/pricing, whose us-east-1 tier prices ($0.0000166667, $0.000015,
//! $0.0000133334 for x86_64; $0.0000133334, $0.0000120001, $0.0000106667 for arm64) are the
//! first tier's price less 10 % and 20 %, rounded (checked 2026-12-02; `pricing::tests` pins
//! them). The same discounts apply in every region, so the table holds only each region's
//! first-tier price.
//!
//! The free tier, per account and month: 1 million requests and 400,000 GB-seconds, shared by
//! both architectures (same sources). It is taken off the account's usage before the tiers.

use super::Architecture;

/// One step of the monthly tiers: usage up to `up_to_gb_s` (counted over the account's month,
/// from the previous step's bound) is billed at `factor` × the region's first-tier price.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tier {
    /// The step's upper bound in GB-seconds (infinite for the last).
    pub up_to_gb_s: f64,
    /// The share of the first-tier price paid in this step.
    pub factor: f64,
}

const fn tier(up_to_gb_s: f64, factor: f64) -> Tier {
    Tier { up_to_gb_s, factor }
}

/// x86_64's tiers.
pub const X86_64_TIERS: [Tier; 3] = [tier(6e9, 1.0), tier(15e9, 0.9), tier(f64::INFINITY, 0.8)];

/// arm64's tiers.
pub const ARM64_TIERS: [Tier; 3] = [
    tier(7.5e9, 1.0),
    tier(18.75e9, 0.9),
    tier(f64::INFINITY, 0.8),
];

/// Free GB-seconds per account and month.
pub const FREE_GB_S: f64 = 400_000.0;

/// Free requests per account and month.
pub const FREE_REQUESTS: f64 = 1_000_000.0;

/// The tiers of an architecture.
pub fn of(architecture: Architecture) -> &'static [Tier; 3] {
    match architecture {
        Architecture::X86_64 => &X86_64_TIERS,
        Architecture::Arm64 => &ARM64_TIERS,
    }
}

/// Serde for a price's tiers: they are named by their architecture (tables are `'static`).
pub mod by_architecture {
    use super::{Architecture, Tier, of};

    /// Writes the architecture whose tiers these are.
    ///
    /// # Errors
    /// The serializer's.
    pub fn serialize<S: serde::Serializer>(
        tiers: &&'static [Tier; 3],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let architecture = if *tiers == of(Architecture::Arm64) {
            Architecture::Arm64
        } else {
            Architecture::X86_64
        };
        serde::Serialize::serialize(&architecture, serializer)
    }

    /// Reads an architecture, giving its tiers.
    ///
    /// # Errors
    /// The deserializer's.
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<&'static [Tier; 3], D::Error> {
        let architecture: Architecture = serde::Deserialize::deserialize(deserializer)?;
        Ok(of(architecture))
    }
}

/// The duration charge of a month's first `gb_s` GB-seconds at `first_tier_price` per GB-s.
pub fn charge_up_to(tiers: &[Tier], first_tier_price: f64, gb_s: f64) -> f64 {
    let mut charge = 0.0;
    let mut from = 0.0;
    for t in tiers {
        if gb_s <= from {
            break;
        }
        charge += (gb_s.min(t.up_to_gb_s) - from) * first_tier_price * t.factor;
        from = t.up_to_gb_s;
    }
    charge
}

/// What `gb_s` GB-seconds add to a month's duration charge in which the account already used
/// `before_gb_s`, with the free tier taken off the account's total first when `free_tier`.
pub fn marginal_charge(
    tiers: &[Tier],
    first_tier_price: f64,
    before_gb_s: f64,
    gb_s: f64,
    free_tier: bool,
) -> f64 {
    let free = if free_tier { FREE_GB_S } else { 0.0 };
    let billable = |usage: f64| (usage - free).max(0.0);
    charge_up_to(tiers, first_tier_price, billable(before_gb_s + gb_s))
        - charge_up_to(tiers, first_tier_price, billable(before_gb_s))
}
