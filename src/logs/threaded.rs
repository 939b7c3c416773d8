//! Native only: a log read on one thread and priced on another.
//!
//! Reading (splitting records, parsing fields) and pricing (the simulator) each take about half
//! the time of a log; on two cores they overlap. The reader runs as it does in
//! [`LogPricer`](super::LogPricer), but into a [`Tape`] that records what it hands over, in order,
//! and sends it in batches through a bounded channel; the pricer replays each batch into the same
//! `Core` the single-threaded pricer uses. The report is the same, error for error: the pricer
//! stops at the first fatal error exactly where the single-threaded one would, and the reader
//! stops when the pricer hangs up. Memory stays bounded: at most [`DEPTH`] batches are in flight.

use super::pricer::{Core, MetaPricing, StatusItem, WStatus};
use super::records::Reader;
use super::sink::Sink;
use super::{LogFormat, LogOptions, LogReport, MessageKind, Progress};
use crate::error::{Error, ErrorCode, Result};
use crate::markets::Phone;
use crate::simulate::Event;
use crate::Engine;
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};

/// Operations per batch.
const BATCH: usize = 4096;
/// Batches in flight between the two threads.
const DEPTH: usize = 8;
/// Bytes read from the source at a time.
const CHUNK: usize = 1 << 20;

/// A webhook status with its text owned, to cross to the pricing thread.
struct OwnedStatus {
    id: Box<str>,
    status: WStatus,
    at: i64,
    user: Phone,
    from: Option<Phone>,
    pricing: Option<MetaPricing>,
    conversation: Option<Box<str>>,
    origin: Option<Box<str>>,
}

impl OwnedStatus {
    fn new(s: StatusItem<'_>) -> OwnedStatus {
        OwnedStatus {
            id: s.id.into(),
            status: s.status,
            at: s.at,
            user: s.user,
            from: s.from,
            pricing: s.pricing,
            conversation: s.conversation.map(Into::into),
            origin: s.origin.map(Into::into),
        }
    }

    /// Gives the status to the pricer (its `pricing` moved, not copied).
    fn hand_over(self, core: &mut Core<'_>, line: u64) -> Result<()> {
        let OwnedStatus {
            id,
            status,
            at,
            user,
            from,
            pricing,
            conversation,
            origin,
        } = self;
        let item = StatusItem {
            id: &id,
            status,
            at,
            user,
            from,
            pricing,
            conversation: conversation.as_deref(),
            origin: origin.as_deref(),
        };
        core.status(item, line)
    }
}

/// One call of [`Sink`], recorded. Counters that only add up (records, bytes, lines) travel with
/// the batch instead.
enum Op {
    Event(Event, u64),
    Bad(u64, Box<Error>),
    Status(Box<OwnedStatus>, u64),
    Format(LogFormat),
    OtherChange,
    SystemMessage,
    BadStatus,
    OtherStatus,
}

/// What the reader sends: operations in log order, the counters read with them, and at the end
/// the outcome of the reading (the format, or the error that stopped it).
struct Batch {
    ops: Vec<Op>,
    records: u64,
    bytes: u64,
    lines: Option<u64>,
    end: Option<Result<Option<LogFormat>>>,
}

/// The reader's [`Sink`]: records every call into batches for the pricing thread.
struct Tape<'o> {
    options: &'o LogOptions,
    batch: Batch,
    format: Option<LogFormat>,
    tx: SyncSender<Batch>,
    spare: Receiver<Vec<Op>>,
    /// The pricing thread has hung up (it stopped at an error): stop reading.
    closed: bool,
}

/// Returned through the reader when the pricing thread has hung up; never reported (the pricing
/// thread's own error is).
fn hung_up() -> Error {
    Error::new(
        ErrorCode::InvalidInput,
        "",
        "the pricing stopped".to_string(),
    )
}

impl Tape<'_> {
    fn fresh(&self) -> Batch {
        let mut ops = self
            .spare
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(BATCH));
        ops.clear();
        Batch {
            ops,
            records: 0,
            bytes: 0,
            lines: None,
            end: None,
        }
    }

    fn send(&mut self) -> Result<()> {
        if self.closed {
            return Err(hung_up());
        }
        let next = self.fresh();
        let batch = std::mem::replace(&mut self.batch, next);
        if self.tx.send(batch).is_err() {
            self.closed = true;
            return Err(hung_up());
        }
        Ok(())
    }

    #[inline]
    fn push(&mut self, op: Op) -> Result<()> {
        self.batch.ops.push(op);
        if self.batch.ops.len() >= BATCH {
            self.send()
        } else {
            Ok(())
        }
    }

    /// The last batch, carrying how the reading ended.
    fn end(mut self, end: Result<Option<LogFormat>>) {
        if self.closed {
            return;
        }
        self.batch.end = Some(end);
        // A hang-up here means the pricing thread already has its error.
        let _ = self.tx.send(self.batch);
    }
}

