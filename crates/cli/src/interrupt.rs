//! What every tuning command does around the engine: Ctrl-C cancels (the engine then cleans up),
//! and a stopped run is reported with what cleanup could not remove.

use std::future::Future;

use powertune_tuner::{cancel::CancelToken, engine::RunFailure};

/// `work` to its end; each Ctrl-C meanwhile cancels `cancel`.
pub async fn until_done<F: Future>(work: F, cancel: &CancelToken) -> F::Output {
    tokio::pin!(work);
    loop {
        tokio::select! {
            outcome = &mut work => return outcome,
            _ = tokio::signal::ctrl_c() => {
                eprintln!("cancelling: cleaning up what the run created…");
                cancel.cancel();
            }
        }
    }
}

/// Says why the run stopped, and what cleanup left in the journal.
pub fn report_stopped(failure: &RunFailure) {
    eprintln!("Error: {}", failure.error);
    if !failure.cleanup.is_complete() {
        eprintln!(
            "Cleanup left items behind ({}); they are in the journal: run `powertune cleanup` once the problem is fixed",
            failure.cleanup.errors.join("; ")
        );
    }
}
