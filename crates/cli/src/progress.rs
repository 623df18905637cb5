//! Progress on stderr: a bar on a terminal, plain lines otherwise, nothing with --quiet.

use std::io::IsTerminal as _;

use indicatif::{ProgressBar, ProgressStyle};
use powertune_tuner::engine::Event;

/// Reports engine events.
pub struct Progress {
    bar: Option<ProgressBar>,
    plain: bool,
}

impl Progress {
    /// The reporter for this terminal and flags.
    pub fn new(quiet: bool) -> Self {
        if quiet {
            return Self {
                bar: None,
                plain: false,
            };
        }
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} invocations  {msg}",
                )
                .expect("a valid progress template"),
            );
            Self {
                bar: Some(bar),
                plain: false,
            }
        } else {
            Self {
                bar: None,
                plain: true,
            }
        }
    }

    /// Shows one event.
    pub fn event(&self, event: &Event) {
        let line = match event {
            Event::Phase(phase) => Some(format!("{phase}")),
            Event::Initialized {
                memory,
                sizes,
                invocations_per_size,
                ..
            } => {
                if let Some(bar) = &self.bar {
                    bar.set_length(sizes.len() as u64 * u64::from(*invocations_per_size));
                }
                Some(format!(
                    "current memory {memory}; testing {} sizes × {invocations_per_size} invocations",
                    sizes.len()
                ))
            }
            Event::Published { alias, version, .. } => {
                Some(format!("published version {version} as {alias}"))
            }
            Event::Invoked { .. } => {
                if let Some(bar) = &self.bar {
                    bar.inc(1);
                }
                None
            }
            Event::Retrying {
                memory,
                attempt,
                error,
            } => Some(format!("{memory}: retry {attempt} after: {error}")),
            Event::SizeFinished {
                memory,
                error: Some(e),
            } => Some(format!("{memory} failed: {e}")),
            Event::SizeFinished {
                memory,
                error: None,
            } => Some(format!("{memory} done")),
            Event::Sampling(note) => Some(format!(
                "{}: {} ({})",
                note.memory,
                note.role.as_str(),
                note.why
            )),
            Event::Warning(w) => Some(format!("warning: {w}")),
            Event::Removed { alias } => Some(format!("removed {alias}")),
            Event::Restored { memory } => Some(format!("$LATEST restored to {memory} MB")),
            Event::Optimized { memory, alias } => Some(format!(
                "applied {memory}{}",
                alias
                    .as_ref()
                    .map(|a| format!(" (alias {a})"))
                    .unwrap_or_default()
            )),
            _ => None,
        };
        match (line, &self.bar) {
            (Some(line), Some(bar)) => bar.set_message(line),
            (Some(line), None) if self.plain => eprintln!("{line}"),
            _ => {}
        }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
