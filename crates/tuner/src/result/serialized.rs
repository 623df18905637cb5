//! How a [`SizeDetail`] is written: in JSON with its statistics' fields beside its own, as
//! exports have them; in a compact binary format (the web app's worker messages, postcard) as
//! its three parts in order, since postcard cannot read flattened fields.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::SizeDetail;
use crate::stats::{SizeStats, confidence::Interval};

/// A size's detail as JSON is written from it, borrowed: [`DetailJson`]'s form.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DetailJsonRef<'a> {
    #[serde(flatten)]
    stats: &'a SizeStats,
    total_cost: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    cost_interval: Option<Interval>,
}

/// A size's detail as JSON carries it, read.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DetailJson {
    #[serde(flatten)]
    stats: SizeStats,
    total_cost: f64,
    #[serde(default)]
    cost_interval: Option<Interval>,
}

impl Serialize for SizeDetail {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            DetailJsonRef {
                stats: &self.stats,
                total_cost: self.total_cost,
                cost_interval: self.cost_interval,
            }
            .serialize(s)
        } else {
            (&self.stats, self.total_cost, &self.cost_interval).serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for SizeDetail {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (stats, total_cost, cost_interval) = if d.is_human_readable() {
            let json = DetailJson::deserialize(d)?;
            (json.stats, json.total_cost, json.cost_interval)
        } else {
            <(SizeStats, f64, Option<Interval>)>::deserialize(d)?
        };
        Ok(Self {
            stats,
            total_cost,
            cost_interval,
        })
    }
}
