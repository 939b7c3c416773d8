//! Meta's own words (SPEC §14, §15): a webhook log shaped after Meta's documentation and captured
//! payloads (`fixtures/logs/meta-labels.jsonl`: the four eras, v23 and v24 status shapes, groups,
//! the Marketing Messages API, entry points, the 2026-10 allowance edge, `sent` without pricing,
//! echoes, `paid_exempt`, BSUID recipients), priced and reconciled. Each message's Meta label and
//! the page (and date) it comes from are in `fixtures/meta-labels.expect.json`.

mod common;

use serde_json::{json, Value};
use std::collections::BTreeSet;
use waprice::logs::{LogOptions, LogPricer, LogReport, RawLogOptions};
use waprice::Engine;

const LOG: &[u8] = include_bytes!("fixtures/logs/meta-labels.jsonl");
const EXPECT: &str = include_str!("fixtures/meta-labels.expect.json");

fn price(engine: &Engine, o: Value) -> LogReport {
    let raw: RawLogOptions = serde_json::from_value(o).expect("options shape");
    let opts = LogOptions::resolve(&raw, engine).unwrap_or_else(|e| panic!("options: {e}"));
    let mut p = LogPricer::new(engine, &opts).unwrap_or_else(|e| panic!("pricer: {e}"));
    p.push(LOG).unwrap_or_else(|e| panic!("push: {e}"));
    p.finish().unwrap_or_else(|e| panic!("finish: {e}"))
}

fn expectations() -> Vec<Value> {
    let v: Value = serde_json::from_str(EXPECT).expect("expectations are JSON");
    v["messages"].as_array().cloned().unwrap_or_default()
}

/// The key of a message in the reconciliation: its id, and for a group message its participant.
fn key(e: &Value) -> String {
    match e["participant"].as_str() {
        Some(p) => format!("{}#{p}", e["id"].as_str().unwrap_or("")),
        None => e["id"].as_str().unwrap_or("").to_string(),
    }
}

/// No status is malformed: group statuses (Groups API pricing page, 2025-10-22), BSUID recipients
/// (Meta's business-scoped user ID page, 2026-05-28) and the v23/v24 shapes (status webhook
/// reference, 2025-11-20 and 2026-09-14) are all read.
#[test]
fn every_status_is_read() {
    let engine = common::engine();
    let r = price(&engine, json!({ "format": "webhook" }));
    assert_eq!(r.input.errors, 0, "{:?}", r.input.error_list);
    // The group's own `sent` statuses (no participant) are counted, not priced.
    assert_eq!(r.input.other_statuses, 5);
    // The template status update and the coexistence echo.
    assert_eq!(r.input.other_changes, 2);
    // One message only ever `sent`: priced as not delivered after the delivery timeout.
    assert_eq!(r.input.timed_out, 1);
    assert_eq!(r.input.reads_without_message, 0);
}

/// Every message whose label Meta's documentation settles agrees with the engine; the ones that
/// depend on what the log does not hold (eligibility for authentication-international, an
/// allowance used before the log starts) are the only disagreements.
#[test]
fn every_documented_label_agrees() {
    let engine = common::engine();
    let r = price(
        &engine,
        json!({ "format": "webhook", "maxDisagreements": 1000 }),
    );
    let rec = r
        .reconciliation
        .as_ref()
        .expect("a webhook log is reconciled");
    let exp = expectations();
    let context: BTreeSet<String> = exp
        .iter()
        .filter(|e| {
            e["class"]
                .as_str()
                .is_some_and(|c| c.starts_with("context:"))
        })
        .map(key)
        .collect();
    let disagreed: BTreeSet<String> = rec.disagreements.iter().map(|d| d.id.clone()).collect();
    let shown: Vec<String> = rec
        .disagreements
        .iter()
        .take(20)
        .map(|d| {
            format!(
                "{} {:?}: Meta {:?} engine {:?}",
                d.id, d.fields, d.meta, d.engine
            )
        })
        .collect();
    assert!(
        disagreed == context,
        "{} disagreements: {shown:#?}",
        rec.disagreed
    );
    for e in &exp {
        assert!(
            e["source"].as_str().is_some_and(|s| !s.is_empty()),
            "{} names its source",
            key(e)
        );
    }
    assert_eq!(rec.without_pricing, 0);
    assert_eq!(rec.compared, rec.agreed + rec.disagreed);
}

