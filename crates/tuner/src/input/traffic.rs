//! Reading powertune's keys for the monthly answer and for the functions the original does not
//! know: `monthlyInvocations`, `freeTier`, `otherMonthlyGbSeconds`, `coldStartRate`,
//! `tenantId`.

use serde_json::Value;

use super::{Key, reader::Reader};
use crate::monthly::{MAX_MONTHLY_INVOCATIONS, MonthlyInvocations, TrafficSource};

impl Reader<'_> {
    pub(super) fn monthly_invocations(&mut self) -> Option<MonthlyInvocations> {
        let name = Key::MonthlyInvocations.name();
        let value = self.get(name)?;
        if value.as_str().is_some_and(|s| s.trim() == "cloudwatch") {
            return Some(MonthlyInvocations::FromCloudwatch);
        }
        let n = match value {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().replace([',', '_'], "").parse::<u64>().ok(),
            _ => None,
        };
        match n {
            Some(n) if (1..=MAX_MONTHLY_INVOCATIONS).contains(&n) => {
                Some(MonthlyInvocations::Known(n, TrafficSource::Input))
            }
            _ => {
                let value = value.clone();
                self.bad(
                    name,
                    &value,
                    "must be a whole number of invocations a month, at least 1 (for example 30000000), or \"cloudwatch\" to read the last 30 days from the function's Invocations metric",
                );
                None
            }
        }
    }

    pub(super) fn other_gb_seconds(&mut self) -> Option<f64> {
        let name = Key::OtherMonthlyGbSeconds.name();
        let value = self.get(name)?;
        match value.as_f64() {
            Some(f) if f.is_finite() && f >= 0.0 => Some(f),
            _ => {
                let value = value.clone();
                self.bad(
                    name,
                    &value,
                    "must be a number of GB-seconds of 0 or more: what the account's other functions use a month in this region and architecture (Cost Explorer, usage type Lambda-GB-Second)",
                );
                None
            }
        }
    }

    pub(super) fn cold_start_rate(&mut self) -> Option<f64> {
        self.get(Key::ColdStartRate.name())?;
        Some(self.fraction(
            Key::ColdStartRate.name(),
            0.0,
            1.0,
            "share of invocations that are cold starts, for example 0.02",
        ))
    }

    pub(super) fn tenant_id(&mut self) -> Option<String> {
        let name = Key::TenantId.name();
        let value = self.get(name)?;
        // Lambda's tenant ids: 1 to 256 printable ASCII characters.
        match value.as_str() {
            Some(id)
                if !id.is_empty()
                    && id.len() <= 256
                    && id.chars().all(|c| c.is_ascii_graphic() || c == ' ') =>
            {
                Some(id.to_owned())
            }
            _ => {
                let value = value.clone();
                self.bad(
                    name,
                    &value,
                    "must be a tenant id: 1 to 256 printable ASCII characters, sent with every invocation of a tenant-isolated function",
                );
                None
            }
        }
    }

    /// Warns about the monthly keys given without `monthlyInvocations`, which they refine.
    pub(super) fn warn_monthly_keys_alone(&mut self, has_invocations: bool) {
        if has_invocations {
            return;
        }
        for key in [
            Key::FreeTier,
            Key::OtherMonthlyGbSeconds,
            Key::ColdStartRate,
        ] {
            if self.get(key.name()).is_some() {
                self.warnings.push(format!(
                    "{} is ignored without monthlyInvocations, the traffic it refines",
                    key.name()
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{
        input::parse_input,
        monthly::{MonthlyInvocations, TrafficSource},
    };

    const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:f";

    fn parse(extra: &str) -> Result<crate::ParsedInput, crate::InputErrors> {
        parse_input(&format!(r#"{{"lambdaARN": "{ARN}", "num": 10{extra}}}"#))
    }

    #[test]
    fn monthly_traffic_is_read_with_its_refinements() {
        let p = parse(
            r#", "monthlyInvocations": "30,000,000", "freeTier": true, "otherMonthlyGbSeconds": 1e9, "coldStartRate": 0.02"#,
        )
        .unwrap();
        let t = p.input.traffic().unwrap();
        assert_eq!(t.invocations, 30_000_000);
        assert_eq!(t.source, TrafficSource::Input);
        assert!(t.free_tier);
        assert_eq!(t.other_gb_seconds, Some(1e9));
        assert_eq!(t.cold_start_rate, Some(0.02));
        // Written back as the input's JSON, and read again the same.
        let again = crate::input::parse_value(&p.input.to_json()).unwrap();
        assert_eq!(again.input, p.input);
    }

    #[test]
    fn cloudwatch_is_resolved_by_the_caller_before_the_run() {
        let p = parse(r#", "monthlyInvocations": "cloudwatch""#).unwrap();
        assert_eq!(
            p.input.monthly_invocations,
            Some(MonthlyInvocations::FromCloudwatch)
        );
        assert_eq!(p.input.traffic(), None);
        assert_eq!(p.input.to_json()["monthlyInvocations"], "cloudwatch");
    }

    #[test]
    fn bad_monthly_values_are_named_with_their_fix() {
        let e = parse(
            r#", "monthlyInvocations": 0, "otherMonthlyGbSeconds": -5, "coldStartRate": 2, "tenantId": """#,
        )
        .unwrap_err();
        let text = e.to_string();
        for field in [
            "monthlyInvocations",
            "otherMonthlyGbSeconds",
            "coldStartRate",
            "tenantId",
        ] {
            assert!(text.contains(field), "{field} in {text}");
        }
        assert!(text.contains("\"cloudwatch\""), "{text}");
        assert!(parse(r#", "monthlyInvocations": 1.5"#).is_err());
        assert!(parse(r#", "monthlyInvocations": "lots""#).is_err());
    }

    #[test]
    fn refinements_without_traffic_are_warned_about() {
        let p = parse(r#", "freeTier": true, "coldStartRate": 0.1"#).unwrap();
        assert_eq!(p.warnings.len(), 2, "{:?}", p.warnings);
        assert!(p.warnings[0].contains("freeTier is ignored without monthlyInvocations"));
    }

    #[test]
    fn a_tenant_id_is_kept_as_given() {
        let p = parse(r#", "tenantId": "customer-42""#).unwrap();
        assert_eq!(p.input.tenant_id.as_deref(), Some("customer-42"));
        assert_eq!(p.input.to_json()["tenantId"], "customer-42");
        assert!(parse(r#", "tenantId": "tab\tbad""#).is_err());
    }
}
