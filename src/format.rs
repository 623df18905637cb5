//! Number formatting for people: durations, costs and percentages.

use powertune_tuner::{money, pricing::Currency, stats::confidence::Interval};

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
        format!("{} ms", money::thousands(ms.round() as u64))
    }
}

/// A cost with four significant digits and its currency (`$0.000001234`, `¥0.0000113`).
pub fn cost(amount: f64, currency: Currency) -> String {
    money::significant(amount, currency)
}

/// A 95 % interval as a margin around its midpoint (`±3.1 %`).
pub fn margin(interval: Interval) -> String {
    format!("±{:.1} %", interval.relative_half_width() * 100.0)
}

/// A domain finding ("512 and 640 MB are within noise…") as a sentence: capital first letter,
/// full stop.
pub fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        // ASCII only: `char::to_uppercase`'s Unicode tables are some 12 KB of the page's
        // download, and every finding starts with an ASCII letter or digit.
        Some(first) => format!("{}{}.", first.to_ascii_uppercase(), chars.as_str()),
        None => String::new(),
    }
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
    fn sentences() {
        assert_eq!(sentence("512 MB is cheaper"), "512 MB is cheaper.");
        assert_eq!(
            sentence("adaptive sampling made 9"),
            "Adaptive sampling made 9."
        );
        assert_eq!(sentence(""), "");
    }

    #[test]
    fn margins() {
        let i = Interval {
            low: 97.0,
            high: 103.2,
        };
        assert_eq!(margin(i), "±3.1 %");
    }

    #[test]
    fn costs() {
        assert_eq!(cost(7.7168e-5, Currency::Usd), "$0.00007717");
        assert_eq!(cost(1.5, Currency::Usd), "$1.500");
        assert_eq!(cost(0.0, Currency::Cny), "¥0");
        assert_eq!(cost(1234.5, Currency::Usd), "$1234");
    }
}
