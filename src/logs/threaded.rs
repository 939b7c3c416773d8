//! Native only: a log read on one thread and priced on another.
//!
//! Reading (splitting records, parsing fields) and pricing (the simulator) each take about half
//! the time of a log; on two cores they overlap. The reader runs as it does in
//! [`LogPricer`](super::LogPricer), but onto a [tape](super::tape) that records what it hands
//! over, in order, and sends a tape per chunk through a bounded channel; the pricer replays each
//! into the same `Core` the single-threaded pricer uses. The report is the same, error for error:
//! the pricer stops at the first fatal error exactly where the single-threaded one would, and the
//! reader stops when the pricer hangs up. Memory stays bounded: at most [`DEPTH`] tapes are in
//! flight.

use super::pricer::Core;
use super::records::Reader;
use super::tape::{self, Tape, TapeBuf};
use super::{LogFormat, LogOptions, LogReport, Progress};
use crate::error::{Error, ErrorCode, Result};
use crate::Engine;
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};

/// Tapes in flight between the two threads.
const DEPTH: usize = 8;
/// Bytes read from the source at a time (a tape per chunk).
const CHUNK: usize = 1 << 20;

/// The reading thread: pulls chunks from `read` until it returns 0, through the format's reader,
/// and sends a tape per chunk. It stops when the pricing thread hangs up (it stopped at an error).
fn read_side(
    options: &LogOptions,
    mut read: impl FnMut(&mut [u8]) -> Result<usize>,
    tx: SyncSender<Vec<u8>>,
    spare: Receiver<Vec<u8>>,
) {
    let mut reader = Reader::new(options.format);
    let mut tape = TapeBuf::default();
    let mut buf = vec![0u8; CHUNK];
    let send = |tape: &mut TapeBuf, end| {
        let reuse = spare.try_recv().unwrap_or_default();
        tx.send(tape.take(end, reuse)).is_ok()
    };
    loop {
        let mut sink = Tape {
            options,
            buf: &mut tape,
        };
        let r = match read(&mut buf) {
            Ok(0) => reader.finish(&mut sink).map(|()| Some(reader.format())),
            Ok(n) => reader.feed(&buf[..n], &mut sink).map(|()| None),
            Err(e) => Err(e),
        };
        let (end, last) = match r {
            Ok(None) => (None, false),
            Ok(Some(format)) => (Some(Ok(format)), true),
            Err(e) => (Some(Err(e)), true),
        };
        // A hang-up means the pricing thread already has its error.
        if !send(&mut tape, end) || last {
            return;
        }
    }
}

fn price_side(
    core: &mut Core<'_>,
    rx: Receiver<Vec<u8>>,
    spare: Sender<Vec<u8>>,
    progress: &mut impl FnMut(&Progress),
) -> Result<LogReport> {
    let mut format: Option<LogFormat> = None;
    while let Ok(t) = rx.recv() {
        let end = tape::replay(core, &t, &mut format)?;
        progress(&core.progress(format));
        let _ = spare.send(t);
        if let Some(end) = end {
            let format = end?;
            let report = core.finish(format)?;
            progress(&core.progress(format));
            return Ok(report);
        }
    }
    Err(Error::coded(
        ErrorCode::InvalidInput,
        "log_reader_stopped",
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
    let (tx, rx) = sync_channel::<Vec<u8>>(DEPTH);
    let (spare_tx, spare_rx) = channel::<Vec<u8>>();
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A reading thread that ends without its last tape (it panicked: the panic is passed on
    /// after) leaves the pricing side with this error.
    #[test]
    fn a_reader_that_stops_without_finishing() {
        let engine = Engine::new().expect("embedded data");
        let options = LogOptions::new(&engine).expect("options");
        let mut core = Core::new(&engine, &options).expect("core");
        let (tx, rx) = sync_channel::<Vec<u8>>(1);
        drop(tx);
        let (spare, _spare_rx) = channel::<Vec<u8>>();
        let e = price_side(&mut core, rx, spare, &mut |_| {}).unwrap_err();
        assert_eq!(e.reason(), "log_reader_stopped");
        assert_eq!(crate::reasons::check(&e), Ok(()));
    }
}
