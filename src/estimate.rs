//! Monthly estimates from a scenario (see `docs/estimate.md`).
//!
//! Each journey × cohort is simulated once with one representative contact per audience segment
//! (the same simulator as `simulate`, with unbounded free tiers so that they can be applied across
//! the portfolio afterwards). Every verdict is then scaled by the contacts it stands for, and the
//! portfolio-level rules are applied to the scaled counts: graduated volume tiers per market ×
//! category, the 2026-10 service allowance per business number, and the conversation-era free
//! tier. Scaling is exact decimal arithmetic; counts may be fractional where shares make them so.

use crate::error::{Error, ErrorCode, Result};
use crate::markets::MarketId;
use crate::model::{Category, Era, PricingModel, VerdictType};
use crate::money::to_string as m2s;
use crate::pricing::{
    allowance_cap, apportion, free_tier_cap, graduated, service_rate, EventKind, Reason, Request,
    Simulator, Status, TIER_GROUPS,
};
use crate::scenario::{money, percent, Plan, Reseller, Scenario};
use crate::time::{format_date, format_month, month_key, Date, DAY_MS};
use crate::Engine;
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
    /// Days of ramp-up from the current tier to the needed one.
    pub ramp_days: u64,
}

/// A warning.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EstimateWarning {
    /// Code.
    pub code: String,
    /// Message.
    pub message: String,
    /// Input path, if about one input.
    pub path: Option<String>,
}

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
    /// Meta + reseller monthly total.
    pub total: String,
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

#[derive(Default, Clone, Copy, PartialEq)]
struct Bucket {
    /// Charged units priced per unit as simulated (non-tiered).
    direct_count: Decimal,
    direct_amount: Decimal,
    /// Charged units priced through volume tiers.
    tiered: Decimal,
    /// Units eligible for the service allowance (PMP) or conversation free tier (CBP).
    allowance_eligible: Decimal,
    free_tier_eligible: Decimal,
    free: Decimal,
    /// Result.
    amount: Decimal,
    charged: Decimal,
    savings: Decimal,
}

fn ovf() -> Error {
    Error::new(
        ErrorCode::Overflow,
        "",
        "an amount exceeds the decimal range of the engine",
    )
}

#[inline(never)]
fn add(a: &mut Decimal, b: Decimal) -> Result<()> {
    *a = a.checked_add(b).ok_or_else(ovf)?;
    Ok(())
}

#[inline(never)]
fn mul(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_mul(b).ok_or_else(ovf)
}

/// Prices a scenario.
pub fn estimate(engine: &Engine, scenario: &Scenario, date: Option<Date>) -> Result<Estimate> {
    let plan = scenario.plan(engine, date)?;
    price(engine, &plan, scenario.reseller.as_ref())
}

