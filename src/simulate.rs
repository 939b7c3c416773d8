//! The message-by-message simulator (SPEC §3, §6–§9, §13).
//!
//! Events are processed in order of instant (stably). Windows and conversations belong to the
//! recipient; monthly counters (free tiers, volume tiers, the service allowance) belong to the
//! account and reset at local midnight on the 1st. Each business event gets a [`Verdict`].

use crate::error::{Error, ErrorCode, Result};
use crate::markets::{MarketId, MarketOptions, Phone, Resolution, ResolveCache};
use crate::model::{
    Category, Era, PricingModel, TemplateCategory, VerdictType, FEP_72H_START,
    FEP_HOURS_BEFORE_72H, FEP_HOURS_DEFAULT, FREE_SERVICE_START, NONPROFIT_FREE_SERVICE_END,
};
use crate::rates::{Lookup, RateBook};
use crate::time::{format_date, month_key, Clock, Date, MonthKey, Zone, DAY_MS, HOUR_MS};
use crate::usertable::UserTable;
use crate::Engine;
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHashSet};

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
    /// Price a message whose rate no row provides at 0 with a `missing_rate` warning instead of
    /// failing (used by estimates, which report such gaps as warnings). Default false.
    pub lenient_rates: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            fep_hours: FEP_HOURS_DEFAULT,
            markets: MarketOptions::default(),
            allowance_scope: AllowanceScope::Number,
            service_allowance: 1000,
            conversation_free_tier: 1000,
            nonprofit: false,
            keep_messages: true,
            lenient_rates: false,
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

/// A warning about the result (not an error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Stable code.
    pub code: &'static str,
    /// Message.
    pub message: String,
    /// The event it is about, if one.
    pub index: Option<u32>,
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
}

#[derive(Debug, Clone, Copy)]
struct OpenConv {
    id: u32,
    category: Category,
    start: i64,
    end: i64,
    vtype: VerdictType,
    era: Era,
}

/// Per-recipient state, kept small (24 bytes: with its key, two customers per cache line) because
/// a large timeline touches it at random.
#[derive(Debug, Clone, Copy)]
struct UserState {
    csw_until: i64,
    /// Slot + 1 in `Sim::conv_slots` holding the open conversations; 0 when none was ever opened.
    convs: u32,
    /// Matched market row + 1; 0 for the catch-all row.
    row: u32,
    market: MarketId,
    /// Market-table epoch of the cached resolution; `u16::MAX` when none.
    epoch: u16,
    /// Slot + 1 in `Sim::entry_points`; 0 for a customer who never wrote from an ad.
    entry_point: u32,
}

const _: () = assert!(std::mem::size_of::<UserState>() == 24);

impl UserState {
    const NEW: UserState = UserState {
        csw_until: NONE,
        convs: 0,
        row: 0,
        market: 0,
        epoch: u16::MAX,
        entry_point: 0,
    };
}

/// The free-entry-point state of a customer who wrote from an ad (few do), kept apart from
/// [`UserState`] so that the state every event reads stays small.
#[derive(Debug, Clone, Copy)]
struct EntryPoint {
    /// Instant of the ad-originated message that may open a window; `NONE` when none is pending.
    chance: i64,
    /// End of the window, `NONE` when none was opened.
    until: i64,
    /// The referral conversation of the window (conversation era), 0 when none.
    conv: u32,
    hours: u16,
}

impl EntryPoint {
    const NEW: EntryPoint = EntryPoint {
        chance: NONE,
        until: NONE,
        conv: 0,
        hours: 0,
    };

    fn start(&self) -> i64 {
        self.until - i64::from(self.hours) * HOUR_MS
    }
}

const NONE: i64 = i64::MIN;
/// How many events ahead the state of a customer is prefetched: enough for the loads of several
/// events to overlap, few enough that the lines are still in cache when their event comes.
pub(crate) const PREFETCH_AHEAD: usize = 8;
const WARN_CAP: usize = 20;

struct Warnings {
    list: Vec<Warning>,
    seen: FxHashSet<String>,
    /// Count of each code of per-event warnings: a short list (one code today), searched by
    /// address first, since it is looked up for every such event.
    per_code: Vec<(&'static str, usize)>,
}

impl Warnings {
    fn once(&mut self, code: &'static str, key: String, message: impl FnOnce() -> String) {
        if self.seen.insert(key) {
            self.list.push(Warning {
                code,
                message: message(),
                index: None,
            });
        }
    }

