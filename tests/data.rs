//! The figures of `data/` and rate cards loaded from files, checked through estimates whose
//! arithmetic is written in each test.

mod common;
use common::*;
use serde_json::{json, Value};
use waprice::estimate::{estimate, Estimate};
use waprice::scenario::Scenario;

fn est(v: Value) -> Estimate {
    let s: Scenario = serde_json::from_value(v).expect("scenario shape");
    estimate(&engine(), &s, None).unwrap_or_else(|e| panic!("estimate failed: {e}"))
}

/// INR India, 2026-01-01 (data/PROVENANCE.md, third pass: S50 richautomate.in, "On 1 January 2026,
/// Meta lifted the India marketing conversation rate from ₹0.7846 to ₹0.8631"; S51, S52).
/// 3,000 Indian contacts get one marketing template on 2026-02-10: 3,000 × 0.8631 = 2589.3 INR.
/// Without the 2026-01-01 row the 2025-10-01 rate (0.7846) would give 2353.8.
#[test]
fn inr_india_marketing_on_the_2026_01_01_card() {
    let e = est(json!({
        "business": { "date": "2026-02-10", "currency": "INR" },
        "audience": { "contacts": 3000, "mix": [{ "country": "IN", "share": 100 }] },
        "journeys": [{ "preset": "marketing_campaign", "params": { "replyShare": 0 } }],
    }));
    assert_eq!(dec(&e.total), dec("2589.3"));
    assert_eq!(e.cards[0].date, "2026-01-01");
    assert_eq!(e.cards[0].currency, "INR");
}

/// INR India, 2023-06-01 (data/PROVENANCE.md, third pass: S49 techcircle.in, 2023-05-31, "₹0.3082 …
/// utility … marketing … ₹0.7265"). 2,000 Indian contacts get one marketing template on
/// 2023-07-10; half reply once and the agent's reply rides in the marketing conversation:
/// 2,000 × 0.7265 = 1453 INR. Before this row the data held no INR conversation-era rate.
#[test]
fn inr_india_marketing_on_the_2023_06_01_card() {
    let e = est(json!({
        "business": { "date": "2023-07-10", "currency": "INR" },
        "audience": { "contacts": 2000, "mix": [{ "country": "IN", "share": 100 }] },
        "journeys": [{ "preset": "marketing_campaign", "params": { "replyShare": 50, "repliesPerChat": 1 } }],
    }));
    assert_eq!(dec(&e.total), dec("1453"));
    assert_eq!(e.cards[0].date, "2023-06-01");
}

// ---------------------------------------------------------------------------------------------
// Meta's own rate-card files. The layouts follow the files Meta's pricing page serves (SPEC §5;
// issue 20): a preamble line ("Cost per message in BRL" / "Cost per conversation in USD, effective
// June 1, 2023"), note lines, a header whose cells may hold line breaks, `n/a` for no rate, `$US`
// currency cells, and volume-tier files with utility / authentication / authentication-
// international groups side by side. The figures are invented for the tests (a GBP card, which
// the embedded data lacks), so every expectation is the arithmetic written beside it.
// ---------------------------------------------------------------------------------------------

use waprice::engine::{LoadOptions, LoadedCard};
use waprice::{Engine, ErrorCode, Location};

/// A GBP list-rate card effective 2026-10-01, as Meta lays it out.
const GBP_CARD: &str = "Cost per message in GBP, effective October 1, 2026,,,,,,\n\
Rates are subject to change. See the pricing page for details.,,,,,,\n\
,,,,,,\n\
Market,Currency,Marketing,Utility,Authentication,\"Authentication-\nInternational\",Service\n\
Brazil,GBP,0.0500,0.0063,0.0063,n/a,0.0063\n\
Egypt,GBP,0.0850,0.0030,0.0030,0.0500,0.0030\n\
India,GBP,0.0090,0.0011,0.0011,0.0230,0.0011\n\
Germany,GBP,0.1100,0.0450,0.0450,n/a,0.0450\n\
Rest of Central & Eastern Europe,GBP,0.0700,0.0170,0.0170,n/a,0.0170\n\
,,,,,,\n\
\"* Authentication-International rates apply to authentication messages delivered to users in markets with international authentication rates.\",,,,,,\n";

