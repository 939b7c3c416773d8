//! Every reason of the log imports (docs/errors.md, "Logs, the command line and the MCP server")
//! produced through the public API, with exactly its registered parameters
//! (`waprice::reasons::check`); the malformed lines of a report keep them, also through a reader's
//! tapes. The command line's and the MCP server's reasons are tested in `cli/tests/cli.rs`; the
//! wasm binding's (`log_chunk_type`, `log_tape_type`) in `tests/js/logs.test.mjs`.

use serde_json::{json, Value};
use waprice::error::{Error, ErrorCode};
use waprice::logs::{LogOptions, LogPricer, LogReader, LogReport, RawLogOptions};
use waprice::messages::Value as P;
use waprice::Engine;

fn engine() -> Engine {
    Engine::new().expect("embedded data loads")
}

/// Asserts the error's code and reason, and that its params are exactly the registered ones.
#[track_caller]
fn assert_reason(e: &Error, code: ErrorCode, reason: &str) {
    assert_eq!((e.code, e.reason()), (code, reason), "{e}");
    if let Err(m) = waprice::reasons::check(e) {
        panic!("{m}");
    }
}

fn param<'e>(e: &'e Error, name: &str) -> Option<&'e P> {
    e.params.as_deref().and_then(|p| p.get(name))
}

fn options(engine: &Engine, o: Value) -> Result<LogOptions, Error> {
    let raw: RawLogOptions = serde_json::from_value(o).expect("options shape");
    LogOptions::resolve(&raw, engine)
}

/// The error of options `o`.
fn option_error(o: Value) -> Error {
    options(&engine(), o).expect_err("refused options")
}

/// The first error pricing `log` with options `o` and `onError: "fail"` stops at.
fn failing(mut o: Value, log: &[u8]) -> Error {
    let engine = engine();
    o["onError"] = json!("fail");
    let opts = options(&engine, o).expect("options");
    let mut p = LogPricer::new(&engine, &opts).expect("pricer");
    match p.push(log).and_then(|()| p.finish()) {
        Err(e) => e,
        Ok(r) => panic!("no error: {:?}", r.input.error_list),
    }
}

/// The report of `log` (malformed lines skipped), pushed as bytes.
fn report(o: Value, log: &[u8]) -> LogReport {
    let engine = engine();
    let opts = options(&engine, o).expect("options");
    let mut p = LogPricer::new(&engine, &opts).expect("pricer");
    p.push(log).expect("push");
    p.finish().expect("report")
}

/// The report of `log` read by a [`LogReader`] into tapes, replayed by a pricer.
fn report_by_tapes(o: Value, log: &[u8]) -> LogReport {
    let engine = engine();
    let opts = options(&engine, o).expect("options");
    let mut reader = LogReader::new(opts.clone());
    let mut p = LogPricer::new(&engine, &opts).expect("pricer");
    for chunk in log.chunks(7) {
        let tape = reader.push(chunk).expect("read");
        p.replay(&tape).expect("replay");
    }
    let last = reader.finish().expect("read to the end");
    p.replay(&last).expect("replay");
    p.finish().expect("report")
}

const EVENT: &str = r#"{"at":"2026-10-05T10:00:00Z","user":"+919812345678","kind":"inbound"}"#;

#[test]
fn options_of_a_log_import() {
    let cases = [
        (
            json!({"opening": {"month": "2026-1"}}),
            ErrorCode::InvalidDate,
            "log_opening_month",
        ),
        (
            json!({"opening": {"charged": {"India": {"marketing": 5}}}}),
            ErrorCode::InvalidCategory,
            "log_untiered_category",
        ),
        (
            json!({"templates": {"promo": "newsletter"}}),
            ErrorCode::InvalidCategory,
            "log_template_category",
        ),
        (
            json!({"options": {"messages": "all"}}),
            ErrorCode::InvalidOption,
            "log_messages_all",
        ),
        (
            json!({"format": "xml"}),
            ErrorCode::InvalidOption,
            "log_format",
        ),
        (
            json!({"onError": "ignore"}),
            ErrorCode::InvalidOption,
            "log_on_error",
        ),
        (
            json!({"whatIf": {"shift": "years", "date": "2026-10-01"}}),
            ErrorCode::InvalidOption,
            "log_what_if_shift",
        ),
        (
            json!({"whatIf": {"currency": "EUR"}}),
            ErrorCode::InvalidOption,
            "log_what_if_date_missing",
        ),
        (
            json!({"whatIf": {"shift": "none", "date": "2026-10-01"}}),
            ErrorCode::InvalidOption,
            "log_what_if_date_unshifted",
        ),
        (
            json!({"opening": {"charged": {"Atlantis": {"utility": 5}}}}),
            ErrorCode::UnknownMarket,
            "",
        ),
    ];
    for (o, code, reason) in cases {
        let e = option_error(o.clone());
        assert_reason(&e, code, reason);
    }
    let e = option_error(json!({"templates": {"promo": "newsletter"}}));
    assert_eq!(param(&e, "value"), Some(&P::Text("newsletter".into())));
    let e = option_error(json!({"opening": {"charged": {"Atlantis": {"utility": 5}}}}));
    assert_eq!(param(&e, "value"), Some(&P::Text("Atlantis".into())));
}

