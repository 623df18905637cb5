//! What each subcommand does.

use std::{io::Read as _, path::Path, process::ExitCode};

use anyhow::{Context as _, bail};
use powertune_aws::{AwsLambda, ClientSettings, policy, runtime::TokioClock};
use powertune_tuner::{
    cancel::CancelToken,
    engine::{self, Hooks, RunOptions},
    input::{PayloadSource, parse_input},
    journal::Journal as _,
    result::RunResult,
    share::{self, compact, original},
};
use serde_json::{Value, json};

use crate::{
    cli::{Command, ConnectArgs, Opts, RunArgs, ShareCommand},
    journal_dir::JournalDir,
    progress::Progress,
};

/// Runs the chosen subcommand.
pub async fn dispatch(opts: Opts) -> anyhow::Result<ExitCode> {
    match opts.command {
        Command::Run(args) => run(args).await,
        Command::Cleanup(args) => cleanup(args).await,
        Command::Policy { arn, input } => {
            let text = match (arn, input) {
                (Some(arn), _) => json!({"lambdaARN": arn, "num": 5}).to_string(),
                (None, Some(path)) => read(&path)?,
                (None, None) => unreachable!("clap requires one"),
            };
            let parsed = match parse_input(&text) {
                Ok(parsed) => parsed,
                Err(errors) => {
                    eprintln!("Error: {errors}");
                    return Ok(ExitCode::from(2));
                }
            };
            println!(
                "{}",
                serde_json::to_string_pretty(&policy::policy_for(&parsed.input))?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Share(ShareCommand::Decode { link }) => {
            let decoded = share::decode(&link).context("while reading the link")?;
            let runs: Vec<Value> = decoded
                .runs()
                .into_iter()
                .map(|(label, run)| json!({"label": label, "result": run}))
                .collect();
            println!("{}", serde_json::to_string_pretty(&runs)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Share(ShareCommand::Encode { input }) => {
            let output: Value =
                serde_json::from_str(&read(&input)?).context("the input is not JSON")?;
            let Some(stats) = output.get("stats").and_then(Value::as_array) else {
                bail!(
                    "the output has no \"stats\": run with \"includeOutputResults\": true, or pass the output of `powertune run --full`"
                );
            };
            let points: Vec<original::Point> = stats
                .iter()
                .map(|s| original::Point {
                    power: s["value"].as_f64().unwrap_or(0.0),
                    duration: s["averageDuration"].as_f64().unwrap_or(0.0),
                    cost: s["averagePrice"].as_f64().unwrap_or(0.0),
                })
                .collect();
            println!(
                "{}",
                original::visualization_url(
                    powertune_tuner::output::ORIGINAL_VISUALIZATION_URL,
                    &points,
                    false
                )
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A file's text, or stdin for `-`.
fn read(path: &Path) -> anyhow::Result<String> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("while reading stdin")?;
        Ok(text)
    } else {
        std::fs::read_to_string(path).with_context(|| format!("while reading {}", path.display()))
    }
}

type Provider = aws_credential_types::provider::SharedCredentialsProvider;

/// Credentials from the standard AWS chain (environment, profiles, SSO).
async fn credentials(region: Option<&str>) -> anyhow::Result<Provider> {
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
    if let Some(region) = region {
        loader = loader.region(aws_config::Region::new(region.to_owned()));
    }
    let config = loader.load().await;
    config.credentials_provider().context(
        "no AWS credentials found: set AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or AWS_PROFILE",
    )
}

fn lambda(connect: &ConnectArgs, credentials: Provider) -> AwsLambda {
    let endpoint_url = connect
        .endpoint_url
        .clone()
        .or_else(|| std::env::var("AWS_ENDPOINT_URL_LAMBDA").ok())
        .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok());
    AwsLambda::new(ClientSettings {
        credentials,
        endpoint_url,
    })
}

/// Reads the `payloadS3` object (in the function's region) and checks it against the input.
async fn s3_payload(
    connect: &ConnectArgs,
    provider: &Provider,
    location: &powertune_tuner::input::S3Location,
    region: &str,
) -> anyhow::Result<Value> {
    use aws_credential_types::provider::ProvideCredentials as _;
    let credentials = provider
        .provide_credentials()
        .await
        .context("while resolving credentials for S3")?;
    let endpoint = connect
        .s3_endpoint_url
        .clone()
        .or_else(|| std::env::var("AWS_ENDPOINT_URL_S3").ok())
        .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok());
    Ok(
        powertune_aws::s3::fetch_payload(location, region, &credentials, endpoint.as_deref())
            .await?,
    )
}

fn journal_dir(connect: &ConnectArgs) -> anyhow::Result<JournalDir> {
    JournalDir::open(
        &connect
            .journal
            .clone()
            .unwrap_or_else(JournalDir::default_path),
    )
}

async fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let parsed = match parse_input(&read(&args.input)?) {
        Ok(parsed) => parsed,
        Err(errors) => {
            eprintln!("Error: {errors}");
            return Ok(ExitCode::from(2));
        }
    };
    let input = parsed.input;
    for warning in &parsed.warnings {
        eprintln!("warning: {warning}");
    }
    let credentials = credentials(args.connect.region.as_deref()).await?;
    let payload = match &input.payload {
        PayloadSource::None => None,
        PayloadSource::Inline(value) => Some(value.clone()),
        PayloadSource::S3(location) => {
            match s3_payload(
                &args.connect,
                &credentials,
                location,
                input.lambda_arn.region(),
            )
            .await
            {
                Ok(value) => Some(value),
                Err(e) => {
                    eprintln!("Error: {e:#}");
                    return Ok(ExitCode::from(1));
                }
            }
        }
    };
    let api = lambda(&args.connect, credentials);
    let journals = journal_dir(&args.connect)?;
    let (leftovers, _) = journals.leftovers()?;
    let left: usize = leftovers.iter().map(|j| j.entries().len()).sum();
    // Released at once: a cleanup may take them over while this run goes on.
    drop(leftovers);
    if left > 0 {
        eprintln!(
            "warning: the journal lists {left} item(s) left by an interrupted run; `powertune cleanup` removes them"
        );
    }
    let journal = journals.start_run()?;
    let clock = TokioClock::default();
    let options = RunOptions {
        max_concurrency: args.max_concurrency,
        per_size_concurrency: args.per_size_concurrency,
        ..RunOptions::default()
    };
    let progress = Progress::new(args.quiet);
    let cancel = CancelToken::new();
    let on_event = |e: powertune_tuner::engine::Event| progress.event(&e);
    let hooks = Hooks {
        on_event: &on_event,
        cancel: &cancel,
    };
    let tuning = engine::run(
        &api,
        &clock,
        &journal,
        &input,
        payload.as_ref(),
        &options,
        hooks,
    );
    tokio::pin!(tuning);
    let outcome = loop {
        tokio::select! {
            outcome = &mut tuning => break outcome,
            _ = tokio::signal::ctrl_c() => {
                eprintln!("cancelling: cleaning up what the run created…");
                cancel.cancel();
            }
        }
    };
    progress.finish();
    let report = match outcome {
        Ok(report) => report,
        Err(failure) => {
            eprintln!("Error: {}", failure.error);
            if !failure.cleanup.is_complete() {
                eprintln!(
                    "Cleanup left items behind ({}); they are in the journal: run `powertune cleanup` once the problem is fixed",
                    failure.cleanup.errors.join("; ")
                );
            }
            return Ok(ExitCode::from(1));
        }
    };
    let Some(mut output) = report
        .output
        .as_ref()
        .map(|o| serde_json::to_value(o).expect("output serializes"))
    else {
        // A dry run: the original outputs null.
        write_output(&args, &Value::Null)?;
        return Ok(ExitCode::SUCCESS);
    };
    let result = report.result.as_ref().expect("a result with an output");
    if args.full {
        let mut shared = result.clone();
        if !args.share_function_name {
            shared.function_name = None;
        }
        output["powertune"] = json!({
            "result": result,
            "invocations": report.invocations,
            "tuningCost": report.tuning_cost,
            "elapsedMs": report.elapsed_ms,
            "shareLink": format!("#{}", compact::encode(&shared)),
            "warnings": report.warnings,
        });
    }
    write_output(&args, &output)?;
    if let Some(limit) = args.fail_if_costlier_than {
        return Ok(check_cost(result, limit));
    }
    Ok(ExitCode::SUCCESS)
}

fn write_output(args: &RunArgs, output: &Value) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(output)?;
    match &args.output {
        Some(path) => std::fs::write(path, text + "\n")
            .with_context(|| format!("while writing {}", path.display())),
        None => {
            println!("{text}");
            Ok(())
        }
    }
}

/// The CI check: does the current memory cost more than `limit_pct` percent above the cheapest
/// measured size?
fn check_cost(result: &RunResult, limit_pct: f64) -> ExitCode {
    let Some(best) = result.recommend(powertune_tuner::Strategy::Cost) else {
        eprintln!("check failed: no size could be measured");
        return ExitCode::from(1);
    };
    let cheapest = &result.sizes[best.index];
    let current = result
        .current_memory
        .and_then(|m| result.sizes.iter().find(|s| s.memory == m && s.is_usable()));
    let Some(current) = current else {
        eprintln!(
            "check failed: the function's current memory was not among the tested sizes, so it cannot be compared"
        );
        return ExitCode::from(1);
    };
    let above_pct = (current.average_cost - cheapest.average_cost) / cheapest.average_cost * 100.0;
    if above_pct > limit_pct {
        eprintln!(
            "check failed: {} costs {above_pct:.1}% more than {} (limit {limit_pct}%)",
            current.memory, cheapest.memory
        );
        ExitCode::from(1)
    } else {
        eprintln!(
            "check passed: {} costs {above_pct:.1}% more than {} (limit {limit_pct}%)",
            current.memory, cheapest.memory
        );
        ExitCode::SUCCESS
    }
}

async fn cleanup(connect: ConnectArgs) -> anyhow::Result<ExitCode> {
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
        return Ok(ExitCode::SUCCESS);
    }
    let api = lambda(&connect, credentials(connect.region.as_deref()).await?);
    let clock = TokioClock::default();
    let progress = Progress::new(false);
    let mut complete = true;
    for journal in &journals {
        let entries = journal.entries();
        let report = engine::clean_up(
            &api,
            &clock,
            journal,
            &entries,
            RunOptions::default().wait_limit,
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
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use powertune_tuner::{
        MemoryMb, Strategy,
        pricing::{Architecture, Currency},
        result::{SizeDetail, SizeResult},
    };

    fn result(current: u32, costs: &[(u32, f64)]) -> RunResult {
        RunResult {
            function_name: None,
            region: None,
            architecture: Architecture::X86_64,
            currency: Currency::Usd,
            current_memory: Some(MemoryMb::new(current).unwrap()),
            strategy: Strategy::Cost,
            balanced_weight: 0.5,
            sizes: costs
                .iter()
                .map(|&(m, c)| SizeResult {
                    memory: MemoryMb::new(m).unwrap(),
                    average_duration_ms: 10.0,
                    average_cost: c,
                    detail: Some(SizeDetail::default()),
                    error: None,
                })
                .collect(),
        }
    }

    #[test]
    fn cost_check() {
        // Current (1024 MB) costs 2.0, the cheapest 1.0: 100 % more.
        let r = result(1024, &[(128, 1.0), (1024, 2.0)]);
        assert_eq!(check_cost(&r, 50.0), ExitCode::from(1));
        assert_eq!(check_cost(&r, 150.0), ExitCode::SUCCESS);
        let unmeasured = result(2048, &[(128, 1.0), (1024, 2.0)]);
        assert_eq!(check_cost(&unmeasured, 50.0), ExitCode::from(1));
    }
}
