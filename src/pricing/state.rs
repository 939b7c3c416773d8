//! The state of a simulation: per customer (small, touched at random) and per simulation.

use super::ledger::Warnings;
use super::{CardUse, Request, Tables, Totals, Verdict, Window};
use crate::error::{Error, ErrorCode, Result};
use crate::markets::{MarketId, ResolveCache};
use crate::messages::Value;
use crate::model::{Category, Era, VerdictType};
use crate::rates::{Lookup, RateBook};
use crate::time::{Clock, Date, MonthKey, HOUR_MS};
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHashSet};

/// The `missing_rate` error of a billing currency no rate card of `rates` is in.
#[cold]
#[inline(never)]
pub(crate) fn no_card(rates: &RateBook, currency: &str, path: &str) -> Error {
    let held = rates.currencies().join(", ");
    Error::coded(
        ErrorCode::MissingRate,
        "no_card",
        path,
        format!(
            "no rate card in currency {currency:?}: the data holds {held}; load a rate card file in this currency"
        ),
    )
    .with("currency", Value::Currency(currency.to_string()))
    .with("currencies", Value::Text(held))
}

#[derive(Debug, Clone, Copy)]
pub(super) struct OpenConv {
    pub(super) id: u32,
    pub(super) category: Category,
    pub(super) start: i64,
    pub(super) end: i64,
    pub(super) vtype: VerdictType,
    pub(super) era: Era,
}

/// Per-recipient state, kept small (24 bytes: with its key, two customers per cache line) because
/// a large timeline touches it at random.
#[derive(Debug, Clone, Copy)]
pub(super) struct UserState {
    pub(super) csw_until: i64,
    /// Slot + 1 in `Sim::conv_slots` holding the open conversations; 0 when none was ever opened.
    pub(super) convs: u32,
    /// Matched market row + 1; 0 for the catch-all row.
    pub(super) row: u32,
    pub(super) market: MarketId,
    /// Market-table epoch of the cached resolution; `u16::MAX` when none.
    pub(super) epoch: u16,
    /// Slot + 1 in `Sim::entry_points`; 0 for a customer who never wrote from an ad.
    pub(super) entry_point: u32,
}

const _: () = assert!(std::mem::size_of::<UserState>() == 24);

impl UserState {
    pub(super) const NEW: UserState = UserState {
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
pub(super) struct EntryPoint {
    /// Instant of the ad-originated message that may open a window; `NONE` when none is pending.
    pub(super) chance: i64,
    /// End of the window, `NONE` when none was opened.
    pub(super) until: i64,
    /// The referral conversation of the window (conversation era), 0 when none.
    pub(super) conv: u32,
    pub(super) hours: u16,
}

impl EntryPoint {
    pub(super) const NEW: EntryPoint = EntryPoint {
        chance: NONE,
        until: NONE,
        conv: 0,
        hours: 0,
    };

    pub(super) fn start(&self) -> i64 {
        self.until - i64::from(self.hours) * HOUR_MS
    }
}

pub(super) const NONE: i64 = i64::MIN;

/// The state of a simulation other than its customers'.
pub(super) struct Sim<'a> {
    pub(super) tables: Tables<'a>,
    pub(super) rates: &'a RateBook,
    pub(super) lookup: Lookup<'a>,
    pub(super) req: &'a Request,
    pub(super) clock: Clock,
    pub(super) conv_slots: Vec<Vec<OpenConv>>,
    pub(super) entry_points: Vec<EntryPoint>,
    pub(super) day: (Date, u16),
    /// Recent resolutions of customers' numbers (with `req.options.markets`).
    pub(super) resolved: ResolveCache,
    pub(super) charged_sums: Vec<Decimal>,
    pub(super) charged_n: Vec<u64>,
    pub(super) delivered: Vec<u64>,
    pub(super) month_sum: (MonthKey, Decimal),
    pub(super) last_card: Option<CardUse>,
    pub(super) verdicts: Vec<Verdict>,
    pub(super) totals: Totals,
    pub(super) cards: FxHashSet<CardUse>,
    pub(super) warnings: Warnings,
    pub(super) next_conv: u32,
    pub(super) free_tier_used: FxHashMap<MonthKey, u64>,
    /// Tiered messages per (market, authentication) of months other than `tier_month`.
    pub(super) tier_count: FxHashMap<(MarketId, u8, MonthKey), u64>,
    /// The month whose counts are in `tier_now` (`None` before the first tiered message).
    pub(super) tier_month: Option<MonthKey>,
    /// Tiered messages of `tier_month`, at `market * 2 + tier group`.
    pub(super) tier_now: Vec<u64>,
    pub(super) allowance_used: FxHashMap<(u64, MonthKey), u64>,
    /// The windows opened (`Options::keep_windows`).
    pub(super) windows: Vec<Window>,
    /// The opening state is still to be applied (at the first business message).
    #[cfg(any(not(target_arch = "wasm32"), feature = "logs-wasm"))]
    pub(super) opening_pending: bool,
}

impl<'a> Sim<'a> {
    pub(super) fn start(tables: Tables<'a>, req: &'a Request, capacity: usize) -> Result<Self> {
        tables
            .markets
            .check_options(&req.options.markets, "options")?;
        // Lenient pricing (estimates, logs) takes a Meta billing currency without a card as an
        // empty book: every charged message is then unpriced, and reported so.
        let book = if req.options.lenient_rates {
            tables.rates.billing_book(&req.currency)
        } else {
            tables.rates.currency(&req.currency)
        };
        let book = book.ok_or_else(|| no_card(tables.rates, &req.currency, "currency"))?;
        Ok(Sim {
            tables,
            rates: tables.rates,
            lookup: Lookup::new(tables.rates, book),
            req,
            clock: Clock::new(req.zone.clone()),
            conv_slots: Vec::new(),
            entry_points: Vec::new(),
            day: (Date::MIN, u16::MAX),
            resolved: ResolveCache::default(),
            charged_sums: vec![Decimal::ZERO; tables.markets.names.len() * Category::COUNT],
            charged_n: vec![0; tables.markets.names.len() * Category::COUNT],
            delivered: vec![0; tables.markets.names.len() * Category::COUNT],
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
            tier_now: vec![0; tables.markets.names.len() * 2],
            allowance_used: FxHashMap::default(),
            windows: Vec::new(),
            #[cfg(any(not(target_arch = "wasm32"), feature = "logs-wasm"))]
            opening_pending: req.options.opening.is_some(),
        })
    }

    /// The open conversations of a user (allocating a slot on first use).
    pub(super) fn convs(&mut self, s: &mut UserState) -> &mut Vec<OpenConv> {
        if s.convs == 0 {
            self.conv_slots.push(Vec::new());
            s.convs = self.conv_slots.len() as u32;
        }
        &mut self.conv_slots[s.convs as usize - 1]
    }

    /// The open conversations of a user, without allocating a slot for a user who has none.
    pub(super) fn open_convs(&self, s: &UserState) -> &[OpenConv] {
        match s.convs {
            0 => &[],
            n => &self.conv_slots[n as usize - 1],
        }
    }
}
