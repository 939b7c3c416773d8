//! Log pricing (`waprice::logs`): formats, streaming across chunk boundaries, malformed lines,
//! what-if across 2026-10-01, reconciliation with Meta's `pricing` objects, bounded memory.

mod common;

use serde_json::{json, Value};
use waprice::input::RawRequest;
use waprice::logs::{LogOptions, LogPricer, LogReader, LogReport, OwnedLogPricer, RawLogOptions};
use waprice::{Engine, Error, ErrorCode};

const EVENTS_CSV: &[u8] = include_bytes!("fixtures/logs/events.csv");
const EVENTS_JSONL: &[u8] = include_bytes!("fixtures/logs/events.jsonl");
const BROKEN_CSV: &[u8] = include_bytes!("fixtures/logs/broken.csv");
const WEBHOOKS_JSONL: &[u8] = include_bytes!("fixtures/logs/webhooks.jsonl");
const WEBHOOKS_JSON: &[u8] = include_bytes!("fixtures/logs/webhooks.json");

fn options(engine: &Engine, o: Value) -> LogOptions {
    let raw: RawLogOptions = serde_json::from_value(o).expect("options shape");
    LogOptions::resolve(&raw, engine).unwrap_or_else(|e| panic!("options: {e}"))
}

fn try_price_chunks(engine: &Engine, o: Value, chunks: &[&[u8]]) -> Result<LogReport, Error> {
    let opts = options(engine, o);
    let mut p = LogPricer::new(engine, &opts)?;
    for c in chunks {
        p.push(c)?;
    }
    p.finish()
}

fn price(engine: &Engine, o: Value, log: &[u8]) -> LogReport {
    try_price_chunks(engine, o, &[log]).unwrap_or_else(|e| panic!("pricing failed: {e}"))
}

fn to_value(r: &LogReport) -> Value {
    serde_json::to_value(r).unwrap()
}

/// The events of `events.jsonl` as a `simulate` request.
fn simulate_events(engine: &Engine, jsonl: &[u8], extra: Value) -> Value {
    let events: Vec<Value> = std::str::from_utf8(jsonl)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut req = json!({ "currency": "USD", "options": { "messages": "none" }, "events": events });
    if let (Value::Object(r), Value::Object(x)) = (&mut req, extra) {
        r.extend(x);
    }
    let raw: RawRequest = serde_json::from_value(req).unwrap();
    serde_json::to_value(engine.simulate(raw).unwrap()).unwrap()
}

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

/// Every split of the log into two chunks (every `every`-th byte offset) and a sample of
/// three-chunk splits price the same.
fn same_at_every_split(log: &[u8], o: Value, every: usize) {
    let engine = common::engine();
    let whole = to_value(&price(&engine, o.clone(), log));
    for k in (0..=log.len()).step_by(every) {
        let r = try_price_chunks(&engine, o.clone(), &[&log[..k], &log[k..]])
            .unwrap_or_else(|e| panic!("split at {k}: {e}"));
        assert_eq!(to_value(&r), whole, "split at byte {k}");
    }
    let step = (log.len() / 25).max(1);
    for i in (0..log.len()).step_by(step) {
        for j in (i..log.len()).step_by(step + 3) {
            let r =
                try_price_chunks(&engine, o.clone(), &[&log[..i], &log[i..j], &log[j..]]).unwrap();
            assert_eq!(to_value(&r), whole, "splits at {i} and {j}");
        }
    }
}

#[test]
fn chunk_boundaries_csv() {
    same_at_every_split(
        EVENTS_CSV,
        json!({ "format": "csv", "whatIf": { "date": "2026-10-01" } }),
        1,
    );
    same_at_every_split(BROKEN_CSV, json!({ "format": "csv" }), 1);
}

#[test]
fn chunk_boundaries_jsonl() {
    same_at_every_split(
        EVENTS_JSONL,
        json!({ "whatIf": { "date": "2026-10-01" } }),
        1,
    );
}

