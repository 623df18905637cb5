//! Reading a [`JournalEntry`]: one flat record with every field any kind has, then checked per
//! kind. It reads the same JSON as the entry's tagged form, without serde's buffering of a
//! tagged enum, whose reader was some 14 KB of the web page's download (the page reads its
//! journal from `localStorage`).

use serde::Deserialize;

use super::JournalEntry;
use crate::{alias::TuningAlias, arn::FunctionArn, memory::MemoryMb, pricing::Architecture};

/// Which kind of entry a record is.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
enum Kind {
    Restore,
    Alias,
    Optimum,
    Copy,
}

/// Every field of every kind of entry, as the journal's JSON has them.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct EntryRecord {
    kind: Kind,
    function: FunctionArn,
    memory: Option<MemoryMb>,
    description: Option<String>,
    alias: Option<String>,
    version: Option<String>,
    previous: Option<String>,
    of: Option<FunctionArn>,
    architecture: Option<Architecture>,
}

impl TryFrom<EntryRecord> for JournalEntry {
    type Error = String;

    fn try_from(r: EntryRecord) -> Result<Self, String> {
        let missing = |kind: &str, field: &str| format!("a {kind} entry has no {field}");
        Ok(match r.kind {
            Kind::Restore => Self::Restore {
                function: r.function,
                memory: r.memory.ok_or_else(|| missing("restore", "memory"))?,
                description: r
                    .description
                    .ok_or_else(|| missing("restore", "description"))?,
            },
            Kind::Alias => Self::Alias {
                function: r.function,
                alias: TuningAlias::try_from(r.alias.ok_or_else(|| missing("alias", "alias"))?)
                    .map_err(|e| e.to_string())?,
                version: r.version,
            },
            Kind::Optimum => Self::Optimum {
                function: r.function,
                alias: r.alias.ok_or_else(|| missing("optimum", "alias"))?,
                version: r.version.ok_or_else(|| missing("optimum", "version"))?,
                previous: r.previous,
            },
            Kind::Copy => Self::Copy {
                function: r.function,
                of: r.of.ok_or_else(|| missing("copy", "of"))?,
                architecture: r
                    .architecture
                    .ok_or_else(|| missing("copy", "architecture"))?,
            },
        })
    }
}
