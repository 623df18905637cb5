//! The replay benchmark of adaptive sampling against the grid, on held-out truth.
//!
//! Each measured profile (the real lambda-benchmark functions, and synthetic ones of every model
//! family) is split at random, per size, into halves A and B. Both policies tune a simulated
//! function that replays half A; each pick is then judged on half B, which neither saw:
//! regret = objective_B(pick) / best objective_B − 1, with the objective of the strategy (cost
//! from the 20 %-trimmed mean of billed ms plus the request charge, duration from the 20 %-trimmed
//! mean, balanced with weight 0.5). `scripts/bench.sh adaptive` prints the full tables; the test
//! here runs a fixed slice and holds adaptive sampling to its targets on it.

mod support;

use powertune_tuner::{
    MemoryMb,
    engine::{Event, RunOptions},
    input::TuningInput,
    pricing::{Architecture, Price},
    result::RunResult,
    sampling::{AdaptivePolicy, GridPolicy, SamplingPolicy},
    sim::{
        Faults, FunctionModel, MeasuredProfile, SimFunctionSpec, lambda_benchmark,
        synthetic_profiles,
    },
    stats::trimmed_mean,
    strategy::{Strategy, balanced_score},
};
use serde_json::json;
use support::World;

const DATA: &str = include_str!("../../../data/lambda-benchmark/lambda-benchmark-s3-writer.json");
const TOLERANCE: f64 = 0.02;
const NUM: u32 = 10;

/// One profile to replay.
#[derive(Clone)]
struct Case {
    name: String,
    set: &'static str,
    architecture: Architecture,
    profile: MeasuredProfile,
    seed: u64,
}

fn real_cases(seeds: u64) -> Vec<Case> {
    let functions = lambda_benchmark(DATA, "us-east-1").unwrap();
    (0..seeds)
        .flat_map(|seed| {
            functions.iter().map(move |f| Case {
                name: f.spec.name.clone(),
                set: "lambda-benchmark",
                architecture: f.spec.architecture,
                profile: f.spec.measured.clone().unwrap(),
                seed,
            })
        })
        .collect()
}

fn synthetic_cases(count: usize) -> Vec<Case> {
    synthetic_profiles(count, 2026)
        .into_iter()
        .enumerate()
        .map(|(i, p)| Case {
            name: p.name,
            set: p.family,
            architecture: if i % 2 == 0 {
                Architecture::X86_64
            } else {
                Architecture::Arm64
            },
            profile: p.profile,
            seed: i as u64,
        })
        .collect()
}

/// Each size's samples shuffled with `seed` and cut in two: what the tuner sees, and the truth.
fn halves(profile: &MeasuredProfile, seed: u64) -> (MeasuredProfile, MeasuredProfile) {
    let mut rng = fastrand::Rng::with_seed(seed ^ 0x5eed_cafe);
    let (mut seen, mut truth) = (MeasuredProfile::new(), MeasuredProfile::new());
    for (&memory, samples) in profile {
        let mut samples = samples.clone();
        rng.shuffle(&mut samples);
        let cut = samples.len() / 2;
        truth.insert(memory, samples.split_off(cut));
        seen.insert(memory, samples);
    }
    (seen, truth)
}

