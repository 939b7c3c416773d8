//! Benchmark of log pricing natively: events per second from CSV bytes, and peak memory.
//!
//! `cargo run --release --example bench_logs [events] [users]` (default 10,000,000 events of
//! 1,000,000 customers over September 2026). The log is generated once into
//! `target/bench-logs/` (the same file `node scripts/bench-logs.mjs` reads) and read back in
//! 1 MiB chunks, as the command line reads a file. Figures are printed, nothing is asserted; the
//! results are also written next to the log (`*.native.json`) for the wasm/native ratio.
//!
//! Measured: reading only (`parseOnly`), pricing as logged, pricing with a what-if at 2026-10-01
//! (each on one thread, as in wasm, then the last two with the log read on a second thread, as
//! the command line does), and, for comparison, the streaming simulator alone on the same events
//! already parsed.

use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;
use waprice::logs::{price_threaded, LogOptions, LogPricer, LogReader, RawLogOptions};
use waprice::pricing::{Options, Request, Simulator};
use waprice::time::Zone;
use waprice::Engine;

/// xorshift32: the generator of `scripts/bench-logs.mjs` too, so both build the same log.
struct Rng(u32);
impl Rng {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }
}

const START: i64 = 1_788_220_800; // 2026-09-01T00:00:00Z
const SPAN: i64 = 30 * 86_400;
const PREFIXES: [&str; 4] = ["+9198", "+5511", "+6281", "+2010"];

/// Writes the benchmark log (CSV, sorted by time).
fn generate(path: &Path, n: u64, users: u32) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
    w.write_all(b"at,user,kind,category,referral,from,status\n")?;
    let mut rng = Rng(2_463_534_242);
    let mut last_sec = i64::MIN;
    let mut at = String::new();
    for i in 0..n {
        let sec = START + (i as i64) * SPAN / n as i64;
        if sec != last_sec {
            last_sec = sec;
            at = chrono::DateTime::from_timestamp(sec, 0)
                .expect("in range")
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string();
        }
        let (r1, r2, r3, r4) = (rng.next(), rng.next(), rng.next(), rng.next());
        let u = r1 % users;
        let prefix = PREFIXES[(u % 4) as usize];
        let (kind, category, referral) = match r2 % 10 {
            0..=2 => ("inbound", "", if r3 % 50 == 0 { "ctwa" } else { "" }),
            3 | 4 => ("message", "", ""),
            5 => ("template", "marketing", ""),
            6 | 7 => ("template", "utility", ""),
            8 => ("template", "authentication", ""),
            _ => ("reaction", "", ""),
        };
        let status = if kind != "inbound" && r4 % 40 == 0 {
            "failed"
        } else {
            ""
        };
        writeln!(
            w,
            "{at},{prefix}{u:08},{kind},{category},{referral},,{status}"
        )?;
    }
    w.flush()?;
    drop(w);
    std::fs::rename(tmp, path)
}

/// Peak and current resident memory (VmHWM, VmRSS) in MiB, from /proc/self/status.
fn memory() -> (f64, f64) {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |key: &str| {
        s.lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    };
    (kb("VmHWM:"), kb("VmRSS:"))
}

/// CPU time of this process so far, all threads, in seconds (utime + stime of /proc/self/stat,
/// in clock ticks of 1/100 s): the machine may be shared, so events per CPU second are printed
/// beside the wall-clock rate.
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // Fields after the command name (which is in parentheses and may hold spaces).
            let rest = &s[s.rfind(')')? + 2..];
            let f: Vec<&str> = rest.split_whitespace().collect();
            Some(f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?)
        })
        .map_or(0.0, |ticks| ticks / 100.0)
}

struct Run {
    name: &'static str,
    /// Seconds spent in file reads (0 when they were on another thread).
    read_secs: f64,
    secs: f64,
    cpu: f64,
    events: u64,
    peak_mib: f64,
}

