//! Why a size failed, as a type: its kind (out of memory, timed out, a function error, refused by
//! Lambda, …) decides what tables and progress lines say in a few words, and the full message
//! (the original's long text, with the payload, error type, message and trace) stays beside it
//! for whoever opens it. The kind is set where the failure is known, never read back from text.

use serde::{Deserialize, Serialize};

mod serialized;

pub(crate) use serialized::CompactKind;

/// How many characters of a message without a kind the short cause keeps.
const SHORT_LIMIT: usize = 60;

/// Why a size failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SizeFailure {
    /// What went wrong.
    pub kind: FailureKind,
    /// The full text: the original's error for an invocation, Lambda's words for a refusal.
    pub message: String,
}

/// What went wrong with a size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
pub enum FailureKind {
    /// The function ran out of memory (its log tail says so).
    OutOfMemory,
    /// The function hit its own timeout (its log tail says so).
    TimedOut,
    /// No answer within the client's timeout; the request was abandoned.
    NoAnswer {
        /// The client's timeout in seconds.
        after_s: u64,
    },
    /// The function returned an error.
    FunctionError {
        /// Its `errorType`, when it named one.
        error_type: Option<String>,
    },
    /// The pre-processor returned an error.
    PreProcessor,
    /// The post-processor returned an error.
    PostProcessor,
    /// The invocation's log tail had no `REPORT` line, so its duration is unknown.
    NoReport,
    /// Lambda refused to publish the size.
    Refused {
        /// The account's memory quota, when that was the reason.
        quota_mb: Option<u32>,
    },
    /// A failure read from an older share link or export, which kept only its text.
    Unknown,
}

impl SizeFailure {
    /// A failure of `kind` with its full `message`.
    pub fn new(kind: FailureKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// The cause in a few words, for tables and progress lines: "out of memory", "timed out",
    /// "function error: ValueError", "your account allows at most 3008 MB", …
    pub fn short(&self) -> String {
        match &self.kind {
            FailureKind::OutOfMemory => "out of memory".into(),
            FailureKind::TimedOut => "timed out".into(),
            FailureKind::NoAnswer { after_s } => format!("no answer within {after_s} s"),
            FailureKind::FunctionError {
                error_type: Some(kind),
            } => format!("function error: {kind}"),
            FailureKind::FunctionError { error_type: None } => "function error".into(),
            FailureKind::PreProcessor => "pre-processor failed".into(),
            FailureKind::PostProcessor => "post-processor failed".into(),
            FailureKind::NoReport => "no REPORT line".into(),
            FailureKind::Refused {
                quota_mb: Some(quota),
            } => format!("your account allows at most {quota} MB"),
            FailureKind::Refused { quota_mb: None } => "refused by Lambda".into(),
            FailureKind::Unknown => first_clause(&self.message),
        }
    }

    /// The kind's name as exports write it (`out-of-memory`, `function-error`, …).
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            FailureKind::OutOfMemory => "out-of-memory",
            FailureKind::TimedOut => "timed-out",
            FailureKind::NoAnswer { .. } => "no-answer",
            FailureKind::FunctionError { .. } => "function-error",
            FailureKind::PreProcessor => "pre-processor",
            FailureKind::PostProcessor => "post-processor",
            FailureKind::NoReport => "no-report",
            FailureKind::Refused { .. } => "refused",
            FailureKind::Unknown => "unknown",
        }
    }
}

impl std::fmt::Display for SizeFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A short text as it is, else its first clause, at most [`SHORT_LIMIT`] characters: the short
/// cause of a failure that came without a kind.
fn first_clause(text: &str) -> String {
    if text.chars().count() <= SHORT_LIMIT {
        return text.trim().to_owned();
    }
    let first = text
        .split(['.', ',', ';', '\n'])
        .next()
        .unwrap_or(text)
        .trim();
    if first.chars().count() > SHORT_LIMIT {
        let cut: String = first.chars().take(SHORT_LIMIT - 1).collect();
        format!("{}…", cut.trim_end())
    } else {
        first.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_says_its_cause_in_a_few_words() {
        let long = r#"Invocation error (running in series) with payload "{}" - original error type: "ValueError", original error message: "bad",trace: "["at x"]""#;
        let error = |kind| SizeFailure::new(kind, long);
        assert_eq!(error(FailureKind::OutOfMemory).short(), "out of memory");
        assert_eq!(error(FailureKind::TimedOut).short(), "timed out");
        assert_eq!(
            error(FailureKind::FunctionError {
                error_type: Some("ValueError".into())
            })
            .short(),
            "function error: ValueError"
        );
        assert_eq!(
            error(FailureKind::FunctionError { error_type: None }).short(),
            "function error"
        );
        assert_eq!(
            error(FailureKind::Refused {
                quota_mb: Some(3008)
            })
            .short(),
            "your account allows at most 3008 MB"
        );
        assert_eq!(
            error(FailureKind::NoAnswer { after_s: 900 }).short(),
            "no answer within 900 s"
        );
        assert_eq!(
            error(FailureKind::PostProcessor).short(),
            "post-processor failed"
        );
        // The full text is what the failure displays.
        assert_eq!(error(FailureKind::OutOfMemory).to_string(), long);
    }

    #[test]
    fn a_failure_without_a_kind_is_shortened_to_its_first_clause() {
        let unknown = |text: &str| SizeFailure::new(FailureKind::Unknown, text).short();
        assert_eq!(
            unknown("the invocation's log tail has no REPORT line, so its duration is unknown"),
            "the invocation's log tail has no REPORT line"
        );
        assert_eq!(unknown(""), "");
        assert_eq!(unknown(&"x".repeat(200)).chars().count(), SHORT_LIMIT);
        // A short text stays whole, and no kind is read back from it.
        assert_eq!(unknown("Runtime.OutOfMemory"), "Runtime.OutOfMemory");
    }

    #[test]
    fn json_carries_the_kind_and_reads_older_plain_messages() {
        let oom = SizeFailure::new(FailureKind::OutOfMemory, "Invocation ran out of memory");
        let json = serde_json::to_value(&oom).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "out-of-memory", "message": "Invocation ran out of memory"})
        );
        assert_eq!(serde_json::from_value::<SizeFailure>(json).unwrap(), oom);
        let refused = SizeFailure::new(
            FailureKind::Refused {
                quota_mb: Some(3008),
            },
            "no",
        );
        let json = serde_json::to_value(&refused).unwrap();
        assert_eq!(json["quotaMb"], 3008);
        assert_eq!(
            serde_json::from_value::<SizeFailure>(json).unwrap(),
            refused
        );
        let old: SizeFailure = serde_json::from_str("\"timed out\"").unwrap();
        assert_eq!(old, SizeFailure::new(FailureKind::Unknown, "timed out"));
    }

    #[test]
    fn postcard_carries_every_kind() {
        for kind in [
            FailureKind::OutOfMemory,
            FailureKind::TimedOut,
            FailureKind::NoAnswer { after_s: 900 },
            FailureKind::FunctionError {
                error_type: Some("ValueError".into()),
            },
            FailureKind::FunctionError { error_type: None },
            FailureKind::PreProcessor,
            FailureKind::PostProcessor,
            FailureKind::NoReport,
            FailureKind::Refused {
                quota_mb: Some(3008),
            },
            FailureKind::Refused { quota_mb: None },
            FailureKind::Unknown,
        ] {
            let failure = SizeFailure::new(kind, "the full text");
            let bytes = postcard::to_allocvec(&failure).unwrap();
            assert_eq!(
                postcard::from_bytes::<SizeFailure>(&bytes).unwrap(),
                failure
            );
        }
    }
}
