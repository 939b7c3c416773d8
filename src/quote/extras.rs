//! The parts of a quote beyond its lines (issue 21): the terms (validity, the cards used, Meta's
//! pass-through of quarterly rate changes, the data notices, payment terms), the FX rate and its
//! source, a prepaid wallet's top-up and card fee, and the marketing max-price ceiling. Each
//! sentence is a [`Note`]: a stable code, its values as parameters, and the English message.

use super::{checked_sum, parse, QuoteLine, QuoteMeta};
use crate::error::{Error, ErrorCode, Result};
use crate::estimate::Estimate;
use crate::money::{round_money, round_money_up, to_string as m2s};
use crate::scenario::{money, percent};
use crate::time::{format_date, parse_date, Date};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;

/// A prepaid wallet: the top-up suggested for `days` of traffic, and the card or gateway fee.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Wallet {
    /// Days of traffic the top-up covers (1 to 366).
    pub days: f64,
    /// The smallest top-up accepted (decimal string, quote currency; default 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum_top_up: Option<String>,
    /// Card or gateway fee, percent of the top-up (0 to 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card_fee_percent: Option<f64>,
}

/// Meta's marketing max price (SPEC §15): a bid per 1,000 delivered marketing messages.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MaxPrice {
    /// The bid per 1,000 delivered marketing messages (decimal string).
    pub per_thousand: String,
    /// The bid's currency: the account's billing currency, one of the six Meta allows.
    pub currency: String,
    /// Per-market multipliers of the bid, above 0 and at most 1 (Meta lets a bid be lowered per
    /// country), keyed by the market as the estimate names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multipliers: Option<BTreeMap<String, f64>>,
}

/// A parameter of a note: text (amounts as decimal strings, dates `YYYY-MM-DD`) or a count.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Param {
    /// Text.
    S(String),
    /// A count.
    N(u64),
}

/// The parameters of a note, a flat object.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params(pub Vec<(&'static str, Param)>);

impl Serialize for Params {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// A notice's value as a note's: counts stay numbers, the rest is the text the JSON carries.
fn notice_param(v: &crate::messages::Value) -> Param {
    use crate::messages::Value as V;
    match v {
        V::Count(n) | V::Limit(Some(n)) => Param::N(*n),
        V::Limit(None) => Param::S("unlimited".to_string()),
        V::Money(d) | V::Number(d) => Param::S(crate::money::to_string(*d)),
        V::Date(d) => Param::S(format_date(*d)),
        V::Market(t) | V::Country(t) | V::Currency(t) | V::Text(t) => Param::S(t.clone()),
        V::Category(c) => Param::S(c.as_str().to_string()),
        V::Term(t) | V::Code(t) => Param::S((*t).to_string()),
    }
}

/// A sentence of the quote: a stable code, its values, and the English message.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Note {
    /// Stable snake_case code.
    pub code: &'static str,
    /// The values the message names.
    pub params: Params,
    /// The message in English.
    pub message: String,
}

impl Note {
    fn new(code: &'static str, params: Vec<(&'static str, Param)>, message: String) -> Note {
        Note {
            code,
            params: Params(params),
            message,
        }
    }

    /// A value of the note, as text (tests and callers that read one).
    pub fn param(&self, key: &str) -> Option<String> {
        self.params
            .0
            .iter()
            .find(|p| p.0 == key)
            .map(|p| match &p.1 {
                Param::S(s) => s.clone(),
                Param::N(n) => n.to_string(),
            })
    }
}

fn s(v: impl Into<String>) -> Param {
    Param::S(v.into())
}

/// The FX rate of a quote in a currency other than the billing one, and where it comes from.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Fx {
    /// The billing currency (Meta's).
    pub from: String,
    /// The quote currency.
    pub to: String,
    /// Units of `to` per unit of `from`, margin included.
    pub rate: String,
    /// Where the rate comes from, as the seller wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The prepaid wallet of a quote, in the quote currency.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct WalletPlan {
    /// Days of traffic.
    pub days: u64,
    /// Days in the estimated month.
    pub days_in_month: u64,
    /// The monthly total the top-up is taken from (taxes included when given).
    pub monthly_total: String,
    /// Monthly total × days / days in the month, exact.
    pub exact: String,
    /// The smallest top-up accepted.
    pub minimum_top_up: String,
    /// The suggested top-up: the exact figure rounded up to the minor unit, at least the minimum.
    pub top_up: String,
    /// The card or gateway fee on the top-up (kind `fee`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fee: Option<QuoteLine>,
    /// Top-up plus fee.
    pub payable: String,
    /// How the top-up was found and rounded.
    pub notes: Vec<Note>,
}

