//! Simulation results as users read them: plain serialisable structures with money as decimal
//! strings, instants as RFC 3339, and one explanation sentence per message.

use crate::model::{Category, PricingModel, VerdictType, PMP_START};
use crate::money;
use crate::pricing::{EventKind, Reason, Simulation, Status, Verdict};
use crate::time::{format_date, format_instant, format_month};
use crate::Engine;
use serde::Serialize;
use std::collections::BTreeMap;

/// The result of `simulate`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulationReport<M = Vec<MessageReport>> {
    /// Billing currency.
    pub currency: String,
    /// Business time zone.
    pub timezone: String,
    /// One entry per business event, in input order.
    pub messages: M,
    /// Sums.
    pub totals: TotalsReport,
    /// Cards used.
    pub cards: Vec<CardRef>,
    /// Warnings.
    pub warnings: Vec<WarningReport>,
}

/// A conversation reference.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationReport {
    /// Id.
    pub id: u32,
    /// Category.
    pub category: Category,
    /// Start (RFC 3339).
    pub start: String,
    /// End, exclusive (RFC 3339).
    pub end: String,
    /// Whether this message opened it.
    pub opened: bool,
}

/// One message's verdict.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageReport {
    /// Position of the event in the input.
    pub index: u32,
    /// Instant (RFC 3339, UTC).
    pub at: String,
    /// Business-local date.
    pub local_date: String,
    /// Recipient.
    pub user: String,
    /// Sending number, if given.
    pub from: Option<String>,
    /// `template`, `message` or `reaction`.
    pub kind: &'static str,
    /// Recipient ISO country.
    pub country: Option<String>,
    /// Market.
    pub market: String,
    /// `CBP` or `PMP`.
    pub pricing_model: PricingModel,
    /// Category.
    pub category: Category,
    /// Type.
    #[serde(rename = "type")]
    pub vtype: VerdictType,
    /// Meta's `pricing.billable` for this message (SPEC §14): per-message eras, charged;
    /// conversation eras, counted in a conversation (free-tier and free service ones included),
    /// false only in an entry-point window.
    pub billable: bool,
    /// Whether a charge falls on this message.
    pub charged: bool,
    /// Amount.
    pub amount: String,
    /// Rate charged.
    pub rate: Option<String>,
    /// Tier band.
    pub tier: Option<u8>,
    /// Conversation.
    pub conversation: Option<ConversationReport>,
    /// One sentence.
    pub explanation: String,
}

/// Sums.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TotalsReport {
    /// Total.
    pub amount: String,
    /// By category.
    pub by_category: BTreeMap<String, String>,
    /// By market.
    pub by_market: BTreeMap<String, String>,
    /// By local month.
    pub by_month: BTreeMap<String, String>,
    /// Business events.
    pub messages: u64,
    /// Messages carrying a charge.
    pub charged: u64,
    /// Delivered messages free of charge.
    pub free: u64,
    /// Not delivered.
    pub not_delivered: u64,
    /// Count per type.
    pub by_type: BTreeMap<String, u64>,
    /// Conversations opened per category.
    pub conversations: BTreeMap<String, u64>,
    /// Saving from volume tiers against the list rate.
    pub tier_savings: String,
    /// Whether every charged message had a rate in force (`amount` is then the whole bill).
    pub complete: bool,
    /// The charged messages with no rate in force, one entry per market × category, sorted:
    /// `amount` leaves them out, so it is at least what is owed, not the whole.
    pub unpriced: Vec<Unpriced>,
}

/// Charged messages of one market × category that no rate in force prices (SPEC §5): what an
/// incomplete total leaves out.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "camelCase")]
pub struct Unpriced {
    /// Market.
    pub market: String,
    /// Category.
    pub category: String,
    /// Charged messages (conversation era: conversations) without a rate, whole.
    pub messages: u64,
}

/// The unpriced lines of a simulation's totals, sorted by market then category.
pub fn unpriced_lines(
    engine: &Engine,
    unpriced: &rustc_hash::FxHashMap<(crate::markets::MarketId, Category), u64>,
) -> Vec<Unpriced> {
    let mut v: Vec<Unpriced> = unpriced
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|((m, c), n)| Unpriced {
            market: engine.markets.name(*m).to_string(),
            category: c.as_str().to_string(),
            messages: *n,
        })
        .collect();
    crate::sort::sort_dedup(&mut v);
    v
}

