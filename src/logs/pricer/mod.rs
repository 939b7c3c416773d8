//! The pricing core behind every log format: a small reorder buffer in front of the streaming
//! simulator(s), the merging of webhook statuses into business messages, the what-if pricing and
//! the reconciliation with Meta's verdicts.
//!
//! Memory: the simulators hold one small state per distinct customer; the reorder buffer holds
//! the events of the last `reorderWindow` (at most [`MAX_BUFFERED`]); webhook messages wait for
//! their statuses at most `deliveryTimeout` (at most [`MAX_PENDING`] at once), and the ids of
//! messages priced in the last `deliveryTimeout` are remembered (as 64-bit hashes) to recognise
//! their later statuses. Nothing grows with the length of the log.
//!
//! [`core`] prices due events on both sides (as logged and the what-if) and builds the report;
//! [`reorder`] is the reorder buffer; [`webhooks`] merges webhook statuses into messages;
//! [`reconcile`] compares with Meta's verdicts and builds the invoice.

mod core;
mod reconcile;
mod reorder;
mod webhooks;

use self::core::{Shifter, Side};
use super::log_line;
use super::report::{
    DeltaRow, Disagreement, EngineVerdict, ErrorEntry, InputReport, InvoiceRow, LogReport,
    MetaVerdict, Progress, Reconciliation, WhatIfDelta, WhatIfReport,
};
use super::shift::shift_months;
use super::sink::{MetaPricing, Sink, StatusItem, WStatus};
use super::{LogFormat, LogOptions, MessageKind, OnError, Shift, MAX_BUFFERED, MAX_PENDING};
use crate::error::{Error, ErrorCode, Result};
use crate::markets::{MarketId, Phone};
use crate::model::{Category, PricingModel, TemplateCategory, VerdictType};
use crate::money;
use crate::pricing::{
    era_guard, EventKind, Reason, Request, Simulation, Simulator, Status, Verdict,
};
use crate::report::{self, WarningReport};
use crate::time::{format_instant, month_key, Clock, MonthKey, DAY_MS};
use crate::Engine;
use reconcile::delta;
use reconcile::{Recon, META_CATEGORIES};
use reorder::{Buffered, Held};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use std::collections::VecDeque;
use std::hash::{Hash, Hasher};
use webhooks::{Hint, PendingMsg};

pub(crate) use reorder::{count_held, late_error};

const NONE: i64 = i64::MIN;

/// A 64-bit hash of a message id (ids are compared by hash: a collision is out of reach).
pub(crate) fn id_hash(id: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    id.hash(&mut h);
    h.finish()
}

/// The one map type of the log pricer (a single instantiation keeps the wasm small).
pub(crate) type Map = FxHashMap<u64, u32>;

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

    /// `n` records were read.
    pub(crate) fn add_records(&mut self, n: u64) {
        self.input.records += n;
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
    fn event(&mut self, e: crate::pricing::Event, line: u64) -> Result<()> {
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
                column: e.loc.as_ref().and_then(|l| l.column),
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
    #[inline]
    fn status(&mut self, s: StatusItem<'_>, line: u64) -> Result<()> {
        self.status_item(s, line)
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
