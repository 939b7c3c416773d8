//! The pricing core behind every log format: a small reorder buffer in front of the streaming
//! simulator(s), the merging of webhook statuses into business messages, the what-if pricing and
//! the reconciliation with Meta's verdicts.
//!
//! Memory: the simulators hold one small state per distinct customer; the reorder buffer holds
//! the events of the last `reorderWindow` (at most [`MAX_BUFFERED`]); webhook messages wait for
//! their statuses at most `deliveryTimeout` (at most [`MAX_PENDING`] at once), and the ids of
//! messages priced in the last `deliveryTimeout` are remembered (as 64-bit hashes) to recognise
//! their later statuses. Nothing grows with the length of the log.

use super::report::{
    DeltaRow, Disagreement, EngineVerdict, ErrorEntry, InputReport, InvoiceRow, LogReport,
    MetaVerdict, Progress, Reconciliation, WhatIfDelta, WhatIfReport,
};
use super::shift::shift_months;
use super::sink::Sink;
use super::{LogFormat, LogOptions, MessageKind, OnError, Shift, MAX_BUFFERED, MAX_PENDING};
use crate::error::{Error, ErrorCode, Location, Result};
use crate::markets::{MarketId, Phone};
use crate::model::{Category, Era, PricingModel, TemplateCategory, VerdictType};
use crate::money;
use crate::report::{self, WarningReport};
use crate::simulate::{EventKind, Reason, Request, Simulation, Simulator, Status, Verdict};
use crate::time::{format_instant, month_key, Clock, MonthKey, DAY_MS};
use crate::Engine;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use std::collections::VecDeque;
use std::hash::{Hash, Hasher};

const NONE: i64 = i64::MIN;

/// A webhook status, as the webhook reader hands it over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WStatus {
    Sent,
    Delivered,
    Read,
    Failed,
}

/// Meta's `pricing` object, parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct MetaPricing {
    pub billable: Option<bool>,
    pub model: Option<String>,
    pub category: Option<String>,
    pub vtype: Option<String>,
}

impl MetaPricing {
    fn category(&self) -> Option<Category> {
        match self.category.as_deref()? {
            "marketing_lite" => Some(Category::Marketing),
            c => Category::parse(c),
        }
    }

    fn model(&self) -> Option<PricingModel> {
        self.model.as_deref().and_then(PricingModel::parse)
    }
}

/// A status of a business message.
pub(crate) struct StatusItem<'x> {
    pub id: &'x str,
    pub status: WStatus,
    pub at: i64,
    pub user: Phone,
    pub from: Option<Phone>,
    pub pricing: Option<MetaPricing>,
    /// `conversation.id`, for telling conversation openers from riders.
    pub conversation: Option<&'x str>,
    /// `conversation.origin.type`, used when there is no `pricing` object.
    pub origin: Option<&'x str>,
}

enum Held {
    Event(crate::simulate::Event),
    Msg(u32),
}

struct Buffered {
    at: i64,
    line: u64,
    held: Held,
}

struct PendingMsg {
    id: Box<str>,
    gen: u32,
    user: Phone,
    from: Option<Phone>,
    sent: i64,
    delivered: i64,
    read: i64,
    failed: i64,
    pricing: Option<MetaPricing>,
    pricing_from_delivered: bool,
    conversation: Option<u64>,
    origin: Option<Category>,
    line: u64,
    /// Key in the reorder buffer, or NONE when not buffered.
    key: i64,
    /// Was priced as not delivered after `deliveryTimeout`; a later delivery withdraws that.
    retract: bool,
}

impl PendingMsg {
    /// `(instant, status)` of the business event, once known.
    fn resolution(&self) -> Option<(i64, Status)> {
        let d = match (self.delivered, self.read) {
            (NONE, NONE) => NONE,
            (NONE, r) => r,
            (d, NONE) => d,
            (d, r) => d.min(r),
        };
        if d != NONE {
            Some((d, Status::Delivered))
        } else if self.failed != NONE {
            Some((self.failed, Status::Failed))
        } else {
            None
        }
    }
}

/// Per-customer hints for telling templates from free-form messages in webhook logs.
#[derive(Clone, Copy)]
struct Hint {
    last_inbound: i64,
    convs: [u32; 4],
}

impl Hint {
    const NEW: Hint = Hint {
        last_inbound: NONE,
        convs: [0; 4],
    };
}

/// One pricing (as logged, or the what-if).
struct Side<'a> {
    req: &'a Request,
    sim: Option<Simulator<'a>>,
    clock: Clock,
    last_at: i64,
    /// Not-delivered verdicts built here because their instant was behind the simulator's.
    direct: u64,
    /// Not-delivered verdicts withdrawn (a late delivery).
    retracted: u64,
}

