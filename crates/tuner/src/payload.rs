//! Invocation payloads: the original tool's conversion and weighted split (`utils.js`
//! `generatePayloads`; see `docs/original-behaviour.md`).
//!
//! A payload is any JSON value. A non-empty array whose every element has a truthy `weight` and a
//! truthy `payload` is a *weighted* payload: each entry gets a contiguous block of invocations
//! proportional to its weight, and the last entry absorbs the rounding slack. Each generated
//! payload remembers which entry it came from, so results can be broken down per payload.

use serde_json::Value;

pub mod placeholders;

/// One invocation's payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadSlot {
    /// Index of the weighted entry this came from, `None` for a plain payload.
    pub entry: Option<usize>,
    /// The exact request body sent to Lambda.
    pub text: String,
}

/// Why payloads cannot be generated.
#[derive(Debug, Clone, PartialEq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum PayloadError {
    /// Fewer invocations than weighted entries.
    #[error(
        "you have {entries} weighted payloads and only num={num}: set \"num\" to at least {entries}"
    )]
    TooFewInvocations {
        /// Number of weighted entries.
        entries: usize,
        /// Invocations per memory size.
        num: u32,
    },
    /// An entry's share rounds down to zero invocations.
    #[error(
        "weighted payload entry {index} (weight {weight}) gets no invocation with num={num}: raise \"num\" or that entry's weight (each share is floor(weight × num / total weight) and must be at least 1)"
    )]
    WeightTooSmall {
        /// Zero-based index of the entry.
        index: usize,
        /// Its weight.
        weight: f64,
        /// Invocations per memory size.
        num: u32,
    },
    /// A weight that is not a positive number.
    #[error("weighted payload entry {index} has weight {weight}: weights must be positive numbers")]
    BadWeight {
        /// Zero-based index of the entry.
        index: usize,
        /// The weight as written.
        weight: String,
    },
}

/// JavaScript truthiness of a JSON value.
pub fn is_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// Whether `value` is a weighted payload (`isWeightedPayload` of the original).
pub fn is_weighted(value: &Value) -> bool {
    match value {
        Value::Array(entries) => {
            !entries.is_empty()
                && entries.iter().all(|e| {
                    e.get("weight").is_some_and(is_truthy)
                        && e.get("payload").is_some_and(is_truthy)
                })
        }
        _ => false,
    }
}

/// The request body for one payload (`convertPayload`): a string that already parses as JSON is
/// sent verbatim, anything else is JSON-encoded (so `"test"` is sent with its quotes).
pub fn convert(value: &Value) -> String {
    match value {
        Value::String(s) if serde_json::from_str::<Value>(s).is_ok() => s.clone(),
        other => other.to_string(),
    }
}

/// The `num` payloads of one memory size, in invocation order.
///
/// `None` (no payload, or a falsy one) sends the JSON text `null`, as the original does.
///
/// # Errors
/// [`PayloadError`] for weighted payloads whose weights do not fit `num`.
pub fn generate(num: u32, payload: Option<&Value>) -> Result<Vec<PayloadSlot>, PayloadError> {
    let Some(value) = payload.filter(|v| is_truthy(v)) else {
        return Ok(repeat(num, "null".to_owned()));
    };
    if !is_weighted(value) {
        return Ok(repeat(num, convert(value)));
    }
    let entries = value.as_array().expect("is_weighted checked for an array");
    let weights = weights(entries)?;
    if (num as usize) < entries.len() {
        return Err(PayloadError::TooFewInvocations {
            entries: entries.len(),
            num,
        });
    }
    let total: f64 = weights.iter().sum();
    let mut slots = Vec::with_capacity(num as usize);
    for (index, (entry, weight)) in entries.iter().zip(&weights).enumerate() {
        // Same evaluation order as the original: (weight × num) / total, floored.
        let share = ((weight * f64::from(num)) / total).floor();
        if share < 1.0 {
            return Err(PayloadError::WeightTooSmall {
                index,
                weight: *weight,
                num,
            });
        }
        let count = if index == entries.len() - 1 {
            num as usize - slots.len()
        } else {
            share as usize
        };
        let text = convert(&entry["payload"]);
        slots.extend((0..count).map(|_| PayloadSlot {
            entry: Some(index),
            text: text.clone(),
        }));
    }
    Ok(slots)
}

/// The weights of a weighted payload, which must be positive numbers.
fn weights(entries: &[Value]) -> Result<Vec<f64>, PayloadError> {
    entries
        .iter()
        .enumerate()
        .map(|(index, e)| match e["weight"].as_f64() {
            Some(w) if w > 0.0 && w.is_finite() => Ok(w),
            _ => Err(PayloadError::BadWeight {
                index,
                weight: e["weight"].to_string(),
            }),
        })
        .collect()
}

