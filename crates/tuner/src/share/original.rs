//! The original chart site's hash (`utils.js` `buildVisualizationURL`; see
//! `docs/original-behaviour.md`).
//!
//! `sizes;durations;costs`: Int16 memory sizes, then Float32 durations (ms) and costs, each as
//! little-endian bytes in standard base64 with padding. The comparison form appends a second
//! series and two URI-encoded legends: `s1;d1;c1;s2;d2;c2;legend1;legend2`.

use base64::{
    Engine as _, alphabet,
    engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig, general_purpose::STANDARD},
};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use super::ShareLinkError;
use crate::{
    memory::MemoryMb,
    order::{self, sort_indices},
    pricing::{Architecture, Currency},
    result::{RunResult, SizeResult},
    strategy::{DEFAULT_BALANCED_WEIGHT, Strategy},
};

/// What JavaScript's `encodeURIComponent` leaves alone.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// Like `atob`: standard alphabet, padding optional.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// One size's figures, as the analyzer passes them to the link.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Memory in MB.
    pub power: f64,
    /// Average duration in ms.
    pub duration: f64,
    /// Average cost per invocation.
    pub cost: f64,
}

/// One decoded series.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Memory sizes.
    pub sizes: Vec<i16>,
    /// Durations in ms.
    pub durations: Vec<f32>,
    /// Costs per invocation.
    pub costs: Vec<f32>,
}

/// A decoded original link.
#[derive(Debug, Clone, PartialEq)]
pub struct OriginalLink {
    /// The (first) series.
    pub first: Series,
    /// The comparison series with both legends, in the 8-part form.
    pub comparison: Option<SecondSeries>,
}

/// The second half of an 8-part link.
#[derive(Debug, Clone, PartialEq)]
pub struct SecondSeries {
    /// The second series.
    pub second: Series,
    /// Legend of the first series.
    pub first_legend: String,
    /// Legend of the second series.
    pub second_legend: String,
}

/// JavaScript's ToInt16: truncate toward zero, then wrap modulo 2^16.
fn to_int16(x: f64) -> i16 {
    if x.is_finite() {
        (x.trunc() as i64) as i16
    } else {
        0
    }
}

/// The 3-part hash for `points`, sorted ascending by power as the original does.
pub fn encode_hash(points: &[Point]) -> String {
    let sorted = order::sorted(points, &|a, b| a.power.total_cmp(&b.power));
    let sizes: Vec<u8> = sorted
        .iter()
        .flat_map(|p| to_int16(p.power).to_le_bytes())
        .collect();
    let floats = |f: fn(&Point) -> f64| -> Vec<u8> {
        sorted
            .iter()
            .flat_map(|p| (f(p) as f32).to_le_bytes())
            .collect()
    };
    [sizes, floats(|p| p.duration), floats(|p| p.cost)]
        .iter()
        .map(|bytes| STANDARD.encode(bytes))
        .collect::<Vec<_>>()
        .join(";")
}

/// The original's `buildVisualizationURL`: `base` + `?currency=CNY` for China + `#` + hash.
pub fn visualization_url(base: &str, points: &[Point], cny: bool) -> String {
    let currency = if cny { "?currency=CNY" } else { "" };
    format!("{base}{currency}#{}", encode_hash(points))
}

/// The 8-part comparison hash from two 3-part hashes and their legends.
pub fn encode_comparison(
    first_hash: &str,
    second_hash: &str,
    first_legend: &str,
    second_legend: &str,
) -> String {
    format!(
        "{first_hash};{second_hash};{};{}",
        utf8_percent_encode(first_legend, URI_COMPONENT),
        utf8_percent_encode(second_legend, URI_COMPONENT)
    )
}

/// Decodes a 3-part or 8-part hash (without the `#`).
///
/// # Errors
/// [`ShareLinkError`] naming the bad part.
pub fn decode_hash(hash: &str) -> Result<OriginalLink, ShareLinkError> {
    let parts: Vec<&str> = hash.split(';').collect();
    match parts.len() {
        3 => Ok(OriginalLink {
            first: decode_series(&parts[..3])?,
            comparison: None,
        }),
        8 => Ok(OriginalLink {
            first: decode_series(&parts[..3])?,
            comparison: Some(SecondSeries {
                second: decode_series(&parts[3..6])?,
                first_legend: decode_legend(parts[6]),
                second_legend: decode_legend(parts[7]),
            }),
        }),
        n => Err(ShareLinkError::WrongPartCount(n)),
    }
}