impl<'a> Side<'a> {
    fn new(engine: &'a Engine, req: &'a Request) -> Result<Side<'a>> {
        Ok(Side {
            req,
            sim: Some(Simulator::new(engine, req)?),
            clock: Clock::new(req.zone.clone()),
            last_at: NONE,
            direct: 0,
            retracted: 0,
        })
    }

    /// Prices one event; events come in order except not-delivered messages whose status came
    /// late (they change no state, so they are judged here without the simulator) and the few
    /// what-if instants that a calendar shift puts a little out of order (held at the last one).
    /// The verdict is returned when `VERDICT` (a caller that needs only the totals goes without
    /// its copy).
    #[inline]
    fn price<const VERDICT: bool>(
        &mut self,
        engine: &Engine,
        mut e: crate::simulate::Event,
    ) -> Result<Option<Verdict>> {
        if e.at < self.last_at {
            if e.status != Status::Delivered && !matches!(e.kind, EventKind::Inbound { .. }) {
                self.direct += 1;
                return Ok(VERDICT.then(|| not_delivered(engine, self.req, &self.clock, &e)));
            }
            e.at = self.last_at;
        }
        self.last_at = e.at;
        match self.sim.as_mut() {
            Some(sim) if VERDICT => sim.push(&e),
            Some(sim) => sim.push_quiet(&e).map(|()| None),
            None => Ok(None),
        }
    }

    fn users(&self) -> u64 {
        self.sim.as_ref().map_or(0, |s| s.users() as u64)
    }

    fn finish(&mut self) -> Result<Simulation> {
        let sim = self.sim.take().ok_or_else(|| {
            Error::new(ErrorCode::InvalidInput, "", "already finished".to_string())
        })?;
        let mut s = sim.finish()?;
        let extra = self.direct as i64 - self.retracted as i64;
        let adj = |n: u64| (n as i64 + extra).max(0) as u64;
        s.totals.messages = adj(s.totals.messages);
        s.totals.not_delivered = adj(s.totals.not_delivered);
        let nd = VerdictType::NotDelivered as usize;
        s.totals.by_type[nd] = adj(s.totals.by_type[nd]);
        Ok(s)
    }
}

/// The verdict on a message that was not delivered (simulator decision 1: not delivered, amount 0,
/// the era's pricing model, the template category or `service`; it changes no state).
pub(crate) fn not_delivered(
    engine: &Engine,
    req: &Request,
    clock: &Clock,
    e: &crate::simulate::Event,
) -> Verdict {
    let d = clock.date(e.at);
    let model = Era::of(d).map_or(PricingModel::Cbp, Era::model);
    Verdict {
        index: 0,
        at: e.at,
        local_date: d,
        user: e.user,
        from: e.from,
        kind: e.kind,
        resolution: engine.markets.resolve(e.user, d, &req.options.markets),
        model,
        category: match e.kind {
            EventKind::Template(c) => c.category(),
            _ => Category::Service,
        },
        vtype: VerdictType::NotDelivered,
        charged: false,
        amount: Decimal::ZERO,
        rate: None,
        tier: None,
        conversation: None,
        reason: Reason::NotDelivered(e.status),
    }
}

struct Shifter {
    shift: Shift,
    target: Option<MonthKey>,
    months: Option<i32>,
}

#[derive(Default)]
struct Recon {
    seen_pricing: bool,
    report: Reconciliation,
    /// Delivered messages Meta marked billable, `[market][Meta category]` (the last: other).
    meta_billable: Vec<u64>,
}

/// Meta's categories as counted in the invoice: the engine's, then one for anything else.
const META_CATEGORIES: usize = Category::COUNT + 1;

/// A 64-bit hash of a message id (ids are compared by hash: a collision is out of reach).
pub(crate) fn id_hash(id: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    id.hash(&mut h);
    h.finish()
}

/// The one map type of the log pricer (a single instantiation keeps the wasm small).
pub(crate) type Map = FxHashMap<u64, u32>;

/// A line of the log, as an error's location.
pub(crate) fn log_line(line: u64) -> Location {
    Location::line("log", line)
}

/// The error of an event that comes more than the reorder window after events already priced.
pub(crate) fn late_error(line: u64, at: i64, window_ms: i64, frontier: i64) -> Error {
    Error::located(
        ErrorCode::InvalidInput,
        "at",
        log_line(line),
        format!(
            "event at {} comes more than the reorder window ({} s) after events already priced up to {}: sort the log, or raise reorderWindow",
            format_instant(at),
            window_ms / 1000,
            format_instant(frontier)
        ),
    )
}

/// Keeps `peak` up to date with `n` events held for reordering (the one of `line` included): an
/// error past [`MAX_BUFFERED`]. The pricer's buffer and a reader's (see `tape`) both count so.
#[inline]
pub(crate) fn count_held(n: usize, peak: &mut u64, line: u64) -> Result<()> {
    if n as u64 > *peak {
        *peak = n as u64;
        if n > MAX_BUFFERED {
            return Err(Error::located(
                ErrorCode::LimitExceeded,
                "",
                log_line(line),
                format!("more than {MAX_BUFFERED} events held for reordering: lower reorderWindow"),
            ));
        }
    }
    Ok(())
}

/// How many events' customers [`Core::warm`] loads at once.
#[cfg(not(target_arch = "x86_64"))]
const WARM_GROUP: usize = 16;

/// The core: everything but the reading of bytes.
pub(crate) struct Core<'a> {
    engine: &'a Engine,
    opts: &'a LogOptions,
    clock: Clock,
    base: Option<Side<'a>>,
    what_if: Option<(Side<'a>, Shifter)>,
    buffer: VecDeque<Buffered>,
    watermark: i64,
    frontier: i64,
    // Webhook messages.
    /// Message id hash → slot.
    by_id: Map,
    slab: Vec<Option<PendingMsg>>,
    free: Vec<u32>,
    next_gen: u32,
    /// `(first status instant, slot << 32 | generation)` of every message, in arrival order.
    sent_only: VecDeque<(i64, u64)>,
    /// Message id hash → 1 if priced as not delivered after `deliveryTimeout`, else 0.
    released: Map,
    released_fifo: VecDeque<(i64, u64)>,
    /// Customer → index in `hint_list`.
    hints: Map,
    hint_list: Vec<Hint>,
    pending: usize,
    format: Option<LogFormat>,
    // Tallies.
    pub(crate) input: InputReport,
    events: u64,
    priced: u64,
    recon: Recon,
    assumed_lines: Vec<u64>,
    /// Events at the front of the buffer whose customers' slots were loaded (see `warm`).
    #[cfg(not(target_arch = "x86_64"))]
    warm: usize,
    /// What those loads read, kept so that they are done.
    #[cfg(not(target_arch = "x86_64"))]
    touched: u64,
}

