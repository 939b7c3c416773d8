//! Meta Cloud API webhook payloads (`object: whatsapp_business_account`): per record one payload
//! `{ entry: [{ changes: [{ field: 'messages', value }] }] }`, or a JSON array of payloads; a bare
//! `value` (with `statuses` / `messages`) or a bare change (`{ field, value }`) is accepted too.
//!
//! `value.messages[]` are the customer's messages (`from`, `timestamp` in seconds, `type`; a
//! `referral` object marks a click-to-WhatsApp ad or Page entry point). `value.statuses[]` are the
//! statuses of the business's messages (`id`, `status`, `timestamp`, `recipient_id`, and Meta's
//! `pricing` / `conversation` objects), merged per message id by the pricer.

use super::fields;
use super::jsonl::parse;
use super::pricer::{Core, MetaPricing, StatusItem, WStatus};
use crate::error::{Error, ErrorCode, Result};
use crate::markets::Phone;
use crate::simulate::{Event, EventKind, Status};
use serde::de::{self, Deserializer, IgnoredAny, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;

/// A timestamp: Meta writes epoch seconds as a string; a number is accepted too.
#[derive(Debug)]
enum Ts<'a> {
    Text(Cow<'a, str>),
    Num(f64),
}

impl<'de: 'a, 'a> Deserialize<'de> for Ts<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Ts<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("epoch seconds as a string or a number")
            }
            fn visit_borrowed_str<E: de::Error>(
                self,
                v: &'de str,
            ) -> std::result::Result<Ts<'a>, E> {
                Ok(Ts::Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Ts<'a>, E> {
                Ok(Ts::Text(Cow::Owned(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Ts<'a>, E> {
                Ok(Ts::Num(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Ts<'a>, E> {
                Ok(Ts::Num(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Ts<'a>, E> {
                Ok(Ts::Num(v as f64))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

#[derive(Deserialize)]
struct Payload<'a> {
    #[serde(borrow)]
    entry: Option<Vec<Entry<'a>>>,
    #[serde(borrow)]
    changes: Option<Vec<Change<'a>>>,
    #[serde(borrow)]
    field: Option<Cow<'a, str>>,
    #[serde(borrow)]
    value: Option<Value<'a>>,
    #[serde(borrow)]
    metadata: Option<Metadata<'a>>,
    #[serde(borrow)]
    messages: Option<Vec<Inbound<'a>>>,
    #[serde(borrow)]
    statuses: Option<Vec<StatusObj<'a>>>,
}

#[derive(Deserialize)]
struct Entry<'a> {
    #[serde(borrow, default)]
    changes: Vec<Change<'a>>,
}

#[derive(Deserialize)]
struct Change<'a> {
    #[serde(borrow)]
    field: Option<Cow<'a, str>>,
    #[serde(borrow)]
    value: Option<Value<'a>>,
}

#[derive(Deserialize, Default)]
struct Value<'a> {
    #[serde(borrow)]
    metadata: Option<Metadata<'a>>,
    #[serde(borrow)]
    messages: Option<Vec<Inbound<'a>>>,
    #[serde(borrow)]
    statuses: Option<Vec<StatusObj<'a>>>,
}

#[derive(Deserialize)]
struct Metadata<'a> {
    #[serde(borrow)]
    display_phone_number: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Inbound<'a> {
    #[serde(borrow)]
    from: Option<Cow<'a, str>>,
    #[serde(borrow)]
    timestamp: Option<Ts<'a>>,
    #[serde(borrow, rename = "type")]
    kind: Option<Cow<'a, str>>,
    referral: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct StatusObj<'a> {
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    status: Option<Cow<'a, str>>,
    #[serde(borrow)]
    timestamp: Option<Ts<'a>>,
    #[serde(borrow)]
    recipient_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pricing: Option<PricingObj<'a>>,
    #[serde(borrow)]
    conversation: Option<ConversationObj<'a>>,
}

#[derive(Deserialize)]
struct PricingObj<'a> {
    billable: Option<bool>,
    #[serde(borrow)]
    pricing_model: Option<Cow<'a, str>>,
    #[serde(borrow)]
    category: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "type")]
    kind: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct ConversationObj<'a> {
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    origin: Option<Origin<'a>>,
}

#[derive(Deserialize)]
struct Origin<'a> {
    #[serde(borrow, rename = "type")]
    kind: Option<Cow<'a, str>>,
}

fn instant(ts: &Option<Ts<'_>>, path: &str) -> Result<i64> {
    let bad = |shown: String| {
        Error::new(
            ErrorCode::InvalidInstant,
            format!("{path}.timestamp"),
            format!("invalid timestamp {shown}: expected epoch seconds such as \"1727740800\""),
        )
    };
    match ts {
        None => Err(Error::new(
            ErrorCode::InvalidInstant,
            format!("{path}.timestamp"),
            "missing timestamp".to_string(),
        )),
        Some(Ts::Text(t)) => {
            fields::seconds(t.trim().as_bytes()).ok_or_else(|| bad(format!("{t:?}")))
        }
        Some(Ts::Num(n)) => {
            if n.is_finite() && n.fract() == 0.0 && *n >= 0.0 && *n < 1e12 {
                fields::seconds((*n as i64).to_string().as_bytes())
                    .ok_or_else(|| bad(n.to_string()))
            } else {
                Err(bad(n.to_string()))
            }
        }
    }
}

