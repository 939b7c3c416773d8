//! Pricing message logs (see `docs/logs.md`): a CSV export, JSON Lines of simulator events or Meta
//! Cloud API webhook payloads, read from bytes in chunks of any size, priced by the streaming
//! [`Simulator`](crate::pricing::Simulator) without keeping verdicts, so that memory grows with
//! the number of distinct customers (and the few messages in flight), not with the length of the
//! log.
//!
//! Besides the totals, a log can be priced a second time under the rules and card of another date
//! (the *what-if*: instants shifted by whole calendar months into that date's month, or kept), and,
//! where the log carries Meta's own `pricing` objects, compared message by message with Meta's
//! verdicts (the *reconciliation*).
//!
//! ```
//! use waprice::logs::{LogOptions, LogPricer, RawLogOptions};
//! let engine = waprice::Engine::new().unwrap();
//! let raw: RawLogOptions = serde_json::from_str(r#"{ "format": "csv", "currency": "USD" }"#).unwrap();
//! let options = LogOptions::resolve(&raw, &engine).unwrap();
//! let mut pricer = LogPricer::new(&engine, &options).unwrap();
//! pricer.push(b"at,user,kind,category\n2026-10-05T10:00:00Z,+2010012345").unwrap();
//! pricer.push(b"67,template,utility\n").unwrap();
//! let report = pricer.finish().unwrap();
//! assert_eq!(report.totals.as_ref().unwrap().amount, "0.0036");
//! ```

mod bsuid;
pub mod classify;
mod csv;
mod fields;
mod files;
mod jsonl;
mod pricer;
mod records;
mod report;
mod shift;
mod sink;
mod tape;
#[cfg(not(target_arch = "wasm32"))]
mod threaded;
mod webhook;

pub use report::{
    CardFile, DeltaRow, Disagreement, EngineVerdict, ErrorEntry, FieldCounts, InputReport,
    InvoiceRow, LogReport, MetaVerdict, Progress, Reconciliation, SuggestedOpening, WhatIfDelta,
    WhatIfReport,
};
pub use shift::shift_months;
pub use tape::LogReader;
#[cfg(not(target_arch = "wasm32"))]
pub use threaded::price_threaded;

use crate::error::{Error, ErrorCode, Result};
use crate::input::{currency as check_currency, RawBusiness, RawOptions};
use crate::messages::Value;
use crate::model::TemplateCategory;
use crate::pricing::{EventKind, Opening, Options, Request};
use crate::time::{parse_date, Date, Zone};
use crate::Engine;
use pricer::Core;
use records::Reader;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Largest record (one CSV row, one JSON line, one element of a JSON array) accepted, in bytes.
pub const MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;

/// A line of the log, as an error's location.
pub(crate) fn log_line(line: u64) -> crate::error::Location {
    crate::error::Location::line("log", line)
}

/// A record too long to hold (the readers of every format refuse it).
pub(crate) fn too_long(line: u64) -> Error {
    Error::coded_at(
        ErrorCode::LimitExceeded,
        "log_record_too_long",
        "",
        log_line(line),
        format!(
            "a record longer than {} MiB starts at line {line}: is the format right?",
            MAX_RECORD_BYTES >> 20
        ),
    )
    .with("line", Value::Count(line))
    .with("limit", Value::Count((MAX_RECORD_BYTES >> 20) as u64))
}
/// Largest number of events held at once for reordering (see `reorderWindow`).
pub const MAX_BUFFERED: usize = 4_000_000;
/// Largest number of webhook messages held at once while their statuses arrive.
pub const MAX_PENDING: usize = 4_000_000;
/// Largest `reorderWindow`, in seconds (one day).
pub const MAX_REORDER_WINDOW_S: u64 = 86_400;
/// Largest `deliveryTimeout`, in seconds (31 days).
pub const MAX_DELIVERY_TIMEOUT_S: u64 = 31 * 86_400;
/// Largest `maxErrors` and `maxDisagreements`.
pub const MAX_LISTED: u64 = 100_000;

