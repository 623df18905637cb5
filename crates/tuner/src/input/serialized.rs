//! An input crosses to the web app's worker as its JSON ([`TuningInput::to_json`]), read again
//! by [`parse_value`]: one set of rules on both sides.

use serde_json::Value;

use super::{TuningInput, parse_value};

impl serde::Serialize for TuningInput {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for TuningInput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let value = Value::deserialize(d)?;
        parse_value(&value)
            .map(|parsed| parsed.input)
            .map_err(D::Error::custom)
    }
}
