//! The adaptive policy's first step: the screening ladders, and the probes that find where a
//! function that fails at small sizes starts to work.

use super::{AdaptivePolicy, Role};
use crate::{
    memory::MemoryMb,
    sampling::{
        Decision, Progress, Request, SizeStatus, SizeView,
        objective::{first_viable, usable},
    },
};

impl AdaptivePolicy {
    /// The ladder over `candidates` (indices into `sizes`, ascending): those nearest to
    /// [`AdaptiveConfig::ladder`](super::AdaptiveConfig::ladder) memories evenly spaced in log
    /// memory between the first and the last, and the one nearest 1,769 MB when none is near it.
    pub(super) fn ladder(&self, sizes: &[SizeView<'_>], candidates: &[usize]) -> Vec<usize> {
        let rungs = self.config.ladder.max(2);
        let n = candidates.len();
        if n <= rungs {
            return candidates.to_vec();
        }
        let memory = |i: usize| f64::from(sizes[i].memory.get());
        let (lo, hi) = (memory(candidates[0]), memory(candidates[n - 1]));
        let mut picks: Vec<usize> = (0..rungs)
            .map(|k| {
                let target = (lo * (hi / lo).powf(k as f64 / (rungs - 1) as f64)).ln();
                candidates
                    .iter()
                    .copied()
                    .min_by(|&a, &b| {
                        (memory(a).ln() - target)
                            .abs()
                            .total_cmp(&(memory(b).ln() - target).abs())
                    })
                    .unwrap_or(candidates[0])
            })
            .collect();
        // Lambda's one full vCPU, where a single-threaded function's duration stops falling:
        // the knee the vCPU curve is fitted to, and often the best size for speed or balance.
        // A ladder that spans it and has no rung within about 20 % of it gets the size nearest
        // to it. (The curve's knee is fixed at 1,769 MB, so a rung at 2,048 MB pins the flat
        // side as well as one at 1,792 MB would; on a 16-size list the extra rung was one
        // publish in eight.)
        let knee = f64::from(MemoryMb::ONE_VCPU);
        if lo < knee && knee < hi && picks.iter().all(|&i| (memory(i) / knee).ln().abs() > 0.2) {
            let nearest = candidates.iter().copied().min_by(|&a, &b| {
                (memory(a) - knee)
                    .abs()
                    .total_cmp(&(memory(b) - knee).abs())
            });
            picks.extend(nearest);
            picks.sort_unstable();
        }
        picks.dedup();
        picks
    }

    /// Whether enough sizes are measured (three, usable) to fit the duration curve to.
    pub(super) fn curve_can_fit(progress: &Progress<'_>) -> bool {
        progress
            .sizes
            .iter()
            .filter(|s| !s.samples.is_empty() && usable(s))
            .count()
            >= 3
    }

    /// Another ladder when the first left fewer than three sizes to fit the curve to (the
    /// smaller sizes ran out of memory): over the untried sizes above the largest that failed.
    pub(super) fn rescreen(&mut self, progress: &Progress<'_>) -> Option<Decision> {
        if Self::curve_can_fit(progress) {
            return None;
        }
        let failed = progress
            .sizes
            .iter()
            .rposition(|s| !usable(s))
            .map_or(0, |i| i + 1);
        let candidates: Vec<usize> = (failed..progress.sizes.len())
            .filter(|&i| progress.sizes[i].status == SizeStatus::Untouched)
            .collect();
        if candidates.is_empty() {
            return None;
        }
        let ladder = self.ladder(progress.sizes, &candidates);
        let why = match failed {
            0 => "on the screening ladder".to_owned(),
            i => format!(
                "on a second ladder, above {} which failed",
                progress.sizes[i - 1].memory
            ),
        };
        Some(self.screen(progress, &ladder, &why))
    }

    /// Where the function stops failing, when the ladder leaves it open: a size that failed (out
    /// of memory, out of time) with nothing working below it, and untried sizes between it and
    /// the smallest that was asked for above. The cheapest size is often the smallest that works,
    /// and no curve fitted above it can say where that is, so the gap is halved until closed:
    /// the size to probe and the decision that probes it with one call (whether it works; the
    /// rest of its screen follows, see [`Self::rest_of_screen`]), `None` once there is no gap.
    pub(super) fn bisect_failure_gap(
        &mut self,
        progress: &Progress<'_>,
    ) -> Option<(usize, Decision)> {
        let sizes = progress.sizes;
        let viable = first_viable(sizes);
        if viable == 0 {
            return None;
        }
        let above =
            (viable..sizes.len()).find(|&i| sizes[i].requested > 0 || sizes[i].is_busy())?;
        if above == viable {
            return None;
        }
        let middle = (viable - 1 + above) / 2;
        if middle < viable {
            return None;
        }
        let why = format!(
            "between {} which failed and {}: where the function starts to work",
            sizes[viable - 1].memory,
            sizes[above].memory
        );
        self.set_role(progress, middle, Role::Screened, why);
        let probe = Request {
            memory: sizes[middle].memory,
            invocations: 1,
        };
        Some((
            middle,
            Decision {
                requests: vec![probe],
                ..Decision::default()
            },
        ))
    }

    /// The rest of a probe's screen, once its one call worked:
    /// [`AdaptiveConfig::screen_calls`](super::AdaptiveConfig::screen_calls) in all.
    pub(super) fn rest_of_screen(&self, progress: &Progress<'_>, probe: usize) -> Option<Request> {
        let size = &progress.sizes[probe];
        let wanted = self
            .config
            .screen_calls
            .min(progress.max_per_size)
            .saturating_sub(size.requested);
        (usable(size) && !size.samples.is_empty() && wanted > 0).then_some(Request {
            memory: size.memory,
            invocations: wanted,
        })
    }

    /// Screens the sizes `ladder`:
    /// [`AdaptiveConfig::screen_calls`](super::AdaptiveConfig::screen_calls) invocations each.
    pub(super) fn screen(
        &mut self,
        progress: &Progress<'_>,
        ladder: &[usize],
        why: &str,
    ) -> Decision {
        for &i in ladder {
            self.set_role(progress, i, Role::Screened, why.to_owned());
        }
        Decision {
            requests: ladder
                .iter()
                .map(|&i| Request {
                    memory: progress.sizes[i].memory,
                    invocations: self.config.screen_calls.min(progress.max_per_size),
                })
                .collect(),
            ..Decision::default()
        }
    }
}