fn price(engine: &Engine, plan: &Plan, reseller: Option<&Reseller>) -> Result<Estimate> {
    let currency = &plan.currency;
    let mut opts = plan.options.clone();
    opts.service_allowance = u64::MAX;
    opts.conversation_free_tier = u64::MAX;
    let req = Request {
        currency: currency.clone(),
        zone: plan.zone.clone(),
        business: plan.business.clone(),
        options: opts,
        events: vec![],
    };
    let d = plan.date;
    let era = Era::of(d).unwrap_or(Era::PaidService);
    // Bound the work: every cohort's timeline is simulated once per audience segment.
    let work: usize = plan
        .journeys
        .iter()
        .flat_map(|j| j.cohorts.iter())
        .map(|c| c.steps.len())
        .sum::<usize>()
        .saturating_mul(plan.segments.len());
    if work > MAX_ESTIMATE_EVENTS {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            "journeys",
            format!("the scenario expands to {work} simulated events (journeys × occurrences × steps × mix entries), above the limit of {MAX_ESTIMATE_EVENTS}"),
        ));
    }
    // Dense tables indexed by market × category (a handful of markets, eight categories).
    let slots = engine.markets.names.len() * Category::COUNT;
    let slot = |m: MarketId, c: Category| usize::from(m) * Category::COUNT + c.index();
    let key_of = |i: usize| {
        (
            (i / Category::COUNT) as MarketId,
            Category::ALL[i % Category::COUNT],
        )
    };
    let mut buckets: Vec<Bucket> = vec![Bucket::default(); slots];
    let mut journey_counts: Vec<Vec<Decimal>> = Vec::new();
    let mut journey_messages: Vec<Decimal> = Vec::new();
    let (mut business, mut delivered, mut not_delivered, mut inbound) =
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let (mut window, mut entry, mut riders) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let mut conversations = Decimal::ZERO;
    let mut warnings: Vec<EstimateWarning> = plan
        .warnings
        .iter()
        .map(|(c, m, p)| EstimateWarning {
            code: c.clone(),
            message: m.clone(),
            path: p.clone(),
        })
        .collect();
    let mut sim_warnings: Vec<(&'static str, String)> = Vec::new();
    let mut cards_used: Vec<crate::pricing::CardUse> = Vec::new();
    // Unique business-initiated recipients per day of the month.
    let mut daily: Vec<Decimal> = vec![Decimal::ZERO; 128];

    for pj in &plan.journeys {
        let mut counts: Vec<Decimal> = vec![Decimal::ZERO; slots];
        let mut sent = Decimal::ZERO;
        for cohort in &pj.cohorts {
            // One simulation per cohort, every segment's representative contact in it.
            let mut events = Vec::new();
            for (si, seg) in plan.segments.iter().enumerate() {
                for e in plan.events(cohort, seg.phone) {
                    events.push((e, si, events.len()));
                }
            }
            // By time; equal times keep their order (segment, then step).
            crate::sort::sort_by_key(&mut events, |(e, _, k)| (e.at, *k));
            let mut sim = Simulator::new(engine, &req)?;
            let mut last_inbound: Vec<i64> = vec![i64::MIN; plan.segments.len()];
            let mut bi_days: Vec<u128> = vec![0; plan.segments.len()];
            for (e, si, _) in &events {
                let w = mul(mul(plan.segments[*si].contacts, pj.share)?, cohort.weight)?;
                if w.is_zero() {
                    continue;
                }
                let v = sim.push(e)?;
                if let EventKind::Inbound { .. } = e.kind {
                    add(&mut inbound, w)?;
                    last_inbound[*si] = e.at;
                    continue;
                }
                let Some(v) = v else { continue };
                add(&mut business, w)?;
                add(&mut sent, w)?;
                if let EventKind::Template(_) = e.kind {
                    if e.status == Status::Delivered
                        && e.at >= last_inbound[*si].saturating_add(DAY_MS)
                        && v.vtype != VerdictType::FreeEntryPoint
                    {
                        let day = (e.at - plan.month_start).div_euclid(DAY_MS);
                        if (0..128).contains(&day) {
                            bi_days[*si] |= 1u128 << day;
                        }
                    }
                }
                if v.vtype == VerdictType::NotDelivered {
                    add(&mut not_delivered, w)?;
                    continue;
                }
                add(&mut delivered, w)?;
                let k = slot(v.resolution.market, v.category);
                add(&mut counts[k], w)?;
                let b = &mut buckets[k];
                if let Some(c) = v.conversation {
                    if c.opened {
                        add(&mut conversations, w)?;
                    }
                }
                match (v.vtype, v.reason) {
                    (VerdictType::FreeTier, Reason::ServiceAllowance { .. }) => {
                        add(&mut b.allowance_eligible, w)?
                    }
                    (VerdictType::FreeTier, Reason::ConversationOpened) => {
                        add(&mut b.free_tier_eligible, w)?
                    }
                    (VerdictType::FreeEntryPoint, _) => {
                        add(&mut entry, w)?;
                        add(&mut b.free, w)?;
                    }
                    (VerdictType::FreeCustomerService, _) => {
                        add(&mut window, w)?;
                        add(&mut b.free, w)?;
                    }
                    _ if v.charged && v.tier.is_some() => add(&mut b.tiered, w)?,
                    _ if v.charged => {
                        add(&mut b.direct_count, w)?;
                        add(&mut b.direct_amount, mul(v.amount, w)?)?;
                    }
                    _ => {
                        add(&mut riders, w)?;
                        add(&mut b.free, w)?;
                    }
                }
            }
            for (si, days) in bi_days.iter().enumerate() {
                let w = mul(mul(plan.segments[si].contacts, pj.share)?, cohort.weight)?;
                for (day, total) in daily.iter_mut().enumerate() {
                    if days & (1u128 << day) != 0 {
                        add(total, w)?;
                    }
                }
            }
            let s = sim.finish()?;
            for w in s.warnings {
                let item = (w.code, w.message);
                if sim_warnings.len() < 50 && !sim_warnings.contains(&item) {
                    sim_warnings.push(item);
                }
            }
            for c in s.cards {
                if !cards_used.contains(&c) {
                    cards_used.push(c);
                }
            }
        }
        journey_counts.push(counts);
        journey_messages.push(sent);
    }
    for (code, message) in sim_warnings {
        warnings.push(EstimateWarning {
            code: code.to_string(),
            message,
            path: None,
        });
    }

    let book = engine
        .rates
        .currency(currency)
        .ok_or_else(|| Error::new(ErrorCode::MissingRate, "business.currency", "no rate card"))?;
    let mut tier_savings = Decimal::ZERO;
    let missing = |warnings: &mut Vec<EstimateWarning>, market: MarketId, cat: Category| {
        warnings.push(EstimateWarning {
            code: "missing_rate".to_string(),
            message: format!(
                "no {currency} rate for {} {} on {}: these messages are priced at 0; load a rate card file with this rate",
                engine.markets.name(market),
                cat.as_str(),
                format_date(d)
            ),
            path: None,
        })
    };

    // Volume tiers per market × category group over the portfolio's month.
    for market in 0..engine.markets.names.len() as MarketId {
        // One tier counter per group (SPEC §8): authentication and authentication-international
        // share theirs.
        for group in TIER_GROUPS {
            let n: Decimal = group
                .iter()
                .map(|c| &buckets[slot(market, *c)])
                .map(|b| b.tiered)
                .sum();
            if n.is_zero() {
                continue;
            }
            for &cat in group {
                let b = &mut buckets[slot(market, cat)];
                if b.tiered.is_zero() {
                    continue;
                }
                let list = engine
                    .rates
                    .rate(book, PricingModel::Pmp, market, cat, d)
                    .map(|r| r.rate);
                let cost = match engine.rates.tier_table(book, market, cat, d) {
                    // The category's share of the group's graduated cost (shared counter).
                    Some(t) => mul(graduated(&engine.rates, t, n)?, b.tiered)?
                        .checked_div(n)
                        .ok_or_else(ovf)?,
                    None => match list {
                        Some(l) => mul(l, b.tiered)?,
                        None => {
                            missing(&mut warnings, market, cat);
                            Decimal::ZERO
                        }
                    },
                };
                if let Some(l) = list {
                    let s = mul(l, b.tiered)? - cost;
                    if s > Decimal::ZERO {
                        add(&mut b.savings, s)?;
                        add(&mut tier_savings, s)?;
                    }
                }
                add(&mut b.amount, cost)?;
                add(&mut b.charged, b.tiered)?;
            }
        }
    }
    // Direct charges.
    for b in buckets.iter_mut() {
        let (c, a) = (b.direct_count, b.direct_amount);
        add(&mut b.charged, c)?;
        add(&mut b.amount, a)?;
    }
    // The 2026-10 service allowance across the portfolio, then the conversation-era free tier
    // (all conversations in 2022-23, service ones later): the kernel's rule on scaled counts.
    let eligible: Vec<Decimal> = buckets.iter().map(|b| b.allowance_eligible).collect();
    let cap = allowance_cap(&plan.options, plan.numbers)?;
    let (allowance_free, paid) = apportion(&eligible, cap)?;
    for (i, (b, paid)) in buckets.iter_mut().zip(paid).enumerate() {
        if b.allowance_eligible.is_zero() {
            continue;
        }
        let (market, cat) = key_of(i);
        add(&mut b.free, b.allowance_eligible - paid)?;
        if paid.is_zero() {
            continue;
        }
        let rate = match service_rate(engine, currency, market, d) {
            Some(r) => r,
            None => {
                missing(&mut warnings, market, cat);
                Decimal::ZERO
            }
        };
        add(&mut b.amount, mul(rate, paid)?)?;
        add(&mut b.charged, paid)?;
    }
    let eligible: Vec<Decimal> = buckets.iter().map(|b| b.free_tier_eligible).collect();
    let (tier_free, paid) = apportion(&eligible, free_tier_cap(&plan.options))?;
    for (i, (b, paid)) in buckets.iter_mut().zip(paid).enumerate() {
        if b.free_tier_eligible.is_zero() {
            continue;
        }
        let (market, cat) = key_of(i);
        add(&mut b.free, b.free_tier_eligible - paid)?;
        if paid.is_zero() {
            continue;
        }
        let rate = match engine.rates.rate(book, PricingModel::Cbp, market, cat, d) {
            Some(r) => r.rate,
            None => {
                missing(&mut warnings, market, cat);
                Decimal::ZERO
            }
        };
        add(&mut b.amount, mul(rate, paid)?)?;
        add(&mut b.charged, paid)?;
    }

    // Meta totals.
    let mut meta_total = Decimal::ZERO;
    let mut by_category = vec![Decimal::ZERO; Category::COUNT];
    let mut by_market = vec![Decimal::ZERO; engine.markets.names.len()];
    let mut seen = vec![false; slots];
    let mut lines = Vec::new();
    let mut charged_total = Decimal::ZERO;
    let mut free_total = Decimal::ZERO;
    for (i, b) in buckets.iter().enumerate() {
        if *b == Bucket::default() {
            continue;
        }
        let (market, cat) = key_of(i);
        add(&mut meta_total, b.amount)?;
        add(&mut charged_total, b.charged)?;
        add(&mut free_total, b.free)?;
        let name = engine.markets.name(market).to_string();
        add(&mut by_category[cat.index()], b.amount)?;
        add(&mut by_market[usize::from(market)], b.amount)?;
        seen[i] = true;
        lines.push(MetaLine {
            market: name,
            category: cat.as_str().to_string(),
            charged: m2s(b.charged),
            free: m2s(b.free),
            amount: m2s(b.amount),
            rate: (!b.charged.is_zero()).then(|| m2s((b.amount / b.charged).round_dp(8))),
            tier_savings: m2s(b.savings),
        });
    }
    // Each journey's share: its counts at each bucket's average price.
    let journeys = plan
        .journeys
        .iter()
        .zip(journey_counts.iter().zip(journey_messages.iter()))
        .map(|(pj, (counts, sent))| {
            let mut amount = Decimal::ZERO;
            for (b, n) in buckets.iter().zip(counts.iter()) {
                let units = b.charged + b.free;
                if !units.is_zero() && !n.is_zero() {
                    amount += b.amount * n / units;
                }
            }
            JourneyLine {
                name: pj.name.clone(),
                contacts: m2s(plan.contacts * pj.share),
                amount: m2s(amount.round_dp(10)),
                messages: m2s(*sent),
            }
        })
        .collect();

    // Reseller.
    let counts = Counts {
        business,
        inbound,
        not_delivered,
        charged: charged_total,
        conversations,
        meta_by_category: &by_category,
        meta_total,
    };
    let (reseller_lines, reseller_total, one_time) =
        reseller_fees(reseller, plan, &counts, &mut warnings)?;
    let mut total = meta_total;
    add(&mut total, reseller_total)?;
    let quote = match reseller {
        Some(r) => quote_currency(r, currency, total, one_time, &mut warnings)?,
        None => None,
    };

    // Messaging limits.
    let peak = daily.iter().copied().max().unwrap_or(Decimal::ZERO);
    let ladder: [Option<u64>; 5] = [Some(250), Some(1000), Some(10_000), Some(100_000), None];
    let fits = |t: Option<u64>| t.is_none_or(|t| Decimal::from(t) >= peak);
    let needed = ladder.iter().copied().find(|t| fits(*t)).unwrap_or(None);
    let pos = |t: Option<u64>| -> u64 {
        match t {
            Some(250) => 0,
            Some(1000) | Some(2000) => 1,
            Some(10_000) => 2,
            Some(100_000) => 3,
            _ => 4,
        }
    };
    let ok = fits(plan.limit_tier);
    let steps = if ok {
        0
    } else {
        pos(needed).saturating_sub(pos(plan.limit_tier))
    };
    if !ok {
        warnings.push(EstimateWarning {
            code: "messaging_limit".to_string(),
            message: format!(
                "the scenario sends business-initiated messages to up to {} unique customers in one day, above the messaging limit of {}; reaching {} takes about {} days of ramp-up",
                m2s(peak.ceil()),
                plan.limit_tier.map_or("unlimited".to_string(), |t| t.to_string()),
                needed.map_or("unlimited".to_string(), |t| t.to_string()),
                steps * plan.ramp_days_per_step
            ),
            path: Some("business.messagingLimit".to_string()),
        });
    }

    // Cards and provenance.
    let mut cards = Vec::new();
    for (model, date) in cards_used {
        let mut lowest = crate::model::Confidence::High;
        let mut sources: Vec<&str> = Vec::new();
        for (i, b) in buckets.iter().enumerate() {
            if *b == Bucket::default() {
                continue;
            }
            let (market, cat) = key_of(i);
            if let Some(r) = engine.rates.rate(book, model, market, cat, d) {
                lowest = lowest.min(r.provenance.confidence);
                for s in r.provenance.sources.split(';').filter(|s| !s.is_empty()) {
                    if !sources.contains(&s) {
                        sources.push(s);
                    }
                }
            }
        }
        crate::sort::sort_dedup(&mut sources);
        cards.push(CardUsed {
            date: format_date(date),
            currency: currency.clone(),
            pricing_model: model,
            confidence: lowest.as_str().to_string(),
            sources: sources.join(";"),
        });
    }
    if era >= Era::PerMessage && charged_total > Decimal::ZERO && cards.is_empty() {
        warnings.push(EstimateWarning {
            code: "no_card".to_string(),
            message: "no rate card was used".to_string(),
            path: None,
        });
    }

    let per = |den: Decimal| (!den.is_zero()).then(|| m2s((total / den).round_dp(8)));
    Ok(Estimate {
        date: format_date(d),
        month: format_month(month_key(d)),
        currency: currency.clone(),
        timezone: plan.timezone.clone(),
        total: m2s(total),
        meta: MetaCharges {
            total: m2s(meta_total),
            by_category: Category::ALL
                .iter()
                .filter(|c| {
                    seen.iter()
                        .enumerate()
                        .any(|(i, s)| *s && key_of(i).1 == **c)
                })
                .map(|c| (c.as_str().to_string(), m2s(by_category[c.index()])))
                .collect(),
            by_market: (0..by_market.len())
                .filter(|m| {
                    seen.iter()
                        .enumerate()
                        .any(|(i, s)| *s && usize::from(key_of(i).0) == *m)
                })
                .map(|m| {
                    (
                        engine.markets.name(m as MarketId).to_string(),
                        m2s(by_market[m]),
                    )
                })
                .collect(),
            lines,
        },
        free: FreeCounts {
            window: m2s(window),
            entry_point: m2s(entry),
            allowance: m2s(allowance_free),
            free_tier: m2s(tier_free),
            conversation: m2s(riders),
            total: m2s(free_total),
        },
        not_delivered: m2s(not_delivered),
        tier_savings: m2s(tier_savings),
        reseller: ResellerCharges {
            total: m2s(reseller_total),
            one_time: m2s(one_time),
            lines: reseller_lines,
        },
        quote,
        per_contact: per(plan.contacts),
        per_delivered_message: per(delivered),
        messages: MessageCounts {
            business: m2s(business),
            delivered: m2s(delivered),
            charged: m2s(charged_total),
            free: m2s(free_total),
            not_delivered: m2s(not_delivered),
            inbound: m2s(inbound),
        },
        journeys,
        cards,
        limits: Limits {
            peak_daily_recipients: m2s(peak),
            tier: plan.limit_tier,
            ok,
            needed_tier: needed,
            ramp_days: steps * plan.ramp_days_per_step,
        },
        warnings,
        contacts: m2s(plan.contacts),
    })
}

