//! Synthetic measured profiles for the replay benchmark: functions drawn from the simulation's
//! model families, "measured" at every size of `"ALL"` (46 sizes) with 100 invocations each, with
//! the kinds of noise real functions show. Seeded: the same seed gives the same profiles.
//!
//! Families:
//! - **CPU-bound**: single-threaded work, a little I/O.
//! - **I/O-bound**: waits on the network; memory barely helps.
//! - **multi-threaded**: a large parallel share, faster up to six vCPUs.
//! - **memory-hungry**: runs out of memory below a need between 512 and 3,008 MB.
//! - **heavy-tailed**: like the first three, plus rare slow outliers (2 to 6 times slower).
//! - **bimodal**: one call in seven takes a slow path 30 to 100 % longer (a cache miss, a retry).
//!
//! Every family has log-normal noise of 2 to 15 %, and about 3 % of the calls are cold starts
//! whose init is billed (as Lambda bills INIT since August 2025).

use std::collections::BTreeMap;

use super::{FunctionModel, MeasuredProfile, MeasuredSample};
use crate::memory::all_power_values;

/// The model families, in the order profiles cycle through them.
pub const FAMILIES: [&str; 6] = [
    "cpu-bound",
    "io-bound",
    "multi-threaded",
    "memory-hungry",
    "heavy-tailed",
    "bimodal",
];

/// Invocations rendered per size.
pub const CALLS_PER_SIZE: usize = 100;

/// One synthetic function: its family and its measured profile.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticProfile {
    /// `<family>-<index>`.
    pub name: String,
    /// One of [`FAMILIES`].
    pub family: &'static str,
    /// Every size of `"ALL"` it does not run out of memory at, with [`CALLS_PER_SIZE`] calls.
    pub profile: MeasuredProfile,
    /// The noise-free duration in ms at each of those sizes: the truth the calls were drawn
    /// around (every call's noise factor has the same distribution at every size, so the sizes
    /// rank alike by it and by a long run's trimmed mean).
    pub expected_ms: BTreeMap<u32, f64>,
}

/// `count` profiles cycling through [`FAMILIES`], drawn from `seed`.
pub fn synthetic_profiles(count: usize, seed: u64) -> Vec<SyntheticProfile> {
    let mut rng = fastrand::Rng::with_seed(seed);
    (0..count)
        .map(|i| {
            let family = FAMILIES[i % FAMILIES.len()];
            let (profile, expected_ms) = render(family, &mut rng);
            SyntheticProfile {
                name: format!("{family}-{i}"),
                family,
                profile,
                expected_ms,
            }
        })
        .collect()
}

pub(super) fn between(rng: &mut fastrand::Rng, low: f64, high: f64) -> f64 {
    low + (high - low) * rng.f64()
}

/// A standard normal draw (Box–Muller).
pub(super) fn normal(rng: &mut fastrand::Rng) -> f64 {
    let u = rng.f64().max(f64::MIN_POSITIVE);
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * rng.f64()).cos()
}

fn model(family: &str, rng: &mut fastrand::Rng) -> FunctionModel {
    let base = match rng.usize(0..3) {
        0 => "cpu-bound",
        1 => "io-bound",
        _ => "multi-threaded",
    };
    let shape = match family {
        "heavy-tailed" | "bimodal" => base,
        other => other,
    };
    let (cpu_ms, parallel_fraction, io_ms) = match shape {
        "cpu-bound" => (between(rng, 20.0, 4000.0), 0.0, between(rng, 0.0, 20.0)),
        "io-bound" => (between(rng, 1.0, 40.0), 0.0, between(rng, 20.0, 600.0)),
        "multi-threaded" => (
            between(rng, 200.0, 20_000.0),
            between(rng, 0.5, 0.95),
            between(rng, 0.0, 50.0),
        ),
        // memory-hungry
        _ => (
            between(rng, 100.0, 8000.0),
            between(rng, 0.0, 0.6),
            between(rng, 0.0, 100.0),
        ),
    };
    FunctionModel {
        cpu_ms,
        parallel_fraction,
        io_ms,
        memory_need_mb: if family == "memory-hungry" {
            rng.u32(512..=3008)
        } else {
            rng.u32(64..=128)
        },
        init_ms: between(rng, 100.0, 1500.0),
        noise: between(rng, 0.02, 0.15),
        error_rate: 0.0,
        arm64: super::Arm64::default(),
    }
}

fn render(family: &str, rng: &mut fastrand::Rng) -> (MeasuredProfile, BTreeMap<u32, f64>) {
    let model = model(family, rng);
    let slow_path = between(rng, 0.3, 1.0);
    let mut profile = MeasuredProfile::new();
    let mut expected_ms = BTreeMap::new();
    for memory in all_power_values().into_iter().map(|m| m.get()) {
        if memory < model.memory_need_mb {
            continue;
        }
        let expected = model.duration_ms(memory);
        let samples = (0..CALLS_PER_SIZE)
            .map(|_| {
                let mut factor = (model.noise * normal(rng)).exp();
                if family == "heavy-tailed" && rng.f64() < 0.05 {
                    factor *= between(rng, 2.0, 6.0);
                }
                if family == "bimodal" && rng.f64() < 0.15 {
                    factor *= 1.0 + slow_path;
                }
                let duration_ms = (expected * factor).max(0.5);
                let init = (rng.f64() < 0.03).then(|| model.init_duration_ms(memory));
                MeasuredSample {
                    duration_ms,
                    init_duration_ms: init,
                    billed_duration_ms: Some((duration_ms + init.unwrap_or(0.0)).ceil()),
                    max_memory_used_mb: Some(model.memory_need_mb.min(memory)),
                }
            })
            .collect();
        profile.insert(memory, samples);
        expected_ms.insert(memory, expected);
    }
    (profile, expected_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_cycle_the_families_and_repeat_per_seed() {
        let profiles = synthetic_profiles(12, 7);
        assert_eq!(profiles.len(), 12);
        assert_eq!(profiles[0].family, "cpu-bound");
        assert_eq!(profiles[6].family, "cpu-bound");
        assert_eq!(profiles[5].name, "bimodal-5");
        assert_eq!(synthetic_profiles(12, 7), profiles);
        assert_ne!(synthetic_profiles(12, 8), profiles);
        for p in &profiles {
            assert!(p.profile.values().all(|s| s.len() == CALLS_PER_SIZE));
            let sizes = p.profile.len();
            if p.family == "memory-hungry" {
                assert!(sizes < 46, "{} keeps {sizes} sizes", p.name);
            } else {
                assert_eq!(sizes, 46, "{}", p.name);
            }
        }
    }

    #[test]
    fn more_memory_speeds_cpu_work_up() {
        let p = &synthetic_profiles(1, 3)[0];
        let mean = |m: u32| {
            let s = &p.profile[&m];
            s.iter().map(|x| x.duration_ms).sum::<f64>() / s.len() as f64
        };
        assert!(mean(128) > 5.0 * mean(1792), "{} {}", mean(128), mean(1792));
    }
}
