//! Group messages in the simulator's input (SPEC §15, docs/simulator.md "Group messages").
//!
//! The rules are Meta's Groups API pricing page (updated 2025-10-22, and the copy of 2026-05-21):
//! - "if you send a (billable) marketing template message to a group with 5 WhatsApp users and it
//!   is delivered to all 5 users, you would be charged for 5 delivered messages at the going
//!   marketing message rate for each recipient's country calling code";
//! - "When any WhatsApp user in the group messages you, a customer service window is opened
//!   between you and the entire group", inside which (copy of 2026-05-21) "utility and free form
//!   messages" are free, as `free_group_customer_service`;
//! - the categories are `group_marketing`, `group_utility` and `group_service`; from 2026-10-01
//!   group utility in the window is charged and free group service shares the number's free
//!   service messages (SPEC §14, §15);
//! - a group has at most 8 participants (Groups API page, 2026-06-16).
//!
//! Rates are USD, data/rates_per_message.csv: India marketing 0.0107 (card of 2025-10-01),
//! Germany marketing 0.1365, Brazil marketing 0.0625; from 2026-10-01 utility and service India
//! 0.0014, Germany 0.0550, Brazil 0.0068.

mod common;
use common::*;
use serde_json::{json, Value};
use waprice::error::ErrorCode;
use waprice::report::SimulationReport;

const IN: &str = "+919812345678";
const DE: &str = "+4915112345678";
const BR: &str = "+5511987654321";

/// `(index, user, category, type, amount)` of each message.
fn rows(r: &SimulationReport) -> Vec<(u64, String, String, String, String)> {
    r.messages
        .iter()
        .map(|m| {
            let v = serde_json::to_value(m).unwrap();
            (
                v["index"].as_u64().unwrap(),
                v["user"].as_str().unwrap().to_string(),
                v["category"].as_str().unwrap().to_string(),
                v["type"].as_str().unwrap().to_string(),
                m.amount.clone(),
            )
        })
        .collect()
}

fn row(index: u64, user: &str, c: &str, t: &str, a: &str) -> (u64, String, String, String, String) {
    (index, user.into(), c.into(), t.into(), a.into())
}

/// A business message to group `G1`.
fn to_group(t: i64, kind: &str, participants: &[&str]) -> Value {
    let mut e = match kind {
        "message" | "reaction" => json!({ "at": t, "kind": kind }),
        cat => json!({ "at": t, "kind": "template", "category": cat }),
    };
    e["group"] = json!("G1");
    e["participants"] = json!(participants);
    e
}

/// A customer's message written in group `G1`.
fn in_group(t: i64, user: &str) -> Value {
    json!({ "at": t, "user": user, "kind": "inbound", "group": "G1" })
}

fn error(req: Value) -> waprice::Error {
    try_run_with(&engine(), req).expect_err("the input is refused")
}

/// Groups API pricing page (2025-10-22): charged per delivered participant at each participant's
/// market; the verdicts keep the position of the group message in the input.
#[test]
fn a_group_message_is_charged_per_participant_at_each_market() {
    let b = "2025-11-03T09:00:00Z";
    let r = run(json!({ "events": [
        to_group(at(b, 0.0), "marketing", &[IN, DE, BR]),
        ev(at(b, 1.0), IN, "marketing"),
    ]}));
    assert_eq!(
        rows(&r),
        vec![
            row(0, IN, "group_marketing", "regular", "0.0107"),
            row(0, DE, "group_marketing", "regular", "0.1365"),
            row(0, BR, "group_marketing", "regular", "0.0625"),
            row(1, IN, "marketing", "regular", "0.0107"),
        ]
    );
    let markets: Vec<&str> = r.messages.iter().map(|m| m.market.as_str()).collect();
    assert_eq!(markets, ["India", "Germany", "Brazil", "India"]);
    assert_eq!(r.totals.amount, "0.2204");
    assert_eq!(r.totals.messages, 4);
    assert_eq!(r.totals.charged, 4);
}

/// Groups API pricing page (2025-10-22): "delivered to 4 of the 5 users" is charged for 4; a
/// participant's status comes from `statuses`, else the message's `status`.
#[test]
fn participants_not_delivered_are_not_charged() {
    let b = "2025-11-03T09:00:00Z";
    let mut e = to_group(at(b, 0.0), "marketing", &[IN, DE]);
    e["statuses"] = json!({ DE: "failed", BR: "read" });
    let mut all_sent = to_group(at(b, 1.0), "marketing", &[IN, DE]);
    all_sent["status"] = json!("sent");
    all_sent["statuses"] = json!({ IN: "delivered" });
    let r = run(json!({ "events": [e, all_sent] }));
    assert_eq!(
        rows(&r),
        vec![
            row(0, IN, "group_marketing", "regular", "0.0107"),
            row(0, DE, "group_marketing", "not_delivered", "0"),
            row(0, BR, "group_marketing", "regular", "0.0625"),
            row(1, IN, "group_marketing", "regular", "0.0107"),
            row(1, DE, "group_marketing", "not_delivered", "0"),
        ]
    );
    assert_eq!(r.totals.not_delivered, 2);
    assert_eq!(r.totals.amount, "0.0839");
}

