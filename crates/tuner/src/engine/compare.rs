//! Both architectures in one run: the function's own is tuned as it is, the other on a
//! temporary copy (see [`super::copy`]), with the same sizes, payloads, policy and strategy;
//! the copy is deleted on every path. The overall answer compares every measured size of both.

mod across;

use serde_json::Value;

use super::{
    CleanupReport, Hooks, RunError, RunFailure, RunOptions, RunReport, clean_up, copy::create_copy,
    retry::Retrier, run,
};
use crate::{
    api::{Clock, FunctionCode, FunctionDetails, LambdaApi},
    arn::FunctionArn,
    failure::FailureKind,
    input::TuningInput,
    journal::{Journal, JournalEntry},
    memory::MemoryMb,
    pricing::Architecture,
    strategy::{Candidate, Strategy, select},
};

/// Why a copy on `architecture` cannot use one of `layers`: the first whose
/// `CompatibleArchitectures` leaves it out, or that cannot be read (layers that name no
/// architecture are taken as compatible, as Lambda does).
async fn layer_lacking<A: LambdaApi>(
    api: &A,
    layers: &[String],
    architecture: Architecture,
) -> Option<String> {
    for layer in layers {
        match api.layer_architectures(layer).await {
            Ok(list) if list.is_empty() || list.contains(&architecture) => {}
            Ok(list) => {
                let names: Vec<&str> = list.iter().map(|a| a.as_str()).collect();
                return Some(format!(
                    "its layer {layer} is built for {} only (its CompatibleArchitectures): publish a version of the layer for {architecture}, point a copy of the function at it, and compare again",
                    names.join(" and ")
                ));
            }
            Err(e) => {
                return Some(format!(
                    "its layer {layer} could not be read to check that it runs on {architecture}: {e}"
                ));
            }
        }
    }
    None
}

/// One architecture's tuning.
#[derive(Debug)]
pub struct ArchitectureRun {
    /// The architecture.
    pub architecture: Architecture,
    /// The function tuned: the user's, or the copy.
    pub function: FunctionArn,
    /// Its report, or why it stopped.
    pub outcome: Result<RunReport, Box<RunFailure>>,
}

impl ArchitectureRun {
    /// Whether the function's code does not run on this architecture at all: every size failed
    /// before the handler ran (`Runtime.InvalidEntrypoint`, an exit error: native code built for
    /// the other architecture), told apart from running out of memory or time.
    pub fn does_not_run(&self) -> bool {
        let Err(failure) = &self.outcome else {
            return false;
        };
        let RunError::AllSizesFailed(size) = &failure.error else {
            return false;
        };
        matches!(
            &size.kind,
            FailureKind::FunctionError { error_type: Some(t) }
                if t == "Runtime.InvalidEntrypoint" || t == "Runtime.ExitError"
        )
    }

    /// [`Self::does_not_run`] in words, for progress and summaries.
    pub fn does_not_run_statement(&self) -> Option<String> {
        self.does_not_run().then(|| {
            format!(
                "the function does not run on {}: every size failed before its handler ran (native code built for the other architecture?)",
                self.architecture
            )
        })
    }
}

/// What a run over both architectures found.
#[derive(Debug)]
pub struct Comparison {
    /// Each architecture's tuning, in the input's order.
    pub runs: Vec<ArchitectureRun>,
    /// Deleting the copy.
    pub copy_cleanup: CleanupReport,
}

/// The best size over both architectures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OverallBest {
    /// Its architecture.
    pub architecture: Architecture,
    /// Its memory.
    pub memory: MemoryMb,
    /// What the strategy compared.
    pub candidate: Candidate,
}

impl Comparison {
    /// The best size over every measured size of both architectures, by the input's strategy
    /// (the balanced score over both series together, so that each is scored on one scale).
    pub fn best(&self) -> Option<OverallBest> {
        let sizes: Vec<(Architecture, MemoryMb, Candidate)> = self
            .runs
            .iter()
            .filter_map(|r| Some((r.architecture, r.outcome.as_ref().ok()?.result.as_ref()?)))
            .flat_map(|(architecture, result)| {
                result
                    .sizes
                    .iter()
                    .filter(|s| s.is_usable())
                    .map(move |s| (architecture, s.memory, s.candidate()))
            })
            .collect();
        let result = self
            .runs
            .iter()
            .find_map(|r| r.outcome.as_ref().ok()?.result.as_ref())?;
        let candidates: Vec<Candidate> = sizes.iter().map(|s| s.2).collect();
        let k = select(&candidates, result.strategy, result.balanced_weight)?;
        let (architecture, memory, candidate) = sizes[k];
        Some(OverallBest {
            architecture,
            memory,
            candidate,
        })
    }

    /// [`Self::best`] in words: "best over x86_64 and arm64: arm64 at 512 MB (cost)".
    pub fn best_statement(&self, strategy: Strategy) -> Option<String> {
        let best = self.best()?;
        let over: Vec<&str> = self.runs.iter().map(|r| r.architecture.as_str()).collect();
        Some(format!(
            "best over {}: {} at {} ({strategy})",
            over.join(" and "),
            best.architecture,
            best.memory
        ))
    }

