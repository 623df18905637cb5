//! The cleanup journal on disk: a directory with one file per run, so several `powertune`
//! processes (several functions tuned at once on one CI runner) never overwrite each other's
//! entries.
//!
//! A run writes `run-<pid>-<ms>.json` and holds an exclusive lock on `run-<pid>-<ms>.lock` while
//! it lives; the operating system releases the lock when the process ends, even by SIGKILL.
//! `powertune cleanup` undoes every journal whose lock it can take (a run that is still going is
//! left alone) and removes each file it has emptied. Every write goes to a temporary file that
//! is synced, renamed over the journal and followed by a sync of the directory, so a crash or a
//! power cut leaves the old or the new journal, never a torn one.

use std::{
    cell::RefCell,
    fs::{self, File, TryLockError},
    io::Write as _,
    path::{Path, PathBuf},
    time::{SystemTime, UNIX_EPOCH},
};

use anyhow::Context as _;
use powertune_tuner::journal::{self, Journal, JournalEntry, JournalError};

/// The directory of journals.
pub struct JournalDir {
    dir: PathBuf,
}

/// The journal of one run (this process's, or a dead run's taken over by cleanup).
pub struct RunJournal {
    data: PathBuf,
    lock: Option<(PathBuf, File)>,
    entries: RefCell<Vec<JournalEntry>>,
}

impl JournalDir {
    /// `dir`, created if missing.
    ///
    /// # Errors
    /// When the directory cannot be created.
    pub fn open(dir: &Path) -> anyhow::Result<Self> {
        fs::create_dir_all(dir)
            .with_context(|| format!("while creating the journal directory {}", dir.display()))?;
        Ok(Self {
            dir: dir.to_owned(),
        })
    }

    /// `$XDG_STATE_HOME/powertune/journal` or `~/.local/state/powertune/journal`.
    pub fn default_path() -> PathBuf {
        let state = std::env::var_os("XDG_STATE_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))
            .unwrap_or_else(|| PathBuf::from("."));
        state.join("powertune").join("journal")
    }

    /// A new journal for this process's run, locked until it is dropped.
    ///
    /// # Errors
    /// When its lock file cannot be created or locked.
    pub fn start_run(&self) -> anyhow::Result<RunJournal> {
        let millis = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let stem = format!("run-{}-{millis}", std::process::id());
        let lock_path = self.dir.join(format!("{stem}.lock"));
        let lock = File::create(&lock_path)
            .with_context(|| format!("while creating {}", lock_path.display()))?;
        lock.lock()
            .with_context(|| format!("while locking {}", lock_path.display()))?;
        Ok(RunJournal {
            data: self.dir.join(format!("{stem}.json")),
            lock: Some((lock_path, lock)),
            entries: RefCell::new(Vec::new()),
        })
    }

    /// The journals of runs that ended without cleaning up, each locked for the caller, and the
    /// number of runs still going (whose journals are skipped). A journal `journal.json` beside
    /// the directory (where versions before 0.2 kept their single journal) counts as one.
    ///
    /// # Errors
    /// When the directory or a journal cannot be read.
    pub fn leftovers(&self) -> anyhow::Result<(Vec<RunJournal>, usize)> {
        let mut found = Vec::new();
        let mut running = 0;
        let legacy = self.dir.with_extension("json");
        if legacy.is_file() {
            found.push(RunJournal::read(legacy, None)?);
        }
        let listing = fs::read_dir(&self.dir)
            .with_context(|| format!("while listing {}", self.dir.display()))?;
        let mut paths: Vec<PathBuf> = listing
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        for data in paths {
            let lock_path = data.with_extension("lock");
            let lock = match File::options().write(true).open(&lock_path) {
                Ok(file) => match file.try_lock() {
                    Ok(()) => Some((lock_path, file)),
                    Err(TryLockError::WouldBlock) => {
                        running += 1;
                        continue;
                    }
                    Err(TryLockError::Error(e)) => {
                        return Err(e)
                            .with_context(|| format!("while locking {}", lock_path.display()));
                    }
                },
                // The run removed its lock last, so a journal without one is a dead run's.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => {
                    return Err(e)
                        .with_context(|| format!("while opening {}", lock_path.display()));
                }
            };
            found.push(RunJournal::read(data, lock)?);
        }
        Ok((found, running))
    }
}

