//! A log read in one place and priced in another: what a reader hands over (the calls of
//! [`Sink`]), written as bytes.
//!
//! Natively the reading thread sends these bytes to the pricing thread
//! ([`price_threaded`](super::price_threaded)); in the browser a worker's [`LogReader`] sends them
//! to the page's [`LogPricer`](super::LogPricer) (`replay`), since wasm has no threads to share
//! memory with. Replayed in order into the pricer, a tape gives the report and the first error of
//! pricing the log directly: malformed lines travel as they were reported, and the pricer decides
//! (by `onError`) whether they stop it, at the same place.
//!
//! A reader of CSV or JSON Lines keeps the reorder buffer itself (the pricer's would hold the same
//! events in the same order): a tape carries the events that came due (`READY`, each record
//! written once, in place, as it is read), and a late event as the malformed line it is, where
//! the pricer would have reported it. This moves that work off the pricer, which is the slower of
//! the two; webhook logs, whose statuses and messages share the buffer with the pricer's merging,
//! are ordered by the pricer as when pushed.
//!
//! A tape is a sequence of operations, each a tag byte and its fields in little-endian order;
//! strings are a 32-bit length and UTF-8 bytes. Both ends are the same build: the format carries
//! no version. A tape that does not decode is an error (`invalid_encoding`), never a panic.

use super::pricer::{count_held, late_error, Core};
use super::records::Reader;
use super::sink::Sink;
use super::sink::{MetaPricing, StatusItem, WStatus};
use super::{LogFormat, LogOptions, MessageKind};
use crate::error::{Error, ErrorCode, Result};
use crate::markets::Phone;
use crate::messages::{Params, Value};
use crate::model::TemplateCategory;
use crate::pricing::{Event, EventKind, Status};
use crate::time::{MAX_INSTANT, MIN_INSTANT};

const EVENT: u8 = 0;
const BAD: u8 = 1;
const STATUS: u8 = 2;
const FORMAT: u8 = 3;
const OTHER_CHANGE: u8 = 4;
const SYSTEM_MESSAGE: u8 = 5;
const BAD_STATUS: u8 = 6;
const OTHER_STATUS: u8 = 7;
const BYTES: u8 = 8;
const LINES: u8 = 9;
const RECORDS: u8 = 10;
const END: u8 = 11;
const END_ERROR: u8 = 12;
const READY: u8 = 13;
const SEEN: u8 = 14;
const PEAK: u8 = 15;

/// The operations written so far, and the records counted since the last [`TapeBuf::take`].
#[derive(Default)]
pub(crate) struct TapeBuf {
    bytes: Vec<u8>,
    records: u64,
    format: Option<LogFormat>,
    lines: Option<u64>,
    /// The reorder buffer, for CSV and JSON Lines being priced.
    order: Option<Order>,
}

/// A reader's reorder buffer: the pricer's (`Core::hold`, `Core::release_ready`), for events.
///
/// Events are written as `READY` records onto the tape as they are read, in order of instant: the
/// tape's bytes end with the records of the events held (not yet due), from `held[due]`'s offset
/// on, and an event read out of order is inserted among them. An event comes due when the
/// watermark less the window passes it: it then stays where it is, before the held ones. Any
/// other operation is written between the due events and the held ones ([`TapeBuf::op`]), and a
/// tape taken ends before the held records, which begin the next one; so the tape is the one of
/// writing each event as soon as it is due, with each record written once.
struct Order {
    /// The events read, by instant: `held[due..]` are held, their records at the end of the
    /// tape's bytes (`offset` is where each starts there); `held[..due]` came due.
    held: Vec<Held>,
    due: usize,
    /// The latest instant read.
    watermark: i64,
    /// The latest instant due: the watermark less the reorder window.
    due_until: i64,
    /// The latest instant due so far.
    frontier: i64,
    peak: u64,
    /// The peak last written on the tape.
    written_peak: u64,
    /// An operation being written before the held records.
    op: Vec<u8>,
}

/// Due events kept in [`Order::held`] before they are dropped from it.
const DUE_BATCH: usize = 256;

