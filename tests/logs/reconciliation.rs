//! Webhooks: statuses merged into messages, delivery time-outs, reconciliation with Meta's `pricing` objects.

use super::*;

fn status_line(id: &str, status: &str, t: i64, to: &str, pricing: Option<Value>) -> String {
    let mut s =
        json!({ "id": id, "status": status, "timestamp": t.to_string(), "recipient_id": to });
    if let Some(p) = pricing {
        s["pricing"] = p;
    }
    json!({ "object": "whatsapp_business_account", "entry": [{ "id": "1", "changes": [{ "field": "messages",
        "value": { "messaging_product": "whatsapp", "metadata": { "display_phone_number": "15550001111", "phone_number_id": "1" },
                   "statuses": [s] } }] }] })
    .to_string()
}

#[test]
fn webhooks_merge_statuses_and_reconcile_with_meta() {
    let engine = common::engine();
    let r = price(&engine, json!({ "format": "webhook" }), WEBHOOKS_JSONL);
    let i = &r.input;
    assert_eq!(i.errors, 0, "{:?}", i.error_list);
    assert_eq!(i.statuses, 24);
    assert_eq!(i.inbound, 3);
    assert_eq!(
        i.business_messages, 11,
        "one business event per message id, whatever its statuses"
    );
    assert_eq!(i.statuses_after_priced, 2, "the two late `read` statuses");
    assert_eq!(i.other_changes, 1, "the template category update");
    let t = r.totals.as_ref().unwrap();
    assert_eq!((t.charged, t.not_delivered), (5, 2), "two failed messages");
    assert_eq!(
        t.by_type["free_entry_point"], 1,
        "the reply to the ad, delivered before its `sent` came in"
    );
    let rc = r.reconciliation.as_ref().unwrap();
    assert_eq!(
        (rc.compared, rc.agreed, rc.disagreed, rc.without_pricing),
        (9, 8, 1, 0)
    );
    let d = &rc.disagreements[0];
    assert_eq!((d.id.as_str(), d.line), ("wamid.F1", 18));
    assert_eq!(d.fields, ["billable", "type"]);
    assert_eq!(d.meta.vtype.as_deref(), Some("free_customer_service"));
    assert_eq!(
        (d.engine.category.as_str(), d.engine.vtype.as_str()),
        ("authentication", "regular")
    );
    assert!(
        d.explanation.contains("authentication template"),
        "{}",
        d.explanation
    );
    // Conversation-era (CBP) and per-message (PMP) verdicts in one log.
    let cards: Vec<String> = r
        .cards
        .iter()
        .map(|c| format!("{}", serde_json::to_value(c).unwrap()))
        .collect();
    assert!(
        cards.iter().any(|c| c.contains("CBP")) && cards.iter().any(|c| c.contains("PMP")),
        "{cards:?}"
    );
    let egypt: Vec<_> = r.invoice.iter().filter(|x| x.market == "Egypt").collect();
    assert_eq!(
        egypt.iter().map(|x| x.charged).sum::<u64>(),
        2,
        "a marketing and a utility conversation"
    );
    assert_eq!(
        egypt.iter().map(|x| x.meta_billable.unwrap()).sum::<u64>(),
        3,
        "Meta marks every message of a billable conversation"
    );
    assert!(r.warnings.iter().any(|w| w.code == "assumed_kind"));
    // The same payloads as one JSON array.
    let a = price(&engine, json!({ "format": "webhook" }), WEBHOOKS_JSON);
    assert_eq!(
        serde_json::to_value(&a.totals).unwrap(),
        serde_json::to_value(&r.totals).unwrap()
    );
    assert_eq!(
        serde_json::to_value(&a.reconciliation).unwrap()["compared"],
        9
    );
}

#[test]
fn sent_only_messages_time_out_and_late_deliveries_are_priced_once() {
    let engine = common::engine();
    let t0 = 1_791_187_200; // 2026-10-05T08:00:00Z
    let p = json!({ "billable": true, "pricing_model": "PMP", "category": "marketing", "type": "regular" });
    let lines = [
        status_line("wamid.S1", "sent", t0, "201001234567", Some(p.clone())),
        status_line("wamid.S2", "sent", t0 + 60, "201001234568", Some(p.clone())),
        status_line(
            "wamid.S2",
            "delivered",
            t0 + 65,
            "201001234568",
            Some(p.clone()),
        ),
        status_line(
            "wamid.S3",
            "sent",
            t0 + 26 * 3600,
            "201001234569",
            Some(p.clone()),
        ),
        status_line(
            "wamid.S3",
            "delivered",
            t0 + 26 * 3600 + 3,
            "201001234569",
            Some(p.clone()),
        ),
        // S1's delivery, 30 hours after it was sent: after deliveryTimeout.
        status_line(
            "wamid.S1",
            "delivered",
            t0 + 30 * 3600,
            "201001234567",
            Some(p.clone()),
        ),
        status_line(
            "wamid.S4",
            "sent",
            t0 + 31 * 3600,
            "201001234560",
            Some(p.clone()),
        ),
    ];
    let log = lines.join("\n");
    let r = price(&engine, json!({}), log.as_bytes());
    assert_eq!(r.format, "webhook");
    let (i, t) = (&r.input, r.totals.as_ref().unwrap());
    assert_eq!((i.timed_out, i.late_deliveries), (1, 1));
    assert_eq!(
        t.messages, 4,
        "S1 counted once, as delivered; S4 never delivered"
    );
    assert_eq!((t.charged, t.not_delivered), (3, 1));
    assert!(r.warnings.iter().any(|w| w.code == "not_delivered_timeout"));
    // With a longer timeout S1 simply waits for its delivery.
    let r = price(
        &engine,
        json!({ "deliveryTimeout": 172800 }),
        log.as_bytes(),
    );
    assert_eq!((r.input.timed_out, r.input.late_deliveries), (0, 0));
    assert_eq!(r.totals.as_ref().unwrap().charged, 3);
}

