//! The adaptive policy's decisions, driven by hand: what it screens and what it races, given
//! measurements chosen to test one rule each (no engine, no simulation).

use powertune_tuner::{
    fixtures::{size_view, warm_sample},
    memory::all_power_values,
    pricing::{Architecture, Price},
    sampling::{
        AdaptiveConfig, AdaptivePolicy, Decision, Progress, Role, SamplingPolicy, SizeNote,
        SizeView, StopReason,
    },
    stats::Sample,
    strategy::Strategy,
};

/// A view of every size, none failed.
/// The default settings, judging `strategy`.
fn config(strategy: Strategy) -> AdaptiveConfig {
    AdaptiveConfig {
        strategy,
        ..AdaptiveConfig::default()
    }
}

fn views<'a>(sizes: &[u32], samples: &'a [Vec<Sample>]) -> Vec<SizeView<'a>> {
    sizes
        .iter()
        .zip(samples)
        .map(|(&m, s)| size_view(m, s, false))
        .collect()
}

fn progress<'a>(views: &'a [SizeView<'a>]) -> Progress<'a> {
    Progress {
        sizes: views,
        max_per_size: 10,
        price: Price::for_function("us-east-1", Architecture::X86_64),
        ephemeral_mb: 512,
    }
}

#[test]
fn the_screening_ladder_has_a_rung_at_one_full_vcpu() {
    let sizes: Vec<u32> = all_power_values().iter().map(|m| m.get()).collect();
    assert_eq!(
        ladder_of(&sizes),
        [128, 256, 640, 1344, 1792, 3008],
        "five rungs evenly spaced in log memory, and the size nearest 1,769 MB"
    );

    // A range with a rung near the knee already, or that does not span it, gets none added.
    let below_the_knee: Vec<u32> = (2..=16).map(|i| i * 64).collect();
    assert_eq!(ladder_of(&below_the_knee).len(), 5);
    // 128 to 2,048 MB in steps of 128: the top rung, 2,048 MB, is within 20 % of the knee.
    let to_2048: Vec<u32> = (1..=16).map(|i| i * 128).collect();
    assert_eq!(ladder_of(&to_2048), [128, 256, 512, 1024, 2048]);
}

/// The sizes a fresh policy screens first over `sizes`.
fn ladder_of(sizes: &[u32]) -> Vec<u32> {
    let none = vec![Vec::new(); sizes.len()];
    let untouched = views(sizes, &none);
    let mut policy = AdaptivePolicy::new(config(Strategy::Balanced));
    policy
        .decide(&progress(&untouched))
        .requests
        .iter()
        .map(|r| r.memory.get())
        .collect()
}

#[test]
fn the_size_the_result_would_recommend_is_raced_even_when_its_screen_looked_worse() {
    // Five sizes, all on the ladder, three calls each. The policy judges a screen by its median
    // (one call dropped at each end), the result by the original's mean (five calls or fewer
    // trim nothing). 128 MB's median is the cheapest by far, so it leads and its neighbour races;
    // 1024 MB's screen looks 140 % dearer by median and is out of the shortlist's margin. But one
    // slow call makes 128 MB's mean the dearer, and by the result's numbers 1024 MB is the
    // cheapest of all: the recommendation must not rest on three calls nobody raced.
    let sizes = [128, 256, 512, 1024, 2048];
    let calls = |ms: [f64; 3]| ms.map(|m| warm_sample(m, m)).to_vec();
    let samples = [
        calls([1000.0, 1000.0, 10000.0]),
        calls([2000.0, 2000.0, 2000.0]),
        calls([1000.0, 1000.0, 1000.0]),
        calls([300.0, 300.0, 300.0]),
        calls([400.0, 400.0, 400.0]),
    ];
    let mut policy = AdaptivePolicy::new(config(Strategy::Cost));
    let none = vec![Vec::new(); sizes.len()];
    let untouched = views(&sizes, &none);
    policy.decide(&progress(&untouched));
    let screened = views(&sizes, &samples);
    let decision = policy.decide(&progress(&screened));

    let role = |m: u32| policy.roles()[sizes.iter().position(|&s| s == m).unwrap()];
    assert_eq!(
        role(128),
        Role::Racing,
        "the cheapest by the policy's median"
    );
    assert_eq!(role(1024), Role::Racing, "the result's pick joins the race");
    let note = decision
        .notes
        .iter()
        .rfind(|n| n.memory.get() == 1024)
        .expect("a note on 1024 MB");
    assert_eq!(note.role, Role::Racing);
    assert!(
        note.why.contains("the result would recommend it"),
        "{}",
        note.why
    );
    assert!(
        decision.requests.iter().any(|r| r.memory.get() == 1024),
        "1024 MB gets more calls: {:?}",
        decision.requests
    );
    assert_eq!(role(2048), Role::Screened, "the dearest stays out");
}

/// A loud function's calls: ±30 % of their size's duration, in a fixed pattern.
const LOUD: [f64; 5] = [0.7, 1.3, 1.0, 1.2, 0.8];

/// Runs `policy` to its end on a function whose size `sizes[k]` takes `base_ms[k]` per call,
/// varied by the fixed pattern `noise` (shares of it, one call after another); every requested
/// call finishes before the next decision. Returns each size's calls, and the notes on the way.
fn drive(
    policy: &mut AdaptivePolicy,
    sizes: &[u32],
    base_ms: &[f64],
    noise: &[f64],
) -> (Vec<usize>, Vec<SizeNote>) {
    let mut samples = vec![Vec::new(); sizes.len()];
    let mut notes = Vec::new();
    for _ in 0..100 {
        let decision = policy.decide(&progress(&views(sizes, &samples)));
        notes.extend(decision.notes);
        if policy.stop_reason().is_some() {
            return (samples.iter().map(Vec::len).collect(), notes);
        }
        for request in decision.requests {
            let k = sizes
                .iter()
                .position(|&m| m == request.memory.get())
                .unwrap();
            for _ in 0..request.invocations {
                let ms = base_ms[k] * noise[samples[k].len() % noise.len()];
                samples[k].push(warm_sample(ms, ms));
            }
        }
    }
    panic!("the policy did not stop in 100 decisions");
}

#[test]
fn a_slow_cheapest_size_does_not_keep_the_race_as_long_as_the_grid() {
    // Cost per call is about flat (a CPU-bound function): each doubling of memory halves the
    // duration, and costs a little more; the noise keeps the race from separating the sizes.
    // 128 MB, the cheapest, takes a minute a call: the grid's run lasts its ten calls.
    let sizes = [128, 256, 512, 1024, 2048];
    let slow = [60_000.0, 31_500.0, 16_500.0, 8_600.0, 4_500.0];
    let mut policy = AdaptivePolicy::new(config(Strategy::Cost));
    let (calls, notes) = drive(&mut policy, &sizes, &slow, &LOUD);
    assert_eq!(
        policy.stop_reason(),
        Some(StopReason::TimeSpent),
        "{calls:?}"
    );
    assert!(
        calls[0] >= 5 && calls[0] as f64 <= AdaptiveConfig::default().time_share * 10.0,
        "128 MB gets the race's minimum and no more than its time allows: {calls:?}"
    );
    let why = notes
        .iter()
        .rfind(|n| n.memory.get() == 128)
        .map(|n| n.why.as_str());
    assert_eq!(
        why,
        Some(
            format!(
                "held at {} calls: more would end after {:.0} % of the grid's time",
                calls[0],
                AdaptiveConfig::default().time_share * 100.0
            )
            .as_str()
        ),
        "progress says why 128 MB stopped"
    );

    // The same function a thousand times faster: ten calls of its slowest size take less time
    // than the grid's five configuration updates, so the calls are not what the run waits for.
    let fast = slow.map(|ms| ms / 1000.0);
    let mut policy = AdaptivePolicy::new(config(Strategy::Cost));
    let (calls, _) = drive(&mut policy, &sizes, &fast, &LOUD);
    assert_eq!(
        policy.stop_reason(),
        Some(StopReason::BudgetSpent),
        "{calls:?}"
    );
    assert_eq!(calls[0], 10, "{calls:?}");
}

#[test]
fn no_verdict_comes_next_to_a_size_nobody_tried() {
    // A quiet function with a working set of 512 MB: below it garbage collection slows every
    // call (448 MB costs 14 % more); above it a call is 40,000 / m ms of CPU and 5 ms of I/O,
    // so the cost rises slowly. The cheapest size is the knee, which neither model family
    // fits: the race starts well above it and walks down, and would certify 576 MB while more
    // than three sizes race (so no finalist's neighbours have joined), 512 MB never tried.
    let sizes: Vec<u32> = all_power_values().iter().map(|m| m.get()).collect();
    let base_ms: Vec<f64> = sizes
        .iter()
        .map(|&m| {
            let m = f64::from(m);
            (40_000.0 / m + 5.0) * (512.0 / m).max(1.0)
        })
        .collect();
    let quiet = [1.0, 1.005, 0.995, 1.003, 0.997];
    let mut policy = AdaptivePolicy::new(config(Strategy::Cost));
    let (calls, notes) = drive(&mut policy, &sizes, &base_ms, &quiet);
    let at = |m: u32| calls[sizes.iter().position(|&s| s == m).unwrap()];
    assert!(
        matches!(
            policy.stop_reason(),
            Some(StopReason::WithinTolerance | StopReason::Separated)
        ),
        "a verdict, not the time or the budget: {:?}",
        policy.stop_reason()
    );
    // Whichever of the three the race picks, the sizes beside it were tried.
    let measured: Vec<(u32, usize)> = sizes.iter().copied().zip(calls.iter().copied()).collect();
    assert!(
        at(448) > 0 && at(512) > 0 && at(576) > 0,
        "the knee and the sizes beside it are measured: {measured:?}\n{notes:#?}"
    );
}

#[test]
fn the_balanced_yardsticks_are_the_sizes_that_hold_the_results_maxima() {
    // The result divides every balanced score by the largest average cost and duration, and
    // its average of three calls trims nothing: 256 MB's one slow call makes it the largest by
    // the result's numbers (a mean of 1,600 ms), though by the policy's median (400 ms) 128 MB
    // is. 256 MB is out of the race, and it must get the calls that firm up the yardstick.
    let sizes = [128, 256, 512, 1024, 2048];
    let calls = |ms: [f64; 3]| ms.map(|m| warm_sample(m, m)).to_vec();
    let samples = [
        calls([1000.0, 1000.0, 1000.0]),
        calls([400.0, 400.0, 4000.0]),
        calls([200.0, 200.0, 200.0]),
        calls([60.0, 60.0, 60.0]),
        calls([50.0, 50.0, 50.0]),
    ];
    let mut policy = AdaptivePolicy::new(config(Strategy::Balanced));
    let none = vec![Vec::new(); sizes.len()];
    policy.decide(&progress(&views(&sizes, &none)));
    let decision = policy.decide(&progress(&views(&sizes, &samples)));
    let role = |m: u32| policy.roles()[sizes.iter().position(|&s| s == m).unwrap()];
    assert_ne!(role(256), Role::Racing, "256 MB is not a contender");
    let asked: Vec<(u32, u32)> = decision
        .requests
        .iter()
        .map(|r| (r.memory.get(), r.invocations))
        .collect();
    assert!(
        asked.contains(&(256, 2)),
        "256 MB gets two calls, to five: {asked:?}"
    );
}

/// Every size below this runs out of memory in [`drive_memory_hungry`].
const WORKS_FROM_MB: u32 = 1900;

/// What [`drive_memory_hungry`] saw.
struct Driven {
    /// Every decision, in order (the last one the run's end).
    decisions: Vec<Decision>,
    /// Each size's samples at the end, in `all_power_values` order.
    samples: Vec<Vec<Sample>>,
    /// The sizes asked for that ran out of memory, in order.
    failures_tried: Vec<u32>,
}

/// Runs `policy` over all 46 sizes of a memory-hungry function: every size below
/// [`WORKS_FROM_MB`] runs out of memory, those above take about 4 s a call, flat; each
/// decision's calls end before the next decision, but those of size `running` after its first
/// (a slow size's screen), which never end.
fn drive_memory_hungry(policy: &mut AdaptivePolicy, running: Option<u32>) -> Driven {
    let sizes: Vec<u32> = all_power_values().iter().map(|m| m.get()).collect();
    let mut samples = vec![Vec::new(); sizes.len()];
    let mut requested = vec![0; sizes.len()];
    let mut failed = vec![false; sizes.len()];
    let mut decisions = Vec::new();
    let mut failures_tried = Vec::new();
    for _ in 0..100 {
        let views: Vec<SizeView<'_>> = sizes
            .iter()
            .zip(&samples)
            .zip(failed.iter().zip(&requested))
            .map(|((&m, s), (&f, &r))| SizeView {
                requested: r,
                in_flight: if f { 0 } else { r - s.len() as u32 },
                ..size_view(m, s, f)
            })
            .collect();
        let decision = policy.decide(&progress(&views));
        for request in &decision.requests {
            let m = request.memory.get();
            let k = sizes.iter().position(|&s| s == m).unwrap();
            requested[k] += request.invocations;
            if running == Some(m) && !samples[k].is_empty() {
                // Still running.
            } else if m >= WORKS_FROM_MB {
                let n = samples[k].len();
                samples[k].extend((n..n + request.invocations as usize).map(|i| {
                    let ms = 4000.0 + [0.0, 80.0, -60.0, 40.0, -20.0][i % 5];
                    warm_sample(ms, ms)
                }));
            } else {
                failed[k] = true;
                failures_tried.push(m);
            }
        }
        decisions.push(decision);
        if policy.stop_reason().is_some() {
            break;
        }
    }
    Driven {
        decisions,
        samples,
        failures_tried,
    }
}

/// The sizes a decision's notes name with a reason that contains `why`.
fn noted(decision: &Decision, why: &str) -> Vec<u32> {
    decision
        .notes
        .iter()
        .filter(|n| n.why.contains(why))
        .map(|n| n.memory.get())
        .collect()
}

const PROBE: &str = "where the function starts to work";

#[test]
fn sizes_below_a_failed_one_are_not_raced_on_the_models_word() {
    // A memory-hungry function: every size below 1,900 MB runs out of memory, and the duration
    // is flat above, so the cheapest size is the smallest that works. The duration curve, fitted
    // to the sizes that work, predicts the small sizes cheaper still; trying them would cost a
    // publish each and find only failures.
    let mut policy = AdaptivePolicy::new(config(Strategy::Cost));
    let run = drive_memory_hungry(&mut policy, None);
    assert!(policy.stop_reason().is_some(), "the run ends");
    let on_a_ladder: Vec<u32> = run
        .decisions
        .iter()
        .flat_map(|d| noted(d, "ladder"))
        .collect();
    let probes: Vec<u32> = run.decisions.iter().flat_map(|d| noted(d, PROBE)).collect();
    // Below the sizes that work, only ladder rungs and the probes that halve the gap between
    // the largest failure and the smallest success (at most log2 of its sizes, plus one).
    assert!(
        run.failures_tried
            .iter()
            .all(|m| on_a_ladder.contains(m) || probes.contains(m)),
        "only ladder rungs and gap probes are tried below the sizes that work: {:?}",
        run.failures_tried
    );
    assert!(probes.len() <= 5, "{probes:?}");
    let cheapest_working = all_power_values()
        .iter()
        .position(|m| m.get() >= WORKS_FROM_MB)
        .unwrap();
    assert!(
        !run.samples[cheapest_working].is_empty(),
        "the smallest size that works is measured: {:?}",
        run.samples.iter().map(Vec::len).collect::<Vec<_>>()
    );
}

#[test]
fn a_gap_probe_is_one_call_and_one_that_works_finishes_its_screen_beside_the_next() {
    // Every size below 1,900 MB runs out of memory. The ladder leaves a gap between 1,792 MB
    // (failed) and 3,008 MB, halved by probes one after another. One call says whether a size
    // works; waiting for all three of a working probe's calls before the next probe held every
    // probe after it (and the race) back by two calls each.
    let mut policy = AdaptivePolicy::new(config(Strategy::Cost));
    let run = drive_memory_hungry(&mut policy, None);
    let asked = |d: &Decision| -> Vec<(u32, u32)> {
        d.requests
            .iter()
            .map(|r| (r.memory.get(), r.invocations))
            .collect()
    };
    let probed: Vec<u32> = run.decisions.iter().flat_map(|d| noted(d, PROBE)).collect();
    assert_eq!(probed, [2368, 2048, 1920, 1856]);
    for decision in &run.decisions {
        for probe in noted(decision, PROBE) {
            assert!(
                asked(decision).contains(&(probe, 1)),
                "{probe} MB: {:?}",
                asked(decision)
            );
        }
    }
    for (earlier, next) in [(2368, 2048), (2048, 1920), (1920, 1856)] {
        assert!(
            run.decisions.iter().any(|d| {
                let asked = asked(d);
                asked.contains(&(earlier, 2)) && asked.contains(&(next, 1))
            }),
            "{earlier} MB's last two calls are asked for with the probe of {next} MB: {:?}",
            run.decisions.iter().map(asked).collect::<Vec<_>>()
        );
    }
}

#[test]
fn the_race_does_not_wait_for_the_smallest_size_that_works() {
    // The failure gap's probes find where the function starts to work, 1,920 MB, the slowest
    // size that works; the rest of its screen is still running when the gap closes. The race
    // does not wait for it, as it does not for the ladder's smallest rung: it held the sizes
    // that race idle for as long as the slowest calls took (a third of the race's time on a
    // memory-hungry function, whose sizes then raced on three calls each).
    let mut policy = AdaptivePolicy::new(config(Strategy::Cost));
    let run = drive_memory_hungry(&mut policy, Some(1920));
    let raced: Vec<u32> = run
        .decisions
        .iter()
        .flat_map(|d| &d.notes)
        .filter(|n| n.role == Role::Racing)
        .map(|n| n.memory.get())
        .collect();
    assert!(
        !raced.is_empty(),
        "the race begins beside 1,920 MB's screen"
    );
}

#[test]
fn the_race_waits_for_the_largest_rung_but_not_for_the_smallest() {
    // Every ladder size screened but one. When calls end in the order they were asked for (a
    // replayed profile, `lambda-emulator --time-scale 0`), 3,008 MB can be the last to report:
    // a curve without it extrapolates over every size above 1,792 MB, and the shortlist then
    // raced sizes far from the best and missed the flat bottom below 1,769 MB. Without the
    // smallest, the curve only loses the slowest end, where no optimum lies.
    let sizes: Vec<u32> = all_power_values().iter().map(|m| m.get()).collect();
    let ladder = [128, 256, 640, 1344, 1792, 3008];
    // Single-threaded work: 1/m below one vCPU, flat above.
    let ms = |m: u32| 40.0 + 900.0 * (1769.0 / f64::from(m)).max(1.0);
    let screened: Vec<Vec<Sample>> = sizes
        .iter()
        .map(|&m| {
            if ladder.contains(&m) {
                vec![warm_sample(ms(m), ms(m)); 3]
            } else {
                Vec::new()
            }
        })
        .collect();
    let none = vec![Vec::new(); sizes.len()];
    for (waiting, race_starts) in [(3008, false), (128, true)] {
        let mut policy = AdaptivePolicy::new(config(Strategy::Cost));
        policy.decide(&progress(&views(&sizes, &none)));
        let mut all = views(&sizes, &screened);
        let busy = sizes.iter().position(|&m| m == waiting).unwrap();
        all[busy].samples = &[];
        all[busy].requested = 3;
        all[busy].in_flight = 3;
        let decision = policy.decide(&progress(&all));
        let raced = decision.notes.iter().any(|n| n.role == Role::Racing);
        assert_eq!(
            raced, race_starts,
            "{waiting} MB still screening: {:?}",
            decision.notes
        );
        assert_eq!(!decision.requests.is_empty(), race_starts);
    }
}
