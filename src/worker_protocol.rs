//! The messages between the page and the engine's worker, as JSON text over `postMessage`.
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
    journal::{JournalEntry, JournalError},
};
use serde::{Deserialize, Serialize};

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
        input: Box<TuningInput>,
        /// Where.
        account: Account,
        /// The function's .zip package, chosen by hand, for a comparison's copy (when the
        /// browser may not download it from `Code.Location`).
        #[serde(default, with = "base64_bytes")]
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
        entries: Vec<JournalEntry>,
    },
    /// Lists a region's functions.
    ListFunctions {
        /// Where.
        account: Account,
        /// The region.
        region: String,
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
    Put(JournalEntry),
    /// Removes an entry.
    Remove(JournalEntry),
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
}

/// A message to the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// The worker listens: messages sent before were dropped (its wasm was still loading), so
    /// the page holds them until this one.
    Ready,
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

/// Bytes as base64 text, a third larger than the bytes rather than four times (a JSON array).
mod base64_bytes {
    use base64::{Engine as _, engine::general_purpose::STANDARD};
    use serde::{Deserialize as _, Deserializer, Serializer, de::Error as _};

    pub fn serialize<S: Serializer>(bytes: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(bytes) => s.serialize_some(&STANDARD.encode(bytes)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|text| STANDARD.decode(text).map_err(D::Error::custom))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use powertune_tuner::{
        engine::Phase, input::parse_input, pricing::Architecture, pricing::Price,
    };

    use super::*;

    fn round_trip<T: Serialize + for<'de> Deserialize<'de> + PartialEq + std::fmt::Debug>(
        value: &T,
    ) {
        let text = serde_json::to_string(value).unwrap();
        let back: T = serde_json::from_str(&text).unwrap();
        assert_eq!(&back, value, "{text}");
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
}
