//! Applying the optimum (`autoOptimize`): the memory and the alias, an alias that already
//! exists, and an optimization that fails midway, undone or recoverable from its journal.

mod support;

use futures::executor::block_on;
use powertune_tuner::{
    FunctionArn,
    api::{
        LambdaApi, LambdaError,
        intercept::{Intercepted, Overrides},
    },
    cancel::CancelToken,
    engine::{self, Event, Hooks, RunOptions},
    journal::Journal,
    sim::Faults,
};
use serde_json::json;
use support::World;

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
