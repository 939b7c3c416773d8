//! Inputs as users write them (JSON / JavaScript objects), and their validation into the engine's
//! types. Every error names the input path and the offending value.

use crate::error::{Error, ErrorCode, Result};
use crate::markets::{MarketOptions, Phone};
use crate::messages::Value;
use crate::model::TemplateCategory;
use crate::pricing::{AllowanceScope, Business, Event, EventKind, Options, Request, Status};
use crate::time::{instant_from_millis_f64, parse_date, parse_instant, Zone};
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

mod groups;
pub use groups::GroupMessage;

/// An instant as written: RFC 3339 text or epoch milliseconds.
#[derive(Debug, Clone, PartialEq)]
pub enum RawInstant<'a> {
    /// RFC 3339 text.
    Text(Cow<'a, str>),
    /// Epoch milliseconds.
    Millis(f64),
}

impl RawInstant<'_> {
    /// Converts to epoch milliseconds.
    pub fn resolve(&self, path: &str) -> Result<i64> {
        match self {
            RawInstant::Text(s) => parse_instant(s, path),
            RawInstant::Millis(ms) => instant_from_millis_f64(*ms, path),
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for RawInstant<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = RawInstant<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an RFC 3339 string or epoch milliseconds")
            }
            fn visit_borrowed_str<E: de::Error>(
                self,
                v: &'de str,
            ) -> std::result::Result<RawInstant<'a>, E> {
                Ok(RawInstant::Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<RawInstant<'a>, E> {
                Ok(RawInstant::Text(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(
                self,
                v: String,
            ) -> std::result::Result<RawInstant<'a>, E> {
                Ok(RawInstant::Text(Cow::Owned(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<RawInstant<'a>, E> {
                Ok(RawInstant::Millis(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<RawInstant<'a>, E> {
                Ok(RawInstant::Millis(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<RawInstant<'a>, E> {
                Ok(RawInstant::Millis(v as f64))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// One event as written, borrowing its strings from the input text where it can. Unknown fields
/// are an error, so that a typo (`statu`) never silently falls back to a default.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawEvent<'a> {
    /// Instant.
    #[serde(borrow)]
    pub at: Option<RawInstant<'a>>,
    /// Customer number.
    #[serde(borrow)]
    pub user: Option<Cow<'a, str>>,
    /// `inbound`, `template`, `message`, `reaction`.
    #[serde(borrow)]
    pub kind: Option<Cow<'a, str>>,
    /// Template category.
    #[serde(borrow)]
    pub category: Option<Cow<'a, str>>,
    /// `ctwa` for an entry point.
    #[serde(borrow)]
    pub referral: Option<Cow<'a, str>>,
    /// Sending business number.
    #[serde(borrow)]
    pub from: Option<Cow<'a, str>>,
    /// `delivered`, `failed`, `sent`.
    #[serde(borrow)]
    pub status: Option<Cow<'a, str>>,
    /// The group a customer wrote in (`inbound`) or a business message was sent to (SPEC §15).
    #[serde(borrow)]
    pub group: Option<Cow<'a, str>>,
    /// The participants a group message was sent to (customer numbers); each has the event's
    /// `status` unless `statuses` gives its own.
    pub participants: Option<Vec<String>>,
    /// Per-participant statuses of a group message (number → status); a number named only here
    /// is a participant too.
    pub statuses: Option<BTreeMap<String, String>>,
}

/// The events of a request, resolved one by one while they are read (no intermediate list of
/// raw events is kept). The first invalid event stops the reading and is kept as `error`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawEvents {
    /// Events resolved so far.
    pub events: Vec<Event>,
    /// The first event error, with its path.
    pub error: Option<Error>,
    /// The group messages, in input order: the event of each stands for its first participant
    /// (or its writer) until [`RawEvents::resolve`] gives every participant its own.
    pub groups: Vec<GroupMessage>,
}

impl RawEvents {
    /// Resolves the next event (its index is the number of events accepted so far); an invalid
    /// event, or one past the limit, ends the list with `error` set. Call only while `error` is
    /// `None`.
    pub fn accept(&mut self, raw: &RawEvent<'_>) {
        self.accept_with(raw, &mut Phone::parse);
    }

    fn accept_with(
        &mut self,
        raw: &RawEvent<'_>,
        phone: &mut dyn FnMut(&str, &str) -> Result<Phone>,
    ) {
        let i = self.events.len();
        if raw.group.is_some() || raw.participants.is_some() || raw.statuses.is_some() {
            let r = raw
                .resolve_group(i as u32, phone)
                .map_err(|e| e.under(&format!("events[{i}]")))
                .map(|(e, g)| {
                    self.groups.push(g);
                    e
                });
            return self.take(r);
        }
        let r = raw.resolve_with(i, phone);
        self.take(r);
    }

    /// Keeps the next event, resolved (see [`accept`](Self::accept)).
    pub(crate) fn take(&mut self, resolved: Result<Event>) {
        let i = self.events.len();
        match resolved {
            Ok(e) => self.events.push(e),
            Err(e) => self.error = Some(e),
        }
        if i >= crate::pricing::MAX_EVENTS {
            self.error = Some(crate::pricing::too_many_events(format!(
                "more than {} events per simulation",
                crate::pricing::MAX_EVENTS
            )));
        }
    }
}

impl<'de> Deserialize<'de> for RawEvents {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawEvents;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of events")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<RawEvents, A::Error> {
                let mut out = RawEvents {
                    events: Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20)),
                    ..RawEvents::default()
                };
                while out.error.is_none() {
                    let Some(raw) = seq.next_element::<RawEvent<'de>>()? else {
                        return Ok(out);
                    };
                    out.accept(&raw);
                }
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(out)
            }
        }
        d.deserialize_seq(V)
    }
}

/// The business as written.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawBusiness {
    /// ISO code of the primary location.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Eligibility start per recipient country (ISO) or market name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_international: Option<BTreeMap<String, String>>,
}

/// Options as written (see `docs/simulator.md`).
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawOptions {
    /// FEP window length in hours.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fep_hours: Option<f64>,
    /// Market of unlisted NANP area codes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unlisted_nanp_market: Option<String>,
    /// Market of +7 Kazakhstan before 2026-10-01.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kazakhstan_market_before202610: Option<String>,
    /// `number` or `waba`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_allowance_scope: Option<String>,
    /// Free service messages per scope per month.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_allowance: Option<f64>,
    /// Free conversations per month.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conversation_free_tier: Option<f64>,
    /// Non-profit free service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonprofit: Option<bool>,
    /// `all` or `none`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub messages: Option<String>,
}

/// A simulation request as written.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawRequest {
    /// Billing currency.
    pub currency: Option<String>,
    /// Business time zone.
    pub timezone: Option<String>,
    /// The business.
    pub business: Option<RawBusiness>,
    /// Options.
    pub options: Option<RawOptions>,
    /// Events, resolved while read.
    #[serde(default)]
    pub events: RawEvents,
}

/// An option that is not one of its `allowed` values (`"number", "waba"`).
#[cold]
#[inline(never)]
fn not_a_choice(path: String, value: &str, allowed: &str, message: String) -> Error {
    Error::coded(ErrorCode::InvalidOption, "not_a_choice", path, message)
        .value(value)
        .with("allowed", Value::Text(allowed.to_string()))
}

/// Validates a currency code.
pub fn currency(s: Option<&str>, path: &str) -> Result<String> {
    let c = s.unwrap_or(DEFAULT_CURRENCY).trim();
    if c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(c.to_ascii_uppercase())
    } else {
        Err(Error::coded(
            ErrorCode::InvalidCurrency,
            "",
            path,
            format!("invalid currency {c:?}: expected an ISO 4217 code such as USD"),
        )
        .value(c))
    }
}

