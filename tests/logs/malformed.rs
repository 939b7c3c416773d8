//! Malformed lines: reported with line, column and field, skipped or fatal; empty logs; failed pricers.

use super::*;

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
    let got: Vec<(u64, Option<u64>, &str, &str)> = r
        .input
        .error_list
        .iter()
        .map(|e| (e.line, e.column, e.code, e.path.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (2, None, "unsupported_date", "at"),
            (4, None, "invalid_instant", "at"),
            (5, None, "invalid_phone", "user"),
            (6, None, "invalid_category", "category"),
            (7, None, "invalid_kind", "kind"),
            (8, Some(1), "csv_error", ""),
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
        (e.code, e.path.as_str(), e.loc),
        (
            ErrorCode::UnsupportedDate,
            "at",
            Some(Location::line("log", 2))
        )
    );
    // A header without the required columns is fatal.
    let e =
        try_price_chunks(&engine, json!({ "format": "csv" }), &[b"when,who\n1,2\n"]).unwrap_err();
    assert_eq!(
        (e.code, e.path.as_str(), e.loc),
        (ErrorCode::CsvError, "", Some(Location::at("log", 1, 1)))
    );
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
    assert_eq!(r.input.error_list[2].path, "user");
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
                "entry[0].changes[0].value.statuses[0].recipient_id"
            ),
            (2, "invalid_input", ""),
            (3, "invalid_input", ""),
        ]
    );
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
    // A missing rate is not fatal: the message is unpriced and the totals say so (issue 20);
    // the data has no BRL rate for Egypt.
    let r = try_price_chunks(
        &engine,
        json!({ "currency": "BRL" }),
        &[b"at,user,kind,category\n2024-05-01T10:00:00Z,+201001234567,template,marketing\n"],
    )
    .unwrap();
    let t = r.totals.expect("totals");
    assert!(!t.complete);
    assert_eq!(
        serde_json::to_value(&t.unpriced).unwrap(),
        json!([{ "market": "Egypt", "category": "marketing", "messages": 1 }])
    );
    assert_eq!(t.amount, "0");
}

/// The reports of `log` priced directly in chunks of `sizes` and through tapes (the worker's path)
/// cut the same way; all must be the same, and the last progress is returned with it.
fn direct_and_taped(log: &[u8], o: Value, sizes: &[usize]) -> (LogReport, waprice::logs::Progress) {
    let engine = common::engine();
    let whole = price(&engine, o.clone(), log);
    let chunks = cut(log, sizes);
    let direct = try_price_chunks(&engine, o.clone(), &chunks).unwrap();
    assert_eq!(
        to_value(&direct),
        to_value(&whole),
        "direct, cut by {sizes:?}"
    );
    let (taped, seen) = price_taped(&engine, o, &chunks);
    assert_eq!(
        to_value(&taped.unwrap()),
        to_value(&whole),
        "taped, cut by {sizes:?}"
    );
    (whole, seen.last().cloned().unwrap_or_default())
}

/// Line feeds inside quoted fields of a well-formed CSV log (its records' lines after the first);
/// only for logs whose quotes are all closed.
fn continuation_lines(log: &[u8]) -> u64 {
    let mut inside = false;
    let mut n = 0;
    for &b in log {
        match b {
            b'"' => inside = !inside,
            b'\n' if inside => n += 1,
            _ => {}
        }
    }
    n
}

fn blank_lines(log: &[u8]) -> u64 {
    log.split(|&b| b == b'\n')
        .skip(1)
        .filter(|l| !l.is_empty() && l.iter().all(|b| b.is_ascii_whitespace()))
        .count() as u64
}