/// A read event: its instant and where its record starts in the tape's bytes.
#[derive(Clone, Copy)]
struct Held {
    at: i64,
    offset: usize,
}

impl Order {
    fn new() -> Order {
        Order {
            held: Vec::new(),
            due: 0,
            watermark: i64::MIN,
            due_until: i64::MIN,
            frontier: i64::MIN,
            peak: 0,
            written_peak: 0,
            op: Vec::new(),
        }
    }

    /// Where the held records start in `tape`.
    #[inline]
    fn cut(&self, tape: &[u8]) -> usize {
        self.held.get(self.due).map_or(tape.len(), |h| h.offset)
    }

    /// Writes an operation (`put` writes it) into `tape` before the held records.
    fn insert(&mut self, tape: &mut Vec<u8>, put: impl FnOnce(&mut Vec<u8>)) {
        self.op.clear();
        put(&mut self.op);
        let (cut, n) = (self.cut(tape), self.op.len());
        tape.splice(cut..cut, self.op.iter().copied());
        for h in &mut self.held[self.due..] {
            h.offset += n;
        }
    }

    /// Marks every held event due (the end of the log).
    fn all_due(&mut self) {
        if let Some(last) = self.held.last() {
            self.frontier = self.frontier.max(last.at);
        }
        self.due = self.held.len();
    }

    /// Holds an event, after the held ones of an instant not later than its own, writing its
    /// record at its place in `tape`.
    #[inline]
    fn hold(&mut self, tape: &mut Vec<u8>, e: &Event, line: u64) {
        let (rec, len) = event_record(READY, e, line);
        match self.held.last() {
            Some(last) if last.at > e.at && self.held.len() > self.due => {
                // Not before a due one: those are not later than this event.
                let i = self.due + self.held[self.due..].partition_point(|x| x.at <= e.at);
                let offset = self.held.get(i).map_or(tape.len(), |h| h.offset);
                let n = usize::from(len);
                tape.splice(offset..offset, rec[..n].iter().copied());
                for h in &mut self.held[i..] {
                    h.offset += n;
                }
                self.held.insert(i, Held { at: e.at, offset });
            }
            _ => {
                let offset = tape.len();
                put_record(tape, &rec, len);
                self.held.push(Held { at: e.at, offset });
            }
        }
    }
}

/// The longest event record.
const EVENT_MAX: usize = 37;

/// An event record (see `Cursor::event` for the layout), tagged `tag`, and its length.
#[inline]
fn event_record(tag: u8, e: &Event, line: u64) -> ([u8; EVENT_MAX], u8) {
    // One copy of a record built in place.
    let (from_len, from) = e.from.map_or((0, 0), |p| (p.len, p.value));
    let mut r = [0u8; EVENT_MAX];
    r[0] = tag;
    r[1..9].copy_from_slice(&(e.at as u64).to_le_bytes());
    r[9..17].copy_from_slice(&line.to_le_bytes());
    r[17..25].copy_from_slice(&e.user.value.to_le_bytes());
    r[25] = e.user.len;
    r[26] = kind_byte(e.kind);
    r[27] = status_byte(e.status);
    r[28] = from_len;
    r[29..].copy_from_slice(&from.to_le_bytes());
    (r, if from_len == 0 { 29 } else { 37 })
}

/// The first `len` bytes of a record.
#[inline]
fn put_record(b: &mut Vec<u8>, r: &[u8; EVENT_MAX], len: u8) {
    // A copy of a fixed length (no call to memcpy), then what is not the record's cut off.
    let end = b.len() + usize::from(len);
    b.extend_from_slice(r);
    b.truncate(end);
}

/// An event record, tagged `tag`.
#[inline]
fn put_event(b: &mut Vec<u8>, tag: u8, e: &Event, line: u64) {
    let (r, len) = event_record(tag, e, line);
    put_record(b, &r, len);
}

impl TapeBuf {
    /// Writes an operation other than an event (`put` writes it): after the due events, before
    /// the held ones.
    #[inline]
    fn op(&mut self, put: impl FnOnce(&mut Vec<u8>)) {
        match &mut self.order {
            Some(o) if o.held.len() > o.due => {
                o.insert(&mut self.bytes, put);
            }
            _ => put(&mut self.bytes),
        }
    }

