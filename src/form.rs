//! The tuning form's fields and the original tool's JSON input they stand for.
//!
//! The form never validates by itself: it builds the original input JSON and hands it to the
//! domain's parser, so the web app, the CLI and pasted JSON share one set of rules and messages.

use powertune_tuner::{
    TuningInput,
    input::{InputErrors, ParsedInput, PayloadSource, parse_value},
};
use serde_json::{Map, Value, json};

/// What the user typed, as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct FormState {
    /// Function ARN.
    pub lambda_arn: String,
    /// Invocations per size.
    pub num: String,
    /// Comma-separated memory sizes, or `ALL`.
    pub power_values: String,
    /// `cost`, `speed` or `balanced`.
    pub strategy: String,
    /// Balanced weight, 0..=1.
    pub balanced_weight: String,
    /// Parallel invocations.
    pub parallel_invocation: bool,
    /// Cold starts only.
    pub only_cold_starts: bool,
    /// One invocation per size, no analysis.
    pub dry_run: bool,
    /// Payload: JSON or plain text; empty for none.
    pub payload: String,
    /// `s3://bucket/key`, empty for none.
    pub payload_s3: String,
    /// `grid` or `adaptive`.
    pub sampling: String,
    /// Relative difference counted as equal, 0..=0.5.
    pub tolerance: String,
    /// Invocations a month, `cloudwatch`, or empty for no monthly costs.
    pub monthly_invocations: String,
    /// Take the free tier off the monthly costs.
    pub free_tier: bool,
    /// The account's other Lambda GB-seconds a month in the region (for the tiers); empty
    /// for none.
    pub other_monthly_gb_seconds: String,
    /// The share of invocations that are cold starts, 0..=1; empty for the run's own share.
    pub cold_start_rate: String,
    /// The tenant a tenant-isolated function's invocations name; empty for none.
    pub tenant_id: String,
}

impl FormState {
    /// The original's defaults for `lambda_arn`.
    pub fn new(lambda_arn: &str) -> Self {
        Self {
            lambda_arn: lambda_arn.to_owned(),
            num: "10".into(),
            power_values: "128, 256, 512, 1024, 1536, 3008".into(),
            strategy: "cost".into(),
            balanced_weight: "0.5".into(),
            parallel_invocation: false,
            only_cold_starts: false,
            dry_run: false,
            payload: String::new(),
            payload_s3: String::new(),
            sampling: "grid".into(),
            tolerance: "0.02".into(),
            monthly_invocations: String::new(),
            free_tier: false,
            other_monthly_gb_seconds: String::new(),
            cold_start_rate: String::new(),
            tenant_id: String::new(),
        }
    }

