//! A run's progress as the UI shows it, folded from the engine's events.

mod cells;

pub use cells::{Cell, CellState, counts};

use powertune_tuner::{
    engine::{Event, Phase},
    failure::SizeFailure,
    pricing::{Currency, Price},
    sampling::Role,
};

/// Where one memory size is.
#[derive(Debug, Clone, PartialEq)]
pub enum SizeState {
    /// Not reached yet.
    Waiting,
    /// Its version and alias are being published.
    Publishing,
    /// Invocations done out of the planned ones.
    Running {
        /// Finished invocations.
        done: u32,
        /// Planned invocations.
        total: u32,
    },
    /// Measured, with this many invocations (fewer than planned under adaptive sampling).
    Done {
        /// Invocations finished.
        calls: u32,
    },
    /// Failed, with why.
    Failed(SizeFailure),
}

/// Everything the run panel shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Progress {
    /// The current phase, in words.
    pub phase: String,
    /// Per size (MB), in test order.
    pub sizes: Vec<(u32, SizeState)>,
    /// Invocations planned per size.
    pub per_size: u32,
    /// Retries so far.
    pub retries: u32,
    /// Invocations that failed on their last try so far.
    pub failed_invocations: u32,
    /// Throttled requests so far.
    pub throttled: u32,
    /// Billed ms so far.
    pub billed_ms: f64,
    /// What the invocations so far cost, in [`Progress::currency`].
    pub cost: f64,
    /// The currency of `cost`.
    pub currency: Currency,
    /// The function's prices and ephemeral storage, once known.
    price: Option<(Price, u32)>,
    /// Per size (MB), its role under adaptive sampling and why, as the policy last said.
    pub roles: Vec<(u32, (Role, String))>,
    /// Warnings and notable events, newest last.
    pub log: Vec<String>,
    /// When the run started, in ms since the epoch.
    pub started_at: f64,
    /// When it ended, once it has.
    pub ended_at: Option<f64>,
    /// A comparison's runs before this one (`architectures`): their measured calls and their
    /// planned ones, so the counts are the whole run's.
    earlier_runs: (u32, u32),
}

impl Progress {
    /// The progress of a run started at `now` (ms since the epoch).
    pub fn started(now: f64) -> Self {
        Self {
            started_at: now,
            ..Self::default()
        }
    }

    /// Seconds the run has taken by `now`, or took if it ended.
    pub fn elapsed_seconds(&self, now: f64) -> f64 {
        ((self.ended_at.unwrap_or(now) - self.started_at) / 1000.0).max(0.0)
    }

    fn size(&mut self, memory: u32) -> Option<&mut SizeState> {
        self.sizes
            .iter_mut()
            .find(|(m, _)| *m == memory)
            .map(|(_, s)| s)
    }