// The defaults of the log options, written once: `LogOptions::resolve`, the command line's flags
// and `docs/logs.md` use these.
/// Default `reorderWindow`, in seconds (ten minutes).
pub const DEFAULT_REORDER_WINDOW_S: u32 = 600;
/// Default `deliveryTimeout`, in seconds (one day).
pub const DEFAULT_DELIVERY_TIMEOUT_S: u32 = 86_400;
/// Default `maxErrors`: malformed lines listed in the report (all are counted).
pub const DEFAULT_MAX_ERRORS: u32 = 20;
/// Default `maxDisagreements`: disagreements with Meta listed in the report (all are counted).
pub const DEFAULT_MAX_DISAGREEMENTS: u32 = 100;

/// The `format` option's values: `auto` (the default: the format is found from the first bytes),
/// then the [`LogFormat`]s.
pub const FORMATS: [&str; 4] = ["auto", "csv", "jsonl", "webhook"];
/// The `whatIf.shift` option's values; the first is the default when a what-if date is given.
pub const SHIFTS: [&str; 2] = ["months", "none"];
/// The `onError` option's values; the first is the default.
pub const ON_ERRORS: [&str; 2] = ["skip", "fail"];

/// The formats of a log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// CSV with a header row naming the simulator's event fields.
    Csv,
    /// JSON Lines of simulator events (or one JSON array of them).
    Jsonl,
    /// Meta Cloud API webhook payloads, one per line or as a JSON array.
    Webhook,
}

impl LogFormat {
    /// `csv`, `jsonl` or `webhook`.
    pub fn as_str(self) -> &'static str {
        match self {
            LogFormat::Csv => "csv",
            LogFormat::Jsonl => "jsonl",
            LogFormat::Webhook => "webhook",
        }
    }

    /// Parses `csv`, `jsonl` (or `json`, `ndjson`) or `webhook`.
    pub fn parse(s: &str) -> Option<LogFormat> {
        match s {
            "csv" => Some(LogFormat::Csv),
            "jsonl" | "json" | "ndjson" => Some(LogFormat::Jsonl),
            "webhook" | "webhooks" => Some(LogFormat::Webhook),
            _ => None,
        }
    }
}

/// What to do with a malformed line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnError {
    /// Report it (line number, code, message) and go on (default).
    Skip,
    /// Stop at the first one with its error.
    Fail,
}

/// How the what-if moves the log's instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shift {
    /// By whole calendar months, from the month of the log's first event into the what-if date's
    /// month (business time zone; days the target month lacks collapse onto its last instant).
    Months,
    /// Not at all: the instants are kept (the what-if then differs by its currency or options).
    None,
}

impl Shift {
    /// `months` or `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            Shift::Months => "months",
            Shift::None => "none",
        }
    }
}

/// What a template-map entry says a business message was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// A template of a category.
    Template(TemplateCategory),
    /// A free-form (non-template) message.
    Message,
    /// A reaction.
    Reaction,
    /// A Marketing Messages API message (MM Lite, SPEC §15).
    MarketingLite,
}

impl MessageKind {
    fn parse(s: &str) -> Option<MessageKind> {
        match s {
            "marketing" => Some(MessageKind::Template(TemplateCategory::Marketing)),
            "marketing_lite" => Some(MessageKind::MarketingLite),
            "utility" => Some(MessageKind::Template(TemplateCategory::Utility)),
            "authentication" | "authentication_international" => {
                Some(MessageKind::Template(TemplateCategory::Authentication))
            }
            "service" | "message" => Some(MessageKind::Message),
            "reaction" => Some(MessageKind::Reaction),
            _ => None,
        }
    }

    pub(crate) fn event_kind(self) -> EventKind {
        match self {
            MessageKind::Template(c) => EventKind::Template(c),
            MessageKind::Message => EventKind::Message,
            MessageKind::Reaction => EventKind::Reaction,
            MessageKind::MarketingLite => EventKind::MarketingLite,
        }
    }
}

/// The template map: message id or template name → what the message was.
#[derive(Debug, Clone, Default)]
pub struct Templates(pricer::Map);

impl Templates {
    /// Adds an entry.
    pub fn insert(&mut self, key: &str, kind: MessageKind) {
        let code = match kind {
            MessageKind::Template(TemplateCategory::Marketing) => 0,
            MessageKind::Template(TemplateCategory::Utility) => 1,
            MessageKind::Template(TemplateCategory::Authentication) => 2,
            MessageKind::Message => 3,
            MessageKind::Reaction => 4,
            MessageKind::MarketingLite => 5,
        };
        self.0.insert(pricer::id_hash(key), code);
    }