/// The ceiling of one market's marketing messages under a max price.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CeilingLine {
    /// Market.
    pub market: String,
    /// Charged marketing messages.
    pub messages: String,
    /// The rate-card price per message (what the estimate charges).
    pub rate: Option<String>,
    /// The estimate's amount at the rate card.
    pub rate_amount: String,
    /// The ceiling per message: bid / 1,000 × the market's multiplier.
    pub ceiling: String,
    /// Messages × ceiling, rounded: at most this is charged under the bid.
    pub ceiling_amount: String,
    /// The ceiling is above the rate-card price.
    pub above_rate: bool,
}

/// The marketing max price of a quote: ceilings beside the rate-card price, never the charge.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MaxPricePlan {
    /// The bid's currency (the billing currency).
    pub currency: String,
    /// The bid per 1,000 delivered marketing messages.
    pub per_thousand: String,
    /// One line per market with marketing messages.
    pub lines: Vec<CeilingLine>,
    /// The sum of the ceiling amounts.
    pub ceiling_total: String,
    /// The sum of the amounts at the rate card.
    pub rate_total: String,
    /// What the ceiling means.
    pub note: Note,
}

/// Meta's currencies for max price (SPEC §15: accounts billed in USD, EUR, GBP, AUD, MXN, BRL).
pub const MAX_PRICE_CURRENCIES: [&str; 6] = ["USD", "EUR", "GBP", "AUD", "MXN", "BRL"];

/// An error of the quote's options with its reason (`src/reasons.rs`, SCENARIO) and the input
/// `value` its message names.
#[inline(never)]
fn invalid(
    code: ErrorCode,
    reason: &'static str,
    path: &str,
    value: &str,
    message: String,
) -> Error {
    Error::coded(code, reason, path, message).value(value)
}

/// Free text of the quote, trimmed; empty is absent; longer than `max` characters is an error.
#[inline(never)]
pub(super) fn text<'a>(v: Option<&'a str>, max: usize, path: &str) -> Result<Option<&'a str>> {
    match v.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) if t.chars().count() > max => {
            let n = t.chars().count();
            Err(crate::scenario::over_limit(
                "text_too_long",
                path,
                n as u64,
                max as u64,
                format!("a text of {n} characters exceeds the limit of {max}"),
            ))
        }
        other => Ok(other),
    }
}

/// The last day of validity: `validUntil` when given (not before `issued`), else `validDays`
/// days from `issued` (default 30).
#[inline(never)]
pub(super) fn valid_until(meta: &QuoteMeta, issued: Date) -> Result<Date> {
    if let Some(v) = &meta.valid_until {
        let d = parse_date(v, "meta.validUntil")?;
        if d < issued {
            return Err(invalid(
                ErrorCode::InvalidOption,
                "valid_until_before_issue",
                "meta.validUntil",
                v,
                format!(
                    "invalid validUntil {v:?}: before the issue date {}",
                    format_date(issued)
                ),
            )
            .with("date", crate::messages::Value::Date(issued)));
        }
        return Ok(d);
    }
    let days = match meta.valid_days {
        Some(v) => crate::input::count(v, 1, 3650, "meta.validDays", "validity in days")?,
        None => 30,
    };
    Ok(issued + chrono::Duration::days(days as i64 - 1))
}

