//! Applying the optimum: the original's optimizer step (`autoOptimize`), also the web app's
//! "apply" button.

use std::time::Duration;

use super::{
    Phase, RunError,
    publish::point_alias,
    retry::{Retrier, wait_updated},
};
use crate::{
    api::{Clock, ConfigUpdate, LambdaApi, LambdaError},
    arn::FunctionArn,
    memory::MemoryMb,
};

/// Sets `function`'s memory to `memory` and, with `alias`, publishes a version and points the
/// alias at it. Each request is retried on transient errors as a run's are; each wait for an
/// update lasts at most `wait_limit`.
///
/// # Errors
/// [`RunError`] (in the optimizing phase) if a request fails or an update does not finish.
pub async fn apply<A: LambdaApi, C: Clock>(
    api: &A,
    clock: &C,
    function: &FunctionArn,
    memory: MemoryMb,
    alias: Option<&str>,
    wait_limit: Duration,
) -> Result<(), RunError> {
    let steps = Optimizer::new(api, clock, function, wait_limit);
    steps.set_memory(memory).await?;
    if let Some(alias) = alias {
        let version = steps.publish().await?;
        if let Err(e) = steps.point(alias, &version).await {
            // The version was for the alias only; if it cannot go either, the error says so.
            return match api.delete_version(function, &version).await {
                Ok(()) | Err(LambdaError::NotFound { .. }) => Err(e),
                Err(left) => Err(RunError::VersionLeft {
                    cause: Box::new(e),
                    function: function.name().to_owned(),
                    alias: alias.to_owned(),
                    version,
                    left: left.to_string(),
                }),
            };
        }
    }
    Ok(())
}

/// The optimizer's steps, one request each (retried on transient errors), so that a caller can
/// journal between them.
pub(super) struct Optimizer<'a, A, C> {
    api: &'a A,
    clock: &'a C,
    function: &'a FunctionArn,
    wait_limit: Duration,
    retrier: Retrier<'a, C>,
}

const PHASE: Phase = Phase::Optimizing;

impl<'a, A: LambdaApi, C: Clock> Optimizer<'a, A, C> {
    pub fn new(api: &'a A, clock: &'a C, function: &'a FunctionArn, wait_limit: Duration) -> Self {
        Self {
            api,
            clock,
            function,
            wait_limit,
            retrier: Retrier::new(clock, 0x0971, &|_| {}),
        }
    }

    /// Sets `$LATEST`'s memory, once any update under way has finished.
    pub async fn set_memory(&self, memory: MemoryMb) -> Result<(), RunError> {
        wait_updated(self.api, self.clock, self.function, self.wait_limit, PHASE).await?;
        let update = ConfigUpdate {
            memory: Some(memory),
            description: None,
            revision_id: None,
        };
        self.retrier
            .call(|| {
                self.api
                    .update_function_configuration(self.function, &update)
            })
            .await
            .map(|_| ())
            .map_err(|e| e.in_phase(PHASE))
    }

    /// The version `alias` points at now; `None` when there is no such alias.
    pub async fn alias_target(&self, alias: &str) -> Result<Option<String>, RunError> {
        match self
            .retrier
            .call(|| self.api.get_alias(self.function, alias))
            .await
        {
            Ok(version) => Ok(Some(version)),
            Err(LambdaError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.in_phase(PHASE)),
        }
    }

    /// Publishes `$LATEST` as a version, once its update has finished.
    pub async fn publish(&self) -> Result<String, RunError> {
        wait_updated(self.api, self.clock, self.function, self.wait_limit, PHASE).await?;
        self.retrier
            .call(|| self.api.publish_version(self.function))
            .await
            .map_err(|e| e.in_phase(PHASE))
    }

    /// Points `alias` at `version`, creating it if needed.
    pub async fn point(&self, alias: &str, version: &str) -> Result<(), RunError> {
        self.retrier
            .call(|| point_alias(self.api, self.function, alias, version))
            .await
            .map_err(|e| e.in_phase(PHASE))
    }
}
