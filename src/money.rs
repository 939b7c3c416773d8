//! Money: `rust_decimal::Decimal` end to end, and the one rounding rule of the project.
//!
//! **The rounding rule.** The engine never rounds (SPEC §13.17): every amount and total is the
//! exact sum of published rates. Rounding happens only where a person reads an amount as money to
//! pay — quote lines and quote totals — and only through [`round_money`]: to the currency's minor
//! unit (ISO 4217: 2 decimals for most, 0 for CLP, JPY and the like, 3 for KWD and the like), half away from zero
//! ("commercial rounding"). A quote rounds each line, and its total is the sum of the rounded
//! lines, so the lines always add up to the total.

use rust_decimal::{Decimal, RoundingStrategy};

/// Formats an exact amount: no exponent, no trailing zeros, `"0"` for zero.
pub fn to_string(d: Decimal) -> String {
    let n = d.normalize();
    if n.is_zero() {
        "0".to_string()
    } else {
        n.to_string()
    }
}

/// Decimal places of the minor unit of a currency (ISO 4217).
pub fn minor_unit(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// The project's one rounding rule: to the currency's minor unit, half away from zero.
pub fn round_money(amount: Decimal, currency: &str) -> Decimal {
    amount.round_dp_with_strategy(minor_unit(currency), RoundingStrategy::MidpointAwayFromZero)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn formats_exactly() {
        assert_eq!(to_string(d("530.0000")), "530");
        assert_eq!(to_string(d("0.00")), "0");
        assert_eq!(to_string(d("-0.0")), "0");
        assert_eq!(to_string(d("0.0036")), "0.0036");
    }

    #[test]
    fn rounds_half_away_from_zero_to_minor_unit() {
        assert_eq!(round_money(d("1.005"), "USD"), d("1.01"));
        assert_eq!(round_money(d("1.004999"), "USD"), d("1.00"));
        assert_eq!(round_money(d("-1.005"), "EUR"), d("-1.01"));
        assert_eq!(round_money(d("1234.5"), "CLP"), d("1235"));
        assert_eq!(round_money(d("0.0005"), "KWD"), d("0.001"));
    }
}
