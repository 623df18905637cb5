//! The account the page works in, as typed context: the mode (demo or AWS), the pasted
//! credentials, the region and the endpoint. Components read it with [`use_session`]; each task
//! hands the engine's worker the [`Account`] it works in (the worker keeps one client per
//! credentials and endpoint).

use std::rc::Rc;

use leptos::prelude::*;
use powertune_aws::{HandedCredentials, ParsedCredentials, runtime::unix_now};
use powertune_tuner::journal::{Journal, MemoryJournal};

pub use crate::outcome::SessionError;
use crate::{demo_data::DEMO_REGION, journal::RunJournal, worker_protocol::Account};

/// The two kinds of account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The simulated account (in the engine's worker).
    Demo,
    /// A real AWS account (or an emulator).
    Aws,
}

/// The page's account. Copy: every field is a handle to reactive state.
#[derive(Clone, Copy)]
pub struct Session {
    /// Demo or AWS.
    pub mode: RwSignal<Mode>,
    /// The recognised credentials (memory only; never stored).
    pub credentials: RwSignal<Option<ParsedCredentials>>,
    /// Region for listing functions.
    pub region: RwSignal<String>,
    /// Custom Lambda endpoint (emulator, LocalStack); empty for AWS.
    pub endpoint: RwSignal<String>,
}

impl Session {
    /// A session in the demo account, provided as context to the components below.
    pub fn provide() -> Self {
        let session = Self {
            mode: RwSignal::new(Mode::Demo),
            credentials: RwSignal::new(None),
            region: RwSignal::new("us-east-1".to_owned()),
            endpoint: RwSignal::new(String::new()),
        };
        provide_context(session);
        session
    }

    /// The account a task works in (not tracked: call it from handlers and actions).
    ///
    /// # Errors
    /// [`SessionError`] when AWS mode has no credentials or they have expired.
    pub fn account(&self) -> Result<Account, SessionError> {
        match self.mode.get_untracked() {
            Mode::Demo => Ok(Account::Demo),
            Mode::Aws => self.aws_account(),
        }
    }

    /// The AWS account of the pasted credentials, whatever the mode: crash recovery cleans up in
    /// the AWS account even while the demo account is picked.
    ///
    /// # Errors
    /// [`SessionError`] without credentials or with expired ones.
    pub fn aws_account(&self) -> Result<Account, SessionError> {
        let credentials = self
            .credentials
            .get_untracked()
            .ok_or(SessionError::NoCredentials)?;
        credentials
            .check_fresh(unix_now())
            .map_err(SessionError::Expired)?;
        let endpoint = self.endpoint.get_untracked().trim().to_owned();
        Ok(Account::Aws {
            credentials: HandedCredentials::from(&credentials),
            endpoint: (!endpoint.is_empty()).then_some(endpoint),
        })
    }

    /// Where a run records what it creates: memory for the demo account (a reload resets it
    /// anyway), this browser's localStorage for AWS, so a closed tab's leftovers can be removed
    /// (each run its own journal, marked alive while its tab is).
    pub fn journal(&self) -> Rc<dyn Journal> {
        match self.mode.get_untracked() {
            Mode::Demo => Rc::new(MemoryJournal::default()),
            Mode::Aws => Rc::new(RunJournal::start()),
        }
    }
}

/// The page's [`Session`].
///
/// # Panics
/// Outside the app (no session provided): a programming error.
pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// The function the form starts with in `mode`: the demo account's first sample function, or
/// nothing to pick for a real account.
pub fn default_function(mode: Mode) -> String {
    match mode {
        Mode::Demo => demo_function_arn(powertune_tuner::sim::SAMPLE_ABOUT[0].0),
        Mode::Aws => String::new(),
    }
}

/// The ARN of the demo account's sample function `name`.
pub fn demo_function_arn(name: &str) -> String {
    format!(
        "arn:aws:lambda:{DEMO_REGION}:{}:function:{name}",
        powertune_tuner::sim::DEMO_ACCOUNT
    )
}
