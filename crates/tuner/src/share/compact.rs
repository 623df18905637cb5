//! powertune's own share-link format.
//!
//! `pt2.` followed by the URL-safe, unpadded base64 of a raw-deflated postcard encoding of the
//! run. Numbers travel as f32 (about 7 significant digits, ample for charts and tables), which
//! keeps a 6-size link under about 700 characters. The version number in the prefix changes
//! whenever the encoding does, so links keep working or fail with a clear message.
//!
//! - `pt1`: the measurements (`Wire`).
//! - `pt2`: `pt1`'s content followed by `Extras`: the 95 % intervals, the tolerance, sizes
//!   never measured, and what the run measured against the grid. `pt1` links still open, with
//!   the default tolerance and no intervals.
//! - `pt3`: `pt2`'s content followed by the function's monthly traffic (`TrafficWire`), so
//!   the link shows the monthly costs, and each size's SnapStart restore duration. `pt1` and
//!   `pt2` links still open, without them.

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};

mod extras;

use self::extras::{Extras, TrafficWire};
use super::ShareLinkError;
use crate::{
    confidence::DEFAULT_TOLERANCE,
    memory::MemoryMb,
    pricing::{Architecture, Currency},
    result::{RunResult, SizeDetail, SizeResult},
    stats::{SizeStats, Spread},
    strategy::Strategy,
    traffic::Traffic,
};

const PREFIX: &str = "pt";
const VERSION: &str = "3";
/// The first version: [`Wire`] alone.
const VERSION_1: &str = "1";
/// The second: [`Wire`] and [`Extras`].
const VERSION_2: &str = "2";

/// Decompressed links larger than this are refused (a 46-size run is about 4 KB).
const MAX_DECODED_BYTES: usize = 256 * 1024;

/// Whether `fragment` looks like a powertune link of any version.
pub fn is_compact(fragment: &str) -> bool {
    fragment
        .strip_prefix(PREFIX)
        .and_then(|rest| rest.split_once('.'))
        .is_some_and(|(version, _)| {
            !version.is_empty() && version.chars().all(|c| c.is_ascii_digit())
        })
}

#[derive(Serialize, Deserialize)]
struct Wire {
    function_name: Option<String>,
    region: Option<String>,
    architecture: Architecture,
    currency: Currency,
    current_memory: Option<u16>,
    strategy: Strategy,
    balanced_weight: f32,
    sizes: Vec<WireSize>,
}

#[derive(Serialize, Deserialize)]
struct WireSize {
    memory: u16,
    average_duration_ms: f32,
    average_cost: f32,
    detail: Option<WireDetail>,
    error: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct WireDetail {
    invocations: u32,
    errors: u32,
    average_billed_ms: f32,
    total_billed_ms: f32,
    spread: [f32; 7],
    cold_starts: u32,
    mean_init_ms: f32,
    max_memory_used_mb: Option<u32>,
    total_cost: f32,
}

fn narrow(v: f64) -> f32 {
    v as f32
}

fn memory_u16(m: MemoryMb) -> u16 {
    // MemoryMb is at most 10,240.
    m.get() as u16
}

impl From<&RunResult> for Wire {
    fn from(run: &RunResult) -> Self {
        Self {
            function_name: run.function_name.clone(),
            region: run.region.clone(),
            architecture: run.architecture,
            currency: run.currency,
            current_memory: run.current_memory.map(memory_u16),
            strategy: run.strategy,
            balanced_weight: narrow(run.balanced_weight),
            sizes: run
                .sizes
                .iter()
                .map(|s| WireSize {
                    memory: memory_u16(s.memory),
                    average_duration_ms: narrow(s.average_duration_ms),
                    average_cost: narrow(s.average_cost),
                    detail: s.detail.as_ref().map(|d| {
                        let st = &d.stats;
                        let sp = &st.duration;
                        WireDetail {
                            invocations: st.invocations,
                            errors: st.errors,
                            average_billed_ms: narrow(st.average_billed_ms),
                            total_billed_ms: narrow(st.total_billed_ms),
                            spread: [sp.min, sp.max, sp.mean, sp.p50, sp.p90, sp.p99, sp.std_dev]
                                .map(narrow),
                            cold_starts: st.cold_starts,
                            mean_init_ms: narrow(st.mean_init_ms),
                            max_memory_used_mb: st.max_memory_used_mb,
                            total_cost: narrow(d.total_cost),
                        }
                    }),
                    error: s.error.clone(),
                })
                .collect(),
        }
    }
}

impl TryFrom<Wire> for RunResult {
    type Error = ShareLinkError;