/// Groups API pricing page (2025-10-22): "if you send a (billable) marketing template message to
/// a group with 5 WhatsApp users and it is delivered to all 5 users, you would be charged for 5
/// delivered messages at the going marketing message rate for each recipient's country calling
/// code"; delivered to 4 of 5, charged for 4.
#[test]
fn group_messages_are_priced_per_delivered_participant() {
    let engine = common::engine();
    let r = price(&engine, json!({ "format": "webhook" }));
    // Five group messages, each delivered to two of the participants (the German participant's
    // delivery of the first one failed; the Brazilian's `read` of the third implies its delivery).
    assert_eq!(r.input.group_deliveries, 10);
    let row = |market: &str, category: &str| {
        r.invoice
            .iter()
            .find(|x| x.market == market && x.category == category)
            .map(|x| (x.delivered, x.charged, x.amount.clone()))
    };
    // The group marketing message is India's only marketing message: one delivery, one charge,
    // at India's marketing rate of 2025-11 (USD 0.0107, data/rates_per_message.csv).
    assert_eq!(
        row("India", "marketing"),
        Some((1, 1, "0.0107".to_string()))
    );
    // Nothing was delivered to the German participant of the group marketing message.
    assert_eq!(row("Germany", "marketing"), None);
    // From 2026-10-01 group utility inside the group's window is charged per participant
    // (SPEC §14): India's and Brazil's only charged utility messages.
    assert_eq!(row("India", "utility").map(|x| x.1), Some(1));
}

/// Meta's business-scoped user ID page (2026-05-28), SPEC §15: recipients known only by a BSUID
/// are priced at their country's market; a `+1` country's market is approximate.
#[test]
fn bsuid_recipients_are_priced_and_counted() {
    let engine = common::engine();
    let r = price(&engine, json!({ "format": "webhook" }));
    assert_eq!(r.input.bsuid_messages, 2);
    assert_eq!(r.input.approximate_markets, 1);
    assert!(
        r.invoice
            .iter()
            .any(|x| x.market == "North America" && x.category == "marketing" && x.charged == 1),
        "{:?}",
        r.invoice
    );
}

/// The disagreements as CSV for a spreadsheet: a header, one row each, words quoted.
#[test]
fn disagreements_export_as_csv() {
    let engine = common::engine();
    let r = price(&engine, json!({ "format": "webhook" }));
    let rec = r
        .reconciliation
        .as_ref()
        .expect("a webhook log is reconciled");
    let csv = rec.disagreements_csv();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + rec.disagreements.len());
    assert!(lines[0].starts_with("line,id,at,user,market,class,context,at_stake,"));
    assert!(
        lines[1].contains(",context,authentication_international,0.111,")
            && lines[1].ends_with(
                "\"charged as authentication international (PMP, regular, billable)\",\"charged USD 0.025 as authentication (PMP, regular, billable)\""
            ),
        "{}",
        lines[1]
    );
}

/// What the log lacks is reported as an inference with its evidence (SPEC §9, §7.4, §15), and no
/// disagreement is about money.
#[test]
fn context_the_log_lacks_is_inferred() {
    let engine = common::engine();
    let r = price(&engine, json!({ "format": "webhook" }));
    let rec = r
        .reconciliation
        .as_ref()
        .expect("a webhook log is reconciled");
    assert_eq!(rec.by_class.money.count, 0);
    assert_eq!(rec.by_class.label.count, 0);
    assert_eq!(rec.by_class.context.count, 2);
    let found: Vec<(&str, u64, Vec<String>)> = rec
        .inferences
        .iter()
        .map(|i| (i.code, i.count, i.evidence.clone()))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "authentication_international",
                1,
                vec!["wamid.e3.auth.intl".to_string()]
            ),
            (
                "allowance_used_before",
                1,
                vec!["wamid.e4.past.allowance".to_string()]
            ),
            ("nonprofit_exempt", 1, vec!["wamid.e4.exempt".to_string()]),
        ]
    );
    // With the nonprofit option, paid_exempt is what the engine expects: no inference.
    let r = price(
        &engine,
        json!({ "format": "webhook", "options": { "nonprofit": true } }),
    );
    let rec = r.reconciliation.as_ref().expect("reconciled");
    assert!(rec.inferences.iter().all(|i| i.code != "nonprofit_exempt"));
}

/// An allowance used before the log starts (Meta's pricing page, 2026-09-30: the first 1,000
/// service messages per business phone number per month are free; status webhook reference,
/// 2026-09-14: beyond them `regular`): the inference suggests the opening state that explains
/// Meta's charge, and with it the message agrees.
#[test]
fn the_allowance_inference_suggests_an_opening_state() {
    let engine = common::engine();
    let r = price(&engine, json!({ "format": "webhook" }));
    let rec = r.reconciliation.as_ref().expect("reconciled");
    let inf = rec
        .inferences
        .iter()
        .find(|i| i.code == "allowance_used_before")
        .expect("the inference");
    let opening = inf.opening.clone().expect("a suggested opening state");
    // The fixture's message is of 2026-11-20 (UTC).
    assert_eq!(opening.month, "2026-11");
    assert_eq!(opening.service.len(), 1, "{opening:?}");
    let r = price(
        &engine,
        json!({ "format": "webhook", "opening": { "month": opening.month, "service": opening.service } }),
    );
    let rec = r.reconciliation.as_ref().expect("reconciled");
    assert!(
        rec.inferences
            .iter()
            .all(|i| i.code != "allowance_used_before"),
        "{:?}",
        rec.inferences
    );
    assert_eq!(
        rec.by_class.context.count, 1,
        "authentication-international only"
    );
    assert_eq!(rec.by_class.money.count, 0);
}
