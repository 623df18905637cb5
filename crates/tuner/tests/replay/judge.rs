//! Running both policies on a case and judging their picks on the held-out half: regret,
//! invocations, publishes and wall time, summed into the benchmark's rows.

use powertune_tuner::{
    MemoryMb,
    engine::{Event, RunOptions},
    pricing::{Architecture, Price},
    result::RunResult,
    sampling::{AdaptiveConfig, AdaptivePolicy, GridPolicy, SamplingPolicy},
    sim::{Faults, MeasuredProfile},
    stats::trimmed_mean,
    strategy::{Strategy, balanced_score},
};
use serde_json::json;
use std::collections::BTreeMap;

use super::cases::{Case, halves, replayed_spec, sizes_of};

pub const TOLERANCE: f64 = 0.02;

/// The strategy's objective of every size on `truth` (lower is better).
pub fn objectives(
    truth: &MeasuredProfile,
    architecture: Architecture,
    strategy: Strategy,
) -> Vec<(u32, f64)> {
    let price = Price::for_function("us-east-1", architecture);
    let figures: Vec<(u32, f64, f64)> = truth
        .iter()
        .filter(|(_, s)| s.len() >= 2)
        .map(|(&m, samples)| {
            let memory = MemoryMb::new(m).unwrap();
            let billed: Vec<f64> = samples
                .iter()
                .map(|s| {
                    s.billed_duration_ms.unwrap_or_else(|| {
                        (s.duration_ms + s.init_duration_ms.unwrap_or(0.0)).ceil()
                    })
                })
                .collect();
            let durations: Vec<f64> = samples.iter().map(|s| s.duration_ms).collect();
            let cost = price.cost_line(memory, 512).at(trimmed_mean(&billed, 0.2));
            (m, cost, trimmed_mean(&durations, 0.2))
        })
        .collect();
    scored(&figures, strategy)
}

/// A policy and the input's `num`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trial {
    pub adaptive: bool,
    pub num: u32,
}

impl Trial {
    pub const fn grid(num: u32) -> Self {
        Self {
            adaptive: false,
            num,
        }
    }

    pub const fn adaptive(num: u32) -> Self {
        Self {
            adaptive: true,
            num,
        }
    }
}

/// How one policy did on one case.
#[derive(Clone, Copy)]
pub struct Outcome {
    /// Against the held-out half.
    pub regret: f64,
    /// Against the model's noise-free values, where the case has them.
    pub regret_expected: Option<f64>,
    pub invocations: u32,
    pub published: u32,
    /// Wall time in ms (virtual).
    pub wall_ms: f64,
}

/// The default settings, with any the environment sets for a sweep (`ADAPTIVE_LADDER`,
/// `ADAPTIVE_SCREEN_CALLS`, `ADAPTIVE_SHORTLIST_MARGIN`, `ADAPTIVE_SHORTLIST_SHARE`,
/// `ADAPTIVE_SHORTLIST_MIN`, `ADAPTIVE_ROUND_CALLS`, `ADAPTIVE_HALVING_FLOOR`,
/// `ADAPTIVE_MIN_RACE_CALLS`, `ADAPTIVE_CERTIFY_SHARE`, `ADAPTIVE_TIME_SHARE`,
/// `ADAPTIVE_PUBLISH_SHARE`).
pub fn swept_config() -> AdaptiveConfig {
    let d = AdaptiveConfig::default();
    AdaptiveConfig {
        ladder: env_number("ADAPTIVE_LADDER", d.ladder),
        screen_calls: env_number("ADAPTIVE_SCREEN_CALLS", d.screen_calls),
        shortlist_margin: env_number("ADAPTIVE_SHORTLIST_MARGIN", d.shortlist_margin),
        shortlist_share: env_number("ADAPTIVE_SHORTLIST_SHARE", d.shortlist_share),
        shortlist_min: env_number("ADAPTIVE_SHORTLIST_MIN", d.shortlist_min),
        round_calls: env_number("ADAPTIVE_ROUND_CALLS", d.round_calls),
        halving_floor: env_number("ADAPTIVE_HALVING_FLOOR", d.halving_floor),
        min_race_calls: env_number("ADAPTIVE_MIN_RACE_CALLS", d.min_race_calls),
        certify_share: env_number("ADAPTIVE_CERTIFY_SHARE", d.certify_share),
        time_share: env_number("ADAPTIVE_TIME_SHARE", d.time_share),
        publish_share: env_number("ADAPTIVE_PUBLISH_SHARE", d.publish_share),
        ..d
    }
}

