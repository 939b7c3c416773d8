//! Quotes: an estimate written for a customer, with line items that sum to the total, the
//! assumptions in words, a stable id derived from the content, and a compact URL-safe encoding.

use crate::error::{Error, ErrorCode, Result};
use crate::estimate::{estimate, Estimate};
use crate::messages::Value;
use crate::money::{round_money, round_shown, to_string as m2s};
use crate::scenario::Scenario;
use crate::time::{format_date, parse_date};
use crate::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

mod extras;
// The log importer names loaded files as quotes do (not in the calculator's wasm: src/logs/files.rs).
#[cfg(any(feature = "logs-wasm", not(target_arch = "wasm32")))]
pub(crate) use extras::loaded_file;
pub use extras::{
    CeilingLine, Fx, MaxPrice, MaxPricePlan, Note, Param, Params, Wallet, WalletPlan,
    MAX_PRICE_CURRENCIES,
};

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
    /// Meta's lines: `category` (default, one line per category over all markets) or `market`
    /// (one line per market and category, at that market's rate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines_by: Option<String>,
    /// The reseller's markup: `line` (default, its own line with the amount) or `folded` (into
    /// Meta's line amounts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markup: Option<String>,
    /// Taxes, applied after the subtotal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub taxes: Option<Vec<TaxRule>>,
    /// The customer's tax id (a VAT number): EU VAT is then reverse-charged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_tax_id: Option<String>,
    /// Last day of validity (`YYYY-MM-DD`); overrides `validDays`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    /// Payment terms, free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_terms: Option<String>,
    /// A prepaid wallet: the top-up for some days of traffic and the card fee.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wallet: Option<Wallet>,
    /// Where the FX rate of the quote currency comes from (free text, e.g. "ECB 2026-12-04").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fx_source: Option<String>,
    /// Meta's marketing max price: a bid per 1,000 delivered marketing messages (SPEC §15).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_price: Option<MaxPrice>,
}

/// A tax on the quote: a name, a percent and the lines it applies to.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaxRule {
    /// Name shown on the line (`GST`, `VAT`).
    pub name: String,
    /// Percent, 0 to 100; required (absent is an error at its path, never 0 %).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent: Option<f64>,
    /// `meta`, `reseller` or `all`.
    pub on: String,
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
    /// `meta`, `reseller`, `tax`, `fee` or `one_time`.
    pub kind: &'static str,
    /// Meta's lines: the category (the engine's id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Meta's lines by market: the market.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub market: Option<String>,
    /// Meta's lines by category: the markets the line sums (its unit price is their average).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub markets: Vec<String>,
}

/// A quote.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Quote {
    /// Stable id derived from what the quote says (every field but `id` and `encoded`): equal
    /// for inputs that say the same thing however spelled, different when anything shown differs.
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
    /// Monthly total: the sum of the lines, plus the tax lines when taxes are given.
    pub total: String,
    /// Monthly total before tax (only when there are tax lines).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtotal: Option<String>,
    /// Tax lines, after the subtotal (only when taxes are given).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tax_lines: Vec<QuoteLine>,
    /// One-time lines (setup fees).
    pub one_time_lines: Vec<QuoteLine>,
    /// One-time total.
    pub one_time_total: String,
    /// Assumptions in words.
    pub assumptions: Vec<String>,
    /// Terms: validity, cards used, Meta's pass-through of rate changes, data notices, payment.
    pub terms: Vec<Note>,
    /// The FX rate of the quote currency and its source (only with a quote currency).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fx: Option<Fx>,
    /// The prepaid wallet (only when asked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wallet: Option<WalletPlan>,
    /// The marketing max-price ceiling (only when asked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_price: Option<MaxPricePlan>,
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
    let json = serde_json::to_vec(&v).map_err(|e| not_encodable("the scenario", e))?;
    Ok(format!("{ENCODING_PREFIX}{}", URL_SAFE_NO_PAD.encode(json)))
}

/// `invalid_input` (reason `not_encodable`) when serde cannot write `what` as JSON, which the
/// types of a scenario and a quote rule out.
#[cold]
fn not_encodable(what: &str, e: serde_json::Error) -> Error {
    Error::coded(
        ErrorCode::InvalidInput,
        "not_encodable",
        "",
        format!("cannot encode {what}: {e}"),
    )
}

/// `invalid_encoding` for a shared scenario that cannot be decoded: the reason, and the text
/// cut to a readable length (a link can be 256 KiB) as `value`.
#[inline(never)]
fn bad_link(text: &str, reason: &'static str, why: &str) -> Error {
    let mut shown: String = text.trim().chars().take(40).collect();
    let more = if text.trim().chars().nth(40).is_some() {
        "…"
    } else {
        ""
    };
    let message = format!("cannot decode the shared scenario {shown:?}{more}: {why}");
    shown.push_str(more);
    Error::coded(ErrorCode::InvalidEncoding, reason, "", message).value(&shown)
}

