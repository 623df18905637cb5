//! Choosing the optimal memory size (the original's `analyzer.js`; see
//! `docs/original-behaviour.md`).
//!
//! Each strategy is a stable sort with the original's exact comparator, so ties resolve the same
//! way: `cost` breaks exact cost ties by duration, `speed` breaks exact duration ties by cost, and
//! `balanced` ranks by `w × cost / max cost + (1 − w) × duration / max duration` with no further
//! tie-break. NaN comparisons count as equal, as in JavaScript.

use std::{cmp::Ordering, fmt, str::FromStr};

use crate::order::sort_indices;

/// What "optimal" means.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Strategy {
    /// Cheapest per invocation.
    #[default]
    Cost,
    /// Fastest.
    Speed,
    /// A weighted mix of cost and speed.
    Balanced,
}

impl Strategy {
    /// All strategies, in display order.
    pub const ALL: [Strategy; 3] = [Self::Cost, Self::Speed, Self::Balanced];

    /// The name the original input uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cost => "cost",
            Self::Speed => "speed",
            Self::Balanced => "balanced",
        }
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A strategy name that is not one of `cost`, `speed`, `balanced`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a strategy: use \"cost\", \"speed\" or \"balanced\" (lower case)")]
pub struct UnknownStrategy(pub String);

impl FromStr for Strategy {
    type Err = UnknownStrategy;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| UnknownStrategy(s.to_owned()))
    }
}

/// One measured size, as the strategies see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// Memory in MB.
    pub power: u32,
    /// Average cost per invocation.
    pub cost: f64,
    /// Average duration in ms.
    pub duration: f64,
}

/// The default balanced weight.
pub const DEFAULT_BALANCED_WEIGHT: f64 = 0.5;

/// Clamps a balanced weight into [0, 1] (NaN becomes 0).
pub fn clamp_weight(weight: f64) -> f64 {
    if weight.is_nan() {
        0.0
    } else {
        weight.clamp(0.0, 1.0)
    }
}

fn js_cmp(a: f64, b: f64) -> Ordering {
    a.partial_cmp(&b).unwrap_or(Ordering::Equal)
}

/// Indices of `candidates` from best to worst under `strategy` (a stable sort).
pub fn rank(candidates: &[Candidate], strategy: Strategy, balanced_weight: f64) -> Vec<usize> {
    let scores = match strategy {
        Strategy::Balanced => balanced_scores(candidates, balanced_weight),
        Strategy::Cost | Strategy::Speed => Vec::new(),
    };
    let by_cost = |a: &Candidate, b: &Candidate| {
        if a.cost == b.cost {
            js_cmp(a.duration, b.duration)
        } else {
            js_cmp(a.cost, b.cost)
        }
    };
    let by_speed = |a: &Candidate, b: &Candidate| {
        if a.duration == b.duration {
            js_cmp(a.cost, b.cost)
        } else {
            js_cmp(a.duration, b.duration)
        }
    };
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    sort_indices(&mut order, &|a, b| match strategy {
        Strategy::Cost => by_cost(&candidates[a], &candidates[b]),
        Strategy::Speed => by_speed(&candidates[a], &candidates[b]),
        Strategy::Balanced => js_cmp(scores[a], scores[b]),
    });
    order
}

/// The balanced score of every candidate (lower is better).
pub fn balanced_scores(candidates: &[Candidate], balanced_weight: f64) -> Vec<f64> {
    let w = clamp_weight(balanced_weight);
    let max_cost = candidates
        .iter()
        .map(|c| c.cost)
        .fold(f64::NEG_INFINITY, f64::max);
    let max_duration = candidates
        .iter()
        .map(|c| c.duration)
        .fold(f64::NEG_INFINITY, f64::max);
    candidates
        .iter()
        .map(|c| balanced_score(w, (c.cost, c.duration), (max_cost, max_duration)))
        .collect()
}

/// The balanced score of one size (lower is better): its cost and duration, each relative to
/// the largest among the sizes compared, weighted `w` (see [`clamp_weight`]) and `1 − w`, as the original
/// computes it.
pub fn balanced_score(
    w: f64,
    (cost, duration): (f64, f64),
    (max_cost, max_duration): (f64, f64),
) -> f64 {
    w * cost / max_cost + (1.0 - w) * duration / max_duration
}

/// The index of the best candidate, `None` when there are none.
pub fn select(candidates: &[Candidate], strategy: Strategy, balanced_weight: f64) -> Option<usize> {
    rank(candidates, strategy, balanced_weight).first().copied()
}

/// How a recommended size compares with the current one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChangeFromCurrent {
    /// Percent cost change; negative means cheaper.
    pub cost_change_pct: f64,
    /// Percent duration change; negative means faster.
    pub duration_change_pct: f64,
}

impl ChangeFromCurrent {
    /// The recommendation `optimum` relative to `current`.
    pub fn between(current: &Candidate, optimum: &Candidate) -> Self {
        let pct = |new: f64, old: f64| {
            if old == 0.0 {
                0.0
            } else {
                (new - old) / old * 100.0
            }
        };
        Self {
            cost_change_pct: pct(optimum.cost, current.cost),
            duration_change_pct: pct(optimum.duration, current.duration),
        }
    }
}

impl ChangeFromCurrent {
    /// How many percent the current size costs above the recommended one (the inverse view of
    /// [`Self::cost_change_pct`]): 100 when the recommendation costs half.
    pub fn current_cost_above_pct(&self) -> f64 {
        let ratio = 1.0 + self.cost_change_pct / 100.0;
        if ratio <= 0.0 {
            0.0
        } else {
            (1.0 / ratio - 1.0) * 100.0
        }
    }
}

