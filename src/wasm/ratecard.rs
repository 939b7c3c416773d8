//! Binding of Meta's rate-card files (`engine.loadRateCard`, `engine.previewRateCard`), in the
//! card-reading package only (feature `cards-wasm`, built to pkg/cards/): translation only; the
//! reading is `crate::metafile`.

use super::{describe, optional, to_js, to_js_error, Engine};
use crate::engine::LoadOptions;
use crate::error::{Error, ErrorCode};
use crate::metafile::{sheets_to_grids, Grid};
use crate::time::parse_date;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLoadOptions {
    date: Option<String>,
    currency: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSheet {
    name: String,
    rows: Vec<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkbook {
    sheets: Vec<RawSheet>,
}

/// The file: CSV text, the bytes of a CSV or XLSX file (`Uint8Array` or `ArrayBuffer`), or the
/// sheets of a workbook as text cells (`{ sheets: [{ name, rows }] }`).
fn grids(input: JsValue) -> Result<Vec<Grid>, Error> {
    if let Some(text) = input.as_string() {
        return crate::metafile::grids(text.as_bytes());
    }
    if let Some(bytes) = input.dyn_ref::<js_sys::Uint8Array>() {
        return crate::metafile::grids(&bytes.to_vec());
    }
    if let Some(buf) = input.dyn_ref::<js_sys::ArrayBuffer>() {
        return crate::metafile::grids(&js_sys::Uint8Array::new(buf).to_vec());
    }
    if input.is_object() && !js_sys::Array::is_array(&input) {
        let book: RawWorkbook = super::from_js(input, "")?;
        return Ok(sheets_to_grids(
            book.sheets.into_iter().map(|s| (s.name, s.rows)).collect(),
        ));
    }
    Err(Error::coded(
        ErrorCode::InvalidInput,
        "not_a_rate_card",
        "",
        format!(
            "invalid rate card: expected CSV text, file bytes or the sheets of a workbook, found {}",
            describe(&input)
        ),
    ))
}

fn load_options(options: JsValue) -> Result<LoadOptions, Error> {
    let o: RawLoadOptions = optional(options, "options")?.unwrap_or_default();
    Ok(LoadOptions {
        date: o
            .date
            .as_deref()
            .map(|d| parse_date(d, "options.date"))
            .transpose()?,
        currency: o.currency,
        name: o.name,
    })
}

#[wasm_bindgen]
impl Engine {
    /// Loads one of Meta's rate-card files (list rates or volume tiers) over the data held and
    /// returns `{ kind, format, name, date, currency, pricingModel, markets, rows, replaced }`.
    #[wasm_bindgen(js_name = loadRateCard)]
    pub fn load_rate_card(&mut self, input: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        let run = || -> Result<_, Error> {
            let opts = load_options(options)?;
            let parsed = self.inner.read_rate_grids(&grids(input)?, &opts)?;
            Ok(self.inner.load_parsed(parsed))
        };
        to_js(&run().map_err(to_js_error)?)
    }

    /// What `loadRateCard` would load and replace, without loading it.
    #[wasm_bindgen(js_name = previewRateCard)]
    pub fn preview_rate_card(&self, input: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        let run = || -> Result<_, Error> {
            let opts = load_options(options)?;
            Ok(self.inner.read_rate_grids(&grids(input)?, &opts)?.info)
        };
        to_js(&run().map_err(to_js_error)?)
    }
}
