//! What a run writes to its journal: each entry before what it names is created, removed once
//! it needs no undoing.

use super::{Engine, RunError};
use crate::{
    api::{Clock, FunctionConfig, LambdaApi},
    journal::JournalEntry,
};

impl<A: LambdaApi, C: Clock> Engine<'_, A, C> {
    /// The journal entry that puts `$LATEST` back as it was before the run.
    pub(super) fn restore_entry(&self, original: &FunctionConfig) -> JournalEntry {
        JournalEntry::Restore {
            function: self.arn().clone(),
            memory: original.memory,
            description: original.description.clone(),
        }
    }

    /// Removes `entry` from the journal once what it names needs no undoing; a journal that
    /// cannot be written keeps it, and a later cleanup finds nothing to undo.
    pub(super) fn forget(&self, entry: &JournalEntry) {
        if let Err(e) = self.journal.remove(entry) {
            self.warn(format!("{e}; run cleanup later to clear the journal"));
        }
        self.created.borrow_mut().retain(|e| e != entry);
    }

    /// Writes `entry` to the journal before what it names is created: it returns once the entry
    /// is durable.
    pub(super) async fn record(&self, entry: JournalEntry) -> Result<(), RunError> {
        crate::journal::record(self.journal, &entry).await?;
        crate::journal::upsert(&mut self.created.borrow_mut(), entry);
        Ok(())
    }
}
