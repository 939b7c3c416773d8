//! Quote lines by market, the markup as its own line or folded, and taxes (issue 21, items 1–2);
//! the terms, the FX source, the prepaid wallet and the marketing max price (items 3, 4, 6).
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
    run_with(file()["quote"].clone(), scenario, extra)
}

/// The golden `paid_service_2026_eur`: Germany, Spain, Netherlands, billed in EUR, quoted in GBP
/// at 0.85; marketing 80,000 messages in Germany at 0.1131, 40,000 in Spain at 0.0585 and
/// 40,000 in the Netherlands at 0.1323 (Meta's EUR card of 2026-07-01).
fn eur() -> Value {
    let text = std::fs::read_to_string("tests/golden/scenarios/paid_service_2026_eur.json")
        .expect("golden scenario");
    serde_json::from_str(&text).expect("golden scenario json")
}

fn run_eur(extra: Value) -> Result<Quote, waprice::error::Error> {
    run_with(eur()["quote"].clone(), eur()["scenario"].clone(), extra)
}

fn run_with(meta: Value, scenario: Value, extra: Value) -> Result<Quote, waprice::error::Error> {
    let mut meta = meta;
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
    assert_eq!(e.path, "meta.taxes[0].percent");
    let e = run(
        file()["scenario"].clone(),
        json!({"taxes": [{"name": "GST", "percent": 18, "on": "everything"}]}),
    )
    .unwrap_err();
    assert_eq!(e.path, "meta.taxes[0].on");
}

#[test]
fn a_wallet_for_30_days() {
    // October 2026 has 31 days; the monthly total is 3,961.05 USD.
    // 3,961.05 × 30 / 31 = 118,831.5 / 31 = 3,833.27419354838…, rounded up to the cent: 3,833.28.
    // Card fee 3.5 % of 3,833.28 = 134.1648 → 134.16; payable 3,833.28 + 134.16 = 3,967.44.
    let q = run(
        file()["scenario"].clone(),
        json!({"wallet": {"days": 30, "minimumTopUp": "500", "cardFeePercent": 3.5}}),
    )
    .expect("quote");
    let w = q.wallet.as_ref().expect("wallet");
    assert_eq!((w.days, w.days_in_month), (30, 31));
    assert_eq!(w.monthly_total, "3961.05");
    assert!(w.exact.starts_with("3833.27419354838"), "{}", w.exact);
    assert_eq!(w.top_up, "3833.28");
    let fee = w.fee.as_ref().expect("fee line");
    assert_eq!((fee.kind, fee.amount.as_str()), ("fee", "134.16"));
    assert_eq!(fee.label, "Card or gateway fee 3.5% on the top-up");
    assert_eq!(w.payable, "3967.44");
    assert_eq!(w.notes[0].code, "wallet_top_up");
    assert_eq!(w.notes[0].param("rounded").as_deref(), Some("3833.28"));
    assert_eq!(w.notes.len(), 1);
    // The quote's own total is unchanged: the wallet is how it is paid.
    assert_eq!(q.total, "3961.05");
    // A minimum of 5,000 raises the top-up and says so; fee 5,000 × 0.035 = 175; payable 5,175.
    let q = run(
        file()["scenario"].clone(),
        json!({"wallet": {"days": 30, "minimumTopUp": "5000", "cardFeePercent": 3.5}}),
    )
    .expect("quote");
    let w = q.wallet.as_ref().expect("wallet");
    assert_eq!((w.top_up.as_str(), w.payable.as_str()), ("5000", "5175"));
    assert_eq!(w.notes[1].code, "wallet_minimum_top_up");
    // With GST 18 % on all: total 3,961.05 + 712.989 → 712.99 = 4,674.04; 7 days:
    // 4,674.04 × 7 / 31 = 32,718.28 / 31 = 1,055.428387… → 1,055.43; no fee line without a percent.
    let q = run(
        file()["scenario"].clone(),
        json!({"taxes": [{"name": "GST", "percent": 18, "on": "all"}], "wallet": {"days": 7}}),
    )
    .expect("quote");
    let w = q.wallet.as_ref().expect("wallet");
    assert_eq!(q.total, "4674.04");
    assert_eq!((w.top_up.as_str(), w.fee.is_none()), ("1055.43", true));
    assert_eq!(w.payable, "1055.43");
}

