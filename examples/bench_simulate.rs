//! Benchmark: prices pre-parsed events natively and prints events per second.
//!
//! `cargo run --release --example bench_simulate [events] [users] [none|all]` (default 10,000,000
//! events, 1,000,000 users, one month of 2026-10 in four markets; both `none` and `all`, that is
//! totals only and every verdict kept, unless one is named).

use std::time::Instant;
use waprice::markets::Phone;
use waprice::model::TemplateCategory;
use waprice::pricing::{Event, EventKind, Options, Request, Status};
use waprice::time::{parse_instant, Zone};
use waprice::Engine;

/// A small deterministic generator (xorshift).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n = *args.first().unwrap_or(&10_000_000) as usize;
    let users = *args.get(1).unwrap_or(&1_000_000);
    let engine = Engine::new().expect("embedded data");
    let start = parse_instant("2026-10-01T00:00:00Z", "").unwrap();
    let month = 30 * 86_400_000i64;
    let prefixes = ["+9198", "+5511", "+6281", "+2010"];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut events = Vec::with_capacity(n);
    for i in 0..n {
        let u = rng.next() % users;
        let user = Phone::parse(&format!("{}{:08}", prefixes[(u % 4) as usize], u), "").unwrap();
        let kind = match rng.next() % 10 {
            0..=2 => EventKind::Inbound {
                referral: rng.next() % 50 == 0,
            },
            3 | 4 => EventKind::Message,
            5 => EventKind::Template(TemplateCategory::Marketing),
            6 | 7 => EventKind::Template(TemplateCategory::Utility),
            8 => EventKind::Template(TemplateCategory::Authentication),
            _ => EventKind::Reaction,
        };
        let status = if rng.next() % 40 == 0 {
            Status::Failed
        } else {
            Status::Delivered
        };
        events.push(Event {
            at: start + (i as i64) * month / n as i64,
            user,
            kind,
            from: None,
            status,
        });
    }
    let modes: Vec<bool> = match std::env::args().nth(3).as_deref() {
        Some("none") => vec![false],
        Some("all") => vec![true],
        _ => vec![false, true],
    };
    for keep in modes {
        let req = Request {
            currency: "USD".into(),
            zone: Zone::UTC,
            business: Default::default(),
            options: Options {
                keep_messages: keep,
                ..Options::default()
            },
            events: events.clone(),
            sources: Default::default(),
        };
        let t = Instant::now();
        let sim = engine.run(&req).expect("simulation");
        let secs = t.elapsed().as_secs_f64();
        println!(
            "native simulate ({} verdicts kept): {n} events, {users} users in {secs:.3} s = {:.1} million events/s; total USD {}",
            if keep { "all" } else { "no" },
            n as f64 / secs / 1e6,
            sim.totals.amount.normalize()
        );
    }
}
