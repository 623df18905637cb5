//! The account the page works in, as typed context: the mode (demo or AWS), the pasted
//! credentials, the region and the endpoint. Components read it with [`use_session`]; the Lambda
//! client is derived from it once per change of credentials or endpoint, not per call.

use std::rc::Rc;

use leptos::prelude::*;
use powertune_aws::{AwsLambda, CredentialsError, ParsedCredentials, runtime::unix_now};
use powertune_tuner::{
    journal::{Journal, MemoryJournal},
    sim::BenchmarkFunction,
};

use crate::{
    backend::{Backend, DEMO_REGION},
    journal::RunJournal,
};

/// The two kinds of account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The simulated account in this page.
    Demo,
    /// A real AWS account (or an emulator).
    Aws,
}

/// Why the session cannot make Lambda calls.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    /// AWS mode without credentials.
    #[error(
        "paste temporary credentials for your AWS account first (or switch to the demo account)"
    )]
    NoCredentials,
    /// The pasted credentials have expired.
    #[error(transparent)]
    Expired(CredentialsError),
}

/// What the AWS client was built from, to build it again only when this changes.
type ClientKey = (ParsedCredentials, String);

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
    demo: StoredValue<Backend, LocalStorage>,
    aws: StoredValue<Option<(ClientKey, Backend)>, LocalStorage>,
}

impl Session {
    /// A session in the demo account, provided as context to the components below.
    pub fn provide() -> Self {
        let session = Self {
            mode: RwSignal::new(Mode::Demo),
            credentials: RwSignal::new(None),
            region: RwSignal::new("us-east-1".to_owned()),
            endpoint: RwSignal::new(String::new()),
            demo: StoredValue::new_local(Backend::demo()),
            aws: StoredValue::new_local(None),
        };
        provide_context(session);
        session
    }

    /// The Lambda client for the current account (not tracked: call it from handlers and
    /// actions).
    ///
    /// # Errors
    /// [`SessionError`] when AWS mode has no credentials or they have expired.
    pub fn backend(&self) -> Result<Backend, SessionError> {
        match self.mode.get_untracked() {
            Mode::Demo => Ok(self.demo.get_value()),
            Mode::Aws => self.aws_backend(),
        }
    }

    /// The client for the pasted credentials, whatever the mode: crash recovery cleans up in
    /// the AWS account even while the demo account is picked.
    ///
    /// # Errors
    /// [`SessionError`] without credentials or with expired ones.
    pub fn aws_backend(&self) -> Result<Backend, SessionError> {
        let credentials = self
            .credentials
            .get_untracked()
            .ok_or(SessionError::NoCredentials)?;
        credentials
            .check_fresh(unix_now())
            .map_err(SessionError::Expired)?;
        let key = (credentials, self.endpoint.get_untracked().trim().to_owned());
        if let Some(backend) = self.aws.with_value(|cached| {
            cached
                .as_ref()
                .filter(|(k, _)| *k == key)
                .map(|(_, b)| b.clone())
        }) {
            return Ok(backend);
        }
        let endpoint = (!key.1.is_empty()).then(|| key.1.clone());
        let backend = Backend::Aws(Rc::new(AwsLambda::from_parsed(&key.0, endpoint)));
        self.aws.set_value(Some((key, backend.clone())));
        Ok(backend)
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

    /// Adds `functions` to the demo account, keeping those it has already (a run may be
    /// measuring one).
    pub fn add_demo_functions(&self, functions: &[BenchmarkFunction]) {
        if let Backend::Demo(sim) = self.demo.get_value() {
            let known = sim.function_arns();
            for function in functions {
                if !known.iter().any(|arn| arn.name() == function.spec.name) {
                    sim.add_function(function.spec.clone());
                }
            }
        }
    }

    /// What a run in this session signs its S3 and CloudWatch calls with (none in the demo
    /// account).
    pub fn aws_access(&self) -> Option<AwsAccess> {
        (self.mode.get_untracked() == Mode::Aws)
            .then(|| self.credentials.get_untracked())
            .flatten()
            .map(|credentials| {
                let endpoint = self.endpoint.get_untracked().trim().to_owned();
                AwsAccess {
                    credentials,
                    endpoint: (!endpoint.is_empty()).then_some(endpoint),
                }
            })
    }
}

/// Credentials and the custom endpoint, if any, for the calls made beside Lambda's.
#[derive(Clone)]
pub struct AwsAccess {
    /// The pasted credentials.
    pub credentials: ParsedCredentials,
    /// A custom endpoint (emulator, LocalStack) that serves CloudWatch too; `None` for AWS.
    pub endpoint: Option<String>,
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
        Mode::Demo => {
            demo_function_arn(&powertune_tuner::sim::sample_functions(DEMO_REGION)[0].name)
        }
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