    /// The tape so far, ending with `end` when the reading is over (`Ok(format)` or the error
    /// that stopped it); `reuse` becomes the buffer of what follows.
    pub(crate) fn take(
        &mut self,
        end: Option<Result<Option<LogFormat>>>,
        mut reuse: Vec<u8>,
    ) -> Vec<u8> {
        let mut held = false;
        if let Some(o) = &mut self.order {
            // The end of the log: everything held is due.
            if matches!(end, Some(Ok(_))) {
                o.all_due();
            }
            // The held records begin the next tape.
            if o.held.len() > o.due {
                let cut = o.cut(&self.bytes);
                reuse.clear();
                reuse.extend_from_slice(&self.bytes[cut..]);
                self.bytes.truncate(cut);
                for h in &mut o.held[o.due..] {
                    h.offset -= cut;
                }
                held = true;
            }
            if o.peak > o.written_peak {
                o.written_peak = o.peak;
                self.bytes.push(PEAK);
                put_u64(&mut self.bytes, o.peak);
            }
        }
        // The records of a batch are counted once its operations are in: a record's count never
        // runs ahead of what was done with it.
        if self.records > 0 {
            self.bytes.push(RECORDS);
            put_u64(&mut self.bytes, self.records);
            self.records = 0;
        }
        if let Some(lines) = self.lines.take() {
            self.bytes.push(LINES);
            put_u64(&mut self.bytes, lines);
        }
        match end {
            None => {}
            Some(Ok(f)) => {
                self.bytes.push(END);
                self.bytes.push(format_byte(f));
            }
            Some(Err(e)) => {
                self.bytes.push(END_ERROR);
                put_error(&mut self.bytes, &e);
            }
        }
        if !held {
            reuse.clear();
        }
        std::mem::replace(&mut self.bytes, reuse)
    }
}

/// The reader's [`Sink`]: writes every call onto a [`TapeBuf`].
pub(crate) struct Tape<'o, 'b> {
    pub(crate) options: &'o LogOptions,
    pub(crate) buf: &'b mut TapeBuf,
}

impl Tape<'_, '_> {
    /// A malformed line; `seen` when it is a late event (the pricer counts it as read).
    fn bad(&mut self, line: u64, e: &Error, seen: bool) -> Result<()> {
        self.buf.op(|b| {
            if seen {
                b.push(SEEN);
            }
            b.push(BAD);
            put_u64(b, line);
            put_error(b, e);
        });
        Ok(())
    }
}

fn put_u64(b: &mut Vec<u8>, v: u64) {
    b.extend_from_slice(&v.to_le_bytes());
}

fn put_str(b: &mut Vec<u8>, s: &str) {
    // A record is at most MAX_RECORD_BYTES (16 MiB): its strings fit 32 bits.
    b.extend_from_slice(&(s.len() as u32).to_le_bytes());
    b.extend_from_slice(s.as_bytes());
}

fn put_opt_str(b: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => b.push(0),
        Some(s) => {
            b.push(1);
            put_str(b, s);
        }
    }
}

fn put_phone(b: &mut Vec<u8>, p: Option<Phone>) {
    match p {
        None => b.push(0),
        Some(p) => {
            // Digits: 7 to 15, never 0.
            b.push(p.len);
            put_u64(b, p.value);
        }
    }
}

fn put_error(b: &mut Vec<u8>, e: &Error) {
    let code = ErrorCode::ALL
        .iter()
        .position(|&c| c == e.code)
        .unwrap_or(0);
    b.push(code as u8);
    put_str(b, &e.path);
    put_str(b, &e.message);
    put_params(b, e.params.as_deref());
    // The location: 0, or its line + 1 and its column + 1 (0: none). A log's only source is `log`.
    match &e.loc {
        None => put_u64(b, 0),
        Some(l) => {
            put_u64(b, l.line + 1);
            put_u64(b, l.column.map_or(0, |c| c + 1));
        }
    }
}

