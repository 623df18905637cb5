//! Runs a whole power-tuning session against any [`LambdaApi`].
//!
//! Phases as in the original (initialize, publish, execute, clean up, analyze, optimize), with
//! these differences:
//! - **Pipelining**: a size starts executing as soon as its aliases exist, while the next size is
//!   being published. Publishing stays strictly sequential (concurrent configuration updates
//!   conflict). Total time approaches sequential updates plus the last size's invocations.
//! - **Bounded concurrency**: in-flight invocations are limited overall and per size.
//! - **Per-invocation retries**: a failed invocation is retried (2 times by default) without
//!   re-running the ones that succeeded; throttling and transient API errors back off with jitter
//!   and do not count as failures.
//! - **Failing sizes do not sink the run**: a size whose invocations keep failing (timeout, out of
//!   memory, errors) or whose memory Lambda refuses is reported with its error, and the other
//!   sizes go on. Only errors about the whole run (credentials, permissions) stop it.
//! - **Every version published is new** (its description names its alias), so cleanup never
//!   deletes a version that existed before the run (the original's issue #124), and the restore
//!   step publishes nothing.
//! - **Guaranteed cleanup**: everything is journaled before it is created ([`crate::journal`]);
//!   success, failure and cancel all end in [`clean_up`], which also restores `$LATEST`.

use std::{
    cell::{Cell, RefCell},
    fmt,
    time::Duration,
};

use futures::{
    FutureExt as _, StreamExt as _,
    channel::mpsc,
    future::{self, Either},
    pin_mut, select,
    stream::FuturesUnordered,
};
use serde_json::Value;

use crate::{
    api::{
        Clock, ConfigUpdate, FunctionConfig, FunctionState, LambdaApi, LambdaError, UpdateStatus,
    },
    arn::FunctionArn,
    cancel::CancelToken,
    input::TuningInput,
    journal::{Journal, JournalEntry},
    logs::{self, LogFailure},
    memory::MemoryMb,
    output::{ORIGINAL_VISUALIZATION_URL, OriginalOutput, RunResult, SizeDetail, SizeResult},
    payload::{self, PayloadSlot},
    plan::{self, OriginalConfig, Plan},
    pricing::{Architecture, Currency, Price},
    stats::{Sample, SizeStats},
};

/// Tuning knobs that the original's input does not have.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOptions {
    /// Most invocations in flight across all sizes.
    pub max_concurrency: usize,
    /// Most invocations in flight per size with `parallelInvocation` (default: all of them).
    pub per_size_concurrency: Option<usize>,
    /// Retries of a failed invocation before its size counts as failed.
    pub retries: u32,
    /// Client-side limit per invocation; default: the function's timeout plus 10 s.
    pub invocation_timeout: Option<Duration>,
    /// Longest wait for a configuration update or a version to become active.
    pub wait_limit: Duration,
    /// Seed of the backoff jitter.
    pub seed: u64,
    /// Base of the chart-site link in the output.
    pub visualization_url: String,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            max_concurrency: 10,
            per_size_concurrency: None,
            retries: 2,
            invocation_timeout: None,
            wait_limit: Duration::from_secs(300),
            seed: 0x5eed,
            visualization_url: ORIGINAL_VISUALIZATION_URL.to_owned(),
        }
    }
}

/// Phases of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading the function's configuration.
    Initializing,
    /// Publishing versions and invoking them.
    Tuning,
    /// Deleting aliases and versions, restoring `$LATEST`.
    CleaningUp,
    /// Computing the result.
    Analyzing,
    /// Applying the optimum.
    Optimizing,
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Initializing => "initializing",
            Self::Tuning => "tuning",
            Self::CleaningUp => "cleaning up",
            Self::Analyzing => "analyzing",
            Self::Optimizing => "optimizing",
        })
    }
}

/// Progress, as it happens.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// A new phase began.
    Phase(Phase),
    /// The function's configuration before the run.
    Initialized {
        /// `$LATEST` memory.
        memory: MemoryMb,
        /// Sizes to test.
        sizes: Vec<MemoryMb>,
        /// Invocations per size.
        invocations_per_size: u32,
        /// The prices of this function (region and architecture), for a running cost.
        price: Price,
        /// Its ephemeral storage in MB, priced above 512.
        ephemeral_mb: u32,
    },
    /// Publishing a version for an alias began.
    Publishing {
        /// Size.
        memory: MemoryMb,
        /// Alias.
        alias: String,
    },
    /// An alias points at its new version.
    Published {
        /// Size.
        memory: MemoryMb,
        /// Alias.
        alias: String,
        /// Version.
        version: String,
    },
    /// A size's invocations began.
    SizeStarted {
        /// Size.
        memory: MemoryMb,
    },
    /// An invocation finished (successfully or after its last retry).
    Invoked {
        /// Size.
        memory: MemoryMb,
        /// Invocations finished for this size.
        done: u32,
        /// Invocations planned for this size.
        total: u32,
        /// Billed ms of this invocation.
        billed_ms: f64,
    },
    /// An invocation failed and is tried again.
    Retrying {
        /// Size.
        memory: MemoryMb,
        /// Retry number (1 = first retry).
        attempt: u32,
        /// Why it failed.
        error: String,
    },
    /// Lambda throttled a request; waiting before trying again.
    Throttled {
        /// Wait before the next try.
        delay: Duration,
    },
    /// A size is done.
    SizeFinished {
        /// Size.
        memory: MemoryMb,
        /// Its error, if it failed.
        error: Option<String>,
    },
    /// Something worth knowing that does not stop the run.
    Warning(String),
    /// Cleanup removed an alias and its version.
    Removed {
        /// Alias.
        alias: String,
    },
    /// `$LATEST` is back at its original configuration.
    Restored {
        /// Memory restored.
        memory: u32,
    },
    /// The optimum was applied.
    Optimized {
        /// Memory applied.
        memory: MemoryMb,
        /// Alias updated, if any.
        alias: Option<String>,
    },
}

