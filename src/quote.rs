//! Quotes: an estimate written for a customer, with line items that sum to the total, the
//! assumptions in words, a stable id derived from the content, and a compact URL-safe encoding.

use crate::error::{Error, ErrorCode, Result};
use crate::estimate::{estimate, Estimate};
use crate::money::{round_money, round_shown, to_string as m2s};
use crate::scenario::Scenario;
use crate::time::{format_date, parse_date};
use crate::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Prefix of encoded strings, with the format version.
pub const ENCODING_PREFIX: &str = "w1.";
/// Largest encoded string accepted.
pub const MAX_ENCODED: usize = 256 * 1024;

/// Who, when and how long: the inputs of a quote that are not the scenario.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QuoteMeta {
    /// The seller.
    pub seller: Option<String>,
    /// The customer.
    pub customer: Option<String>,
    /// Date issued (`YYYY-MM-DD`); the engine never reads the clock.
    pub issued: Option<String>,
    /// Days of validity (default 30).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_days: Option<f64>,
    /// The seller's own reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// One line of a quote.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct QuoteLine {
    /// What it is.
    pub label: String,
    /// Quantity (messages, numbers, months).
    pub quantity: String,
    /// Unit price, rounded for reading (the amount is computed exactly, then rounded).
    pub unit_price: String,
    /// Amount, rounded by the project's rule.
    pub amount: String,
    /// `meta` or `reseller`.
    pub kind: &'static str,
}

/// A quote.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Quote {
    /// Stable id derived from the content.
    pub id: String,
    /// Seller.
    pub seller: String,
    /// Customer.
    pub customer: String,
    /// Date issued.
    pub issued: String,
    /// Last day of validity.
    pub valid_until: String,
    /// Reference.
    pub reference: Option<String>,
    /// `final`, or `draft` when it cannot be issued as final (see `draftReason`).
    pub status: &'static str,
    /// Why a draft: `unpriced` (a charged message has no rate on the card: the total is at least
    /// what is owed, not the whole). Null when final.
    pub draft_reason: Option<&'static str>,
    /// Whether the estimate behind it priced every charged message.
    pub complete: bool,
    /// The estimate's unpriced lines (market × category, whole messages), sorted.
    pub unpriced: Vec<crate::report::Unpriced>,
    /// Currency of the lines (the quote currency when one is set).
    pub currency: String,
    /// Monthly lines.
    pub lines: Vec<QuoteLine>,
    /// Monthly total: the sum of the lines.
    pub total: String,
    /// One-time lines (setup fees).
    pub one_time_lines: Vec<QuoteLine>,
    /// One-time total.
    pub one_time_total: String,
    /// Assumptions in words.
    pub assumptions: Vec<String>,
    /// The estimate behind the quote (billing currency, exact).
    pub estimate: Estimate,
    /// The scenario and meta as a compact URL-safe string.
    pub encoded: String,
}

/// A decoded quote or share link.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Encoded {
    /// The scenario.
    pub scenario: Scenario,
    /// Quote inputs, when a quote was encoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<QuoteMeta>,
}

/// Encodes a scenario (and quote inputs) as `w1.` + base64url(JSON).
pub fn encode(scenario: &Scenario, meta: Option<&QuoteMeta>) -> Result<String> {
    let v = Encoded {
        scenario: scenario.clone(),
        meta: meta.cloned(),
    };
    let json = serde_json::to_vec(&v).map_err(|e| {
        Error::new(
            ErrorCode::InvalidInput,
            "",
            format!("cannot encode the scenario: {e}"),
        )
    })?;
    Ok(format!("{ENCODING_PREFIX}{}", URL_SAFE_NO_PAD.encode(json)))
}

/// Decodes what [`encode`] wrote.
pub fn decode(text: &str) -> Result<Encoded> {
    let bad = |why: &str| {
        // Name the value, cut to a readable length (a link can be 256 KiB).
        let shown: String = text.trim().chars().take(40).collect();
        let more = if text.trim().chars().nth(40).is_some() {
            "…"
        } else {
            ""
        };
        Error::new(
            ErrorCode::InvalidEncoding,
            "",
            format!("cannot decode the shared scenario {shown:?}{more}: {why}"),
        )
    };
    if text.len() > MAX_ENCODED {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            "",
            format!(
                "an encoded scenario of {} characters exceeds the limit of {MAX_ENCODED}",
                text.len()
            ),
        ));
    }
    let body = text
        .trim()
        .strip_prefix(ENCODING_PREFIX)
        .ok_or_else(|| bad("it does not start with w1."))?;
    let json = URL_SAFE_NO_PAD
        .decode(body.trim_end_matches('='))
        .map_err(|_| bad("it is not base64url"))?;
    let json = String::from_utf8(json).map_err(|_| bad("it is not UTF-8 text"))?;
    serde_json::from_str(&json).map_err(|e| {
        let msg = e.to_string();
        bad(msg.split(" at line ").next().unwrap_or(""))
    })
}