    fn event(&mut self, code: &'static str, index: u32, message: impl FnOnce() -> String) {
        let i = match self
            .per_code
            .iter()
            .position(|&(c, _)| std::ptr::eq(c, code) || c == code)
        {
            Some(i) => i,
            None => {
                self.per_code.push((code, 0));
                self.per_code.len() - 1
            }
        };
        let n = &mut self.per_code[i].1;
        *n += 1;
        if *n <= WARN_CAP {
            self.list.push(Warning {
                code,
                message: message(),
                index: Some(index),
            });
        }
    }

    fn finish(mut self) -> Vec<Warning> {
        let mut extra: Vec<_> = self
            .per_code
            .iter()
            .filter(|&&(_, n)| n > WARN_CAP)
            .copied()
            .collect();
        crate::sort::sort_dedup(&mut extra);
        for (code, n) in extra {
            self.list.push(Warning {
                code,
                message: format!(
                    "{} more {code} warnings not listed ({n} in all)",
                    n - WARN_CAP
                ),
                index: None,
            });
        }
        self.list
    }
}

/// Runs a simulation.
pub fn simulate(engine: &Engine, req: &Request) -> Result<Simulation> {
    if req.events.len() > MAX_EVENTS {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            "events",
            format!(
                "{} events exceed the limit of {MAX_EVENTS} per simulation",
                req.events.len()
            ),
        ));
    }
    let mut sim = Run::start(engine, req, req.events.len())?;
    let events = &req.events;
    let sorted = events.windows(2).all(|w| w[0].at <= w[1].at);
    if sorted {
        for (i, e) in events.iter().enumerate() {
            if let Some(ahead) = events.get(i + PREFETCH_AHEAD) {
                sim.prefetch(ahead);
            }
            sim.step::<false>(i as u32, e)?;
        }
    } else {
        let mut order: Vec<u32> = (0..events.len() as u32).collect();
        crate::sort::sort_by_key(&mut order, |&i| (events[i as usize].at, i));
        for (n, &i) in order.iter().enumerate() {
            if let Some(&ahead) = order.get(n + PREFETCH_AHEAD) {
                sim.prefetch(&events[ahead as usize]);
            }
            sim.step::<false>(i, &events[i as usize])?;
        }
    }
    sim.finish()
}

/// The service rate from 2026-10-01 (SPEC §13.11): the `service` row in force, else the utility
/// list rate.
pub fn service_rate(engine: &Engine, currency: &str, market: MarketId, d: Date) -> Option<Decimal> {
    let book = engine.rates.currency(currency)?;
    engine
        .rates
        .rate(book, PricingModel::Pmp, market, Category::Service, d)
        .or_else(|| {
            engine
                .rates
                .rate(book, PricingModel::Pmp, market, Category::Utility, d)
        })
        .map(|r| r.rate)
}

/// A simulation fed one event at a time, in order of instant, for streams too large to hold
/// (log files). Memory grows with the number of distinct customers, not of events, when verdicts
/// are not kept (`Options::keep_messages` false).
pub struct Simulator<'a> {
    sim: Run<'a>,
    last_at: i64,
    next: u32,
}

impl<'a> Simulator<'a> {
    /// Starts a simulation with the settings of `req` (its `events` are ignored).
    pub fn new(engine: &'a Engine, req: &'a Request) -> Result<Simulator<'a>> {
        Ok(Simulator {
            sim: Run::start(engine, req, 0)?,
            last_at: i64::MIN,
            next: 0,
        })
    }

    /// Prices the next event; events must come in order of instant (equal instants keep their
    /// order). Returns the verdict of a business event. The event's index is its position in the
    /// stream.
    pub fn push(&mut self, e: &Event) -> Result<Option<Verdict>> {
        self.push_as::<true>(e)
    }

    #[inline(always)]
    fn push_as<const VERDICT: bool>(&mut self, e: &Event) -> Result<Option<Verdict>> {
        let index = self.next;
        if e.at < self.last_at {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("events[{index}].at"),
                format!(
                    "event at {} comes before the previous event at {}: a stream must be in order of time",
                    crate::time::format_instant(e.at),
                    crate::time::format_instant(self.last_at)
                ),
            ));
        }
        // The per-call limit protects the list of verdicts; a stream that keeps none is bounded
        // by its customers, not its events.
        if self.sim.sim.req.options.keep_messages && index as usize >= MAX_EVENTS {
            return Err(Error::new(
                ErrorCode::LimitExceeded,
                "events",
                format!("more than {MAX_EVENTS} events in one simulation"),
            ));
        }
        self.last_at = e.at;
        self.next = self.next.saturating_add(1);
        self.sim.step::<VERDICT>(index, e)
    }

    /// [`push`](Simulator::push) without a copy of the verdict, for a caller that needs only the
    /// totals.
    pub fn push_quiet(&mut self, e: &Event) -> Result<()> {
        self.push_as::<false>(e).map(|_| ())
    }

    /// A hint that `e` will be pushed soon: starts loading its customer's state, so that pushes
    /// fed from a buffer overlap their memory accesses. Has no effect on results.
    #[inline]
    pub fn prefetch(&self, e: &Event) {
        self.sim.prefetch(e);
    }

    /// Loads the slot of the customer of `e` and returns a word of it, for targets without a
    /// prefetch instruction: calling it for several events to come, back to back, overlaps their
    /// memory accesses. Has no effect on results.
    #[inline]
    pub fn touch(&self, e: &Event) -> u64 {
        self.sim.users.touch(e.user.value)
    }

    /// Number of distinct customers seen.
    pub fn users(&self) -> usize {
        self.sim.users.len()
    }

    /// Ends the stream.
    pub fn finish(self) -> Result<Simulation> {
        self.sim.finish()
    }
}