#[test]
fn misuse_of_a_pricer_and_a_reader() {
    let engine = engine();
    let opts = options(&engine, json!({})).expect("options");
    let line = format!("{EVENT}\n");

    // A pricer used after its report.
    let mut p = LogPricer::new(&engine, &opts).expect("pricer");
    p.push(line.as_bytes()).expect("push");
    p.finish().expect("report");
    let e = p.push(line.as_bytes()).expect_err("finished");
    assert_reason(&e, ErrorCode::InvalidInput, "log_pricing_finished");

    // Bytes after tapes, and tapes after bytes.
    let mut reader = LogReader::new(opts.clone());
    let tape = reader.push(line.as_bytes()).expect("read");
    let mut p = LogPricer::new(&engine, &opts).expect("pricer");
    p.replay(&tape).expect("replay");
    let e = p.push(line.as_bytes()).expect_err("mixed");
    assert_reason(&e, ErrorCode::InvalidInput, "log_feed_mixed");
    assert_eq!(param(&e, "method"), Some(&P::Text("push".into())));
    let mut q = LogPricer::new(&engine, &opts).expect("pricer");
    q.push(line.as_bytes()).expect("push");
    let e = q.replay(&tape).expect_err("mixed");
    assert_eq!(param(&e, "method"), Some(&P::Text("replay".into())));

    // Finishing before the reader's last tape, and a tape after it.
    let e = p.finish().expect_err("no last tape");
    assert_reason(&e, ErrorCode::InvalidInput, "log_tape_last_missing");
    let last = reader.finish().expect("last tape");
    let mut p = LogPricer::new(&engine, &opts).expect("pricer");
    p.replay(&tape).expect("replay");
    p.replay(&last).expect("replay the last");
    let e = p.replay(&last).expect_err("after the last");
    assert_reason(&e, ErrorCode::InvalidInput, "log_tape_after_last");

    // A reader used after its last tape.
    let e = reader.push(line.as_bytes()).expect_err("over");
    assert_reason(&e, ErrorCode::InvalidInput, "log_reading_over");

    // A tape that no reader wrote.
    let mut p = LogPricer::new(&engine, &opts).expect("pricer");
    let e = p.replay(&[0xff; 16]).expect_err("broken tape");
    assert_reason(&e, ErrorCode::InvalidEncoding, "log_tape_broken");
    let mut cut = tape.clone();
    cut.truncate(tape.len() / 2);
    let mut p = LogPricer::new(&engine, &opts).expect("pricer");
    let e = p.replay(&cut).expect_err("cut tape");
    assert_reason(&e, ErrorCode::InvalidEncoding, "log_tape_broken");
}

#[test]
fn json_lines_and_arrays() {
    let e = failing(
        json!({}),
        br#"{"at":"2026-10-05T10:00:00Z","usr":"+919812345678"}"#,
    );
    // A line's JSON is read as every JSON input is: the reason and the field, at the field's path.
    assert_reason(&e, ErrorCode::InvalidInput, "unknown_field");
    assert!(
        matches!(param(&e, "field"), Some(P::Text(t)) if t == "usr"),
        "{e:?}"
    );
    assert_eq!(e.path, "usr");
    assert!(
        e.message
            .contains("invalid JSON event: unknown field `usr`"),
        "{}",
        e.message
    );
    for (log, reason, line) in [
        (format!("[{EVENT}\n{EVENT}]"), "log_json_array_comma", 2),
        (
            format!("[{EVENT}]\n\n{EVENT}"),
            "log_json_array_trailing",
            3,
        ),
        (format!("[{EVENT},\n,{EVENT}]"), "log_json_array_value", 2),
        (format!("[\n{EVENT}"), "log_json_array_unclosed", 2),
    ] {
        let e = failing(json!({}), log.as_bytes());
        assert_reason(&e, ErrorCode::InvalidInput, reason);
        assert_eq!(param(&e, "line"), Some(&P::Count(line)), "{reason}: {e}");
    }
}