/// Groups API pricing page (2025-10-22): a message from any participant opens the window of the
/// whole group, so free-form group messages within 24 hours are free for every participant,
/// including one the timeline names only in a later message; without it they cannot be sent.
#[test]
fn any_writer_opens_the_group_window_for_every_participant() {
    let b = "2026-03-02T09:00:00Z";
    let r = run(json!({ "events": [
        to_group(at(b, 0.0), "marketing", &[IN, DE]),
        in_group(at(b, 1.0), DE),
        to_group(at(b, 2.0), "message", &[IN, DE, BR]),
        to_group(at(b, 26.0), "message", &[IN]),
    ]}));
    let fcs = "free_group_customer_service";
    assert_eq!(
        rows(&r)[2..],
        [
            row(2, IN, "group_service", fcs, "0"),
            row(2, DE, "group_service", fcs, "0"),
            row(2, BR, "group_service", fcs, "0"),
            row(3, IN, "group_service", "not_delivered", "0"),
        ]
    );
    // The writer's window and every other participant's, each opened by the writer's message.
    let mut windows: Vec<(u64, String)> = serde_json::to_value(&r.windows)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["index"].as_u64().unwrap(),
                w["user"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(windows[0], (1, DE.to_string()), "the writer's first");
    windows.sort();
    assert_eq!(
        windows,
        [
            (1, DE.to_string()),
            (1, BR.to_string()),
            (1, IN.to_string())
        ]
    );
    // A customer's message outside the group opens no participant's window but its writer's.
    let r = run(json!({ "events": [
        ev(at(b, 0.0), DE, "inbound"),
        to_group(at(b, 1.0), "message", &[IN, DE]),
    ]}));
    assert_eq!(
        rows(&r),
        [
            row(1, IN, "group_service", "not_delivered", "0"),
            row(1, DE, "group_service", fcs, "0"),
        ]
    );
}

/// Groups API pricing page (2026-05-21) and SPEC §14, §15: group utility inside the group's
/// window is free to 2026-09-30 and charged at each participant's utility rate from 2026-10-01.
#[test]
fn group_utility_in_the_window_before_and_after_2026_10_01() {
    for (b, expect) in [
        (
            "2026-09-28T09:00:00Z",
            [
                ("free_group_customer_service", "0"),
                ("free_group_customer_service", "0"),
            ],
        ),
        (
            "2026-10-05T09:00:00Z",
            [("regular", "0.0014"), ("regular", "0.055")],
        ),
    ] {
        let r = run(json!({ "events": [
            in_group(at(b, 0.0), IN),
            to_group(at(b, 1.0), "utility", &[IN, DE]),
        ]}));
        assert_eq!(
            rows(&r),
            [
                row(1, IN, "group_utility", expect[0].0, expect[0].1),
                row(1, DE, "group_utility", expect[1].0, expect[1].1),
            ],
            "{b}"
        );
    }
}

/// SPEC §15 (Groups API pricing page, 2026-05-21; pricing page 2026-09-30): from 2026-10-01 each
/// delivered participant of a free group service message counts one of the number's free
/// service messages, shared with its messages to one customer; past them, the participant's
/// market's service rate.
#[test]
fn free_group_service_shares_the_numbers_allowance_from_2026_10_01() {
    let b = "2026-10-05T09:00:00Z";
    let r = run(json!({
        "options": { "serviceAllowance": 2 },
        "events": [
            ev(at(b, 0.0), IN, "inbound"),
            in_group(at(b, 0.5), DE),
            ev(at(b, 1.0), IN, "message"),
            to_group(at(b, 2.0), "message", &[DE, BR, IN]),
        ]
    }));
    let fcs = "free_group_customer_service";
    assert_eq!(
        rows(&r),
        [
            row(2, IN, "service", "free_customer_service", "0"),
            row(3, DE, "group_service", fcs, "0"),
            row(3, BR, "group_service", "regular", "0.0068"),
            row(3, IN, "group_service", "regular", "0.0014"),
        ]
    );
    let why: Vec<&str> = r.messages.iter().map(|m| m.explanation_code).collect();
    assert_eq!(why[1], why[0], "both within the allowance");
    assert_eq!(why[2], why[3], "both past it");
    // Before 2026-10-01 the same messages are all free: no allowance is counted.
    let b = "2026-09-21T09:00:00Z";
    let r = run(json!({
        "options": { "serviceAllowance": 2 },
        "events": [
            ev(at(b, 0.0), IN, "inbound"),
            in_group(at(b, 0.5), DE),
            ev(at(b, 1.0), IN, "message"),
            to_group(at(b, 2.0), "message", &[DE, BR, IN]),
        ]
    }));
    assert_eq!(r.totals.amount, "0");
    assert_eq!(r.totals.free, 4);
}

/// The order of the input does not matter: events are priced in order of time and keep their
/// positions.
#[test]
fn unsorted_input_keeps_the_positions() {
    let b = "2026-03-02T09:00:00Z";
    let r = run(json!({ "events": [
        to_group(at(b, 2.0), "message", &[IN, BR]),
        ev(at(b, 3.0), IN, "marketing"),
        in_group(at(b, 1.0), IN),
    ]}));
    let fcs = "free_group_customer_service";
    assert_eq!(
        rows(&r),
        [
            row(0, IN, "group_service", fcs, "0"),
            row(0, BR, "group_service", fcs, "0"),
            row(1, IN, "marketing", "regular", "0.0118"),
        ]
    );
}

/// Groups API page (2026-06-16): a group has at most 8 participants, in one message or across
/// the timeline; the errors name the field and the value.
#[test]
fn a_group_has_at_most_8_participants() {
    let nine: Vec<String> = (0..9).map(|i| format!("+9198123456{i:02}")).collect();
    let nine: Vec<&str> = nine.iter().map(String::as_str).collect();
    let b = "2026-03-02T09:00:00Z";
    let e = error(json!({ "events": [to_group(at(b, 0.0), "marketing", &nine)] }));
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::LimitExceeded, "events[0].participants")
    );
    assert!(e.message.contains("at most 8"), "{}", e.message);
    // Eight in a message, then a ninth writes in the group.
    let e = error(json!({ "events": [
        ev(at(b, 0.0), IN, "marketing"),
        to_group(at(b, 1.0), "marketing", &nine[..8]),
        in_group(at(b, 2.0), DE),
    ]}));
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::LimitExceeded, "events[2].user")
    );
    assert!(e.message.contains("\"G1\""), "{}", e.message);
    // Eight across two messages are one group of eight.
    let r = run(json!({ "events": [
        to_group(at(b, 1.0), "marketing", &nine[..5]),
        to_group(at(b, 2.0), "marketing", &nine[3..8]),
        in_group(at(b, 3.0), nine[0]),
    ]}));
    assert_eq!(r.totals.charged, 10);
    assert_eq!(r.windows.len(), 8);
}

