//! The keys of the original tool's execution input: one table of name, type and default, which
//! parsing, the known-key check and [`super::TuningInput::to_json`] all read.

/// A key of the execution input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
    Architectures,
    CopyImageUri,
}

/// How a form asks for a key's value (the web app builds its form from this).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// One line of text: an ARN, an alias, an S3 location, a tenant.
    Text,
    /// A number, sent as one when it reads as one (else as text, which the parser reports).
    Number,
    /// A count that may be typed with thousands separators (`30,000,000`), or a word
    /// (`cloudwatch`).
    Count,
    /// Memory sizes separated by commas or spaces, or `ALL`.
    Sizes,
    /// JSON, or text sent as a JSON string.
    Json,
    /// Names separated by commas, sent as an array of strings.
    Names,
    /// On or off.
    Flag,
    /// One of a few values, each with its label.
    Choice(&'static [(&'static str, &'static str)]),
}

/// Where a form shows a key: the original's everyday inputs, or behind "Advanced".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// Function, num, powerValues, strategy, sampling, payload, and the monthly invocations.
    Everyday,
    /// Everything else.
    Advanced,
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
    /// What it is, in a few words: a form's label.
    pub help: &'static str,
    /// How a form asks for it.
    pub control: Control,
    /// Where a form shows it.
    pub tier: Tier,
    /// What a new form holds (empty: nothing, the key is left out).
    pub initial: &'static str,
}

const fn row(key: Key, name: &'static str, kind: &'static str, default: &'static str) -> KeySpec {
    KeySpec {
        key,
        name,
        kind,
        default,
        help: "",
        control: Control::Text,
        tier: Tier::Advanced,
        initial: "",
    }
}

impl KeySpec {
    const fn asked(self, help: &'static str, control: Control) -> Self {
        Self {
            help,
            control,
            ..self
        }
    }

    const fn everyday(self) -> Self {
        Self {
            tier: Tier::Everyday,
            ..self
        }
    }

    const fn initially(self, initial: &'static str) -> Self {
        Self { initial, ..self }
    }
}

/// The strategies, as a form offers them.
const STRATEGIES: &[(&str, &str)] = &[
    ("cost", "cost: cheapest"),
    ("speed", "speed: fastest"),
    ("balanced", "balanced: cost and speed, by the weight"),
];

/// The sampling modes, as a form offers them.
const SAMPLINGS: &[(&str, &str)] = &[
    ("grid", "grid: every size, num times (the original)"),
    ("adaptive", "adaptive: fewer invocations, same answer"),
];

