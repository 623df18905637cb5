//! How a [`SizeFailure`] is written: in JSON (exports, results) as `{"kind": …, "message": …}`,
//! read also as the message alone (exports written before failures had kinds); in a compact
//! binary format (share links, the web app's worker messages, both postcard) as its
//! [`CompactKind`] and message, since postcard reads neither a tag inside an object nor an
//! either-or.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{FailureKind, SizeFailure};

/// A failure as JSON is written from it, borrowed: [`FailureRepr::Typed`]'s form.
#[derive(Serialize)]
struct TypedRef<'a> {
    #[serde(flatten)]
    kind: &'a FailureKind,
    message: &'a str,
}

/// A failure as JSON carries it, read (the message alone too).
#[derive(Deserialize)]
#[serde(untagged)]
enum FailureRepr {
    Typed {
        #[serde(flatten)]
        kind: FailureKind,
        message: String,
    },
    Text(String),
}

/// A [`FailureKind`] as postcard carries it: externally tagged, its fields in order. `pt4` share
/// links carry it, so a change here is a new link version.
#[derive(Serialize, Deserialize)]
pub(crate) enum CompactKind {
    OutOfMemory,
    TimedOut,
    NoAnswer(u64),
    FunctionError(Option<String>),
    PreProcessor,
    PostProcessor,
    NoReport,
    Refused(Option<u32>),
    Unknown,
}

impl Serialize for SizeFailure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            TypedRef {
                kind: &self.kind,
                message: &self.message,
            }
            .serialize(s)
        } else {
            (CompactKind::from(&self.kind), &self.message).serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for SizeFailure {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            Ok(match FailureRepr::deserialize(d)? {
                FailureRepr::Typed { kind, message } => Self { kind, message },
                FailureRepr::Text(message) => Self::new(FailureKind::Unknown, message),
            })
        } else {
            let (kind, message) = <(CompactKind, String)>::deserialize(d)?;
            Ok(Self::new(kind.into(), message))
        }
    }
}

impl From<&FailureKind> for CompactKind {
    fn from(kind: &FailureKind) -> Self {
        match kind {
            FailureKind::OutOfMemory => Self::OutOfMemory,
            FailureKind::TimedOut => Self::TimedOut,
            FailureKind::NoAnswer { after_s } => Self::NoAnswer(*after_s),
            FailureKind::FunctionError { error_type } => Self::FunctionError(error_type.clone()),
            FailureKind::PreProcessor => Self::PreProcessor,
            FailureKind::PostProcessor => Self::PostProcessor,
            FailureKind::NoReport => Self::NoReport,
            FailureKind::Refused { quota_mb } => Self::Refused(*quota_mb),
            FailureKind::Unknown => Self::Unknown,
        }
    }
}

impl From<CompactKind> for FailureKind {
    fn from(kind: CompactKind) -> Self {
        match kind {
            CompactKind::OutOfMemory => Self::OutOfMemory,
            CompactKind::TimedOut => Self::TimedOut,
            CompactKind::NoAnswer(after_s) => Self::NoAnswer { after_s },
            CompactKind::FunctionError(error_type) => Self::FunctionError { error_type },
            CompactKind::PreProcessor => Self::PreProcessor,
            CompactKind::PostProcessor => Self::PostProcessor,
            CompactKind::NoReport => Self::NoReport,
            CompactKind::Refused(quota_mb) => Self::Refused { quota_mb },
            CompactKind::Unknown => Self::Unknown,
        }
    }
}