    /// Applies one engine event.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::Phase(phase) => {
                self.phase = match phase {
                    Phase::Initializing => "reading the function's configuration",
                    Phase::Tuning => "publishing and invoking",
                    Phase::CleaningUp => "cleaning up",
                    Phase::Analyzing => "analyzing",
                    Phase::Optimizing => "applying the optimum",
                }
                .to_owned();
            }
            Event::Initialized {
                sizes,
                invocations_per_size,
                price,
                ephemeral_mb,
                ..
            } => {
                // A comparison's next architecture: what the one before counted stays counted.
                let (measured, planned) = self.this_run();
                self.earlier_runs.0 += measured;
                self.earlier_runs.1 += planned;
                self.per_size = *invocations_per_size;
                self.currency = price.currency;
                self.price = Some((*price, *ephemeral_mb));
                self.sizes = sizes
                    .iter()
                    .map(|m| (m.get(), SizeState::Waiting))
                    .collect();
            }
            Event::Publishing { memory, .. } => {
                if let Some(s) = self.size(memory.get()) {
                    *s = SizeState::Publishing;
                }
            }
            Event::SizeStarted { memory } => {
                let total = self.per_size;
                if let Some(s) = self.size(memory.get()) {
                    *s = SizeState::Running { done: 0, total };
                }
            }
            Event::Invoked {
                memory,
                done,
                total,
                billed_ms,
            } => {
                self.billed_ms += billed_ms;
                if let Some((price, ephemeral_mb)) = self.price {
                    self.cost += price.invocation(*memory, *billed_ms, ephemeral_mb);
                }
                if let Some(s) = self.size(memory.get()) {
                    *s = SizeState::Running {
                        done: *done,
                        total: *total,
                    };
                }
            }
            Event::SizeFinished { memory, error } => {
                if let Some(s) = self.size(memory.get()) {
                    *s = match (error, &*s) {
                        (Some(e), _) => SizeState::Failed(e.clone()),
                        (
                            None,
                            SizeState::Running { done, .. } | SizeState::Done { calls: done },
                        ) => SizeState::Done { calls: *done },
                        (None, _) => SizeState::Done { calls: 0 },
                    };
                }
            }
            Event::Retrying {
                memory, attempt, ..
            } => {
                self.retries += 1;
                self.log.push(format!("{memory}: retry {attempt}"));
            }
            Event::Sampling(note) => {
                let entry = (note.role, note.why.clone());
                match self.roles.iter_mut().find(|(m, _)| *m == note.memory.get()) {
                    Some((_, role)) => *role = entry,
                    None => self.roles.push((note.memory.get(), entry)),
                }
            }
            Event::InvocationFailed { memory, .. } => {
                // The reason shows on the size itself (SizeFinished).
                self.failed_invocations += 1;
                self.log.push(format!("{memory}: an invocation failed"));
            }
            Event::Throttled { .. } => self.throttled += 1,
            Event::Warning(w) => self.log.push(w.clone()),
            Event::Restored { memory } => self.log.push(format!("$LATEST restored to {memory} MB")),
            Event::Optimized { memory, alias } => self.log.push(format!(
                "applied {memory}{}",
                alias
                    .as_ref()
                    .map(|a| format!(" and pointed {a} at it"))
                    .unwrap_or_default()
            )),
            _ => {}
        }
    }

    /// Whether the run samples adaptively (its policy reports roles), so that the planned
    /// invocations are only an upper bound.
    pub fn is_adaptive(&self) -> bool {
        !self.roles.is_empty()
    }

    /// A size's role under adaptive sampling, and why.
    pub fn role(&self, memory: u32) -> Option<&(Role, String)> {
        self.roles
            .iter()
            .find(|(m, _)| *m == memory)
            .map(|(_, r)| r)
    }

    /// Finished invocations and planned ones (the most, under adaptive sampling), over all
    /// sizes. Finished counts every try, as the result's summary does: the measured calls, the
    /// retried failures and the failures on a last try.
    pub fn invocations(&self) -> (u32, u32) {
        let (measured, planned) = self.this_run();
        let done = measured + self.earlier_runs.0 + self.retries + self.failed_invocations;
        (done, planned + self.earlier_runs.1)
    }

    /// The current run's measured calls and planned ones (a comparison tunes one architecture
    /// after the other).
    fn this_run(&self) -> (u32, u32) {
        let measured: u32 = self
            .sizes
            .iter()
            .map(|(_, s)| match s {
                SizeState::Running { done, .. } => *done,
                SizeState::Done { calls } => *calls,
                _ => 0,
            })
            .sum();
        (measured, self.per_size * self.sizes.len() as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use powertune_tuner::{MemoryMb, pricing::Architecture};

    fn mb(m: u32) -> MemoryMb {
        MemoryMb::new(m).unwrap()
    }

    fn oom() -> SizeFailure {
        SizeFailure::new(
            powertune_tuner::failure::FailureKind::OutOfMemory,
            "Invocation ran out of memory",
        )
    }

    #[test]
    fn a_comparisons_second_run_adds_to_the_counts_of_the_first() {
        let mut p = Progress::default();
        let initialized = |architecture| Event::Initialized {
            memory: mb(1024),
            sizes: vec![mb(512), mb(1024)],
            invocations_per_size: 5,
            price: Price::for_function("us-east-1", architecture),
            ephemeral_mb: 512,
        };
        p.apply(&initialized(Architecture::X86_64));
        for memory in [mb(512), mb(1024)] {
            p.apply(&Event::SizeStarted { memory });
            p.apply(&Event::Invoked {
                memory,
                done: 5,
                total: 5,
                billed_ms: 10.0,
            });
            p.apply(&Event::SizeFinished {
                memory,
                error: None,
            });
        }
        assert_eq!(p.invocations(), (10, 10));
        p.apply(&initialized(Architecture::Arm64));
        p.apply(&Event::SizeStarted { memory: mb(512) });
        p.apply(&Event::Invoked {
            memory: mb(512),
            done: 2,
            total: 5,
            billed_ms: 10.0,
        });
        assert_eq!(p.invocations(), (12, 20));
    }

    #[test]
    fn events_fold_into_per_size_states() {
        let mut p = Progress::default();
        p.apply(&Event::Initialized {
            memory: mb(1024),
            sizes: vec![mb(128), mb(256)],
            invocations_per_size: 10,
            price: Price::for_function("us-east-1", Architecture::X86_64),
            ephemeral_mb: 512,
        });
        assert_eq!(
            p.sizes,
            [(128, SizeState::Waiting), (256, SizeState::Waiting)]
        );
        p.apply(&Event::Publishing {
            memory: mb(128),
            alias: "RAM128".parse().unwrap(),
        });
        assert_eq!(p.sizes[0].1, SizeState::Publishing);
        p.apply(&Event::SizeStarted { memory: mb(128) });
        p.apply(&Event::Invoked {
            memory: mb(128),
            done: 3,
            total: 10,
            billed_ms: 12.0,
        });
        assert_eq!(p.sizes[0].1, SizeState::Running { done: 3, total: 10 });
        assert_eq!(p.invocations(), (3, 20));
        p.apply(&Event::SizeFinished {
            memory: mb(256),
            error: Some(oom()),
        });
        assert_eq!(p.sizes[1].1, SizeState::Failed(oom()));
        p.apply(&Event::SizeFinished {
            memory: mb(128),
            error: None,
        });
        // A finished size counts the calls it had: adaptive sampling stops sizes early.
        assert_eq!(p.sizes[0].1, SizeState::Done { calls: 3 });
        assert_eq!(p.invocations(), (3, 20));
        assert_eq!(p.billed_ms, 12.0);
        let one =
            Price::for_function("us-east-1", Architecture::X86_64).invocation(mb(128), 12.0, 512);
        assert!(p.cost > 0.0 && (p.cost - one).abs() < 1e-15);
        p.apply(&Event::Retrying {
            memory: mb(128),
            attempt: 1,
            error: oom(),
        });
        assert_eq!(p.retries, 1);
        p.apply(&Event::InvocationFailed {
            memory: mb(256),
            error: oom(),
        });
        // Every try counts, as in the result's summary: 3 measured, 1 retried, 1 failed.
        assert_eq!(p.invocations(), (5, 20));
        p.apply(&Event::Phase(Phase::CleaningUp));
        assert_eq!(p.phase, "cleaning up");
    }

    #[test]
    fn adaptive_sampling_notes_give_each_size_its_role() {
        use powertune_tuner::sampling::SizeNote;
        let mut p = Progress::default();
        assert!(!p.is_adaptive());
        let note = |role, why: &str| {
            Event::Sampling(SizeNote {
                memory: mb(512),
                role,
                why: why.into(),
            })
        };
        p.apply(&note(Role::Screened, "on the screening ladder"));
        p.apply(&note(
            Role::Dropped,
            "its 95 % interval lies above 1024 MB's",
        ));
        assert!(p.is_adaptive());
        assert_eq!(
            p.role(512),
            Some(&(
                Role::Dropped,
                "its 95 % interval lies above 1024 MB's".to_owned()
            ))
        );
        assert_eq!(p.roles.len(), 1);
        assert_eq!(p.role(256), None);
    }

    #[test]
    fn elapsed_time_stops_when_the_run_ends() {
        let mut p = Progress::started(10_000.0);
        assert_eq!(p.elapsed_seconds(12_500.0), 2.5);
        p.ended_at = Some(13_000.0);
        assert_eq!(p.elapsed_seconds(99_000.0), 3.0);
        assert_eq!(Progress::started(5_000.0).elapsed_seconds(1_000.0), 0.0);
    }
}