/// The names an error's params can have: `reason`, then every registered name
/// (`reasons::PARAM_KINDS`, docs/errors.md). A param is written as its name's position here, then
/// its kind's tag and its value.
fn param_names() -> impl Iterator<Item = &'static str> {
    std::iter::once("reason").chain(
        crate::reasons::PARAM_KINDS
            .iter()
            .flat_map(|g| g.iter().map(|(n, _)| *n)),
    )
}

/// The static id a term or code param read back from a tape stands for: a reason, a term's id
/// (`messages::TERMS`, `reasons::TERMS`) or a message's code; `None` for one no table knows (not kept).
fn static_id(name: &str, id: &str) -> Option<&'static str> {
    if name == "reason" {
        return crate::reasons::all().map(|r| r.reason).find(|r| *r == id);
    }
    crate::messages::TERMS
        .iter()
        .find(|(n, i, _)| *n == name && *i == id)
        .map(|t| t.1)
        .or_else(|| {
            crate::reasons::TERMS
                .iter()
                .find(|(n, i)| *n == name && *i == id)
                .map(|t| t.1)
        })
        .or_else(|| {
            crate::messages::CATALOGUE
                .iter()
                .map(|e| e.code)
                .find(|c| *c == id)
        })
}

fn put_params(b: &mut Vec<u8>, params: Option<&Params>) {
    let kept: Vec<(usize, &Value)> = params
        .map(|p| {
            p.0.iter()
                .filter(|(n, v)| match v {
                    Value::Term(t) | Value::Code(t) => static_id(n, t).is_some(),
                    _ => true,
                })
                .filter_map(|(n, v)| param_names().position(|k| k == *n).map(|i| (i, v)))
                .collect()
        })
        .unwrap_or_default();
    b.push(kept.len() as u8);
    for (i, v) in kept {
        put_u64(b, i as u64);
        match v {
            Value::Text(t) => {
                b.push(0);
                put_str(b, t);
            }
            Value::Count(n) => {
                b.push(1);
                put_u64(b, *n);
            }
            Value::Date(d) => {
                b.push(2);
                put_str(b, &crate::time::format_date(*d));
            }
            Value::Number(d) => {
                b.push(3);
                put_str(b, &d.to_string());
            }
            Value::Money(d) => {
                b.push(4);
                put_str(b, &d.to_string());
            }
            Value::Market(t) => {
                b.push(5);
                put_str(b, t);
            }
            Value::Country(t) => {
                b.push(6);
                put_str(b, t);
            }
            Value::Currency(t) => {
                b.push(7);
                put_str(b, t);
            }
            Value::Category(c) => {
                b.push(8);
                put_str(b, c.as_str());
            }
            Value::Term(t) => {
                b.push(9);
                put_str(b, t);
            }
            Value::Code(t) => {
                b.push(10);
                put_str(b, t);
            }
            Value::Limit(l) => {
                b.push(11);
                put_u64(b, l.map_or(0, |n| n.saturating_add(1)));
            }
        }
    }
}

fn format_byte(f: Option<LogFormat>) -> u8 {
    match f {
        None => 0,
        Some(LogFormat::Csv) => 1,
        Some(LogFormat::Jsonl) => 2,
        Some(LogFormat::Webhook) => 3,
    }
}

fn kind_byte(k: EventKind) -> u8 {
    match k {
        EventKind::Inbound { referral: false } => 0,
        EventKind::Inbound { referral: true } => 1,
        EventKind::Message => 2,
        EventKind::Reaction => 3,
        EventKind::Template(TemplateCategory::Marketing) => 4,
        EventKind::Template(TemplateCategory::Utility) => 5,
        EventKind::Template(TemplateCategory::Authentication) => 6,
        EventKind::MarketingLite => 7,
    }
}

fn status_byte(s: Status) -> u8 {
    match s {
        Status::Delivered => 0,
        Status::Failed => 1,
        Status::Sent => 2,
    }
}

