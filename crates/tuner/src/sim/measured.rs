//! Replaying measurements: a simulated function can answer with the durations measured of a real
//! one instead of a model's. At memory `m` an invocation returns the next of that size's samples
//! in a seeded random order, without replacement, reshuffled once all are used.

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

/// Where each size's replay stands.
#[derive(Debug, Clone, Default)]
pub struct Replay {
    cursors: BTreeMap<u32, (Vec<usize>, usize)>,
}

impl Replay {
    /// The next sample of `memory_mb` in `profile`, drawing orders from `rng`; `None` when the
    /// profile has none at that size.
    pub fn next<'p>(
        &mut self,
        profile: &'p MeasuredProfile,
        memory_mb: u32,
        rng: &mut fastrand::Rng,
    ) -> Option<&'p MeasuredSample> {
        let samples = profile.get(&memory_mb).filter(|s| !s.is_empty())?;
        let (order, next) = self
            .cursors
            .entry(memory_mb)
            .or_insert_with(|| (Vec::new(), 0));
        if *next >= order.len() {
            *order = (0..samples.len()).collect();
            rng.shuffle(order);
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
        let mut replay = Replay::default();
        let mut rng = fastrand::Rng::with_seed(9);
        for _ in 0..3 {
            let mut round: Vec<f64> = (0..5)
                .map(|_| replay.next(&profile, 128, &mut rng).unwrap().duration_ms)
                .collect();
            round.sort_by(f64::total_cmp);
            assert_eq!(round, [1.0, 2.0, 3.0, 4.0, 5.0]);
        }
        assert!(replay.next(&profile, 256, &mut rng).is_none());
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
