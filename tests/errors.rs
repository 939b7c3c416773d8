//! The error contract (docs/errors.md): every code of `ErrorCode::ALL` is produced through the
//! public API by an input written here, with its documented path and a message naming the value;
//! and the documented limits are enforced with `limit_exceeded`.

use serde_json::{json, Value};
use waprice::estimate::estimate;
use waprice::input::{from_json, RawRequest};
use waprice::metafile::LoadOptions;
use waprice::quote::decode;
use waprice::scenario::Scenario;
use waprice::{CustomData, Engine, Error, ErrorCode};

fn engine() -> Engine {
    Engine::new().expect("embedded data loads")
}

fn simulate(req: Value) -> Result<(), Error> {
    let text = req.to_string();
    let raw: RawRequest = from_json(text.as_bytes(), "")?;
    engine().simulate(raw).map(|_| ())
}

fn one(event: Value) -> Value {
    json!({ "events": [event] })
}

fn scenario(v: Value) -> Result<(), Error> {
    let s: Scenario = from_json(v.to_string().as_bytes(), "")?;
    estimate(&engine(), &s, None).map(|_| ())
}

fn custom(kind: &str, text: &str) -> Result<(), Error> {
    let mut c = CustomData::default();
    match kind {
        "rates" => c.rates.push(text.to_string()),
        "tiers" => c.tiers.push(text.to_string()),
        _ => c.markets.push(text.to_string()),
    }
    Engine::with_data(&c).map(|_| ())
}

const T: &str = "2026-10-05T10:00:00Z";
const USER: &str = "+201001234567";

/// One input per code: (code, result, expected path, text the message must name).
fn cases() -> Vec<(ErrorCode, Result<(), Error>, &'static str, &'static str)> {
    use ErrorCode::*;
    let big_share = |n: usize| {
        json!({
            "audience": { "contacts": 10, "mix": vec![json!({ "country": "IN", "count": 0 }); n] },
            "journeys": [{ "preset": "otp_login" }],
        })
    };
    vec![
        (
            InvalidInput,
            simulate(json!({ "currency": 5 })),
            "currency",
            "5",
        ),
        (
            InvalidInput,
            simulate(one(json!({ "user": USER, "kind": "inbound" }))),
            "events[0].at",
            "`at`",
        ),
        (
            InvalidPhone,
            simulate(one(
                json!({ "at": T, "user": "+0123456789", "kind": "inbound" }),
            )),
            "events[0].user",
            "+0123456789",
        ),
        (
            InvalidInstant,
            simulate(one(
                json!({ "at": "yesterday", "user": USER, "kind": "inbound" }),
            )),
            "events[0].at",
            "yesterday",
        ),
        (
            InvalidInstant,
            simulate(one(json!({ "at": 1.5, "user": USER, "kind": "inbound" }))),
            "events[0].at",
            "1.5",
        ),
        (
            InvalidDate,
            simulate(
                json!({ "business": { "authInternational": { "ID": "2025-13-01" } }, "events": [] }),
            ),
            "business.authInternational.ID",
            "2025-13-01",
        ),
        (
            InvalidTimezone,
            simulate(json!({ "timezone": "Mars/Olympus", "events": [] })),
            "timezone",
            "Mars/Olympus",
        ),
        (
            InvalidCurrency,
            simulate(json!({ "currency": "US$", "events": [] })),
            "currency",
            "US$",
        ),
        (
            InvalidKind,
            simulate(one(json!({ "at": T, "user": USER, "kind": "sms" }))),
            "events[0].kind",
            "sms",
        ),
        (
            InvalidCategory,
            simulate(one(
                json!({ "at": T, "user": USER, "kind": "template", "category": "promo" }),
            )),
            "events[0].category",
            "promo",
        ),
        (
            InvalidStatus,
            simulate(one(
                json!({ "at": T, "user": USER, "kind": "message", "status": "lost" }),
            )),
            "events[0].status",
            "lost",
        ),
        (
            InvalidOption,
            simulate(json!({ "options": { "fepHours": 9999 }, "events": [] })),
            "options.fepHours",
            "9999",
        ),
        (
            UnknownMarket,
            simulate(json!({ "options": { "unlistedNanpMarket": "Atlantis" }, "events": [] })),
            "options.unlistedNanpMarket",
            "Atlantis",
        ),
        (
            UnknownCountry,
            simulate(json!({ "business": { "country": "XYZ" }, "events": [] })),
            "business.country",
            "XYZ",
        ),
        (
            UnsupportedDate,
            simulate(one(
                json!({ "at": "2021-01-01T00:00:00Z", "user": USER, "kind": "template", "category": "utility" }),
            )),
            "events[0].at",
            "2021-01-01",
        ),
        (
            MissingRate,
            simulate(
                json!({ "currency": "XYZ", "events": [{ "at": T, "user": USER, "kind": "template", "category": "utility" }] }),
            ),
            "currency",
            "XYZ",
        ),
        (
            CsvError,
            custom("rates", "effective_date,currency\n2026-01-01,USD\n"),
            "rates (rates:1:3)",
            "market",
        ),
        (
            CsvError,
            custom(
                "tiers",
                &format!(
                    "{}\n2026-10-01,USD,India,utility,0,1,10,Tier rate,0.1,,low,S,\n",
                    TIER_HEADER
                ),
            ),
            "tiers (tiers:2:5)",
            "\"0\"",
        ),
        (
            LimitExceeded,
            scenario(big_share(401)),
            "audience.mix",
            "401",
        ),
        (
            LimitExceeded,
            scenario(
                json!({ "audience": { "contacts": 1e13, "mix": [{ "country": "IN", "share": 100 }] }, "journeys": [] }),
            ),
            "audience.contacts",
            "10000000000000",
        ),
        (
            Overflow,
            scenario(json!({
                "audience": { "contacts": 1e12, "mix": [{ "country": "IN", "share": 100 }] },
                "journeys": [{ "preset": "otp_login", "timesPerMonth": 1000 }],
                "reseller": { "perOutbound": "79228162514264337593543950335" },
            })),
            "",
            "decimal range",
        ),
        (
            InvalidEncoding,
            decode("w1.not base64!").map(|_| ()),
            "",
            "w1.not base64!",
        ),
        (InvalidEncoding, decode("hello").map(|_| ()), "", "hello"),
        (
            XlsxError,
            engine()
                .load_rate_file(b"PK\x03\x04 not a workbook", &LoadOptions::default())
                .map(|_| ()),
            "",
            "cannot be read as a spreadsheet",
        ),
    ]
}