#[test]
fn chunk_boundaries_webhooks() {
    // Every byte offset of the payloads around the ad referral, the reply delivered before its
    // `sent`, and the late `read` (lines 7 to 13); a sample of offsets of the whole logs.
    let lines: Vec<&str> = std::str::from_utf8(WEBHOOKS_JSONL)
        .unwrap()
        .lines()
        .collect();
    let small = lines[6..13].join("\n");
    same_at_every_split(small.as_bytes(), json!({ "format": "webhook" }), 1);
    same_at_every_split(WEBHOOKS_JSONL, json!({ "format": "webhook" }), 17);
    same_at_every_split(WEBHOOKS_JSON, json!({ "format": "webhook" }), 41);
}

#[test]
fn a_log_with_nothing_to_price_says_so() {
    let engine = common::engine();
    let empty = |r: &LogReport| r.warnings.iter().filter(|w| w.code == "empty_log").count();
    for (log, format, lines, errors) in [
        (&b""[..], "auto", 0, 0),
        (b"at,user,kind\n", "csv", 1, 0),
        (
            b"at,user,kind\nnot a time,+911234567,inbound\n",
            "csv",
            2,
            1,
        ),
        (b"\n\n", "jsonl", 2, 0),
    ] {
        let r = price(&engine, json!({ "format": format }), log);
        assert_eq!(empty(&r), 1, "{format} {log:?}");
        let w = r.warnings.iter().find(|w| w.code == "empty_log").unwrap();
        assert!(
            w.message
                .contains(&format!("({lines} lines read, {errors} malformed)")),
            "{}",
            w.message
        );
    }
    // A log with a message in it, even one that costs nothing, is not empty.
    let r = price(
        &engine,
        json!({ "format": "csv" }),
        b"at,user,kind\n2026-09-01T00:00:00Z,+911234567890,inbound\n",
    );
    assert_eq!(empty(&r), 0);
    assert_eq!(empty(&price(&engine, json!({}), EVENTS_CSV)), 0);
    assert_eq!(empty(&price(&engine, json!({}), WEBHOOKS_JSONL)), 0);
}

#[test]
fn malformed_lines_are_reported_with_line_numbers() {
    let engine = common::engine();
    let r = price(&engine, json!({ "format": "csv" }), BROKEN_CSV);
    let got: Vec<(u64, &str, &str)> = r
        .input
        .error_list
        .iter()
        .map(|e| (e.line, e.code, e.path.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (2, "unsupported_date", "log:2:at"),
            (4, "invalid_instant", "log:4:at"),
            (5, "invalid_phone", "log:5:user"),
            (6, "invalid_category", "log:6:category"),
            (7, "invalid_kind", "log:7:kind"),
            (8, "csv_error", "log:8:1"),
        ]
    );
    assert_eq!(r.input.errors, 6);
    assert_eq!(r.input.records, 9, "the blank line is not a record");
    assert_eq!(r.input.business_messages, 3, "the good lines are priced");
    assert!(
        r.input.error_list[2].message.contains("\"201001234567\""),
        "{}",
        r.input.error_list[2].message
    );
    // Only the first N are listed; all are counted.
    let r = price(
        &engine,
        json!({ "format": "csv", "maxErrors": 2 }),
        BROKEN_CSV,
    );
    assert_eq!(r.input.errors, 6);
    assert_eq!(r.input.error_list.len(), 2);
    // Fatal on request: the first one, with its path.
    let e = try_price_chunks(
        &engine,
        json!({ "format": "csv", "onError": "fail" }),
        &[BROKEN_CSV],
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::UnsupportedDate, "log:2:at")
    );
    // A header without the required columns is fatal.
    let e =
        try_price_chunks(&engine, json!({ "format": "csv" }), &[b"when,who\n1,2\n"]).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (ErrorCode::CsvError, "log:1:1"));
    // An unclosed quote at the end of the log.
    let r = price(
        &engine,
        json!({ "format": "csv" }),
        b"at,user,kind,category\n\"2026-10-05T10:00:00Z,+201001234567,template,utility\n",
    );
    assert_eq!(r.input.errors, 1);
    assert_eq!(r.input.error_list[0].code, "csv_error");
}

