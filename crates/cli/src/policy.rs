//! `powertune policy`: the least-privilege IAM policy for a function or a whole tuning input.

use std::path::PathBuf;

use powertune_aws::policy;
use powertune_tuner::{FunctionArn, parse_input};

use crate::{
    connect::read,
    exit::{BadInput, Exit},
};

/// Prints the policy for `arn`, or for the input in the file `input`.
pub fn policy(arn: Option<String>, input: Option<PathBuf>) -> anyhow::Result<Exit> {
    let document = match (arn, input) {
        (Some(arn), _) => {
            let arn: FunctionArn = arn.parse().map_err(|e| BadInput(format!("{e}")))?;
            policy::policy_for_function(&arn, &[], None)
        }
        (None, Some(path)) => policy::policy_for(&parse_input(&read(&path)?)?.input),
        (None, None) => {
            return Err(BadInput("give a function ARN or --input FILE".into()).into());
        }
    };
    println!("{}", serde_json::to_string_pretty(&document)?);
    Ok(Exit::Success)
}
