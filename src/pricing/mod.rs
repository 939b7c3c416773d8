//! The pricing kernel: the one home of every pricing rule (SPEC §3, §6–§9, §12, §13).
//!
//! Events are processed in order of instant (stably). Windows and conversations belong to the
//! recipient; monthly counters (free tiers, volume tiers, the service allowance) belong to the
//! account and reset at local midnight on the 1st. Each business event gets a [`Verdict`].
//!
//! The kernel reads the tables it needs ([`Tables`]: markets and rates), never the engine's
//! facade. Its parts:
//!
//! - `stream`: [`simulate`] and the [`Simulator`] fed one event at a time;
//! - `decide`: the era guard (§13.16), then not delivered (§13.18), the customer-service window
//!   and the free entry point (§6, §13.3–§13.6) before each era's rules;
//! - `conversations`: the conversation eras (§7.1, §7.2, §13.7–§13.9);
//! - `per_message`: the per-message eras (§7.3, §7.4), authentication-international (§9, §13.13)
//!   and list rates (§13.10, §13.11);
//! - `volume`: the volume tiers (§8, §13.12);
//! - `allowance`: the conversation free tiers (§7.1, §7.2) and the 2026-10 service allowance
//!   (§7.4, §12);
//! - `groups`: the participants of group messages and the group window (§15);
//! - `ledger`: the totals and warnings of a simulation;
//! - `opening`: the counters of a month a log starts in the middle of (§7.4, §8);
//! - `state`: the per-customer and per-simulation state.

mod allowance;
mod conversations;
mod decide;
mod groups;
mod ledger;
#[cfg(any(not(target_arch = "wasm32"), feature = "logs-wasm"))]
mod opening;
mod per_message;
mod state;
mod stream;
mod volume;

pub use allowance::{allowance_cap, apportion, free_tier_cap};
pub use decide::{date_era, era_guard};
pub use groups::{Groups, MAX_PARTICIPANTS};
pub use ledger::Warning;
pub use per_message::service_rate;
pub(crate) use per_message::{missing_rate, no_rate};
pub(crate) use state::no_card;
pub(crate) use stream::too_many_events;
pub use stream::{simulate, Simulator};
pub use volume::{band, graduated, tier_group, TIER_GROUPS};

use crate::markets::{MarketId, MarketOptions, MarketTable, Phone, Resolution};
use crate::model::{Category, PricingModel, TemplateCategory, VerdictType};
use crate::rates::RateBook;
use crate::time::{Date, MonthKey, Zone};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

/// How many events ahead the state of a customer is prefetched: enough for the loads of several
/// events to overlap, few enough that the lines are still in cache when their event comes.
pub(crate) const PREFETCH_AHEAD: usize = 8;

/// The tables the kernel prices from: the market table and the rate book.
#[derive(Debug, Clone, Copy)]
pub struct Tables<'a> {
    /// The market table.
    pub markets: &'a MarketTable,
    /// Rates and volume tiers.
    pub rates: &'a RateBook,
}

/// Largest number of events one simulation accepts.
pub const MAX_EVENTS: usize = 20_000_000;

/// What happened: the event kinds of the simulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// A message from the user (opens or restarts the customer-service window).
    Inbound {
        /// From a click-to-WhatsApp ad or a Page button (a free entry point).
        referral: bool,
    },
    /// A business template of a category.
    Template(TemplateCategory),
    /// A business non-template (free-form) message.
    Message,
    /// A business reaction.
    Reaction,
    /// A marketing message sent with the Marketing Messages API (MM Lite, SPEC §15): charged per
    /// delivered message at the marketing rate in every era, labelled `PMP`; it opens no
    /// conversation and rides in none.
    MarketingLite,
}

/// Delivery status of a business event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Delivered (the default).
    Delivered,
    /// Failed: never delivered.
    Failed,
    /// Sent but never delivered.
    Sent,
}

impl Status {
    /// `delivered`, `failed` or `sent`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Delivered => "delivered",
            Status::Failed => "failed",
            Status::Sent => "sent",
        }
    }
}

/// One event of a timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    /// Instant, epoch milliseconds (the delivery instant for business messages).
    pub at: i64,
    /// The customer.
    pub user: Phone,
    /// What happened.
    pub kind: EventKind,
    /// The business phone number that sends (business events); `None` is the default number.
    pub from: Option<Phone>,
    /// Delivery status (business events).
    pub status: Status,
}

/// Scope of the 2026-10 free service allowance (SPEC §12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllowanceScope {
    /// Per business phone number (default).
    Number,
    /// Per account (WABA).
    Waba,
}

