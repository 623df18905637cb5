//! A run's answer in money per month: every size's monthly cost at the function's own traffic,
//! the change against the current configuration, and what cold starts add.
//!
//! A size's month is `invocations` × its average billed duration (the same trimmed mean the
//! per-invocation cost uses) in GB-seconds, priced through Lambda's monthly tiers
//! ([`crate::pricing::tiers`]), plus the request charge and the ephemeral storage charge per
//! invocation as the run measured them. Tiers and the free tier apply to an account's total
//! per region and architecture, so:
//! - without `otherMonthlyGbSeconds` the function is assumed to be the account's whole usage
//!   (its tiers start at zero);
//! - with it, the function is priced on top of that usage (what it adds to the bill);
//! - the free tier (off by default, since an account's functions share it) is taken off the
//!   account's total, and its free requests are given to this function.
//!
//! With INIT billed (since August 2025), a cold start costs its init duration (or SnapStart's
//! restore duration) at the size's price. The cold-start line prices them at a given rate (by default the share of the run's
//! calls that were cold starts) on top of the monthly cost, which is priced from the trimmed
//! mean that leaves cold starts out.

pub use crate::traffic::{MAX_MONTHLY_INVOCATIONS, MonthlyInvocations, Traffic, TrafficSource};
use crate::{
    memory::MemoryMb,
    money::{cents, significant, thousands},
    pricing::{Price, tiers},
    result::{RunResult, SizeResult},
};

/// One size's month.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SizeMonth {
    /// The size.
    pub memory: MemoryMb,
    /// Its GB-seconds per month.
    pub gb_seconds: f64,
    /// Its monthly cost (duration, requests, storage).
    pub cost: f64,
    /// What one cold start costs at this size, when the run saw cold starts at it.
    pub cold_start_cost: Option<f64>,
}

/// Where the cold-start rate came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateSource {
    /// The input's `coldStartRate`.
    Input,
    /// The share of the run's calls that were cold starts.
    Run,
}

/// A run's sizes priced for a month of the function's traffic.
#[derive(Debug, Clone, PartialEq)]
pub struct Month {
    /// The traffic assumed.
    pub traffic: Traffic,
    /// Every usable size, ascending by memory.
    pub sizes: Vec<SizeMonth>,
    /// The cold-start rate used for [`Month::cold_start_share`].
    pub cold_start_rate: f64,
    /// Where it came from.
    pub rate_source: RateSource,
    /// The currency.
    pub currency: crate::pricing::Currency,
    /// The memory before the run, if the result knows it.
    pub current: Option<MemoryMb>,
}

impl RunResult {
    /// The monthly figures, when the result carries the function's traffic.
    pub fn monthly(&self) -> Option<Month> {
        let traffic = self.traffic?;
        let price = Price::for_function(
            self.region.as_deref().unwrap_or("us-east-1"),
            self.architecture,
        );
        let sizes = self
            .sizes
            .iter()
            .filter(|s| s.is_usable())
            .map(|s| size_month(s, &price, &traffic))
            .collect();
        let (rate, rate_source) = match traffic.cold_start_rate {
            Some(rate) => (rate, RateSource::Input),
            None => (self.run_cold_start_share(), RateSource::Run),
        };
        Some(Month {
            traffic,
            sizes,
            cold_start_rate: rate,
            rate_source,
            currency: self.currency,
            current: self.current_memory,
        })
    }

    /// This result with `invocations` a month as its traffic (keeping the rest of the traffic
    /// it had), when one is given: how a view prices a result for another month. `Some(0)`
    /// removes the traffic; a count above [`MAX_MONTHLY_INVOCATIONS`] is ignored.
    pub fn with_monthly_invocations(mut self, invocations: Option<u64>) -> Self {
        if invocations == Some(0) {
            self.traffic = None;
        } else if let Some(invocations) = invocations.filter(|&n| n <= MAX_MONTHLY_INVOCATIONS) {
            let traffic = self.traffic.unwrap_or(Traffic {
                invocations,
                source: TrafficSource::Input,
                free_tier: false,
                other_gb_seconds: None,
                cold_start_rate: None,
            });
            self.traffic = Some(Traffic {
                invocations,
                source: if invocations == traffic.invocations {
                    traffic.source
                } else {
                    TrafficSource::Input
                },
                ..traffic
            });
        }
        self
    }

    fn run_cold_start_share(&self) -> f64 {
        let (cold, calls) = self
            .sizes
            .iter()
            .filter_map(|s| s.detail.as_ref())
            .fold((0, 0), |(cold, calls), d| {
                (cold + d.stats.cold_starts, calls + d.stats.invocations)
            });
        if calls == 0 {
            0.0
        } else {
            f64::from(cold) / f64::from(calls)
        }
    }
}

