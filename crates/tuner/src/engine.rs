//! Runs a whole power-tuning session against any [`LambdaApi`].
//!
//! Phases as in the original (initialize, publish, execute, clean up, analyze, optimize), with
//! these differences:
//! - **What to measure is a policy's**: a [`SamplingPolicy`] decides which sizes to publish and
//!   how many invocations each gets, asked again whenever something finishes; the original's
//!   grid ([`GridPolicy`](crate::sampling::GridPolicy): every size, `num` invocations) is what
//!   [`run`] uses.
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

//!
//! One job per module: [`event`] (phases and progress), [`report`] (how a run ends), `schedule`
//! (the loop that asks the policy), `publish`, `execute` (invocations), [`retry`] (backoff and
//! waits), `cleanup` and `apply`.

mod apply;
mod attempt;
mod cleanup;
pub mod compare;
pub mod copy;
pub mod event;
mod execute;
mod guard;
mod journaling;
mod optimize;
mod options;
mod prepare;
mod publish;
pub mod report;
pub mod retry;
mod schedule;

use std::cell::{Cell, RefCell};

use serde_json::Value;

pub use self::{
    apply::apply,
    cleanup::clean_up,
    event::{Event, Phase},
    options::RunOptions,
    prepare::policy_for,
    report::{CleanupReport, RunError, RunFailure, RunReport},
    retry::wait_updated,
};
use self::{
    retry::Retrier,
    schedule::{SizeRun, Tuning},
};
use crate::{
    api::{Clock, FunctionConfig, LambdaApi},
    arn::FunctionArn,
    cancel::CancelToken,
    failure::{FailureKind, SizeFailure},
    input::TuningInput,
    journal::{Journal, JournalEntry},
    memory::MemoryMb,
    output::OriginalOutput,
    plan::{OriginalConfig, Plan},
    pricing::Price,
    result::{RunContext, RunResult, SamplingSummary},
    sampling::SamplingPolicy,
};

/// How a caller follows and steers a run.
#[derive(Clone, Copy)]
pub struct Hooks<'a> {
    /// Receives progress events.
    pub on_event: &'a dyn Fn(Event),
    /// Stops the run (after cleanup) when cancelled.
    pub cancel: &'a CancelToken,
}

/// Runs a tuning session with the original's schedule (every size, `num` invocations each).
/// `payload` is the resolved payload value (the caller fetches `payloadS3`); `journal` records
/// what must be undone.
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
    let mut policy = policy_for(input);
    run_with_policy(
        api,
        clock,
        journal,
        input,
        payload,
        options,
        hooks,
        policy.as_mut(),
    )
    .await
}

/// [`run`], with `policy` deciding what to measure.
///
/// # Errors
/// As [`run`].
#[allow(clippy::too_many_arguments)] // run's arguments plus the policy; each is distinct.
pub async fn run_with_policy<A: LambdaApi, C: Clock>(
    api: &A,
    clock: &C,
    journal: &dyn Journal,
    input: &TuningInput,
    payload: Option<&Value>,
    options: &RunOptions,
    hooks: Hooks<'_>,
    policy: &mut dyn SamplingPolicy,
) -> Result<RunReport, Box<RunFailure>> {
    let engine = Engine {
        api,
        clock,
        journal,
        input,
        options,
        on_event: hooks.on_event,
        cancel: hooks.cancel,
        retrier: Retrier::new(clock, options.seed, hooks.on_event),
        permits: async_lock::Semaphore::new(options.max_concurrency.max(1)),
        created: RefCell::new(Vec::new()),
        warnings: RefCell::new(Vec::new()),
        invocations: Cell::new(0),
        tenant: RefCell::new(None),
        first_revision: RefCell::new(None),
    };
    engine.run(payload, policy).await.map_err(Box::new)
}