/// The terms: validity, the cards used, Meta's pass-through of rate changes (SPEC §15, "rates
/// beyond the data": Meta changes rates only on the first day of a quarter), the data notices of
/// the estimate that apply, and the payment terms.
#[inline(never)]
pub(super) fn terms(
    meta: &QuoteMeta,
    est: &Estimate,
    issued: Date,
    until: Date,
) -> Result<Vec<Note>> {
    let mut out = Vec::new();
    let until = format_date(until);
    out.push(Note::new(
        "quote_valid_until",
        vec![("date", s(until.as_str()))],
        format!("This quote is valid until {until}."),
    ));
    for c in &est.cards {
        let model = c.pricing_model_name();
        let mut params = vec![
            ("currency", s(c.currency.as_str())),
            ("date", s(c.date.as_str())),
            ("model", s(model)),
        ];
        out.push(match loaded_file(&c.sources) {
            Some((name, sha)) => {
                let message = format!(
                    "Rates: Meta's {} {model} rate card of {} from the file \"{name}\" (SHA-256 {sha}).",
                    c.currency, c.date
                );
                params.push(("file", s(name)));
                params.push(("sha256", s(sha)));
                Note::new("quote_card_file", params, message)
            }
            None => {
                let message = format!(
                    "Rates: Meta's {} {model} rate card of {}, embedded in the calculator (sources {}, confidence {}).",
                    c.currency,
                    c.date,
                    if c.sources.is_empty() { "n/a" } else { &c.sources },
                    c.confidence
                );
                params.push(("sources", s(c.sources.as_str())));
                params.push(("confidence", s(c.confidence.as_str())));
                Note::new("quote_card_embedded", params, message)
            }
        });
    }
    let next = format_date(crate::notices::next_quarter_start(issued));
    out.push(Note::new(
        "quote_pass_through",
        vec![("next", s(next.as_str()))],
        format!("Meta's fees are passed through at the rates in force on the delivery date; Meta may change rates on the first day of each quarter (next: {next})."),
    ));
    for w in &est.warnings {
        if let Some(code) = ["card_not_verified", "card_behind", "billing_currency_rule"]
            .into_iter()
            .find(|c| *c == w.code)
        {
            // The notice's own values, so the page writes it from its `msg.` template.
            let params = w
                .params
                .0
                .iter()
                .map(|(k, v)| (*k, notice_param(v)))
                .collect();
            out.push(Note::new(code, params, w.message()));
        }
    }
    if let Some(t) = text(meta.payment_terms.as_deref(), 2000, "meta.paymentTerms")? {
        out.push(Note::new(
            "quote_payment_terms",
            vec![("text", s(t))],
            format!("Payment terms: {t}"),
        ));
    }
    Ok(out)
}

/// A card read from one of Meta's files loaded by the user carries, as its sources, the name the
/// page gives the card reader (its `name` option): `<file name> (SHA-256 <prefix>)`. Log reports
/// name their files with it too (`crate::logs`).
pub(crate) fn loaded_file(sources: &str) -> Option<(&str, &str)> {
    let (name, sha) = sources.strip_suffix(')')?.rsplit_once('(')?;
    let sha = sha.strip_prefix("SHA-256 ")?;
    (!sha.is_empty() && sha.bytes().all(|b| b.is_ascii_hexdigit()))
        .then_some((name.trim_end(), sha))
}

/// The FX rate of a quote in another currency than the billing one; `fxSource` without a quote
/// currency is an error (there is no rate to source).
#[inline(never)]
pub(super) fn fx(meta: &QuoteMeta, est: &Estimate) -> Result<Option<Fx>> {
    let source = text(meta.fx_source.as_deref(), 200, "meta.fxSource")?;
    match &est.quote {
        Some(q) => Ok(Some(Fx {
            from: est.currency.clone(),
            to: q.currency.clone(),
            rate: q.fx_rate.clone(),
            source: source.map(str::to_string),
        })),
        None if source.is_some() => {
            let source = source.unwrap_or_default();
            Err(invalid(
                ErrorCode::InvalidOption,
                "fx_source_without_quote",
                "meta.fxSource",
                source,
                format!(
                    "an fx source {source:?} needs a quote currency (reseller.quoteCurrency), and the scenario has none"
                ),
            ))
        }
        None => Ok(None),
    }
}

/// Days in the month `YYYY-MM` of an estimate.
fn days_in_month(month: &str) -> Result<u64> {
    use chrono::Datelike;
    let first = parse_date(&format!("{month}-01"), "month")?;
    let (y, m) = (first.year(), first.month());
    let next = if m == 12 {
        crate::time::ymd(y + 1, 1, 1)
    } else {
        crate::time::ymd(y, m + 1, 1)
    };
    Ok((next - first).num_days().unsigned_abs())
}

