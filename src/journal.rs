//! The cleanup journal in localStorage, so a crashed tab's leftovers can be removed later. It
//! holds ARNs, alias names and versions, never credentials.

use powertune_tuner::journal::{self, Journal, JournalEntry};

const KEY: &str = "powertune.journal";

/// The journal kept in this origin's localStorage.
pub struct LocalStorageJournal;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn load() -> Vec<JournalEntry> {
    storage()
        .and_then(|s| s.get_item(KEY).ok()?)
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn save(entries: &[JournalEntry]) {
    if let Some(s) = storage() {
        let text = serde_json::to_string(entries).unwrap_or_else(|_| "[]".into());
        // A full or disabled storage only loses crash recovery, not the run.
        let _ = s.set_item(KEY, &text);
    }
}

impl Journal for LocalStorageJournal {
    fn put(&self, entry: JournalEntry) {
        let mut entries = load();
        journal::upsert(&mut entries, entry);
        save(&entries);
    }

    fn remove(&self, entry: &JournalEntry) {
        let mut entries = load();
        journal::delete(&mut entries, entry);
        save(&entries);
    }

    fn entries(&self) -> Vec<JournalEntry> {
        load()
    }
}
