//! `powertune run` with `"architectures"`: the function's own architecture and a temporary copy
//! for the other, tuned one after the other; the copy's code downloaded from `Code.Location`.

use powertune_aws::{AwsLambda, runtime::TokioClock};
use powertune_tuner::{
    api::LambdaApi as _,
    cancel::CancelToken,
    engine::{
        Hooks, RunOptions,
        compare::{Comparison, compare},
    },
    input::TuningInput,
    journal::Journal,
    result::RunResult,
    share::compact,
};
use serde_json::{Value, json};

use crate::{
    cli::RunArgs,
    exit::Exit,
    interrupt::{report_stopped, until_done},
    output::{check_cost_over, full_json, shared, write_output},
    progress::Progress,
};

/// Tunes `input.architectures` and writes the comparison.
#[allow(clippy::too_many_arguments)] // what run() has prepared, each distinct
pub async fn run_compare(
    args: &RunArgs,
    input: &TuningInput,
    payload: Option<&Value>,
    api: &AwsLambda,
    journal: &dyn Journal,
    options: &RunOptions,
    progress: &Progress,
    run_id: &str,
) -> anyhow::Result<Exit> {
    // Before anything is created: what the copy needs.
    let details = match api.get_function(&input.lambda_arn).await {
        Ok(details) => details,
        Err(e) => {
            eprintln!("Error: reading {}: {e}", input.lambda_arn);
            return Ok(Exit::Failed);
        }
    };
    let own = details.definition.config.architecture;
    let code = if input.architectures.iter().all(|&a| a == own) {
        None
    } else {
        match powertune_aws::copies::download_package(
            &details.package,
            input.copy_image_uri.as_deref(),
        )
        .await
        {
            Ok(code) => Some(code),
            Err(why) => {
                eprintln!(
                    "Error: cannot copy {} to the other architecture: {why}; nothing was created",
                    input.lambda_arn.name()
                );
                return Ok(Exit::Failed);
            }
        }
    };
    if code.is_some() && !args.quiet {
        eprintln!(
            "note: the copy runs with the function's role and environment, so its invocations have the same side effects as the function's"
        );
    }
    let clock = TokioClock::default();
    let cancel = CancelToken::new();
    let on_event = |e: powertune_tuner::engine::Event| progress.event(&e);
    let comparing = compare(
        api,
        &clock,
        journal,
        input,
        payload,
        options,
        Hooks {
            on_event: &on_event,
            cancel: &cancel,
        },
        &details,
        code.as_ref(),
        run_id,
    );
    let outcome = until_done(comparing, &cancel).await;
    progress.finish();
    let comparison = match outcome {
        Ok(comparison) => comparison,
        Err(failure) => {
            report_stopped(&failure);
            return Ok(Exit::Failed);
        }
    };
    if !comparison.copy_cleanup.is_complete() {
        eprintln!(
            "The copy could not be deleted ({}); it is in the journal: run `powertune cleanup`",
            comparison.copy_cleanup.errors.join("; ")
        );
    }
    for statement in comparison
        .runs
        .iter()
        .filter_map(|r| r.does_not_run_statement())
    {
        eprintln!("{statement}");
    }
    if let (Some(best), false) = (comparison.best_statement(input.strategy), args.quiet) {
        eprintln!("{best}");
        if let Some(apart) = comparison.across_noise(input.strategy) {
            eprintln!("{apart}");
        }
        if let Some(month) = comparison.month_statement(own) {
            eprintln!("{month}");
        }
    }
    let mut output = comparison_json(&comparison);
    if args.full {
        add_full(args, &comparison, &mut output);
    }
    write_output(args, &output)?;
    // Code that does not run on an architecture is an answer, not a failure of the run.
    let failed = comparison
        .runs
        .iter()
        .any(|r| r.outcome.is_err() && !r.does_not_run())
        || !comparison.copy_cleanup.is_complete();
    if failed {
        return Ok(Exit::Failed);
    }
    if let Some(limit) = args.fail_if_costlier_than {
        return Ok(check_cost_over(&results(&comparison), own, limit));
    }
    Ok(Exit::Success)
}

/// Each architecture's results, in the input's order.
fn results(comparison: &Comparison) -> Vec<&RunResult> {
    comparison
        .runs
        .iter()
        .filter_map(|r| r.outcome.as_ref().ok()?.result.as_ref())
        .collect()
}

/// `--full`: every statistic of each architecture's run, and one share link with all of them.
fn add_full(args: &RunArgs, comparison: &Comparison, output: &mut Value) {
    for (run, entry) in comparison
        .runs
        .iter()
        .zip(output["architectures"].as_array_mut().into_iter().flatten())
    {
        if let Ok(report) = &run.outcome
            && let Some(result) = &report.result
        {
            entry["powertune"] = full_json(args, report, result);
        }
    }
    let shared: Vec<RunResult> = results(comparison)
        .into_iter()
        .map(|r| shared(args, r))
        .collect();
    if !shared.is_empty() {
        output["shareLink"] = json!(format!("#{}", compact::encode_many(&shared)));
    }
}

/// Each architecture's original output (or why it stopped), and the best over both.
fn comparison_json(comparison: &Comparison) -> Value {
    let runs: Vec<Value> = comparison
        .runs
        .iter()
        .map(|r| match &r.outcome {
            Ok(report) => json!({
                "architecture": r.architecture,
                "function": r.function.to_string(),
                "output": report.output,
            }),
            Err(failure) => json!({
                "architecture": r.architecture,
                "function": r.function.to_string(),
                "error": failure.error.to_string(),
                "doesNotRun": r.does_not_run(),
            }),
        })
        .collect();
    let best = comparison.best().map(|b| {
        json!({
            "architecture": b.architecture,
            "power": b.memory.get(),
            "cost": b.candidate.cost,
            "duration": b.candidate.duration,
        })
    });
    json!({"architectures": runs, "best": best, "copiesDeleted": comparison.copy_cleanup.functions_deleted})
}
