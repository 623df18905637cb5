//! The names of the aliases a run creates, and the rule for the alias a user applies the optimum
//! to.
//!
//! A run names its temporary aliases as the original tool does, so its users recognise them in
//! the console: `RAM<size>` for a size, and `RAM<size>-<i>` for the `i`-th cold-start version of
//! a size (`onlyColdStarts`). Each version published for such an alias carries the description
//! `<original description> - <alias>`, which makes every version new (so cleanup never deletes
//! one that existed before the run) and lets cleanup find a version whose number it never
//! learned. Validation, planning and cleanup all go through [`TuningAlias`].

use std::{fmt, str::FromStr};

use crate::memory::MemoryMb;

/// Lambda's limit on a function description.
pub const MAX_DESCRIPTION_CHARS: usize = 256;

/// A temporary alias of a run: `RAM1024` or `RAM1024-3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TuningAlias {
    memory: MemoryMb,
    cold_index: Option<u32>,
}

/// A name that is not a run's temporary alias.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a tuning alias (RAM<size> or RAM<size>-<index>, size 128 to 10240)")]
pub struct NotATuningAlias(pub String);

impl TuningAlias {
    /// The alias of `memory`; with `cold_index`, of its `cold_index`-th cold-start version.
    pub fn new(memory: MemoryMb, cold_index: Option<u32>) -> Self {
        Self { memory, cold_index }
    }

    /// The memory size the alias's version has.
    pub fn memory(self) -> MemoryMb {
        self.memory
    }

    /// The cold-start index, for `RAM<size>-<i>`.
    pub fn cold_index(self) -> Option<u32> {
        self.cold_index
    }

    /// The description of this alias's version: the original description plus ` - <alias>`,
    /// the original part shortened so the whole fits Lambda's 256 characters.
    pub fn version_description(self, original: &str) -> String {
        let suffix = format!(" - {self}");
        let room = MAX_DESCRIPTION_CHARS - suffix.chars().count();
        let kept: String = original.chars().take(room).collect();
        format!("{kept}{suffix}")
    }
}

impl fmt::Display for TuningAlias {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.cold_index {
            Some(i) => write!(f, "RAM{}-{i}", self.memory.get()),
            None => write!(f, "RAM{}", self.memory.get()),
        }
    }
}

/// `RAM<digits>` or `RAM<digits>-<digits>`, split into its digit strings.
fn shape(name: &str) -> Option<(&str, Option<&str>)> {
    let rest = name.strip_prefix("RAM")?;
    let (size, index) = match rest.split_once('-') {
        Some((size, index)) => (size, Some(index)),
        None => (rest, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(size) && index.is_none_or(digits)).then_some((size, index))
}

impl FromStr for TuningAlias {
    type Err = NotATuningAlias;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let bad = || NotATuningAlias(name.to_owned());
        let (size, index) = shape(name).ok_or_else(bad)?;
        let memory = size
            .parse::<u32>()
            .ok()
            .and_then(|mb| MemoryMb::new(mb).ok())
            .ok_or_else(bad)?;
        let cold_index = index
            .map(|i| i.parse::<u32>().map_err(|_| bad()))
            .transpose()?;
        Ok(Self { memory, cold_index })
    }
}

impl TryFrom<String> for TuningAlias {
    type Error = NotATuningAlias;
    fn try_from(name: String) -> Result<Self, Self::Error> {
        name.parse()
    }
}

impl From<TuningAlias> for String {
    fn from(alias: TuningAlias) -> Self {
        alias.to_string()
    }
}

/// The alias a version description made by [`TuningAlias::version_description`] names: `RAM512`
/// for `"orders - RAM512"`; `None` for any other description.
pub fn described_alias(description: &str) -> Option<TuningAlias> {
    let (_, tail) = description.rsplit_once(" - ")?;
    tail.parse().ok()
}