/// The grid, or adaptive sampling at the benchmark's tolerance.
pub fn policy(strategy: Strategy, adaptive: bool) -> Box<dyn SamplingPolicy> {
    if adaptive {
        Box::new(AdaptivePolicy::new(AdaptiveConfig {
            strategy,
            tolerance: TOLERANCE,
            ..swept_config()
        }))
    } else {
        Box::new(GridPolicy::default())
    }
}

/// One run of a policy on `seen`, as it would go against Lambda: 1 s configuration updates and
/// the measured durations in real time, on a virtual clock (nothing waits, concurrent waits
/// overlap), so the calls finish in the order they would. The pick judged is this run's, the
/// run whose wall time is reported. It must leave nothing behind.
pub fn run(
    case: &Case,
    seen: &MeasuredProfile,
    strategy: Strategy,
    trial: Trial,
) -> (RunResult, Outcome) {
    use crate::support::{
        assert_left_clean,
        virtual_time::{self, VirtualClock},
    };
    use powertune_tuner::{
        cancel::CancelToken,
        engine::{self, Hooks},
        journal::MemoryJournal,
        sim::SimLambda,
    };
    let clock = VirtualClock::default();
    // `REPLAY_INSTANT=1` replays as `lambda-emulator --time-scale 0 --update-ms 0` does (how the
    // issue's hidden functions are judged): every call and update ends at once, so calls finish
    // in the order they were asked for; the wall time is then 0 and not reported.
    let instant = std::env::var("REPLAY_INSTANT").is_ok_and(|v| v == "1");
    let faults = Faults {
        update_duration: std::time::Duration::from_secs(if instant { 0 } else { 1 }),
        time_scale: if instant { 0.0 } else { 1.0 },
        ..Faults::default()
    };
    let spec = replayed_spec(case, seen);
    let memory = spec.memory_mb;
    let sim = SimLambda::new(clock.clone(), vec![spec], 1, faults);
    let arn = sim.function_arns()[0].clone();
    let input = powertune_tuner::input::parse_value(&json!({
        "lambdaARN": arn.to_string(), "num": trial.num, "powerValues": sizes_of(case),
        "strategy": strategy.as_str()
    }))
    .unwrap()
    .input;
    let journal = MemoryJournal::default();
    let cancel = CancelToken::new();
    let published = std::cell::Cell::new(0);
    let mut policy = policy(strategy, trial.adaptive);
    let report = virtual_time::run(
        &clock,
        engine::run_with_policy(
            &sim,
            &clock,
            &journal,
            &input,
            None,
            &RunOptions::default(),
            Hooks {
                on_event: &|e| {
                    if matches!(e, Event::Published { .. }) {
                        published.set(published.get() + 1);
                    }
                    if trial.adaptive && std::env::var("DIAG_NOTES").is_ok_and(|n| n == case.name) {
                        eprintln!(
                            "  {:.0} {e:?}",
                            powertune_tuner::clock::Clock::now_ms(&clock) / 1000.0
                        );
                    }
                },
                cancel: &cancel,
            },
            policy.as_mut(),
        ),
    )
    .unwrap_or_else(|e| panic!("{} {strategy}: {}", case.name, e.error));
    assert_left_clean(&sim, &arn, &journal, memory);
    let outcome = Outcome {
        regret: 0.0,
        regret_expected: None,
        invocations: report.invocations,
        published: published.get(),
        wall_ms: report.elapsed_ms,
    };
    (report.result.unwrap(), outcome)
}

/// How much worse `pick` is than the best size by `truth` (infinite when `truth` has no such
/// size).
pub fn regret_of(truth: &[(u32, f64)], pick: u32) -> f64 {
    let best = truth.iter().map(|t| t.1).fold(f64::INFINITY, f64::min);
    let value = truth
        .iter()
        .find(|t| t.0 == pick)
        .map_or(f64::INFINITY, |t| t.1);
    value / best - 1.0
}

