//! Scenario inputs that would make money wrong are errors with a code and the path of the value
//! (docs/estimate.md, docs/errors.md), never a default in their place: fractions of a message,
//! money strings that are not plain decimals, a prepaid rate of 0 points, mix counts that disagree
//! with the audience.

use serde_json::{json, Value};
use waprice::estimate::{estimate, Estimate};
use waprice::input::from_json;
use waprice::scenario::Scenario;
use waprice::{Engine, Error, ErrorCode};

fn engine() -> Engine {
    Engine::new().expect("embedded data loads")
}

fn run(v: &Value) -> Result<Estimate, Error> {
    let s: Scenario = from_json(v.to_string().as_bytes(), "")?;
    estimate(&engine(), &s, None)
}

/// A scenario of 1,000 contacts in India on 2026-10-01 with one journey.
fn with_journey(journey: Value) -> Value {
    json!({
        "business": { "date": "2026-10-01" },
        "audience": { "contacts": 1000, "mix": [{ "country": "IN", "share": 100 }] },
        "journeys": [journey],
    })
}

fn with_reseller(reseller: Value) -> Value {
    let mut s = with_journey(json!({ "preset": "otp_login" }));
    s["reseller"] = reseller;
    s
}

#[track_caller]
fn fails(v: Value, path: &str, named: &str) {
    let e = run(&v).expect_err("an error");
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidInput, path),
        "{e}"
    );
    assert!(e.message.contains(named), "{e} does not name {named}");
    assert!(!e.message.starts_with(char::is_uppercase), "{e}");
}

#[test]
fn fractions_of_a_message_are_errors() {
    for (preset, param, value) in [
        ("support", "agentReplies", 1.9),
        ("support", "customerMessages", 2.5),
        ("support", "customerMessages", 0.0),
        ("marketing_campaign", "repliesPerChat", 0.5),
        ("marketing_campaign", "repliesPerChat", -1.0),
    ] {
        let shown = if value == 0.0 {
            "0".to_string()
        } else {
            value.to_string()
        };
        fails(
            with_journey(json!({ "preset": preset, "params": { param: value } })),
            &format!("journeys[0].params.{param}"),
            &shown,
        );
    }
    // Whole numbers are read as written (agent replies 0: only the customer writes).
    assert!(run(&with_journey(
        json!({ "preset": "support", "params": { "agentReplies": 0, "customerMessages": 1 } })
    ))
    .is_ok());
    let two = run(&with_journey(
        json!({ "preset": "marketing_campaign", "params": { "replyShare": 100, "repliesPerChat": 2 } }),
    ))
    .unwrap();
    // 1,000 marketing templates and 2,000 free-form replies.
    assert_eq!(two.messages.business, "3000");
}

#[test]
fn money_strings_are_plain_decimals() {
    for bad in [
        "1_000", "1e3", "+1", ".5", "5.", "0x10", "1,5", "NaN", "", " ",
    ] {
        fails(
            with_reseller(json!({ "perOutbound": bad })),
            "reseller.perOutbound",
            &format!("{bad:?}"),
        );
    }
    fails(
        with_reseller(json!({ "platformMonthly": "-3" })),
        "reseller.platformMonthly",
        "negative amount \"-3\"",
    );
    for good in ["0", "0.005", "12", "  7.50 "] {
        assert!(
            run(&with_reseller(json!({ "perOutbound": good }))).is_ok(),
            "{good}"
        );
    }
}

#[test]
fn prepaid_points_per_unit_is_above_zero_and_may_be_a_number() {
    fails(
        with_reseller(json!({ "prepaid": { "pointPrice": "0.01", "pointsPerUnit": "0" } })),
        "reseller.prepaid.pointsPerUnit",
        "0",
    );
    fails(
        with_reseller(json!({ "prepaid": { "pointPrice": "0.01", "pointsPerUnit": 0 } })),
        "reseller.prepaid.pointsPerUnit",
        "0",
    );
    fails(
        with_reseller(json!({ "prepaid": { "pointPrice": "0.01", "pointsPerUnit": -2 } })),
        "reseller.prepaid.pointsPerUnit",
        "-2",
    );
    // docs/estimate.md writes it as a number: 12 and "12" price the same.
    let number = run(&with_reseller(
        json!({ "prepaid": { "pointPrice": "0.01", "pointsPerUnit": 120 } }),
    ))
    .unwrap();
    let text = run(&with_reseller(
        json!({ "prepaid": { "pointPrice": "0.01", "pointsPerUnit": "120" } }),
    ))
    .unwrap();
    assert_eq!(number.total, text.total);
    assert_ne!(
        number.total, number.meta.total,
        "the points cost more than Meta's price"
    );
    let fraction = run(&with_reseller(
        json!({ "prepaid": { "pointPrice": "0.01", "pointsPerUnit": 99.5 } }),
    ))
    .unwrap();
    let fraction_text = run(&with_reseller(
        json!({ "prepaid": { "pointPrice": "0.01", "pointsPerUnit": "99.5" } }),
    ))
    .unwrap();
    assert_eq!(fraction.total, fraction_text.total);
}

