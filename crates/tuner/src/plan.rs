//! What a run creates and what cleanup deletes (spec §3, §4, §9).
//!
//! Each memory size gets one alias `RAM<size>` pointing at a version published with that memory,
//! or, with `onlyColdStarts`, `num` aliases `RAM<size>-<i>`, each on its own version forced to be
//! distinct by a description suffix (a new version means a new execution environment, so every
//! invocation is a cold start). A final step restores the original memory and description on
//! `$LATEST`. Unlike the original, which publishes one more unaliased version for the restore,
//! restoring only updates `$LATEST` and leaves no version behind; and normal-mode versions carry
//! the ` - RAM<size>` description suffix too, so `PublishVersion` always makes a new version and
//! cleanup never deletes one that existed before the run (the original's issue #124).

use crate::{input::TuningInput, memory::MemoryMb};

/// Lambda's limit on a function description.
pub const MAX_DESCRIPTION_CHARS: usize = 256;

/// `$LATEST`'s configuration before the run, restored afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginalConfig {
    /// Memory in MB (not necessarily a size under test).
    pub memory: MemoryMb,
    /// Description (often empty).
    pub description: String,
}

/// One alias to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasStep {
    /// Alias name, `RAM<size>` or `RAM<size>-<i>`.
    pub alias: String,
    /// Description to set before publishing (makes every version distinct).
    pub description: Option<String>,
}

/// Everything to create for one memory size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SizePlan {
    /// The size.
    pub memory: MemoryMb,
    /// Its aliases, in publish order.
    pub aliases: Vec<AliasStep>,
}

/// The whole run's publish plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Per size, ascending.
    pub sizes: Vec<SizePlan>,
    /// What to restore at the end.
    pub restore: OriginalConfig,
}

/// The original's alias name for a size (and cold-start index).
pub fn alias_name(memory: MemoryMb, cold_index: Option<u32>) -> String {
    match cold_index {
        Some(i) => format!("RAM{}-{i}", memory.get()),
        None => format!("RAM{}", memory.get()),
    }
}

/// The memory digits of a name of the form [`alias_name`] makes: `"512"` for `RAM512` and
/// `RAM512-3`; `None` for any other name.
pub fn alias_memory_digits(alias: &str) -> Option<&str> {
    let rest = alias.strip_prefix("RAM")?;
    let (size, index) = rest.split_once('-').unwrap_or((rest, "0"));
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    (digits(size) && digits(index)).then_some(size)
}

/// The description of a cold-start version: the original description plus ` - <alias>`, with the
/// original part shortened so the whole fits Lambda's 256 characters.
pub fn cold_start_description(original: &str, alias: &str) -> String {
    let suffix = format!(" - {alias}");
    let room = MAX_DESCRIPTION_CHARS - suffix.chars().count();
    let kept: String = original.chars().take(room).collect();
    format!("{kept}{suffix}")
}

impl Plan {
    /// The plan for `input` on a function whose `$LATEST` is `original`.
    pub fn new(input: &TuningInput, original: OriginalConfig) -> Self {
        let sizes = input
            .power_values
            .iter()
            .map(|&memory| SizePlan {
                memory,
                aliases: if input.only_cold_starts {
                    (0..input.num)
                        .map(|i| {
                            let alias = alias_name(memory, Some(i));
                            AliasStep {
                                description: Some(cold_start_description(
                                    &original.description,
                                    &alias,
                                )),
                                alias,
                            }
                        })
                        .collect()
                } else {
                    let alias = alias_name(memory, None);
                    vec![AliasStep {
                        description: Some(cold_start_description(&original.description, &alias)),
                        alias,
                    }]
                },
            })
            .collect();
        Self {
            sizes,
            restore: original,
        }
    }

    /// Every alias the run creates, size by size.
    pub fn aliases(&self) -> impl Iterator<Item = &str> {
        self.sizes
            .iter()
            .flat_map(|s| s.aliases.iter().map(|a| a.alias.as_str()))
    }

    /// Number of versions the run publishes.
    pub fn version_count(&self) -> usize {
        self.sizes.iter().map(|s| s.aliases.len()).sum()
    }

    /// Configuration updates the run makes: one per version, plus the restore.
    pub fn update_count(&self) -> usize {
        self.version_count() + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::parse_value;
    use serde_json::json;

    const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:f";

    fn plan(extra: serde_json::Value, memory: u32, description: &str) -> Plan {
        let mut input = json!({"lambdaARN": ARN, "num": 5});
        input
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let input = parse_value(&input).unwrap().input;
        Plan::new(
            &input,
            OriginalConfig {
                memory: MemoryMb::new(memory).unwrap(),
                description: description.into(),
            },
        )
    }

    #[test]
    fn ac_106_108_normal_mode_one_alias_per_size() {
        let p = plan(json!({"powerValues": [128, 256, 512, 1024]}), 1024, "");
        assert_eq!(
            p.aliases().collect::<Vec<_>>(),
            ["RAM128", "RAM256", "RAM512", "RAM1024"]
        );
        assert_eq!(p.update_count(), 5);
        // Unlike the original, every version gets a distinct description, so it is always new.
        assert_eq!(
            p.sizes[0].aliases[0].description.as_deref(),
            Some(" - RAM128")
        );
    }

    #[test]
    fn ac_107_all() {
        assert_eq!(
            plan(json!({"powerValues": "ALL"}), 128, "").update_count(),
            47
        );
    }

    #[test]
    fn ac_109_110_cold_starts() {
        let p = plan(
            json!({"powerValues": [128, 256, 512, 1024], "onlyColdStarts": true}),
            1024,
            "",
        );
        assert_eq!(p.update_count(), 21);
        let p = plan(
            json!({"powerValues": [128, 256], "onlyColdStarts": true}),
            1024,
            "My desc",
        );
        let aliases: Vec<&str> = p.aliases().collect();
        assert_eq!(
            aliases[..5],
            ["RAM128-0", "RAM128-1", "RAM128-2", "RAM128-3", "RAM128-4"]
        );
        assert_eq!(aliases[5], "RAM256-0");
        assert_eq!(
            p.sizes[0].aliases[0].description.as_deref(),
            Some("My desc - RAM128-0")
        );
        assert_eq!(
            p.restore,
            OriginalConfig {
                memory: MemoryMb::new(1024).unwrap(),
                description: "My desc".into()
            }
        );
        assert_eq!(p.update_count(), 11);
        let empty = plan(
            json!({"powerValues": [128], "onlyColdStarts": true}),
            128,
            "",
        );
        assert_eq!(
            empty.sizes[0].aliases[0].description.as_deref(),
            Some(" - RAM128-0")
        );
    }

    #[test]
    fn ac_129_alias_names() {
        let m = MemoryMb::new(128).unwrap();
        assert_eq!(alias_name(m, None), "RAM128");
        assert_eq!(alias_name(m, Some(1)), "RAM128-1");
    }

    #[test]
    fn long_descriptions_are_shortened_to_fit() {
        let long = "x".repeat(300);
        let d = cold_start_description(&long, "RAM10240-99");
        assert_eq!(d.chars().count(), MAX_DESCRIPTION_CHARS);
        assert!(d.ends_with(" - RAM10240-99"));
    }
}
