//! Applying the optimum (`autoOptimize`): the memory and the alias, an alias that already
//! exists, and an optimization that fails midway, undone or recoverable from its journal.

use crate::support::World;
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

/// Tunes image-resizer with `autoOptimize` onto `live` through `api`, which lets the
/// credentials expire while optimizing: the run fails and says so.
fn expires_while_optimizing(w: &World, api: &impl LambdaApi) {
    let input = w.input(
        "image-resizer",
        json!({"powerValues": [512, 2048], "autoOptimize": true, "autoOptimizeAlias": "live"}),
    );
    let failure = w.run_through(api, &input, &CancelToken::new()).unwrap_err();
    assert!(
        failure.error.to_string().contains("expired"),
        "{}",
        failure.error
    );
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
    expires_while_optimizing(&w, &api);
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
    crate::support::dies_when(run, || {
        phase.get() && w.sim.snapshot(&w.arn("image-resizer")).unwrap().memory != 1024
    });
    assert_ne!(
        w.sim.snapshot(&w.arn("image-resizer")).unwrap().memory,
        1024
    );
    let report = w.clean_up_from_journal();
    assert!(report.is_complete(), "{report:?}");
    w.assert_clean("image-resizer", 1024);
}

/// From the optimizer's alias on, every call is refused as expired credentials would be: the
/// alias cannot be pointed, nor the version the optimizer published deleted.
struct ExpiredAtTheAlias {
    expired: std::cell::Cell<bool>,
}

impl ExpiredAtTheAlias {
    fn refused<T>(&self) -> Result<T, LambdaError> {
        Err(LambdaError::AccessDenied {
            action: None,
            message: "The security token included in the request is expired".into(),
        })
    }
}

impl Overrides for ExpiredAtTheAlias {
    async fn create_alias<A: LambdaApi>(
        &self,
        inner: &A,
        function: &FunctionArn,
        alias: &str,
        version: &str,
    ) -> Result<(), LambdaError> {
        if alias == "live" {
            self.expired.set(true);
        }
        if self.expired.get() {
            return self.refused();
        }
        inner.create_alias(function, alias, version).await
    }

    async fn delete_version<A: LambdaApi>(
        &self,
        inner: &A,
        function: &FunctionArn,
        version: &str,
    ) -> Result<(), LambdaError> {
        if self.expired.get() {
            return self.refused();
        }
        inner.delete_version(function, version).await
    }

    async fn update_function_configuration<A: LambdaApi>(
        &self,
        inner: &A,
        function: &FunctionArn,
        update: &powertune_tuner::api::ConfigUpdate,
    ) -> Result<powertune_tuner::api::FunctionConfig, LambdaError> {
        if self.expired.get() {
            return self.refused();
        }
        inner.update_function_configuration(function, update).await
    }
}

#[test]
fn a_version_published_for_the_alias_is_journaled_before_the_alias_is_pointed() {
    // Found by the chaos runs: the optimizer published its version, pointing the alias failed,
    // and so did deleting the version (the credentials had expired). Nothing knew of the version.
    let w = World::new(Faults::default());
    let api = Intercepted {
        inner: &w.sim,
        overrides: ExpiredAtTheAlias {
            expired: std::cell::Cell::new(false),
        },
    };
    expires_while_optimizing(&w, &api);
    let left = w.sim.snapshot(&w.arn("image-resizer")).unwrap();
    assert_eq!(left.versions.len(), 1, "the optimizer's version is left");
    assert!(
        w.journal.entries().iter().any(|e| matches!(
            e,
            powertune_tuner::journal::JournalEntry::Optimum { version, .. }
                if *version == left.versions[0]
        )),
        "and journaled: {:?}",
        w.journal.entries()
    );
    // A later cleanup, with fresh credentials, removes it and puts the memory back.
    let report = w.clean_up_from_journal();
    assert!(report.is_complete(), "{report:?}");
    w.assert_clean("image-resizer", 1024);
}

#[test]
fn an_unfinished_optimization_puts_the_users_alias_back() {
    // The journal of a process that died right after the optimizer moved `live`: the cleanup
    // points `live` back at the version it named before, and deletes the optimizer's.
    let w = World::new(Faults::default());
    let arn = w.arn("image-resizer");
    let (before, optimum) = block_on(async {
        let before = w.sim.publish_version(&arn).await.unwrap();
        w.sim.create_alias(&arn, "live", &before).await.unwrap();
        let update = powertune_tuner::api::ConfigUpdate {
            memory: Some(powertune_tuner::MemoryMb::new(2048).unwrap()),
            description: None,
            revision_id: None,
        };
        w.sim
            .update_function_configuration(&arn, &update)
            .await
            .unwrap();
        w.clock.advance(std::time::Duration::from_secs(10));
        let optimum = w.sim.publish_version(&arn).await.unwrap();
        w.sim.update_alias(&arn, "live", &optimum).await.unwrap();
        (before, optimum)
    });
    w.journal
        .put(powertune_tuner::journal::JournalEntry::Optimum {
            function: arn.clone(),
            alias: "live".into(),
            version: optimum.clone(),
            previous: Some(before.clone()),
        })
        .unwrap();
    let report = w.clean_up_from_journal();
    assert!(report.is_complete(), "{report:?}");
    assert_eq!(report.versions_deleted, [optimum]);
    assert_eq!(block_on(w.sim.get_alias(&arn, "live")).unwrap(), before);
    assert!(w.journal.entries().is_empty());
}

#[test]
fn applying_by_hand_names_a_version_it_could_not_delete() {
    // The web app's Apply button has no run and no journal: when the alias cannot be pointed
    // and the version not deleted, the error says which version is left and how to delete it.
    let w = World::new(Faults::default());
    let api = Intercepted {
        inner: &w.sim,
        overrides: ExpiredAtTheAlias {
            expired: std::cell::Cell::new(false),
        },
    };
    let arn = w.arn("image-resizer");
    let error = block_on(engine::apply(
        &api,
        &w.clock,
        &arn,
        powertune_tuner::MemoryMb::new(2048).unwrap(),
        Some("live"),
        RunOptions::default().wait_limit,
    ))
    .unwrap_err();
    let left = w.sim.snapshot(&arn).unwrap().versions;
    assert_eq!(left.len(), 1);
    let text = error.to_string();
    assert!(
        text.contains(&format!(
            "version {} of image-resizer, published for alias live, could not be deleted",
            left[0]
        )) && text.contains(&format!(
            "aws lambda delete-function --function-name image-resizer --qualifier {}",
            left[0]
        )),
        "{text}"
    );
}