/// Decodes what [`encode`] wrote.
pub fn decode(text: &str) -> Result<Encoded> {
    if text.len() > MAX_ENCODED {
        return Err(crate::scenario::over_limit(
            "link_too_long",
            "",
            text.len() as u64,
            MAX_ENCODED as u64,
            format!(
                "an encoded scenario of {} characters exceeds the limit of {MAX_ENCODED}",
                text.len()
            ),
        ));
    }
    let body = text
        .trim()
        .strip_prefix(ENCODING_PREFIX)
        .ok_or_else(|| bad_link(text, "link_unreadable", "it does not start with w1."))?;
    let json = URL_SAFE_NO_PAD
        .decode(body.trim_end_matches('='))
        .map_err(|_| bad_link(text, "link_unreadable", "it is not base64url"))?;
    let json = String::from_utf8(json)
        .map_err(|_| bad_link(text, "link_unreadable", "it is not UTF-8 text"))?;
    serde_json::from_str(&json).map_err(|e| {
        let msg = e.to_string();
        let detail = msg.split(" at line ").next().unwrap_or("");
        bad_link(text, "link_bad_json", detail).with("detail", Value::Text(detail.to_string()))
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
        Error::coded(
            ErrorCode::Overflow,
            "unreadable_figure",
            "",
            format!("the estimate's figure {s:?} cannot be read back as a decimal"),
        )
        .value(s)
    })
}

/// The sum of figures the engine wrote, read back exactly, or `overflow` (the `+` of `Decimal`
/// would panic). Not generic: one copy serves every sum of the quote.
#[inline(never)]
fn checked_sum(items: &mut dyn Iterator<Item = &str>) -> Result<Decimal> {
    let mut acc = Decimal::ZERO;
    for s in items {
        acc = crate::money::add(acc, parse(s)?)?;
    }
    Ok(acc)
}

/// An amount in the quote currency (`fx` is 1 without one), or `overflow`.
fn conv(d: Decimal, fx: Decimal) -> Result<Decimal> {
    crate::money::mul(d, fx)
}

/// `invalid_option` for a quote option that is not one of its values (`reason`, param `value`).
#[inline(never)]
fn bad_option(reason: &'static str, path: &str, value: &str, expected: &str) -> Error {
    let name = path.strip_prefix("meta.").unwrap_or(path);
    Error::coded(
        ErrorCode::InvalidOption,
        reason,
        path,
        format!("invalid {name} {value:?}: expected {expected}"),
    )
    .value(value)
}

/// One line of Meta's charges: `a` (billing currency, exact) for `charged` messages of `cat`, at
/// one market or over `markets`, with the markup folded in when asked (SPEC §10: a markup is a
/// percent of Meta's charges, per category or on all of them), in the quote currency.
#[allow(clippy::too_many_arguments)]
#[inline(never)]
fn meta_line(
    est: &Estimate,
    cat: &str,
    market: Option<&str>,
    markets: Vec<String>,
    tiered: bool,
    a: Decimal,
    charged: Decimal,
    folded: bool,
    fx: Decimal,
    currency: &str,
) -> Result<QuoteLine> {
    let mut a = a;
    if folded {
        let markup = checked_sum(
            &mut est
                .reseller
                .lines
                .iter()
                .filter(|l| {
                    let c = l.code.strip_prefix("markup_");
                    c == Some(cat) || c == Some("all")
                })
                .map(|l| l.unit_price.as_str()),
        )?;
        a = crate::money::mul(a, crate::money::add(Decimal::ONE, markup)?)?;
    }
    let amount = conv(a, fx)?;
    let mut label = String::from("WhatsApp ");
    label.push_str(&cat.replace('_', "-"));
    label.push_str(" charges by Meta");
    match market {
        Some(m) => {
            label.push_str(", ");
            label.push_str(m);
            if tiered {
                label.push_str(" (volume tiers: average of the tier rates)");
            }
        }
        None => label.push_str(&format!(" ({} markets)", markets.len())),
    }
    let unit = if charged.is_zero() {
        Decimal::ZERO
    } else {
        crate::money::div(amount, charged)?
    };
    Ok(QuoteLine {
        label,
        quantity: m2s(round_shown(charged, 4)),
        unit_price: m2s(round_shown(unit, 6)),
        amount: m2s(rounded(amount, currency)),
        kind: "meta",
        category: Some(cat.to_string()),
        market: market.map(str::to_string),
        markets: if market.is_some() {
            Vec::new()
        } else {
            markets
        },
    })
}