const TIER_HEADER: &str = "effective_date,currency,market,category,tier,volume_from,volume_to,rate_type,rate,discount_vs_list,confidence,sources,note";

#[test]
fn every_code_is_produced_with_its_path_and_names_the_value() {
    let cases = cases();
    for code in ErrorCode::ALL {
        assert!(cases.iter().any(|c| c.0 == code), "no case produces {code}");
    }
    let doc = include_str!("../docs/errors.md");
    let mut wrong = Vec::new();
    for (code, result, path, named) in cases {
        let Err(e) = result else {
            wrong.push(format!("{code}: no error"));
            continue;
        };
        let lowercase = e.message.chars().next().is_some_and(|c| !c.is_uppercase());
        // The path, and where a text input is at fault its location (source:line:column).
        let at = match &e.loc {
            Some(l) => format!("{} ({l})", e.path),
            None => e.path.clone(),
        };
        if e.code != code || at != path || !e.message.contains(named) || !lowercase {
            wrong.push(format!(
                "expected {code} at {path:?} naming {named:?}, got {e}"
            ));
        }
        assert!(doc.contains(&format!("| `{}` |", code.as_str())));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn limits_are_enforced() {
    // Events per simulate call: checked before any work (the limit itself is 20,000,000).
    let e = waprice::pricing::MAX_EVENTS;
    assert_eq!(e, 20_000_000);
    // CSV size and rows.
    let huge = "x".repeat(waprice::data::MAX_CSV_BYTES + 1);
    let err = custom("rates", &huge).unwrap_err();
    assert_eq!(err.code, ErrorCode::LimitExceeded, "{err}");
    let mut rows = format!("{TIER_HEADER}\n");
    for _ in 0..=waprice::data::MAX_CSV_ROWS {
        rows.push_str("x,,,,,,,,,,,,\n"); // rows are counted before they are read
    }
    let err = custom("tiers", &rows).unwrap_err();
    assert_eq!(err.code, ErrorCode::LimitExceeded, "{err}");
    // Options at and beyond their ranges.
    for (opt, ok, bad) in [
        ("fepHours", 744.0, 745.0),
        ("serviceAllowance", 1e9, 1e9 + 1.0),
        ("conversationFreeTier", 1e9, 1e9 + 1.0),
    ] {
        assert!(
            simulate(json!({ "options": { opt: ok }, "events": [] })).is_ok(),
            "{opt} {ok}"
        );
        let err = simulate(json!({ "options": { opt: bad }, "events": [] })).unwrap_err();
        assert_eq!(
            (err.code, err.path.as_str()),
            (ErrorCode::InvalidOption, format!("options.{opt}").as_str())
        );
    }
    // Instants: years 1900 to 9999.
    for at in ["1899-12-31T23:59:59Z", "10000-01-01T00:00:00Z"] {
        let err = simulate(one(json!({ "at": at, "user": USER, "kind": "inbound" }))).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInstant, "{at}: {err}");
    }
    let err = simulate(one(json!({ "at": 1e300, "user": USER, "kind": "inbound" }))).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInstant, "{err}");
    // Scenario sizes.
    let journeys = vec![json!({ "preset": "otp_login" }); 51];
    let err = scenario(json!({ "audience": { "contacts": 1, "mix": [{ "country": "IN", "share": 100 }] }, "journeys": journeys })).unwrap_err();
    assert_eq!(
        (err.code, err.path.as_str()),
        (ErrorCode::LimitExceeded, "journeys")
    );
    let steps = vec![json!({ "afterHours": 0, "kind": "template", "category": "utility" }); 501];
    let err = scenario(json!({ "audience": { "contacts": 1, "mix": [{ "country": "IN", "share": 100 }] }, "journeys": [{ "steps": steps }] })).unwrap_err();
    assert_eq!(err.code, ErrorCode::LimitExceeded, "{err}");
    let err = decode(&format!("w1.{}", "A".repeat(waprice::quote::MAX_ENCODED))).unwrap_err();
    assert_eq!(err.code, ErrorCode::LimitExceeded, "{err}");
}

