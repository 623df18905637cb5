//! The cleanup journal in localStorage, so a closed or crashed tab's leftovers can be removed
//! later. It holds ARNs, alias names and versions, never credentials. A write that fails (storage
//! full or disabled) is an error: the engine then stops before creating anything it could not
//! record.
//!
//! Each run has its own key, `powertune.journal.<run>`, and holds the Web Lock
//! `powertune.run.<run>` while its tab lives ([`crate::web_lock`]), so two tabs never overwrite
//! each other's entries, and a tab's recovery banner lists only the journals of runs whose tab is
//! gone: never a run still going in another tab. The single key `powertune.journal` of earlier
//! versions is read as a dead run's.

use powertune_tuner::{
    journal::{self, Journal, JournalEntry, JournalError},
    order,
};

use crate::web_lock::{self, TabLock};

/// The key of earlier versions' single journal, and the prefix of each run's.
const KEY: &str = "powertune.journal";

fn failure(reason: impl Into<String>) -> JournalError {
    JournalError {
        where_: "this browser's localStorage".into(),
        reason: reason.into(),
    }
}

fn storage() -> Result<web_sys::Storage, JournalError> {
    web_sys::window()
        .ok_or_else(|| failure("no window"))?
        .local_storage()
        .ok()
        .flatten()
        .ok_or_else(|| {
            failure(
                "it is disabled (private browsing or site settings): allow site data for this page",
            )
        })
}

/// The journal under one localStorage key: a run's own, or a dead run's being cleaned up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredJournal {
    key: String,
}

impl StoredJournal {
    fn load(&self) -> Vec<JournalEntry> {
        storage()
            .ok()
            .and_then(|s| s.get_item(&self.key).ok()?)
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    fn save(&self, entries: &[JournalEntry]) -> Result<(), JournalError> {
        let storage = storage()?;
        if entries.is_empty() {
            return storage
                .remove_item(&self.key)
                .map_err(|_| failure("it refused a removal"));
        }
        let text = serde_json::to_string(entries).map_err(|e| failure(e.to_string()))?;
        storage.set_item(&self.key, &text).map_err(|_| {
            failure("the storage is full: free some space for this site, then start again")
        })
    }

    /// Forgets every entry (the user cleaned up by hand).
    pub fn forget(&self) {
        if let Ok(storage) = storage() {
            let _ = storage.remove_item(&self.key);
        }
    }
}

impl Journal for StoredJournal {
    fn put(&self, entry: JournalEntry) -> Result<(), JournalError> {
        let mut entries = self.load();
        journal::upsert(&mut entries, entry);
        self.save(&entries)
    }

    fn remove(&self, entry: &JournalEntry) -> Result<(), JournalError> {
        let mut entries = self.load();
        journal::delete(&mut entries, entry);
        self.save(&entries)
    }

    fn entries(&self) -> Vec<JournalEntry> {
        self.load()
    }
}

/// The journal of a run of this tab, with the lock that tells other tabs it is alive.
pub struct RunJournal {
    stored: StoredJournal,
    _alive: Option<TabLock>,
}

impl RunJournal {
    /// A journal for a new run, its lock taken.
    pub fn start() -> Self {
        let id = format!(
            "{:x}-{:08x}",
            js_sys::Date::now() as u64,
            (js_sys::Math::random() * f64::from(u32::MAX)) as u32
        );
        Self {
            stored: StoredJournal {
                key: format!("{KEY}.{id}"),
            },
            _alive: web_lock::hold(&lock_name(&id)),
        }
    }
}

fn lock_name(id: &str) -> String {
    format!("powertune.run.{id}")
}

impl Journal for RunJournal {
    fn put(&self, entry: JournalEntry) -> Result<(), JournalError> {
        self.stored.put(entry)
    }
    fn remove(&self, entry: &JournalEntry) -> Result<(), JournalError> {
        self.stored.remove(entry)
    }
    fn entries(&self) -> Vec<JournalEntry> {
        self.stored.entries()
    }
}

/// What a dead run left: its journal and entries.
#[derive(Debug, Clone, PartialEq)]
pub struct Leftover {
    /// Where it is kept.
    pub journal: StoredJournal,
    /// What is left to undo.
    pub entries: Vec<JournalEntry>,
}

/// The journals of runs whose tab is gone (no lock held for them), with entries.
pub async fn leftovers() -> Vec<Leftover> {
    let Ok(storage) = storage() else {
        return Vec::new();
    };
    let held = web_lock::held().await;
    let length = storage.length().unwrap_or(0);
    let keys: Vec<String> = (0..length)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k == KEY || k.starts_with(&format!("{KEY}.")))
        .collect();
    order::sorted(&keys, &Ord::cmp)
        .into_iter()
        .filter(|key| {
            key.strip_prefix(&format!("{KEY}."))
                .is_none_or(|id| !held.contains(&lock_name(id)))
        })
        .map(|key| {
            let journal = StoredJournal { key };
            let entries = journal.load();
            Leftover { journal, entries }
        })
        .filter(|l| !l.entries.is_empty())
        .collect()
}