#[test]
fn malformed_json_lines_are_reported() {
    let engine = common::engine();
    let log = b"{\"at\":\"2026-10-05T10:00:00Z\",\"user\":\"+201001234567\",\"kind\":\"template\",\"category\":\"utility\"}\n\
{\"at\":\"2026-10-05T10:00:00Z\",\"user\":\"+201001234567\",\"kind\":\"template\",\"categori\":\"utility\"}\n\
{\"at\":\"2026-10-05T10:00:00Z\",\n\
\n\
{\"at\":\"2026-10-05T11:00:00Z\",\"user\":\"+2010\",\"kind\":\"template\",\"category\":\"utility\"}\n";
    let r = price(&engine, json!({ "format": "jsonl" }), log);
    let got: Vec<(u64, &str)> = r
        .input
        .error_list
        .iter()
        .map(|e| (e.line, e.code))
        .collect();
    assert_eq!(
        got,
        [
            (2, "invalid_input"),
            (3, "invalid_input"),
            (5, "invalid_phone")
        ]
    );
    assert!(r.input.error_list[0].message.contains("categori"));
    assert_eq!(r.input.error_list[2].path, "log:5:user");
    assert_eq!(r.input.business_messages, 1);

    let log = b"{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":\"messages\",\"value\":{\"statuses\":[{\"id\":\"wamid.X\",\"status\":\"delivered\",\"timestamp\":\"1759741200\",\"recipient_id\":\"12\"}]}}]}]}\n{\"hello\":1}\nnot json\n";
    let r = price(&engine, json!({ "format": "webhook" }), log);
    let got: Vec<(u64, &str, &str)> = r
        .input
        .error_list
        .iter()
        .map(|e| (e.line, e.code, e.path.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                1,
                "invalid_phone",
                "log:1:entry[0].changes[0].value.statuses[0].recipient_id"
            ),
            (2, "invalid_input", "log:2"),
            (3, "invalid_input", "log:3"),
        ]
    );
}

#[test]
fn what_if_across_2026_10_01() {
    let engine = common::engine();
    let r = price(
        &engine,
        json!({ "format": "csv", "whatIf": { "date": "2026-10-01" } }),
        EVENTS_CSV,
    );
    let w = r.what_if.as_ref().unwrap();
    assert_eq!(
        (w.date.as_deref(), w.shift, w.months),
        (Some("2026-10-01"), "months", 1)
    );
    // The same events one month later, priced by simulate.
    let shifted: String = std::str::from_utf8(EVENTS_JSONL)
        .unwrap()
        .replace("2026-09-", "2026-10-");
    let sim = simulate_events(&engine, shifted.as_bytes(), json!({}));
    assert_eq!(serde_json::to_value(&w.totals).unwrap(), sim["totals"]);
    let base = r.totals.as_ref().unwrap();
    // Under the 2026-10 rules the utility template inside the window is charged, and free-form
    // messages are service messages within the month's allowance.
    assert!(common::dec(&w.totals.amount) > common::dec(&base.amount));
    assert_eq!(w.totals.by_type["free_tier"], 3);
    assert_eq!(base.by_type["free_tier"], 0);
    let d = w.delta.as_ref().unwrap();
    assert_eq!(
        common::dec(&d.amount.delta),
        common::dec(&w.totals.amount) - common::dec(&base.amount)
    );
    let utility = d.by_category.iter().find(|x| x.key == "utility").unwrap();
    assert!(common::dec(&utility.delta) > rust_decimal::Decimal::ZERO);
    let by_market: rust_decimal::Decimal = d.by_market.iter().map(|x| common::dec(&x.delta)).sum();
    assert_eq!(by_market, common::dec(&d.amount.delta));
    // The last minute of September moves to 30 October, still inside October.
    assert!(
        w.totals.by_month.keys().all(|m| m == "2026-10"),
        "{:?}",
        w.totals.by_month
    );
}

