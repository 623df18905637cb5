//! `powertune`: AWS Lambda Power Tuning from the command line.
//!
//! ```sh
//! powertune run --input input.json            # the original tool's execution input
//! powertune cleanup                           # remove leftovers of interrupted runs
//! powertune policy --input input.json         # the least-privilege IAM policy
//! powertune share decode '<link>'             # read a share link (both formats)
//! ```
//!
//! Credentials and region come from the standard AWS chain (environment, profiles, SSO).
//! Progress goes to stderr, results to stdout. Exit codes ([`exit::Exit`]): 0 success, 1 the run
//! or a check failed, 2 bad usage or input.

mod cleanup;
mod cli;
mod compare;
mod connect;
mod exit;
mod interrupt;
mod journal_dir;
mod output;
mod policy;
mod progress;
mod run;
mod share;

use std::process::ExitCode;

use clap::Parser as _;

use crate::{
    cli::{Command, Opts, ShareCommand},
    exit::Exit,
};

fn main() -> ExitCode {
    let opts = Opts::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("Error: cannot start the async runtime: {e}");
            return Exit::Failed.into();
        }
    };
    let outcome = runtime.block_on(async {
        match opts.command {
            Command::Run(args) => run::run(args).await,
            Command::Cleanup(args) => cleanup::cleanup(args).await,
            Command::Policy { arn, input } => policy::policy(arn, input),
            Command::Share(ShareCommand::Decode { link }) => share::decode(&link),
            Command::Share(ShareCommand::Encode { input }) => share::encode(&input),
        }
    });
    match outcome {
        Ok(exit) => exit.into(),
        Err(e) => {
            eprintln!("Error: {e:#}");
            Exit::for_error(&e).into()
        }
    }
}
