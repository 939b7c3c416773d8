//! Readers of single cells and of a sheet's preamble text in Meta's rate-card files: category
//! headers, currency codes, dates, pricing models, rates and message counts.

use super::{Bad, META_CURRENCIES};
use crate::model::{Category, PricingModel};
use crate::time::{parse_date, Date};
use rust_decimal::Decimal;
use std::str::FromStr;

/// The line and 1-based column (field number) of a quoted field that is never closed.
pub(super) fn unclosed_quote(text: &str) -> Option<(u64, usize)> {
    let mut line = 1u64;
    let mut field = 1usize;
    let mut in_quote = false;
    let mut open = (0, 0);
    let mut at_field_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quote {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                }
                '"' => in_quote = false,
                '\n' => line += 1,
                _ => {}
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                in_quote = true;
                open = (line, field);
            }
            ',' => {
                field += 1;
                at_field_start = true;
                continue;
            }
            '\n' => {
                line += 1;
                field = 1;
                at_field_start = true;
                continue;
            }
            '\r' => continue,
            _ => {}
        }
        at_field_start = false;
    }
    in_quote.then_some(open)
}

/// ASCII letters and digits only, lowercase, `&` read as `and`: how header cells and market names
/// are compared (case, spaces, dashes and line breaks do not matter). ASCII only: Meta's header
/// and market names are ASCII, and the Unicode case tables would cost the calculator's wasm.
pub(super) fn norm(s: &str) -> String {
    s.replace('&', "and")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The category a header cell names, if any.
pub(super) fn header_category(cell: &str) -> Option<Category> {
    let n = norm(cell);
    let n = n
        .strip_suffix("rate")
        .or_else(|| n.strip_suffix("conversation"))
        .or_else(|| n.strip_suffix("conversations"))
        .unwrap_or(&n);
    Some(match n {
        "marketing" => Category::Marketing,
        "utility" => Category::Utility,
        "authentication" | "auth" => Category::Authentication,
        "authenticationinternational" | "authinternational" | "authintl" | "authenticationintl" => {
            Category::AuthenticationInternational
        }
        "service" => Category::Service,
        "businessinitiated" => Category::BusinessInitiated,
        "userinitiated" => Category::UserInitiated,
        _ => return None,
    })
}

/// A currency cell or code: ISO codes and the signs Meta's files use (`$US`).
pub(super) fn currency_code(cell: &str) -> Option<String> {
    let c = cell.trim();
    let alias = match c.to_ascii_uppercase().as_str() {
        "$US" | "US$" | "$" => "USD",
        "A$" | "AU$" => "AUD",
        "£" | "GBD" => "GBP",
        "€" => "EUR",
        "₹" | "RS" | "RS." => "INR",
        "RP" => "IDR",
        "R$" => "BRL",
        "MX$" => "MXN",
        "S$" => "SGD",
        "RM" => "MYR",
        "S/" | "S/." => "PEN",
        other => {
            return (other.len() == 3 && other.bytes().all(|b| b.is_ascii_uppercase()))
                .then(|| other.to_string())
        }
    };
    Some(alias.to_string())
}

pub(super) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

pub(super) fn month_of(word: &str) -> Option<u32> {
    let w = word.to_ascii_lowercase();
    let w = w.trim_end_matches('.');
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(w))
        .map(|i| i as u32 + 1)
}

/// The effective date a preamble states: the first date after the word "effective" (or "from",
/// "as of"), written `June 1, 2023`, `1 June 2023` or `2023-06-01`.
pub(super) fn preamble_date(text: &str) -> Option<Date> {
    let lower = text.to_ascii_lowercase();
    let start = ["effective", "applicable from", "valid from", "as of"]
        .iter()
        .filter_map(|k| lower.find(k).map(|i| i + k.len()))
        .min()?;
    let words: Vec<&str> = text[start..]
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .take(6)
        .collect();
    for (i, w) in words.iter().enumerate() {
        if let Ok(d) = parse_date(w.trim_end_matches(['.', ')']), "") {
            return Some(d);
        }
        let num = |s: &str| {
            s.trim_end_matches(['.', ')', 's', 't', 'h', 'n', 'd', 'r'])
                .parse::<u32>()
                .ok()
        };
        if let (Some(m), Some(d), Some(y)) = (
            month_of(w),
            words.get(i + 1).and_then(|s| num(s)),
            words.get(i + 2).and_then(|s| num(s)),
        ) {
            return Date::from_ymd_opt(y as i32, m, d);
        }
        if let (Some(d), Some(m), Some(y)) = (
            num(w),
            words.get(i + 1).and_then(|s| month_of(s)),
            words.get(i + 2).and_then(|s| num(s)),
        ) {
            return Date::from_ymd_opt(y as i32, m, d);
        }
    }
    None
}

/// The currency a preamble states (`Cost per message in BRL`).
pub(super) fn preamble_currency(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(2).find_map(|w| {
        (w[0].eq_ignore_ascii_case("in") && META_CURRENCIES.contains(&w[1]))
            .then(|| w[1].to_string())
    })
}

/// The pricing model a preamble states.
pub(super) fn preamble_model(text: &str) -> Option<PricingModel> {
    let n = norm(text);
    if n.contains("perconversation") {
        Some(PricingModel::Cbp)
    } else if n.contains("permessage") {
        Some(PricingModel::Pmp)
    } else {
        None
    }
}

/// A rate cell: `None` for `n/a`, empty or a dash (no rate).
pub(super) fn rate_cell(cell: &str) -> std::result::Result<Option<Decimal>, (Bad, String)> {
    let c = cell.trim();
    let lower = c.to_ascii_lowercase();
    if c.is_empty() || matches!(lower.as_str(), "n/a" | "na" | "-" | "--" | "—") {
        return Ok(None);
    }
    let digits: String = c
        .trim_start_matches(|ch: char| !(ch.is_ascii_digit() || ch == '.' || ch == '-'))
        .trim()
        .to_string();
    // A comma is a thousands separator only between groups of three digits (`1,940.13`).
    let plain = if digits.contains(',') {
        let int = digits.split('.').next().unwrap_or("");
        let groups: Vec<&str> = int.split(',').collect();
        if groups[1..].iter().all(|g| g.len() == 3) && !groups[0].is_empty() {
            digits.replace(',', "")
        } else {
            return Err((
                Bad::InvalidRate,
                format!("invalid rate {c:?}: expected a decimal number or n/a"),
            ));
        }
    } else {
        digits
    };
    match Decimal::from_str(&plain) {
        Ok(d) if d.is_sign_negative() && !d.is_zero() => {
            Err((Bad::NegativeRate, format!("negative rate {c:?}")))
        }
        Ok(d) => Ok(Some(d)),
        Err(_) => Err((
            Bad::InvalidRate,
            format!("invalid rate {c:?}: expected a decimal number or n/a"),
        )),
    }
}

/// A message-count cell of a tier file (`100,000`); `None` for `--`, `n/a` or empty (no bound).
pub(super) fn count_cell(cell: &str) -> std::result::Result<Option<u64>, (Bad, String)> {
    let c = cell.trim();
    let lower = c.to_ascii_lowercase();
    if c.is_empty() || matches!(lower.as_str(), "n/a" | "na" | "-" | "--" | "—") {
        return Ok(None);
    }
    let plain: String = c
        .trim_end_matches('+')
        .chars()
        .filter(|ch| !matches!(ch, ',' | '_' | ' '))
        .collect();
    plain
        .parse::<u64>()
        .map(Some)
        .map_err(|_| (Bad::InvalidCount, format!("invalid message count {c:?}")))
}
