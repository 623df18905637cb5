//! Two runs of one function started at the same moment (two tabs, two CI jobs), both past the
//! check for another run before either has changed anything: the run's first change is a
//! compare-and-swap on the `RevisionId` it read, so exactly one goes on and the other stops
//! having changed nothing, naming what it found.

use crate::support::World;
use futures::executor::block_on;
use powertune_tuner::{
    FunctionArn,
    api::{
        LambdaApi, LambdaError, VersionSummary,
        intercept::{Intercepted, Overrides},
    },
    cancel::CancelToken,
    clock::yield_now,
    engine::{self, Hooks, RunError, RunOptions},
    journal::{Journal, MemoryJournal},
    sim::Faults,
};
use serde_json::json;

/// Lets the other run go on after each check for another run, so both read the function before
/// either changes it.
struct Interleaved;

impl Overrides for Interleaved {
    async fn list_versions<A: LambdaApi>(
        &self,
        inner: &A,
        function: &FunctionArn,
    ) -> Result<Vec<VersionSummary>, LambdaError> {
        let versions = inner.list_versions(function).await;
        for _ in 0..3 {
            yield_now().await;
        }
        versions
    }
}

#[test]
fn of_two_runs_started_together_one_goes_on_and_the_other_changes_nothing() {
    let w = World::new(Faults::default());
    let api = Intercepted {
        inner: &w.sim,
        overrides: Interleaved,
    };
    let input = w.input(
        "api-handler",
        json!({"powerValues": [256, 512, 1024], "num": 5}),
    );
    let (first, second) = (MemoryJournal::default(), MemoryJournal::default());
    let options = RunOptions::default();
    let (cancel_a, cancel_b) = (CancelToken::new(), CancelToken::new());
    let quiet = |_| {};
    let hooks = |cancel| Hooks {
        on_event: &quiet,
        cancel,
    };
    let a = engine::run(
        &api,
        &w.clock,
        &first,
        &input,
        None,
        &options,
        hooks(&cancel_a),
    );
    let b = engine::run(
        &api,
        &w.clock,
        &second,
        &input,
        None,
        &options,
        hooks(&cancel_b),
    );
    let (a, b) = block_on(futures::future::join(a, b));
    let (won, lost) = match (a, b) {
        (Ok(won), Err(lost)) | (Err(lost), Ok(won)) => (won, lost),
        (a, b) => panic!(
            "exactly one run should go on: {:?} / {:?}",
            a.is_ok(),
            b.is_ok()
        ),
    };
    assert!(
        matches!(&lost.error, RunError::AnotherRun { found, .. } if found[0].contains("changed after this run read it")),
        "{}",
        lost.error
    );
    // The loser created nothing and journaled nothing; the winner measured every size.
    assert!(lost.cleanup.aliases_deleted.is_empty() && lost.cleanup.versions_deleted.is_empty());
    assert!(first.entries().is_empty() && second.entries().is_empty());
    let result = won.result.unwrap();
    assert!(
        result.sizes.iter().all(|s| s.is_usable()),
        "{:?}",
        result.sizes
    );
    assert_eq!(
        w.sim.snapshot(&w.arn("api-handler")).unwrap().invocations,
        15
    );
    w.assert_clean("api-handler", 512);
}
