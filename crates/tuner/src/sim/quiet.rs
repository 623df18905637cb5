//! Quiet synthetic profiles, shaped like real warm Lambda functions rather than like the model
//! families of [`super::synthetic`]: a size's warm calls spread 1 to 10 %, cost curves have flat
//! bottoms where many sizes tie, and durations can step at vCPU boundaries or stop falling at a
//! memory-bound plateau. Each size also gets an offset of its own (a different worker, a
//! different CPU generation), so the curve is not smooth from one size to the next. Measured
//! warm, as a tuning measures: no cold starts, rare slow calls (a GC pause). Seeded.
//!
//! Families:
//! - **flat-cpu**: single-threaded CPU work with a little I/O; the cost is flat below one vCPU
//!   (the duration halves as the memory doubles), and the smallest sizes pay a runtime overhead.
//! - **vcpu-step**: multi-threaded work on `k` threads with a step where a second vCPU appears
//!   (a pool sized by the cores it sees: faster or slower at once).
//! - **memory-plateau**: garbage collection slows the function below a working set; above it
//!   the duration is flat. Some cannot run below a need.
//! - **io-wait**: waits on the network, a little CPU: the duration is flat over most sizes.
//! - **short-billed**: calls of a few ms, where billing rounds up to the next ms.

use std::collections::BTreeMap;

use super::{
    MeasuredProfile, MeasuredSample,
    synthetic::{SyntheticProfile, between, normal},
};
use crate::memory::{MemoryMb, all_power_values};

/// The quiet families, in the order profiles cycle through them.
pub const QUIET_FAMILIES: [&str; 5] = [
    "flat-cpu",
    "vcpu-step",
    "memory-plateau",
    "io-wait",
    "short-billed",
];

/// Warm invocations rendered per size (as the real functions that judge the tuner were measured).
const CALLS: usize = 100;

/// One quiet function's shape: its noise-free duration at every size, and its noise.
struct Shape {
    /// Noise-free duration in ms at a size, `None` where it cannot run.
    duration: Box<dyn Fn(u32) -> Option<f64>>,
    /// Spread of one call (log-normal σ, 1 to 8 %).
    noise: f64,
    /// Spread of the per-size offsets (log-normal σ, at most 1 %).
    offset: f64,
    /// Share of calls that are slow (1.3 to 3 times).
    slow: f64,
}

fn vcpus(memory: u32) -> f64 {
    f64::from(memory) / f64::from(MemoryMb::ONE_VCPU)
}

/// CPU time at `memory` of `cpu_ms` of work at one vCPU, `parallel` of it spread over at most
/// `threads` threads.
fn cpu_time(cpu_ms: f64, parallel: f64, threads: f64, memory: u32) -> f64 {
    let v = vcpus(memory);
    if v <= 1.0 {
        cpu_ms / v
    } else {
        cpu_ms * ((1.0 - parallel) + parallel / v.min(threads))
    }
}

fn shape(family: &str, rng: &mut fastrand::Rng) -> Shape {
    let duration: Box<dyn Fn(u32) -> Option<f64>> = match family {
        "flat-cpu" => {
            let cpu = between(rng, 20.0, 3000.0);
            let io = cpu * between(rng, 0.0, 0.03);
            // Runtime threads (GC, JIT) use a little of a second vCPU.
            let background = between(rng, 0.0, 0.1);
            let overhead = between(rng, 0.0, 0.1);
            Box::new(move |m| {
                let small = 1.0 + overhead * (256.0 / f64::from(m)).powi(2);
                Some(cpu_time(cpu, background, 2.0, m) * small + io)
            })
        }
        "vcpu-step" => {
            let cpu = between(rng, 200.0, 8000.0);
            let parallel = between(rng, 0.3, 0.9);
            let threads = [2.0, 3.0, 4.0, 6.0][rng.usize(0..4)];
            let step = between(rng, -0.2, 0.15);
            let io = between(rng, 0.0, 30.0);
            Box::new(move |m| {
                let jump = if m > MemoryMb::ONE_VCPU {
                    1.0 + step
                } else {
                    1.0
                };
                Some(cpu_time(cpu, parallel, threads, m) * jump + io)
            })
        }
        "memory-plateau" => {
            let cpu = between(rng, 10.0, 400.0);
            let io = between(rng, 5.0, 200.0);
            let gc = between(rng, 20.0, 800.0);
            let working_set = between(rng, 384.0, 2048.0);
            let need = if rng.f64() < 0.3 {
                rng.u32(128..=768)
            } else {
                0
            };
            Box::new(move |m| {
                let pressure = (working_set / f64::from(m) - 1.0).max(0.0);
                (m >= need).then(|| cpu_time(cpu, 0.0, 1.0, m) + io + gc * pressure)
            })
        }
        "io-wait" => {
            let io = between(rng, 20.0, 500.0);
            let cpu = io * between(rng, 0.005, 0.2);
            Box::new(move |m| Some(cpu_time(cpu, 0.0, 1.0, m) + io))
        }
        // short-billed
        _ => {
            let cpu = between(rng, 1.0, 25.0);
            let io = between(rng, 0.0, 3.0);
            Box::new(move |m| Some(cpu_time(cpu, 0.2, 2.0, m) + io))
        }
    };
    Shape {
        duration,
        // Log-uniform: about half the functions spread under 3 %, as most real warm ones do.
        noise: 0.01 * 8f64.powf(rng.f64()),
        offset: between(rng, 0.0, 0.01),
        slow: between(rng, 0.0, 0.02),
    }
}

