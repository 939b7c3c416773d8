//! The reasons of the engine's inputs (docs/errors.md, Reasons, "Inputs"): each produced through
//! the public API, with its registered parameters (`waprice::reasons::check`) and the values its
//! message names.

use serde::Deserialize;
use serde_json::{json, Value};
use waprice::estimate::{compare, estimate};
use waprice::input::{from_json, non_finite_number, RawEvent, RawRequest};
use waprice::messages::Value as P;
use waprice::pricing::{Event, EventKind, Request, Simulator, Status};
use waprice::scenario::Scenario;
use waprice::time::{parse_instant, ymd, Zone};
use waprice::{Engine, Error, ErrorCode};

const T: &str = "2026-10-05T10:00:00Z";
const USER: &str = "+919812345678";

fn engine() -> Engine {
    Engine::new().expect("embedded data loads")
}

fn simulate_text(text: &str) -> Result<(), Error> {
    let raw: RawRequest = from_json(text.as_bytes(), "")?;
    engine().simulate(raw).map(|_| ())
}

fn simulate(req: Value) -> Result<(), Error> {
    simulate_text(&req.to_string())
}

fn one(event: Value) -> Value {
    json!({ "events": [event] })
}

fn scenario(v: Value) -> Result<(), Error> {
    let s: Scenario = from_json(v.to_string().as_bytes(), "")?;
    estimate(&engine(), &s, None).map(|_| ())
}

/// The error of `r`, checked against the registry, with its reason and path as expected.
#[track_caller]
fn reason(r: Result<(), Error>, code: ErrorCode, reason: &str, path: &str) -> Error {
    let e = r.expect_err("an error");
    assert_eq!(
        (e.code, e.reason(), e.path.as_str()),
        (code, reason, path),
        "{e}"
    );
    waprice::reasons::check(&e).unwrap_or_else(|m| panic!("{m}"));
    e
}

/// The parameter `name` of `e`.
#[track_caller]
fn param<'e>(e: &'e Error, name: &str) -> &'e P {
    e.params
        .as_deref()
        .and_then(|p| p.get(name))
        .unwrap_or_else(|| panic!("{e} has no parameter {name}"))
}

fn text(s: &str) -> P {
    P::Text(s.to_string())
}