pub use crate::error::show_f64;

/// The billing currency of an input that names none.
pub const DEFAULT_CURRENCY: &str = "USD";

/// Validates a whole count option within `[min, max]`.
pub fn count(v: f64, min: u64, max: u64, path: &str, name: &str) -> Result<u64> {
    if !v.is_finite() || v.fract() != 0.0 || v < min as f64 || v > max as f64 {
        return Err(Error::coded(
            ErrorCode::InvalidOption,
            "",
            path,
            format!(
                "invalid {name} {}: expected a whole number from {min} to {max}",
                show_f64(v)
            ),
        )
        .value(&show_f64(v))
        .with("min", Value::Number(min.into()))
        .with("max", Value::Number(max.into())));
    }
    Ok(v as u64)
}

impl RawOptions {
    /// Converts to [`Options`].
    pub fn resolve(&self, path: &str) -> Result<Options> {
        let p = |f: &str| {
            if path.is_empty() {
                f.to_string()
            } else {
                format!("{path}.{f}")
            }
        };
        let d = Options::default();
        Ok(Options {
            fep_hours: match self.fep_hours {
                Some(h) => count(h, 1, 24 * 31, &p("fepHours"), "fepHours")? as u32,
                None => d.fep_hours,
            },
            markets: MarketOptions {
                unlisted_nanp: self
                    .unlisted_nanp_market
                    .clone()
                    .unwrap_or(d.markets.unlisted_nanp),
                kazakhstan_before_2026_10: self
                    .kazakhstan_market_before202610
                    .clone()
                    .unwrap_or(d.markets.kazakhstan_before_2026_10),
            },
            allowance_scope: match self.service_allowance_scope.as_deref() {
                None | Some("number") => AllowanceScope::Number,
                Some("waba") => AllowanceScope::Waba,
                Some(o) => {
                    return Err(not_a_choice(
                        p("serviceAllowanceScope"),
                        o,
                        "number, waba",
                        format!(
                            "invalid serviceAllowanceScope {o:?}: expected \"number\" or \"waba\""
                        ),
                    ))
                }
            },
            service_allowance: match self.service_allowance {
                Some(v) => count(
                    v,
                    0,
                    1_000_000_000,
                    &p("serviceAllowance"),
                    "serviceAllowance",
                )?,
                None => d.service_allowance,
            },
            conversation_free_tier: match self.conversation_free_tier {
                Some(v) => count(
                    v,
                    0,
                    1_000_000_000,
                    &p("conversationFreeTier"),
                    "conversationFreeTier",
                )?,
                None => d.conversation_free_tier,
            },
            nonprofit: self.nonprofit.unwrap_or(false),
            keep_messages: match self.messages.as_deref() {
                None | Some("all") => true,
                Some("none") => false,
                Some(o) => {
                    return Err(not_a_choice(
                        p("messages"),
                        o,
                        "all, none",
                        format!("invalid messages option {o:?}: expected \"all\" or \"none\""),
                    ))
                }
            },
            keep_windows: false,
            lenient_rates: false,
            opening: None,
        })
    }
}

