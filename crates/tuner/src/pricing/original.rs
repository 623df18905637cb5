//! The original tool's pricing, exactly (`template.yml` `baseCosts` and `sfCosts`, `utils.js`
//! `stepFunctionsCost`; see `docs/original-behaviour.md`), for parity checks and comparisons.

use super::{Architecture, UnsupportedArchitecture};

/// The original's `baseCosts`: USD (CNY in China) per ms at 128 MB.
pub fn base_cost(region: &str, architecture: Architecture) -> f64 {
    match architecture {
        Architecture::Arm64 => 1.7e-9,
        Architecture::X86_64 => match region {
            "ap-east-1" => 2.9e-9,
            "af-south-1" => 2.8e-9,
            "me-south-1" => 2.6e-9,
            "eu-south-1" => 2.4e-9,
            "ap-northeast-3" => 2.7e-9,
            "cn-north-1" | "cn-northwest-1" => 1.42e-8,
            _ => 2.1e-9,
        },
    }
}

/// `lambdaBaseCost` with the architecture as Lambda names it.
///
/// # Errors
/// [`UnsupportedArchitecture`] for anything but `x86_64` and `arm64`.
pub fn base_cost_named(region: &str, architecture: &str) -> Result<f64, UnsupportedArchitecture> {
    Ok(base_cost(region, architecture.parse()?))
}

/// `computePrice`: `ceil(ms) × base × (memory / 128)`, in that order.
pub fn price(base: f64, memory_mb: f64, ms: f64) -> f64 {
    (ms.ceil() * base) * (memory_mb / 128.0)
}

/// `computeTotalCost`: the sum of every invocation's price, in ascending billed order.
pub fn total_cost(base: f64, memory_mb: f64, billed: &[f64]) -> f64 {
    let mut sorted = billed.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted
        .iter()
        .fold(0.0, |acc, &ms| acc + price(base, memory_mb, ms))
}

/// The original's Step Functions price per state transition in the tuner's region.
pub fn step_functions_base_cost(region: &str) -> f64 {
    match region {
        "us-gov-west-1" | "us-gov-east-1" => 0.00003,
        "ap-northeast-2" => 0.0000271,
        "eu-south-1" => 0.00002625,
        "af-south-1" => 0.00002975,
        "us-west-1" => 0.0000279,
        "eu-west-3" => 0.0000297,
        "ap-east-1" | "me-south-1" => 0.0000275,
        "ap-south-1" => 0.0000285,
        "sa-east-1" => 0.0000375,
        "cn-north-1" | "cn-northwest-1" => 0.0001891,
        _ => 0.000025,
    }
}

/// What the original's state machine would have cost for `n_power` sizes (`stepFunctionsCost`),
/// rounded to 5 decimals as JavaScript's `toFixed(5)` does. powertune runs no state machine,
/// so its own `executionCost` is 0; this figure says what running it here saved.
pub fn step_functions_cost(base: f64, n_power: usize, only_cold_starts: bool, num: u32) -> f64 {
    let n = n_power as f64;
    let transitions = if only_cold_starts {
        6.0 + n + 2.0 * n * f64::from(num)
    } else {
        6.0 + 3.0 * n
    };
    format!("{:.5}", base * transitions).parse().unwrap_or(0.0)
}
