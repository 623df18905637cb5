//! The messages between the page and the engine's worker, as postcard bytes over `postMessage`
//! ([`encode`], [`decode`]): compact, and little code on the page to decode them, where
//! serde_json's readers of the same types were some 40 KB of its download.
//!
//! The page keeps the form, results, charts and share links; the worker keeps the engine, the
//! AWS SDK and the demo account, so the page opens without them. Errors keep their types
//! across: the page shows a worker's `RunError` as it showed the engine's own.
//!
//! A run's journal stays with the page (its `localStorage` and Web Lock): the worker sends each
//! write ([`FromWorker::Journal`]) and waits for the page's answer ([`ToWorker::JournalStored`])
//! before it creates what the entry names.

use powertune_aws::HandedCredentials;
use powertune_tuner::{
    FunctionArn, MemoryMb, TuningInput,
    engine::{CleanupReport, Event, RunError},
    export::{File, Format},
    journal::{JournalEntry, JournalError},
    result::RunResult,
};
use serde::{Deserialize, Serialize, de::DeserializeOwned};

use crate::outcome::{ListError, RunOutcome, WorkerError};

/// Which account a task works in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Account {
    /// The simulated account, living in the worker.
    Demo,
    /// A real account (or an emulator at `endpoint`).
    Aws {
        /// The pasted credentials, held in the worker's memory only.
        credentials: HandedCredentials,
        /// A custom endpoint (emulator, LocalStack); `None` for AWS.
        endpoint: Option<String>,
    },
}

/// What the page asks of the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Task {
    /// A tuning run.
    Run {
        /// The validated input.
        #[serde(with = "crate::json_text")]
        input: Box<TuningInput>,
        /// Where.
        account: Account,
        /// The function's .zip package, chosen by hand, for a comparison's copy (when the
        /// browser may not download it from `Code.Location`).
        package: Option<Vec<u8>>,
    },
    /// Applies `memory` (and optionally a new version behind `alias`).
    Apply {
        /// Where.
        account: Account,
        /// The function.
        function: FunctionArn,
        /// The size.
        memory: MemoryMb,
        /// The alias to point at a new version, if any.
        alias: Option<String>,
    },
    /// Undoes a dead run's journal entries.
    CleanUp {
        /// Where.
        account: Account,
        /// What to undo.
        #[serde(with = "crate::json_text")]
        entries: Vec<JournalEntry>,
    },
    /// Lists a region's functions.
    ListFunctions {
        /// Where.
        account: Account,
        /// The region.
        region: String,
    },
    /// Writes a run's download.
    Export {
        /// The run, as viewed.
        run: Box<RunResult>,
        /// Which download.
        format: Format,
    },
}

/// A message to the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    /// Starts task `id`.
    Start {
        /// Chosen by the page, unique per page.
        id: u32,
        /// The task.
        task: Box<Task>,
    },
    /// Cancels task `id` (a run cleans up, then answers as cancelled).
    Cancel {
        /// The task.
        id: u32,
    },
    /// The page stored (or could not store) journal write `seq` of task `id`.
    JournalStored {
        /// The task.
        id: u32,
        /// The write.
        seq: u32,
        /// Whether it is durable.
        result: Result<(), JournalError>,
    },
    /// "Forget credentials": drops every AWS client the worker holds.
    ForgetCredentials,
}

/// A journal write the page makes for the worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum JournalWrite {
    /// Adds (or replaces) an entry.
    Put(#[serde(with = "crate::json_text")] JournalEntry),
    /// Removes an entry.
    Remove(#[serde(with = "crate::json_text")] JournalEntry),
}

/// What a task ended with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// A run's outcome.
    Run(RunOutcome),
    /// An apply's.
    Applied(Result<(), RunError>),
    /// A cleanup's.
    CleanedUp(CleanupReport),
    /// A listing's.
    Functions(Result<Vec<FunctionArn>, ListError>),
    /// A download's file.
    Exported(File),
}