impl RawBusiness {
    /// Converts to [`Business`].
    pub fn resolve(&self, path: &str) -> Result<Business> {
        let country = match &self.country {
            None => None,
            Some(c) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
                Some(c.to_ascii_uppercase())
            }
            Some(c) => {
                return Err(Error::coded(
                    ErrorCode::UnknownCountry,
                    "",
                    format!("{path}.country"),
                    format!(
                        "invalid country {c:?}: expected an ISO 3166-1 alpha-2 code such as IN"
                    ),
                )
                .value(c.as_str()))
            }
        };
        let mut auth = Vec::new();
        for (k, v) in self.auth_international.iter().flatten() {
            let key = if k.len() == 2 {
                k.to_ascii_uppercase()
            } else {
                k.clone()
            };
            auth.push((
                key,
                parse_date(v, &format!("{path}.authInternational.{k}"))?,
            ));
        }
        Ok(Business {
            country,
            auth_international: auth,
        })
    }
}

impl RawEvent<'_> {
    /// Converts to [`Event`]; errors carry paths below `events[index]`.
    pub fn resolve(&self, index: usize) -> Result<Event> {
        self.resolve_with(index, &mut Phone::parse)
    }

    /// [`resolve`](Self::resolve) with the parser of the `user` and `from` numbers given (called
    /// with the text and the field name), so that a reader holding each distinct number once can
    /// parse it once.
    pub fn resolve_with(
        &self,
        index: usize,
        phone: &mut dyn FnMut(&str, &str) -> Result<Phone>,
    ) -> Result<Event> {
        self.resolve_fields(phone)
            .map_err(|e| e.under(&format!("events[{index}]")))
    }

    fn resolve_fields(&self, phone: &mut dyn FnMut(&str, &str) -> Result<Phone>) -> Result<Event> {
        if self.group.is_some() || self.participants.is_some() || self.statuses.is_some() {
            return Err(Error::coded(
                ErrorCode::InvalidInput,
                "group_not_here",
                "group",
                "a group message is read by simulate only, not here",
            ));
        }
        let at = resolve_at(self.at.as_ref())?;
        let user = resolve_user(self.user.as_deref(), phone)?;
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
        Ok(Event {
            at,
            user,
            kind,
            from,
            status,
        })
    }
}

