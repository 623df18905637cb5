//! `powertune`: AWS Lambda Power Tuning from the command line.
//!
//! ```sh
//! powertune run --input input.json            # the original tool's execution input
//! powertune cleanup                           # remove leftovers of an interrupted run
//! powertune policy --input input.json         # the least-privilege IAM policy
//! powertune share decode '<link>'             # read a share link (both formats)
//! ```
//!
//! Credentials and region come from the standard AWS chain (environment, profiles, SSO).
//! Progress goes to stderr, results to stdout. Exit codes: 0 success, 1 the run failed or a check
//! failed, 2 bad usage or input.

mod cli;
mod journal_dir;
mod progress;
mod run;

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let opts = cli::Opts::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("Error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run::dispatch(opts)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("Error: {e:#}");
            ExitCode::from(2)
        }
    }
}
