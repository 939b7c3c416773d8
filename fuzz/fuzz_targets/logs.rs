//! The log parsers (CSV, JSON Lines, webhook payloads) and the streaming pricer on any bytes: the
//! first byte picks the format (or detection), the rest is pushed whole and in two chunks split at
//! a point the input chooses. Reading and pricing must never panic, hang or allocate without bound.
#![no_main]
use libfuzzer_sys::fuzz_target;
use waprice::logs::{LogFormat, LogOptions, LogPricer};
use waprice::Engine;

thread_local! {
    static ENGINE: Engine = Engine::new().expect("embedded data loads");
}

fn price(engine: &Engine, options: &LogOptions, chunks: &[&[u8]]) {
    let Ok(mut p) = LogPricer::new(engine, options) else {
        return;
    };
    for c in chunks {
        if p.push(c).is_err() {
            return;
        }
    }
    let _ = p.finish();
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let format = match data[0] % 4 {
        0 => Some(LogFormat::Csv),
        1 => Some(LogFormat::Jsonl),
        2 => Some(LogFormat::Webhook),
        _ => None,
    };
    let split = usize::from(data[1]) % (data.len() - 1);
    let body = &data[2..];
    let split = split.min(body.len());
    ENGINE.with(|engine| {
        let Ok(mut options) = LogOptions::new(engine) else {
            return;
        };
        options.format = format;
        price(engine, &options, &[body]);
        price(engine, &options, &[&body[..split], &body[split..]]);
    });
});
