//! A run's download as a file: its name, media type and text, in the format asked for. The web
//! app's worker makes it (the exports' code is not in the page's download) and the page saves it.

use serde::{Deserialize, Serialize};

use super::{file_stem, to_csv, to_json};
use crate::result::RunResult;

/// Which download.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    /// [`to_json`], indented.
    Json,
    /// [`to_csv`].
    Csv,
}

/// A file to save.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct File {
    /// The file name, with its extension ([`file_stem`]).
    pub name: String,
    /// Its media type.
    pub media_type: String,
    /// Its content.
    pub text: String,
}

/// `run`'s download in `format`.
pub fn file(run: &RunResult, format: Format) -> File {
    let stem = file_stem(run);
    match format {
        Format::Json => File {
            name: format!("{stem}.json"),
            media_type: "application/json".into(),
            // A Value always writes.
            text: serde_json::to_string_pretty(&to_json(run)).unwrap_or_default(),
        },
        Format::Csv => File {
            name: format!("{stem}.csv"),
            media_type: "text/csv".into(),
            text: to_csv(run),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    #[test]
    fn each_format_is_named_typed_and_filled() {
        let run = fixtures::measured_run();
        let json = file(&run, Format::Json);
        assert_eq!(json.name, "powertune-orders.json");
        assert_eq!(json.media_type, "application/json");
        assert!(
            json.text.starts_with("{\n  \"power\": 256,"),
            "{}",
            json.text
        );
        assert_eq!(
            json.text,
            serde_json::to_string_pretty(&to_json(&run)).unwrap()
        );
        let csv = file(&run, Format::Csv);
        assert_eq!(csv.name, "powertune-orders.csv");
        assert_eq!(csv.media_type, "text/csv");
        assert_eq!(csv.text, to_csv(&run));
        assert_eq!(csv.text.lines().count(), 1 + run.sizes.len());
    }
}
