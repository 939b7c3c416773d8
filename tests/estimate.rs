//! Estimates with hand-computed expectations (the arithmetic is written in each test).

mod common;
use common::*;
use serde_json::{json, Value};
use waprice::estimate::{compare, estimate, Estimate};
use waprice::scenario::Scenario;
use waprice::time::parse_date;
use waprice::ErrorCode;

fn scenario(v: Value) -> Scenario {
    serde_json::from_value(v).expect("scenario shape")
}

fn est(v: Value) -> Estimate {
    estimate(&engine(), &scenario(v), None).unwrap_or_else(|e| panic!("estimate failed: {e}"))
}

fn total(e: &Estimate) -> rust_decimal::Decimal {
    dec(&e.total)
}

/// 150,000 Egypt contacts each get one order confirmation outside any window in October 2026:
/// 100,000 × 0.0036 + 50,000 × 0.0034 = 530 (SPEC §11.5 through a scenario).
#[test]
fn tiers_crossed_by_a_large_audience() {
    let e = est(json!({
        "business": { "date": "2026-10-01" },
        "audience": { "contacts": 150000, "mix": [{ "country": "EG", "share": 100 }] },
        "journeys": [{ "preset": "order_lifecycle", "params": { "shipping": false, "delivery": false } }],
    }));
    assert_eq!(total(&e), dec("530"));
    assert_eq!(dec(&e.tier_savings), dec("10")); // 50,000 × (0.0036 − 0.0034)
    assert_eq!(e.meta.lines.len(), 1);
    assert_eq!(dec(&e.meta.lines[0].charged), dec("150000"));
    assert_eq!(e.cards[0].date, "2026-10-01");
}

/// 600 Indian customers open one support chat a month with 3 agent replies: 1,800 service
/// messages. One number: 1,000 free, 800 × 0.0014 = 1.12. Two numbers: 2,000 free, nothing paid.
#[test]
fn service_allowance_with_one_and_two_numbers() {
    let s = |numbers: u32| {
        json!({
            "business": { "date": "2026-10-15", "phoneNumbers": numbers },
            "audience": { "contacts": 600, "mix": [{ "country": "IN", "share": 100 }] },
            "journeys": [{ "preset": "support", "params": { "agentReplies": 3, "customerMessages": 3, "chatHours": 1 } }],
        })
    };
    let one = est(s(1));
    assert_eq!(total(&one), dec("1.12"));
    assert_eq!(dec(&one.free.allowance), dec("1000"));
    let two = est(s(2));
    assert_eq!(total(&two), dec("0"));
    assert_eq!(dec(&two.free.allowance), dec("1800"));
    assert_eq!(dec(&two.messages.inbound), dec("1800"));
}

/// Customers who wrote an hour before their order confirmation: inside the window the update is
/// free on the 2026-07-01 rules, and charged at India's utility rate from 2026-10-01:
/// 1,000 × 0.0014 = 1.40. Those who did not write pay on both dates.
#[test]
fn order_updates_inside_and_outside_the_window() {
    let s = |share: u32| {
        scenario(json!({
            "audience": { "contacts": 1000, "mix": [{ "country": "IN", "share": 100 }] },
            "journeys": [{ "preset": "order_lifecycle", "params": { "writesFirstShare": share, "shipping": false, "delivery": false } }],
        }))
    };
    let dates = [
        parse_date("2026-07-01", "").unwrap(),
        parse_date("2026-10-01", "").unwrap(),
    ];
    let c = compare(&engine(), &s(100), &dates).unwrap();
    assert_eq!(dec(&c.estimates[0].total), dec("0"));
    assert_eq!(dec(&c.estimates[0].free.window), dec("1000"));
    assert_eq!(dec(&c.estimates[1].total), dec("1.4"));
    assert_eq!(dec(&c.deltas[0].total), dec("1.4"));
    assert_eq!(dec(&c.deltas[0].by_category["utility"]), dec("1.4"));
    let c = compare(&engine(), &s(0), &dates).unwrap();
    assert_eq!(dec(&c.estimates[0].total), dec("1.4"));
    assert_eq!(dec(&c.estimates[1].total), dec("1.4"));
}

