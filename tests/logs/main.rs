//! Log pricing (`waprice::logs`): formats, streaming across chunk boundaries, malformed lines,
//! what-if across 2026-10-01, reconciliation with Meta's `pricing` objects, bounded memory, the
//! threaded and taped paths (the command line's tests are in cli/tests/cli.rs). This file holds
//! the helpers the modules share.

#[path = "../common/mod.rs"]
mod common;

mod cards;
mod formats;
mod malformed;
mod memory;
mod opening;
mod reconciliation;
mod streaming;
mod threads;
mod what_if;

use serde_json::{json, Value};
use waprice::input::RawRequest;
use waprice::logs::{LogOptions, LogPricer, LogReader, LogReport, OwnedLogPricer, RawLogOptions};
use waprice::{Engine, Error, ErrorCode, Location};

const EVENTS_CSV: &[u8] = include_bytes!("../fixtures/logs/events.csv");
const EVENTS_JSONL: &[u8] = include_bytes!("../fixtures/logs/events.jsonl");
const BROKEN_CSV: &[u8] = include_bytes!("../fixtures/logs/broken.csv");
const WEBHOOKS_JSONL: &[u8] = include_bytes!("../fixtures/logs/webhooks.jsonl");
const WEBHOOKS_JSON: &[u8] = include_bytes!("../fixtures/logs/webhooks.json");

fn options(engine: &Engine, o: Value) -> LogOptions {
    let raw: RawLogOptions = serde_json::from_value(o).expect("options shape");
    LogOptions::resolve(&raw, engine).unwrap_or_else(|e| panic!("options: {e}"))
}

fn try_price_chunks(engine: &Engine, o: Value, chunks: &[&[u8]]) -> Result<LogReport, Error> {
    let opts = options(engine, o);
    let mut p = LogPricer::new(engine, &opts)?;
    for c in chunks {
        p.push(c)?;
    }
    p.finish()
}

fn price(engine: &Engine, o: Value, log: &[u8]) -> LogReport {
    try_price_chunks(engine, o, &[log]).unwrap_or_else(|e| panic!("pricing failed: {e}"))
}

fn to_value(r: &LogReport) -> Value {
    serde_json::to_value(r).unwrap()
}

/// The events of `events.jsonl` as a `simulate` request.
fn simulate_events(engine: &Engine, jsonl: &[u8], extra: Value) -> Value {
    let events: Vec<Value> = std::str::from_utf8(jsonl)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut req = json!({ "currency": "USD", "options": { "messages": "none" }, "events": events });
    if let (Value::Object(r), Value::Object(x)) = (&mut req, extra) {
        r.extend(x);
    }
    let raw: RawRequest = serde_json::from_value(req).unwrap();
    serde_json::to_value(engine.simulate(raw).unwrap()).unwrap()
}

/// The next number of a xorshift sequence (the generated logs are the same at every run).
fn xorshift(mut x: u32) -> u32 {
    x ^= x << 13;
    x ^= x >> 17;
    x ^ (x << 5)
}

/// An instant in seconds as RFC 3339.
fn rfc3339(sec: i64) -> String {
    chrono::DateTime::from_timestamp(sec, 0)
        .unwrap()
        .to_rfc3339()
}

/// [`waprice::logs::price_threaded`] over `log`, handed over `sizes[i % len]` bytes at a time;
/// the progress figures it reported, in order.
fn price_threaded(
    engine: &Engine,
    o: Value,
    log: &[u8],
    sizes: &[usize],
) -> (Result<LogReport, Error>, Vec<waprice::logs::Progress>) {
    let opts = options(engine, o);
    let mut at = 0;
    let mut call = 0;
    let read = |buf: &mut [u8]| -> Result<usize, Error> {
        let n = sizes[call % sizes.len()].min(buf.len()).min(log.len() - at);
        call += 1;
        buf[..n].copy_from_slice(&log[at..at + n]);
        at += n;
        Ok(n)
    };
    let mut seen = Vec::new();
    let r = waprice::logs::price_threaded(engine, &opts, read, |p| seen.push(p.clone()));
    (r, seen)
}

/// `log` read by a [`LogReader`] in `chunks`, its tapes replayed into a pricer (as the page does
/// across two wasm instances); the progress after each tape.
fn price_taped(
    engine: &Engine,
    o: Value,
    chunks: &[&[u8]],
) -> (Result<LogReport, Error>, Vec<waprice::logs::Progress>) {
    let opts = options(engine, o);
    let mut reader = LogReader::new(opts.clone());
    let mut p = LogPricer::new(engine, &opts).unwrap();
    let mut seen = Vec::new();
    let mut run = || {
        for c in chunks {
            p.replay(&reader.push(c)?)?;
            seen.push(p.progress());
        }
        p.replay(&reader.finish()?)?;
        let r = p.finish();
        seen.push(p.progress());
        r
    };
    let r = run();
    (r, seen)
}

/// A generated CSV log of `n` events of 3,000 customers over a week, some a few minutes out of
/// order, with a malformed line every 997 lines.
fn generated_csv(n: u64) -> Vec<u8> {
    let mut log = String::from("at,user,kind,category,referral,from,status\n");
    let start = 1_791_158_400i64; // 2026-10-05T00:00:00Z
    let mut x = 2_463_534_242u32;
    for i in 0..n {
        x = xorshift(x);
        let sec = start + (i as i64) * 7 * 86_400 / n as i64 - i64::from(x % 7 == 0) * 120;
        let at = rfc3339(sec);
        let user = ["+91981", "+55119", "+62812", "+20100"][(x % 4) as usize];
        let kind = match (x >> 3) % 8 {
            0 | 1 => "inbound,,",
            2 => "inbound,,ctwa",
            3 => "message,,",
            4 => "template,marketing,",
            5 => "template,utility,",
            6 => "template,authentication,",
            _ => "reaction,,",
        };
        let status = if (x >> 7) % 29 == 0 { "failed" } else { "" };
        if i % 997 == 996 {
            log.push_str(&format!("{at},+0{},{kind},,{status}\n", x % 3_000));
        } else {
            log.push_str(&format!("{at},{user}{:07},{kind},,{status}\n", x % 3_000));
        }
    }
    log.into_bytes()
}

/// `log` in pieces of `sizes[i % len]` bytes.
fn cut<'l>(log: &'l [u8], sizes: &[usize]) -> Vec<&'l [u8]> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < log.len() {
        let n = sizes[out.len() % sizes.len()].min(log.len() - at);
        out.push(&log[at..at + n]);
        at += n;
    }
    out
}
