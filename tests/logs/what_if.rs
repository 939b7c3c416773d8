//! The what-if: the same traffic under the rules of another date.

use super::*;

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
    // Within the allowance Meta's word is free_customer_service (SPEC §14, pricing page 2026-09-30).
    assert_eq!(w.totals.by_type["free_tier"], 0);
    assert!(w.totals.by_type["free_customer_service"] >= 3);
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
