//! The run's last step with `autoOptimize`: applying the optimum, journaled so that an
//! optimization that fails or is cut short is undone rather than left half done.

use super::{CleanupReport, Engine, Event, RunError, apply, clean_up};
use crate::{
    api::{Clock, FunctionConfig, LambdaApi},
    memory::MemoryMb,
};

impl<A: LambdaApi, C: Clock> Engine<'_, A, C> {
    /// Sets `$LATEST` to `memory` (and points the input's alias at a version of it). Until that
    /// is done in full, the journal says how to put `$LATEST` back to `original`; on failure it
    /// is put back at once, and what that cleanup did comes with the error.
    pub(super) async fn optimize(
        &self,
        memory: MemoryMb,
        original: &FunctionConfig,
    ) -> Result<(), (RunError, CleanupReport)> {
        let alias = self.input.auto_optimize_alias.as_deref();
        let restore = self.restore_entry(original);
        self.record(restore.clone())
            .map_err(|error| (error, CleanupReport::default()))?;
        let applied = apply(
            self.api,
            self.clock,
            self.arn(),
            memory,
            alias,
            self.options.wait_limit,
        )
        .await;
        if let Err(error) = applied {
            let undone = clean_up(
                self.api,
                self.clock,
                self.journal,
                std::slice::from_ref(&restore),
                self.options.wait_limit,
                self.on_event,
            )
            .await;
            return Err((error, undone));
        }
        self.forget(&restore);
        self.emit(Event::Optimized {
            memory,
            alias: alias.map(str::to_owned),
        });
        Ok(())
    }
}
