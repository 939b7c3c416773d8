//! Each rule boundary of the simulator issue has its own test.

mod common;
use common::*;
use serde_json::json;
use waprice::ErrorCode;

const IN: &str = "+919812345678";
const BR: &str = "+5511987654321";

/// A customer-service window opened at T covers T ≤ t < T + 24 h.
#[test]
fn window_is_exactly_24_hours_half_open() {
    let b = "2026-10-12T08:00:00Z";
    let r = run(json!({ "events": [
        ev(at(b, 0.0), IN, "inbound"),
        json!({ "at": at(b, 24.0) - 1, "user": IN, "kind": "message" }),
        ev(at(b, 24.0), IN, "message"),
    ]}));
    assert_eq!(
        verdicts(&r),
        vec![
            v("service", "free_customer_service", "0"),
            v("service", "not_delivered", "0")
        ]
    );
}

/// Business messages never extend the window; each user message restarts it.
#[test]
fn only_user_messages_restart_the_window() {
    let b = "2025-08-04T08:00:00Z";
    let r = run(json!({ "events": [
        ev(at(b, 0.0), IN, "inbound"),
        ev(at(b, 20.0), IN, "message"),
        ev(at(b, 25.0), IN, "message"),
        ev(at(b, 26.0), IN, "inbound"),
        ev(at(b, 49.0), IN, "utility"),
        ev(at(b, 50.0), IN, "utility"),
    ]}));
    assert_eq!(
        verdicts(&r),
        vec![
            v("service", "free_customer_service", "0"),
            v("service", "not_delivered", "0"),
            v("utility", "free_customer_service", "0"),
            v("utility", "regular", "0.0014"),
        ]
    );
}

/// Monthly counters reset at local midnight on the 1st: in Asia/Kolkata, 18:29:59Z and 18:30:00Z
/// on 31 October fall in different months; in UTC, in the same one.
#[test]
fn month_boundary_in_a_non_utc_zone() {
    let events = json!([
        json!({ "at": "2026-10-31T12:00:00Z", "user": IN, "kind": "inbound" }),
        json!({ "at": "2026-10-31T18:29:59Z", "user": IN, "kind": "message" }),
        json!({ "at": "2026-10-31T18:30:00Z", "user": IN, "kind": "inbound" }),
        json!({ "at": "2026-10-31T18:30:00Z", "user": IN, "kind": "message" }),
    ]);
    let kolkata = run(
        json!({ "timezone": "Asia/Kolkata", "options": { "serviceAllowance": 1 }, "events": events }),
    );
    assert_eq!(
        verdicts(&kolkata),
        vec![
            v("service", "free_customer_service", "0"),
            v("service", "free_customer_service", "0")
        ]
    );
    assert_eq!(kolkata.messages[1].local_date, "2026-11-01");
    let utc =
        run(json!({ "timezone": "UTC", "options": { "serviceAllowance": 1 }, "events": events }));
    // India service rate from 2026-10-01 = utility 0.0014.
    assert_eq!(
        verdicts(&utc),
        vec![
            v("service", "free_customer_service", "0"),
            v("service", "regular", "0.0014")
        ]
    );
    let fixed = run(
        json!({ "timezone": "+05:30", "options": { "serviceAllowance": 1 }, "events": events }),
    );
    assert_eq!(verdicts(&fixed), verdicts(&kolkata));
    assert_eq!(kolkata.totals.by_month.len(), 0);
    assert_eq!(
        utc.totals.by_month.get("2026-10").map(String::as_str),
        Some("0.0014")
    );
}

/// A card takes effect at 00:00 local on its date: India marketing 0.0107 (2025-10-01) becomes
/// 0.0118 (2026-01-01) at 18:30Z on 31 December in Asia/Kolkata.
#[test]
fn card_change_at_local_midnight() {
    let r = run(json!({ "timezone": "Asia/Kolkata", "events": [
        json!({ "at": "2025-12-31T18:29:59.999Z", "user": IN, "kind": "template", "category": "marketing" }),
        json!({ "at": "2025-12-31T18:30:00Z", "user": IN, "kind": "template", "category": "marketing" }),
    ]}));
    assert_eq!(
        verdicts(&r),
        vec![
            v("marketing", "regular", "0.0107"),
            v("marketing", "regular", "0.0118")
        ]
    );
    let dates: Vec<_> = r.cards.iter().map(|c| c.date.as_str()).collect();
    assert_eq!(dates, vec!["2025-10-01", "2026-01-01"]);
    let utc = run(
        json!({ "events": [json!({ "at": "2025-12-31T18:30:00Z", "user": IN, "kind": "template", "category": "marketing" })] }),
    );
    assert_eq!(utc.messages[0].amount, "0.0107");
}