struct Counts<'a> {
    business: Decimal,
    inbound: Decimal,
    not_delivered: Decimal,
    charged: Decimal,
    conversations: Decimal,
    meta_by_category: &'a [Decimal],
    meta_total: Decimal,
}

fn line(
    code: &str,
    label: String,
    quantity: Decimal,
    unit: Decimal,
    one_time: bool,
) -> Result<ResellerLine> {
    Ok(ResellerLine {
        code: code.to_string(),
        label,
        quantity: m2s(quantity),
        unit_price: m2s(unit),
        amount: m2s(mul(quantity, unit)?),
        one_time,
    })
}

fn reseller_fees(
    r: Option<&Reseller>,
    plan: &Plan,
    c: &Counts,
    _w: &mut Vec<EstimateWarning>,
) -> Result<(Vec<ResellerLine>, Decimal, Decimal)> {
    let Some(r) = r else {
        return Ok((Vec::new(), Decimal::ZERO, Decimal::ZERO));
    };
    let p = "reseller";
    let mut lines = Vec::new();
    let opt = |v: &Option<String>, name: &str| -> Result<Option<Decimal>> {
        v.as_deref()
            .map(|s| money(s, &format!("{p}.{name}")))
            .transpose()
    };
    if let Some(u) = opt(&r.per_outbound, "perOutbound")? {
        lines.push(line(
            "per_outbound",
            "Fee per business message sent".into(),
            c.business,
            u,
            false,
        )?);
    }
    if let Some(u) = opt(&r.per_inbound, "perInbound")? {
        lines.push(line(
            "per_inbound",
            "Fee per customer message received".into(),
            c.inbound,
            u,
            false,
        )?);
    }
    if let Some(u) = opt(&r.per_failed, "perFailed")? {
        lines.push(line(
            "per_failed",
            "Fee per undelivered message".into(),
            c.not_delivered,
            u,
            false,
        )?);
    }
    for (cat, pct) in &r.markup_percent {
        let path = format!("{p}.markupPercent.{cat}");
        let f = percent(*pct, 1000.0, &path)?;
        let base = if cat == "all" {
            c.meta_total
        } else if Category::parse(cat).is_some() {
            Category::parse(cat).map_or(Decimal::ZERO, |k| c.meta_by_category[k.index()])
        } else {
            return Err(Error::new(
                ErrorCode::InvalidCategory,
                path,
                format!("unknown category {cat:?} for a markup: expected a category or \"all\""),
            ));
        };
        if !base.is_zero() && !f.is_zero() {
            lines.push(line(
                &format!("markup_{cat}"),
                format!(
                    "Markup {}% on Meta {} charges",
                    crate::error::show_f64(*pct),
                    cat.replace('_', "-")
                ),
                base,
                f,
                false,
            )?);
        }
    }
    if let Some(u) = opt(&r.per_number_monthly, "perNumberMonthly")? {
        lines.push(line(
            "per_number",
            "Monthly fee per business phone number".into(),
            Decimal::from(plan.numbers),
            u,
            false,
        )?);
    }
    if let Some(u) = opt(&r.platform_monthly, "platformMonthly")? {
        lines.push(line(
            "platform",
            "Monthly platform fee".into(),
            Decimal::ONE,
            u,
            false,
        )?);
    }
    if let Some(s) = &r.sub_accounts {
        let n = Decimal::from(crate::input::count(
            s.count,
            0,
            100_000,
            &format!("{p}.subAccounts.count"),
            "number of sub-accounts",
        )?);
        let fee = money(&s.monthly_fee, &format!("{p}.subAccounts.monthlyFee"))?;
        lines.push(line(
            "sub_accounts",
            "Monthly fee per sub-account".into(),
            n,
            fee,
            false,
        )?);
    }
    if let Some(pk) = &r.package {
        let path = format!("{p}.package");
        let units = match pk.kind.as_str() {
            "messages" => c.business,
            "active_users" => plan
                .contacts
                .min(plan.journeys.iter().map(|j| plan.contacts * j.share).sum()),
            "conversations" => {
                if c.conversations.is_zero() {
                    c.charged
                } else {
                    c.conversations
                }
            }
            o => {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    format!("{path}.kind"),
                    format!(
                    "unknown package kind {o:?}: expected messages, active_users or conversations"
                ),
                ))
            }
        };
        let included = Decimal::from(crate::input::count(
            pk.included,
            0,
            u64::MAX >> 12,
            &format!("{path}.included"),
            "units included",
        )?);
        let price = money(&pk.price, &format!("{path}.price"))?;
        lines.push(line(
            "package",
            format!(
                "Package: {} {} included",
                included,
                pk.kind.replace('_', " ")
            ),
            Decimal::ONE,
            price,
            false,
        )?);
        let over = units - included;
        if over > Decimal::ZERO {
            let rate = match &pk.overage {
                Some(o) => money(o, &format!("{path}.overage"))?,
                None => Decimal::ZERO,
            };
            lines.push(line(
                "package_overage",
                format!("{} beyond the package", pk.kind.replace('_', " ")),
                over,
                rate,
                false,
            )?);
        }
    }
    if let Some(pp) = &r.prepaid {
        let path = format!("{p}.prepaid");
        let price = money(&pp.point_price, &format!("{path}.pointPrice"))?;
        if price.is_zero() {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("{path}.pointPrice"),
                "a point price of 0 cannot buy Meta charges",
            ));
        }
        let per_unit = match &pp.points_per_unit {
            Some(s) => money(s, &format!("{path}.pointsPerUnit"))?,
            None => Decimal::ONE / price,
        };
        let points = mul(c.meta_total, per_unit)?;
        let cost = mul(points, price)?;
        let diff = cost - c.meta_total;
        if !diff.is_zero() {
            lines.push(ResellerLine {
                code: "prepaid_points".into(),
                label: format!(
                    "Prepaid points for Meta charges: {} points at {} (difference to Meta's price)",
                    m2s(points.round_dp(4)),
                    m2s(price)
                ),
                quantity: m2s(points),
                unit_price: m2s(price),
                amount: m2s(diff),
                one_time: false,
            });
        }
        if let Some(h) = pp.handling_percent {
            let f = percent(h, 100.0, &format!("{path}.handlingPercent"))?;
            lines.push(line(
                "prepaid_handling",
                format!(
                    "Handling fee {}% on prepaid points",
                    crate::error::show_f64(h)
                ),
                cost,
                f,
                false,
            )?);
        }
    }
    if let Some(u) = opt(&r.setup_fee, "setupFee")? {
        lines.push(line(
            "setup",
            "One-time setup and application fee".into(),
            Decimal::ONE,
            u,
            true,
        )?);
    }
    let mut monthly = Decimal::ZERO;
    let mut once = Decimal::ZERO;
    for l in &lines {
        let a: Decimal = l.amount.parse().map_err(|_| ovf())?;
        if l.one_time {
            add(&mut once, a)?;
        } else {
            add(&mut monthly, a)?;
        }
    }
    Ok((lines, monthly, once))
}