/// The instant of an event (its `at`).
pub(crate) fn resolve_at(at: Option<&RawInstant<'_>>) -> Result<i64> {
    match at {
        Some(a) => a.resolve("at"),
        None => Err(Error::coded(
            ErrorCode::InvalidInput,
            "missing_field",
            "at",
            "missing instant `at`",
        )
        .with("field", Value::Text("at".into()))),
    }
}

/// The customer of an event (its `user`).
pub(crate) fn resolve_user(
    user: Option<&str>,
    phone: &mut dyn FnMut(&str, &str) -> Result<Phone>,
) -> Result<Phone> {
    match user {
        Some(u) => phone(u, "user"),
        None => Err(Error::coded(
            ErrorCode::InvalidPhone,
            "missing_user",
            "user",
            "missing customer number `user`",
        )),
    }
}

/// The event kinds an input may name (`kind`), as [`resolve_business`] reads them.
pub const EVENT_KINDS: [&str; 6] = [
    "inbound",
    "template",
    "message",
    "reaction",
    "marketing_lite",
    "direct_send",
];
/// The delivery statuses an input may name (`status`); `read` is taken as delivered.
pub const STATUSES: [&str; 4] = ["delivered", "read", "failed", "sent"];

/// What an event is, from its fields other than `at` and `user`, in the order of the binding's
/// event columns: `kind`, `category`, `referral`, `from`, `status`. Many events share these
/// fields, so a reader can resolve each distinct combination once.
pub(crate) fn resolve_business(
    [kind, category, referral, from, status]: [Option<&str>; 5],
    phone: &mut dyn FnMut(&str, &str) -> Result<Phone>,
) -> Result<(EventKind, Option<Phone>, Status)> {
    let kind_s = kind.unwrap_or("");
    let event_kind = match kind_s {
            "inbound" => EventKind::Inbound {
                referral: match referral {
                    None | Some("") | Some("none") => false,
                    Some("ctwa") => true,
                    Some(o) => {
                        return Err(Error::coded(
                            ErrorCode::InvalidInput,
                            "invalid_referral",
                            "referral",
                            format!("invalid referral {o:?}: expected \"ctwa\" (click-to-WhatsApp ad or Page button) or nothing"),
                        ).value(o))
                    }
                },
            },
            // Direct Send (SPEC §15): a business message with a category and no pre-made
            // template, priced as a template of that category.
            "template" | "direct_send" => {
                let c = category.unwrap_or("");
                match TemplateCategory::parse(c) {
                    Some(tc) => EventKind::Template(tc),
                    None => {
                        return Err(match category {
                            None => Error::coded(
                                ErrorCode::InvalidCategory,
                                "missing_category",
                                "category",
                                "missing template category: expected marketing, utility or authentication",
                            ),
                            Some(c) => Error::coded(
                                ErrorCode::InvalidCategory,
                                "",
                                "category",
                                format!("invalid template category {c:?}: expected marketing, utility or authentication"),
                            ).value(c),
                        })
                    }
                }
            }
            "message" => EventKind::Message,
            "reaction" => EventKind::Reaction,
            "marketing_lite" => EventKind::MarketingLite,
            _ => {
                return Err(Error::coded(
                    ErrorCode::InvalidKind,
                    "",
                    "kind",
                    format!("invalid event kind {kind_s:?}: expected inbound, template, message, reaction, marketing_lite or direct_send"),
                ).value(kind_s))
            }
        };
    let from = match from {
        Some(f) => Some(phone(f, "from")?),
        None => None,
    };
    Ok((event_kind, from, resolve_status(status, "status")?))
}

