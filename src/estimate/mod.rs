//! Monthly estimates from a scenario (see `docs/estimate.md`).
//!
//! Each journey × cohort is simulated once with one representative contact per audience segment
//! (the pricing kernel, with unbounded free tiers so that they can be applied across the
//! portfolio afterwards): `run`. Every verdict is scaled by the contacts it stands for, and the
//! kernel's portfolio rules are applied to the scaled counts (`portfolio`): graduated volume
//! tiers per market × tier group, the 2026-10 service allowance per business number, and the
//! conversation-era free tier. Then the reseller's lines (`reseller`), the messaging limits and
//! cards (`summary`); `compare` prices one scenario under several dates. Scaling is exact decimal
//! arithmetic; counts may be fractional where shares make them so.

mod changes;
mod compare;
mod portfolio;
mod reseller;
mod run;
mod summary;

pub use changes::{Change, Changes};
pub use compare::{compare, Comparison, Delta};

use crate::error::{Error, ErrorCode, Result};
use crate::markets::MarketId;
use crate::model::{Category, Era, PricingModel};
use crate::money::{add, div, round_shown, to_string as m2s};
use crate::pricing::Request;
use crate::scenario::{Plan, Scenario};
use crate::time::{format_date, format_month, month_key, Date};
use crate::Engine;
use portfolio::{key_of, meta_sums, Portfolio};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// Largest number of events an estimate simulates (representative timelines × mix entries).
pub const MAX_ESTIMATE_EVENTS: usize = 2_000_000;

/// One line of Meta charges.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MetaLine {
    /// Market.
    pub market: String,
    /// Category.
    pub category: String,
    /// Charged messages or conversations.
    pub charged: String,
    /// Free messages of this market and category.
    pub free: String,
    /// Amount.
    pub amount: String,
    /// Average rate per charged unit.
    pub rate: Option<String>,
    /// Saving from volume tiers.
    pub tier_savings: String,
}

/// Meta's charges.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MetaCharges {
    /// Total.
    pub total: String,
    /// By category.
    pub by_category: BTreeMap<String, String>,
    /// By market.
    pub by_market: BTreeMap<String, String>,
    /// Lines by market × category.
    pub lines: Vec<MetaLine>,
}

/// Free messages by reason.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct FreeCounts {
    /// Free because of the customer-service window.
    pub window: String,
    /// Free entry points.
    pub entry_point: String,
    /// The 2026-10 service allowance.
    pub allowance: String,
    /// The conversation-era free tier.
    pub free_tier: String,
    /// Riding in an open conversation.
    pub conversation: String,
    /// All free delivered messages.
    pub total: String,
}

/// One reseller line.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ResellerLine {
    /// Stable code.
    pub code: String,
    /// Label.
    pub label: String,
    /// Quantity.
    pub quantity: String,
    /// Unit price.
    pub unit_price: String,
    /// Amount.
    pub amount: String,
    /// One-time rather than monthly.
    pub one_time: bool,
}

/// Reseller fees.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ResellerCharges {
    /// Monthly total.
    pub total: String,
    /// One-time total.
    pub one_time: String,
    /// Lines.
    pub lines: Vec<ResellerLine>,
}

/// The total in the quote currency.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct QuoteCurrency {
    /// Quote currency.
    pub currency: String,
    /// Effective rate including the margin.
    pub fx_rate: String,
    /// Monthly total in the quote currency.
    pub total: String,
    /// One-time total in the quote currency.
    pub one_time: String,
}

/// Message counts.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MessageCounts {
    /// Business messages sent.
    pub business: String,
    /// Delivered.
    pub delivered: String,
    /// Charged (messages, or conversation openers).
    pub charged: String,
    /// Free and delivered.
    pub free: String,
    /// Not delivered.
    pub not_delivered: String,
    /// Customer messages.
    pub inbound: String,
}

/// One journey's share of the bill.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct JourneyLine {
    /// Label.
    pub name: String,
    /// Contacts in it.
    pub contacts: String,
    /// Meta charges attributed to it.
    pub amount: String,
    /// Business messages it sends.
    pub messages: String,
    /// Occurrences in the month over all its contacts (whole when given as a count).
    pub occurrences: String,
    /// Occurrences per contact (rounded to 6 decimals for reading when given as a count).
    pub times_per_month: String,
}

/// A card used, with provenance.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CardUsed {
    /// Card date.
    pub date: String,
    /// Currency.
    pub currency: String,
    /// Pricing model.
    pub pricing_model: PricingModel,
    /// Lowest confidence of the rows used.
    pub confidence: String,
    /// Source ids of the rows used.
    pub sources: String,
}