fn quote_currency(
    r: &Reseller,
    currency: &str,
    total: Decimal,
    one_time: Decimal,
    w: &mut Vec<EstimateWarning>,
) -> Result<Option<QuoteCurrency>> {
    let Some(q) = &r.quote_currency else {
        return Ok(None);
    };
    let qc = crate::input::currency(Some(q), "reseller.quoteCurrency")?;
    if qc == currency {
        return Ok(None);
    }
    let rate = match &r.fx_rate {
        Some(s) => money(s, "reseller.fxRate")?,
        None => {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "reseller.fxRate",
                format!("a quote in {qc} needs an FX rate from {currency}: rates are never converted by the engine"),
            ))
        }
    };
    if rate.is_zero() {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            "reseller.fxRate",
            "an FX rate of 0 is not a rate",
        ));
    }
    let margin = percent(
        r.fx_margin_percent.unwrap_or(0.0),
        100.0,
        "reseller.fxMarginPercent",
    )?;
    let effective = mul(rate, Decimal::ONE + margin)?;
    w.push(EstimateWarning {
        code: "fx".to_string(),
        message: format!(
            "Meta bills in {currency}; the {qc} figures use the FX rate entered ({} {qc} per {currency}, {}% margin), not a market rate",
            m2s(rate),
            m2s(margin * Decimal::ONE_HUNDRED)
        ),
        path: Some("reseller.fxRate".to_string()),
    });
    Ok(Some(QuoteCurrency {
        currency: qc,
        fx_rate: m2s(effective),
        total: m2s(mul(total, effective)?),
        one_time: m2s(mul(one_time, effective)?),
    }))
}

