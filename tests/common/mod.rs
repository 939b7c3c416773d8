//! Helpers shared by the integration tests.
#![allow(dead_code)]

use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::str::FromStr;
use waprice::input::RawRequest;
use waprice::report::SimulationReport;
use waprice::{CustomData, Engine, Error};

/// The engine over the embedded data.
pub fn engine() -> Engine {
    Engine::new().expect("embedded data loads")
}

/// Runs a JSON request.
pub fn try_run_with(engine: &Engine, req: Value) -> Result<SimulationReport, Error> {
    let raw: RawRequest = serde_json::from_value(req).expect("request shape");
    engine.simulate(raw)
}

/// Runs a JSON request that must succeed.
pub fn run(req: Value) -> SimulationReport {
    try_run_with(&engine(), req).unwrap_or_else(|e| panic!("simulate failed: {e}"))
}

/// An engine with custom files.
pub fn engine_with(rates: &[&str], tiers: &[&str], markets: &[&str]) -> Engine {
    Engine::with_data(&CustomData {
        rates: rates.iter().map(|s| s.to_string()).collect(),
        tiers: tiers.iter().map(|s| s.to_string()).collect(),
        markets: markets.iter().map(|s| s.to_string()).collect(),
        replace: false,
    })
    .expect("custom data loads")
}

/// A decimal from text.
pub fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// An instant `hours` after `base` (RFC 3339 in UTC), as epoch milliseconds.
pub fn at(base: &str, hours: f64) -> i64 {
    let b = chrono::DateTime::parse_from_rfc3339(base)
        .unwrap()
        .timestamp_millis();
    b + (hours * 3_600_000.0).round() as i64
}

/// An event: `kind` is `inbound`, `ad` (inbound from an ad), `message`, `reaction`, or a template
/// category.
pub fn ev(t: i64, user: &str, kind: &str) -> Value {
    match kind {
        "inbound" => json!({ "at": t, "user": user, "kind": "inbound" }),
        "ad" => json!({ "at": t, "user": user, "kind": "inbound", "referral": "ctwa" }),
        "message" | "reaction" => json!({ "at": t, "user": user, "kind": kind }),
        cat => json!({ "at": t, "user": user, "kind": "template", "category": cat }),
    }
}

/// `(category, type, amount)` of each message.
pub fn verdicts(r: &SimulationReport) -> Vec<(String, String, String)> {
    r.messages
        .iter()
        .map(|m| {
            let v = serde_json::to_value(m).unwrap();
            (
                v["category"].as_str().unwrap().to_string(),
                v["type"].as_str().unwrap().to_string(),
                m.amount.clone(),
            )
        })
        .collect()
}

/// Shorthand for expected verdicts.
pub fn v(c: &str, t: &str, a: &str) -> (String, String, String) {
    (c.to_string(), t.to_string(), a.to_string())
}

/// Sum of message amounts.
pub fn sum(r: &SimulationReport) -> Decimal {
    r.messages.iter().map(|m| dec(&m.amount)).sum()
}