    /// The original input JSON these fields stand for. Values that are not numbers stay strings,
    /// so the parser reports them with the field's name.
    pub fn to_json(&self) -> Value {
        let number = |text: &str| -> Value {
            let t = text.trim();
            t.parse::<u64>()
                .map(Value::from)
                .or_else(|_| t.parse::<f64>().map(Value::from))
                .unwrap_or_else(|_| Value::String(t.to_owned()))
        };
        let mut obj = Map::new();
        obj.insert("lambdaARN".into(), json!(self.lambda_arn.trim()));
        obj.insert("num".into(), number(&self.num));
        let sizes = self.power_values.trim();
        if sizes.eq_ignore_ascii_case("all") {
            obj.insert("powerValues".into(), json!("ALL"));
        } else if !sizes.is_empty() {
            let list: Vec<Value> = sizes
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|s| !s.is_empty())
                .map(number)
                .collect();
            obj.insert("powerValues".into(), Value::Array(list));
        }
        obj.insert("strategy".into(), json!(self.strategy));
        obj.insert("balancedWeight".into(), number(&self.balanced_weight));
        obj.insert("parallelInvocation".into(), json!(self.parallel_invocation));
        obj.insert("onlyColdStarts".into(), json!(self.only_cold_starts));
        obj.insert("dryRun".into(), json!(self.dry_run));
        let payload = self.payload.trim();
        if !payload.is_empty() {
            let value =
                serde_json::from_str(payload).unwrap_or_else(|_| Value::String(payload.to_owned()));
            obj.insert("payload".into(), value);
        }
        if !self.payload_s3.trim().is_empty() {
            obj.insert("payloadS3".into(), json!(self.payload_s3.trim()));
        }
        // powertune's own keys, only when not the default, so the JSON stays the original's.
        if self.sampling != "grid" {
            obj.insert("sampling".into(), json!(self.sampling));
        }
        if self.tolerance.trim() != "0.02" {
            obj.insert("tolerance".into(), number(&self.tolerance));
        }
        // Large counts may be typed with thousands separators: "30,000,000".
        let count = |obj: &mut Map<String, Value>, key: &str, text: &str| {
            let text = text.trim();
            if !text.is_empty() {
                obj.insert(key.into(), number(&text.replace([',', '_', ' '], "")));
            }
        };
        count(&mut obj, "monthlyInvocations", &self.monthly_invocations);
        if self.free_tier {
            obj.insert("freeTier".into(), json!(true));
        }
        count(
            &mut obj,
            "otherMonthlyGbSeconds",
            &self.other_monthly_gb_seconds,
        );
        if !self.cold_start_rate.trim().is_empty() {
            obj.insert("coldStartRate".into(), number(&self.cold_start_rate));
        }
        if !self.tenant_id.trim().is_empty() {
            obj.insert("tenantId".into(), json!(self.tenant_id.trim()));
        }
        Value::Object(obj)
    }

    /// A warning when the payload field is not JSON: it is then sent as a JSON string, which
    /// the original would only have failed on once invoked. `None` for JSON or an empty field.
    pub fn payload_note(&self) -> Option<String> {
        let payload = self.payload.trim();
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

    /// The fields for a validated input (pasted JSON). Inputs the form has no field for keep
    /// their values through [`FormState::merge_extra`].
    pub fn from_input(input: &TuningInput) -> Self {
        Self {
            lambda_arn: input.lambda_arn.to_string(),
            num: input.num.to_string(),
            power_values: Self::sizes_text(
                &input
                    .power_values
                    .iter()
                    .map(|m| m.get())
                    .collect::<Vec<_>>(),
            ),
            strategy: input.strategy.as_str().into(),
            balanced_weight: input.balanced_weight.to_string(),
            parallel_invocation: input.parallel_invocation,
            only_cold_starts: input.only_cold_starts,
            dry_run: input.dry_run,
            payload: match &input.payload {
                PayloadSource::Inline(Value::String(s)) => s.clone(),
                PayloadSource::Inline(v) => serde_json::to_string_pretty(v).unwrap_or_default(),
                _ => String::new(),
            },
            payload_s3: match &input.payload {
                PayloadSource::S3(loc) => loc.to_string(),
                _ => String::new(),
            },
            sampling: input.sampling.as_str().into(),
            tolerance: input.tolerance.to_string(),
            monthly_invocations: input
                .to_json()
                .get("monthlyInvocations")
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .unwrap_or_default(),
            free_tier: input.free_tier,
            other_monthly_gb_seconds: input
                .other_monthly_gb_seconds
                .map(|g| g.to_string())
                .unwrap_or_default(),
            cold_start_rate: input
                .cold_start_rate
                .map(|r| r.to_string())
                .unwrap_or_default(),
            tenant_id: input.tenant_id.clone().unwrap_or_default(),
        }
    }

    /// The full input: these fields over the `base` JSON (a pasted input), so keys the form has no
    /// field for (processors, allowedExceptions, …) are kept.
    pub fn merge_extra(&self, base: &Value) -> Value {
        let mut merged = base.as_object().cloned().unwrap_or_default();
        if let Value::Object(fields) = self.to_json() {
            for key in [
                "payload",
                "payloadS3",
                "powerValues",
                "sampling",
                "tolerance",
                "monthlyInvocations",
                "freeTier",
                "otherMonthlyGbSeconds",
                "coldStartRate",
                "tenantId",
            ] {
                merged.remove(key);
            }
            merged.extend(fields);
        }
        Value::Object(merged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:image-resizer";

    #[test]
    fn defaults_parse() {
        let parsed = FormState::new(ARN).parse(&Value::Null).unwrap();
        assert_eq!(parsed.input.num, 10);
        assert_eq!(parsed.input.power_values.len(), 6);
    }

    #[test]
    fn typed_values_reach_the_domain_parser_with_field_names() {
        let mut f = FormState::new(ARN);
        f.num = "three".into();
        f.power_values = "128, 64 abc".into();
        let errors = f.parse(&Value::Null).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["num", "powerValues[1]", "powerValues[2]"]);
    }

    #[test]
    fn payloads_are_json_or_text() {
        let mut f = FormState::new(ARN);
        f.payload = r#"{"a": 1}"#.into();
        assert_eq!(f.to_json()["payload"], json!({"a": 1}));
        f.payload = "hello".into();
        assert_eq!(f.to_json()["payload"], json!("hello"));
        f.power_values = "all".into();
        assert_eq!(f.to_json()["powerValues"], json!("ALL"));
    }

    #[test]
    fn a_payload_that_is_not_json_is_named_with_what_will_be_sent() {
        let mut f = FormState::new(ARN);
        assert_eq!(f.payload_note(), None);
        f.payload = r#"{"a": 1}"#.into();
        assert_eq!(f.payload_note(), None);
        f.payload = r#"{"a": "#.into();
        assert_eq!(
            f.payload_note().unwrap(),
            r#"not JSON: it will be sent as the string "{\"a\":" (quote it, or fix the JSON)"#
        );
        f.payload = "x".repeat(100);
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
        f.sampling = "adaptive".into();
        f.tolerance = "0.05".into();
        let input = f.parse(&Value::Null).unwrap().input;
        assert_eq!(input.sampling.as_str(), "adaptive");
        assert_eq!(input.tolerance, 0.05);
        f.tolerance = "lots".into();
        let errors = f.parse(&Value::Null).unwrap_err();
        assert_eq!(errors.0[0].field, "tolerance");
    }

    #[test]
    fn pasted_input_round_trips_through_the_fields() {
        let pasted = json!({"lambdaARN": ARN, "num": 25, "sampling": "adaptive", "tolerance": 0.04, "powerValues": [512, 128], "strategy": "balanced", "balancedWeight": 0.3,
            "parallelInvocation": true, "payload": {"k": "v"}, "allowedExceptions": ["E"], "preProcessorARN": ARN});
        let parsed = parse_value(&pasted).unwrap().input;
        let form = FormState::from_input(&parsed);
        assert_eq!(form.power_values, "128, 512");
        let merged = form.merge_extra(&pasted);
        let again = parse_value(&merged).unwrap().input;
        assert_eq!(again, parsed);
    }

    #[test]
    fn monthly_traffic_fields_reach_the_input_and_come_back() {
        let mut f = FormState::new(ARN);
        assert!(f.to_json().get("monthlyInvocations").is_none());
        f.monthly_invocations = "30,000,000".into();
        f.free_tier = true;
        let input = f.parse(&Value::Null).unwrap().input;
        assert_eq!(input.traffic().unwrap().invocations, 30_000_000);
        assert!(input.free_tier);
        let back = FormState::from_input(&input);
        assert_eq!(back.monthly_invocations, "30000000");
        assert!(back.free_tier);
        f.monthly_invocations = "cloudwatch".into();
        assert_eq!(f.to_json()["monthlyInvocations"], "cloudwatch");
        assert_eq!(
            FormState::from_input(&f.parse(&Value::Null).unwrap().input).monthly_invocations,
            "cloudwatch"
        );
        f.tenant_id = " customer-42 ".into();
        let input = f.parse(&Value::Null).unwrap().input;
        assert_eq!(input.tenant_id.as_deref(), Some("customer-42"));
        assert_eq!(FormState::from_input(&input).tenant_id, "customer-42");
        f.tenant_id = String::new();
        f.monthly_invocations = "lots".into();
        let errors = f.parse(&Value::Null).unwrap_err();
        assert_eq!(errors.0[0].field, "monthlyInvocations");
        // A pasted input's traffic gives way to the form's.
        f.monthly_invocations = String::new();
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
        f.monthly_invocations = "1000000".into();
        assert!(f.to_json().get("otherMonthlyGbSeconds").is_none());
        assert!(f.to_json().get("coldStartRate").is_none());
        f.other_monthly_gb_seconds = "6,000,000,000".into();
        f.cold_start_rate = "0.05".into();
        let input = f.parse(&Value::Null).unwrap().input;
        assert_eq!(input.other_monthly_gb_seconds, Some(6e9));
        assert_eq!(input.cold_start_rate, Some(0.05));
        let back = FormState::from_input(&input);
        assert_eq!(back.other_monthly_gb_seconds, "6000000000");
        assert_eq!(back.cold_start_rate, "0.05");
        // Bad values get the parser's named errors.
        f.cold_start_rate = "often".into();
        f.other_monthly_gb_seconds = "-5".into();
        let errors = f.parse(&Value::Null).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"coldStartRate"), "{fields:?}");
        assert!(fields.contains(&"otherMonthlyGbSeconds"), "{fields:?}");
    }
}