fn repeat(num: u32, text: String) -> Vec<PayloadSlot> {
    vec![PayloadSlot { entry: None, text }; num as usize]
}

/// The same slots in an order where every prefix keeps the weights' proportions as closely as
/// whole invocations can (smooth weighted round robin, as nginx balances upstreams): adaptive
/// sampling gives a size fewer than `num` invocations, and those must still see each payload in
/// its share. Plain payloads (one entry) are returned as they are.
pub fn interleave(slots: Vec<PayloadSlot>) -> Vec<PayloadSlot> {
    let mut groups: Vec<(Option<usize>, Vec<PayloadSlot>)> = Vec::new();
    for slot in slots {
        match groups.iter_mut().find(|(entry, _)| *entry == slot.entry) {
            Some((_, group)) => group.push(slot),
            None => groups.push((slot.entry, vec![slot])),
        }
    }
    if groups.len() < 2 {
        return groups.into_iter().flat_map(|(_, g)| g).collect();
    }
    let weights: Vec<i64> = groups.iter().map(|(_, g)| g.len() as i64).collect();
    let total: i64 = weights.iter().sum();
    let mut current = vec![0_i64; groups.len()];
    let mut queues: Vec<std::collections::VecDeque<PayloadSlot>> =
        groups.into_iter().map(|(_, g)| g.into()).collect();
    let mut out = Vec::with_capacity(total as usize);
    for _ in 0..total {
        for (c, w) in current.iter_mut().zip(&weights) {
            *c += w;
        }
        let pick = (0..current.len())
            .filter(|&i| !queues[i].is_empty())
            .max_by_key(|&i| (current[i], std::cmp::Reverse(i)))
            .expect("a slot is left while the count is not reached");
        current[pick] -= total;
        out.extend(queues[pick].pop_front());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn weighted(weights: &[u32]) -> Value {
        Value::Array(
            weights
                .iter()
                .enumerate()
                .map(|(i, w)| json!({"payload": {"entry": i}, "weight": w}))
                .collect(),
        )
    }

    fn counts(num: u32, weights: &[u32]) -> Vec<usize> {
        let slots = generate(num, Some(&weighted(weights))).unwrap();
        assert_eq!(slots.len(), num as usize);
        // Blocks are contiguous and in input order.
        let order: Vec<usize> = slots.iter().map(|s| s.entry.unwrap()).collect();
        assert!(order.windows(2).all(|w| w[0] <= w[1]), "{order:?}");
        (0..weights.len())
            .map(|i| order.iter().filter(|&&e| e == i).count())
            .collect()
    }

    #[test]
    fn weighted_payloads_split_num_by_weight() {
        assert_eq!(counts(100, &[1, 1]), [50, 50]);
        assert_eq!(counts(100, &[1, 1, 1]), [33, 33, 34]);
        assert_eq!(counts(20, &[1, 1, 1]), [6, 6, 8]);
        assert_eq!(counts(10, &[1]), [10]);
        assert_eq!(counts(23, &[1, 1, 1, 1]), [5, 5, 5, 8]);
        assert_eq!(counts(54, &[1, 1, 1, 1, 1]), [10, 10, 10, 10, 14]);
        let mut expected = vec![1; 25];
        expected.push(5);
        assert_eq!(counts(30, &[1; 26]), expected);
        assert_eq!(counts(10, &[10, 30, 60]), [1, 3, 6]);
        assert_eq!(counts(100, &[5, 15, 30]), [10, 30, 60]);
    }

    #[test]
    fn weighted_payloads_fill_contiguous_blocks_in_order() {
        let value = json!([{"payload": "A", "weight": 10}, {"payload": "B", "weight": 30}, {"payload": "C", "weight": 60}]);
        let texts: String = generate(10, Some(&value))
            .unwrap()
            .iter()
            .map(|s| s.text.trim_matches('"').to_owned())
            .collect();
        assert_eq!(texts, "ABBBCCCCCC");
    }

    #[test]
    fn a_weight_share_below_one_invocation_is_an_error() {
        let err = generate(5, Some(&weighted(&[10, 60, 30]))).unwrap_err();
        assert_eq!(
            err,
            PayloadError::WeightTooSmall {
                index: 0,
                weight: 10.0,
                num: 5
            }
        );
        assert!(err.to_string().contains("raise \"num\""));
    }

    #[test]
    fn fewer_invocations_than_entries_is_an_error() {
        assert_eq!(
            generate(9, Some(&weighted(&[1; 10]))).unwrap_err(),
            PayloadError::TooFewInvocations {
                entries: 10,
                num: 9
            }
        );
        assert!(matches!(
            generate(5, Some(&weighted(&[1; 6]))),
            Err(PayloadError::TooFewInvocations { entries: 6, num: 5 })
        ));
    }

    #[test]
    fn plain_payloads_repeat_num_times() {
        let slots = generate(10, Some(&json!({"test": true}))).unwrap();
        assert_eq!(slots.len(), 10);
        assert!(
            slots
                .iter()
                .all(|s| s.text == r#"{"test":true}"# && s.entry.is_none())
        );
        let slots = generate(10, Some(&json!("just a string"))).unwrap();
        assert!(slots.iter().all(|s| s.text == r#""just a string""#));
        let slots = generate(10, Some(&json!({"key1": "value1", "key2": "value2"}))).unwrap();
        assert!(
            slots
                .iter()
                .all(|s| s.text == r#"{"key1":"value1","key2":"value2"}"#)
        );
    }

    #[test]
    fn non_weighted_arrays_are_sent_whole() {
        for value in [
            json!([]),
            json!([{}]),
            json!([1, 2, 3]),
            json!([{"weight": 1}]),
            json!([{"payload": {}, "weight": 1}, {"payload": {}}]),
            json!([{"payload": {}}]),
        ] {
            let slots = generate(10, Some(&value)).unwrap();
            let expected = value.to_string();
            assert_eq!(slots.len(), 10);
            assert!(slots.iter().all(|s| s.text == expected), "{value}");
        }
    }

    #[test]
    fn weighted_means_every_entry_has_weight_and_payload() {
        assert!(is_weighted(
            &json!([{"payload": {"data": "foo"}, "weight": 5}, {"payload": {"data": "bar"}, "weight": 10}])
        ));
        assert!(!is_weighted(&json!([{"weight": 5}, {"weight": 10}])));
        assert!(!is_weighted(&json!({"payload": 1, "weight": 1})));
        assert!(!is_weighted(&Value::Null));
        assert!(!is_weighted(&json!([])));
        assert!(!is_weighted(
            &json!([{"payload": 1, "weight": 1}, {"payload": 1}])
        ));
        assert!(!is_weighted(
            &json!([{"payload": 1, "weight": 1}, {"weight": 1}])
        ));
        assert!(!is_weighted(&json!([{"payload": 0, "weight": 1}])));
        assert!(!is_weighted(&json!([{"payload": 1, "weight": 0}])));
    }

    #[test]
    fn json_strings_are_sent_verbatim_and_the_rest_stringified() {
        assert_eq!(convert(&json!("test")), r#""test""#);
        assert_eq!(convert(&json!("")), r#""""#);
        assert_eq!(convert(&json!(" ")), r#"" ""#);
        for verbatim in [r#"{"test": true}"#, "[]", "true", "null", " 123 ", r#""x""#] {
            assert_eq!(convert(&json!(verbatim)), verbatim);
        }
        assert_eq!(convert(&Value::Null), "null");
        assert_eq!(convert(&json!({})), "{}");
        assert_eq!(convert(&json!({"test": true})), r#"{"test":true}"#);
        assert_eq!(convert(&json!([])), "[]");
        assert_eq!(convert(&json!([1, 2, 3])), "[1,2,3]");
        assert_eq!(convert(&json!(["ok", {}])), r#"["ok",{}]"#);
    }

    #[test]
    fn falsy_or_absent_payload_sends_null() {
        for value in [
            None,
            Some(json!("")),
            Some(json!(0)),
            Some(json!(false)),
            Some(Value::Null),
        ] {
            let slots = generate(3, value.as_ref()).unwrap();
            assert!(slots.iter().all(|s| s.text == "null"));
        }
    }

    #[test]
    fn key_order_is_preserved() {
        let value: Value = serde_json::from_str(r#"{"z": 1, "a": 2}"#).unwrap();
        assert_eq!(convert(&value), r#"{"z":1,"a":2}"#);
    }

    #[test]
    fn string_weights_are_refused() {
        let value = json!([{"payload": 1, "weight": "5"}]);
        assert!(matches!(
            generate(10, Some(&value)),
            Err(PayloadError::BadWeight { index: 0, .. })
        ));
    }

    #[test]
    fn interleaved_slots_keep_the_weights_in_every_prefix() {
        let payload = json!([{"payload": "a", "weight": 7}, {"payload": "b", "weight": 3}]);
        let slots = interleave(generate(10, Some(&payload)).unwrap());
        assert_eq!(slots.len(), 10);
        let entries: Vec<usize> = slots.iter().map(|s| s.entry.unwrap()).collect();
        for k in 1..=10 {
            let b = entries[..k].iter().filter(|&&e| e == 1).count() as f64;
            assert!((b - 0.3 * k as f64).abs() < 1.0, "prefix {k}: {entries:?}");
        }
        let plain = generate(4, Some(&json!({"x": 1}))).unwrap();
        assert_eq!(interleave(plain.clone()), plain);
    }
}
