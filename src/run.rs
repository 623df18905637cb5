//! A tuning run on the page: one [`Action`] whose future hands the run to the engine's worker
//! and folds its events into a progress signal. The outcome keeps the domain's error types up to
//! the view.

use std::rc::Rc;

use futures::{FutureExt as _, select_biased};
use leptos::prelude::*;
use powertune_tuner::{TuningInput, cancel::CancelToken, journal::Journal, share::compact};

pub use crate::outcome::{RunOutcome, RunProblem};
use crate::{
    engine_worker::{EngineWorker, use_engine_worker},
    history::RunHistory,
    progress::Progress,
    session::SessionError,
    worker_protocol::{Account, Reply, Task},
};

/// What a run needs, gathered by the Start handler.
pub struct RunRequest {
    /// Where the Lambda calls go, or why there is nowhere.
    pub account: Result<Account, SessionError>,
    /// Where what the run creates is recorded.
    pub journal: Rc<dyn Journal>,
    /// The validated input.
    pub input: TuningInput,
    /// The function's .zip package, chosen by hand, for a comparison's copy.
    pub package: Option<Vec<u8>>,
    /// Cancels the run (it still cleans up).
    pub cancel: CancelToken,
}

/// The page's tuning run: the action, its live progress, and the token that cancels it.
#[derive(Clone, Copy)]
pub struct TuningRun {
    /// Dispatched by Start; its value is the last outcome.
    pub action: Action<RunRequest, RunOutcome>,
    /// The live progress of the current (or last) run.
    pub progress: RwSignal<Progress>,
    cancel: StoredValue<Option<CancelToken>, LocalStorage>,
}

impl TuningRun {
    /// The run action; finished runs go into `history`, provided as context.
    pub fn provide(history: RwSignal<RunHistory>) -> Self {
        let progress = RwSignal::new(Progress::default());
        let engine = use_engine_worker();
        let action = Action::new_local(move |request: &RunRequest| {
            let request = RunRequest {
                account: request.account.clone(),
                journal: request.journal.clone(),
                input: request.input.clone(),
                package: request.package.clone(),
                cancel: request.cancel.clone(),
            };
            async move {
                let outcome = execute(&engine, request, progress).await;
                progress.update(|p| p.ended_at = Some(js_sys::Date::now()));
                if let RunOutcome::Finished(finished) = &outcome {
                    let at = clock_time();
                    let label = format!("{} at {at}", compact::label(&finished.result));
                    history.update(|h| {
                        h.finish(label, finished.result.clone());
                        // A comparison's other architectures, shown beside it.
                        for compared in &finished.compared {
                            if let Ok(result) = &compared.outcome {
                                let label = format!(
                                    "{}, a temporary copy, at {at}",
                                    compact::label(result)
                                );
                                h.add_beside(label, result.clone());
                            }
                        }
                    });
                }
                outcome
            }
        });
        let run = Self {
            action,
            progress,
            cancel: StoredValue::new_local(None),
        };
        // If the page's app goes away mid-run (unmounted), the run is cancelled: its future
        // goes on to clean up, as the hackernews example cancels its requests on cleanup.
        on_cleanup(move || run.cancel());
        provide_context(run);
        run
    }

    /// Starts a run of `input` (the caller gathered the account's parts).
    pub fn start(
        &self,
        account: Result<Account, SessionError>,
        journal: Rc<dyn Journal>,
        input: TuningInput,
        package: Option<Vec<u8>>,
    ) {
        let cancel = CancelToken::new();
        self.cancel.set_value(Some(cancel.clone()));
        self.progress.set(Progress::started(js_sys::Date::now()));
        self.action.dispatch_local(RunRequest {
            account,
            journal,
            input,
            package,
            cancel,
        });
    }

    /// Asks the run to stop; it cleans up, then ends as cancelled.
    pub fn cancel(&self) {
        self.cancel.try_with_value(|c| {
            if let Some(c) = c {
                c.cancel();
            }
        });
    }

    /// Whether a run is under way (tracked).
    pub fn is_running(&self) -> bool {
        self.action.pending().get()
    }

    /// Whether a run is under way (not tracked, for event handlers).
    pub fn is_running_untracked(&self) -> bool {
        self.action.pending().get_untracked()
    }

    /// Whether a run was ever started on this page (tracked).
    pub fn has_started(&self) -> bool {
        self.is_running() || self.action.value().with(Option::is_some)
    }
}

/// The page's [`TuningRun`].
pub fn use_tuning_run() -> TuningRun {
    expect_context::<TuningRun>()
}

/// Hands `request` to the engine's worker, folding its events into `progress`; a cancel is
/// passed on, and the run answers once it has cleaned up.
async fn execute(
    engine: &EngineWorker,
    request: RunRequest,
    progress: RwSignal<Progress>,
) -> RunOutcome {
    let RunRequest {
        account,
        journal,
        input,
        package,
        cancel,
    } = request;
    let account = match account {
        Ok(account) => account,
        Err(e) => return RunOutcome::Stopped(RunProblem::from(e).into()),
    };
    let pending = engine.start(
        Task::Run {
            input: Box::new(input),
            account,
            package,
        },
        Some(journal),
        move |e| {
            progress.update(|p| p.apply(&e));
        },
    );
    let id = pending.id;
    let reply = pending.reply().fuse();
    let cancelled = cancel.cancelled().fuse();
    futures::pin_mut!(reply, cancelled);
    let reply = select_biased! {
        reply = reply => reply,
        () = cancelled => {
            engine.cancel(id);
            reply.await
        }
    };
    match reply.and_then(Reply::into_run) {
        Ok(outcome) => outcome,
        Err(e) => RunOutcome::Stopped(RunProblem::from(e).into()),
    }
}

/// The local time of day, `HH:MM:SS`, to tell runs apart.
fn clock_time() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:02}:{:02}:{:02}",
        now.get_hours(),
        now.get_minutes(),
        now.get_seconds()
    )
}
