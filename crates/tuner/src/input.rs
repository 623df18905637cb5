//! The original tool's execution input, read verbatim and validated.
//!
//! Every key of the original (spec §2) is accepted with its name, type and default. Validation is
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

use std::fmt;

use serde_json::{Map, Value, json};

use crate::{
    alias::check_alias_name,
    arn::FunctionArn,
    memory::{self, MemoryMb},
    payload,
    strategy::{DEFAULT_BALANCED_WEIGHT, Strategy},
};

/// Default trimmed-mean fraction.
pub const DEFAULT_DISCARD_TOP_BOTTOM: f64 = 0.2;
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

/// An `s3://bucket/key` location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Location {
    /// Bucket name.
    pub bucket: String,
    /// Object key.
    pub key: String,
}

impl fmt::Display for S3Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s3://{}/{}", self.bucket, self.key)
    }
}

impl S3Location {
    /// Parses `s3://bucket/key`.
    ///
    /// # Errors
    /// A rule text saying what is wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        let rest = text
            .trim()
            .strip_prefix("s3://")
            .ok_or("must have the form s3://BUCKET/KEY")?;
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        let valid_bucket = (3..=63).contains(&bucket.len())
            && bucket
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-');
        if !valid_bucket {
            return Err(format!(
                "the bucket {bucket:?} is not a valid S3 bucket name (3 to 63 lower-case letters, digits, dots, hyphens); the form is s3://BUCKET/KEY"
            ));
        }
        if key.is_empty() {
            return Err("the object key is missing; the form is s3://BUCKET/KEY".into());
        }
        Ok(Self {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
        })
    }
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

    /// The input as the original tool's JSON, with every key spelled out.
    pub fn to_json(&self) -> Value {
        let mut obj = Map::new();
        obj.insert("lambdaARN".into(), json!(self.lambda_arn.to_string()));
        obj.insert("num".into(), json!(self.num));
        obj.insert(
            "powerValues".into(),
            json!(
                self.power_values
                    .iter()
                    .map(|m| m.get())
                    .collect::<Vec<_>>()
            ),
        );
        match &self.payload {
            PayloadSource::None => {}
            PayloadSource::Inline(v) => {
                obj.insert("payload".into(), v.clone());
            }
            PayloadSource::S3(loc) => {
                obj.insert("payloadS3".into(), json!(loc.to_string()));
            }
        }
        obj.insert("parallelInvocation".into(), json!(self.parallel_invocation));
        obj.insert("strategy".into(), json!(self.strategy.as_str()));
        obj.insert("balancedWeight".into(), json!(self.balanced_weight));
        obj.insert("autoOptimize".into(), json!(self.auto_optimize));
        if let Some(alias) = &self.auto_optimize_alias {
            obj.insert("autoOptimizeAlias".into(), json!(alias));
        }
        obj.insert("dryRun".into(), json!(self.dry_run));
        if let Some(arn) = &self.pre_processor_arn {
            obj.insert("preProcessorARN".into(), json!(arn.to_string()));
        }
        if let Some(arn) = &self.post_processor_arn {
            obj.insert("postProcessorARN".into(), json!(arn.to_string()));
        }
        obj.insert("discardTopBottom".into(), json!(self.discard_top_bottom));
        obj.insert(
            "sleepBetweenRunsMs".into(),
            json!(self.sleep_between_runs_ms),
        );
        obj.insert(
            "disablePayloadLogs".into(),
            json!(self.disable_payload_logs),
        );
        obj.insert(
            "includeOutputResults".into(),
            json!(self.include_output_results),
        );
        obj.insert("onlyColdStarts".into(), json!(self.only_cold_starts));
        obj.insert("allowedExceptions".into(), json!(self.allowed_exceptions));
        Value::Object(obj)
    }
}

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The key, as in the original input (`num`, `powerValues[2]`, …); `input` for the whole.
    pub field: String,
    /// The offending value as JSON text (shortened), empty when missing.
    pub value: String,
    /// The rule broken, with how to fix it.
    pub rule: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.value.is_empty() {
            write!(f, "{}: {}", self.field, self.rule)
        } else {
            write!(f, "{} = {}: {}", self.field, self.value, self.rule)
        }
    }
}