impl Reply {
    /// The worker answered with the reply of another kind of task than `task`: a bug.
    fn mismatch(task: &str) -> WorkerError {
        WorkerError(format!("answered {task} with another task's reply"))
    }

    /// A run's outcome.
    ///
    /// # Errors
    /// [`WorkerError`] for another task's reply.
    pub fn into_run(self) -> Result<RunOutcome, WorkerError> {
        match self {
            Self::Run(outcome) => Ok(outcome),
            _ => Err(Self::mismatch("a run")),
        }
    }

    /// An apply's outcome.
    ///
    /// # Errors
    /// [`WorkerError`] for another task's reply.
    pub fn into_applied(self) -> Result<Result<(), RunError>, WorkerError> {
        match self {
            Self::Applied(applied) => Ok(applied),
            _ => Err(Self::mismatch("an apply")),
        }
    }

    /// A cleanup's report.
    ///
    /// # Errors
    /// [`WorkerError`] for another task's reply.
    pub fn into_cleaned_up(self) -> Result<CleanupReport, WorkerError> {
        match self {
            Self::CleanedUp(report) => Ok(report),
            _ => Err(Self::mismatch("a cleanup")),
        }
    }

    /// A listing's functions.
    ///
    /// # Errors
    /// [`WorkerError`] for another task's reply.
    pub fn into_functions(self) -> Result<Result<Vec<FunctionArn>, ListError>, WorkerError> {
        match self {
            Self::Functions(listed) => Ok(listed),
            _ => Err(Self::mismatch("a listing")),
        }
    }

    /// A download's file.
    ///
    /// # Errors
    /// [`WorkerError`] for another task's reply.
    pub fn into_exported(self) -> Result<File, WorkerError> {
        match self {
            Self::Exported(file) => Ok(file),
            _ => Err(Self::mismatch("a download")),
        }
    }
}

/// This build's id, the same in the page and the worker built with it (`build.rs`).
pub const BUILD: &str = env!("POWERTUNE_BUILD");

/// A message to the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// The worker listens: messages sent before were dropped (its wasm was still loading), so
    /// the page holds them until this one. It says which build the worker is ([`BUILD`]):
    /// postcard reads another release's messages without noticing (it reads fields in order,
    /// with no names to mismatch), so the page checks this first ([`check_build`]). It stays
    /// the first variant, so that any release reads it.
    Ready {
        /// The worker's [`BUILD`].
        build: String,
    },
    /// Progress of task `id`.
    Event {
        /// The task.
        id: u32,
        /// What happened.
        event: Event,
    },
    /// Task `id` needs journal write `seq` stored before it goes on.
    Journal {
        /// The task.
        id: u32,
        /// The write's number within the task.
        seq: u32,
        /// The write.
        write: JournalWrite,
    },
    /// Task `id` ended.
    Done {
        /// The task.
        id: u32,
        /// How.
        reply: Reply,
    },
}

/// Whether a worker of `build` may serve this page: only one of the same build.
///
/// # Errors
/// [`WorkerError`] naming both builds otherwise.
pub fn check_build(build: &str) -> Result<(), WorkerError> {
    if build == BUILD {
        Ok(())
    } else {
        Err(WorkerError(format!(
            "is from another release than this page (build {build}, the page's {BUILD}; a cached copy)"
        )))
    }
}

/// `message` as the bytes `postMessage` carries.
///
/// # Errors
/// Only for a value postcard cannot write (a bug: the tests write every kind of message).
pub fn encode<T: Serialize>(message: &T) -> Result<Vec<u8>, postcard::Error> {
    postcard::to_allocvec(message)
}

