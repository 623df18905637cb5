//! Adaptive sampling: about the grid's answer for a fraction of its invocations.
//!
//! 1. **Screen** a geometric ladder of sizes (the smallest, the largest and three between, evenly
//!    spaced in log memory, and the size nearest one full vCPU, 1,769 MB, when the range spans it)
//!    with [`AdaptiveConfig::screen_calls`] invocations each. When fewer than three sizes survive
//!    it (the small ones ran out of memory), screen a second ladder over the sizes above the
//!    largest that failed. When a size failed with nothing working below it and untried sizes lie
//!    between it and the smallest size that works, **halve that gap** until it is closed: the
//!    cheapest size is often the smallest that works, and no curve can say where that is. A
//!    probe is one call; one that works gets the rest of its screen beside the next probe.
//! 2. **Model** duration against memory with [`DurationCurve`] (Parrotfish, SoCC 2023) and predict
//!    the strategy's objective at every size (but those below the largest that failed, when none
//!    below it worked: running out of memory or time only gets worse with less memory);
//!    **shortlist** the sizes predicted within [`AdaptiveConfig::shortlist_margin`] of the best, at
//!    most a fifth of the list ([`AdaptiveConfig::shortlist_share`], at least
//!    [`AdaptiveConfig::shortlist_min`]), spread over that region rather than side by side (where
//!    the objective is flat the model cannot rank the sizes: each size's own noise and worker do),
//!    and the best's neighbours. The race starts once every ladder size but the smallest (the
//!    slowest) has its screen; the smallest is judged against the shortlist's margin when its
//!    numbers come.
//! 3. **Race** the shortlist: [`AdaptiveConfig::round_calls`] more invocations per survivor as soon
//!    as its last ones finish, no size more than a round ahead of the least measured (so drift over
//!    time hits the sizes about alike; a size waits only when it is a round ahead, and the wait
//!    counts as time spent, see [`pace`]); whenever calls finish, **drop** a size whose 95 %
//!    interval of the objective lies wholly above the best's by more than the tolerance (the
//!    interval of [`crate::stats::confidence`], the trimmed mean's, so the drop test judges the number the
//!    result shows); each time every survivor has finished a round more, **halve** the race
//!    (sequential halving: the worse half leaves, [`AdaptiveConfig::halving_floor`] stay), ranking
//!    every size on as many of its first calls as the least measured has, so that sizes are
//!    compared on equal calls and the calls go to the sizes still in doubt. The size the result
//!    would recommend so far always races. Once the race is down to a few, every finalist's untried
//!    neighbours join it (and the leader's screened ones): a sharp minimum, a working set's knee,
//!    may lie one size from a finalist. A size the race's time holds back stands outside the
//!    lockstep.
//! 4. **Stop** when one size is left; when the size the result would recommend has had
//!    [`AdaptiveConfig::min_race_calls`] and as many calls as any survivor, and is within a
//!    share of the tolerance ([`AdaptiveConfig::certify_share`]) of every survivor beyond doubt
//!    (the ε-good rule of LUCB); when every survivor has had `num` invocations; or when no
//!    survivor's next calls would end within [`AdaptiveConfig::time_share`] of the grid's time
//!    (see [`pace`]: the slowest size is the run's critical path; only the leader and the size
//!    the result would recommend get [`AdaptiveConfig::min_race_calls`] past it).
//!
//! The objective is the strategy's ([`super::objective`]).

mod config;
mod joins;
mod pace;
mod race;
mod screening;
mod shortlist;
mod yardsticks;

pub use config::AdaptiveConfig;

use super::{
    Decision, Progress, SamplingPolicy, SizeNote,
    objective::{self, Yardstick},
};
use crate::strategy::clamp_weight;

/// Where a size stands in the adaptive run, for progress and results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Role {
    /// Not measured.
    Unmeasured,
    /// Measured on the ladder, not shortlisted.
    Screened,
    /// In the race.
    Racing,
    /// Dropped from the race: its interval lies above the leader's.
    Dropped,
}

impl Role {
    /// The role in a word or two, for progress.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unmeasured => "not measured",
            Self::Screened => "screened",
            Self::Racing => "racing",
            Self::Dropped => "dropped",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Start,
    Screening,
    Racing,
    Done,
}

/// The adaptive policy; see the module documentation.
#[derive(Debug, Clone)]
pub struct AdaptivePolicy {
    config: AdaptiveConfig,
    phase: Phase,
    roles: Vec<Role>,
    /// Ladder sizes still being screened when the race began (the slowest), judged when their
    /// numbers come.
    pending: Vec<usize>,
    /// The size screened to find where the function stops failing, while it runs.
    probe: Option<usize>,
    /// The calls every racing size had at the last halving.
    halved_at: Option<u32>,
    /// The best objective the shortlist judged the sizes against (a prediction, perhaps), or
    /// the best measured since, when that was worse.
    shortlisted_against: Option<f64>,
    /// Role changes since the last decision, for the engine to report.
    notes: Vec<SizeNote>,
    /// When the racing sizes began, for the race's time.
    pace: pace::Pace,
    /// Why the run stopped, once it has.
    stop: Option<StopReason>,
}