/// The strategy's objective of every size on `truth` (lower is better).
fn objectives(
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
struct Outcome {
    regret: f64,
    invocations: u32,
    published: u32,
    /// Wall time in ms (virtual), when timed.
    wall_ms: f64,
}

/// The grid, or adaptive sampling at the benchmark's tolerance.
fn policy(strategy: Strategy, adaptive: bool) -> Box<dyn SamplingPolicy> {
    if adaptive {
        Box::new(AdaptivePolicy::new(strategy, 0.5, TOLERANCE, 0.2))
    } else {
        Box::new(GridPolicy::default())
    }
}

/// A simulated function replaying `seen`.
fn replayed_spec(case: &Case, seen: &MeasuredProfile) -> SimFunctionSpec {
    SimFunctionSpec {
        name: "replayed".into(),
        region: "us-east-1".into(),
        memory_mb: 1024,
        description: String::new(),
        architecture: case.architecture,
        log_format: powertune_tuner::api::LogFormat::Text,
        timeout_s: 900,
        runtime: "replay".into(),
        model: FunctionModel::replayed(),
        measured: Some(seen.clone()),
        platform: Default::default(),
    }
}

/// The sizes a case is tuned over: the measured ones of a real function, `"ALL"` otherwise.
fn sizes_of(case: &Case) -> Vec<u32> {
    if case.set == "lambda-benchmark" {
        case.profile.keys().copied().collect()
    } else {
        powertune_tuner::memory::all_power_values()
            .iter()
            .map(|m| m.get())
            .collect()
    }
}

fn tune(
    case: &Case,
    seen: &MeasuredProfile,
    strategy: Strategy,
    adaptive: bool,
) -> (RunResult, Outcome) {
    let world = World::new(Faults::default());
    world.sim.add_function(replayed_spec(case, seen));
    let input: TuningInput = world.input(
        "replayed",
        json!({"num": NUM, "powerValues": sizes_of(case), "strategy": strategy.as_str()}),
    );
    let mut policy = policy(strategy, adaptive);
    let report = world
        .run_policy(&input, &RunOptions::default(), |_| false, policy.as_mut())
        .unwrap_or_else(|e| panic!("{} {strategy}: {}", case.name, e.error));
    world.assert_clean("replayed", 1024);
    let published = world.count(|e| matches!(e, Event::Published { .. })) as u32;
    let result = report.result.unwrap();
    let outcome = Outcome {
        regret: 0.0,
        invocations: report.invocations,
        published,
        wall_ms: 0.0,
    };
    (result, outcome)
}

/// The wall time in ms of one run on `seen`, as it would be against Lambda with 1 s
/// configuration updates and the measured durations in real time (virtual time: nothing waits).
fn wall_ms(case: &Case, seen: &MeasuredProfile, strategy: Strategy, adaptive: bool) -> f64 {
    use powertune_tuner::{
        cancel::CancelToken,
        engine::{self, Hooks},
        journal::MemoryJournal,
        sim::SimLambda,
    };
    use support::virtual_time::{VirtualClock, run};
    let clock = VirtualClock::default();
    let faults = Faults {
        update_duration: std::time::Duration::from_secs(1),
        time_scale: 1.0,
        ..Faults::default()
    };
    let sim = SimLambda::new(clock.clone(), vec![replayed_spec(case, seen)], 1, faults);
    let arn = sim.function_arns()[0].to_string();
    let input = powertune_tuner::input::parse_value(&json!({
        "lambdaARN": arn, "num": NUM, "powerValues": sizes_of(case), "strategy": strategy.as_str()
    }))
    .unwrap()
    .input;
    let journal = MemoryJournal::default();
    let cancel = CancelToken::new();
    let mut policy = policy(strategy, adaptive);
    let report = run(
        &clock,
        engine::run_with_policy(
            &sim,
            &clock,
            &journal,
            &input,
            None,
            &RunOptions::default(),
            Hooks {
                on_event: &|_| {},
                cancel: &cancel,
            },
            policy.as_mut(),
        ),
    )
    .unwrap_or_else(|e| panic!("{} {strategy}: {}", case.name, e.error));
    report.elapsed_ms
}

/// How much worse `pick` is than the best size by `truth` (infinite when `truth` has no such
/// size).
fn regret_of(truth: &[(u32, f64)], pick: u32) -> f64 {
    let best = truth.iter().map(|t| t.1).fold(f64::INFINITY, f64::min);
    let value = truth
        .iter()
        .find(|t| t.0 == pick)
        .map_or(f64::INFINITY, |t| t.1);
    value / best - 1.0
}

/// The number in the environment variable `name`, or `default`.
fn env_number<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// Both policies on `case` under `strategy`, judged on the held-out half.
fn compare(case: &Case, strategy: Strategy) -> (Outcome, Outcome) {
    let (seen, truth) = halves(&case.profile, case.seed);
    let truth = objectives(&truth, case.architecture, strategy);
    let regret = |result: &RunResult| regret_of(&truth, result.recommended_memory().unwrap().get());
    let (grid_result, mut grid) = tune(case, &seen, strategy, false);
    let (adaptive_result, mut adaptive) = tune(case, &seen, strategy, true);
    grid.regret = regret(&grid_result);
    adaptive.regret = regret(&adaptive_result);
    if TIMED.with(std::cell::Cell::get) {
        grid.wall_ms = wall_ms(case, &seen, strategy, false);
        adaptive.wall_ms = wall_ms(case, &seen, strategy, true);
    }
    (grid, adaptive)
}

thread_local! {
    /// Whether [`compare`] also times both runs (the benchmark does; the test need not).
    static TIMED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// One row of the benchmark: a set of cases under a strategy.
struct Summary {
    runs: usize,
    within: [usize; 2],
    mean: [f64; 2],
    worst: [f64; 2],
    invocations: [u64; 2],
    published: [u64; 2],
    wall_ms: [f64; 2],
}

fn summarise(outcomes: &[(Outcome, Outcome)]) -> Summary {
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

fn run_all(cases: &[Case]) -> Vec<(Strategy, Vec<(Outcome, Outcome)>)> {
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

#[test]
fn adaptive_sampling_meets_its_targets_on_held_out_truth() {
    // A fixed slice: the real functions with one split, and 24 synthetic functions (four of each
    // family). The full benchmark runs more of both.
    let mut cases = real_cases(1);
    cases.extend(synthetic_cases(24));
    for (strategy, outcomes) in run_all(&cases) {
        let s = summarise(&outcomes);
        // As accurate as the grid on the same truth (a few more misses at most, the mean
        // regret within 1.5 points), for a third of its invocations and half its publishes.
        // (Both see the same samples at every size, so the comparison is paired.)
        assert!(
            s.within[1] + s.runs / 8 >= s.within[0],
            "{strategy}: {} of {} adaptive picks within {TOLERANCE} of held-out truth, the grid's {}",
            s.within[1],
            s.runs,
            s.within[0]
        );
        assert!(
            s.mean[1] <= s.mean[0] + 0.015,
            "{strategy}: mean regret {:.3} against the grid's {:.3}",
            s.mean[1],
            s.mean[0]
        );
        assert!(
            s.invocations[1] * 3 <= s.invocations[0],
            "{strategy}: {} invocations against the grid's {}",
            s.invocations[1],
            s.invocations[0]
        );
        assert!(
            s.published[1] * 2 <= s.published[0],
            "{strategy}: {} publishes against the grid's {}",
            s.published[1],
            s.published[0]
        );
    }
}

/// `scripts/bench.sh adaptive`: the full benchmark's table.
#[test]
#[ignore = "a benchmark: scripts/bench.sh adaptive prints its table"]
fn replay_benchmark() {
    let seeds: u64 = env_number("REPLAY_SEEDS", 10);
    TIMED.with(|t| t.set(std::env::var("REPLAY_UNTIMED").is_err()));
    let synthetic: usize = env_number("REPLAY_SYNTHETIC", 240);
    let sets: [(&str, Vec<Case>); 2] = [
        (
            "lambda-benchmark (8 functions × {seeds} splits)",
            real_cases(seeds),
        ),
        (
            "synthetic ({synthetic} functions, 46 sizes × 100 calls)",
            synthetic_cases(synthetic),
        ),
    ];
    println!(
        "| profiles | strategy | runs | regret ≤ 2 %: grid / adaptive | mean regret: grid / adaptive | worst regret: grid / adaptive | invocations: grid / adaptive | publishes: grid / adaptive | wall time per run: grid / adaptive |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for (label, cases) in sets {
        let label = label
            .replace("{seeds}", &seeds.to_string())
            .replace("{synthetic}", &synthetic.to_string());
        for (strategy, outcomes) in run_all(&cases) {
            let s = summarise(&outcomes);
            let pct = |x: f64| format!("{:.1} %", x * 100.0);
            println!(
                "| {label} | {strategy} | {} | {} / {} | {} / {} | {} / {} | {} / {} ({:.0} %) | {} / {} ({:.0} %) | {:.0} s / {:.0} s ({:.0} %) |",
                s.runs,
                pct(s.within[0] as f64 / s.runs as f64),
                pct(s.within[1] as f64 / s.runs as f64),
                pct(s.mean[0]),
                pct(s.mean[1]),
                pct(s.worst[0]),
                pct(s.worst[1]),
                s.invocations[0],
                s.invocations[1],
                100.0 * s.invocations[1] as f64 / s.invocations[0] as f64,
                s.published[0],
                s.published[1],
                100.0 * s.published[1] as f64 / s.published[0] as f64,
                s.wall_ms[0] / 1000.0 / s.runs as f64,
                s.wall_ms[1] / 1000.0 / s.runs as f64,
                100.0 * s.wall_ms[1] / s.wall_ms[0],
            );
        }
    }
}

#[test]
fn a_size_held_back_does_not_resume_after_the_race_has_had_its_time() {
    // Under cost, 128 MB (the slowest) was held at five calls and waited for 192 MB, which had
    // joined the race late; a slow call of 192 MB then raised the estimate of the grid's time,
    // and 128 MB resumed as if its wait had taken no time: the run outlasted the grid's. (The
    // clock is virtual: the wall time is computed, not measured.)
    let (grid, adaptive) = cost_wall_times("heavy-tailed-46");
    assert!(
        adaptive <= grid,
        "adaptive {adaptive:.0} s against the grid's {grid:.0} s"
    );
}

#[test]
fn a_size_that_joins_the_race_late_gets_no_calls_past_its_time() {
    // Under cost, 192 MB took the lead at the race's deadline; 128 and 256 MB, its neighbours,
    // joined the race then, and 128 MB (the slowest, five minutes a call) got the two calls that
    // every survivor was owed whatever the time: the run took 78 % of the grid's time. Only the
    // sizes the result rests on are owed them now. (Virtual time: computed, not measured.)
    let (grid, adaptive) = cost_wall_times("bimodal-53");
    assert!(
        adaptive <= 0.6 * grid,
        "adaptive {adaptive:.0} s against the grid's {grid:.0} s"
    );
}

/// The wall times in seconds of the grid's and the adaptive cost run of one synthetic
/// function (named `<family>-<index>`), on its half A.
fn cost_wall_times(name: &str) -> (f64, f64) {
    let index: usize = name.rsplit('-').next().unwrap().parse().unwrap();
    let case = synthetic_cases(index + 1)
        .into_iter()
        .find(|c| c.name == name)
        .unwrap();
    let (seen, _) = halves(&case.profile, case.seed);
    let seconds = |adaptive| wall_ms(&case, &seen, Strategy::Cost, adaptive) / 1000.0;
    (seconds(false), seconds(true))
}

#[test]
fn virtual_time_overlaps_concurrent_waits() {
    use powertune_tuner::clock::Clock;
    use support::virtual_time::{VirtualClock, run};
    let clock = VirtualClock::default();
    let second = std::time::Duration::from_secs(1);
    run(&clock, async {
        futures::join!(clock.sleep(second), clock.sleep(second), async {
            clock.sleep(second).await;
            clock.sleep(second).await;
        });
    });
    assert_eq!(
        clock.now_ms(),
        2000.0,
        "two waits side by side take one second, not two"
    );
}

/// `scripts/bench.sh adaptive`: how often any policy could pick within 2 % of held-out truth if
/// it measured every size with every call of half A (50 per size for the synthetic functions,
/// five times the grid's ten): the pick is the best by half A's own trimmed means.
#[test]
#[ignore = "a benchmark: scripts/bench.sh adaptive prints its table"]
fn regret_ceiling() {
    let synthetic: usize = env_number("REPLAY_SYNTHETIC", 240);
    let sets = [
        ("lambda-benchmark (8 functions × 10 splits)", real_cases(10)),
        (
            &*format!("synthetic ({synthetic} functions)"),
            synthetic_cases(synthetic),
        ),
    ];
    println!("| profiles | strategy | runs | regret ≤ 2 % with every seen call of every size |");
    println!("|---|---|---:|---:|");
    for (label, cases) in sets {
        for strategy in Strategy::ALL {
            let within = cases
                .iter()
                .filter(|case| {
                    let (seen, truth) = halves(&case.profile, case.seed);
                    let seen = objectives(&seen, case.architecture, strategy);
                    let truth = objectives(&truth, case.architecture, strategy);
                    let pick = seen.iter().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap().0;
                    regret_of(&truth, pick) <= TOLERANCE + 1e-12
                })
                .count();
            println!(
                "| {label} | {strategy} | {} | {:.1} % |",
                cases.len(),
                100.0 * within as f64 / cases.len() as f64
            );
        }
    }
}