/// 1,000 ad leads in India: the reply opens a 72 h free window, so the 24 h follow-up is free and
/// the 96 h one is charged: 1,000 × 0.0118 = 11.80.
#[test]
fn ad_leads_free_for_72_hours() {
    let e = est(json!({
        "business": { "date": "2026-10-01" },
        "audience": { "contacts": 1000, "mix": [{ "country": "IN", "share": 100 }] },
        "journeys": [{ "preset": "ad_lead" }],
    }));
    assert_eq!(total(&e), dec("11.8"));
    assert_eq!(dec(&e.free.entry_point), dec("2000")); // the reply and the 24 h follow-up
    let week = est(json!({
        "business": { "date": "2026-10-01" },
        "audience": { "contacts": 1000, "mix": [{ "country": "IN", "share": 100 }] },
        "journeys": [{ "preset": "ad_lead" }],
        "options": { "fepHours": 168 },
    }));
    assert_eq!(total(&week), dec("0"));
}

/// A reseller charging per message counts inbound and free messages too: the support scenario
/// above sends 1,800 business messages and receives 1,800 customer messages.
/// 1,800 × 0.001 + 1,800 × 0.0005 + platform 49 + 2 numbers × 10 + Meta 0 = 71.70;
/// setup 500 is one-time; in EUR at 0.9 with 2% margin: 71.70 × 0.918 = 65.8206.
#[test]
fn reseller_fees_count_inbound_and_free_messages() {
    let e = est(json!({
        "business": { "date": "2026-10-15", "phoneNumbers": 2 },
        "audience": { "contacts": 600, "mix": [{ "country": "IN", "share": 100 }] },
        "journeys": [{ "preset": "support", "params": { "agentReplies": 3, "customerMessages": 3 } }],
        "reseller": { "perOutbound": "0.001", "perInbound": "0.0005", "platformMonthly": "49", "perNumberMonthly": "10",
                      "setupFee": "500", "quoteCurrency": "EUR", "fxRate": "0.9", "fxMarginPercent": 2 },
    }));
    assert_eq!(dec(&e.meta.total), dec("0"));
    assert_eq!(dec(&e.reseller.total), dec("71.7"));
    assert_eq!(dec(&e.reseller.one_time), dec("500"));
    assert_eq!(total(&e), dec("71.7"));
    let q = e.quote.unwrap();
    assert_eq!(q.currency, "EUR");
    assert_eq!(dec(&q.total), dec("65.8206"));
    assert!(e.warnings.iter().any(|w| w.code == "fx"));
}

/// Conversation era: 2,000 Indian contacts get one marketing template in March 2024, half reply
/// and get one agent reply that rides in the marketing conversation: 2,000 × 0.0099 = 19.80.
/// In January 2023 (two types) 1,500 Brazilian contacts: 1,000 free, 500 × 0.05 = 25.
#[test]
fn conversation_era_scenarios() {
    let e = est(json!({
        "business": { "date": "2024-03-10" },
        "audience": { "contacts": 2000, "mix": [{ "country": "IN", "share": 100 }] },
        "journeys": [{ "preset": "marketing_campaign", "params": { "replyShare": 50, "repliesPerChat": 1 } }],
    }));
    assert_eq!(total(&e), dec("19.8"));
    assert_eq!(dec(&e.free.conversation), dec("1000"));
    let e = est(json!({
        "business": { "date": "2023-01-10" },
        "audience": { "contacts": 1500, "mix": [{ "country": "BR", "share": 100 }] },
        "journeys": [{ "preset": "marketing_campaign" }],
    }));
    assert_eq!(total(&e), dec("25"));
    assert_eq!(dec(&e.free.free_tier), dec("1000"));
}

/// Shares, counts and mixes: 60% India, 25% Brazil, 15% Germany of 40,000 contacts, 4 marketing
/// campaigns a month on the 2026-10-01 card:
/// 24,000 × 4 × 0.0118 + 10,000 × 4 × 0.0625 + 6,000 × 4 × 0.1365 = 1132.8 + 2500 + 3276 = 6908.8.
#[test]
fn mix_of_markets_and_cost_per_contact() {
    let e = est(json!({
        "business": { "date": "2026-10-01" },
        "audience": { "contacts": 40000, "mix": [{ "country": "IN", "share": 60 }, { "country": "BR", "share": 25 }, { "market": "Germany", "share": 15 }] },
        "journeys": [{ "preset": "marketing_campaign", "timesPerMonth": 4 }],
    }));
    assert_eq!(total(&e), dec("6908.8"));
    assert_eq!(dec(&e.meta.by_market["India"]), dec("1132.8"));
    assert_eq!(dec(e.per_contact.as_deref().unwrap()), dec("0.17272"));
    assert_eq!(dec(&e.messages.business), dec("160000"));
}