/// The money at stake of a disagreement is what Meta's verdict costs at the message's tier
/// position, not at the list rate (SPEC §8; Meta's pricing page, updated 2026-09-30: utility
/// volume tiers per market and month; Egypt, USD card of 2026-10-01: band 1 up to 100,000 at
/// 0.0036, band 2 at 0.0034, SPEC §11 example 5).
#[test]
fn money_at_stake_uses_the_tier_position() {
    let engine = common::engine();
    let t0 = 1_792_483_200; // 2026-10-20T08:00:00Z
    let utility = json!({ "billable": true, "pricing_model": "PMP", "category": "utility", "type": "regular" });
    let log = [
        status_line(
            "wamid.T1",
            "delivered",
            t0,
            "201001234567",
            Some(utility.clone()),
        ),
        status_line(
            "wamid.T2",
            "delivered",
            t0 + 60,
            "201001234568",
            Some(utility),
        ),
    ]
    .join("\n");
    // The template map says wamid.T1 was a marketing template (charged 0.0644), wamid.T2 a
    // free-form message (within the number's free allowance): Meta charged both as utility.
    let stakes = |opening: Value| {
        let r = price(
            &engine,
            json!({ "format": "webhook", "opening": opening,
                    "templates": { "wamid.T1": "marketing", "wamid.T2": "service" } }),
            log.as_bytes(),
        );
        let rc = r.reconciliation.unwrap();
        assert_eq!(rc.disagreed, 2);
        rc.disagreements
            .iter()
            .map(|d| (d.id.clone(), common::dec(&d.at_stake)))
            .collect::<Vec<_>>()
    };
    // Month's first utility messages: band 1, 0.0036 each.
    assert_eq!(
        stakes(json!({})),
        vec![
            ("wamid.T1".to_string(), common::dec("0.0608")),
            ("wamid.T2".to_string(), common::dec("0.0036")),
        ]
    );
    // 100,000 charged before the log: the next is the 100,001st, in band 2 at 0.0034.
    assert_eq!(
        stakes(json!({ "charged": { "Egypt": { "utility": 100_000 } } })),
        vec![
            ("wamid.T1".to_string(), common::dec("0.0610")),
            ("wamid.T2".to_string(), common::dec("0.0034")),
        ]
    );
}

/// SPEC §14, §15 (Meta's status webhook reference, copy updated 2025-11-20; the BSP documentation
/// of the Marketing Messages API launch, 2025-04): Meta labels an MM Lite message `true, PMP,
/// regular, marketing_lite` even in the conversation era, and it opens no conversation — the
/// engine agrees, and a marketing template after it still opens (and is charged as) a marketing
/// conversation.
#[test]
fn marketing_lite_in_the_conversation_era_agrees_with_meta() {
    let engine = common::engine();
    let t0 = 1_746_432_000; // 2025-05-05T08:00:00Z
    let lite = json!({ "billable": true, "pricing_model": "PMP", "category": "marketing_lite", "type": "regular" });
    let conv = json!({ "billable": true, "pricing_model": "CBP", "category": "marketing" });
    let log = [
        status_line("wamid.L1", "delivered", t0, "919812345678", Some(lite)),
        status_line(
            "wamid.M1",
            "delivered",
            t0 + 3600,
            "919812345678",
            Some(conv),
        ),
    ]
    .join("\n");
    let r = price(&engine, json!({ "format": "webhook" }), log.as_bytes());
    let rc = r.reconciliation.as_ref().unwrap();
    assert_eq!((rc.compared, rc.agreed), (2, 2), "{:?}", rc.disagreements);
    let t = r.totals.as_ref().unwrap();
    // India, USD card of 2024-11-01: marketing 0.0107, once per message and once per conversation.
    assert_eq!(common::dec(&t.amount), common::dec("0.0214"));
    assert_eq!(t.conversations.values().sum::<u64>(), 1);
}
