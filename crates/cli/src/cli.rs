//! The command line, declared once (help texts come from the doc comments).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// AWS Lambda Power Tuning without a Step Functions stack.
#[derive(Debug, Parser)]
#[command(name = "powertune", version, about)]
pub struct Opts {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Tune a function: read the original tool's execution input, print its output JSON.
    Run(RunArgs),
    /// Delete aliases and versions left by interrupted runs, and restore $LATEST.
    Cleanup(ConnectArgs),
    /// Print the least-privilege IAM policy for a function ARN or a whole tuning input.
    Policy {
        /// The function's ARN (or use --input).
        #[arg(required_unless_present = "input", conflicts_with = "input")]
        arn: Option<String>,
        /// The execution input JSON (a file, or - for stdin), to include processors and payloadS3.
        #[arg(long)]
        input: Option<PathBuf>,
    },
    /// Encode or decode share links.
    #[command(subcommand)]
    Share(ShareCommand),
}

/// Where Lambda is and where the journal lives.
#[derive(Debug, clap::Args)]
pub struct ConnectArgs {
    /// Lambda endpoint instead of AWS's (e.g. the local lambda-emulator); also read from
    /// AWS_ENDPOINT_URL_LAMBDA or AWS_ENDPOINT_URL.
    #[arg(long)]
    pub endpoint_url: Option<String>,
    /// S3 endpoint for "payloadS3" instead of AWS's; also read from AWS_ENDPOINT_URL_S3 or
    /// AWS_ENDPOINT_URL.
    #[arg(long)]
    pub s3_endpoint_url: Option<String>,
    /// CloudWatch endpoint for "monthlyInvocations": "cloudwatch" instead of AWS's; also read
    /// from AWS_ENDPOINT_URL_CLOUDWATCH or AWS_ENDPOINT_URL.
    #[arg(long)]
    pub cloudwatch_endpoint_url: Option<String>,
    /// Region for the credential chain (SSO, STS); each Lambda call uses its ARN's region.
    #[arg(long)]
    pub region: Option<String>,
    /// The directory of cleanup journals, one file per run (default:
    /// ~/.local/state/powertune/journal/).
    #[arg(long)]
    pub journal: Option<PathBuf>,
    /// Longest wait, in seconds, for a configuration update or a new version to become active
    /// (SnapStart versions can take minutes).
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub wait_limit: u64,
}

/// `powertune run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The execution input JSON of the original tool (a file, or - for stdin).
    #[arg(long)]
    pub input: PathBuf,
    /// Endpoint and journal.
    #[command(flatten)]
    pub connect: ConnectArgs,
    /// Write the output JSON here instead of stdout.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Add every statistic powertune computes (under "powertune") to the output.
    #[arg(long)]
    pub full: bool,
    /// Most invocations in flight at once, across all sizes.
    #[arg(long, default_value_t = 10)]
    pub max_concurrency: usize,
    /// Most invocations in flight per size with "parallelInvocation" (default: all of them).
    #[arg(long)]
    pub per_size_concurrency: Option<usize>,
    /// Exit with 1 when the function's current memory costs more than this many percent above
    /// the cheapest measured size (for CI pipelines).
    #[arg(long, value_name = "PERCENT")]
    pub fail_if_costlier_than: Option<f64>,
    /// Include the function name in the share link printed with --full.
    #[arg(long)]
    pub share_function_name: bool,
    /// No progress output.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `powertune share …`.
#[derive(Debug, Subcommand)]
pub enum ShareCommand {
    /// Read a link (powertune's own or the original chart site's) and print its results as JSON.
    Decode {
        /// The link, or just the part after '#'.
        link: String,
    },
    /// Turn an output JSON into links: the chart site's (needs "stats") and, for the output of
    /// `powertune run --full`, powertune's own.
    Encode {
        /// The output JSON (a file, or - for stdin).
        #[arg(long)]
        input: PathBuf,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory as _;

    #[test]
    fn command_line_is_consistent() {
        Opts::command().debug_assert();
    }
}