#[test]
fn a_record_too_long() {
    let mut log = b"at,user,kind\n2026-10-05T10:00:00Z,+919812345678,inbound\n\"".to_vec();
    log.resize(log.len() + (16 << 20) + 8, b'x');
    let e = failing(json!({"format": "csv"}), &log);
    assert_reason(&e, ErrorCode::LimitExceeded, "log_record_too_long");
    assert_eq!(param(&e, "line"), Some(&P::Count(3)));
    assert_eq!(param(&e, "limit"), Some(&P::Count(16)));
}

#[test]
fn csv_logs() {
    let csv = json!({"format": "csv"});
    let head = "at,user,kind,note\n";
    for (body, reason, line, column) in [
        (
            "2026-10-05T10:00:00Z,+919812345678,\"inbound\"x,\n",
            "log_csv_after_quote",
            2,
            3,
        ),
        (
            "2026-10-05T10:00:00Z,\"+919812345678\nx\",inbound,\n",
            "log_csv_line_break",
            2,
            2,
        ),
        (
            "2026-10-05T10:00:00Z,+919812345678,inbound,\"open",
            "log_csv_quote_unclosed_at_end",
            2,
            4,
        ),
    ] {
        let e = failing(csv.clone(), format!("{head}{body}").as_bytes());
        assert_reason(&e, ErrorCode::CsvError, reason);
        assert_eq!(
            (param(&e, "line"), param(&e, "column")),
            (Some(&P::Count(line)), Some(&P::Count(column))),
            "{e}"
        );
    }
    // A quote not closed within a record that spans lines (a later quote closes it).
    let e = failing(
        csv.clone(),
        format!("{head}2026-10-05T10:00:00Z,+919812345678,inbound,\"a\nb\"c,\"d\"\n").as_bytes(),
    );
    assert_reason(&e, ErrorCode::CsvError, "log_csv_after_quote");

    let e = failing(csv.clone(), b"at,user,kind,user\n");
    assert_reason(&e, ErrorCode::CsvError, "log_csv_header_duplicate");
    assert_eq!(param(&e, "field"), Some(&P::Text("user".into())));
    let e = failing(csv.clone(), b"at,phone,kind\n");
    assert_reason(&e, ErrorCode::CsvError, "log_csv_header_missing");
    assert_eq!(param(&e, "field"), Some(&P::Text("user".into())));
    assert_eq!(param(&e, "value"), Some(&P::Text("at,phone,kind".into())));
    let e = failing(csv.clone(), b"\"at\"x,user,kind\n");
    assert_reason(&e, ErrorCode::CsvError, "log_csv_after_quote");

    let bad = b"at,user,kind\n2026-10-05T10:00:00Z,+9198123\xff45678,inbound\n";
    let e = failing(csv.clone(), bad);
    assert_reason(&e, ErrorCode::InvalidInput, "log_field_not_utf8");
    assert_eq!(
        (param(&e, "field"), param(&e, "column")),
        (Some(&P::Text("user".into())), Some(&P::Count(2)))
    );
}

#[test]
fn a_csv_log_without_header() {
    let e = failing(json!({"format": "csv"}), b"\n  \n");
    assert_reason(&e, ErrorCode::CsvError, "log_csv_no_header");
}

#[test]
fn events_too_late_for_the_reorder_window() {
    // The second event releases the first (priced), the third is older than both.
    let log = "at,user,kind\n2026-10-05T10:00:00Z,+919812345678,inbound\n2026-10-05T10:05:00Z,+919812345678,inbound\n2026-10-05T09:00:00Z,+919812345679,inbound\n";
    let e = failing(
        json!({"format": "csv", "reorderWindow": 60}),
        log.as_bytes(),
    );
    assert_reason(&e, ErrorCode::InvalidInput, "log_event_too_late");
    assert_eq!(param(&e, "seconds"), Some(&P::Count(60)));
    assert_eq!(
        param(&e, "instant"),
        Some(&P::Text("2026-10-05T09:00:00Z".into()))
    );
    assert!(
        matches!(param(&e, "frontier"), Some(P::Text(t)) if t.as_str() >= "2026-10-05T10:00:00Z"),
        "{e}"
    );
}

