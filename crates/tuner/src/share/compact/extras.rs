//! What later link versions append after a `pt1` [`super::Wire`]: `pt2`'s [`Extras`] (the 95 %
//! intervals, the tolerance, sizes never measured, the sampling summary) and `pt3`'s monthly
//! traffic ([`TrafficWire`]).

use serde::{Deserialize, Serialize};

use super::{ShareLinkError, narrow};
use crate::{
    result::{NOT_MEASURED, RunResult, SamplingSummary, Unmeasured},
    stats::confidence::Interval,
    traffic::{Traffic, TrafficSource},
};

/// What `pt2` adds after a `pt1` [`Wire`].
#[derive(Serialize, Deserialize)]
pub(super) struct Extras {
    /// In hundredths of a percent, so that 0.02 comes back as 0.02.
    tolerance_bp: u32,
    sampling: Option<SamplingSummary>,
    /// One per size of the [`Wire`], in its order.
    sizes: Vec<SizeExtras>,
}

#[derive(Serialize, Deserialize)]
struct SizeExtras {
    duration_interval: Option<[f32; 2]>,
    cost_interval: Option<[f32; 2]>,
    unmeasured: Option<Unmeasured>,
}

fn narrow_interval(i: Option<Interval>) -> Option<[f32; 2]> {
    i.map(|i| [narrow(i.low), narrow(i.high)])
}

fn widen_interval(i: Option<[f32; 2]>) -> Option<Interval> {
    i.map(|[low, high]| Interval {
        low: f64::from(low),
        high: f64::from(high),
    })
}

impl From<&RunResult> for Extras {
    fn from(run: &RunResult) -> Self {
        Self {
            tolerance_bp: (run.tolerance * 10_000.0)
                .round()
                .clamp(0.0, f64::from(u32::MAX)) as u32,
            sampling: run.sampling,
            sizes: run
                .sizes
                .iter()
                .map(|s| SizeExtras {
                    duration_interval: narrow_interval(
                        s.detail.as_ref().and_then(|d| d.stats.duration_interval),
                    ),
                    cost_interval: narrow_interval(s.detail.as_ref().and_then(|d| d.cost_interval)),
                    unmeasured: s.unmeasured,
                })
                .collect(),
        }
    }
}

impl Extras {
    /// Adds what `pt2` carries to a run decoded from its [`Wire`].
    pub(super) fn apply(self, run: &mut RunResult) -> Result<(), ShareLinkError> {
        if self.sizes.len() != run.sizes.len() {
            return Err(ShareLinkError::Corrupt(format!(
                "{} sizes, but intervals for {}",
                run.sizes.len(),
                self.sizes.len()
            )));
        }
        run.tolerance = f64::from(self.tolerance_bp) / 10_000.0;
        run.sampling = self.sampling;
        for (size, extras) in run.sizes.iter_mut().zip(self.sizes) {
            size.unmeasured = extras.unmeasured;
            if let Some(detail) = &mut size.detail {
                detail.stats.duration_interval = widen_interval(extras.duration_interval);
                detail.cost_interval = widen_interval(extras.cost_interval);
            }
        }
        Ok(())
    }

    /// A `pt1` link has no extras; its sizes that adaptive sampling skipped carried the reason
    /// as their error text.
    pub(super) fn legacy(run: &mut RunResult) {
        for size in &mut run.sizes {
            if size.detail.is_none()
                && let Some(error) = &size.error
                && let Some(rest) = error.message.strip_prefix(NOT_MEASURED)
            {
                size.unmeasured = Some(if rest.contains("stopped") {
                    Unmeasured::Stopped
                } else {
                    Unmeasured::NotChosen
                });
                size.error = None;
            }
        }
    }
}

/// The monthly traffic as the link carries it (postcard needs every field, in order).
#[derive(Serialize, Deserialize)]
pub(super) struct TrafficWire {
    invocations: u64,
    from_cloudwatch: bool,
    free_tier: bool,
    other_gb_seconds: Option<f64>,
    pub(super) cold_start_rate: Option<f32>,
}

impl From<&Traffic> for TrafficWire {
    fn from(t: &Traffic) -> Self {
        Self {
            invocations: t.invocations,
            from_cloudwatch: t.source == TrafficSource::Cloudwatch,
            free_tier: t.free_tier,
            other_gb_seconds: t.other_gb_seconds,
            cold_start_rate: t.cold_start_rate.map(narrow),
        }
    }
}

impl TryFrom<TrafficWire> for Traffic {
    type Error = ShareLinkError;

    /// The traffic, refused when a number is out of its range (a link is untrusted text).
    fn try_from(t: TrafficWire) -> Result<Self, ShareLinkError> {
        if !t.other_gb_seconds.is_none_or(|g| g.is_finite() && g >= 0.0)
            || !t.cold_start_rate.is_none_or(|r| (0.0..=1.0).contains(&r))
        {
            return Err(ShareLinkError::Corrupt(
                "monthly traffic out of range".into(),
            ));
        }
        Ok(Self {
            invocations: t.invocations,
            source: if t.from_cloudwatch {
                TrafficSource::Cloudwatch
            } else {
                TrafficSource::Input
            },
            free_tier: t.free_tier,
            other_gb_seconds: t.other_gb_seconds,
            cold_start_rate: t.cold_start_rate.map(f64::from),
        })
    }
}