/// A small custom tier table: band 1 = messages 1–2 at 1.00, band 2 = 3+ at 0.50; four charged
/// utility templates cost 1 + 1 + 0.5 + 0.5 = 3. The month's count restarts on the 1st.
#[test]
fn tier_band_crossed_with_a_custom_table() {
    let tiers = "effective_date,currency,market,category,tier,volume_from,volume_to,rate_type,rate,discount_vs_list,confidence,sources,note\n\
        2026-10-01,USD,Brazil,utility,1,0,2,List rate,1.00,0%,high,test,\n\
        2026-10-01,USD,Brazil,utility,2,3,,Tier rate,0.50,-50%,high,test,\n";
    let e = engine_with(&[], &[tiers], &[]);
    let b = "2026-10-20T00:00:00Z";
    let mut events: Vec<_> = (0..4)
        .map(|i| ev(at(b, 30.0 * i as f64), BR, "utility"))
        .collect();
    events.push(ev(at("2026-11-02T00:00:00Z", 0.0), BR, "utility"));
    let r = try_run_with(&e, json!({ "events": events })).unwrap();
    let amounts: Vec<_> = r
        .messages
        .iter()
        .map(|m| (m.amount.as_str(), m.tier))
        .collect();
    assert_eq!(
        amounts,
        vec![
            ("1", Some(1)),
            ("1", Some(1)),
            ("0.5", Some(2)),
            ("0.5", Some(2)),
            ("1", Some(1))
        ]
    );
    assert_eq!(dec(&r.totals.amount), dec("4"));
    assert!(
        r.warnings.iter().any(|w| w.code == "tier_list_mismatch"),
        "band 1 (1.00) differs from the list rate 0.0068"
    );
}

/// The 1,000th service message of a number in a month is free, the 1,001st charged; with two
/// numbers sharing the traffic, the allowance is not exhausted.
#[test]
fn service_allowance_1000th_and_1001st() {
    let b = "2026-10-05T00:00:00Z";
    let mut events = vec![];
    for i in 0..1001 {
        let user = format!("+91981{:07}", i);
        events.push(json!({ "at": at(b, 0.0) + i * 60_000, "user": user, "kind": "inbound" }));
        events.push(json!({ "at": at(b, 0.0) + i * 60_000 + 1000, "user": user, "kind": "message", "from": "+15550001111" }));
    }
    let r = run(json!({ "events": events }));
    assert_eq!(r.messages[999].amount, "0");
    assert_eq!(
        serde_json::to_value(&r.messages[999]).unwrap()["type"],
        "free_customer_service"
    );
    assert_eq!(r.messages[1000].amount, "0.0014");
    assert_eq!(r.totals.charged, 1);
    // Two numbers: alternate the sender.
    for (i, e) in events.iter_mut().enumerate() {
        if i % 4 == 3 {
            e["from"] = json!("+15550002222");
        }
    }
    let r = run(json!({ "events": events }));
    assert_eq!(r.totals.charged, 0);
    // Per-account scope: one allowance for both numbers.
    let r = run(json!({ "events": events, "options": { "serviceAllowanceScope": "waba" } }));
    assert_eq!(r.totals.charged, 1);
    // Reactions are free and do not count.
    let mut with_reactions = events.clone();
    with_reactions.insert(
        1,
        json!({ "at": at(b, 0.0) + 500, "user": "+919810000000", "kind": "reaction" }),
    );
    let r =
        run(json!({ "events": with_reactions, "options": { "serviceAllowanceScope": "waba" } }));
    assert_eq!(r.totals.charged, 1);
    assert_eq!(
        serde_json::to_value(&r.messages[0]).unwrap()["type"],
        "free_customer_service"
    );
    // A non-profit keeps free service.
    let r = run(
        json!({ "events": events, "options": { "serviceAllowanceScope": "waba", "nonprofit": true } }),
    );
    assert_eq!(r.totals.charged, 0);
}