#[test]
fn mix_counts_must_add_up_to_the_contacts() {
    let s = json!({
        "business": { "date": "2026-10-01" },
        "audience": { "contacts": 1000, "mix": [{ "country": "IN", "count": 600 }, { "country": "BR", "count": 300 }] },
        "journeys": [{ "preset": "otp_login" }],
    });
    fails(s, "audience.mix", "900");
    let s = json!({
        "business": { "date": "2026-10-01" },
        "audience": { "contacts": 900, "mix": [{ "country": "IN", "count": 600 }, { "country": "BR", "count": 300 }] },
        "journeys": [{ "preset": "otp_login" }],
    });
    assert_eq!(run(&s).unwrap().contacts, "900");
}

/// SPEC §9, with the rates of Meta's card of 2026-01-01 (USD; `data/rates_per_message.csv`, sources
/// S03/S04): a business in China whose OTPs go to Indonesia and Saudi Arabia, eligible for
/// authentication-international there, pays 600 × 0.1360 + 400 × 0.0598 = 105.52; by hand.
#[test]
fn a_china_based_exporter_pays_authentication_international() {
    let s = |auth: Value| {
        json!({
            "business": { "date": "2026-01-15", "country": "CN", "authInternational": auth },
            "audience": { "contacts": 1000, "mix": [{ "country": "ID", "share": 60 }, { "country": "SA", "share": 40 }] },
            "journeys": [{ "preset": "otp_login" }],
        })
    };
    let eligible = run(&s(
        json!({ "ID": "2025-01-01", "Saudi Arabia": "2025-01-01" }),
    ))
    .unwrap();
    assert_eq!(eligible.meta.total, "105.52");
    assert_eq!(
        eligible
            .meta
            .by_category
            .get("authentication_international")
            .map(String::as_str),
        Some("105.52")
    );
    // Eligible only from after the pricing date: the authentication rates.
    let later = run(&s(json!({ "ID": "2026-02-01", "SA": "2026-02-01" }))).unwrap();
    assert!(!later
        .meta
        .by_category
        .contains_key("authentication_international"));
    assert!(later.meta.total.parse::<f64>().unwrap() < 105.52);
    // No warning for a valid setting.
    assert!(
        eligible
            .warnings
            .iter()
            .all(|w| !w.code.starts_with("auth_international")),
        "{:?}",
        eligible.warnings
    );
}

#[test]
fn authentication_international_keys_are_checked() {
    let s = |business: Value| {
        json!({
            "business": business,
            "audience": { "contacts": 10, "mix": [{ "country": "ID", "share": 100 }] },
            "journeys": [{ "preset": "otp_login" }],
        })
    };
    for (business, code, path, named) in [
        (
            json!({ "country": "CN", "authInternational": { "XX": "2025-01-01" } }),
            ErrorCode::UnknownCountry,
            "business.authInternational.XX",
            "\"XX\"",
        ),
        (
            json!({ "country": "CN", "authInternational": { "Atlantis": "2025-01-01" } }),
            ErrorCode::UnknownMarket,
            "business.authInternational.Atlantis",
            "\"Atlantis\"",
        ),
        (
            json!({ "country": "ZZ" }),
            ErrorCode::UnknownCountry,
            "business.country",
            "\"ZZ\"",
        ),
        (
            json!({ "country": "CN", "authInternational": { "ID": "2025-13-01" } }),
            ErrorCode::InvalidDate,
            "business.authInternational.ID",
            "2025-13-01",
        ),
    ] {
        let e = run(&s(business)).expect_err("an error");
        assert_eq!((e.code, e.path.as_str()), (code, path), "{e}");
        assert!(e.message.contains(named), "{e}");
    }
    // Settings that change nothing are said so.
    let warned = |business: Value| -> Vec<(String, Option<String>)> {
        run(&s(business))
            .unwrap()
            .warnings
            .into_iter()
            .map(|w| (w.code.to_string(), w.path))
            .filter(|w| w.0.starts_with("auth_international"))
            .collect()
    };
    assert_eq!(
        warned(json!({ "date": "2026-01-15", "authInternational": { "ID": "2025-01-01" } })),
        [(
            "auth_international_no_country".to_string(),
            Some("business.country".to_string())
        )]
    );
    assert_eq!(
        warned(
            json!({ "date": "2026-01-15", "country": "ID", "authInternational": { "ID": "2025-01-01" } })
        ),
        [(
            "auth_international_home".to_string(),
            Some("business.authInternational.ID".to_string())
        )]
    );
    // Brazil has no authentication-international rate on the card of 2026-01-01.
    assert_eq!(
        warned(
            json!({ "date": "2026-01-15", "country": "CN", "authInternational": { "BR": "2025-01-01" } })
        ),
        [(
            "auth_international_no_rate".to_string(),
            Some("business.authInternational.BR".to_string())
        )]
    );
}

