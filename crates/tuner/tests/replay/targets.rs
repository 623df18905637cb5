//! The targets adaptive sampling is held to against the grid, on the same samples: what is not
//! met, in words (empty when everything is).

use statrs::distribution::{Binomial, DiscreteCDF};

use super::judge::{Outcome, Summary, within_tolerance};

/// Percentage points.
fn pts(x: f64) -> String {
    format!("{:.1}", x * 100.0)
}

/// Accuracy of `adaptive` against `grid`: picks within the tolerance at most `slack` below the
/// grid's share, mean regret at most `mean_slack` above, worst regret at most `worst_limit`.
fn accuracy(
    grid: (f64, f64, f64),
    adaptive: (f64, f64, f64),
    slack: f64,
    mean_slack: f64,
    worst_limit: f64,
    truth: &str,
) -> Vec<String> {
    let mut unmet = Vec::new();
    if adaptive.0 + slack + 1e-9 < grid.0 {
        unmet.push(format!(
            "{truth}: {} % within 2 % against the grid's {} %",
            pts(adaptive.0),
            pts(grid.0)
        ));
    }
    if adaptive.1 > grid.1 + mean_slack + 1e-9 {
        unmet.push(format!(
            "{truth}: mean regret {} % against the grid's {} %",
            pts(adaptive.1),
            pts(grid.1)
        ));
    }
    if adaptive.2 > worst_limit + 1e-9 {
        unmet.push(format!(
            "{truth}: worst regret {} % over {} %",
            pts(adaptive.2),
            pts(worst_limit)
        ));
    }
    unmet
}

fn held_out(s: &Summary) -> (f64, f64, f64) {
    (s.within, s.mean, s.worst)
}

fn expected(s: &Summary) -> Option<(f64, f64, f64)> {
    Some((s.within_expected?, s.mean_expected?, s.worst_expected?))
}

/// Target 1, non-inferior at a quarter of the invocations: adaptive at num 10 against the grid
/// at num 10 picks within 2 % no more than 2 points less often, with a mean regret at most 0.2
/// point above and a worst regret at most max(the grid's, 3 %), for at most 1/4 of the
/// invocations, 1/2 of the publishes and 1/2 of the wall time.
pub fn non_inferior(grid: &Summary, adaptive: &Summary) -> Vec<String> {
    let mut unmet = Vec::new();
    let limit = |g: (f64, f64, f64)| g.2.max(0.03);
    let g = held_out(grid);
    unmet.extend(accuracy(
        g,
        held_out(adaptive),
        0.02,
        0.002,
        limit(g),
        "held out",
    ));
    if let (Some(g), Some(a)) = (expected(grid), expected(adaptive)) {
        unmet.extend(accuracy(g, a, 0.02, 0.002, limit(g), "model"));
    }
    let share = |a: f64, g: f64| a / g.max(1e-9);
    let inv = share(adaptive.invocations as f64, grid.invocations as f64);
    if inv > 0.25 + 1e-9 {
        unmet.push(format!("{:.0} % of the grid's invocations", inv * 100.0));
    }
    let publ = share(adaptive.published as f64, grid.published as f64);
    if publ > 0.5 + 1e-9 {
        unmet.push(format!("{:.0} % of the grid's publishes", publ * 100.0));
    }
    let wall = share(adaptive.wall_ms, grid.wall_ms);
    if wall > 0.5 + 1e-9 {
        unmet.push(format!("{:.0} % of the grid's wall time", wall * 100.0));
    }
    unmet
}

/// Target 2, more budget dominates: adaptive at num 50 makes no more invocations than the grid at
/// num 10, picks within 2 % at least as often and has a worst regret at most 0.5 point above.
pub fn dominates(grid: &Summary, adaptive: &Summary) -> Vec<String> {
    let mut unmet = Vec::new();
    let g = held_out(grid);
    unmet.extend(accuracy(
        g,
        held_out(adaptive),
        0.0,
        f64::INFINITY,
        g.2 + 0.005,
        "held out",
    ));
    if let (Some(g), Some(a)) = (expected(grid), expected(adaptive)) {
        unmet.extend(accuracy(g, a, 0.0, f64::INFINITY, g.2 + 0.005, "model"));
    }
    if adaptive.invocations > grid.invocations {
        unmet.push(format!(
            "{} invocations against the grid's {}",
            adaptive.invocations, grid.invocations
        ));
    }
    unmet
}

