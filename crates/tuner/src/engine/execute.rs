//! Invoking: one batch of a size's invocations (in series or in parallel), each with its retries
//! (each try is [`super::attempt`]'s).

use std::{
    cell::{Cell, RefCell},
    time::Duration,
};

use futures::StreamExt as _;

use super::{
    Engine, Event, Phase, RunError,
    attempt::Attempt,
    retry::wait_active,
    schedule::{SizeRun, VersionFacts},
};
use crate::{
    api::{Clock, FunctionConfig, FunctionState, LambdaApi},
    failure::SizeFailure,
    memory::MemoryMb,
    payload::{PayloadSlot, placeholders},
    result::Measurement,
    sampling::SizeStatus,
    stats::Sample,
};

/// How an invocation ended.
enum Invocation {
    Measured(Sample),
    /// Failed on every try; why the last try failed.
    Failed(SizeFailure),
    /// Not attempted because the size had already failed.
    Skipped,
}

impl<A: LambdaApi, C: Clock> Engine<'_, A, C> {
    /// Runs the invocations requested of size `index` and not started yet; the first batch of a
    /// size reads its version's configuration and waits for it to be active.
    pub(super) async fn execute_batch(
        &self,
        index: usize,
        slots: &[PayloadSlot],
        original: &FunctionConfig,
        sizes: &RefCell<Vec<SizeRun>>,
    ) -> Result<(), RunError> {
        let (memory, aliases, first_batch, range) = {
            let mut sizes = sizes.borrow_mut();
            let run = &mut sizes[index];
            let range = run.started as usize..run.requested as usize;
            run.started = run.requested;
            run.in_flight = range.len() as u32;
            let aliases: Vec<String> = run.aliases.iter().map(|(a, _)| a.to_string()).collect();
            (run.memory, aliases, run.version.is_none(), range)
        };
        if first_batch {
            self.emit(Event::SizeStarted { memory });
            let config = self
                .retrier
                .call(|| {
                    self.api
                        .get_function_configuration(self.arn(), Some(&aliases[0]))
                })
                .await
                .map_err(|e| e.in_phase(Phase::Tuning))?;
            if config.state != FunctionState::Active && !self.input.only_cold_starts {
                wait_active(
                    self.api,
                    &self.retrier,
                    self.arn(),
                    &aliases[0],
                    self.options.wait_limit,
                )
                .await?;
            }
            let timeout = self
                .options
                .invocation_timeout
                .unwrap_or(Duration::from_secs(
                    u64::from(original.timeout_s.max(config.timeout_s)) + 10,
                ));
            sizes.borrow_mut()[index].version = Some(VersionFacts {
                architecture: config.architecture,
                ephemeral_mb: config.ephemeral_storage_mb,
                timeout,
            });
        }
        let (version, total, done) = {
            let sizes = sizes.borrow();
            let run = &sizes[index];
            (
                run.version.unwrap_or_default(),
                run.requested,
                run.samples().len() as u32,
            )
        };
        let timeout = version.timeout;
        let done = Cell::new(done);
        let failed = Cell::new(false);
        // This batch's figures, added to the size's once the batch ends (the policy sees whole
        // batches).
        let measured = RefCell::new(Measurement::default());
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
                    wait_active(
                        self.api,
                        &self.retrier,
                        self.arn(),
                        alias,
                        self.options.wait_limit,
                    )
                    .await?;
                }
                let body = placeholders::fill(&slots[i].text, i, memory);
                let outcome = self
                    .invocation(memory, alias, &body, timeout, measured)
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
                    Invocation::Failed(error) => {
                        failed.set(true);
                        self.emit(Event::InvocationFailed {
                            memory,
                            error: error.clone(),
                        });
                    }
                    Invocation::Skipped => {}
                }
                Ok::<_, RunError>(outcome)
            }
        };
        let mut outcomes = Vec::with_capacity(range.len());
        if self.input.parallel_invocation && !self.input.dry_run {
            let limit = self
                .options
                .per_size_concurrency
                .unwrap_or(range.len())
                .max(1);
            let mut stream = futures::stream::iter(range)
                .map(one)
                .buffer_unordered(limit);
            while let Some(outcome) = stream.next().await {
                outcomes.push(outcome?);
            }
        } else {
            for i in range {
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
        let batch = measured.into_inner();
        let mut sizes = sizes.borrow_mut();
        let run = &mut sizes[index];
        run.in_flight = 0;
        // Set only once a batch has ended, so a size whose first batch was cut short reads as not
        // measured.
        let measurement = run.measurement.get_or_insert_with(|| Measurement {
            architecture: version.architecture,
            ephemeral_mb: version.ephemeral_mb,
            ..Measurement::default()
        });
        measurement.failed_attempts += batch.failed_attempts;
        measurement.failed_billed_ms += batch.failed_billed_ms;
        for outcome in outcomes {
            match outcome {
                Invocation::Measured(sample) => measurement.samples.push(sample),
                Invocation::Failed(failure) => {
                    measurement.failure.get_or_insert(failure);
                }
                Invocation::Skipped => {}
            }
        }
        let failure = measurement.failure.clone();
        if failure.is_some() {
            run.status = SizeStatus::Failed;
        }
        if failure.is_some() || run.requested == run.started {
            self.emit(Event::SizeFinished {
                memory,
                error: failure,
            });
        }
        Ok(())
    }

    /// One invocation with its retries.
    async fn invocation(
        &self,
        memory: MemoryMb,
        alias: &str,
        payload: &str,
        timeout: Duration,
        measured: &RefCell<Measurement>,
    ) -> Result<Invocation, RunError> {
        let mut attempt = 0;
        loop {
            let guard = self.permits.acquire().await;
            let result = self.attempt(alias, payload, timeout).await;
            drop(guard);
            self.invocations.set(self.invocations.get() + 1);
            match result? {
                Attempt::Measured(sample) => return Ok(Invocation::Measured(sample)),
                Attempt::Failed { failure, billed_ms } => {
                    {
                        let mut m = measured.borrow_mut();
                        m.failed_attempts += 1;
                        m.failed_billed_ms += billed_ms;
                    }
                    if attempt >= self.options.retries {
                        return Ok(Invocation::Failed(failure));
                    }
                    attempt += 1;
                    self.emit(Event::Retrying {
                        memory,
                        attempt,
                        error: failure,
                    });
                }
            }
        }
    }
}
