//! Applying the optimum: the original's optimizer step (`autoOptimize`), also the web app's
//! "apply" button.

use std::time::Duration;

use super::{
    Event, Phase, RunError,
    publish::point_alias,
    retry::{Retrier, wait_updated},
};
use crate::{
    api::{Clock, ConfigUpdate, LambdaApi},
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
    let phase = Phase::Optimizing;
    let quiet = |_: Event| {};
    let retrier = Retrier::new(clock, 0x0971, &quiet);
    wait_updated(api, clock, function, wait_limit, phase).await?;
    let update = ConfigUpdate {
        memory: Some(memory),
        description: None,
        revision_id: None,
    };
    retrier
        .call(|| api.update_function_configuration(function, &update))
        .await
        .map_err(|e| e.in_phase(phase))?;
    if let Some(alias) = alias {
        wait_updated(api, clock, function, wait_limit, phase).await?;
        let version = retrier
            .call(|| api.publish_version(function))
            .await
            .map_err(|e| e.in_phase(phase))?;
        if let Err(e) = retrier
            .call(|| point_alias(api, function, alias, &version))
            .await
        {
            // The version was for the alias only; best effort, as the error is the news.
            let _ = api.delete_version(function, &version).await;
            return Err(e.in_phase(phase));
        }
    }
    Ok(())
}