/// FNV-1a, 64 bits: a stable content fingerprint (not a security measure).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn rounded(d: Decimal, currency: &str) -> Decimal {
    round_money(d, currency)
}

/// An amount or count of the estimate, read back exactly (the estimate wrote it; a value that does
/// not read is an error, never a silent zero).
fn parse(s: &str) -> Result<Decimal> {
    s.parse().map_err(|_| {
        Error::new(
            ErrorCode::Overflow,
            "",
            format!("the estimate's figure {s:?} cannot be read back as a decimal"),
        )
    })
}

/// The sum of amounts, or `overflow` (the `+` of `Decimal` would panic).
fn checked_sum(items: impl IntoIterator<Item = Result<Decimal>>) -> Result<Decimal> {
    items.into_iter().try_fold(Decimal::ZERO, |acc, d| {
        acc.checked_add(d?).ok_or_else(|| {
            Error::new(
                ErrorCode::Overflow,
                "",
                "an amount exceeds the decimal range of the engine",
            )
        })
    })
}

/// Builds a quote.
pub fn quote(engine: &Engine, scenario: &Scenario, meta: &QuoteMeta) -> Result<Quote> {
    let issued = parse_date(meta.issued.as_deref().unwrap_or(""), "meta.issued")?;
    let days = match meta.valid_days {
        Some(v) => crate::input::count(v, 1, 3650, "meta.validDays", "validity in days")?,
        None => 30,
    };
    let valid_until = issued + chrono::Duration::days(days as i64 - 1);
    let est = estimate(engine, scenario, None)?;
    let (currency, fx) = match &est.quote {
        Some(q) => (q.currency.clone(), parse(&q.fx_rate)?),
        None => (est.currency.clone(), Decimal::ONE),
    };
    let conv = |d: Decimal| -> Result<Decimal> {
        d.checked_mul(fx).ok_or_else(|| {
            Error::new(
                ErrorCode::Overflow,
                "",
                "an amount exceeds the decimal range of the engine",
            )
        })
    };
    let mut lines = Vec::new();
    // Meta charges: one line per category, over all markets.
    for (cat, amount) in &est.meta.by_category {
        let a = parse(amount)?;
        let charged = checked_sum(
            est.meta
                .lines
                .iter()
                .filter(|l| &l.category == cat)
                .map(|l| parse(&l.charged)),
        )?;
        if a.is_zero() && charged.is_zero() {
            continue;
        }
        let label = format!(
            "WhatsApp {} charges by Meta ({} markets)",
            cat.replace('_', "-"),
            est.meta.lines.iter().filter(|l| &l.category == cat).count()
        );
        let unit = if charged.is_zero() {
            Decimal::ZERO
        } else {
            crate::money::div(conv(a)?, charged)?
        };
        lines.push(QuoteLine {
            label,
            quantity: m2s(round_shown(charged, 4)),
            unit_price: m2s(round_shown(unit, 6)),
            amount: m2s(rounded(conv(a)?, &currency)),
            kind: "meta",
        });
    }
    let mut one_time_lines = Vec::new();
    for l in &est.reseller.lines {
        let a = conv(parse(&l.amount)?)?;
        let q = QuoteLine {
            label: l.label.clone(),
            quantity: l.quantity.clone(),
            unit_price: m2s(round_shown(conv(parse(&l.unit_price)?)?, 6)),
            amount: m2s(rounded(a, &currency)),
            kind: "reseller",
        };
        if l.one_time {
            one_time_lines.push(q);
        } else {
            lines.push(q);
        }
    }
    let total = checked_sum(lines.iter().map(|l| parse(&l.amount)))?;
    let one_time_total = checked_sum(one_time_lines.iter().map(|l| parse(&l.amount)))?;
    let assumptions = assumptions(scenario, &est, &currency);
    let encoded = encode(scenario, Some(meta))?;
    let id = format!("WQ-{:016X}", fnv1a(encoded.as_bytes()));
    // A quote whose total leaves charged messages unpriced is never final (issue 20).
    let (status, draft_reason) = match est.complete {
        true => ("final", None),
        false => ("draft", Some("unpriced")),
    };
    Ok(Quote {
        id,
        seller: meta.seller.clone().unwrap_or_default(),
        customer: meta.customer.clone().unwrap_or_default(),
        issued: format_date(issued),
        valid_until: format_date(valid_until),
        reference: meta.reference.clone(),
        status,
        draft_reason,
        complete: est.complete,
        unpriced: est.unpriced.clone(),
        currency,
        lines,
        total: m2s(total),
        one_time_lines,
        one_time_total: m2s(one_time_total),
        assumptions,
        estimate: est,
        encoded,
    })
}

