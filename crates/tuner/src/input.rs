//! The original tool's execution input, read verbatim and validated.
//!
//! Every key of the original ([`KEYS`]) is accepted with its name, type and default. Validation is
//! stricter where the original is silent or fails late: every problem is reported at once, each
//! naming the field, the bad value and the rule with its fix; unknown keys become warnings (with a
//! suggestion for near misses such as `enableParallel`). No JSON makes this panic.
//!
//! Deliberate differences from the original:
//! - `powerValues` must be whole numbers in 128..=10,240; duplicates are removed and the list is
//!   sorted (with a warning), instead of failing at the Lambda API or creating orphan versions;
//!   a comma-separated string is refused rather than iterated per character;
//! - `discardTopBottom` must lie in 0..=0.4 and `balancedWeight` in 0..=1, instead of being clamped;
//! - booleans must be booleans (`"false"` as a string is read as false, with a warning, rather
//!   than as true);
//! - `sleepBetweenRunsMs` and `num` must be whole numbers (the original truncates `10.9` to 10);
//! - `allowedExceptions` must be an array of strings (a string did substring matching);
//! - weighted payloads are checked against `num` before anything is created;
//! - `dryRun` invokes each size once with the first payload instead of failing on weighted
//!   payloads.

mod architectures;
mod errors;
mod keys;
mod reader;
mod s3_location;
mod serialized;
#[cfg(test)]
mod tests;
mod traffic;

use serde_json::{Map, Value, json};

use self::reader::{Reader, short};
pub use self::{
    errors::{FieldError, InputErrors},
    keys::{Control, KEYS, Key, KeySpec, Tier},
    s3_location::S3Location,
};
use crate::{
    arn::FunctionArn,
    memory::{self, MemoryMb},
    monthly::{MonthlyInvocations, Traffic},
    payload,
    pricing::Architecture,
    sampling::SamplingMode,
    strategy::{DEFAULT_BALANCED_WEIGHT, Strategy},
};

/// Default trimmed-mean fraction.
pub const DEFAULT_DISCARD_TOP_BOTTOM: f64 = 0.2;
pub use crate::stats::confidence::DEFAULT_TOLERANCE;
/// The original's minimum `num`.
pub const MIN_NUM: u32 = 5;

/// Where invocation payloads come from.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum PayloadSource {
    /// No payload: invocations send `null`.
    #[default]
    None,
    /// An inline payload (plain or weighted).
    Inline(Value),
    /// An S3 object read before the run.
    S3(S3Location),
}

/// A validated tuning input.
#[derive(Debug, Clone, PartialEq)]
pub struct TuningInput {
    /// The function to tune (`lambdaARN`).
    pub lambda_arn: FunctionArn,
    /// Invocations per memory size (`num`), at least 5.
    pub num: u32,
    /// Memory sizes to test, ascending, without duplicates (`powerValues`).
    pub power_values: Vec<MemoryMb>,
    /// Payload (`payload` / `payloadS3`).
    pub payload: PayloadSource,
    /// Invoke all of a size's invocations at once (`parallelInvocation`).
    pub parallel_invocation: bool,
    /// How to pick the optimum (`strategy`).
    pub strategy: Strategy,
    /// Weight of cost in the balanced strategy (`balancedWeight`).
    pub balanced_weight: f64,
    /// Apply the optimum after the run (`autoOptimize`).
    pub auto_optimize: bool,
    /// Alias to point at the optimum (`autoOptimizeAlias`).
    pub auto_optimize_alias: Option<String>,
    /// Invoke once per size, skip analysis (`dryRun`).
    pub dry_run: bool,
    /// Function invoked before each invocation (`preProcessorARN`).
    pub pre_processor_arn: Option<FunctionArn>,
    /// Function invoked after each invocation (`postProcessorARN`).
    pub post_processor_arn: Option<FunctionArn>,
    /// Trimmed-mean fraction per end as given (`discardTopBottom`); see
    /// [`TuningInput::effective_discard`].
    pub discard_top_bottom: f64,
    /// Pause after each serial invocation (`sleepBetweenRunsMs`).
    pub sleep_between_runs_ms: u64,
    /// Keep payloads out of logs and errors (`disablePayloadLogs`).
    pub disable_payload_logs: bool,
    /// Add per-size stats to the output (`includeOutputResults`).
    pub include_output_results: bool,
    /// Measure cold starts only (`onlyColdStarts`).
    pub only_cold_starts: bool,
    /// Function error types that still count as measurements (`allowedExceptions`).
    pub allowed_exceptions: Vec<String>,
    /// How to choose what to measure (`sampling`, powertune's own).
    pub sampling: SamplingMode,
    /// Relative difference below which sizes count as equally good (`tolerance`).
    pub tolerance: f64,
    /// Invocations a month (`monthlyInvocations`), for the monthly costs.
    pub monthly_invocations: Option<MonthlyInvocations>,
    /// Take the free tier off the monthly costs (`freeTier`).
    pub free_tier: bool,
    /// The account's other monthly GB-seconds in the region and architecture
    /// (`otherMonthlyGbSeconds`).
    pub other_monthly_gb_seconds: Option<f64>,
    /// The share of invocations that are cold starts (`coldStartRate`).
    pub cold_start_rate: Option<f64>,
    /// The tenant id sent with each invocation of a tenant-isolated function (`tenantId`).
    pub tenant_id: Option<String>,
    /// The architectures to tune (`architectures`, powertune's own); empty: the function's
    /// own. One it does not have is tuned on a temporary copy.
    pub architectures: Vec<Architecture>,
    /// For a function packaged as a container image: its image built for the other
    /// architecture, which the copy is made from (`copyImageUri`, powertune's own).
    pub copy_image_uri: Option<String>,
}