#[test]
fn shape_errors_of_json_name_the_value_and_what_was_expected() {
    use ErrorCode::InvalidInput as I;
    let e = reason(
        simulate(json!({ "currency": 5 })),
        I,
        "wrong_type",
        "currency",
    );
    assert_eq!(param(&e, "value"), &text("5"));
    assert_eq!(param(&e, "expected"), &P::Term("text"));
    let e = reason(
        simulate(json!({ "events": { "at": 1 } })),
        I,
        "wrong_type",
        "events",
    );
    assert_eq!(
        (param(&e, "value"), param(&e, "expected")),
        (&text("{…}"), &P::Term("list"))
    );
    let e = reason(
        simulate(json!({ "options": { "fepHours": "abc" } })),
        I,
        "wrong_type",
        "options.fepHours",
    );
    assert_eq!(
        (param(&e, "value"), param(&e, "expected")),
        (&text("abc"), &P::Term("number"))
    );
    let e = reason(
        simulate(json!({ "options": { "nonprofit": "yes" } })),
        I,
        "wrong_type",
        "options.nonprofit",
    );
    assert_eq!(param(&e, "expected"), &P::Term("boolean"));
    let e = reason(
        simulate(one(json!({ "at": true, "user": USER, "kind": "inbound" }))),
        I,
        "wrong_type",
        "events[0].at",
    );
    assert_eq!(
        (param(&e, "value"), param(&e, "expected")),
        (&text("true"), &P::Term("instant"))
    );
    let e = reason(
        simulate(json!({ "business": "acme" })),
        I,
        "wrong_type",
        "business",
    );
    assert_eq!(
        (param(&e, "value"), param(&e, "expected")),
        (&text("acme"), &P::Term("object"))
    );
    let e = reason(
        simulate(json!({ "currency": ["USD"] })),
        I,
        "wrong_type",
        "currency",
    );
    assert_eq!(
        (param(&e, "value"), param(&e, "expected")),
        (&text("[…]"), &P::Term("text"))
    );
    // A number written with a comma gets its own reason (the hint of the message).
    let e = reason(
        scenario(json!({ "audience": { "contacts": "50,000" } })),
        I,
        "comma_number",
        "audience.contacts",
    );
    assert_eq!(param(&e, "value"), &text("50,000"));
    let e = reason(
        simulate(json!({ "options": { "fepHour": 3 }, "events": [] })),
        I,
        "unknown_field",
        "options.fepHour",
    );
    assert_eq!(param(&e, "field"), &text("fepHour"));
    let e = reason(
        simulate_text(r#"{"currency":"USD","currency":"EUR","events":[]}"#),
        I,
        "duplicate_field",
        "currency",
    );
    assert_eq!(param(&e, "field"), &text("currency"));
    let e = reason(
        simulate_text("{\n  \"currency\": \"USD\",\n  \"events\": [}\n}"),
        I,
        "syntax",
        "events[0]",
    );
    assert_eq!(
        (param(&e, "line"), param(&e, "column")),
        (&P::Count(3), &P::Count(14))
    );
    let e = reason(
        from_json::<RawRequest>(b"{\"currency\":\"\xff\"}", "").map(|_| ()),
        I,
        "not_utf8",
        "",
    );
    assert_eq!(param(&e, "byte"), &P::Count(13));
    let e = reason(
        non_finite_number(br#"{"options":{"fepHours":"\u0000non-finite:NaN"}}"#, ""),
        I,
        "not_finite",
        "options.fepHours",
    );
    assert_eq!(param(&e, "value"), &text("NaN"));
}

/// An input type of a caller's own, read with the engine's reader: serde's other shape errors.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
enum Scope {
    #[serde(rename = "number")]
    Number,
    #[serde(rename = "waba")]
    Waba,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Price {
    amount: u32,
    currency: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
#[allow(dead_code)]
enum OneOrTwo {
    One(u32),
    Two(u32, u32),
}

#[test]
fn other_shape_errors_of_an_input_type() {
    let e = reason(
        from_json::<Scope>(br#""portfolio""#, "scope").map(|_| ()),
        ErrorCode::InvalidInput,
        "unknown_variant",
        "scope",
    );
    assert_eq!(param(&e, "value"), &text("portfolio"));
    let e = reason(
        from_json::<Vec<Price>>(br#"[{"amount": 1}, {"currency": "USD"}]"#, "prices").map(|_| ()),
        ErrorCode::InvalidInput,
        "missing_field",
        // The missing field's own path, not the object's last key (`prices[1].currency`).
        "prices[1].amount",
    );
    assert_eq!(param(&e, "field"), &text("amount"));
    let e = reason(
        from_json::<OneOrTwo>(br#"[1, 2, 3]"#, "pair").map(|_| ()),
        ErrorCode::InvalidInput,
        "wrong_shape",
        "pair",
    );
    assert!(e.message.starts_with("invalid input: "), "{e}");
}

#[test]
fn events_name_their_fault() {
    use ErrorCode::*;
    let e = reason(
        simulate(one(json!({ "user": USER, "kind": "inbound" }))),
        InvalidInput,
        "missing_field",
        "events[0].at",
    );
    assert_eq!(param(&e, "field"), &text("at"));
    reason(
        simulate(one(json!({ "at": T, "kind": "inbound" }))),
        InvalidPhone,
        "missing_user",
        "events[0].user",
    );
    let e = reason(
        simulate(one(
            json!({ "at": T, "user": USER, "kind": "inbound", "referral": "facebook" }),
        )),
        InvalidInput,
        "invalid_referral",
        "events[0].referral",
    );
    assert_eq!(param(&e, "value"), &text("facebook"));
    reason(
        simulate(one(json!({ "at": T, "user": USER, "kind": "template" }))),
        InvalidCategory,
        "missing_category",
        "events[0].category",
    );
    let e = reason(
        simulate(one(
            json!({ "at": T, "user": USER, "kind": "direct_send", "category": "promo" }),
        )),
        InvalidCategory,
        "",
        "events[0].category",
    );
    assert_eq!(param(&e, "value"), &text("promo"));
    let e = reason(
        simulate(one(json!({ "at": 1.5, "user": USER, "kind": "inbound" }))),
        InvalidInstant,
        "millis_not_whole",
        "events[0].at",
    );
    assert_eq!(param(&e, "value"), &text("1.5"));
    let e = reason(
        simulate(one(json!({ "at": 1e15, "user": USER, "kind": "inbound" }))),
        InvalidInstant,
        "instant_out_of_range",
        "events[0].at",
    );
    assert_eq!(param(&e, "value"), &text("1000000000000000"));
    let e = reason(
        simulate(json!({ "options": { "messages": "some" }, "events": [] })),
        InvalidOption,
        "not_a_choice",
        "options.messages",
    );
    assert_eq!(
        (param(&e, "value"), param(&e, "allowed")),
        (&text("some"), &text("all, none"))
    );
    let e = reason(
        simulate(json!({ "options": { "serviceAllowanceScope": "account" }, "events": [] })),
        InvalidOption,
        "not_a_choice",
        "options.serviceAllowanceScope",
    );
    assert_eq!(param(&e, "allowed"), &text("number, waba"));
}

#[test]
fn the_default_sentences_carry_the_value() {
    use ErrorCode::*;
    let ev = |f: Value| {
        let mut e = json!({ "at": T, "user": USER, "kind": "inbound" });
        for (k, v) in f.as_object().unwrap() {
            e[k] = v.clone();
        }
        simulate(one(e))
    };
    for (r, code, path, value) in [
        (
            ev(json!({ "user": "+91 98" })),
            InvalidPhone,
            "events[0].user",
            "+91 98",
        ),
        (
            ev(json!({ "at": "yesterday" })),
            InvalidInstant,
            "events[0].at",
            "yesterday",
        ),
        (
            ev(json!({ "kind": "sms" })),
            InvalidKind,
            "events[0].kind",
            "sms",
        ),
        (
            ev(json!({ "kind": "template", "category": "utility", "status": "lost" })),
            InvalidStatus,
            "events[0].status",
            "lost",
        ),
        (
            simulate(json!({ "timezone": "Mars/Olympus", "events": [] })),
            InvalidTimezone,
            "timezone",
            "Mars/Olympus",
        ),
        (
            simulate(json!({ "currency": "US$", "events": [] })),
            InvalidCurrency,
            "currency",
            "US$",
        ),
        (
            simulate(json!({ "options": { "unlistedNanpMarket": "Atlantis" }, "events": [] })),
            UnknownMarket,
            "options.unlistedNanpMarket",
            "Atlantis",
        ),
        (
            simulate(json!({ "business": { "country": "XYZ" }, "events": [] })),
            UnknownCountry,
            "business.country",
            "XYZ",
        ),
        (
            simulate(
                json!({ "business": { "authInternational": { "IN": "soon" } }, "events": [] }),
            ),
            InvalidDate,
            "business.authInternational.IN",
            "soon",
        ),
        (
            simulate(json!({ "options": { "fepHours": 745 }, "events": [] })),
            InvalidOption,
            "options.fepHours",
            "745",
        ),
    ] {
        let e = reason(r, code, "", path);
        assert_eq!(param(&e, "value"), &text(value), "{e}");
    }
    let e = reason(
        simulate(json!({ "options": { "fepHours": 0 }, "events": [] })),
        InvalidOption,
        "",
        "options.fepHours",
    );
    assert_eq!(
        (param(&e, "min"), param(&e, "max")),
        (&P::Number(1.into()), &P::Number(744.into()))
    );
    let e = reason(
        simulate(one(
            json!({ "at": "2021-01-01T00:00:00Z", "user": USER, "kind": "template", "category": "utility" }),
        )),
        UnsupportedDate,
        "",
        "events[0].at",
    );
    assert_eq!(param(&e, "date"), &P::Date(ymd(2021, 1, 1)));
}

/// Group messages (SPEC §15; Groups API pricing page, 2025-10-22): what a group message must and
/// must not name.
#[test]
fn group_messages_name_their_fault() {
    use ErrorCode::*;
    let g = |e: Value| simulate(one(e));
    let p = |n: u32| format!("+9198123450{n:02}");
    let tpl = json!({ "at": T, "kind": "template", "category": "marketing", "group": "g1" });
    let with = |mut base: Value, k: &str, v: Value| {
        base[k] = v;
        base
    };
    reason(
        g(json!({ "at": T, "kind": "message", "participants": [p(1)] })),
        InvalidInput,
        "group_missing_id",
        "events[0].group",
    );
    reason(
        g(json!({ "at": T, "user": USER, "kind": "inbound", "referral": "ctwa", "group": "g1" })),
        InvalidInput,
        "group_from_ad",
        "events[0].referral",
    );
    reason(
        g(
            json!({ "at": T, "user": USER, "kind": "inbound", "group": "g1", "participants": [p(1)] }),
        ),
        InvalidInput,
        "group_writer_only",
        "events[0].participants",
    );
    reason(
        g(with(tpl.clone(), "user", json!(USER))),
        InvalidInput,
        "group_user_given",
        "events[0].user",
    );
    let e = reason(
        g(with(tpl.clone(), "participants", json!([p(1), p(2), p(1)]))),
        InvalidInput,
        "participant_twice",
        "events[0].participants[2]",
    );
    assert_eq!(param(&e, "value"), &text(&p(1)));
    reason(
        g(tpl.clone()),
        InvalidInput,
        "group_no_participants",
        "events[0].participants",
    );
    reason(
        g(
            json!({ "at": T, "kind": "template", "category": "authentication", "group": "g1", "participants": [p(1)] }),
        ),
        InvalidKind,
        "group_kind",
        "events[0].category",
    );
    let nine: Vec<String> = (1..=9).map(p).collect();
    let e = reason(
        g(with(tpl.clone(), "participants", json!(nine))),
        LimitExceeded,
        "group_too_large",
        "events[0].participants",
    );
    assert_eq!(
        (param(&e, "value"), param(&e, "limit")),
        (&text("g1"), &P::Count(8))
    );
    // A single event is read on its own only outside a group.
    let text = with(tpl, "participants", json!([p(1)])).to_string();
    let raw: RawEvent = from_json(text.as_bytes(), "").unwrap();
    reason(
        raw.resolve(4).map(|_| ()),
        InvalidInput,
        "group_not_here",
        "events[4].group",
    );
}

fn request(currency: &str) -> Request {
    Request {
        currency: currency.to_string(),
        zone: Zone::UTC,
        business: Default::default(),
        options: Default::default(),
        events: Vec::new(),
        sources: Default::default(),
    }
}

fn event(at: &str, kind: EventKind, status: Status) -> Event {
    let user = waprice::markets::Phone::parse(USER, "user").unwrap();
    Event {
        at: parse_instant(at, "at").unwrap(),
        user,
        kind,
        from: None,
        status,
    }
}

#[test]
fn streams_name_an_event_out_of_order_or_a_late_delivered_one() {
    let engine = engine();
    let req = request("USD");
    let mut sim = Simulator::new(&engine, &req).unwrap();
    sim.push(&event(T, EventKind::Message, Status::Delivered))
        .unwrap();
    let e = reason(
        sim.push(&event(
            "2026-10-05T09:00:00Z",
            EventKind::Message,
            Status::Delivered,
        ))
        .map(|_| ()),
        ErrorCode::InvalidInput,
        "out_of_order",
        "events[1].at",
    );
    assert_eq!(
        (param(&e, "value"), param(&e, "previous")),
        (&text("2026-10-05T09:00:00Z"), &text(T))
    );
    reason(
        sim.push_late_undelivered(&event(T, EventKind::Message, Status::Delivered))
            .map(|_| ()),
        ErrorCode::InvalidInput,
        "late_delivered",
        "events[1].status",
    );
}

#[test]
fn missing_rates_name_the_currency_and_what_the_data_holds() {
    use ErrorCode::MissingRate;
    let e = reason(
        simulate(
            json!({ "currency": "XYZ", "events": [{ "at": T, "user": USER, "kind": "template", "category": "utility" }] }),
        ),
        MissingRate,
        "no_card",
        "currency",
    );
    assert_eq!(param(&e, "currency"), &P::Currency("XYZ".into()));
    let P::Text(held) = param(&e, "currencies") else {
        panic!("{e}")
    };
    assert!(held.split(", ").any(|c| c == "USD"), "{held}");
    let engine = engine();
    let at = parse_instant(T, "at").unwrap();
    let e = reason(
        engine.rate_card(at, &Zone::UTC, "XYZ").map(|_| ()),
        MissingRate,
        "no_card_on_date",
        "currency",
    );
    assert_eq!(
        (param(&e, "currency"), param(&e, "date")),
        (&P::Currency("XYZ".into()), &P::Date(ymd(2026, 10, 5)))
    );
    let e = reason(
        engine
            .rate(at, &Zone::UTC, "USD", "India", "telemarketing")
            .map(|_| ()),
        ErrorCode::InvalidCategory,
        "rate_category",
        "category",
    );
    assert_eq!(param(&e, "value"), &text("telemarketing"));
    // A rate no row provides (SPEC §13.10): EUR cards price from 2024-01-01 on, per Meta's
    // currency announcement; before, no EUR row exists.
    let e = reason(
        engine
            .rate(
                parse_instant("2023-06-01T00:00:00Z", "at").unwrap(),
                &Zone::UTC,
                "EUR",
                "India",
                "marketing",
            )
            .map(|_| ()),
        MissingRate,
        "no_rate",
        "",
    );
    assert_eq!(
        (param(&e, "market"), param(&e, "date")),
        (&P::Market("India".into()), &P::Date(ymd(2023, 6, 1)))
    );
}

#[test]
fn estimates_name_their_limits() {
    let e = reason(
        compare(&engine(), &Scenario::default(), &[]).map(|_| ()),
        ErrorCode::InvalidInput,
        "date_count",
        "dates",
    );
    assert_eq!(
        (param(&e, "count"), param(&e, "limit")),
        (&P::Count(0), &P::Count(12))
    );
    let steps = vec![json!({ "afterHours": 0, "kind": "template", "category": "utility" }); 500];
    let mix: Vec<Value> = ["IN", "BR", "ID", "MX", "DE"]
        .iter()
        .map(|c| json!({ "country": c, "share": 20 }))
        .collect();
    let e = reason(
        scenario(json!({
            "audience": { "contacts": 1000, "mix": mix },
            "journeys": [{ "steps": steps, "timesPerMonth": 1000 }],
        })),
        ErrorCode::LimitExceeded,
        "estimate_too_large",
        "journeys",
    );
    assert_eq!(param(&e, "limit"), &P::Count(2_000_000));
    reason(
        scenario(json!({
            "audience": { "contacts": 1e12, "mix": [{ "country": "IN", "share": 100 }] },
            "journeys": [{ "preset": "otp_login", "timesPerMonth": 1000 }],
            "reseller": { "perOutbound": "79228162514264337593543950335" },
        })),
        ErrorCode::Overflow,
        "decimal_range",
        "",
    );
}
