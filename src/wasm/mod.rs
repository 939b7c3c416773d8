//! The JavaScript binding: the only module that names `wasm_bindgen` or `js_sys`.
//!
//! It only translates: inputs arrive as `JsValue` and are converted inside each function body,
//! every error becomes a JS `Error` with `code`, `path` and its location's fields, and results leave as plain objects
//! (missing values as `null`, money as decimal strings, instants as RFC 3339 strings).

use crate::engine::{market_options, CustomData};
use crate::error::{Error, ErrorCode};
use crate::input::{RawInstant, RawOptions, RawRequest};
use crate::time::{parse_gmt_label, TzDatabase, Zone};
use js_sys::Reflect;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

pub(crate) mod columns;
mod estimate;
#[cfg(feature = "logs-wasm")]
mod logs;
// Meta's rate-card files: only in the card-reading package (pkg/cards/), not the calculator's.
#[cfg(feature = "cards-wasm")]
mod ratecard;

/// The engine error as a JS `Error` with `code` and `path`; where a text input is at fault, its
/// location's fields as `source` (also as `file`), `line` and `column` (a number, or absent); in a
/// spreadsheet, also `sheet` and `cell` (A1), `line` and `column` being the cell's row and column.
pub(crate) fn to_js_error(e: Error) -> JsValue {
    let err = js_sys::Error::new(&e.message);
    let obj: &JsValue = err.as_ref();
    let _ = Reflect::set(obj, &"code".into(), &e.code.as_str().into());
    let _ = Reflect::set(obj, &"path".into(), &e.path.as_str().into());
    if let Some(loc) = e.loc {
        let _ = Reflect::set(obj, &"source".into(), &loc.source.into());
        let _ = Reflect::set(obj, &"file".into(), &loc.source.into());
        // A whole sheet (row 0) has no line.
        if loc.line > 0 || loc.source != "xlsx" {
            let _ = Reflect::set(obj, &"line".into(), &(loc.line as f64).into());
        }
        if let Some(c) = loc.column {
            let _ = Reflect::set(obj, &"column".into(), &(c as f64).into());
        }
        #[cfg(feature = "cards-wasm")]
        if let Some(s) = &loc.sheet {
            let _ = Reflect::set(obj, &"sheet".into(), &s.sheet.as_str().into());
            if let Some(cell) = &s.cell {
                let _ = Reflect::set(obj, &"cell".into(), &cell.as_str().into());
            }
        }
    }
    // The values the message names, for the page to write it in its language (docs/errors.md).
    let params = match &e.params {
        Some(p) => to_js(p).unwrap_or_else(|_| js_sys::Object::new().into()),
        None => js_sys::Object::new().into(),
    };
    let _ = Reflect::set(obj, &"params".into(), &params);
    err.into()
}

/// Converts a JS value into a Rust input type; shape errors name the path.
///
/// The value crosses as JSON text (`JSON.stringify` in the engine of the platform, then
/// `serde_json`), which is an order of magnitude faster than reading a large array of objects
/// field by field through the boundary.
pub(crate) fn from_js<T: DeserializeOwned>(value: JsValue, root: &str) -> Result<T, Error> {
    let text = json_bytes(&value).ok_or_else(|| {
        Error::coded(
            ErrorCode::InvalidInput,
            "not_data",
            root,
            "invalid input: the value cannot be read as data (a cycle, a BigInt or a function)",
        )
    })?;
    crate::input::non_finite_number(&text, root)?;
    crate::input::from_json(&text, root)
}

