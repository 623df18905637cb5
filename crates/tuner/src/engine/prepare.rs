//! What a run's input asks of the engine before the first request: its sampling policy and the
//! payload of each invocation.

use serde_json::Value;

use crate::{
    input::TuningInput,
    payload::{self, PayloadSlot},
    sampling::{AdaptiveConfig, AdaptivePolicy, GridPolicy, SamplingMode, SamplingPolicy},
};

/// The sampling policy `input` asks for: the grid, or adaptive sampling (not in a dry run, which
/// invokes every size once).
pub fn policy_for(input: &TuningInput) -> Box<dyn SamplingPolicy> {
    match input.sampling {
        SamplingMode::Adaptive if !input.dry_run => Box::new(AdaptivePolicy::new(AdaptiveConfig {
            strategy: input.strategy,
            balanced_weight: input.balanced_weight,
            tolerance: input.tolerance,
            discard: input.effective_discard(),
            ..AdaptiveConfig::default()
        })),
        _ => Box::new(GridPolicy::default()),
    }
}

/// The payload of each invocation of one size.
pub(super) fn payloads(
    input: &TuningInput,
    payload: Option<&Value>,
) -> Result<Vec<PayloadSlot>, payload::PayloadError> {
    if input.dry_run {
        // One invocation, with the first payload of a weighted list.
        let first = payload.map(|p| match p {
            Value::Array(entries) if payload::is_weighted(p) => &entries[0]["payload"],
            other => other,
        });
        return payload::generate(1, first);
    }
    let slots = payload::generate(input.num, payload)?;
    // Adaptive sampling invokes a size fewer than num times: every prefix of the slots must
    // keep the weights' proportions then.
    Ok(if input.sampling == SamplingMode::Adaptive {
        payload::interleave(slots)
    } else {
        slots
    })
}