/// A delivery status (`status`, or a participant's in `statuses`); `read` is delivered.
fn resolve_status(status: Option<&str>, path: &str) -> Result<Status> {
    Ok(match status {
        None | Some("delivered") | Some("read") => Status::Delivered,
        Some("failed") => Status::Failed,
        Some("sent") => Status::Sent,
        Some(o) => {
            return Err(Error::coded(
                ErrorCode::InvalidStatus,
                "",
                path,
                format!("invalid status {o:?}: expected delivered, failed or sent"),
            )
            .value(o))
        }
    })
}

impl RawRequest {
    /// Validates into a [`Request`].
    pub fn resolve(self, engine: &crate::Engine) -> Result<Request> {
        let (events, sources) = self.events.resolve()?;
        let mut options: Options = self
            .options
            .as_ref()
            .map(|o| o.resolve("options"))
            .transpose()?
            .unwrap_or_default();
        // A simulation's windows come with its messages (`messages: 'all'`).
        options.keep_windows = options.keep_messages;
        Ok(Request {
            currency: currency(self.currency.as_deref(), "currency")?,
            zone: match &self.timezone {
                Some(z) => engine.zone(z, "timezone")?,
                None => Zone::UTC,
            },
            business: self
                .business
                .as_ref()
                .map(|b| b.resolve("business"))
                .transpose()?
                .unwrap_or_default(),
            options,
            events,
            sources,
        })
    }
}

/// The input path (`events[3].user`) at a byte offset of a JSON text, found by scanning the text
/// up to that offset; used to name the field at fault when JSON does not fit the expected shape.
pub fn json_path_at(text: &[u8], offset: usize) -> String {
    path_at(text, offset, true)
}