    /// Looks a message id or template name up.
    pub fn get(&self, key: &str) -> Option<MessageKind> {
        if self.0.is_empty() {
            return None;
        }
        Some(match self.0.get(&pricer::id_hash(key))? {
            0 => MessageKind::Template(TemplateCategory::Marketing),
            1 => MessageKind::Template(TemplateCategory::Utility),
            2 => MessageKind::Template(TemplateCategory::Authentication),
            3 => MessageKind::Message,
            5 => MessageKind::MarketingLite,
            _ => MessageKind::Reaction,
        })
    }
}

/// The second pricing of the log.
#[derive(Debug, Clone)]
pub struct WhatIf {
    /// The date whose rules and card apply (`None` with [`Shift::None`]).
    pub date: Option<Date>,
    /// How the instants move.
    pub shift: Shift,
    /// The request of the second pricing (currency, zone, business, options).
    pub request: Request,
}

/// Validated options of a log pricing.
#[derive(Debug, Clone)]
pub struct LogOptions {
    /// The format; `None` detects it from the first bytes.
    pub format: Option<LogFormat>,
    /// Currency, time zone, business and simulator options of the pricing (no events).
    pub request: Request,
    /// The what-if pricing, if asked for.
    pub what_if: Option<WhatIf>,
    /// Message id or template name → what the message was.
    pub templates: Templates,
    /// Malformed lines: skipped and reported (default) or fatal.
    pub on_error: OnError,
    /// Malformed lines listed in the report (all are counted). Default [`DEFAULT_MAX_ERRORS`].
    pub max_errors: usize,
    /// Disagreements with Meta listed in the report (all are counted). Default
    /// [`DEFAULT_MAX_DISAGREEMENTS`].
    pub max_disagreements: usize,
    /// How far (ms) an event may come after a later one and still be priced in order. Default
    /// [`DEFAULT_REORDER_WINDOW_S`] seconds.
    pub reorder_window_ms: i64,
    /// How long (ms) a webhook message with only a `sent` status waits for its delivery. Default
    /// [`DEFAULT_DELIVERY_TIMEOUT_S`] seconds.
    pub delivery_timeout_ms: i64,
    /// Only read and check the log, price nothing.
    pub parse_only: bool,
}

/// Log options as written (JSON / JavaScript); see `docs/logs.md`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawLogOptions {
    /// `csv`, `jsonl`, `webhook` or `auto` (default).
    pub format: Option<String>,
    /// Billing currency (default USD).
    pub currency: Option<String>,
    /// Business time zone (default UTC).
    pub timezone: Option<String>,
    /// The business (authentication-international).
    pub business: Option<RawBusiness>,
    /// Simulator options.
    pub options: Option<RawOptions>,
    /// The what-if pricing.
    pub what_if: Option<RawWhatIf>,
    /// Message id or template name → `marketing`, `utility`, `authentication`, `service`, `reaction`.
    pub templates: Option<BTreeMap<String, String>>,
    /// `skip` (default) or `fail`.
    pub on_error: Option<String>,
    /// Malformed lines listed (default [`DEFAULT_MAX_ERRORS`]).
    pub max_errors: Option<f64>,
    /// Disagreements listed (default [`DEFAULT_MAX_DISAGREEMENTS`]).
    pub max_disagreements: Option<f64>,
    /// Seconds an event may trail a later one (default [`DEFAULT_REORDER_WINDOW_S`]).
    pub reorder_window: Option<f64>,
    /// Seconds a `sent`-only webhook message waits for its delivery (default
    /// [`DEFAULT_DELIVERY_TIMEOUT_S`]).
    pub delivery_timeout: Option<f64>,
    /// Only read and check the log.
    pub parse_only: Option<bool>,
    /// What the month had counted before the log starts (see [`RawOpening`]).
    pub opening: Option<RawOpening>,
}

/// The opening state as written: what the month of the log's first business message had counted
/// before it (SPEC §7.4, §8; `docs/logs.md`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawOpening {
    /// `YYYY-MM`: the business-local month counted (default: the month of the log's first
    /// business message).
    pub month: Option<String>,
    /// Business phone number (E.164, or `default` for messages that name no number) → delivered
    /// service messages already counted against its free allowance this month.
    pub service: Option<BTreeMap<String, f64>>,
    /// Market name → category (`utility`, `authentication`, `authentication_international`) →
    /// charged messages this month (the volume-tier position).
    pub charged: Option<BTreeMap<String, BTreeMap<String, f64>>>,
}