/// Every key the original reads, in the original README's order, then powertune's own.
pub const KEYS: [KeySpec; 28] = [
    row(Key::LambdaArn, "lambdaARN", "function ARN", "required")
        .asked("Function", Control::Text)
        .everyday(),
    row(Key::Num, "num", "whole number, at least 5", "required")
        .asked("Invocations per size", Control::Number)
        .everyday()
        .initially("10"),
    row(
        Key::PowerValues,
        "powerValues",
        "array of MB, or \"ALL\"",
        "[128, 256, 512, 1024, 1536, 3008]",
    )
    .asked("Memory sizes in MB, or ALL", Control::Sizes)
    .everyday()
    .initially("128, 256, 512, 1024, 1536, 3008"),
    row(
        Key::Payload,
        "payload",
        "any JSON, or weighted payloads",
        "null",
    )
    .asked(
        "Payload: JSON, or text; a [{payload, weight}] list for weighted payloads",
        Control::Json,
    )
    .everyday(),
    row(Key::PayloadS3, "payloadS3", "s3://BUCKET/KEY", "none")
        .asked("Payload from S3 instead (s3://bucket/key)", Control::Text),
    row(
        Key::ParallelInvocation,
        "parallelInvocation",
        "boolean",
        "false",
    )
    .asked("Invoke each size's calls in parallel", Control::Flag),
    row(
        Key::Strategy,
        "strategy",
        "\"cost\", \"speed\" or \"balanced\"",
        "\"cost\"",
    )
    .asked("Strategy", Control::Choice(STRATEGIES))
    .everyday()
    .initially("cost"),
    row(
        Key::BalancedWeight,
        "balancedWeight",
        "number from 0 to 1",
        "0.5",
    )
    .asked("Balanced weight (0 speed … 1 cost)", Control::Number)
    .initially("0.5"),
    row(Key::AutoOptimize, "autoOptimize", "boolean", "false")
        .asked("Apply the best size when done", Control::Flag),
    row(
        Key::AutoOptimizeAlias,
        "autoOptimizeAlias",
        "alias name",
        "none",
    )
    .asked("Alias to point at the applied size", Control::Text),
    row(Key::DryRun, "dryRun", "boolean", "false").asked(
        "Dry run: one invocation per size, no analysis",
        Control::Flag,
    ),
    row(
        Key::PreProcessorArn,
        "preProcessorARN",
        "function ARN",
        "none",
    )
    .asked("Function invoked before each invocation", Control::Text),
    row(
        Key::PostProcessorArn,
        "postProcessorARN",
        "function ARN",
        "none",
    )
    .asked("Function invoked after each invocation", Control::Text),
    row(
        Key::DiscardTopBottom,
        "discardTopBottom",
        "number from 0 to 0.4",
        "0.2",
    )
    .asked(
        "Share of the fastest and of the slowest calls left out of averages",
        Control::Number,
    )
    .initially("0.2"),
    row(
        Key::SleepBetweenRunsMs,
        "sleepBetweenRunsMs",
        "whole number of ms",
        "0",
    )
    .asked("Pause between a size's calls, in ms", Control::Number)
    .initially("0"),
    row(
        Key::DisablePayloadLogs,
        "disablePayloadLogs",
        "boolean",
        "false",
    )
    .asked("Leave payloads out of error messages", Control::Flag),
    row(
        Key::IncludeOutputResults,
        "includeOutputResults",
        "boolean",
        "false",
    )
    .asked("Every size's numbers in the output", Control::Flag),
    row(Key::OnlyColdStarts, "onlyColdStarts", "boolean", "false")
        .asked("Measure cold starts only", Control::Flag),
    row(
        Key::AllowedExceptions,
        "allowedExceptions",
        "array of error type names",
        "[]",
    )
    .asked(
        "Error types that still count as measurements (comma-separated)",
        Control::Names,
    ),
    // powertune's own: how to choose what to measure, and what counts as a difference.
    row(
        Key::Sampling,
        "sampling",
        "\"grid\" or \"adaptive\"",
        "\"grid\"",
    )
    .asked("Sampling", Control::Choice(SAMPLINGS))
    .everyday()
    .initially("grid"),
    row(Key::Tolerance, "tolerance", "number from 0 to 0.5", "0.02")
        .asked(
            "Tolerance: sizes this close count as equal",
            Control::Number,
        )
        .initially("0.02"),
    // powertune's own: the answer in money per month (see `monthly`).
    row(
        Key::MonthlyInvocations,
        "monthlyInvocations",
        "whole number, or \"cloudwatch\"",
        "none",
    )
    .asked("Invocations a month, for monthly costs", Control::Count)
    .everyday(),
    row(Key::FreeTier, "freeTier", "boolean", "false").asked(
        "Take the free tier off the monthly costs (off: the account's functions share it)",
        Control::Flag,
    ),
    row(
        Key::OtherMonthlyGbSeconds,
        "otherMonthlyGbSeconds",
        "GB-seconds of the account's other functions",
        "none (this function is the account's usage)",
    )
    .asked(
        "The account's other GB-seconds a month, for Lambda's tiers",
        Control::Count,
    ),
    row(
        Key::ColdStartRate,
        "coldStartRate",
        "number from 0 to 1",
        "the run's share",
    )
    .asked(
        "Cold-start share, 0 … 1 (empty: the run's own)",
        Control::Number,
    ),
    // powertune's own: tenant-isolated functions need a tenant id on every invocation.
    row(Key::TenantId, "tenantId", "tenant id", "none").asked(
        "Tenant every invocation names (tenant-isolated functions only)",
        Control::Text,
    ),
    // powertune's own: both architectures in one run, through a temporary copy.
    row(
        Key::Architectures,
        "architectures",
        "array of \"x86_64\" and \"arm64\"",
        "the function's own",
    )
    .asked(
        "Architectures to compare: x86_64, arm64 (empty: the function's own)",
        Control::Names,
    ),
    // powertune's own: a container image is built for one architecture, so the copy's is given.
    row(Key::CopyImageUri, "copyImageUri", "image URI", "none").asked(
        "The function's container image built for the other architecture (image functions only)",
        Control::Text,
    ),
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
    fn every_key_tells_a_form_how_to_ask_for_it() {
        for spec in &KEYS {
            assert!(!spec.help.is_empty(), "{} has no help", spec.name);
            if let Control::Choice(options) = spec.control {
                assert!(
                    options.iter().any(|(value, _)| *value == spec.initial),
                    "{}'s initial value is one of its options",
                    spec.name
                );
            }
        }
        let everyday: Vec<&str> = KEYS
            .iter()
            .filter(|s| s.tier == Tier::Everyday)
            .map(|s| s.name)
            .collect();
        assert_eq!(
            everyday,
            [
                "lambdaARN",
                "num",
                "powerValues",
                "payload",
                "strategy",
                "sampling",
                "monthlyInvocations"
            ]
        );
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
