//! What a run creates and what cleanup deletes (see `docs/original-behaviour.md`).
//!
//! Each memory size gets one alias `RAM<size>` pointing at a version published with that memory,
//! or, with `onlyColdStarts`, `num` aliases `RAM<size>-<i>`, each on its own version forced to be
//! distinct by a description suffix (a new version means a new execution environment, so every
//! invocation is a cold start). A final step restores the original memory and description on
//! `$LATEST`. Unlike the original, which publishes one more unaliased version for the restore,
//! restoring only updates `$LATEST` and leaves no version behind; and normal-mode versions carry
//! the ` - RAM<size>` description suffix too, so `PublishVersion` always makes a new version and
//! cleanup never deletes one that existed before the run (the original's issue #124).

use crate::{alias::TuningAlias, input::TuningInput, memory::MemoryMb};

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
    /// The alias.
    pub alias: TuningAlias,
    /// Description to set before publishing (makes every version distinct).
    pub description: String,
}

impl AliasStep {
    fn new(alias: TuningAlias, original: &OriginalConfig) -> Self {
        Self {
            description: alias.version_description(&original.description),
            alias,
        }
    }
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

impl Plan {
    /// The plan for `input` on a function whose `$LATEST` is `original`.
    pub fn new(input: &TuningInput, original: OriginalConfig) -> Self {
        let sizes = input
            .power_values
            .iter()
            .map(|&memory| SizePlan {
                memory,
                aliases: if input.only_cold_starts {
                    (0..Self::aliases_per_size(input) as u32)
                        .map(|i| AliasStep::new(TuningAlias::new(memory, Some(i)), &original))
                        .collect()
                } else {
                    vec![AliasStep::new(TuningAlias::new(memory, None), &original)]
                },
            })
            .collect();
        Self {
            sizes,
            restore: original,
        }
    }

    /// How many versions (each with its alias) one size needs: one, or one per invocation for
    /// cold starts only.
    pub fn aliases_per_size(input: &TuningInput) -> usize {
        if input.only_cold_starts {
            input.num as usize
        } else {
            1
        }
    }

    /// Number of versions a run of `input` publishes, before the function is read.
    pub fn versions_for(input: &TuningInput) -> usize {
        input.power_values.len() * Self::aliases_per_size(input)
    }

    /// Every alias the run creates, size by size.
    pub fn aliases(&self) -> impl Iterator<Item = TuningAlias> + '_ {
        self.sizes
            .iter()
            .flat_map(|s| s.aliases.iter().map(|a| a.alias))
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
    fn normal_mode_one_alias_per_size() {
        let p = plan(json!({"powerValues": [128, 256, 512, 1024]}), 1024, "");
        assert_eq!(
            p.aliases().map(|a| a.to_string()).collect::<Vec<_>>(),
            ["RAM128", "RAM256", "RAM512", "RAM1024"]
        );
        assert_eq!(p.update_count(), 5);
        let input =
            parse_value(&json!({"lambdaARN": ARN, "num": 5, "powerValues": [128, 256, 512, 1024]}))
                .unwrap()
                .input;
        assert_eq!(Plan::versions_for(&input), 4);
        // Unlike the original, every version gets a distinct description, so it is always new.
        assert_eq!(p.sizes[0].aliases[0].description, " - RAM128");
    }

    #[test]
    fn all_sizes_make_47_updates() {
        assert_eq!(
            plan(json!({"powerValues": "ALL"}), 128, "").update_count(),
            47
        );
    }

    #[test]
    fn cold_starts_one_alias_and_version_per_invocation() {
        let p = plan(
            json!({"powerValues": [128, 256, 512, 1024], "onlyColdStarts": true}),
            1024,
            "",
        );
        assert_eq!(p.update_count(), 21);
        let input = parse_value(&json!({"lambdaARN": ARN, "num": 5, "powerValues": [128, 256, 512, 1024], "onlyColdStarts": true})).unwrap().input;
        assert_eq!(
            Plan::versions_for(&input),
            p.version_count(),
            "known before the function is read"
        );
        let p = plan(
            json!({"powerValues": [128, 256], "onlyColdStarts": true}),
            1024,
            "My desc",
        );
        let aliases: Vec<String> = p.aliases().map(|a| a.to_string()).collect();
        assert_eq!(
            aliases[..5],
            ["RAM128-0", "RAM128-1", "RAM128-2", "RAM128-3", "RAM128-4"]
        );
        assert_eq!(aliases[5], "RAM256-0");
        assert_eq!(p.sizes[0].aliases[0].description, "My desc - RAM128-0");
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
        assert_eq!(empty.sizes[0].aliases[0].description, " - RAM128-0");
    }
}
