//! Every worked example of SPEC §11, with the arithmetic written out.

mod common;
use common::*;
use serde_json::json;

const IN: &str = "+919812345678";

/// §11.1 under 7.3 (2026-01 card): marketing charged, free-form free, utility in the window free,
/// utility outside the window charged: 2 charges.
#[test]
fn example_1_per_message() {
    let b = "2026-01-12T00:00:00Z";
    let r = run(json!({ "events": [
        ev(at(b, 0.0), IN, "marketing"),
        ev(at(b, 2.0), IN, "inbound"),
        ev(at(b, 3.0), IN, "message"),
        ev(at(b, 4.0), IN, "utility"),
        ev(at(b, 30.0), IN, "utility"),
    ]}));
    assert_eq!(
        verdicts(&r),
        vec![
            v("marketing", "regular", "0.0118"),
            v("service", "free_customer_service", "0"),
            v("utility", "free_customer_service", "0"),
            v("utility", "regular", "0.0014"),
        ]
    );
    // India 2026-01-01 card: marketing 0.0118 + utility 0.0014.
    assert_eq!(dec(&r.totals.amount), dec("0.0132"));
    assert_eq!(r.totals.charged, 2);
    assert!(
        r.warnings.iter().any(|w| w.code == "no_tier_table"),
        "no USD tier table before 2026-10-01"
    );
}

/// §11.1 under 7.4 rules: t3 is a service message within the allowance, t4 is charged.
#[test]
fn example_1_paid_service_rules() {
    let b = "2026-10-12T00:00:00Z";
    let r = run(json!({ "events": [
        ev(at(b, 0.0), IN, "marketing"),
        ev(at(b, 2.0), IN, "inbound"),
        ev(at(b, 3.0), IN, "message"),
        ev(at(b, 4.0), IN, "utility"),
        ev(at(b, 30.0), IN, "utility"),
    ]}));
    assert_eq!(
        verdicts(&r),
        vec![
            v("marketing", "regular", "0.0118"),
            v("service", "free_customer_service", "0"),
            v("utility", "regular", "0.0014"),
            v("utility", "regular", "0.0014"),
        ]
    );
    assert_eq!(r.messages[2].tier, Some(1));
    // 0.0118 + 2 × 0.0014
    assert_eq!(dec(&r.totals.amount), dec("0.0146"));
}

/// §11.2: marketing and utility conversations; a second utility template rides free.
#[test]
fn example_2_categories() {
    let b = "2024-03-04T00:00:00Z";
    let r = run(json!({ "events": [
        ev(at(b, 0.0), IN, "marketing"),
        ev(at(b, 4.0), IN, "utility"),
        ev(at(b, 10.0), IN, "utility"),
    ]}));
    // India 2023-06-01 card: marketing 0.0099, utility 0.0042.
    assert_eq!(
        verdicts(&r),
        vec![
            v("marketing", "regular", "0.0099"),
            v("utility", "regular", "0.0042"),
            v("utility", "regular", "0")
        ]
    );
    let c: Vec<_> = r
        .messages
        .iter()
        .map(|m| m.conversation.as_ref().unwrap())
        .collect();
    assert!(c[0].opened && c[1].opened && !c[2].opened);
    assert_eq!(c[1].id, c[2].id);
    assert_eq!(r.totals.conversations.values().sum::<u64>(), 2);
    assert_eq!(dec(&r.totals.amount), dec("0.0141"));
    assert!(r
        .messages
        .iter()
        .all(|m| m.pricing_model == waprice::model::PricingModel::Cbp));
}

/// §11.3: free-form rides in the marketing conversation, then opens a service conversation.
#[test]
fn example_3_service_conversation() {
    for (base, service_type) in [
        ("2024-03-04T00:00:00Z", "free_tier"),
        ("2024-12-02T00:00:00Z", "free_customer_service"),
    ] {
        let r = run(json!({ "events": [
            ev(at(base, 0.0), IN, "marketing"),
            ev(at(base, 4.0), IN, "inbound"),
            ev(at(base, 5.0), IN, "message"),
            ev(at(base, 25.0), IN, "message"),
            ev(at(base, 26.0), IN, "message"),
        ]}));
        let mk = r.messages[0].amount.clone();
        assert_eq!(
            verdicts(&r),
            vec![
                v("marketing", "regular", &mk),
                v("marketing", "regular", "0"),
                v("service", service_type, "0"),
                v("service", service_type, "0"),
            ],
            "{base}"
        );
        assert_eq!(r.totals.conversations.get("marketing"), Some(&1));
        assert_eq!(r.totals.conversations.get("service"), Some(&1));
    }
    // Without a free tier the 2024-03 service conversation costs India's service rate 0.0040.
    let b = "2024-03-04T00:00:00Z";
    let r = run(
        json!({ "options": { "conversationFreeTier": 0 }, "events": [
            ev(at(b, 4.0), IN, "inbound"),
            ev(at(b, 5.0), IN, "message"),
        ]}),
    );
    assert_eq!(verdicts(&r), vec![v("service", "regular", "0.004")]);
}

