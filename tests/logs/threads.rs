//! The threaded pricer and the taped (worker) path report what the direct pricer does.

use super::*;

#[test]
fn threaded_pricing_reports_what_the_single_threaded_one_does() {
    let engine = common::engine();
    let big = generated_csv(30_000);
    let cases: Vec<(&[u8], Value)> = vec![
        (EVENTS_CSV, json!({ "whatIf": { "date": "2026-10-01" } })),
        (EVENTS_JSONL, json!({ "format": "jsonl" })),
        (BROKEN_CSV, json!({ "format": "csv", "maxErrors": 3 })),
        (WEBHOOKS_JSONL, json!({})),
        (WEBHOOKS_JSON, json!({ "format": "webhook" })),
        (&big, json!({ "whatIf": { "date": "2026-10-01" } })),
        (&big, json!({ "parseOnly": true })),
        (
            &big,
            json!({ "timezone": "Asia/Kolkata", "reorderWindow": 60 }),
        ),
        (b"", json!({})),
    ];
    for (k, (log, o)) in cases.into_iter().enumerate() {
        let opts = options(&engine, o.clone());
        let mut p = LogPricer::new(&engine, &opts).unwrap();
        p.push(log).unwrap();
        let serial = to_value(&p.finish().unwrap());
        let serial_progress = p.progress();
        for sizes in [&[1 << 20][..], &[1, 7, 64, 4093, 3, 50_000]] {
            let chunks: Vec<&[u8]> = cut(log, sizes);
            for (how, (r, seen)) in [
                ("threaded", price_threaded(&engine, o.clone(), log, sizes)),
                ("taped", price_taped(&engine, o.clone(), &chunks)),
            ] {
                let r = r.unwrap_or_else(|e| panic!("case {k}, {how}: {e}"));
                assert_eq!(to_value(&r), serial, "case {k}, {how}, {sizes:?} bytes");
                // Progress only moves forward and ends at the whole log.
                assert_eq!(seen.last(), Some(&serial_progress), "case {k}, {how}");
                for w in seen.windows(2) {
                    assert!(
                        w[0].bytes <= w[1].bytes
                            && w[0].events <= w[1].events
                            && w[0].priced <= w[1].priced,
                        "case {k}, {how}"
                    );
                }
            }
        }
    }
    let r = price(&engine, json!({}), &big);
    assert!(
        r.input.errors > 20 && r.input.records == 30_000,
        "{:?}",
        r.input.errors
    );
}

#[test]
fn threaded_pricing_stops_at_the_first_fatal_error_and_at_a_read_error() {
    let engine = common::engine();
    let big = generated_csv(200_000);
    // onError: fail, at line 998 (the first malformed one): the same error, and the reader stops
    // long before the end of the log (the pricing thread hangs up).
    let o = json!({ "format": "csv", "onError": "fail" });
    let serial = try_price_chunks(&engine, o.clone(), &[&big]).unwrap_err();
    assert_eq!(
        (serial.path.as_str(), serial.loc.clone()),
        ("user", Some(Location::line("log", 998)))
    );
    let opts = options(&engine, o);
    let mut read_bytes = 0usize;
    let read = |buf: &mut [u8]| -> Result<usize, Error> {
        let n = 4096.min(big.len() - read_bytes);
        buf[..n].copy_from_slice(&big[read_bytes..read_bytes + n]);
        read_bytes += n;
        Ok(n)
    };
    let e = waprice::logs::price_threaded(&engine, &opts, read, |_| {}).unwrap_err();
    assert_eq!(e, serial);
    assert!(
        read_bytes < big.len() / 2,
        "read {read_bytes} of {} bytes",
        big.len()
    );
    // A failing source: its error, after the bytes before it were read.
    let opts = options(&engine, json!({}));
    let mut calls = 0;
    let read = |buf: &mut [u8]| -> Result<usize, Error> {
        calls += 1;
        if calls > 3 {
            // As the command line's reader fails (a file that cannot be read).
            return Err(Error::coded(
                ErrorCode::InvalidOption,
                "cli_file_unreadable",
                "",
                "cannot read log.csv: disk on fire".to_string(),
            )
            .value("log.csv")
            .with(
                "detail",
                waprice::messages::Value::Text("disk on fire".into()),
            ));
        }
        let n = 1000;
        buf[..n].copy_from_slice(&big[(calls - 1) * n..calls * n]);
        Ok(n)
    };
    let e = waprice::logs::price_threaded(&engine, &opts, read, |_| {}).unwrap_err();
    assert_eq!(e.message, "cannot read log.csv: disk on fire");
    assert_eq!(
        e.reason(),
        "cli_file_unreadable",
        "the source's error as it is"
    );
    assert_eq!(waprice::reasons::check(&e), Ok(()));
    // A missing rate in the pricing thread leaves the message unpriced, reported (issue 20).
    let opts = options(&engine, json!({ "currency": "BRL" }));
    let log: &[u8] =
        b"at,user,kind,category\n2024-05-01T10:00:00Z,+201001234567,template,marketing\n";
    let mut done = false;
    let read = |buf: &mut [u8]| -> Result<usize, Error> {
        if std::mem::replace(&mut done, true) {
            return Ok(0);
        }
        buf[..log.len()].copy_from_slice(log);
        Ok(log.len())
    };
    let r = waprice::logs::price_threaded(&engine, &opts, read, |_| {}).unwrap();
    let t = r.totals.expect("totals");
    assert!(!t.complete);
    assert_eq!(t.unpriced.len(), 1);
    assert_eq!(
        (t.unpriced[0].market.as_str(), t.unpriced[0].messages),
        ("Egypt", 1)
    );
}

