//! The tiers CSV loader (`data::parse_tiers`) on any text: it returns rows or a
//! `csv_error` / `limit_exceeded`; the rows it accepts compile into a market table and a rate
//! book and answer lookups (see `csv_common.rs`).
#![no_main]
use libfuzzer_sys::fuzz_target;
use waprice::data::{parse_tiers, Origin};
use waprice::ErrorCode;

include!("csv_common.rs");

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_tiers(text, Origin::Custom) {
        Ok(rows) => check(vec![], rows, None),
        Err(e) => assert!(
            matches!(e.code, ErrorCode::CsvError | ErrorCode::LimitExceeded),
            "unexpected code {e}"
        ),
    }
});
