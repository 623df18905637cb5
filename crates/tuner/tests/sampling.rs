//! The engine driven by sampling policies other than the grid, and its promise that a journal
//! write that fails stops the run before anything more is created.

use std::cell::Cell;

use crate::support::World;
use futures::executor::block_on;
use powertune_tuner::{
    api::LogFormat,
    cancel::CancelToken,
    engine::{self, Event, Hooks, RunError, RunOptions},
    journal::{Journal, JournalEntry, JournalError, MemoryJournal},
    memory::MemoryMb,
    pricing::Architecture,
    sampling::{Decision, Progress, Request, Role, SamplingPolicy, SizeNote},
    sim::{Faults, FunctionModel, SimFunctionSpec},
};
use serde_json::json;

fn mb(m: u32) -> MemoryMb {
    MemoryMb::new(m).unwrap()
}

/// Measures sizes in ascending order, three invocations each, and stops at the first size whose
/// mean billed duration is no better than the previous size's.
#[derive(Default)]
struct StopWhenFlat {
    decisions: u32,
}

impl SamplingPolicy for StopWhenFlat {
    fn decide(&mut self, progress: &Progress<'_>) -> Decision {
        self.decisions += 1;
        let mean = |i: usize| {
            let s = progress.sizes[i].samples;
            s.iter().map(|x| x.billed_ms).sum::<f64>() / s.len().max(1) as f64
        };
        let Some(next) = progress.sizes.iter().position(|s| s.requested == 0) else {
            return Decision::default();
        };
        if next > 0 {
            if progress.sizes[next - 1].is_busy() {
                return Decision::default();
            }
            if next > 1 && mean(next - 1) >= mean(next - 2) {
                return Decision::default();
            }
        }
        Decision {
            requests: vec![Request {
                memory: progress.sizes[next].memory,
                invocations: 3,
            }],
            ..Decision::default()
        }
    }
}

#[test]
fn a_policy_that_stops_early_measures_only_what_it_asks_for() {
    let w = World::new(Faults::default());
    // Single-threaded and noiseless: faster with memory up to one vCPU (1,769 MB), flat above.
    w.sim.add_function(SimFunctionSpec {
        name: "single-threaded".into(),
        region: "us-east-1".into(),
        memory_mb: 512,
        description: String::new(),
        architecture: Architecture::X86_64,
        log_format: LogFormat::Text,
        timeout_s: 10,
        runtime: "nodejs22.x".into(),
        model: FunctionModel {
            cpu_ms: 200.0,
            parallel_fraction: 0.0,
            io_ms: 10.0,
            memory_need_mb: 128,
            init_ms: 100.0,
            noise: 0.0,
            error_rate: 0.0,
            arm64: powertune_tuner::sim::Arm64::default(),
        },
        measured: None,
        measured_other: None,
        platform: Default::default(),
    });
    let input = w.input(
        "single-threaded",
        json!({"powerValues": [128, 256, 512, 1024, 2048, 3008, 4096, 8192]}),
    );
    let mut policy = StopWhenFlat::default();
    let report = w
        .run_policy(&input, &RunOptions::default(), |_| false, &mut policy)
        .unwrap();
    let result = report.result.as_ref().unwrap();
    let measured: Vec<u32> = result
        .sizes
        .iter()
        .filter(|s| s.detail.is_some())
        .map(|s| s.memory.get())
        .collect();
    // 3008 MB is no faster than 2048 MB: the policy stops there.
    assert_eq!(measured, [128, 256, 512, 1024, 2048, 3008]);
    for size in &result.sizes {
        match &size.detail {
            Some(detail) => assert_eq!(detail.stats.invocations, 3, "{}", size.memory),
            None => {
                assert_eq!(size.error, None, "{} did not fail", size.memory);
                assert_eq!(
                    size.unmeasured,
                    Some(powertune_tuner::result::Unmeasured::NotChosen)
                );
            }
        }
    }
    assert_eq!(report.invocations as usize, 3 * measured.len());
    let published = w.count(|e| matches!(e, Event::Published { .. }));
    assert_eq!(published, measured.len(), "only the sizes asked for");
    // Asked at the start and after each publish and each batch.
    assert!(policy.decisions as usize >= 2 * measured.len());
    let output = report.output.as_ref().unwrap();
    assert!(measured.contains(&output.power));
    w.assert_clean("single-threaded", 512);
}

/// Asks for more than the engine allows: a size outside `powerValues`, 1,000 invocations of one
/// size, and more once it has been told there are no more sizes.
#[derive(Default)]
struct Greedy {
    calls: u32,
}

