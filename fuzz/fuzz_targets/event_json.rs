//! The event JSON parser (`input::from_json::<RawRequest>`) on any bytes; a request it accepts is
//! simulated (bounded by libFuzzer's input size), and a simulation's total is the sum of its
//! messages.
#![no_main]
use libfuzzer_sys::fuzz_target;
use waprice::input::{from_json, RawRequest};
use waprice::Engine;

thread_local! {
    static ENGINE: Engine = Engine::new().expect("embedded data loads");
}

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = from_json::<RawRequest>(data, "") else {
        return;
    };
    ENGINE.with(|engine| {
        if let Ok(report) = engine.simulate(raw) {
            let sum: rust_decimal::Decimal = report
                .messages
                .iter()
                .map(|m| {
                    m.amount
                        .parse::<rust_decimal::Decimal>()
                        .expect("decimal amount")
                })
                .sum();
            if !report.messages.is_empty() {
                assert_eq!(sum, report.totals.amount.parse().expect("decimal total"));
            }
        }
    });
});