/// Largest count of an opening state: more messages than a month can hold.
pub const MAX_OPENING_COUNT: u64 = 1_000_000_000_000;

impl RawOpening {
    /// Validates the opening state: known numbers, markets and tiered categories, whole counts.
    pub fn resolve(&self, engine: &Engine, path: &str) -> Result<Opening> {
        let mut o = Opening::default();
        if let Some(m) = &self.month {
            let p = format!("{path}.month");
            let bad = || {
                Error::coded(
                    ErrorCode::InvalidDate,
                    "log_opening_month",
                    &p,
                    format!("invalid month {m:?}: expected YYYY-MM, such as \"2026-10\""),
                )
                .value(m)
            };
            if m.len() != 7 {
                return Err(bad());
            }
            let d = parse_date(&format!("{m}-01"), &p).map_err(|_| bad())?;
            crate::pricing::date_era(d, &p, "opening month starting ")?;
            o.month = Some(crate::time::month_key(d));
        }
        for (k, &v) in self.service.iter().flatten() {
            let p = format!("{path}.service.{k}");
            let number = match k.as_str() {
                "default" => None,
                n => Some(crate::markets::Phone::parse(n, &p)?),
            };
            let n = crate::input::count(v, 0, MAX_OPENING_COUNT, &p, "service message count")?;
            o.service.push((number, n));
        }
        for (market, cats) in self.charged.iter().flatten() {
            let mp = format!("{path}.charged.{market}");
            let id = engine.markets.id(market).ok_or_else(|| {
                Error::coded(
                    ErrorCode::UnknownMarket,
                    "",
                    &mp,
                    format!("unknown market {market:?}: expected a market name of the rate card, such as \"India\""),
                )
                .value(market)
            })?;
            for (cat, &v) in cats {
                let p = format!("{mp}.{cat}");
                let category = match crate::model::Category::parse(cat) {
                    Some(c @ (crate::model::Category::Utility
                    | crate::model::Category::Authentication
                    | crate::model::Category::AuthenticationInternational)) => c,
                    _ => {
                        return Err(Error::coded(
                            ErrorCode::InvalidCategory,
                            "log_untiered_category",
                            &p,
                            format!("invalid category {cat:?}: only utility, authentication and authentication_international have volume tiers (a tier position)"),
                        )
                        .value(cat))
                    }
                };
                let n = crate::input::count(v, 0, MAX_OPENING_COUNT, &p, "charged message count")?;
                o.charged.push((id, category, n));
            }
        }
        Ok(o)
    }
}

/// The what-if as written.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawWhatIf {
    /// `YYYY-MM-DD`: the date whose rules and card apply.
    pub date: Option<String>,
    /// `months` (default with a date) or `none`.
    pub shift: Option<String>,
    /// Currency of the what-if (default: the log's).
    pub currency: Option<String>,
    /// Simulator options of the what-if (default: the log's).
    pub options: Option<RawOptions>,
}

/// An invalid option of a log import: its reason (docs/errors.md) and, when the message names
/// one, the value given.
fn option_error(reason: &'static str, path: &str, value: Option<&str>, message: String) -> Error {
    let e = Error::coded(ErrorCode::InvalidOption, reason, path, message);
    match value {
        Some(v) => e.value(v),
        None => e,
    }
}

fn sim_options(raw: Option<&RawOptions>, path: &str) -> Result<Options> {
    if let Some(o) = raw {
        if o.messages.as_deref() == Some("all") {
            return Err(option_error(
                "log_messages_all",
                &format!("{path}.messages"),
                None,
                "invalid messages option \"all\": a log is priced into totals only (messages \"none\")".to_string(),
            ));
        }
    }
    let mut o = raw
        .map(|o| o.resolve(path))
        .transpose()?
        .unwrap_or_default();
    o.keep_messages = false;
    Ok(o)
}

