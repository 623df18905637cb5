//! The engine against the in-process simulated Lambda: every option, pipelining, retries,
//! failing sizes, processors, replayed profiles and a second run of the same function. Each test
//! checks that nothing the run created remains and that `$LATEST` is back as it was (faults:
//! `engine_faults.rs`; applying the optimum: `engine_optimize.rs`).

use std::time::Duration;

use crate::support::World;
use futures::executor::block_on;
use powertune_tuner::{
    cancel::CancelToken,
    engine::{self, Event, Hooks, RunError, RunOptions},
    failure::FailureKind,
    journal::Journal,
    sim::{Faults, FunctionModel, SimFunctionSpec},
};
use serde_json::json;

#[test]
fn full_run_measures_every_size_and_leaves_nothing() {
    let w = World::new(Faults::default());
    let report = w.run(&w.input("image-resizer", json!({}))).unwrap();
    let result = report.result.as_ref().unwrap();
    assert_eq!(result.sizes.len(), 5);
    // 128 MB is below image-resizer's memory need: that size fails, the others are measured.
    let oom = result.sizes[0].error.as_ref().unwrap();
    assert_eq!(oom.kind, FailureKind::OutOfMemory);
    assert_eq!(oom.short(), "out of memory");
    assert!(
        oom.message.contains("ran out of memory"),
        "{:?}",
        result.sizes[0].error
    );
    for size in &result.sizes[1..] {
        assert!(size.error.is_none());
        let detail = size.detail.as_ref().unwrap();
        assert_eq!(detail.stats.invocations, 10);
        assert!(size.average_duration_ms > 0.0 && size.average_cost > 0.0);
    }
    // CPU-bound: more memory is faster.
    assert!(result.sizes[1].average_duration_ms > result.sizes[4].average_duration_ms);
    let output = report.output.as_ref().unwrap();
    assert!([256, 512, 1024, 2048].contains(&output.power));
    assert_eq!(output.state_machine.execution_cost, 0.0);
    assert!(
        output
            .state_machine
            .visualization
            .starts_with("https://lambda-power-tuning.show/#")
    );
    assert!(report.tuning_cost > 0.0);
    // 4 sizes × 10, plus 1 + 2 retries at 128 MB.
    assert_eq!(report.invocations, 43);
    assert!(report.cleanup.is_complete());
    assert_eq!(report.cleanup.aliases_deleted.len(), 5);
    assert_eq!(report.cleanup.versions_deleted.len(), 5);
    w.assert_clean("image-resizer", 1024);
}

#[test]
fn sizes_execute_while_later_sizes_are_still_published() {
    let w = World::new(Faults::default());
    w.run(&w.input("api-handler", json!({}))).unwrap();
    let events = w.events.borrow();
    let first_start = events
        .iter()
        .position(|e| matches!(e, Event::SizeStarted { .. }))
        .unwrap();
    let last_publish = events
        .iter()
        .rposition(|e| matches!(e, Event::Publishing { .. }))
        .unwrap();
    assert!(
        first_start < last_publish,
        "the first size should start before the last one is published"
    );
    // Publishing itself stays strictly sequential: each Publishing is followed by its Published.
    let publishes: Vec<&Event> = events
        .iter()
        .filter(|e| matches!(e, Event::Publishing { .. } | Event::Published { .. }))
        .collect();
    for pair in publishes.chunks(2) {
        assert!(
            matches!(pair, [Event::Publishing { alias: a, .. }, Event::Published { alias: b, .. }] if a == b),
            "{pair:?}"
        );
    }
}

#[test]
fn parallel_invocation_makes_num_invocations_per_size() {
    let w = World::new(Faults::default());
    let input = w.input(
        "api-handler",
        json!({"parallelInvocation": true, "num": 20}),
    );
    let options = RunOptions {
        max_concurrency: 4,
        ..RunOptions::default()
    };
    let report = w.run_with(&input, &options, |_| false).unwrap();
    assert_eq!(report.invocations, 100);
    assert_eq!(
        w.sim.snapshot(&w.arn("api-handler")).unwrap().invocations,
        100
    );
    w.assert_clean("api-handler", 512);
}