/// One date of a comparison and its delta from the first.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Delta {
    /// From date.
    pub from: String,
    /// To date.
    pub to: String,
    /// Total delta.
    pub total: String,
    /// Meta delta.
    pub meta: String,
    /// Delta by category.
    pub by_category: BTreeMap<String, String>,
    /// Delta by market.
    pub by_market: BTreeMap<String, String>,
}

/// The result of `compare`.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    /// Dates compared.
    pub dates: Vec<String>,
    /// One estimate per date.
    pub estimates: Vec<Estimate>,
    /// Deltas from the first date.
    pub deltas: Vec<Delta>,
}

fn diff_maps(
    a: &BTreeMap<String, String>,
    b: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    crate::sort::sort_dedup(&mut keys);
    keys.into_iter()
        .map(|k| {
            let x = a.get(k).and_then(|s| money_signed(s)).unwrap_or_default();
            let y = b.get(k).and_then(|s| money_signed(s)).unwrap_or_default();
            (k.clone(), m2s(y - x))
        })
        .collect()
}

fn money_signed(s: &str) -> Option<Decimal> {
    s.parse::<Decimal>().ok()
}

/// Prices the scenario under several dates.
pub fn compare(engine: &Engine, scenario: &Scenario, dates: &[Date]) -> Result<Comparison> {
    if dates.is_empty() || dates.len() > 12 {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            "dates",
            format!("{} dates given: compare takes 1 to 12 dates", dates.len()),
        ));
    }
    let mut estimates = Vec::new();
    for (i, d) in dates.iter().enumerate() {
        estimates.push(estimate(engine, scenario, Some(*d)).map_err(|e| {
            if e.path.is_empty() {
                e.under(&format!("dates[{i}]"))
            } else {
                e
            }
        })?);
    }
    let first = &estimates[0];
    let deltas = estimates
        .iter()
        .skip(1)
        .map(|e| Delta {
            from: first.date.clone(),
            to: e.date.clone(),
            total: m2s(money_signed(&e.total).unwrap_or_default()
                - money_signed(&first.total).unwrap_or_default()),
            meta: m2s(money_signed(&e.meta.total).unwrap_or_default()
                - money_signed(&first.meta.total).unwrap_or_default()),
            by_category: diff_maps(&first.meta.by_category, &e.meta.by_category),
            by_market: diff_maps(&first.meta.by_market, &e.meta.by_market),
        })
        .collect();
    Ok(Comparison {
        dates: estimates.iter().map(|e| e.date.clone()).collect(),
        estimates,
        deltas,
    })
}
