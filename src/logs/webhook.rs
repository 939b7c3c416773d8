//! Meta Cloud API webhook payloads (`object: whatsapp_business_account`): per record one payload
//! `{ entry: [{ changes: [{ field: 'messages', value }] }] }`, or a JSON array of payloads; a bare
//! `value` (with `statuses` / `messages`) or a bare change (`{ field, value }`) is accepted too.
//!
//! `value.messages[]` are the customer's messages (`from`, `timestamp` in seconds, `type`; a
//! `referral` object marks a click-to-WhatsApp ad or Page entry point). `value.statuses[]` are the
//! statuses of the business's messages (`id`, `status`, `timestamp`, `recipient_id`, and Meta's
//! `pricing` / `conversation` objects), merged per message id by the pricer.
//!
//! Every object of a payload is read as one lenient [`Node`] (a single deserializer keeps the
//! WebAssembly small): the fields the pricer needs are typed loosely, every other is skipped.

use super::fields;
use super::jsonl::parse;
use super::sink::Sink;
use super::sink::{
    MetaPricing, StatusItem, WStatus, RECIPIENT_APPROXIMATE, RECIPIENT_BSUID, RECIPIENT_GROUP,
};
use crate::error::{Error, ErrorCode, Result};
use crate::markets::Phone;
use crate::messages::Value;
use crate::pricing::{Event, EventKind, Groups, Status};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;

/// Any JSON value where a scalar is expected: strings and numbers are kept, the rest is skipped.
#[derive(Debug, Clone, PartialEq)]
enum Scalar<'a> {
    Str(Cow<'a, str>),
    Num(f64),
    Bool(bool),
    Other,
}

