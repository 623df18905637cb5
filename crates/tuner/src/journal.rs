//! The cleanup journal: what a run created, written down *before* it is created.
//!
//! If a tab crashes or a process is killed mid-run, the journal still lists every alias and
//! version the run may have created and the configuration `$LATEST` had before, so a later start
//! can remove them ([`crate::engine::clean_up`]). Storage is the caller's: localStorage in the
//! browser, files for the CLI, memory in tests. Entries hold no secrets.
//!
//! The engine writes an entry and only then creates what it names; when a write fails, the run
//! stops before creating anything more (and cleans up what the journal already holds).

use std::cell::RefCell;

use serde::{Deserialize, Serialize};

use crate::{alias::TuningAlias, arn::FunctionArn, memory::MemoryMb, pricing::Architecture};

mod record;

/// One thing to undo. Read through [`record::EntryRecord`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    try_from = "record::EntryRecord"
)]
pub enum JournalEntry {
    /// `$LATEST` had this configuration before the run.
    #[serde(rename_all = "camelCase")]
    Restore {
        /// The function.
        function: FunctionArn,
        /// Original memory.
        memory: MemoryMb,
        /// Original description.
        description: String,
    },
    /// An alias the run creates, and the version behind it once published.
    #[serde(rename_all = "camelCase")]
    Alias {
        /// The function.
        function: FunctionArn,
        /// The alias.
        alias: TuningAlias,
        /// Published version, once known.
        version: Option<String>,
    },
    /// A version the optimizer (`autoOptimize`) published for the input's alias, and the version
    /// that alias pointed at before (`None`: it did not exist): undone, the alias put back and
    /// the version deleted, unless the optimization completes.
    #[serde(rename_all = "camelCase")]
    Optimum {
        /// The function.
        function: FunctionArn,
        /// The user's alias (`autoOptimizeAlias`).
        alias: String,
        /// The version published for it.
        version: String,
        /// Where the alias pointed before, if it existed.
        previous: Option<String>,
    },
    /// A copy of a function for another architecture, which the run creates: deleted whole,
    /// its versions and aliases with it.
    #[serde(rename_all = "camelCase")]
    Copy {
        /// The copy.
        function: FunctionArn,
        /// The function copied.
        of: FunctionArn,
        /// The copy's architecture.
        architecture: Architecture,
    },
}

/// What makes two entries the same entry.
#[derive(Debug, PartialEq, Eq)]
enum EntryKey {
    Restore,
    Alias(TuningAlias),
    Optimum,
    Copy,
}

/// What undoing the entry does, in words ("restore … to 1024 MB", "delete alias RAM512 and
/// version 7 of …"), for the lists of leftovers a later start offers to clean up.
impl std::fmt::Display for JournalEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Restore {
                function, memory, ..
            } => write!(f, "restore {function} to {memory}"),
            Self::Alias {
                function,
                alias,
                version: Some(v),
            } => write!(f, "delete alias {alias} and version {v} of {function}"),
            Self::Alias {
                function,
                alias,
                version: None,
            } => write!(f, "delete alias {alias} of {function} (if it was created)"),
            Self::Optimum {
                function,
                alias,
                version,
                previous,
            } => {
                let back = match previous {
                    Some(p) => format!("point alias {alias} back at version {p}"),
                    None => format!("delete alias {alias} if it points at it"),
                };
                write!(f, "{back}, and delete version {version} of {function}")
            }
            Self::Copy {
                function,
                of,
                architecture,
            } => write!(
                f,
                "delete function {function} (a copy of {} for {architecture})",
                of.name()
            ),
        }
    }
}

impl JournalEntry {
    /// Entries with the same key replace each other.
    fn key(&self) -> (&FunctionArn, EntryKey) {
        match self {
            Self::Restore { function, .. } => (function, EntryKey::Restore),
            Self::Alias {
                function, alias, ..
            } => (function, EntryKey::Alias(*alias)),
            Self::Optimum { function, .. } => (function, EntryKey::Optimum),
            Self::Copy { function, .. } => (function, EntryKey::Copy),
        }
    }

    /// The function this entry belongs to.
    pub fn function(&self) -> &FunctionArn {
        self.key().0
    }
}