/// §11.4: an ad-originated message at 10:00 day 0, a reply at 22:00 day 0 opens an FEP window to
/// 22:00 day 3; free-form only while the customer-service window (to 10:00 day 1) is open.
#[test]
fn example_4_free_entry_point() {
    let b = "2026-10-12T10:00:00Z";
    let r = run(json!({ "events": [
        ev(at(b, 0.0), IN, "ad"),
        ev(at(b, 12.0), IN, "message"),
        ev(at(b, 23.999), IN, "message"),
        ev(at(b, 24.0), IN, "message"),
        ev(at(b, 30.0), IN, "marketing"),
        ev(at(b, 83.999), IN, "utility"),
        ev(at(b, 84.0), IN, "utility"),
    ]}));
    assert_eq!(
        verdicts(&r),
        vec![
            v("referral_conversion", "free_entry_point", "0"),
            v("referral_conversion", "free_entry_point", "0"),
            v("service", "not_delivered", "0"),
            v("referral_conversion", "free_entry_point", "0"),
            v("referral_conversion", "free_entry_point", "0"),
            v("utility", "regular", "0.0014"),
        ]
    );
    assert!(r
        .warnings
        .iter()
        .any(|w| w.code == "no_window" && w.index == Some(3)));
}

/// §11.5: 150,000 Egypt utility messages on the 2026-10-01 USD card:
/// 100,000 × 0.0036 + 50,000 × 0.0034 = 530.00.
#[test]
fn example_5_tiers() {
    let events: Vec<_> = (0..150_000)
        .map(|i| {
            ev(
                at("2026-10-01T00:00:00Z", 0.0) + i as i64 * 15_000,
                &format!("+2010{:08}", i % 5000),
                "utility",
            )
        })
        .collect();
    let r = run(json!({ "events": events, "options": { "messages": "none" } }));
    assert_eq!(dec(&r.totals.amount), dec("530"));
    assert_eq!(r.totals.charged, 150_000);
    // Tier savings: 50,000 × (0.0036 − 0.0034) = 10.
    assert_eq!(dec(&r.totals.tier_savings), dec("10"));
}

/// §11.6: a utility conversation opened 2025-06-30 20:00 absorbs utility templates after
/// 2025-07-01 00:00 until it ends; afterwards utility outside a window is charged per message.
#[test]
fn example_6_transition() {
    let r = run(json!({ "events": [
        ev(at("2025-06-30T20:00:00Z", 0.0), IN, "utility"),
        ev(at("2025-07-01T02:00:00Z", 0.0), IN, "utility"),
        ev(at("2025-07-01T10:00:00Z", 0.0), IN, "utility"),
        ev(at("2025-07-01T21:00:00Z", 0.0), IN, "utility"),
    ]}));
    assert_eq!(
        verdicts(&r),
        vec![
            v("utility", "regular", "0.0014"),
            v("utility", "regular", "0"),
            v("utility", "regular", "0"),
            v("utility", "regular", "0.0014"),
        ]
    );
    let cbp = waprice::model::PricingModel::Cbp;
    assert_eq!(r.messages[1].pricing_model, cbp);
    assert_eq!(r.messages[2].pricing_model, cbp);
    assert_eq!(
        r.messages[3].pricing_model,
        waprice::model::PricingModel::Pmp
    );
    assert!(r.messages[3].conversation.is_none());
}

