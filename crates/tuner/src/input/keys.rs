//! The keys of the original tool's execution input: one table of name, type and default, which
//! parsing, the known-key check and [`super::TuningInput::to_json`] all read.

/// A key of the execution input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // Each is documented by its row in [`KEYS`].
pub enum Key {
    LambdaArn,
    Num,
    PowerValues,
    Payload,
    PayloadS3,
    ParallelInvocation,
    Strategy,
    BalancedWeight,
    AutoOptimize,
    AutoOptimizeAlias,
    DryRun,
    PreProcessorArn,
    PostProcessorArn,
    DiscardTopBottom,
    SleepBetweenRunsMs,
    DisablePayloadLogs,
    IncludeOutputResults,
    OnlyColdStarts,
    AllowedExceptions,
    Sampling,
    Tolerance,
    MonthlyInvocations,
    FreeTier,
    OtherMonthlyGbSeconds,
    ColdStartRate,
    TenantId,
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySpec {
    /// The key.
    pub key: Key,
    /// Its name in the JSON input.
    pub name: &'static str,
    /// Its type, in words.
    pub kind: &'static str,
    /// Its default, in words (`required` when it has none).
    pub default: &'static str,
}

const fn row(key: Key, name: &'static str, kind: &'static str, default: &'static str) -> KeySpec {
    KeySpec {
        key,
        name,
        kind,
        default,
    }
}

/// Every key the original reads, in the original README's order, then powertune's own.
pub const KEYS: [KeySpec; 26] = [
    row(Key::LambdaArn, "lambdaARN", "function ARN", "required"),
    row(Key::Num, "num", "whole number, at least 5", "required"),
    row(
        Key::PowerValues,
        "powerValues",
        "array of MB, or \"ALL\"",
        "[128, 256, 512, 1024, 1536, 3008]",
    ),
    row(
        Key::Payload,
        "payload",
        "any JSON, or weighted payloads",
        "null",
    ),
    row(Key::PayloadS3, "payloadS3", "s3://BUCKET/KEY", "none"),
    row(
        Key::ParallelInvocation,
        "parallelInvocation",
        "boolean",
        "false",
    ),
    row(
        Key::Strategy,
        "strategy",
        "\"cost\", \"speed\" or \"balanced\"",
        "\"cost\"",
    ),
    row(
        Key::BalancedWeight,
        "balancedWeight",
        "number from 0 to 1",
        "0.5",
    ),
    row(Key::AutoOptimize, "autoOptimize", "boolean", "false"),
    row(
        Key::AutoOptimizeAlias,
        "autoOptimizeAlias",
        "alias name",
        "none",
    ),
    row(Key::DryRun, "dryRun", "boolean", "false"),
    row(
        Key::PreProcessorArn,
        "preProcessorARN",
        "function ARN",
        "none",
    ),
    row(
        Key::PostProcessorArn,
        "postProcessorARN",
        "function ARN",
        "none",
    ),
    row(
        Key::DiscardTopBottom,
        "discardTopBottom",
        "number from 0 to 0.4",
        "0.2",
    ),
    row(
        Key::SleepBetweenRunsMs,
        "sleepBetweenRunsMs",
        "whole number of ms",
        "0",
    ),
    row(
        Key::DisablePayloadLogs,
        "disablePayloadLogs",
        "boolean",
        "false",
    ),
    row(
        Key::IncludeOutputResults,
        "includeOutputResults",
        "boolean",
        "false",
    ),
    row(Key::OnlyColdStarts, "onlyColdStarts", "boolean", "false"),
    row(
        Key::AllowedExceptions,
        "allowedExceptions",
        "array of error type names",
        "[]",
    ),
    // powertune's own: how to choose what to measure, and what counts as a difference.
    row(
        Key::Sampling,
        "sampling",
        "\"grid\" or \"adaptive\"",
        "\"grid\"",
    ),
    row(Key::Tolerance, "tolerance", "number from 0 to 0.5", "0.02"),
    // powertune's own: the answer in money per month (see `monthly`).
    row(
        Key::MonthlyInvocations,
        "monthlyInvocations",
        "whole number, or \"cloudwatch\"",
        "none",
    ),
    row(Key::FreeTier, "freeTier", "boolean", "false"),
    row(
        Key::OtherMonthlyGbSeconds,
        "otherMonthlyGbSeconds",
        "GB-seconds of the account's other functions",
        "none (this function is the account's usage)",
    ),
    row(
        Key::ColdStartRate,
        "coldStartRate",
        "number from 0 to 1",
        "the run's share",
    ),
    // powertune's own: tenant-isolated functions need a tenant id on every invocation.
    row(Key::TenantId, "tenantId", "tenant id", "none"),
];

impl Key {
    /// Every key, in [`KEYS`] order.
    pub fn all() -> impl Iterator<Item = Self> {
        KEYS.iter().map(|spec| spec.key)
    }

    /// Its row of [`KEYS`].
    pub fn spec(self) -> &'static KeySpec {
        // The table is in the enum's order; `table_is_in_the_enums_order` checks it.
        &KEYS[self as usize]
    }

    /// Its name in the JSON input.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The key named `name`, exactly.
    pub fn named(name: &str) -> Option<Self> {
        KEYS.iter()
            .find(|spec| spec.name == name)
            .map(|spec| spec.key)
    }

    /// A known key a misspelt or renamed `name` probably meant (`enableParallel` →
    /// `parallelInvocation`, `lambdaArn` → `lambdaARN`).
    pub fn suggested_for(name: &str) -> Option<Self> {
        const RENAMED: [(&str, Key); 3] = [
            ("enableParallel", Key::ParallelInvocation),
            ("lambdaArn", Key::LambdaArn),
            ("functionArn", Key::LambdaArn),
        ];
        RENAMED
            .iter()
            .find(|(old, _)| *old == name)
            .map(|(_, key)| *key)
            .or_else(|| {
                KEYS.iter()
                    .find(|spec| spec.name.eq_ignore_ascii_case(name))
                    .map(|spec| spec.key)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_the_enums_order() {
        for (i, spec) in KEYS.iter().enumerate() {
            assert_eq!(spec.key as usize, i, "{}", spec.name);
            assert_eq!(Key::named(spec.name), Some(spec.key));
        }
    }

    #[test]
    fn near_misses_are_suggested() {
        assert_eq!(
            Key::suggested_for("enableParallel"),
            Some(Key::ParallelInvocation)
        );
        assert_eq!(Key::suggested_for("LAMBDAARN"), Some(Key::LambdaArn));
        assert_eq!(Key::suggested_for("foo"), None);
    }
}
