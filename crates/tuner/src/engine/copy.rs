//! A temporary copy of the function for the other architecture: named so that people and
//! cleanup recognise it, tagged as powertune's, journaled before it is created, and waited for
//! until Lambda has prepared it. Deleting it is [`super::clean_up`]'s, from the journal, on every
//! path.

use std::{collections::BTreeMap, time::Duration};

use super::{
    RunError,
    event::Phase,
    retry::{Activation, Retrier, until_active},
};
use crate::{
    api::{Clock, FunctionCode, FunctionConfig, FunctionDetails, LambdaApi, LambdaError},
    arn::FunctionArn,
    cancel::CancelToken,
    journal::{Journal, JournalEntry},
    pricing::Architecture,
};

/// Lambda's longest function name.
const NAME_LIMIT: usize = 64;

/// The tag every copy carries: the ARN of the function copied.
pub const COPY_TAG: &str = "powertune:copy-of";

/// The copy's name: `<name>-pt-<architecture>-<run>`, the function's name cut to fit Lambda's 64
/// characters.
pub fn copy_name(function: &str, architecture: Architecture, run: &str) -> String {
    let suffix = format!("-pt-{}-{run}", architecture.as_str().replace('_', "-"));
    let keep = NAME_LIMIT.saturating_sub(suffix.len());
    let base: String = function.chars().take(keep).collect();
    format!("{base}{suffix}")
}

/// The ARN of `function`'s copy for `architecture` in run `run`.
pub fn copy_arn(function: &FunctionArn, architecture: Architecture, run: &str) -> FunctionArn {
    format!(
        "arn:{}:lambda:{}:{}:function:{}",
        function.partition(),
        function.region(),
        function.account(),
        copy_name(function.name(), architecture, run)
    )
    .parse()
    .expect("a name of letters, digits and hyphens within 64 characters is valid")
}

/// Creates the copy of `original` (as `GetFunction` described it) for `architecture` with
/// `code`, journaled first, and waits until it is active (at most `limit`, or until `cancel`).
/// Returns its configuration.
///
/// # Errors
/// The journal could not be written (nothing was created), Lambda refused the copy, or it did not
/// become active: its journal entry stays, for cleanup to delete it.
#[allow(clippy::too_many_arguments)] // The run's parts a copy needs, each named.
pub async fn create_copy<A: LambdaApi, C: Clock>(
    api: &A,
    retrier: &Retrier<'_, C>,
    journal: &dyn Journal,
    original: &FunctionDetails,
    architecture: Architecture,
    code: &FunctionCode,
    run: &str,
    limit: Duration,
    cancel: &CancelToken,
) -> Result<FunctionConfig, RunError> {
    let of = &original.definition.config.arn;
    let arn = copy_arn(of, architecture, run);
    let entry = JournalEntry::Copy {
        function: arn.clone(),
        of: of.clone(),
        architecture,
    };
    crate::journal::record(journal, &entry).await?;
    let tags = BTreeMap::from([(COPY_TAG.to_owned(), of.to_string())]);
    let definition = original.definition.copy(arn.clone(), architecture, tags);
    let phase = Phase::Initializing;
    // Not retried on a conflict: "already exists" means this run's name is taken.
    match api.create_function(&definition, code).await {
        Ok(_) | Err(LambdaError::Network { .. } | LambdaError::Timeout { .. }) => {}
        Err(e) => return Err(e.in_phase(phase)),
    }
    let awaited = Activation {
        function: &arn,
        qualifier: None,
        phase,
        what: format!("the copy {}", arn.name()),
    };
    until_active(api, retrier, awaited, limit, Some(cancel), |reason| {
        RunError::CopyFailed {
            function: arn.name().to_owned(),
            architecture,
            reason,
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copys_name_says_what_it_is_and_fits_lambdas_limit() {
        assert_eq!(
            copy_name("image-resizer", Architecture::Arm64, "k3x9"),
            "image-resizer-pt-arm64-k3x9"
        );
        assert_eq!(
            copy_name("f", Architecture::X86_64, "k3x9"),
            "f-pt-x86-64-k3x9"
        );
        let long = "a".repeat(64);
        let name = copy_name(&long, Architecture::Arm64, "k3x9");
        assert_eq!(name.len(), 64);
        assert!(name.ends_with("-pt-arm64-k3x9"), "{name}");
        let arn: FunctionArn = format!("arn:aws:lambda:eu-west-1:123456789012:function:{long}")
            .parse()
            .unwrap();
        assert_eq!(
            copy_arn(&arn, Architecture::Arm64, "k3x9").region(),
            "eu-west-1"
        );
    }
}
