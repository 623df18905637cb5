//! What is wrong with an input: every problem, each naming its field, value and rule.

use std::fmt;

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