#[test]
fn what_if_keeps_instants_with_other_options() {
    let engine = common::engine();
    let r = price(
        &engine,
        json!({ "format": "csv", "whatIf": { "shift": "none", "options": { "fepHours": 200 } } }),
        EVENTS_CSV,
    );
    let w = r.what_if.unwrap();
    assert_eq!((w.date, w.months), (None, 0));
    // The Brazilian customer's marketing template eight days after the ad falls inside a longer
    // entry-point window.
    assert!(common::dec(&w.totals.amount) < common::dec(&r.totals.unwrap().amount));
    let engine = common::engine();
    let raw: RawLogOptions = serde_json::from_value(json!({ "whatIf": {} })).unwrap();
    assert_eq!(
        LogOptions::resolve(&raw, &engine).unwrap_err().path,
        "whatIf.date"
    );
    let raw: RawLogOptions =
        serde_json::from_value(json!({ "whatIf": { "date": "2026-10-01", "shift": "none" } }))
            .unwrap();
    assert_eq!(
        LogOptions::resolve(&raw, &engine).unwrap_err().code,
        ErrorCode::InvalidOption
    );
    let raw: RawLogOptions =
        serde_json::from_value(json!({ "options": { "messages": "all" } })).unwrap();
    assert_eq!(
        LogOptions::resolve(&raw, &engine).unwrap_err().path,
        "options.messages"
    );
    let raw: RawLogOptions = serde_json::from_value(json!({ "format": "xml" })).unwrap();
    assert_eq!(
        LogOptions::resolve(&raw, &engine).unwrap_err().path,
        "format"
    );
    let raw: RawLogOptions =
        serde_json::from_value(json!({ "templates": { "x": "promo" } })).unwrap();
    assert_eq!(
        LogOptions::resolve(&raw, &engine).unwrap_err().code,
        ErrorCode::InvalidCategory
    );
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

#[test]
fn reorder_window_puts_events_back_in_order() {
    let engine = common::engine();
    let sorted = b"at,user,kind,category\n\
2026-10-05T10:00:00Z,+201001234567,inbound,\n\
2026-10-05T10:01:00Z,+201001234567,message,\n\
2026-10-05T10:02:00Z,+201001234567,template,utility\n";
    let shuffled = b"at,user,kind,category\n\
2026-10-05T10:01:00Z,+201001234567,message,\n\
2026-10-05T10:02:00Z,+201001234567,template,utility\n\
2026-10-05T10:00:00Z,+201001234567,inbound,\n";
    let a = price(&engine, json!({}), sorted);
    let b = price(&engine, json!({}), shuffled);
    assert_eq!(b.input.errors, 0);
    assert_eq!(
        serde_json::to_value(&a.totals).unwrap(),
        serde_json::to_value(&b.totals).unwrap()
    );
    assert_eq!(
        b.totals.as_ref().unwrap().by_type["free_tier"],
        1,
        "the free-form reply finds its window"
    );
    // Without a window the late line is reported and skipped.
    let c = price(&engine, json!({ "reorderWindow": 0 }), shuffled);
    assert_eq!(c.input.errors, 1);
    assert_eq!(
        (c.input.error_list[0].line, c.input.error_list[0].code),
        (4, "invalid_input")
    );
    assert!(c.input.error_list[0].message.contains("reorderWindow"));
}

/// The next number of a xorshift sequence (the generated logs are the same at every run).
fn xorshift(mut x: u32) -> u32 {
    x ^= x << 13;
    x ^= x >> 17;
    x ^ (x << 5)
}

/// An instant in seconds as RFC 3339.
fn rfc3339(sec: i64) -> String {
    chrono::DateTime::from_timestamp(sec, 0)
        .unwrap()
        .to_rfc3339()
}

/// A generated CSV log across 2022-02-01, when pricing began: business events before it fail
/// when priced, some events are a few minutes out of order, some come too late, and a line in
/// 97 is malformed, so that errors of pricing, of lateness and of reading interleave.
fn interleaved_errors_csv(n: u64) -> Vec<u8> {
    let mut log = String::from("at,user,kind,category\n");
    let start = 1_643_644_800i64 - 4 * 3600; // 2022-01-31T20:00:00Z
    let mut x = 88_172_645u32;
    for i in 0..n {
        x = xorshift(x);
        let back = match x % 211 {
            0 => 1_800,
            r if r % 7 == 0 => 120,
            _ => 0,
        };
        let sec = start + (i as i64) * 8 * 3600 / n as i64 - back;
        let at = rfc3339(sec);
        let kind = match i % 97 {
            96 => "bogus,",
            _ => [
                "inbound,",
                "message,",
                "template,marketing",
                "template,utility",
            ][(x >> 9) as usize % 4],
        };
        log.push_str(&format!("{at},+20100{:07},{kind}\n", x % 500));
    }
    log.into_bytes()
}

#[test]
fn errors_of_reading_lateness_and_pricing_keep_their_order_however_the_log_is_cut() {
    // The whole log in one push, a push per line, and the threaded reader: the same report,
    // error list in order and peak of the reorder buffer included, or the same first error.
    let engine = common::engine();
    let log = interleaved_errors_csv(6_000);
    let lines: Vec<&[u8]> = log.split_inclusive(|&b| b == b'\n').collect();
    for o in [
        json!({ "maxErrors": 1_000, "whatIf": { "date": "2026-10-01" } }),
        json!({ "maxErrors": 1_000, "reorderWindow": 60 }),
        json!({ "onError": "fail" }),
    ] {
        let whole = try_price_chunks(&engine, o.clone(), &[&log]);
        let each = try_price_chunks(&engine, o.clone(), &lines);
        let (r, _) = price_threaded(&engine, o.clone(), &log, &[1 << 16]);
        let (t, _) = price_taped(&engine, o.clone(), &lines);
        match (whole, each, r, t) {
            (Ok(a), Ok(b), Ok(c), Ok(d)) => {
                let kinds: std::collections::BTreeSet<&str> =
                    a.input.error_list.iter().map(|e| e.code).collect();
                assert_eq!(
                    kinds.into_iter().collect::<Vec<_>>(),
                    ["invalid_input", "invalid_kind", "unsupported_date"],
                    "{o}"
                );
                assert!(a.input.peak_buffered > 1, "{o}");
                assert_eq!(to_value(&a), to_value(&b), "{o}");
                assert_eq!(to_value(&a), to_value(&c), "{o}");
                assert_eq!(to_value(&a), to_value(&d), "{o}");
            }
            (Err(a), Err(b), Err(c), Err(d)) => {
                assert_eq!(a.code, ErrorCode::UnsupportedDate, "{a}");
                assert_eq!((&a.path, &a.message), (&b.path, &b.message));
                assert_eq!((&a.path, &a.message), (&c.path, &c.message));
                assert_eq!((&a.path, &a.message), (&d.path, &d.message));
            }
            other => panic!("{o}: {other:?}"),
        }
    }
}

#[test]
fn memory_is_bounded_by_customers_not_events() {
    let engine = common::engine();
    let mut log = String::from("at,user,kind,category\n");
    let start = 1_791_158_400_000i64; // 2026-10-05T00:00:00Z
    let n = 120_000;
    for i in 0..n {
        let user = 201_000_000_000u64 + (i as u64 * 7919) % 2_000;
        let kind = if i % 3 == 0 {
            "inbound,"
        } else {
            "template,utility"
        };
        log.push_str(&format!("{},+{user},{kind}\n", start + i * 20_000));
    }
    let r = price(&engine, json!({}), log.as_bytes());
    assert_eq!(r.input.records, n as u64);
    assert_eq!(r.input.users, 2_000);
    assert!(
        r.input.peak_buffered <= 31,
        "at most the events of the last 10 minutes: {}",
        r.input.peak_buffered
    );
    let r = price(&engine, json!({ "parseOnly": true }), log.as_bytes());
    assert!(r.totals.is_none());
    assert_eq!((r.input.records, r.input.errors), (n as u64, 0));
}

#[test]
fn a_failed_pricing_stays_failed_and_owned_pricers_agree() {
    let engine = common::engine();
    let opts = options(&engine, json!({ "format": "csv", "onError": "fail" }));
    let mut p = LogPricer::new(&engine, &opts).unwrap();
    let e = p.push(BROKEN_CSV).unwrap_err();
    assert_eq!(p.push(b"more").unwrap_err(), e);
    assert_eq!(p.finish().unwrap_err(), e);
    let opts = options(&engine, json!({ "whatIf": { "date": "2026-10-01" } }));
    let mut owned = OwnedLogPricer::new(engine.clone(), opts.clone()).unwrap();
    for c in EVENTS_CSV.chunks(100) {
        owned.push(c).unwrap();
    }
    assert!(owned.progress().events > 0);
    let a = owned.finish().unwrap();
    assert!(owned.finish().is_err(), "finished once");
    let b = price(
        &engine,
        json!({ "whatIf": { "date": "2026-10-01" } }),
        EVENTS_CSV,
    );
    assert_eq!(to_value(&a), to_value(&b));
    // A missing rate is fatal, with the line.
    let e = try_price_chunks(
        &engine,
        json!({ "currency": "BRL" }),
        &[b"at,user,kind,category\n2024-05-01T10:00:00Z,+201001234567,template,marketing\n"],
    )
    .unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (ErrorCode::MissingRate, "log:2"));
}