impl RunJournal {
    fn read(data: PathBuf, lock: Option<(PathBuf, File)>) -> anyhow::Result<Self> {
        let entries = match fs::read_to_string(&data) {
            Ok(text) => serde_json::from_str(&text).with_context(|| {
                format!(
                    "while reading the journal {}: it is not a powertune journal; move it away",
                    data.display()
                )
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => {
                return Err(e).with_context(|| format!("while reading {}", data.display()));
            }
        };
        Ok(Self {
            data,
            lock,
            entries: RefCell::new(entries),
        })
    }

    /// Where it is kept.
    pub fn path(&self) -> &Path {
        &self.data
    }

    fn failure(&self, what: &str, e: &std::io::Error) -> JournalError {
        JournalError {
            where_: self.data.display().to_string(),
            reason: format!("{what}: {e}"),
        }
    }

    /// Writes the entries durably: temporary file, sync, rename, sync of the directory.
    fn save(&self) -> Result<(), JournalError> {
        let entries = self.entries.borrow();
        let text = serde_json::to_string_pretty(&*entries).unwrap_or_else(|_| "[]".into());
        let tmp = self.data.with_extension("json.tmp");
        let mut file = File::create(&tmp).map_err(|e| self.failure("creating it", &e))?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| self.failure("writing it", &e))?;
        fs::rename(&tmp, &self.data).map_err(|e| self.failure("replacing it", &e))?;
        sync_dir(&self.data).map_err(|e| self.failure("syncing its directory", &e))
    }
}

#[cfg(unix)]
fn sync_dir(file: &Path) -> std::io::Result<()> {
    match file.parent() {
        Some(dir) => File::open(dir)?.sync_all(),
        None => Ok(()),
    }
}

#[cfg(not(unix))]
fn sync_dir(_: &Path) -> std::io::Result<()> {
    // Windows cannot open a directory to sync it; the rename is durable there.
    Ok(())
}

impl Journal for RunJournal {
    fn put(&self, entry: JournalEntry) -> Result<(), JournalError> {
        journal::upsert(&mut self.entries.borrow_mut(), entry);
        self.save()
    }

    fn remove(&self, entry: &JournalEntry) -> Result<(), JournalError> {
        journal::delete(&mut self.entries.borrow_mut(), entry);
        self.save()
    }

    fn entries(&self) -> Vec<JournalEntry> {
        self.entries.borrow().clone()
    }
}

impl Drop for RunJournal {
    /// An emptied journal is removed, data first and lock last (see [`JournalDir::leftovers`]).
    fn drop(&mut self) {
        if self.entries.borrow().is_empty() {
            let _ = fs::remove_file(&self.data);
            if let Some((lock_path, _)) = &self.lock {
                let _ = fs::remove_file(lock_path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(alias: &str) -> JournalEntry {
        JournalEntry::Alias {
            function: "arn:aws:lambda:us-east-1:123456789012:function:f"
                .parse()
                .unwrap(),
            alias: alias.parse().unwrap(),
            version: None,
        }
    }

    #[test]
    fn a_running_journal_is_skipped_and_a_dead_one_is_found() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = JournalDir::open(&tmp.path().join("journal")).unwrap();
        let mut running = dir.start_run().unwrap();
        running.put(entry("RAM128")).unwrap();
        let (found, busy) = dir.leftovers().unwrap();
        assert!(found.is_empty());
        assert_eq!(busy, 1);
        // The process ends without cleaning up: its lock goes, its journal stays.
        drop(running.lock.take());
        let data = running.path().to_owned();
        drop(running);
        let (found, busy) = dir.leftovers().unwrap();
        assert_eq!(busy, 0);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path(), data);
        assert_eq!(found[0].entries(), [entry("RAM128")]);
        // Emptied by cleanup, it is removed.
        found[0].remove(&entry("RAM128")).unwrap();
        drop(found);
        assert_eq!(fs::read_dir(tmp.path().join("journal")).unwrap().count(), 0);
    }

    #[test]
    fn the_single_journal_of_earlier_versions_is_found() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(
            tmp.path().join("journal.json"),
            serde_json::to_string(&[entry("RAM512")]).unwrap(),
        )
        .unwrap();
        let dir = JournalDir::open(&tmp.path().join("journal")).unwrap();
        let (found, _) = dir.leftovers().unwrap();
        assert_eq!(found[0].entries(), [entry("RAM512")]);
    }

    #[test]
    fn a_failed_write_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = JournalDir::open(&tmp.path().join("journal")).unwrap();
        let run = dir.start_run().unwrap();
        fs::remove_dir_all(tmp.path().join("journal")).unwrap();
        let error = run.put(entry("RAM128")).unwrap_err();
        assert!(error.reason.contains("creating it"), "{error}");
    }
}
