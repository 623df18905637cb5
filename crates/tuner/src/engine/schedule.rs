//! The run's loop: ask the sampling policy what to measure, publish what it asks for (one size
//! at a time) while invoking the sizes already published, and ask again whenever something
//! finishes, until nothing runs and the policy asks for nothing more.

use std::{cell::RefCell, time::Duration};

use futures::{
    FutureExt as _, StreamExt as _, channel::mpsc, pin_mut, select_biased, stream::FuturesUnordered,
};

use super::{Engine, Event, RunError};
use crate::{
    alias::TuningAlias,
    api::{Clock, FunctionConfig, LambdaApi},
    failure::SizeFailure,
    memory::MemoryMb,
    payload::PayloadSlot,
    plan::Plan,
    pricing::{Architecture, Price},
    result::{Measurement, SizeOutcome, Skipped, Unmeasured},
    sampling::{Progress, SamplingPolicy, SizeStatus, SizeView},
    stats::Sample,
};

/// What the engine knows of one size's version once its first batch starts.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct VersionFacts {
    pub architecture: Architecture,
    pub ephemeral_mb: u32,
    /// Client-side limit per invocation.
    pub timeout: Duration,
}

/// One size's state during the run.
#[derive(Debug)]
pub(super) struct SizeRun {
    pub memory: MemoryMb,
    pub status: SizeStatus,
    /// (alias, version) once published.
    pub aliases: Vec<(TuningAlias, String)>,
    /// Why Lambda refused the size.
    pub refused: Option<SizeFailure>,
    /// Invocations requested by the policy (capped at the most per size).
    pub requested: u32,
    /// Invocations handed to batches; the next batch starts at this payload slot.
    pub started: u32,
    /// Invocations of the running batch.
    pub in_flight: u32,
    pub version: Option<VersionFacts>,
    /// Set when a batch ends.
    pub measurement: Option<Measurement>,
}

impl SizeRun {
    pub fn new(memory: MemoryMb) -> Self {
        Self {
            memory,
            status: SizeStatus::Untouched,
            aliases: Vec::new(),
            refused: None,
            requested: 0,
            started: 0,
            in_flight: 0,
            version: None,
            measurement: None,
        }
    }

    pub fn samples(&self) -> &[Sample] {
        self.measurement.as_ref().map_or(&[], |m| &m.samples)
    }

    fn view(&self) -> SizeView<'_> {
        SizeView {
            memory: self.memory,
            status: self.status,
            samples: self.samples(),
            requested: self.requested,
            in_flight: self.in_flight,
        }
    }

    /// A batch can start: published, not failed, invocations waiting, none running.
    fn wants_batch(&self) -> bool {
        self.status == SizeStatus::Measured && self.in_flight == 0 && self.requested > self.started
    }

    /// What the result is computed from.
    pub fn outcome(&self) -> SizeOutcome {
        let measurement = match (&self.measurement, &self.refused) {
            (Some(m), _) => Ok(m.clone()),
            (None, Some(refused)) => Err(Skipped::Refused(refused.clone())),
            (None, None) if self.status == SizeStatus::Untouched => {
                Err(Skipped::Unmeasured(Unmeasured::NotChosen))
            }
            (None, None) => Err(Skipped::Unmeasured(Unmeasured::Stopped)),
        };
        SizeOutcome {
            memory: self.memory,
            measurement,
        }
    }
}

/// What the loop needs besides the engine.
pub(super) struct Tuning<'r> {
    pub plan: &'r Plan,
    pub slots: &'r [PayloadSlot],
    pub original: &'r FunctionConfig,
    pub price: Price,
}

