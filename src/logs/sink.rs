//! What a log reader hands over as it reads: records, events, malformed lines, webhook statuses
//! and counters. The pricer ([`Core`](super::pricer::Core)) takes them directly; natively, a
//! [`Tape`](super::threaded) carries them to a pricer on another thread.

use super::pricer::StatusItem;
use super::{LogFormat, MessageKind};
use crate::error::{Error, Result};
use crate::simulate::Event;

/// The receiving end of a log reader. Calls arrive in the order of the log.
pub(crate) trait Sink {
    /// A record was read (well-formed or not).
    fn record(&mut self);
    /// A simulator event (a CSV or JSON line, or a webhook inbound message) read at `line`.
    fn event(&mut self, e: Event, line: u64) -> Result<()>;
    /// A malformed record: reported, then skipped or fatal (`Err`) by option.
    fn bad_line(&mut self, line: u64, e: Error) -> Result<()>;
    /// A webhook status of a business message.
    fn status(&mut self, s: StatusItem<'_>, line: u64) -> Result<()>;
    /// The template map: the kind a message id or template name stands for.
    fn template(&self, key: &str) -> Option<MessageKind>;
    /// The format, once the reader knows it.
    fn set_format(&mut self, f: LogFormat);
    /// Lines read so far.
    fn set_lines(&mut self, lines: u64);
    /// Bytes read (a chunk arrived).
    fn add_bytes(&mut self, bytes: u64);
    /// A webhook change that is not about messages.
    fn other_change(&mut self);
    /// A system message of a customer (number change and the like), not priced.
    fn system_message(&mut self);
    /// A webhook status that could not be read.
    fn bad_status(&mut self);
    /// A webhook status other than sent, delivered, read or failed.
    fn other_status(&mut self);
}
