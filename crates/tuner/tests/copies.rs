//! The copy of a function for the other architecture, on the simulation: journaled before it
//! is created, waited for while Pending, deleted whole by cleanup (its aliases with it), and
//! nothing created when the journal cannot be written or the package is refused.

use std::time::Duration;

use futures::executor::block_on;
use powertune_tuner::{
    alias::TuningAlias,
    api::{FunctionCode, FunctionState, LambdaApi, Package},
    cancel::CancelToken,
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
        &CancelToken::new(),
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
    // the entries of what went with it are forgotten.
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
    // And had changed the copy's $LATEST, which there is no need to restore once it is gone
    // (restoring it failed with NotFound before: the chaos runs found it).
    w.journal
        .put(JournalEntry::Restore {
            function: arn.clone(),
            memory: details.definition.config.memory,
            description: String::new(),
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
        &CancelToken::new(),
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
        &CancelToken::new(),
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

type Compared =
    Result<powertune_tuner::engine::compare::Comparison, Box<powertune_tuner::engine::RunFailure>>;

/// Compares the architectures of `name` on the simulation, cancelling when `cancel_when` holds.
fn compare(
    w: &World,
    name: &str,
    code: Option<&FunctionCode>,
    cancel_when: impl Fn(&powertune_tuner::engine::Event) -> bool,
) -> Compared {
    let both =
        serde_json::json!({"architectures": ["x86_64", "arm64"], "monthlyInvocations": 10_000_000});
    compare_with(w, name, both, code, cancel_when)
}

/// [`compare`] with `keys` as the input's (`architectures` among them).
fn compare_with(
    w: &World,
    name: &str,
    keys: serde_json::Value,
    code: Option<&FunctionCode>,
    cancel_when: impl Fn(&powertune_tuner::engine::Event) -> bool,
) -> Compared {
    let input = w.input(name, keys);
    let details = block_on(w.sim.get_function(&w.arn(name))).unwrap();
    let cancel = CancelToken::new();
    let on_event = |e: powertune_tuner::engine::Event| {
        if cancel_when(&e) {
            cancel.cancel();
        }
    };
    block_on(powertune_tuner::engine::compare::compare(
        &w.sim,
        &w.clock,
        &w.journal,
        &input,
        None,
        &powertune_tuner::engine::RunOptions::default(),
        powertune_tuner::engine::Hooks {
            on_event: &on_event,
            cancel: &cancel,
        },
        &details,
        code,
        "t3",
    ))
}

#[test]
fn both_architectures_are_tuned_and_the_copy_is_gone_after() {
    let w = World::new(Faults::default());
    let (_, code) = package(&w, "image-resizer");
    let comparison = compare(&w, "image-resizer", Some(&code), |_| false).unwrap();
    let architectures: Vec<Architecture> = comparison.runs.iter().map(|r| r.architecture).collect();
    assert_eq!(architectures, [Architecture::X86_64, Architecture::Arm64]);
    assert_eq!(
        comparison.runs[1].function.name(),
        "image-resizer-pt-arm64-t3"
    );
    for run in &comparison.runs {
        let report = run.outcome.as_ref().unwrap();
        assert_eq!(
            report.result.as_ref().unwrap().architecture,
            run.architecture,
            "each series is priced for its own architecture"
        );
    }
    assert_eq!(
        comparison.copy_cleanup.functions_deleted,
        ["image-resizer-pt-arm64-t3"]
    );
    assert!(w.sim.snapshot(&comparison.runs[1].function).is_none());
    w.assert_clean("image-resizer", 1024);
    // The simulated copy runs as fast as the original, and arm64's GB-second costs 20 % less:
    // the cheapest size over both is arm64's.
    let best = comparison.best().unwrap();
    assert_eq!(best.architecture, Architecture::Arm64);
    // In money per month, against the function as it is (x86_64 at 1024 MB).
    let month = comparison.month_statement(Architecture::X86_64).unwrap();
    assert!(month.starts_with("arm64 at "), "{month}");
    assert!(
        month.contains("/month") && month.contains("less than the current x86_64 at 1024 MB"),
        "{month}"
    );
}

#[test]
fn a_cancel_during_the_copys_tuning_deletes_the_copy_and_no_code_creates_nothing() {
    let w = World::new(Faults::default());
    let (_, code) = package(&w, "image-resizer");
    let published = std::cell::Cell::new(0);
    // The second run's third publish: the copy is being tuned.
    let comparison = compare(&w, "image-resizer", Some(&code), |e| {
        if matches!(e, powertune_tuner::engine::Event::Published { .. }) {
            published.set(published.get() + 1);
        }
        published.get() == 5 + 3
    })
    .unwrap();
    let copy_run = comparison.runs.last().unwrap();
    assert_eq!(copy_run.architecture, Architecture::Arm64);
    assert!(
        matches!(&copy_run.outcome, Err(f) if f.error == RunError::Cancelled),
        "{:?}",
        copy_run.outcome.as_ref().err()
    );
    assert!(w.sim.snapshot(&copy_run.function).is_none());
    assert!(w.journal.entries().is_empty(), "{:?}", w.journal.entries());
    w.assert_clean("image-resizer", 1024);

    let w = World::new(Faults::default());
    let refused = compare(&w, "image-resizer", None, |_| false).unwrap_err();
    assert!(
        matches!(refused.error, RunError::CopyRefused { .. }),
        "{}",
        refused.error
    );
    assert!(
        refused.error.to_string().contains("deployment package"),
        "{}",
        refused.error
    );
    assert_eq!(w.sim.function_arns().len(), 4, "no copy was made");
}

#[test]
fn a_runtime_without_arm64_is_refused_before_anything_is_created() {
    let w = World::new(Faults::default());
    let mut spec = powertune_tuner::sim::sample_functions("us-east-1")[0].clone();
    spec.name = "legacy-go".into();
    spec.runtime = "go1.x".into();
    spec.platform.runtime = Some("go1.x".into());
    w.sim.add_function(spec);
    let text = refused_on_arm64(&w, "legacy-go");
    assert!(
        text.contains("go1.x has no arm64") && text.contains("provided.al2"),
        "{text}"
    );
}

/// A comparison of `name` refused for its arm64 copy before anything was created: the reason.
fn refused_on_arm64(w: &World, name: &str) -> String {
    let functions = w.sim.function_arns().len();
    let (_, code) = package(w, name);
    let refused = compare(w, name, Some(&code), |_| false).unwrap_err();
    let text = refused.error.to_string();
    assert!(
        matches!(
            refused.error,
            RunError::CopyRefused {
                architecture: Architecture::Arm64,
                ..
            }
        ),
        "{text}"
    );
    assert_eq!(w.sim.function_arns().len(), functions, "no copy was made");
    let snap = w.sim.snapshot(&w.arn(name)).unwrap();
    assert!(
        snap.aliases.is_empty() && snap.versions.is_empty(),
        "{snap:?}"
    );
    text
}

#[test]
fn a_copy_whose_code_does_not_run_on_arm64_is_told_apart_and_deleted() {
    // ml-inference's wheels are x86_64-only native code: on arm64 every call fails at once.
    let w = World::new(Faults::default());
    let (_, code) = package(&w, "ml-inference");
    let comparison = compare(&w, "ml-inference", Some(&code), |_| false).unwrap();
    let [own, copy] = &comparison.runs[..] else {
        panic!("{:?}", comparison.runs)
    };
    assert!(own.outcome.is_ok() && !own.does_not_run());
    assert!(copy.does_not_run(), "{:?}", copy.outcome.as_ref().err());
    assert_eq!(
        comparison.best().unwrap().architecture,
        Architecture::X86_64
    );
    assert!(w.sim.snapshot(&copy.function).is_none());
    w.assert_clean("ml-inference", 3008);
}

#[test]
fn a_layer_built_for_x86_64_only_is_named_and_nothing_is_created() {
    let w = World::new(Faults::default());
    let arn = w.arn("image-resizer");
    let layer = "arn:aws:lambda:us-east-1:123456789012:layer:sharp-native:3";
    // A layer that names no architecture is taken as compatible, as Lambda does.
    w.sim.attach_layer(
        &arn,
        "arn:aws:lambda:us-east-1:123456789012:layer:config:1",
        &[],
    );
    w.sim.attach_layer(&arn, layer, &[Architecture::X86_64]);
    let text = refused_on_arm64(&w, "image-resizer");
    assert!(
        text.contains(layer) && text.contains("x86_64 only"),
        "{text}"
    );
    w.assert_clean("image-resizer", 1024);

    // Compatible with both: the comparison runs.
    let w = World::new(Faults::default());
    let arn = w.arn("image-resizer");
    w.sim
        .attach_layer(&arn, layer, &[Architecture::X86_64, Architecture::Arm64]);
    let (_, code) = package(&w, "image-resizer");
    let comparison = compare(&w, "image-resizer", Some(&code), |_| false).unwrap();
    assert_eq!(comparison.runs.len(), 2);
}

#[test]
fn whether_the_architectures_are_apart_is_said_on_their_intervals() {
    // image-resizer runs 15 % faster on arm64, whose GB-second costs 20 % less.
    let w = World::new(Faults::default());
    let (_, code) = package(&w, "image-resizer");
    let comparison = compare(&w, "image-resizer", Some(&code), |_| false).unwrap();
    let cost = comparison
        .across_noise(powertune_tuner::Strategy::Cost)
        .unwrap();
    assert!(
        cost.starts_with("arm64 at ") && cost.contains("is cheaper than x86_64 at "),
        "{cost}"
    );
    assert!(
        cost.contains("beyond noise (95 % intervals, 2 % tolerance)"),
        "{cost}"
    );
    assert_eq!(
        comparison.across_noise(powertune_tuner::Strategy::Balanced),
        None,
        "balanced scores are relative to each run"
    );
}

#[test]
fn a_function_on_managed_instances_is_refused_before_a_copy_is_made() {
    let w = World::new(Faults::default());
    let mut spec = powertune_tuner::sim::sample_functions("us-east-1")[0].clone();
    spec.name = "on-instances".into();
    spec.platform.capacity_provider =
        Some("arn:aws:lambda:us-east-1:123456789012:capacity-provider:fleet".into());
    w.sim.add_function(spec);
    let (_, code) = package(&w, "on-instances");
    // Only the other architecture: without the check its copy would be made first.
    let only_arm64 = serde_json::json!({"architectures": ["arm64"]});
    let refused = compare_with(&w, "on-instances", only_arm64, Some(&code), |_| false).unwrap_err();
    assert!(
        matches!(refused.error, RunError::Refused(_)),
        "{}",
        refused.error
    );
    assert!(refused.error.to_string().contains("Managed Instances"));
    assert_eq!(w.sim.function_arns().len(), 5, "no copy was made");
    assert!(w.journal.entries().is_empty());
}
