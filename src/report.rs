//! Simulation results as users read them: plain serialisable structures with money as decimal
//! strings, instants as RFC 3339, and one explanation sentence per message.

use crate::messages::{Message, Params, Value};
use crate::model::{Category, PricingModel, VerdictType, PMP_START};
use crate::money;
use crate::pricing::{EventKind, Reason, Simulation, Status, Verdict, Window};
use crate::time::{format_date, format_instant, format_month};
use crate::Engine;
use rust_decimal::Decimal;
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
    /// The windows the simulation opened, in order of opening (with the messages only).
    pub windows: Vec<Window>,
}

/// A window as the report writes it: `{ kind, index, user, start, end }`, instants in RFC 3339
/// like a conversation's.
impl Serialize for Window {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut w = s.serialize_struct("Window", 5)?;
        w.serialize_field("kind", self.kind.as_str())?;
        w.serialize_field("index", &self.index)?;
        w.serialize_field("user", &self.user.to_e164())?;
        w.serialize_field("start", &format_instant(self.start))?;
        w.serialize_field("end", &format_instant(self.end))?;
        w.end()
    }
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
    /// Category, in Meta's words: `group_marketing`, `group_utility`, `group_service` for a
    /// group message (SPEC §15).
    pub category: &'static str,
    /// Type, in Meta's words: `free_group_customer_service` for a free group message.
    #[serde(rename = "type")]
    pub vtype: &'static str,
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
    /// One sentence: the English of `explanationCode` with `explanationParams`.
    pub explanation: String,
    /// The code of the explanation in the catalogue (`docs/messages.md`).
    pub explanation_code: &'static str,
    /// The parameters of the explanation.
    pub explanation_params: Params,
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

/// A warning: a message of the catalogue (`src/messages.rs`).
pub type WarningReport = crate::messages::Message;

/// Builds the report of a simulation.
pub fn simulation(engine: &Engine, sim: &Simulation) -> SimulationReport {
    let messages = sim
        .verdicts
        .iter()
        .map(|v| message(engine, sim, v))
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
            seq.serialize_element(&message(self.engine, self.sim, v))?;
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
        warnings: sim.warnings.clone(),
        windows: sim.windows.clone(),
    }
}

fn message(engine: &Engine, sim: &Simulation, v: &Verdict) -> MessageReport {
    let why = explanation(engine, &sim.currency, v);
    let group = sim.groups.binary_search(&v.index).is_ok();
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
        category: crate::labels::meta_category(v, false, group),
        vtype: crate::labels::meta_type(v, group),
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
        explanation: why.message(),
        explanation_code: why.code,
        explanation_params: why.params,
    }
}

/// The `what` term of an explanation (`template` names its category) and the category it names.
fn what(v: &Verdict) -> (&'static str, Category) {
    match v.kind {
        EventKind::Template(t) => ("template", t.category()),
        EventKind::Message => ("message", v.category),
        EventKind::Reaction => ("reaction", v.category),
        EventKind::Inbound { .. } => ("inbound", v.category),
        EventKind::MarketingLite => ("marketing_lite", v.category),
    }
}

/// Hours with one decimal at most (rounded half up to the tenth), without float formatting.
fn hours(ms: i64) -> Decimal {
    Decimal::new((ms + 180_000) / 360_000, 1).normalize()
}

/// One sentence a salesperson can read to a customer.
pub fn explain(engine: &Engine, currency: &str, v: &Verdict) -> String {
    explanation(engine, currency, v).message()
}

/// Why a message costs what it costs, as a code of the catalogue (`src/messages.rs`) with its
/// parameters: one per reason of the kernel (`pricing::Reason`, SPEC §4–§12).
pub fn explanation(engine: &Engine, currency: &str, v: &Verdict) -> Message {
    let (w, wcat) = what(v);
    let with_what = |p: Params| {
        p.with("what", Value::Term(w))
            .with("category", Value::Category(wcat))
    };
    let market = || Value::Market(engine.markets.name(v.resolution.market).to_string());
    let rate = |p: Params| {
        p.with("rate", Value::Money(v.rate.unwrap_or(Decimal::ZERO)))
            .with("currency", Value::Currency(currency.to_string()))
    };
    let p = Params::new();
    let (code, params) = match v.reason {
        Reason::NotDelivered(Status::Failed) => ("expl_failed", with_what(p)),
        Reason::NotDelivered(_) => ("expl_not_delivered", with_what(p)),
        Reason::NoWindow => ("expl_no_window", with_what(p)),
        Reason::EntryPointOpened { hours: h } => (
            "expl_entry_point_opened",
            p.with("hours", Value::Count(u64::from(h))),
        ),
        Reason::EntryPointInside => ("expl_entry_point_inside", p),
        Reason::ConversationOpened => match v.vtype {
            VerdictType::Regular => (
                "expl_conversation_opened",
                rate(
                    p.with("what", Value::Term(w))
                        .with("category", Value::Category(v.category))
                        .with("market", market()),
                ),
            ),
            VerdictType::FreeTier => (
                "expl_conversation_free_tier",
                p.with("what", Value::Term(w))
                    .with("category", Value::Category(v.category)),
            ),
            _ => ("expl_conversation_service", with_what(p)),
        },
        Reason::Rider => {
            let c = v.conversation.map_or(0, |c| c.end - v.at);
            (
                "expl_rider",
                p.with("category", Value::Category(v.category))
                    .with("hours", Value::Number(hours(c))),
            )
        }
        Reason::CarriedUtility => (
            "expl_carried_utility",
            p.with("date", Value::Date(PMP_START)),
        ),
        Reason::TemplateCharged => {
            let p = rate(
                p.with("what", Value::Term(w))
                    .with("category", Value::Category(v.category))
                    .with("market", market()),
            );
            match v.tier {
                Some(t) => (
                    "expl_template_charged_tier",
                    p.with("tier", Value::Count(u64::from(t))),
                ),
                None => ("expl_template_charged", p),
            }
        }
        Reason::UtilityInWindow => ("expl_utility_in_window", p),
        Reason::ServiceInWindow => ("expl_service_in_window", with_what(p)),
        Reason::ReactionFree => ("expl_reaction", p),
        Reason::ServiceAllowance { n, of } => (
            "expl_service_allowance",
            p.with("n", Value::Count(n)).with("of", Value::Count(of)),
        ),
        Reason::ServiceCharged { n, of } => (
            "expl_service_charged",
            rate(p)
                .with("n", Value::Count(n))
                .with("of", Value::Count(of)),
        ),
        Reason::NonprofitService => ("expl_nonprofit_service", p),
    };
    Message::new(code, params)
}
