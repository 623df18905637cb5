//! A run with `architectures`: the function's own architecture and a temporary copy for the
//! other, tuned one after the other (`engine::compare`); the copy's code chosen by hand, from the
//! demo account, or downloaded from `Code.Location`, which a browser may not be allowed to read.

use powertune_aws::runtime::PlatformClock;
use powertune_tuner::{
    TuningInput,
    api::{FunctionCode, LambdaApi as _, Package},
    engine::{
        Hooks, RunError, RunOptions,
        compare::{ArchitectureRun, Comparison, compare},
    },
    journal::Journal,
    result::RunResult,
};
use serde_json::Value;

use super::backend::Backend;
use crate::{
    format::sentence,
    outcome::{ComparedRun, Finished, RunOutcome, RunProblem, Stopped},
};

/// Tunes `input.architectures` of `input.lambda_arn`.
pub async fn run(
    backend: &Backend,
    journal: &dyn Journal,
    input: &TuningInput,
    payload: Option<&Value>,
    package: Option<Vec<u8>>,
    hooks: Hooks<'_>,
) -> RunOutcome {
    // Before anything is created: what a copy needs.
    let details = match backend.get_function(&input.lambda_arn).await {
        Ok(details) => details,
        Err(source) => {
            return stopped(RunError::Lambda {
                phase: powertune_tuner::engine::Phase::Initializing,
                source,
            });
        }
    };
    let own = details.definition.config.architecture;
    let other = input.architectures.iter().find(|&&a| a != own).copied();
    let code = match (other, package) {
        (None, _) => None,
        // Chosen by hand (the page checked it is a .zip within the inline limit).
        (Some(_), Some(bytes)) => Some(FunctionCode::Zip(bytes)),
        (Some(architecture), None) => match code_of(backend, &details.package, input).await {
            Ok(code) => Some(code),
            Err(reason) => {
                return stopped(RunError::CopyRefused {
                    function: input.lambda_arn.name().to_owned(),
                    architecture,
                    reason: format!(
                        "{reason}; nothing was created. Choose the function's .zip package above and start again, or use the CLI, which downloads it itself: powertune run --input input.json"
                    ),
                });
            }
        },
    };
    let run_id = format!("{:04x}", (js_sys::Math::random() * 65536.0) as u16);
    let outcome = compare(
        backend,
        &PlatformClock::default(),
        journal,
        input,
        payload,
        &RunOptions::default(),
        hooks,
        &details,
        code.as_ref(),
        &run_id,
    )
    .await;
    match outcome {
        Ok(comparison) => finished(input, own, comparison),
        Err(failure) => RunOutcome::Stopped(failure.into()),
    }
}

fn stopped(error: RunError) -> RunOutcome {
    RunOutcome::Stopped(RunProblem::from(error).into())
}

/// The copy's code: the demo account's own package, the image for the other architecture, or
/// the .zip behind `Code.Location`.
async fn code_of(
    backend: &Backend,
    package: &Package,
    input: &TuningInput,
) -> Result<FunctionCode, String> {
    if let (
        Backend::Demo(sim),
        Package::Zip {
            location: Some(location),
            ..
        },
    ) = (backend, package)
    {
        return sim
            .package(location)
            .map(FunctionCode::Zip)
            .ok_or_else(|| format!("the demo account has no package at {location}"));
    }
    let code = powertune_aws::copies::download_package(package, input.copy_image_uri.as_deref());
    match package {
        Package::Zip { .. } => code.await.map_err(|why| {
            format!("{why} (a browser may read Code.Location only if AWS's code bucket allows this page, by CORS)")
        }),
        Package::Image { .. } => code.await,
    }
}

/// The comparison as a finished run: the first architecture with results first, the others
/// beside it, and what the comparison found in words.
fn finished(
    input: &TuningInput,
    own: powertune_tuner::pricing::Architecture,
    comparison: Comparison,
) -> RunOutcome {
    let mut notes = Vec::new();
    if let Some(best) = comparison.best_statement(input.strategy) {
        notes.push(sentence(&best));
    }
    if let Some(apart) = comparison.across_noise(input.strategy) {
        notes.push(apart);
    }
    if let Some(month) = comparison.month_statement(own) {
        notes.push(month);
    }
    for statement in comparison
        .runs
        .iter()
        .filter_map(|r| r.does_not_run_statement())
    {
        notes.push(sentence(&statement));
    }
    if !comparison.copy_cleanup.is_complete() {
        notes.push(format!(
            "The copy could not be deleted ({}); it is in the journal: clean up from the banner.",
            comparison.copy_cleanup.errors.join("; ")
        ));
    }
    let (invocations, tuning_cost) = comparison
        .runs
        .iter()
        .filter_map(|r| r.outcome.as_ref().ok())
        .fold((0, 0.0), |(n, c), r| (n + r.invocations, c + r.tuning_cost));
    let mut runs = comparison.runs;
    let Some((result, warnings)) = take_first_with_results(&mut runs) else {
        let why: Vec<String> = runs
            .iter()
            .map(|r| match &r.outcome {
                Ok(_) => format!("{}: a dry run", r.architecture),
                Err(failure) => format!("{}: {}", r.architecture, failure.error),
            })
            .collect();
        return RunOutcome::Stopped(Stopped {
            problem: RunProblem::Compared(why.join("; ")),
            partial: None,
            leftovers: comparison.copy_cleanup.errors,
        });
    };
    RunOutcome::Finished(Box::new(Finished {
        function: input.lambda_arn.clone(),
        result,
        invocations,
        tuning_cost,
        warnings,
        compared: runs
            .into_iter()
            .map(|r| ComparedRun {
                architecture: r.architecture,
                function: r.function,
                outcome: match r.outcome {
                    Ok(report) => report.result.ok_or_else(|| "a dry run".to_owned()),
                    Err(failure) => Err(failure.error.to_string()),
                },
            })
            .collect(),
        comparison: notes,
    }))
}

/// Takes out of `runs` the first that has results: its results and warnings.
fn take_first_with_results(runs: &mut Vec<ArchitectureRun>) -> Option<(RunResult, Vec<String>)> {
    let first = runs
        .iter()
        .position(|r| matches!(&r.outcome, Ok(report) if report.result.is_some()))?;
    let report = runs.remove(first).outcome.ok()?;
    Some((report.result?, report.warnings))
}
