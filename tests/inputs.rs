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