impl std::error::Error for FieldError {}

/// Every problem found in an input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} problem{} in the tuning input:\n{}", .0.len(), if .0.len() == 1 { "" } else { "s" }, list(.0))]
pub struct InputErrors(pub Vec<FieldError>);

fn list(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("- {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl InputErrors {
    /// The errors about `field` (or its elements, `field[i]`).
    pub fn for_field<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a FieldError> + 'a {
        self.0.iter().filter(move |e| {
            e.field == field
                || e.field
                    .strip_prefix(field)
                    .is_some_and(|r| r.starts_with('['))
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

/// Every key the original reads.
pub const KNOWN_KEYS: [&str; 19] = [
    "lambdaARN",
    "num",
    "powerValues",
    "payload",
    "payloadS3",
    "parallelInvocation",
    "strategy",
    "balancedWeight",
    "autoOptimize",
    "autoOptimizeAlias",
    "dryRun",
    "preProcessorARN",
    "postProcessorARN",
    "discardTopBottom",
    "sleepBetweenRunsMs",
    "disablePayloadLogs",
    "includeOutputResults",
    "onlyColdStarts",
    "allowedExceptions",
];

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

    let lambda_arn = r.arn("lambdaARN", true);
    let num = r.num();
    let power_values = r.power_values();
    let payload = r.payload();
    let parallel_invocation = r.boolean("parallelInvocation");
    let strategy = r.strategy();
    let balanced_weight = r.fraction(
        "balancedWeight",
        DEFAULT_BALANCED_WEIGHT,
        1.0,
        "cost weight: 0 is pure speed, 1 is pure cost",
    );
    let auto_optimize = r.boolean("autoOptimize");
    let auto_optimize_alias = r.alias(auto_optimize);
    let dry_run = r.boolean("dryRun");
    let pre_processor_arn = r.arn("preProcessorARN", false);
    let post_processor_arn = r.arn("postProcessorARN", false);
    let discard_top_bottom = r.fraction(
        "discardTopBottom",
        DEFAULT_DISCARD_TOP_BOTTOM,
        0.4,
        "fraction of the fastest and of the slowest results dropped from the average",
    );
    let sleep_between_runs_ms = r.whole("sleepBetweenRunsMs").unwrap_or(0);
    let disable_payload_logs = r.boolean("disablePayloadLogs");
    let include_output_results = r.boolean("includeOutputResults");
    let only_cold_starts = r.boolean("onlyColdStarts");
    let allowed_exceptions = r.allowed_exceptions();

    if only_cold_starts
        && obj
            .get("discardTopBottom")
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
        r.error("payload", "", &e.to_string());
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
                },
                warnings,
            })
        }
        _ => Err(InputErrors(errors)),
    }
}

/// Shortened JSON text of a value, for messages.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 80 {
        format!("{}…", text.chars().take(80).collect::<String>())
    } else {
        text
    }
}

struct Reader<'a> {
    obj: &'a Map<String, Value>,
    errors: Vec<FieldError>,
    warnings: Vec<String>,
}

impl<'a> Reader<'a> {
    fn error(&mut self, field: &str, value: &str, rule: &str) {
        self.errors.push(FieldError {
            field: field.to_owned(),
            value: value.to_owned(),
            rule: rule.to_owned(),
        });
    }

    fn bad(&mut self, field: &str, value: &Value, rule: &str) {
        self.error(field, &short(value), rule);
    }