impl<A: LambdaApi, C: Clock> Engine<'_, A, C> {
    /// Publishing and executing as the policy asks; stops at the first run-wide error or on
    /// cancel.
    pub(super) async fn tune(
        &self,
        tuning: &Tuning<'_>,
        policy: &mut dyn SamplingPolicy,
        sizes: &RefCell<Vec<SizeRun>>,
    ) -> Result<(), RunError> {
        let (publish_tx, publish_rx) = mpsc::unbounded::<usize>();
        let (ready_tx, ready_rx) = mpsc::unbounded::<usize>();
        let publisher = self
            .publisher(tuning.plan, sizes, publish_rx, ready_tx)
            .fuse();
        let cancelled = self.cancel.cancelled().fuse();
        pin_mut!(publisher, cancelled);
        let mut ready_rx = ready_rx.fuse();
        let mut publish_tx = Some(publish_tx);
        let mut executing = FuturesUnordered::new();
        let mut publishing = true;
        let mut awaiting_publish = 0usize;
        let mut ask = true;
        loop {
            if ask {
                ask = false;
                awaiting_publish += self.ask(policy, tuning, sizes, &mut publish_tx);
                let mut runs = sizes.borrow_mut();
                for (index, run) in runs.iter_mut().enumerate() {
                    if run.wants_batch() {
                        // Marks the batch as running before it is first polled.
                        run.in_flight = run.requested - run.started;
                        executing.push(self.execute_batch(
                            index,
                            tuning.slots,
                            tuning.original,
                            sizes,
                        ));
                    }
                }
            }
            if executing.is_empty() && awaiting_publish == 0 {
                // Nothing runs and the policy wants nothing that can run: let the publisher
                // restore `$LATEST` and end.
                publish_tx = None;
                if !publishing {
                    break;
                }
            }
            // Biased, in this order, not `select!`'s random one: when several are ready at once
            // (calls that end together, as against a replayed profile), the policy then sees
            // them in the same order on every run, so a run on the same samples is the same run
            // (the benchmark compares policies on that), and a cancel is seen first.
            select_biased! {
                () = cancelled => {
                    // Invocations can be dropped, but a publishing step cannot: a version whose
                    // PublishVersion request is in flight would exist without the journal
                    // knowing its number. The publisher finishes its step and stops at the next.
                    drop(executing);
                    if publishing {
                        let _ = (&mut publisher).await;
                    }
                    return Err(RunError::Cancelled);
                }
                executed = executing.select_next_some() => {
                    executed?;
                    ask = true;
                }
                index = ready_rx.next() => {
                    if index.is_some() {
                        awaiting_publish -= 1;
                        ask = true;
                    }
                }
                published = publisher => {
                    published?;
                    publishing = false;
                }
                complete => break,
            }
        }
        Ok(())
    }

    /// Asks the policy and queues what it wants, within bounds; returns how many sizes were
    /// queued for publishing.
    fn ask(
        &self,
        policy: &mut dyn SamplingPolicy,
        tuning: &Tuning<'_>,
        sizes: &RefCell<Vec<SizeRun>>,
        publish_tx: &mut Option<mpsc::UnboundedSender<usize>>,
    ) -> usize {
        let max_per_size = tuning.slots.len() as u32;
        let decision = {
            let runs = sizes.borrow();
            let views: Vec<SizeView<'_>> = runs.iter().map(SizeRun::view).collect();
            policy.decide(&Progress {
                sizes: &views,
                max_per_size,
                price: tuning.price,
                ephemeral_mb: tuning.original.ephemeral_storage_mb,
            })
        };
        for note in decision.notes {
            if runs_contain(sizes, note.memory) {
                self.emit(Event::Sampling(note));
            }
        }
        let mut queued = 0;
        let mut runs = sizes.borrow_mut();
        for request in decision.requests {
            // Sizes outside the run's powerValues are not the policy's to add.
            let Some(index) = runs.iter().position(|r| r.memory == request.memory) else {
                continue;
            };
            let run = &mut runs[index];
            if run.status == SizeStatus::Untouched {
                match publish_tx {
                    Some(tx) if tx.unbounded_send(index).is_ok() => {
                        run.status = SizeStatus::Publishing;
                        queued += 1;
                    }
                    // Publishing has ended (the policy promised no more sizes).
                    _ => continue,
                }
            }
            if matches!(run.status, SizeStatus::Publishing | SizeStatus::Measured) {
                run.requested = run
                    .requested
                    .saturating_add(request.invocations)
                    .min(max_per_size);
            }
        }
        if decision.no_more_sizes {
            *publish_tx = None;
        }
        queued
    }
}

/// Whether `memory` is one of the run's sizes (a policy's note about another is not reported).
fn runs_contain(sizes: &RefCell<Vec<SizeRun>>, memory: MemoryMb) -> bool {
    sizes.borrow().iter().any(|r| r.memory == memory)
}