impl TuningInput {
    /// A default input for `lambda_arn`: the original's defaults with `num` = 10.
    pub fn new(lambda_arn: FunctionArn) -> Self {
        Self {
            lambda_arn,
            num: 10,
            power_values: memory::default_power_values(),
            payload: PayloadSource::None,
            parallel_invocation: false,
            strategy: Strategy::Cost,
            balanced_weight: DEFAULT_BALANCED_WEIGHT,
            auto_optimize: false,
            auto_optimize_alias: None,
            dry_run: false,
            pre_processor_arn: None,
            post_processor_arn: None,
            discard_top_bottom: DEFAULT_DISCARD_TOP_BOTTOM,
            sleep_between_runs_ms: 0,
            disable_payload_logs: false,
            include_output_results: false,
            only_cold_starts: false,
            allowed_exceptions: Vec::new(),
            sampling: SamplingMode::Grid,
            tolerance: DEFAULT_TOLERANCE,
            monthly_invocations: None,
            free_tier: false,
            other_monthly_gb_seconds: None,
            cold_start_rate: None,
            tenant_id: None,
            architectures: Vec::new(),
            copy_image_uri: None,
        }
    }

    /// The monthly traffic for the result; `None` without `monthlyInvocations`, or while it
    /// still says `"cloudwatch"` (the caller reads the metric and sets the count first).
    pub fn traffic(&self) -> Option<Traffic> {
        match self.monthly_invocations? {
            MonthlyInvocations::Known(invocations, source) => Some(Traffic {
                invocations,
                source,
                free_tier: self.free_tier,
                other_gb_seconds: self.other_monthly_gb_seconds,
                cold_start_rate: self.cold_start_rate,
            }),
            MonthlyInvocations::FromCloudwatch => None,
        }
    }

    /// The trimmed-mean fraction actually used: 0 with `onlyColdStarts`, as the original forces.
    pub fn effective_discard(&self) -> f64 {
        if self.only_cold_starts {
            0.0
        } else {
            self.discard_top_bottom
        }
    }

    /// Invocations per size actually made: 1 in a dry run.
    pub fn invocations_per_size(&self) -> u32 {
        if self.dry_run { 1 } else { self.num }
    }

    /// The input as the original tool's JSON, with every key spelled out (optional keys without
    /// a value left out).
    pub fn to_json(&self) -> Value {
        let mut obj = Map::new();
        for key in Key::all() {
            if let Some(value) = self.json_value(key) {
                obj.insert(key.name().into(), value);
            }
        }
        Value::Object(obj)
    }