impl LogOptions {
    /// Validates raw options.
    pub fn resolve(raw: &RawLogOptions, engine: &Engine) -> Result<LogOptions> {
        let format = match raw.format.as_deref() {
            None | Some("auto") => None,
            Some(f) => Some(LogFormat::parse(f).ok_or_else(|| {
                option_error(
                    "log_format",
                    "format",
                    Some(f),
                    format!("invalid format {f:?}: expected \"csv\", \"jsonl\", \"webhook\" or \"auto\""),
                )
            })?),
        };
        let zone = match &raw.timezone {
            Some(z) => engine.zone(z, "timezone")?,
            None => Zone::UTC,
        };
        let business = raw
            .business
            .as_ref()
            .map(|b| b.resolve("business"))
            .transpose()?
            .unwrap_or_default();
        let mut options = sim_options(raw.options.as_ref(), "options")?;
        // A rate missing from the data leaves its messages unpriced, reported in the totals
        // (`complete: false`, `unpriced`), rather than failing the whole log (issue 20).
        options.lenient_rates = true;
        engine.markets.check_options(&options.markets, "options")?;
        let opening = raw
            .opening
            .as_ref()
            .map(|o| o.resolve(engine, "opening").map(Box::new))
            .transpose()?;
        options.opening.clone_from(&opening);
        let request = Request {
            currency: check_currency(raw.currency.as_deref(), "currency")?,
            zone,
            business,
            options,
            events: Vec::new(),
            sources: Default::default(),
        };
        let mut what_if = raw
            .what_if
            .as_ref()
            .map(|w| WhatIf::resolve(w, &request, engine))
            .transpose()?;
        // The what-if prices the same log: it starts from the same opening state. With a shift of
        // months, that of the month the log starts in, moved (docs/logs.md).
        if let Some(w) = what_if.as_mut() {
            w.request.options.opening = opening.map(|mut o| {
                if w.shift == Shift::Months {
                    o.month = None;
                }
                o
            });
        }
        let mut templates = Templates::default();
        for (k, v) in raw.templates.iter().flatten() {
            let kind = MessageKind::parse(v).ok_or_else(|| {
                Error::coded(
                    ErrorCode::InvalidCategory,
                    "log_template_category",
                    format!("templates.{k}"),
                    format!("invalid template category {v:?}: expected marketing, marketing_lite, utility, authentication, service or reaction"),
                )
                .value(v)
            })?;
            templates.insert(k, kind);
        }
        let count = |v: Option<f64>, default: u64, max: u64, path: &str| -> Result<u64> {
            match v {
                Some(v) => crate::input::count(v, 0, max, path, path),
                None => Ok(default),
            }
        };
        Ok(LogOptions {
            format,
            request,
            what_if,
            templates,
            on_error: match raw.on_error.as_deref() {
                None | Some("skip") => OnError::Skip,
                Some("fail") => OnError::Fail,
                Some(o) => {
                    return Err(option_error(
                        "log_on_error",
                        "onError",
                        Some(o),
                        format!("invalid onError {o:?}: expected \"skip\" or \"fail\""),
                    ))
                }
            },
            max_errors: count(
                raw.max_errors,
                DEFAULT_MAX_ERRORS.into(),
                MAX_LISTED,
                "maxErrors",
            )? as usize,
            max_disagreements: count(
                raw.max_disagreements,
                DEFAULT_MAX_DISAGREEMENTS.into(),
                MAX_LISTED,
                "maxDisagreements",
            )? as usize,
            reorder_window_ms: count(
                raw.reorder_window,
                DEFAULT_REORDER_WINDOW_S.into(),
                MAX_REORDER_WINDOW_S,
                "reorderWindow",
            )? as i64
                * 1000,
            delivery_timeout_ms: count(
                raw.delivery_timeout,
                DEFAULT_DELIVERY_TIMEOUT_S.into(),
                MAX_DELIVERY_TIMEOUT_S,
                "deliveryTimeout",
            )? as i64
                * 1000,
            parse_only: raw.parse_only.unwrap_or(false),
        })
    }

    /// Options with every default: format detected, USD, UTC, no what-if.
    pub fn new(engine: &Engine) -> Result<LogOptions> {
        LogOptions::resolve(&RawLogOptions::default(), engine)
    }
}