/// The prepaid wallet: the top-up for `days` of the monthly `total` (quote currency), rounded
/// up to the minor unit and to at least the minimum top-up, with the card or gateway fee on it
/// as a `fee` line (rounded by the project's rule).
#[inline(never)]
pub(super) fn wallet(
    meta: &QuoteMeta,
    est: &Estimate,
    total: Decimal,
    currency: &str,
) -> Result<Option<WalletPlan>> {
    let Some(w) = &meta.wallet else {
        return Ok(None);
    };
    let days = crate::input::count(w.days, 1, 366, "meta.wallet.days", "days of traffic")?;
    let minimum = match &w.minimum_top_up {
        Some(m) => money(m, "meta.wallet.minimumTopUp")?,
        None => Decimal::ZERO,
    };
    let dim = days_in_month(&est.month)?;
    let exact = crate::money::div(
        crate::money::mul(total, Decimal::from(days))?,
        Decimal::from(dim),
    )?;
    let up = round_money_up(exact, currency);
    let top_up = up.max(minimum);
    let (d, n) = (Param::N(days), Param::N(dim));
    let mut notes = vec![Note::new(
        "wallet_top_up",
        vec![
            ("days", d),
            ("daysInMonth", n),
            ("monthlyTotal", s(m2s(total))),
            ("exact", s(m2s(exact))),
            ("rounded", s(m2s(up))),
            ("currency", s(currency)),
        ],
        format!(
            "Suggested top-up for {days} days of traffic: {} {currency} a month × {days} / {dim} days = {} {currency}, rounded up to the {currency} minor unit: {} {currency}.",
            m2s(total), m2s(exact), m2s(up)
        ),
    )];
    if minimum > up {
        notes.push(Note::new(
            "wallet_minimum_top_up",
            vec![("minimum", s(m2s(minimum))), ("currency", s(currency))],
            format!(
                "Raised to the minimum top-up of {} {currency}.",
                m2s(minimum)
            ),
        ));
    }
    let fee = match w.card_fee_percent {
        Some(p) => {
            let f = percent(p, 100.0, "meta.wallet.cardFeePercent")?;
            let pct = m2s(crate::money::mul(f, Decimal::ONE_HUNDRED)?);
            Some(QuoteLine {
                label: format!("Card or gateway fee {pct}% on the top-up"),
                quantity: m2s(top_up),
                unit_price: m2s(f),
                amount: m2s(round_money(crate::money::mul(top_up, f)?, currency)),
                kind: "fee",
                category: None,
                market: None,
                markets: Vec::new(),
            })
        }
        None => None,
    };
    let payable = match &fee {
        Some(l) => crate::money::add(top_up, parse(&l.amount)?)?,
        None => top_up,
    };
    Ok(Some(WalletPlan {
        days,
        days_in_month: dim,
        monthly_total: m2s(total),
        exact: m2s(exact),
        minimum_top_up: m2s(minimum),
        top_up: m2s(top_up),
        fee,
        payable: m2s(payable),
        notes,
    }))
}