/// An entry-point reply 1 ms before 24 h opens the window; at exactly 24 h it does not (and the
/// chance is used up).
#[test]
fn entry_point_reply_just_inside_and_just_outside_24h() {
    let b = "2026-10-12T10:00:00Z";
    let inside = run(json!({ "events": [
        ev(at(b, 0.0), IN, "ad"),
        json!({ "at": at(b, 24.0) - 1, "user": IN, "kind": "template", "category": "marketing" }),
        ev(at(b, 30.0), IN, "marketing"),
    ]}));
    assert_eq!(
        verdicts(&inside),
        vec![
            v("referral_conversion", "free_entry_point", "0"),
            v("referral_conversion", "free_entry_point", "0")
        ]
    );
    let outside = run(json!({ "events": [
        ev(at(b, 0.0), IN, "ad"),
        ev(at(b, 24.0), IN, "marketing"),
        ev(at(b, 25.0), IN, "marketing"),
    ]}));
    assert_eq!(
        verdicts(&outside),
        vec![
            v("marketing", "regular", "0.0118"),
            v("marketing", "regular", "0.0118")
        ]
    );
    // A failed reply neither opens the window nor uses the chance.
    let failed = run(json!({ "events": [
        ev(at(b, 0.0), IN, "ad"),
        json!({ "at": at(b, 1.0), "user": IN, "kind": "template", "category": "marketing", "status": "failed" }),
        ev(at(b, 2.0), IN, "marketing"),
    ]}));
    assert_eq!(
        verdicts(&failed),
        vec![
            v("marketing", "not_delivered", "0"),
            v("referral_conversion", "free_entry_point", "0")
        ]
    );
    // The window lasts `fepHours`, and 24 h before 2023-03-01.
    let long = run(json!({ "options": { "fepHours": 168 }, "events": [
        ev(at(b, 0.0), IN, "ad"), ev(at(b, 1.0), IN, "utility"), ev(at(b, 1.0 + 167.99), IN, "utility"), ev(at(b, 1.0 + 168.0), IN, "utility"),
    ]}));
    let types: Vec<_> = verdicts(&long).into_iter().map(|x| x.1).collect();
    assert_eq!(
        types,
        vec!["free_entry_point", "free_entry_point", "regular"]
    );
    let early = run(json!({ "events": [
        ev(at("2023-02-10T10:00:00Z", 0.0), BR, "ad"), ev(at("2023-02-10T11:00:00Z", 0.0), BR, "marketing"),
        ev(at("2023-02-11T10:59:00Z", 0.0), BR, "marketing"), ev(at("2023-02-11T11:00:00Z", 0.0), BR, "marketing"),
    ]}));
    let cats: Vec<_> = verdicts(&early).into_iter().map(|x| x.0).collect();
    assert_eq!(
        cats,
        vec![
            "referral_conversion",
            "referral_conversion",
            "business_initiated"
        ]
    );
}

/// Opening an entry point closes open conversations (SPEC §7.2, §13.5).
#[test]
fn entry_point_closes_conversations() {
    let b = "2024-03-04T00:00:00Z";
    let r = run(json!({ "events": [
        ev(at(b, 0.0), IN, "marketing"),
        ev(at(b, 1.0), IN, "ad"),
        ev(at(b, 2.0), IN, "message"),
        ev(at(b, 3.0), IN, "marketing"),
        ev(at(b, 2.0 + 72.0), IN, "marketing"),
    ]}));
    assert_eq!(
        verdicts(&r),
        vec![
            v("marketing", "regular", "0.0099"),
            v("referral_conversion", "free_entry_point", "0"),
            v("referral_conversion", "free_entry_point", "0"),
            v("marketing", "regular", "0.0099"),
        ]
    );
    let fep = r.messages[1].conversation.as_ref().unwrap();
    assert!(fep.opened);
    assert_eq!(r.messages[2].conversation.as_ref().unwrap().id, fep.id);
}

/// The 2025-07-01 transition at local midnight in a non-UTC zone, and that a carried utility
/// conversation takes precedence over "utility inside the window is free".
#[test]
fn transition_in_business_time() {
    let r = run(json!({ "timezone": "-03:00", "events": [
        json!({ "at": "2025-07-01T02:59:59Z", "user": IN, "kind": "template", "category": "marketing" }),
        json!({ "at": "2025-07-01T03:00:00Z", "user": IN, "kind": "template", "category": "marketing" }),
    ]}));
    let models: Vec<_> = r
        .messages
        .iter()
        .map(|m| format!("{:?}", m.pricing_model))
        .collect();
    assert_eq!(models, vec!["Cbp", "Pmp"]);
    let r = run(json!({ "events": [
        json!({ "at": "2025-06-30T22:00:00Z", "user": IN, "kind": "template", "category": "utility" }),
        json!({ "at": "2025-07-01T01:00:00Z", "user": IN, "kind": "inbound" }),
        json!({ "at": "2025-07-01T02:00:00Z", "user": IN, "kind": "template", "category": "utility" }),
        json!({ "at": "2025-07-01T23:00:00Z", "user": IN, "kind": "template", "category": "utility" }),
    ]}));
    assert_eq!(
        verdicts(&r),
        vec![
            v("utility", "regular", "0.0014"),
            v("utility", "regular", "0"),
            v("utility", "free_customer_service", "0")
        ]
    );
    assert!(r.messages[1].conversation.is_some());
}