impl fmt::Display for ChangeFromCurrent {
    /// `"23% cheaper, 5% slower"`; changes below 0.5 % read as `"same cost"` / `"same speed"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let part = |pct: f64, less: &str, more: &str, same: &str| {
            if pct.abs() < 0.5 {
                same.to_owned()
            } else if pct < 0.0 {
                format!("{:.0}% {less}", -pct)
            } else {
                format!("{:.0}% {more}", pct)
            }
        };
        write!(
            f,
            "{}, {}",
            part(self.cost_change_pct, "cheaper", "costlier", "same cost"),
            part(self.duration_change_pct, "faster", "slower", "same speed")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(power: u32, cost: f64, duration: f64) -> Candidate {
        Candidate {
            power,
            cost,
            duration,
        }
    }

    fn best(cands: &[Candidate], s: Strategy, w: f64) -> u32 {
        cands[select(cands, s, w).unwrap()].power
    }

    #[test]
    fn cost_strategy_breaks_ties_by_duration_then_order() {
        let cands = [
            c(128, 100.0, 100.0),
            c(256, 200.0, 300.0),
            c(512, 30.0, 200.0),
        ];
        assert_eq!(best(&cands, Strategy::Cost, 0.5), 512);
        let tie = [
            c(128, 100.0, 100.0),
            c(256, 100.0, 90.0),
            c(512, 300.0, 200.0),
        ];
        assert_eq!(best(&tie, Strategy::Cost, 0.5), 256);
    }

    #[test]
    fn speed_strategy_breaks_ties_by_cost_then_order() {
        let cands = [
            c(128, 100.0, 300.0),
            c(256, 200.0, 200.0),
            c(512, 300.0, 100.0),
        ];
        assert_eq!(best(&cands, Strategy::Speed, 0.5), 512);
        let tie = [
            c(128, 100.0, 200.0),
            c(256, 90.0, 200.0),
            c(512, 300.0, 400.0),
        ];
        assert_eq!(best(&tie, Strategy::Speed, 0.5), 256);
    }

    #[test]
    fn balanced_strategy_weighs_normalised_cost_and_duration() {
        let a = [
            c(128, 100.0, 100.0),
            c(256, 200.0, 300.0),
            c(512, 30.0, 200.0),
        ];
        assert_eq!(best(&a, Strategy::Balanced, 1.0), 512);
        let b = [
            c(128, 100.0, 300.0),
            c(256, 200.0, 200.0),
            c(512, 300.0, 100.0),
        ];
        assert_eq!(best(&b, Strategy::Balanced, 0.0), 512);
        let d = [
            c(128, 101.0, 300.0),
            c(256, 200.0, 200.0),
            c(512, 300.0, 101.0),
        ];
        assert_eq!(best(&d, Strategy::Balanced, 0.5), 256);
        let e = [
            c(128, 100.0, 300.0),
            c(256, 200.0, 200.0),
            c(512, 300.0, 100.0),
            c(1024, 1000.0, 50.0),
        ];
        assert_eq!(best(&e, Strategy::Balanced, 0.3), 512);
        let scores = balanced_scores(&e, 0.3);
        let expected = [0.73, 0.5267, 0.3233, 0.4167];
        for (s, x) in scores.iter().zip(expected) {
            assert!((s - x).abs() < 1e-4, "{s} vs {x}");
        }
    }

    #[test]
    fn weight_is_clamped() {
        assert_eq!(clamp_weight(7.0), 1.0);
        assert_eq!(clamp_weight(-1.0), 0.0);
        assert_eq!(clamp_weight(f64::NAN), 0.0);
        let b = [
            c(128, 100.0, 300.0),
            c(256, 200.0, 200.0),
            c(512, 300.0, 100.0),
        ];
        assert_eq!(best(&b, Strategy::Balanced, -3.0), 512);
    }

    #[test]
    fn full_ties_keep_input_order() {
        let same = [c(1024, 1.0, 1.0), c(128, 1.0, 1.0)];
        for s in Strategy::ALL {
            assert_eq!(rank(&same, s, 0.5), [0, 1], "{s}");
        }
        assert_eq!(select(&[], Strategy::Cost, 0.5), None);
    }

    #[test]
    fn unknown_strategies_are_refused() {
        for bad in ["foobar", "Balanced", " ", "-"] {
            let err = bad.parse::<Strategy>().unwrap_err();
            assert!(
                err.to_string()
                    .contains("\"cost\", \"speed\" or \"balanced\"")
            );
        }
        assert_eq!("speed".parse::<Strategy>().unwrap(), Strategy::Speed);
    }

    #[test]
    fn comparison_reads_well() {
        let cmp = ChangeFromCurrent::between(&c(1024, 2.0, 100.0), &c(512, 1.0, 150.0));
        assert_eq!(cmp.cost_change_pct, -50.0);
        assert_eq!(cmp.duration_change_pct, 50.0);
        assert_eq!(cmp.to_string(), "50% cheaper, 50% slower");
        assert!((cmp.current_cost_above_pct() - 100.0).abs() < 1e-9);
        let same = ChangeFromCurrent::between(&c(512, 1.0, 100.0), &c(512, 1.0, 100.0));
        assert_eq!(same.current_cost_above_pct(), 0.0);
        assert_eq!(same.to_string(), "same cost, same speed");
        assert_eq!(
            ChangeFromCurrent::between(&c(1, 1.0, 100.0), &c(2, 1.3, 20.0)).to_string(),
            "30% costlier, 80% faster"
        );
    }
}
