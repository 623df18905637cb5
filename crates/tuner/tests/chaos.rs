//! Chaos runs of the engine: for each seed, a random tuning input and a random fault schedule
//! on the simulation, possibly a cancel at a random event and a crash at a random step (the
//! run's future dropped mid-flight, then "a new process" cleans up from the journal alone, and
//! may crash again). One invariant per seed, checked after everything:
//!
//! - nothing the run created remains, and what it did not create (a `live` alias on a version
//!   published before the run) is untouched;
//! - `$LATEST` memory and description are as before, unless auto-optimize succeeded, in which case
//!   the memory is the optimum's;
//! - the run ended with a result or with an error that says something, and nothing panicked;
//! - when credentials expired, the journal still lists what is left, and a cleanup with fresh
//!   credentials removes it.
//!
//! `scripts/chaos.sh [SEEDS]` runs many seeds (`CHAOS_SEEDS`, `CHAOS_FIRST`); the test here runs
//! a fixed slice. A failing seed prints the command that replays it alone.

use std::{
    future::Future,
    panic::{AssertUnwindSafe, catch_unwind},
    pin::pin,
    task::{Context, Poll},
    time::Duration,
};

use crate::support::World;
use futures::{executor::block_on, task::noop_waker};
use powertune_tuner::{
    api::{FunctionCode, LambdaApi, Package},
    engine::{self, Event, RunOptions},
    journal::Journal,
    memory::all_power_values,
    sim::Faults,
};
use serde_json::{Value, json};

const FUNCTIONS: [&str; 4] = [
    "image-resizer",
    "api-handler",
    "pdf-renderer",
    "ml-inference",
];

/// What one seed drew, for the failure message.
#[derive(Debug)]
struct Plan {
    function: &'static str,
    input: Value,
    faults: Faults,
    cancel_at_event: Option<usize>,
    crash_after_polls: Option<usize>,
    cleanup_crash_after_polls: Option<usize>,
    /// Both architectures, through a temporary copy (never with autoOptimize).
    compare: bool,
}

fn draw(seed: u64) -> Plan {
    let mut rng = fastrand::Rng::with_seed(seed);
    let function = FUNCTIONS[rng.usize(..FUNCTIONS.len())];
    let all = all_power_values();
    let mut sizes: Vec<u32> = (0..rng.usize(1..=6))
        .map(|_| all[rng.usize(..all.len())].get())
        .collect();
    sizes.sort_unstable();
    sizes.dedup();
    let cold = rng.f64() < 0.15;
    let strategy = ["cost", "speed", "balanced"][rng.usize(..3)];
    let mut input = json!({
        "num": rng.u32(5..=10),
        "powerValues": sizes,
        "strategy": strategy,
        "parallelInvocation": rng.bool(),
        "onlyColdStarts": cold,
    });
    if !cold && rng.f64() < 0.4 {
        input["sampling"] = "adaptive".into();
    }
    if rng.f64() < 0.2 {
        input["payload"] =
            json!([{"payload": {"a": 1}, "weight": 1}, {"payload": {"b": 2}, "weight": 2}]);
    }
    if rng.f64() < 0.25 {
        input["autoOptimize"] = true.into();
        if rng.bool() {
            input["autoOptimizeAlias"] = "live".into();
        }
    }
    let chance = |rng: &mut fastrand::Rng, p: f64| rng.f64() < p;
    let faults = Faults {
        throttle_rate: if chance(&mut rng, 0.3) {
            rng.f64() * 0.3
        } else {
            0.0
        },
        server_error_rate: if chance(&mut rng, 0.3) {
            rng.f64() * 0.2
        } else {
            0.0
        },
        expire_after_calls: chance(&mut rng, 0.15).then(|| rng.u64(1..120)),
        stuck_update: chance(&mut rng, 0.05),
        pending_duration: Duration::from_millis(if rng.bool() { rng.u64(0..5000) } else { 0 }),
        memory_quota_mb: if chance(&mut rng, 0.2) { 3008 } else { 10_240 },
        ..Faults::default()
    };
    let cancel_at_event = chance(&mut rng, 0.15).then(|| rng.usize(1..60));
    let crash_after_polls = chance(&mut rng, 0.2).then(|| rng.usize(1..80));
    let cleanup_crash_after_polls = chance(&mut rng, 0.3).then(|| rng.usize(1..60));
    // From a stream of its own, so that every other draw of a seed stays as it was.
    let mut own = fastrand::Rng::with_seed(seed ^ 0xa7c4);
    let compare = input.get("autoOptimize").is_none() && own.f64() < 0.25;
    if compare {
        input["architectures"] = if own.bool() {
            json!(["x86_64", "arm64"])
        } else {
            json!(["arm64", "x86_64"])
        };
    }
    Plan {
        function,
        input,
        faults,
        cancel_at_event,
        crash_after_polls,
        cleanup_crash_after_polls,
        compare,
    }
}

