//! Cleanup: undo what a journal lists (delete each alias and its version, put back the alias an
//! unfinished optimization moved, restore `$LATEST`), after every run and from a later start
//! after a crash.

use std::{cell::RefCell, time::Duration};

use futures::future;

use super::{
    CleanupReport, Event, Phase, RunError,
    retry::{Retrier, wait_updated},
};
use crate::{
    alias::TuningAlias,
    api::{Clock, ConfigUpdate, LambdaApi, LambdaError},
    arn::FunctionArn,
    journal::{Journal, JournalEntry},
    memory::MemoryMb,
};

/// Undoes journal `entries`: deletes each alias and its version, restores `$LATEST` (waiting up
/// to `wait_limit` for its updates), and removes what was undone from `journal`. Entries that
/// fail stay in the journal and are reported.
pub async fn clean_up<A: LambdaApi, C: Clock>(
    api: &A,
    clock: &C,
    journal: &dyn Journal,
    entries: &[JournalEntry],
    wait_limit: Duration,
    on_event: &dyn Fn(Event),
) -> CleanupReport {
    let report = RefCell::new(CleanupReport {
        restored: true,
        ..CleanupReport::default()
    });
    let retrier = Retrier::new(clock, 0xc1ea, on_event);
    let forget = |entry: &JournalEntry, what: &str| {
        if let Err(e) = journal.remove(entry) {
            report
                .borrow_mut()
                .errors
                .push(format!("{what} was undone, but {e}"));
        }
    };
    // What the run's versions were described as: the original description plus ` - <alias>`.
    let original_description = |function: &FunctionArn| {
        entries.iter().find_map(|e| match e {
            JournalEntry::Restore {
                function: f,
                description,
                ..
            } if f == function => Some(description.as_str()),
            _ => None,
        })
    };
    // Copies first: deleting one deletes its aliases and versions, whose entries are then
    // forgotten rather than undone one by one.
    let mut copies_gone: Vec<&FunctionArn> = Vec::new();
    for entry in entries {
        let JournalEntry::Copy { function, .. } = entry else {
            continue;
        };
        match retrier.call(|| delete_function(api, function)).await {
            Ok(deleted) => {
                if deleted {
                    report
                        .borrow_mut()
                        .functions_deleted
                        .push(function.name().to_owned());
                }
                forget(entry, &format!("the copy {}", function.name()));
                copies_gone.push(function);
            }
            Err(e) => report
                .borrow_mut()
                .errors
                .push(format!("deleting the copy {function}: {e}")),
        }
    }
    // What a deleted copy's own tuning journaled (its aliases, its `$LATEST`) went with it.
    let (gone, entries): (Vec<&JournalEntry>, Vec<&JournalEntry>) = entries
        .iter()
        .filter(|e| !matches!(e, JournalEntry::Copy { .. }))
        .partition(|e| copies_gone.contains(&e.function()));
    for entry in gone {
        forget(entry, &format!("{entry}, which went with the copy"));
    }
    let aliases = entries.iter().filter_map(|&entry| {
        let JournalEntry::Alias {
            function,
            alias,
            version,
        } = entry
        else {
            return None;
        };
        let (report, retrier, forget) = (&report, &retrier, &forget);
        Some(async move {
            let description = original_description(function).map(|d| alias.version_description(d));
            let removed = retrier
                .call(|| {
                    remove_alias(
                        api,
                        function,
                        *alias,
                        version.as_deref(),
                        description.as_deref(),
                    )
                })
                .await;
            match removed {
                Ok(deleted_version) => {
                    {
                        let mut r = report.borrow_mut();
                        r.aliases_deleted.push(alias.to_string());
                        r.versions_deleted.extend(deleted_version);
                    }
                    forget(entry, &format!("alias {alias}"));
                    on_event(Event::Removed { alias: *alias });
                }
                Err(e) => report.borrow_mut().errors.push(format!("{alias}: {e}")),
            }
        })
    });
    future::join_all(aliases).await;
    for &entry in &entries {
        let JournalEntry::Optimum {
            function,
            alias,
            version,
            previous,
        } = entry
        else {
            continue;
        };
        let undone = retrier
            .call(|| undo_optimum(api, function, alias, version, previous.as_deref()))
            .await;
        match undone {
            Ok(deleted) => {
                report.borrow_mut().versions_deleted.extend(deleted);
                forget(entry, &format!("the optimum's version {version}"));
            }
            Err(e) => report
                .borrow_mut()
                .errors
                .push(format!("alias {alias} and version {version}: {e}")),
        }
    }
    for &entry in &entries {
        let JournalEntry::Restore {
            function,
            memory,
            description,
        } = entry
        else {
            continue;
        };
        match restore(api, &retrier, function, *memory, description, wait_limit).await {
            Ok(()) => {
                forget(entry, &format!("restoring {}", function.name()));
                on_event(Event::Restored {
                    memory: memory.get(),
                });
            }
            Err(e) => {
                let mut r = report.borrow_mut();
                r.restored = false;
                r.errors
                    .push(format!("restoring {function} to {memory}: {e}"));
            }
        }
    }
    report.into_inner()
}