    /// The value of `key` as the original's JSON; `None` for an optional key without one.
    fn json_value(&self, key: Key) -> Option<Value> {
        let arn = |a: &Option<FunctionArn>| a.as_ref().map(|a| json!(a.to_string()));
        Some(match key {
            Key::LambdaArn => json!(self.lambda_arn.to_string()),
            Key::Num => json!(self.num),
            Key::PowerValues => json!(
                self.power_values
                    .iter()
                    .map(|m| m.get())
                    .collect::<Vec<_>>()
            ),
            Key::Payload => match &self.payload {
                PayloadSource::Inline(v) => v.clone(),
                _ => return None,
            },
            Key::PayloadS3 => match &self.payload {
                PayloadSource::S3(loc) => json!(loc.to_string()),
                _ => return None,
            },
            Key::ParallelInvocation => json!(self.parallel_invocation),
            Key::Strategy => json!(self.strategy.as_str()),
            Key::BalancedWeight => json!(self.balanced_weight),
            Key::AutoOptimize => json!(self.auto_optimize),
            Key::AutoOptimizeAlias => json!(self.auto_optimize_alias.as_ref()?),
            Key::DryRun => json!(self.dry_run),
            Key::PreProcessorArn => arn(&self.pre_processor_arn)?,
            Key::PostProcessorArn => arn(&self.post_processor_arn)?,
            Key::DiscardTopBottom => json!(self.discard_top_bottom),
            Key::SleepBetweenRunsMs => json!(self.sleep_between_runs_ms),
            Key::DisablePayloadLogs => json!(self.disable_payload_logs),
            Key::IncludeOutputResults => json!(self.include_output_results),
            Key::OnlyColdStarts => json!(self.only_cold_starts),
            Key::AllowedExceptions => json!(self.allowed_exceptions),
            // powertune's own keys appear only when they differ from the default, so an input
            // that uses none of them stays exactly the original's.
            Key::Sampling if self.sampling == SamplingMode::Grid => return None,
            Key::Sampling => json!(self.sampling.as_str()),
            Key::Tolerance if self.tolerance == DEFAULT_TOLERANCE => return None,
            Key::Tolerance => json!(self.tolerance),
            Key::MonthlyInvocations => match self.monthly_invocations? {
                MonthlyInvocations::Known(n, _) => json!(n),
                MonthlyInvocations::FromCloudwatch => json!("cloudwatch"),
            },
            Key::FreeTier if !self.free_tier => return None,
            Key::FreeTier => json!(true),
            Key::OtherMonthlyGbSeconds => json!(self.other_monthly_gb_seconds?),
            Key::ColdStartRate => json!(self.cold_start_rate?),
            Key::TenantId => json!(self.tenant_id.as_ref()?),
            Key::Architectures if self.architectures.is_empty() => return None,
            Key::Architectures => json!(self.architectures),
            Key::CopyImageUri => json!(self.copy_image_uri.as_ref()?),
        })
    }
}

/// A valid input with the warnings found on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedInput {
    /// The input.
    pub input: TuningInput,
    /// Things that were accepted but deserve a look (unknown keys, duplicates removed, …).
    pub warnings: Vec<String>,
}

/// Parses the original tool's execution input from JSON text.
///
/// # Errors
/// [`InputErrors`] listing every problem.
pub fn parse_input(text: &str) -> Result<ParsedInput, InputErrors> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        InputErrors(vec![FieldError {
            field: "input".into(),
            value: String::new(),
            rule: format!(
                "not valid JSON ({e}); paste the state machine input, e.g. {{\"lambdaARN\": \"arn:aws:lambda:…\", \"num\": 10}}"
            ),
        }])
    })?;
    parse_value(&value)
}