/// Authentication-international: eligible, abroad, and a rate in force.
#[test]
fn authentication_international() {
    let id = "+6281234567890";
    let e = |country: serde_json::Value, start: &str| {
        run(
            json!({ "business": { "country": country, "authInternational": { "ID": start } }, "events": [
                json!({ "at": "2026-10-09T11:00:00Z", "user": id, "kind": "template", "category": "authentication" }),
            ]}),
        )
    };
    assert_eq!(
        verdicts(&e(json!("IN"), "2025-01-01")),
        vec![v("authentication_international", "regular", "0.136")]
    );
    assert_eq!(
        verdicts(&e(json!(null), "2025-01-01")),
        vec![v("authentication_international", "regular", "0.136")]
    );
    assert_eq!(
        verdicts(&e(json!("ID"), "2025-01-01")),
        vec![v("authentication", "regular", "0.025")]
    );
    assert_eq!(
        verdicts(&e(json!("IN"), "2026-10-10")),
        vec![v("authentication", "regular", "0.025")]
    );
    // No authentication-international rate for Brazil: domestic rate.
    let r = run(
        json!({ "business": { "authInternational": { "BR": "2020-01-01" } }, "events": [
            json!({ "at": "2026-10-09T11:00:00Z", "user": BR, "kind": "template", "category": "authentication" }),
        ]}),
    );
    assert_eq!(r.messages[0].category, "authentication");
    // Conversation era: decided when the conversation opens; later authentication rides.
    let r = run(
        json!({ "business": { "country": "IN", "authInternational": { "ID": "2024-01-01" } }, "events": [
            json!({ "at": "2024-08-05T10:00:00Z", "user": id, "kind": "template", "category": "authentication" }),
            json!({ "at": "2024-08-05T11:00:00Z", "user": id, "kind": "template", "category": "authentication" }),
        ]}),
    );
    assert_eq!(verdicts(&r)[0].0, "authentication_international");
    assert_eq!(
        verdicts(&r)[1],
        v("authentication_international", "regular", "0")
    );
}

/// Undelivered messages cost nothing, open nothing, and keep their intended category.
#[test]
fn undelivered_messages_change_nothing() {
    let b = "2024-03-04T00:00:00Z";
    let r = run(json!({ "events": [
        json!({ "at": at(b, 0.0), "user": IN, "kind": "template", "category": "marketing", "status": "failed" }),
        json!({ "at": at(b, 1.0), "user": IN, "kind": "template", "category": "marketing", "status": "sent" }),
        ev(at(b, 2.0), IN, "marketing"),
    ]}));
    assert_eq!(
        verdicts(&r),
        vec![
            v("marketing", "not_delivered", "0"),
            v("marketing", "not_delivered", "0"),
            v("marketing", "regular", "0.0099")
        ]
    );
    assert!(r.messages[0].conversation.is_none());
    assert_eq!(r.totals.not_delivered, 2);
}

/// Events are processed by instant, stably: a business message listed before a user message at
/// the same instant finds no window from it.
#[test]
fn equal_instants_keep_input_order() {
    let t = at("2026-10-12T08:00:00Z", 0.0);
    let r = run(
        json!({ "events": [ev(t, IN, "message"), ev(t, IN, "inbound"), ev(t, IN, "message")] }),
    );
    assert_eq!(
        verdicts(&r),
        vec![
            v("service", "not_delivered", "0"),
            v("service", "free_customer_service", "0")
        ]
    );
    // Unsorted input: processed in time order, reported in input order.
    let r = run(json!({ "events": [ev(t + 1000, IN, "message"), ev(t, IN, "inbound")] }));
    assert_eq!(r.messages[0].index, 0);
    assert_eq!(
        verdicts(&r),
        vec![v("service", "free_customer_service", "0")]
    );
}

