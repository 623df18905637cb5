//! The charts' axes: linear or logarithmic, one type so the drawing code is written once, and
//! their short tick labels.

use std::ops::Range;

use plotters::{
    coord::{
        ranged1d::{DefaultFormatting, KeyPointHint},
        types::RangedCoordf64,
    },
    prelude::*,
};

/// A linear or logarithmic axis, one type so the drawing code is written once.
pub(super) enum Axis {
    Linear(RangedCoordf64),
    Log(LogCoord<f64>),
}

/// The extent of an axis; plotters' log coordinate is not `Clone`, so an axis used twice (the
/// shared memory axis) is built twice from this.
#[derive(Debug, Clone, Copy)]
pub(super) struct AxisSpan {
    lo: f64,
    hi: f64,
    log_base: Option<f64>,
}

impl AxisSpan {
    pub(super) fn axis(self) -> Axis {
        match self.log_base {
            Some(base) => Axis::Log((self.lo..self.hi).log_scale().base(base).into()),
            None => Axis::Linear((self.lo..self.hi).into()),
        }
    }

    /// An axis from 0 (linear) spanning `values`, its top `headroom` times the largest value
    /// (room for the legend). A log axis widens to whole powers of `base`, where plotters puts
    /// its ticks.
    pub(super) fn of(
        values: impl Iterator<Item = f64>,
        log: bool,
        base: f64,
        headroom: f64,
    ) -> Self {
        let (lo, hi) = values
            .filter(|v| v.is_finite() && *v > 0.0)
            .fold((f64::INFINITY, 0.0_f64), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            });
        let (lo, hi) = if lo.is_finite() {
            (lo, hi)
        } else {
            (1.0, 10.0)
        };
        if log {
            let lo = base.powf(lo.log(base).floor());
            let mut hi = base.powf(hi.log(base).ceil());
            if hi <= lo {
                hi = lo * base;
            }
            Self {
                lo,
                hi,
                log_base: Some(base),
            }
        } else {
            Self {
                lo: 0.0,
                hi: if hi > 0.0 { hi * headroom } else { 1.0 },
                log_base: None,
            }
        }
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        match self {
            Self::Linear(a) => a.map(value, limit),
            Self::Log(a) => a.map(value, limit),
        }
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        match self {
            Self::Linear(a) => a.key_points(hint),
            Self::Log(a) => a.key_points(hint),
        }
    }

    fn range(&self) -> Range<f64> {
        match self {
            Self::Linear(a) => a.range(),
            Self::Log(a) => a.range(),
        }
    }
}

/// A tick label: `1.5k`, `250`, `0.42`, `0.0031`.
pub(super) fn compact_number(v: f64) -> String {
    let a = v.abs();
    if a == 0.0 {
        "0".into()
    } else if a >= 10_000.0 {
        format!("{}k", trim(v / 1000.0, 0))
    } else if a >= 1000.0 {
        format!("{}k", trim(v / 1000.0, 1))
    } else if a >= 1.0 {
        trim(v, 1)
    } else {
        let digits = (1 - a.log10().floor() as i32).max(0) as usize;
        trim(v, digits)
    }
}

fn trim(v: f64, digits: usize) -> String {
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}