#[test]
fn terms_name_validity_cards_pass_through_notices_and_payment() {
    let q = run(
        file()["scenario"].clone(),
        json!({"validUntil": "2026-12-31", "paymentTerms": "Net 30, by bank transfer"}),
    )
    .expect("quote");
    let codes: Vec<&str> = q.terms.iter().map(|n| n.code).collect();
    assert_eq!(
        codes,
        vec![
            "quote_valid_until",
            "quote_card_embedded",
            "quote_pass_through",
            "quote_payment_terms"
        ]
    );
    assert_eq!(q.valid_until, "2026-12-31");
    assert_eq!(q.terms[0].param("date").as_deref(), Some("2026-12-31"));
    // The embedded USD card of 2026-10-01 (data/PROVENANCE.md).
    assert_eq!(q.terms[1].param("date").as_deref(), Some("2026-10-01"));
    assert_eq!(q.terms[1].param("currency").as_deref(), Some("USD"));
    // Issued 2026-10-01: the next quarter start is 2027-01-01 (SPEC §15, "rates beyond the data":
    // Meta changes rates only on the first day of a quarter).
    assert_eq!(q.terms[2].param("next").as_deref(), Some("2027-01-01"));
    assert!(q.terms[2]
        .message
        .contains("passed through at the rates in force on the delivery date"));
    assert_eq!(
        q.terms[3].param("text").as_deref(),
        Some("Net 30, by bank transfer")
    );
    // Traffic in January 2027, past the first quarter start after the latest USD card held:
    // the quote carries card_not_verified.
    let mut s = file()["scenario"].clone();
    s["business"]["date"] = json!("2027-01-15");
    let q = run(s, json!({})).expect("quote");
    assert!(
        q.terms.iter().any(|n| n.code == "card_not_verified"),
        "{:?}",
        q.terms
    );
    // validDays still works; validUntil before the issue date is an error naming the value.
    let q = run(file()["scenario"].clone(), json!({"validDays": 10})).expect("quote");
    assert_eq!(q.valid_until, "2026-10-10");
    let e = run(
        file()["scenario"].clone(),
        json!({"validUntil": "2026-09-30"}),
    )
    .unwrap_err();
    assert_eq!(e.path, "meta.validUntil");
    assert!(e.message.contains("\"2026-09-30\""), "{}", e.message);
    let e = run(
        file()["scenario"].clone(),
        json!({"validUntil": "31/12/2026"}),
    )
    .unwrap_err();
    assert_eq!(e.path, "meta.validUntil");
    let long = "x".repeat(2001);
    let e = run(file()["scenario"].clone(), json!({"paymentTerms": long})).unwrap_err();
    assert_eq!(
        (e.path.as_str(), e.code.as_str()),
        ("meta.paymentTerms", "limit_exceeded")
    );
}

#[test]
fn headline_in_the_quote_currency_with_the_rate_and_its_source() {
    // Billed in EUR, quoted in GBP at 0.85: the lines and total are in GBP and the rate and its
    // source are on the quote.
    let q = run_eur(json!({"fxSource": "ECB 2026-07-14"})).expect("quote");
    assert_eq!(q.currency, "GBP");
    let fx = q.fx.as_ref().expect("fx");
    assert_eq!(
        (fx.from.as_str(), fx.to.as_str(), fx.rate.as_str()),
        ("EUR", "GBP", "0.85")
    );
    assert_eq!(fx.source.as_deref(), Some("ECB 2026-07-14"));
    // Marketing 9,048 + 2,340 + 5,292 = 16,680 EUR × 0.85 = 14,178 GBP.
    let m = q
        .lines
        .iter()
        .find(|l| l.category.as_deref() == Some("marketing"))
        .expect("marketing line");
    assert_eq!(m.amount, "14178");
    // An FX source without a quote currency names the field and the value.
    let e = run(file()["scenario"].clone(), json!({"fxSource": "ECB"})).unwrap_err();
    assert_eq!(e.path, "meta.fxSource");
    assert!(e.message.contains("\"ECB\""), "{}", e.message);
}