/// The marketing max price (SPEC §15): per market with marketing messages, the ceiling of the
/// bid (per 1,000 delivered, lowered by the market's multiplier) beside the rate-card price. Meta
/// charges at most the bid; the price itself is not known in advance, so the estimate's charge
/// stays at the rate card and the ceiling is shown as a ceiling only. Only in the six currencies
/// Meta allows, and in the billing currency (the bid is set on the account).
#[inline(never)]
pub(super) fn max_price(
    meta: &QuoteMeta,
    est: &Estimate,
    engine: &crate::Engine,
) -> Result<Option<MaxPricePlan>> {
    let Some(m) = &meta.max_price else {
        return Ok(None);
    };
    let bid = crate::scenario::above_zero(
        &m.per_thousand,
        "meta.maxPrice.perThousand",
        &format!(
            "invalid perThousand {:?}: a bid must be above 0",
            m.per_thousand
        ),
    )?;
    let cur = m.currency.trim();
    if !MAX_PRICE_CURRENCIES.contains(&cur) {
        return Err(invalid(
            ErrorCode::InvalidOption,
            "max_price_currency",
            "meta.maxPrice.currency",
            cur,
            format!("invalid max price currency {cur:?}: meta offers max price only to accounts billed in USD, EUR, GBP, AUD, MXN or BRL"),
        ));
    }
    if cur != est.currency {
        return Err(invalid(
            ErrorCode::InvalidOption,
            "max_price_not_billing",
            "meta.maxPrice.currency",
            cur,
            format!("invalid max price currency {cur:?}: the bid is in the account's billing currency, {}", est.currency),
        )
        .with("currency", crate::messages::Value::Currency(est.currency.clone())));
    }
    let mults = m.multipliers.clone().unwrap_or_default();
    for (k, v) in &mults {
        if engine.markets.id(k).is_none() {
            return Err(invalid(
                ErrorCode::InvalidOption,
                "multiplier_market",
                &format!("meta.maxPrice.multipliers.{k}"),
                k,
                format!("unknown market {k:?}: a multiplier is keyed by a market name as the estimate shows it"),
            ));
        }
        if !v.is_finite() || *v <= 0.0 || *v > 1.0 {
            let shown = crate::error::show_f64(*v);
            return Err(invalid(
                ErrorCode::InvalidInput,
                "multiplier_out_of_range",
                &format!("meta.maxPrice.multipliers.{k}"),
                &shown,
                format!("invalid multiplier {shown}: expected above 0 and at most 1 (a bid is only lowered per country)"),
            ));
        }
    }
    let per_message = crate::money::div(bid, Decimal::ONE_THOUSAND)?;
    let mut lines = Vec::new();
    for l in est.meta.lines.iter().filter(|l| l.category == "marketing") {
        let messages = parse(&l.charged)?;
        if messages.is_zero() {
            continue;
        }
        let mult = match mults.get(&l.market) {
            Some(v) => percent(*v * 100.0, 100.0, "meta.maxPrice.multipliers")?,
            None => Decimal::ONE,
        };
        let ceiling = crate::money::mul(per_message, mult)?;
        let rate = l.rate.as_deref().map(parse).transpose()?;
        lines.push(CeilingLine {
            market: l.market.clone(),
            messages: l.charged.clone(),
            rate: l.rate.clone(),
            rate_amount: l.amount.clone(),
            ceiling: m2s(ceiling),
            ceiling_amount: m2s(round_money(crate::money::mul(messages, ceiling)?, cur)),
            above_rate: rate.is_some_and(|r| ceiling > r),
        });
    }
    let ceiling_total = checked_sum(&mut lines.iter().map(|l| l.ceiling_amount.as_str()))?;
    let rate_total = checked_sum(&mut lines.iter().map(|l| l.rate_amount.as_str()))?;
    let per = m2s(bid);
    Ok(Some(MaxPricePlan {
        currency: cur.to_string(),
        per_thousand: per.clone(),
        lines,
        ceiling_total: m2s(ceiling_total),
        rate_total: m2s(round_money(rate_total, cur)),
        note: Note::new(
            "max_price_ceiling",
            vec![("perThousand", s(per.as_str())), ("currency", s(cur))],
            format!("Marketing max price: a bid of {per} {cur} per 1,000 delivered marketing messages. Meta charges at most the bid, so these figures are ceilings, not the price charged; the charges above are at the rate card."),
        ),
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_loaded_file_is_named_by_its_sources() {
        assert_eq!(
            super::loaded_file("usd (1).xlsx (SHA-256 0a1b2c3d)"),
            Some(("usd (1).xlsx", "0a1b2c3d"))
        );
        assert_eq!(super::loaded_file("S01;S02;S09(AED)"), None);
        assert_eq!(super::loaded_file("rate card"), None);
    }

    #[test]
    fn days_in_month() {
        assert_eq!(super::days_in_month("2027-01").ok(), Some(31));
        assert_eq!(super::days_in_month("2027-02").ok(), Some(28));
        assert_eq!(super::days_in_month("2028-02").ok(), Some(29));
        assert_eq!(super::days_in_month("2026-12").ok(), Some(31));
        assert_eq!(super::days_in_month("2026-11").ok(), Some(30));
    }
}