/// [`waprice::logs::price_threaded`] over `log`, handed over `sizes[i % len]` bytes at a time;
/// the progress figures it reported, in order.
fn price_threaded(
    engine: &Engine,
    o: Value,
    log: &[u8],
    sizes: &[usize],
) -> (Result<LogReport, Error>, Vec<waprice::logs::Progress>) {
    let opts = options(engine, o);
    let mut at = 0;
    let mut call = 0;
    let read = |buf: &mut [u8]| -> Result<usize, Error> {
        let n = sizes[call % sizes.len()].min(buf.len()).min(log.len() - at);
        call += 1;
        buf[..n].copy_from_slice(&log[at..at + n]);
        at += n;
        Ok(n)
    };
    let mut seen = Vec::new();
    let r = waprice::logs::price_threaded(engine, &opts, read, |p| seen.push(p.clone()));
    (r, seen)
}

/// `log` read by a [`LogReader`] in `chunks`, its tapes replayed into a pricer (as the page does
/// across two wasm instances); the progress after each tape.
fn price_taped(
    engine: &Engine,
    o: Value,
    chunks: &[&[u8]],
) -> (Result<LogReport, Error>, Vec<waprice::logs::Progress>) {
    let opts = options(engine, o);
    let mut reader = LogReader::new(opts.clone());
    let mut p = LogPricer::new(engine, &opts).unwrap();
    let mut seen = Vec::new();
    let mut run = || {
        for c in chunks {
            p.replay(&reader.push(c)?)?;
            seen.push(p.progress());
        }
        p.replay(&reader.finish()?)?;
        let r = p.finish();
        seen.push(p.progress());
        r
    };
    let r = run();
    (r, seen)
}

