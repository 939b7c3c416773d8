//! Golden snapshots: the reports of `estimate`, `compare`, `quote` and log pricing on a fixed set of
//! inputs, compared with reviewed JSON files so that moving code shows any change of result.
//!
//! Inputs: every `tests/golden/scenarios/NAME.json` is `{ "scenario": …, "compare"?: [dates],
//! "quote"?: meta }`; its reports are `tests/golden/estimate/NAME.json`, `compare/NAME.json` and
//! `quote/NAME.json`. The log cases are listed in [`LOG_CASES`] (the fixtures of
//! `tests/fixtures/logs/` with their options; `late_statuses.jsonl` holds statuses that come after
//! later events: a sent-only message timed out then delivered, a failure reported late); their
//! reports are `tests/golden/logs/NAME.json`.
//! Each report is produced by the same public function the binding calls and serialised as the
//! binding returns it (`serde_json`, then parsed on the JavaScript side).
//!
//! A mismatch fails with the first differing JSON path and the expected and actual values there.
//! To regenerate the files on purpose (after a deliberate change of result, stated in the commit):
//!
//! ```sh
//! WAPRICE_BLESS=1 cargo test --test golden
//! ```
//!
//! then review `git diff tests/golden/` before committing.

mod common;

use serde::Serialize;
use serde_json::{json, Value};
use std::fs;
use std::path::{Path, PathBuf};
use waprice::logs::{LogOptions, LogPricer, RawLogOptions};
use waprice::quote::QuoteMeta;
use waprice::scenario::Scenario;
use waprice::time::parse_date;
use waprice::Engine;