/// Every line read is accounted for: the header, blank lines, and the lines of records (each
/// record a priced event or a malformed line); `continuation` lines are the lines after the first
/// of records whose quoted fields hold line breaks.
fn assert_csv_lines_accounted(log: &[u8], r: &LogReport, continuation: u64) {
    let mut lines = log.split(|&b| b == b'\n').count() as u64;
    if log.ends_with(b"\n") {
        lines -= 1;
    }
    let empty_tail = log.split(|&b| b == b'\n').filter(|l| l.is_empty()).count() as u64
        - u64::from(log.ends_with(b"\n"));
    assert_eq!(r.input.lines, lines, "lines read");
    assert_eq!(
        r.input.lines,
        1 + blank_lines(log) + empty_tail + r.input.records + continuation,
        "lines read = header + blank lines + records (+ their continuation lines)"
    );
}

#[test]
fn every_line_of_every_fixture_is_accounted_for() {
    for (log, o) in [
        (EVENTS_CSV, json!({})),
        (BROKEN_CSV, json!({ "format": "csv" })),
        (EVENTS_JSONL, json!({})),
        (WEBHOOKS_JSONL, json!({})),
        (WEBHOOKS_JSON, json!({})),
    ] {
        let (r, p) = direct_and_taped(log, o, &[97, 1, 4096]);
        assert!(
            r.input.records <= p.events + r.input.errors,
            "records are events or malformed"
        );
        if log.first() != Some(&b'{') && log.first() != Some(&b'[') {
            assert_csv_lines_accounted(log, &r, continuation_lines(log));
            assert_eq!(r.input.errors, r.input.error_list.len() as u64);
        } else if log == EVENTS_JSONL {
            // One event per line.
            assert_eq!(r.input.lines, r.input.records);
            assert_eq!(r.input.records, p.events + r.input.errors);
        }
    }
}

/// 1,000 good rows after `bad`, then the end of the log.
fn thousand_rows_after(header: &str, bad: &str) -> Vec<u8> {
    let mut log = format!("{header}\n{bad}\n");
    for i in 0..1000 {
        log.push_str(&format!(
            "2026-10-05T10:{:02}:{:02}Z,+2010012{:05},template,utility,row {i}\n",
            i / 60,
            i % 60,
            i
        ));
    }
    log.into_bytes()
}

#[test]
fn an_unclosed_quote_costs_its_own_line_not_the_rows_after_it() {
    let header = "at,user,kind,category,note";
    for (bad, column, what) in [
        // In a column that is not read, to the end of the log.
        (
            "2026-10-05T09:00:00Z,+201001234567,template,utility,\"oops",
            5,
            "not closed before the end of the log",
        ),
        // In a column that is read.
        (
            "2026-10-05T09:00:00Z,+201001234567,template,\"utility,ok",
            4,
            "not closed before the end of the log",
        ),
    ] {
        let log = thousand_rows_after(header, bad);
        let (r, p) = direct_and_taped(&log, json!({}), &[64, 1000, 7]);
        assert_eq!(r.input.errors, 1, "{bad}: {:?}", r.input.error_list);
        let e = &r.input.error_list[0];
        assert_eq!(
            (e.line, e.column, e.code),
            (2, Some(column), "csv_error"),
            "{bad}"
        );
        assert!(e.message.contains(what), "{}", e.message);
        assert_eq!(
            r.input.business_messages, 1000,
            "{bad}: the rows after it are priced"
        );
        assert_eq!((r.input.records, p.events), (1001, 1000));
        assert_csv_lines_accounted(&log, &r, 0);
        // Fatal on request, with its line and column, both ways.
        let o = json!({ "onError": "fail" });
        let engine = common::engine();
        let direct = try_price_chunks(&engine, o.clone(), &cut(&log, &[333])).unwrap_err();
        let (taped, _) = price_taped(&engine, o, &cut(&log, &[333]));
        let taped = taped.unwrap_err();
        for e in [&direct, &taped] {
            assert_eq!(
                (e.code, e.path.as_str(), e.loc.clone()),
                (
                    ErrorCode::CsvError,
                    "",
                    Some(Location::at("log", 2, column))
                )
            );
        }
        assert_eq!(direct.message, taped.message);
    }
}