/// A journal write that did not happen: the run cannot be recovered after a crash, so it must
/// not create anything more.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[error("cannot write the cleanup journal ({where_}): {reason}")]
pub struct JournalError {
    /// Where the journal is kept (a path, "localStorage").
    pub where_: String,
    /// What failed.
    pub reason: String,
}

/// Where journal entries are kept.
pub trait Journal {
    /// Adds `entry`, replacing one with the same function and alias; durable when it returns
    /// `Ok`.
    ///
    /// # Errors
    /// [`JournalError`] when the entry could not be stored.
    fn put(&self, entry: JournalEntry) -> Result<(), JournalError>;
    /// Removes the entry with `entry`'s function and alias.
    ///
    /// # Errors
    /// [`JournalError`] when the change could not be stored (the entry stays, and a later
    /// cleanup finds what it names already gone).
    fn remove(&self, entry: &JournalEntry) -> Result<(), JournalError>;
    /// All entries, oldest first.
    fn entries(&self) -> Vec<JournalEntry>;
    /// Resolves once every write so far is durable. A store whose `put` is durable when it
    /// returns (a file, `localStorage`) is settled at once, the default; one that hands its
    /// writes to another thread (the web app's worker, whose page keeps the journal) resolves
    /// when that thread has stored them, and fails if it could not.
    ///
    /// # Errors
    /// [`JournalError`] when a write handed on could not be stored.
    fn settled(&self) -> Settled<'_> {
        Box::pin(std::future::ready(Ok(())))
    }
}

/// What [`Journal::settled`] returns.
pub type Settled<'a> = std::pin::Pin<Box<dyn Future<Output = Result<(), JournalError>> + 'a>>;

/// Writes `entry` to `journal` before what it names is created, and returns once it is
/// durable. An entry that could not be made durable is removed again: nothing it names exists.
///
/// # Errors
/// [`JournalError`] when the entry could not be stored.
pub async fn record(journal: &dyn Journal, entry: &JournalEntry) -> Result<(), JournalError> {
    journal.put(entry.clone())?;
    if let Err(e) = journal.settled().await {
        let _ = journal.remove(entry);
        return Err(e);
    }
    Ok(())
}

/// Replaces or appends `entry` in `entries` (the shared logic of every journal store).
pub fn upsert(entries: &mut Vec<JournalEntry>, entry: JournalEntry) {
    match entries.iter_mut().find(|e| e.key() == entry.key()) {
        Some(existing) => *existing = entry,
        None => entries.push(entry),
    }
}

/// Removes `entry`'s key from `entries`.
pub fn delete(entries: &mut Vec<JournalEntry>, entry: &JournalEntry) {
    entries.retain(|e| e.key() != entry.key());
}

/// A journal in memory (tests, and runs whose crash recovery is not needed).
#[derive(Debug, Default)]
pub struct MemoryJournal(RefCell<Vec<JournalEntry>>);