/// Deletes `alias` and its version; `NotFound` counts as done. Returns the version deleted, if
/// any. When neither the journal nor the alias knows the version (the run stopped while
/// PublishVersion was in flight), the version is found by the description the run gave it and
/// the memory in the alias's name.
async fn remove_alias<A: LambdaApi>(
    api: &A,
    function: &FunctionArn,
    alias: TuningAlias,
    version: Option<&str>,
    description: Option<&str>,
) -> Result<Option<String>, LambdaError> {
    let name = alias.to_string();
    let version = match api.get_alias(function, &name).await {
        Ok(v) => Some(v),
        Err(LambdaError::NotFound { .. }) => version.map(str::to_owned),
        Err(e) => return Err(e),
    };
    delete_alias(api, function, &name).await?;
    let version = match (version, description) {
        (Some(v), _) => v,
        (None, Some(description)) => {
            let memory = alias.memory().get();
            let found = api
                .list_versions(function)
                .await?
                .into_iter()
                .find(|v| v.description == description && v.memory == memory);
            match found {
                Some(v) => v.version,
                None => return Ok(None),
            }
        }
        (None, None) => return Ok(None),
    };
    delete_version(api, function, &version).await
}

/// Deletes the whole `function` (a copy the run made); `NotFound` counts as done. Returns
/// whether it was deleted now.
async fn delete_function<A: LambdaApi>(
    api: &A,
    function: &FunctionArn,
) -> Result<bool, LambdaError> {
    match api.delete_function(function).await {
        Ok(()) => Ok(true),
        Err(LambdaError::NotFound { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Deletes `alias`; `NotFound` counts as done.
async fn delete_alias<A: LambdaApi>(
    api: &A,
    function: &FunctionArn,
    alias: &str,
) -> Result<(), LambdaError> {
    match api.delete_alias(function, alias).await {
        Ok(()) | Err(LambdaError::NotFound { .. }) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Deletes `version`; `NotFound` counts as done. Returns the version, if it was deleted now.
async fn delete_version<A: LambdaApi>(
    api: &A,
    function: &FunctionArn,
    version: &str,
) -> Result<Option<String>, LambdaError> {
    match api.delete_version(function, version).await {
        Ok(()) => Ok(Some(version.to_owned())),
        Err(LambdaError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Puts the user's `alias` back where it pointed before the optimizer moved it to `version`
/// (deleting it when it did not exist before), then deletes `version`; what is already undone
/// counts as done. Returns the version deleted, if any.
async fn undo_optimum<A: LambdaApi>(
    api: &A,
    function: &FunctionArn,
    alias: &str,
    version: &str,
    previous: Option<&str>,
) -> Result<Option<String>, LambdaError> {
    match api.get_alias(function, alias).await {
        Ok(current) if current == version => match previous {
            Some(previous) => api.update_alias(function, alias, previous).await?,
            None => delete_alias(api, function, alias).await?,
        },
        Ok(_) | Err(LambdaError::NotFound { .. }) => {}
        Err(e) => return Err(e),
    }
    delete_version(api, function, version).await
}

/// Puts `$LATEST` back to `memory` and `description`, unless it already is.
async fn restore<A: LambdaApi, C: Clock>(
    api: &A,
    retrier: &Retrier<'_, C>,
    function: &FunctionArn,
    memory: MemoryMb,
    description: &str,
    wait_limit: Duration,
) -> Result<(), RunError> {
    let phase = Phase::CleaningUp;
    let clock = retrier.clock();
    let current = wait_updated(api, clock, function, wait_limit, phase).await?;
    if current.memory == memory && current.description == description {
        return Ok(());
    }
    let update = ConfigUpdate {
        memory: Some(memory),
        description: Some(description.to_owned()),
        revision_id: None,
    };
    retrier
        .call(|| api.update_function_configuration(function, &update))
        .await
        .map_err(|e| e.in_phase(phase))?;
    wait_updated(api, clock, function, wait_limit, phase)
        .await
        .map(|_| ())
}
