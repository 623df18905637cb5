//! Number formatting for people: durations, costs and percentages.

use powertune_tuner::pricing::Currency;

/// A duration in ms with sensible precision (`0.42 ms`, `12.3 ms`, `1,234 ms`).
pub fn duration_ms(ms: f64) -> String {
    if !ms.is_finite() {
        return "–".into();
    }
    if ms < 1.0 {
        format!("{ms:.2} ms")
    } else if ms < 100.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{} ms", thousands(ms.round() as u64))
    }
}

/// A cost with four significant digits and its currency (`$0.000001234`, `¥0.0000113`).
pub fn cost(amount: f64, currency: Currency) -> String {
    let symbol = currency.symbol();
    if !amount.is_finite() {
        return "–".into();
    }
    if amount == 0.0 {
        return format!("{symbol}0");
    }
    let digits = (4 - 1 - amount.abs().log10().floor() as i32).max(0) as usize;
    format!("{symbol}{amount:.digits$}")
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration_ms(0.4213), "0.42 ms");
        assert_eq!(duration_ms(12.34), "12.3 ms");
        assert_eq!(duration_ms(37002.398), "37,002 ms");
        assert_eq!(duration_ms(f64::NAN), "–");
    }

    #[test]
    fn costs() {
        assert_eq!(cost(7.7168e-5, Currency::Usd), "$0.00007717");
        assert_eq!(cost(1.5, Currency::Usd), "$1.500");
        assert_eq!(cost(0.0, Currency::Cny), "¥0");
        assert_eq!(cost(1234.5, Currency::Usd), "$1234");
    }
}