impl Journal for MemoryJournal {
    fn put(&self, entry: JournalEntry) -> Result<(), JournalError> {
        upsert(&mut self.0.borrow_mut(), entry);
        Ok(())
    }
    fn remove(&self, entry: &JournalEntry) -> Result<(), JournalError> {
        delete(&mut self.0.borrow_mut(), entry);
        Ok(())
    }
    fn entries(&self) -> Vec<JournalEntry> {
        self.0.borrow().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:f";

    fn alias(version: Option<&str>) -> JournalEntry {
        JournalEntry::Alias {
            function: ARN.parse().unwrap(),
            alias: "RAM128".parse().unwrap(),
            version: version.map(str::to_owned),
        }
    }

    #[test]
    fn put_replaces_by_function_and_alias() {
        let j = MemoryJournal::default();
        j.put(JournalEntry::Restore {
            function: ARN.parse().unwrap(),
            memory: MemoryMb::new(128).unwrap(),
            description: String::new(),
        })
        .unwrap();
        j.put(alias(None)).unwrap();
        j.put(alias(Some("3"))).unwrap();
        assert_eq!(j.entries().len(), 2);
        assert_eq!(j.entries()[1], alias(Some("3")));
        j.remove(&alias(None)).unwrap();
        assert_eq!(j.entries().len(), 1);
    }

    #[test]
    fn entries_serialize_as_before_without_secrets() {
        // The same JSON as the untyped entries of earlier versions, so their journals still load.
        let e = alias(Some("7"));
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(
            json,
            format!(r#"{{"kind":"alias","function":"{ARN}","alias":"RAM128","version":"7"}}"#)
        );
        assert_eq!(serde_json::from_str::<JournalEntry>(&json).unwrap(), e);
        let restore =
            format!(r#"{{"kind":"restore","function":"{ARN}","memory":1024,"description":"d"}}"#);
        assert!(matches!(
            serde_json::from_str::<JournalEntry>(&restore).unwrap(),
            JournalEntry::Restore { memory, .. } if memory.get() == 1024
        ));
    }

    #[test]
    fn an_optimum_has_its_own_key_and_says_what_undoing_it_does() {
        let optimum = |previous: Option<&str>| JournalEntry::Optimum {
            function: ARN.parse().unwrap(),
            alias: "live".into(),
            version: "9".into(),
            previous: previous.map(str::to_owned),
        };
        let j = MemoryJournal::default();
        j.put(alias(Some("3"))).unwrap();
        j.put(optimum(Some("2"))).unwrap();
        assert_eq!(j.entries().len(), 2, "neither replaces the other");
        let json = serde_json::to_string(&optimum(Some("2"))).unwrap();
        assert_eq!(
            json,
            format!(
                r#"{{"kind":"optimum","function":"{ARN}","alias":"live","version":"9","previous":"2"}}"#
            )
        );
        assert_eq!(
            optimum(Some("2")).to_string(),
            format!("point alias live back at version 2, and delete version 9 of {ARN}")
        );
        assert_eq!(
            optimum(None).to_string(),
            format!("delete alias live if it points at it, and delete version 9 of {ARN}")
        );
        assert_eq!(
            alias(Some("3")).to_string(),
            format!("delete alias RAM128 and version 3 of {ARN}")
        );
    }

    #[test]
    fn a_copy_is_journaled_by_its_own_name_and_says_what_undoing_it_does() {
        let copy: JournalEntry = serde_json::from_str(&format!(
            r#"{{"kind":"copy","function":"{ARN}-pt-arm64-1","of":"{ARN}","architecture":"arm64"}}"#
        ))
        .unwrap();
        assert_eq!(
            copy.to_string(),
            format!("delete function {ARN}-pt-arm64-1 (a copy of f for arm64)")
        );
        let j = MemoryJournal::default();
        j.put(alias(Some("3"))).unwrap();
        j.put(copy.clone()).unwrap();
        assert_eq!(j.entries().len(), 2);
        assert_eq!(copy.function().name(), "f-pt-arm64-1");
    }

    #[test]
    fn every_kind_reads_back_as_written() {
        let function: FunctionArn = ARN.parse().unwrap();
        for entry in [
            JournalEntry::Restore {
                function: function.clone(),
                memory: MemoryMb::new(1024).unwrap(),
                description: "d".into(),
            },
            alias(None),
            alias(Some("3")),
            JournalEntry::Optimum {
                function: function.clone(),
                alias: "live".into(),
                version: "9".into(),
                previous: None,
            },
            JournalEntry::Copy {
                function: format!("{ARN}-pt-arm64-1").parse().unwrap(),
                of: function.clone(),
                architecture: Architecture::Arm64,
            },
        ] {
            let json = serde_json::to_string(&entry).unwrap();
            assert_eq!(
                serde_json::from_str::<JournalEntry>(&json).unwrap(),
                entry,
                "{json}"
            );
        }
    }

    #[test]
    fn malformed_entries_are_refused() {
        for bad in [
            r#"{"kind":"alias","function":"f","alias":"RAM128","version":null}"#,
            &format!(r#"{{"kind":"alias","function":"{ARN}","alias":"prod","version":null}}"#),
            &format!(r#"{{"kind":"restore","function":"{ARN}","memory":64,"description":""}}"#),
            &format!(r#"{{"kind":"restore","function":"{ARN}","description":""}}"#),
            &format!(r#"{{"kind":"optimum","function":"{ARN}","alias":"live"}}"#),
            &format!(r#"{{"kind":"copy","function":"{ARN}","architecture":"arm64"}}"#),
            &format!(r#"{{"kind":"unknown","function":"{ARN}"}}"#),
            &format!(r#"{{"function":"{ARN}","memory":1024,"description":""}}"#),
        ] {
            assert!(serde_json::from_str::<JournalEntry>(bad).is_err(), "{bad}");
        }
    }
}