/// Builds a quote.
pub fn quote(engine: &Engine, scenario: &Scenario, meta: &QuoteMeta) -> Result<Quote> {
    let issued = parse_date(meta.issued.as_deref().unwrap_or(""), "meta.issued")?;
    let valid_until = extras::valid_until(meta, issued)?;
    let est = estimate(engine, scenario, None)?;
    let (currency, fx) = match &est.quote {
        Some(q) => (q.currency.clone(), parse(&q.fx_rate)?),
        None => (est.currency.clone(), Decimal::ONE),
    };
    let by_market = match meta.lines_by.as_deref() {
        None | Some("category") => false,
        Some("market") => true,
        Some(other) => {
            return Err(bad_option(
                "option_choice",
                "meta.linesBy",
                other,
                "\"category\" or \"market\"",
            ))
        }
    };
    let folded = match meta.markup.as_deref() {
        None | Some("line") => false,
        Some("folded") => true,
        Some(other) => {
            return Err(bad_option(
                "option_choice",
                "meta.markup",
                other,
                "\"line\" or \"folded\"",
            ))
        }
    };
    let mut lines = Vec::new();
    // Meta's charges (SPEC §10: they stay separate lines from the reseller's). By market: one line
    // per market and category, at that market's rate. By category: one line per category over
    // all markets, naming its markets (its unit price is then their average).
    let meta_lines = &est.meta.lines;
    let groups: Vec<(&str, Option<&str>, Vec<&crate::estimate::MetaLine>)> = if by_market {
        meta_lines
            .iter()
            .map(|l| (l.category.as_str(), Some(l.market.as_str()), vec![l]))
            .collect()
    } else {
        est.meta
            .by_category
            .keys()
            .map(|c| {
                let g = meta_lines.iter().filter(|l| &l.category == c).collect();
                (c.as_str(), None, g)
            })
            .collect()
    };
    for (cat, market, group) in groups {
        let a = checked_sum(&mut group.iter().map(|l| l.amount.as_str()))?;
        let charged = checked_sum(&mut group.iter().map(|l| l.charged.as_str()))?;
        if a.is_zero() && charged.is_zero() {
            continue;
        }
        let markets: Vec<String> = group.iter().map(|l| l.market.clone()).collect();
        let tiered = group.iter().any(|l| l.tier_savings != "0");
        lines.push(meta_line(
            &est, cat, market, markets, tiered, a, charged, folded, fx, &currency,
        )?);
    }
    let mut one_time_lines = Vec::new();
    for l in &est.reseller.lines {
        let is_markup = l.code.starts_with("markup_");
        if is_markup && folded {
            continue;
        }
        let a = rounded(conv(parse(&l.amount)?, fx)?, &currency);
        // A markup is shown as its amount, never as "base × percent" (the margin is not a price).
        let (quantity, unit_price) = if is_markup {
            ("1".to_string(), m2s(a))
        } else {
            (
                l.quantity.clone(),
                m2s(round_shown(conv(parse(&l.unit_price)?, fx)?, 6)),
            )
        };
        let q = QuoteLine {
            label: l.label.clone(),
            quantity,
            unit_price,
            amount: m2s(a),
            kind: if l.one_time { "one_time" } else { "reseller" },
            category: None,
            market: None,
            markets: Vec::new(),
        };
        if l.one_time {
            one_time_lines.push(q);
        } else {
            lines.push(q);
        }
    }
    let subtotal = checked_sum(&mut lines.iter().map(|l| l.amount.as_str()))?;
    let tax_lines = taxes(meta, &lines, subtotal, &currency)?;
    let total = crate::money::add(
        subtotal,
        checked_sum(&mut tax_lines.iter().map(|l| l.amount.as_str()))?,
    )?;
    let one_time_total = checked_sum(&mut one_time_lines.iter().map(|l| l.amount.as_str()))?;
    let mut assumptions = assumptions(scenario, &est, &currency);
    if !tax_lines.is_empty() {
        if let Some(last) = assumptions.last_mut() {
            *last = "Actual invoices depend on real traffic; the taxes given are shown as lines after the subtotal.".to_string();
        }
    }
    let terms = extras::terms(meta, &est, issued, valid_until)?;
    let fx_plan = extras::fx(meta, &est)?;
    let wallet = extras::wallet(meta, &est, total, &currency)?;
    let max_price = extras::max_price(meta, &est, engine)?;
    // A quote whose total leaves charged messages unpriced is never final (issue 20).
    let (status, draft_reason) = match est.complete {
        true => ("final", None),
        false => ("draft", Some("unpriced")),
    };
    let mut q = Quote {
        id: String::new(),
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
        subtotal: (!tax_lines.is_empty()).then(|| m2s(subtotal)),
        tax_lines,
        one_time_lines,
        one_time_total: m2s(one_time_total),
        assumptions,
        terms,
        fx: fx_plan,
        wallet,
        max_price,
        estimate: est,
        encoded: String::new(),
    };
    // The id fingerprints what the quote says (its JSON without id and link), not how its
    // inputs were spelled: defaults omitted or written out, `taxes: []` or none, give one id.
    let said = serde_json::to_string(&q).map_err(|e| not_encodable("the quote", e))?;
    q.id = format!("WQ-{:016X}", fnv1a(said.as_bytes()));
    q.encoded = encode(scenario, Some(meta))?;
    Ok(q)
}

