//! One of Meta's rate-card files loaded over the data prices a log in a currency the embedded data
//! lacks, and the report names the file (issue 20: file name, card date, SHA-256 prefix).

use super::*;

/// Meta's GBP list-rate card in the layout of its CSV download (the figures are invented: the
/// embedded data holds no GBP card); the command line's fixture.
const GBP_CARD: &[u8] = include_bytes!("../fixtures/cli/gbp.csv");

/// Two marketing templates to India, one to Brazil and a utility template to Germany, none in a
/// customer-service window, in October 2026 (per-message pricing: each is charged at its list
/// rate, SPEC §13).
const GBP_LOG: &[u8] = b"at,user,kind,category
2026-10-15T09:00:00Z,+919812345678,template,marketing
2026-10-15T10:00:00Z,+919812345679,template,marketing
2026-10-16T09:00:00Z,+5511987654321,template,marketing
2026-10-17T09:00:00Z,+4915112345678,template,utility
";

fn gbp_engine() -> Engine {
    let mut engine = Engine::new().unwrap();
    let opts = waprice::engine::LoadOptions {
        name: Some("gbp.csv (SHA-256 0123456789ab)".to_string()),
        ..Default::default()
    };
    engine.load_rate_file(GBP_CARD, &opts).unwrap();
    engine
}

#[test]
fn a_loaded_card_prices_the_log_and_is_named() {
    let r = to_value(&price(&gbp_engine(), json!({ "currency": "GBP" }), GBP_LOG));
    // 2 × 0.0090 (India marketing) + 0.0500 (Brazil marketing) + 0.0450 (Germany utility)
    // = 0.1130 GBP, the rates of the card's rows.
    assert_eq!(
        r["totals"]["amount"]
            .as_str()
            .map(|a| a.parse::<f64>().unwrap()),
        Some(0.113)
    );
    assert_eq!(r["totals"]["complete"], json!(true));
    assert_eq!(
        r["cards"],
        json!([{ "date": "2026-10-01", "currency": "GBP", "pricingModel": "PMP" }])
    );
    assert_eq!(
        r["files"],
        json!([{
            "name": "gbp.csv", "sha256": "0123456789ab", "date": "2026-10-01",
            "currency": "GBP", "pricingModel": "PMP", "kind": "rates"
        }])
    );
}

#[test]
fn without_the_card_the_log_is_unpriced_and_names_no_file() {
    let r = to_value(&price(
        &Engine::new().unwrap(),
        json!({ "currency": "GBP" }),
        GBP_LOG,
    ));
    assert_eq!(r["totals"]["complete"], json!(false));
    assert_eq!(r["totals"]["amount"], json!("0"));
    assert_eq!(
        r["totals"]["unpriced"],
        json!([
            { "market": "Brazil", "category": "marketing", "messages": 1 },
            { "market": "Germany", "category": "utility", "messages": 1 },
            { "market": "India", "category": "marketing", "messages": 2 },
        ])
    );
    assert_eq!(r["files"], json!([]));
}

#[test]
fn a_card_the_log_does_not_use_is_not_named() {
    // Priced in USD (the embedded cards): the GBP file supplies nothing.
    let r = to_value(&price(&gbp_engine(), json!({ "currency": "USD" }), GBP_LOG));
    assert_eq!(r["totals"]["complete"], json!(true));
    assert_eq!(r["files"], json!([]));
    // Before the card's date the GBP log is unpriced (no GBP card then), and names no file.
    let before = GBP_LOG
        .split(|b| *b == b'\n')
        .map(|l| String::from_utf8_lossy(l).replace("2026-10-", "2026-08-"))
        .collect::<Vec<_>>()
        .join("\n");
    let r = to_value(&price(
        &gbp_engine(),
        json!({ "currency": "GBP" }),
        before.as_bytes(),
    ));
    assert_eq!(r["totals"]["complete"], json!(false));
    assert_eq!(r["files"], json!([]));
}

#[test]
fn the_what_if_names_the_files_it_used() {
    // Priced as logged in August (no GBP card), and again under 2026-10-01 (the file's card).
    let log = String::from_utf8_lossy(GBP_LOG).replace("2026-10-", "2026-08-");
    let r = to_value(&price(
        &gbp_engine(),
        json!({ "currency": "GBP", "whatIf": { "date": "2026-10-01" } }),
        log.as_bytes(),
    ));
    assert_eq!(r["files"], json!([]));
    let w = &r["whatIf"];
    assert_eq!(w["totals"]["complete"], json!(true));
    assert_eq!(w["files"][0]["name"], json!("gbp.csv"));
    assert_eq!(w["files"][0]["sha256"], json!("0123456789ab"));
}