    fn try_from(wire: Wire) -> Result<Self, Self::Error> {
        let memory = |mb: u16| {
            MemoryMb::new(u32::from(mb)).map_err(|_| ShareLinkError::BadSize(i64::from(mb)))
        };
        let sizes = wire
            .sizes
            .into_iter()
            .map(|s| {
                Ok(SizeResult {
                    memory: memory(s.memory)?,
                    average_duration_ms: f64::from(s.average_duration_ms),
                    average_cost: f64::from(s.average_cost),
                    detail: s.detail.map(|d| {
                        let [min, max, mean, p50, p90, p99, std_dev] = d.spread.map(f64::from);
                        SizeDetail {
                            stats: SizeStats {
                                invocations: d.invocations,
                                errors: d.errors,
                                average_duration_ms: f64::from(s.average_duration_ms),
                                average_billed_ms: f64::from(d.average_billed_ms),
                                total_billed_ms: f64::from(d.total_billed_ms),
                                duration: Spread {
                                    min,
                                    max,
                                    mean,
                                    p50,
                                    p90,
                                    p99,
                                    std_dev,
                                },
                                cold_starts: d.cold_starts,
                                mean_init_ms: f64::from(d.mean_init_ms),
                                mean_restore_ms: 0.0,
                                max_memory_used_mb: d.max_memory_used_mb,
                                duration_interval: None,
                            },
                            total_cost: f64::from(d.total_cost),
                            cost_interval: None,
                        }
                    }),
                    error: s.error,
                    unmeasured: None,
                })
            })
            .collect::<Result<Vec<_>, ShareLinkError>>()?;
        if sizes.is_empty() {
            return Err(ShareLinkError::NoValues);
        }
        Ok(Self {
            function_name: wire.function_name,
            region: wire.region,
            architecture: wire.architecture,
            currency: wire.currency,
            current_memory: wire.current_memory.map(memory).transpose()?,
            strategy: wire.strategy,
            balanced_weight: f64::from(wire.balanced_weight),
            sizes,
            tolerance: DEFAULT_TOLERANCE,
            sampling: None,
            traffic: None,
        })
    }
}

/// The link fragment (without `#`) for `run`. Callers decide beforehand whether
/// `run.function_name` is shared.
pub fn encode(run: &RunResult) -> String {
    let traffic = run.traffic.as_ref().map(TrafficWire::from);
    let restore: Vec<f32> = run
        .sizes
        .iter()
        .map(|s| {
            s.detail
                .as_ref()
                .map_or(0.0, |d| narrow(d.stats.mean_restore_ms))
        })
        .collect();
    let bytes = postcard::to_allocvec(&(Wire::from(run), Extras::from(run), traffic, restore))
        .expect("postcard cannot fail on owned data");
    let deflated = miniz_oxide::deflate::compress_to_vec(&bytes, 10);
    format!("{PREFIX}{VERSION}.{}", URL_SAFE_NO_PAD.encode(deflated))
}

/// The fragment for several runs shown together (overlaid in the charts): their fragments
/// joined by [`SEPARATOR`].
pub fn encode_many(runs: &[RunResult]) -> String {
    runs.iter().map(encode).collect::<Vec<_>>().join(SEPARATOR)
}

/// Separates the runs of a comparison link; outside base64url's alphabet and kept as is in a
/// URL fragment.
pub const SEPARATOR: &str = "~";

/// Reads a fragment of one or more runs.
///
/// # Errors
/// As [`decode`], for the first run that does not decode.
pub fn decode_many(fragment: &str) -> Result<Vec<RunResult>, ShareLinkError> {
    fragment.split(SEPARATOR).map(decode).collect()
}

/// A short label for a run in a legend: its function name, else its architecture and region.
pub fn label(run: &RunResult) -> String {
    match &run.function_name {
        Some(name) => format!("{name} ({})", run.architecture),
        None => match &run.region {
            Some(region) => format!("{} in {region}", run.architecture),
            None => run.architecture.to_string(),
        },
    }
}

/// Reads a powertune link fragment.
///
/// # Errors
/// [`ShareLinkError::UnknownVersion`] for another version, [`ShareLinkError::Corrupt`] for
/// damaged content, and the value errors of [`ShareLinkError`].
pub fn decode(fragment: &str) -> Result<RunResult, ShareLinkError> {
    let rest = fragment
        .strip_prefix(PREFIX)
        .ok_or(ShareLinkError::Corrupt("no \"pt\" prefix".into()))?;
    let (version, body) = rest
        .split_once('.')
        .ok_or(ShareLinkError::Corrupt("no version".into()))?;
    if ![VERSION, VERSION_2, VERSION_1].contains(&version) {
        return Err(ShareLinkError::UnknownVersion(version.to_owned()));
    }
    let deflated = URL_SAFE_NO_PAD
        .decode(body.trim().trim_end_matches('='))
        .map_err(|e| ShareLinkError::Corrupt(format!("base64: {e}")))?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_DECODED_BYTES)
        .map_err(|e| ShareLinkError::Corrupt(format!("deflate: {e:?}")))?;
    let corrupt = |e: postcard::Error| ShareLinkError::Corrupt(format!("content: {e}"));
    let run = if version == VERSION_1 {
        let mut run = RunResult::try_from(postcard::from_bytes::<Wire>(&bytes).map_err(corrupt)?)?;
        Extras::legacy(&mut run);
        run
    } else if version == VERSION_2 {
        let (wire, extras): (Wire, Extras) = postcard::from_bytes(&bytes).map_err(corrupt)?;
        let mut run = RunResult::try_from(wire)?;
        extras.apply(&mut run)?;
        run
    } else {
        let (wire, extras, traffic, restore): (Wire, Extras, Option<TrafficWire>, Vec<f32>) =
            postcard::from_bytes(&bytes).map_err(corrupt)?;
        let mut run = RunResult::try_from(wire)?;
        extras.apply(&mut run)?;
        run.traffic = traffic.map(Traffic::try_from).transpose()?;
        for (size, ms) in run.sizes.iter_mut().zip(restore) {
            if let Some(d) = &mut size.detail {
                d.stats.mean_restore_ms = f64::from(ms);
            }
        }
        run
    };
    for s in &run.sizes {
        for (what, value) in [
            ("duration", s.average_duration_ms),
            ("cost", s.average_cost),
        ] {
            if !value.is_finite() || value < 0.0 {
                return Err(ShareLinkError::BadNumber {
                    what,
                    value: value.to_string(),
                    memory: i64::from(s.memory.get()),
                });
            }
        }
    }
    Ok(run)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        confidence::Interval,
        result::{SamplingSummary, Unmeasured},
        traffic::TrafficSource,
    };

    pub(crate) fn sample_run() -> RunResult {
        let size = |mb: u32, d: f64, c: f64| SizeResult {
            memory: MemoryMb::new(mb).unwrap(),
            average_duration_ms: d,
            average_cost: c,
            detail: Some(SizeDetail {
                stats: SizeStats {
                    invocations: 50,
                    errors: 1,
                    average_duration_ms: d,
                    average_billed_ms: d.ceil(),
                    total_billed_ms: d.ceil() * 50.0,
                    duration: Spread {
                        min: d * 0.8,
                        max: d * 1.5,
                        mean: d,
                        p50: d,
                        p90: d * 1.2,
                        p99: d * 1.4,
                        std_dev: d / 10.0,
                    },
                    cold_starts: 1,
                    mean_init_ms: 180.5,
                    mean_restore_ms: 95.25,
                    max_memory_used_mb: Some(77),
                    duration_interval: Some(Interval {
                        low: d * 0.95,
                        high: d * 1.05,
                    }),
                },
                total_cost: c * 50.0,
                cost_interval: Some(Interval {
                    low: c * 0.9,
                    high: c * 1.1,
                }),
            }),
            error: None,
            unmeasured: None,
        };
        RunResult {
            function_name: Some("orders-api".into()),
            region: Some("eu-west-1".into()),
            architecture: Architecture::Arm64,
            currency: Currency::Usd,
            current_memory: Some(MemoryMb::new(1024).unwrap()),
            strategy: Strategy::Balanced,
            balanced_weight: 0.25,
            sizes: vec![
                size(128, 812.5, 1.7e-6),
                size(256, 401.25, 1.69e-6),
                size(512, 203.0, 1.7e-6),
                size(1024, 104.0, 1.75e-6),
                size(1536, 80.0, 2.0e-6),
                SizeResult {
                    error: Some("Runtime.OutOfMemory".into()),
                    detail: None,
                    ..size(3008, 0.0, 0.0)
                },
            ],
            tolerance: 0.05,
            sampling: Some(SamplingSummary {
                mode: crate::sampling::SamplingMode::Adaptive,
                invocations: 120,
                published: 5,
                grid_invocations: 300,
                grid_published: 6,
            }),
            traffic: Some(Traffic {
                invocations: 30_000_000,
                source: TrafficSource::Cloudwatch,
                free_tier: true,
                other_gb_seconds: Some(1.5e9),
                cold_start_rate: Some(0.25),
            }),
        }
    }

    #[test]
    fn pt3_links_carry_the_monthly_traffic_and_pt2_links_still_open() {
        let run = sample_run();
        let back = decode(&encode(&run)).unwrap();
        assert_eq!(back.traffic, run.traffic);
        assert_eq!(back.monthly().unwrap().sizes.len(), 5);
        let restore = |r: &RunResult| r.sizes[1].detail.as_ref().unwrap().stats.mean_restore_ms;
        assert_eq!(restore(&back), 95.25);
        // A pt2 link: the same content without the traffic.
        let bytes = postcard::to_allocvec(&(Wire::from(&run), Extras::from(&run))).unwrap();
        let pt2 = format!(
            "pt2.{}",
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&bytes, 10))
        );
        let old = decode(&pt2).unwrap();
        assert_eq!(old.traffic, None);
        assert_eq!(old.tolerance, 0.05);
        assert_eq!(old.sizes.len(), 6);
        // A rate out of range is refused, not shown.
        let mut bad = TrafficWire::from(run.traffic.as_ref().unwrap());
        bad.cold_start_rate = Some(7.0);
        let bytes = postcard::to_allocvec(&(
            Wire::from(&run),
            Extras::from(&run),
            Some(bad),
            vec![0f32; 6],
        ))
        .unwrap();
        let link = format!(
            "pt3.{}",
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&bytes, 10))
        );
        assert!(matches!(decode(&link), Err(ShareLinkError::Corrupt(_))));
    }

    #[test]
    fn round_trip_keeps_everything_at_f32_precision() {
        let run = sample_run();
        let link = encode(&run);
        assert!(link.starts_with("pt3."));
        assert!(link.len() < 700, "{} chars", link.len());
        let back = decode(&link).unwrap();
        assert_eq!(back.function_name.as_deref(), Some("orders-api"));
        assert_eq!(back.architecture, Architecture::Arm64);
        assert_eq!(back.strategy, Strategy::Balanced);
        assert_eq!(back.balanced_weight, 0.25);
        assert_eq!(back.current_memory, run.current_memory);
        assert_eq!(back.sizes.len(), 6);
        assert_eq!(back.sizes[5].error.as_deref(), Some("Runtime.OutOfMemory"));
        let (a, b) = (&run.sizes[1], &back.sizes[1]);
        assert_eq!(b.average_duration_ms, 401.25);
        assert!((b.average_cost - a.average_cost).abs() / a.average_cost < 1e-7);
        let detail = b.detail.as_ref().unwrap();
        assert_eq!(detail.stats.invocations, 50);
        assert_eq!(detail.stats.max_memory_used_mb, Some(77));
        assert_eq!(detail.stats.mean_init_ms, 180.5);
        let interval = detail.stats.duration_interval.unwrap();
        assert!((interval.low - 401.25 * 0.95).abs() < 1e-3);
        assert!(detail.cost_interval.is_some());
        assert_eq!(back.tolerance, 0.05);
        assert_eq!(back.sampling, run.sampling);
        // Encoding what was decoded gives the same link.
        assert_eq!(encode(&back), link);
    }

    /// A link made by the previous release (`pt1`), with 1536 MB skipped by adaptive sampling.
    const PT1: &str = "pt1.VY4xSwNBEEa_FdEoaURQBAlLChuJqCQgKSTenrEIIWBlG3K7ZiGXO27v0FhtL6S-BISQwl4b25RqFfAXKFZWNhZ2bk4OceDBDDNvZsiyFzg8UIWmL8kSjwoXXIWFPQKiM3OAPlzQBLRm97ffS2SfoFKz8Zw7gc7bOIvtWSthomzs9m3osUWgi4zUF637A-g5jB7Z18tbIuOJIXNThR4xXK7Zs1bC5JPBzxqZpnJcujPyPFBj6WWTIs5VhcgzVGKW1IbhQLHhRp8JMT76dzkDTK3r149feWqZ146FuLWATZbUhuHg27Bi5K1ULuoHI2eRBil3vZC6vKmigDtlGrY5VU3X78juOfW9jmz1qCMdOptqtT1PcTMiFVXyik_W_9asnkbdULp8pxGFDVHnrhf0fgA";

    #[test]
    fn links_of_the_first_version_still_open() {
        let old = decode(PT1).unwrap();
        assert_eq!(old.function_name.as_deref(), Some("orders-api"));
        assert_eq!(old.sizes.len(), 6);
        assert_eq!(old.tolerance, DEFAULT_TOLERANCE);
        assert_eq!(old.sampling, None);
        assert!(
            old.sizes[0]
                .detail
                .as_ref()
                .unwrap()
                .stats
                .duration_interval
                .is_none()
        );
        // The skipped size's reason, once error text, is typed now; the failed one stays failed.
        assert_eq!(old.sizes[4].unmeasured, Some(Unmeasured::NotChosen));
        assert_eq!(old.sizes[4].error, None);
        assert_eq!(old.sizes[5].error.as_deref(), Some("Runtime.OutOfMemory"));
        assert!(encode(&old).starts_with("pt3."));
    }

    #[test]
    fn a_size_never_measured_stays_unmeasured_through_a_link() {
        let mut run = sample_run();
        run.sizes[4] = SizeResult {
            detail: None,
            unmeasured: Some(Unmeasured::Stopped),
            average_duration_ms: 0.0,
            average_cost: 0.0,
            ..run.sizes[4].clone()
        };
        let back = decode(&encode(&run)).unwrap();
        assert_eq!(back.sizes[4].unmeasured, Some(Unmeasured::Stopped));
        assert!(!back.sizes[4].is_usable());
    }

    #[test]
    fn no_function_name_unless_set() {
        let mut run = sample_run();
        run.function_name = None;
        let link = encode(&run);
        assert_eq!(decode(&link).unwrap().function_name, None);
    }

    #[test]
    fn damaged_links_are_explained() {
        let link = encode(&sample_run());
        let cut = &link[..link.len() / 2];
        assert!(matches!(decode(cut), Err(ShareLinkError::Corrupt(_))));
        assert!(
            matches!(decode("pt1.!!!"), Err(ShareLinkError::Corrupt(m)) if m.starts_with("base64"))
        );
        assert!(matches!(decode("pt4.AAAA"), Err(ShareLinkError::UnknownVersion(v)) if v == "4"));
        assert!(is_compact("pt1.x") && !is_compact("pt.x") && !is_compact("gAAAAQAC;x;y"));
    }
}
