//! Scenario decoding from a share link (`quote::decode`) on any text; a decoded scenario of
//! bounded size is estimated and quoted, and re-encoding it decodes to the same scenario.
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
    assert_eq!(
        serde_json::to_string(&back.scenario).unwrap(),
        serde_json::to_string(&scenario).unwrap()
    );
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