/// The path at `offset` as [`json_path_at`], or with `last_key` false that of the innermost
/// container itself (an object without the key last read in it): where a field missing from
/// that object belongs.
fn path_at(text: &[u8], offset: usize, last_key: bool) -> String {
    enum Frame {
        Obj {
            key: Option<String>,
            expect_key: bool,
        },
        Arr {
            index: usize,
        },
    }
    let mut stack: Vec<Frame> = Vec::new();
    let end = offset.min(text.len());
    let mut i = 0;
    while i < end {
        match text[i] {
            b'{' => stack.push(Frame::Obj {
                key: None,
                expect_key: true,
            }),
            b'[' => stack.push(Frame::Arr { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Arr { index }) => *index += 1,
                Some(Frame::Obj { expect_key, .. }) => *expect_key = true,
                None => {}
            },
            b':' => {
                if let Some(Frame::Obj { expect_key, .. }) = stack.last_mut() {
                    *expect_key = false;
                }
            }
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < text.len() && text[i] != b'"' {
                    if text[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if let Some(Frame::Obj {
                    key,
                    expect_key: true,
                }) = stack.last_mut()
                {
                    let raw = &text[start..i.min(text.len())];
                    *key = Some(
                        serde_json::from_str::<String>(&format!(
                            "\"{}\"",
                            String::from_utf8_lossy(raw)
                        ))
                        .unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned()),
                    );
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    let innermost = stack.len().saturating_sub(1);
    for (depth, f) in stack.iter().enumerate() {
        match f {
            Frame::Obj { key: Some(_), .. } if !last_key && depth == innermost => {}
            Frame::Obj { key: Some(k), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            Frame::Obj { key: None, .. } => {}
            Frame::Arr { index } => path.push_str(&format!("[{index}]")),
        }
    }
    path
}

/// The mark the JavaScript binding writes, as JSON text, in place of a number JSON cannot hold
/// (`NaN`, `Infinity`, `-Infinity`): `"\u0000non-finite:NaN"`.
const NON_FINITE_MARK: &str = "\"\\u0000non-finite:";

/// The error for the first number of a JSON text that the binding marked as not finite, naming
/// its path and value (JSON itself has no such numbers; `JSON.stringify` would write them as
/// `null`, which reads as "not given" and would silently become a default).
pub fn non_finite_number(text: &[u8], root: &str) -> Result<()> {
    let Some(at) = find(text, NON_FINITE_MARK.as_bytes()) else {
        return Ok(());
    };
    let rest = &text[at + NON_FINITE_MARK.len()..];
    let value = rest
        .iter()
        .position(|&b| b == b'"')
        .map_or("", |end| std::str::from_utf8(&rest[..end]).unwrap_or(""));
    let inner = json_path_at(text, at);
    let path = join_path(root, &inner);
    // The field's name, or "number" for an entry of a list.
    let field = match path.rsplit('.').next() {
        Some(f) if !f.is_empty() && !f.ends_with(']') => f,
        _ => "number",
    };
    Err(Error::coded(
        ErrorCode::InvalidInput,
        "not_finite",
        path.clone(),
        format!("invalid {field} {value}: expected a finite number"),
    )
    .value(value))
}

/// The first position of `needle` in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut from = 0;
    while let Some(k) = hay[from..].iter().position(|&b| b == first) {
        let i = from + k;
        if hay[i..].starts_with(needle) {
            return Some(i);
        }
        from = i + 1;
    }
    None
}

/// An input path below `root`.
fn join_path(root: &str, inner: &str) -> String {
    match (root.is_empty(), inner.is_empty()) {
        (_, true) => root.to_string(),
        (true, false) => inner.to_string(),
        (false, false) if inner.starts_with('[') => format!("{root}{inner}"),
        (false, false) => format!("{root}.{inner}"),
    }
}

/// Byte offset of a 1-based line and column in a text (as `serde_json` reports errors).
pub fn offset_of(text: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].iter().position(|&b| b == b'\n') {
            Some(p) => start += p + 1,
            None => break,
        }
    }
    (start + column.saturating_sub(1)).min(text.len())
}

/// Reads JSON text into `T`, naming the input path of a shape error. Text that is valid UTF-8
/// is read as a `str`, which spares a UTF-8 check of every string in it.
pub fn from_json<'a, T: Deserialize<'a>>(text: &'a [u8], root: &str) -> Result<T> {
    // Only the `serde_json` call depends on `T`: the rest is shared by every input type, which
    // keeps each instantiation (and the WebAssembly build) small.
    serde_json::from_str(utf8_input(text, root)?).map_err(|e| shape_error(text, root, &e))
}

/// The input text as a `str`, or the error naming the first byte that is not UTF-8.
#[inline(never)]
fn utf8_input<'a>(text: &'a [u8], root: &str) -> Result<&'a str> {
    std::str::from_utf8(text).map_err(|e| {
        Error::coded(
            ErrorCode::InvalidInput,
            "not_utf8",
            root,
            format!(
                "invalid input: the text is not UTF-8 (byte {} is invalid)",
                e.valid_up_to()
            ),
        )
        .with("byte", Value::Count(e.valid_up_to() as u64))
    })
}

