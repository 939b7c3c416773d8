//! The windows `simulate` reports (`result.windows`): the customer-service and free-entry-point
//! windows the engine opened, each with the message that opened it, so that the page draws them
//! without its own copy of the rules.
//!
//! The rules are SPEC §6 and §13.3–§13.4 (docs/rules.md), after Meta's pricing page
//! (<https://developers.facebook.com/docs/whatsapp/pricing>, "Customer service windows" and "Free
//! entry point windows"): a customer's message opens or restarts a 24-hour customer-service
//! window; a business reply delivered within 24 hours of a message from a click-to-WhatsApp ad
//! opens a free-entry-point window of 72 hours (24 hours, a free-entry-point conversation, before
//! 2023-03-01).

mod common;
use common::*;
use serde_json::{json, Value};
use waprice::pricing::{simulate, Event, EventKind, Options, Request, Status, WindowKind};
use waprice::report::SimulationReport;

const IN: &str = "+919812345678";
const BR: &str = "+5511987654321";

/// `(kind, index, user, start, end)` of each window, as the report writes them.
fn windows(r: &SimulationReport) -> Vec<(String, u64, String, String, String)> {
    let v = serde_json::to_value(&r.windows).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|w| {
            assert_eq!(
                w.as_object().unwrap().len(),
                5,
                "{w}: kind, index, user, start, end"
            );
            let s = |k: &str| w[k].as_str().unwrap().to_string();
            (
                s("kind"),
                w["index"].as_u64().unwrap(),
                s("user"),
                s("start"),
                s("end"),
            )
        })
        .collect()
}

fn w(
    kind: &str,
    index: u64,
    user: &str,
    start: &str,
    end: &str,
) -> (String, u64, String, String, String) {
    (
        kind.to_string(),
        index,
        user.to_string(),
        start.to_string(),
        end.to_string(),
    )
}

/// The user's message opens a 24-hour customer-service window, and each new one restarts it:
/// one window per customer message, from its instant, whoever the customer; business messages
/// open none.
#[test]
fn each_customer_message_opens_a_24_hour_service_window() {
    let b = "2026-10-12T08:00:00Z";
    let r = run(json!({ "events": [
        ev(at(b, 0.0), IN, "inbound"),
        ev(at(b, 1.0), IN, "message"),
        ev(at(b, 2.5), BR, "inbound"),
        ev(at(b, 20.0), IN, "utility"),
        ev(at(b, 30.0), IN, "inbound"),
    ]}));
    assert_eq!(
        windows(&r),
        vec![
            w(
                "service",
                0,
                IN,
                "2026-10-12T08:00:00Z",
                "2026-10-13T08:00:00Z"
            ),
            w(
                "service",
                2,
                BR,
                "2026-10-12T10:30:00Z",
                "2026-10-13T10:30:00Z"
            ),
            w(
                "service",
                4,
                IN,
                "2026-10-13T14:00:00Z",
                "2026-10-14T14:00:00Z"
            ),
        ]
    );
    // The windows are the ones the verdicts used: the reply inside the first is free, a message
    // after it ended finds none.
    let edge = run(json!({ "events": [
        ev(at(b, 0.0), IN, "inbound"),
        ev(at(b, 24.0) - 1, IN, "message"),
        ev(at(b, 24.0), IN, "message"),
    ]}));
    assert_eq!(
        windows(&edge),
        vec![w(
            "service",
            0,
            IN,
            "2026-10-12T08:00:00Z",
            "2026-10-13T08:00:00Z"
        )]
    );
    assert_eq!(
        verdicts(&edge),
        vec![
            v("service", "free_customer_service", "0"),
            v("service", "not_delivered", "0")
        ]
    );
}

/// Windows come in order of opening (the order of instants) while their indices are the input
/// positions, also when the input is not sorted.
#[test]
fn windows_follow_the_order_of_instants_with_input_indices() {
    let b = "2026-10-12T08:00:00Z";
    let r = run(json!({ "events": [
        ev(at(b, 5.0), IN, "inbound"),
        ev(at(b, 6.0), IN, "marketing"),
        ev(at(b, 0.0), BR, "ad"),
        ev(at(b, 1.0), BR, "message"),
    ]}));
    assert_eq!(
        windows(&r),
        vec![
            w(
                "service",
                2,
                BR,
                "2026-10-12T08:00:00Z",
                "2026-10-13T08:00:00Z"
            ),
            w(
                "entry_point",
                3,
                BR,
                "2026-10-12T09:00:00Z",
                "2026-10-15T09:00:00Z"
            ),
            w(
                "service",
                0,
                IN,
                "2026-10-12T13:00:00Z",
                "2026-10-13T13:00:00Z"
            ),
        ]
    );
}