fn wstatus_byte(s: WStatus) -> u8 {
    match s {
        WStatus::Sent => 0,
        WStatus::Delivered => 1,
        WStatus::Read => 2,
        WStatus::Failed => 3,
    }
}

impl Sink for Tape<'_, '_> {
    #[inline]
    fn record(&mut self) {
        self.buf.records += 1;
    }

    #[inline]
    fn event(&mut self, e: Event, line: u64) -> Result<()> {
        let ordered = !self.options.parse_only
            && matches!(self.buf.format, Some(LogFormat::Csv | LogFormat::Jsonl));
        if !ordered {
            put_event(&mut self.buf.bytes, EVENT, &e, line);
            return Ok(());
        }
        let window = self.options.reorder_window_ms;
        let TapeBuf { bytes, order, .. } = &mut *self.buf;
        let o = order.get_or_insert_with(Order::new);
        // An event later than the watermark less the window is later than every due one: it
        // cannot be late. Otherwise it is checked against the latest due instant.
        let due_now = e.at <= o.due_until;
        if due_now && e.at < o.frontier {
            let err = late_error(line, e.at, window, o.frontier);
            return self.bad(line, &err, true);
        }
        let later = e.at > o.watermark;
        if later {
            o.watermark = e.at;
            o.due_until = e.at.saturating_sub(window);
        }
        o.hold(bytes, &e, line);
        // Those not due, as the pricer's buffer would hold them.
        count_held(o.held.len() - o.due, &mut o.peak, line)?;
        // Events come due when the watermark moves on, or this one at once.
        if later || due_now {
            while let Some(h) = o.held.get(o.due).filter(|h| h.at <= o.due_until) {
                o.frontier = o.frontier.max(h.at);
                o.due += 1;
            }
            // The due events leave the list once they are the larger part of it.
            if o.due > DUE_BATCH && o.due * 2 > o.held.len() {
                o.held.drain(..o.due);
                o.due = 0;
            }
        }
        Ok(())
    }

    fn bad_line(&mut self, line: u64, e: Error) -> Result<()> {
        self.bad(line, &e, false)
    }

    fn status(&mut self, s: StatusItem<'_>, line: u64) -> Result<()> {
        self.buf.op(|b| {
            b.push(STATUS);
            put_u64(b, line);
            put_str(b, s.id);
            b.push(wstatus_byte(s.status));
            put_u64(b, s.at as u64);
            put_phone(b, Some(s.user));
            put_phone(b, s.from);
            match &s.pricing {
                None => b.push(0),
                Some(p) => {
                    b.push(1);
                    b.push(match p.billable {
                        None => 0,
                        Some(false) => 1,
                        Some(true) => 2,
                    });
                    put_opt_str(b, p.model.as_deref());
                    put_opt_str(b, p.category.as_deref());
                    put_opt_str(b, p.vtype.as_deref());
                    put_opt_str(b, p.subtype.as_deref());
                }
            }
            put_opt_str(b, s.conversation);
            put_opt_str(b, s.origin);
            b.push(s.recipient);
        });
        Ok(())
    }

    fn template(&self, key: &str) -> Option<MessageKind> {
        self.options.templates.get(key)
    }

    fn set_format(&mut self, f: LogFormat) {
        if self.buf.format != Some(f) {
            self.buf.format = Some(f);
            self.buf
                .op(|b| b.extend_from_slice(&[FORMAT, format_byte(Some(f))]));
        }
    }

    #[inline]
    fn set_lines(&mut self, lines: u64) {
        self.buf.lines = Some(lines);
    }

    fn add_bytes(&mut self, bytes: u64) {
        self.buf.op(|b| {
            b.push(BYTES);
            put_u64(b, bytes);
        });
    }

    fn other_change(&mut self) {
        self.buf.op(|b| b.push(OTHER_CHANGE));
    }

    fn system_message(&mut self) {
        self.buf.op(|b| b.push(SYSTEM_MESSAGE));
    }

    fn bad_status(&mut self) {
        self.buf.op(|b| b.push(BAD_STATUS));
    }

    fn other_status(&mut self) {
        self.buf.op(|b| b.push(OTHER_STATUS));
    }
}