/// Why an adaptive run stopped measuring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// One size was left in the race.
    Separated,
    /// The survivors are equal within the tolerance.
    WithinTolerance,
    /// Every survivor had `num` invocations.
    BudgetSpent,
    /// No survivor's next calls would end within the race's share of the grid's time.
    TimeSpent,
}

impl AdaptivePolicy {
    /// A policy with these settings (the balanced weight clamped to 0..=1, the tolerance to
    /// at least 0).
    pub fn new(config: AdaptiveConfig) -> Self {
        let config = AdaptiveConfig {
            balanced_weight: clamp_weight(config.balanced_weight),
            tolerance: config.tolerance.max(0.0),
            ..config
        };
        Self {
            config,
            phase: Phase::Start,
            roles: Vec::new(),
            pending: Vec::new(),
            probe: None,
            halved_at: None,
            shortlisted_against: None,
            notes: Vec::new(),
            pace: pace::Pace::new(&config),
            stop: None,
        }
    }

    fn yardstick(&self) -> Yardstick {
        Yardstick {
            strategy: self.config.strategy,
            balanced_weight: self.config.balanced_weight,
            discard: self.config.discard,
        }
    }

    /// Each size's role so far, in `powerValues` order.
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// Why measuring stopped, once it has.
    pub fn stop_reason(&self) -> Option<StopReason> {
        self.stop
    }

    /// Gives size `i` its `role`, noting why for progress.
    fn set_role(&mut self, progress: &Progress<'_>, i: usize, role: Role, why: String) {
        self.roles[i] = role;
        self.notes.push(SizeNote {
            memory: progress.sizes[i].memory,
            role,
            why,
        });
    }

    /// How many more sizes the run may publish ([`AdaptiveConfig::publish_cap`]): every size
    /// with a role but [`Role::Unmeasured`] has been, or is about to be.
    fn publish_room(&self, progress: &Progress<'_>) -> usize {
        let published = self
            .roles
            .iter()
            .filter(|&&r| r != Role::Unmeasured)
            .count();
        self.config
            .publish_cap(progress.sizes.len())
            .saturating_sub(published)
    }

    fn finish(&mut self, reason: StopReason) -> Decision {
        self.phase = Phase::Done;
        self.stop = Some(reason);
        Decision {
            no_more_sizes: true,
            ..Decision::default()
        }
    }
}

impl SamplingPolicy for AdaptivePolicy {
    fn decide(&mut self, progress: &Progress<'_>) -> Decision {
        self.pace.observe(progress);
        let mut decision = self.next(progress);
        self.pace.note_requested(progress, &decision.requests);
        decision.notes = std::mem::take(&mut self.notes);
        decision
    }
}

impl AdaptivePolicy {
    fn next(&mut self, progress: &Progress<'_>) -> Decision {
        match self.phase {
            Phase::Start => {
                self.roles = vec![Role::Unmeasured; progress.sizes.len()];
                let all: Vec<usize> = (0..progress.sizes.len()).collect();
                let ladder = self.ladder(progress.sizes, &all);
                self.phase = Phase::Screening;
                self.screen(progress, &ladder, "on the screening ladder")
            }
            Phase::Screening => {
                // The race starts when every ladder size but the slowest has its screen: the
                // slowest (usually the smallest) would otherwise hold every other size idle for
                // as long as its own calls take, and it is judged when its numbers come.
                let busy: Vec<usize> = (0..progress.sizes.len())
                    .filter(|&i| progress.sizes[i].is_busy())
                    .collect();
                // A failure gap is closed first: the sizes above it must not be judged on a
                // curve that cannot see where the function starts to work.
                // A probe is one call, enough to say whether the size works: one that does gets
                // the rest of its screen beside the next probe, not before it.
                let mut rest_of_screen = None;
                if let Some(probe) = self.probe {
                    if progress.sizes[probe].is_busy() {
                        return Decision::default();
                    }
                    self.probe = None;
                    rest_of_screen = self.rest_of_screen(progress, probe);
                }
                if let Some((probe, mut decision)) = self.bisect_failure_gap(progress) {
                    self.probe = Some(probe);
                    decision.requests.extend(rest_of_screen);
                    return decision;
                }
                if let Some(request) = rest_of_screen {
                    return Decision {
                        requests: vec![request],
                        ..Decision::default()
                    };
                }
                // Only the smallest may be left: a curve without the largest rung extrapolates
                // over the sizes above it (when calls end in the order asked, as against a
                // replayed profile, the largest can be the last to report). The smallest that
                // works: where the small sizes fail, the slowest is the failure gap's last probe.
                let smallest = (0..progress.sizes.len()).find(|&i| {
                    progress.sizes[i].requested > 0 && objective::usable(&progress.sizes[i])
                });
                if busy.len() > 1
                    || busy.first().is_some_and(|&i| Some(i) != smallest)
                    || (!busy.is_empty() && !Self::curve_can_fit(progress))
                {
                    return Decision::default();
                }
                if busy.is_empty()
                    && let Some(more) = self.rescreen(progress)
                {
                    return more;
                }
                self.pending = busy;
                self.shortlist(progress);
                self.phase = Phase::Racing;
                self.race(progress)
            }
            Phase::Racing => self.race(progress),
            Phase::Done => Decision::default(),
        }
    }
}