impl<'a> Core<'a> {
    pub(crate) fn new(engine: &'a Engine, opts: &'a LogOptions) -> Result<Core<'a>> {
        let (base, what_if) = if opts.parse_only {
            (None, None)
        } else {
            let base = Side::new(engine, &opts.request)?;
            let what_if = match &opts.what_if {
                Some(w) => Some((
                    Side::new(engine, &w.request).map_err(|e| e.under("whatIf"))?,
                    Shifter {
                        shift: w.shift,
                        target: w.date.map(month_key),
                        months: None,
                    },
                )),
                None => None,
            };
            (Some(base), what_if)
        };
        Ok(Core {
            engine,
            opts,
            clock: Clock::new(opts.request.zone.clone()),
            base,
            what_if,
            buffer: VecDeque::new(),
            watermark: NONE,
            frontier: NONE,
            by_id: Map::default(),
            slab: Vec::new(),
            free: Vec::new(),
            next_gen: 0,
            sent_only: VecDeque::new(),
            released: Map::default(),
            released_fifo: VecDeque::new(),
            hints: Map::default(),
            hint_list: Vec::new(),
            pending: 0,
            format: opts.format,
            input: InputReport {
                reorder_window: (opts.reorder_window_ms / 1000) as u64,
                ..InputReport::default()
            },
            events: 0,
            priced: 0,
            recon: Recon {
                meta_billable: vec![0; engine.markets.names.len() * META_CATEGORIES],
                ..Recon::default()
            },
            assumed_lines: Vec::new(),
            #[cfg(not(target_arch = "x86_64"))]
            warm: 0,
            #[cfg(not(target_arch = "x86_64"))]
            touched: 0,
        })
    }

    fn hint(&mut self, user: u64) -> &mut Hint {
        let n = self.hint_list.len() as u32;
        let i = *self.hints.entry(user).or_insert(n);
        if i == n {
            self.hint_list.push(Hint::NEW);
        }
        &mut self.hint_list[i as usize]
    }

    /// `n` records were read.
    pub(crate) fn add_records(&mut self, n: u64) {
        self.input.records += n;
    }

    fn late(&mut self, line: u64, at: i64) -> Result<()> {
        let e = late_error(line, at, self.opts.reorder_window_ms, self.frontier);
        self.bad_line(line, e)
    }

    /// An event that a reader put in order itself (its own reorder buffer): priced now, as
    /// `release` prices a held event. See [`tape`](super::tape).
    #[inline]
    pub(crate) fn ready(&mut self, e: crate::simulate::Event, line: u64) -> Result<()> {
        self.events += 1;
        self.watermark = self.watermark.max(e.at);
        self.frontier = self.frontier.max(e.at);
        self.price_now(e, line, None)
    }

    /// An event was read that a reader's reorder buffer refused (the error follows).
    pub(crate) fn seen(&mut self) {
        self.events += 1;
    }

    /// The largest number of events a reader's reorder buffer held.
    pub(crate) fn held_at_most(&mut self, n: u64) {
        self.input.peak_buffered = self.input.peak_buffered.max(n);
    }

    /// Prices a run of events that a reader put in order, loading each customer's slots a few
    /// events ahead (as `release_ready` does from the reorder buffer).
    pub(crate) fn ready_run(&mut self, run: &[(crate::simulate::Event, u64)]) -> Result<()> {
        #[cfg(target_arch = "x86_64")]
        {
            let ahead = crate::simulate::PREFETCH_AHEAD;
            for (e, _) in run.iter().take(ahead) {
                self.prefetch(e);
            }
            for (i, &(e, line)) in run.iter().enumerate() {
                if let Some((next, _)) = run.get(i + ahead) {
                    self.prefetch(next);
                }
                self.ready(e, line)?;
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        for group in run.chunks(WARM_GROUP) {
            self.touched ^= self.touch(group.iter().map(|(e, _)| e));
            for &(e, line) in group {
                self.ready(e, line)?;
            }
        }
        Ok(())
    }

    /// Loads the customers' slots of `events` back to back (see `warm`); returns what was read,
    /// to be kept so that the loads are done.
    #[cfg(not(target_arch = "x86_64"))]
    #[inline]
    fn touch<'e>(&self, events: impl Iterator<Item = &'e crate::simulate::Event>) -> u64 {
        let base = self.base.as_ref().and_then(|s| s.sim.as_ref());
        let what_if = self.what_if.as_ref().and_then(|(s, _)| s.sim.as_ref());
        let mut acc = 0;
        for e in events {
            if let Some(sim) = base {
                acc ^= sim.touch(e);
            }
            if let Some(sim) = what_if {
                acc ^= sim.touch(e);
            }
        }
        acc
    }

    /// Asks the processor to start loading the customer's slots of `e`.
    #[cfg(target_arch = "x86_64")]
    #[inline]
    fn prefetch(&self, e: &crate::simulate::Event) {
        if let Some(sim) = self.base.as_ref().and_then(|s| s.sim.as_ref()) {
            sim.prefetch(e);
        }
        if let Some(sim) = self.what_if.as_ref().and_then(|(s, _)| s.sim.as_ref()) {
            sim.prefetch(e);
        }
    }

    /// Adds to the reorder buffer, after the held items of the same instant.
    fn hold(&mut self, at: i64, line: u64, held: Held) -> Result<()> {
        self.watermark = self.watermark.max(at);
        let item = Buffered { at, line, held };
        match self.buffer.back() {
            Some(last) if last.at > at => {
                let i = self.buffer.partition_point(|x| x.at <= at);
                self.buffer.insert(i, item);
            }
            _ => self.buffer.push_back(item),
        }
        count_held(self.buffer.len(), &mut self.input.peak_buffered, line)
    }

    fn release_ready(&mut self) -> Result<()> {
        let w = self.opts.reorder_window_ms;
        while let Some(b) = self.buffer.front() {
            if b.at.saturating_add(w) > self.watermark {
                break;
            }
            // The customer of an event a few places behind will be priced soon: start loading it.
            #[cfg(not(target_arch = "x86_64"))]
            if self.warm == 0 {
                self.warm();
            }
            #[cfg(target_arch = "x86_64")]
            if let Some(Buffered {
                held: Held::Event(e),
                ..
            }) = self.buffer.get(crate::simulate::PREFETCH_AHEAD)
            {
                self.prefetch(e);
            }
            // cannot fail: the loop condition just saw self.buffer.front() return Some.
            let b = self.buffer.pop_front().expect("front exists");
            #[cfg(not(target_arch = "x86_64"))]
            {
                self.warm = self.warm.saturating_sub(1);
            }
            self.release(b)?;
        }
        self.expire()
    }

    /// Loads the customers' slots of the next [`WARM_GROUP`] events, back to back: without a
    /// prefetch instruction (wasm), loads issued together are in flight together, where the
    /// same loads made by each event's step would wait for main memory one after the other.
    #[cfg(not(target_arch = "x86_64"))]
    fn warm(&mut self) {
        let events = self
            .buffer
            .iter()
            .take(WARM_GROUP)
            .filter_map(|b| match &b.held {
                Held::Event(e) => Some(e),
                Held::Msg(_) => None,
            });
        self.touched ^= self.touch(events);
        self.warm = self.buffer.len().min(WARM_GROUP);
    }

    /// Times out `sent`-only messages and forgets old ids.
    fn expire(&mut self) -> Result<()> {
        let timeout = self.opts.delivery_timeout_ms;
        while let Some(&(ts, packed)) = self.sent_only.front() {
            let (slot, gen) = ((packed >> 32) as u32, packed as u32);
            if ts.saturating_add(timeout) > self.watermark {
                break;
            }
            self.sent_only.pop_front();
            let still = matches!(&self.slab[slot as usize], Some(m) if m.gen == gen && m.key == NONE && m.resolution().is_none());
            if still {
                let m = self.take_msg(slot);
                self.input.timed_out += 1;
                self.remember(&m.id, true);
                if m.sent != NONE {
                    let kind = self.kind_of(&m, false).0;
                    let e = crate::simulate::Event {
                        at: m.sent,
                        user: m.user,
                        kind,
                        from: m.from,
                        status: Status::Sent,
                    };
                    self.price(e, m.line, None)?;
                } else {
                    self.input.reads_without_message += 1;
                }
            }
        }
        while let Some(&(ts, h)) = self.released_fifo.front() {
            if ts.saturating_add(timeout) > self.watermark {
                break;
            }
            self.released_fifo.pop_front();
            self.released.remove(&h);
        }
        Ok(())
    }

    fn remember(&mut self, id: &str, sent_only: bool) {
        let h = id_hash(id);
        self.released.insert(h, u32::from(sent_only));
        self.released_fifo.push_back((self.watermark, h));
    }

    fn take_msg(&mut self, slot: u32) -> PendingMsg {
        // cannot fail: slots come from by_id and the queues, which hold only live messages.
        let m = self.slab[slot as usize].take().expect("live slot");
        self.by_id.remove(&id_hash(&m.id));
        self.free.push(slot);
        self.pending -= 1;
        m
    }

    fn release(&mut self, b: Buffered) -> Result<()> {
        self.frontier = self.frontier.max(b.at);
        match b.held {
            Held::Event(e) => self.price_now(e, b.line, None),
            Held::Msg(slot) => {
                let m = self.take_msg(slot);
                let Some((_, status)) = m.resolution() else {
                    return Ok(());
                };
                if status == Status::Delivered && m.sent == NONE && m.delivered == NONE {
                    // Only `read`: a read status of a message priced before, or whose delivery
                    // is not in the log.
                    self.remember(&m.id, false);
                    self.input.reads_without_message += 1;
                    return Ok(());
                }
                self.remember(&m.id, false);
                let (kind, assumed) = self.kind_of(&m, status == Status::Delivered);
                if assumed {
                    self.input.assumed_kinds += 1;
                    if self.assumed_lines.len() < 5 {
                        self.assumed_lines.push(m.line);
                    }
                }
                if m.retract {
                    if let Some(s) = self.base.as_mut() {
                        s.retracted += 1;
                    }
                    if let Some((s, _)) = self.what_if.as_mut() {
                        s.retracted += 1;
                    }
                }
                let e = crate::simulate::Event {
                    at: m.key,
                    user: m.user,
                    kind,
                    from: m.from,
                    status,
                };
                self.price(e, m.line, Some(&m))
            }
        }
    }

    /// What a webhook message was: from the template map, else from Meta's category (with the
    /// rules of `docs/logs.md` where the category does not say). `(kind, assumed)`.
    fn kind_of(&mut self, m: &PendingMsg, delivered: bool) -> (EventKind, bool) {
        if let Some(k) = self.template(&m.id) {
            return (k.event_kind(), false);
        }
        let pricing_cat = m.pricing.as_ref().and_then(MetaPricing::category);
        let category = pricing_cat.or(m.origin);
        let cbp = m.pricing.as_ref().and_then(MetaPricing::model) == Some(PricingModel::Cbp);
        let hint = self
            .hints
            .get(&m.user.value)
            .map_or(Hint::NEW, |&i| self.hint_list[i as usize]);
        let at = m.resolution().map_or(m.sent, |r| r.0);
        let csw_open = hint.last_inbound != NONE && at < hint.last_inbound + DAY_MS;
        let template = |c: Category| match c {
            Category::Marketing => Some(TemplateCategory::Marketing),
            Category::Utility => Some(TemplateCategory::Utility),
            Category::Authentication | Category::AuthenticationInternational => {
                Some(TemplateCategory::Authentication)
            }
            _ => None,
        };
        let guess = || {
            if csw_open {
                EventKind::Message
            } else {
                EventKind::Template(TemplateCategory::Marketing)
            }
        };
        let out = match category {
            Some(Category::Service) => (EventKind::Message, false),
            Some(c) => match template(c) {
                Some(tc) if cbp => {
                    // Conversation era: the first message of a conversation opened it (a template
                    // of its category); later ones ride in it and may be free-form.
                    let conv = m.conversation.map(|h| (h as u32) | 1);
                    let rider = conv.is_some_and(|c| hint.convs.contains(&c));
                    if let Some(c) = conv {
                        let h = self.hint(m.user.value);
                        if !h.convs.contains(&c) {
                            h.convs.rotate_right(1);
                            h.convs[0] = c;
                        }
                    }
                    if rider && csw_open {
                        (EventKind::Message, true)
                    } else {
                        (EventKind::Template(tc), false)
                    }
                }
                Some(tc) => (EventKind::Template(tc), false),
                None => (guess(), true),
            },
            None => (guess(), true),
        };
        (out.0, out.1 && delivered)
    }

    /// [`price_now`](Core::price_now), not inlined: for the rare paths (webhook messages, and
    /// statuses timed out), not for the events of a reorder buffer.
    fn price(
        &mut self,
        e: crate::simulate::Event,
        line: u64,
        msg: Option<&PendingMsg>,
    ) -> Result<()> {
        self.price_now(e, line, msg)
    }

    /// Prices an event that is due.
    #[inline(always)]
    fn price_now(
        &mut self,
        e: crate::simulate::Event,
        line: u64,
        msg: Option<&PendingMsg>,
    ) -> Result<()> {
        let d = self.clock.date(e.at);
        if Era::of(d).is_none() && !matches!(e.kind, EventKind::Inbound { .. }) {
            let err = Error::located(
                ErrorCode::UnsupportedDate,
                "at",
                log_line(line),
                format!(
                    "business event on local date {} ({}) is before 2022-02-01, when conversation-based pricing began",
                    crate::time::format_date(d),
                    self.clock.zone().name()
                ),
            );
            return self.bad_line(line, err);
        }
        let fatal = |e: Error| Error::located(e.code, "", log_line(line), e.message);
        self.priced += 1;
        let engine = self.engine;
        let Some(base) = self.base.as_mut() else {
            return Ok(());
        };
        // Only a reconciliation needs the verdict itself (the charged counts are the simulator's).
        let verdict = match msg {
            Some(_) => base.price::<true>(engine, e).map_err(fatal)?,
            None => base.price::<false>(engine, e).map_err(fatal)?,
        };
        match e.kind {
            EventKind::Inbound { .. } => {
                self.input.inbound += 1;
                if self.format == Some(LogFormat::Webhook) {
                    self.hint(e.user.value).last_inbound = e.at;
                }
            }
            _ => self.input.business_messages += 1,
        }
        if let (Some(v), Some(m)) = (verdict, msg) {
            self.reconcile(&v, m, line);
        }
        if let Some((side, shifter)) = self.what_if.as_mut() {
            let mut se = e;
            if shifter.shift == Shift::Months {
                let months = *shifter.months.get_or_insert_with(|| {
                    shifter.target.unwrap_or(0) - month_key(self.clock.date(e.at))
                });
                se.at = shift_months(e.at, months, &side.req.zone);
            }
            side.price::<false>(engine, se).map_err(fatal)?;
        }
        Ok(())
    }

    fn reconcile(&mut self, v: &Verdict, m: &PendingMsg, line: u64) {
        if v.vtype == VerdictType::NotDelivered && v.reason != Reason::NoWindow {
            return;
        }
        let r = &mut self.recon;
        let Some(p) = &m.pricing else {
            r.report.without_pricing += 1;
            return;
        };
        r.seen_pricing = true;
        r.report.compared += 1;
        let engine_billable = match v.model {
            PricingModel::Pmp => v.charged,
            PricingModel::Cbp => {
                matches!(v.vtype, VerdictType::Regular | VerdictType::FreeTier)
                    && v.category != Category::ReferralConversion
            }
        };
        if p.billable == Some(true) {
            let c = match p.category.as_deref() {
                Some("marketing_lite") => Category::Marketing.index(),
                Some(c) => Category::parse(c).map_or(Category::COUNT, Category::index),
                None => Category::COUNT,
            };
            r.meta_billable[usize::from(v.resolution.market) * META_CATEGORIES + c] += 1;
        }
        let mut fields = Vec::new();
        if p.billable.is_some_and(|b| b != engine_billable) {
            fields.push("billable");
        }
        if p.model.as_deref().is_some_and(|x| x != v.model.as_str()) {
            fields.push("pricingModel");
        }
        if let Some(c) = p.category.as_deref() {
            let meta = if c == "marketing_lite" {
                "marketing"
            } else {
                c
            };
            if meta != v.category.as_str() {
                fields.push("category");
            }
        }
        if p.vtype.as_deref().is_some_and(|t| t != v.vtype.as_str()) {
            fields.push("type");
        }
        if fields.is_empty() {
            r.report.agreed += 1;
            return;
        }
        r.report.disagreed += 1;
        for f in &fields {
            let b = &mut r.report.by_field;
            match *f {
                "billable" => b.billable += 1,
                "pricingModel" => b.pricing_model += 1,
                "category" => b.category += 1,
                _ => b.vtype += 1,
            }
        }
        if r.report.disagreements.len() < self.opts.max_disagreements {
            let currency = &self.opts.request.currency;
            r.report.disagreements.push(Disagreement {
                line,
                id: m.id.to_string(),
                at: format_instant(v.at),
                user: v.user.to_e164(),
                market: self.engine.markets.name(v.resolution.market).to_string(),
                fields,
                meta: MetaVerdict {
                    billable: p.billable,
                    pricing_model: p.model.clone(),
                    category: p.category.clone(),
                    vtype: p.vtype.clone(),
                },
                engine: EngineVerdict {
                    billable: engine_billable,
                    charged: v.charged,
                    pricing_model: v.model,
                    category: v.category.as_str().to_string(),
                    vtype: v.vtype.as_str().to_string(),
                    amount: money::to_string(v.amount),
                },
                explanation: report::explain(self.engine, currency, v),
            });
        }
    }

    pub(crate) fn progress(&self, format: Option<LogFormat>) -> Progress {
        Progress {
            format: format.map(LogFormat::as_str),
            bytes: self.input.bytes,
            lines: self.input.lines,
            events: self.events,
            priced: self.priced,
            business_messages: self.input.business_messages,
            errors: self.input.errors,
            users: self
                .base
                .as_ref()
                .map_or(0, Side::users)
                .max(self.input.users),
            buffered: self.buffer.len() as u64,
            pending: self.pending as u64,
        }
    }

    /// Prices everything still held and builds the report.
    pub(crate) fn finish(&mut self, format: Option<LogFormat>) -> Result<LogReport> {
        while let Some(b) = self.buffer.pop_front() {
            self.release(b)?;
        }
        // Messages that never got past `sent`: not delivered.
        let rest: Vec<u32> = self
            .slab
            .iter()
            .enumerate()
            .filter_map(|(i, m)| m.as_ref().map(|_| i as u32))
            .collect();
        // Not delivered: their order does not matter (they change no state).
        for slot in rest {
            let m = self.take_msg(slot);
            if m.sent == NONE {
                self.input.reads_without_message += 1;
                continue;
            }
            let kind = self.kind_of(&m, false).0;
            let e = crate::simulate::Event {
                at: m.sent,
                user: m.user,
                kind,
                from: m.from,
                status: Status::Sent,
            };
            self.price(e, m.line, None)?;
        }
        let engine = self.engine;
        let opts = self.opts;
        let format_name = format.unwrap_or(LogFormat::Csv).as_str();
        let Some(base) = self.base.as_mut() else {
            return Ok(LogReport {
                format: format_name,
                currency: opts.request.currency.clone(),
                timezone: opts.request.zone.name(),
                input: self.input.clone(),
                totals: None,
                cards: Vec::new(),
                warnings: Vec::new(),
                invoice: Vec::new(),
                what_if: None,
                reconciliation: None,
            });
        };
        self.input.users = base.users();
        let sim = base.finish()?;
        let rep = report::simulation(engine, &sim);
        let mut warnings = rep.warnings;
        if self.input.assumed_kinds > 0 {
            warnings.push(WarningReport {
                code: "assumed_kind",
                message: format!(
                    "{} business messages carry a Meta category that does not say whether a template or a free-form message was sent (referral_conversion, user_initiated, business_initiated, no pricing, or a conversation-era rider); each was taken as a free-form message when the customer had written in the last 24 hours and as a marketing template otherwise (first at lines {}). Give a template map (message id → category) to price them exactly",
                    self.input.assumed_kinds,
                    self.assumed_lines.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
                ),
                index: None,
            });
        }
        if self.input.timed_out > 0 {
            warnings.push(WarningReport {
                code: "not_delivered_timeout",
                message: format!(
                    "{} webhook messages had only a `sent` status {} s after it (deliveryTimeout): priced as not delivered",
                    self.input.timed_out,
                    opts.delivery_timeout_ms / 1000
                ),
                index: None,
            });
        }
        if self.events == 0 {
            // A total of 0 for a log with nothing in it is no answer: the wrong file, or a
            // format that reads nothing from it.
            warnings.push(WarningReport {
                code: "empty_log",
                message: format!(
                    "the log holds no message or status to price ({} lines read, {} malformed): check that it is the log meant, and its format",
                    self.input.lines, self.input.errors
                ),
                index: None,
            });
        }
        let recon_on = format == Some(LogFormat::Webhook) || self.recon.seen_pricing;
        let invoice = self.invoice(&sim, recon_on);
        let what_if = match self.what_if.as_mut() {
            None => None,
            Some((side, shifter)) => {
                // cannot fail: self.what_if is Some only when it was built from Some(opts.what_if).
                let w = opts.what_if.as_ref().expect("what-if options");
                let wsim = side.finish()?;
                let wrep = report::simulation(engine, &wsim);
                let delta = (wsim.currency == sim.currency).then(|| delta(engine, &sim, &wsim));
                Some(WhatIfReport {
                    date: w.date.map(crate::time::format_date),
                    shift: w.shift.as_str(),
                    months: shifter.months.unwrap_or(0),
                    currency: wsim.currency.clone(),
                    totals: wrep.totals,
                    cards: wrep.cards,
                    warnings: wrep.warnings,
                    delta,
                })
            }
        };
        Ok(LogReport {
            format: format_name,
            currency: sim.currency.clone(),
            timezone: sim.timezone.clone(),
            input: self.input.clone(),
            totals: Some(rep.totals),
            cards: rep.cards,
            warnings,
            invoice,
            what_if,
            reconciliation: recon_on.then(|| std::mem::take(&mut self.recon.report)),
        })
    }

    fn invoice(&self, sim: &Simulation, with_meta: bool) -> Vec<InvoiceRow> {
        let names = &self.engine.markets;
        let mut index = Map::default();
        let mut rows: Vec<InvoiceRow> = Vec::new();
        let mut row = |m: MarketId, c: usize| -> usize {
            let n = rows.len() as u32;
            let i = *index.entry((u64::from(m) << 8) | c as u64).or_insert(n);
            if i == n {
                rows.push(InvoiceRow {
                    market: names.name(m).to_string(),
                    category: Category::ALL
                        .get(c)
                        .map_or("other", |c| c.as_str())
                        .to_string(),
                    delivered: 0,
                    charged: 0,
                    amount: "0".to_string(),
                    meta_billable: with_meta.then_some(0),
                });
            }
            i as usize
        };
        let t = &sim.totals;
        let mut cells: Vec<(usize, u64, Option<Decimal>, u64, u64)> = Vec::new();
        for (&(m, c), &n) in &t.delivered_by_market_category {
            cells.push((row(m, c.index()), n, None, 0, 0));
        }
        for (&(m, c), a) in &t.by_market_category {
            cells.push((row(m, c.index()), 0, Some(*a), 0, 0));
        }
        for (&(m, c), &n) in &t.charged_by_market_category {
            cells.push((row(m, c.index()), 0, None, n, 0));
        }
        if with_meta {
            for (i, &n) in self.recon.meta_billable.iter().enumerate() {
                if n > 0 {
                    let m = (i / META_CATEGORIES) as MarketId;
                    cells.push((row(m, i % META_CATEGORIES), 0, None, 0, n));
                }
            }
        }
        for (i, delivered, amount, charged, meta) in cells {
            let r = &mut rows[i];
            r.delivered += delivered;
            r.charged += charged;
            if let Some(a) = amount {
                r.amount = money::to_string(a);
            }
            if let Some(b) = r.meta_billable.as_mut() {
                *b += meta;
            }
        }
        insertion_sort(&mut rows, |a, b| {
            (&a.market, &a.category) > (&b.market, &b.category)
        });
        rows
    }
}

