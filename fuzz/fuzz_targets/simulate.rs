//! `simulate` on arbitrary event lists: a 7-byte header picks the era, zone, currency and options;
//! every 6 bytes after it are one event (time step, user, kind, status, sender). A simulation
//! either fails with an error or prices every business event, its total the sum of its messages.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;
use waprice::markets::Phone;
use waprice::model::TemplateCategory;
use waprice::pricing::{AllowanceScope, Event, EventKind, Options, Request, Status};
use waprice::time::{Zone, DAY_MS, MAX_INSTANT, MIN_INSTANT};
use waprice::Engine;

thread_local! {
    static ENGINE: Engine = Engine::new().expect("embedded data loads");
}

const USERS: [&str; 12] = [
    "+919812345678",
    "+201001234567",
    "+5511987654321",
    "+12025550123",
    "+12425550123", // Bahamas: unlisted NANP
    "+77012345678", // Kazakhstan
    "+79161234567", // Russia
    "+6281234567890",
    "+447700900123",
    "+9995551234", // no market row
    "+1234567",
    "+999999999999999",
];
const BASES: [i64; 8] = [
    1_643_673_600_000, // 2022-02-01
    1_677_628_800_000, // 2023-03-01
    1_685_577_600_000, // 2023-06-01
    1_730_419_200_000, // 2024-11-01
    1_751_328_000_000, // 2025-07-01
    1_790_812_800_000, // 2026-10-01
    1_830_297_600_000, // 2028-01-01
    1_000_000_000_000, // 2001-09-09: unsupported
];

fuzz_target!(|data: &[u8]| {
    if data.len() < 7 {
        return;
    }
    let (h, body) = data.split_at(7);
    let zone = match h[1] % 4 {
        0 => Zone::UTC,
        1 => Zone::Fixed(19_800),
        2 => Zone::Fixed(-50_400),
        _ => Zone::Fixed(46_800),
    };
    let currency = ["USD", "INR", "BRL", "EUR", "XYZ", "COP"][usize::from(h[2]) % 6];
    let options = Options {
        fep_hours: 1 + u32::from(h[3]) * 3,
        service_allowance: u64::from(h[4] % 4),
        conversation_free_tier: u64::from(h[5] % 4),
        nonprofit: h[6] & 1 != 0,
        allowance_scope: if h[6] & 2 != 0 {
            AllowanceScope::Waba
        } else {
            AllowanceScope::Number
        },
        keep_messages: h[6] & 4 == 0,
        lenient_rates: h[6] & 8 != 0,
        ..Options::default()
    };
    let mut t = BASES[usize::from(h[0]) % BASES.len()];
    let mut events = Vec::new();
    for c in body.chunks_exact(6) {
        let step = i64::from(i16::from_le_bytes([c[0], c[1]]));
        t = (t + if step % 7 == 0 {
            step * DAY_MS
        } else {
            step * 60_000
        })
        .clamp(MIN_INSTANT, MAX_INSTANT);
        let status = match c[4] % 5 {
            3 => Status::Failed,
            4 => Status::Sent,
            _ => Status::Delivered,
        };
        let kind = match c[3] % 8 {
            0 => EventKind::Inbound { referral: false },
            1 => EventKind::Inbound { referral: true },
            2 => EventKind::Template(TemplateCategory::Marketing),
            3 => EventKind::Template(TemplateCategory::Utility),
            4 => EventKind::Template(TemplateCategory::Authentication),
            5 | 6 => EventKind::Message,
            _ => EventKind::Reaction,
        };
        let user = Phone::parse(USERS[usize::from(c[2]) % USERS.len()], "").unwrap();
        let from = match c[5] % 3 {
            0 => None,
            n => Some(Phone::parse(USERS[usize::from(n) + 8], "").unwrap()),
        };
        events.push(Event {
            at: t,
            user,
            kind,
            from,
            status,
        });
    }
    let business_events = events
        .iter()
        .filter(|e| !matches!(e.kind, EventKind::Inbound { .. }))
        .count();
    let req = Request {
        currency: currency.to_string(),
        zone,
        business: Default::default(),
        options,
        events,
        sources: Default::default(),
    };
    ENGINE.with(|engine| {
        if let Ok(sim) = engine.run(&req) {
            assert_eq!(sim.totals.messages as usize, business_events);
            if req.options.keep_messages {
                assert_eq!(sim.verdicts.len(), business_events);
                let sum: Decimal = sim.verdicts.iter().map(|v| v.amount).sum();
                assert_eq!(sum, sim.totals.amount);
            }
        }
    });
});