/// Why a run stopped.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// Lambda refused or failed a request the run cannot do without.
    #[error("while {phase}: {source}")]
    Lambda {
        /// The phase.
        phase: Phase,
        /// The error.
        source: LambdaError,
    },
    /// The user cancelled.
    #[error("the run was cancelled; what it created has been removed")]
    Cancelled,
    /// A wait did not end.
    #[error(
        "{what} did not finish within {waited:?}: check the function in the AWS console, then run cleanup"
    )]
    Stuck {
        /// What was awaited.
        what: String,
        /// How long.
        waited: Duration,
    },
    /// A configuration update failed.
    #[error("Lambda could not apply the configuration: {0}")]
    UpdateFailed(String),
    /// Every size failed.
    #[error("every memory size failed; the first error was: {0}")]
    AllSizesFailed(String),
    /// Payloads could not be generated.
    #[error(transparent)]
    Payload(#[from] payload::PayloadError),
}

/// What cleanup did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CleanupReport {
    /// Aliases deleted.
    pub aliases_deleted: Vec<String>,
    /// Versions deleted.
    pub versions_deleted: Vec<String>,
    /// Whether `$LATEST` was restored (or already was as before).
    pub restored: bool,
    /// What could not be undone; those entries stay in the journal.
    pub errors: Vec<String>,
}

impl CleanupReport {
    /// Whether everything was undone.
    pub fn is_complete(&self) -> bool {
        self.errors.is_empty()
    }

    /// What was undone, in words: `removed 2 alias(es) and 2 version(s), $LATEST restored`.
    pub fn summary(&self) -> String {
        format!(
            "removed {} alias(es) and {} version(s){}",
            self.aliases_deleted.len(),
            self.versions_deleted.len(),
            if self.restored {
                ", $LATEST restored"
            } else {
                ""
            }
        )
    }
}

/// A finished run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    /// The results; `None` for a dry run.
    pub result: Option<RunResult>,
    /// The original tool's output object; `None` for a dry run.
    pub output: Option<OriginalOutput>,
    /// `$LATEST` before the run.
    pub original: FunctionConfig,
    /// Invocations made, retries included.
    pub invocations: u32,
    /// Cost of every invocation made, failed ones included.
    pub tuning_cost: f64,
    /// Warnings raised on the way.
    pub warnings: Vec<String>,
    /// What cleanup did.
    pub cleanup: CleanupReport,
    /// The memory applied by `autoOptimize`.
    pub optimized: Option<MemoryMb>,
    /// Time from the first request to the end of cleanup (and optimization), in ms.
    pub elapsed_ms: f64,
}

/// A run that stopped, after cleaning up.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{error}")]
pub struct RunFailure {
    /// Why.
    pub error: RunError,
    /// What was measured before it stopped.
    pub partial: Option<RunResult>,
    /// What cleanup did.
    pub cleanup: CleanupReport,
}

/// How a caller follows and steers a run.
#[derive(Clone, Copy)]
pub struct Hooks<'a> {
    /// Receives progress events.
    pub on_event: &'a dyn Fn(Event),
    /// Stops the run (after cleanup) when cancelled.
    pub cancel: &'a CancelToken,
}

/// Runs a tuning session. `payload` is the resolved payload value (the caller fetches
/// `payloadS3`); `journal` records what must be undone.
///
/// # Errors
/// [`RunFailure`] when the run stops; it has cleaned up (see its `cleanup`) and carries what was
/// measured. Boxed: it is large, and the error path is rare.
pub async fn run<A: LambdaApi, C: Clock>(
    api: &A,
    clock: &C,
    journal: &dyn Journal,
    input: &TuningInput,
    payload: Option<&Value>,
    options: &RunOptions,
    hooks: Hooks<'_>,
) -> Result<RunReport, Box<RunFailure>> {
    let engine = Engine {
        api,
        clock,
        journal,
        input,
        options,
        on_event: hooks.on_event,
        cancel: hooks.cancel,
        rng: RefCell::new(fastrand::Rng::with_seed(options.seed)),
        permits: async_lock::Semaphore::new(options.max_concurrency.max(1)),
        created: RefCell::new(Vec::new()),
        warnings: RefCell::new(Vec::new()),
        invocations: Cell::new(0),
    };
    engine.run(payload).await.map_err(Box::new)
}

struct Engine<'a, A, C> {
    api: &'a A,
    clock: &'a C,
    journal: &'a dyn Journal,
    input: &'a TuningInput,
    options: &'a RunOptions,
    on_event: &'a dyn Fn(Event),
    cancel: &'a CancelToken,
    rng: RefCell<fastrand::Rng>,
    permits: async_lock::Semaphore,
    /// Journal entries this run created, in order.
    created: RefCell<Vec<JournalEntry>>,
    warnings: RefCell<Vec<String>>,
    invocations: Cell<u32>,
}

