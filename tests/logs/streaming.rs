//! Chunk boundaries anywhere, the reorder window, and errors that keep their order however the log is cut.

use super::*;

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
        b.totals.as_ref().unwrap().by_type["free_customer_service"],
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
