//! The opening state of a log that starts in the middle of a month: the service messages a
//! number had used and the charged messages that set the volume-tier position before the log's
//! first message (SPEC §7.4, §8).
//!
//! Expectations come from Meta's pricing page (updated 2026-09-30): from 2026-10-01 the first
//! 1,000 delivered service messages per business phone number per month are free and the rest
//! are charged at the service rate; utility volume tiers count the charged messages of the month
//! per market (Egypt, USD card of 2026-10-01: band 1 up to 100,000 at 0.0036, band 2 at 0.0034,
//! SPEC §11 example 5).

use super::*;

/// A log of 2026-10-20 (mid-month): an Egyptian customer writes, the number +15550001111 answers
/// with three free-form messages, then two utility templates go out.
const MID_MONTH: &str = "at,user,kind,category,from\n\
2026-10-20T09:00:00Z,+201001234567,inbound,,\n\
2026-10-20T09:01:00Z,+201001234567,message,,+15550001111\n\
2026-10-20T09:02:00Z,+201001234567,message,,+15550001111\n\
2026-10-20T09:03:00Z,+201001234567,message,,+15550001111\n\
2026-10-20T10:00:00Z,+201001234568,template,utility,+15550001111\n\
2026-10-20T10:01:00Z,+201001234569,template,utility,+15550001111\n";

#[test]
fn without_an_opening_state_the_month_starts_at_zero() {
    let engine = common::engine();
    let r = price(&engine, json!({ "format": "csv" }), MID_MONTH.as_bytes());
    let t = r.totals.as_ref().unwrap();
    // Three service messages within the 1,000 (free), two utility templates in band 1.
    assert_eq!(common::dec(&t.amount), common::dec("0.0072"));
    assert_eq!(t.by_type["free_customer_service"], 3);
    assert_eq!(t.charged, 2);
}

#[test]
fn an_opening_state_starts_the_allowance_and_the_tiers_where_the_month_was() {
    let engine = common::engine();
    let opening = json!({
        "service": { "+15550001111": 999 },
        "charged": { "Egypt": { "utility": 99_999 } }
    });
    let r = price(
        &engine,
        json!({ "format": "csv", "opening": opening }),
        MID_MONTH.as_bytes(),
    );
    let t = r.totals.as_ref().unwrap();
    // Service: the 1,000th message is free, the 1,001st and 1,002nd cost Egypt's service rate
    // 0.0036 each. Utility: the 100,000th message is in band 1 (0.0036), the 100,001st in band
    // 2 (0.0034). Total 2 × 0.0036 + 0.0036 + 0.0034 = 0.0142.
    assert_eq!(common::dec(&t.amount), common::dec("0.0142"));
    assert_eq!(t.by_type["free_customer_service"], 1);
    assert_eq!(t.charged, 4);
    assert_eq!(
        common::dec(&t.by_category["service"]),
        common::dec("0.0072")
    );
    assert_eq!(
        common::dec(&t.by_category["utility"]),
        common::dec("0.0070")
    );
    // Another number's opening count does not touch this number's allowance.
    let other = json!({ "service": { "+15550002222": 999, "default": 999 } });
    let r = price(
        &engine,
        json!({ "format": "csv", "opening": other }),
        MID_MONTH.as_bytes(),
    );
    assert_eq!(
        r.totals.as_ref().unwrap().by_type["free_customer_service"],
        3
    );
    // With the account scope (SPEC §12) every number's count is summed: 999 + 999 ≥ 1,000, so
    // all three are charged.
    let r = price(
        &engine,
        json!({ "format": "csv", "opening": other, "options": { "serviceAllowanceScope": "waba" } }),
        MID_MONTH.as_bytes(),
    );
    assert_eq!(
        r.totals.as_ref().unwrap().by_type["free_customer_service"],
        0
    );
}

