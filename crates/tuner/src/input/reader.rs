//! Reading each key of the input, collecting every problem instead of stopping at the first.

use serde_json::{Map, Value, json};

use super::{FieldError, Key, MIN_NUM, PayloadSource, S3Location};
use crate::{
    alias::check_alias_name,
    arn::FunctionArn,
    memory::{self, MemoryMb},
    order, payload,
    sampling::SamplingMode,
    strategy::Strategy,
};

/// Shortened JSON text of a value, for messages.
pub(super) fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 80 {
        format!("{}…", text.chars().take(80).collect::<String>())
    } else {
        text
    }
}

pub(super) struct Reader<'a> {
    pub obj: &'a Map<String, Value>,
    pub errors: Vec<FieldError>,
    pub warnings: Vec<String>,
}

impl<'a> Reader<'a> {
    pub(super) fn error(&mut self, field: &str, value: &str, rule: &str) {
        self.errors.push(FieldError {
            field: field.to_owned(),
            value: value.to_owned(),
            rule: rule.to_owned(),
        });
    }

    pub(super) fn bad(&mut self, field: &str, value: &Value, rule: &str) {
        self.error(field, &short(value), rule);
    }

    /// The value of `key`, treating `null` as absent.
    pub(super) fn get(&self, key: &str) -> Option<&'a Value> {
        let obj: &'a Map<String, Value> = self.obj;
        obj.get(key).filter(|v| !v.is_null())
    }

    pub(super) fn warn_unknown_keys(&mut self) {
        for name in self.obj.keys() {
            if Key::named(name).is_some() {
                continue;
            }
            self.warnings.push(match Key::suggested_for(name) {
                Some(known) => format!(
                    "unknown key {name:?} is ignored: did you mean {:?}?",
                    known.name()
                ),
                None => format!("unknown key {name:?} is ignored"),
            });
        }
    }

    pub(super) fn arn(&mut self, key: &str, required: bool) -> Option<FunctionArn> {
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
    pub(super) fn whole(&mut self, key: &str) -> Option<u64> {
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

    pub(super) fn num(&mut self) -> Option<u32> {
        if self.get(Key::Num.name()).is_none() {
            self.error(Key::Num.name(), "", "is required: how many times to invoke each memory size (at least 5; 10 to 100 gives steadier averages)");
            return None;
        }
        let value = self.obj[Key::Num.name()].clone();
        let n = self.whole(Key::Num.name())?;
        match u32::try_from(n) {
            Ok(n) if n >= MIN_NUM => Some(n),
            _ if n < u64::from(MIN_NUM) => {
                self.bad(
                    Key::Num.name(),
                    &value,
                    "must be at least 5: fewer invocations give averages too noisy to compare",
                );
                None
            }
            _ => {
                self.bad(Key::Num.name(), &value, "is too large");
                None
            }
        }
    }

    pub(super) fn power_values(&mut self) -> Option<Vec<MemoryMb>> {
        let Some(value) = self.get(Key::PowerValues.name()) else {
            return Some(memory::default_power_values());
        };
        let items = match value {
            Value::String(s) if s == "ALL" => return Some(memory::all_power_values()),
            Value::Array(items) if items.is_empty() => return Some(memory::default_power_values()),
            Value::Array(items) => items,
            other => {
                self.bad(
                    Key::PowerValues.name(),
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
        let given = sizes.len();
        let mut sizes = order::sorted(&sizes, &Ord::cmp);
        sizes.dedup();
        if sizes.len() < given {
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

    pub(super) fn payload(&mut self) -> PayloadSource {
        if let Some(value) = self.get(Key::PayloadS3.name()) {
            if self.get(Key::Payload.name()).is_some() {
                self.warnings
                    .push("payload is ignored because payloadS3 is set".into());
            }
            return match value.as_str().map(S3Location::parse) {
                Some(Ok(loc)) => PayloadSource::S3(loc),
                Some(Err(rule)) => {
                    self.bad(Key::PayloadS3.name(), value, &rule);
                    PayloadSource::None
                }
                None => {
                    self.bad(
                        Key::PayloadS3.name(),
                        value,
                        "must be a string of the form s3://BUCKET/KEY",
                    );
                    PayloadSource::None
                }
            };
        }
        match self.obj.get(Key::Payload.name()) {
            // Falsy payloads are sent as `null`, as in the original.
            Some(v) if payload::is_truthy(v) => PayloadSource::Inline(v.clone()),
            _ => PayloadSource::None,
        }
    }

    pub(super) fn boolean(&mut self, key: &str) -> bool {
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

    pub(super) fn strategy(&mut self) -> Option<Strategy> {
        match self.get(Key::Strategy.name()) {
            None => Some(Strategy::Cost),
            Some(Value::String(s)) if s.is_empty() => Some(Strategy::Cost),
            Some(Value::String(s)) => match s.parse() {
                Ok(st) => Some(st),
                Err(_) => {
                    self.error(
                        Key::Strategy.name(),
                        &short(&json!(s)),
                        "must be \"cost\", \"speed\" or \"balanced\" (lower case)",
                    );
                    None
                }
            },
            Some(other) => {
                let other = other.clone();
                self.bad(
                    Key::Strategy.name(),
                    &other,
                    "must be \"cost\", \"speed\" or \"balanced\"",
                );
                None
            }
        }
    }

    pub(super) fn sampling(&mut self) -> SamplingMode {
        match self.get(Key::Sampling.name()) {
            None => SamplingMode::Grid,
            Some(Value::String(s)) => s.parse().unwrap_or_else(|()| {
                self.error(
                    Key::Sampling.name(),
                    &short(&json!(s)),
                    "must be \"grid\" (every size, num invocations each: the original's way) or \"adaptive\" (fewer invocations for the same answer)",
                );
                SamplingMode::Grid
            }),
            Some(other) => {
                let other = other.clone();
                self.bad(
                    Key::Sampling.name(),
                    &other,
                    "must be \"grid\" or \"adaptive\"",
                );
                SamplingMode::Grid
            }
        }
    }

    pub(super) fn fraction(&mut self, key: &str, default: f64, max: f64, meaning: &str) -> f64 {
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

    pub(super) fn alias(&mut self, auto_optimize: bool) -> Option<String> {
        let value = self.get(Key::AutoOptimizeAlias.name())?.clone();
        let Some(alias) = value.as_str().filter(|s| !s.is_empty()) else {
            self.bad(
                Key::AutoOptimizeAlias.name(),
                &value,
                "must be an alias name such as \"prod\"",
            );
            return None;
        };
        if let Err(problem) = check_alias_name(alias) {
            self.bad(Key::AutoOptimizeAlias.name(), &value, problem);
            return None;
        }
        if !auto_optimize {
            self.warnings
                .push("autoOptimizeAlias is ignored unless autoOptimize is true".into());
        }
        Some(alias.to_owned())
    }

    /// `architectures`: one or both of `x86_64` and `arm64`, each once; empty when absent.
    pub(super) fn allowed_exceptions(&mut self) -> Vec<String> {
        match self.get(Key::AllowedExceptions.name()) {
            None => Vec::new(),
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            Some(other) => {
                let other = other.clone();
                self.bad(
                    Key::AllowedExceptions.name(),
                    &other,
                    "must be an array of error type names, e.g. [\"HandledError\"]",
                );
                Vec::new()
            }
        }
    }
}