/// A card used.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CardRef {
    /// Card date.
    pub date: String,
    /// Currency.
    pub currency: String,
    /// Pricing model.
    pub pricing_model: PricingModel,
}

/// A warning.
#[derive(Debug, Clone, Serialize)]
pub struct WarningReport {
    /// Code.
    pub code: &'static str,
    /// Message.
    pub message: String,
    /// Event index, if about one.
    pub index: Option<u32>,
}

/// Builds the report of a simulation.
pub fn simulation(engine: &Engine, sim: &Simulation) -> SimulationReport {
    let messages = sim
        .verdicts
        .iter()
        .map(|v| message(engine, &sim.currency, v))
        .collect();
    simulation_with(engine, sim, messages)
}

/// The messages of a simulation, written one at a time when serialised (a large timeline never
/// holds every message's report at once).
pub struct LazyMessages<'a> {
    engine: &'a Engine,
    sim: &'a Simulation,
}

impl Serialize for LazyMessages<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.sim.verdicts.len()))?;
        for v in &self.sim.verdicts {
            seq.serialize_element(&message(self.engine, &self.sim.currency, v))?;
        }
        seq.end()
    }
}

/// The report of a simulation with its messages written lazily (see [`LazyMessages`]).
pub fn simulation_lazy<'a>(
    engine: &'a Engine,
    sim: &'a Simulation,
) -> SimulationReport<LazyMessages<'a>> {
    simulation_with(engine, sim, LazyMessages { engine, sim })
}

fn simulation_with<M>(engine: &Engine, sim: &Simulation, messages: M) -> SimulationReport<M> {
    let t = &sim.totals;
    let names = &engine.markets;
    let m = |d: &rust_decimal::Decimal| money::to_string(*d);
    SimulationReport {
        currency: sim.currency.clone(),
        timezone: sim.timezone.clone(),
        messages,
        totals: TotalsReport {
            amount: m(&t.amount),
            by_category: crate::sort::map(
                t.by_category
                    .iter()
                    .map(|(c, a)| (c.as_str().to_string(), m(a))),
            ),
            by_market: crate::sort::map(
                t.by_market
                    .iter()
                    .map(|(k, a)| (names.name(*k).to_string(), m(a))),
            ),
            by_month: crate::sort::map(t.by_month.iter().map(|(k, a)| (format_month(*k), m(a)))),
            messages: t.messages,
            charged: t.charged,
            free: t.free,
            not_delivered: t.not_delivered,
            by_type: crate::sort::map(
                VerdictType::ALL
                    .iter()
                    .map(|v| (v.as_str().to_string(), t.by_type[*v as usize])),
            ),
            conversations: crate::sort::map(
                t.conversations
                    .iter()
                    .map(|(c, n)| (c.as_str().to_string(), *n)),
            ),
            tier_savings: m(&t.tier_savings),
            complete: t.unpriced.values().all(|n| *n == 0),
            unpriced: unpriced_lines(engine, &t.unpriced),
        },
        cards: sim
            .cards
            .iter()
            .map(|(model, d)| CardRef {
                date: format_date(*d),
                currency: sim.currency.clone(),
                pricing_model: *model,
            })
            .collect(),
        warnings: sim
            .warnings
            .iter()
            .map(|w| WarningReport {
                code: w.code,
                message: w.message.clone(),
                index: w.index,
            })
            .collect(),
    }
}

fn message(engine: &Engine, currency: &str, v: &Verdict) -> MessageReport {
    let country = engine
        .markets
        .country(v.resolution)
        .map(|c| c.0.to_string());
    MessageReport {
        index: v.index,
        at: format_instant(v.at),
        local_date: format_date(v.local_date),
        user: v.user.to_e164(),
        from: v.from.map(|p| p.to_e164()),
        kind: match v.kind {
            EventKind::Template(_) => "template",
            EventKind::Message => "message",
            EventKind::Reaction => "reaction",
            EventKind::MarketingLite => "marketing_lite",
            EventKind::Inbound { .. } => "inbound",
        },
        country,
        market: engine.markets.name(v.resolution.market).to_string(),
        pricing_model: v.model,
        category: v.category,
        vtype: v.vtype,
        billable: crate::labels::billable(v),
        charged: v.charged,
        amount: money::to_string(v.amount),
        rate: v.rate.map(money::to_string),
        tier: v.tier,
        conversation: v.conversation.map(|c| ConversationReport {
            id: c.id,
            category: c.category,
            start: format_instant(c.start),
            end: format_instant(c.end),
            opened: c.opened,
        }),
        explanation: explain(engine, currency, v),
    }
}