/// §11.7: in 2022 a reply inside the window opens a user-initiated conversation, a later template
/// a business-initiated one; both free within the month's first 1,000.
#[test]
fn example_7_two_types() {
    let br = "+5511987654321";
    let b = "2022-09-05T00:00:00Z";
    let events = json!([
        ev(at(b, 0.0), br, "inbound"),
        ev(at(b, 1.0), br, "message"),
        ev(at(b, 30.0), br, "marketing")
    ]);
    let r = run(json!({ "events": events }));
    assert_eq!(
        verdicts(&r),
        vec![
            v("user_initiated", "free_tier", "0"),
            v("business_initiated", "free_tier", "0")
        ]
    );
    let c = r.messages[0].conversation.as_ref().unwrap();
    assert_eq!(
        (c.start.as_str(), c.end.as_str()),
        ("2022-09-05T01:00:00Z", "2022-09-06T01:00:00Z")
    );
    // Past the free tier: Brazil user-initiated 0.0300 + business-initiated 0.0500.
    let r = run(json!({ "events": events, "options": { "conversationFreeTier": 0 } }));
    assert_eq!(
        verdicts(&r),
        vec![
            v("user_initiated", "regular", "0.03"),
            v("business_initiated", "regular", "0.05")
        ]
    );
    assert_eq!(dec(&r.totals.amount), dec("0.08"));
}

/// SPEC §15, §14 (Meta's status webhook reference, copy updated 2025-11-20; the BSP documentation
/// of the Marketing Messages API launch, 2025-04): an MM Lite message is charged per delivered
/// message at the marketing rate in every era in which it appears — in May 2025 at the
/// conversation-era card's rate — labelled `PMP`, `regular`; it opens no conversation and rides in
/// none.
#[test]
fn marketing_lite_is_per_message_in_the_conversation_era() {
    let b = "2025-05-05T08:00:00Z";
    let lite = |t: i64| json!({ "at": t, "user": IN, "kind": "marketing_lite" });
    let r = run(json!({ "events": [
        lite(at(b, 0.0)),
        ev(at(b, 1.0), IN, "inbound"),
        ev(at(b, 2.0), IN, "message"),
        ev(at(b, 3.0), IN, "marketing"),
        lite(at(b, 4.0)),
    ]}));
    // India, USD card of 2024-11-01: marketing 0.0107. The free-form message finds no
    // conversation open (the MM Lite message opened none): it opens a free service conversation
    // (service free from 2024-11-01, SPEC §7.2); the marketing template opens a marketing
    // conversation; the second MM Lite message rides in none.
    assert_eq!(
        verdicts(&r),
        vec![
            v("marketing", "regular", "0.0107"),
            v("service", "free_customer_service", "0"),
            v("marketing", "regular", "0.0107"),
            v("marketing", "regular", "0.0107"),
        ]
    );
    let m: Vec<serde_json::Value> = r
        .messages
        .iter()
        .map(|m| serde_json::to_value(m).unwrap())
        .collect();
    for i in [0, 3] {
        assert_eq!(m[i]["pricingModel"], "PMP", "{}", m[i]);
        assert_eq!(m[i]["kind"], "marketing_lite");
        assert_eq!(m[i]["billable"], true);
        assert!(m[i]["conversation"].is_null(), "{}", m[i]);
    }
    assert_eq!(m[1]["conversation"]["opened"], true);
    assert_eq!(m[2]["pricingModel"], "CBP");
    assert_eq!(r.totals.conversations.values().sum::<u64>(), 2);
    assert_eq!(dec(&r.totals.amount), dec("0.0321"));
    // The two-type era's cards have no marketing rate: a missing rate, naming the event.
    let e = common::try_run_with(
        &common::engine(),
        json!({ "events": [lite(at("2022-05-05T08:00:00Z", 0.0))] }),
    )
    .unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.path.as_str()),
        ("missing_rate", "events[0]")
    );
}

/// SPEC §15 (Direct Send, utility generally available from 2026-07-31; priced as a template of its
/// category: inferred): a `direct_send` event with a category is priced as that template.
#[test]
fn direct_send_is_priced_as_its_category() {
    let b = "2026-10-05T08:00:00Z";
    let direct =
        json!({ "at": at(b, 0.0), "user": IN, "kind": "direct_send", "category": "utility" });
    let r = run(json!({ "events": [direct, ev(at(b, 1.0), IN, "utility")] }));
    // India, USD card of 2026-10-01: utility 0.0014, both in band 1.
    assert_eq!(
        verdicts(&r),
        vec![
            v("utility", "regular", "0.0014"),
            v("utility", "regular", "0.0014"),
        ]
    );
    let e = common::try_run_with(
        &common::engine(),
        json!({ "events": [{ "at": at(b, 0.0), "user": IN, "kind": "direct_send" }] }),
    )
    .unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.path.as_str()),
        ("invalid_category", "events[0].category")
    );
}
