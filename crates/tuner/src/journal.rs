//! The cleanup journal: what a run created, written down *before* it is created.
//!
//! If a tab crashes or a process is killed mid-run, the journal still lists every alias and
//! version the run may have created and the configuration `$LATEST` had before, so a later start
//! can remove them ([`crate::engine::clean_up`]). Storage is the caller's: localStorage in the
//! browser, a file for the CLI, memory in tests. Entries hold no secrets.

use std::cell::RefCell;

use serde::{Deserialize, Serialize};

/// One thing to undo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum JournalEntry {
    /// `$LATEST` had this configuration before the run.
    #[serde(rename_all = "camelCase")]
    Restore {
        /// Function ARN.
        function: String,
        /// Original memory in MB.
        memory: u32,
        /// Original description.
        description: String,
    },
    /// An alias the run creates, and the version behind it once published.
    #[serde(rename_all = "camelCase")]
    Alias {
        /// Function ARN.
        function: String,
        /// Alias name.
        alias: String,
        /// Published version, once known.
        version: Option<String>,
    },
}

impl JournalEntry {
    /// Entries with the same key replace each other.
    fn key(&self) -> (&str, Option<&str>) {
        match self {
            Self::Restore { function, .. } => (function, None),
            Self::Alias {
                function, alias, ..
            } => (function, Some(alias)),
        }
    }

    /// The function this entry belongs to.
    pub fn function(&self) -> &str {
        self.key().0
    }
}

/// Where journal entries are kept. Writes must be durable when the call returns.
pub trait Journal {
    /// Adds `entry`, replacing one with the same function and alias.
    fn put(&self, entry: JournalEntry);
    /// Removes the entry with `entry`'s function and alias.
    fn remove(&self, entry: &JournalEntry);
    /// All entries, oldest first.
    fn entries(&self) -> Vec<JournalEntry>;
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
    fn put(&self, entry: JournalEntry) {
        upsert(&mut self.0.borrow_mut(), entry);
    }
    fn remove(&self, entry: &JournalEntry) {
        delete(&mut self.0.borrow_mut(), entry);
    }
    fn entries(&self) -> Vec<JournalEntry> {
        self.0.borrow().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_replaces_by_function_and_alias() {
        let j = MemoryJournal::default();
        let alias = |v: Option<&str>| JournalEntry::Alias {
            function: "f".into(),
            alias: "RAM128".into(),
            version: v.map(str::to_owned),
        };
        j.put(JournalEntry::Restore {
            function: "f".into(),
            memory: 128,
            description: String::new(),
        });
        j.put(alias(None));
        j.put(alias(Some("3")));
        assert_eq!(j.entries().len(), 2);
        assert_eq!(j.entries()[1], alias(Some("3")));
        j.remove(&alias(None));
        assert_eq!(j.entries().len(), 1);
    }

    #[test]
    fn entries_serialize_without_secrets() {
        let e = JournalEntry::Alias {
            function: "arn:aws:lambda:us-east-1:123456789012:function:f".into(),
            alias: "RAM128".into(),
            version: Some("7".into()),
        };
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"alias","function":"arn:aws:lambda:us-east-1:123456789012:function:f","alias":"RAM128","version":"7"}"#
        );
        assert_eq!(serde_json::from_str::<JournalEntry>(&json).unwrap(), e);
    }
}