/// A shape error of `serde_json` on `text`, at the input path where it occurred.
#[inline(never)]
pub(crate) fn shape_error(text: &[u8], root: &str, e: &serde_json::Error) -> Error {
    let offset = offset_of(text, e.line(), e.column());
    let msg = e.to_string();
    // A missing field is reported at the end of its object: its path is the object's and its name.
    let missing = msg
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next());
    let inner = match missing {
        Some(field) => join_path(&path_at(text, offset, false), field),
        None => json_path_at(text, offset),
    };
    let path = join_path(root, &inner);
    let msg = msg.split(" at line ").next().unwrap_or("");
    let message = format!("invalid input: {}", plain_shape_message(msg));
    if !e.is_data() {
        let at = |n: usize| Value::Count(n as u64);
        return Error::coded(ErrorCode::InvalidInput, "syntax", path, message)
            .with("line", at(e.line()))
            .with("column", at(e.column()));
    }
    // serde's sentences read back into their parts: `invalid type: string "x", expected f64`,
    // `unknown field `a`, expected one of `b``, `missing field `a``… (searched for by bytes,
    // which keeps the calculator's wasm small).
    let name = after(msg, "`").map_or("", |r| &r[..r.bytes().position(|b| b == b'`').unwrap_or(0)]);
    let expected = after(msg, ", expected ").unwrap_or("");
    let (reason, first, value) = match msg.as_bytes().get(..9) {
        Some(b"invalid t" | b"invalid v") => {
            let rest = after(msg, ": ").unwrap_or(msg);
            let end = match expected.len() {
                0 => rest.len(),
                n => rest.len().saturating_sub(n + ", expected ".len()),
            };
            let value = found_value(rest.get(..end).unwrap_or(rest));
            match is_comma_number(value) {
                true => ("comma_number", "value", value),
                false => ("wrong_type", "value", value),
            }
        }
        Some(b"unknown f") => ("unknown_field", "field", name),
        Some(b"unknown v") => ("unknown_variant", "value", name),
        Some(b"missing f") => ("missing_field", "field", name),
        Some(b"duplicate") => ("duplicate_field", "field", name),
        _ => return Error::coded(ErrorCode::InvalidInput, "wrong_shape", path, message),
    };
    let err = Error::coded(ErrorCode::InvalidInput, reason, path, message)
        .with(first, Value::Text(value.to_string()));
    match reason {
        "wrong_type" => err.with("expected", Value::Term(expected_term(expected))),
        _ => err,
    }
}

/// The part of `s` after the first `needle`.
fn after<'a>(s: &'a str, needle: &str) -> Option<&'a str> {
    find(s.as_bytes(), needle.as_bytes()).and_then(|i| s.get(i + needle.len()..))
}

/// The value serde names in an `invalid type` error, as the input wrote it: `string "a"` is `a`,
/// ``integer `5` `` is `5`, a map or sequence `{…}` or `[…]`, `null` as it is.
fn found_value(found: &str) -> &str {
    if let Some(s) = found.strip_prefix("string \"") {
        return s.strip_suffix('"').unwrap_or(s);
    }
    match after(found, "`") {
        Some(v) => v.strip_suffix('`').unwrap_or(v),
        None if found == "map" => "{…}",
        None if found == "sequence" => "[…]",
        None => found,
    }
}

/// What serde's `expected …` asks for, as one of the `expected` terms of docs/errors.md.
fn expected_term(expected: &str) -> &'static str {
    const TERMS: [(&str, &str); 13] = [
        ("RFC 3339", "instant"),
        ("64", "number"),
        ("32", "number"),
        ("number", "number"),
        ("integer", "number"),
        ("tier", "number"),
        ("bool", "boolean"),
        ("struct", "object"),
        ("map", "object"),
        ("sequence", "list"),
        ("array", "list"),
        ("str", "text"),
        ("text", "text"),
    ];
    TERMS
        .iter()
        .find(|(word, _)| find(expected.as_bytes(), word.as_bytes()).is_some())
        .map_or("value", |(_, term)| term)
}

/// Whether text a person meant as a number is written with a comma (`1,5`, `50,000`).
fn is_comma_number(text: &str) -> bool {
    text.contains(',')
        && text.bytes().any(|b| b.is_ascii_digit())
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
}

