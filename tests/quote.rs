//! Quote lines by market, the markup as its own line or folded, and taxes (issue 21, items 1–2).
//! The scenario is the golden `paid_service_2026_usd` (EG, IN, BR; 15 % markup on service, 3 %
//! handling on prepaid points); its monthly lines, from the golden quote, are:
//! service 1,071.62 (exact 1,071.616), utility 2,618, markup 160.74, handling 110.69 = 3,961.05.

mod common;

use serde_json::{json, Value};
use waprice::quote::{quote, Quote, QuoteMeta};
use waprice::scenario::Scenario;

fn file() -> Value {
    let text = std::fs::read_to_string("tests/golden/scenarios/paid_service_2026_usd.json")
        .expect("golden scenario");
    serde_json::from_str(&text).expect("golden scenario json")
}

fn run(scenario: Value, extra: Value) -> Result<Quote, waprice::error::Error> {
    let mut meta = file()["quote"].clone();
    for (k, v) in extra.as_object().expect("object") {
        meta[k] = v.clone();
    }
    let s: Scenario = serde_json::from_value(scenario).expect("scenario");
    let m: QuoteMeta = serde_json::from_value(meta).expect("meta");
    quote(&common::engine(), &s, &m)
}

fn amounts(q: &Quote, kind: &str) -> Vec<(String, String)> {
    q.lines
        .iter()
        .chain(q.tax_lines.iter())
        .filter(|l| l.kind == kind)
        .map(|l| (l.label.clone(), l.amount.clone()))
        .collect()
}

#[test]
fn india_gst_on_meta_and_reseller_lines() {
    let q = run(
        file()["scenario"].clone(),
        json!({"taxes": [
            {"name": "GST", "percent": 18, "on": "meta"},
            {"name": "GST", "percent": 18, "on": "reseller"}
        ]}),
    )
    .expect("quote");
    // Meta: 1,071.62 + 2,618 = 3,689.62; × 0.18 = 664.1316 → 664.13 (half away from zero).
    // Reseller: 160.74 + 110.69 = 271.43; × 0.18 = 48.8574 → 48.86.
    assert_eq!(
        amounts(&q, "tax"),
        vec![
            (
                "GST 18% on Meta's charges".to_string(),
                "664.13".to_string()
            ),
            (
                "GST 18% on the reseller's charges".to_string(),
                "48.86".to_string()
            ),
        ]
    );
    assert_eq!(q.tax_lines[0].quantity, "3689.62");
    assert_eq!(q.tax_lines[1].quantity, "271.43");
    // Subtotal 3,961.05; total 3,961.05 + 664.13 + 48.86 = 4,674.04.
    assert_eq!(q.subtotal.as_deref(), Some("3961.05"));
    assert_eq!(q.total, "4674.04");
    assert!(q
        .assumptions
        .iter()
        .any(|a| a.contains("taxes given are shown as lines")));
}

#[test]
fn eu_vat_is_reverse_charged_when_the_customer_gives_a_tax_id() {
    let taxes = json!([{"name": "VAT", "percent": 20, "on": "all"}]);
    // Without a tax id: 3,961.05 × 0.20 = 792.21; total 4,753.26.
    let q = run(file()["scenario"].clone(), json!({"taxes": taxes})).expect("quote");
    assert_eq!(q.tax_lines[0].amount, "792.21");
    assert_eq!(q.total, "4753.26");
    // With one: the line stays, amount 0, with the note; total = subtotal = 3,961.05.
    let q = run(
        file()["scenario"].clone(),
        json!({"taxes": taxes, "customerTaxId": "DE123456789"}),
    )
    .expect("quote");
    assert_eq!(q.tax_lines[0].amount, "0");
    assert!(q.tax_lines[0].label.contains("reverse charge"));
    assert!(q.tax_lines[0].label.contains("DE123456789"));
    assert_eq!(q.subtotal.as_deref(), Some("3961.05"));
    assert_eq!(q.total, "3961.05");
    // A tax id does not touch a tax that is not VAT (GST stays charged).
    let q = run(
        file()["scenario"].clone(),
        json!({"taxes": [{"name": "GST", "percent": 18, "on": "meta"}], "customerTaxId": "X1"}),
    )
    .expect("quote");
    assert_eq!(q.tax_lines[0].amount, "664.13");
}

