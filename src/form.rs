//! The tuning form's fields and the original tool's JSON input they stand for.
//!
//! The fields come from the domain's table of input keys ([`KEYS`]: name, help, how to ask, where
//! to show it, the initial value), so a new key appears in the CLI, the JSON and the form from one
//! place. The form never validates by itself: it builds the original input JSON and hands it to
//! the domain's parser, so the web app, the CLI and pasted JSON share one set of rules and
//! messages.

use std::collections::{BTreeMap, BTreeSet};

use powertune_tuner::{
    Strategy, TuningInput,
    input::{Control, InputErrors, KEYS, Key, KeySpec, ParsedInput, Tier, parse_value},
    sampling::SamplingMode,
};
use serde_json::{Map, Value, json};

/// What the user typed, as typed: the text of every text field, the flags that are on, and the
/// two choices as the domain's types.
#[derive(Debug, Clone, PartialEq)]
pub struct FormState {
    texts: BTreeMap<Key, String>,
    flags: BTreeSet<Key>,
    /// The strategy.
    pub strategy: Strategy,
    /// The sampling mode.
    pub sampling: SamplingMode,
}

/// A value read as a number when it is one; as text otherwise, so the parser reports it with
/// the field's name.
fn number(text: &str) -> Value {
    let t = text.trim();
    t.parse::<u64>()
        .map(Value::from)
        .or_else(|_| t.parse::<f64>().map(Value::from))
        .unwrap_or_else(|_| Value::String(t.to_owned()))
}

impl FormState {
    /// A new form for `lambda_arn`: every field at its initial value.
    pub fn new(lambda_arn: &str) -> Self {
        let mut form = Self {
            texts: BTreeMap::new(),
            flags: BTreeSet::new(),
            strategy: Strategy::default(),
            sampling: SamplingMode::default(),
        };
        for spec in &KEYS {
            if !matches!(spec.control, Control::Flag | Control::Choice(_)) {
                form.texts.insert(spec.key, spec.initial.to_owned());
            }
        }
        form.set_text(Key::LambdaArn, lambda_arn.to_owned());
        form
    }

    /// The text of a text field (empty for a flag or a choice).
    pub fn text(&self, key: Key) -> String {
        self.texts.get(&key).cloned().unwrap_or_default()
    }

    /// Sets the text of a text field.
    pub fn set_text(&mut self, key: Key, text: String) {
        self.texts.insert(key, text);
    }

    /// Whether a flag is on.
    pub fn flag(&self, key: Key) -> bool {
        self.flags.contains(&key)
    }

    /// Turns a flag on or off.
    pub fn set_flag(&mut self, key: Key, on: bool) {
        if on {
            self.flags.insert(key);
        } else {
            self.flags.remove(&key);
        }
    }