/// SPEC §15 "Marketing max price", from Meta's pricing page (updated 2026-09-30): a bid per
/// 1,000 delivered marketing messages, optionally lowered per country; Meta charges at most the
/// bid; only for accounts billed in USD, EUR, GBP, AUD, MXN or BRL.
#[test]
fn max_price_is_a_ceiling_beside_the_rate_card_price() {
    let q = run_eur(json!({"maxPrice": {
        "perThousand": "90", "currency": "EUR", "multipliers": {"Spain": 0.5}
    }}))
    .expect("quote");
    let m = q.max_price.as_ref().expect("max price");
    assert_eq!(
        (m.currency.as_str(), m.per_thousand.as_str()),
        ("EUR", "90")
    );
    let rows: Vec<(&str, &str, &str, bool)> = m
        .lines
        .iter()
        .map(|l| {
            (
                l.market.as_str(),
                l.ceiling.as_str(),
                l.ceiling_amount.as_str(),
                l.above_rate,
            )
        })
        .collect();
    // 90 / 1,000 = 0.09 per message. Germany: 80,000 × 0.09 = 7,200 (below the 0.1131 rate).
    // Spain: 0.09 × 0.5 = 0.045; 40,000 × 0.045 = 1,800 (below 0.0585). Netherlands:
    // 40,000 × 0.09 = 3,600 (below 0.1323).
    assert_eq!(
        rows,
        vec![
            ("Germany", "0.09", "7200", false),
            ("Spain", "0.045", "1800", false),
            ("Netherlands", "0.09", "3600", false),
        ]
    );
    // Ceiling total 7,200 + 1,800 + 3,600 = 12,600; at the rate card 9,048 + 2,340 + 5,292 = 16,680.
    assert_eq!(
        (m.ceiling_total.as_str(), m.rate_total.as_str()),
        ("12600", "16680")
    );
    assert_eq!(m.note.code, "max_price_ceiling");
    // The charge stays at the rate card: marketing 16,680 EUR × 0.85 = 14,178 GBP.
    let line = q
        .lines
        .iter()
        .find(|l| l.category.as_deref() == Some("marketing"))
        .expect("marketing line");
    assert_eq!(line.amount, "14178");
    // Without the multiplier, Spain's ceiling 0.09 is above its 0.0585 rate, and flagged.
    let q = run_eur(json!({"maxPrice": {"perThousand": "90", "currency": "EUR"}})).expect("quote");
    let spain = &q.max_price.as_ref().expect("max price").lines[1];
    assert_eq!((spain.ceiling.as_str(), spain.above_rate), ("0.09", true));
    // Only the six currencies, and only the billing currency.
    let e = run(
        file()["scenario"].clone(),
        json!({"maxPrice": {"perThousand": "90", "currency": "INR"}}),
    )
    .unwrap_err();
    assert_eq!(
        (e.path.as_str(), e.code.as_str()),
        ("meta.maxPrice.currency", "invalid_option")
    );
    assert!(e.message.contains("\"INR\""), "{}", e.message);
    let e = run_eur(json!({"maxPrice": {"perThousand": "90", "currency": "GBP"}})).unwrap_err();
    assert_eq!(e.path, "meta.maxPrice.currency");
    let e = run_eur(json!({"maxPrice": {"perThousand": "-1", "currency": "EUR"}})).unwrap_err();
    assert_eq!(e.path, "meta.maxPrice.perThousand");
    let e = run_eur(json!({"maxPrice": {"perThousand": "0", "currency": "EUR"}})).unwrap_err();
    assert_eq!(e.path, "meta.maxPrice.perThousand");
    let e = run_eur(json!({"maxPrice": {"perThousand": "90", "currency": "EUR", "multipliers": {"Spain": 1.5}}}))
        .unwrap_err();
    assert_eq!(e.path, "meta.maxPrice.multipliers.Spain");
    let e = run_eur(json!({"maxPrice": {"perThousand": "90", "currency": "EUR", "multipliers": {"Atlantis": 0.5}}}))
        .unwrap_err();
    assert_eq!(e.path, "meta.maxPrice.multipliers.Atlantis");
}