#[test]
fn a_quote_closed_lines_later_by_another_field_is_malformed_and_reading_goes_on() {
    let header = "at,user,kind,category,note";
    // The quote of line 2 pairs with the opening quote of line 5's note: without a check the rows
    // between would be one field of line 2.
    let mut log = String::from(header);
    log.push_str("\n2026-10-05T09:00:00Z,+201001234567,template,utility,\"oops\n");
    for i in 0..2 {
        log.push_str(&format!(
            "2026-10-05T09:1{i}:00Z,+201001234567,template,utility,x\n"
        ));
    }
    log.push_str("2026-10-05T09:30:00Z,+201001234567,template,utility,\"a, note\"\n");
    log.push_str("2026-10-05T09:40:00Z,+201001234567,template,utility,\"two\nlines\"\n");
    let log = log.into_bytes();
    let (r, _) = direct_and_taped(&log, json!({}), &[5, 61, 1 << 20]);
    let got: Vec<_> = r
        .input
        .error_list
        .iter()
        .map(|e| (e.line, e.column, e.code))
        .collect();
    assert_eq!(got, [(2, Some(5), "csv_error")]);
    assert!(r.input.error_list[0]
        .message
        .contains("is a quote not closed?"));
    assert_eq!(r.input.business_messages, 4, "lines 3 to 7 are priced");
    assert_eq!(r.input.records, 5);
    assert_eq!(r.input.lines, 7);
    // A stray quote inside an unquoted field that is not read opens no field that spans lines.
    let log = b"at,user,kind,category,note\n2026-10-05T09:00:00Z,+201001234567,template,utility,5\" tall\n2026-10-05T09:10:00Z,+201001234567,template,utility,x\n2026-10-05T09:20:00Z,+201001234567,template,utility,x\n";
    let (r, _) = direct_and_taped(log, json!({}), &[3, 40]);
    assert_eq!(r.input.errors, 1, "{:?}", r.input.error_list);
    assert_eq!(
        (r.input.error_list[0].line, r.input.business_messages),
        (2, 2)
    );
}

/// A CSV log of `n` good rows (every column read), a quote inserted into the rows of `damage`
/// (row, position) and blank lines after the rows of `blanks`.
fn damaged_log(n: usize, damage: &[(usize, usize)], blanks: &[usize]) -> (Vec<u8>, usize) {
    let mut log = String::from("at,user,kind,category\n");
    let mut damaged = std::collections::BTreeSet::new();
    for i in 0..n {
        let kind = [
            "inbound,",
            "template,utility",
            "message,",
            "template,marketing",
        ][i % 4];
        let mut row = format!(
            "2026-10-05T{:02}:{:02}:00Z,+20100123{:04},{kind}",
            i / 60,
            i % 60,
            i % 7
        );
        if let Some(&(_, at)) = damage.iter().find(|(r, _)| *r == i) {
            row.insert(at % (row.len() + 1), '"');
            damaged.insert(i);
        }
        log.push_str(&row);
        log.push('\n');
        if blanks.contains(&i) {
            log.push('\n');
        }
    }
    (log.into_bytes(), damaged.len())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
    /// Stray quotes anywhere: each damaged row is one malformed line (with its line and column),
    /// every other row is priced, lines read = header + blank lines + records, and the direct and
    /// taped paths agree however the log is cut.
    #[test]
    fn stray_quotes_cost_their_own_lines(
        n in 1usize..40,
        damage in proptest::collection::vec((0usize..40, 0usize..80), 0..6),
        blanks in proptest::collection::vec(0usize..40, 0..4),
        size in 1usize..300,
    ) {
        let (log, damaged) = damaged_log(n, &damage, &blanks);
        let (r, p) = direct_and_taped(&log, json!({ "format": "csv" }), &[size, 2 * size + 1]);
        proptest::prop_assert_eq!(r.input.errors, damaged as u64, "{:?}", r.input.error_list);
        proptest::prop_assert_eq!(r.input.records, n as u64);
        proptest::prop_assert_eq!(r.input.records, p.events + r.input.errors);
        proptest::prop_assert!(r.input.error_list.iter().all(|e| e.code == "csv_error" || e.code.starts_with("invalid_")));
        assert_csv_lines_accounted(&log, &r, 0);
    }
}