/// Market moves: Zimbabwe to Rest of Africa on 2025-10-01, Hong Kong standalone on 2026-07-01.
#[test]
fn markets_resolve_at_the_local_date() {
    let r = run(json!({ "events": [
        json!({ "at": "2025-09-30T12:00:00Z", "user": "+263771234567", "kind": "template", "category": "marketing" }),
        json!({ "at": "2025-10-01T12:00:00Z", "user": "+263771234567", "kind": "template", "category": "marketing" }),
        json!({ "at": "2026-06-30T12:00:00Z", "user": "+85291234567", "kind": "template", "category": "marketing" }),
        json!({ "at": "2026-07-01T12:00:00Z", "user": "+85291234567", "kind": "template", "category": "marketing" }),
    ]}));
    let m: Vec<_> = r.messages.iter().map(|m| m.market.as_str()).collect();
    assert_eq!(
        m,
        vec![
            "Other",
            "Rest of Africa",
            "Rest of Asia Pacific",
            "Hong Kong"
        ]
    );
}

/// Errors name the field and the value; nothing panics.
#[test]
fn errors_name_path_and_value() {
    let e = engine();
    let err = try_run_with(&e, json!({ "events": [ev(0, IN, "inbound"), ev(1, IN, "inbound"), ev(2, IN, "inbound"), json!({ "at": 3, "user": "+12", "kind": "inbound" })] })).unwrap_err();
    assert_eq!(
        (err.code, err.path.as_str()),
        (ErrorCode::InvalidPhone, "events[3].user")
    );
    assert!(err.message.contains("\"+12\""));
    let err = try_run_with(
        &e,
        json!({ "events": [ev(at("2022-01-31T12:00:00Z", 0.0), IN, "marketing")] }),
    )
    .unwrap_err();
    assert_eq!(
        (err.code, err.path.as_str()),
        (ErrorCode::UnsupportedDate, "events[0].at")
    );
    let err = try_run_with(
        &e,
        json!({ "events": [ev(at("2025-08-04T00:00:00Z", 0.0), "+4930123456", "authentication")] }),
    )
    .unwrap_err();
    assert_eq!(
        (err.code, err.path.as_str()),
        (ErrorCode::MissingRate, "events[0]")
    );
    assert!(
        err.message.contains("USD")
            && err.message.contains("Germany")
            && err.message.contains("authentication")
            && err.message.contains("2025-08-04"),
        "{}",
        err.message
    );
    let err = try_run_with(&e, json!({ "currency": "XAU", "events": [] })).unwrap_err();
    assert_eq!(
        (err.code, err.path.as_str()),
        (ErrorCode::MissingRate, "currency")
    );
    let err = try_run_with(&e, json!({ "events": [json!({ "at": 0, "user": IN, "kind": "template", "category": "promo" })] })).unwrap_err();
    assert_eq!(
        (err.code, err.path.as_str()),
        (ErrorCode::InvalidCategory, "events[0].category")
    );
    let err = try_run_with(&e, json!({ "options": { "fepHours": -1 }, "events": [] })).unwrap_err();
    assert_eq!(
        (err.code, err.path.as_str()),
        (ErrorCode::InvalidOption, "options.fepHours")
    );
    let err = try_run_with(
        &e,
        json!({ "options": { "unlistedNanpMarket": "Atlantis" }, "events": [] }),
    )
    .unwrap_err();
    assert_eq!(
        (err.code, err.path.as_str()),
        (ErrorCode::UnknownMarket, "options.unlistedNanpMarket")
    );
    // Free tier conversations need no rate: a missing rate is not an error then.
    let ok = try_run_with(
        &e,
        json!({ "events": [ev(at("2022-09-05T00:00:00Z", 0.0), "+4930123456", "marketing")] }),
    )
    .unwrap();
    assert_eq!(
        verdicts(&ok),
        vec![v("business_initiated", "free_tier", "0")]
    );
}

/// A typo in a field name is an error naming the path, never a silent default.
#[test]
fn unknown_fields_are_errors() {
    for req in [
        json!({ "timeZone": "UTC", "events": [] }),
        json!({ "options": { "fepHour": 24 }, "events": [] }),
        json!({ "events": [{ "at": 0, "user": IN, "kind": "inbound", "statu": "failed" }] }),
    ] {
        let r: Result<waprice::input::RawRequest, _> = serde_json::from_value(req.clone());
        let err = r.expect_err("unknown field rejected").to_string();
        assert!(err.contains("unknown field"), "{req}: {err}");
    }
}