#[test]
fn bad_wallet_names_the_field_and_value() {
    for (wallet, path) in [
        (json!({"days": 0}), "meta.wallet.days"),
        (json!({"days": 2.5}), "meta.wallet.days"),
        (
            json!({"days": 30, "minimumTopUp": "-5"}),
            "meta.wallet.minimumTopUp",
        ),
        (
            json!({"days": 30, "minimumTopUp": "ten"}),
            "meta.wallet.minimumTopUp",
        ),
        (
            json!({"days": 30, "cardFeePercent": 101}),
            "meta.wallet.cardFeePercent",
        ),
    ] {
        let e = run(file()["scenario"].clone(), json!({ "wallet": wallet })).unwrap_err();
        assert_eq!(e.path, path, "{wallet}: {}", e.message);
    }
}

#[test]
fn one_time_lines_have_their_kind() {
    let mut s = file()["scenario"].clone();
    s["reseller"]["setupFee"] = json!("250");
    let q = run(s, json!({})).expect("quote");
    assert!(!q.one_time_lines.is_empty());
    assert!(q.one_time_lines.iter().all(|l| l.kind == "one_time"));
}

/// The golden USD quote with `meta` fields removed (`null`) or set, and the scenario changed by
/// `edit`.
fn spelled(extra: Value, edit: impl Fn(&mut Value)) -> Quote {
    let mut meta = file()["quote"].clone();
    for (k, v) in extra.as_object().expect("object") {
        if v.is_null() {
            meta.as_object_mut().expect("meta").remove(k);
        } else {
            meta[k] = v.clone();
        }
    }
    let mut s = file()["scenario"].clone();
    edit(&mut s);
    run_with(meta, s, json!({})).expect("quote")
}

/// Inputs that say the same thing, spelled differently, give one id; the share link still
/// carries the inputs as written.
#[test]
fn the_id_is_the_same_for_inputs_that_say_the_same_thing() {
    let base = spelled(json!({}), |_| {});
    assert!(
        base.id.starts_with("WQ-") && base.id.len() == 19,
        "{}",
        base.id
    );
    let same = [
        // The golden quote writes `validDays: 30`, the default.
        ("validDays omitted", json!({"validDays": null})),
        // Issued 2026-10-01, 30 days: valid until 2026-10-30.
        (
            "validUntil for validDays",
            json!({"validDays": null, "validUntil": "2026-10-30"}),
        ),
        ("empty taxes", json!({"taxes": []})),
        ("linesBy default", json!({"linesBy": "category"})),
        ("markup default", json!({"markup": "line"})),
        ("blank payment terms", json!({"paymentTerms": "  "})),
        ("blank fx source", json!({"fxSource": ""})),
        (
            "tax id without a VAT tax",
            json!({"customerTaxId": "DE123456789"}),
        ),
    ];
    for (why, extra) in same {
        let q = spelled(extra.clone(), |_| {});
        assert_eq!(q.id, base.id, "{why}: {extra}");
        assert_ne!(
            q.encoded, base.encoded,
            "{why}: the link carries the input as written"
        );
    }
    // The scenario's defaults spelled out or omitted: one business number is the default.
    let q = spelled(json!({}), |s| {
        s["business"]
            .as_object_mut()
            .expect("business")
            .remove("phoneNumbers");
    });
    assert_eq!(q.id, base.id, "phoneNumbers omitted");
    // Every default at once.
    let q = spelled(
        json!({"markup": "line", "linesBy": "category", "taxes": []}),
        |_| {},
    );
    assert_eq!(q.id, base.id, "all defaults spelled out");
    // A wallet's minimum of 0 is the default; a bid of 90.00 is a bid of 90; a multiplier of 1
    // lowers nothing.
    let wallet = |w: Value| spelled(json!({ "wallet": w }), |_| {}).id;
    assert_eq!(
        wallet(json!({"days": 30})),
        wallet(json!({"days": 30, "minimumTopUp": "0"}))
    );
    let bid = |m: Value| run_eur(json!({ "maxPrice": m })).expect("quote").id;
    let plain = bid(json!({"perThousand": "90", "currency": "EUR"}));
    assert_eq!(
        plain,
        bid(json!({"perThousand": "90.00", "currency": "EUR", "multipliers": {}}))
    );
    assert_eq!(
        plain,
        bid(json!({"perThousand": "90", "currency": "EUR", "multipliers": {"Spain": 1}}))
    );
}

