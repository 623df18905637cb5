//! One cell per memory size for the run panel: where the size stands, shown by colour *and* a
//! symbol, with its reason in words, however many sizes the run has.

use powertune_tuner::sampling::Role;

use super::{Progress, SizeState};

/// Where a size stands, as a cell shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellState {
    /// Not reached yet.
    Queued,
    /// Its version and alias are being published.
    Publishing,
    /// Invocations running: done out of planned.
    Invoking {
        /// Finished invocations.
        done: u32,
        /// Planned invocations.
        total: u32,
    },
    /// Measured on adaptive sampling's ladder, not shortlisted.
    Screened,
    /// In adaptive sampling's race.
    Racing,
    /// Dropped from the race.
    Dropped,
    /// Never measured: adaptive sampling predicted it cannot win, or the run stopped first.
    NotMeasured,
    /// Failed.
    Failed,
    /// Measured (the grid, or a size adaptive sampling said nothing more of).
    Done,
}

impl CellState {
    /// The state in a word or two (also the cell's `data-state`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Publishing => "publishing",
            Self::Invoking { .. } => "invoking",
            Self::Screened => "screened",
            Self::Racing => "racing",
            Self::Dropped => "dropped",
            Self::NotMeasured => "not measured",
            Self::Failed => "failed",
            Self::Done => "done",
        }
    }

    /// The symbol the cell shows beside its colour, so that no state is told by colour alone.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Queued => "·",
            Self::Publishing => "↑",
            Self::Invoking { .. } => "…",
            Self::Screened => "○",
            Self::Racing => "▶",
            Self::Dropped => "✕",
            Self::NotMeasured => "–",
            Self::Failed => "!",
            Self::Done => "✓",
        }
    }
}

/// One size's cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The size in MB.
    pub memory: u32,
    /// Where it stands.
    pub state: CellState,
    /// Everything known of it in a line: "512 MB: racing, 5 calls: predicted 8 % from …".
    pub detail: String,
}

impl Progress {
    /// A cell per size, in the run's order; `running` tells a size still queued from one the
    /// run ended without.
    pub fn cells(&self, running: bool) -> Vec<Cell> {
        self.sizes
            .iter()
            .map(|(memory, size)| {
                let role = self.role(*memory);
                let state = match (size, role.map(|(r, _)| *r)) {
                    (SizeState::Failed(_), _) => CellState::Failed,
                    (SizeState::Publishing, _) => CellState::Publishing,
                    (SizeState::Running { done, total }, _) => CellState::Invoking {
                        done: *done,
                        total: *total,
                    },
                    (_, Some(Role::Dropped)) => CellState::Dropped,
                    (_, Some(Role::Unmeasured)) => CellState::NotMeasured,
                    (_, Some(Role::Racing)) => CellState::Racing,
                    (_, Some(Role::Screened)) => CellState::Screened,
                    (SizeState::Done { .. }, None) => CellState::Done,
                    (SizeState::Waiting, None) if running => CellState::Queued,
                    (SizeState::Waiting, None) => CellState::NotMeasured,
                };
                let calls = match size {
                    SizeState::Running { done, total } => format!(", {done}/{total} calls"),
                    SizeState::Done { calls } => format!(", {calls} calls"),
                    _ => String::new(),
                };
                let why = match (size, role) {
                    (SizeState::Failed(e), _) => format!(": {}", e.short()),
                    (_, Some((_, why))) => format!(": {why}"),
                    _ => String::new(),
                };
                Cell {
                    memory: *memory,
                    state,
                    detail: format!("{memory} MB: {}{calls}{why}", state.as_str()),
                }
            })
            .collect()
    }
}

/// How many of `cells` stand where, in words, in a fixed order: "3 racing · 2 dropped · 34 not
/// measured".
pub fn counts(cells: &[Cell]) -> String {
    let order = [
        "invoking",
        "publishing",
        "queued",
        "racing",
        "screened",
        "dropped",
        "done",
        "failed",
        "not measured",
    ];
    order
        .iter()
        .filter_map(|name| {
            let n = cells.iter().filter(|c| c.state.as_str() == *name).count();
            (n > 0).then(|| format!("{n} {name}"))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

#[cfg(test)]
mod tests {
    use powertune_tuner::{
        MemoryMb,
        engine::Event,
        failure::{FailureKind, SizeFailure},
        pricing::{Architecture, Price},
        sampling::SizeNote,
    };

    use super::*;

    fn mb(m: u32) -> MemoryMb {
        MemoryMb::new(m).unwrap()
    }

    #[test]
    fn each_size_gets_a_state_a_symbol_and_its_reason() {
        let mut p = Progress::default();
        p.apply(&Event::Initialized {
            memory: mb(1024),
            sizes: vec![mb(128), mb(256), mb(512), mb(1024)],
            invocations_per_size: 10,
            price: Price::for_function("us-east-1", Architecture::X86_64),
            ephemeral_mb: 512,
        });
        let note = |memory, role, why: &str| {
            Event::Sampling(SizeNote {
                memory: mb(memory),
                role,
                why: why.into(),
            })
        };
        p.apply(&Event::SizeFinished {
            memory: mb(128),
            error: Some(SizeFailure::new(FailureKind::OutOfMemory, "long text")),
        });
        p.apply(&note(256, Role::Racing, "the best so far"));
        p.apply(&Event::SizeStarted { memory: mb(256) });
        p.apply(&Event::Invoked {
            memory: mb(256),
            done: 2,
            total: 5,
            billed_ms: 1.0,
        });
        p.apply(&note(512, Role::Dropped, "its interval lies above"));
        let cells = p.cells(true);
        let states: Vec<&str> = cells.iter().map(|c| c.state.as_str()).collect();
        assert_eq!(states, ["failed", "invoking", "dropped", "queued"]);
        assert_eq!(cells[0].detail, "128 MB: failed: out of memory");
        assert_eq!(
            cells[1].detail,
            "256 MB: invoking, 2/5 calls: the best so far"
        );
        assert_eq!(cells[2].state.symbol(), "✕");
        // Once the run has ended, a size it never reached was not measured.
        assert_eq!(p.cells(false)[3].state, CellState::NotMeasured);
        assert_eq!(
            counts(&cells),
            "1 invoking · 1 queued · 1 dropped · 1 failed"
        );
        // Every state has its own symbol: none is told by colour alone.
        let all = [
            CellState::Queued,
            CellState::Publishing,
            CellState::Invoking { done: 0, total: 1 },
            CellState::Screened,
            CellState::Racing,
            CellState::Dropped,
            CellState::NotMeasured,
            CellState::Failed,
            CellState::Done,
        ];
        let mut symbols: Vec<&str> = all.iter().map(|s| s.symbol()).collect();
        symbols.sort_unstable();
        symbols.dedup();
        assert_eq!(symbols.len(), all.len());
    }
}