/// A generated CSV log of `n` events of 3,000 customers over a week, some a few minutes out of
/// order, with a malformed line every 997 lines.
fn generated_csv(n: u64) -> Vec<u8> {
    let mut log = String::from("at,user,kind,category,referral,from,status\n");
    let start = 1_791_158_400i64; // 2026-10-05T00:00:00Z
    let mut x = 2_463_534_242u32;
    for i in 0..n {
        x = xorshift(x);
        let sec = start + (i as i64) * 7 * 86_400 / n as i64 - i64::from(x % 7 == 0) * 120;
        let at = rfc3339(sec);
        let user = ["+91981", "+55119", "+62812", "+20100"][(x % 4) as usize];
        let kind = match (x >> 3) % 8 {
            0 | 1 => "inbound,,",
            2 => "inbound,,ctwa",
            3 => "message,,",
            4 => "template,marketing,",
            5 => "template,utility,",
            6 => "template,authentication,",
            _ => "reaction,,",
        };
        let status = if (x >> 7) % 29 == 0 { "failed" } else { "" };
        if i % 997 == 996 {
            log.push_str(&format!("{at},+0{},{kind},,{status}\n", x % 3_000));
        } else {
            log.push_str(&format!("{at},{user}{:07},{kind},,{status}\n", x % 3_000));
        }
    }
    log.into_bytes()
}

