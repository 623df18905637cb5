//! `powertune cleanup`: undo what interrupted runs left, from their journals.

use powertune_aws::runtime::TokioClock;
use powertune_tuner::{engine, journal::Journal as _};

use crate::{
    cli::ConnectArgs,
    connect::{credentials, journal_dir, lambda},
    exit::Exit,
    progress::Progress,
};

/// `powertune cleanup`.
pub async fn cleanup(connect: ConnectArgs) -> anyhow::Result<Exit> {
    let (journals, running) = journal_dir(&connect)?.leftovers()?;
    if running > 0 {
        eprintln!("{running} run(s) still going: their journals are left to them");
    }
    let journals: Vec<_> = journals
        .into_iter()
        .filter(|j| !j.entries().is_empty())
        .collect();
    if journals.is_empty() {
        eprintln!("nothing to clean up");
        return Ok(Exit::Success);
    }
    let api = lambda(&connect, credentials(connect.region.as_deref()).await?);
    let clock = TokioClock::default();
    let mut complete = true;
    for journal in &journals {
        // A bar per journal: a finished bar draws nothing more.
        let progress = Progress::new(false);
        let entries = journal.entries();
        let report = engine::clean_up(
            &api,
            &clock,
            journal,
            &entries,
            connect.wait_limit(),
            &|e| progress.event(&e),
        )
        .await;
        progress.finish();
        eprintln!("{}: {}", journal.path().display(), report.summary());
        for e in &report.errors {
            eprintln!("Error: {e}");
        }
        complete &= report.is_complete();
    }
    Ok(if complete {
        Exit::Success
    } else {
        Exit::Failed
    })
}