/// Quotes that differ in anything shown have different ids.
#[test]
fn the_id_differs_when_anything_shown_differs() {
    let base = spelled(json!({}), |_| {});
    let vat = json!([{"name": "VAT", "percent": 20, "on": "all"}]);
    let differ = [
        ("seller", json!({"seller": "Other Ltd"})),
        ("customer", json!({"customer": "Other shop"})),
        ("reference", json!({"reference": "R-2"})),
        ("no reference", json!({"reference": null})),
        ("issued", json!({"issued": "2026-10-02"})),
        ("validity", json!({"validDays": 31})),
        ("validUntil", json!({"validUntil": "2026-11-15"})),
        ("a tax", json!({ "taxes": vat })),
        (
            "another rate",
            json!({"taxes": [{"name": "VAT", "percent": 21, "on": "all"}]}),
        ),
        (
            "another base",
            json!({"taxes": [{"name": "VAT", "percent": 20, "on": "meta"}]}),
        ),
        (
            "reverse charge",
            json!({"taxes": vat, "customerTaxId": "DE123456789"}),
        ),
        ("lines by market", json!({"linesBy": "market"})),
        ("markup folded", json!({"markup": "folded"})),
        ("payment terms", json!({"paymentTerms": "30 days net"})),
        ("a wallet", json!({"wallet": {"days": 30}})),
    ];
    let mut seen = std::collections::BTreeMap::new();
    seen.insert(base.id.clone(), "base");
    for (why, extra) in differ {
        let q = spelled(extra.clone(), |_| {});
        if let Some(other) = seen.insert(q.id.clone(), why) {
            panic!("{why} ({extra}) has the id of {other}: {}", q.id);
        }
    }
    // The scenario: one contact moved from Egypt to India, two business numbers.
    for (why, edit) in [
        (
            "mix",
            Box::new(|s: &mut Value| {
                s["audience"]["mix"][0]["count"] = json!(149_999);
                s["audience"]["mix"][1]["count"] = json!(60_001);
            }) as Box<dyn Fn(&mut Value)>,
        ),
        (
            "phone numbers",
            Box::new(|s: &mut Value| s["business"]["phoneNumbers"] = json!(2)),
        ),
    ] {
        let q = spelled(json!({}), edit);
        if let Some(other) = seen.insert(q.id.clone(), why) {
            panic!("{why} has the id of {other}: {}", q.id);
        }
    }
    // The bid and its per-market multiplier.
    let bid = |m: Value| run_eur(json!({ "maxPrice": m })).expect("quote").id;
    let ids = [
        run_eur(json!({})).expect("quote").id,
        bid(json!({"perThousand": "90", "currency": "EUR"})),
        bid(json!({"perThousand": "91", "currency": "EUR"})),
        bid(json!({"perThousand": "90", "currency": "EUR", "multipliers": {"Spain": 0.5}})),
    ];
    let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
}

/// A VAT has no single EU rate (it is the seller's member state's: Directive 2006/112/EC, art.
/// 96–98, standard rates such as 19 % DE, 20 % FR, 21 % NL): a tax without its percent is an error
/// at the percent's path, never a silent 0 %.
#[test]
fn a_tax_without_a_rate_is_an_error_at_its_percent() {
    for tax in [
        json!({"name": "VAT", "on": "all"}),
        json!({"name": "VAT", "percent": null, "on": "all"}),
    ] {
        let e = run(
            file()["scenario"].clone(),
            json!({ "taxes": [{"name": "GST", "percent": 18, "on": "meta"}, tax] }),
        )
        .unwrap_err();
        assert_eq!(
            (e.path.as_str(), e.code.as_str()),
            ("meta.taxes[1].percent", "invalid_input"),
            "{tax}: {}",
            e.message
        );
        assert!(
            e.message.contains("\"VAT\" has no rate"),
            "{tax}: {}",
            e.message
        );
    }
    // Zero is a rate when written.
    let q = run(
        file()["scenario"].clone(),
        json!({"taxes": [{"name": "VAT", "percent": 0, "on": "all"}]}),
    )
    .expect("quote");
    assert_eq!(q.tax_lines[0].amount, "0");
}