/// A log read into tapes, for a pricer elsewhere to [`replay`](super::LogPricer::replay).
pub struct LogReader {
    options: LogOptions,
    reader: Reader,
    buf: TapeBuf,
    /// The tape's end is written: the reading is over.
    ended: bool,
    /// The length of the last tape, the room given to the next.
    last_len: usize,
}

impl LogReader {
    /// Starts reading a log with the options of the pricer that will replay its tapes: the reader
    /// uses the format (or detects it), the template map, `parseOnly` and `reorderWindow` (it
    /// keeps the reorder buffer of CSV and JSON Lines), and the pricer the rest.
    pub fn new(options: LogOptions) -> LogReader {
        LogReader {
            reader: Reader::new(options.format),
            options,
            buf: TapeBuf::default(),
            ended: false,
            last_len: 0,
        }
    }

    /// Reads the next chunk (chunks may split lines and characters anywhere) and returns its
    /// tape. An error that stops the reading (a record over the size limit) is not returned here:
    /// it ends the tape, and the pricer that replays it reports it.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Vec<u8>> {
        self.check()?;
        let r = self.reader.feed(
            chunk,
            &mut Tape {
                options: &self.options,
                buf: &mut self.buf,
            },
        );
        Ok(self.tape(r.err().map(Err)))
    }

    /// Ends the log and returns the last tape, which ends with the format read (or the error
    /// that stopped the reading).
    pub fn finish(&mut self) -> Result<Vec<u8>> {
        self.check()?;
        let r = self.reader.finish(&mut Tape {
            options: &self.options,
            buf: &mut self.buf,
        });
        let end = r.map(|()| self.reader.format());
        Ok(self.tape(Some(end)))
    }

    fn tape(&mut self, end: Option<Result<Option<LogFormat>>>) -> Vec<u8> {
        self.ended = end.is_some();
        // Room for a tape like the last and then some, so that one does not grow by copies.
        let tape = self
            .buf
            .take(end, Vec::with_capacity(self.last_len + self.last_len / 4));
        self.last_len = tape.len();
        tape
    }

    fn check(&self) -> Result<()> {
        if self.ended {
            return Err(Error::coded(
                ErrorCode::InvalidInput,
                "log_reading_over",
                "",
                "this log reading is over: start another one".to_string(),
            ));
        }
        Ok(())
    }
}

/// The phone number `value` of `len` digits, if the readers could have made it (E.164: 7 to 15
/// digits, the first not 0).
#[inline]
fn phone(len: u8, value: u64) -> Option<Phone> {
    use crate::markets::POW10;
    let n = usize::from(len);
    ((7..=15).contains(&n) && (POW10[n - 1]..POW10[n]).contains(&value))
        .then_some(Phone { value, len })
}

/// An instant in the range the readers accept.
fn instant(v: u64) -> Option<i64> {
    let at = v as i64;
    (MIN_INSTANT..=MAX_INSTANT).contains(&at).then_some(at)
}

/// What a tape holds, read back.
struct Cursor<'t> {
    t: &'t [u8],
    at: usize,
}

fn broken(at: usize) -> Error {
    Error::coded(
        ErrorCode::InvalidEncoding,
        "log_tape_broken",
        "tape",
        format!("invalid tape at byte {at}: not written by a log reader of this build"),
    )
    .with("byte", Value::Count(at as u64))
}