/// One size's state during the run.
#[derive(Debug, Default)]
struct SizeRun {
    /// (alias, version) once published.
    aliases: Vec<(String, String)>,
    /// Refused at publish time.
    publish_error: Option<String>,
    measured: Option<Measured>,
}

#[derive(Debug, Default)]
struct Measured {
    samples: Vec<Sample>,
    failed_attempts: u32,
    failed_billed_ms: f64,
    architecture: Architecture,
    ephemeral_mb: u32,
    failure: Option<String>,
}

/// One attempt of one invocation.
enum Attempt {
    Measured(Sample),
    Failed { message: String, billed_ms: f64 },
}

/// How an invocation ended.
enum Invocation {
    Measured(Sample),
    /// Failed on every try; the message of the last try.
    Failed(String),
    /// Not attempted because the size had already failed.
    Skipped,
}

const MAX_API_ATTEMPTS: u32 = 8;

impl<A: LambdaApi, C: Clock> Engine<'_, A, C> {
    fn emit(&self, event: Event) {
        (self.on_event)(event);
    }

    fn warn(&self, message: String) {
        self.warnings.borrow_mut().push(message.clone());
        self.emit(Event::Warning(message));
    }

    fn arn(&self) -> &FunctionArn {
        &self.input.lambda_arn
    }

    async fn run(&self, payload: Option<&Value>) -> Result<RunReport, RunFailure> {
        let started = self.clock.now_ms();
        self.emit(Event::Phase(Phase::Initializing));
        let slots = self
            .payloads(payload)
            .map_err(|e| self.failure_before_start(e.into()))?;
        let original = self
            .wait_updated()
            .await
            .map_err(|e| self.failure_before_start(e))?;
        let plan = Plan::new(
            self.input,
            OriginalConfig {
                memory: original.memory,
                description: original.description.clone(),
            },
        );
        self.record(JournalEntry::Restore {
            function: self.arn().to_string(),
            memory: original.memory.get(),
            description: original.description.clone(),
        });
        self.emit(Event::Initialized {
            memory: original.memory,
            sizes: self.input.power_values.clone(),
            invocations_per_size: slots.len() as u32,
            price: Price::for_function(self.arn().region(), original.architecture),
            ephemeral_mb: original.ephemeral_storage_mb,
        });

        let sizes: RefCell<Vec<SizeRun>> =
            RefCell::new(plan.sizes.iter().map(|_| SizeRun::default()).collect());
        self.emit(Event::Phase(Phase::Tuning));
        let outcome = self.tune(&plan, &slots, &original, &sizes).await;

        self.emit(Event::Phase(Phase::CleaningUp));
        let entries = self.created.borrow().clone();
        let cleanup = clean_up(self.api, self.clock, self.journal, &entries, self.on_event).await;
        let sizes = sizes.into_inner();
        let result = (!self.input.dry_run).then(|| self.result(&plan, &original, &sizes));

        if let Err(error) = outcome {
            return Err(RunFailure {
                error,
                partial: result,
                cleanup,
            });
        }
        if !cleanup.is_complete() {
            self.warn(format!(
                "cleanup left {} item(s) behind ({}); run cleanup again",
                cleanup.errors.len(),
                cleanup.errors.join("; ")
            ));
        }
        let tuning_cost = result.as_ref().map_or(0.0, RunResult::lambda_cost);
        let mut report = RunReport {
            output: None,
            original,
            invocations: self.invocations.get(),
            tuning_cost,
            warnings: Vec::new(),
            cleanup,
            optimized: None,
            result: None,
            elapsed_ms: 0.0,
        };
        if let Some(result) = result {
            self.emit(Event::Phase(Phase::Analyzing));
            let output = match result.original_output(
                self.input.include_output_results,
                &self.options.visualization_url,
            ) {
                Ok(output) => output,
                Err(_) => {
                    let first = result
                        .sizes
                        .iter()
                        .find_map(|s| s.error.clone())
                        .unwrap_or_default();
                    return Err(RunFailure {
                        error: RunError::AllSizesFailed(first),
                        partial: Some(result),
                        cleanup: report.cleanup,
                    });
                }
            };
            if self.input.auto_optimize {
                self.emit(Event::Phase(Phase::Optimizing));
                let memory = MemoryMb::new(output.power).expect("a measured size");
                let alias = self.input.auto_optimize_alias.as_deref();
                if let Err(error) = apply(
                    self.api,
                    self.clock,
                    self.arn(),
                    memory,
                    alias,
                    self.options.wait_limit,
                )
                .await
                {
                    return Err(RunFailure {
                        error,
                        partial: Some(result),
                        cleanup: report.cleanup,
                    });
                }
                self.emit(Event::Optimized {
                    memory,
                    alias: alias.map(str::to_owned),
                });
                report.optimized = Some(memory);
            }
            report.output = Some(output);
            report.result = Some(result);
        }
        report.warnings = self.warnings.take();
        report.elapsed_ms = self.clock.now_ms() - started;
        Ok(report)
    }

    fn failure_before_start(&self, error: RunError) -> RunFailure {
        RunFailure {
            error,
            partial: None,
            cleanup: CleanupReport {
                restored: true,
                ..CleanupReport::default()
            },
        }
    }

    /// The payload of each invocation of one size.
    fn payloads(&self, payload: Option<&Value>) -> Result<Vec<PayloadSlot>, payload::PayloadError> {
        if self.input.dry_run {
            // One invocation, with the first payload of a weighted list.
            let first = payload.map(|p| match p {
                Value::Array(entries) if payload::is_weighted(p) => &entries[0]["payload"],
                other => other,
            });
            return payload::generate(1, first);
        }
        payload::generate(self.input.num, payload)
    }

    fn record(&self, entry: JournalEntry) {
        self.journal.put(entry.clone());
        let mut created = self.created.borrow_mut();
        crate::journal::upsert(&mut created, entry);
    }

    /// Publishing and executing, pipelined; stops at the first run-wide error or on cancel.
    async fn tune(
        &self,
        plan: &Plan,
        slots: &[PayloadSlot],
        original: &FunctionConfig,
        sizes: &RefCell<Vec<SizeRun>>,
    ) -> Result<(), RunError> {
        let (ready_tx, ready_rx) = mpsc::unbounded::<usize>();
        let publisher = self.publish_all(plan, sizes, ready_tx).fuse();
        let cancelled = self.cancel.cancelled().fuse();
        pin_mut!(publisher, cancelled);
        let mut ready_rx = ready_rx.fuse();
        let mut executing = FuturesUnordered::new();
        let mut publishing = true;
        loop {
            select! {
                published = publisher => {
                    published?;
                    publishing = false;
                }
                index = ready_rx.next() => {
                    if let Some(index) = index {
                        executing.push(self.execute_size(plan.sizes[index].memory, index, slots, original, sizes));
                    }
                }
                executed = executing.select_next_some() => executed?,
                () = cancelled => {
                    // Invocations can be dropped, but a publishing step cannot: a version whose
                    // PublishVersion request is in flight would exist without the journal knowing
                    // its number. The publisher finishes its step and stops at the next one.
                    drop(executing);
                    if publishing {
                        let _ = (&mut publisher).await;
                    }
                    return Err(RunError::Cancelled);
                }
                complete => break,
            }
            if !publishing && executing.is_empty() && ready_rx.is_done() {
                break;
            }
        }
        Ok(())
    }

    /// Publishes every size in order, announcing each when ready, then restores `$LATEST`.
    async fn publish_all(
        &self,
        plan: &Plan,
        sizes: &RefCell<Vec<SizeRun>>,
        ready: mpsc::UnboundedSender<usize>,
    ) -> Result<(), RunError> {
        for (index, size) in plan.sizes.iter().enumerate() {
            for step in &size.aliases {
                if self.cancel.is_cancelled() {
                    return Err(RunError::Cancelled);
                }
                self.emit(Event::Publishing {
                    memory: size.memory,
                    alias: step.alias.clone(),
                });
                match self
                    .publish(size.memory, &step.alias, step.description.as_deref())
                    .await
                {
                    Ok(version) => {
                        self.emit(Event::Published {
                            memory: size.memory,
                            alias: step.alias.clone(),
                            version: version.clone(),
                        });
                        sizes.borrow_mut()[index]
                            .aliases
                            .push((step.alias.clone(), version));
                    }
                    // Lambda refused this memory size (e.g. above the account's quota).
                    Err(RunError::Lambda {
                        source: LambdaError::InvalidRequest { message },
                        ..
                    }) => {
                        let error = format!("Lambda refused {}: {message}", size.memory);
                        self.emit(Event::SizeFinished {
                            memory: size.memory,
                            error: Some(error.clone()),
                        });
                        sizes.borrow_mut()[index].publish_error = Some(error);
                        break;
                    }
                    Err(e) => return Err(e),
                }
            }
            if sizes.borrow()[index].publish_error.is_none() {
                // The receiver is gone only if the run is ending anyway.
                let _ = ready.unbounded_send(index);
            }
        }
        drop(ready);
        self.restore_latest(&plan.restore).await
    }

    /// Points `alias` at a new version with `memory`; returns the version.
    async fn publish(
        &self,
        memory: MemoryMb,
        alias: &str,
        description: Option<&str>,
    ) -> Result<String, RunError> {
        let function = self.arn().to_string();
        self.record(JournalEntry::Alias {
            function: function.clone(),
            alias: alias.to_owned(),
            version: None,
        });
        let update = ConfigUpdate {
            memory: Some(memory),
            description: description.map(str::to_owned),
        };
        let phase = Phase::Tuning;
        self.retrying(|| self.api.update_function_configuration(self.arn(), &update))
            .await
            .map_err(|e| e.in_phase(phase))?;
        self.wait_updated().await?;
        let version = self
            .retrying(|| self.api.publish_version(self.arn()))
            .await
            .map_err(|e| e.in_phase(phase))?;
        self.record(JournalEntry::Alias {
            function,
            alias: alias.to_owned(),
            version: Some(version.clone()),
        });
        self.retrying(|| point_alias(self.api, self.arn(), alias, &version))
            .await
            .map_err(|e| e.in_phase(phase))?;
        Ok(version)
    }

    async fn restore_latest(&self, original: &OriginalConfig) -> Result<(), RunError> {
        let update = ConfigUpdate {
            memory: Some(original.memory),
            description: Some(original.description.clone()),
        };
        self.retrying(|| self.api.update_function_configuration(self.arn(), &update))
            .await
            .map_err(|e| e.in_phase(Phase::Tuning))?;
        self.wait_updated().await?;
        self.emit(Event::Restored {
            memory: original.memory.get(),
        });
        Ok(())
    }

    /// Waits until `$LATEST` has no update in progress; returns its configuration.
    async fn wait_updated(&self) -> Result<FunctionConfig, RunError> {
        wait_updated(self.api, self.clock, self.arn(), self.options.wait_limit).await
    }

    /// Calls `op`, retrying transient errors (see [`retrying`]).
    async fn retrying<T, F, Fut>(&self, op: F) -> Result<T, LambdaError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, LambdaError>>,
    {
        retrying(self.clock, &self.rng, self.on_event, op).await
    }

    /// Runs all invocations of one size.
    async fn execute_size(
        &self,
        memory: MemoryMb,
        index: usize,
        slots: &[PayloadSlot],
        original: &FunctionConfig,
        sizes: &RefCell<Vec<SizeRun>>,
    ) -> Result<(), RunError> {
        self.emit(Event::SizeStarted { memory });
        let aliases: Vec<String> = sizes.borrow()[index]
            .aliases
            .iter()
            .map(|(a, _)| a.clone())
            .collect();
        let phase = Phase::Tuning;
        let config = self
            .retrying(|| {
                self.api
                    .get_function_configuration(self.arn(), Some(&aliases[0]))
            })
            .await
            .map_err(|e| e.in_phase(phase))?;
        let measured = Measured {
            architecture: config.architecture,
            ephemeral_mb: config.ephemeral_storage_mb,
            ..Measured::default()
        };
        if config.state != FunctionState::Active && !self.input.only_cold_starts {
            self.wait_active(&aliases[0]).await?;
        }
        let timeout = self
            .options
            .invocation_timeout
            .unwrap_or(Duration::from_secs(
                u64::from(original.timeout_s.max(config.timeout_s)) + 10,
            ));
        let total = slots.len() as u32;
        let done = Cell::new(0u32);
        let failed = Cell::new(false);
        let measured = RefCell::new(measured);
        let one = |i: usize| {
            let alias = if self.input.only_cold_starts {
                &aliases[i]
            } else {
                &aliases[0]
            };
            let (done, failed, measured) = (&done, &failed, &measured);
            async move {
                if failed.get() {
                    return Ok(Invocation::Skipped);
                }
                if self.input.only_cold_starts {
                    self.wait_active(alias).await?;
                }
                let outcome = self
                    .invocation(memory, alias, &slots[i].text, timeout, measured)
                    .await?;
                match &outcome {
                    Invocation::Measured(sample) => {
                        done.set(done.get() + 1);
                        self.emit(Event::Invoked {
                            memory,
                            done: done.get(),
                            total,
                            billed_ms: sample.billed_ms,
                        });
                    }
                    Invocation::Failed(_) => failed.set(true),
                    Invocation::Skipped => {}
                }
                Ok::<_, RunError>(outcome)
            }
        };
        let mut outcomes = Vec::with_capacity(slots.len());
        if self.input.parallel_invocation && !self.input.dry_run {
            let limit = self
                .options
                .per_size_concurrency
                .unwrap_or(slots.len())
                .max(1);
            let mut stream = futures::stream::iter(0..slots.len())
                .map(one)
                .buffer_unordered(limit);
            while let Some(outcome) = stream.next().await {
                outcomes.push(outcome?);
            }
        } else {
            for i in 0..slots.len() {
                let outcome = one(i).await?;
                let stop = matches!(outcome, Invocation::Failed(_));
                outcomes.push(outcome);
                if stop {
                    break;
                }
                if self.input.sleep_between_runs_ms > 0 {
                    self.clock
                        .sleep(Duration::from_millis(self.input.sleep_between_runs_ms))
                        .await;
                }
            }
        }
        let mut measured = measured.into_inner();
        for outcome in outcomes {
            match outcome {
                Invocation::Measured(sample) => measured.samples.push(sample),
                Invocation::Failed(message) => {
                    measured.failure.get_or_insert(message);
                }
                Invocation::Skipped => {}
            }
        }
        self.emit(Event::SizeFinished {
            memory,
            error: measured.failure.clone(),
        });
        sizes.borrow_mut()[index].measured = Some(measured);
        Ok(())
    }

    /// One invocation with its retries.
    async fn invocation(
        &self,
        memory: MemoryMb,
        alias: &str,
        payload: &str,
        timeout: Duration,
        measured: &RefCell<Measured>,
    ) -> Result<Invocation, RunError> {
        let mut attempt = 0;
        loop {
            let guard = self.permits.acquire().await;
            let result = self.attempt(alias, payload, timeout).await;
            drop(guard);
            self.invocations.set(self.invocations.get() + 1);
            match result? {
                Attempt::Measured(sample) => return Ok(Invocation::Measured(sample)),
                Attempt::Failed { message, billed_ms } => {
                    {
                        let mut m = measured.borrow_mut();
                        m.failed_attempts += 1;
                        m.failed_billed_ms += billed_ms;
                    }
                    if attempt >= self.options.retries {
                        return Ok(Invocation::Failed(message));
                    }
                    attempt += 1;
                    self.emit(Event::Retrying {
                        memory,
                        attempt,
                        error: message,
                    });
                }
            }
        }
    }

    /// One try: pre-processor, the invocation, post-processor (spec §5.7, §5.8).
    async fn attempt(
        &self,
        alias: &str,
        payload: &str,
        timeout: Duration,
    ) -> Result<Attempt, RunError> {
        let phase = Phase::Tuning;
        let mode = if self.input.parallel_invocation {
            "parallel"
        } else {
            "series"
        };
        let mut payload = payload.as_bytes().to_vec();
        if let Some(pre) = &self.input.pre_processor_arn {
            let out = self
                .retrying(|| self.api.invoke(pre, None, &payload))
                .await
                .map_err(|e| e.in_phase(phase))?;
            if out.function_error.is_some() {
                return Ok(Attempt::Failed {
                    message: self.error_message(
                        &format!("PreProcessor {pre} failed"),
                        &payload,
                        &out.payload,
                    ),
                    billed_ms: 0.0,
                });
            }
            if !out.payload.is_empty() {
                payload = out.payload;
            }
        }
        let invoke = self.retrying(|| self.api.invoke(self.arn(), Some(alias), &payload));
        let sleep = self.clock.sleep(timeout);
        pin_mut!(invoke, sleep);
        let out = match future::select(invoke, sleep).await {
            Either::Left((out, _)) => out.map_err(|e| e.in_phase(phase))?,
            Either::Right(_) => {
                return Ok(Attempt::Failed {
                    message: format!(
                        "no answer within {} s (client timeout); the request was abandoned",
                        timeout.as_secs()
                    ),
                    billed_ms: timeout.as_millis() as f64,
                });
            }
        };
        let tail = logs::parse_base64(out.log_tail.as_deref());
        let billed_ms = tail.report.map_or(0.0, |r| r.billed_ms());
        if let Some(post) = &self.input.post_processor_arn {
            let post_out = self
                .retrying(|| self.api.invoke(post, None, &out.payload))
                .await
                .map_err(|e| e.in_phase(phase))?;
            if post_out.function_error.is_some() {
                return Ok(Attempt::Failed {
                    message: self.error_message(
                        &format!("PostProcessor {post} failed"),
                        &out.payload,
                        &post_out.payload,
                    ),
                    billed_ms,
                });
            }
        }
        if out.function_error.is_some() {
            let error_type = serde_json::from_slice::<Value>(&out.payload)
                .ok()
                .and_then(|v| {
                    v.get("errorType")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                })
                .unwrap_or_default();
            if !self.input.allowed_exceptions.contains(&error_type) {
                let prefix = match tail.failure {
                    Some(LogFailure::Timeout) => {
                        format!("Invocation timed out (running in {mode})")
                    }
                    Some(LogFailure::OutOfMemory) => {
                        format!("Invocation ran out of memory (running in {mode})")
                    }
                    _ => format!("Invocation error (running in {mode})"),
                };
                return Ok(Attempt::Failed {
                    message: self.error_message(&prefix, &payload, &out.payload),
                    billed_ms,
                });
            }
        }
        match tail.report {
            Some(report) => Ok(Attempt::Measured(Sample::from(&report))),
            None => Ok(Attempt::Failed {
                message: "the invocation's log tail has no REPORT line, so its duration is unknown"
                    .into(),
                billed_ms: 0.0,
            }),
        }
    }

    /// The original's error text: prefix, payload unless `disablePayloadLogs`, and the function's
    /// error type, message and trace.
    fn error_message(&self, prefix: &str, payload: &[u8], response: &[u8]) -> String {
        let response: Value = serde_json::from_slice(response).unwrap_or(Value::Null);
        let field = |key: &str| {
            response
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let with_payload = if self.input.disable_payload_logs {
            String::new()
        } else {
            format!(
                " with payload {}",
                Value::String(String::from_utf8_lossy(payload).into_owned())
            )
        };
        let trace = response
            .get("stackTrace")
            .map(Value::to_string)
            .unwrap_or_else(|| "[]".into());
        format!(
            "{prefix}{with_payload} - original error type: \"{}\", original error message: \"{}\",trace: \"{trace}\"",
            field("errorType"),
            field("errorMessage"),
        )
    }

    async fn wait_active(&self, alias: &str) -> Result<(), RunError> {
        let started = self.clock.now_ms();
        let mut delay: f64 = 250.0;
        loop {
            let config = self
                .retrying(|| self.api.get_function_configuration(self.arn(), Some(alias)))
                .await
                .map_err(|e| e.in_phase(Phase::Tuning))?;
            match config.state {
                FunctionState::Active | FunctionState::Inactive => return Ok(()),
                FunctionState::Failed(reason) => {
                    return Err(RunError::UpdateFailed(format!(
                        "version behind {alias} failed to become active: {reason}"
                    )));
                }
                FunctionState::Pending => {}
            }
            if self.clock.now_ms() - started > self.options.wait_limit.as_millis() as f64 {
                return Err(RunError::Stuck {
                    what: format!("the version behind {alias} becoming active"),
                    waited: self.options.wait_limit,
                });
            }
            self.clock.sleep(Duration::from_millis(delay as u64)).await;
            delay = (delay * 1.5).min(5_000.0);
        }
    }

    /// The run's result from what was measured.
    fn result(&self, plan: &Plan, original: &FunctionConfig, sizes: &[SizeRun]) -> RunResult {
        let region = self.arn().region();
        let results = plan
            .sizes
            .iter()
            .zip(sizes)
            .map(|(size, run)| {
                let memory = size.memory;
                let Some(m) = &run.measured else {
                    return SizeResult {
                        memory,
                        average_duration_ms: 0.0,
                        average_cost: 0.0,
                        detail: None,
                        error: Some(run.publish_error.clone().unwrap_or_else(|| {
                            "not measured: the run stopped before this size".into()
                        })),
                    };
                };
                let price = Price::for_function(region, m.architecture);
                let stats = SizeStats::compute(
                    &m.samples,
                    m.failed_attempts,
                    self.input.effective_discard(),
                );
                let average_cost = if m.samples.is_empty() {
                    0.0
                } else {
                    price.invocation(memory, stats.average_billed_ms, m.ephemeral_mb)
                };
                let attempts = stats.invocations + m.failed_attempts;
                let total_cost = price.total(
                    memory,
                    stats.total_billed_ms + m.failed_billed_ms,
                    attempts,
                    m.ephemeral_mb,
                );
                SizeResult {
                    memory,
                    average_duration_ms: stats.average_duration_ms,
                    average_cost,
                    error: m.failure.clone(),
                    detail: Some(SizeDetail { stats, total_cost }),
                }
            })
            .collect();
        let architecture = sizes
            .iter()
            .find_map(|s| s.measured.as_ref().map(|m| m.architecture))
            .unwrap_or(original.architecture);
        RunResult {
            function_name: Some(self.arn().name().to_owned()),
            region: Some(region.to_owned()),
            architecture,
            currency: Currency::of_region(region),
            current_memory: Some(original.memory),
            strategy: self.input.strategy,
            balanced_weight: self.input.balanced_weight,
            sizes: results,
        }
    }
}