thread_local! {
    static ENCODE: Option<(JsValue, js_sys::Function)> = {
        let ctor = Reflect::get(&js_sys::global(), &"TextEncoder".into()).ok().and_then(|c| c.dyn_into::<js_sys::Function>().ok());
        ctor.and_then(|c| Reflect::construct(&c, &js_sys::Array::new()).ok()).and_then(|enc| {
            let f = Reflect::get(&enc, &"encode".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
            Some((enc, f))
        })
    };
}

/// `JSON.stringify(value)` as UTF-8 bytes, copied into wasm memory in one block.
fn json_bytes(value: &JsValue) -> Option<Vec<u8>> {
    if value.is_undefined() || value.is_function() || value.is_symbol() {
        return None;
    }
    // An input may also be given as its JSON text: no JSON.stringify of a large array then.
    let text: js_sys::JsString = match value.dyn_ref::<js_sys::JsString>() {
        Some(t) => t.clone(),
        None => to_json_text(value).ok()?.dyn_into().ok()?,
    };
    if text.length() == 0 {
        return None;
    }
    // Grow the wasm memory once for what reading this input will need, instead of in many small
    // steps (each growth of a large memory can copy it whole).
    drop(Vec::<u8>::with_capacity(
        (text.length() as usize).saturating_mul(4),
    ));
    ENCODE.with(|e| match e {
        Some((enc, encode)) => {
            let bytes = encode
                .call1(enc, &text)
                .ok()?
                .dyn_into::<js_sys::Uint8Array>()
                .ok()?;
            Some(bytes.to_vec())
        }
        None => text.as_string().map(String::into_bytes),
    })
}

#[wasm_bindgen(module = "/src/wasm/pack.js")]
extern "C" {
    /// Fills the event columns at `at`, `users` and `ids` (in this module's memory) and returns
    /// `{ head, text, count }`, or null for a request the columns cannot say exactly.
    #[wasm_bindgen(js_name = packRequest)]
    fn pack_request(
        input: &JsValue,
        events: &JsValue,
        memory: &JsValue,
        at: *mut f64,
        users: *mut f64,
        ids: *mut u32,
    ) -> JsValue;

    /// `JSON.stringify(value)` with NaN and ±Infinity marked (see
    /// [`crate::input::non_finite_number`]) rather than written as null.
    #[wasm_bindgen(catch, js_name = toJsonText)]
    fn to_json_text(value: &JsValue) -> Result<JsValue, JsValue>;
}

/// Reads a simulate request whose events `pack.js` wrote into columns (no JSON text of the events
/// is built); `None` when the input is not one `pack.js` can pack, and the caller then reads it
/// as JSON.
fn packed_request(input: &JsValue) -> Result<Option<RawRequest>, Error> {
    if !input.is_object() {
        return Ok(None);
    }
    let events = Reflect::get(input, &"events".into()).unwrap_or(JsValue::UNDEFINED);
    let Some(array) = events.dyn_ref::<js_sys::Array>() else {
        return Ok(None);
    };
    let n = array.length() as usize;
    if n > crate::pricing::MAX_EVENTS {
        return Ok(None); // the JSON path reports the limit
    }
    let width = columns::EVENT_COLUMNS.len();
    let mut at = vec![0f64; n];
    let mut users = vec![0f64; n];
    let mut ids = vec![0u32; n * width];
    // pack.js writes the columns through views of the memory: nothing here allocates meanwhile.
    let packed = pack_request(
        input,
        &events,
        &wasm_bindgen::memory(),
        at.as_mut_ptr(),
        users.as_mut_ptr(),
        ids.as_mut_ptr(),
    );
    if !packed.is_object() {
        return Ok(None);
    }
    let field = |k: &str| Reflect::get(&packed, &k.into()).unwrap_or(JsValue::UNDEFINED);
    let (Some(head), Ok(text)) = (
        field("head").as_string(),
        field("text").dyn_into::<js_sys::Uint8Array>(),
    ) else {
        return Ok(None);
    };
    let Ok(table) = String::from_utf8(text.to_vec()) else {
        return Ok(None);
    };
    // A NUL inside a string splits it in two entries, a lone surrogate became U+FFFD on the way:
    // either way the columns do not say what the JSON would, so the JSON path reads the input.
    let count = field("count").as_f64().unwrap_or(-1.0);
    let strings: Vec<&str> = table.split('\0').collect();
    if strings.len() as f64 != count.max(1.0) || table.contains('\u{FFFD}') {
        return Ok(None);
    }
    crate::input::non_finite_number(head.as_bytes(), "")?;
    let mut raw: RawRequest = crate::input::from_json(head.as_bytes(), "")?;
    raw.events = columns::from_columns(&at, &users, &ids, &strings)?;
    Ok(Some(raw))
}

pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    json_to_js(serde_json::to_string(value))
}

/// The JS value of a result's JSON text; not generic, so each `to_js` instantiation stays small.
#[inline(never)]
fn json_to_js(text: serde_json::Result<String>) -> Result<JsValue, JsValue> {
    let text = text.map_err(|e| {
        to_js_error(Error::coded(
            ErrorCode::InvalidInput,
            "unconvertible_result",
            "",
            format!("cannot convert the result: {e}"),
        ))
    })?;
    js_sys::JSON::parse(&text)
}

pub(crate) fn optional<T: DeserializeOwned>(
    value: JsValue,
    root: &str,
) -> Result<Option<T>, Error> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        from_js(value, root).map(Some)
    }
}

