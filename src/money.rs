//! Money: `rust_decimal::Decimal` end to end, and the one rounding rule of the project.
//!
//! **The rounding rule.** The engine never rounds (SPEC §13.17): every amount and total is the
//! exact sum of published rates. Rounding happens only where a person reads an amount as money to
//! pay — quote lines and quote totals — and only through [`round_money`]: to the currency's minor
//! unit (ISO 4217: 2 decimals for most, 0 for CLP, JPY and the like, 3 for KWD and the like), half away from zero
//! ("commercial rounding"). A quote rounds each line, and its total is the sum of the rounded
//! lines, so the lines always add up to the total. Figures shown beside exact amounts (average
//! rates, unit prices) round through [`round_shown`], which names its strategy (half to even).
//!
//! Arithmetic on money is checked: [`add`], [`sub`], [`mul`], [`div`] and [`sum`] return an
//! `overflow` error instead of panicking.

use crate::error::{Error, ErrorCode, Result};
use rust_decimal::{Decimal, RoundingStrategy};

/// The error of an amount beyond the range of `Decimal` (about 7.9 × 10^28).
#[cold]
pub fn overflow() -> Error {
    Error::coded(
        ErrorCode::Overflow,
        "decimal_range",
        "",
        "an amount exceeds the decimal range of the engine",
    )
}

/// `a + b`, or an `overflow` error. Every addition of amounts goes through this one function,
/// kept out of line in the calculator's WebAssembly (size budget) so that rust_decimal's addition
/// is compiled once there rather than at every call; inlined elsewhere (native, and the log
/// package, which is built for speed).
#[cfg_attr(all(target_arch = "wasm32", not(feature = "logs-wasm")), inline(never))]
#[cfg_attr(not(all(target_arch = "wasm32", not(feature = "logs-wasm"))), inline)]
pub fn add(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_add(b).ok_or_else(overflow)
}

/// `*a += b`, or an `overflow` error.
#[inline(never)]
pub fn add_to(a: &mut Decimal, b: Decimal) -> Result<()> {
    *a = add(*a, b)?;
    Ok(())
}

/// `a − b`, or an `overflow` error (out of line in the calculator's WebAssembly, as [`add`]).
#[cfg_attr(all(target_arch = "wasm32", not(feature = "logs-wasm")), inline(never))]
#[cfg_attr(not(all(target_arch = "wasm32", not(feature = "logs-wasm"))), inline)]
pub fn sub(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_sub(b).ok_or_else(overflow)
}

/// `a × b`, or an `overflow` error.
#[inline(never)]
pub fn mul(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_mul(b).ok_or_else(overflow)
}

/// `a ÷ b` for `b ≠ 0` (callers check), or an `overflow` error (also for `b = 0`).
#[cfg_attr(all(target_arch = "wasm32", not(feature = "logs-wasm")), inline(never))]
#[cfg_attr(not(all(target_arch = "wasm32", not(feature = "logs-wasm"))), inline)]
pub fn div(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_div(b).ok_or_else(overflow)
}

/// The sum of amounts, or an `overflow` error.
pub fn sum(amounts: impl IntoIterator<Item = Decimal>) -> Result<Decimal> {
    amounts.into_iter().try_fold(Decimal::ZERO, add)
}

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

/// Rounds an amount to pay **up** to the currency's minor unit (away from zero): a prepaid top-up
/// that must cover a traffic figure (never a charge, which [`round_money`] rounds).
pub fn round_money_up(amount: Decimal, currency: &str) -> Decimal {
    amount.round_dp_with_strategy(minor_unit(currency), RoundingStrategy::AwayFromZero)
}

/// Rounds a figure that is shown but not paid — an average rate, a journey's share, a unit price
/// or a count of points on a line whose amount stays exact — to `dp` decimal places, **half to
/// even** (banker's rounding). Amounts to pay go through [`round_money`] instead.
pub fn round_shown(figure: Decimal, dp: u32) -> Decimal {
    figure.round_dp_with_strategy(dp, RoundingStrategy::MidpointNearestEven)
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

    #[test]
    fn shown_figures_round_half_to_even() {
        assert_eq!(round_shown(d("0.00125"), 4), d("0.0012"));
        assert_eq!(round_shown(d("0.00135"), 4), d("0.0014"));
        assert_eq!(round_shown(d("-0.00125"), 4), d("-0.0012"));
        assert_eq!(round_shown(d("2.5"), 0), d("2"));
    }

    #[test]
    fn checked_arithmetic_reports_overflow() {
        assert_eq!(
            add(Decimal::MAX, Decimal::ONE).unwrap_err().code,
            ErrorCode::Overflow
        );
        assert_eq!(
            mul(Decimal::MAX, d("2")).unwrap_err().code,
            ErrorCode::Overflow
        );
        assert_eq!(
            div(Decimal::ONE, Decimal::ZERO).unwrap_err().code,
            ErrorCode::Overflow
        );
        assert_eq!(sum([d("1.5"), d("2.25")]).unwrap(), d("3.75"));
        assert_eq!(sub(d("1"), d("3")).unwrap(), d("-2"));
    }
}