fn price(engine: &Engine, path: &Path, options: &str, threaded: bool, name: &'static str) -> Run {
    let raw: RawLogOptions = serde_json::from_str(options).expect("options");
    let opts = LogOptions::resolve(&raw, engine).expect("valid options");
    let mut file = std::fs::File::open(path).expect("log file");
    // Resets the peak resident memory (VmHWM) to the current one, so each run reports its own.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let t = Instant::now();
    let cpu0 = cpu_seconds();
    // Time spent in the file's reads (single-threaded runs), printed apart: the engine's rate
    // from bytes is the rate without it.
    let mut read_secs = 0.0;
    let report = if threaded {
        let read = |buf: &mut [u8]| {
            file.read(buf).map_err(|e| {
                waprice::Error::coded(
                    waprice::ErrorCode::InvalidOption,
                    "cli_file_unreadable",
                    "",
                    e.to_string(),
                )
                .value(&path.display().to_string())
                .with("detail", waprice::messages::Value::Text(e.to_string()))
            })
        };
        price_threaded(engine, &opts, read, |_| {}).expect("priced")
    } else {
        let mut buf = vec![0u8; 1 << 20];
        let mut pricer = LogPricer::new(engine, &opts).expect("pricer");
        loop {
            let r = Instant::now();
            let n = file.read(&mut buf).expect("read");
            read_secs += r.elapsed().as_secs_f64();
            if n == 0 {
                break;
            }
            pricer.push(&buf[..n]).expect("push");
        }
        pricer.finish().expect("finish")
    };
    let secs = t.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu0;
    let events = report.input.records;
    let (peak, _) = memory();
    let total = report
        .totals
        .as_ref()
        .map_or("-".to_string(), |t| t.amount.clone());
    let what_if = report.what_if.as_ref().map_or(String::new(), |w| {
        format!(", what-if USD {}", w.totals.amount)
    });
    let engine_only = if threaded {
        String::new()
    } else {
        format!(
            "; without the {read_secs:.2} s of file reads: {:.2} M/s",
            events as f64 / (secs - read_secs).max(1e-9) / 1e6
        )
    };
    println!(
        "native {name}: {events} events in {secs:.2} s = {:.2} million events/s ({:.2} M per CPU second){engine_only}; {} customers; total USD {total}{what_if}; peak memory (VmHWM) {peak:.0} MiB",
        events as f64 / secs / 1e6,
        events as f64 / cpu.max(1e-9) / 1e6,
        report.input.users,
    );
    Run {
        name,
        read_secs,
        secs,
        cpu,
        events,
        peak_mib: peak,
    }
}

fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n = *args.first().unwrap_or(&10_000_000);
    let users = *args.get(1).unwrap_or(&1_000_000) as u32;
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("bench-logs");
    std::fs::create_dir_all(&dir).expect("target/bench-logs");
    let path = dir.join(format!("events-{n}-{users}.csv"));
    if !path.exists() {
        let t = Instant::now();
        generate(&path, n, users).expect("generate the log");
        println!(
            "generated {} in {:.1} s",
            path.display(),
            t.elapsed().as_secs_f64()
        );
    }
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "log: {} ({:.0} MB, {n} events, {users} customers, September 2026)",
        path.file_name().and_then(|f| f.to_str()).unwrap_or(""),
        bytes as f64 / 1e6
    );
    let (peak0, rss0) = memory();
    println!("memory before: VmRSS {rss0:.0} MiB, VmHWM {peak0:.0} MiB");
    let engine = Engine::new().expect("embedded data");
    const READ: &str = r#"{ "format": "csv", "parseOnly": true }"#;
    const PRICE: &str = r#"{ "format": "csv" }"#;
    const WHAT_IF: &str = r#"{ "format": "csv", "whatIf": { "date": "2026-10-01" } }"#;
    let runs = [
        price(&engine, &path, READ, false, "read only (parseOnly)"),
        price(&engine, &path, PRICE, false, "priced as logged"),
        price(
            &engine,
            &path,
            WHAT_IF,
            false,
            "priced + what-if 2026-10-01",
        ),
        price(
            &engine,
            &path,
            PRICE,
            true,
            "priced as logged, read on a second thread",
        ),
        price(
            &engine,
            &path,
            WHAT_IF,
            true,
            "priced + what-if, read on a second thread",
        ),
    ];

    // The pricing alone: the log read into tapes beforehand (held in memory), then replayed.
    {
        let raw: RawLogOptions = serde_json::from_str(PRICE).expect("options");
        let opts = LogOptions::resolve(&raw, &engine).expect("options");
        let text = std::fs::read(&path).expect("log");
        // The reading thread's part: the log, from memory, into tapes.
        let t = Instant::now();
        let cpu0 = cpu_seconds();
        let mut reader = LogReader::new(opts.clone());
        let mut tapes: Vec<Vec<u8>> = text
            .chunks(1 << 20)
            .map(|c| reader.push(c).expect("read"))
            .collect();
        tapes.push(reader.finish().expect("read"));
        let (secs, cpu) = (t.elapsed().as_secs_f64(), cpu_seconds() - cpu0);
        println!(
            "native reading into tapes, from memory: {n} events in {secs:.2} s = {:.2} million events/s ({:.2} M per CPU second)",
            n as f64 / secs / 1e6,
            n as f64 / cpu.max(1e-9) / 1e6,
        );
        drop(text);
        let t = Instant::now();
        let cpu0 = cpu_seconds();
        let mut p = LogPricer::new(&engine, &opts).expect("pricer");
        for tape in &tapes {
            p.replay(tape).expect("replay");
        }
        let report = p.finish().expect("finish");
        let secs = t.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - cpu0;
        let events = report.input.records;
        let mb = tapes.iter().map(Vec::len).sum::<usize>() as f64 / 1e6;
        println!(
            "native replay of tapes made beforehand ({mb:.0} MB of tapes): {events} events in {secs:.2} s = {:.2} million events/s ({:.2} M per CPU second); total USD {}",
            events as f64 / secs / 1e6,
            events as f64 / cpu.max(1e-9) / 1e6,
            report.totals.map_or_else(|| "-".to_string(), |t| t.amount)
        );
    }

    // The simulator alone, on the same events already parsed (held in memory: run last).
    let events = {
        let text = std::fs::read(&path).expect("log");
        let mut out = Vec::with_capacity(n as usize);
        for line in text.split(|&b| b == b'\n').skip(1) {
            if line.is_empty() {
                continue;
            }
            let f: Vec<&str> = std::str::from_utf8(line)
                .expect("utf-8")
                .split(',')
                .collect();
            let raw = waprice::input::RawEvent {
                at: Some(waprice::input::RawInstant::Text(f[0].into())),
                user: Some(f[1].into()),
                kind: Some(f[2].into()),
                category: (!f[3].is_empty()).then(|| f[3].into()),
                referral: (!f[4].is_empty()).then(|| f[4].into()),
                from: None,
                status: (!f[6].is_empty()).then(|| f[6].into()),
                ..Default::default()
            };
            out.push(raw.resolve(0).expect("event"));
        }
        out
    };
    let req = Request {
        currency: "USD".into(),
        zone: Zone::UTC,
        business: Default::default(),
        options: Options {
            keep_messages: false,
            ..Options::default()
        },
        events: Vec::new(),
        sources: Default::default(),
    };
    let t = Instant::now();
    let cpu0 = cpu_seconds();
    let mut sim = Simulator::new(&engine, &req).expect("simulator");
    for (i, e) in events.iter().enumerate() {
        if let Some(ahead) = events.get(i + 8) {
            sim.prefetch(ahead);
        }
        sim.push(e).expect("push");
    }
    let total = sim.finish().expect("finish").totals.amount.normalize();
    let sim_secs = t.elapsed().as_secs_f64();
    let sim_cpu = cpu_seconds() - cpu0;
    println!(
        "native Simulator::push alone (events parsed beforehand): {} events in {sim_secs:.2} s = {:.2} million events/s ({:.2} M per CPU second); total USD {total}",
        events.len(),
        events.len() as f64 / sim_secs / 1e6,
        events.len() as f64 / sim_cpu.max(1e-9) / 1e6
    );

    // What the two parts cost together: reading alone (parseOnly, without the file reads) and
    // the simulator alone. However the work is split over the machine's cores, none of them can
    // go below that many nanoseconds of processor time an event, so it bounds the command line.
    let read_ns = (runs[0].secs - runs[0].read_secs) / runs[0].events.max(1) as f64 * 1e9;
    let sim_ns = sim_secs / events.len().max(1) as f64 * 1e9;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let bound = cores as f64 / (read_ns + sim_ns) * 1e3;
    let cli = runs[3].events as f64 / runs[3].secs / 1e6;
    println!(
        "native bound on {cores} cores: reading alone {read_ns:.0} ns + Simulator::push alone {sim_ns:.0} ns = {:.0} ns an event; no split of that work over {cores} cores beats {bound:.2} million events/s (the command line, read on a second thread, ran at {cli:.2}: {:.0} % of it)",
        read_ns + sim_ns,
        cli / bound * 100.0
    );

    let json = serde_json::json!({
        "events": n,
        "users": users,
        "bytes": bytes,
        "runs": runs.iter().map(|r| serde_json::json!({
            "name": r.name, "seconds": r.secs, "readSeconds": r.read_secs, "events": r.events,
            "eventsPerSecond": r.events as f64 / r.secs,
            "eventsPerCpuSecond": r.events as f64 / r.cpu.max(1e-9), "peakMiB": r.peak_mib,
        })).collect::<Vec<_>>(),
        "simulatorEventsPerSecond": events.len() as f64 / sim_secs,
        "cores": cores,
        "boundEventsPerSecond": bound * 1e6,
    });
    let out = path.with_extension("native.json");
    if std::fs::write(
        &out,
        serde_json::to_string_pretty(&json).unwrap_or_default(),
    )
    .is_ok()
    {
        println!(
            "figures written to target/bench-logs/{}",
            out.file_name().and_then(|f| f.to_str()).unwrap_or("")
        );
    }
}