/// Polls `future` at most `polls` times (or to the end with `None`); `None` back means it was
/// dropped unfinished: a crash. The simulation's clock never blocks, so a poll always progresses.
fn drive<F: Future>(future: F, polls: Option<usize>) -> Option<F::Output> {
    let waker = noop_waker();
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    let mut n = 0;
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return Some(out);
        }
        n += 1;
        if polls.is_some_and(|limit| n >= limit) || n > 5_000_000 {
            return None;
        }
    }
}

/// How a seed's run ended, for the summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    Result,
    Optimized,
    Error,
    Crash,
}

/// One seed: `Err` names the violated invariant.
fn chaos(seed: u64) -> Result<Ending, String> {
    let plan = draw(seed);
    let outcome = catch_unwind(AssertUnwindSafe(|| check(&plan)));
    match outcome {
        Ok(result) => result.map_err(|e| format!("{e}\n  plan: {plan:?}")),
        Err(panic) => Err(format!(
            "panicked: {}\n  plan: {plan:?}",
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default()
        )),
    }
}

fn check(plan: &Plan) -> Result<Ending, String> {
    let world = World::new(Faults::default());
    let arn = world.arn(plan.function);
    // What the run must not touch: version 1 and the alias `live` on it.
    let own_version = block_on(async {
        let v = world.sim.publish_version(&arn).await.unwrap();
        world.sim.create_alias(&arn, "live", &v).await.unwrap();
        v
    });
    let before = world.sim.snapshot(&arn).unwrap();
    let input = world.input(plan.function, plan.input.clone());
    world.sim.set_faults(plan.faults.clone());

    let cancel = powertune_tuner::cancel::CancelToken::new();
    let events = std::cell::Cell::new(0_usize);
    let on_event = |_: Event| {
        events.set(events.get() + 1);
        if plan.cancel_at_event == Some(events.get()) {
            cancel.cancel();
        }
    };
    let mut policy = engine::policy_for(&input);
    let options = RunOptions {
        wait_limit: Duration::from_secs(120),
        ..RunOptions::default()
    };
    if plan.compare {
        return check_comparison(plan, &world, &input, &options, &on_event, &cancel);
    }
    let run = engine::run_with_policy(
        &world.sim,
        &world.clock,
        &world.journal,
        &input,
        match &input.payload {
            powertune_tuner::input::PayloadSource::Inline(v) => Some(v),
            _ => None,
        },
        &options,
        engine::Hooks {
            on_event: &on_event,
            cancel: &cancel,
        },
        policy.as_mut(),
    );
    let outcome = drive(run, plan.crash_after_polls);
    let mut optimized = None;
    let ending = match &outcome {
        // Crashed: the journal is all that is left.
        None => Ending::Crash,
        Some(Ok(report)) => {
            optimized = report.optimized;
            if optimized.is_some() {
                Ending::Optimized
            } else {
                Ending::Result
            }
        }
        Some(Err(failure)) => {
            if failure.error.to_string().trim().is_empty() {
                return Err("the run failed without saying why".into());
            }
            Ending::Error
        }
    };

    // Whatever the run left, the journal lists: nothing can be left that a later cleanup would
    // not know of.
    let left = world.sim.snapshot(&arn).unwrap();
    let listed: Vec<(String, Option<String>)> = world
        .journal
        .entries()
        .iter()
        .filter_map(|e| match e {
            powertune_tuner::journal::JournalEntry::Alias { alias, version, .. } => {
                Some((alias.to_string(), version.clone()))
            }
            powertune_tuner::journal::JournalEntry::Optimum { alias, version, .. } => {
                Some((alias.clone(), Some(version.clone())))
            }
            powertune_tuner::journal::JournalEntry::Restore { .. }
            | powertune_tuner::journal::JournalEntry::Copy { .. } => None,
        })
        .collect();
    if ending != Ending::Optimized {
        for alias in left.aliases.iter().filter(|a| a.starts_with("RAM")) {
            if !listed.iter().any(|(a, _)| a == alias) {
                return Err(format!(
                    "alias {alias} is left and not in the journal {listed:?}"
                ));
            }
        }
        for version in left.versions.iter().filter(|v| **v != own_version) {
            if !listed
                .iter()
                .any(|(_, v)| v.as_deref() == Some(version.as_str()))
            {
                return Err(format!(
                    "version {version} is left and not in the journal {listed:?}"
                ));
            }
        }
    }

    clean_up_as_a_new_process(plan, &world, &options)?;

    let after = world.sim.snapshot(&arn).unwrap();
    let alias_kept = block_on(world.sim.get_alias(&arn, "live"));
    let mut others: Vec<&String> = after.aliases.iter().filter(|a| *a != "live").collect();
    others.retain(|a| a.starts_with("RAM") || a.starts_with("powertune"));
    if !others.is_empty() {
        return Err(format!("aliases left: {others:?}"));
    }
    let expected_versions: Vec<String> = if optimized.is_some() {
        after.versions.clone()
    } else {
        vec![own_version.clone()]
    };
    if after.versions != expected_versions {
        return Err(format!("versions left: {:?}", after.versions));
    }
    match optimized {
        Some(memory) => {
            if after.memory != memory.get() {
                return Err(format!(
                    "optimized to {memory} but $LATEST has {} MB",
                    after.memory
                ));
            }
            // The optimum's version (and the alias moved onto it) are the user's now; any other
            // version the run published is gone.
            if after.versions.len() > 2 {
                return Err(format!("versions left: {:?}", after.versions));
            }
        }
        None => {
            if after.memory != before.memory || after.description != before.description {
                return Err(format!(
                    "$LATEST is {} MB {:?}, was {} MB {:?}",
                    after.memory, after.description, before.memory, before.description
                ));
            }
            if alias_kept.as_deref() != Ok(own_version.as_str()) {
                return Err(format!("the alias live moved: {alias_kept:?}"));
            }
        }
    }
    Ok(ending)
}