/// The number in the environment variable `name`, or `default`.
pub fn env_number<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// The strategy's objective of every size from noise-free durations (lower is better): billed
/// time rounds up half a millisecond on average.
pub fn expected_objectives(
    expected_ms: &BTreeMap<u32, f64>,
    architecture: Architecture,
    strategy: Strategy,
) -> Vec<(u32, f64)> {
    let price = Price::for_function("us-east-1", architecture);
    let figures: Vec<(u32, f64, f64)> = expected_ms
        .iter()
        .map(|(&m, &d)| {
            let line = price.cost_line(MemoryMb::new(m).unwrap(), 512);
            (m, line.at((d + 0.5).max(1.0)), d)
        })
        .collect();
    scored(&figures, strategy)
}

/// Each size's objective from its cost and duration.
fn scored(figures: &[(u32, f64, f64)], strategy: Strategy) -> Vec<(u32, f64)> {
    let maxima = figures
        .iter()
        .fold((f64::MIN_POSITIVE, f64::MIN_POSITIVE), |a, f| {
            (a.0.max(f.1), a.1.max(f.2))
        });
    figures
        .iter()
        .map(|&(m, c, d)| {
            (
                m,
                match strategy {
                    Strategy::Cost => c,
                    Strategy::Speed => d,
                    Strategy::Balanced => balanced_score(0.5, (c, d), maxima),
                },
            )
        })
        .collect()
}

/// Each trial on `case` under `strategy`, judged on the held-out half (and on the model's
/// values where the case has them). Every trial sees the same samples at every size.
pub fn compare(case: &Case, strategy: Strategy, trials: &[Trial]) -> Vec<Outcome> {
    let (seen, truth) = halves(&case.profile, case.seed);
    let truth = objectives(&truth, case.architecture, strategy);
    let expected = case
        .expected_ms
        .as_ref()
        .map(|e| expected_objectives(e, case.architecture, strategy));
    trials
        .iter()
        .map(|&trial| {
            let (result, mut outcome) = run(case, &seen, strategy, trial);
            let pick = result.recommended_memory().unwrap().get();
            outcome.regret = regret_of(&truth, pick);
            outcome.regret_expected = expected.as_ref().map(|e| regret_of(e, pick));
            outcome
        })
        .collect()
}

/// One trial's figures over a set of cases under a strategy.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub runs: usize,
    /// Share of picks within the tolerance of the best: of the held-out half, of the model.
    pub within: f64,
    pub mean: f64,
    pub worst: f64,
    pub within_expected: Option<f64>,
    pub mean_expected: Option<f64>,
    pub worst_expected: Option<f64>,
    pub invocations: u64,
    pub published: u64,
    pub wall_ms: f64,
}

/// Whether a pick with this regret counts as within the tolerance of the best (with room for
/// rounding: a pick as good as the best by another name has a regret of about 0).
pub fn within_tolerance(regret: f64) -> bool {
    regret <= TOLERANCE + 1e-12
}

fn accuracy(regrets: &[f64]) -> (f64, f64, f64) {
    let n = regrets.len().max(1) as f64;
    let within = regrets.iter().filter(|&&r| within_tolerance(r)).count() as f64 / n;
    let mean = regrets.iter().sum::<f64>() / n;
    let worst = regrets.iter().copied().fold(0.0, f64::max);
    (within, mean, worst)
}

/// Trial `t`'s summary over `outcomes` (one row of outcomes per case).
pub fn summarise(outcomes: &[Vec<Outcome>], t: usize) -> Summary {
    let of: Vec<Outcome> = outcomes.iter().map(|o| o[t]).collect();
    let (within, mean, worst) = accuracy(&of.iter().map(|o| o.regret).collect::<Vec<_>>());
    let expected: Option<Vec<f64>> = of.iter().map(|o| o.regret_expected).collect();
    let expected = expected.filter(|e| !e.is_empty()).map(|e| accuracy(&e));
    Summary {
        runs: of.len(),
        within,
        mean,
        worst,
        within_expected: expected.map(|e| e.0),
        mean_expected: expected.map(|e| e.1),
        worst_expected: expected.map(|e| e.2),
        invocations: of.iter().map(|o| u64::from(o.invocations)).sum(),
        published: of.iter().map(|o| u64::from(o.published)).sum(),
        wall_ms: of.iter().map(|o| o.wall_ms).sum(),
    }
}

/// Every trial on every case, per strategy.
pub fn run_all(cases: &[Case], trials: &[Trial]) -> Vec<(Strategy, Vec<Vec<Outcome>>)> {
    Strategy::ALL
        .into_iter()
        .map(|strategy| {
            (
                strategy,
                cases.iter().map(|c| compare(c, strategy, trials)).collect(),
            )
        })
        .collect()
}
