//! Running both policies on a case and judging their picks on the held-out half: regret,
//! invocations, publishes and wall time, summed into the benchmark's rows.

use powertune_tuner::{
    MemoryMb,
    engine::{Event, RunOptions},
    pricing::{Architecture, Price},
    result::RunResult,
    sampling::{AdaptivePolicy, GridPolicy, SamplingPolicy},
    sim::{Faults, MeasuredProfile},
    stats::trimmed_mean,
    strategy::{Strategy, balanced_score},
};
use serde_json::json;

use crate::cases::{Case, halves, replayed_spec, sizes_of};

pub const TOLERANCE: f64 = 0.02;
const NUM: u32 = 10;

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

/// How one policy did on one case.
#[derive(Clone, Copy)]
pub struct Outcome {
    pub regret: f64,
    pub invocations: u32,
    pub published: u32,
    /// Wall time in ms (virtual).
    pub wall_ms: f64,
}

/// The grid, or adaptive sampling at the benchmark's tolerance.
pub fn policy(strategy: Strategy, adaptive: bool) -> Box<dyn SamplingPolicy> {
    if adaptive {
        Box::new(AdaptivePolicy::new(strategy, 0.5, TOLERANCE, 0.2))
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
    adaptive: bool,
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
    let faults = Faults {
        update_duration: std::time::Duration::from_secs(1),
        time_scale: 1.0,
        ..Faults::default()
    };
    let spec = replayed_spec(case, seen);
    let memory = spec.memory_mb;
    let sim = SimLambda::new(clock.clone(), vec![spec], 1, faults);
    let arn = sim.function_arns()[0].clone();
    let input = powertune_tuner::input::parse_value(&json!({
        "lambdaARN": arn.to_string(), "num": NUM, "powerValues": sizes_of(case),
        "strategy": strategy.as_str()
    }))
    .unwrap()
    .input;
    let journal = MemoryJournal::default();
    let cancel = CancelToken::new();
    let published = std::cell::Cell::new(0);
    let mut policy = policy(strategy, adaptive);
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

/// Both policies on `case` under `strategy`, judged on the held-out half.
pub fn compare(case: &Case, strategy: Strategy) -> (Outcome, Outcome) {
    let (seen, truth) = halves(&case.profile, case.seed);
    let truth = objectives(&truth, case.architecture, strategy);
    let judged = |adaptive| {
        let (result, mut outcome) = run(case, &seen, strategy, adaptive);
        outcome.regret = regret_of(&truth, result.recommended_memory().unwrap().get());
        outcome
    };
    (judged(false), judged(true))
}

/// One row of the benchmark: a set of cases under a strategy.
pub struct Summary {
    pub runs: usize,
    pub within: [usize; 2],
    pub mean: [f64; 2],
    pub worst: [f64; 2],
    pub invocations: [u64; 2],
    pub published: [u64; 2],
    pub wall_ms: [f64; 2],
}

pub fn summarise(outcomes: &[(Outcome, Outcome)]) -> Summary {
    let pick = |o: &(Outcome, Outcome), i: usize| if i == 0 { o.0 } else { o.1 };
    let per = |f: &dyn Fn(&Outcome) -> f64| {
        [0, 1].map(|i| outcomes.iter().map(|o| f(&pick(o, i))).sum::<f64>())
    };
    let within = [0, 1].map(|i| {
        outcomes
            .iter()
            .filter(|o| pick(o, i).regret <= TOLERANCE + 1e-12)
            .count()
    });
    let worst = [0, 1].map(|i| {
        outcomes
            .iter()
            .map(|o| pick(o, i).regret)
            .fold(0.0, f64::max)
    });
    let n = outcomes.len().max(1) as f64;
    Summary {
        runs: outcomes.len(),
        within,
        mean: per(&|o| o.regret).map(|s| s / n),
        worst,
        invocations: per(&|o| f64::from(o.invocations)).map(|s| s as u64),
        published: per(&|o| f64::from(o.published)).map(|s| s as u64),
        wall_ms: per(&|o| o.wall_ms),
    }
}

pub fn run_all(cases: &[Case]) -> Vec<(Strategy, Vec<(Outcome, Outcome)>)> {
    Strategy::ALL
        .into_iter()
        .map(|strategy| {
            (
                strategy,
                cases.iter().map(|c| compare(c, strategy)).collect(),
            )
        })
        .collect()
}
