//! Replaying measurements: a simulated function can answer with the durations measured of a real
//! one instead of a model's. At memory `m` an invocation returns the next of that size's samples
//! in a seeded random order, without replacement, reshuffled once all are used. Each size's order
//! depends only on the function's seed and the size, not on what else was invoked before: two
//! runs that tune the same function differently (the grid and adaptive sampling) see the same
//! samples at every size, in the same order, so their comparison is paired.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::model::Execution;

/// One measured invocation (the fields of a `REPORT` line).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeasuredSample {
    /// `Duration` in ms.
    pub duration_ms: f64,
    /// `Init Duration` in ms, on a cold start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init_duration_ms: Option<f64>,
    /// `Billed Duration` in ms; when absent, the duration plus init rounded up to 1 ms (Lambda
    /// bills INIT since August 2025).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billed_duration_ms: Option<f64>,
    /// `Max Memory Used` in MB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_memory_used_mb: Option<u32>,
}

/// Samples per memory size in MB.
pub type MeasuredProfile = BTreeMap<u32, Vec<MeasuredSample>>;

impl MeasuredSample {
    /// This sample as an invocation at `memory_mb` with a `timeout_s` timeout.
    pub fn execution(&self, memory_mb: u32, timeout_s: u32) -> Execution {
        let init_ms = self.init_duration_ms.unwrap_or(0.0);
        let timeout_ms = f64::from(timeout_s) * 1000.0;
        let timed_out = self.duration_ms > timeout_ms;
        let duration_ms = self.duration_ms.min(timeout_ms);
        Execution {
            init_ms,
            duration_ms,
            billed_ms: self
                .billed_duration_ms
                .unwrap_or_else(|| (init_ms + duration_ms).ceil().max(1.0)),
            max_memory_used_mb: self
                .max_memory_used_mb
                .unwrap_or(memory_mb / 2)
                .min(memory_mb),
            failure: timed_out.then(|| ("Sandbox.Timedout", "Task timed out".to_owned())),
        }
    }
}

/// The invocation of a size the profile has no samples of: a function error naming the size.
pub fn unmeasured(memory_mb: u32) -> Execution {
    Execution {
        init_ms: 0.0,
        duration_ms: 1.0,
        billed_ms: 1.0,
        max_memory_used_mb: memory_mb / 2,
        failure: Some((
            "NoMeasurement",
            format!("this function's measured profile has no samples at {memory_mb} MB"),
        )),
    }
}

/// SplitMix64's increment (2^64 / the golden ratio): consecutive integers times it spread over
/// the whole seed space.
pub(super) const SPREAD: u64 = 0x9e37_79b9_7f4a_7c15;

/// Where each size's replay stands.
#[derive(Debug, Clone)]
pub struct Replay {
    seed: u64,
    /// Per size: the order, the next position in it, and how many orders were drawn.
    cursors: BTreeMap<u32, (Vec<usize>, usize, u64)>,
}

impl Replay {
    /// A replay whose orders derive from `seed`.
    pub fn seeded(seed: u64) -> Self {
        Self {
            seed,
            cursors: BTreeMap::new(),
        }
    }

    /// The next sample of `memory_mb` in `profile`; `None` when the profile has none at that size.
    pub fn next<'p>(
        &mut self,
        profile: &'p MeasuredProfile,
        memory_mb: u32,
    ) -> Option<&'p MeasuredSample> {
        let samples = profile.get(&memory_mb).filter(|s| !s.is_empty())?;
        let (order, next, rounds) = self
            .cursors
            .entry(memory_mb)
            .or_insert_with(|| (Vec::new(), 0, 0));
        if *next >= order.len() {
            *order = (0..samples.len()).collect();
            let mix = u64::from(memory_mb)
                .wrapping_mul(SPREAD)
                .wrapping_add(*rounds);
            fastrand::Rng::with_seed(self.seed ^ mix).shuffle(order);
            *rounds += 1;
            *next = 0;
        }
        let sample = &samples[order[*next]];
        *next += 1;
        Some(sample)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(ms: f64) -> MeasuredSample {
        MeasuredSample {
            duration_ms: ms,
            init_duration_ms: None,
            billed_duration_ms: None,
            max_memory_used_mb: None,
        }
    }

    #[test]
    fn every_sample_once_before_any_twice() {
        let profile: MeasuredProfile = [(128, (1..=5).map(|i| sample(f64::from(i))).collect())]
            .into_iter()
            .collect();
        let mut replay = Replay::seeded(9);
        let mut rounds = Vec::new();
        for _ in 0..3 {
            let round: Vec<f64> = (0..5)
                .map(|_| replay.next(&profile, 128).unwrap().duration_ms)
                .collect();
            let mut sorted = round.clone();
            sorted.sort_by(f64::total_cmp);
            assert_eq!(sorted, [1.0, 2.0, 3.0, 4.0, 5.0]);
            rounds.push(round);
        }
        assert!(
            rounds[0] != rounds[1] || rounds[1] != rounds[2],
            "reshuffled: {rounds:?}"
        );
        assert!(replay.next(&profile, 256).is_none());
    }

    #[test]
    fn a_sizes_order_does_not_depend_on_the_other_sizes_invoked() {
        let profile: MeasuredProfile = [128, 256]
            .into_iter()
            .map(|m| (m, (1..=20).map(|i| sample(f64::from(i))).collect()))
            .collect();
        let mut alone = Replay::seeded(4);
        let only: Vec<f64> = (0..20)
            .map(|_| alone.next(&profile, 256).unwrap().duration_ms)
            .collect();
        let mut mixed = Replay::seeded(4);
        let interleaved: Vec<f64> = (0..20)
            .map(|_| {
                mixed.next(&profile, 128);
                mixed.next(&profile, 256).unwrap().duration_ms
            })
            .collect();
        assert_eq!(only, interleaved);
        let mut other_seed = Replay::seeded(5);
        let other: Vec<f64> = (0..20)
            .map(|_| other_seed.next(&profile, 256).unwrap().duration_ms)
            .collect();
        assert_ne!(only, other, "the seed decides the order");
    }

    #[test]
    fn billing_defaults_to_duration_plus_init_rounded_up() {
        let s = MeasuredSample {
            init_duration_ms: Some(100.2),
            ..sample(5380.1)
        };
        assert_eq!(s.execution(1024, 30).billed_ms, 5481.0);
        let given = MeasuredSample {
            billed_duration_ms: Some(4023.0),
            ..s.clone()
        };
        assert_eq!(given.execution(1024, 30).billed_ms, 4023.0);
        // Longer than the timeout: cut at it, and a timeout.
        let slow = s.execution(1024, 3);
        assert_eq!(slow.duration_ms, 3000.0);
        assert!(slow.failure.is_some());
        assert!(
            unmeasured(1536).failure.unwrap().1.contains("1536 MB"),
            "names the size"
        );
    }

    #[test]
    fn profiles_read_the_emulators_config_shape() {
        let profile: MeasuredProfile = serde_json::from_str(
            r#"{"128": [{"durationMs": 5505.8, "maxMemoryUsedMb": 62}, {"durationMs": 5380.1}],
                "192": [{"durationMs": 3712.4, "initDurationMs": 310.2, "billedDurationMs": 4023}]}"#,
        )
        .unwrap();
        assert_eq!(profile[&128].len(), 2);
        assert_eq!(profile[&192][0].billed_duration_ms, Some(4023.0));
    }
}