/// One run's state, shared by the loop, publishing, invoking and cleanup.
struct Engine<'a, A, C> {
    api: &'a A,
    clock: &'a C,
    journal: &'a dyn Journal,
    input: &'a TuningInput,
    options: &'a RunOptions,
    on_event: &'a dyn Fn(Event),
    cancel: &'a CancelToken,
    retrier: Retrier<'a, C>,
    permits: async_lock::Semaphore,
    /// Journal entries this run created, in order.
    created: RefCell<Vec<JournalEntry>>,
    warnings: RefCell<Vec<String>>,
    invocations: Cell<u32>,
    /// The tenant each invocation names (a tenant-isolated function's), once the function's
    /// configuration is read.
    tenant: RefCell<Option<String>>,
    /// `$LATEST`'s `RevisionId` as the run read it, until the run's first change uses it.
    first_revision: RefCell<Option<String>>,
}

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

    async fn run(
        &self,
        payload: Option<&Value>,
        policy: &mut dyn SamplingPolicy,
    ) -> Result<RunReport, RunFailure> {
        let started = self.clock.now_ms();
        self.emit(Event::Phase(Phase::Initializing));
        let slots = prepare::payloads(self.input, payload)
            .map_err(|e| self.failure_before_start(e.into()))?;
        let original = self
            .wait_updated(Phase::Initializing)
            .await
            .map_err(|e| self.failure_before_start(e))?;
        let tenant_id = self.input.tenant_id.as_deref();
        if let Some(refusal) = original.platform.refusal(self.arn().name(), tenant_id) {
            return Err(self.failure_before_start(refusal.into()));
        }
        for note in original.platform.notes(self.arn().name(), tenant_id) {
            self.warn(note);
        }
        *self.tenant.borrow_mut() = original.platform.tenant_id(tenant_id).map(str::to_owned);
        self.refuse_concurrent_run(&original)
            .await
            .map_err(|e| self.failure_before_start(e))?;
        *self.first_revision.borrow_mut() =
            Some(original.revision_id.clone()).filter(|r| !r.is_empty());
        let plan = Plan::new(
            self.input,
            OriginalConfig {
                memory: original.memory,
                description: original.description.clone(),
            },
        );
        self.record(self.restore_entry(&original))
            .await
            .map_err(|e| self.failure_before_start(e))?;
        let price = Price::for_function(self.arn().region(), original.architecture);
        self.emit(Event::Initialized {
            memory: original.memory,
            sizes: self.input.power_values.clone(),
            invocations_per_size: slots.len() as u32,
            price,
            ephemeral_mb: original.ephemeral_storage_mb,
        });

        let sizes: RefCell<Vec<SizeRun>> =
            RefCell::new(plan.sizes.iter().map(|s| SizeRun::new(s.memory)).collect());
        self.emit(Event::Phase(Phase::Tuning));
        let tuning = Tuning {
            plan: &plan,
            slots: &slots,
            original: &original,
            price,
        };
        let outcome = self.tune(&tuning, policy, &sizes).await;

        self.emit(Event::Phase(Phase::CleaningUp));
        let entries = self.created.borrow().clone();
        let cleanup = clean_up(
            self.api,
            self.clock,
            self.journal,
            &entries,
            self.options.wait_limit,
            self.on_event,
        )
        .await;
        let result = (!self.input.dry_run).then(|| self.result(&original, &sizes.borrow()));

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
            let output = match OriginalOutput::from_run(
                &result,
                self.input.include_output_results,
                &self.options.visualization_url,
            ) {
                Ok(output) => output,
                Err(_) => {
                    let first = result
                        .sizes
                        .iter()
                        .find_map(|s| s.error.clone())
                        .unwrap_or_else(|| {
                            SizeFailure::new(FailureKind::Unknown, "no size was measured")
                        });
                    return Err(RunFailure {
                        error: RunError::AllSizesFailed(first),
                        partial: Some(result),
                        cleanup: report.cleanup,
                    });
                }
            };
            if self.input.auto_optimize {
                self.emit(Event::Phase(Phase::Optimizing));
                let best = &result.sizes[result.recommend(result.strategy).map_or(0, |r| r.index)];
                let memory: MemoryMb = best.memory;
                if let Err((error, undone)) = self.optimize(memory, &report.original).await {
                    let mut cleanup = report.cleanup;
                    cleanup.merge(undone);
                    return Err(RunFailure {
                        error,
                        partial: Some(result),
                        cleanup,
                    });
                }
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

    /// Waits until `$LATEST` has no update in progress; returns its configuration.
    async fn wait_updated(&self, phase: Phase) -> Result<FunctionConfig, RunError> {
        wait_updated(
            self.api,
            self.clock,
            self.arn(),
            self.options.wait_limit,
            phase,
        )
        .await
    }

    /// The run's result from what was measured.
    fn result(&self, original: &FunctionConfig, sizes: &[SizeRun]) -> RunResult {
        let context = RunContext {
            function: self.arn(),
            current_memory: original.memory,
            architecture: original.architecture,
            strategy: self.input.strategy,
            balanced_weight: self.input.balanced_weight,
            discard: self.input.effective_discard(),
            tolerance: self.input.tolerance,
            sampling: Some(SamplingSummary {
                mode: self.input.sampling,
                invocations: self.invocations.get(),
                published: sizes.iter().map(|s| s.aliases.len() as u32).sum(),
                grid_invocations: self.input.num * self.input.power_values.len() as u32,
                grid_published: Plan::versions_for(self.input) as u32,
            }),
            traffic: self.input.traffic(),
        };
        let outcomes: Vec<_> = sizes.iter().map(SizeRun::outcome).collect();
        RunResult::from_outcomes(&context, &outcomes)
    }
}