/// One CSV text or a list of them. Read by a visitor of its own rather than `#[serde(untagged)]`,
/// which would buffer the value and bring serde's buffering code into the calculator's wasm.
struct OneOrMany(Vec<String>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a CSV text or an array of CSV texts")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany(vec![v.to_string()]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<OneOrMany, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(OneOrMany(out))
            }
        }
        d.deserialize_any(V)
    }
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        self.0
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawData {
    rates: Option<OneOrMany>,
    tiers: Option<OneOrMany>,
    markets: Option<OneOrMany>,
    replace: Option<bool>,
}

/// Options of `resolveMarket`, `rateCard` and `rate`.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct RawZoneOptions {
    timezone: Option<String>,
    unlisted_nanp_market: Option<String>,
    kazakhstan_market_before202610: Option<String>,
}

/// The platform's time-zone database, read through `Intl.DateTimeFormat`.
struct IntlTz;

impl TzDatabase for IntlTz {
    fn prober<'a>(&'a self, name: &str) -> Option<Box<dyn FnMut(i64) -> i32 + 'a>> {
        let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
        let ctor: js_sys::Function = Reflect::get(&intl, &"DateTimeFormat".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let opts = js_sys::Object::new();
        Reflect::set(&opts, &"timeZone".into(), &name.into()).ok()?;
        Reflect::set(&opts, &"timeZoneName".into(), &"longOffset".into()).ok()?;
        let dtf = Reflect::construct(&ctor, &js_sys::Array::of2(&"en-US".into(), &opts)).ok()?;
        let format: js_sys::Function =
            Reflect::get(&dtf, &"format".into()).ok()?.dyn_into().ok()?;
        Some(Box::new(move |ms| {
            let date = js_sys::Date::new(&JsValue::from_f64(ms as f64));
            format
                .call1(&JsValue::UNDEFINED, &date)
                .ok()
                .and_then(|v| v.as_string())
                .and_then(|s| parse_gmt_label(&s))
                .unwrap_or(0)
        }))
    }
}

fn zone_of(engine: &crate::Engine, o: &Option<RawZoneOptions>) -> Result<Zone, Error> {
    match o.as_ref().and_then(|o| o.timezone.as_deref()) {
        Some(z) => engine.zone(z, "options.timezone"),
        None => Ok(Zone::UTC),
    }
}

fn instant(value: JsValue, path: &str) -> Result<Option<i64>, Error> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else if let Some(s) = value.as_string() {
        RawInstant::Text(s.into()).resolve(path).map(Some)
    } else if let Some(n) = value.as_f64() {
        RawInstant::Millis(n).resolve(path).map(Some)
    } else {
        let shown = describe(&value);
        Err(Error::coded(
            ErrorCode::InvalidInstant,
            "",
            path,
            format!("invalid instant {shown}: expected an RFC 3339 string or epoch milliseconds"),
        )
        .value(&shown))
    }
}

/// A short description of any JS value for a message. Not `{:?}`: the debug form of a JsValue
/// walks nested arrays in JS and overflows the JS stack on a deeply nested one, throwing a
/// `RangeError` through the wasm frames instead of a coded error.
pub(crate) fn describe(value: &JsValue) -> String {
    if let Some(s) = value.as_string() {
        let shown: String = s.chars().take(40).collect();
        let more = if s.chars().nth(40).is_some() {
            "…"
        } else {
            ""
        };
        format!("{shown:?}{more}")
    } else if let Some(n) = value.as_f64() {
        crate::input::show_f64(n)
    } else if let Some(b) = value.as_bool() {
        b.to_string()
    } else if value.is_null() {
        "null".to_string()
    } else if js_sys::Array::is_array(value) {
        "an array".to_string()
    } else {
        format!(
            "a value of type {}",
            value.js_typeof().as_string().unwrap_or_default()
        )
    }
}

/// The `at` argument of `rateCard` and `rate`: an instant that must be given.
fn required_instant(value: JsValue) -> Result<i64, Error> {
    instant(value, "at")?.ok_or_else(|| {
        Error::coded(
            ErrorCode::InvalidInstant,
            "missing_instant",
            "at",
            "missing instant",
        )
    })
}

fn string(value: JsValue, path: &str) -> Result<String, Error> {
    value.as_string().ok_or_else(|| {
        let shown = describe(&value);
        Error::coded(
            ErrorCode::InvalidInput,
            "wrong_type",
            path,
            format!("invalid input: expected a string, found {shown}"),
        )
        .value(&shown)
        .with("expected", crate::messages::Value::Term("text"))
    })
}