fn status(fields: Value) -> String {
    let mut s = json!({"id": "wamid.1", "status": "delivered", "timestamp": "1790000000", "recipient_id": "919812345678"});
    for (k, v) in fields.as_object().expect("object") {
        if v.is_null() {
            s.as_object_mut().expect("object").remove(k);
        } else {
            s[k] = v.clone();
        }
    }
    json!({"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages", "value": {"statuses": [s]}}]}]}).to_string()
}

#[test]
fn webhook_payloads() {
    let wh = json!({"format": "webhook"});
    let cases = [
        (
            "{\"object\":".to_string(),
            ErrorCode::InvalidInput,
            "syntax",
        ),
        (
            "{\"foo\":1}".to_string(),
            ErrorCode::InvalidInput,
            "webhook_not_payload",
        ),
        (
            status(json!({"id": null})),
            ErrorCode::InvalidInput,
            "webhook_message_id_missing",
        ),
        (
            status(json!({"timestamp": "soon"})),
            ErrorCode::InvalidInstant,
            "webhook_timestamp",
        ),
        (
            status(json!({"timestamp": 1.5})),
            ErrorCode::InvalidInstant,
            "webhook_timestamp_range",
        ),
        (
            status(json!({"timestamp": true})),
            ErrorCode::InvalidInstant,
            "webhook_timestamp_type",
        ),
        (
            status(json!({"timestamp": null})),
            ErrorCode::InvalidInstant,
            "webhook_timestamp_missing",
        ),
        (
            status(json!({"recipient_id": "12"})),
            ErrorCode::InvalidPhone,
            "webhook_phone",
        ),
        (
            status(json!({"recipient_id": null})),
            ErrorCode::InvalidPhone,
            "webhook_phone_missing",
        ),
    ];
    for (log, code, reason) in cases {
        let e = failing(wh.clone(), log.as_bytes());
        assert_reason(&e, code, reason);
    }
    let e = failing(wh.clone(), status(json!({"recipient_id": "12"})).as_bytes());
    assert_eq!(
        (param(&e, "field"), param(&e, "value")),
        (
            Some(&P::Text("recipient_id".into())),
            Some(&P::Text("12".into()))
        )
    );
    let e = failing(wh, status(json!({"timestamp": 1.5})).as_bytes());
    assert_eq!(param(&e, "value"), Some(&P::Text("1.5".into())));
}

/// A report's malformed lines keep their reasons and params, the same when a reader in another
/// thread (or worker) hands them over on tapes.
#[test]
fn malformed_lines_keep_their_reason_and_params_through_tapes() {
    let csv = "at,user,kind,note\n2026-10-05T10:00:00Z,+919812345678,\"inbound\"x,\n2026-10-05T10:00:00Z,+91 98,inbound,\n2026-10-05T10:00:00Z,+919812345678,inbound,\"open";
    let webhooks = format!(
        "{}\n{}\n{}\n",
        status(json!({"timestamp": true})),
        status(json!({"recipient_id": "12"})),
        "{\"object\":"
    );
    // …and a term parameter (`expected` of a wrong type) and a number's syntax error.
    let jsonl = format!("{EVENT}\n{{\"at\":1,\"usr\":\"+919812345678\"}}\n{{\"at\":1,\"user\":919812345678,\"kind\":\"inbound\"}}\n{{\"at\":1,\n[\n{{\"at\":\"2026-10-05\",\"user\":\"+919812345678\",\"kind\":\"inbound\"}}\n");
    for (o, log) in [
        (json!({"format": "csv"}), csv.to_string()),
        (json!({"format": "webhook"}), webhooks),
        (json!({}), jsonl),
    ] {
        let direct = report(o.clone(), log.as_bytes());
        let list = &direct.input.error_list;
        assert!(list.len() >= 2, "{list:?}");
        assert!(
            list.iter()
                .filter(|e| matches!(e.params.get("reason"), Some(P::Term(_))))
                .count()
                >= 2,
            "{list:?}"
        );
        if o.get("format").is_none() {
            let wrong = list
                .iter()
                .find(|e| e.params.get("reason") == Some(&P::Term("wrong_type")));
            assert_eq!(
                wrong.and_then(|e| e.params.get("expected")),
                Some(&P::Term("text")),
                "{list:?}"
            );
        }
        let taped = report_by_tapes(o, log.as_bytes());
        assert_eq!(taped.input.error_list, *list);
    }
}