/// An opening state of a later month than the log's first message counts from that month.
#[test]
fn an_opening_state_of_a_named_month() {
    let engine = common::engine();
    // Two utility templates on 2026-09-30 (band 1), then the log of 2026-10-20.
    let log = MID_MONTH.replacen(
        "from\n",
        "from\n2026-09-30T10:00:00Z,+201001234570,template,utility,+15550001111\n2026-09-30T10:01:00Z,+201001234571,template,utility,+15550001111\n",
        1,
    );
    let opening = json!({ "month": "2026-10", "charged": { "Egypt": { "utility": 99_999 } } });
    let r = price(
        &engine,
        json!({ "format": "csv", "opening": opening }),
        log.as_bytes(),
    );
    let t = r.totals.as_ref().unwrap();
    // September: 2 × 0.0036 (its own count); October: 0.0036 + 0.0034 as above.
    assert_eq!(
        common::dec(&t.by_category["utility"]),
        common::dec("0.0142")
    );
    // A month before the log's first message is not counted, and said so.
    let opening = json!({ "month": "2026-08", "charged": { "Egypt": { "utility": 99_999 } } });
    let r = price(
        &engine,
        json!({ "format": "csv", "opening": opening }),
        log.as_bytes(),
    );
    assert_eq!(
        common::dec(&r.totals.as_ref().unwrap().by_category["utility"]),
        common::dec("0.0144")
    );
    assert!(to_value(&r)["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["code"] == "opening_not_used"));
}

#[test]
fn the_what_if_starts_from_the_same_opening_state() {
    let engine = common::engine();
    let opening = json!({ "charged": { "Egypt": { "utility": 99_999 } } });
    let r = price(
        &engine,
        json!({ "format": "csv", "opening": opening, "whatIf": { "date": "2026-11-01" } }),
        MID_MONTH.as_bytes(),
    );
    let w = r.what_if.as_ref().unwrap();
    assert_eq!(
        common::dec(&w.totals.by_category["utility"]),
        common::dec("0.0070")
    );
}

#[test]
fn an_opening_state_the_era_does_not_count_is_said() {
    let engine = common::engine();
    // September 2026: no service allowance yet (free-form is free in the window).
    let log = MID_MONTH.replace("2026-10-20", "2026-09-20");
    let r = price(
        &engine,
        json!({ "format": "csv", "opening": { "service": { "+15550001111": 999 } } }),
        log.as_bytes(),
    );
    let v = to_value(&r);
    let warnings = v["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| w["code"] == "opening_not_used"),
        "{warnings:?}"
    );
}

fn opening_error(opening: Value) -> Error {
    let engine = common::engine();
    let raw: RawLogOptions =
        serde_json::from_value(json!({ "format": "csv", "opening": opening })).unwrap();
    LogOptions::resolve(&raw, &engine).unwrap_err()
}

#[test]
fn a_bad_opening_state_is_refused_naming_the_field() {
    let e = opening_error(json!({ "charged": { "Atlantis": { "utility": 5 } } }));
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::UnknownMarket, "opening.charged.Atlantis")
    );
    assert!(e.message.contains("\"Atlantis\""), "{}", e.message);
    let e = opening_error(json!({ "charged": { "India": { "marketing": 5 } } }));
    assert_eq!(
        (e.code, e.path.as_str()),
        (
            ErrorCode::InvalidCategory,
            "opening.charged.India.marketing"
        )
    );
    let e = opening_error(json!({ "charged": { "India": { "utility": -1 } } }));
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidOption, "opening.charged.India.utility")
    );
    assert!(e.message.contains("-1"), "{}", e.message);
    let e = opening_error(json!({ "service": { "+15550001111": 2.5 } }));
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidOption, "opening.service.+15550001111")
    );
    assert!(e.message.contains("2.5"), "{}", e.message);
    let e = opening_error(json!({ "month": "2026-13" }));
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidDate, "opening.month")
    );
    assert!(e.message.contains("\"2026-13\""), "{}", e.message);
    let e = opening_error(json!({ "service": { "15550001111": 3 } }));
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidPhone, "opening.service.15550001111")
    );
}