/// Parses the original tool's execution input from a JSON value.
///
/// # Errors
/// [`InputErrors`] listing every problem.
pub fn parse_value(value: &Value) -> Result<ParsedInput, InputErrors> {
    let Value::Object(obj) = value else {
        return Err(InputErrors(vec![FieldError {
            field: "input".into(),
            value: short(value),
            rule: "must be a JSON object with at least \"lambdaARN\" and \"num\"".into(),
        }]));
    };
    let mut r = Reader {
        obj,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    r.warn_unknown_keys();

    let lambda_arn = r.arn(Key::LambdaArn.name(), true);
    let num = r.num();
    let power_values = r.power_values();
    let payload = r.payload();
    let parallel_invocation = r.boolean(Key::ParallelInvocation.name());
    let strategy = r.strategy();
    let balanced_weight = r.fraction(
        Key::BalancedWeight.name(),
        DEFAULT_BALANCED_WEIGHT,
        1.0,
        "cost weight: 0 is pure speed, 1 is pure cost",
    );
    let auto_optimize = r.boolean(Key::AutoOptimize.name());
    let auto_optimize_alias = r.alias(auto_optimize);
    let dry_run = r.boolean(Key::DryRun.name());
    let pre_processor_arn = r.arn(Key::PreProcessorArn.name(), false);
    let post_processor_arn = r.arn(Key::PostProcessorArn.name(), false);
    let discard_top_bottom = r.fraction(
        Key::DiscardTopBottom.name(),
        DEFAULT_DISCARD_TOP_BOTTOM,
        0.4,
        "fraction of the fastest and of the slowest results dropped from the average",
    );
    let sleep_between_runs_ms = r.whole(Key::SleepBetweenRunsMs.name()).unwrap_or(0);
    let disable_payload_logs = r.boolean(Key::DisablePayloadLogs.name());
    let include_output_results = r.boolean(Key::IncludeOutputResults.name());
    let only_cold_starts = r.boolean(Key::OnlyColdStarts.name());
    let allowed_exceptions = r.allowed_exceptions();
    let sampling = r.sampling();
    let tolerance = r.fraction(
        Key::Tolerance.name(),
        DEFAULT_TOLERANCE,
        0.5,
        "relative difference below which two sizes count as equally good",
    );
    let monthly_invocations = r.monthly_invocations();
    let free_tier = r.boolean(Key::FreeTier.name());
    let other_monthly_gb_seconds = r.other_gb_seconds();
    let cold_start_rate = r.cold_start_rate();
    r.warn_monthly_keys_alone(obj.get(Key::MonthlyInvocations.name()).is_some());
    let tenant_id = r.tenant_id();
    let architectures = r.architectures();
    let copy_image_uri = r.copy_image_uri(!architectures.is_empty());
    if auto_optimize && !architectures.is_empty() {
        r.error(
            Key::Architectures.name(),
            "",
            "cannot be combined with autoOptimize: powertune does not switch a function's architecture; compare first, then tune the architecture you choose with autoOptimize",
        );
    }
    if sampling == SamplingMode::Adaptive && only_cold_starts {
        r.error(
            Key::Sampling.name(),
            "\"adaptive\"",
            "cannot be combined with onlyColdStarts: each cold start needs its own version, all published before the first invocation, so there is nothing to save; use \"grid\"",
        );
    }
    if sampling == SamplingMode::Adaptive && dry_run {
        r.warnings.push(
            "sampling \"adaptive\" is ignored with dryRun: a dry run invokes every size once"
                .into(),
        );
    }

    if only_cold_starts
        && obj
            .get(Key::DiscardTopBottom.name())
            .is_some_and(|v| v.as_f64().is_some_and(|f| f > 0.0))
    {
        r.warnings.push(
            "discardTopBottom is ignored with onlyColdStarts: every cold start counts in the average".into(),
        );
    }
    if sleep_between_runs_ms > 0 && parallel_invocation {
        r.warnings
            .push("sleepBetweenRunsMs is ignored with parallelInvocation".into());
    }
    if let (PayloadSource::Inline(value), Some(num), false) = (&payload, num, dry_run)
        && let Err(e) = payload::generate(num, Some(value))
    {
        r.error(Key::Payload.name(), "", &e.to_string());
    }

    let errors = r.errors;
    let warnings = r.warnings;
    match (lambda_arn, num, power_values, strategy, errors.is_empty()) {
        (Some(lambda_arn), Some(num), Some(power_values), Some(strategy), true) => {
            Ok(ParsedInput {
                input: TuningInput {
                    lambda_arn,
                    num,
                    power_values,
                    payload,
                    parallel_invocation,
                    strategy,
                    balanced_weight,
                    auto_optimize,
                    auto_optimize_alias,
                    dry_run,
                    pre_processor_arn,
                    post_processor_arn,
                    discard_top_bottom,
                    sleep_between_runs_ms,
                    disable_payload_logs,
                    include_output_results,
                    only_cold_starts,
                    allowed_exceptions,
                    sampling,
                    tolerance,
                    monthly_invocations,
                    free_tier,
                    other_monthly_gb_seconds,
                    cold_start_rate,
                    tenant_id,
                    architectures,
                    copy_image_uri,
                },
                warnings,
            })
        }
        _ => Err(InputErrors(errors)),
    }
}
