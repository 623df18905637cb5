//! Statistics of one memory size's invocations, and what they rest on: the original's trimmed
//! mean ([`trimming`]) and the 95 % intervals of trimmed means ([`confidence`]).
//!
//! The headline number is the original tool's trimmed mean ([`trimming`]). The spread
//! figures (min, max, mean, percentiles,
//! sample standard deviation) come from `statrs`; percentiles use its R-8 (median-unbiased)
//! quantile estimator.

use statrs::statistics::{Data, OrderStatistics, Statistics};

pub mod confidence;
pub mod trimming;

pub use self::trimming::{discard_count, js_parse_int, trimmed_mean};
use crate::{MemoryMb, logs::Report};

/// One measured invocation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Duration plus init and restore duration, in ms.
    pub duration_ms: f64,
    /// Billed duration plus billed restore duration, in ms.
    pub billed_ms: f64,
    /// Init duration in ms (0 on a warm start).
    pub init_ms: f64,
    /// SnapStart's restore duration in ms (0 without SnapStart or on a warm start).
    pub restore_ms: f64,
    /// Whether a new execution environment was started.
    pub cold_start: bool,
    /// Max memory used, when the report says.
    pub max_memory_used_mb: Option<u32>,
}

impl From<&Report> for Sample {
    fn from(r: &Report) -> Self {
        Self {
            duration_ms: r.total_duration_ms(),
            billed_ms: r.billed_ms(),
            init_ms: r.init_duration_ms,
            restore_ms: r.restore_duration_ms,
            cold_start: r.is_cold_start(),
            max_memory_used_mb: r.max_memory_used_mb,
        }
    }
}

/// The spread of durations.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Spread {
    /// Fastest.
    pub min: f64,
    /// Slowest.
    pub max: f64,
    /// Plain mean.
    pub mean: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Sample standard deviation (0 for a single value).
    pub std_dev: f64,
}

impl Spread {
    /// The spread of `values`; all zeros for none.
    pub fn of(values: &[f64]) -> Self {
        if values.is_empty() {
            return Self::default();
        }
        let mut data = Data::new(values.to_vec());
        let std_dev = if values.len() > 1 {
            values.std_dev()
        } else {
            0.0
        };
        Self {
            min: values.min(),
            max: values.max(),
            mean: values.mean(),
            p50: data.percentile(50),
            p90: data.percentile(90),
            p99: data.percentile(99),
            std_dev,
        }
    }
}

/// Everything measured for one memory size.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SizeStats {
    /// Invocations with a report.
    pub invocations: u32,
    /// Invocations that failed.
    pub errors: u32,
    /// Trimmed mean of durations (the original's `averageDuration`).
    pub average_duration_ms: f64,
    /// Trimmed mean of billed durations.
    pub average_billed_ms: f64,
    /// Sum of all billed durations, for the total cost.
    pub total_billed_ms: f64,
    /// Spread of the durations.
    pub duration: Spread,
    /// Invocations that were cold starts.
    pub cold_starts: u32,
    /// Mean init duration over the cold starts (0 without any).
    pub mean_init_ms: f64,
    /// Mean SnapStart restore duration over the cold starts (0 without SnapStart).
    #[serde(default)]
    pub mean_restore_ms: f64,
    /// Largest max-memory-used reported.
    pub max_memory_used_mb: Option<u32>,
    /// The 95 % interval of the trimmed-mean duration (see [`crate::stats::confidence`]); `None` with
    /// too few invocations to know a spread.
    #[serde(default)]
    pub duration_interval: Option<crate::stats::confidence::Interval>,
}

impl SizeStats {
    /// Whether the largest memory used is above 90 % of `memory`: the function may run out of
    /// memory on a larger input, so the size is flagged although it was measured.
    pub fn near_memory_limit(&self, memory: MemoryMb) -> bool {
        self.max_memory_used_mb
            .is_some_and(|used| f64::from(used) > 0.9 * f64::from(memory.get()))
    }