/// Messaging limits.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    /// Largest number of unique business-initiated recipients in one day.
    pub peak_daily_recipients: String,
    /// The account's tier (`null`: unlimited).
    pub tier: Option<u64>,
    /// Whether the tier suffices.
    pub ok: bool,
    /// The smallest sufficient tier (`null`: unlimited).
    pub needed_tier: Option<u64>,
    /// Days of ramp-up from the current tier to the needed one (hours rounded up).
    pub ramp_days: u64,
    /// Hours of ramp-up under the rules of the date.
    pub ramp_hours: u64,
    /// Whether reaching the needed tier starts with business verification.
    pub verification: bool,
    /// `number` (each business number its own limit) or `portfolio` (one limit shared).
    pub scope: crate::limits::Scope,
    /// The tiers of the date, smallest first (`null`: unlimited).
    pub tiers: Vec<Option<u64>>,
    /// The tier of a new, verified business on the date (the default).
    pub default_tier: u64,
    /// How the tiers are climbed: `two_days_per_step` or `six_hours_once_half_used`.
    pub ramp: crate::limits::Ramp,
    /// First day of these rules (`YYYY-MM-DD`).
    pub rules_from: String,
}

/// A warning: a message of the catalogue (`src/messages.rs`).
pub type EstimateWarning = crate::messages::Message;

/// The result of `estimate`.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Estimate {
    /// Pricing date.
    pub date: String,
    /// Month simulated.
    pub month: String,
    /// Billing currency.
    pub currency: String,
    /// Time zone.
    pub timezone: String,
    /// Meta + reseller monthly total (of what is priced: see `complete`).
    pub total: String,
    /// Whether every charged message had a rate in force; when false the totals are the sum of
    /// what is priced ("at least"), and `unpriced` lists what they leave out.
    pub complete: bool,
    /// Charged messages with no rate on the card of the date in the billing currency, one entry
    /// per market × category, sorted.
    pub unpriced: Vec<crate::report::Unpriced>,
    /// Meta charges.
    pub meta: MetaCharges,
    /// Free messages by reason.
    pub free: FreeCounts,
    /// Not delivered.
    pub not_delivered: String,
    /// Tier savings.
    pub tier_savings: String,
    /// Reseller fees.
    pub reseller: ResellerCharges,
    /// Quote currency total.
    pub quote: Option<QuoteCurrency>,
    /// Total per contact.
    pub per_contact: Option<String>,
    /// Total per delivered message.
    pub per_delivered_message: Option<String>,
    /// Counts.
    pub messages: MessageCounts,
    /// Per journey.
    pub journeys: Vec<JourneyLine>,
    /// Cards used.
    pub cards: Vec<CardUsed>,
    /// Messaging limits.
    pub limits: Limits,
    /// Warnings.
    pub warnings: Vec<EstimateWarning>,
    /// Contacts.
    pub contacts: String,
}

/// Prices a scenario.
pub fn estimate(engine: &Engine, scenario: &Scenario, date: Option<Date>) -> Result<Estimate> {
    let plan = scenario.plan(engine, date)?;
    price(engine, &plan)
}

/// The simulations' request: the plan's settings with unbounded free tiers (the portfolio
/// applies them), after a bound on the work (every cohort's timeline is simulated once per
/// audience segment).
fn request(plan: &Plan) -> Result<Request> {
    let work: usize = plan
        .journeys
        .iter()
        .flat_map(|j| j.cohorts.iter())
        .map(|c| c.steps.len())
        .sum::<usize>()
        .saturating_mul(plan.segments.len());
    if work > MAX_ESTIMATE_EVENTS {
        return Err(Error::coded(
            ErrorCode::LimitExceeded,
            "estimate_too_large",
            "journeys",
            format!("the scenario expands to {work} simulated events (journeys × occurrences × steps × mix entries), above the limit of {MAX_ESTIMATE_EVENTS}"),
        )
        .with("count", crate::messages::Value::Count(work as u64))
        .with("limit", crate::messages::Value::Count(MAX_ESTIMATE_EVENTS as u64)));
    }
    let mut options = plan.options.clone();
    options.service_allowance = u64::MAX;
    options.conversation_free_tier = u64::MAX;
    Ok(Request {
        currency: plan.currency.clone(),
        zone: plan.zone.clone(),
        business: plan.business.clone(),
        options,
        events: vec![],
        sources: Default::default(),
    })
}