/// Simulation options; every uncertain rule of SPEC §12 is one of these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Free-entry-point window length in hours for windows opened from 2023-03-01. Default 72.
    pub fep_hours: u32,
    /// Market assumptions.
    pub markets: MarketOptions,
    /// Scope of the 2026-10 service allowance. Default per number.
    pub allowance_scope: AllowanceScope,
    /// Free delivered service messages per scope per month from 2026-10-01. Default 1,000.
    pub service_allowance: u64,
    /// Free conversations per month in the conversation era. Default 1,000.
    pub conversation_free_tier: u64,
    /// Government or non-profit body: free service until 2027-12-31. Default false.
    pub nonprofit: bool,
    /// Keep one verdict per business event (default) or totals only.
    pub keep_messages: bool,
    /// Keep the windows the simulation opened ([`Simulation::windows`]). Default false: the
    /// simulation then spends nothing on them.
    pub keep_windows: bool,
    /// Price a message whose rate no row provides at 0 with a `missing_rate` warning instead of
    /// failing (used by estimates, which report such gaps as warnings). Default false.
    pub lenient_rates: bool,
    /// What the month of the first business message had counted before it (a log that starts
    /// in the middle of a month). Default none: the counters start at zero.
    pub opening: Option<Box<Opening>>,
}

/// The counters of a month before a log's first business message (SPEC §7.4, §8): they start from
/// these instead of zero.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Opening {
    /// The local month they belong to; `None`: the month of the first business message.
    pub month: Option<MonthKey>,
    /// Delivered service messages already counted against the free allowance, per sending
    /// number (`None`: messages that name no number). With the account scope they are summed.
    pub service: Vec<(Option<Phone>, u64)>,
    /// Charged messages already counted for the volume tiers, per market × tiered category
    /// (utility, authentication, authentication-international; the two authentications share a
    /// counter, SPEC §8).
    pub charged: Vec<(MarketId, Category, u64)>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            fep_hours: crate::model::FEP_HOURS_DEFAULT,
            markets: MarketOptions::default(),
            allowance_scope: AllowanceScope::Number,
            service_allowance: 1000,
            conversation_free_tier: 1000,
            nonprofit: false,
            keep_messages: true,
            keep_windows: false,
            lenient_rates: false,
            opening: None,
        }
    }
}

/// Who is the business, for authentication-international (SPEC §9).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Business {
    /// ISO code of the primary location; `None` differs from every recipient.
    pub country: Option<String>,
    /// Eligibility start dates, keyed by recipient ISO code or market name.
    pub auth_international: Vec<(String, Date)>,
}

/// A validated simulation request.
#[derive(Debug, Clone)]
pub struct Request {
    /// Billing currency.
    pub currency: String,
    /// Business time zone.
    pub zone: Zone,
    /// The business.
    pub business: Business,
    /// Options.
    pub options: Options,
    /// Events, in input order.
    pub events: Vec<Event>,
    /// Where the events come from, when a group message made several of one input event.
    pub sources: Sources,
}

/// The input events that `Request::events` come from (SPEC §15): a group message is priced as one
/// message per participant, and a message written in a group opens the window of every
/// participant (see [`Groups`]), so one input event may give several events, which keep its
/// position in the input (verdicts, windows, warnings and errors name it).
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// For each event, the position in the input of the event it comes from; empty when every
    /// event is its own input event.
    pub index: Vec<u32>,
    /// The positions in the input of the group messages, ascending.
    pub groups: Vec<u32>,
}

/// A conversation as a verdict reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConversationRef {
    /// Conversation id, from 1 in order of opening.
    pub id: u32,
    /// Category of the conversation.
    pub category: Category,
    /// Start instant.
    pub start: i64,
    /// End instant (exclusive).
    pub end: i64,
    /// Whether this message opened it.
    pub opened: bool,
}

/// The kinds of window a customer's state goes through (SPEC §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowKind {
    /// A customer-service window: 24 hours from a customer's message.
    Service,
    /// A free-entry-point window: from the first delivered business message within 24 hours of
    /// an ad-originated customer message, `fep_hours` long (24 hours before 2023-03-01).
    EntryPoint,
}

impl WindowKind {
    /// `service` or `entry_point`.
    pub fn as_str(self) -> &'static str {
        match self {
            WindowKind::Service => "service",
            WindowKind::EntryPoint => "entry_point",
        }
    }
}

/// A window a simulation opened. A customer's later window of the same kind restarts it (service)
/// or replaces it (entry point) from its own start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Which window.
    pub kind: WindowKind,
    /// Position in the input of the message that opened it: the customer's message (service), the
    /// business message (entry point).
    pub index: u32,
    /// The customer.
    pub user: Phone,
    /// Start instant.
    pub start: i64,
    /// End instant (exclusive).
    pub end: i64,
}

