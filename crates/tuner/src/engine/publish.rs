//! Publishing: for each size the sampling policy asks for, in order and one at a time (concurrent
//! configuration updates conflict), set `$LATEST`'s memory, publish a version, and point the
//! size's alias at it; every step journaled before it creates anything. Then `$LATEST` is
//! restored.

use std::cell::RefCell;

use futures::{StreamExt as _, channel::mpsc};

use super::{Engine, Event, Phase, RunError, schedule::SizeRun};
use crate::{
    alias::TuningAlias,
    api::{Clock, ConfigUpdate, LambdaApi, LambdaError},
    arn::FunctionArn,
    failure::SizeFailure,
    journal::JournalEntry,
    memory::MemoryMb,
    plan::{OriginalConfig, Plan, SizePlan},
    sampling::SizeStatus,
};

/// How publishing one size ended, short of a run-wide error.
enum Published {
    /// Every alias, with its version.
    Aliases(Vec<(TuningAlias, String)>),
    /// Lambda refused the size.
    Refused(SizeFailure),
}

impl<A: LambdaApi, C: Clock> Engine<'_, A, C> {
    /// Publishes each size index received from `requests` in turn, announcing each on `ready`
    /// (published or refused); restores `$LATEST` once `requests` closes.
    pub(super) async fn publisher(
        &self,
        plan: &Plan,
        sizes: &RefCell<Vec<SizeRun>>,
        mut requests: mpsc::UnboundedReceiver<usize>,
        ready: mpsc::UnboundedSender<usize>,
    ) -> Result<(), RunError> {
        while let Some(index) = requests.next().await {
            let size = &plan.sizes[index];
            let published = self.publish_size(size).await?;
            {
                let mut sizes = sizes.borrow_mut();
                let run = &mut sizes[index];
                match published {
                    Published::Aliases(aliases) => {
                        run.aliases = aliases;
                        run.status = SizeStatus::Measured;
                    }
                    Published::Refused(refusal) => {
                        self.emit(Event::SizeFinished {
                            memory: size.memory,
                            error: Some(refusal.clone()),
                        });
                        run.refused = Some(refusal);
                        run.status = SizeStatus::Refused;
                    }
                }
            }
            // The receiver is gone only if the run is ending anyway.
            let _ = ready.unbounded_send(index);
        }
        self.restore_latest(&plan.restore).await
    }

    /// Every alias of one size, or why Lambda refused the size (e.g. above the account's memory
    /// quota), which fails only that size.
    async fn publish_size(&self, size: &SizePlan) -> Result<Published, RunError> {
        let mut published = Vec::with_capacity(size.aliases.len());
        for step in &size.aliases {
            if self.cancel.is_cancelled() {
                return Err(RunError::Cancelled);
            }
            self.emit(Event::Publishing {
                memory: size.memory,
                alias: step.alias,
            });
            match self
                .publish(size.memory, step.alias, &step.description)
                .await
            {
                Ok(version) => {
                    self.emit(Event::Published {
                        memory: size.memory,
                        alias: step.alias,
                        version: version.clone(),
                    });
                    published.push((step.alias, version));
                }
                Err(RunError::Lambda {
                    source: LambdaError::InvalidRequest { message },
                    ..
                }) => {
                    return Ok(Published::Refused(crate::platform::refused_size(
                        size.memory,
                        &message,
                    )));
                }
                Err(e) => return Err(e),
            }
        }
        Ok(Published::Aliases(published))
    }

    /// Points `alias` at a new version with `memory` and `description`; returns the version.
    async fn publish(
        &self,
        memory: MemoryMb,
        alias: TuningAlias,
        description: &str,
    ) -> Result<String, RunError> {
        let function = self.arn().clone();
        self.record(JournalEntry::Alias {
            function: function.clone(),
            alias,
            version: None,
        })
        .await?;
        // The run's first change is a compare-and-swap on the revision it read: if another run
        // changed `$LATEST` since (two starts at the same moment, both past the check for
        // another run), this one stops, having changed nothing.
        let first_revision = self.first_revision.borrow_mut().take();
        let update = ConfigUpdate {
            memory: Some(memory),
            description: Some(description.to_owned()),
            revision_id: first_revision.clone(),
        };
        let phase = Phase::Tuning;
        match self
            .retrier
            .call(|| self.api.update_function_configuration(self.arn(), &update))
            .await
        {
            Ok(_) => {}
            Err(LambdaError::PreconditionFailed { .. }) if first_revision.is_some() => {
                let entries = self.created.borrow().clone();
                for entry in &entries {
                    self.forget(entry);
                }
                return Err(RunError::AnotherRun {
                    function: function.name().to_owned(),
                    found: vec![
                        "$LATEST, changed after this run read it (another run starting at the same moment, or someone editing the function)".into(),
                    ],
                });
            }
            Err(e) => return Err(e.in_phase(phase)),
        }
        self.wait_updated(phase).await?;
        let version = self
            .retrier
            .call(|| self.api.publish_version(self.arn()))
            .await
            .map_err(|e| e.in_phase(phase))?;
        self.record(JournalEntry::Alias {
            function,
            alias,
            version: Some(version.clone()),
        })
        .await?;
        let name = alias.to_string();
        self.retrier
            .call(|| point_alias(self.api, self.arn(), &name, &version))
            .await
            .map_err(|e| e.in_phase(phase))?;
        Ok(version)
    }

    async fn restore_latest(&self, original: &OriginalConfig) -> Result<(), RunError> {
        let update = ConfigUpdate {
            memory: Some(original.memory),
            description: Some(original.description.clone()),
            revision_id: None,
        };
        self.retrier
            .call(|| self.api.update_function_configuration(self.arn(), &update))
            .await
            .map_err(|e| e.in_phase(Phase::Tuning))?;
        self.wait_updated(Phase::Tuning).await?;
        self.emit(Event::Restored {
            memory: original.memory.get(),
        });
        Ok(())
    }
}

/// Points `alias` at `version`, creating the alias if needed. Creating first (and updating
/// only when it already exists) makes the usual case one successful call: a `GetAlias` probe
/// would answer 404 for every new alias, which browsers log as a failed request.
pub(super) async fn point_alias<A: LambdaApi>(
    api: &A,
    function: &FunctionArn,
    alias: &str,
    version: &str,
) -> Result<(), LambdaError> {
    match api.create_alias(function, alias, version).await {
        // Left by an earlier run or made by someone else: point it anyway.
        Err(LambdaError::Conflict { message }) if message.contains("already exists") => {
            api.update_alias(function, alias, version).await
        }
        other => other,
    }
}
