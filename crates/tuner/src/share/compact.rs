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
//! - `pt4`: `pt3`'s content followed by each failed size's kind of failure
//!   (`failure_kinds`). Older links still open; their failures have only their text
//!   ([`crate::failure::FailureKind::Unknown`]).

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};

mod extras;
mod failure_kinds;

use self::extras::{Extras, TrafficWire};
use super::ShareLinkError;
use crate::{
    failure::{CompactKind, FailureKind, SizeFailure},
    memory::MemoryMb,
    pricing::{Architecture, Currency},
    result::{RunResult, SizeDetail, SizeResult},
    stats::confidence::DEFAULT_TOLERANCE,
    stats::{SizeStats, Spread},
    strategy::Strategy,
    traffic::Traffic,
};

const PREFIX: &str = "pt";
const VERSION: &str = "4";
/// The first version: [`Wire`] alone.
const VERSION_1: &str = "1";
/// The second: [`Wire`] and [`Extras`].
const VERSION_2: &str = "2";
/// The third: the second's, the traffic and the restore durations.
const VERSION_3: &str = "3";

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
                    error: s.error.as_ref().map(|e| e.message.clone()),
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
                    error: s
                        .error
                        .map(|text| SizeFailure::new(FailureKind::Unknown, text)),
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
    let kinds = failure_kinds::of(run);
    let bytes =
        postcard::to_allocvec(&(Wire::from(run), Extras::from(run), traffic, restore, kinds))
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
    if ![VERSION, VERSION_3, VERSION_2, VERSION_1].contains(&version) {
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
        type Pt3 = (Wire, Extras, Option<TrafficWire>, Vec<f32>);
        let ((wire, extras, traffic, restore), kinds) = if version == VERSION_3 {
            (postcard::from_bytes::<Pt3>(&bytes).map_err(corrupt)?, None)
        } else {
            let (wire, extras, traffic, restore, kinds): (
                Wire,
                Extras,
                Option<TrafficWire>,
                Vec<f32>,
                Vec<Option<CompactKind>>,
            ) = postcard::from_bytes(&bytes).map_err(corrupt)?;
            ((wire, extras, traffic, restore), Some(kinds))
        };
        let mut run = RunResult::try_from(wire)?;
        extras.apply(&mut run)?;
        run.traffic = traffic.map(Traffic::try_from).transpose()?;
        for (size, ms) in run.sizes.iter_mut().zip(restore) {
            if let Some(d) = &mut size.detail {
                d.stats.mean_restore_ms = f64::from(ms);
            }
        }
        if let Some(kinds) = kinds {
            failure_kinds::apply(kinds, &mut run);
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
mod tests;