fn assumptions(s: &Scenario, e: &Estimate, currency: &str) -> Vec<String> {
    let mut out = Vec::new();
    let cards: Vec<String> = e
        .cards
        .iter()
        .map(|c| {
            format!(
                "{} {} card of {} (confidence {}, sources {})",
                c.currency,
                c.pricing_model_name(),
                c.date,
                c.confidence,
                if c.sources.is_empty() {
                    "n/a"
                } else {
                    &c.sources
                }
            )
        })
        .collect();
    out.push(format!(
        "Meta's rules and rates in force on {} are applied to one calendar month ({}), in the {} time zone; rates: {}.",
        e.date,
        e.month,
        e.timezone,
        match (cards.is_empty(), e.unpriced.is_empty()) {
            (true, true) => "none needed".to_string(),
            (true, false) => format!("none in {} for the traffic", e.currency),
            (false, _) => cards.join("; "),
        }
    ));
    if !e.unpriced.is_empty() {
        let lines: Vec<String> = e
            .unpriced
            .iter()
            .map(|u| format!("{} {} ({} messages)", u.market, u.category, u.messages))
            .collect();
        out.push(format!(
            "Draft: no {} rate on the card of {} for {}; the total leaves these messages out and is at least what is owed.",
            e.currency,
            e.date,
            lines.join(", ")
        ));
    }
    let mix: Vec<String> = s
        .audience
        .mix
        .iter()
        .map(|m| {
            let who = m
                .country
                .clone()
                .or_else(|| m.market.clone())
                .unwrap_or_default();
            match (m.share, m.count) {
                (Some(sh), _) => format!("{}% {who}", crate::error::show_f64(sh)),
                (_, Some(c)) => format!("{} in {who}", crate::error::show_f64(c)),
                _ => who,
            }
        })
        .collect();
    out.push(format!("{} contacts: {}.", e.contacts, mix.join(", ")));
    if let Some(auth) = s
        .business
        .auth_international
        .as_ref()
        .filter(|a| !a.is_empty())
    {
        // SPEC §9: eligibility per market from a date, for recipients outside the business's country.
        let list: Vec<String> = auth.iter().map(|(k, d)| format!("{k} from {d}")).collect();
        out.push(format!(
            "Authentication-international: the business ({}) is eligible for {}; its authentication templates to recipients there, outside its own country, are charged at the authentication-international rate where the card has one.",
            s.business.country.as_deref().map_or_else(|| "primary country not given: every recipient taken as abroad".to_string(), |c| format!("primary country {}", c.to_ascii_uppercase())),
            list.join(", ")
        ));
    }
    for (j, line) in s.journeys.iter().zip(e.journeys.iter()) {
        out.push(format!(
            "Journey \"{}\": {} contacts, {} time(s) a month, {} business messages in all.",
            line.name,
            line.contacts,
            crate::error::show_f64(j.times_per_month.unwrap_or(1.0)),
            line.messages
        ));
    }
    out.push(
        "Messages are priced by simulating each journey message by message: customer-service windows, free entry points, volume tiers and free allowances are applied as Meta applies them; customers who reply or write first are modelled as exact cohorts, not random draws."
            .to_string(),
    );
    if e.free.allowance != "0" {
        out.push(format!("{} service messages fall within the free monthly allowance of the business phone numbers.", e.free.allowance));
    }
    if e.tier_savings != "0" {
        out.push(format!(
            "Volume tiers lower the utility and authentication charges by {} {}.",
            e.tier_savings, e.currency
        ));
    }
    if currency != e.currency {
        if let Some(q) = &e.quote {
            out.push(format!(
                "Meta bills in {}; amounts in {} use the exchange rate {} (including margin) entered for this quote, not a market rate.",
                e.currency, q.currency, q.fx_rate
            ));
        }
    }
    out.push(format!(
        "Amounts are exact sums of published rates, rounded once per line to the {currency} minor unit (half away from zero); the total is the sum of the rounded lines."
    ));
    out.push("Actual invoices depend on real traffic; taxes are not included.".to_string());
    out
}

impl crate::estimate::CardUsed {
    /// `conversation` or `per-message`.
    pub fn pricing_model_name(&self) -> &'static str {
        match self.pricing_model {
            crate::model::PricingModel::Cbp => "conversation",
            crate::model::PricingModel::Pmp => "per-message",
        }
    }
}
