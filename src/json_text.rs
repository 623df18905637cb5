//! A value carried as its JSON text inside a compact binary message, and as itself in JSON.
//!
//! The worker's messages are postcard ([`crate::worker_protocol`]), which is compact and needs
//! little code to decode, but reads only what is written in order: it cannot read the JSON
//! shapes some types keep for their files (a journal entry's `"kind"` tag, an input's free-form
//! payload). Those fields use `#[serde(with = "crate::json_text")]`. (A failure and a size's
//! statistics have a compact form of their own instead: `failure/serialized.rs` and
//! `result/serialized.rs` in the tuner.)

use serde::{Deserialize as _, Deserializer, Serialize, Serializer, de::DeserializeOwned};

/// Writes `value` as itself in a human-readable format, as its JSON text in a binary one.
///
/// # Errors
/// The format's, or the value's JSON encoding's.
pub fn serialize<T: Serialize, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    if s.is_human_readable() {
        return value.serialize(s);
    }
    let text = serde_json::to_string(value).map_err(serde::ser::Error::custom)?;
    s.serialize_str(&text)
}

/// Reads what [`serialize`] wrote.
///
/// # Errors
/// The format's, or the JSON text's.
pub fn deserialize<'de, T: DeserializeOwned, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    if d.is_human_readable() {
        return T::deserialize(d);
    }
    let text = String::deserialize(d)?;
    serde_json::from_str(&text).map_err(serde::de::Error::custom)
}