/// Whether `name` has the shape of a run's temporary alias (`RAM512`, `RAM512-3`, also with a
/// size Lambda would refuse): such names are reserved for runs.
pub fn looks_like_tuning_alias(name: &str) -> bool {
    shape(name).is_some()
}

/// Whether `alias` can name the alias the optimum is applied to: Lambda's rule (1 to 128
/// letters, digits, `-`, `_`; not only digits) and not a temporary tuning alias.
///
/// # Errors
/// What is wrong, as the end of a sentence starting with the alias's name.
pub fn check_alias_name(alias: &str) -> Result<(), &'static str> {
    let valid = !alias.is_empty()
        && alias.len() <= 128
        && alias
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !alias.chars().all(|c| c.is_ascii_digit());
    if !valid {
        return Err(
            "must be 1 to 128 letters, digits, hyphens or underscores, and not only digits (Lambda's alias rule)",
        );
    }
    if looks_like_tuning_alias(alias) {
        return Err(
            "has the form of the temporary aliases a run creates and deletes (RAM<size>); choose another name",
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mb(m: u32) -> MemoryMb {
        MemoryMb::new(m).unwrap()
    }

    #[test]
    fn names_are_the_originals() {
        assert_eq!(TuningAlias::new(mb(128), None).to_string(), "RAM128");
        assert_eq!(TuningAlias::new(mb(128), Some(1)).to_string(), "RAM128-1");
    }

    #[test]
    fn parse_is_the_inverse_of_display() {
        for alias in [
            TuningAlias::new(mb(128), None),
            TuningAlias::new(mb(10_240), Some(99)),
        ] {
            assert_eq!(alias.to_string().parse::<TuningAlias>(), Ok(alias));
        }
        for bad in [
            "RAM", "RAMP", "prod", "RAM64", "RAM512-", "RAM-1", "RAM5x", "ram512",
        ] {
            assert!(bad.parse::<TuningAlias>().is_err(), "{bad}");
        }
    }

    #[test]
    fn serializes_as_its_name() {
        let alias = TuningAlias::new(mb(512), Some(3));
        assert_eq!(serde_json::to_string(&alias).unwrap(), "\"RAM512-3\"");
        assert_eq!(
            serde_json::from_str::<TuningAlias>("\"RAM512-3\"").unwrap(),
            alias
        );
        assert!(serde_json::from_str::<TuningAlias>("\"prod\"").is_err());
    }

    #[test]
    fn long_descriptions_are_shortened_to_fit() {
        let long = "x".repeat(300);
        let d = TuningAlias::new(mb(10_240), Some(99)).version_description(&long);
        assert_eq!(d.chars().count(), MAX_DESCRIPTION_CHARS);
        assert!(d.ends_with(" - RAM10240-99"));
        assert_eq!(
            TuningAlias::new(mb(128), None).version_description(""),
            " - RAM128"
        );
    }

    #[test]
    fn descriptions_name_their_alias() {
        let alias = TuningAlias::new(mb(512), Some(2));
        assert_eq!(
            described_alias(&alias.version_description("orders")),
            Some(alias)
        );
        assert_eq!(
            described_alias(" - RAM128"),
            Some(TuningAlias::new(mb(128), None))
        );
        assert_eq!(described_alias("orders - prod"), None);
        assert_eq!(described_alias("orders"), None);
    }

    #[test]
    fn user_aliases_follow_lambdas_rule_and_avoid_ours() {
        assert!(check_alias_name("blue_green-2").is_ok());
        assert!(check_alias_name("").is_err());
        assert!(check_alias_name(&"a".repeat(129)).is_err());
        assert!(check_alias_name("123").is_err());
        assert!(
            check_alias_name("RAM512-2")
                .unwrap_err()
                .contains("temporary aliases")
        );
        assert!(check_alias_name("RAM99999").is_err());
        assert!(
            looks_like_tuning_alias("RAM128")
                && looks_like_tuning_alias("RAM128-4")
                && !looks_like_tuning_alias("RAMP")
                && !looks_like_tuning_alias("prod")
        );
    }
}
