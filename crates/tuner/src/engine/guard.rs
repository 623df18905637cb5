//! Refusing a second run on the same function: two runs would point the same `RAM<size>` aliases
//! at each other's versions, and the second would take the first's temporary `$LATEST` for the
//! original and "restore" it. Every version a run publishes, and `$LATEST` while a run is
//! publishing, carry a description that ends with ` - <alias>`, so before creating anything the
//! engine looks for such descriptions.

use super::{Engine, Phase, RunError};
use crate::{
    alias::described_alias,
    api::{Clock, FunctionConfig, LambdaApi, LambdaError},
};

impl<A: LambdaApi, C: Clock> Engine<'_, A, C> {
    /// `Err(AnotherRun)` when `$LATEST` (as read at the start) or a version carries a run's
    /// description. Without permission to list versions the check is skipped with a warning: the run itself
    /// does not need it.
    pub(super) async fn refuse_concurrent_run(
        &self,
        latest: &FunctionConfig,
    ) -> Result<(), RunError> {
        let mut found = Vec::new();
        if let Some(alias) = described_alias(&latest.description) {
            found.push(format!("$LATEST, set to {} for {alias}", latest.memory));
        }
        let versions = match self
            .retrier
            .call(|| self.api.list_versions(self.arn()))
            .await
        {
            Ok(versions) => versions,
            Err(e @ LambdaError::AccessDenied { .. }) => {
                self.warn(format!(
                    "could not check whether another run is tuning this function ({e})"
                ));
                Vec::new()
            }
            Err(e) => return Err(e.in_phase(Phase::Initializing)),
        };
        found.extend(versions.iter().filter_map(|v| {
            let alias = described_alias(&v.description)?;
            (alias.memory().get() == v.memory).then(|| format!("{alias} (version {})", v.version))
        }));
        if found.is_empty() {
            return Ok(());
        }
        Err(RunError::AnotherRun {
            function: self.arn().name().to_owned(),
            found,
        })
    }
}
