//! Memory bounded by customers, not events.

use super::*;

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