fn price(engine: &Engine, plan: &Plan) -> Result<Estimate> {
    let currency = &plan.currency;
    let d = plan.date;
    let req = request(plan)?;
    let tally = run::run(engine, plan, &req)?;
    let mut warnings: Vec<EstimateWarning> = plan.warnings.clone();
    warnings.extend(tally.warnings.iter().cloned());
    let book = engine
        .rates
        .billing_book(currency)
        .ok_or_else(|| crate::pricing::no_card(&engine.rates, currency, "business.currency"))?;
    let mut p = Portfolio {
        engine,
        plan,
        book,
        buckets: tally.buckets.clone(),
        warnings: &mut warnings,
    };
    let tier_savings = p.tiers()?;
    p.direct()?;
    let (allowance_free, tier_free) = p.allowances()?;
    let buckets = p.buckets;
    let meta = meta_sums(engine, &buckets)?;
    let journeys = portfolio::journey_lines(
        plan,
        &buckets,
        &tally.journey_counts,
        &tally.journey_messages,
    )?;
    let counts = reseller::Counts {
        business: tally.business,
        inbound: tally.inbound,
        not_delivered: tally.not_delivered,
        charged: meta.charged,
        conversations: tally.conversations,
        meta_by_category: &meta.by_category,
        meta_total: meta.total,
    };
    let (reseller_lines, reseller_total, one_time) =
        reseller::reseller_fees(plan.reseller.as_ref(), plan, &counts)?;
    let total = add(meta.total, reseller_total)?;
    let quote = match plan.reseller.as_ref().and_then(|t| t.quote.as_ref()) {
        Some(q) => reseller::quote_currency(q, currency, total, one_time, &mut warnings)?,
        None => None,
    };
    let limits = summary::limits(plan, &tally.daily, &mut warnings);
    let cards = summary::cards(engine, plan, book, &buckets, &tally.cards);
    warnings.extend(crate::notices::for_plan(engine, plan));
    let era = Era::of(d).unwrap_or(Era::PaidService);
    if era >= Era::PerMessage && meta.charged > Decimal::ZERO && cards.is_empty() {
        warnings.push(EstimateWarning::new(
            "no_card",
            crate::messages::Params::new(),
        ));
    }
    let per = |den: Decimal| -> Result<Option<String>> {
        Ok(match den.is_zero() {
            true => None,
            false => Some(m2s(round_shown(div(total, den)?, 8))),
        })
    };
    Ok(Estimate {
        date: format_date(d),
        month: format_month(month_key(d)),
        currency: currency.clone(),
        timezone: plan.timezone.clone(),
        total: m2s(total),
        complete: meta.unpriced.is_empty(),
        unpriced: meta.unpriced.clone(),
        meta: meta_charges(engine, &meta),
        free: FreeCounts {
            window: m2s(tally.window),
            entry_point: m2s(tally.entry),
            allowance: m2s(allowance_free),
            free_tier: m2s(tier_free),
            conversation: m2s(tally.riders),
            total: m2s(meta.free),
        },
        not_delivered: m2s(tally.not_delivered),
        tier_savings: m2s(tier_savings),
        reseller: ResellerCharges {
            total: m2s(reseller_total),
            one_time: m2s(one_time),
            lines: reseller_lines,
        },
        quote,
        per_contact: per(plan.contacts)?,
        per_delivered_message: per(tally.delivered)?,
        messages: MessageCounts {
            business: m2s(tally.business),
            delivered: m2s(tally.delivered),
            charged: m2s(meta.charged),
            free: m2s(meta.free),
            not_delivered: m2s(tally.not_delivered),
            inbound: m2s(tally.inbound),
        },
        journeys,
        cards,
        limits,
        warnings,
        contacts: m2s(plan.contacts),
    })
}

/// Meta's charges as reported: by category and by market (those used), and the lines.
fn meta_charges(engine: &Engine, meta: &portfolio::MetaSums) -> MetaCharges {
    let used = |f: &dyn Fn(MarketId, Category) -> bool| {
        meta.seen
            .iter()
            .enumerate()
            .any(|(i, s)| *s && f(key_of(i).0, key_of(i).1))
    };
    MetaCharges {
        total: m2s(meta.total),
        by_category: crate::sort::map(
            Category::ALL
                .iter()
                .filter(|c| used(&|_, k| k == **c))
                .map(|c| (c.as_str().to_string(), m2s(meta.by_category[c.index()]))),
        ),
        by_market: crate::sort::map(
            (0..meta.by_market.len())
                .filter(|m| used(&|k, _| usize::from(k) == *m))
                .map(|m| {
                    (
                        engine.markets.name(m as MarketId).to_string(),
                        m2s(meta.by_market[m]),
                    )
                }),
        ),
        lines: meta.lines.clone(),
    }
}