impl LambdaError {
    fn in_phase(self, phase: Phase) -> RunError {
        RunError::Lambda {
            phase,
            source: self,
        }
    }
}

/// Calls `op` until it succeeds, retrying transient errors (throttling, conflicts, network, 5xx)
/// up to 8 times with "full jitter" exponential backoff: a random wait between half of and all of
/// 100 ms × 2^attempt, at most 10 s.
async fn retrying<T, F, Fut, C: Clock>(
    clock: &C,
    rng: &RefCell<fastrand::Rng>,
    on_event: &dyn Fn(Event),
    mut op: F,
) -> Result<T, LambdaError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, LambdaError>>,
{
    let mut attempt = 0;
    loop {
        match op().await {
            Ok(value) => return Ok(value),
            Err(e) if e.is_transient() && attempt + 1 < MAX_API_ATTEMPTS => {
                attempt += 1;
                let cap = (100.0 * 2f64.powi(attempt as i32)).min(10_000.0);
                let delay =
                    Duration::from_millis((cap * (0.5 + rng.borrow_mut().f64() * 0.5)) as u64);
                if matches!(e, LambdaError::Throttled { .. }) {
                    on_event(Event::Throttled { delay });
                }
                clock.sleep(delay).await;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Waits until `$LATEST` of `function` has no update in progress; returns its configuration.
///
/// # Errors
/// The update failed, did not finish within `limit`, or a request failed.
pub async fn wait_updated<A: LambdaApi, C: Clock>(
    api: &A,
    clock: &C,
    function: &FunctionArn,
    limit: Duration,
) -> Result<FunctionConfig, RunError> {
    let started = clock.now_ms();
    let mut delay: f64 = 100.0;
    let mut transient_errors = 0;
    loop {
        match api.get_function_configuration(function, None).await {
            Ok(config) => match &config.last_update_status {
                UpdateStatus::Successful => return Ok(config),
                UpdateStatus::Failed(reason) => return Err(RunError::UpdateFailed(reason.clone())),
                UpdateStatus::InProgress => {}
            },
            Err(e) if e.is_transient() && transient_errors < MAX_API_ATTEMPTS => {
                transient_errors += 1
            }
            Err(e) => return Err(e.in_phase(Phase::Tuning)),
        }
        if clock.now_ms() - started > limit.as_millis() as f64 {
            return Err(RunError::Stuck {
                what: format!("the configuration update of {}", function.name()),
                waited: limit,
            });
        }
        clock.sleep(Duration::from_millis(delay as u64)).await;
        // Most updates finish within about a second: poll briskly at first (10 per second, well
        // within GetFunctionConfiguration's quota), since every publish waits here and publishes
        // are the run's critical path; then back off.
        if clock.now_ms() - started > 3_000.0 {
            delay = (delay * 1.5).min(2_000.0);
        }
    }
}

/// Points `alias` at `version`, creating it if needed.
async fn point_alias<A: LambdaApi>(
    api: &A,
    function: &FunctionArn,
    alias: &str,
    version: &str,
) -> Result<(), LambdaError> {
    match api.get_alias(function, alias).await {
        Ok(_) => api.update_alias(function, alias, version).await,
        Err(LambdaError::NotFound { .. }) => match api.create_alias(function, alias, version).await
        {
            // Created meanwhile by someone else: point it anyway.
            Err(LambdaError::Conflict { message }) if message.contains("already exists") => {
                api.update_alias(function, alias, version).await
            }
            other => other,
        },
        Err(e) => Err(e),
    }
}

/// Sets `function`'s memory to `memory` and, with `alias`, publishes a version and points the
/// alias at it (the original's optimizer, spec §8; also the UI's "apply").
///
/// # Errors
/// [`RunError`] if a request fails or the update does not finish.
pub async fn apply<A: LambdaApi, C: Clock>(
    api: &A,
    clock: &C,
    function: &FunctionArn,
    memory: MemoryMb,
    alias: Option<&str>,
    limit: Duration,
) -> Result<(), RunError> {
    wait_updated(api, clock, function, limit).await?;
    let update = ConfigUpdate {
        memory: Some(memory),
        description: None,
    };
    api.update_function_configuration(function, &update)
        .await
        .map_err(|e| e.in_phase(Phase::Optimizing))?;
    if let Some(alias) = alias {
        wait_updated(api, clock, function, limit).await?;
        let version = api
            .publish_version(function)
            .await
            .map_err(|e| e.in_phase(Phase::Optimizing))?;
        point_alias(api, function, alias, &version)
            .await
            .map_err(|e| e.in_phase(Phase::Optimizing))?;
    }
    Ok(())
}

/// Undoes journal `entries`: deletes each alias and its version, restores `$LATEST`, and removes
/// what was undone from `journal`. Entries that fail stay in the journal and are reported.
pub async fn clean_up<A: LambdaApi, C: Clock>(
    api: &A,
    clock: &C,
    journal: &dyn Journal,
    entries: &[JournalEntry],
    on_event: &dyn Fn(Event),
) -> CleanupReport {
    let report = RefCell::new(CleanupReport {
        restored: true,
        ..CleanupReport::default()
    });
    let rng = RefCell::new(fastrand::Rng::with_seed(0xc1ea));
    let rng = &rng;
    // What the run's versions were described as: the original description plus ` - <alias>`.
    let original_description = |function: &str| {
        entries.iter().find_map(|e| match e {
            JournalEntry::Restore {
                function: f,
                description,
                ..
            } if f == function => Some(description.as_str()),
            _ => None,
        })
    };
    let aliases = entries
        .iter()
        .filter(|e| matches!(e, JournalEntry::Alias { .. }))
        .map(|entry| {
            let report = &report;
            async move {
                let JournalEntry::Alias {
                    function,
                    alias,
                    version,
                } = entry
                else {
                    unreachable!("filtered above")
                };
                let description = original_description(function)
                    .map(|original| plan::cold_start_description(original, alias));
                match retrying(clock, rng, on_event, || {
                    remove_alias(
                        api,
                        function,
                        alias,
                        version.as_deref(),
                        description.as_deref(),
                    )
                })
                .await
                {
                    Ok(deleted_version) => {
                        let mut r = report.borrow_mut();
                        r.aliases_deleted.push(alias.clone());
                        r.versions_deleted.extend(deleted_version);
                        journal.remove(entry);
                        on_event(Event::Removed {
                            alias: alias.clone(),
                        });
                    }
                    Err(e) => report.borrow_mut().errors.push(format!("{alias}: {e}")),
                }
            }
        });
    future::join_all(aliases).await;
    for entry in entries {
        let JournalEntry::Restore {
            function,
            memory,
            description,
        } = entry
        else {
            continue;
        };
        match restore(api, clock, rng, on_event, function, *memory, description).await {
            Ok(()) => {
                journal.remove(entry);
                on_event(Event::Restored { memory: *memory });
            }
            Err(e) => {
                let mut r = report.borrow_mut();
                r.restored = false;
                r.errors
                    .push(format!("restoring {function} to {memory} MB: {e}"));
            }
        }
    }
    report.into_inner()
}

/// Deletes `alias` and the version behind it; `NotFound` counts as done. Returns the version
/// deleted, if any.
/// Deletes `alias` and its version. When neither the journal nor the alias knows the version (the
/// run stopped while PublishVersion was in flight), the version is found by the description the
/// run gave it and the memory in the alias's name.
async fn remove_alias<A: LambdaApi>(
    api: &A,
    function: &str,
    alias: &str,
    version: Option<&str>,
    description: Option<&str>,
) -> Result<Option<String>, LambdaError> {
    let arn: FunctionArn =
        function
            .parse()
            .map_err(|e: crate::arn::ArnError| LambdaError::InvalidRequest {
                message: e.to_string(),
            })?;
    let version = match api.get_alias(&arn, alias).await {
        Ok(v) => Some(v),
        Err(LambdaError::NotFound { .. }) => version.map(str::to_owned),
        Err(e) => return Err(e),
    };
    match api.delete_alias(&arn, alias).await {
        Ok(()) | Err(LambdaError::NotFound { .. }) => {}
        Err(e) => return Err(e),
    }
    let version = match (
        version,
        description,
        plan::alias_memory_digits(alias).and_then(|m| m.parse::<u32>().ok()),
    ) {
        (Some(v), ..) => v,
        (None, Some(description), Some(memory)) => {
            let found = api
                .list_versions(&arn)
                .await?
                .into_iter()
                .find(|v| v.description == description && v.memory == memory);
            match found {
                Some(v) => v.version,
                None => return Ok(None),
            }
        }
        _ => return Ok(None),
    };
    match api.delete_version(&arn, &version).await {
        Ok(()) => Ok(Some(version)),
        Err(LambdaError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

async fn restore<A: LambdaApi, C: Clock>(
    api: &A,
    clock: &C,
    rng: &RefCell<fastrand::Rng>,
    on_event: &dyn Fn(Event),
    function: &str,
    memory: u32,
    description: &str,
) -> Result<(), RunError> {
    let arn: FunctionArn = function
        .parse()
        .map_err(|e: crate::arn::ArnError| RunError::UpdateFailed(e.to_string()))?;
    let limit = Duration::from_secs(300);
    let current = wait_updated(api, clock, &arn, limit).await?;
    let memory = MemoryMb::new(memory).map_err(|e| RunError::UpdateFailed(e.to_string()))?;
    if current.memory == memory && current.description == description {
        return Ok(());
    }
    let update = ConfigUpdate {
        memory: Some(memory),
        description: Some(description.to_owned()),
    };
    retrying(clock, rng, on_event, || {
        api.update_function_configuration(&arn, &update)
    })
    .await
    .map_err(|e| e.in_phase(Phase::CleaningUp))?;
    wait_updated(api, clock, &arn, limit).await.map(|_| ())
}
