//! Every reason of the data files and of Meta's rate-card files (docs/errors.md, "Data files and
//! Meta's rate cards"), produced through the public API: each error carries its reason and
//! exactly the registered parameters (`waprice::reasons::check`), and the values its sentence
//! names.

use std::collections::BTreeSet;
use waprice::data::{parse_markets, parse_rates, parse_tiers, Origin, MAX_CSV_BYTES, MAX_CSV_ROWS};
use waprice::engine::LoadOptions;
use waprice::messages::Value;
use waprice::metafile::{sheets_to_grids, Grid};
use waprice::time::ymd;
use waprice::{Engine, Error, ErrorCode, Location};

const RATES_HEAD: &str =
    "effective_date,currency,market,category,rate,pricing_model,unit,confidence,sources,note";
const RATE_ROW: &str = "2026-10-01,USD,India,marketing,0.1,per_message,u,high,S1,";
const TIERS_HEAD: &str = "effective_date,currency,market,category,tier,volume_from,volume_to,rate_type,rate,discount_vs_list,confidence,sources,note";
const MARKETS_HEAD: &str = "iso2,country,calling_code,nanp_area_codes_or_prefixes,market,valid_from,valid_to,confidence,sources,note";

fn engine() -> Engine {
    Engine::new().expect("embedded data loads")
}

/// The parameter `name` of an error.
fn param(e: &Error, name: &str) -> Option<Value> {
    e.params.as_deref().and_then(|p| p.get(name)).cloned()
}

fn text(s: &str) -> Option<Value> {
    Some(Value::Text(s.to_string()))
}

/// Asserts the error's code and reason and that it agrees with the registry; returns it.
fn expect(e: Error, code: ErrorCode, reason: &'static str) -> Error {
    assert_eq!((e.code, e.reason()), (code, reason), "{e}");
    assert_eq!(waprice::reasons::check(&e), Ok(()), "{e}");
    e
}

fn rates(body: &str) -> Error {
    parse_rates(&format!("{RATES_HEAD}\n{body}\n"), Origin::Custom).unwrap_err()
}

fn tiers(row: &str) -> Error {
    parse_tiers(&format!("{TIERS_HEAD}\n{row}\n"), Origin::Custom).unwrap_err()
}

fn markets(row: &str) -> Error {
    parse_markets(&format!("{MARKETS_HEAD}\n{row}\n"), Origin::Custom).unwrap_err()
}

/// A field error of a data file: its reason, the column's name and the field as written.
fn field_error(e: Error, reason: &'static str, field: &str, value: &str) -> Error {
    let e = expect(e, ErrorCode::CsvError, reason);
    assert_eq!(param(&e, "field"), text(field), "{e}");
    assert_eq!(param(&e, "value"), text(value), "{e}");
    e
}

#[test]
fn data_file_fields() {
    let e = field_error(
        rates("2026-10-01,USD,India,marketing,abc,per_message,u,high,S1,"),
        "not_a_decimal",
        "rate",
        "abc",
    );
    assert_eq!(e.loc, Some(Location::at("rates", 2, 5)));
    field_error(
        rates("2026-10-01,USD,India,marketing,-0.1,per_message,u,high,S1,"),
        "negative_rate",
        "rate",
        "-0.1",
    );
    field_error(
        rates("2026-13-01,USD,India,marketing,0.1,per_message,u,high,S1,"),
        "not_a_date",
        "effective_date",
        "2026-13-01",
    );
    field_error(
        rates("2026-10-01,usd,India,marketing,0.1,per_message,u,high,S1,"),
        "not_a_currency_code",
        "currency",
        "usd",
    );
    field_error(
        rates("2026-10-01,USD,,marketing,0.1,per_message,u,high,S1,"),
        "empty_value",
        "market",
        "",
    );
    field_error(
        rates("2026-10-01,USD,India,marketing,0.1,per_message,u,sure,S1,"),
        "unknown_confidence",
        "confidence",
        "sure",
    );
    field_error(
        rates("2026-10-01,USD,India,marketing,0.1,per_minute,u,high,S1,"),
        "unknown_pricing_model",
        "pricing_model",
        "per_minute",
    );
    // The 2022 categories belong to conversation-based pricing only.
    let e = field_error(
        rates("2026-10-01,USD,India,user_initiated,0.1,per_message,u,high,S1,"),
        "category_for_model",
        "category",
        "user_initiated",
    );
    assert_eq!(param(&e, "pricing_model"), Some(Value::Term("per_message")));
}