/// A shape error of `serde_json` in the terms of a person filling a form: `f64` becomes "a
/// number", and a number written with a comma (`"1,5"`, `"50,000"`) gets a hint.
fn plain_shape_message(msg: &str) -> String {
    // The form's numbers are all read as f64; whole numbers are checked after, in words.
    let mut out = msg
        .replace("expected f64", "expected a number such as 1.5")
        .replace("type: string \"", "type: the text \"");
    let comma_number = msg
        .split_once("string \"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .is_some_and(|(text, _)| is_comma_number(text));
    if comma_number {
        out.push_str(" (no commas: write 1.5, or 50000)");
    }
    out
}

#[cfg(test)]
mod json_path_tests {
    use super::*;

    #[test]
    fn paths_of_shape_errors() {
        let t = br#"{"events":[{"at":1,"user":"+911234567","kind":"inbound"},{"at":2,"user":7}]}"#;
        let e = from_json::<RawRequest>(t, "").unwrap_err();
        assert_eq!(e.path, "events[1].user");
        assert!(
            e.message.contains("expected a string") || e.message.contains("invalid type"),
            "{}",
            e.message
        );
        let t = br#"{"options":{"fepHour":3},"events":[]}"#;
        assert_eq!(
            from_json::<RawRequest>(t, "").unwrap_err().path,
            "options.fepHour"
        );
        let t = br#"{"events":[{"at":1,"user":"+911234567","statu":"x"}]}"#;
        assert_eq!(
            from_json::<RawRequest>(t, "").unwrap_err().path,
            "events[0].statu"
        );
        let t = b"{\n  \"currency\": 5\n}";
        assert_eq!(from_json::<RawRequest>(t, "").unwrap_err().path, "currency");
        // Numbers in a person's words, with a hint for a decimal comma.
        let t = br#"{"audience":{"contacts":"1,5"}}"#;
        let e = from_json::<crate::scenario::Scenario>(t, "").unwrap_err();
        assert_eq!(e.path, "audience.contacts");
        assert_eq!(
            e.message,
            "invalid input: invalid type: the text \"1,5\", expected a number such as 1.5 (no commas: write 1.5, or 50000)"
        );
        let t = br#"{"audience":{"contacts":"abc"}}"#;
        let e = from_json::<crate::scenario::Scenario>(t, "").unwrap_err();
        assert_eq!(
            e.message,
            "invalid input: invalid type: the text \"abc\", expected a number such as 1.5"
        );
        assert_eq!(
            plain_shape_message("invalid type: string \"50,000\", expected f64"),
            "invalid type: the text \"50,000\", expected a number such as 1.5 (no commas: write 1.5, or 50000)"
        );
        assert_eq!(
            json_path_at(br#"{"a":{"b\"c":[1,2,{"d":"#, 30),
            "a.b\"c[2].d"
        );
    }

    #[test]
    fn a_missing_field_is_named_at_its_own_path() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Price {
            amount: f64,
            currency: Option<String>,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Prices {
            prices: Vec<Price>,
            inner: Option<Box<Prices>>,
        }
        let cases: [(&[u8], &str); 4] = [
            (
                br#"{"prices":[{"amount":1},{"currency":"USD"}]}"#,
                "options.prices[1].amount",
            ),
            (br#"{"prices":[{}]}"#, "options.prices[0].amount"),
            (br#"{"inner":{"prices":[]}}"#, "options.prices"),
            (
                br#"{"prices":[],"inner":{"prices":[{"currency":"USD"}]}}"#,
                "options.inner.prices[0].amount",
            ),
        ];
        for (text, path) in cases {
            let e = from_json::<Prices>(text, "options").unwrap_err();
            assert_eq!((e.reason(), e.path.as_str()), ("missing_field", path));
        }
    }

    #[test]
    fn marked_non_finite_numbers_are_errors_at_their_path() {
        let t = br#"{"journeys":[{"preset":"support"},{"timesPerMonth":"\u0000non-finite:NaN"}]}"#;
        let e = non_finite_number(t, "").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert_eq!(e.path, "journeys[1].timesPerMonth");
        assert_eq!(
            e.message,
            "invalid timesPerMonth NaN: expected a finite number"
        );
        let t = br#"{"reorderWindow":"\u0000non-finite:-Infinity"}"#;
        assert_eq!(
            non_finite_number(t, "options").unwrap_err().message,
            "invalid reorderWindow -Infinity: expected a finite number"
        );
        let t = br#"["\u0000non-finite:Infinity"]"#;
        let e = non_finite_number(t, "dates").unwrap_err();
        assert_eq!(
            (e.path.as_str(), e.message.as_str()),
            (
                "dates[0]",
                "invalid number Infinity: expected a finite number"
            )
        );
        assert!(non_finite_number(br#"{"a":"\u0000x","b":1.5}"#, "").is_ok());
    }
}
