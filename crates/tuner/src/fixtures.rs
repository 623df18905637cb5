//! Sample data that tests in every crate (and the web app's sample link) share, so each is
//! written once.

use crate::{
    memory::MemoryMb,
    pricing::{Architecture, Currency, Price},
    result::{RunResult, SizeDetail, SizeResult},
    sampling::{Progress, SizeStatus, SizeView},
    share,
    stats::Sample,
    strategy::Strategy,
};

/// One warm invocation's sample: `duration_ms` run, `billed_ms` billed, no init.
pub fn warm_sample(duration_ms: f64, billed_ms: f64) -> Sample {
    Sample {
        duration_ms,
        billed_ms,
        init_ms: 0.0,
        restore_ms: 0.0,
        cold_start: false,
        max_memory_used_mb: None,
    }
}

/// A sampling policy's view of one size, nothing running: failed, measured (published) when it
/// has samples, or untouched.
///
/// # Panics
/// When `memory` is outside 128..=10,240.
pub fn size_view(memory: u32, samples: &[Sample], failed: bool) -> SizeView<'_> {
    SizeView {
        memory: MemoryMb::new(memory).expect("a valid size"),
        status: if failed {
            SizeStatus::Failed
        } else if samples.is_empty() {
            SizeStatus::Untouched
        } else {
            SizeStatus::Measured
        },
        samples,
        requested: samples.len() as u32,
        in_flight: 0,
    }
}

/// `calls` warm calls around `ms` (±0.5 %), each billed to the next millisecond.
pub fn steady_calls(ms: f64, calls: usize) -> Vec<Sample> {
    (0..calls)
        .map(|i| {
            let d = ms * (1.0 + [0.0, 0.005, -0.005, 0.003, -0.003][i % 5]);
            warm_sample(d, d.ceil())
        })
        .collect()
}

/// A sampling policy's view of a run of `num` 10 over `sizes`, on x86_64 in us-east-1 with the
/// default 512 MB of ephemeral storage.
pub fn progress<'a>(sizes: &'a [SizeView<'a>]) -> Progress<'a> {
    Progress {
        sizes,
        max_per_size: 10,
        price: Price::for_function("us-east-1", Architecture::X86_64),
        ephemeral_mb: 512,
    }
}

pub use crate::share::original::README_SAMPLE_HASH;

/// The original README's sample link on the chart site.
pub const README_SAMPLE_URL: &str = "https://lambda-power-tuning.show/#gAAAAQACAAQABsAL;ZooQR4yvkUa/pQRGRC5zRaADHUVjOftE;QdWhOEMkoziDT5Q4xhiIOMYYiDi6RNc4";

/// The README's sample, decoded.
///
/// # Panics
/// Never: the sample is a valid link (a test checks it).
pub fn readme_run() -> RunResult {
    share::decode(README_SAMPLE_HASH)
        .expect("the README sample decodes")
        .runs()
        .remove(0)
        .1
}

/// A run of `rows` (memory MB, average cost, average duration ms, total cost) in us-east-1, USD.
///
/// # Panics
/// When a memory size is outside 128..=10,240.
pub fn run_of_rows(rows: &[(u32, f64, f64, f64)], strategy: Strategy, weight: f64) -> RunResult {
    RunResult {
        function_name: None,
        region: Some("us-east-1".into()),
        architecture: Architecture::X86_64,
        currency: Currency::Usd,
        current_memory: None,
        strategy,
        balanced_weight: weight,
        sizes: rows
            .iter()
            .map(|&(m, cost, duration, total)| SizeResult {
                memory: MemoryMb::new(m).expect("a valid size"),
                average_duration_ms: duration,
                average_cost: cost,
                detail: Some(SizeDetail {
                    total_cost: total,
                    ..SizeDetail::default()
                }),
                error: None,
                unmeasured: None,
            })
            .collect(),
        tolerance: crate::stats::confidence::DEFAULT_TOLERANCE,
        sampling: None,
        traffic: None,
    }
}

/// A run computed from invocations, as the engine computes one: 256 to 2048 MB in eu-west-1,
/// ten invocations each with a spread, so every size has its 95 % intervals. Duration halves
/// with each doubling of memory down to a floor, so 1024 and 2048 MB are close in speed.
///
/// # Panics
/// Never: the sizes and ARN are valid.
pub fn measured_run() -> RunResult {
    use crate::{
        arn::FunctionArn,
        result::{Measurement, RunContext, SizeOutcome},
        stats::Sample,
    };
    let arn: FunctionArn = "arn:aws:lambda:eu-west-1:123456789012:function:orders"
        .parse()
        .expect("a valid ARN");
    let context = RunContext {
        function: &arn,
        current_memory: MemoryMb::new(1024).expect("a valid size"),
        architecture: Architecture::X86_64,
        strategy: Strategy::Cost,
        balanced_weight: 0.5,
        discard: 0.2,
        tolerance: crate::stats::confidence::DEFAULT_TOLERANCE,
        sampling: None,
        traffic: None,
    };
    let sizes: Vec<SizeOutcome> = [256u32, 512, 1024, 2048]
        .iter()
        .map(|&m| {
            let base = 80.0 + 40_000.0 / f64::from(m);
            let samples = (0..10)
                .map(|i| {
                    let duration = base * (1.0 + f64::from((i * 7) % 5) / 50.0);
                    Sample {
                        duration_ms: duration,
                        billed_ms: duration.ceil(),
                        init_ms: 0.0,
                        restore_ms: 0.0,
                        cold_start: false,
                        max_memory_used_mb: Some(90),
                    }
                })
                .collect();
            SizeOutcome {
                memory: MemoryMb::new(m).expect("a valid size"),
                measurement: Ok(Measurement {
                    samples,
                    architecture: Architecture::X86_64,
                    ephemeral_mb: 512,
                    ..Measurement::default()
                }),
            }
        })
        .collect();
    RunResult::from_outcomes(&context, &sizes)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_readme_sample_has_six_sizes() {
        let run = super::readme_run();
        let sizes: Vec<u32> = run.sizes.iter().map(|s| s.memory.get()).collect();
        assert_eq!(sizes, [128, 256, 512, 1024, 1536, 3008]);
        assert!(super::README_SAMPLE_URL.ends_with(super::README_SAMPLE_HASH));
    }
}