    /// The value of a choice, as its option's value.
    pub fn choice(&self, key: Key) -> &'static str {
        match key {
            Key::Strategy => self.strategy.as_str(),
            Key::Sampling => self.sampling.as_str(),
            _ => "",
        }
    }

    /// Chooses an option of a choice by its value (an unknown value changes nothing: the
    /// options come from the same table).
    pub fn set_choice(&mut self, key: Key, value: &str) {
        match key {
            Key::Strategy => self.strategy = value.parse().unwrap_or(self.strategy),
            Key::Sampling => self.sampling = value.parse().unwrap_or(self.sampling),
            _ => {}
        }
    }

    /// Whether `spec`'s field holds something other than its initial value: an Advanced field
    /// that does is shown unfolded.
    fn is_set(&self, spec: &KeySpec) -> bool {
        match spec.control {
            Control::Flag => self.flag(spec.key),
            Control::Choice(_) => self.choice(spec.key) != spec.initial,
            _ => self.text(spec.key).trim() != spec.initial,
        }
    }

    /// How many fields behind "Advanced" are set.
    pub fn advanced_set(&self) -> usize {
        KEYS.iter()
            .filter(|spec| spec.tier == Tier::Advanced && self.is_set(spec))
            .count()
    }

    /// Whether any field behind "Advanced" is set.
    pub fn any_advanced_set(&self) -> bool {
        self.advanced_set() > 0
    }

    /// The value `spec`'s field sends, `None` when it sends nothing: an empty text field, a flag
    /// that is off, and powertune's own keys at their initial value, so the JSON stays the
    /// original's.
    fn json_value(&self, spec: &KeySpec) -> Option<Value> {
        let text = self.text(spec.key);
        let text = text.trim();
        match spec.control {
            Control::Flag => self.flag(spec.key).then_some(Value::Bool(true)),
            Control::Choice(_) => {
                let value = self.choice(spec.key);
                (spec.key == Key::Strategy || value != spec.initial).then(|| json!(value))
            }
            _ if text.is_empty() => None,
            _ if spec.key == Key::Tolerance && text == spec.initial => None,
            Control::Text => Some(json!(text)),
            Control::Number => Some(number(text)),
            // Large counts may be typed with thousands separators: "30,000,000".
            Control::Count => Some(number(&text.replace([',', '_', ' '], ""))),
            Control::Sizes if text.eq_ignore_ascii_case("all") => Some(json!("ALL")),
            Control::Sizes => Some(Value::Array(
                text.split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|s| !s.is_empty())
                    .map(number)
                    .collect(),
            )),
            Control::Json => {
                Some(serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned())))
            }
            Control::Names => Some(Value::Array(
                text.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| json!(s))
                    .collect(),
            )),
        }
    }

    /// The original input JSON these fields stand for.
    pub fn to_json(&self) -> Value {
        let obj: Map<String, Value> = KEYS
            .iter()
            .filter_map(|spec| Some((spec.name.to_owned(), self.json_value(spec)?)))
            .collect();
        Value::Object(obj)
    }

    /// A warning when the payload field is not JSON: it is then sent as a JSON string, which
    /// the original would only have failed on once invoked. `None` for JSON or an empty field.
    pub fn payload_note(&self) -> Option<String> {
        let payload = self.text(Key::Payload);
        let payload = payload.trim();
        if payload.is_empty() || serde_json::from_str::<Value>(payload).is_ok() {
            return None;
        }
        let shown: String = payload.chars().take(40).collect();
        let more = if shown.len() < payload.len() {
            "…"
        } else {
            ""
        };
        Some(format!(
            "not JSON: it will be sent as the string {} (quote it, or fix the JSON)",
            Value::String(format!("{shown}{more}"))
        ))
    }

    /// The validated input: these fields over `base`, a pasted input (`Value::Null` for none).
    ///
    /// # Errors
    /// The domain's [`InputErrors`].
    pub fn parse(&self, base: &Value) -> Result<ParsedInput, InputErrors> {
        parse_value(&self.merge_extra(base))
    }

    /// Memory sizes as the sizes field shows them: `128, 256, 512`.
    pub fn sizes_text(sizes: &[u32]) -> String {
        sizes
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The fields for a validated input (pasted JSON, a share link's): each key's value as the
    /// input's JSON has it, written as its field shows it.
    pub fn from_input(input: &TuningInput) -> Self {
        let json = input.to_json();
        let mut form = Self::new("");
        for spec in &KEYS {
            let value = json.get(spec.name).unwrap_or(&Value::Null);
            match spec.control {
                Control::Flag => form.set_flag(spec.key, value.as_bool().unwrap_or(false)),
                Control::Choice(_) => {
                    form.set_choice(spec.key, value.as_str().unwrap_or(spec.initial));
                }
                // A key the input's JSON leaves out (powertune's own at their defaults) shows
                // the field's initial value.
                _ if value.is_null() => form.set_text(spec.key, spec.initial.to_owned()),
                _ => form.set_text(spec.key, field_text(spec, value)),
            }
        }
        form
    }

    /// The full input: these fields over the `base` JSON (a pasted input): a key the form has
    /// a field for takes the field's value (or goes, when the field sends nothing); others (an
    /// unknown key, which the parser then names) stay.
    pub fn merge_extra(&self, base: &Value) -> Value {
        let mut merged = base.as_object().cloned().unwrap_or_default();
        for spec in &KEYS {
            merged.remove(spec.name);
        }
        if let Value::Object(fields) = self.to_json() {
            merged.extend(fields);
        }
        Value::Object(merged)
    }
}

/// A key's value from the input's JSON, as its text field shows it.
fn field_text(spec: &KeySpec, value: &Value) -> String {
    match (spec.control, value) {
        (_, Value::Null) => String::new(),
        (Control::Sizes, Value::Array(sizes)) => {
            let sizes: Vec<u32> = sizes
                .iter()
                .filter_map(|m| m.as_u64().and_then(|m| u32::try_from(m).ok()))
                .collect();
            FormState::sizes_text(&sizes)
        }
        (Control::Names, Value::Array(names)) => names
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        (Control::Json, Value::String(text)) => text.clone(),
        (Control::Json, other) => serde_json::to_string_pretty(other).unwrap_or_default(),
        (_, Value::String(text)) => text.clone(),
        // As typed: 6000000000, not JSON's 6000000000.0.
        (_, Value::Number(n)) => n
            .as_u64()
            .map(|u| u.to_string())
            .or_else(|| n.as_f64().map(|f| f.to_string()))
            .unwrap_or_else(|| n.to_string()),
        (_, other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:image-resizer";

    #[test]
    fn defaults_parse() {
        let form = FormState::new(ARN);
        let parsed = form.parse(&Value::Null).unwrap();
        assert_eq!(parsed.input.num, 10);
        assert_eq!(parsed.input.power_values.len(), 6);
        assert!(
            !form.any_advanced_set(),
            "a new form has nothing behind Advanced"
        );
        // The original's keys the form holds, and none of powertune's at their defaults.
        let json = form.to_json();
        assert_eq!(json["strategy"], "cost");
        assert!(json.get("sampling").is_none() && json.get("tolerance").is_none());
        assert!(
            json.get("dryRun").is_none(),
            "a flag that is off is left out"
        );
    }

    #[test]
    fn every_key_of_the_domains_table_has_a_field_that_round_trips() {
        let pasted = json!({"lambdaARN": ARN, "num": 7, "powerValues": [256], "payload": [{"payload": 1, "weight": 2}],
            "parallelInvocation": true, "strategy": "speed", "balancedWeight": 0.25, "autoOptimize": true,
            "autoOptimizeAlias": "live", "dryRun": true, "preProcessorARN": ARN, "postProcessorARN": ARN,
            "discardTopBottom": 0.1, "sleepBetweenRunsMs": 20, "disablePayloadLogs": true,
            "includeOutputResults": true, "onlyColdStarts": false, "allowedExceptions": ["A", "B"],
            "sampling": "adaptive", "tolerance": 0.05, "monthlyInvocations": 1000, "freeTier": true,
            "otherMonthlyGbSeconds": 5, "coldStartRate": 0.5, "tenantId": "t"});
        // architectures cannot be combined with autoOptimize: a second input holds it.
        let compared = json!({"lambdaARN": ARN, "num": 7, "architectures": ["x86_64", "arm64"],
            "copyImageUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/f:arm64"});
        let forms: Vec<FormState> = [pasted, compared]
            .iter()
            .map(|pasted| {
                let parsed = parse_value(pasted).unwrap().input;
                let form = FormState::from_input(&parsed);
                let again = form.parse(&Value::Null).unwrap().input;
                assert_eq!(again, parsed);
                form
            })
            .collect();
        for spec in &KEYS {
            assert!(
                forms.iter().any(|f| f.to_json().get(spec.name).is_some())
                    || spec.key == Key::OnlyColdStarts
                    || spec.key == Key::PayloadS3,
                "{} has no field",
                spec.name
            );
        }
    }

    #[test]
    fn a_choice_keeps_its_type_and_ignores_an_unknown_value() {
        let mut f = FormState::new(ARN);
        f.set_choice(Key::Strategy, "balanced");
        assert_eq!(f.strategy, Strategy::Balanced);
        f.set_choice(Key::Strategy, "fastest");
        assert_eq!(f.strategy, Strategy::Balanced);
        assert_eq!(f.choice(Key::Sampling), "grid");
    }

    #[test]
    fn typed_values_reach_the_domain_parser_with_field_names() {
        let mut f = FormState::new(ARN);
        f.set_text(Key::Num, "three".into());
        f.set_text(Key::PowerValues, "128, 64 abc".into());
        let errors = f.parse(&Value::Null).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["num", "powerValues[1]", "powerValues[2]"]);
    }

    #[test]
    fn payloads_are_json_or_text() {
        let mut f = FormState::new(ARN);
        f.set_text(Key::Payload, r#"{"a": 1}"#.into());
        assert_eq!(f.to_json()["payload"], json!({"a": 1}));
        f.set_text(Key::Payload, "hello".into());
        assert_eq!(f.to_json()["payload"], json!("hello"));
        f.set_text(Key::PowerValues, "all".into());
        assert_eq!(f.to_json()["powerValues"], json!("ALL"));
    }

    #[test]
    fn a_payload_that_is_not_json_is_named_with_what_will_be_sent() {
        let mut f = FormState::new(ARN);
        assert_eq!(f.payload_note(), None);
        f.set_text(Key::Payload, r#"{"a": 1}"#.into());
        assert_eq!(f.payload_note(), None);
        f.set_text(Key::Payload, r#"{"a": "#.into());
        assert_eq!(
            f.payload_note().unwrap(),
            r#"not JSON: it will be sent as the string "{\"a\":" (quote it, or fix the JSON)"#
        );
        f.set_text(Key::Payload, "x".repeat(100));
        assert!(
            f.payload_note()
                .unwrap()
                .contains(&format!("{}…", "x".repeat(40)))
        );
    }

    #[test]
    fn sampling_fields_reach_the_domain_only_when_changed() {
        let mut f = FormState::new(ARN);
        assert!(f.to_json().get("sampling").is_none());
        f.sampling = SamplingMode::Adaptive;
        f.set_text(Key::Tolerance, "0.05".into());
        let input = f.parse(&Value::Null).unwrap().input;
        assert_eq!(input.sampling.as_str(), "adaptive");
        assert_eq!(input.tolerance, 0.05);
        f.set_text(Key::Tolerance, "lots".into());
        let errors = f.parse(&Value::Null).unwrap_err();
        assert_eq!(errors.0[0].field, "tolerance");
    }

    #[test]
    fn pasted_input_round_trips_through_the_fields() {
        let pasted = json!({"lambdaARN": ARN, "num": 25, "sampling": "adaptive", "tolerance": 0.04, "powerValues": [512, 128], "strategy": "balanced", "balancedWeight": 0.3,
            "parallelInvocation": true, "payload": {"k": "v"}, "allowedExceptions": ["E"], "preProcessorARN": ARN});
        let parsed = parse_value(&pasted).unwrap().input;
        let form = FormState::from_input(&parsed);
        assert_eq!(form.text(Key::PowerValues), "128, 512");
        assert_eq!(form.text(Key::AllowedExceptions), "E");
        assert_eq!(form.text(Key::PreProcessorArn), ARN);
        assert!(form.flag(Key::ParallelInvocation));
        assert_eq!(form.strategy, Strategy::Balanced);
        assert!(
            form.any_advanced_set(),
            "processors and the weight are Advanced fields"
        );
        let merged = form.merge_extra(&pasted);
        let again = parse_value(&merged).unwrap().input;
        assert_eq!(again, parsed);
    }

    #[test]
    fn monthly_traffic_fields_reach_the_input_and_come_back() {
        let mut f = FormState::new(ARN);
        assert!(f.to_json().get("monthlyInvocations").is_none());
        f.set_text(Key::MonthlyInvocations, "30,000,000".into());
        f.set_flag(Key::FreeTier, true);
        let input = f.parse(&Value::Null).unwrap().input;
        assert_eq!(input.traffic().unwrap().invocations, 30_000_000);
        assert!(input.free_tier);
        let back = FormState::from_input(&input);
        assert_eq!(back.text(Key::MonthlyInvocations), "30000000");
        assert!(back.flag(Key::FreeTier));
        f.set_text(Key::MonthlyInvocations, "cloudwatch".into());
        assert_eq!(f.to_json()["monthlyInvocations"], "cloudwatch");
        assert_eq!(
            FormState::from_input(&f.parse(&Value::Null).unwrap().input)
                .text(Key::MonthlyInvocations),
            "cloudwatch"
        );
        f.set_text(Key::TenantId, " customer-42 ".into());
        let input = f.parse(&Value::Null).unwrap().input;
        assert_eq!(input.tenant_id.as_deref(), Some("customer-42"));
        assert_eq!(
            FormState::from_input(&input).text(Key::TenantId),
            "customer-42"
        );
        f.set_text(Key::TenantId, String::new());
        f.set_text(Key::MonthlyInvocations, "lots".into());
        let errors = f.parse(&Value::Null).unwrap_err();
        assert_eq!(errors.0[0].field, "monthlyInvocations");
        // A pasted input's traffic gives way to the form's.
        f.set_text(Key::MonthlyInvocations, String::new());
        let base = json!({"monthlyInvocations": 5, "freeTier": true, "coldStartRate": 0.1});
        let merged = f.merge_extra(&base);
        assert!(merged.get("monthlyInvocations").is_none());
        assert!(
            merged.get("coldStartRate").is_none(),
            "the form has a field for it"
        );
    }

    #[test]
    fn the_accounts_other_usage_and_the_cold_start_rate_reach_the_input_and_come_back() {
        let mut f = FormState::new(ARN);
        f.set_text(Key::MonthlyInvocations, "1000000".into());
        assert!(f.to_json().get("otherMonthlyGbSeconds").is_none());
        assert!(f.to_json().get("coldStartRate").is_none());
        f.set_text(Key::OtherMonthlyGbSeconds, "6,000,000,000".into());
        f.set_text(Key::ColdStartRate, "0.05".into());
        let input = f.parse(&Value::Null).unwrap().input;
        assert_eq!(input.other_monthly_gb_seconds, Some(6e9));
        assert_eq!(input.cold_start_rate, Some(0.05));
        let back = FormState::from_input(&input);
        assert_eq!(back.text(Key::OtherMonthlyGbSeconds), "6000000000");
        assert_eq!(back.text(Key::ColdStartRate), "0.05");
        // Bad values get the parser's named errors.
        f.set_text(Key::ColdStartRate, "often".into());
        f.set_text(Key::OtherMonthlyGbSeconds, "-5".into());
        let errors = f.parse(&Value::Null).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"coldStartRate"), "{fields:?}");
        assert!(fields.contains(&"otherMonthlyGbSeconds"), "{fields:?}");
    }
}
