//! Amounts of money and counts for people: `$41.20`, `$0.000005486`, `1,234,567`.

use crate::pricing::Currency;

/// An amount to the cent, with thousands separators: `$1,234.56`, `¥0.40`.
pub fn cents(amount: f64, currency: Currency) -> String {
    if !amount.is_finite() {
        return "–".into();
    }
    let cents = (amount.abs() * 100.0).round() as u64;
    let sign = if amount < 0.0 && cents > 0 { "-" } else { "" };
    format!(
        "{sign}{}{}.{:02}",
        currency.symbol(),
        thousands(cents / 100),
        cents % 100
    )
}

/// A small amount with four significant digits: `$0.000001234`, `¥0.0000113`.
pub fn significant(amount: f64, currency: Currency) -> String {
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

/// A whole number with thousands separators: `1,234,567`.
pub fn thousands(n: u64) -> String {
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
    fn cents_round_and_separate_thousands() {
        assert_eq!(cents(41.204, Currency::Usd), "$41.20");
        assert_eq!(cents(1_234.565_1, Currency::Usd), "$1,234.57");
        assert_eq!(cents(0.004, Currency::Cny), "¥0.00");
        assert_eq!(cents(-9.8, Currency::Usd), "-$9.80");
        assert_eq!(cents(f64::NAN, Currency::Usd), "–");
    }

    #[test]
    fn small_amounts_keep_four_significant_digits() {
        assert_eq!(significant(0.000_005_486_2, Currency::Usd), "$0.000005486");
        assert_eq!(significant(0.0, Currency::Cny), "¥0");
        assert_eq!(significant(12.345, Currency::Usd), "$12.35");
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(12_345_678), "12,345,678");
    }
}