/// A simulation under way: the per-customer table beside the rest of the state, so that a step
/// borrows one customer's state and the rest at once.
struct Run<'a> {
    users: UserTable<UserState>,
    sim: Sim<'a>,
}

impl<'a> Run<'a> {
    fn start(engine: &'a Engine, req: &'a Request, capacity: usize) -> Result<Self> {
        Ok(Run {
            users: UserTable::new(UserState::NEW),
            sim: Sim::start(engine, req, capacity)?,
        })
    }

    /// Prices the next event; its verdict is returned when `VERDICT` (a copy that a batch, which
    /// keeps verdicts itself, does without).
    #[inline]
    fn step<const VERDICT: bool>(&mut self, index: u32, e: &Event) -> Result<Option<Verdict>> {
        self.sim
            .step_user::<VERDICT>(self.users.entry(e.user.value), index, e)
    }

    /// Starts loading the state of the customer of an event to come (see [`UserTable::prefetch`]).
    #[inline]
    fn prefetch(&self, e: &Event) {
        self.users.prefetch(e.user.value);
    }

    fn finish(self) -> Result<Simulation> {
        self.sim.finish()
    }
}

/// The state of a simulation other than its customers'.
struct Sim<'a> {
    engine: &'a Engine,
    rates: &'a RateBook,
    lookup: Lookup<'a>,
    req: &'a Request,
    clock: Clock,
    conv_slots: Vec<Vec<OpenConv>>,
    entry_points: Vec<EntryPoint>,
    day: (Date, u16),
    /// Recent resolutions of customers' numbers (with `req.options.markets`).
    resolved: ResolveCache,
    charged_sums: Vec<Decimal>,
    charged_n: Vec<u64>,
    delivered: Vec<u64>,
    month_sum: (MonthKey, Decimal),
    last_card: Option<CardUse>,
    verdicts: Vec<Verdict>,
    totals: Totals,
    cards: FxHashSet<CardUse>,
    warnings: Warnings,
    next_conv: u32,
    free_tier_used: FxHashMap<MonthKey, u64>,
    /// Tiered messages per (market, authentication) of months other than `tier_month`.
    tier_count: FxHashMap<(MarketId, bool, MonthKey), u64>,
    /// The month whose counts are in `tier_now` (`None` before the first tiered message).
    tier_month: Option<MonthKey>,
    /// Tiered messages of `tier_month`, at `market * 2 + authentication`.
    tier_now: Vec<u64>,
    allowance_used: FxHashMap<(u64, MonthKey), u64>,
}

impl<'a> Sim<'a> {
    fn start(engine: &'a Engine, req: &'a Request, capacity: usize) -> Result<Self> {
        engine
            .markets
            .check_options(&req.options.markets, "options")?;
        let book = engine.rates.currency(&req.currency).ok_or_else(|| {
            Error::new(
                ErrorCode::MissingRate,
                "currency",
                format!(
                    "no rate card in currency {:?}: the data holds {}; load a rate card file in this currency",
                    req.currency,
                    engine.rates.currencies().join(", ")
                ),
            )
        })?;
        Ok(Sim {
            engine,
            rates: &engine.rates,
            lookup: Lookup::new(&engine.rates, book),
            req,
            clock: Clock::new(req.zone.clone()),
            conv_slots: Vec::new(),
            entry_points: Vec::new(),
            day: (Date::MIN, u16::MAX),
            resolved: ResolveCache::default(),
            charged_sums: vec![Decimal::ZERO; engine.markets.names.len() * Category::COUNT],
            charged_n: vec![0; engine.markets.names.len() * Category::COUNT],
            delivered: vec![0; engine.markets.names.len() * Category::COUNT],
            month_sum: (0, Decimal::ZERO),
            last_card: None,
            verdicts: Vec::with_capacity(if req.options.keep_messages {
                capacity
            } else {
                0
            }),
            totals: Totals::default(),
            cards: FxHashSet::default(),
            warnings: Warnings {
                list: Vec::new(),
                seen: FxHashSet::default(),
                per_code: Vec::new(),
            },
            next_conv: 0,
            free_tier_used: FxHashMap::default(),
            tier_count: FxHashMap::default(),
            tier_month: None,
            tier_now: vec![0; engine.markets.names.len() * 2],
            allowance_used: FxHashMap::default(),
        })
    }

