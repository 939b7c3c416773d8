//! Scenario decoding from a share link (`quote::decode`) on any text; a decoded scenario of
//! bounded size is estimated and quoted, and re-encoding it decodes to the same scenario (numbers
//! equal to within a few units in the last place: serde_json's default float reader is not
//! correctly rounded for every text, and its exact reader, `float_roundtrip`, costs ~9 KB
//! gzipped that the calculator's wasm budget does not have).
//! Inputs starting with `{` are read as a scenario in JSON directly, so that the fuzzer reaches
//! the estimate without having to discover base64.
#![no_main]
use libfuzzer_sys::fuzz_target;
use waprice::estimate::estimate;
use waprice::quote::{decode, encode, quote, QuoteMeta};
use waprice::scenario::Scenario;
use waprice::Engine;

thread_local! {
    static ENGINE: Engine = Engine::new().expect("embedded data loads");
}

/// The estimate's work grows with mix × journeys × occurrences × steps; the engine's documented
/// limits allow far more than a fuzzing iteration should take.
fn small(s: &Scenario) -> bool {
    s.audience.mix.len() <= 8
        && s.journeys.len() <= 4
        && s.journeys.iter().all(|j| {
            j.times_per_month.is_none_or(|t| t <= 31.0)
                && j.steps.as_ref().is_none_or(|s| s.len() <= 16)
                && j.params.follow_ups.as_ref().is_none_or(|f| f.len() <= 16)
        })
}

/// Equal JSON values, numbers to within 4 units in the last place.
fn close(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as V;
    match (a, b) {
        (V::Number(x), V::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => {
                x == y || (x - y).abs() <= 4.0 * f64::EPSILON * x.abs().max(y.abs())
            }
            _ => x == y,
        },
        (V::Array(x), V::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| close(x, y))
        }
        (V::Object(x), V::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| close(v, w)))
        }
        _ => a == b,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (scenario, meta) = if text.starts_with('{') {
        match serde_json::from_str::<Scenario>(text) {
            Ok(s) => (s, None),
            Err(_) => return,
        }
    } else {
        match decode(text) {
            Ok(d) => (d.scenario, d.meta),
            Err(_) => return,
        }
    };
    let again = encode(&scenario, meta.as_ref()).expect("a decoded scenario encodes");
    let back = decode(&again).expect("an encoded scenario decodes");
    // NaN never equals itself: compare the JSON forms.
    let (a, b) = (
        serde_json::to_value(&back.scenario).unwrap(),
        serde_json::to_value(&scenario).unwrap(),
    );
    assert!(close(&a, &b), "{a}\n{b}");
    if !small(&scenario) {
        return;
    }
    ENGINE.with(|engine| {
        let _ = estimate(engine, &scenario, None);
        let meta = meta.unwrap_or(QuoteMeta {
            issued: Some("2026-11-21".to_string()),
            ..QuoteMeta::default()
        });
        let _ = quote(engine, &scenario, &meta);
    });
});