    /// Summarises the samples of one size; `errors` counts the failed invocations and
    /// `discard` is the trimmed mean's fraction per end.
    pub fn compute(samples: &[Sample], errors: u32, discard: f64) -> Self {
        let durations: Vec<f64> = samples.iter().map(|s| s.duration_ms).collect();
        let billed: Vec<f64> = samples.iter().map(|s| s.billed_ms).collect();
        let cold: Vec<&Sample> = samples.iter().filter(|s| s.cold_start).collect();
        let mean = |of: fn(&Sample) -> f64| {
            if cold.is_empty() {
                0.0
            } else {
                cold.iter().map(|s| of(s)).sum::<f64>() / cold.len() as f64
            }
        };
        let mut ascending_billed = billed.clone();
        ascending_billed.sort_by(f64::total_cmp);
        Self {
            invocations: samples.len() as u32,
            errors,
            average_duration_ms: trimmed_mean(&durations, discard),
            average_billed_ms: trimmed_mean(&billed, discard),
            total_billed_ms: ascending_billed.iter().sum(),
            duration: Spread::of(&durations),
            cold_starts: cold.len() as u32,
            mean_init_ms: mean(|s| s.init_ms),
            mean_restore_ms: mean(|s| s.restore_ms),
            max_memory_used_mb: samples.iter().filter_map(|s| s.max_memory_used_mb).max(),
            duration_interval: crate::stats::confidence::trimmed_mean_interval(&durations, discard),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIVE: [f64; 5] = [1.0, 2.0, 3.0, 4.0, 2000.0];

    #[test]
    fn near_memory_limit_is_above_ninety_percent_used() {
        let used = |mb| SizeStats {
            max_memory_used_mb: mb,
            ..SizeStats::default()
        };
        let m = MemoryMb::new(128).unwrap();
        assert!(used(Some(116)).near_memory_limit(m));
        assert!(!used(Some(115)).near_memory_limit(m));
        assert!(!used(None).near_memory_limit(m));
    }

    #[test]
    fn trimmed_mean_drops_the_fastest_and_slowest() {
        assert_eq!(trimmed_mean(&FIVE, 0.2), 3.0);
        assert_eq!(trimmed_mean(&FIVE, 0.4), 3.0);
        assert_eq!(trimmed_mean(&FIVE, 0.0), 402.0);
        assert_eq!(trimmed_mean(&[1.0], 0.4), 1.0);
        assert_eq!(trimmed_mean(&[], 0.2), 0.0);
    }

    #[test]
    fn discard_count_truncates_the_float_product_as_parse_int_does() {
        let values: Vec<f64> = (1..=10).map(|i| f64::from(i) * 10.0).collect();
        assert_eq!(discard_count(10, 0.29), 2);
        assert_eq!(trimmed_mean(&values, 0.29), 55.0);
        assert_eq!(discard_count(100, 0.29), 28);
        assert_eq!(discard_count(10, 0.3), 3);
    }

    #[test]
    fn trimmed_mean_sorts_first() {
        assert_eq!(trimmed_mean(&[5.0, 1.0, 4.0, 2.0, 3.0, 9.0, 7.0], 0.2), 4.2);
    }

    #[test]
    fn exponent_form_quirk_of_parse_int() {
        assert_eq!(js_parse_int(5.0 * 1e-8), 5.0);
        assert_eq!(js_parse_int(1.5e-7), 1.0);
        assert_eq!(js_parse_int(2.5), 2.0);
        assert_eq!(js_parse_int(-2.5), -2.0);
        assert_eq!(js_parse_int(1e21), 1.0);
        assert_eq!(discard_count(5, 1e-8), 5);
        // JavaScript gives -0 here (sum of nothing over 5 − 10); any zero is fine.
        assert_eq!(trimmed_mean(&[1.0, 2.0, 3.0, 4.0, 5.0], 1e-8), 0.0);
    }

    /// Ten invocations (duration, billed, init), a fixture of the original's executor tests.
    fn fixture_e() -> Vec<Sample> {
        let rows: [(f64, f64, f64); 10] = [
            (0.1, 1.0, 0.1),
            (0.5, 1.0, 0.0),
            (2.0, 2.0, 0.0),
            (3.0, 3.0, 0.0),
            (3.0, 3.0, 0.0),
            (4.0, 4.0, 0.0),
            (4.5, 5.0, 0.0),
            (10.0, 10.0, 0.0),
            (50.0, 50.0, 0.0),
            (200.0, 200.0, 0.0),
        ];
        rows.iter()
            .map(|&(d, b, i)| {
                Sample::from(&Report {
                    duration_ms: d,
                    billed_duration_ms: b,
                    init_duration_ms: i,
                    max_memory_used_mb: Some(60),
                    ..Report::default()
                })
            })
            .collect()
    }

    #[test]
    fn discard_fractions_from_0_to_0_4() {
        let samples = fixture_e();
        assert_eq!(
            SizeStats::compute(&samples, 0, 0.4).average_duration_ms,
            3.5
        );
        assert_eq!(
            SizeStats::compute(&samples, 0, 0.2).average_duration_ms,
            4.416666666666667
        );
        assert_eq!(
            SizeStats::compute(&samples, 0, 0.0).average_duration_ms,
            27.72
        );
    }

    #[test]
    fn billed_average_and_total_as_the_original() {
        let stats = SizeStats::compute(&fixture_e(), 0, 0.2);
        assert_eq!(stats.average_billed_ms, 4.5);
        assert_eq!(stats.total_billed_ms, 279.0);
        assert_eq!(stats.invocations, 10);
        assert_eq!(stats.cold_starts, 1);
        assert_eq!(stats.mean_init_ms, 0.1);
        assert_eq!(stats.max_memory_used_mb, Some(60));
    }

    #[test]
    fn durations_include_init_and_billed_include_restore() {
        let samples: Vec<Sample> = [1.0, 1.0, 2.0, 3.0, 3.0]
            .iter()
            .map(|&d| {
                Sample::from(&Report {
                    duration_ms: d,
                    billed_duration_ms: d,
                    ..Report::default()
                })
            })
            .collect();
        let stats = SizeStats::compute(&samples, 0, 0.0);
        assert_eq!(stats.average_duration_ms, 2.0);
        assert_eq!(stats.total_billed_ms, 10.0);
        assert_eq!(stats.cold_starts, 0);
    }

    #[test]
    fn spread_figures() {
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        let s = Spread::of(&values);
        assert_eq!((s.min, s.max, s.mean), (1.0, 100.0, 50.5));
        assert!((s.p50 - 50.5).abs() < 1e-9, "{}", s.p50);
        assert!(s.p90 > 89.0 && s.p90 < 92.0, "{}", s.p90);
        assert!(s.p99 > 98.0 && s.p99 <= 100.0, "{}", s.p99);
        assert!((s.std_dev - 29.011_491_975_882_016).abs() < 1e-9);
        assert_eq!(Spread::of(&[7.0]).std_dev, 0.0);
        assert_eq!(Spread::of(&[]), Spread::default());
    }
}