impl<'t> Cursor<'t> {
    #[inline]
    fn take(&mut self, n: usize) -> Result<&'t [u8]> {
        let s = self
            .t
            .get(self.at..self.at.saturating_add(n))
            .ok_or_else(|| broken(self.at))?;
        self.at += n;
        Ok(s)
    }

    #[inline]
    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    #[inline]
    fn u64(&mut self) -> Result<u64> {
        let mut a = [0u8; 8];
        a.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(a))
    }

    fn str(&mut self) -> Result<&'t str> {
        let mut a = [0u8; 4];
        a.copy_from_slice(self.take(4)?);
        let at = self.at;
        let b = self.take(u32::from_le_bytes(a) as usize)?;
        std::str::from_utf8(b).map_err(|_| broken(at))
    }

    fn opt_str(&mut self) -> Result<Option<&'t str>> {
        match self.u8()? {
            0 => Ok(None),
            1 => self.str().map(Some),
            _ => Err(broken(self.at - 1)),
        }
    }

    fn phone(&mut self) -> Result<Option<Phone>> {
        let at = self.at;
        match self.u8()? {
            0 => Ok(None),
            len => phone(len, self.u64()?).map(Some).ok_or_else(|| broken(at)),
        }
    }

    fn error(&mut self) -> Result<Error> {
        let at = self.at;
        let code = *ErrorCode::ALL
            .get(usize::from(self.u8()?))
            .ok_or_else(|| broken(at))?;
        let path = self.str()?;
        let message = self.str()?;
        // The reason, if any, is the first param read back.
        let mut e = Error::coded(code, "", path, message);
        for _ in 0..self.u8()? {
            let at = self.at;
            let name = usize::try_from(self.u64()?)
                .ok()
                .and_then(|i| param_names().nth(i))
                .ok_or_else(|| broken(at))?;
            let tag = self.u8()?;
            let value = if tag == 1 {
                Value::Count(self.u64()?)
            } else if tag == 11 {
                Value::Limit(self.u64()?.checked_sub(1))
            } else {
                let t = self.str()?;
                let decimal = || t.parse().map_err(|_| broken(at));
                match tag {
                    0 => Value::Text(t.to_string()),
                    2 => Value::Date(crate::time::parse_date(t, "").map_err(|_| broken(at))?),
                    3 => Value::Number(decimal()?),
                    4 => Value::Money(decimal()?),
                    5 => Value::Market(t.to_string()),
                    6 => Value::Country(t.to_string()),
                    7 => Value::Currency(t.to_string()),
                    8 => {
                        Value::Category(crate::model::Category::parse(t).ok_or_else(|| broken(at))?)
                    }
                    9 => Value::Term(static_id(name, t).ok_or_else(|| broken(at))?),
                    10 => Value::Code(static_id(name, t).ok_or_else(|| broken(at))?),
                    _ => return Err(broken(at)),
                }
            };
            e = e.with(name, value);
        }
        let line = self.u64()?;
        if line > 0 {
            let column = self.u64()?;
            e.loc = Some(match column.checked_sub(1) {
                Some(c) => crate::error::Location::at("log", line - 1, c),
                None => crate::error::Location::line("log", line - 1),
            });
        }
        Ok(e)
    }

    fn format(&mut self) -> Result<Option<LogFormat>> {
        match self.u8()? {
            0 => Ok(None),
            1 => Ok(Some(LogFormat::Csv)),
            2 => Ok(Some(LogFormat::Jsonl)),
            3 => Ok(Some(LogFormat::Webhook)),
            _ => Err(broken(self.at - 1)),
        }
    }

    /// An event: `at`, `line`, the user's number (8 bytes each), the user's digits, kind, status
    /// and the sending number's digits (1 byte each; 0: none), then that number (8 bytes) if any.
    #[inline(always)]
    fn event(&mut self) -> Result<(Event, u64)> {
        let start = self.at;
        let f: &[u8; 28] = self.take(28)?.try_into().map_err(|_| broken(start))?;
        let word = |i: usize| {
            let mut a = [0u8; 8];
            a.copy_from_slice(&f[i..i + 8]);
            u64::from_le_bytes(a)
        };
        let kind = match f[25] {
            0 => EventKind::Inbound { referral: false },
            1 => EventKind::Inbound { referral: true },
            2 => EventKind::Message,
            3 => EventKind::Reaction,
            4 => EventKind::Template(TemplateCategory::Marketing),
            5 => EventKind::Template(TemplateCategory::Utility),
            6 => EventKind::Template(TemplateCategory::Authentication),
            7 => EventKind::MarketingLite,
            _ => return Err(broken(start + 25)),
        };
        let status = match f[26] {
            0 => Status::Delivered,
            1 => Status::Failed,
            2 => Status::Sent,
            _ => return Err(broken(start + 26)),
        };
        let user = phone(f[24], word(16)).ok_or_else(|| broken(start + 16))?;
        let at = instant(word(0)).ok_or_else(|| broken(start))?;
        let from = match f[27] {
            0 => None,
            len => Some(phone(len, self.u64()?).ok_or_else(|| broken(start + 27))?),
        };
        let e = Event {
            at,
            user,
            kind,
            from,
            status,
        };
        Ok((e, word(8)))
    }

    fn status(&mut self) -> Result<(StatusItem<'t>, u64)> {
        let line = self.u64()?;
        let id = self.str()?;
        let status = match self.u8()? {
            0 => WStatus::Sent,
            1 => WStatus::Delivered,
            2 => WStatus::Read,
            3 => WStatus::Failed,
            _ => return Err(broken(self.at - 1)),
        };
        let at = instant(self.u64()?).ok_or_else(|| broken(self.at - 8))?;
        let user = self.phone()?.ok_or_else(|| broken(self.at - 1))?;
        let from = self.phone()?;
        let pricing = match self.u8()? {
            0 => None,
            1 => {
                let billable = match self.u8()? {
                    0 => None,
                    1 => Some(false),
                    2 => Some(true),
                    _ => return Err(broken(self.at - 1)),
                };
                let mut s = || self.opt_str().map(|s| s.map(str::to_string));
                Some(MetaPricing {
                    billable,
                    model: s()?,
                    category: s()?,
                    vtype: s()?,
                    subtype: s()?,
                })
            }
            _ => return Err(broken(self.at - 1)),
        };
        let item = StatusItem {
            id,
            status,
            at,
            user,
            from,
            pricing,
            conversation: self.opt_str()?,
            origin: self.opt_str()?,
            recipient: self.u8()?,
        };
        Ok((item, line))
    }
}