fn size_month(size: &SizeResult, price: &Price, traffic: &Traffic) -> SizeMonth {
    let n = traffic.invocations as f64;
    // Results read from the chart site's links carry no billed duration: the duration stands
    // in for it (billing rounds up by under a ms).
    let billed_ms = size
        .detail
        .as_ref()
        .map_or(size.average_duration_ms, |d| d.stats.average_billed_ms);
    let gb_seconds = n * billed_ms / 1000.0 * size.memory.gb();
    let duration = tiers::marginal_charge(
        price.tiers,
        price.per_gb_s,
        traffic.other_gb_seconds.unwrap_or(0.0),
        gb_seconds,
        traffic.free_tier,
    );
    // The storage charge per invocation is what the average cost holds beyond duration and
    // request (zero at the free 512 MB).
    let storage = if size.detail.is_some() {
        (size.average_cost - price.per_request - price.duration(size.memory, billed_ms, 512))
            .max(0.0)
    } else {
        0.0
    };
    let free_requests = if traffic.free_tier {
        tiers::FREE_REQUESTS
    } else {
        0.0
    };
    let requests = (n - free_requests).max(0.0) * price.per_request;
    let cold_start_cost = size
        .detail
        .as_ref()
        .filter(|d| d.stats.cold_starts > 0)
        .map(|d| {
            let billed = d.stats.mean_init_ms.ceil() + d.stats.mean_restore_ms.ceil();
            price.duration(size.memory, billed, 512)
        });
    SizeMonth {
        memory: size.memory,
        gb_seconds,
        cost: duration + requests + n * storage,
        cold_start_cost,
    }
}

impl Month {
    /// The month of one size.
    pub fn of(&self, memory: MemoryMb) -> Option<&SizeMonth> {
        self.sizes.iter().find(|s| s.memory == memory)
    }

    /// The current configuration's month, when it was measured.
    pub fn current_month(&self) -> Option<&SizeMonth> {
        self.of(self.current?)
    }

    /// What cold starts add to a size's month at [`Month::cold_start_rate`], and their share
    /// of the month with them.
    pub fn cold_start_share(&self, size: &SizeMonth) -> Option<(f64, f64)> {
        let added = size.cold_start_cost? * self.cold_start_rate * self.traffic.invocations as f64;
        let total = size.cost + added;
        Some((added, if total > 0.0 { added / total } else { 0.0 }))
    }

    /// A size's change against the current size's month, for a table cell: "$9.80 less",
    /// "$3.10 more", or "–" when it rounds to no change; `None` when the current size was not
    /// measured.
    pub fn change_from_current(&self, size: &SizeMonth) -> Option<String> {
        let change = size.cost - self.current_month()?.cost;
        Some(if change.abs() < 0.005 {
            "–".to_owned()
        } else if change < 0.0 {
            format!("{} less", cents(-change, self.currency))
        } else {
            format!("{} more", cents(change, self.currency))
        })
    }

    /// One size's month in words: "512 MB: $41.20/month, $9.80/month less than the current
    /// 1024 MB, $117.60 a year".
    pub fn statement(&self, memory: MemoryMb) -> Option<String> {
        let size = self.of(memory)?;
        let money = |x: f64| cents(x, self.currency);
        let mut text = format!("{memory}: {}/month", money(size.cost));
        match (self.current, self.current_month()) {
            (Some(current), Some(now)) if current != memory => {
                let change = size.cost - now.cost;
                let direction = if change <= 0.0 { "less" } else { "more" };
                text.push_str(&format!(
                    ", {}/month {direction} than the current {current}, {} a year",
                    money(change.abs()),
                    money(change.abs() * 12.0)
                ));
            }
            (Some(current), Some(_)) => {
                text.push_str(&format!(", the current {current}"));
            }
            (Some(current), None) => text.push_str(&format!(
                " (the current {current} was not measured, so there is no change to show)"
            )),
            (None, _) => {}
        }
        Some(text)
    }

    /// The assumptions behind the figures, in words.
    pub fn assumptions(&self) -> String {
        let t = &self.traffic;
        let source = match t.source {
            TrafficSource::Input => "as given",
            TrafficSource::Cloudwatch => "the function's Invocations over the last 30 days",
        };
        let account = match t.other_gb_seconds {
            Some(gb_s) => format!(
                "priced on top of the account's other {} GB-seconds a month (tiers are per account, region and architecture)",
                thousands(gb_s.round() as u64)
            ),
            None => "tiers priced as if this function were the account's only usage in its region and architecture".into(),
        };
        let free = if t.free_tier {
            "free tier taken off"
        } else {
            "no free tier (an account's functions share it)"
        };
        format!(
            "{} invocations a month ({source}); {account}; {free}",
            thousands(t.invocations)
        )
    }

    /// The cold-start line for one size: "a cold start at 512 MB costs $0.0000021; at 3.0 %
    /// of invocations (the run's share) cold starts add $1.20/month, 2.8 % of the month".
    pub fn cold_start_statement(&self, memory: MemoryMb) -> Option<String> {
        let size = self.of(memory)?;
        let (added, share) = self.cold_start_share(size)?;
        let rate = match self.rate_source {
            RateSource::Input => "coldStartRate",
            RateSource::Run => "the run's share",
        };
        Some(format!(
            "a cold start at {memory} costs {}; at {:.1} % of invocations ({rate}) cold starts add {}/month, {:.1} % of the month",
            significant(size.cold_start_cost?, self.currency),
            self.cold_start_rate * 100.0,
            cents(added, self.currency),
            share * 100.0
        ))
    }
}

#[cfg(test)]
mod tests;
