//! The runs of this page: the latest finished one, the earlier ones and pasted links it can be
//! compared with, and which of those are drawn over it. A plain type, tested natively; the page
//! holds it in one signal.

use powertune_tuner::{result::RunResult, share::SharedLink};

/// A run that can be overlaid on the latest one.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareEntry {
    /// Legend text.
    pub label: String,
    /// The results.
    pub run: RunResult,
    /// Drawn over the latest run.
    pub shown: bool,
}

/// The page's runs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RunHistory {
    latest: Option<(String, RunResult)>,
    earlier: Vec<CompareEntry>,
}

impl RunHistory {
    /// Records a finished run as the latest; the one before becomes the first earlier entry,
    /// not shown until picked.
    pub fn finish(&mut self, label: String, result: RunResult) {
        if let Some((label, run)) = self.latest.replace((label, result)) {
            self.earlier.insert(
                0,
                CompareEntry {
                    label,
                    run,
                    shown: false,
                },
            );
        }
    }

    /// Adds a run measured beside the latest (another architecture of a comparison), shown.
    pub fn add_beside(&mut self, label: String, run: RunResult) {
        self.earlier.insert(
            0,
            CompareEntry {
                label,
                run,
                shown: true,
            },
        );
    }

    /// Adds the runs of a pasted link, shown.
    pub fn add_link(&mut self, link: &SharedLink) {
        self.earlier
            .extend(link.runs().into_iter().map(|(label, run)| CompareEntry {
                label: if label.is_empty() {
                    "pasted link".to_owned()
                } else {
                    format!("link: {label}")
                },
                run,
                shown: true,
            }));
    }

    /// Shows or hides the earlier entry `index`; an index past the end changes nothing.
    pub fn set_shown(&mut self, index: usize, shown: bool) {
        if let Some(entry) = self.earlier.get_mut(index) {
            entry.shown = shown;
        }
    }

    /// The earlier runs and pasted links, newest run first.
    pub fn earlier(&self) -> &[CompareEntry] {
        &self.earlier
    }

    /// How many earlier entries are drawn.
    pub fn shown_count(&self) -> usize {
        self.earlier.iter().filter(|e| e.shown).count()
    }

    /// What the results show: the latest run first, then the earlier entries picked.
    pub fn shown(&self) -> Vec<(String, RunResult)> {
        self.latest
            .iter()
            .cloned()
            .chain(
                self.earlier
                    .iter()
                    .filter(|e| e.shown)
                    .map(|e| (e.label.clone(), e.run.clone())),
            )
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use powertune_tuner::{fixtures, share};

    fn run(memory: u32) -> RunResult {
        let mut r = fixtures::readme_run();
        r.current_memory = powertune_tuner::MemoryMb::new(memory).ok();
        r
    }

    #[test]
    fn a_new_run_pushes_the_last_one_into_the_comparison_hidden() {
        let mut h = RunHistory::default();
        assert!(h.shown().is_empty());
        h.finish("first".into(), run(128));
        assert_eq!(h.shown().len(), 1);
        h.finish("second".into(), run(256));
        assert_eq!(h.shown()[0].0, "second");
        assert_eq!(h.earlier()[0].label, "first");
        assert!(!h.earlier()[0].shown);
        assert_eq!(
            h.shown().len(),
            1,
            "the earlier run is not drawn until picked"
        );
        h.set_shown(0, true);
        let labels: Vec<String> = h.shown().into_iter().map(|(l, _)| l).collect();
        assert_eq!(labels, ["second", "first"]);
        h.set_shown(7, true);
        assert_eq!(h.shown_count(), 1);
    }

    #[test]
    fn pasted_links_are_shown_and_labelled() {
        let mut h = RunHistory::default();
        let link = share::decode(fixtures::README_SAMPLE_HASH).unwrap();
        h.add_link(&link);
        assert_eq!(h.shown_count(), 1);
        assert!(
            h.earlier()[0].label.starts_with("pasted link")
                || h.earlier()[0].label.starts_with("link: ")
        );
        assert_eq!(h.shown().len(), 1, "no latest run: only the link");
    }
}