fn gbp_engine() -> (Engine, LoadedCard) {
    let mut e = engine();
    let info = e
        .load_rate_file(
            GBP_CARD.as_bytes(),
            &LoadOptions {
                name: Some("gbp.csv".into()),
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("load failed: {e}"));
    (e, info)
}

fn est_with(engine: &Engine, v: Value) -> Estimate {
    let s: Scenario = serde_json::from_value(v).expect("scenario shape");
    estimate(engine, &s, None).unwrap_or_else(|e| panic!("estimate failed: {e}"))
}

/// 40,000 contacts, 60% India, 25% Brazil, 15% Germany, 4 marketing campaigns a month in GBP:
/// 24,000 × 4 × 0.0090 + 10,000 × 4 × 0.0500 + 6,000 × 4 × 0.1100 = 864 + 2000 + 2640 = 5504.
#[test]
fn a_meta_csv_card_prices_a_currency_the_data_lacks() {
    let (e, info) = gbp_engine();
    assert_eq!(info.kind, "rates");
    assert_eq!(info.format, "csv");
    assert_eq!(info.date, "2026-10-01");
    assert_eq!(info.currency, "GBP");
    assert_eq!(info.pricing_model.as_str(), "PMP");
    assert_eq!(info.markets.len(), 5);
    assert!(info
        .markets
        .contains(&"Rest of Central & Eastern Europe".to_string()));
    // 5 markets × 5 categories, less the three n/a cells.
    assert_eq!(info.rows, 22);
    assert_eq!(info.replaced, 0);
    let est = est_with(
        &e,
        json!({
            "business": { "date": "2026-10-15", "currency": "GBP" },
            "audience": { "contacts": 40000, "mix": [{ "country": "IN", "share": 60 }, { "country": "BR", "share": 25 }, { "market": "Germany", "share": 15 }] },
            "journeys": [{ "preset": "marketing_campaign", "timesPerMonth": 4, "params": { "replyShare": 0 } }],
        }),
    );
    assert_eq!(dec(&est.total), dec("5504"));
    assert_eq!(est.cards[0].currency, "GBP");
    assert_eq!(est.cards[0].sources, "gbp.csv");
}

/// The same card as a spreadsheet (written here with rust_xlsxwriter, numbers stored as numbers,
/// the header cell with a line break, the preamble in A1): the same estimate, 5504.
#[test]
fn a_meta_xlsx_card_reads_like_its_csv() {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("GBP").unwrap();
    sheet
        .write_string(0, 0, "Cost per message in GBP, effective October 1, 2026")
        .unwrap();
    let header = [
        "Market",
        "Currency",
        "Marketing",
        "Utility",
        "Authentication",
        "Authentication-\nInternational",
        "Service",
    ];
    for (i, h) in header.iter().enumerate() {
        sheet.write_string(2, i as u16, *h).unwrap();
    }
    let rows: [(&str, [Option<f64>; 5]); 3] = [
        (
            "Brazil",
            [Some(0.05), Some(0.0063), Some(0.0063), None, Some(0.0063)],
        ),
        (
            "India",
            [
                Some(0.009),
                Some(0.0011),
                Some(0.0011),
                Some(0.023),
                Some(0.0011),
            ],
        ),
        (
            "Germany",
            [Some(0.11), Some(0.045), Some(0.045), None, Some(0.045)],
        ),
    ];
    for (r, (market, rates)) in rows.iter().enumerate() {
        let r = r as u32 + 3;
        sheet.write_string(r, 0, *market).unwrap();
        sheet.write_string(r, 1, "GBP").unwrap();
        for (c, v) in rates.iter().enumerate() {
            match v {
                Some(x) => sheet.write_number(r, c as u16 + 2, *x).unwrap(),
                None => sheet.write_string(r, c as u16 + 2, "n/a").unwrap(),
            };
        }
    }
    let bytes = book.save_to_buffer().unwrap();
    let mut e = engine();
    let info = e
        .load_rate_file(&bytes, &LoadOptions::default())
        .unwrap_or_else(|e| panic!("load failed: {e}"));
    assert_eq!(info.format, "xlsx");
    assert_eq!(
        (info.date.as_str(), info.currency.as_str(), info.rows),
        ("2026-10-01", "GBP", 13)
    );
    let est = est_with(
        &e,
        json!({
            "business": { "date": "2026-10-15", "currency": "GBP" },
            "audience": { "contacts": 40000, "mix": [{ "country": "IN", "share": 60 }, { "country": "BR", "share": 25 }, { "market": "Germany", "share": 15 }] },
            "journeys": [{ "preset": "marketing_campaign", "timesPerMonth": 4, "params": { "replyShare": 0 } }],
        }),
    );
    assert_eq!(dec(&est.total), dec("5504"));

    // A bad cell names its sheet and cell.
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .write_string(0, 0, "Cost per message in GBP, effective October 1, 2026")
        .unwrap();
    for (i, h) in ["Market", "Currency", "Marketing"].iter().enumerate() {
        sheet.write_string(1, i as u16, *h).unwrap();
    }
    sheet.write_string(2, 0, "Atlantis").unwrap();
    sheet.write_string(2, 1, "GBP").unwrap();
    sheet.write_number(2, 2, 0.01).unwrap();
    let err = engine()
        .load_rate_file(&book.save_to_buffer().unwrap(), &LoadOptions::default())
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::XlsxError);
    assert_eq!(err.path, "Sheet1!A3");
    assert!(err.message.contains("\"Atlantis\""), "{}", err.message);
    // The location is structured, as a CSV error's line and column are.
    let loc = err.loc.expect("an xlsx_error has a location");
    let sheet = loc.sheet.expect("a sheet");
    assert_eq!(
        (loc.source, sheet.sheet.as_str(), sheet.cell.as_deref()),
        ("xlsx", "Sheet1", Some("A3"))
    );
    assert_eq!((loc.line, loc.column), (3, Some(1)));
    assert_eq!(waprice::metafile::a1_position("AB12"), Some((12, 28)));
    assert_eq!(waprice::metafile::a1_position("12"), None);
}

