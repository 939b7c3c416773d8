//! Group messages of the input (SPEC §15; Groups API pricing page, 2025-10-22 and 2026-05-21):
//! read from an event's `group`, `participants` and `statuses`, then expanded into one event per
//! participant once every participant of each group is known.

use super::{resolve_at, resolve_business, resolve_status, resolve_user, RawEvent, RawEvents};
use crate::error::{Error, ErrorCode, Result};
use crate::markets::Phone;
use crate::messages::Value;
use crate::model::TemplateCategory;
use crate::pricing::{Event, EventKind, Groups, Sources, Status, MAX_PARTICIPANTS};

/// A group message of the input (SPEC §15), kept beside its event until every participant of
/// its group is known.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupMessage {
    /// Position of the event in the input.
    pub index: u32,
    /// The group id.
    pub group: Box<str>,
    /// A business message's participants with their statuses; empty for a customer's message
    /// (its writer is the event's `user`).
    pub participants: Vec<(Phone, Status)>,
}

impl RawEvents {
    /// The events to price and where they come from (SPEC §15): a group message gives one event
    /// per participant, and a message written in a group one customer message per participant
    /// of the group ([`Groups`]: its writer's and every other's window opens). A timeline names
    /// its groups' participants, so a group's participants are all those the input names in it
    /// (its business messages' participants and its writers), at most [`MAX_PARTICIPANTS`].
    pub fn resolve(self) -> Result<(Vec<Event>, Sources)> {
        if let Some(e) = self.error {
            return Err(e);
        }
        if self.groups.is_empty() {
            return Ok((self.events, Sources::default()));
        }
        let mut members = Groups::default();
        let mut sources = Sources {
            index: Vec::with_capacity(self.events.len()),
            groups: Vec::with_capacity(self.groups.len()),
        };
        for g in &self.groups {
            sources.groups.push(g.index);
            let writer = [(self.events[g.index as usize].user, Status::Delivered)];
            let (list, field) = match g.participants.is_empty() {
                true => (&writer[..], "user"),
                false => (&g.participants[..], "participants"),
            };
            for &(p, _) in list {
                if members.saw(&g.group, p) {
                    return Err(Error::coded(
                        ErrorCode::LimitExceeded,
                        "group_too_large",
                        format!("events[{}].{field}", g.index),
                        format!(
                            "group {:?} has more than {MAX_PARTICIPANTS} participants: a group has at most {MAX_PARTICIPANTS}",
                            g.group
                        ),
                    )
                    .value(&g.group)
                    .with("limit", Value::Count(MAX_PARTICIPANTS as u64)));
                }
            }
        }
        let mut events = Vec::with_capacity(self.events.len());
        let mut groups = self.groups.iter().peekable();
        for (i, e) in self.events.into_iter().enumerate() {
            match groups.next_if(|g| g.index as usize == i) {
                None => events.push(e),
                Some(g) if g.participants.is_empty() => {
                    events.push(e);
                    for user in members.others(&g.group, e.user) {
                        events.push(Event { user, ..e });
                    }
                }
                Some(g) => {
                    for &(user, status) in &g.participants {
                        events.push(Event { user, status, ..e });
                    }
                }
            }
            sources.index.resize(events.len(), i as u32);
        }
        // The kernel refuses more than `MAX_EVENTS` events, a group message counting once per
        // participant.
        Ok((events, sources))
    }
}

impl RawEvent<'_> {
    /// A group message (SPEC §15; Groups API pricing page, 2025-10-22 and 2026-05-21): a
    /// customer's message written in `group` (`inbound`, by `user`), or a business message to the
    /// group (a marketing or utility template, a message or a reaction) with its participants.
    /// The event returned stands for the first participant (or the writer).
    pub(super) fn resolve_group(
        &self,
        index: u32,
        phone: &mut dyn FnMut(&str, &str) -> Result<Phone>,
    ) -> Result<(Event, GroupMessage)> {
        let bad = |reason, field: &str, why: &str| {
            Err(group_error(ErrorCode::InvalidInput, reason, field, why))
        };
        let group = match self.group.as_deref() {
            Some(g) if !g.trim().is_empty() => g,
            _ => {
                return bad(
                    "group_missing_id",
                    "group",
                    "missing group id: participants belong to a group message",
                )
            }
        };
        let at = resolve_at(self.at.as_ref())?;
        let (kind, from, status) = resolve_business(
            [
                self.kind.as_deref(),
                self.category.as_deref(),
                self.referral.as_deref(),
                self.from.as_deref(),
                self.status.as_deref(),
            ],
            phone,
        )?;
        let mut participants: Vec<(Phone, Status)> = Vec::new();
        let user = match kind {
            EventKind::Inbound { referral } => {
                if referral {
                    return bad(
                        "group_from_ad",
                        "referral",
                        "a message written in a group comes from no ad",
                    );
                }
                if self.participants.is_some() || self.statuses.is_some() {
                    return bad(
                        "group_writer_only",
                        "participants",
                        "a customer's message in a group names its writer (`user`), not participants",
                    );
                }
                resolve_user(self.user.as_deref(), phone)?
            }
            EventKind::Template(TemplateCategory::Marketing | TemplateCategory::Utility)
            | EventKind::Message
            | EventKind::Reaction => {
                if self.user.is_some() {
                    return bad(
                        "group_user_given",
                        "user",
                        "a group message goes to its participants: name them in `participants`, not `user`",
                    );
                }
                for (j, p) in self.participants.iter().flatten().enumerate() {
                    let path = format!("participants[{j}]");
                    let ph = phone(p, &path)?;
                    if participants.iter().any(|q| q.0 == ph) {
                        return Err(group_error(
                            ErrorCode::InvalidInput,
                            "participant_twice",
                            &path,
                            &format!("participant {p} is listed twice"),
                        )
                        .value(p));
                    }
                    participants.push((ph, status));
                }
                for (p, st) in self.statuses.iter().flatten() {
                    let path = format!("statuses.{p}");
                    let (ph, st) = (phone(p, &path)?, resolve_status(Some(st), &path)?);
                    match participants.iter_mut().find(|q| q.0 == ph) {
                        Some(q) => q.1 = st,
                        None => participants.push((ph, st)),
                    }
                }
                match participants.first() {
                    Some(p) => p.0,
                    None => {
                        return bad(
                            "group_no_participants",
                            "participants",
                            "missing participants: a group message names the participants it was sent to",
                        )
                    }
                }
            }
            _ => {
                return Err(group_error(
                    ErrorCode::InvalidKind,
                    "group_kind",
                    if matches!(kind, EventKind::Template(_)) {
                        "category"
                    } else {
                        "kind"
                    },
                    "a group message is a marketing or utility template, a message or a reaction",
                ))
            }
        };
        let status = participants.first().map_or(status, |p| p.1);
        Ok((
            Event {
                at,
                user,
                kind,
                from,
                status,
            },
            GroupMessage {
                index,
                group: group.into(),
                participants,
            },
        ))
    }
}

/// An error of a group message's fields.
#[inline(never)]
fn group_error(code: ErrorCode, reason: &'static str, field: &str, why: &str) -> Error {
    Error::coded(code, reason, field, why)
}
