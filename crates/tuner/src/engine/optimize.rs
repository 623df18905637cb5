//! The run's last step with `autoOptimize`: applying the optimum, journaled so that an
//! optimization that fails or is cut short is undone rather than left half done.

use super::{CleanupReport, Engine, Event, RunError, apply::Optimizer, clean_up};
use crate::{
    api::{Clock, FunctionConfig, LambdaApi},
    journal::JournalEntry,
    memory::MemoryMb,
};

impl<A: LambdaApi, C: Clock> Engine<'_, A, C> {
    /// Sets `$LATEST` to `memory` (and points the input's alias at a version of it). Until that
    /// is done in full, the journal says how to put `$LATEST` back to `original` and, once a
    /// version is published for the alias, how to put the alias back and delete the version; on
    /// failure both are undone at once, and what that cleanup did comes with the error.
    pub(super) async fn optimize(
        &self,
        memory: MemoryMb,
        original: &FunctionConfig,
    ) -> Result<(), (RunError, CleanupReport)> {
        let alias = self.input.auto_optimize_alias.as_deref();
        let restore = self.restore_entry(original);
        self.record(restore.clone())
            .await
            .map_err(|error| (error, CleanupReport::default()))?;
        let mut undo = vec![restore];
        let applied = self.apply_optimum(memory, alias, &mut undo).await;
        if let Err(error) = applied {
            let undone = clean_up(
                self.api,
                self.clock,
                self.journal,
                &undo,
                self.options.wait_limit,
                self.on_event,
            )
            .await;
            return Err((error, undone));
        }
        // No await between these: what is applied is never half forgotten.
        for entry in &undo {
            self.forget(entry);
        }
        self.emit(Event::Optimized {
            memory,
            alias: alias.map(str::to_owned),
        });
        Ok(())
    }

    /// The optimizer's steps, each journaled in `undo` before what it creates exists.
    async fn apply_optimum(
        &self,
        memory: MemoryMb,
        alias: Option<&str>,
        undo: &mut Vec<JournalEntry>,
    ) -> Result<(), RunError> {
        let steps = Optimizer::new(self.api, self.clock, self.arn(), self.options.wait_limit);
        steps.set_memory(memory).await?;
        let Some(alias) = alias else {
            return Ok(());
        };
        let previous = steps.alias_target(alias).await?;
        let version = steps.publish().await?;
        let entry = JournalEntry::Optimum {
            function: self.arn().clone(),
            alias: alias.to_owned(),
            version: version.clone(),
            previous,
        };
        // Published but not yet journaled: a failure here must not leave the version unknown.
        if let Err(e) = self.record(entry.clone()).await {
            let _ = self.api.delete_version(self.arn(), &version).await;
            return Err(e);
        }
        undo.push(entry);
        steps.point(alias, &version).await
    }
}