/// A seed that compares architectures: whatever happens (faults, a cancel, a crash, a crash of
/// the cleanup), every copy the run created is in the journal, and cleanup from the journal
/// leaves only the account's own functions, the tuned one as before.
fn check_comparison(
    plan: &Plan,
    world: &World,
    input: &powertune_tuner::input::TuningInput,
    options: &RunOptions,
    on_event: &dyn Fn(Event),
    cancel: &powertune_tuner::cancel::CancelToken,
) -> Result<Ending, String> {
    let arn = world.arn(plan.function);
    let own_functions = world.sim.function_arns();
    // The definition and package are read before the run, as the CLI does, without faults.
    let faults = plan.faults.clone();
    world.sim.set_faults(Faults::default());
    let details = block_on(world.sim.get_function(&arn)).map_err(|e| e.to_string())?;
    let Package::Zip {
        location: Some(location),
        ..
    } = &details.package
    else {
        return Err(format!("no package: {:?}", details.package));
    };
    let code = FunctionCode::Zip(world.sim.package(location).ok_or("no package")?);
    world.sim.set_faults(faults);
    let comparing = engine::compare::compare(
        &world.sim,
        &world.clock,
        &world.journal,
        input,
        None,
        options,
        engine::Hooks { on_event, cancel },
        &details,
        Some(&code),
        "chaos",
    );
    let ending = match drive(comparing, plan.crash_after_polls) {
        None => Ending::Crash,
        Some(Ok(_)) => Ending::Result,
        Some(Err(failure)) if failure.error.to_string().trim().is_empty() => {
            return Err("the comparison failed without saying why".into());
        }
        Some(Err(_)) => Ending::Error,
    };
    let journaled: Vec<_> = world
        .journal
        .entries()
        .iter()
        .filter_map(|e| match e {
            powertune_tuner::journal::JournalEntry::Copy { function, .. } => Some(function.clone()),
            _ => None,
        })
        .collect();
    for function in world.sim.function_arns() {
        if !own_functions.contains(&function) && !journaled.contains(&function) {
            return Err(format!(
                "the copy {function} is left and not in the journal"
            ));
        }
    }
    clean_up_as_a_new_process(plan, world, options)?;
    if world.sim.function_arns() != own_functions {
        return Err(format!("functions left: {:?}", world.sim.function_arns()));
    }
    let after = world.sim.snapshot(&arn).unwrap();
    if after.versions.len() != 1 || after.aliases != ["live"] {
        return Err(format!("left on {}: {after:?}", plan.function));
    }
    Ok(ending)
}