/// Nonsense is an error with a code and a path.
#[test]
fn bad_scenarios_are_errors_with_paths() {
    let cases = [
        (
            json!({ "audience": { "contacts": -5, "mix": [{ "country": "IN", "share": 100 }] }, "journeys": [] }),
            ErrorCode::InvalidOption,
            "audience.contacts",
        ),
        (
            json!({ "audience": { "contacts": 5, "mix": [{ "country": "IN", "share": 60 }, { "country": "BR", "share": 30 }] }, "journeys": [] }),
            ErrorCode::InvalidInput,
            "audience.mix",
        ),
        (
            json!({ "audience": { "contacts": 5, "mix": [{ "country": "IN", "share": 160 }] }, "journeys": [] }),
            ErrorCode::InvalidInput,
            "audience.mix[0].share",
        ),
        (
            json!({ "audience": { "contacts": 5, "mix": [{ "country": "QQ", "share": 100 }] }, "journeys": [] }),
            ErrorCode::UnknownCountry,
            "audience.mix[0].country",
        ),
        (
            json!({ "business": { "currency": "XAU" }, "audience": { "contacts": 5, "mix": [{ "country": "IN", "share": 100 }] }, "journeys": [] }),
            ErrorCode::MissingRate,
            "business.currency",
        ),
        (
            json!({ "audience": { "contacts": 5, "mix": [{ "country": "IN", "share": 100 }] }, "journeys": [{ "preset": "telepathy" }] }),
            ErrorCode::InvalidInput,
            "journeys[0].preset",
        ),
        (
            json!({ "audience": { "contacts": 5, "mix": [{ "country": "IN", "share": 100 }] }, "journeys": [{ "preset": "otp_login", "timesPerMonth": -1 }] }),
            ErrorCode::InvalidInput,
            "journeys[0].timesPerMonth",
        ),
        (
            json!({ "audience": { "contacts": 5, "mix": [{ "country": "IN", "share": 100 }] }, "journeys": [{ "steps": [{ "afterHours": 1, "kind": "template", "category": "promo" }] }] }),
            ErrorCode::InvalidCategory,
            "journeys[0].steps[0].category",
        ),
    ];
    for (s, code, path) in cases {
        let err = estimate(&engine(), &scenario(s.clone()), None).expect_err(&s.to_string());
        assert_eq!((err.code, err.path.as_str()), (code, path), "{s}: {err}");
    }
    let err = estimate(&engine(), &scenario(json!({ "audience": { "contacts": 5, "mix": [{ "country": "IN", "share": 60 }, { "country": "BR", "share": 30 }] }, "journeys": [] })), None).unwrap_err();
    assert!(err.message.contains("90%"), "{}", err.message);
}

/// Messaging limits (SPEC §15, the rules from 2025-10-07): 40,000 recipients of a campaign blast
/// need the 100K tier; the 1K tier named is the 2K tier of 2026, and from it that is two upgrades of
/// about 6 hours each once half the limit is used.
#[test]
fn messaging_limits() {
    let e = est(json!({
        "business": { "date": "2026-10-01", "messagingLimit": 1000 },
        "audience": { "contacts": 40000, "mix": [{ "country": "IN", "share": 100 }] },
        "journeys": [{ "preset": "marketing_campaign" }],
    }));
    assert!(!e.limits.ok);
    assert_eq!(dec(&e.limits.peak_daily_recipients), dec("40000"));
    assert_eq!(e.limits.needed_tier, Some(100_000));
    assert_eq!(e.limits.tier, Some(2_000));
    assert_eq!((e.limits.ramp_hours, e.limits.ramp_days), (12, 1));
    assert!(e.warnings.iter().any(|w| w.code == "messaging_limit"));
}

/// Fractional inputs are read as the decimals written: 1.2 occurrences a month is a 20% / 80%
/// cohort split (100 contacts: 20 × 2 + 80 × 1 = 120 marketing templates × 0.0118 = 1.416).
#[test]
fn fractional_inputs_are_exact_decimals() {
    let e = est(json!({
        "business": { "date": "2026-10-01" },
        "audience": { "contacts": 100, "mix": [{ "country": "IN", "share": 33.3 }, { "country": "IN", "share": 66.7 }] },
        "journeys": [{ "preset": "marketing_campaign", "timesPerMonth": 1.2 }],
    }));
    assert_eq!(e.total, "1.416");
    assert_eq!(e.messages.business, "120");
}