fn decode_legend(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

fn decode_series(parts: &[&str]) -> Result<Series, ShareLinkError> {
    let sizes: Vec<i16> = decode_part(parts[0], "memory sizes", 2)?
        .chunks_exact(2)
        .map(|c| i16::from_le_bytes([c[0], c[1]]))
        .collect();
    let floats = |i: usize, part: &'static str| -> Result<Vec<f32>, ShareLinkError> {
        Ok(decode_part(parts[i], part, 4)?
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect())
    };
    let series = Series {
        sizes,
        durations: floats(1, "durations")?,
        costs: floats(2, "costs")?,
    };
    if series.sizes.len() != series.durations.len() || series.sizes.len() != series.costs.len() {
        return Err(ShareLinkError::Mismatch {
            sizes: series.sizes.len(),
            durations: series.durations.len(),
            costs: series.costs.len(),
        });
    }
    if series.sizes.is_empty() {
        return Err(ShareLinkError::NoValues);
    }
    for ((&size, &duration), &cost) in series
        .sizes
        .iter()
        .zip(&series.durations)
        .zip(&series.costs)
    {
        if MemoryMb::new(u32::try_from(size).unwrap_or(0)).is_err() {
            return Err(ShareLinkError::BadSize(i64::from(size)));
        }
        for (what, value) in [("duration", duration), ("cost", cost)] {
            if !value.is_finite() || value < 0.0 {
                return Err(ShareLinkError::BadNumber {
                    what,
                    value: value.to_string(),
                    memory: i64::from(size),
                });
            }
        }
    }
    Ok(series)
}

fn decode_part(text: &str, part: &'static str, width: usize) -> Result<Vec<u8>, ShareLinkError> {
    // Chat tools sometimes percent-encode '+', '/' and '='.
    let text = percent_decode_str(text.trim()).decode_utf8_lossy();
    let bytes = LENIENT
        .decode(text.as_bytes())
        .map_err(|e| ShareLinkError::Base64 {
            part,
            detail: e.to_string(),
        })?;
    if !bytes.len().is_multiple_of(width) {
        return Err(ShareLinkError::Length {
            part,
            bytes: bytes.len(),
            width,
        });
    }
    Ok(bytes)
}

impl Series {
    /// The series as a result with durations and costs only.
    pub fn to_run(&self, label: &str, currency: Currency) -> RunResult {
        let mut order: Vec<usize> = (0..self.sizes.len()).collect();
        sort_indices(&mut order, &|a, b| self.sizes[a].cmp(&self.sizes[b]));
        let sizes: Vec<SizeResult> = order
            .into_iter()
            .filter_map(|i| {
                Some(SizeResult {
                    memory: MemoryMb::new(u32::try_from(self.sizes[i]).ok()?).ok()?,
                    average_duration_ms: f64::from(*self.durations.get(i)?),
                    average_cost: f64::from(*self.costs.get(i)?),
                    detail: None,
                    error: None,
                    unmeasured: None,
                })
            })
            .collect();
        RunResult {
            function_name: (!label.is_empty()).then(|| label.to_owned()),
            region: None,
            architecture: Architecture::X86_64,
            currency,
            current_memory: None,
            strategy: Strategy::Cost,
            balanced_weight: DEFAULT_BALANCED_WEIGHT,
            sizes,
            tolerance: crate::stats::confidence::DEFAULT_TOLERANCE,
            sampling: None,
            traffic: None,
        }
    }
}

impl OriginalLink {
    /// The series as results, each with its legend.
    pub fn runs(&self) -> Vec<(String, RunResult)> {
        let mut runs = Vec::new();
        let (first_legend, second) = match &self.comparison {
            Some(c) => (c.first_legend.as_str(), Some(c)),
            None => ("", None),
        };
        runs.push((
            first_legend.to_owned(),
            self.first.to_run(first_legend, Currency::Usd),
        ));
        if let Some(c) = second {
            runs.push((
                c.second_legend.clone(),
                c.second.to_run(&c.second_legend, Currency::Usd),
            ));
        }
        runs
    }
}

/// The chart-site hash of the original README's sample result: 128, 256, 512, 1024, 1536 and
/// 3008 MB (the web app's sample link opens it).
pub const README_SAMPLE_HASH: &str =
    "gAAAAQACAAQABsAL;ZooQR4yvkUa/pQRGRC5zRaADHUVjOftE;QdWhOEMkoziDT5Q4xhiIOMYYiDi6RNc4";

#[cfg(test)]
mod tests;