/// The pricing engine.
#[wasm_bindgen]
pub struct Engine {
    inner: crate::Engine,
}

#[wasm_bindgen]
impl Engine {
    /// `new Engine()` uses the embedded data; `new Engine({ rates, tiers, markets, replace })` lays
    /// CSV text over it (or replaces it).
    #[wasm_bindgen(constructor)]
    pub fn new(data: JsValue) -> Result<Engine, JsValue> {
        let raw: Option<RawData> = optional(data, "").map_err(to_js_error)?;
        let inner = match raw {
            None => crate::Engine::new(),
            Some(d) => crate::Engine::with_data(&CustomData {
                rates: d.rates.map(OneOrMany::into_vec).unwrap_or_default(),
                tiers: d.tiers.map(OneOrMany::into_vec).unwrap_or_default(),
                markets: d.markets.map(OneOrMany::into_vec).unwrap_or_default(),
                replace: d.replace.unwrap_or(false),
            }),
        }
        .map_err(to_js_error)?;
        let mut inner = inner;
        inner.set_tz_database(Rc::new(IntlTz));
        Ok(Engine { inner })
    }

    /// What a front end needs to know (presets and their defaults, template categories, kinds,
    /// statuses, messaging-limit tiers, window lengths): `waprice::schema::SCHEMA_JSON`.
    pub fn schema(&self) -> Result<JsValue, JsValue> {
        js_sys::JSON::parse(crate::schema::SCHEMA_JSON)
    }

    /// The cards, tier tables and market table held.
    #[wasm_bindgen(js_name = dataInfo)]
    pub fn data_info(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.data_info())
    }

    /// `{ country, countryName, callingCode, market }` of a phone number at an instant.
    #[wasm_bindgen(js_name = resolveMarket)]
    pub fn resolve_market(
        &self,
        phone: JsValue,
        at: JsValue,
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let run = || -> Result<_, Error> {
            let phone = string(phone, "phone")?;
            let at = instant(at, "at")?;
            let o: Option<RawZoneOptions> = optional(options, "options")?;
            let zone = zone_of(&self.inner, &o)?;
            let mo = market_options(
                o.map(|o| RawOptions {
                    unlisted_nanp_market: o.unlisted_nanp_market,
                    kazakhstan_market_before202610: o.kazakhstan_market_before202610,
                    ..Default::default()
                })
                .as_ref(),
            )?;
            self.inner.resolve_market(&phone, at, &zone, &mo)
        };
        to_js(&run().map_err(to_js_error)?)
    }

    /// The rates in force at an instant for a currency, per market, with tiers and provenance.
    #[wasm_bindgen(js_name = rateCard)]
    pub fn rate_card(
        &self,
        at: JsValue,
        currency: JsValue,
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let run = || -> Result<_, Error> {
            let at = required_instant(at)?;
            let currency = string(currency, "currency")?;
            let o: Option<RawZoneOptions> = optional(options, "options")?;
            self.inner
                .rate_card(at, &zone_of(&self.inner, &o)?, &currency)
        };
        to_js(&run().map_err(to_js_error)?)
    }

    /// One rate in force, or a `missing_rate` error naming date, currency, market and category.
    pub fn rate(
        &self,
        at: JsValue,
        currency: JsValue,
        market: JsValue,
        category: JsValue,
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let run = || -> Result<_, Error> {
            let at = required_instant(at)?;
            let currency = string(currency, "currency")?;
            let market = string(market, "market")?;
            let category = string(category, "category")?;
            let o: Option<RawZoneOptions> = optional(options, "options")?;
            self.inner.rate(
                at,
                &zone_of(&self.inner, &o)?,
                &currency,
                &market,
                &category,
            )
        };
        to_js(&run().map_err(to_js_error)?)
    }

    /// Prices a timeline message by message (see `docs/simulator.md`).
    #[wasm_bindgen(unchecked_return_type = "SimulateResult")]
    pub fn simulate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SimulateInput")] input: JsValue,
    ) -> Result<JsValue, JsValue> {
        let run = || -> Result<_, Error> {
            let raw: RawRequest = match packed_request(&input)? {
                Some(raw) => raw,
                None => from_js(input, "")?,
            };
            self.inner.simulate_raw(raw)
        };
        let sim = run().map_err(to_js_error)?;
        to_js(&crate::report::simulation_lazy(&self.inner, &sim))
    }
}
