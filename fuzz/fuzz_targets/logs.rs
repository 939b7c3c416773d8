//! The log parsers (CSV, JSON Lines, webhook payloads) and the streaming pricer on any bytes: the
//! first byte picks the format (or detection), the rest is pushed whole and in two chunks split at
//! a point the input chooses. Reading and pricing must never panic, hang or allocate without bound.
//! The same chunks read by a `LogReader` into tapes and replayed must give the same report or the
//! same first error; and the bytes replayed as if they were a tape must be refused or priced,
//! never panic (the page's pricer takes tapes from a worker).
#![no_main]
use libfuzzer_sys::fuzz_target;
use waprice::logs::{LogFormat, LogOptions, LogPricer, LogReader};
use waprice::Engine;

thread_local! {
    static ENGINE: Engine = Engine::new().expect("embedded data loads");
}

/// The report (serialized) or the first error of pushing `chunks`.
fn price(engine: &Engine, options: &LogOptions, chunks: &[&[u8]]) -> Result<String, String> {
    let mut p = LogPricer::new(engine, options).map_err(|e| e.to_string())?;
    for c in chunks {
        p.push(c).map_err(|e| e.to_string())?;
    }
    let r = p.finish().map_err(|e| e.to_string())?;
    Ok(serde_json::to_string(&r).expect("a report serializes"))
}

/// The same, read into tapes and replayed.
fn price_taped(engine: &Engine, options: &LogOptions, chunks: &[&[u8]]) -> Result<String, String> {
    let mut reader = LogReader::new(options.clone());
    let mut p = LogPricer::new(engine, options).map_err(|e| e.to_string())?;
    for c in chunks {
        let tape = reader
            .push(c)
            .expect("a reader takes every chunk until it ends");
        p.replay(&tape).map_err(|e| e.to_string())?;
    }
    let tape = reader
        .finish()
        .expect("a reader that has not ended finishes");
    p.replay(&tape).map_err(|e| e.to_string())?;
    let r = p.finish().map_err(|e| e.to_string())?;
    Ok(serde_json::to_string(&r).expect("a report serializes"))
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
        let _ = price(engine, &options, &[body]);
        let two = [&body[..split], &body[split..]];
        let pushed = price(engine, &options, &two);
        assert_eq!(
            pushed,
            price_taped(engine, &options, &two),
            "tapes give what pushes give"
        );
        if let Ok(mut p) = LogPricer::new(engine, &options) {
            let _ = p.replay(body).and_then(|()| p.finish());
        }
    });
});
