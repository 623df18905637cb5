//! The cleanup journal in localStorage, so a crashed tab's leftovers can be removed later. It
//! holds ARNs, alias names and versions, never credentials. A write that fails (storage full or
//! disabled) is an error: the engine then stops before creating anything it could not record.

use powertune_tuner::journal::{self, Journal, JournalEntry, JournalError};

const KEY: &str = "powertune.journal";

/// The journal kept in this origin's localStorage.
pub struct LocalStorageJournal;

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

fn load() -> Vec<JournalEntry> {
    storage()
        .ok()
        .and_then(|s| s.get_item(KEY).ok()?)
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn save(entries: &[JournalEntry]) -> Result<(), JournalError> {
    let text = serde_json::to_string(entries).map_err(|e| failure(e.to_string()))?;
    storage()?.set_item(KEY, &text).map_err(|_| {
        failure("the storage is full: free some space for this site, then start again")
    })
}

impl Journal for LocalStorageJournal {
    fn put(&self, entry: JournalEntry) -> Result<(), JournalError> {
        let mut entries = load();
        journal::upsert(&mut entries, entry);
        save(&entries)
    }

    fn remove(&self, entry: &JournalEntry) -> Result<(), JournalError> {
        let mut entries = load();
        journal::delete(&mut entries, entry);
        save(&entries)
    }

    fn entries(&self) -> Vec<JournalEntry> {
        load()
    }
}