#[test]
fn serial_runs_sleep_between_invocations() {
    let w = World::new(Faults::default());
    let input = w.input(
        "api-handler",
        json!({"sleepBetweenRunsMs": 1000, "powerValues": [512]}),
    );
    let before = w.clock_ms();
    w.run(&input).unwrap();
    // Ten sleeps of one second each (the manual clock adds up every sleep).
    assert!(w.clock_ms() - before >= 10_000.0);
    w.assert_clean("api-handler", 512);
}

#[test]
fn function_errors_are_retried_then_fail_only_their_size() {
    let w = World::new(Faults::default());
    w.sim.add_function(flaky("flaky", 0.3));
    let report = w
        .run(&w.input("flaky", json!({"powerValues": [256, 512, 1024]})))
        .unwrap();
    let retries = w.count(|e| matches!(e, Event::Retrying { .. }));
    assert!(retries > 0);
    let result = report.result.unwrap();
    let mut failed_attempts = 0;
    for size in &result.sizes {
        let stats = &size.detail.as_ref().unwrap().stats;
        failed_attempts += stats.errors as usize;
        match &size.error {
            // Failed three times in a row: reported with the function's error, run goes on.
            Some(failure) => assert_eq!(
                failure.kind,
                FailureKind::FunctionError {
                    error_type: Some("SimulatedError".into())
                },
                "{failure}"
            ),
            // Every invocation eventually measured, without re-running the successful ones.
            None => assert_eq!(stats.invocations, 10),
        }
    }
    assert!(
        failed_attempts >= retries,
        "{failed_attempts} failed attempts, {retries} retries"
    );
    assert!(result.sizes.iter().any(|s| s.error.is_none()));
    w.assert_clean("flaky", 1024);
}

fn flaky(name: &str, error_rate: f64) -> SimFunctionSpec {
    SimFunctionSpec {
        name: name.into(),
        region: "us-east-1".into(),
        memory_mb: 1024,
        description: String::new(),
        architecture: powertune_tuner::pricing::Architecture::X86_64,
        log_format: powertune_tuner::api::LogFormat::Text,
        timeout_s: 10,
        runtime: "nodejs22.x".into(),
        model: FunctionModel {
            cpu_ms: 50.0,
            parallel_fraction: 0.0,
            io_ms: 10.0,
            memory_need_mb: 128,
            init_ms: 100.0,
            noise: 0.05,
            error_rate,
            arm64: powertune_tuner::sim::Arm64::default(),
        },
        measured: None,
        measured_other: None,
        platform: Default::default(),
    }
}

#[test]
fn all_sizes_failing_is_an_error_after_cleanup() {
    let w = World::new(Faults::default());
    w.sim.add_function(flaky("broken", 1.0));
    let failure = w
        .run(&w.input("broken", json!({"powerValues": [256, 512]})))
        .unwrap_err();
    assert!(
        matches!(&failure.error, RunError::AllSizesFailed(first) if first.message.contains("SimulatedError")),
        "{failure}"
    );
    assert!(failure.partial.is_some());
    assert!(failure.cleanup.is_complete());
    w.assert_clean("broken", 1024);
}

#[test]
fn allowed_exceptions_count_as_measurements() {
    let w = World::new(Faults::default());
    w.sim.add_function(flaky("handled", 1.0));
    let report = w
        .run(&w.input(
            "handled",
            json!({"powerValues": [256], "allowedExceptions": ["SimulatedError"]}),
        ))
        .unwrap();
    let size = &report.result.unwrap().sizes[0];
    assert!(size.error.is_none());
    assert_eq!(size.detail.as_ref().unwrap().stats.invocations, 10);
    w.assert_clean("handled", 1024);
}