impl WhatIf {
    /// The what-if options, checked; what they leave out is the logged pricing's (`request`).
    fn resolve(w: &RawWhatIf, request: &Request, engine: &Engine) -> Result<WhatIf> {
        let shift = match w.shift.as_deref() {
            None | Some("months") => Shift::Months,
            Some("none") => Shift::None,
            Some(o) => {
                return Err(option_error(
                    "log_what_if_shift",
                    "whatIf.shift",
                    Some(o),
                    format!("invalid shift {o:?}: expected \"months\" or \"none\""),
                ))
            }
        };
        let date = w
            .date
            .as_deref()
            .map(|d| parse_date(d, "whatIf.date"))
            .transpose()?;
        match (shift, date) {
            (Shift::Months, None) => {
                return Err(option_error(
                    "log_what_if_date_missing",
                    "whatIf.date",
                    None,
                    "missing what-if date: give whatIf.date (YYYY-MM-DD), or whatIf.shift \"none\" to keep the instants".to_string(),
                ))
            }
            (Shift::None, Some(_)) => {
                return Err(option_error(
                    "log_what_if_date_unshifted",
                    "whatIf.date",
                    None,
                    "a what-if date moves the instants: it needs whatIf.shift \"months\" (the default), not \"none\"".to_string(),
                ))
            }
            (_, Some(d)) if d < crate::model::CBP_START => {
                crate::pricing::date_era(d, "whatIf.date", "what-if date ")?;
            }
            _ => {}
        }
        let options = match &w.options {
            Some(o) => {
                let mut o = sim_options(Some(o), "whatIf.options")?;
                o.lenient_rates = true; // as the base (see `LogOptions::resolve`)
                o
            }
            None => request.options.clone(),
        };
        engine
            .markets
            .check_options(&options.markets, "whatIf.options")?;
        let currency = match &w.currency {
            Some(c) => check_currency(Some(c), "whatIf.currency")?,
            None => request.currency.clone(),
        };
        Ok(WhatIf {
            date,
            shift,
            request: Request {
                currency,
                zone: request.zone.clone(),
                business: request.business.clone(),
                options,
                events: Vec::new(),
                sources: Default::default(),
            },
        })
    }
}

/// A log being priced, fed chunk by chunk. Chunks may split lines (and characters) anywhere.
///
/// A pricer is fed either the log's bytes ([`push`](LogPricer::push)) or the tapes of a
/// [`LogReader`] that reads them elsewhere ([`replay`](LogPricer::replay)), not both.
pub struct LogPricer<'a> {
    reader: Reader,
    core: Core<'a>,
    feed: Feed,
    finished: bool,
    failed: Option<Error>,
}

/// What a [`LogPricer`] is fed.
enum Feed {
    /// Nothing yet.
    Unknown,
    /// The log's bytes.
    Bytes,
    /// Tapes: the format they named so far, and how the reading ended once the last came.
    Tapes(Option<LogFormat>, tape::End),
}

impl<'a> LogPricer<'a> {
    /// Starts a pricing.
    pub fn new(engine: &'a Engine, options: &'a LogOptions) -> Result<LogPricer<'a>> {
        Ok(LogPricer {
            reader: Reader::new(options.format),
            core: Core::new(engine, options)?,
            feed: Feed::Unknown,
            finished: false,
            failed: None,
        })
    }

    /// Reads the next chunk of the log. After an error (a fatal one, or a malformed line with
    /// `onError: fail`) every later call returns the same error.
    pub fn push(&mut self, chunk: &[u8]) -> Result<()> {
        self.check()?;
        match self.feed {
            Feed::Unknown => self.feed = Feed::Bytes,
            Feed::Bytes => {}
            Feed::Tapes(..) => return Err(mixed("push")),
        }
        let r = self.reader.feed(chunk, &mut self.core);
        self.remember(r)
    }

    /// Prices the next tape of a [`LogReader`] (in the order the reader returned them). The
    /// report and the errors are those of pushing the log's bytes: a malformed line, or the error
    /// that stopped the reader, is returned here where `push` would have returned it.
    pub fn replay(&mut self, tape: &[u8]) -> Result<()> {
        self.check()?;
        let (mut format, ended) = match self.feed {
            Feed::Unknown => (None, false),
            Feed::Bytes => return Err(mixed("replay")),
            Feed::Tapes(f, ref end) => (f, end.is_some()),
        };
        if ended {
            return Err(Error::coded(
                ErrorCode::InvalidInput,
                "log_tape_after_last",
                "tape",
                "the reader's last tape was already replayed: call finish()".to_string(),
            ));
        }
        let r = tape::replay(&mut self.core, tape, &mut format);
        let end = self.remember(r)?;
        if let Some(Err(e)) = &end {
            self.failed = Some(e.clone());
        }
        self.feed = Feed::Tapes(format, end.clone());
        match end {
            Some(Err(e)) => Err(e),
            _ => Ok(()),
        }
    }

    /// Where the reading is.
    pub fn progress(&self) -> Progress {
        self.core.progress(self.format())
    }

    fn format(&self) -> Option<LogFormat> {
        match self.feed {
            Feed::Tapes(f, _) => f,
            _ => self.reader.format(),
        }
    }

    /// Ends the log: prices what is still held and returns the report.
    pub fn finish(&mut self) -> Result<LogReport> {
        self.check()?;
        let format = match &self.feed {
            Feed::Tapes(_, Some(Ok(f))) => *f,
            Feed::Tapes(..) => {
                return Err(Error::coded(
                    ErrorCode::InvalidInput,
                    "log_tape_last_missing",
                    "tape",
                    "the reader's last tape (from its finish()) was not replayed".to_string(),
                ))
            }
            Feed::Unknown | Feed::Bytes => {
                let r = self.reader.finish(&mut self.core);
                self.remember(r)?;
                self.reader.format()
            }
        };
        self.finished = true;
        let r = self.core.finish(format);
        self.remember(r)
    }

    fn check(&self) -> Result<()> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        if self.finished {
            return Err(Error::coded(
                ErrorCode::InvalidInput,
                "log_pricing_finished",
                "",
                "this log pricing is finished: start another one".to_string(),
            ));
        }
        Ok(())
    }

    fn remember<T>(&mut self, r: Result<T>) -> Result<T> {
        if let Err(e) = &r {
            self.failed = Some(e.clone());
        }
        r
    }
}

