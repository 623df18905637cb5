//! The original tool's trimmed mean (`utils.js` `computeAverageDuration`, see
//! `docs/original-behaviour.md`), reproduced bit for bit: the discard count is
//! `parseInt(len × fraction, 10)` (so `10 × 0.29` discards 2 and `5 × 1e-8` discards 5, because
//! JavaScript prints that product as `"5e-8"`), the list is sorted ascending and the kept middle
//! is summed left to right. A leaf: the statistics and their intervals both build on it.

/// What `parseInt(x, 10)` gives for a JavaScript number `x`: JavaScript first prints the number
/// (in exponent form below 1e-6 and from 1e21 on) and then reads its leading digits.
pub fn js_parse_int(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return if x.is_nan() || x.is_infinite() {
            f64::NAN
        } else {
            0.0
        };
    }
    let magnitude = x.abs();
    if (1e-6..1e21).contains(&magnitude) {
        return x.trunc();
    }
    // Exponent form: the digits before '.' or 'e' of the shortest representation ("5e-8" → 5,
    // "1.5e-7" → 1, "1e+21" → 1).
    let printed = format!("{magnitude:e}");
    let digits: String = printed.chars().take_while(char::is_ascii_digit).collect();
    digits.parse::<f64>().unwrap_or(f64::NAN).copysign(x)
}

/// How many values the trimmed mean drops at each end.
pub fn discard_count(len: usize, fraction: f64) -> usize {
    let k = js_parse_int(len as f64 * fraction);
    if k.is_nan() || k <= 0.0 {
        0
    } else {
        k as usize
    }
}

/// The original tool's trimmed mean (`computeAverageDuration`); 0 for no values.
pub fn trimmed_mean(values: &[f64], fraction: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let k = discard_count(sorted.len(), fraction);
    // Like JavaScript's `slice(k, len - k)`: empty when the ends overlap (the 1e-8 quirk).
    let kept = if 2 * k >= sorted.len() {
        &[][..]
    } else {
        &sorted[k..sorted.len() - k]
    };
    let sum = kept.iter().fold(0.0, |acc, v| acc + v);
    sum / (sorted.len() as f64 - 2.0 * k as f64)
}