/// "met", or what is not.
pub fn verdict(unmet: &[String]) -> String {
    if unmet.is_empty() {
        "met".to_owned()
    } else {
        format!("**not met**: {}", unmet.join("; "))
    }
}

/// What a pick is judged against.
#[derive(Clone, Copy)]
pub enum Truth {
    /// Half B of the samples, which neither policy saw.
    HeldOut,
    /// The model's noise-free values, where the case has them.
    Model,
}

impl Truth {
    fn label(self) -> &'static str {
        match self {
            Truth::HeldOut => "held out",
            Truth::Model => "model",
        }
    }

    fn regret(self, outcome: &Outcome) -> Option<f64> {
        match self {
            Truth::HeldOut => Some(outcome.regret),
            Truth::Model => outcome.regret_expected,
        }
    }
}

/// The paired comparison behind the shares of picks within 2 %: the runs where only adaptive's
/// pick lies outside and those where only the grid's does (both policies tuned the same
/// samples), with the two-sided exact sign test's p on them (McNemar's test): the chance of a
/// split at least this uneven if either policy were as likely to miss alone. The runs where
/// both miss or neither does say nothing of which is better. `outcomes` holds one row per
/// case, `grid` and `adaptive` index the trials in it (as in `judge::summarise`). `None` when
/// the cases have no such truth.
pub fn paired(
    outcomes: &[Vec<Outcome>],
    grid: usize,
    adaptive: usize,
    truth: Truth,
) -> Option<String> {
    let (mut adaptive_alone, mut grid_alone) = (0_u64, 0_u64);
    for row in outcomes {
        let (g_out, a_out) = (
            !within_tolerance(truth.regret(&row[grid])?),
            !within_tolerance(truth.regret(&row[adaptive])?),
        );
        adaptive_alone += u64::from(a_out && !g_out);
        grid_alone += u64::from(g_out && !a_out);
    }
    Some(format!(
        "{}: {adaptive_alone} / {grid_alone} (p = {:.2})",
        truth.label(),
        sign_test(adaptive_alone, grid_alone)
    ))
}

/// Two-sided exact sign test: the chance, with `a + b` fair coin flips, of a split at least as
/// uneven as `a` to `b`.
fn sign_test(a: u64, b: u64) -> f64 {
    let n = a + b;
    if n == 0 {
        return 1.0;
    }
    let coin = Binomial::new(0.5, n).expect("a fair coin");
    (2.0 * coin.cdf(a.min(b))).min(1.0)
}

#[test]
fn the_sign_test_matches_the_binomial_tails() {
    // 1 against 9 of 10: 2 × (1 + 10) / 1024.
    assert!((sign_test(1, 9) - 22.0 / 1024.0).abs() < 1e-12);
    assert!((sign_test(9, 1) - 22.0 / 1024.0).abs() < 1e-12);
    assert_eq!(sign_test(5, 5), 1.0);
    assert_eq!(sign_test(0, 0), 1.0);
}

#[test]
fn paired_counts_the_runs_where_one_policy_alone_misses() {
    let outcome = |regret: f64, model: f64| Outcome {
        regret,
        regret_expected: Some(model),
        invocations: 0,
        published: 0,
        wall_ms: 0.0,
    };
    // Runs (grid, adaptive): both within; adaptive alone out; grid alone out; both out
    // (says nothing).
    let outcomes: Vec<Vec<Outcome>> = [(0.0, 0.0), (0.01, 0.03), (0.05, 0.0), (0.05, 0.04)]
        .into_iter()
        .map(|(g, a)| vec![outcome(g, 0.0), outcome(a, 0.03)])
        .collect();
    assert_eq!(
        paired(&outcomes, 0, 1, Truth::HeldOut).unwrap(),
        "held out: 1 / 1 (p = 1.00)"
    );
    assert_eq!(
        paired(&outcomes, 0, 1, Truth::Model).unwrap(),
        "model: 4 / 0 (p = 0.13)"
    );
}