fn what(v: &Verdict) -> String {
    match v.kind {
        EventKind::Template(t) => format!("{} template", t.category().as_str()),
        EventKind::Message => "free-form message".to_string(),
        EventKind::Reaction => "reaction".to_string(),
        EventKind::MarketingLite => "marketing message (Marketing Messages API)".to_string(),
        EventKind::Inbound { .. } => "message".to_string(),
    }
}

fn hours(ms: i64) -> String {
    // Whole hours, or hours with one decimal, without float formatting.
    let tenths = (ms + 180_000) / 360_000;
    if tenths % 10 == 0 {
        format!("{} h", tenths / 10)
    } else {
        format!("{}.{} h", tenths / 10, tenths % 10)
    }
}

/// One sentence a salesperson can read to a customer.
pub fn explain(engine: &Engine, currency: &str, v: &Verdict) -> String {
    let market = engine.markets.name(v.resolution.market);
    let w = what(v);
    let price = |r: Option<rust_decimal::Decimal>| {
        r.map_or_else(String::new, |r| {
            format!("{currency} {}", money::to_string(r))
        })
    };
    match v.reason {
        Reason::NotDelivered(Status::Failed) => format!("This {w} failed to deliver, so Meta charges nothing for it and it opens no window."),
        Reason::NotDelivered(_) => format!("This {w} was sent but never delivered, so Meta charges nothing for it and it opens no window."),
        Reason::NoWindow => format!(
            "This {w} cannot be delivered: the customer has not written in the last 24 hours, so only a template can be sent."
        ),
        Reason::EntryPointOpened { hours: h } => format!(
            "The customer came from an ad or Page button and this reply came within 24 hours, so it opens a free {h}-hour entry-point window: every message in it is free."
        ),
        Reason::EntryPointInside => {
            "Free: it falls inside the free entry-point window opened after the customer came from an ad or Page button.".to_string()
        }
        Reason::ConversationOpened => {
            let conv_kind = v.category.as_str().replace('_', "-");
            match v.vtype {
                VerdictType::Regular => format!(
                    "This {w} opens a 24-hour {conv_kind} conversation with {market}, charged once at {}; further messages in it are free.",
                    price(v.rate)
                ),
                VerdictType::FreeTier => format!(
                    "This {w} opens a 24-hour {conv_kind} conversation that falls within the month's free conversations, so it costs nothing."
                ),
                _ => format!(
                    "This {w} opens a 24-hour service conversation; service conversations are free since 1 November 2024."
                ),
            }
        }
        Reason::Rider => {
            let c = v.conversation.map_or(0, |c| c.end - v.at);
            format!(
                "Free: it is sent inside a {} conversation already open for another {}, which was charged (or counted) when it opened.",
                v.category.as_str().replace('_', "-"),
                hours(c)
            )
        }
        Reason::CarriedUtility => format!(
            "Free: it rides in a utility conversation opened before per-message pricing began on {}, which stays open until it ends.",
            format_date(PMP_START)
        ),
        Reason::TemplateCharged => {
            let tier = match v.tier {
                Some(1) => " (volume tier 1, the list rate)".to_string(),
                Some(t) => format!(" (volume tier {t}, a discounted rate for this month's volume)"),
                None => String::new(),
            };
            let intl = if v.category == Category::AuthenticationInternational {
                " at the authentication-international rate (the business is abroad and eligible)"
            } else {
                ""
            };
            format!("Charged {}{intl} for a delivered {w} to {market}{tier}; templates are priced per delivered message.", price(v.rate))
        }
        Reason::UtilityInWindow => {
            "Free: a utility template sent while the customer-service window is open costs nothing until 30 September 2026.".to_string()
        }
        Reason::ServiceInWindow => format!("Free: a {w} inside the customer-service window costs nothing under per-message pricing."),
        Reason::ReactionFree => "Free: reactions are never charged and do not count toward the service allowance.".to_string(),
        Reason::ServiceAllowance { n, of } => format!(
            "Free: service message {n} of the {of} free service messages this business number gets this month."
        ),
        Reason::ServiceCharged { n, of } => format!(
            "Charged {} at the service rate: this is service message {n} this month, past the {of} free ones.",
            price(v.rate)
        ),
        Reason::NonprofitService => {
            "Free: eligible government and non-profit bodies keep free service messages until 31 December 2027.".to_string()
        }
    }
    .replace("  ", " ")
}