#[test]
fn tapes_stop_where_pushes_stop_and_are_checked() {
    let engine = common::engine();
    let big = generated_csv(20_000);
    // onError: fail stops the replay at the first malformed line, as push does.
    let o = json!({ "format": "csv", "onError": "fail" });
    let serial = try_price_chunks(&engine, o.clone(), &[&big]).unwrap_err();
    let (r, _) = price_taped(&engine, o, &cut(&big, &[5000]));
    assert_eq!(r.unwrap_err(), serial);
    // A record over the size limit stops the reader; the pricer reports it at that tape.
    let long = [
        &b"at,user,kind\n"[..],
        &vec![b'x'; waprice::logs::MAX_RECORD_BYTES + 1],
    ]
    .concat();
    let serial = try_price_chunks(&engine, json!({}), &[&long]).unwrap_err();
    let (r, _) = price_taped(&engine, json!({}), &[&long]);
    assert_eq!(r.unwrap_err(), serial);
    let opts = options(&engine, json!({}));
    // A pricer takes either bytes or tapes.
    let mut reader = LogReader::new(opts.clone());
    let tape = reader.push(EVENTS_CSV).unwrap();
    let mut p = LogPricer::new(&engine, &opts).unwrap();
    p.push(b"at,user,kind\n").unwrap();
    let e = p.replay(&tape).unwrap_err();
    assert!(
        e.message
            .starts_with("replay() after the other kind of feed"),
        "{e}"
    );
    let mut p = LogPricer::new(&engine, &opts).unwrap();
    p.replay(&tape).unwrap();
    assert!(p.push(b"").is_err());
    // finish() wants the reader's last tape; after it, no more tapes; after the end, no more reading.
    let mut p = LogPricer::new(&engine, &opts).unwrap();
    p.replay(&tape).unwrap();
    let e = p.finish().unwrap_err();
    assert_eq!(e.path, "tape");
    let mut p = LogPricer::new(&engine, &opts).unwrap();
    p.replay(&tape).unwrap();
    let last = reader.finish().unwrap();
    p.replay(&last).unwrap();
    assert_eq!(p.replay(&last).unwrap_err().path, "tape");
    assert!(p.finish().unwrap().totals.is_some());
    assert!(reader.push(b"more").is_err());
    // Every truncation of a tape, and every single-byte change of its first bytes, is either
    // replayed or refused with invalid_encoding: never a panic.
    for n in 0..tape.len().min(400) {
        let mut p = LogPricer::new(&engine, &opts).unwrap();
        if let Err(e) = p.replay(&tape[..n]) {
            assert_eq!(e.code, ErrorCode::InvalidEncoding, "cut at {n}: {e}");
        }
        for v in [0u8, 1, 13, 200, 255] {
            let mut t = tape.clone();
            t[n] = v;
            let mut p = LogPricer::new(&engine, &opts).unwrap();
            let _ = p.replay(&t);
        }
    }
    let mut p = LogPricer::new(&engine, &opts).unwrap();
    let e = p.replay(&[99]).unwrap_err();
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidEncoding, "tape")
    );
    assert_eq!(
        e.message,
        "invalid tape at byte 0: not written by a log reader of this build"
    );
}
