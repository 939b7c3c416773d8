//! Bindings of estimates, comparisons, quotes and share links: translation only.

use super::{from_js, to_js, to_js_error, Engine};
use crate::error::{Error, ErrorCode};
use crate::quote::QuoteMeta;
use crate::scenario::Scenario;
use crate::time::parse_date;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = include_str!("../../docs/types.d.ts");

#[wasm_bindgen]
impl Engine {
    /// The monthly bill of a scenario (see `docs/estimate.md`).
    #[wasm_bindgen(unchecked_return_type = "Estimate")]
    pub fn estimate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Scenario")] scenario: JsValue,
    ) -> Result<JsValue, JsValue> {
        let run = || -> Result<_, Error> {
            let s: Scenario = from_js(scenario, "")?;
            crate::estimate::estimate(&self.inner, &s, None)
        };
        to_js(&run().map_err(to_js_error)?)
    }

    /// The scenario priced under several dates (`YYYY-MM-DD`), with deltas from the first.
    #[wasm_bindgen(unchecked_return_type = "Comparison")]
    pub fn compare(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Scenario")] scenario: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string[]")] dates: JsValue,
    ) -> Result<JsValue, JsValue> {
        let run = || -> Result<_, Error> {
            let s: Scenario = from_js(scenario, "")?;
            let raw: Vec<String> = from_js(dates, "dates")?;
            let dates = raw
                .iter()
                .enumerate()
                .map(|(i, d)| parse_date(d, &format!("dates[{i}]")))
                .collect::<Result<Vec<_>, _>>()?;
            crate::estimate::compare(&self.inner, &s, &dates)
        };
        to_js(&run().map_err(to_js_error)?)
    }

    /// A quote: lines that sum to the total, assumptions, a stable id and an encoded string.
    #[wasm_bindgen(unchecked_return_type = "Quote")]
    pub fn quote(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Scenario")] scenario: JsValue,
        #[wasm_bindgen(unchecked_param_type = "QuoteMeta")] meta: JsValue,
    ) -> Result<JsValue, JsValue> {
        let run = || -> Result<_, Error> {
            let s: Scenario = from_js(scenario, "")?;
            let m: QuoteMeta = from_js(meta, "meta")?;
            crate::quote::quote(&self.inner, &s, &m)
        };
        to_js(&run().map_err(to_js_error)?)
    }

    /// A scenario as a compact URL-safe string.
    #[wasm_bindgen(js_name = encodeScenario)]
    pub fn encode_scenario(&self, scenario: JsValue) -> Result<String, JsValue> {
        let run = || -> Result<_, Error> {
            let s: Scenario = from_js(scenario, "")?;
            crate::quote::encode(&s, None)
        };
        run().map_err(to_js_error)
    }

    /// The scenario of an encoded string (`{ scenario, meta }`; `meta` is null for a share link).
    #[wasm_bindgen(js_name = decodeScenario, unchecked_return_type = "Decoded")]
    pub fn decode_scenario(&self, text: JsValue) -> Result<JsValue, JsValue> {
        let run = || -> Result<_, Error> {
            let t = text.as_string().ok_or_else(|| {
                Error::coded(
                    ErrorCode::InvalidEncoding,
                    "link_not_text",
                    "",
                    "cannot decode the shared scenario: expected a string",
                )
            })?;
            crate::quote::decode(&t)
        };
        to_js(&run().map_err(to_js_error)?)
    }

    /// Same as `decodeScenario`, for an encoded quote.
    #[wasm_bindgen(js_name = decodeQuote, unchecked_return_type = "Decoded")]
    pub fn decode_quote(&self, text: JsValue) -> Result<JsValue, JsValue> {
        self.decode_scenario(text)
    }
}