fn delta(engine: &Engine, base: &Simulation, what_if: &Simulation) -> WhatIfDelta {
    let row = |key: &str, b: Decimal, w: Decimal| DeltaRow {
        key: key.to_string(),
        base: money::to_string(b),
        what_if: money::to_string(w),
        delta: money::to_string(w - b),
    };
    fn pair<'k>(v: &mut Vec<(&'k str, Decimal, Decimal)>, k: &'k str, a: Decimal, second: bool) {
        let i = match v.iter().position(|x| x.0 == k) {
            Some(i) => i,
            None => {
                v.push((k, Decimal::ZERO, Decimal::ZERO));
                v.len() - 1
            }
        };
        if second {
            v[i].2 = a;
        } else {
            v[i].1 = a;
        }
    }
    let mut cats = Vec::new();
    let mut markets = Vec::new();
    for (s, second) in [(base, false), (what_if, true)] {
        for (c, a) in &s.totals.by_category {
            pair(&mut cats, c.as_str(), *a, second);
        }
        for (m, a) in &s.totals.by_market {
            pair(&mut markets, engine.markets.name(*m), *a, second);
        }
    }
    insertion_sort(&mut cats, |a, b| a.0 > b.0);
    insertion_sort(&mut markets, |a, b| a.0 > b.0);
    WhatIfDelta {
        amount: row("", base.totals.amount, what_if.totals.amount),
        by_category: cats.into_iter().map(|(k, b, w)| row(k, b, w)).collect(),
        by_market: markets.into_iter().map(|(k, b, w)| row(k, b, w)).collect(),
    }
}

