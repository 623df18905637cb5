//! The engine under faults: cancel in each phase, a run dying mid-publish, throttling and server
//! errors, expired credentials, a stuck update, sizes above the memory quota. Each run leaves
//! nothing behind, or a journal that the cleanup finishes from.

use std::time::Duration;

use crate::support::World;
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
    sim::Faults,
};
use serde_json::json;

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

impl CancelledMidPublish {
    /// The simulation of `w`, held up at its first PublishVersion response.
    fn over(
        w: &World,
        hang: bool,
    ) -> Intercepted<'_, powertune_tuner::sim::SimLambda<powertune_tuner::sim::ManualClock>, Self>
    {
        Intercepted {
            inner: &w.sim,
            overrides: Self {
                cancel: CancelToken::new(),
                done: std::cell::Cell::new(false),
                hang,
            },
        }
    }
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
    let api = CancelledMidPublish::over(&w, false);
    let input = w.input("image-resizer", json!({}));
    let failure = w
        .run_through(&api, &input, &api.overrides.cancel)
        .unwrap_err();
    assert_eq!(failure.error, RunError::Cancelled);
    assert!(failure.cleanup.is_complete(), "{:?}", failure.cleanup);
    assert_eq!(failure.cleanup.versions_deleted.len(), 1);
    w.assert_clean("image-resizer", 1024);
}

#[test]
fn a_run_dying_during_publish_version_leaves_a_journal_that_finds_the_version() {
    let w = World::new(Faults::default());
    let api = CancelledMidPublish::over(&w, true);
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
    crate::support::dies_when(run, || api.overrides.done.get());
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
    let refused = result.sizes[1].error.as_ref().unwrap();
    assert_eq!(
        refused.kind,
        powertune_tuner::failure::FailureKind::Refused {
            quota_mb: Some(3008)
        }
    );
    assert!(
        refused
            .message
            .starts_with("your account allows at most 3008 MB")
    );
    w.assert_clean("api-handler", 512);
}
