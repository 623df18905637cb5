//! The engine against the in-process simulated Lambda: every option, pipelining, retries,
//! failing sizes, cancel in each phase and injected faults. Each test checks that nothing the run
//! created remains and that `$LATEST` is back as it was.

mod support;

use std::time::Duration;

use futures::executor::block_on;
use powertune_tuner::{
    FunctionArn,
    api::{
        LambdaApi, LambdaError,
        intercept::{Intercepted, Overrides},
    },
    cancel::CancelToken,
    clock::yield_now,
    engine::{self, Event, Hooks, Phase, RunError, RunOptions},
    journal::Journal,
    sim::{Faults, FunctionModel, SimFunctionSpec},
};
use serde_json::json;
use support::World;

#[test]
fn full_run_measures_every_size_and_leaves_nothing() {
    let w = World::new(Faults::default());
    let report = w.run(&w.input("image-resizer", json!({}))).unwrap();
    let result = report.result.as_ref().unwrap();
    assert_eq!(result.sizes.len(), 5);
    // 128 MB is below image-resizer's memory need: that size fails, the others are measured.
    assert!(
        result.sizes[0]
            .error
            .as_deref()
            .unwrap()
            .contains("ran out of memory"),
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
            Some(message) => assert!(message.contains("SimulatedError"), "{message}"),
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
        },
        measured: None,
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
        matches!(&failure.error, RunError::AllSizesFailed(first) if first.contains("SimulatedError")),
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
        let RunError::AllSizesFailed(message) = &failure.error else {
            panic!("{failure}")
        };
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
fn cancel_in_each_phase_cleans_up() {
    type Trigger = fn(&Event) -> bool;
    let triggers: [(&str, Trigger); 4] = [
        ("initialized", |e| matches!(e, Event::Initialized { .. })),
        ("first publish", |e| matches!(e, Event::Publishing { .. })),
        ("mid-invocations", |e| {
            matches!(e, Event::Invoked { done: 3, .. })
        }),
        (
            "last size",
            |e| matches!(e, Event::SizeStarted { memory, .. } if memory.get() == 2048),
        ),
    ];
    for (when, trigger) in triggers {
        let w = World::new(Faults::default());
        let failure = w
            .run_with(
                &w.input("image-resizer", json!({})),
                &RunOptions::default(),
                trigger,
            )
            .unwrap_err();
        assert_eq!(failure.error, RunError::Cancelled, "cancel at {when}");
        assert!(
            failure.cleanup.is_complete(),
            "cancel at {when}: {:?}",
            failure.cleanup
        );
        assert!(w.count(|e| matches!(e, Event::Phase(Phase::CleaningUp))) == 1);
        w.assert_clean("image-resizer", 1024);
    }
}

/// The simulation, except that the first PublishVersion's response is held up: Lambda has
/// created the version, the engine has not heard its number. Meanwhile the run is cancelled, or
/// (with `hang`) the response never comes, as when the tab or process dies.
struct CancelledMidPublish {
    cancel: CancelToken,
    done: std::cell::Cell<bool>,
    hang: bool,
}

impl Overrides for CancelledMidPublish {
    async fn publish_version<A: LambdaApi>(
        &self,
        inner: &A,
        function: &FunctionArn,
    ) -> Result<String, LambdaError> {
        let version = inner.publish_version(function).await;
        if !self.done.replace(true) {
            if self.hang {
                std::future::pending::<()>().await;
            }
            self.cancel.cancel();
            yield_now().await;
        }
        version
    }
}

#[test]
fn cancel_while_a_version_is_being_published_still_deletes_it() {
    let w = World::new(Faults::default());
    let api = Intercepted {
        inner: &w.sim,
        overrides: CancelledMidPublish {
            cancel: CancelToken::new(),
            done: std::cell::Cell::new(false),
            hang: false,
        },
    };
    let input = w.input("image-resizer", json!({}));
    let failure = block_on(engine::run(
        &api,
        &w.clock,
        &w.journal,
        &input,
        None,
        &RunOptions::default(),
        Hooks {
            on_event: &|_| {},
            cancel: &api.overrides.cancel,
        },
    ))
    .unwrap_err();
    assert_eq!(failure.error, RunError::Cancelled);
    assert!(failure.cleanup.is_complete(), "{:?}", failure.cleanup);
    assert_eq!(failure.cleanup.versions_deleted.len(), 1);
    w.assert_clean("image-resizer", 1024);
}

#[test]
fn a_run_dying_during_publish_version_leaves_a_journal_that_finds_the_version() {
    let w = World::new(Faults::default());
    let api = Intercepted {
        inner: &w.sim,
        overrides: CancelledMidPublish {
            cancel: CancelToken::new(),
            done: std::cell::Cell::new(false),
            hang: true,
        },
    };
    let input = w.input("image-resizer", json!({}));
    let options = RunOptions::default();
    let run = engine::run(
        &api,
        &w.clock,
        &w.journal,
        &input,
        None,
        &options,
        Hooks {
            on_event: &|_| {},
            cancel: &api.overrides.cancel,
        },
    );
    // The process dies once the version exists: the run future is dropped mid-request.
    let died = std::future::poll_fn(|cx| {
        if api.overrides.done.get() {
            std::task::Poll::Ready(())
        } else {
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    });
    block_on(futures::future::select(
        std::pin::pin!(run),
        std::pin::pin!(died),
    ));
    let left = w.sim.snapshot(&w.arn("image-resizer")).unwrap();
    assert_eq!(left.versions.len(), 1, "the version was created: {left:?}");

    let report = w.clean_up_from_journal();
    assert!(report.is_complete(), "{report:?}");
    assert_eq!(report.versions_deleted, left.versions);
    w.assert_clean("image-resizer", 1024);
}

#[test]
fn throttling_and_server_errors_are_ridden_out() {
    let w = World::new(Faults {
        throttle_rate: 0.3,
        server_error_rate: 0.05,
        ..Faults::default()
    });
    let report = w
        .run(&w.input("api-handler", json!({"parallelInvocation": true})))
        .unwrap();
    assert!(w.count(|e| matches!(e, Event::Throttled { .. })) > 0);
    assert!(
        report
            .result
            .unwrap()
            .sizes
            .iter()
            .all(|s| s.error.is_none())
    );
    w.assert_clean("api-handler", 512);
}

#[test]
fn expired_credentials_stop_the_run_and_the_journal_allows_cleanup_later() {
    let w = World::new(Faults {
        expire_after_calls: Some(40),
        ..Faults::default()
    });
    let failure = w.run(&w.input("api-handler", json!({}))).unwrap_err();
    assert!(
        failure
            .error
            .to_string()
            .contains("credentials have expired"),
        "{failure}"
    );
    // Cleanup could not run with expired credentials, so the journal keeps what to undo.
    assert!(!failure.cleanup.is_complete());
    assert!(!w.journal.entries().is_empty());
    // Fresh credentials: a later start cleans up from the journal.
    w.sim.set_faults(Faults::default());
    let report = w.clean_up_from_journal();
    assert!(report.is_complete(), "{report:?}");
    w.assert_clean("api-handler", 512);
}

#[test]
fn a_stuck_update_is_reported_and_can_be_cleaned_later() {
    let w = World::new(Faults {
        stuck_update: true,
        ..Faults::default()
    });
    let options = RunOptions {
        wait_limit: Duration::from_secs(30),
        ..RunOptions::default()
    };
    let failure = w
        .run_with(&w.input("api-handler", json!({})), &options, |_| false)
        .unwrap_err();
    assert!(matches!(failure.error, RunError::Stuck { .. }), "{failure}");
    w.sim.set_faults(Faults::default());
    w.clock.advance(Duration::from_secs(3600));
    let report = w.clean_up_from_journal();
    assert!(report.is_complete(), "{report:?}");
    w.assert_clean("api-handler", 512);
}

#[test]
fn sizes_above_the_quota_fail_alone() {
    let w = World::new(Faults {
        memory_quota_mb: 3008,
        ..Faults::default()
    });
    let report = w
        .run(&w.input("api-handler", json!({"powerValues": [512, 4096]})))
        .unwrap();
    let result = report.result.unwrap();
    assert!(result.sizes[0].error.is_none());
    assert!(
        result.sizes[1]
            .error
            .as_deref()
            .unwrap()
            .starts_with("your account allows at most 3008 MB")
    );
    w.assert_clean("api-handler", 512);
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
fn auto_optimize_applies_the_optimum_and_points_the_alias() {
    let w = World::new(Faults::default());
    let input = w.input("image-resizer", json!({"autoOptimize": true, "autoOptimizeAlias": "live", "powerValues": [512, 1024, 2048]}));
    let report = w.run(&input).unwrap();
    let optimum = report.optimized.unwrap();
    assert_eq!(optimum.get(), report.output.unwrap().power);
    let snap = w.sim.snapshot(&w.arn("image-resizer")).unwrap();
    assert_eq!(snap.memory, optimum.get());
    assert_eq!(snap.aliases, ["live"]);
    assert_eq!(snap.versions.len(), 1, "only the optimum's version remains");
    let version = block_on(w.sim.get_alias(&w.arn("image-resizer"), "live")).unwrap();
    let config = block_on(
        w.sim
            .get_function_configuration(&w.arn("image-resizer"), Some(&version)),
    )
    .unwrap();
    assert_eq!(config.memory, optimum);
    assert!(w.journal.entries().is_empty());
}

#[test]
fn auto_optimize_moves_an_alias_that_already_exists() {
    let w = World::new(Faults::default());
    let arn = w.arn("image-resizer");
    let old = block_on(async {
        let v = w.sim.publish_version(&arn).await.unwrap();
        w.sim.create_alias(&arn, "live", &v).await.unwrap();
        v
    });
    let input = w.input(
        "image-resizer",
        json!({"autoOptimize": true, "autoOptimizeAlias": "live", "powerValues": [512, 1024]}),
    );
    let optimum = w.run(&input).unwrap().optimized.unwrap();
    let now = block_on(w.sim.get_alias(&arn, "live")).unwrap();
    assert_ne!(now, old, "the alias points at the new version");
    let config = block_on(w.sim.get_function_configuration(&arn, Some(&now))).unwrap();
    assert_eq!(config.memory, optimum);
}

#[test]
fn an_existing_alias_and_version_are_never_deleted() {
    let w = World::new(Faults::default());
    let arn = w.arn("api-handler");
    // The function already has version 1 with exactly the configuration of a tested size.
    block_on(async {
        let v = w.sim.publish_version(&arn).await.unwrap();
        w.sim.create_alias(&arn, "prod", &v).await.unwrap();
    });
    w.run(&w.input("api-handler", json!({"powerValues": [256, 512]})))
        .unwrap();
    let snap = w.sim.snapshot(&arn).unwrap();
    assert_eq!(snap.aliases, ["prod"]);
    assert_eq!(snap.versions, ["1"]);
    assert_eq!(snap.memory, 512);
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
            .as_deref()
            .is_some_and(|e| e.contains("no samples at 1024 MB")),
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
    let first = engine::run(
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
    // The second run starts once the first has published a version.
    let second = async {
        std::future::poll_fn(|cx| {
            if published.get() {
                std::task::Poll::Ready(())
            } else {
                cx.waker().wake_by_ref();
                std::task::Poll::Pending
            }
        })
        .await;
        engine::run(
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
        .await
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

/// Refuses the `fail_at`-th publish (the optimizer's, after the tuning's), as expired
/// credentials would.
struct RefusedPublish {
    publishes: std::cell::Cell<u32>,
    fail_at: u32,
}

impl Overrides for RefusedPublish {
    async fn publish_version<A: LambdaApi>(
        &self,
        inner: &A,
        function: &FunctionArn,
    ) -> Result<String, LambdaError> {
        self.publishes.set(self.publishes.get() + 1);
        if self.publishes.get() == self.fail_at {
            return Err(LambdaError::AccessDenied {
                action: None,
                message: "The security token included in the request is expired".into(),
            });
        }
        inner.publish_version(function).await
    }
}

#[test]
fn an_optimization_that_fails_midway_is_undone() {
    let w = World::new(Faults::default());
    let api = Intercepted {
        inner: &w.sim,
        overrides: RefusedPublish {
            publishes: std::cell::Cell::new(0),
            fail_at: 3,
        },
    };
    let input = w.input(
        "image-resizer",
        json!({"powerValues": [512, 2048], "autoOptimize": true, "autoOptimizeAlias": "live"}),
    );
    let failure = block_on(engine::run(
        &api,
        &w.clock,
        &w.journal,
        &input,
        None,
        &RunOptions::default(),
        Hooks {
            on_event: &|_| {},
            cancel: &CancelToken::new(),
        },
    ))
    .unwrap_err();
    assert!(
        failure.error.to_string().contains("expired"),
        "{}",
        failure.error
    );
    // The memory the optimizer had set is back, and nothing is left.
    w.assert_clean("image-resizer", 1024);
    assert!(
        w.sim
            .snapshot(&w.arn("image-resizer"))
            .unwrap()
            .aliases
            .is_empty()
    );
}

#[test]
fn a_crash_while_applying_the_optimum_leaves_a_journal_that_restores_the_memory() {
    let w = World::new(Faults::default());
    let api = Intercepted {
        inner: &w.sim,
        overrides: RefusedPublish {
            publishes: std::cell::Cell::new(0),
            fail_at: u32::MAX,
        },
    };
    let input = w.input(
        "image-resizer",
        json!({"powerValues": [512, 2048], "autoOptimize": true, "autoOptimizeAlias": "live"}),
    );
    let phase = std::cell::Cell::new(false);
    let on_event = |e: Event| {
        if e == Event::Phase(engine::Phase::Optimizing) {
            phase.set(true);
        }
    };
    let (options, cancel) = (RunOptions::default(), CancelToken::new());
    let run = engine::run(
        &api,
        &w.clock,
        &w.journal,
        &input,
        None,
        &options,
        Hooks {
            on_event: &on_event,
            cancel: &cancel,
        },
    );
    // The process dies as soon as the optimizer has set the memory.
    let died = std::future::poll_fn(|cx| {
        let set = w.sim.snapshot(&w.arn("image-resizer")).unwrap().memory != 1024;
        if phase.get() && set {
            std::task::Poll::Ready(())
        } else {
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    });
    block_on(futures::future::select(
        std::pin::pin!(run),
        std::pin::pin!(died),
    ));
    assert_ne!(
        w.sim.snapshot(&w.arn("image-resizer")).unwrap().memory,
        1024
    );
    let report = w.clean_up_from_journal();
    assert!(report.is_complete(), "{report:?}");
    w.assert_clean("image-resizer", 1024);
}