/// A new process, with fresh credentials and no faults, cleans up from the journal alone,
/// perhaps crashing once itself first; everything must be undone and the journal empty.
fn clean_up_as_a_new_process(
    plan: &Plan,
    world: &World,
    options: &RunOptions,
) -> Result<(), String> {
    world.sim.set_faults(Faults::default());
    let entries = world.journal.entries();
    if let Some(polls) = plan.cleanup_crash_after_polls {
        let _ = drive(
            engine::clean_up(
                &world.sim,
                &world.clock,
                &world.journal,
                &entries,
                options.wait_limit,
                &|_| {},
            ),
            Some(polls),
        );
    }
    let report = world.clean_up_from_journal();
    if !report.is_complete() {
        return Err(format!(
            "cleanup with fresh credentials left {:?}",
            report.errors
        ));
    }
    if !world.journal.entries().is_empty() {
        return Err(format!("journal not empty: {:?}", world.journal.entries()));
    }
    Ok(())
}

thread_local! {
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Silences the panic hook on this thread only: the other tests of the binary, running beside
/// it, keep their messages.
fn quiet_panics(quiet: bool) {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(quiet));
}

fn run_seeds(first: u64, count: u64) {
    let started = std::time::Instant::now();
    // Panics are caught and reported per seed; the default hook would print each twice.
    quiet_panics(true);
    let mut endings = std::collections::BTreeMap::<String, usize>::new();
    let failures: Vec<String> = (first..first + count)
        .filter_map(|seed| match chaos(seed) {
            Ok(ending) => {
                *endings
                    .entry(format!("{ending:?}").to_lowercase())
                    .or_default() += 1;
                None
            }
            Err(e) => Some(format!(
                "seed {seed}: {e}\n  replay: CHAOS_FIRST={seed} CHAOS_SEEDS=1 scripts/chaos.sh"
            )),
        })
        .collect();
    quiet_panics(false);
    println!(
        "chaos: {count} seeds from {first}, {} violation(s), endings {endings:?}, {:.1} s",
        failures.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_fixed_slice_of_fault_schedules_leaves_nothing_behind() {
    run_seeds(0, 300);
}

/// The seeds that found the optimizer's half-applied `$LATEST` (322: the optimizer's publish
/// failed; 9442: the process died while applying it), kept as they were found; the named tests
/// `an_optimization_that_fails_midway_is_undone` and
/// `a_crash_while_applying_the_optimum_leaves_a_journal_that_restores_the_memory` in
/// `tests/engine_optimize.rs` pin each path down.
#[test]
fn regression_seeds_of_the_half_applied_optimum() {
    assert!(chaos(322).is_ok() && chaos(9442).is_ok());
}

/// `scripts/chaos.sh`: `CHAOS_SEEDS` seeds from `CHAOS_FIRST`.
#[test]
#[ignore = "many seeds: scripts/chaos.sh runs it"]
fn chaos_seeds() {
    let env = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    run_seeds(env("CHAOS_FIRST", 0), env("CHAOS_SEEDS", 10_000));
}