#[test]
fn error_messages_follow_the_original_and_respect_disable_payload_logs() {
    for (disable, expect_payload) in [(false, true), (true, false)] {
        let w = World::new(Faults::default());
        w.sim.add_function(flaky("broken", 1.0));
        let input = w.input(
            "broken",
            json!({"powerValues": [256], "payload": "SENTINEL", "disablePayloadLogs": disable}),
        );
        let failure = w.run(&input).unwrap_err();
        let RunError::AllSizesFailed(first) = &failure.error else {
            panic!("{failure}")
        };
        let message = &first.message;
        assert!(
            message.starts_with("Invocation error (running in series)"),
            "{message}"
        );
        assert_eq!(message.contains("SENTINEL"), expect_payload, "{message}");
        assert!(
            message.contains("original error type: \"SimulatedError\""),
            "{message}"
        );
        w.assert_clean("broken", 1024);
    }
}

#[test]
fn only_cold_starts_uses_one_version_per_invocation() {
    let w = World::new(Faults::default());
    let report = w
        .run(&w.input(
            "api-handler",
            json!({"onlyColdStarts": true, "num": 5, "powerValues": [256, 512]}),
        ))
        .unwrap();
    for size in report.result.unwrap().sizes {
        let stats = size.detail.unwrap().stats;
        assert_eq!(stats.invocations, 5);
        assert_eq!(
            stats.cold_starts, 5,
            "every invocation must be a cold start"
        );
        assert!(stats.mean_init_ms > 0.0);
    }
    assert_eq!(report.cleanup.aliases_deleted.len(), 10);
    w.assert_clean("api-handler", 512);
}

#[test]
fn pending_versions_are_awaited() {
    let w = World::new(Faults {
        pending_duration: Duration::from_secs(20),
        ..Faults::default()
    });
    let report = w
        .run(&w.input("api-handler", json!({"powerValues": [256]})))
        .unwrap();
    assert!(report.result.unwrap().sizes[0].error.is_none());
    w.assert_clean("api-handler", 512);
}

#[test]
fn dry_run_invokes_once_per_size_and_skips_analysis() {
    let w = World::new(Faults::default());
    let weighted = json!([{"payload": {"a": 1}, "weight": 1}, {"payload": {"b": 2}, "weight": 3}]);
    let report = w
        .run(&w.input(
            "api-handler",
            json!({"dryRun": true, "num": 50, "payload": weighted}),
        ))
        .unwrap();
    assert!(report.result.is_none() && report.output.is_none());
    assert_eq!(report.invocations, 5);
    w.assert_clean("api-handler", 512);
}

#[test]
fn pre_and_post_processors_run_around_each_invocation() {
    let w = World::new(Faults::default());
    let pre = w.arn("image-resizer").to_string();
    let post = w.arn("pdf-renderer").to_string();
    let input = w.input(
        "api-handler",
        json!({"powerValues": [512], "preProcessorARN": pre, "postProcessorARN": post}),
    );
    let report = w.run(&input).unwrap();
    assert_eq!(report.invocations, 10);
    assert_eq!(
        w.sim.snapshot(&w.arn("image-resizer")).unwrap().invocations,
        10
    );
    assert_eq!(
        w.sim.snapshot(&w.arn("pdf-renderer")).unwrap().invocations,
        10
    );
    assert_eq!(
        w.sim.snapshot(&w.arn("api-handler")).unwrap().invocations,
        10
    );
    w.assert_clean("api-handler", 512);
}

#[test]
fn results_are_deterministic_for_a_seed() {
    let a = World::new(Faults::default());
    let b = World::new(Faults::default());
    let ra = a
        .run(&a.input("pdf-renderer", json!({})))
        .unwrap()
        .result
        .unwrap();
    let rb = b
        .run(&b.input("pdf-renderer", json!({})))
        .unwrap()
        .result
        .unwrap();
    assert_eq!(ra, rb);
}