/// The log cases: name, fixture, options (as the binding's `logPricer(options)` takes them).
const LOG_CASES: &[(&str, &str, &str)] = &[
    ("events_csv", "events.csv", r#"{ "format": "csv" }"#),
    (
        "events_csv_what_if_2026_10",
        "events.csv",
        r#"{ "format": "csv", "whatIf": { "date": "2026-10-01" } }"#,
    ),
    ("events_jsonl", "events.jsonl", r#"{}"#),
    (
        "events_jsonl_what_if_inr_options",
        "events.jsonl",
        r#"{ "currency": "USD", "timezone": "+05:30", "whatIf": { "shift": "none", "currency": "INR", "options": { "fepHours": 48 } } }"#,
    ),
    ("broken_csv_skip", "broken.csv", r#"{ "format": "csv" }"#),
    // JSON Lines of the wrong shape: each error with its reason and params, at the field's path.
    (
        "broken_jsonl_skip",
        "broken.jsonl",
        r#"{ "format": "jsonl" }"#,
    ),
    (
        "broken_csv_what_if_2022",
        "broken.csv",
        r#"{ "format": "csv", "maxErrors": 2, "whatIf": { "date": "2022-06-01" } }"#,
    ),
    (
        "webhooks_jsonl",
        "webhooks.jsonl",
        r#"{ "format": "webhook" }"#,
    ),
    ("webhooks_json", "webhooks.json", r#"{}"#),
    (
        "late_statuses_timeout",
        "late_statuses.jsonl",
        r#"{ "deliveryTimeout": 120, "reorderWindow": 1 }"#,
    ),
    (
        "late_statuses_what_if_2025_10",
        "late_statuses.jsonl",
        r#"{ "deliveryTimeout": 120, "reorderWindow": 1, "whatIf": { "date": "2025-10-01" } }"#,
    ),
    (
        "meta_labels",
        "meta-labels.jsonl",
        r#"{ "format": "webhook", "maxDisagreements": 12 }"#,
    ),
    (
        "webhooks_jsonl_what_if_2026_10",
        "webhooks.jsonl",
        r#"{ "whatIf": { "date": "2026-10-01" } }"#,
    ),
];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn bless() -> bool {
    std::env::var_os("WAPRICE_BLESS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// A value as the binding hands it over: JSON text, parsed again.
fn as_js<T: Serialize>(value: &T) -> Value {
    let text = serde_json::to_string(value).expect("reports serialise");
    serde_json::from_str(&text).expect("serialised reports parse")
}

fn short(v: Option<&Value>) -> String {
    match v {
        None => "(absent)".to_string(),
        Some(v) => {
            let s = v.to_string();
            if s.chars().count() > 300 {
                format!("{}…", s.chars().take(300).collect::<String>())
            } else {
                s
            }
        }
    }
}

/// The first path where `expected` and `actual` differ, with both values there.
fn first_difference(path: &str, expected: &Value, actual: &Value) -> Option<String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            let mut keys: Vec<&String> = e.keys().chain(a.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter().find_map(|k| {
                let p = format!("{path}.{k}");
                match (e.get(k), a.get(k)) {
                    (Some(x), Some(y)) => first_difference(&p, x, y),
                    (x, y) => Some(format!(
                        "{p}\n  expected: {}\n  actual:   {}",
                        short(x),
                        short(y)
                    )),
                }
            })
        }
        (Value::Array(e), Value::Array(a)) => {
            for i in 0..e.len().max(a.len()) {
                let p = format!("{path}[{i}]");
                match (e.get(i), a.get(i)) {
                    (Some(x), Some(y)) => {
                        if let Some(d) = first_difference(&p, x, y) {
                            return Some(d);
                        }
                    }
                    (x, y) => {
                        return Some(format!(
                            "{p} (lengths {} and {})\n  expected: {}\n  actual:   {}",
                            e.len(),
                            a.len(),
                            short(x),
                            short(y)
                        ))
                    }
                }
            }
            None
        }
        (e, a) if e == a => None,
        (e, a) => Some(format!(
            "{path}\n  expected: {}\n  actual:   {}",
            short(Some(e)),
            short(Some(a))
        )),
    }
}

/// Compares `actual` with the golden file `rel` (or writes it when blessing); returns the
/// difference, if any.
fn check(rel: &str, actual: Value) -> Option<String> {
    let file = dir().join(rel);
    if bless() {
        fs::create_dir_all(file.parent().expect("golden files are in a directory"))
            .expect("create golden directory");
        let text = serde_json::to_string_pretty(&actual).expect("reports serialise") + "\n";
        fs::write(&file, text).expect("write golden file");
        return None;
    }
    let text = match fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) => {
            return Some(format!(
                "{rel}: cannot read the golden file ({e}); run WAPRICE_BLESS=1 cargo test --test golden"
            ))
        }
    };
    let expected: Value = serde_json::from_str(&text).expect("golden files are JSON");
    first_difference("$", &expected, &actual).map(|d| format!("{rel}: first difference at {d}"))
}

fn report(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} golden file(s) differ (regenerate on purpose with WAPRICE_BLESS=1 cargo test --test golden):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

fn scenario_files() -> Vec<(String, Value)> {
    let mut files: Vec<(String, Value)> = fs::read_dir(dir().join("scenarios"))
        .expect("tests/golden/scenarios")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let name = p
                .file_stem()
                .expect("a file name")
                .to_string_lossy()
                .to_string();
            let text = fs::read_to_string(&p).expect("read scenario");
            let v: Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: not JSON: {e}", p.display()));
            (name, v)
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(files.len() >= 5, "the golden scenarios are missing");
    files
}

fn scenario_of(name: &str, v: &Value) -> Scenario {
    serde_json::from_value(v["scenario"].clone())
        .unwrap_or_else(|e| panic!("{name}: scenario shape: {e}"))
}

#[test]
fn estimates() {
    let engine = common::engine();
    let mut failures = Vec::new();
    for (name, v) in scenario_files() {
        let s = scenario_of(&name, &v);
        let e = waprice::estimate::estimate(&engine, &s, None)
            .unwrap_or_else(|e| panic!("{name}: estimate failed: {e}"));
        failures.extend(check(&format!("estimate/{name}.json"), as_js(&e)));
    }
    report(failures);
}

#[test]
fn comparisons() {
    let engine = common::engine();
    let mut failures = Vec::new();
    let mut seen = 0;
    for (name, v) in scenario_files() {
        let Some(dates) = v.get("compare") else {
            continue;
        };
        seen += 1;
        let s = scenario_of(&name, &v);
        let dates: Vec<String> = serde_json::from_value(dates.clone()).expect("dates");
        let dates = dates
            .iter()
            .enumerate()
            .map(|(i, d)| parse_date(d, &format!("dates[{i}]")))
            .collect::<Result<Vec<_>, _>>()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let c = waprice::estimate::compare(&engine, &s, &dates)
            .unwrap_or_else(|e| panic!("{name}: compare failed: {e}"));
        failures.extend(check(&format!("compare/{name}.json"), as_js(&c)));
    }
    assert!(seen >= 5, "too few golden comparisons");
    report(failures);
}

#[test]
fn quotes() {
    let engine = common::engine();
    let mut failures = Vec::new();
    let mut seen = 0;
    for (name, v) in scenario_files() {
        let Some(meta) = v.get("quote") else {
            continue;
        };
        seen += 1;
        let s = scenario_of(&name, &v);
        let meta: QuoteMeta = serde_json::from_value(meta.clone()).expect("quote meta shape");
        let q = waprice::quote::quote(&engine, &s, &meta)
            .unwrap_or_else(|e| panic!("{name}: quote failed: {e}"));
        failures.extend(check(&format!("quote/{name}.json"), as_js(&q)));
    }
    assert!(seen >= 3, "too few golden quotes");
    report(failures);
}

fn price_log(engine: &Engine, options: &str, log: &[u8]) -> Value {
    let raw: RawLogOptions = serde_json::from_str(options).expect("log options shape");
    let opts = LogOptions::resolve(&raw, engine).unwrap_or_else(|e| panic!("options: {e}"));
    let run = || -> Result<_, waprice::Error> {
        let mut p = LogPricer::new(engine, &opts)?;
        p.push(log)?;
        p.finish()
    };
    match run() {
        Ok(r) => as_js(&r),
        Err(e) => panic!("log pricing failed: {e}"),
    }
}

#[test]
fn log_reports() {
    let engine = common::engine();
    let mut failures = Vec::new();
    for (name, fixture, options) in LOG_CASES {
        let log = fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/logs")
                .join(fixture),
        )
        .expect("log fixture");
        let r = price_log(&engine, options, &log);
        let actual = json!({ "fixture": fixture, "options": serde_json::from_str::<Value>(options).expect("options are JSON"), "report": r });
        failures.extend(check(&format!("logs/{name}.json"), actual));
    }
    report(failures);
}

/// Every log fixture has at least one golden case.
#[test]
fn every_log_fixture_has_a_case() {
    for e in fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/logs"))
        .expect("fixtures")
    {
        let name = e.expect("entry").file_name().to_string_lossy().to_string();
        assert!(
            LOG_CASES.iter().any(|(_, f, _)| *f == name),
            "the log fixture {name} has no golden case"
        );
    }
}

/// The comparison itself reports a change where there is one.
#[test]
fn a_changed_value_is_reported_with_its_path() {
    let expected = json!({ "a": { "b": [1, { "c": "0.0036" }] } });
    let actual = json!({ "a": { "b": [1, { "c": "0.0037" }] } });
    let d = first_difference("$", &expected, &actual).expect("a difference");
    assert!(d.starts_with("$.a.b[1].c\n"), "{d}");
    assert!(d.contains("\"0.0036\"") && d.contains("\"0.0037\""), "{d}");
    assert_eq!(first_difference("$", &expected, &expected), None);
    let d = first_difference("$", &json!([1]), &json!([1, 2])).expect("a difference");
    assert!(d.starts_with("$[1] (lengths 1 and 2)"), "{d}");
}
