//! `powertune run`: tune a function, print the original tool's output, optionally check the cost.

use powertune_aws::runtime::TokioClock;
use powertune_tuner::{
    cancel::CancelToken,
    engine::{self, Hooks, RunOptions},
    input::{PayloadSource, parse_input},
    journal::Journal as _,
    monthly::{MonthlyInvocations, TrafficSource},
};
use serde_json::Value;

use crate::{
    cli::RunArgs,
    connect::{credentials, journal_dir, lambda, monthly_invocations, read, s3_payload},
    exit::Exit,
    interrupt::{report_stopped, until_done},
    output::{check_cost, full_json, write_output},
    progress::Progress,
};

/// `powertune run`.
pub async fn run(args: RunArgs) -> anyhow::Result<Exit> {
    let parsed = parse_input(&read(&args.input)?)?;
    let mut input = parsed.input;
    for warning in &parsed.warnings {
        eprintln!("warning: {warning}");
    }
    let credentials = credentials(args.connect.region.as_deref()).await?;
    if input.monthly_invocations == Some(MonthlyInvocations::FromCloudwatch) {
        // Before anything is created: a failure here leaves nothing behind.
        match monthly_invocations(&args.connect, &credentials, &input.lambda_arn).await {
            Ok(n) => {
                if !args.quiet {
                    eprintln!(
                        "monthly invocations: {} (CloudWatch, last {} days)",
                        powertune_tuner::money::thousands(n),
                        powertune_aws::cloudwatch::DAYS
                    );
                }
                input.monthly_invocations =
                    Some(MonthlyInvocations::Known(n, TrafficSource::Cloudwatch));
            }
            Err(e) => {
                eprintln!("Error: monthlyInvocations: {e:#}");
                return Ok(Exit::Failed);
            }
        }
    }
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
                    return Ok(Exit::Failed);
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
        wait_limit: args.connect.wait_limit(),
        ..RunOptions::default()
    };
    let progress = Progress::new(args.quiet);
    if !input.architectures.is_empty() {
        let run_id = format!("{:04x}", fastrand::u16(..));
        return crate::compare::run_compare(
            &args,
            &input,
            payload.as_ref(),
            &api,
            &journal,
            &options,
            &progress,
            &run_id,
        )
        .await;
    }
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
    let outcome = until_done(tuning, &cancel).await;
    progress.finish();
    let report = match outcome {
        Ok(report) => report,
        Err(failure) => {
            report_stopped(&failure);
            return Ok(Exit::Failed);
        }
    };
    let Some(mut output) = report
        .output
        .as_ref()
        .map(|o| serde_json::to_value(o).expect("output serializes"))
    else {
        // A dry run: the original outputs null.
        write_output(&args, &Value::Null)?;
        return Ok(Exit::Success);
    };
    let result = report.result.as_ref().expect("a result with an output");
    if let Some(separation) = result.separation(result.strategy)
        && !args.quiet
    {
        eprintln!("{}", separation.statement());
    }
    if let (Some(month), Some(best), false) =
        (result.monthly(), result.recommended_memory(), args.quiet)
    {
        for line in [month.statement(best), month.cold_start_statement(best)]
            .into_iter()
            .flatten()
        {
            eprintln!("{line}");
        }
        eprintln!("({})", month.assumptions());
    }
    if args.full {
        output["powertune"] = full_json(&args, &report, result);
    }
    write_output(&args, &output)?;
    if let Some(limit) = args.fail_if_costlier_than {
        return Ok(check_cost(result, limit));
    }
    Ok(Exit::Success)
}
