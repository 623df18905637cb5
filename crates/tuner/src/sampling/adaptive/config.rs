//! Adaptive sampling's settings, each documented once here: what to judge (from the input) and
//! how to measure (the method's constants, at the values `scripts/bench.sh adaptive` chose). The
//! benchmark sweeps them through this type.

use crate::strategy::Strategy;

/// The settings of an [`super::AdaptivePolicy`]. `AdaptiveConfig::default()` judges cost at the
/// input's defaults; set the judged fields from the input with struct update:
///
/// ```
/// use powertune_tuner::{sampling::AdaptiveConfig, strategy::Strategy};
/// let config = AdaptiveConfig {
///     strategy: Strategy::Speed,
///     tolerance: 0.05,
///     ..AdaptiveConfig::default()
/// };
/// assert_eq!(config.screen_calls, 3);
/// ```
///
/// The intervals the race compares are the result's own, at [`crate::stats::confidence::LEVEL`]
/// (95 %), so that a drop or a stop judges the numbers the result shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdaptiveConfig {
    /// The strategy whose objective is minimised (the input's `strategy`).
    pub strategy: Strategy,
    /// The balanced strategy's weight (the input's `balancedWeight`, clamped to 0..=1).
    pub balanced_weight: f64,
    /// The relative difference below which two sizes count as equally good (the input's
    /// `tolerance`).
    pub tolerance: f64,
    /// The trimmed mean's fraction dropped at each end (the input's `discardTopBottom`).
    pub discard: f64,
    /// Rungs of the screening ladder, evenly spaced in log memory (plus one at one full vCPU
    /// when the range spans it and no rung is near).
    pub ladder: usize,
    /// Invocations of each ladder size, and of a size that joins the race.
    pub screen_calls: u32,
    /// How far above the best predicted objective a size may be and still be shortlisted.
    pub shortlist_margin: f64,
    /// The race starts with at most this share of the list's sizes...
    pub shortlist_share: f64,
    /// ...and at least this many, when the margin holds them (three, with the best's two
    /// neighbours, keeps a 16-size list within half the grid's publishes).
    pub shortlist_min: usize,
    /// Invocations added to each survivor per racing round.
    pub round_calls: u32,
    /// Survivors that halving keeps at least; the leader's untried neighbours join once the
    /// race is down to one more than this.
    pub halving_floor: usize,
    /// Invocations the result's pick and the leader get before the race may end, whatever the
    /// time (a trimmed mean worth the name).
    pub min_race_calls: u32,
    /// The share of the tolerance within which the pick's interval must lie of every rival's
    /// for the race to stop early: less than all of it, as the pick is judged later on calls it
    /// has not seen.
    pub certify_share: f64,
    /// The share of the grid's call time the race may take: a size's calls run one after
    /// another, so the grid lasts about `num` calls of its slowest size.
    pub time_share: f64,
    /// The share of the list's sizes the run publishes at most: no size joins the race past it
    /// (the screening ladders and the failure gap's probes come first, as they find where the
    /// function works).
    pub publish_share: f64,
}

impl Default for AdaptiveConfig {
    fn default() -> Self {
        Self {
            strategy: Strategy::Cost,
            balanced_weight: 0.5,
            tolerance: crate::stats::confidence::DEFAULT_TOLERANCE,
            discard: 0.2,
            ladder: 5,
            screen_calls: 3,
            shortlist_margin: 0.15,
            shortlist_share: 0.2,
            shortlist_min: 3,
            round_calls: 2,
            halving_floor: 2,
            min_race_calls: 5,
            certify_share: 0.5,
            // Half: the wall time adaptive sampling promises. (A 60 % share got about a point
            // more cost picks within 2 % on the replay benchmark, and took 52 to 58 % of the
            // grid's time.)
            time_share: 0.5,
            // Half: the publishes adaptive sampling promises.
            publish_share: 0.5,
        }
    }
}

impl AdaptiveConfig {
    /// The most sizes a run over a list of `sizes` publishes (at least the ladder's).
    pub fn publish_cap(&self, sizes: usize) -> usize {
        ((sizes as f64 * self.publish_share) as usize).max(self.ladder)
    }

    /// How far above the best a size may be and still race: the shortlist's margin, and never
    /// less than the tolerance.
    pub fn shortlist_reach(&self) -> f64 {
        self.shortlist_margin.max(self.tolerance)
    }

    /// The most sizes the race starts with, for a list of `sizes`.
    pub fn shortlist_cap(&self, sizes: usize) -> usize {
        ((sizes as f64 * self.shortlist_share) as usize).max(self.shortlist_min)
    }
}