/// Sorts the few rows of a report (a few hundred at most) without pulling a general sort into
/// the WebAssembly build.
fn insertion_sort<T>(v: &mut [T], greater: impl Fn(&T, &T) -> bool) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && greater(&v[j - 1], &v[j]) {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// The pricer takes what the readers hand over directly.
impl Sink for Core<'_> {
    /// A record was read (well-formed or not).
    #[inline]
    fn record(&mut self) {
        self.input.records += 1;
    }

    /// A simulator event (a CSV or JSON line, or a webhook inbound message).
    #[inline]
    fn event(&mut self, e: crate::simulate::Event, line: u64) -> Result<()> {
        self.events += 1;
        if self.base.is_none() {
            return Ok(());
        }
        if e.at < self.frontier {
            return self.late(line, e.at);
        }
        self.hold(e.at, line, Held::Event(e))?;
        self.release_ready()
    }

    /// A malformed record: reported, then skipped or fatal.
    fn bad_line(&mut self, line: u64, e: Error) -> Result<()> {
        self.input.errors += 1;
        let e = e.or_at(log_line(line));
        if self.input.error_list.len() < self.opts.max_errors {
            self.input.error_list.push(ErrorEntry {
                line,
                column: e.loc.and_then(|l| l.column),
                code: e.code.as_str(),
                path: e.path.clone(),
                message: e.message.clone(),
            });
        }
        match self.opts.on_error {
            OnError::Skip => Ok(()),
            OnError::Fail => Err(e),
        }
    }

    /// A webhook status.
    fn status(&mut self, s: StatusItem<'_>, line: u64) -> Result<()> {
        self.input.statuses += 1;
        self.events += 1;
        if self.base.is_none() {
            return Ok(());
        }
        let mut retract = false;
        if !self.released.is_empty() {
            let h = id_hash(s.id);
            if let Some(&sent_only) = self.released.get(&h) {
                if sent_only == 1 && matches!(s.status, WStatus::Delivered | WStatus::Read) {
                    self.released.remove(&h);
                    self.input.late_deliveries += 1;
                    retract = true;
                } else {
                    self.input.statuses_after_priced += 1;
                    self.watermark = self.watermark.max(s.at);
                    return self.release_ready();
                }
            }
        }
        let key = id_hash(s.id);
        let slot = match self.by_id.get(&key) {
            Some(&slot) => slot,
            None => {
                if s.at < self.frontier && s.status != WStatus::Sent {
                    return self.late(line, s.at);
                }
                let slot = match self.free.pop() {
                    Some(i) => i,
                    None => {
                        self.slab.push(None);
                        (self.slab.len() - 1) as u32
                    }
                };
                self.next_gen = self.next_gen.wrapping_add(1);
                self.slab[slot as usize] = Some(PendingMsg {
                    id: s.id.into(),
                    gen: self.next_gen,
                    user: s.user,
                    from: s.from,
                    sent: NONE,
                    delivered: NONE,
                    read: NONE,
                    failed: NONE,
                    pricing: None,
                    pricing_from_delivered: false,
                    conversation: None,
                    origin: None,
                    line,
                    key: NONE,
                    retract,
                });
                self.by_id.insert(key, slot);
                self.pending += 1;
                let p = self.pending as u64;
                if p > self.input.peak_pending {
                    self.input.peak_pending = p;
                    if self.pending > MAX_PENDING {
                        return Err(Error::located(
                            ErrorCode::LimitExceeded,
                            "",
                            log_line(line),
                            format!("more than {MAX_PENDING} webhook messages wait for their statuses: lower deliveryTimeout"),
                        ));
                    }
                }
                self.sent_only
                    .push_back((s.at, (u64::from(slot) << 32) | u64::from(self.next_gen)));
                slot
            }
        };
        let frontier = self.frontier;
        let (old_key, new_key) = {
            // cannot fail: the slot was just found in by_id, or allocated and filled above.
            let m = self.slab[slot as usize].as_mut().expect("live slot");
            let first = |t: &mut i64, at: i64| {
                if *t == NONE || at < *t {
                    *t = at;
                }
            };
            match s.status {
                WStatus::Sent => first(&mut m.sent, s.at),
                WStatus::Delivered => first(&mut m.delivered, s.at),
                WStatus::Read => first(&mut m.read, s.at),
                WStatus::Failed => first(&mut m.failed, s.at),
            }
            if let Some(p) = s.pricing {
                let delivered = s.status == WStatus::Delivered;
                if m.pricing.is_none() || (delivered && !m.pricing_from_delivered) {
                    m.pricing = Some(p);
                    m.pricing_from_delivered = delivered;
                }
            }
            if m.conversation.is_none() {
                m.conversation = s.conversation.map(id_hash);
            }
            if m.origin.is_none() {
                m.origin = s.origin.and_then(Category::parse);
            }
            if m.from.is_none() {
                m.from = s.from;
            }
            let old = m.key;
            let new = m.resolution().map_or(NONE, |(at, _)| at.max(frontier));
            m.key = new;
            (old, new)
        };
        if new_key != old_key {
            if old_key != NONE {
                if let Some(i) = self
                    .buffer
                    .iter()
                    .rposition(|b| matches!(b.held, Held::Msg(x) if x == slot))
                {
                    self.buffer.remove(i);
                }
            }
            if new_key != NONE {
                self.hold(new_key, line, Held::Msg(slot))?;
            }
        }
        self.watermark = self.watermark.max(s.at);
        self.release_ready()
    }

    /// The template map.
    fn template(&self, key: &str) -> Option<MessageKind> {
        self.opts.templates.get(key)
    }

    /// The format, once the reader knows it.
    fn set_format(&mut self, f: LogFormat) {
        self.format = Some(f);
    }

    #[inline]
    fn set_lines(&mut self, lines: u64) {
        self.input.lines = lines;
    }

    fn add_bytes(&mut self, bytes: u64) {
        self.input.bytes += bytes;
    }

    /// Counters of things read and deliberately not priced.
    fn other_change(&mut self) {
        self.input.other_changes += 1;
    }

    fn system_message(&mut self) {
        self.input.system_messages += 1;
    }

    fn bad_status(&mut self) {
        self.input.statuses += 1;
    }

    fn other_status(&mut self) {
        self.input.statuses += 1;
        self.input.other_statuses += 1;
    }
}