fn mixed(call: &str) -> Error {
    Error::coded(
        ErrorCode::InvalidInput,
        "log_feed_mixed",
        "",
        format!("{call}() after the other kind of feed: a pricer takes either the log's bytes (push) or a reader's tapes (replay)"),
    )
    .with("method", Value::Text(call.to_string()))
}

/// What an [`OwnedLogPricer`] owns: the engine and the options its pricing borrows.
pub struct LogSetup {
    /// The engine.
    pub engine: Engine,
    /// The options.
    pub options: LogOptions,
}

type BorrowedPricer<'a> = LogPricer<'a>;

self_cell::self_cell!(
    struct OwnedInner {
        owner: LogSetup,
        #[covariant]
        dependent: BorrowedPricer,
    }
);

/// A [`LogPricer`] that owns its engine and options (for bindings that cannot hold a borrow).
pub struct OwnedLogPricer(OwnedInner);

impl OwnedLogPricer {
    /// Starts a pricing.
    pub fn new(engine: Engine, options: LogOptions) -> Result<OwnedLogPricer> {
        OwnedInner::try_new(LogSetup { engine, options }, |s| {
            LogPricer::new(&s.engine, &s.options)
        })
        .map(OwnedLogPricer)
    }

    /// See [`LogPricer::push`].
    pub fn push(&mut self, chunk: &[u8]) -> Result<()> {
        self.0.with_dependent_mut(|_, p| p.push(chunk))
    }

    /// See [`LogPricer::replay`].
    pub fn replay(&mut self, tape: &[u8]) -> Result<()> {
        self.0.with_dependent_mut(|_, p| p.replay(tape))
    }

    /// See [`LogPricer::progress`].
    pub fn progress(&self) -> Progress {
        self.0.borrow_dependent().progress()
    }

    /// See [`LogPricer::finish`].
    pub fn finish(&mut self) -> Result<LogReport> {
        self.0.with_dependent_mut(|_, p| p.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The defaults are written once: the options table of `docs/logs.md` shows the constants.
    #[test]
    fn documented_defaults_are_the_constants() {
        let doc = include_str!("../../docs/logs.md");
        let thousands = |n: u32| {
            let s = n.to_string();
            let mut out = String::new();
            for (i, c) in s.chars().enumerate() {
                if i > 0 && (s.len() - i) % 3 == 0 {
                    out.push(',');
                }
                out.push(c);
            }
            out
        };
        for (name, value) in [
            ("maxErrors", DEFAULT_MAX_ERRORS),
            ("maxDisagreements", DEFAULT_MAX_DISAGREEMENTS),
            ("reorderWindow", DEFAULT_REORDER_WINDOW_S),
            ("deliveryTimeout", DEFAULT_DELIVERY_TIMEOUT_S),
        ] {
            let row = format!("| `{name}` | {} |", thousands(value));
            assert!(doc.contains(&row), "docs/logs.md lacks {row}");
        }
    }
}