/// A group message's fields are checked like every other: the errors name the field and the
/// value.
#[test]
fn malformed_group_messages_name_the_field() {
    let b = "2026-03-02T09:00:00Z";
    let t = at(b, 0.0);
    let status_path = format!("events[0].statuses.{IN}");
    let cases: Vec<(Value, ErrorCode, &str)> = vec![
        (
            to_group(t, "marketing", &[IN, "+0123"]),
            ErrorCode::InvalidPhone,
            "events[0].participants[1]",
        ),
        (
            to_group(t, "marketing", &[IN, DE, IN]),
            ErrorCode::InvalidInput,
            "events[0].participants[2]",
        ),
        (
            to_group(t, "marketing", &[]),
            ErrorCode::InvalidInput,
            "events[0].participants",
        ),
        (
            to_group(t, "authentication", &[IN]),
            ErrorCode::InvalidKind,
            "events[0].category",
        ),
        (
            json!({ "at": t, "kind": "marketing_lite", "group": "G1", "participants": [IN] }),
            ErrorCode::InvalidKind,
            "events[0].kind",
        ),
        (
            json!({ "at": t, "user": IN, "kind": "message", "group": "G1", "participants": [DE] }),
            ErrorCode::InvalidInput,
            "events[0].user",
        ),
        (
            json!({ "at": t, "kind": "message", "participants": [DE] }),
            ErrorCode::InvalidInput,
            "events[0].group",
        ),
        (
            json!({ "at": t, "user": IN, "kind": "inbound", "group": "G1", "referral": "ctwa" }),
            ErrorCode::InvalidInput,
            "events[0].referral",
        ),
        (
            json!({ "at": t, "user": IN, "kind": "inbound", "group": "G1", "participants": [DE] }),
            ErrorCode::InvalidInput,
            "events[0].participants",
        ),
        (
            json!({ "at": t, "kind": "message", "group": "G1", "statuses": { IN: "lost" } }),
            ErrorCode::InvalidStatus,
            &status_path,
        ),
    ];
    for (e, code, path) in cases {
        let err = error(json!({ "events": [e] }));
        assert_eq!((err.code, err.path.as_str()), (code, path), "{e}: {err}");
    }
    let err = error(json!({ "events": [
        { "at": t, "kind": "message", "group": "G1", "statuses": { IN: "lost" } }
    ] }));
    assert!(err.message.contains("\"lost\""), "{}", err.message);
    let err = error(json!({ "events": [to_group(t, "marketing", &[IN, DE, IN])] }));
    assert!(err.message.contains(IN), "{}", err.message);
}

/// A JSON Lines log reads single events only: a group message there is an error, not a message
/// silently priced to nobody.
#[test]
fn a_log_line_with_a_group_message_is_an_error() {
    let text = json!({ "at": "2026-03-02T09:00:00Z", "kind": "message", "participants": [IN] })
        .to_string();
    let raw: waprice::input::RawEvent = serde_json::from_str(&text).unwrap();
    let e = raw.resolve(4).unwrap_err();
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidInput, "events[4].group")
    );
}
