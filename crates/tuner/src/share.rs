//! Share links: results carried in a URL fragment, never sent to any server.
//!
//! Two formats are read and written:
//! - [`original`]: the hash of the original tool's chart site (lambda-power-tuning.show), both its
//!   3-part form `sizes;durations;costs` and its 8-part comparison form;
//! - [`compact`]: powertune's own versioned format (`pt2.` + URL-safe base64 of deflated
//!   postcard), which carries every statistic, the strategy and weight, region, architecture and,
//!   only if the user chose so, the function name. It never holds credentials or account ids.

pub mod compact;
pub mod original;

use crate::result::RunResult;

/// A decoded share link.
#[derive(Debug, Clone, PartialEq)]
pub enum SharedLink {
    /// powertune's own format: one full result, or several compared ones.
    Compact(Vec<RunResult>),
    /// The original chart site's format: one or two series.
    Original(original::OriginalLink),
}

impl SharedLink {
    /// The runs to display, each with its label (empty when the link has none).
    pub fn runs(&self) -> Vec<(String, RunResult)> {
        match self {
            Self::Compact(runs) => runs
                .iter()
                .map(|run| (compact::label(run), run.clone()))
                .collect(),
            Self::Original(link) => link.runs(),
        }
    }
}

/// Why a share link cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ShareLinkError {
    /// No fragment.
    #[error("the link has no results after '#': copy the whole link, including the part after '#'")]
    Empty,
    /// Neither format.
    #[error(
        "the link has {0} ';'-separated parts: an original chart link has 3 (sizes;durations;costs) or 8 (a comparison), and a powertune link starts with \"pt2.\""
    )]
    WrongPartCount(usize),
    /// Bad base64 in one part.
    #[error("the {part} part is not valid base64 ({detail}): the link was probably cut or altered")]
    Base64 {
        /// Which part.
        part: &'static str,
        /// The decoder's complaint.
        detail: String,
    },
    /// A part whose byte length does not fit its element size.
    #[error(
        "the {part} part has {bytes} bytes, not a whole number of {width}-byte values: the link was probably cut"
    )]
    Length {
        /// Which part.
        part: &'static str,
        /// Decoded length.
        bytes: usize,
        /// Element width.
        width: usize,
    },
    /// Parts of different lengths.
    #[error(
        "the link has {sizes} memory sizes but {durations} durations and {costs} costs: they must be equally many"
    )]
    Mismatch {
        /// Number of sizes.
        sizes: usize,
        /// Number of durations.
        durations: usize,
        /// Number of costs.
        costs: usize,
    },
    /// No values.
    #[error("the link holds no memory sizes")]
    NoValues,
    /// A memory size Lambda does not have.
    #[error("the link holds memory size {0}, which is outside Lambda's 128 to 10240 MB")]
    BadSize(i64),
    /// A non-finite or negative duration or cost.
    #[error("the link holds an invalid {what} ({value}) for {memory} MB")]
    BadNumber {
        /// `duration` or `cost`.
        what: &'static str,
        /// The value.
        value: String,
        /// Its size.
        memory: i64,
    },
    /// A powertune link of a version this build does not know.
    #[error(
        "this is a powertune link of format version {0}, newer than this page understands: open it with a newer powertune"
    )]
    UnknownVersion(String),
    /// A powertune link whose content does not decode.
    #[error("the powertune link is damaged ({0}): copy it again from its source")]
    Corrupt(String),
}

/// Reads either format from a fragment, a `#fragment`, or a whole URL.
///
/// # Errors
/// [`ShareLinkError`] naming what is wrong; never panics.
pub fn decode(link: &str) -> Result<SharedLink, ShareLinkError> {
    let fragment = link.trim();
    let fragment = fragment.split_once('#').map_or(fragment, |(_, f)| f).trim();
    if fragment.is_empty() {
        return Err(ShareLinkError::Empty);
    }
    if compact::is_compact(fragment) {
        compact::decode_many(fragment).map(SharedLink::Compact)
    } else {
        original::decode_hash(fragment).map(SharedLink::Original)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_dispatches_on_the_format() {
        let readme = crate::fixtures::README_SAMPLE_URL;
        let SharedLink::Original(link) = decode(readme).unwrap() else {
            panic!("original expected")
        };
        assert_eq!(link.first.sizes.len(), 6);
        assert_eq!(decode("").unwrap_err(), ShareLinkError::Empty);
        assert_eq!(decode("https://x/#").unwrap_err(), ShareLinkError::Empty);
        assert_eq!(
            decode("#a;b").unwrap_err(),
            ShareLinkError::WrongPartCount(2)
        );
        assert!(matches!(decode("#pt9.AAAA"), Err(ShareLinkError::UnknownVersion(v)) if v == "9"));
        assert!(matches!(decode("#pt1.~"), Err(ShareLinkError::Corrupt(_))));
    }
}