/// "5,000 support chats" for 3,000 contacts: 5,000 occurrences in all, so 2,000 contacts have two
/// chats and 1,000 one; the results count whole chats and messages, not 4,999.99….
#[test]
fn journeys_given_as_occurrences_per_month_stay_whole() {
    let s = json!({
        "business": { "date": "2026-10-01" },
        "audience": { "contacts": 3000, "mix": [{ "country": "IN", "share": 60 }, { "country": "BR", "share": 40 }] },
        "journeys": [
            { "preset": "support", "occurrencesPerMonth": 5000, "params": { "agentReplies": 2, "customerMessages": 1 } },
            { "preset": "order_lifecycle", "share": 30, "occurrencesPerMonth": 800 },
        ],
    });
    let e = run(&s).unwrap();
    assert_eq!(e.journeys[0].occurrences, "5000");
    assert_eq!(e.journeys[0].times_per_month, "1.666667");
    // Two agent replies per chat.
    assert_eq!(e.journeys[0].messages, "10000");
    // 800 orders with three updates each, over 900 contacts.
    assert_eq!(e.journeys[1].occurrences, "800");
    assert_eq!(e.journeys[1].messages, "2400");
    assert_eq!(e.messages.inbound, "5000");
    // The same as share × times where that is exact: 800 orders for 800 contacts, once each.
    let by_times = run(&json!({
        "business": { "date": "2026-10-01" },
        "audience": { "contacts": 1000, "mix": [{ "country": "IN", "share": 100 }] },
        "journeys": [{ "preset": "order_lifecycle", "share": 80, "timesPerMonth": 1 }],
    }))
    .unwrap();
    let by_count = run(&json!({
        "business": { "date": "2026-10-01" },
        "audience": { "contacts": 1000, "mix": [{ "country": "IN", "share": 100 }] },
        "journeys": [{ "preset": "order_lifecycle", "share": 80, "occurrencesPerMonth": 800 }],
    }))
    .unwrap();
    assert_eq!(by_times.total, by_count.total);
    assert_eq!(by_count.journeys[0].times_per_month, "1");
    // Both forms, a fraction, or more than 1,000 a contact: errors at the path.
    for (journey, named) in [
        (
            json!({ "preset": "otp_login", "timesPerMonth": 2, "occurrencesPerMonth": 5 }),
            "not both",
        ),
        (
            json!({ "preset": "otp_login", "occurrencesPerMonth": 2.5 }),
            "2.5",
        ),
        (
            json!({ "preset": "otp_login", "occurrencesPerMonth": 1_000_001 }),
            "1000001",
        ),
    ] {
        let e = run(&with_journey(journey)).expect_err("an error");
        assert_eq!(e.path, "journeys[0].occurrencesPerMonth", "{e}");
        assert!(e.message.contains(named), "{e}");
    }
}

/// SPEC §15 through an estimate: 3,000 new customers reached on one day (a campaign), a new
/// business, on 2025-09-01 (per number, 1,000, two days per step as Zoho's help page gives it) and on
/// 2026-12-01 (per portfolio, 2,000, about 6 hours per step once half the limit is used).
#[test]
fn messaging_limit_advice_follows_the_date() {
    let on = |date: &str| {
        run(&json!({
            "business": { "date": date },
            "audience": { "contacts": 3000, "mix": [{ "country": "IN", "share": 100 }] },
            "journeys": [{ "preset": "marketing_campaign" }],
        }))
        .unwrap()
        .limits
    };
    let before = on("2025-09-01");
    assert_eq!(
        (before.tier, before.ok, before.needed_tier),
        (Some(1_000), false, Some(10_000))
    );
    assert_eq!((before.ramp_days, before.ramp_hours), (2, 48));
    assert_eq!(before.scope, waprice::limits::Scope::Number);
    let after = on("2026-12-01");
    assert_eq!(
        (after.tier, after.ok, after.needed_tier),
        (Some(2_000), false, Some(10_000))
    );
    assert_eq!((after.ramp_days, after.ramp_hours), (1, 6));
    assert_eq!(after.scope, waprice::limits::Scope::Portfolio);
    assert_eq!(
        after.tiers,
        [Some(250), Some(2_000), Some(10_000), Some(100_000), None]
    );
    // A 1,000 tier named for a date after 2025-10-07 is the 2,000 tier, with a warning.
    let e = run(&json!({
        "business": { "date": "2026-12-01", "messagingLimit": 1000 },
        "audience": { "contacts": 10, "mix": [{ "country": "IN", "share": 100 }] },
        "journeys": [{ "preset": "otp_login" }],
    }))
    .unwrap();
    assert_eq!(e.limits.tier, Some(2_000));
    assert!(e.warnings.iter().any(|w| w.code == "messaging_limit_tier"));
}

#[test]
fn overflow_only_when_an_amount_overflows() {
    // About 8 × 10^14 free service messages (2^48 contacts-occurrences × 3 replies): two such
    // counts multiplied leave the decimal range, the amounts do not; a figure, not `overflow`.
    let s = json!({
        "business": { "date": "2026-10-01" },
        "audience": { "contacts": 281_474_976_710u64, "mix": [{ "country": "IN", "share": 100 }] },
        "journeys": [{ "preset": "support", "timesPerMonth": 1000 }],
    });
    let e = run(&s).expect("a figure");
    assert_eq!(e.messages.business, "844424930130000");
    assert!(e.total.parse::<rust_decimal::Decimal>().is_ok());
}