    /// The value of `key`, treating `null` as absent.
    fn get(&self, key: &str) -> Option<&'a Value> {
        let obj: &'a Map<String, Value> = self.obj;
        obj.get(key).filter(|v| !v.is_null())
    }

    fn warn_unknown_keys(&mut self) {
        const RENAMED: [(&str, &str); 3] = [
            ("enableParallel", "parallelInvocation"),
            ("lambdaArn", "lambdaARN"),
            ("functionArn", "lambdaARN"),
        ];
        for key in self.obj.keys() {
            if KNOWN_KEYS.contains(&key.as_str()) {
                continue;
            }
            let suggestion = RENAMED
                .iter()
                .find(|(old, _)| old == key)
                .map(|(_, new)| *new)
                .or_else(|| {
                    KNOWN_KEYS
                        .iter()
                        .copied()
                        .find(|k| k.eq_ignore_ascii_case(key))
                });
            self.warnings.push(match suggestion {
                Some(known) => format!("unknown key {key:?} is ignored: did you mean {known:?}?"),
                None => format!("unknown key {key:?} is ignored"),
            });
        }
    }

    fn arn(&mut self, key: &str, required: bool) -> Option<FunctionArn> {
        match self.get(key) {
            None if required => {
                self.error(key, "", "is required: the ARN of the function to tune, e.g. arn:aws:lambda:us-east-1:123456789012:function:my-function");
                None
            }
            None => None,
            Some(Value::String(s)) if s.trim().is_empty() && !required => None,
            Some(Value::String(s)) => match s.parse() {
                Ok(arn) => Some(arn),
                Err(e) => {
                    self.error(key, &short(&json!(s)), &e.to_string());
                    None
                }
            },
            Some(other) => {
                self.bad(key, other, "must be a string holding a function ARN");
                None
            }
        }
    }

    /// A whole non-negative number, given as a number or a numeric string.
    fn whole(&mut self, key: &str) -> Option<u64> {
        let value = self.get(key)?;
        let parsed = match value {
            Value::Number(n) => n.as_u64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 1e15)
                    .map(|f| f as u64)
            }),
            Value::String(s) => s.trim().parse::<u64>().ok(),
            _ => None,
        };
        if parsed.is_none() {
            self.bad(key, value, "must be a whole number of 0 or more");
        }
        parsed
    }

    fn num(&mut self) -> Option<u32> {
        if self.get("num").is_none() {
            self.error("num", "", "is required: how many times to invoke each memory size (at least 5; 10 to 100 gives steadier averages)");
            return None;
        }
        let value = self.obj["num"].clone();
        let n = self.whole("num")?;
        match u32::try_from(n) {
            Ok(n) if n >= MIN_NUM => Some(n),
            _ if n < u64::from(MIN_NUM) => {
                self.bad(
                    "num",
                    &value,
                    "must be at least 5: fewer invocations give averages too noisy to compare",
                );
                None
            }
            _ => {
                self.bad("num", &value, "is too large");
                None
            }
        }
    }

    fn power_values(&mut self) -> Option<Vec<MemoryMb>> {
        let Some(value) = self.get("powerValues") else {
            return Some(memory::default_power_values());
        };
        let items = match value {
            Value::String(s) if s == "ALL" => return Some(memory::all_power_values()),
            Value::Array(items) if items.is_empty() => return Some(memory::default_power_values()),
            Value::Array(items) => items,
            other => {
                self.bad(
                    "powerValues",
                    other,
                    "must be an array of memory sizes in MB, e.g. [128, 256, 512, 1024], or \"ALL\" (128 to 3008 in steps of 64)",
                );
                return None;
            }
        };
        let mut sizes = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let mb = match item {
                Value::Number(n) => n.as_u64(),
                Value::String(s) => s.trim().parse::<u64>().ok(),
                _ => None,
            };
            match mb.map(|mb| MemoryMb::new(u32::try_from(mb).unwrap_or(u32::MAX))) {
                Some(Ok(m)) => sizes.push(m),
                Some(Err(_)) => {
                    ok = false;
                    self.bad(
                        &format!("powerValues[{i}]"),
                        item,
                        "must be between 128 and 10240 MB (Lambda's range)",
                    );
                }
                None => {
                    ok = false;
                    self.bad(
                        &format!("powerValues[{i}]"),
                        item,
                        "must be a whole number of MB between 128 and 10240",
                    );
                }
            }
        }
        if !ok {
            return None;
        }
        let given = sizes.clone();
        sizes.sort();
        sizes.dedup();
        if sizes.len() < given.len() {
            self.warnings
                .push("powerValues had duplicates; each size is tested once".into());
        }
        if sizes.iter().any(|m| m.get() > MemoryMb::NEW_ACCOUNT_CAP) {
            self.warnings.push(
                "sizes above 3008 MB fail on accounts whose Lambda memory quota is still 3008 MB (common for new accounts)".into(),
            );
        }
        Some(sizes)
    }

    fn payload(&mut self) -> PayloadSource {
        if let Some(value) = self.get("payloadS3") {
            if self.get("payload").is_some() {
                self.warnings
                    .push("payload is ignored because payloadS3 is set".into());
            }
            return match value.as_str().map(S3Location::parse) {
                Some(Ok(loc)) => PayloadSource::S3(loc),
                Some(Err(rule)) => {
                    self.bad("payloadS3", value, &rule);
                    PayloadSource::None
                }
                None => {
                    self.bad(
                        "payloadS3",
                        value,
                        "must be a string of the form s3://BUCKET/KEY",
                    );
                    PayloadSource::None
                }
            };
        }
        match self.obj.get("payload") {
            // Falsy payloads are sent as `null`, as in the original.
            Some(v) if payload::is_truthy(v) => PayloadSource::Inline(v.clone()),
            _ => PayloadSource::None,
        }
    }

    fn boolean(&mut self, key: &str) -> bool {
        match self.get(key) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) if s == "true" || s == "false" => {
                self.warnings.push(format!(
                    "{key} is the string {s:?}; read as the boolean {s} (the original tool would read any non-empty string as true)"
                ));
                s == "true"
            }
            Some(other) => {
                let other = other.clone();
                self.bad(key, &other, "must be true or false");
                false
            }
        }
    }

    fn strategy(&mut self) -> Option<Strategy> {
        match self.get("strategy") {
            None => Some(Strategy::Cost),
            Some(Value::String(s)) if s.is_empty() => Some(Strategy::Cost),
            Some(Value::String(s)) => match s.parse() {
                Ok(st) => Some(st),
                Err(_) => {
                    self.error(
                        "strategy",
                        &short(&json!(s)),
                        "must be \"cost\", \"speed\" or \"balanced\" (lower case)",
                    );
                    None
                }
            },
            Some(other) => {
                let other = other.clone();
                self.bad(
                    "strategy",
                    &other,
                    "must be \"cost\", \"speed\" or \"balanced\"",
                );
                None
            }
        }
    }

    fn fraction(&mut self, key: &str, default: f64, max: f64, meaning: &str) -> f64 {
        let Some(value) = self.get(key) else {
            return default;
        };
        let parsed = match value {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        match parsed {
            Some(f) if (0.0..=max).contains(&f) => f,
            _ => {
                let value = value.clone();
                self.bad(
                    key,
                    &value,
                    &format!("must be a number from 0 to {max} ({meaning})"),
                );
                default
            }
        }
    }

    fn alias(&mut self, auto_optimize: bool) -> Option<String> {
        let value = self.get("autoOptimizeAlias")?.clone();
        let Some(alias) = value.as_str().filter(|s| !s.is_empty()) else {
            self.bad(
                "autoOptimizeAlias",
                &value,
                "must be an alias name such as \"prod\"",
            );
            return None;
        };
        if let Err(problem) = check_alias_name(alias) {
            self.bad("autoOptimizeAlias", &value, problem);
            return None;
        }
        if !auto_optimize {
            self.warnings
                .push("autoOptimizeAlias is ignored unless autoOptimize is true".into());
        }
        Some(alias.to_owned())
    }

    fn allowed_exceptions(&mut self) -> Vec<String> {
        match self.get("allowedExceptions") {
            None => Vec::new(),
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            Some(other) => {
                let other = other.clone();
                self.bad(
                    "allowedExceptions",
                    &other,
                    "must be an array of error type names, e.g. [\"HandledError\"]",
                );
                Vec::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:my-fn";

    fn ok(value: Value) -> ParsedInput {
        parse_value(&value).unwrap_or_else(|e| panic!("{e}"))
    }

    fn errors(value: Value) -> InputErrors {
        parse_value(&value).unwrap_err()
    }

    fn fields(value: Value) -> Vec<String> {
        errors(value).0.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn minimal_input_gets_the_original_defaults() {
        let p = ok(json!({"lambdaARN": ARN, "num": 10}));
        let i = &p.input;
        assert_eq!(i.lambda_arn.to_string(), ARN);
        assert_eq!(i.num, 10);
        assert_eq!(
            i.power_values.iter().map(|m| m.get()).collect::<Vec<_>>(),
            memory::DEFAULT_POWER_VALUES
        );
        assert_eq!(i.payload, PayloadSource::None);
        assert_eq!(i.strategy, Strategy::Cost);
        assert_eq!(i.balanced_weight, 0.5);
        assert_eq!(i.discard_top_bottom, 0.2);
        assert!(!i.parallel_invocation && !i.dry_run && !i.only_cold_starts && !i.auto_optimize);
        assert_eq!(i.sleep_between_runs_ms, 0);
        assert!(i.allowed_exceptions.is_empty());
        assert!(p.warnings.is_empty());
        assert_eq!(*i, TuningInput::new(ARN.parse().unwrap()));
    }

    #[test]
    fn every_key_is_read() {
        let p = ok(json!({
            "lambdaARN": ARN, "num": "50", "powerValues": [1024, "512", 128],
            "payload": {"a": 1}, "parallelInvocation": true, "strategy": "balanced",
            "balancedWeight": 0.3, "autoOptimize": true, "autoOptimizeAlias": "prod",
            "dryRun": false, "preProcessorARN": "arn:aws:lambda:eu-west-1:123456789012:function:pre",
            "postProcessorARN": "arn:aws:lambda:us-west-2:123456789012:function:post",
            "discardTopBottom": 0.1, "sleepBetweenRunsMs": 0, "disablePayloadLogs": true,
            "includeOutputResults": true, "onlyColdStarts": false, "allowedExceptions": ["HandledError"]
        }));
        let i = p.input;
        assert_eq!(i.num, 50);
        assert_eq!(
            i.power_values.iter().map(|m| m.get()).collect::<Vec<_>>(),
            [128, 512, 1024]
        );
        assert_eq!(i.payload, PayloadSource::Inline(json!({"a": 1})));
        assert!(
            i.parallel_invocation
                && i.auto_optimize
                && i.disable_payload_logs
                && i.include_output_results
        );
        assert_eq!(i.strategy, Strategy::Balanced);
        assert_eq!(i.balanced_weight, 0.3);
        assert_eq!(i.auto_optimize_alias.as_deref(), Some("prod"));
        assert_eq!(i.pre_processor_arn.unwrap().region(), "eu-west-1");
        assert_eq!(i.post_processor_arn.unwrap().region(), "us-west-2");
        assert_eq!(i.discard_top_bottom, 0.1);
        assert_eq!(i.allowed_exceptions, ["HandledError"]);
    }

    #[test]
    fn ac_104_missing_arn() {
        for value in [
            json!({"num": 5}),
            json!({"lambdaARN": "", "num": 5}),
            json!({"lambdaARN": null, "num": 5}),
            json!({"lambdaARN": false, "num": 5}),
            json!({"lambdaARN": 0, "num": 5}),
        ] {
            assert_eq!(fields(value), ["lambdaARN"]);
        }
        assert_eq!(fields(json!(null)), ["input"]);
        assert_eq!(fields(json!({})), ["lambdaARN", "num"]);
    }

    #[test]
    fn ac_105_num_below_five() {
        for num in [json!(-1), json!(0), json!(1), json!(2), json!(3), json!(4)] {
            let err = errors(json!({"lambdaARN": ARN, "num": num}));
            assert_eq!(err.0[0].field, "num");
        }
        let err = errors(json!({"lambdaARN": ARN, "num": 3}));
        assert_eq!(
            err.0[0].to_string(),
            "num = 3: must be at least 5: fewer invocations give averages too noisy to compare"
        );
        assert_eq!(fields(json!({"lambdaARN": ARN, "num": 10.5})), ["num"]);
        assert_eq!(fields(json!({"lambdaARN": ARN, "num": "ten"})), ["num"]);
    }

    #[test]
    fn ac_106_107_power_values() {
        for pv in [json!(null), json!([]), json!([128, 256, 512])] {
            ok(json!({"lambdaARN": ARN, "num": 5, "powerValues": pv}));
        }
        let all = ok(json!({"lambdaARN": ARN, "num": 5, "powerValues": "ALL"}));
        assert_eq!(all.input.power_values.len(), 46);
    }

    #[test]
    fn bad_power_values_name_the_index() {
        let err = errors(
            json!({"lambdaARN": ARN, "num": 5, "powerValues": [128, 64, "abc", 20000, 1.5]}),
        );
        let f: Vec<&str> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            f,
            [
                "powerValues[1]",
                "powerValues[2]",
                "powerValues[3]",
                "powerValues[4]"
            ]
        );
        assert!(err.0[0].to_string().contains("between 128 and 10240"));
        assert_eq!(err.for_field("powerValues").count(), 4);
        let csv = errors(json!({"lambdaARN": ARN, "num": 5, "powerValues": "128,256"}));
        assert!(csv.0[0].rule.contains("array"));
    }

    #[test]
    fn duplicates_are_removed_and_sizes_sorted() {
        let p = ok(json!({"lambdaARN": ARN, "num": 5, "powerValues": [512, 128, 512, 4096]}));
        assert_eq!(
            p.input
                .power_values
                .iter()
                .map(|m| m.get())
                .collect::<Vec<_>>(),
            [128, 512, 4096]
        );
        assert!(p.warnings.iter().any(|w| w.contains("duplicates")));
        assert!(p.warnings.iter().any(|w| w.contains("3008")));
    }

    #[test]
    fn fractions_are_range_checked() {
        assert_eq!(
            fields(json!({"lambdaARN": ARN, "num": 5, "discardTopBottom": 0.7})),
            ["discardTopBottom"]
        );
        assert_eq!(
            fields(json!({"lambdaARN": ARN, "num": 5, "balancedWeight": 1.5})),
            ["balancedWeight"]
        );
        assert_eq!(
            fields(json!({"lambdaARN": ARN, "num": 5, "balancedWeight": "x"})),
            ["balancedWeight"]
        );
        let p = ok(json!({"lambdaARN": ARN, "num": 5, "discardTopBottom": 0, "balancedWeight": 1}));
        assert_eq!(
            (p.input.discard_top_bottom, p.input.balanced_weight),
            (0.0, 1.0)
        );
    }

    #[test]
    fn only_cold_starts_forces_no_discard() {
        let p = ok(
            json!({"lambdaARN": ARN, "num": 5, "onlyColdStarts": true, "discardTopBottom": 0.3}),
        );
        assert_eq!(p.input.effective_discard(), 0.0);
        assert!(
            p.warnings
                .iter()
                .any(|w| w.contains("ignored with onlyColdStarts"))
        );
    }

    #[test]
    fn booleans_are_strict_but_forgiving_of_quoted_literals() {
        let p = ok(
            json!({"lambdaARN": ARN, "num": 5, "parallelInvocation": "false", "dryRun": "true"}),
        );
        assert!(!p.input.parallel_invocation);
        assert!(p.input.dry_run);
        assert_eq!(p.warnings.len(), 2);
        assert_eq!(
            fields(json!({"lambdaARN": ARN, "num": 5, "dryRun": 1})),
            ["dryRun"]
        );
    }

    #[test]
    fn ac_98_strategy_names() {
        for bad in ["foobar", "Balanced", " ", "-"] {
            assert_eq!(
                fields(json!({"lambdaARN": ARN, "num": 5, "strategy": bad})),
                ["strategy"]
            );
        }
        assert_eq!(
            ok(json!({"lambdaARN": ARN, "num": 5, "strategy": ""}))
                .input
                .strategy,
            Strategy::Cost
        );
    }

    #[test]
    fn payload_sources() {
        let s3 = ok(
            json!({"lambdaARN": ARN, "num": 5, "payloadS3": "s3://my-bucket/dir/key.json", "payload": {"x": 1}}),
        );
        assert_eq!(
            s3.input.payload,
            PayloadSource::S3(S3Location {
                bucket: "my-bucket".into(),
                key: "dir/key.json".into()
            })
        );
        assert!(s3.warnings.iter().any(|w| w.contains("payloadS3")));
        for bad in [
            "",
            "/",
            "bucket/key.json",
            "/bucket/key.json",
            "/key.json",
            "key.json",
            "s3://bucket/",
            "s3://key.json",
            "s3://",
        ] {
            assert_eq!(
                fields(json!({"lambdaARN": ARN, "num": 5, "payloadS3": bad})),
                ["payloadS3"],
                "{bad}"
            );
        }
        for falsy in [json!(""), json!(0), json!(false)] {
            assert_eq!(
                ok(json!({"lambdaARN": ARN, "num": 5, "payload": falsy}))
                    .input
                    .payload,
                PayloadSource::None
            );
        }
    }

    #[test]
    fn weighted_payloads_are_checked_against_num() {
        let weighted = json!([{"payload": "a", "weight": 10}, {"payload": "b", "weight": 60}, {"payload": "c", "weight": 30}]);
        let err = errors(json!({"lambdaARN": ARN, "num": 5, "payload": weighted}));
        assert_eq!(err.0[0].field, "payload");
        assert!(err.0[0].rule.contains("raise \"num\""));
        ok(json!({"lambdaARN": ARN, "num": 10, "payload": weighted}));
        // A dry run invokes once with the first payload instead of failing.
        ok(json!({"lambdaARN": ARN, "num": 5, "payload": weighted, "dryRun": true}));
    }

    #[test]
    fn unknown_keys_warn_with_suggestions() {
        let p = ok(json!({"lambdaARN": ARN, "num": 5, "enableParallel": true, "NUM": 3, "foo": 1}));
        assert!(
            p.warnings.contains(
                &"unknown key \"enableParallel\" is ignored: did you mean \"parallelInvocation\"?"
                    .to_owned()
            )
        );
        assert!(
            p.warnings
                .contains(&"unknown key \"NUM\" is ignored: did you mean \"num\"?".to_owned())
        );
        assert!(
            p.warnings
                .contains(&"unknown key \"foo\" is ignored".to_owned())
        );
    }

    #[test]
    fn aliases_and_exceptions() {
        assert_eq!(
            fields(
                json!({"lambdaARN": ARN, "num": 5, "autoOptimize": true, "autoOptimizeAlias": "RAM512"})
            ),
            ["autoOptimizeAlias"]
        );
        assert_eq!(
            fields(json!({"lambdaARN": ARN, "num": 5, "autoOptimizeAlias": "123"})),
            ["autoOptimizeAlias"]
        );
        assert_eq!(
            fields(json!({"lambdaARN": ARN, "num": 5, "autoOptimizeAlias": "bad name"})),
            ["autoOptimizeAlias"]
        );
        let p = ok(json!({"lambdaARN": ARN, "num": 5, "autoOptimizeAlias": "live"}));
        assert!(p.warnings.iter().any(|w| w.contains("unless autoOptimize")));
        assert_eq!(
            fields(json!({"lambdaARN": ARN, "num": 5, "allowedExceptions": "HandledError"})),
            ["allowedExceptions"]
        );
        assert!(
            ok(json!({"lambdaARN": ARN, "num": 5, "allowedExceptions": null}))
                .input
                .allowed_exceptions
                .is_empty()
        );
    }

    #[test]
    fn all_problems_are_reported_at_once() {
        let err =
            errors(json!({"lambdaARN": "my-fn", "num": 2, "strategy": "fast", "powerValues": [1]}));
        assert_eq!(err.0.len(), 4);
        let text = err.to_string();
        assert!(
            text.starts_with("4 problems in the tuning input:\n- "),
            "{text}"
        );
        assert!(text.contains("paste the full ARN"));
    }

    #[test]
    fn invalid_json_text_is_explained() {
        let err = parse_input("{\"num\": 5,").unwrap_err();
        assert_eq!(err.0[0].field, "input");
        assert!(err.0[0].rule.starts_with("not valid JSON"));
    }

    #[test]
    fn to_json_round_trips() {
        let p = ok(
            json!({"lambdaARN": ARN, "num": 7, "powerValues": [256, 128], "payloadS3": "s3://b-1/k", "strategy": "speed",
            "preProcessorARN": "arn:aws:lambda:eu-west-1:123456789012:function:pre", "autoOptimize": true, "autoOptimizeAlias": "live",
            "allowedExceptions": ["E"], "sleepBetweenRunsMs": 20}),
        );
        let again = parse_value(&p.input.to_json()).unwrap();
        assert_eq!(again.input, p.input);
        assert!(again.warnings.is_empty(), "{:?}", again.warnings);
    }
}
