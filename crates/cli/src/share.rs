//! `powertune share`: read share links, and turn an output JSON into links.

use std::path::Path;

use anyhow::Context as _;
use powertune_tuner::{
    output::{self, ORIGINAL_VISUALIZATION_URL, OriginalOutput},
    result::RunResult,
    share::{self, compact, original},
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    connect::read,
    exit::{BadInput, Exit},
};

/// Prints the runs `link` carries, as JSON.
pub fn decode(link: &str) -> anyhow::Result<Exit> {
    let decoded = share::decode(link).context("while reading the link")?;
    let runs: Vec<Value> = decoded
        .runs()
        .into_iter()
        .map(|(label, run)| json!({"label": label, "result": run}))
        .collect();
    println!("{}", serde_json::to_string_pretty(&runs)?);
    Ok(Exit::Success)
}

/// What `share encode` reads: the original's output object, and powertune's full result when it
/// is the output of `powertune run --full`.
#[derive(Deserialize)]
struct RunOutput {
    #[serde(flatten)]
    original: OriginalOutput,
    powertune: Option<FullOutput>,
}

#[derive(Deserialize)]
struct FullOutput {
    result: RunResult,
}

/// Prints the chart site's link and powertune's own (`#pt4.…`, to append to the address of a
/// powertune page) for the output JSON in `input`, one a line.
pub fn encode(input: &Path) -> anyhow::Result<Exit> {
    let text = read(input)?;
    let output: RunOutput = serde_json::from_str(&text).map_err(|e| {
        BadInput(format!(
            "{} is not the output of a tuning run ({e}): pass the JSON that `powertune run` or the original tool printed",
            input.display()
        ))
    })?;
    let run = match output.powertune {
        Some(full) => full.result,
        None => {
            let Some(stats) = output.original.stats else {
                return Err(BadInput(
                    "the output has no \"stats\": run with \"includeOutputResults\": true, or pass the output of `powertune run --full`".into(),
                )
                .into());
            };
            let points: Vec<original::Point> = stats
                .iter()
                .map(|s| original::Point {
                    power: f64::from(s.value),
                    duration: s.average_duration,
                    cost: s.average_price,
                })
                .collect();
            let url = original::visualization_url(ORIGINAL_VISUALIZATION_URL, &points, false);
            share::decode(&url)
                .context("while reading back the chart link")?
                .runs()
                .remove(0)
                .1
        }
    };
    println!(
        "{}",
        output::visualization_url(&run, ORIGINAL_VISUALIZATION_URL)
    );
    println!("#{}", compact::encode(&run));
    Ok(Exit::Success)
}