#[test]
fn tier_file_fields() {
    field_error(
        tiers("2026-10-01,USD,India,marketing,1,0,10,List rate,0.1,0%,high,S,"),
        "unknown_tier_category",
        "category",
        "marketing",
    );
    field_error(
        tiers("2026-10-01,USD,India,utility,0,0,10,List rate,0.1,0%,high,S,"),
        "invalid_tier",
        "tier",
        "0",
    );
    field_error(
        tiers("2026-10-01,USD,India,utility,1,ten,,List rate,0.1,0%,high,S,"),
        "invalid_count",
        "volume_from",
        "ten",
    );
    field_error(
        tiers("2026-10-01,USD,India,utility,1,,10,List rate,0.1,0%,high,S,"),
        "empty_value",
        "volume_from",
        "",
    );
    let e = field_error(
        tiers("2026-10-01,USD,India,utility,1,100,10,List rate,0.1,0%,high,S,"),
        "volume_to_below_from",
        "volume_to",
        "10",
    );
    assert_eq!(param(&e, "volume_from"), Some(Value::Count(100)));
}

#[test]
fn market_table_fields() {
    field_error(
        markets("IN,India,91x,,India,,,high,S,"),
        "invalid_calling_code",
        "calling_code",
        "91x",
    );
    field_error(
        markets("India,India,91,,India,,,high,S,"),
        "invalid_country_code",
        "iso2",
        "India",
    );
    field_error(
        markets("IN,India,91,1234567,India,,,high,S,"),
        "prefix_too_long",
        "nanp_area_codes_or_prefixes",
        "1234567",
    );
    let e = field_error(
        markets("IN,India,91,,India,2026-10-01,2026-01-01,high,S,"),
        "valid_to_before_from",
        "valid_to",
        "2026-01-01",
    );
    assert_eq!(param(&e, "valid_from"), Some(Value::Date(ymd(2026, 10, 1))));
}

#[test]
fn data_file_shape() {
    let e = expect(
        parse_rates("effective_date,currency\n", Origin::Custom).unwrap_err(),
        ErrorCode::CsvError,
        "missing_column",
    );
    assert_eq!(param(&e, "field"), text("market"));
    assert_eq!(param(&e, "header"), text("effective_date,currency"));
    let e = expect(
        rates("2026-10-01,USD,India"),
        ErrorCode::CsvError,
        "field_count",
    );
    assert_eq!(param(&e, "count"), Some(Value::Count(3)));
    assert_eq!(param(&e, "header_columns"), Some(Value::Count(10)));
    assert_eq!(e.loc, Some(Location::at("rates", 2, 4)));
    let e = expect(
        rates(&format!("{RATE_ROW}\"never closed\n{RATE_ROW}")),
        ErrorCode::CsvError,
        "unclosed_quote",
    );
    assert_eq!(e.loc, Some(Location::at("rates", 2, 10)));
    let e = expect(
        rates(&format!("{RATE_ROW}\"oops\n{RATE_ROW}\n2026-10-01,USD,\"India\",marketing,0.1,per_message,u,high,S1,")),
        ErrorCode::CsvError,
        "text_after_quote",
    );
    assert_eq!(param(&e, "line"), Some(Value::Count(4)));
}

#[test]
fn data_file_limits() {
    let big = "x".repeat(MAX_CSV_BYTES + 1);
    let e = expect(
        parse_markets(&big, Origin::Custom).unwrap_err(),
        ErrorCode::LimitExceeded,
        "file_too_large",
    );
    assert_eq!(
        param(&e, "count"),
        Some(Value::Count(MAX_CSV_BYTES as u64 + 1))
    );
    assert_eq!(param(&e, "limit"), Some(Value::Count(MAX_CSV_BYTES as u64)));
    // The same limit for one of Meta's files.
    let e = expect(
        engine()
            .read_rate_file(big.as_bytes(), &LoadOptions::default())
            .unwrap_err(),
        ErrorCode::LimitExceeded,
        "file_too_large",
    );
    assert_eq!(e.path, "rates");
    drop(big);

    let rows = "a,b,c,d,e,f,g,h,i,j\n".repeat(MAX_CSV_ROWS + 1);
    let e = expect(
        parse_rates(&format!("{RATES_HEAD}\n{rows}"), Origin::Custom).unwrap_err(),
        ErrorCode::LimitExceeded,
        "too_many_rows",
    );
    assert_eq!(param(&e, "limit"), Some(Value::Count(MAX_CSV_ROWS as u64)));
    let e = expect(
        Grid::from_csv(&"x\n".repeat(MAX_CSV_ROWS + 1)).unwrap_err(),
        ErrorCode::LimitExceeded,
        "too_many_rows",
    );
    assert_eq!(param(&e, "limit"), Some(Value::Count(MAX_CSV_ROWS as u64)));
}