#[test]
fn threaded_pricing_reports_what_the_single_threaded_one_does() {
    let engine = common::engine();
    let big = generated_csv(30_000);
    let cases: Vec<(&[u8], Value)> = vec![
        (EVENTS_CSV, json!({ "whatIf": { "date": "2026-10-01" } })),
        (EVENTS_JSONL, json!({ "format": "jsonl" })),
        (BROKEN_CSV, json!({ "format": "csv", "maxErrors": 3 })),
        (WEBHOOKS_JSONL, json!({})),
        (WEBHOOKS_JSON, json!({ "format": "webhook" })),
        (&big, json!({ "whatIf": { "date": "2026-10-01" } })),
        (&big, json!({ "parseOnly": true })),
        (
            &big,
            json!({ "timezone": "Asia/Kolkata", "reorderWindow": 60 }),
        ),
        (b"", json!({})),
    ];
    for (k, (log, o)) in cases.into_iter().enumerate() {
        let opts = options(&engine, o.clone());
        let mut p = LogPricer::new(&engine, &opts).unwrap();
        p.push(log).unwrap();
        let serial = to_value(&p.finish().unwrap());
        let serial_progress = p.progress();
        for sizes in [&[1 << 20][..], &[1, 7, 64, 4093, 3, 50_000]] {
            let chunks: Vec<&[u8]> = cut(log, sizes);
            for (how, (r, seen)) in [
                ("threaded", price_threaded(&engine, o.clone(), log, sizes)),
                ("taped", price_taped(&engine, o.clone(), &chunks)),
            ] {
                let r = r.unwrap_or_else(|e| panic!("case {k}, {how}: {e}"));
                assert_eq!(to_value(&r), serial, "case {k}, {how}, {sizes:?} bytes");
                // Progress only moves forward and ends at the whole log.
                assert_eq!(seen.last(), Some(&serial_progress), "case {k}, {how}");
                for w in seen.windows(2) {
                    assert!(
                        w[0].bytes <= w[1].bytes
                            && w[0].events <= w[1].events
                            && w[0].priced <= w[1].priced,
                        "case {k}, {how}"
                    );
                }
            }
        }
    }
    let r = price(&engine, json!({}), &big);
    assert!(
        r.input.errors > 20 && r.input.records == 30_000,
        "{:?}",
        r.input.errors
    );
}

#[test]
fn threaded_pricing_stops_at_the_first_fatal_error_and_at_a_read_error() {
    let engine = common::engine();
    let big = generated_csv(200_000);
    // onError: fail, at line 998 (the first malformed one): the same error, and the reader stops
    // long before the end of the log (the pricing thread hangs up).
    let o = json!({ "format": "csv", "onError": "fail" });
    let serial = try_price_chunks(&engine, o.clone(), &[&big]).unwrap_err();
    assert_eq!(serial.path, "log:998:user");
    let opts = options(&engine, o);
    let mut read_bytes = 0usize;
    let read = |buf: &mut [u8]| -> Result<usize, Error> {
        let n = 4096.min(big.len() - read_bytes);
        buf[..n].copy_from_slice(&big[read_bytes..read_bytes + n]);
        read_bytes += n;
        Ok(n)
    };
    let e = waprice::logs::price_threaded(&engine, &opts, read, |_| {}).unwrap_err();
    assert_eq!(e, serial);
    assert!(
        read_bytes < big.len() / 2,
        "read {read_bytes} of {} bytes",
        big.len()
    );
    // A failing source: its error, after the bytes before it were read.
    let opts = options(&engine, json!({}));
    let mut calls = 0;
    let read = |buf: &mut [u8]| -> Result<usize, Error> {
        calls += 1;
        if calls > 3 {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "",
                "disk on fire".to_string(),
            ));
        }
        let n = 1000;
        buf[..n].copy_from_slice(&big[(calls - 1) * n..calls * n]);
        Ok(n)
    };
    let e = waprice::logs::price_threaded(&engine, &opts, read, |_| {}).unwrap_err();
    assert_eq!(e.message, "disk on fire");
    // A missing rate is fatal in the pricing thread, with its line.
    let opts = options(&engine, json!({ "currency": "BRL" }));
    let log: &[u8] =
        b"at,user,kind,category\n2024-05-01T10:00:00Z,+201001234567,template,marketing\n";
    let mut done = false;
    let read = |buf: &mut [u8]| -> Result<usize, Error> {
        if std::mem::replace(&mut done, true) {
            return Ok(0);
        }
        buf[..log.len()].copy_from_slice(log);
        Ok(log.len())
    };
    let e = waprice::logs::price_threaded(&engine, &opts, read, |_| {}).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (ErrorCode::MissingRate, "log:2"));
}