impl SamplingPolicy for Greedy {
    fn decide(&mut self, _: &Progress<'_>) -> Decision {
        self.calls += 1;
        match self.calls {
            1 => Decision {
                requests: vec![
                    Request {
                        memory: mb(4096),
                        invocations: 5,
                    },
                    Request {
                        memory: mb(512),
                        invocations: 1000,
                    },
                ],
                no_more_sizes: true,
                notes: vec![
                    SizeNote {
                        memory: mb(4096),
                        role: Role::Racing,
                        why: "not a size of this run".into(),
                    },
                    SizeNote {
                        memory: mb(512),
                        role: Role::Racing,
                        why: "wanted".into(),
                    },
                ],
            },
            2..=4 => Decision {
                requests: vec![
                    Request {
                        memory: mb(1024),
                        invocations: 5,
                    },
                    Request {
                        memory: mb(512),
                        invocations: 5,
                    },
                ],
                ..Decision::default()
            },
            _ => Decision::default(),
        }
    }
}

#[test]
fn the_engine_keeps_a_policy_within_the_input() {
    let w = World::new(Faults::default());
    let input = w.input("api-handler", json!({"powerValues": [512, 1024], "num": 7}));
    let report = w
        .run_policy(
            &input,
            &RunOptions::default(),
            |_| false,
            &mut Greedy::default(),
        )
        .unwrap();
    let result = report.result.unwrap();
    // 512 MB got num invocations, not 1,000 or more; 4096 MB was never touched; 1024 MB was
    // asked for after the policy promised no more sizes, so it was not published.
    assert_eq!(
        result.sizes[0].detail.as_ref().unwrap().stats.invocations,
        7
    );
    assert!(result.sizes[1].detail.is_none());
    assert_eq!(report.invocations, 7);
    assert_eq!(w.count(|e| matches!(e, Event::Published { .. })), 1);
    // Its notes are reported for the run's own sizes only.
    let noted: Vec<u32> = w
        .events
        .borrow()
        .iter()
        .filter_map(|e| match e {
            Event::Sampling(n) => Some(n.memory.get()),
            _ => None,
        })
        .collect();
    assert_eq!(noted, [512]);
    w.assert_clean("api-handler", 512);
}

/// A journal whose writes fail from the `fail_at`-th `put` on (1-based): the `put` itself, or,
/// with `late`, the wait for it to be durable (as a store on another thread reports it).
struct FailingJournal {
    inner: MemoryJournal,
    puts: Cell<u32>,
    fail_at: u32,
    late: bool,
}

impl FailingJournal {
    fn failing(&self) -> Result<(), JournalError> {
        if self.puts.get() >= self.fail_at {
            return Err(JournalError {
                where_: "test".into(),
                reason: "disk full".into(),
            });
        }
        Ok(())
    }
}

impl Journal for FailingJournal {
    fn put(&self, entry: JournalEntry) -> Result<(), JournalError> {
        self.puts.set(self.puts.get() + 1);
        if !self.late {
            self.failing()?;
        }
        self.inner.put(entry)
    }
    fn settled(&self) -> powertune_tuner::journal::Settled<'_> {
        Box::pin(std::future::ready(if self.late {
            self.failing()
        } else {
            Ok(())
        }))
    }
    fn remove(&self, entry: &JournalEntry) -> Result<(), JournalError> {
        self.inner.remove(entry)
    }
    fn entries(&self) -> Vec<JournalEntry> {
        self.inner.entries()
    }
}

#[test]
fn a_failed_journal_write_stops_the_run_before_it_creates_anything_more() {
    // Puts: 1 restore, then for each size its alias before it exists and again with its version.
    for (fail_at, late) in (1..=5).flat_map(|n| [(n, false), (n, true)]) {
        let w = World::new(Faults::default());
        let input = w.input("api-handler", json!({"powerValues": [512, 1024, 2048]}));
        let journal = FailingJournal {
            inner: MemoryJournal::default(),
            puts: Cell::new(0),
            fail_at,
            late,
        };
        let cancel = CancelToken::new();
        let created = Cell::new(0);
        let on_event = |e: Event| {
            if matches!(e, Event::Published { .. }) {
                created.set(created.get() + 1);
            }
        };
        let failure = block_on(engine::run(
            &w.sim,
            &w.clock,
            &journal,
            &input,
            None,
            &RunOptions::default(),
            Hooks {
                on_event: &on_event,
                cancel: &cancel,
            },
        ))
        .unwrap_err();
        assert!(
            matches!(&failure.error, RunError::Journal(e) if e.reason == "disk full"),
            "{}",
            failure.error
        );
        assert!(
            failure
                .error
                .to_string()
                .contains("stopped before creating"),
            "{}",
            failure.error
        );
        // Nothing was published past the failed write: put 2k+1 or 2k+2 is size k's.
        let sizes_journaled = fail_at.saturating_sub(2) / 2;
        assert!(created.get() <= sizes_journaled, "fail at put {fail_at}");
        assert!(failure.cleanup.is_complete(), "{:?}", failure.cleanup);
        assert!(journal.entries().is_empty(), "fail at put {fail_at}");
        let snap = w.sim.snapshot(&w.arn("api-handler")).unwrap();
        assert!(
            snap.aliases.is_empty() && snap.versions.is_empty(),
            "{snap:?}"
        );
        assert_eq!(snap.memory, 512);
    }
}
