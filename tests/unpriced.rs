//! Never a silent zero: a scenario whose traffic needs a rate the data lacks (no row for the
//! market × category on the card of the date, in the billing currency) is priced as far as it
//! can be and says `complete: false`, listing the unpriced lines (SPEC §5; issue 20).
//!
//! The gaps asserted are those of the embedded data (data/PROVENANCE.md lists every row and its
//! source): no GBP card at all; no India authentication conversation rate in force on 2024-02-15
//! in INR (the INR card of 2023-06-01 has marketing and utility only); no EUR per-message card
//! before 2026-07-01.

mod common;
use common::*;
use serde_json::{json, Value};
use waprice::estimate::{compare, estimate, Estimate};
use waprice::quote::{quote, QuoteMeta};
use waprice::report::Unpriced;
use waprice::scenario::Scenario;
use waprice::time::parse_date;

fn scenario(v: Value) -> Scenario {
    serde_json::from_value(v).expect("scenario shape")
}

fn est(v: Value) -> Estimate {
    estimate(&engine(), &scenario(v), None).unwrap_or_else(|e| panic!("estimate failed: {e}"))
}

fn line(market: &str, category: &str, messages: u64) -> Unpriced {
    Unpriced {
        market: market.to_string(),
        category: category.to_string(),
        messages,
    }
}

fn otp_india(currency: &str, date: &str) -> Value {
    json!({
        "business": { "currency": currency, "date": date },
        "audience": { "contacts": 100000, "mix": [{ "country": "IN", "share": 100 }] },
        "journeys": [{ "preset": "otp_login" }],
    })
}

/// Issue 20's example: 100,000 OTP messages to India on 2024-02-15 billed in INR totalled 0.
/// On 2024-02-15 the conversation era prices an authentication conversation per opener; the
/// data has no INR card in force then, so all 100,000 are unpriced.
#[test]
fn inr_otp_to_india_in_february_2024_is_incomplete() {
    let e = est(otp_india("INR", "2024-02-15"));
    assert!(!e.complete);
    assert_eq!(e.unpriced, vec![line("India", "authentication", 100_000)]);
    assert_eq!(dec(&e.total), dec("0"));
    // The line has no average rate (it would read as a rate of 0).
    assert_eq!(e.meta.lines[0].rate, None);
    assert!(e.warnings.iter().any(|w| w.code == "missing_rate"));
}

/// GBP: Meta bills in it (SPEC §5) but the data holds no GBP card: every charged message is
/// unpriced, the estimate does not fail.
#[test]
fn gbp_without_a_loaded_card_is_incomplete() {
    let e = est(json!({
        "business": { "currency": "GBP", "date": "2026-10-15" },
        "audience": { "contacts": 1000, "mix": [{ "country": "GB", "share": 60 }, { "country": "DE", "share": 40 }] },
        "journeys": [{ "preset": "marketing_campaign" }],
    }));
    assert!(!e.complete);
    assert_eq!(
        e.unpriced,
        vec![
            line("Germany", "marketing", 400),
            line("United Kingdom", "marketing", 600)
        ]
    );
    assert_eq!(dec(&e.total), dec("0"));
    assert!(e.cards.is_empty());
}

/// EUR in April 2026: the data's EUR per-message cards start on 2026-07-01, so every charged
/// message of April is unpriced (issue 20 saw "€570 for 588,000 charged messages" there).
#[test]
fn eur_in_april_2026_is_incomplete() {
    let e = est(json!({
        "business": { "currency": "EUR", "date": "2026-04-15" },
        "audience": { "contacts": 2000, "mix": [{ "country": "DE", "share": 50 }, { "country": "FR", "share": 50 }] },
        "journeys": [{ "preset": "marketing_campaign" }],
    }));
    assert!(!e.complete);
    assert_eq!(
        e.unpriced,
        vec![
            line("France", "marketing", 1000),
            line("Germany", "marketing", 1000)
        ]
    );
    // The same traffic in July, on the 2026-07-01 EUR card, is complete.
    let e = est(json!({
        "business": { "currency": "EUR", "date": "2026-07-15" },
        "audience": { "contacts": 2000, "mix": [{ "country": "DE", "share": 50 }, { "country": "FR", "share": 50 }] },
        "journeys": [{ "preset": "marketing_campaign" }],
    }));
    assert!(e.complete, "{:?}", e.unpriced);
}

/// A code that is not one of Meta's billing currencies stays an error.
#[test]
fn a_currency_meta_does_not_bill_in_is_still_an_error() {
    let err = estimate(&engine(), &scenario(otp_india("XAU", "2026-10-15")), None).unwrap_err();
    assert_eq!(err.code, waprice::ErrorCode::MissingRate);
    assert_eq!(err.path, "business.currency");
}

/// Covered scenarios say so: USD on 2024-02-15 and INR on 2026-10-15 price India's OTPs.
#[test]
fn covered_scenarios_are_complete() {
    for (cur, date) in [("USD", "2026-10-15"), ("INR", "2026-10-15")] {
        let e = est(otp_india(cur, date));
        assert!(e.complete, "{cur} {date}: {:?}", e.unpriced);
        assert!(e.unpriced.is_empty());
        assert!(dec(&e.total) > dec("0"));
    }
}

/// Compare: each date says whether it is complete; the comparison as a whole too.
#[test]
fn compare_marks_each_date() {
    let s = scenario(otp_india("INR", "2026-10-15"));
    let dates = [
        parse_date("2024-02-15", "d").unwrap(),
        parse_date("2026-10-15", "d").unwrap(),
    ];
    let c = compare(&engine(), &s, &dates).unwrap();
    assert!(!c.estimates[0].complete);
    assert_eq!(
        c.estimates[0].unpriced,
        vec![line("India", "authentication", 100_000)]
    );
    assert!(c.estimates[1].complete);
    assert!(!c.complete);
}

/// A quote of an incomplete estimate is a draft, with the reason; a complete one is final.
#[test]
fn an_incomplete_quote_is_a_draft() {
    let meta = QuoteMeta {
        issued: Some("2024-02-01".to_string()),
        ..QuoteMeta::default()
    };
    let q = quote(&engine(), &scenario(otp_india("INR", "2024-02-15")), &meta).unwrap();
    assert_eq!(q.status, "draft");
    assert_eq!(q.draft_reason, Some("unpriced"));
    assert!(!q.complete);
    assert_eq!(q.unpriced, vec![line("India", "authentication", 100_000)]);
    assert!(
        !q.assumptions[0].contains("none needed"),
        "{}",
        q.assumptions[0]
    );
    let q = quote(&engine(), &scenario(otp_india("USD", "2026-10-15")), &meta).unwrap();
    assert_eq!(q.status, "final");
    assert_eq!(q.draft_reason, None);
    assert!(q.complete);
}