    /// The best size over both architectures in money per month, against the function's
    /// current size on its own architecture: "arm64 at 1024 MB: $812.00/month, $243.00/month
    /// (23 %) less than the current x86_64 at 1536 MB". `None` without monthly invocations, or
    /// when a month cannot be computed.
    pub fn month_statement(&self, own: Architecture) -> Option<String> {
        let best = self.best()?;
        let month_of = |architecture: Architecture| {
            self.runs
                .iter()
                .find(|r| r.architecture == architecture)
                .and_then(|r| r.outcome.as_ref().ok()?.result.as_ref()?.monthly())
        };
        let best_month = month_of(best.architecture)?;
        let cost = best_month.of(best.memory)?.cost;
        let money = |x: f64| crate::money::cents(x, best_month.currency);
        let mut text = format!(
            "{} at {}: {}/month",
            best.architecture,
            best.memory,
            money(cost)
        );
        let own_month = month_of(own);
        if let Some((current, now)) = own_month
            .as_ref()
            .and_then(|m| Some((m.current?, m.current_month()?.cost)))
            && (best.architecture, best.memory) != (own, current)
            && now > 0.0
        {
            let change = cost - now;
            let direction = if change <= 0.0 { "less" } else { "more" };
            text.push_str(&format!(
                ", {}/month ({:.0} %) {direction} than the current {own} at {current}",
                money(change.abs()),
                change.abs() / now * 100.0
            ));
        }
        Some(text)
    }
}

/// Tunes `input.architectures`: the function's own (as `original` describes it) directly, the
/// other on a copy created from `code`, one after the other; the copy is deleted after its run,
/// whatever happened.
///
/// # Errors
/// The copy could not be made (nothing of it is left: see the failure's cleanup), or the run was
/// cancelled. A tuning that stops is reported in its [`ArchitectureRun`], not here.
#[allow(clippy::too_many_arguments)] // run's arguments, plus the copy's: each is distinct.
pub async fn compare<A: LambdaApi, C: Clock>(
    api: &A,
    clock: &C,
    journal: &dyn Journal,
    input: &TuningInput,
    payload: Option<&Value>,
    options: &RunOptions,
    hooks: Hooks<'_>,
    original: &FunctionDetails,
    code: Option<&FunctionCode>,
    run_id: &str,
) -> Result<Comparison, Box<RunFailure>> {
    let own = original.definition.config.architecture;
    let failure = |error: RunError, cleanup: CleanupReport| {
        Box::new(RunFailure {
            error,
            partial: None,
            cleanup,
        })
    };
    // Refused before anything is run or created: what no run of the function may tune (a copy
    // would leave the capacity provider or the tenant behind), then what no copy can run.
    let function = input.lambda_arn.name();
    if let Some(refusal) = original
        .definition
        .config
        .platform
        .refusal(function, input.tenant_id.as_deref())
    {
        return Err(failure(
            RunError::Refused(refusal),
            CleanupReport::default(),
        ));
    }
    for &architecture in input.architectures.iter().filter(|&&a| a != own) {
        let platform = &original.definition.config.platform;
        let reason = match platform.runtime_lacks(architecture) {
            Some(reason) => Some(reason),
            None => layer_lacking(api, &original.definition.layers, architecture).await,
        };
        if let Some(reason) = reason {
            return Err(failure(
                RunError::CopyRefused {
                    function: input.lambda_arn.name().to_owned(),
                    architecture,
                    reason,
                },
                CleanupReport::default(),
            ));
        }
    }
    if let (Some(&architecture), None) = (input.architectures.iter().find(|&&a| a != own), code) {
        return Err(failure(
            RunError::CopyRefused {
                function: input.lambda_arn.name().to_owned(),
                architecture,
                reason: "its code is needed: a .zip deployment package, its S3 location, or an image URI built for that architecture".into(),
            },
            CleanupReport::default(),
        ));
    }
    let mut comparison = Comparison {
        runs: Vec::new(),
        copy_cleanup: CleanupReport::default(),
    };
    for &architecture in &input.architectures {
        if hooks.cancel.is_cancelled() {
            break;
        }
        if architecture == own {
            let outcome = run(api, clock, journal, input, payload, options, hooks).await;
            comparison.runs.push(ArchitectureRun {
                architecture,
                function: input.lambda_arn.clone(),
                outcome,
            });
            continue;
        }
        let Some(code) = code else {
            continue; // refused before the first run
        };
        let retrier = Retrier::new(clock, options.seed, hooks.on_event);
        let tuned = match create_copy(
            api,
            &retrier,
            journal,
            original,
            architecture,
            code,
            run_id,
            options.wait_limit,
            hooks.cancel,
        )
        .await
        {
            Ok(config) => {
                let on_copy = TuningInput {
                    lambda_arn: config.arn.clone(),
                    architectures: Vec::new(),
                    ..input.clone()
                };
                Ok(ArchitectureRun {
                    architecture,
                    function: config.arn,
                    outcome: run(api, clock, journal, &on_copy, payload, options, hooks).await,
                })
            }
            Err(error) => Err(error),
        };
        // The copy goes whatever happened, with what its tuning may have left journaled.
        let all = journal.entries();
        let copies: Vec<&FunctionArn> = all
            .iter()
            .filter_map(|e| match e {
                JournalEntry::Copy { function, .. } => Some(function),
                _ => None,
            })
            .collect();
        let entries: Vec<JournalEntry> = all
            .iter()
            .filter(|e| copies.contains(&e.function()))
            .cloned()
            .collect();
        let cleanup = clean_up(
            api,
            clock,
            journal,
            &entries,
            options.wait_limit,
            hooks.on_event,
        )
        .await;
        comparison.copy_cleanup.merge(cleanup);
        match tuned {
            Ok(tuned) => comparison.runs.push(tuned),
            Err(error) => return Err(failure(error, comparison.copy_cleanup)),
        }
    }
    Ok(comparison)
}
