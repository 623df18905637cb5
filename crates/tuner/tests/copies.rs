//! The copy of a function for the other architecture, on the simulation: journaled before it
//! is created, waited for while Pending, deleted whole by cleanup (its aliases with it), and
//! nothing created when the journal cannot be written or the package is refused.

use std::time::Duration;

use futures::executor::block_on;
use powertune_tuner::{
    alias::TuningAlias,
    api::{FunctionCode, FunctionState, LambdaApi, Package},
    engine::{
        RunError,
        copy::{copy_arn, create_copy},
        retry::Retrier,
    },
    journal::{Journal, JournalEntry, JournalError},
    pricing::Architecture,
    sim::Faults,
};

use crate::support::World;

const LIMIT: Duration = Duration::from_secs(600);

fn package(w: &World, name: &str) -> (powertune_tuner::api::FunctionDetails, FunctionCode) {
    let details = block_on(w.sim.get_function(&w.arn(name))).unwrap();
    let Package::Zip {
        location: Some(location),
        ..
    } = &details.package
    else {
        panic!("{:?}", details.package)
    };
    let bytes = w.sim.package(location).unwrap();
    (details, FunctionCode::Zip(bytes))
}

#[test]
fn a_copy_is_journaled_first_waited_for_and_cleanup_deletes_it_whole() {
    let w = World::new(Faults {
        pending_duration: Duration::from_secs(20),
        ..Faults::default()
    });
    let (details, code) = package(&w, "image-resizer");
    let retrier = Retrier::new(&w.clock, 1, &|_| {});
    let started = w.clock_ms();
    let config = block_on(create_copy(
        &w.sim,
        &retrier,
        &w.journal,
        &details,
        Architecture::Arm64,
        &code,
        "t1",
        LIMIT,
    ))
    .unwrap();
    assert_eq!(config.state, FunctionState::Active);
    assert_eq!(config.architecture, Architecture::Arm64);
    assert!(
        w.clock_ms() - started >= 20_000.0,
        "it waited while the copy was Pending"
    );
    let arn = copy_arn(&details.definition.config.arn, Architecture::Arm64, "t1");
    assert_eq!(arn.name(), "image-resizer-pt-arm64-t1");
    let copy_tags = block_on(w.sim.get_function(&arn)).unwrap().definition.tags;
    assert_eq!(
        copy_tags.get("powertune:copy-of"),
        Some(&details.definition.config.arn.to_string())
    );
    assert!(
        w.journal
            .entries()
            .iter()
            .any(|e| matches!(e, JournalEntry::Copy { function, .. } if *function == arn)),
        "{:?}",
        w.journal.entries()
    );

    // The run tuned the copy as far as an alias, then died: cleanup deletes the copy whole, and
    // the alias's entry goes with it.
    let version = block_on(w.sim.publish_version(&arn)).unwrap();
    let alias: TuningAlias = "RAM512".parse().unwrap();
    block_on(w.sim.create_alias(&arn, &alias.to_string(), &version)).unwrap();
    w.journal
        .put(JournalEntry::Alias {
            function: arn.clone(),
            alias,
            version: Some(version),
        })
        .unwrap();
    let report = w.clean_up_from_journal();
    assert!(report.is_complete(), "{report:?}");
    assert_eq!(report.functions_deleted, ["image-resizer-pt-arm64-t1"]);
    assert!(w.sim.snapshot(&arn).is_none());
    assert!(w.journal.entries().is_empty(), "{:?}", w.journal.entries());
    w.assert_clean("image-resizer", 1024);
    // Already gone: a second cleanup of the same entry is done, not an error.
    let again = block_on(powertune_tuner::engine::clean_up(
        &w.sim,
        &w.clock,
        &w.journal,
        &[JournalEntry::Copy {
            function: arn,
            of: details.definition.config.arn.clone(),
            architecture: Architecture::Arm64,
        }],
        LIMIT,
        &|_| {},
    ));
    assert!(again.is_complete(), "{again:?}");
}

/// A journal whose writes fail.
struct Unwritable;

impl Journal for Unwritable {
    fn put(&self, _: JournalEntry) -> Result<(), JournalError> {
        Err(JournalError {
            where_: "test".into(),
            reason: "disk full".into(),
        })
    }
    fn remove(&self, _: &JournalEntry) -> Result<(), JournalError> {
        Ok(())
    }
    fn entries(&self) -> Vec<JournalEntry> {
        Vec::new()
    }
}

#[test]
fn nothing_is_created_when_the_journal_cannot_record_it_or_the_package_is_refused() {
    let w = World::new(Faults::default());
    let (details, code) = package(&w, "image-resizer");
    let retrier = Retrier::new(&w.clock, 1, &|_| {});
    let arn = copy_arn(&details.definition.config.arn, Architecture::Arm64, "t2");
    let unrecorded = block_on(create_copy(
        &w.sim,
        &retrier,
        &Unwritable,
        &details,
        Architecture::Arm64,
        &code,
        "t2",
        LIMIT,
    ));
    assert!(
        matches!(unrecorded, Err(RunError::Journal(_))),
        "{unrecorded:?}"
    );
    assert!(w.sim.snapshot(&arn).is_none());

    let refused = block_on(create_copy(
        &w.sim,
        &retrier,
        &w.journal,
        &details,
        Architecture::Arm64,
        &FunctionCode::Zip(b"not a package".to_vec()),
        "t2",
        LIMIT,
    ));
    let Err(RunError::Lambda { source, .. }) = &refused else {
        panic!("{refused:?}")
    };
    assert!(source.to_string().contains("Could not unzip"), "{source}");
    assert!(w.sim.snapshot(&arn).is_none());
    // Its entry was written first; cleanup finds nothing to delete and forgets it.
    let report = w.clean_up_from_journal();
    assert!(report.is_complete(), "{report:?}");
    assert!(report.functions_deleted.is_empty(), "{report:?}");
    assert!(w.journal.entries().is_empty());
}
