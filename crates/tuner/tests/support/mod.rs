//! The world engine tests run in: the simulated Lambda service with the demo functions.

pub mod virtual_time;

use std::cell::RefCell;

use futures::executor::block_on;
use powertune_tuner::{
    FunctionArn,
    cancel::CancelToken,
    clock::Clock,
    engine::{self, Event, Hooks, RunFailure, RunOptions, RunReport},
    input::{TuningInput, parse_value},
    journal::{Journal, MemoryJournal},
    sampling::{GridPolicy, SamplingPolicy},
    sim::{Faults, ManualClock, SimLambda},
};
use serde_json::{Value, json};

/// A simulated Lambda account (the demo functions), a manual clock, a journal, and the events
/// of the last run.
pub struct World {
    pub sim: SimLambda<ManualClock>,
    pub clock: ManualClock,
    pub journal: MemoryJournal,
    pub events: RefCell<Vec<Event>>,
}

impl World {
    pub fn new(faults: Faults) -> Self {
        let clock = ManualClock::new();
        Self {
            sim: SimLambda::demo(clock.clone(), 42, faults),
            clock,
            journal: MemoryJournal::default(),
            events: RefCell::new(Vec::new()),
        }
    }

    pub fn arn(&self, name: &str) -> FunctionArn {
        self.sim
            .function_arns()
            .into_iter()
            .find(|a| a.name() == name)
            .unwrap()
    }

    pub fn input(&self, name: &str, extra: Value) -> TuningInput {
        let mut input = json!({"lambdaARN": self.arn(name).to_string(), "num": 10, "powerValues": [128, 256, 512, 1024, 2048]});
        input
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        parse_value(&input).unwrap_or_else(|e| panic!("{e}")).input
    }

    pub fn run_with(
        &self,
        input: &TuningInput,
        options: &RunOptions,
        cancel_when: impl Fn(&Event) -> bool,
    ) -> Result<RunReport, Box<RunFailure>> {
        self.run_policy(input, options, cancel_when, &mut GridPolicy::default())
    }

    /// A run with `policy` deciding what to measure.
    pub fn run_policy(
        &self,
        input: &TuningInput,
        options: &RunOptions,
        cancel_when: impl Fn(&Event) -> bool,
        policy: &mut dyn SamplingPolicy,
    ) -> Result<RunReport, Box<RunFailure>> {
        let cancel = CancelToken::new();
        let on_event = |e: Event| {
            if cancel_when(&e) {
                cancel.cancel();
            }
            self.events.borrow_mut().push(e);
        };
        let payload = match &input.payload {
            powertune_tuner::input::PayloadSource::Inline(v) => Some(v.clone()),
            _ => None,
        };
        block_on(engine::run_with_policy(
            &self.sim,
            &self.clock,
            &self.journal,
            input,
            payload.as_ref(),
            options,
            Hooks {
                on_event: &on_event,
                cancel: &cancel,
            },
            policy,
        ))
    }

    pub fn run(&self, input: &TuningInput) -> Result<RunReport, Box<RunFailure>> {
        self.run_with(input, &RunOptions::default(), |_| false)
    }

    /// A run with default options through `api` (the simulation with some calls changed),
    /// cancelled by `cancel`.
    pub fn run_through(
        &self,
        api: &impl powertune_tuner::api::LambdaApi,
        input: &TuningInput,
        cancel: &CancelToken,
    ) -> Result<RunReport, Box<RunFailure>> {
        block_on(engine::run(
            api,
            &self.clock,
            &self.journal,
            input,
            None,
            &RunOptions::default(),
            Hooks {
                on_event: &|_| {},
                cancel,
            },
        ))
    }

    /// Nothing the run created is left, and `$LATEST` is as before.
    pub fn assert_clean(&self, name: &str, memory: u32) {
        assert_left_clean(&self.sim, &self.arn(name), &self.journal, memory);
    }

    pub fn count(&self, f: impl Fn(&Event) -> bool) -> usize {
        self.events.borrow().iter().filter(|e| f(e)).count()
    }
}

/// Nothing a run created is left on `function` in `sim` nor in its `journal`, and `$LATEST`
/// is as before (`memory`, no description).
pub fn assert_left_clean<C: Clock>(
    sim: &SimLambda<C>,
    function: &FunctionArn,
    journal: &MemoryJournal,
    memory: u32,
) {
    let snap = sim.snapshot(function).unwrap();
    assert!(
        snap.aliases.iter().all(|a| !a.starts_with("RAM")),
        "aliases left: {:?}",
        snap.aliases
    );
    assert!(
        snap.versions.is_empty(),
        "versions left: {:?}",
        snap.versions
    );
    assert_eq!(snap.memory, memory, "memory not restored");
    assert_eq!(snap.description, "", "description not restored");
    assert!(
        journal.entries().is_empty(),
        "journal not empty: {:?}",
        journal.entries()
    );
}

impl World {
    /// What a later start does: undo everything the journal lists.
    pub fn clean_up_from_journal(&self) -> engine::CleanupReport {
        let entries = self.journal.entries();
        block_on(engine::clean_up(
            &self.sim,
            &self.clock,
            &self.journal,
            &entries,
            RunOptions::default().wait_limit,
            &|_| {},
        ))
    }

    pub fn clock_ms(&self) -> f64 {
        use powertune_tuner::api::Clock as _;
        self.clock.now_ms()
    }
}

/// Ready once `condition` holds (it is checked again on every poll).
pub async fn once(condition: impl Fn() -> bool) {
    std::future::poll_fn(|cx| {
        if condition() {
            std::task::Poll::Ready(())
        } else {
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    })
    .await;
}

/// Runs `run` until `condition` holds, then drops it mid-flight, as when the process dies.
pub fn dies_when<F: std::future::Future>(run: F, condition: impl Fn() -> bool) {
    block_on(futures::future::select(
        std::pin::pin!(run),
        std::pin::pin!(once(condition)),
    ));
}

/// Whether every size of `result` was measured without an error.
pub fn every_size_measured(result: &powertune_tuner::result::RunResult) -> bool {
    result
        .sizes
        .iter()
        .all(|s| s.error.is_none() && s.is_usable())
}