/// `log` in pieces of `sizes[i % len]` bytes.
fn cut<'l>(log: &'l [u8], sizes: &[usize]) -> Vec<&'l [u8]> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < log.len() {
        let n = sizes[out.len() % sizes.len()].min(log.len() - at);
        out.push(&log[at..at + n]);
        at += n;
    }
    out
}

#[test]
fn tapes_stop_where_pushes_stop_and_are_checked() {
    let engine = common::engine();
    let big = generated_csv(20_000);
    // onError: fail stops the replay at the first malformed line, as push does.
    let o = json!({ "format": "csv", "onError": "fail" });
    let serial = try_price_chunks(&engine, o.clone(), &[&big]).unwrap_err();
    let (r, _) = price_taped(&engine, o, &cut(&big, &[5000]));
    assert_eq!(r.unwrap_err(), serial);
    // A record over the size limit stops the reader; the pricer reports it at that tape.
    let long = [
        &b"at,user,kind\n"[..],
        &vec![b'x'; waprice::logs::MAX_RECORD_BYTES + 1],
    ]
    .concat();
    let serial = try_price_chunks(&engine, json!({}), &[&long]).unwrap_err();
    let (r, _) = price_taped(&engine, json!({}), &[&long]);
    assert_eq!(r.unwrap_err(), serial);
    let opts = options(&engine, json!({}));
    // A pricer takes either bytes or tapes.
    let mut reader = LogReader::new(opts.clone());
    let tape = reader.push(EVENTS_CSV).unwrap();
    let mut p = LogPricer::new(&engine, &opts).unwrap();
    p.push(b"at,user,kind\n").unwrap();
    let e = p.replay(&tape).unwrap_err();
    assert!(
        e.message
            .starts_with("replay() after the other kind of feed"),
        "{e}"
    );
    let mut p = LogPricer::new(&engine, &opts).unwrap();
    p.replay(&tape).unwrap();
    assert!(p.push(b"").is_err());
    // finish() wants the reader's last tape; after it, no more tapes; after the end, no more reading.
    let mut p = LogPricer::new(&engine, &opts).unwrap();
    p.replay(&tape).unwrap();
    let e = p.finish().unwrap_err();
    assert_eq!(e.path, "tape");
    let mut p = LogPricer::new(&engine, &opts).unwrap();
    p.replay(&tape).unwrap();
    let last = reader.finish().unwrap();
    p.replay(&last).unwrap();
    assert_eq!(p.replay(&last).unwrap_err().path, "tape");
    assert!(p.finish().unwrap().totals.is_some());
    assert!(reader.push(b"more").is_err());
    // Every truncation of a tape, and every single-byte change of its first bytes, is either
    // replayed or refused with invalid_encoding: never a panic.
    for n in 0..tape.len().min(400) {
        let mut p = LogPricer::new(&engine, &opts).unwrap();
        if let Err(e) = p.replay(&tape[..n]) {
            assert_eq!(e.code, ErrorCode::InvalidEncoding, "cut at {n}: {e}");
        }
        for v in [0u8, 1, 13, 200, 255] {
            let mut t = tape.clone();
            t[n] = v;
            let mut p = LogPricer::new(&engine, &opts).unwrap();
            let _ = p.replay(&t);
        }
    }
    let mut p = LogPricer::new(&engine, &opts).unwrap();
    let e = p.replay(&[99]).unwrap_err();
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidEncoding, "tape")
    );
    assert_eq!(
        e.message,
        "invalid tape at byte 0: not written by a log reader of this build"
    );
}