/// `count` quiet profiles cycling through [`QUIET_FAMILIES`], drawn from `seed`; each carries
/// its noise-free durations (the truth the profile was drawn around).
pub fn quiet_profiles(count: usize, seed: u64) -> Vec<SyntheticProfile> {
    let mut rng = fastrand::Rng::with_seed(seed);
    (0..count)
        .map(|i| {
            let family = QUIET_FAMILIES[i % QUIET_FAMILIES.len()];
            let shape = shape(family, &mut rng);
            let (profile, expected_ms) = render(&shape, &mut rng);
            SyntheticProfile {
                name: format!("{family}-{i}"),
                family,
                profile,
                expected_ms,
            }
        })
        .collect()
}

fn render(shape: &Shape, rng: &mut fastrand::Rng) -> (MeasuredProfile, BTreeMap<u32, f64>) {
    let mut profile = MeasuredProfile::new();
    let mut expected = BTreeMap::new();
    for memory in all_power_values().into_iter().map(|m| m.get()) {
        let Some(ms) = (shape.duration)(memory) else {
            continue;
        };
        let offset = (shape.offset * normal(rng)).exp();
        let samples = (0..CALLS)
            .map(|_| {
                let mut factor = offset * (shape.noise * normal(rng)).exp();
                if rng.f64() < shape.slow {
                    factor *= between(rng, 1.3, 3.0);
                }
                let duration_ms = (ms * factor).max(0.5);
                MeasuredSample {
                    duration_ms,
                    init_duration_ms: None,
                    billed_duration_ms: Some(duration_ms.ceil()),
                    max_memory_used_mb: Some(memory.min(96 + memory / 8)),
                }
            })
            .collect();
        profile.insert(memory, samples);
        expected.insert(memory, ms);
    }
    (profile, expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spread(samples: &[MeasuredSample]) -> f64 {
        let mut d: Vec<f64> = samples.iter().map(|s| s.duration_ms).collect();
        d.sort_by(f64::total_cmp);
        d[75] / d[25] - 1.0
    }

    #[test]
    fn quiet_profiles_are_quiet_and_repeat_per_seed() {
        let profiles = quiet_profiles(20, 3);
        assert_eq!(profiles, quiet_profiles(20, 3));
        assert_eq!(profiles[1].family, "vcpu-step");
        for p in &profiles {
            for (m, samples) in &p.profile {
                assert_eq!(samples.len(), CALLS);
                assert!(samples.iter().all(|s| s.init_duration_ms.is_none()));
                // The middle half of the calls within about 11 % (σ ≤ 8 %: 1.35σ either side).
                assert!(
                    spread(samples) < 0.25,
                    "{} at {m}: {}",
                    p.name,
                    spread(samples)
                );
            }
            assert_eq!(p.profile.len(), p.expected_ms.len());
        }
    }

    #[test]
    fn flat_cpu_has_a_flat_cost_bottom() {
        // Below one vCPU, memory times duration hardly changes: many sizes within 5 % of the
        // cheapest.
        let p = &quiet_profiles(1, 11)[0];
        assert_eq!(p.family, "flat-cpu");
        let cost: Vec<f64> = p
            .expected_ms
            .iter()
            .map(|(&m, &d)| f64::from(m) * d)
            .collect();
        let best = cost.iter().copied().fold(f64::INFINITY, f64::min);
        let ties = cost.iter().filter(|&&c| c <= best * 1.05).count();
        assert!(ties >= 5, "{ties} sizes within 5 % of the cheapest");
    }
}