/// 10^12 contacts (the documented maximum) give an exact figure: 10^12 utility templates to Egypt
/// priced through the Egypt tier table, no overflow, no panic.
#[test]
fn a_trillion_contacts_give_an_exact_figure() {
    let s: Scenario = serde_json::from_value(json!({
        "business": { "date": "2026-10-01" },
        "audience": { "contacts": 1e12, "mix": [{ "country": "EG", "share": 100 }] },
        "journeys": [{ "preset": "order_lifecycle", "params": { "shipping": false, "delivery": false } }],
    }))
    .unwrap();
    let engine = engine();
    let est = estimate(&engine, &s, None).expect("a figure for 10^12 contacts");
    let book = engine.rates.currency("USD").unwrap();
    let egypt = engine.markets.id("Egypt").unwrap();
    let table = engine
        .rates
        .tier_table(
            book,
            egypt,
            waprice::model::Category::Utility,
            waprice::time::ymd(2026, 10, 1),
        )
        .unwrap();
    let expected = waprice::pricing::graduated(
        &engine.rates,
        table,
        rust_decimal::Decimal::from(1_000_000_000_000u64),
    )
    .unwrap();
    assert_eq!(
        est.total.parse::<rust_decimal::Decimal>().unwrap(),
        expected
    );
    // 10^12 contacts × 100 occurrences × 100 messages, with fees and markups: a figure or a clear
    // error, never a panic.
    let s: Scenario = serde_json::from_value(json!({
        "audience": { "contacts": 1e12, "mix": [{ "country": "IN", "share": 100 }] },
        "journeys": [{ "preset": "support", "timesPerMonth": 100, "params": { "agentReplies": 50, "customerMessages": 50 } }],
        "reseller": { "perOutbound": "1000000", "markupPercent": { "all": 1000 } },
    }))
    .unwrap();
    match estimate(&engine, &s, None) {
        Ok(e) => assert!(e.total.parse::<rust_decimal::Decimal>().is_ok()),
        Err(e) => assert!(
            matches!(e.code, ErrorCode::Overflow | ErrorCode::LimitExceeded),
            "{e}"
        ),
    }
}
