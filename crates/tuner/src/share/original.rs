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
    let mut sorted = points.to_vec();
    sorted.sort_by(|a, b| a.power.total_cmp(&b.power));
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
        let mut sizes: Vec<SizeResult> = self
            .sizes
            .iter()
            .zip(&self.durations)
            .zip(&self.costs)
            .filter_map(|((&size, &duration), &cost)| {
                Some(SizeResult {
                    memory: MemoryMb::new(u32::try_from(size).ok()?).ok()?,
                    average_duration_ms: f64::from(duration),
                    average_cost: f64::from(cost),
                    detail: None,
                    error: None,
                })
            })
            .collect();
        sizes.sort_by_key(|s| s.memory);
        RunResult {
            function_name: (!label.is_empty()).then(|| label.to_owned()),
            region: None,
            architecture: Architecture::X86_64,
            currency,
            current_memory: None,
            strategy: Strategy::Cost,
            balanced_weight: DEFAULT_BALANCED_WEIGHT,
            sizes,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn p(power: f64, duration: f64, cost: f64) -> Point {
        Point {
            power,
            duration,
            cost,
        }
    }

    use crate::fixtures::README_SAMPLE_HASH as README_HASH;

    #[test]
    fn worked_example_1() {
        let points = [p(1.0, 2.0, 3.0), p(2.0, 2.0, 2.0), p(3.0, 1.0, 2.0)];
        assert_eq!(
            visualization_url("https://prefix/", &points, false),
            "https://prefix/#AQACAAMA;AAAAQAAAAEAAAIA/;AABAQAAAAEAAAABA"
        );
        let shuffled = [points[2], points[0], points[1]];
        assert_eq!(encode_hash(&shuffled), encode_hash(&points));
        assert_eq!(
            visualization_url("https://prefix/", &points, true),
            "https://prefix/?currency=CNY#AQACAAMA;AAAAQAAAAEAAAIA/;AABAQAAAAEAAAABA"
        );
    }

    #[test]
    fn worked_example_2_readme_link_decodes_and_reencodes() {
        let link = decode_hash(README_HASH).unwrap();
        assert_eq!(link.first.sizes, [128, 256, 512, 1024, 1536, 3008]);
        let expected_times = [37002.398, 18647.773, 8489.437, 3890.892, 2512.227, 2009.793];
        for (got, want) in link.first.durations.iter().zip(expected_times) {
            assert!((f64::from(*got) - want).abs() < 1e-3, "{got} vs {want}");
        }
        let expected_costs = [
            7.7168e-5, 7.7792e-5, 7.0720e-5, 6.4896e-5, 6.4896e-5, 1.02648e-4,
        ];
        for (got, want) in link.first.costs.iter().zip(expected_costs) {
            assert!(
                (f64::from(*got) - want).abs() / want < 1e-4,
                "{got} vs {want}"
            );
        }
        assert!(link.comparison.is_none());
        let points: Vec<Point> = (0..6)
            .map(|i| {
                p(
                    f64::from(link.first.sizes[i]),
                    f64::from(link.first.durations[i]),
                    f64::from(link.first.costs[i]),
                )
            })
            .collect();
        assert_eq!(encode_hash(&points), README_HASH);
        let run = &link.runs()[0].1;
        assert_eq!(run.sizes.len(), 6);
        assert_eq!(run.sizes[5].memory.get(), 3008);
    }

    #[test]
    fn worked_example_3_padding() {
        let four = [
            p(128.0, 1.0, 1.0),
            p(256.0, 1.0, 1.0),
            p(512.0, 1.0, 1.0),
            p(1024.0, 1.0, 1.0),
        ];
        assert!(encode_hash(&four).starts_with("gAAAAQACAAQ=;"));
    }

    #[test]
    fn int16_wraps_like_javascript() {
        assert_eq!(to_int16(40000.0), -25536);
        assert_eq!(to_int16(128.9), 128);
        assert_eq!(to_int16(-1.5), -1);
    }

    #[test]
    fn comparison_links() {
        let other = encode_hash(&[p(128.0, 10.0, 1e-6), p(256.0, 5.0, 1e-6)]);
        let hash = encode_comparison(README_HASH, &other, "x86 run", "arm64; 2nd");
        assert_eq!(hash.split(';').count(), 8);
        assert!(hash.ends_with(";x86%20run;arm64%3B%202nd"));
        let link = decode_hash(&hash).unwrap();
        let cmp = link.comparison.as_ref().unwrap();
        assert_eq!(cmp.first_legend, "x86 run");
        assert_eq!(cmp.second_legend, "arm64; 2nd");
        assert_eq!(cmp.second.sizes, [128, 256]);
        let runs = link.runs();
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[1].0, "arm64; 2nd");
    }

    #[test]
    fn malformed_hashes_say_what_is_wrong() {
        type Check = fn(&ShareLinkError) -> bool;
        let cases: [(&str, Check); 6] = [
            ("gAAAAQAC;AADIQgAAlkMAAEhD", |e| {
                matches!(e, ShareLinkError::WrongPartCount(2))
            }),
            ("g!AAAQAC;AADIQgAAlkMAAEhD;AADIQgAASEMAAPBB", |e| {
                matches!(
                    e,
                    ShareLinkError::Base64 {
                        part: "memory sizes",
                        ..
                    }
                )
            }),
            ("gAAAAQA;AADIQgAAlkMAAEhD;AADIQgAASEMAAPBB", |e| {
                matches!(
                    e,
                    ShareLinkError::Length {
                        part: "memory sizes",
                        ..
                    }
                )
            }),
            ("gAAAAQAC;AADIQgAAlkM=;AADIQgAASEMAAPBB", |e| {
                matches!(
                    e,
                    ShareLinkError::Mismatch {
                        sizes: 3,
                        durations: 2,
                        costs: 3
                    }
                )
            }),
            (";;", |e| matches!(e, ShareLinkError::NoValues)),
            ("AQACAAMA;AAAAQAAAAEAAAIA/;AABAQAAAAEAAAABA", |e| {
                matches!(e, ShareLinkError::BadSize(1))
            }),
        ];
        for (hash, check) in cases {
            let err = decode_hash(hash).unwrap_err();
            assert!(check(&err), "{hash}: {err:?}");
            assert!(!err.to_string().is_empty());
        }
    }

    #[test]
    fn percent_encoded_hashes_are_read() {
        let encoded = README_HASH.replace('/', "%2F");
        assert_eq!(
            decode_hash(&encoded).unwrap(),
            decode_hash(README_HASH).unwrap()
        );
    }
}