impl<'a> Scalar<'a> {
    fn str(&self) -> Option<&str> {
        match self {
            Scalar::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Scalar<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Scalar<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_borrowed_str<E: de::Error>(
                self,
                v: &'de str,
            ) -> std::result::Result<Scalar<'a>, E> {
                Ok(Scalar::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Scalar<'a>, E> {
                Ok(Scalar::Str(Cow::Owned(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Scalar<'a>, E> {
                Ok(Scalar::Num(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Scalar<'a>, E> {
                Ok(Scalar::Num(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Scalar<'a>, E> {
                Ok(Scalar::Num(v as f64))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<Scalar<'a>, E> {
                Ok(Scalar::Bool(v))
            }
            fn visit_unit<E: de::Error>(self) -> std::result::Result<Scalar<'a>, E> {
                Ok(Scalar::Other)
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut m: A,
            ) -> std::result::Result<Scalar<'a>, A::Error> {
                while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Scalar::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut s: A,
            ) -> std::result::Result<Scalar<'a>, A::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Scalar::Other)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// Every object of a payload: payload, entry, change, value, metadata, message, status, pricing,
/// conversation, origin.
#[derive(Deserialize, Default)]
struct Node<'a> {
    #[serde(borrow)]
    entry: Option<Vec<Node<'a>>>,
    #[serde(borrow)]
    changes: Option<Vec<Node<'a>>>,
    #[serde(borrow)]
    field: Option<Scalar<'a>>,
    #[serde(borrow)]
    value: Option<Box<Node<'a>>>,
    #[serde(borrow)]
    metadata: Option<Box<Node<'a>>>,
    #[serde(borrow)]
    display_phone_number: Option<Scalar<'a>>,
    #[serde(borrow)]
    messages: Option<Vec<Node<'a>>>,
    #[serde(borrow)]
    statuses: Option<Vec<Node<'a>>>,
    #[serde(borrow)]
    id: Option<Scalar<'a>>,
    #[serde(borrow)]
    from: Option<Scalar<'a>>,
    #[serde(borrow)]
    timestamp: Option<Scalar<'a>>,
    #[serde(borrow, rename = "type")]
    kind: Option<Scalar<'a>>,
    referral: Option<IgnoredAny>,
    #[serde(borrow)]
    status: Option<Scalar<'a>>,
    #[serde(borrow)]
    recipient_id: Option<Scalar<'a>>,
    /// `group` for a Groups API message (SPEC §15), `individual` otherwise.
    #[serde(borrow)]
    recipient_type: Option<Scalar<'a>>,
    /// The participant a group message's status is about.
    #[serde(borrow)]
    recipient_participant_id: Option<Scalar<'a>>,
    /// The recipient's business-scoped user id (BSUID), beside or instead of `recipient_id`.
    #[serde(borrow)]
    recipient_user_id: Option<Scalar<'a>>,
    /// The group a customer's message was written in.
    #[serde(borrow)]
    group_id: Option<Scalar<'a>>,
    /// The sender's BSUID on a customer's message, beside or instead of `from`.
    #[serde(borrow)]
    from_user_id: Option<Scalar<'a>>,
    #[serde(borrow)]
    pricing: Option<Box<Node<'a>>>,
    #[serde(borrow)]
    conversation: Option<Box<Node<'a>>>,
    #[serde(borrow)]
    origin: Option<Box<Node<'a>>>,
    #[serde(borrow)]
    billable: Option<Scalar<'a>>,
    #[serde(borrow)]
    pricing_model: Option<Scalar<'a>>,
    #[serde(borrow)]
    category: Option<Scalar<'a>>,
    /// `pricing.subtype` (`paid_exempt`, SPEC §15).
    #[serde(borrow)]
    subtype: Option<Scalar<'a>>,
}

fn text<'n>(s: &'n Option<Scalar<'_>>) -> Option<&'n str> {
    s.as_ref().and_then(Scalar::str)
}

fn instant(ts: &Option<Scalar<'_>>, path: &str) -> Result<i64> {
    // The error of each reason (docs/errors.md): the value as given (`None`: the reason has no
    // `value`), and how the message shows it.
    let bad = |reason: &'static str, value: Option<&str>, shown: &str| {
        let e = Error::coded(
            ErrorCode::InvalidInstant,
            reason,
            format!("{path}.timestamp"),
            if reason == "webhook_timestamp_missing" {
                "missing timestamp".to_string()
            } else {
                format!("invalid timestamp {shown}: expected epoch seconds such as \"1727740800\"")
            },
        );
        match value {
            Some(v) => e.value(v),
            None => e,
        }
    };
    match ts {
        None => Err(bad("webhook_timestamp_missing", None, "")),
        Some(Scalar::Str(t)) => fields::seconds(t.trim().as_bytes())
            .ok_or_else(|| bad("webhook_timestamp", Some(t), &format!("{t:?}"))),
        Some(Scalar::Num(n)) if n.is_finite() && n.fract() == 0.0 && *n >= 0.0 && *n < 1e12 => {
            let t = (*n as i64).to_string();
            fields::seconds(t.as_bytes()).ok_or_else(|| bad("webhook_timestamp", Some(&t), &t))
        }
        Some(Scalar::Num(n)) => Err(bad(
            "webhook_timestamp_range",
            Some(&crate::error::show_f64(*n)),
            "out of range",
        )),
        Some(_) => Err(bad("webhook_timestamp_type", None, "of the wrong type")),
    }
}

/// A WhatsApp id (`recipient_id`, `from`): the customer's digits without `+`; failing that, the
/// customer's business-scoped user id (`bsuid`: `recipient_user_id`, `from_user_id`, or a BSUID
/// written where the number goes), which stands for a number of the user's country (SPEC §15,
/// [`super::bsuid`]). With the number: [`RECIPIENT_BSUID`] (and [`RECIPIENT_APPROXIMATE`]) when
/// it stands for a BSUID.
fn customer(
    v: &Option<Scalar<'_>>,
    bsuid: &Option<Scalar<'_>>,
    path: &str,
    field: &str,
) -> Result<(Phone, u8)> {
    let raw = text(v).unwrap_or("");
    let digits = raw.trim().trim_start_matches('+');
    if let Some(p) = fields::digits_phone(digits.as_bytes()) {
        return Ok((p, 0));
    }
    if let Some(s) = text(bsuid)
        .and_then(|b| super::bsuid::stand_in(b.trim()))
        .or_else(|| super::bsuid::stand_in(raw.trim()))
    {
        let approximate = if s.approximate {
            RECIPIENT_APPROXIMATE
        } else {
            0
        };
        return Ok((s.phone, RECIPIENT_BSUID | approximate));
    }
    fields::digits_phone(digits.as_bytes()).map(|p| (p, 0)).ok_or_else(|| {
        let e = Error::coded(
            ErrorCode::InvalidPhone,
            if v.is_none() {
                "webhook_phone_missing"
            } else {
                "webhook_phone"
            },
            format!("{path}.{field}"),
            if v.is_none() {
                format!("missing {field}")
            } else {
                format!("invalid {field} {raw:?}: expected the customer's number in international form (7 to 15 digits, first digit 1-9)")
            },
        )
        .with("field", Value::Text(field.to_string()));
        if v.is_none() {
            e
        } else {
            e.value(raw)
        }
    })
}

fn business_number(m: Option<&Node<'_>>) -> Option<Phone> {
    let n = text(&m?.display_phone_number)?;
    let digits: Vec<u8> = n.bytes().filter(u8::is_ascii_digit).collect();
    fields::digits_phone(&digits)
}

/// A `value`: customer messages and statuses.
fn value<S: Sink>(
    v: &Node<'_>,
    path: &str,
    line: u64,
    core: &mut S,
    groups: &mut Groups,
) -> Result<()> {
    let from = business_number(v.metadata.as_deref());
    for (i, m) in v.messages.iter().flatten().enumerate() {
        if text(&m.kind) == Some("system") {
            core.system_message();
            continue;
        }
        let p = format!("{path}messages[{i}]");
        let e = customer(&m.from, &m.from_user_id, &p, "from").and_then(|(user, _)| {
            Ok(Event {
                at: instant(&m.timestamp, &p)?,
                user,
                kind: EventKind::Inbound {
                    referral: m.referral.is_some(),
                },
                from: None,
                status: Status::Delivered,
            })
        });
        match (e, text(&m.group_id)) {
            (Ok(e), Some(g)) => {
                // The window of the group opens for every participant seen in it so far (a log
                // learns a group's participants as it reads; the most recent 8 are kept).
                groups.saw(g, e.user);
                core.event(e, line)?;
                for user in groups.others(g, e.user) {
                    core.event(Event { user, ..e }, line)?;
                }
            }
            (Ok(e), None) => core.event(e, line)?,
            (Err(e), _) => core.bad_line(line, e)?,
        }
    }
    for (i, s) in v.statuses.iter().flatten().enumerate() {
        let status = match text(&s.status) {
            Some("sent") => WStatus::Sent,
            Some("delivered") => WStatus::Delivered,
            Some("read") | Some("played") => WStatus::Read,
            Some("failed") => WStatus::Failed,
            _ => {
                core.other_status();
                continue;
            }
        };
        let p = format!("{path}statuses[{i}]");
        // A group message (`recipient_type: group`, the group id as `recipient_id`) has one status
        // per participant (`recipient_participant_id`) and is priced per delivered participant
        // (Groups API pricing page, 2025-10-22): each participant's statuses make one message,
        // keyed by the message id and the participant.
        if text(&s.recipient_type) == Some("group") && s.recipient_participant_id.is_none() {
            // A status of the group as a whole (the `sent` of a group message): what is priced
            // is each participant's delivery.
            core.other_status();
            continue;
        }
        // Groups API pricing page (2025-10-22): a participant's `read` implies its delivery (the
        // `delivered` status is not sent when both happen at once), and the group's own `sent`
        // carries no participant, so a participant's first status may be `read`.
        let status = match status {
            WStatus::Read if text(&s.recipient_type) == Some("group") => WStatus::Delivered,
            other => other,
        };
        let group = (text(&s.recipient_type) == Some("group")).then(|| {
            customer(
                &s.recipient_participant_id,
                &None,
                &p,
                "recipient_participant_id",
            )
        });
        if let (Some(Ok((u, _))), Some(g)) = (&group, text(&s.recipient_id)) {
            groups.saw(g, *u);
        }
        let key = match (&group, text(&s.id)) {
            (Some(Ok((u, _))), Some(id)) => Some(format!("{id}#{}", u.value)),
            _ => None,
        };
        let item = (|| {
            let id = match text(&s.id) {
                Some(id) if !id.is_empty() => id,
                _ => {
                    return Err(Error::coded(
                        ErrorCode::InvalidInput,
                        "webhook_message_id_missing",
                        format!("{p}.id"),
                        "missing message id".to_string(),
                    ))
                }
            };
            let (id, (user, recipient)) = match group {
                Some(user) => {
                    let (u, flags) = user?;
                    (key.as_deref().unwrap_or(id), (u, flags | RECIPIENT_GROUP))
                }
                None => (
                    id,
                    customer(&s.recipient_id, &s.recipient_user_id, &p, "recipient_id")?,
                ),
            };
            let conversation = s.conversation.as_deref();
            Ok(StatusItem {
                id,
                status,
                at: instant(&s.timestamp, &p)?,
                user,
                from,
                pricing: s.pricing.as_deref().map(|x| MetaPricing {
                    billable: match x.billable {
                        Some(Scalar::Bool(b)) => Some(b),
                        _ => None,
                    },
                    model: text(&x.pricing_model).map(str::to_string),
                    category: text(&x.category).map(str::to_string),
                    vtype: text(&x.kind).map(str::to_string),
                    subtype: text(&x.subtype).map(str::to_string),
                }),
                conversation: conversation.and_then(|c| text(&c.id)),
                origin: conversation
                    .and_then(|c| c.origin.as_deref())
                    .and_then(|o| text(&o.kind)),
                recipient,
            })
        })();
        match item {
            Ok(item) => core.status(item, line)?,
            Err(e) => {
                core.bad_status();
                core.bad_line(line, e)?
            }
        }
    }
    Ok(())
}

/// A change: `messages` changes are priced, others (template or account updates) counted.
fn change<S: Sink>(
    c: &Node<'_>,
    path: &str,
    line: u64,
    core: &mut S,
    groups: &mut Groups,
) -> Result<()> {
    match (text(&c.field), &c.value) {
        (None | Some("messages"), Some(v)) => {
            value(v, &format!("{path}value."), line, core, groups)
        }
        _ => {
            core.other_change();
            Ok(())
        }
    }
}

fn payload<S: Sink>(
    p: &Node<'_>,
    path: &str,
    line: u64,
    core: &mut S,
    groups: &mut Groups,
) -> Result<()> {
    let mut any = false;
    for (i, e) in p.entry.iter().flatten().enumerate() {
        any = true;
        for (j, c) in e.changes.iter().flatten().enumerate() {
            change(
                c,
                &format!("{path}entry[{i}].changes[{j}]."),
                line,
                core,
                groups,
            )?;
        }
    }
    for (j, c) in p.changes.iter().flatten().enumerate() {
        any = true;
        change(c, &format!("{path}changes[{j}]."), line, core, groups)?;
    }
    if p.value.is_some() {
        any = true;
        change(p, path, line, core, groups)?;
    }
    if p.messages.is_some() || p.statuses.is_some() {
        any = true;
        value(p, path, line, core, groups)?;
    }
    if any {
        Ok(())
    } else {
        core.bad_line(
            line,
            Error::coded(
                ErrorCode::InvalidInput,
                "webhook_not_payload",
                path.trim_end_matches('.'),
                "not a webhook payload: expected { object, entry: [{ changes: [{ field, value }] }] } or a value with statuses or messages".to_string(),
            ),
        )
    }
}

pub(crate) fn record<S: Sink>(
    rec: &[u8],
    line: u64,
    core: &mut S,
    groups: &mut Groups,
) -> Result<()> {
    let first = rec.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if first == Some(b'[') {
        let list: Vec<Node<'_>> = match parse(rec, "webhook payload") {
            Ok(l) => l,
            Err(e) => return core.bad_line(line, e),
        };
        for (i, p) in list.iter().enumerate() {
            payload(p, &format!("[{i}]."), line, core, groups)?;
        }
        Ok(())
    } else {
        let p: Node<'_> = match parse(rec, "webhook payload") {
            Ok(p) => p,
            Err(e) => return core.bad_line(line, e),
        };
        payload(&p, "", line, core, groups)
    }
}
