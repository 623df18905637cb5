//! The cleanup journal as a JSON file, rewritten atomically on every change.

use std::{
    cell::RefCell,
    path::{Path, PathBuf},
};

use anyhow::Context as _;
use powertune_tuner::journal::{self, Journal, JournalEntry};

/// A journal kept in a file.
pub struct FileJournal {
    path: PathBuf,
    entries: RefCell<Vec<JournalEntry>>,
}

impl FileJournal {
    /// Opens (or starts) the journal at `path`.
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        let entries = match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text)
                .with_context(|| format!("while reading the journal {}", path.display()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("while reading the journal {}", path.display()));
            }
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("while creating {}", dir.display()))?;
        }
        Ok(Self {
            path: path.to_owned(),
            entries: RefCell::new(entries),
        })
    }

    /// The default location: `$XDG_STATE_HOME/powertune/journal.json` or
    /// `~/.local/state/powertune/journal.json`.
    pub fn default_path() -> PathBuf {
        let state = std::env::var_os("XDG_STATE_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))
            .unwrap_or_else(|| PathBuf::from("."));
        state.join("powertune").join("journal.json")
    }

    fn save(&self) {
        let text = serde_json::to_string_pretty(&*self.entries.borrow())
            .expect("journal entries serialize");
        let tmp = self.path.with_extension("json.tmp");
        // A journal that cannot be written must not go unnoticed: the run would not be recoverable.
        if let Err(e) = std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, &self.path))
        {
            eprintln!(
                "warning: cannot write the cleanup journal {}: {e}",
                self.path.display()
            );
        }
    }
}

impl Journal for FileJournal {
    fn put(&self, entry: JournalEntry) {
        journal::upsert(&mut self.entries.borrow_mut(), entry);
        self.save();
    }

    fn remove(&self, entry: &JournalEntry) {
        journal::delete(&mut self.entries.borrow_mut(), entry);
        self.save();
    }

    fn entries(&self) -> Vec<JournalEntry> {
        self.entries.borrow().clone()
    }
}