/// A card read from CSV text and from the same cells as the sheet `S` of a workbook: the CSV
/// error (`card_…`) and the XLSX error (`sheet_…`). The cells hold no comma or quote.
fn card(text: &str, opts: &LoadOptions) -> (Error, Error) {
    let engine = engine();
    let csv = engine.read_rate_file(text.as_bytes(), opts).unwrap_err();
    let rows = text
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    let sheet = engine
        .read_rate_grids(&sheets_to_grids(vec![("S".to_string(), rows)]), opts)
        .unwrap_err();
    (csv, sheet)
}

/// Asserts both forms of a card error and that they carry the same parameters.
fn card_error(text: &str, reason: &'static str) -> Error {
    let (csv, sheet) = card(text, &LoadOptions::default());
    let csv = expect(csv, ErrorCode::CsvError, reason);
    let sheet_reason = reason.replacen("card_", "sheet_", 1);
    let sheet_reason: &'static str = Box::leak(sheet_reason.into_boxed_str());
    let sheet = expect(sheet, ErrorCode::XlsxError, sheet_reason);
    let strip = |e: &Error| {
        e.params.as_deref().map(|p| {
            p.0.iter()
                .filter(|(n, _)| *n != "reason")
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    assert_eq!(strip(&csv), strip(&sheet));
    // The CSV error is at a line of the file, the XLSX error at the sheet (and cell).
    assert_eq!(csv.path, "rates");
    assert!(sheet.path.starts_with('S'), "{}", sheet.path);
    csv
}

const GBP: &str = "Cost per message in GBP, effective October 1, 2026";

#[test]
fn card_cells() {
    let e = card_error(
        &format!("{GBP}\nMarket,Currency,Marketing\nIndia,GBP,0.01\nAtlantis*,GBP,0.02\n"),
        "card_unknown_market",
    );
    assert_eq!(param(&e, "value"), text("Atlantis"));
    assert_eq!(e.loc, Some(Location::at("rates", 4, 1)));
    let e = card_error(
        &format!("{GBP}\nMarket,Currency,Marketing\nIndia,dollars,0.01\n"),
        "card_not_a_currency",
    );
    assert_eq!(param(&e, "value"), text("dollars"));
    let e = card_error(
        &format!("{GBP}\nMarket,Currency,Marketing\nIndia,EUR,0.01\n"),
        "card_currency_differs",
    );
    assert_eq!(param(&e, "value"), text("EUR"));
    assert_eq!(param(&e, "currency"), Some(Value::Currency("GBP".into())));
    let e = card_error(
        &format!("{GBP}\nMarket,Marketing\nIndia,abc\n"),
        "card_invalid_rate",
    );
    assert_eq!(param(&e, "value"), text("abc"));
    let e = card_error(
        &format!("{GBP}\nMarket,Marketing\nIndia,-0.1\n"),
        "card_negative_rate",
    );
    assert_eq!(param(&e, "value"), text("-0.1"));
    card_error(
        &format!("{GBP}\nMarket,Marketing\n,0.01\n"),
        "card_row_without_market",
    );
    card_error(
        &format!("{GBP}\nMarket,Marketing\nIndia,n/a\n"),
        "card_no_rate",
    );
    card_error("just some text\n", "card_no_header_row");
}

/// The columns of a card are those of its date's era (SPEC §7; Meta's pricing page,
/// https://developers.facebook.com/docs/whatsapp/pricing: conversation categories from 2023-06-01,
/// business- and user-initiated conversations before).
#[test]
fn card_layouts_and_models() {
    let e = card_error(
        &format!("{GBP}\nMarket,Business-Initiated Rate,User-Initiated Rate\nIndia,0.01,0.01\n"),
        "card_layout_2022",
    );
    assert_eq!(param(&e, "value"), text("Business-Initiated Rate"));
    assert_eq!(param(&e, "date"), Some(Value::Date(ymd(2026, 10, 1))));
    let e = card_error(
        "Cost per conversation in USD effective June 1 2022\nMarket,Marketing\nIndia,0.01\n",
        "card_layout_categories",
    );
    assert_eq!(param(&e, "value"), text("Marketing"));
    assert_eq!(param(&e, "date"), Some(Value::Date(ymd(2022, 6, 1))));
    let e = card_error(
        "Cost per conversation in GBP effective October 1 2026\nMarket,Marketing\nIndia,0.01\n",
        "card_preamble_model",
    );
    assert_eq!(
        param(&e, "pricing_model"),
        Some(Value::Term("per_conversation"))
    );
    assert_eq!(param(&e, "date"), Some(Value::Date(ymd(2026, 10, 1))));
}

const TIER_HEAD: &str = "Market,Currency,From,To,Rate";

/// Volume tiers (Meta's pricing page, https://developers.facebook.com/docs/whatsapp/pricing:
/// volume tiers for utility and authentication from 2025-07-01).
#[test]
fn card_tiers() {
    let utility = format!("Volume tiers in GBP effective October 1 2026\n,,Utility\n{TIER_HEAD}");
    let e = card_error(
        "Volume tiers in USD effective June 1 2024\n,,Utility\nMarket,Currency,From,To,Rate\nIndia,USD,0,10,0.01\n",
        "card_tiers_before_per_message",
    );
    assert_eq!(param(&e, "date"), Some(Value::Date(ymd(2024, 6, 1))));
    card_error(
        &format!("{GBP}\n,,Utility\nMarket,Currency,From,To\nIndia,GBP,0,10\n"),
        "card_tiers_without_rate",
    );
    card_error(
        &format!("{GBP}\n{TIER_HEAD}\nIndia,GBP,0,10,0.01\n"),
        "card_tiers_without_category",
    );
    card_error(
        &format!("{utility}\n,GBP,0,10,0.01\n"),
        "card_band_without_market",
    );
    let e = card_error(
        &format!("{GBP}\nMarket,Category,From,To,Rate\nIndia,Lunch,0,10,0.01\n"),
        "card_unknown_tier_category",
    );
    assert_eq!(param(&e, "value"), text("Lunch"));
    let e = card_error(
        &format!("{GBP}\nMarket,Category,From,To,Rate\nIndia,Marketing,0,10,0.01\n"),
        "card_no_tiers_for_category",
    );
    assert_eq!(
        param(&e, "category"),
        Some(Value::Category(waprice::model::Category::Marketing))
    );
    card_error(
        &format!("{utility}\nIndia,GBP,0,10,n/a\n"),
        "card_band_half_given",
    );
    let e = card_error(
        &format!("{utility}\nIndia,GBP,100,10,0.01\n"),
        "card_band_ends_before_start",
    );
    assert_eq!(param(&e, "volume_from"), Some(Value::Count(100)));
    assert_eq!(param(&e, "volume_to"), Some(Value::Count(10)));
    let e = card_error(
        &format!("{utility}\nIndia,GBP,many,10,0.01\n"),
        "card_invalid_count",
    );
    assert_eq!(param(&e, "value"), text("many"));
}

#[test]
fn card_options() {
    let read = |text: &str, opts: LoadOptions| {
        engine().read_rate_file(text.as_bytes(), &opts).unwrap_err()
    };
    let e = expect(
        read(
            "Market,Currency,Marketing\nIndia,GBP,0.01\n",
            LoadOptions::default(),
        ),
        ErrorCode::InvalidDate,
        "no_effective_date",
    );
    assert_eq!(e.path, "options.date");
    let e = expect(
        read(
            &format!("{GBP}\nMarket,Marketing\nIndia,0.01\n"),
            LoadOptions {
                date: Some(ymd(2026, 7, 1)),
                ..Default::default()
            },
        ),
        ErrorCode::InvalidDate,
        "date_disagrees",
    );
    assert_eq!(param(&e, "date"), Some(Value::Date(ymd(2026, 7, 1))));
    assert_eq!(param(&e, "file_date"), Some(Value::Date(ymd(2026, 10, 1))));
    let e = expect(
        read(
            "Market,Marketing\nIndia,0.01\n",
            LoadOptions {
                date: Some(ymd(2026, 10, 1)),
                ..Default::default()
            },
        ),
        ErrorCode::InvalidCurrency,
        "no_currency",
    );
    assert_eq!(e.path, "options.currency");
    let e = expect(
        read(
            &format!("{GBP}\nMarket,Marketing\nIndia,0.01\n"),
            LoadOptions {
                currency: Some("EUR".into()),
                ..Default::default()
            },
        ),
        ErrorCode::InvalidCurrency,
        "currency_disagrees",
    );
    assert_eq!(param(&e, "currency"), Some(Value::Currency("EUR".into())));
    assert_eq!(
        param(&e, "file_currency"),
        Some(Value::Currency("GBP".into()))
    );
}

/// A ZIP archive of stored (uncompressed) entries.
fn zip(entries: &[(&str, &str)]) -> Vec<u8> {
    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for (name, body) in entries {
        let (name, body) = (name.as_bytes(), body.as_bytes());
        let offset = out.len() as u32;
        let crc = crc32(body);
        let size = body.len() as u32;
        let fixed = |sig: u32, central: bool| {
            let mut h = sig.to_le_bytes().to_vec();
            if central {
                h.extend(20u16.to_le_bytes()); // made by
            }
            for v in [20u16, 0, 0, 0, 0] {
                h.extend(v.to_le_bytes()); // version, flags, method (stored), time, date
            }
            h.extend(crc.to_le_bytes());
            h.extend(size.to_le_bytes());
            h.extend(size.to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra
            if central {
                for v in [0u16, 0, 0] {
                    h.extend(v.to_le_bytes()); // comment, disk, internal attributes
                }
                h.extend(0u32.to_le_bytes()); // external attributes
                h.extend(offset.to_le_bytes());
            }
            h.extend(name);
            h
        };
        out.extend(fixed(0x0403_4b50, false));
        out.extend(body);
        central.extend(fixed(0x0201_4b50, true));
    }
    let start = out.len() as u32;
    let n = entries.len() as u16;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    for v in [0u16, 0, n, n] {
        out.extend(v.to_le_bytes());
    }
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(start.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

#[test]
fn files_that_are_not_cards() {
    let read = |bytes: &[u8]| {
        engine()
            .read_rate_file(bytes, &LoadOptions::default())
            .unwrap_err()
    };
    let e = expect(
        read(b"Market,Marketing\n\xff\xfe,0.01\n"),
        ErrorCode::CsvError,
        "not_text_or_xlsx",
    );
    assert_eq!(param(&e, "offset"), Some(Value::Count(17)));
    let e = expect(
        engine()
            .read_rate_grids(&[], &LoadOptions::default())
            .unwrap_err(),
        ErrorCode::XlsxError,
        "workbook_without_sheets",
    );
    assert_eq!(e.path, "");
    #[cfg(feature = "xlsx")]
    {
        expect(
            read(b"PK\x03\x04 is not a workbook"),
            ErrorCode::XlsxError,
            "not_a_spreadsheet",
        );
        // A workbook whose only sheet's part is missing from the archive.
        let book = zip(&[
            (
                "[Content_Types].xml",
                r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#,
            ),
            (
                "_rels/.rels",
                r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
            ),
            (
                "xl/workbook.xml",
                r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Rates" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
            ),
            (
                "xl/_rels/workbook.xml.rels",
                r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
            ),
        ]);
        let e = expect(read(&book), ErrorCode::XlsxError, "unreadable_sheet");
        assert_eq!(e.path, "Rates");
    }
    #[cfg(not(feature = "xlsx"))]
    expect(
        read(b"PK\x03\x04 a workbook"),
        ErrorCode::XlsxError,
        "no_spreadsheet_reader",
    );
}

/// Every reason of this part is produced by a test of this file, of a unit test in src/ (a
/// reader failure the `&str` reader cannot meet, the 20,000,000-cell limit), or of
/// tests/js/ratecard.test.mjs (a JavaScript value that is no file).
#[test]
fn every_reason_of_the_part_is_tested() {
    let this = include_str!("reasons_data.rs");
    let elsewhere = [
        ("src/data/sheet.rs", include_str!("../src/data/sheet.rs")),
        (
            "src/metafile/mod.rs",
            include_str!("../src/metafile/mod.rs"),
        ),
        (
            "tests/js/ratecard.test.mjs",
            include_str!("js/ratecard.test.mjs"),
        ),
    ];
    let mut untested = BTreeSet::new();
    for r in waprice::reasons::DATA {
        let id = r.reason;
        let card = id.replacen("sheet_", "card_", 1);
        let quoted = |t: &str| {
            t.contains(&format!("\"{id}\""))
                || t.contains(&format!("\"{card}\""))
                || t.contains(&format!("'{id}'"))
        };
        let tested = quoted(this)
            || elsewhere.iter().any(|(_, t)| {
                t.split("mod tests").nth(1).is_some_and(quoted) || t.contains(&format!("'{id}'"))
            });
        if !tested {
            untested.insert(id);
        }
    }
    assert!(untested.is_empty(), "reasons without a test: {untested:?}");
}
