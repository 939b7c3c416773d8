//! The figures of `data/` and rate cards loaded from files, checked through estimates whose
//! arithmetic is written in each test.

mod common;
use common::*;
use serde_json::{json, Value};
use waprice::estimate::{estimate, Estimate};
use waprice::scenario::Scenario;

fn est(v: Value) -> Estimate {
    let s: Scenario = serde_json::from_value(v).expect("scenario shape");
    estimate(&engine(), &s, None).unwrap_or_else(|e| panic!("estimate failed: {e}"))
}

/// INR India, 2026-01-01 (data/PROVENANCE.md, third pass: S50 richautomate.in, "On 1 January 2026,
/// Meta lifted the India marketing conversation rate from ₹0.7846 to ₹0.8631"; S51, S52).
/// 3,000 Indian contacts get one marketing template on 2026-02-10: 3,000 × 0.8631 = 2589.3 INR.
/// Without the 2026-01-01 row the 2025-10-01 rate (0.7846) would give 2353.8.
#[test]
fn inr_india_marketing_on_the_2026_01_01_card() {
    let e = est(json!({
        "business": { "date": "2026-02-10", "currency": "INR" },
        "audience": { "contacts": 3000, "mix": [{ "country": "IN", "share": 100 }] },
        "journeys": [{ "preset": "marketing_campaign", "params": { "replyShare": 0 } }],
    }));
    assert_eq!(dec(&e.total), dec("2589.3"));
    assert_eq!(e.cards[0].date, "2026-01-01");
    assert_eq!(e.cards[0].currency, "INR");
}

/// INR India, 2023-06-01 (data/PROVENANCE.md, third pass: S49 techcircle.in, 2023-05-31, "₹0.3082 …
/// utility … marketing … ₹0.7265"). 2,000 Indian contacts get one marketing template on
/// 2023-07-10; half reply once and the agent's reply rides in the marketing conversation:
/// 2,000 × 0.7265 = 1453 INR. Before this row the data held no INR conversation-era rate.
#[test]
fn inr_india_marketing_on_the_2023_06_01_card() {
    let e = est(json!({
        "business": { "date": "2023-07-10", "currency": "INR" },
        "audience": { "contacts": 2000, "mix": [{ "country": "IN", "share": 100 }] },
        "journeys": [{ "preset": "marketing_campaign", "params": { "replyShare": 50, "repliesPerChat": 1 } }],
    }));
    assert_eq!(dec(&e.total), dec("1453"));
    assert_eq!(e.cards[0].date, "2023-06-01");
}
