//! What a log reader hands over as it reads: records, events, malformed lines, webhook statuses
//! and counters. The pricer ([`Core`](super::pricer::Core)) takes them directly; natively, a
//! [`Tape`](super::threaded) carries them to a pricer on another thread.

use super::{LogFormat, MessageKind};
use crate::error::{Error, Result};
use crate::markets::Phone;
use crate::model::{Category, PricingModel};
use crate::pricing::Event;

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
    /// `subtype` (`paid_exempt`, SPEC §15).
    pub subtype: Option<String>,
}

impl MetaPricing {
    /// The rate-card category of Meta's word (`marketing_lite` and `group_marketing` are
    /// marketing, …; SPEC §14, §15).
    pub(crate) fn category(&self) -> Option<Category> {
        self.words().map(|c| c.category)
    }

    /// Meta's category word, read.
    pub(crate) fn words(&self) -> Option<crate::labels::MetaCategory> {
        crate::labels::MetaCategory::parse(self.category.as_deref()?)
    }

    pub(crate) fn model(&self) -> Option<PricingModel> {
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
    /// What the recipient is: [`RECIPIENT_GROUP`], [`RECIPIENT_BSUID`], [`RECIPIENT_APPROXIMATE`].
    pub recipient: u8,
}

/// A participant of a group message (`recipient_type: group`).
pub(crate) const RECIPIENT_GROUP: u8 = 1;
/// A recipient known by its business-scoped user id (BSUID) only.
pub(crate) const RECIPIENT_BSUID: u8 = 2;
/// A BSUID whose country shares its calling code (`+1`, `+7`): the market is approximate.
pub(crate) const RECIPIENT_APPROXIMATE: u8 = 4;

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