#[test]
fn four_markets_by_market_and_category() {
    let mut s = file()["scenario"].clone();
    s["audience"]["mix"]
        .as_array_mut()
        .expect("mix")
        .push(json!({"country": "ID", "count": 20000}));
    s["audience"]["contacts"] = json!(270000);
    let q = run(s, json!({"linesBy": "market"})).expect("quote");
    let est = &q.estimate.meta.lines;
    let meta: Vec<_> = q.lines.iter().filter(|l| l.kind == "meta").collect();
    let paid: Vec<_> = est
        .iter()
        .filter(|l| l.amount != "0" || l.charged != "0")
        .collect();
    assert_eq!(meta.len(), paid.len());
    let markets: std::collections::BTreeSet<_> = paid.iter().map(|l| l.market.clone()).collect();
    assert_eq!(markets.len(), 4, "{markets:?}");
    for (line, e) in meta.iter().zip(paid.iter()) {
        // Each line is one market's charges: label names it, amount = that market's amount
        // rounded to cents, quantity = its charged messages, unit price = its own rate.
        assert!(line.label.contains(&e.market), "{}", line.label);
        let exact = common::dec(&e.amount);
        assert_eq!(
            common::dec(&line.amount),
            waprice::money::round_money(exact, "USD")
        );
        assert_eq!(line.quantity, e.charged);
        if e.tier_savings == "0" && e.charged != "0" {
            let rate = common::dec(e.rate.as_deref().expect("rate"));
            assert_eq!(
                common::dec(&line.unit_price),
                waprice::money::round_shown(rate, 6)
            );
        }
    }
}

#[test]
fn markup_as_a_line_and_folded() {
    // As a line: 15 % of 1,071.616 = 160.7424 → 160.74, shown as 1 × 160.74, never × 0.15.
    let q = run(file()["scenario"].clone(), json!({"markup": "line"})).expect("quote");
    let m = q
        .lines
        .iter()
        .find(|l| l.label.starts_with("Markup"))
        .expect("markup line");
    assert_eq!(
        (m.quantity.as_str(), m.unit_price.as_str()),
        ("1", "160.74")
    );
    assert_eq!(q.total, "3961.05");
    // Folded: service 1,071.616 × 1.15 = 1,232.3584 → 1,232.36; utility 2,618 (no markup);
    // no markup line; total 1,232.36 + 2,618 + 110.69 = 3,961.05.
    let q = run(file()["scenario"].clone(), json!({"markup": "folded"})).expect("quote");
    assert!(q.lines.iter().all(|l| !l.label.starts_with("Markup")));
    assert_eq!(
        amounts(&q, "meta")
            .iter()
            .map(|a| a.1.as_str())
            .collect::<Vec<_>>(),
        vec!["1232.36", "2618"]
    );
    assert_eq!(q.total, "3961.05");
}

#[test]
fn bad_options_name_the_field_and_value() {
    let e = run(file()["scenario"].clone(), json!({"linesBy": "country"})).unwrap_err();
    assert_eq!(
        (e.path.as_str(), e.message.contains("\"country\"")),
        ("meta.linesBy", true)
    );
    let e = run(file()["scenario"].clone(), json!({"markup": "hidden"})).unwrap_err();
    assert_eq!(e.path, "meta.markup");
    let e = run(
        file()["scenario"].clone(),
        json!({"taxes": [{"name": "GST", "percent": 118, "on": "meta"}]}),
    )
    .unwrap_err();
    assert_eq!(e.path, "meta.taxes.0.percent");
    let e = run(
        file()["scenario"].clone(),
        json!({"taxes": [{"name": "GST", "percent": 18, "on": "everything"}]}),
    )
    .unwrap_err();
    assert_eq!(e.path, "meta.taxes.0.on");
}