/// Why a verdict is what it is; the explanation is written from this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The status says it was not delivered.
    NotDelivered(Status),
    /// A free-form message or reaction with no open customer-service window.
    NoWindow,
    /// Opened a free-entry-point window.
    EntryPointOpened {
        /// Window length in hours.
        hours: u32,
    },
    /// Inside a free-entry-point window.
    EntryPointInside,
    /// Opened a conversation.
    ConversationOpened,
    /// Rode in an open conversation.
    Rider,
    /// Rode in a utility conversation opened before 2025-07-01.
    CarriedUtility,
    /// A per-message template charged at its rate.
    TemplateCharged,
    /// A utility template free inside the customer-service window (to 2026-09-30).
    UtilityInWindow,
    /// A free-form message free inside the window (to 2026-09-30).
    ServiceInWindow,
    /// A reaction: free from 2026-10-01.
    ReactionFree,
    /// Within the monthly service allowance (from 2026-10-01).
    ServiceAllowance {
        /// Position in the month's allowance count.
        n: u64,
        /// The allowance.
        of: u64,
    },
    /// Past the allowance: charged at the service rate.
    ServiceCharged {
        /// Position in the month's count.
        n: u64,
        /// The allowance.
        of: u64,
    },
    /// A non-profit's free service.
    NonprofitService,
}

/// The verdict on one business event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    /// Position in the input.
    pub index: u32,
    /// Instant.
    pub at: i64,
    /// Business-local date.
    pub local_date: Date,
    /// Recipient.
    pub user: Phone,
    /// Sending number.
    pub from: Option<Phone>,
    /// Kind of the event.
    pub kind: EventKind,
    /// Market and matched row.
    pub resolution: Resolution,
    /// Pricing model.
    pub model: PricingModel,
    /// Category.
    pub category: Category,
    /// Type.
    pub vtype: VerdictType,
    /// Whether this message carries a charge.
    pub charged: bool,
    /// Amount charged on this message.
    pub amount: Decimal,
    /// Rate charged.
    pub rate: Option<Decimal>,
    /// Tier band.
    pub tier: Option<u8>,
    /// Conversation (conversation era).
    pub conversation: Option<ConversationRef>,
    /// Why.
    pub reason: Reason,
}

/// Sums of a simulation.
#[derive(Debug, Clone, Default)]
pub struct Totals {
    /// Total amount.
    pub amount: Decimal,
    /// By category.
    pub by_category: FxHashMap<Category, Decimal>,
    /// By market.
    pub by_market: FxHashMap<MarketId, Decimal>,
    /// By local month.
    pub by_month: FxHashMap<MonthKey, Decimal>,
    /// By market × category.
    pub by_market_category: FxHashMap<(MarketId, Category), Decimal>,
    /// Business events.
    pub messages: u64,
    /// Messages carrying a charge.
    pub charged: u64,
    /// Delivered messages free of charge (riders, windows, entry points, free tiers).
    pub free: u64,
    /// Messages not delivered.
    pub not_delivered: u64,
    /// Count per verdict type.
    pub by_type: [u64; 5],
    /// Delivered messages per market × category (charged or not).
    pub delivered_by_market_category: FxHashMap<(MarketId, Category), u64>,
    /// Messages carrying a charge per market × category.
    pub charged_by_market_category: FxHashMap<(MarketId, Category), u64>,
    /// Conversations opened, by category.
    pub conversations: FxHashMap<Category, u64>,
    /// Saving from volume tiers: Σ (list rate − band rate) over tiered messages.
    pub tier_savings: Decimal,
    /// Charged messages with no rate in force (lenient pricing only), per market × category:
    /// left out of every amount, so the totals are complete only when this is empty.
    pub unpriced: FxHashMap<(MarketId, Category), u64>,
}

/// A card used: (pricing model, card date).
pub type CardUse = (PricingModel, Date);

/// The outcome of a simulation.
#[derive(Debug, Clone)]
pub struct Simulation {
    /// Billing currency.
    pub currency: String,
    /// Time zone name.
    pub timezone: String,
    /// One verdict per business event in input order (empty when messages are not kept).
    pub verdicts: Vec<Verdict>,
    /// Sums.
    pub totals: Totals,
    /// Cards used, sorted.
    pub cards: Vec<CardUse>,
    /// Warnings.
    pub warnings: Vec<Warning>,
    /// The windows opened, in order of opening (empty unless `Options::keep_windows`).
    pub windows: Vec<Window>,
    /// The positions in the input of the group messages, ascending ([`Sources::groups`]).
    pub groups: Vec<u32>,
}
