//! CSV, JSON Lines and webhook logs price as `simulate` does; format detection; the template map.

use super::*;

#[test]
fn csv_log_prices_as_simulate_does() {
    let engine = common::engine();
    let r = price(&engine, json!({ "format": "csv" }), EVENTS_CSV);
    assert_eq!(r.format, "csv");
    assert_eq!(r.input.errors, 0, "{:?}", r.input.error_list);
    assert_eq!(r.input.records, 18);
    assert_eq!(
        r.input.lines, 20,
        "the header and 18 records, one of which spans two lines"
    );
    assert_eq!(r.input.inbound, 3);
    assert_eq!(r.input.business_messages, 15);
    assert_eq!(r.input.users, 4);
    let sim = simulate_events(&engine, EVENTS_JSONL, json!({}));
    assert_eq!(
        serde_json::to_value(r.totals.as_ref().unwrap()).unwrap(),
        sim["totals"]
    );
    assert_eq!(serde_json::to_value(&r.cards).unwrap(), sim["cards"]);
    assert!(r.reconciliation.is_none(), "no Meta pricing in a CSV log");
    // The invoice adds up to the total.
    let sum: rust_decimal::Decimal = r.invoice.iter().map(|x| common::dec(&x.amount)).sum();
    assert_eq!(sum, common::dec(&r.totals.as_ref().unwrap().amount));
    let delivered: u64 = r.invoice.iter().map(|x| x.delivered).sum();
    let t = r.totals.as_ref().unwrap();
    assert_eq!(delivered, t.charged + t.free);
}

#[test]
fn jsonl_log_prices_as_the_csv_does() {
    let engine = common::engine();
    let csv = price(&engine, json!({ "format": "csv" }), EVENTS_CSV);
    let jsonl = price(&engine, json!({ "format": "jsonl" }), EVENTS_JSONL);
    assert_eq!(jsonl.input.errors, 0, "{:?}", jsonl.input.error_list);
    assert_eq!(
        serde_json::to_value(&csv.totals).unwrap(),
        serde_json::to_value(&jsonl.totals).unwrap()
    );
    assert_eq!(
        serde_json::to_value(&csv.invoice).unwrap(),
        serde_json::to_value(&jsonl.invoice).unwrap()
    );
    // A JSON array of the same events reads the same.
    let lines: Vec<&str> = std::str::from_utf8(EVENTS_JSONL).unwrap().lines().collect();
    let array = format!("[\n{}\n]\n", lines.join(",\n"));
    let arr = price(&engine, json!({ "format": "jsonl" }), array.as_bytes());
    assert_eq!(
        serde_json::to_value(&arr.totals).unwrap(),
        serde_json::to_value(&jsonl.totals).unwrap()
    );
}

#[test]
fn formats_are_detected() {
    let engine = common::engine();
    for (log, format) in [
        (EVENTS_CSV, "csv"),
        (EVENTS_JSONL, "jsonl"),
        (WEBHOOKS_JSONL, "webhook"),
        (WEBHOOKS_JSON, "webhook"),
    ] {
        let r = price(&engine, json!({}), log);
        assert_eq!(r.format, format);
        assert_eq!(r.input.errors, 0, "{format}: {:?}", r.input.error_list);
        // Byte by byte: detection waits for enough bytes.
        let chunks: Vec<&[u8]> = log.chunks(1).collect();
        let b = try_price_chunks(&engine, json!({}), &chunks).unwrap();
        assert_eq!(to_value(&b), to_value(&r), "{format} byte by byte");
    }
}

#[test]
fn template_map_names_what_was_sent() {
    let engine = common::engine();
    let r = price(
        &engine,
        json!({ "format": "webhook", "templates": { "wamid.H1": "marketing", "wamid.B1": "service" } }),
        WEBHOOKS_JSONL,
    );
    assert_eq!(r.input.assumed_kinds, 0);
    assert!(!r.warnings.iter().any(|w| w.code == "assumed_kind"));
    // In CSV logs the map fills the category of templates that have none.
    let log = b"at,user,kind,category,id,template\n2026-10-05T10:00:00Z,+201001234567,template,,,order_update\n2026-10-05T11:00:00Z,+201001234567,template,,wamid.Z,\n";
    let r = price(
        &engine,
        json!({ "templates": { "order_update": "utility", "wamid.Z": "marketing" } }),
        log,
    );
    assert_eq!(r.input.errors, 0, "{:?}", r.input.error_list);
    let cats: Vec<&str> = r.invoice.iter().map(|x| x.category.as_str()).collect();
    assert_eq!(cats, ["marketing", "utility"]);
    let r = price(&engine, json!({}), log);
    assert_eq!(r.input.errors, 2, "without the map the category is missing");
    // Without a category column, a mapped row's category is not carried to the next row.
    let log = b"at,user,kind,id\n2026-10-05T10:00:00Z,+201001234567,template,t1\n2026-10-05T11:00:00Z,+201001234567,template,t2\n";
    let r = price(&engine, json!({ "templates": { "t1": "utility" } }), log);
    assert_eq!(r.input.errors, 1, "{:?}", r.input.error_list);
    assert_eq!(r.input.error_list[0].line, 3);
    let cats: Vec<&str> = r.invoice.iter().map(|x| x.category.as_str()).collect();
    assert_eq!(cats, ["utility"]);
}