/// Tax lines: each tax is `percent` of the rounded lines it applies to (Meta's, the reseller's,
/// or all), rounded by the project's rule. Reverse charge: a tax named VAT (case-insensitive,
/// e.g. "VAT", "EU VAT") on a quote whose customer gives a tax id is shown with amount 0 and a
/// note that the customer accounts for the VAT (EU VAT Directive 2006/112/EC, art. 196).
#[inline(never)]
fn taxes(
    meta: &QuoteMeta,
    lines: &[QuoteLine],
    subtotal: Decimal,
    currency: &str,
) -> Result<Vec<QuoteLine>> {
    let mut out = Vec::new();
    let tax_id = meta
        .customer_tax_id
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    for (i, t) in meta.taxes.iter().flatten().enumerate() {
        let path = format!("meta.taxes[{i}]");
        let name = t.name.trim();
        if name.is_empty() {
            return Err(Error::coded(
                ErrorCode::InvalidInput,
                "tax_name_empty",
                format!("{path}.name"),
                "a tax needs a name, got an empty one",
            ));
        }
        // A VAT has no one rate (in the EU it is the seller's member state's): never a silent 0 %.
        let Some(percent) = t.percent else {
            return Err(Error::coded(
                ErrorCode::InvalidInput,
                "tax_rate_missing",
                format!("{path}.percent"),
                format!("the tax {name:?} has no rate: give its percent (a VAT rate is the seller's member state's, such as 19 for DE, 20 for FR, 21 for NL)"),
            )
            .with("tax", Value::Text(name.to_string())));
        };
        let f = crate::scenario::percent(percent, 100.0, &format!("{path}.percent"))?;
        let base = match t.on.as_str() {
            "all" => subtotal,
            "meta" | "reseller" => checked_sum(
                &mut lines
                    .iter()
                    .filter(|l| l.kind == t.on)
                    .map(|l| l.amount.as_str()),
            )?,
            other => {
                return Err(Error::coded(
                    ErrorCode::InvalidOption,
                    "option_choice",
                    format!("{path}.on"),
                    format!(
                        "invalid tax base {other:?}: expected \"meta\", \"reseller\" or \"all\""
                    ),
                )
                .value(other))
            }
        };
        let on = match t.on.as_str() {
            "meta" => "Meta's charges",
            "reseller" => "the reseller's charges",
            _ => "all charges",
        };
        let pct = crate::error::show_f64(percent);
        let reverse = tax_id.filter(|_| {
            name.as_bytes()
                .windows(3)
                .any(|w| w.eq_ignore_ascii_case(b"VAT"))
        });
        let (label, amount) = match reverse {
            Some(id) => (
                format!("{name} {pct}% on {on}: reverse charge, VAT to be accounted for by the customer (tax id {id})"),
                Decimal::ZERO,
            ),
            None => (
                format!("{name} {pct}% on {on}"),
                round_money(crate::money::mul(base, f)?, currency),
            ),
        };
        out.push(QuoteLine {
            label,
            quantity: m2s(base),
            unit_price: m2s(f),
            amount: m2s(amount),
            kind: "tax",
            category: None,
            market: None,
            markets: Vec::new(),
        });
    }
    Ok(out)
}

#[inline(never)]
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

#[cfg(test)]
mod tests {
    use crate::error::ErrorCode;

    /// Errors no input reaches: a figure of the estimate that does not read back, and JSON that
    /// serde cannot write (the types of a scenario and a quote rule it out).
    #[test]
    fn unreachable_errors_have_their_reasons() {
        let e = super::parse("1.2.3").unwrap_err();
        assert_eq!(
            (e.code, e.reason()),
            (ErrorCode::Overflow, "unreadable_figure")
        );
        assert_eq!(crate::reasons::check(&e), Ok(()));
        assert_eq!(
            e.params.as_deref().and_then(|p| p.get("value")),
            Some(&crate::messages::Value::Text("1.2.3".into()))
        );
        let serde = serde_json::from_str::<u8>("x").unwrap_err();
        let e = super::not_encodable("the scenario", serde);
        assert_eq!(
            (e.code, e.reason()),
            (ErrorCode::InvalidInput, "not_encodable")
        );
        assert_eq!(crate::reasons::check(&e), Ok(()));
        assert!(e.message.starts_with("cannot encode the scenario: "), "{e}");
    }
}
