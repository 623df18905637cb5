//! Where a command's JSON goes: the `--output` file, or stdout.

use anyhow::Context as _;
use serde_json::Value;

use crate::cli::RunArgs;

/// `output` as pretty JSON, to `--output` or stdout.
pub fn write_output(args: &RunArgs, output: &Value) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(output)?;
    match &args.output {
        Some(path) => std::fs::write(path, text + "\n")
            .with_context(|| format!("while writing {}", path.display())),
        None => {
            println!("{text}");
            Ok(())
        }
    }
}