/// Due events priced together at most.
const RUN: usize = 64;

/// How a replayed tape ended, if it did.
pub(crate) type End = Option<Result<Option<LogFormat>>>;

/// Replays a tape into the pricer, in order; `format` follows the format the reader found.
/// Returns how the reading ended if this tape is the last. The first error of pricing (or a
/// tape that does not decode) stops the replay.
pub(crate) fn replay(
    core: &mut Core<'_>,
    tape: &[u8],
    format: &mut Option<LogFormat>,
) -> Result<End> {
    let mut c = Cursor { t: tape, at: 0 };
    let mut run = Vec::with_capacity(RUN);
    while c.at < tape.len() {
        let at = c.at;
        match c.u8()? {
            EVENT => {
                let (e, line) = c.event()?;
                core.event(e, line)?;
            }
            READY => {
                // A run of due events, priced together so that their customers load ahead.
                run.clear();
                run.push(c.event()?);
                while run.len() < RUN && c.t.get(c.at) == Some(&READY) {
                    c.at += 1;
                    run.push(c.event()?);
                }
                core.ready_run(&run)?;
            }
            SEEN => core.seen(),
            PEAK => core.held_at_most(c.u64()?),
            BAD => {
                let line = c.u64()?;
                core.bad_line(line, c.error()?)?;
            }
            STATUS => {
                let (s, line) = c.status()?;
                core.status(s, line)?;
            }
            FORMAT => {
                let f = c.format()?.ok_or_else(|| broken(c.at - 1))?;
                *format = Some(f);
                core.set_format(f);
            }
            OTHER_CHANGE => core.other_change(),
            SYSTEM_MESSAGE => core.system_message(),
            BAD_STATUS => core.bad_status(),
            OTHER_STATUS => core.other_status(),
            BYTES => core.add_bytes(c.u64()?),
            LINES => core.set_lines(c.u64()?),
            RECORDS => core.add_records(c.u64()?),
            END | END_ERROR => {
                let end = if tape[at] == END {
                    Ok(c.format()?)
                } else {
                    Err(c.error()?)
                };
                if c.at != tape.len() {
                    return Err(broken(c.at));
                }
                return Ok(Some(end));
            }
            _ => return Err(broken(at)),
        }
    }
    Ok(None)
}