/// A message from the bytes [`encode`] made.
///
/// # Errors
/// When the bytes are not such a message (from another release's worker, say).
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, postcard::Error> {
    postcard::from_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use powertune_tuner::{
        alias::TuningAlias,
        engine::Phase,
        failure::{FailureKind, SizeFailure},
        fixtures,
        input::parse_input,
        pricing::{Architecture, Price},
        result::{SamplingSummary, Unmeasured},
        sampling::SamplingMode,
        traffic::{Traffic, TrafficSource},
    };

    use crate::outcome::{ComparedRun, Finished, RunProblem, SessionError, Stopped};

    use super::*;

    fn round_trip<T: Serialize + for<'de> Deserialize<'de> + PartialEq + std::fmt::Debug>(
        value: &T,
    ) {
        let bytes = encode(value).unwrap();
        let back: T = decode(&bytes).unwrap();
        assert_eq!(&back, value, "{bytes:?}");
    }

    #[test]
    fn a_run_crosses_with_its_input_whole() {
        let input = parse_input(
            r#"{"lambdaARN": "arn:aws:lambda:eu-west-1:123456789012:function:f", "powerValues": [128, 1024], "num": 7, "strategy": "balanced", "sampling": "adaptive", "payload": {"a": 1}}"#,
        )
        .unwrap()
        .input;
        round_trip(&ToWorker::Start {
            id: 3,
            task: Box::new(Task::Run {
                input: Box::new(input),
                account: Account::Demo,
                package: Some(b"PK\x03\x04 a package".to_vec()),
            }),
        });
    }

    #[test]
    fn events_and_typed_errors_cross_unchanged() {
        let memory = MemoryMb::new(1024).unwrap();
        round_trip(&FromWorker::Event {
            id: 1,
            event: Event::Initialized {
                memory,
                sizes: vec![memory],
                invocations_per_size: 10,
                price: Price::for_function("eu-west-1", Architecture::Arm64),
                ephemeral_mb: 512,
            },
        });
        round_trip(&FromWorker::Done {
            id: 1,
            reply: Reply::Applied(Err(RunError::Stuck {
                phase: Phase::Optimizing,
                what: "the update".into(),
                waited: std::time::Duration::from_secs(60),
            })),
        });
        round_trip(&ToWorker::JournalStored {
            id: 1,
            seq: 4,
            result: Err(JournalError {
                where_: "this browser's localStorage".into(),
                reason: "full".into(),
            }),
        });
    }

    /// A result with every optional part, some present and some absent, and failed and
    /// unmeasured sizes: a size's statistics are flattened and its absent cost interval left
    /// out in JSON, and a failure's kind is a tag inside it, none of which postcard could read
    /// back.
    fn result_with_every_part() -> RunResult {
        let mut run = fixtures::measured_run();
        run.sizes[0].error = Some(SizeFailure::new(FailureKind::OutOfMemory, "ran out"));
        run.sizes[1].unmeasured = Some(Unmeasured::NotChosen);
        run.sizes[2].detail.as_mut().unwrap().cost_interval = None;
        run.sampling = Some(SamplingSummary {
            mode: SamplingMode::Adaptive,
            invocations: 31,
            published: 3,
            grid_invocations: 40,
            grid_published: 4,
        });
        run.traffic = Some(Traffic {
            invocations: 1_000_000,
            source: TrafficSource::Input,
            free_tier: false,
            other_gb_seconds: None,
            cold_start_rate: Some(0.01),
        });
        run
    }

    #[test]
    fn results_cross_whole_whatever_they_leave_out() {
        let run = result_with_every_part();
        let function: FunctionArn = "arn:aws:lambda:eu-west-1:123456789012:function:orders"
            .parse()
            .unwrap();
        round_trip(&FromWorker::Done {
            id: 2,
            reply: Reply::Run(RunOutcome::Finished(Box::new(Finished {
                function: function.clone(),
                result: run.clone(),
                invocations: 40,
                tuning_cost: 0.001,
                warnings: vec!["a warning".into()],
                compared: vec![
                    ComparedRun {
                        architecture: Architecture::Arm64,
                        function: function.clone(),
                        outcome: Ok(fixtures::measured_run()),
                    },
                    ComparedRun {
                        architecture: Architecture::Arm64,
                        function: function.clone(),
                        outcome: Err("the copy did not run".into()),
                    },
                ],
                comparison: vec!["arm64 is cheaper".into()],
            }))),
        });
        for partial in [Some(Box::new(run)), None] {
            round_trip(&FromWorker::Done {
                id: 2,
                reply: Reply::Run(RunOutcome::Stopped(Stopped {
                    problem: RunProblem::Session(SessionError::NoCredentials),
                    partial,
                    leftovers: vec!["delete alias RAM512".into()],
                })),
            });
        }
        round_trip(&FromWorker::Done {
            id: 2,
            reply: Reply::Run(RunOutcome::DryRunDone),
        });
        round_trip(&FromWorker::Done {
            id: 2,
            reply: Reply::Functions(Ok(vec![function])),
        });
        round_trip(&ToWorker::Start {
            id: 3,
            task: Box::new(Task::Export {
                run: Box::new(result_with_every_part()),
                format: Format::Csv,
            }),
        });
        round_trip(&FromWorker::Done {
            id: 3,
            reply: Reply::Exported(powertune_tuner::export::file(
                &result_with_every_part(),
                Format::Json,
            )),
        });
    }

    #[test]
    fn failures_and_journal_entries_cross_with_their_kinds() {
        let memory = MemoryMb::new(512).unwrap();
        let failure = SizeFailure::new(
            FailureKind::FunctionError {
                error_type: Some("ValueError".into()),
            },
            "bad",
        );
        for event in [
            Event::Retrying {
                memory,
                attempt: 2,
                error: failure.clone(),
            },
            Event::InvocationFailed {
                memory,
                error: failure.clone(),
            },
            Event::SizeFinished {
                memory,
                error: Some(failure),
            },
            Event::SizeFinished {
                memory,
                error: None,
            },
        ] {
            round_trip(&FromWorker::Event { id: 1, event });
        }
        let function: FunctionArn = "arn:aws:lambda:eu-west-1:123456789012:function:orders"
            .parse()
            .unwrap();
        let entries = vec![
            JournalEntry::Restore {
                function: function.clone(),
                memory,
                description: "before".into(),
            },
            JournalEntry::Alias {
                function: function.clone(),
                alias: TuningAlias::new(memory, None),
                version: None,
            },
            JournalEntry::Optimum {
                function: function.clone(),
                alias: "live".into(),
                version: "7".into(),
                previous: Some("6".into()),
            },
        ];
        for entry in &entries {
            round_trip(&FromWorker::Journal {
                id: 1,
                seq: 0,
                write: JournalWrite::Put(entry.clone()),
            });
            round_trip(&FromWorker::Journal {
                id: 1,
                seq: 1,
                write: JournalWrite::Remove(entry.clone()),
            });
        }
        round_trip(&ToWorker::Start {
            id: 5,
            task: Box::new(Task::CleanUp {
                account: Account::Demo,
                entries,
            }),
        });
    }

    #[test]
    fn the_worker_says_its_build_first_and_only_its_own_serves() {
        round_trip(&FromWorker::Ready {
            build: BUILD.into(),
        });
        // Ready is the first variant, its build the first field: every release reads it.
        let bytes = encode(&FromWorker::Ready {
            build: "0123456789abcdef".into(),
        })
        .unwrap();
        assert_eq!(&bytes[..2], &[0, 16]);
        assert_eq!(BUILD.len(), 16);
        assert_eq!(check_build(BUILD), Ok(()));
        let other = check_build("0123456789abcdef").unwrap_err().to_string();
        assert!(
            other.contains("another release") && other.contains("reload the page"),
            "{other}"
        );
    }

    #[test]
    fn a_journal_entry_in_json_is_the_entry_itself() {
        let entry = JournalEntry::Alias {
            function: "arn:aws:lambda:eu-west-1:123456789012:function:orders"
                .parse()
                .unwrap(),
            alias: TuningAlias::new(MemoryMb::new(512).unwrap(), None),
            version: Some("3".into()),
        };
        let json = serde_json::to_value(JournalWrite::Put(entry.clone())).unwrap();
        assert_eq!(json["Put"], serde_json::to_value(&entry).unwrap());
        assert_eq!(
            serde_json::from_value::<JournalWrite>(json).unwrap(),
            JournalWrite::Put(entry)
        );
    }
}