impl Sink for Tape<'_> {
    #[inline]
    fn record(&mut self) {
        self.batch.records += 1;
    }
    #[inline]
    fn event(&mut self, e: Event, line: u64) -> Result<()> {
        self.push(Op::Event(e, line))
    }
    fn bad_line(&mut self, line: u64, e: Error) -> Result<()> {
        self.push(Op::Bad(line, Box::new(e)))
    }
    fn status(&mut self, s: StatusItem<'_>, line: u64) -> Result<()> {
        self.push(Op::Status(Box::new(OwnedStatus::new(s)), line))
    }
    fn template(&self, key: &str) -> Option<MessageKind> {
        self.options.templates.get(key)
    }
    fn set_format(&mut self, f: LogFormat) {
        if self.format != Some(f) {
            self.format = Some(f);
            self.batch.ops.push(Op::Format(f));
        }
    }
    #[inline]
    fn set_lines(&mut self, lines: u64) {
        self.batch.lines = Some(lines);
    }
    fn add_bytes(&mut self, bytes: u64) {
        self.batch.bytes += bytes;
    }
    fn other_change(&mut self) {
        self.batch.ops.push(Op::OtherChange);
    }
    fn system_message(&mut self) {
        self.batch.ops.push(Op::SystemMessage);
    }
    fn bad_status(&mut self) {
        self.batch.ops.push(Op::BadStatus);
    }
    fn other_status(&mut self) {
        self.batch.ops.push(Op::OtherStatus);
    }
}

/// The reading thread: pulls chunks from `read` until it returns 0, through the format's reader.
fn read_side(
    options: &LogOptions,
    mut read: impl FnMut(&mut [u8]) -> Result<usize>,
    tx: SyncSender<Batch>,
    spare: Receiver<Vec<Op>>,
) {
    let mut tape = Tape {
        options,
        batch: Batch {
            ops: Vec::with_capacity(BATCH),
            records: 0,
            bytes: 0,
            lines: None,
            end: None,
        },
        format: None,
        tx,
        spare,
        closed: false,
    };
    let mut reader = Reader::new(options.format);
    let mut buf = vec![0u8; CHUNK];
    let outcome = (|| {
        loop {
            let n = read(&mut buf)?;
            if n == 0 {
                break;
            }
            reader.feed(&buf[..n], &mut tape)?;
        }
        reader.finish(&mut tape)?;
        Ok(reader.format())
    })();
    tape.end(outcome);
}

/// Replays one batch into the pricer. `Ok(Some(format))` at the end of the log.
fn replay(
    core: &mut Core<'_>,
    batch: &mut Batch,
    format: &mut Option<LogFormat>,
) -> Result<Option<Result<Option<LogFormat>>>> {
    core.add_bytes(batch.bytes);
    for op in batch.ops.drain(..) {
        match op {
            Op::Event(e, line) => core.event(e, line)?,
            Op::Bad(line, e) => core.bad_line(line, *e)?,
            Op::Status(s, line) => s.hand_over(core, line)?,
            Op::Format(f) => {
                *format = Some(f);
                core.set_format(f);
            }
            Op::OtherChange => core.other_change(),
            Op::SystemMessage => core.system_message(),
            Op::BadStatus => core.bad_status(),
            Op::OtherStatus => core.other_status(),
        }
    }
    // The records of this batch are counted once its operations are in: a record's count never
    // runs ahead of what was done with it.
    core.add_records(batch.records);
    if let Some(lines) = batch.lines {
        core.set_lines(lines);
    }
    Ok(batch.end.take())
}

fn price_side(
    core: &mut Core<'_>,
    rx: Receiver<Batch>,
    spare: Sender<Vec<Op>>,
    progress: &mut impl FnMut(&Progress),
) -> Result<LogReport> {
    let mut format = None;
    while let Ok(mut batch) = rx.recv() {
        let end = replay(core, &mut batch, &mut format)?;
        progress(&core.progress(format));
        let _ = spare.send(batch.ops);
        if let Some(end) = end {
            let format = end?;
            let report = core.finish(format)?;
            progress(&core.progress(format));
            return Ok(report);
        }
    }
    Err(Error::new(
        ErrorCode::InvalidInput,
        "",
        "the log reader stopped without finishing".to_string(),
    ))
}

/// Prices a log read from `read` (called with a buffer, it returns how many bytes it filled, 0 at
/// the end) with the reading on a second thread. Same report and errors as pushing every chunk
/// through a [`LogPricer`](super::LogPricer) and finishing it; `progress` is called from this
/// thread every few thousand events and once at the end.
pub fn price_threaded(
    engine: &Engine,
    options: &LogOptions,
    read: impl FnMut(&mut [u8]) -> Result<usize> + Send,
    mut progress: impl FnMut(&Progress),
) -> Result<LogReport> {
    let mut core = Core::new(engine, options)?;
    let (tx, rx) = sync_channel::<Batch>(DEPTH);
    let (spare_tx, spare_rx) = channel::<Vec<Op>>();
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || read_side(options, read, tx, spare_rx));
        // Returning drops `rx`: a reader still reading sees the hang-up and stops.
        let report = price_side(&mut core, rx, spare_tx, &mut progress);
        if let Err(panic) = reader.join() {
            std::panic::resume_unwind(panic);
        }
        report
    })
}