/// From 2023-03-01 (business-local date) the free-entry-point window lasts 72 hours from the
/// delivery of the business's reply; the reply opens it, and the messages inside it are free.
#[test]
fn entry_point_window_is_72_hours_from_the_reply_from_2023_03_01() {
    let b = "2026-10-12T09:00:00-03:00";
    let r = run(json!({ "events": [
        ev(at(b, 0.0), BR, "ad"),
        ev(at(b, 0.5), BR, "message"),
        ev(at(b, 24.0), BR, "marketing"),
        ev(at(b, 72.5) - 1, BR, "marketing"),
        ev(at(b, 72.5), BR, "marketing"),
    ]}));
    assert_eq!(
        windows(&r),
        vec![
            w(
                "service",
                0,
                BR,
                "2026-10-12T12:00:00Z",
                "2026-10-13T12:00:00Z"
            ),
            w(
                "entry_point",
                1,
                BR,
                "2026-10-12T12:30:00Z",
                "2026-10-15T12:30:00Z"
            ),
        ]
    );
    let types: Vec<_> = verdicts(&r).into_iter().map(|x| x.1).collect();
    assert_eq!(
        types,
        vec![
            "free_entry_point",
            "free_entry_point",
            "free_entry_point",
            "regular"
        ]
    );
}

/// Before 2023-03-01 the free entry point was a 24-hour conversation: the window lasts 24 hours,
/// and is the `referral_conversion` conversation its messages report. The switch goes by the
/// business-local date of the reply: 2023-02-28T20:00Z is 2023-03-01 in Asia/Kolkata.
#[test]
fn entry_point_window_is_24_hours_before_2023_03_01() {
    let r = run(json!({ "events": [
        ev(at("2023-02-10T10:00:00Z", 0.0), BR, "ad"),
        ev(at("2023-02-10T11:00:00Z", 0.0), BR, "marketing"),
        ev(at("2023-02-11T10:59:00Z", 0.0), BR, "marketing"),
    ]}));
    let fep: Vec<_> = windows(&r)
        .into_iter()
        .filter(|x| x.0 == "entry_point")
        .collect();
    assert_eq!(
        fep,
        vec![w(
            "entry_point",
            1,
            BR,
            "2023-02-10T11:00:00Z",
            "2023-02-11T11:00:00Z"
        )]
    );
    let conv = r.messages[0].conversation.as_ref().unwrap();
    assert_eq!(
        (
            conv.category.as_str(),
            conv.start.as_str(),
            conv.end.as_str()
        ),
        (
            "referral_conversion",
            "2023-02-10T11:00:00Z",
            "2023-02-11T11:00:00Z"
        )
    );

    let zoned = |tz: &str| {
        let r = run(json!({ "timezone": tz, "events": [
            ev(at("2023-02-28T19:00:00Z", 0.0), IN, "ad"),
            ev(at("2023-02-28T20:00:00Z", 0.0), IN, "marketing"),
        ]}));
        windows(&r)
            .into_iter()
            .find(|x| x.0 == "entry_point")
            .unwrap()
            .4
    };
    assert_eq!(
        zoned("UTC"),
        "2023-03-01T20:00:00Z",
        "2023-02-28 in UTC: 24 h"
    );
    assert_eq!(
        zoned("Asia/Kolkata"),
        "2023-03-03T20:00:00Z",
        "2023-03-01 in Kolkata: 72 h"
    );
}