    /// The open conversations of a user (allocating a slot on first use).
    fn convs(&mut self, s: &mut UserState) -> &mut Vec<OpenConv> {
        if s.convs == 0 {
            self.conv_slots.push(Vec::new());
            s.convs = self.conv_slots.len() as u32;
        }
        &mut self.conv_slots[s.convs as usize - 1]
    }

    /// The open conversations of a user, without allocating a slot for a user who has none.
    fn open_convs(&self, s: &UserState) -> &[OpenConv] {
        match s.convs {
            0 => &[],
            n => &self.conv_slots[n as usize - 1],
        }
    }

    // Inlined for speed except in the calculator's wasm, which is built for size (its budget).
    #[cfg_attr(
        any(not(target_arch = "wasm32"), feature = "logs-wasm"),
        inline(always)
    )]
    fn step_user<const VERDICT: bool>(
        &mut self,
        s: &mut UserState,
        index: u32,
        e: &Event,
    ) -> Result<Option<Verdict>> {
        if let EventKind::Inbound { referral } = e.kind {
            s.csw_until = e.at + DAY_MS;
            if referral {
                if s.entry_point == 0 {
                    self.entry_points.push(EntryPoint::NEW);
                    s.entry_point = self.entry_points.len() as u32;
                }
                self.entry_points[s.entry_point as usize - 1].chance = e.at;
            }
            return Ok(None);
        }
        let d = self.clock.date(e.at);
        let Some(era) = Era::of(d) else {
            return Err(Error::new(
                ErrorCode::UnsupportedDate,
                format!("events[{index}].at"),
                format!(
                    "business event on local date {} ({}) is before 2022-02-01, when conversation-based pricing began",
                    format_date(d),
                    self.clock.zone().name()
                ),
            ));
        };
        if self.day.0 != d {
            self.day = (d, self.engine.markets.epoch_index(d));
        }
        if s.epoch != self.day.1 {
            let r = self.engine.markets.resolve_cached(
                &mut self.resolved,
                e.user,
                d,
                self.day.1,
                &self.req.options.markets,
            );
            s.market = r.market;
            s.row = r.row.map_or(0, |i| i + 1);
            s.epoch = self.day.1;
        }
        let res = Resolution {
            market: s.market,
            row: s.row.checked_sub(1),
        };
        let mut v = Verdict {
            index,
            at: e.at,
            local_date: d,
            user: e.user,
            from: e.from,
            kind: e.kind,
            resolution: res,
            model: era.model(),
            category: Category::Service,
            vtype: VerdictType::Regular,
            charged: false,
            amount: Decimal::ZERO,
            rate: None,
            tier: None,
            conversation: None,
            reason: Reason::Rider,
        };
        self.decide(s, e, era, d, &mut v)?;
        self.record(&v)?;
        Ok(VERDICT.then_some(v))
    }

    fn decide(
        &mut self,
        s: &mut UserState,
        e: &Event,
        era: Era,
        d: Date,
        v: &mut Verdict,
    ) -> Result<()> {
        let t = e.at;
        let template = match e.kind {
            EventKind::Template(c) => Some(c),
            _ => None,
        };
        // 1. Not delivered: nothing changes.
        if e.status != Status::Delivered {
            v.vtype = VerdictType::NotDelivered;
            v.category = template.map_or(Category::Service, TemplateCategory::category);
            v.reason = Reason::NotDelivered(e.status);
            return Ok(());
        }
        // 2. Free-form needs an open customer-service window.
        let csw_open = t < s.csw_until;
        if template.is_none() && !csw_open {
            v.vtype = VerdictType::NotDelivered;
            v.category = Category::Service;
            v.reason = Reason::NoWindow;
            self.warnings.event("no_window", v.index, || {
                format!(
                    "event {}: a free-form message to {} with no open customer-service window cannot be delivered; only templates can be sent",
                    v.index,
                    e.user.to_e164()
                )
            });
            return Ok(());
        }
        // 3. Free entry point: the first delivered business message after an ad-originated message.
        if let Some(k) = (s.entry_point as usize).checked_sub(1) {
            let r = self.entry_points[k].chance;
            if r != NONE {
                self.entry_points[k].chance = NONE;
                if t < r + DAY_MS {
                    let hours = if d < FEP_72H_START {
                        FEP_HOURS_BEFORE_72H
                    } else {
                        self.req.options.fep_hours
                    };
                    self.entry_points[k].hours = hours as u16;
                    self.entry_points[k].until = t + i64::from(hours) * HOUR_MS;
                    if s.convs != 0 {
                        self.convs(s).clear();
                    }
                    self.entry_points[k].conv = if era.model() == PricingModel::Cbp {
                        self.next_conv += 1;
                        *self
                            .totals
                            .conversations
                            .entry(Category::ReferralConversion)
                            .or_insert(0) += 1;
                        self.next_conv
                    } else {
                        0
                    };
                    v.reason = Reason::EntryPointOpened { hours };
                    Self::entry_point(&self.entry_points[k], era, v, true);
                    return Ok(());
                }
            }
            if t < self.entry_points[k].until {
                v.reason = Reason::EntryPointInside;
                Self::entry_point(&self.entry_points[k], era, v, false);
                return Ok(());
            }
        }
        // 4. The era's rules.
        if s.convs != 0 {
            self.convs(s).retain(|c| t < c.end);
        }
        match era {
            Era::TwoType => self.two_type(s, e, d, csw_open, v),
            Era::FourCategory => self.four_category(s, e, d, v),
            Era::PerMessage | Era::PaidService => self.per_message(s, e, era, d, csw_open, v),
        }
    }

    fn entry_point(f: &EntryPoint, era: Era, v: &mut Verdict, opened: bool) {
        v.category = Category::ReferralConversion;
        v.vtype = VerdictType::FreeEntryPoint;
        if era.model() == PricingModel::Cbp && f.conv != 0 {
            v.conversation = Some(ConversationRef {
                id: f.conv,
                category: Category::ReferralConversion,
                start: f.start(),
                end: f.until,
                opened,
            });
        }
    }

    fn ride(v: &mut Verdict, c: &OpenConv) {
        v.model = PricingModel::Cbp;
        v.category = c.category;
        v.vtype = c.vtype;
        v.reason = if c.era == Era::FourCategory && v.local_date >= crate::model::PMP_START {
            Reason::CarriedUtility
        } else {
            Reason::Rider
        };
        v.conversation = Some(ConversationRef {
            id: c.id,
            category: c.category,
            start: c.start,
            end: c.end,
            opened: false,
        });
    }

    /// Opens a conversation of `category` at the message, charged at the rate of the opening date
    /// unless `free` gives its free type.
    fn open(
        &mut self,
        s: &mut UserState,
        era: Era,
        category: Category,
        free: Option<VerdictType>,
        v: &mut Verdict,
    ) -> Result<()> {
        self.next_conv += 1;
        let c = OpenConv {
            id: self.next_conv,
            category,
            start: v.at,
            end: v.at + DAY_MS,
            vtype: free.unwrap_or(VerdictType::Regular),
            era,
        };
        self.convs(s).push(c);
        *self.totals.conversations.entry(category).or_insert(0) += 1;
        v.category = category;
        v.vtype = c.vtype;
        v.reason = Reason::ConversationOpened;
        v.conversation = Some(ConversationRef {
            id: c.id,
            category,
            start: c.start,
            end: c.end,
            opened: true,
        });
        if free.is_none() {
            let rate = self.list_rate(
                PricingModel::Cbp,
                v.resolution.market,
                category,
                v.local_date,
                v.index,
            )?;
            v.rate = Some(rate);
            v.amount = rate;
            v.charged = true;
        }
        Ok(())
    }

    fn free_tier_take(&mut self, d: Date) -> bool {
        let used = self.free_tier_used.entry(month_key(d)).or_insert(0);
        *used += 1;
        *used <= self.req.options.conversation_free_tier
    }

    fn two_type(
        &mut self,
        s: &mut UserState,
        _e: &Event,
        d: Date,
        csw_open: bool,
        v: &mut Verdict,
    ) -> Result<()> {
        if let Some(c) = self.open_convs(s).first().copied() {
            Self::ride(v, &c);
            return Ok(());
        }
        let category = if csw_open {
            Category::UserInitiated
        } else {
            Category::BusinessInitiated
        };
        let free = self.free_tier_take(d).then_some(VerdictType::FreeTier);
        self.open(s, Era::TwoType, category, free, v)
    }

    fn four_category(
        &mut self,
        s: &mut UserState,
        e: &Event,
        d: Date,
        v: &mut Verdict,
    ) -> Result<()> {
        match e.kind {
            EventKind::Template(tc) => {
                let want = tc.category();
                let open = self.open_convs(s).iter().find(|c| {
                    c.era == Era::FourCategory
                        && (c.category == want
                            || (want == Category::Authentication
                                && c.category == Category::AuthenticationInternational))
                });
                if let Some(c) = open.copied() {
                    Self::ride(v, &c);
                    return Ok(());
                }
                let category = if want == Category::Authentication {
                    self.auth_category(v)
                } else {
                    want
                };
                self.open(s, Era::FourCategory, category, None, v)
            }
            _ => {
                if let Some(c) = self.open_convs(s).first().copied() {
                    Self::ride(v, &c);
                    return Ok(());
                }
                let free = if d >= FREE_SERVICE_START {
                    Some(VerdictType::FreeCustomerService)
                } else {
                    self.free_tier_take(d).then_some(VerdictType::FreeTier)
                };
                self.open(s, Era::FourCategory, Category::Service, free, v)
            }
        }
    }

    fn per_message(
        &mut self,
        s: &mut UserState,
        e: &Event,
        era: Era,
        d: Date,
        csw_open: bool,
        v: &mut Verdict,
    ) -> Result<()> {
        match e.kind {
            EventKind::Template(tc) => {
                if tc == TemplateCategory::Utility {
                    let carried = self
                        .open_convs(s)
                        .iter()
                        .find(|c| c.era == Era::FourCategory && c.category == Category::Utility);
                    if let Some(c) = carried.copied() {
                        Self::ride(v, &c);
                        return Ok(());
                    }
                    if era == Era::PerMessage && csw_open {
                        v.category = Category::Utility;
                        v.vtype = VerdictType::FreeCustomerService;
                        v.reason = Reason::UtilityInWindow;
                        return Ok(());
                    }
                }
                let category = match tc {
                    TemplateCategory::Authentication => self.auth_category(v),
                    other => other.category(),
                };
                v.category = category;
                v.reason = Reason::TemplateCharged;
                if category == Category::Marketing {
                    let rate = self.list_rate(
                        PricingModel::Pmp,
                        v.resolution.market,
                        category,
                        d,
                        v.index,
                    )?;
                    v.rate = Some(rate);
                    v.amount = rate;
                    v.charged = true;
                    Ok(())
                } else {
                    self.tiered(v)
                }
            }
            EventKind::Reaction => {
                v.category = Category::Service;
                v.vtype = VerdictType::FreeCustomerService;
                v.reason = if era == Era::PaidService {
                    Reason::ReactionFree
                } else {
                    Reason::ServiceInWindow
                };
                Ok(())
            }
            EventKind::Message => {
                v.category = Category::Service;
                if era == Era::PerMessage {
                    v.vtype = VerdictType::FreeCustomerService;
                    v.reason = Reason::ServiceInWindow;
                    return Ok(());
                }
                if self.req.options.nonprofit && d <= NONPROFIT_FREE_SERVICE_END {
                    v.vtype = VerdictType::FreeCustomerService;
                    v.reason = Reason::NonprofitService;
                    return Ok(());
                }
                let scope = match self.req.options.allowance_scope {
                    AllowanceScope::Number => e.from.map_or(0, |p| p.value),
                    AllowanceScope::Waba => 0,
                };
                let used = self
                    .allowance_used
                    .entry((scope, month_key(d)))
                    .or_insert(0);
                *used += 1;
                let n = *used;
                let of = self.req.options.service_allowance;
                if n <= of {
                    v.vtype = VerdictType::FreeTier;
                    v.reason = Reason::ServiceAllowance { n, of };
                    return Ok(());
                }
                let market = v.resolution.market;
                let rate = match self
                    .lookup
                    .rate(PricingModel::Pmp, market, Category::Service, d)
                {
                    Some(r) => r.rate,
                    None => {
                        self.list_rate(PricingModel::Pmp, market, Category::Utility, d, v.index)?
                    }
                };
                v.reason = Reason::ServiceCharged { n, of };
                v.rate = Some(rate);
                v.amount = rate;
                v.charged = true;
                Ok(())
            }
            EventKind::Inbound { .. } => Ok(()),
        }
    }

    /// Authentication or authentication-international for the message's recipient (SPEC §9, §13.13).
    fn auth_category(&mut self, v: &Verdict) -> Category {
        let b = &self.req.business;
        if b.auth_international.is_empty() {
            return Category::Authentication;
        }
        let table = &self.engine.markets;
        let iso = table.country(v.resolution).map(|(iso, _)| iso);
        let market_name = table.name(v.resolution.market);
        let eligible = b.auth_international.iter().any(|(key, start)| {
            *start <= v.local_date && (Some(key.as_str()) == iso || key == market_name)
        });
        let abroad = match (&b.country, iso) {
            (Some(c), Some(i)) => c != i,
            _ => true,
        };
        let model = Era::of(v.local_date).map_or(PricingModel::Cbp, Era::model);
        if eligible
            && abroad
            && self
                .lookup
                .rate(
                    model,
                    v.resolution.market,
                    Category::AuthenticationInternational,
                    v.local_date,
                )
                .is_some()
        {
            Category::AuthenticationInternational
        } else {
            Category::Authentication
        }
    }

    fn list_rate(
        &mut self,
        model: PricingModel,
        market: MarketId,
        cat: Category,
        d: Date,
        index: u32,
    ) -> Result<Decimal> {
        match self.lookup.rate(model, market, cat, d) {
            Some(r) => {
                if let Some(card) = self.lookup.card_date(model, d) {
                    self.use_card((model, card));
                }
                Ok(r.rate)
            }
            None if self.req.options.lenient_rates => {
                let (cur, name) = (&self.req.currency, self.engine.markets.name(market));
                self.warnings.once("missing_rate", format!("mr{market}{cat:?}{d}"), || {
                    format!(
                        "no {cur} rate for {name} {} on {}: these messages are priced at 0; load a rate card file with this rate",
                        cat.as_str(),
                        format_date(d)
                    )
                });
                Ok(Decimal::ZERO)
            }
            None => Err(Error::new(
                ErrorCode::MissingRate,
                format!("events[{index}]"),
                format!(
                    "no {} rate for {} {} on {} ({} card): no row of the data provides it; load a rate card file with this rate",
                    self.req.currency,
                    self.engine.markets.name(market),
                    cat.as_str(),
                    format_date(d),
                    if model == PricingModel::Cbp { "conversation-era" } else { "per-message" },
                ),
            )),
        }
    }

    /// Prices a charged utility or authentication template through the volume tiers.
    /// Counts a tiered message of `month` and returns its rank in the month: the count of the
    /// month being priced lives in a vector, the others (a timeline's earlier months) in a map.
    #[inline]
    fn count_tiered(&mut self, market: MarketId, auth: bool, month: MonthKey) -> u64 {
        if self.tier_month != Some(month) {
            let names = self.tier_now.len() / 2;
            if let Some(old) = self.tier_month {
                for (i, n) in self.tier_now.iter_mut().enumerate() {
                    if *n > 0 {
                        self.tier_count
                            .insert(((i / 2) as MarketId, i % 2 == 1, old), std::mem::take(n));
                    }
                }
            }
            for m in 0..names {
                for a in [false, true] {
                    if let Some(n) = self.tier_count.remove(&(m as MarketId, a, month)) {
                        self.tier_now[m * 2 + usize::from(a)] = n;
                    }
                }
            }
            self.tier_month = Some(month);
        }
        let i = usize::from(market) * 2 + usize::from(auth);
        match self.tier_now.get_mut(i) {
            Some(c) => {
                *c += 1;
                *c
            }
            // A market id beyond the table's names (none is made): counted in the map.
            None => {
                let c = self.tier_count.entry((market, auth, month)).or_insert(0);
                *c += 1;
                *c
            }
        }
    }

    fn tiered(&mut self, v: &mut Verdict) -> Result<()> {
        let d = v.local_date;
        let market = v.resolution.market;
        let cat = v.category;
        let auth = cat != Category::Utility;
        let n = self.count_tiered(market, auth, month_key(d));
        let list = self
            .lookup
            .rate(PricingModel::Pmp, market, cat, d)
            .map(|r| r.rate);
        v.charged = true;
        let (table, first_today) = self.lookup.tier_table(market, cat, d);
        match table {
            Some(table) => {
                if let Some(card) = self.lookup.card_date(PricingModel::Pmp, d) {
                    self.use_card((PricingModel::Pmp, card));
                }
                let band = self.rates.band(table, n).ok_or_else(|| {
                    Error::new(
                        ErrorCode::MissingRate,
                        format!("events[{}]", v.index),
                        "empty volume-tier table".to_string(),
                    )
                })?;
                let first = table
                    .bands
                    .first()
                    .map(|&i| self.rates.tier_rows[i as usize].rate);
                // The table and the list rate are those of the day: compared once a day.
                if let (true, Some(l), Some(f)) = (first_today, list, first) {
                    if l != f {
                        let (cur, name, eff) = (
                            &self.req.currency,
                            self.engine.markets.name(market),
                            table.effective,
                        );
                        self.warnings.once("tier_list_mismatch", format!("tlm{market}{cat:?}{eff}"), || {
                            format!(
                                "the {cur} volume-tier table of {} for {name} {} prices band 1 at {f} but the list rate in force is {l}; the tier table was used",
                                format_date(eff),
                                cat.as_str()
                            )
                        });
                    }
                }
                v.rate = Some(band.rate);
                v.amount = band.rate;
                v.tier = Some(band.tier);
                if let Some(l) = list {
                    if l > band.rate {
                        self.totals.tier_savings = self
                            .totals
                            .tier_savings
                            .checked_add(l - band.rate)
                            .ok_or_else(overflow)?;
                    }
                }
            }
            None => {
                let rate = self.list_rate(PricingModel::Pmp, market, cat, d, v.index)?;
                // Looked at once a day (the lookup is memoised): the warning's key is text.
                if first_today {
                    let (cur, name) = (&self.req.currency, self.engine.markets.name(market));
                    self.warnings.once("no_tier_table", format!("ntt{market}{cat:?}"), || {
                        format!(
                            "no {cur} volume-tier table is known for {name} {} on {}: the list rate was applied to every message",
                            cat.as_str(),
                            format_date(d)
                        )
                    });
                }
                v.rate = Some(rate);
                v.amount = rate;
            }
        }
        Ok(())
    }

    // Inlined for speed except in the calculator's wasm, which is built for size (its budget).
    #[cfg_attr(
        any(not(target_arch = "wasm32"), feature = "logs-wasm"),
        inline(always)
    )]
    fn record(&mut self, v: &Verdict) -> Result<()> {
        let t = &mut self.totals;
        t.messages += 1;
        t.by_type[v.vtype as usize] += 1;
        let slot = usize::from(v.resolution.market) * Category::COUNT + v.category.index();
        if v.vtype == VerdictType::NotDelivered {
            t.not_delivered += 1;
        } else {
            self.delivered[slot] += 1;
            if v.charged {
                t.charged += 1;
            } else {
                t.free += 1;
            }
        }
        if v.charged {
            self.charged_sums[slot] = self.charged_sums[slot]
                .checked_add(v.amount)
                .ok_or_else(overflow)?;
            self.charged_n[slot] += 1;
            let m = month_key(v.local_date);
            if self.month_sum.0 != m {
                self.flush_month()?;
                self.month_sum = (m, Decimal::ZERO);
            }
            self.month_sum.1 = self
                .month_sum
                .1
                .checked_add(v.amount)
                .ok_or_else(overflow)?;
        }
        if self.req.options.keep_messages {
            self.verdicts.push(*v);
        }
        Ok(())
    }

    fn flush_month(&mut self) -> Result<()> {
        let (m, sum) = self.month_sum;
        if !sum.is_zero() {
            let e = self.totals.by_month.entry(m).or_default();
            *e = e.checked_add(sum).ok_or_else(overflow)?;
        }
        self.month_sum = (m, Decimal::ZERO);
        Ok(())
    }

    fn use_card(&mut self, card: CardUse) {
        if self.last_card != Some(card) {
            self.cards.insert(card);
            self.last_card = Some(card);
        }
    }

    fn finish(mut self) -> Result<Simulation> {
        self.flush_month()?;
        let names = self.engine.markets.names.len();
        for m in 0..names {
            for c in Category::ALL {
                let slot = m * Category::COUNT + c.index();
                let (sum, n, charged) = (
                    self.charged_sums[slot],
                    self.delivered[slot],
                    self.charged_n[slot],
                );
                let market = m as MarketId;
                if n > 0 {
                    self.totals
                        .delivered_by_market_category
                        .insert((market, c), n);
                }
                if charged > 0 {
                    self.totals
                        .charged_by_market_category
                        .insert((market, c), charged);
                }
                if !sum.is_zero() || charged > 0 {
                    // The total is the sum of these sums (exact: decimal addition of amounts of
                    // a few places does not round), kept once per slot rather than per message.
                    self.totals.amount =
                        self.totals.amount.checked_add(sum).ok_or_else(overflow)?;
                    self.totals.by_market_category.insert((market, c), sum);
                    let e = self.totals.by_category.entry(c).or_default();
                    *e = e.checked_add(sum).ok_or_else(overflow)?;
                    let e = self.totals.by_market.entry(market).or_default();
                    *e = e.checked_add(sum).ok_or_else(overflow)?;
                }
            }
        }
        let mut cards: Vec<CardUse> = self.cards.into_iter().collect();
        crate::sort::sort_dedup(&mut cards);
        Ok(Simulation {
            currency: self.req.currency.clone(),
            timezone: self.req.zone.name(),
            verdicts: {
                let mut v = self.verdicts;
                crate::sort::sort_by_key(&mut v, |x| x.index);
                v
            },
            totals: self.totals,
            cards,
            warnings: self.warnings.finish(),
        })
    }
}

fn overflow() -> Error {
    Error::new(
        ErrorCode::Overflow,
        "",
        "an amount exceeds the decimal range of the engine".to_string(),
    )
}