/// A 2022 card (business- and user-initiated columns), a preamble without a date: the date is
/// given. 1,500 Brazilian contacts get one marketing template in March 2022: the first 1,000
/// conversations of the month are free (SPEC §7), 500 × 0.0400 = 20 GBP.
#[test]
fn a_2022_card_with_business_and_user_initiated_columns() {
    let file = "Cost per conversation in GBP,,\n\
Market,Currency,Business-Initiated Rate,User-Initiated Rate\n\
Brazil,GBP,0.0400,0.0240\n\
India,GBP,0.0050,0.0030\n";
    let mut e = engine();
    let err = e
        .load_rate_file(file.as_bytes(), &LoadOptions::default())
        .unwrap_err();
    assert_eq!(
        (err.code, err.path.as_str()),
        (ErrorCode::InvalidDate, "options.date")
    );
    let info = e
        .load_rate_file(
            file.as_bytes(),
            &LoadOptions {
                date: Some(waprice::time::ymd(2022, 2, 1)),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!((info.pricing_model.as_str(), info.rows), ("CBP", 4));
    let est = est_with(
        &e,
        json!({
            "business": { "date": "2022-03-10", "currency": "GBP" },
            "audience": { "contacts": 1500, "mix": [{ "country": "BR", "share": 100 }] },
            "journeys": [{ "preset": "marketing_campaign" }],
        }),
    );
    assert_eq!(dec(&est.total), dec("20"));
    // The same columns under a later date are refused, naming the column.
    let err = engine()
        .load_rate_file(
            file.as_bytes(),
            &LoadOptions {
                date: Some(waprice::time::ymd(2023, 6, 1)),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(
        err.message.contains("Business-Initiated Rate"),
        "{}",
        err.message
    );
}

/// A volume-tier file in Meta's layout (title, section labels over three groups of columns, the
/// market named on its first band only, `--` for no upper bound, `n/a` groups), over the GBP card.
/// 150,000 Egypt contacts get one order confirmation in October 2026:
/// 100,000 × 0.0030 + 50,000 × 0.0028 = 300 + 140 = 440 GBP.
#[test]
fn a_meta_tier_file_prices_volume_bands() {
    let tiers = "Volume tiers in GBP effective October 1, 2026,,,,,,,,,,,,,,,,\n\
https://developers.facebook.com/docs/whatsapp/pricing,,,,,,,,,,,,,,,,\n\
,,Utility,,,,,Authentication,,,,,Authentication-International,,,,\n\
,,Messages per month,,What we charge,,,Messages per month,,What we charge,,,Messages per month,,What we charge,,\n\
\"Market\n(per rate card)\",Currency,From,To,Rate type,Rate,vs. List rate,From,To,Rate type,Rate,vs. List rate,From,To,Rate type,Rate,vs. List rate\n\
Egypt,GBP,0,\"100,000\",List rate,0.0030,0%,0,\"100,000\",List rate,0.0030,0%,n/a,n/a,n/a,n/a,n/a\n\
,GBP,\"100,001\",--,Tier rate,0.0028,-5%,\"100,001\",--,Tier rate,0.0029,-3%,n/a,n/a,n/a,n/a,n/a\n";
    let (mut e, _) = gbp_engine();
    let info = e
        .load_rate_file(tiers.as_bytes(), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("load failed: {e}"));
    assert_eq!(info.kind, "tiers");
    assert_eq!(
        (info.date.as_str(), info.currency.as_str(), info.rows),
        ("2026-10-01", "GBP", 4)
    );
    assert_eq!(info.markets, vec!["Egypt".to_string()]);
    let est = est_with(
        &e,
        json!({
            "business": { "date": "2026-10-01", "currency": "GBP" },
            "audience": { "contacts": 150000, "mix": [{ "country": "EG", "share": 100 }] },
            "journeys": [{ "preset": "order_lifecycle", "params": { "shipping": false, "delivery": false } }],
        }),
    );
    assert_eq!(dec(&est.total), dec("440"));
}

/// `$US` cells, a card that replaces embedded rows, and the errors a file can earn.
#[test]
fn usd_cells_replacements_and_errors() {
    // USD 2026-10-01 India marketing is 0.0118 in the data; this file says 0.0200.
    let file = "Cost per message in USD, effective October 1, 2026,,\nMarket,Currency,Marketing\nIndia,$US,0.0200\n";
    let mut e = engine();
    let info = e
        .load_rate_file(file.as_bytes(), &LoadOptions::default())
        .unwrap();
    assert_eq!((info.currency.as_str(), info.replaced), ("USD", 1));
    // 1,000 contacts × 0.0200 = 20.
    let est = est_with(
        &e,
        json!({
            "business": { "date": "2026-10-15" },
            "audience": { "contacts": 1000, "mix": [{ "country": "IN", "share": 100 }] },
            "journeys": [{ "preset": "marketing_campaign", "params": { "replyShare": 0 } }],
        }),
    );
    assert_eq!(dec(&est.total), dec("20"));

    let load = |text: &str, opts: LoadOptions| {
        engine().load_rate_file(text.as_bytes(), &opts).unwrap_err()
    };
    let e = load("Cost per message in GBP, effective October 1, 2026\nMarket,Currency,Marketing\nIndia,GBP,0.01\nAtlantis,GBP,0.02\n", LoadOptions::default());
    assert_eq!(
        (e.code, e.path.as_str(), e.loc),
        (
            ErrorCode::CsvError,
            "rates",
            Some(Location::at("rates", 4, 1))
        )
    );
    assert!(
        e.message.contains("unknown market \"Atlantis\""),
        "{}",
        e.message
    );
    let e = load("Cost per message in GBP, effective October 1, 2026\nMarket,Currency,Marketing\nIndia,GBP,abc\n", LoadOptions::default());
    assert_eq!(e.loc, Some(Location::at("rates", 3, 3)));
    let e = load("Cost per message in GBP, effective October 1, 2026\nMarket,Currency,Marketing\nIndia,EUR,0.01\n", LoadOptions::default());
    assert_eq!(e.loc, Some(Location::at("rates", 3, 2)));
    let e = load(
        "Market,Marketing\nIndia,0.01\n",
        LoadOptions {
            date: Some(waprice::time::ymd(2026, 10, 1)),
            ..Default::default()
        },
    );
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidCurrency, "options.currency")
    );
    let e = load(
        "Cost per message in GBP, effective October 1, 2026\nMarket,Marketing\nIndia,0.01\n",
        LoadOptions {
            date: Some(waprice::time::ymd(2026, 7, 1)),
            ..Default::default()
        },
    );
    assert_eq!(e.code, ErrorCode::InvalidDate);
    assert!(
        e.message.contains("2026-07-01") && e.message.contains("2026-10-01"),
        "{}",
        e.message
    );
    let e = load("Cost per message in GBP, effective October 1, 2026\nMarket,Marketing\n\"India,0.01\nBrazil,0.02\n", LoadOptions::default());
    assert_eq!(
        (e.code, e.path.as_str(), e.loc),
        (
            ErrorCode::CsvError,
            "rates",
            Some(Location::at("rates", 3, 1))
        )
    );
    let e = load("just some text\n", LoadOptions::default());
    assert_eq!(e.code, ErrorCode::CsvError);
    assert!(e.message.contains("no header row"), "{}", e.message);
}

/// Coverage: every card date × the 16 currencies. USD is embedded and complete on 2026-10-01
/// (47 markets, data/PROVENANCE.md); GBP is missing until a GBP card is loaded, then loaded for
/// the 5 markets of the file; INR on 2026-01-01 is in force from its 2025-10-01 card and the new
/// India rows.
#[test]
fn coverage_of_every_card_date_and_currency() {
    let find = |info: &waprice::engine::DataInfo, d: &str, c: &str| {
        info.coverage
            .iter()
            .find(|x| x.date == d && x.currency == c)
            .cloned()
            .unwrap_or_else(|| panic!("no coverage cell {d} {c}"))
    };
    let info = engine().data_info();
    let dates: std::collections::BTreeSet<_> =
        info.coverage.iter().map(|c| c.date.clone()).collect();
    assert_eq!(info.coverage.len(), dates.len() * 16);
    assert!(dates.contains("2022-02-01") && dates.contains("2026-10-01"));
    let usd = find(&info, "2026-10-01", "USD");
    assert_eq!((usd.status, usd.markets, usd.of), ("embedded", 47, 47));
    assert_eq!(find(&info, "2026-10-01", "GBP").status, "missing");
    let inr = find(&info, "2026-01-01", "INR");
    assert_eq!(
        (inr.status, inr.card_date.as_deref()),
        ("embedded", Some("2026-01-01"))
    );
    assert_eq!(inr.markets, 32);
    let (e, _) = gbp_engine();
    let gbp = find(&e.data_info(), "2026-10-01", "GBP");
    assert_eq!((gbp.status, gbp.markets), ("loaded", 5));
    assert_eq!(gbp.confidence.map(|c| c.as_str()), Some("high"));
}

/// Dates beyond the data carry `card_not_verified` (SPEC §15: Meta changes rates on quarter
/// starts; the latest USD card held is 2026-10-01), and an India-billed business priced in USD
/// from 2027-01-01 carries Meta's billing-currency rule (SPEC §15).
#[test]
fn estimates_beyond_the_data_say_so() {
    let s = |date: &str, country: &str| {
        json!({
            "business": { "date": date, "country": country },
            "audience": { "contacts": 1000, "mix": [{ "country": "IN", "share": 100 }] },
            "journeys": [{ "preset": "marketing_campaign", "params": { "replyShare": 0 } }],
        })
    };
    let codes = |e: &Estimate| {
        e.warnings
            .iter()
            .map(|w| w.code.clone())
            .collect::<Vec<_>>()
    };
    assert!(!codes(&est(s("2026-12-15", "IN"))).contains(&"card_not_verified".to_string()));
    let e = est(s("2031-03-01", "IN"));
    let c = codes(&e);
    assert!(c.contains(&"card_not_verified".to_string()), "{c:?}");
    assert!(c.contains(&"billing_currency_rule".to_string()), "{c:?}");
    let w = e
        .warnings
        .iter()
        .find(|w| w.code == "card_not_verified")
        .unwrap();
    assert!(
        w.message.contains("2026-10-01") && w.message.contains("2027-01-01"),
        "{}",
        w.message
    );
    let c = codes(&est(s("2027-02-01", "DE")));
    assert!(
        c.contains(&"card_not_verified".to_string())
            && !c.contains(&"billing_currency_rule".to_string()),
        "{c:?}"
    );
}