/// A new message from an ad while a window is open gives a new chance: the next delivered reply
/// within 24 hours opens a new window from its own delivery (docs/simulator.md, decision 15). A
/// failed reply opens nothing and leaves the chance; a reply 24 hours or more after the ad opens
/// nothing.
#[test]
fn a_new_ad_message_reopens_the_entry_point_window() {
    let b = "2026-10-12T08:00:00Z";
    let r = run(json!({ "events": [
        ev(at(b, 0.0), IN, "ad"),
        ev(at(b, 1.0), IN, "marketing"),
        ev(at(b, 30.0), IN, "ad"),
        json!({ "at": at(b, 31.0), "user": IN, "kind": "template", "category": "utility", "status": "failed" }),
        ev(at(b, 32.0), IN, "utility"),
        ev(at(b, 80.0), IN, "marketing"),
    ]}));
    assert_eq!(
        windows(&r),
        vec![
            w(
                "service",
                0,
                IN,
                "2026-10-12T08:00:00Z",
                "2026-10-13T08:00:00Z"
            ),
            w(
                "entry_point",
                1,
                IN,
                "2026-10-12T09:00:00Z",
                "2026-10-15T09:00:00Z"
            ),
            w(
                "service",
                2,
                IN,
                "2026-10-13T14:00:00Z",
                "2026-10-14T14:00:00Z"
            ),
            w(
                "entry_point",
                4,
                IN,
                "2026-10-13T16:00:00Z",
                "2026-10-16T16:00:00Z"
            ),
        ]
    );
    // The message at 80 h is past the first window but inside the second.
    assert_eq!(verdicts(&r)[3].1, "free_entry_point");

    let late = run(json!({ "events": [
        ev(at(b, 0.0), IN, "ad"),
        ev(at(b, 24.0), IN, "marketing"),
    ]}));
    assert_eq!(
        windows(&late),
        vec![w(
            "service",
            0,
            IN,
            "2026-10-12T08:00:00Z",
            "2026-10-13T08:00:00Z"
        )]
    );
}

/// The `fepHours` option sets the length of windows opened from 2023-03-01, not of earlier ones.
#[test]
fn fep_hours_option_sets_the_entry_point_window() {
    let ends = |at0: &str| {
        let r = run(json!({ "options": { "fepHours": 48 }, "events": [
            ev(at(at0, 0.0), BR, "ad"),
            ev(at(at0, 2.0), BR, "marketing"),
        ]}));
        windows(&r)
            .into_iter()
            .filter(|x| x.0 == "entry_point")
            .map(|x| (x.3, x.4))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ends("2026-10-12T08:00:00Z"),
        vec![(
            "2026-10-12T10:00:00Z".to_string(),
            "2026-10-14T10:00:00Z".to_string()
        )]
    );
    assert_eq!(
        ends("2023-02-10T08:00:00Z"),
        vec![(
            "2023-02-10T10:00:00Z".to_string(),
            "2023-02-11T10:00:00Z".to_string()
        )]
    );
}

/// Windows come with the messages: `messages: 'none'` returns none, and the native kernel keeps
/// them only when asked (`Options::keep_windows`).
#[test]
fn windows_only_when_asked() {
    let b = "2026-10-12T08:00:00Z";
    let events = json!([ev(at(b, 0.0), BR, "ad"), ev(at(b, 1.0), BR, "message")]);
    let none = run(json!({ "options": { "messages": "none" }, "events": events }));
    assert!(none.windows.is_empty());
    let json: Value = serde_json::to_value(&none).unwrap();
    assert_eq!(json["windows"], json!([]));

    let engine = engine();
    let user = waprice::markets::Phone::parse(BR, "").unwrap();
    let event = |h: f64, kind| Event {
        at: at(b, h),
        user,
        kind,
        from: None,
        status: Status::Delivered,
    };
    let mut req = Request {
        currency: "USD".into(),
        zone: waprice::time::Zone::UTC,
        business: Default::default(),
        options: Options::default(),
        events: vec![
            event(0.0, EventKind::Inbound { referral: true }),
            event(1.0, EventKind::Message),
        ],
        sources: Default::default(),
    };
    assert!(simulate(&engine, &req).unwrap().windows.is_empty());
    req.options.keep_windows = true;
    let kinds: Vec<_> = simulate(&engine, &req)
        .unwrap()
        .windows
        .iter()
        .map(|w| (w.kind, w.index, w.end - w.start))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (WindowKind::Service, 0, 24 * 3_600_000),
            (WindowKind::EntryPoint, 1, 72 * 3_600_000)
        ]
    );
}