#[test]
fn measured_profiles_are_replayed_and_a_size_without_samples_fails_alone() {
    use powertune_tuner::sim::MeasuredProfile;
    let w = World::new(Faults::default());
    let profile: MeasuredProfile = serde_json::from_value(json!({
        "128": [{"durationMs": 1000.4}, {"durationMs": 1000.4, "initDurationMs": 120.0}],
        "256": [{"durationMs": 400.2}, {"durationMs": 400.2}],
        "512": [{"durationMs": 300.7, "billedDurationMs": 400}],
    }))
    .unwrap();
    let mut spec = flaky("replayed", 0.0);
    spec.measured = Some(profile);
    w.sim.add_function(spec);
    let input = w.input(
        "replayed",
        json!({"num": 6, "powerValues": [128, 256, 512, 1024], "discardTopBottom": 0}),
    );
    let report = w.run(&input).unwrap();
    let result = report.result.as_ref().unwrap();
    // Each sample replayed three times (without replacement, reshuffled): exact averages.
    let durations: Vec<f64> = result.sizes[..3]
        .iter()
        .map(|s| s.average_duration_ms)
        .collect();
    for (got, want) in durations.iter().zip([1000.4 + 60.0, 400.2, 300.7]) {
        assert!((got - want).abs() < 1e-9, "{durations:?}");
    }
    let billed = |i: usize| {
        result.sizes[i]
            .detail
            .as_ref()
            .unwrap()
            .stats
            .average_billed_ms
    };
    assert_eq!((billed(1), billed(2)), (401.0, 400.0));
    assert!(
        result.sizes[3]
            .error
            .as_ref()
            .is_some_and(|e| e.message.contains("no samples at 1024 MB")),
        "{:?}",
        result.sizes[3].error
    );
    // 256 MB × 401 ms is the cheapest of the data.
    assert_eq!(report.output.as_ref().unwrap().power, 256);
    w.assert_clean("replayed", 1024);
}

#[test]
fn a_second_run_of_the_same_function_refuses_before_creating_anything() {
    use powertune_tuner::journal::MemoryJournal;
    let w = World::new(Faults::default());
    let input = w.input("api-handler", json!({"powerValues": [256, 512, 1024]}));
    let options = RunOptions::default();
    let (first_cancel, second_cancel) = (CancelToken::new(), CancelToken::new());
    let published = std::cell::Cell::new(false);
    let first_events = |e: Event| {
        if matches!(e, Event::Published { .. }) {
            published.set(true);
        }
    };
    let (first_journal, second_journal) = (MemoryJournal::default(), MemoryJournal::default());
    let first_run = engine::run(
        &w.sim,
        &w.clock,
        &first_journal,
        &input,
        None,
        &options,
        Hooks {
            on_event: &first_events,
            cancel: &first_cancel,
        },
    );
    // The first run stands still from its first published version until the second has
    // ended, so the second meets it mid-run whatever order the executor polls them in.
    let second_ended = std::cell::Cell::new(false);
    let first = async {
        let mut first_run = std::pin::pin!(first_run);
        std::future::poll_fn(|cx| {
            if published.get() && !second_ended.get() {
                cx.waker().wake_by_ref();
                std::task::Poll::Pending
            } else {
                first_run.as_mut().poll(cx)
            }
        })
        .await
    };
    let second = async {
        crate::support::once(|| published.get()).await;
        let second = engine::run(
            &w.sim,
            &w.clock,
            &second_journal,
            &input,
            None,
            &options,
            Hooks {
                on_event: &|_| {},
                cancel: &second_cancel,
            },
        )
        .await;
        second_ended.set(true);
        second
    };
    let (first, second) = block_on(futures::future::join(first, second));
    let failure = second.unwrap_err();
    let RunError::AnotherRun { found, .. } = &failure.error else {
        panic!("{}", failure.error)
    };
    assert!(found.iter().any(|f| f.starts_with("RAM256")), "{found:?}");
    assert!(failure.error.to_string().contains("Nothing was changed"));
    assert!(second_journal.entries().is_empty(), "nothing journaled");
    // The first run was not disturbed.
    let report = first.unwrap();
    assert_eq!(report.result.unwrap().sizes.len(), 3);
    assert!(first_journal.entries().is_empty());
    w.assert_clean("api-handler", 512);
}