/// A WhatsApp id (`recipient_id`, `from`): the customer's digits without `+`.
fn customer(v: &Option<Cow<'_, str>>, path: &str, field: &str) -> Result<Phone> {
    let raw = v.as_deref().unwrap_or("");
    let digits = raw.trim().trim_start_matches('+');
    fields::digits_phone(digits.as_bytes()).ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidPhone,
            format!("{path}.{field}"),
            if v.is_none() {
                format!("missing {field}")
            } else {
                format!("invalid {field} {raw:?}: expected the customer's number in international form (7 to 15 digits, first digit 1-9)")
            },
        )
    })
}

fn business_number(m: Option<&Metadata<'_>>) -> Option<Phone> {
    let n = m?.display_phone_number.as_deref()?;
    let digits: Vec<u8> = n.bytes().filter(u8::is_ascii_digit).collect();
    fields::digits_phone(&digits)
}

struct Parts<'v, 'a> {
    metadata: Option<&'v Metadata<'a>>,
    messages: Option<&'v Vec<Inbound<'a>>>,
    statuses: Option<&'v Vec<StatusObj<'a>>>,
}

impl<'v, 'a> Parts<'v, 'a> {
    fn of(v: &'v Value<'a>) -> Self {
        Parts {
            metadata: v.metadata.as_ref(),
            messages: v.messages.as_ref(),
            statuses: v.statuses.as_ref(),
        }
    }
}

fn value(v: Parts<'_, '_>, path: &str, line: u64, core: &mut Core<'_>) -> Result<()> {
    let from = business_number(v.metadata);
    for (i, m) in v.messages.into_iter().flatten().enumerate() {
        if m.kind.as_deref() == Some("system") {
            core.system_message();
            continue;
        }
        let p = format!("{path}messages[{i}]");
        let e = customer(&m.from, &p, "from").and_then(|user| {
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
        match e {
            Ok(e) => core.event(e, line)?,
            Err(e) => core.bad_line(line, e)?,
        }
    }
    for (i, s) in v.statuses.into_iter().flatten().enumerate() {
        let status = match s.status.as_deref() {
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
        let item = (|| {
            let id = match s.id.as_deref() {
                Some(id) if !id.is_empty() => id,
                _ => {
                    return Err(Error::new(
                        ErrorCode::InvalidInput,
                        format!("{p}.id"),
                        "missing message id".to_string(),
                    ))
                }
            };
            Ok(StatusItem {
                id,
                status,
                at: instant(&s.timestamp, &p)?,
                user: customer(&s.recipient_id, &p, "recipient_id")?,
                from,
                pricing: s.pricing.as_ref().map(|x| MetaPricing {
                    billable: x.billable,
                    model: x.pricing_model.as_deref().map(str::to_string),
                    category: x.category.as_deref().map(str::to_string),
                    vtype: x.kind.as_deref().map(str::to_string),
                }),
                conversation: s.conversation.as_ref().and_then(|c| c.id.as_deref()),
                origin: s
                    .conversation
                    .as_ref()
                    .and_then(|c| c.origin.as_ref())
                    .and_then(|o| o.kind.as_deref()),
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

fn change(
    field: Option<&str>,
    v: Option<&Value<'_>>,
    path: &str,
    line: u64,
    core: &mut Core<'_>,
) -> Result<()> {
    match (field, v) {
        (None | Some("messages"), Some(v)) => {
            value(Parts::of(v), &format!("{path}value."), line, core)
        }
        _ => {
            core.other_change();
            Ok(())
        }
    }
}

fn payload(p: &Payload<'_>, path: &str, line: u64, core: &mut Core<'_>) -> Result<()> {
    let mut any = false;
    for (i, e) in p.entry.iter().flatten().enumerate() {
        any = true;
        for (j, c) in e.changes.iter().enumerate() {
            let at = format!("{path}entry[{i}].changes[{j}].");
            change(c.field.as_deref(), c.value.as_ref(), &at, line, core)?;
        }
    }
    for (j, c) in p.changes.iter().flatten().enumerate() {
        any = true;
        let at = format!("{path}changes[{j}].");
        change(c.field.as_deref(), c.value.as_ref(), &at, line, core)?;
    }
    if p.field.is_some() || p.value.is_some() {
        any = true;
        change(p.field.as_deref(), p.value.as_ref(), path, line, core)?;
    }
    if p.messages.is_some() || p.statuses.is_some() {
        any = true;
        let parts = Parts {
            metadata: p.metadata.as_ref(),
            messages: p.messages.as_ref(),
            statuses: p.statuses.as_ref(),
        };
        value(parts, path, line, core)?;
    }
    if any {
        Ok(())
    } else {
        core.bad_line(
            line,
            Error::new(
                ErrorCode::InvalidInput,
                path.trim_end_matches('.'),
                "not a webhook payload: expected { object, entry: [{ changes: [{ field, value }] }] } or a value with statuses or messages".to_string(),
            ),
        )
    }
}

pub(crate) fn record(rec: &[u8], line: u64, core: &mut Core<'_>) -> Result<()> {
    let first = rec.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if first == Some(b'[') {
        let list: Vec<Payload<'_>> = match parse(rec, "webhook payload") {
            Ok(l) => l,
            Err(e) => return core.bad_line(line, e),
        };
        for (i, p) in list.iter().enumerate() {
            payload(p, &format!("[{i}]."), line, core)?;
        }
        Ok(())
    } else {
        let p: Payload<'_> = match parse(rec, "webhook payload") {
            Ok(p) => p,
            Err(e) => return core.bad_line(line, e),
        };
        payload(&p, "", line, core)
    }
}
