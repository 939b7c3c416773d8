//! Property tests: invariants of SPEC checked over generated timelines and scenarios.
//!
//! Each property names the rule it states. Case counts are kept modest (64–256) so that
//! `cargo test` stays fast on a 2-core machine; `PROPTEST_CASES` raises them all at once.

use proptest::prelude::*;
use rust_decimal::Decimal;
use std::str::FromStr;
use waprice::estimate::estimate;
use waprice::markets::Phone;
use waprice::model::{Category, TemplateCategory, VerdictType};
use waprice::pricing::{band, graduated};
use waprice::pricing::{
    Event, EventKind, Options, Reason, Request, Simulation, Status, Verdict, WindowKind,
};
use waprice::scenario::Scenario;
use waprice::time::{Zone, HOUR_MS};
use waprice::{CustomData, Engine};

// ------------------------------------------------------------------ fixtures

thread_local! {
    static ENGINE: Engine = Engine::new().expect("embedded data loads");
    /// The embedded rates with every volume-tier table removed: a per-message card without tiers.
    static TIER_FREE: Engine = Engine::with_data(&CustomData {
        tiers: vec![TIER_HEADER.to_string()],
        replace: true,
        ..CustomData::default()
    })
    .expect("tier-free data loads");
}

const TIER_HEADER: &str = "effective_date,currency,market,category,tier,volume_from,volume_to,rate_type,rate,discount_vs_list,confidence,sources,note\n";

/// Customers in markets that every card of the data prices (USD).
const PHONES: [&str; 8] = [
    "+919812345678",  // India
    "+201001234567",  // Egypt
    "+5511987654321", // Brazil
    "+12025550123",   // North America
    "+6281234567890", // Indonesia
    "+447700900123",  // United Kingdom
    "+4915112345678", // Germany
    "+966501234567",  // Saudi Arabia
];

const SENDERS: [&str; 2] = ["+15550000001", "+15550000002"];

/// Starts of the generated timelines (UTC ms), chosen to sit in or across every era boundary.
fn base(i: usize) -> i64 {
    const DATES: [&str; 10] = [
        "2022-03-10T00:00:00Z", // two-type conversations
        "2023-02-20T00:00:00Z", // across the 72 h FEP switch
        "2023-05-25T00:00:00Z", // across the four-category switch
        "2024-10-25T00:00:00Z", // across free service conversations
        "2025-06-25T00:00:00Z", // across per-message pricing
        "2025-08-01T00:00:00Z", // per-message pricing
        "2026-01-01T00:00:00Z", // per-message pricing, no USD tier table
        "2026-09-25T00:00:00Z", // across paid service and the USD tier tables
        "2026-10-01T00:00:00Z", // paid service
        "2026-11-20T00:00:00Z", // across a month boundary with tiers
    ];
    instant(DATES[i % DATES.len()])
}

/// Bases where the rate cards are per-message (PMP) for at least 40 days after them.
const PMP_BASES: [usize; 4] = [5, 6, 8, 9];

fn instant(s: &str) -> i64 {
    waprice::time::parse_instant(s, "").expect("valid instant")
}

fn phone(s: &str) -> Phone {
    Phone::parse(s, "").expect("valid phone")
}

/// A generated event: a step of half an hour (so that equal instants are common), a user of
/// [`PHONES`], a kind, a status and a sender.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Gen {
    slot: i64,
    user: usize,
    kind: u8,
    status: u8,
    from: u8,
}

fn gen_event(users: usize, slots: i64) -> impl Strategy<Value = Gen> {
    (
        0..slots,
        0..users,
        0u8..8,
        prop_oneof![6 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8)],
        0u8..3,
    )
        .prop_map(|(slot, user, kind, status, from)| Gen {
            slot,
            user,
            kind,
            status,
            from,
        })
}

/// Timelines of up to `max` events over 40 days (1,920 half-hour slots).
fn timeline(max: usize) -> impl Strategy<Value = Vec<Gen>> {
    prop::collection::vec(gen_event(PHONES.len(), 40 * 48), 0..max)
}

/// Timelines whose events share few instants (24 slots), for equal-time re-ordering.
fn crowded_timeline(max: usize) -> impl Strategy<Value = Vec<Gen>> {
    prop::collection::vec(gen_event(PHONES.len(), 24), 0..max)
}

fn to_event(g: &Gen, base: i64) -> Event {
    let business_status = match g.status {
        1 => Status::Failed,
        2 => Status::Sent,
        _ => Status::Delivered,
    };
    let (kind, status) = match g.kind {
        0 => (EventKind::Inbound { referral: false }, Status::Delivered),
        1 => (EventKind::Inbound { referral: true }, Status::Delivered),
        2 => (
            EventKind::Template(TemplateCategory::Marketing),
            business_status,
        ),
        3 => (
            EventKind::Template(TemplateCategory::Utility),
            business_status,
        ),
        4 => (
            EventKind::Template(TemplateCategory::Authentication),
            business_status,
        ),
        5 | 6 => (EventKind::Message, business_status),
        _ => (EventKind::Reaction, business_status),
    };
    Event {
        at: base + g.slot * HOUR_MS / 2,
        user: phone(PHONES[g.user]),
        kind,
        from: match g.from {
            0 => None,
            n => Some(phone(SENDERS[usize::from(n) - 1])),
        },
        status,
    }
}

/// The default options, leaving unpriced (with a `missing_rate` warning) a rate the data lacks: the
/// cards of the data have gaps (no USD authentication row on 2025-07-01, say), and these
/// properties are about the rules, not the completeness of the data.
fn opts() -> Options {
    Options {
        lenient_rates: true,
        ..Options::default()
    }
}

fn request(events: Vec<Event>, options: Options) -> Request {
    Request {
        currency: "USD".to_string(),
        zone: Zone::UTC,
        business: Default::default(),
        options,
        events,
        sources: Default::default(),
    }
}

fn run(engine: &Engine, events: Vec<Event>, options: Options) -> Simulation {
    let n = events.len();
    engine
        .run(&request(events, options))
        .unwrap_or_else(|e| panic!("simulate failed on {n} events: {e}"))
}

fn sim(gens: &[Gen], b: usize) -> Simulation {
    let base = base(b);
    let events = gens.iter().map(|g| to_event(g, base)).collect();
    ENGINE.with(|e| run(e, events, opts()))
}

/// A verdict without what legitimately depends on the rest of the input: its position, the
/// global numbering of conversations and its place in the month's allowance count.
fn normal(v: &Verdict) -> Verdict {
    let mut v = *v;
    v.index = 0;
    if let Some(c) = v.conversation.as_mut() {
        c.id = 0;
    }
    if let Reason::ServiceAllowance { n, .. } | Reason::ServiceCharged { n, .. } = &mut v.reason {
        *n = 0;
    }
    v
}

fn sum(verdicts: &[Verdict]) -> Decimal {
    verdicts.iter().map(|v| v.amount).sum()
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(cases),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ------------------------------------------------------------------ simulate

proptest! {
    #![proptest_config(config(256))]

    /// SPEC §13.17 (no rounding): the total is the exact sum of the message amounts, and so is
    /// every breakdown (by category, market, month); counts add up.
    #[test]
    fn total_is_the_sum_of_message_amounts(gens in timeline(60), b in 0usize..10) {
        let s = sim(&gens, b);
        let business = gens.iter().filter(|g| g.kind >= 2).count();
        prop_assert_eq!(s.verdicts.len(), business);
        prop_assert_eq!(s.totals.amount, sum(&s.verdicts));
        prop_assert_eq!(s.totals.by_category.values().copied().sum::<Decimal>(), s.totals.amount);
        prop_assert_eq!(s.totals.by_market.values().copied().sum::<Decimal>(), s.totals.amount);
        prop_assert_eq!(s.totals.by_month.values().copied().sum::<Decimal>(), s.totals.amount);
        prop_assert_eq!(
            s.totals.charged + s.totals.free + s.totals.not_delivered,
            s.totals.messages
        );
        prop_assert_eq!(s.totals.by_type.iter().sum::<u64>(), s.totals.messages);
        for v in &s.verdicts {
            prop_assert!(v.amount >= Decimal::ZERO, "negative amount {:?}", v);
            // A charged message without a rate is unpriced (lenient options): counted, never 0.
            let unpriced = v.charged && v.rate.is_none();
            prop_assert_eq!(v.charged, v.amount > Decimal::ZERO || v.rate.is_some() || unpriced, "{:?}", v);
            if unpriced {
                prop_assert_eq!(v.amount, Decimal::ZERO);
                prop_assert!(s.totals.unpriced.get(&(v.resolution.market, v.category)).is_some_and(|n| *n > 0), "{:?}", v);
            }
            if !v.charged {
                prop_assert_eq!(v.amount, Decimal::ZERO);
                prop_assert_eq!(v.rate, None);
            }
        }
    }

    /// The windows simulate reports (docs/simulator.md "Output") are the ones its verdicts used:
    /// keeping them changes nothing else; each customer message opens one 24-hour service
    /// window; every entry-point window is opened by the message whose verdict says so, and
    /// every message free in an entry point lies in one of its customer's; every delivered
    /// free-form message lies in one of its customer's service windows.
    #[test]
    fn windows_are_the_ones_the_verdicts_used(gens in timeline(60), b in 0usize..10) {
        let base = base(b);
        let events: Vec<Event> = gens.iter().map(|g| to_event(g, base)).collect();
        let plain = ENGINE.with(|e| run(e, events.clone(), opts()));
        let kept = ENGINE.with(|e| run(e, events.clone(), Options { keep_windows: true, ..opts() }));
        prop_assert!(plain.windows.is_empty());
        prop_assert_eq!(&plain.verdicts, &kept.verdicts);
        prop_assert_eq!(plain.totals.amount, kept.totals.amount);
        let inbound: Vec<u32> = (0..events.len() as u32)
            .filter(|&i| matches!(events[i as usize].kind, EventKind::Inbound { .. }))
            .collect();
        let mut service: Vec<u32> = kept.windows.iter().filter(|w| w.kind == WindowKind::Service).map(|w| w.index).collect();
        service.sort_unstable();
        prop_assert_eq!(service, inbound);
        let inside = |kind: WindowKind, v: &Verdict| kept.windows.iter()
            .any(|w| w.kind == kind && w.user == v.user && w.start <= v.at && v.at < w.end);
        for w in &kept.windows {
            let e = &events[w.index as usize];
            prop_assert_eq!((w.user, w.start), (e.user, e.at));
            match w.kind {
                WindowKind::Service => prop_assert_eq!(w.end - w.start, 24 * HOUR_MS),
                WindowKind::EntryPoint => {
                    let v = kept.verdicts.iter().find(|v| v.index == w.index);
                    let hours = match v.map(|v| v.reason) {
                        Some(Reason::EntryPointOpened { hours }) => hours,
                        other => return Err(TestCaseError::fail(format!("{w:?} opened by {other:?}"))),
                    };
                    prop_assert_eq!(w.end - w.start, i64::from(hours) * HOUR_MS);
                }
            }
        }
        for v in &kept.verdicts {
            if v.vtype == VerdictType::FreeEntryPoint {
                prop_assert!(inside(WindowKind::EntryPoint, v), "{:?} in no entry-point window", v);
            }
            if matches!(v.kind, EventKind::Message | EventKind::Reaction) && v.vtype != VerdictType::NotDelivered {
                prop_assert!(inside(WindowKind::Service, v), "{:?} in no service window", v);
            }
        }
    }

    /// docs/simulator.md decisions 1 and 2: a message that is not delivered (failed, sent, or
    /// free-form without a window) changes no state: removing it leaves every other verdict as is.
    #[test]
    fn an_undelivered_message_changes_nothing_else(gens in timeline(50), b in 0usize..10, pick in any::<prop::sample::Index>()) {
        let with = sim(&gens, b);
        let undelivered: Vec<&Verdict> = with
            .verdicts
            .iter()
            .filter(|v| v.vtype == VerdictType::NotDelivered)
            .collect();
        prop_assume!(!undelivered.is_empty());
        let gone = pick.get(&undelivered).index as usize;
        prop_assert_eq!(undelivered.iter().find(|v| v.index as usize == gone).map(|v| v.amount), Some(Decimal::ZERO));
        let mut fewer = gens.clone();
        fewer.remove(gone);
        let without = sim(&fewer, b);
        let kept: Vec<Verdict> = with
            .verdicts
            .iter()
            .filter(|v| v.index as usize != gone)
            .map(normal)
            .collect();
        let other: Vec<Verdict> = without.verdicts.iter().map(normal).collect();
        prop_assert_eq!(kept, other);
        prop_assert_eq!(with.totals.amount, without.totals.amount);
    }

    /// Under a per-message card without tiers, adding a business message never lowers the total:
    /// a business message opens no customer-service window, and using the service allowance only
    /// makes later messages dearer. Entry points are left out: a message added within 24 h of an
    /// ad-originated inbound opens a free window that can cover a later message which was charged
    /// (SPEC §7; proptest found that case), so there the total may fall.
    #[test]
    fn adding_a_business_message_never_lowers_the_total(
        gens in timeline(50).prop_map(|g| g.into_iter().map(|e| Gen { kind: if e.kind == 1 { 0 } else { e.kind }, ..e }).collect::<Vec<_>>()),
        extra in gen_event(PHONES.len(), 40 * 48),
        kind in 2u8..8,
        b in prop::sample::select(PMP_BASES.to_vec()),
        at in any::<prop::sample::Index>(),
    ) {
        let base = base(b);
        let extra = Gen { kind, ..extra };
        let mut more = gens.clone();
        more.insert(at.index(gens.len() + 1), extra);
        let before = TIER_FREE.with(|e| run(e, gens.iter().map(|g| to_event(g, base)).collect(), opts()));
        let after = TIER_FREE.with(|e| run(e, more.iter().map(|g| to_event(g, base)).collect(), opts()));
        prop_assert!(
            after.totals.amount >= before.totals.amount,
            "total fell from {} to {}", before.totals.amount, after.totals.amount
        );
    }

    /// Windows, conversations and entry points belong to the recipient: when no tier, free tier
    /// or allowance can be crossed, each user's verdicts are the same whether the user is priced
    /// alone or interleaved with every other user.
    #[test]
    fn users_are_independent_when_no_counter_is_crossed(gens in timeline(60), b in 0usize..10) {
        let base = base(b);
        let options = Options { service_allowance: 0, conversation_free_tier: 0, ..opts() };
        let all = TIER_FREE.with(|e| run(e, gens.iter().map(|g| to_event(g, base)).collect(), options.clone()));
        for (user, number) in PHONES.iter().enumerate() {
            let mine: Vec<usize> = (0..gens.len()).filter(|&i| gens[i].user == user).collect();
            let alone = TIER_FREE.with(|e| run(e, mine.iter().map(|&i| to_event(&gens[i], base)).collect(), options.clone()));
            let together: Vec<Verdict> = all
                .verdicts
                .iter()
                .filter(|v| gens[v.index as usize].user == user)
                .map(normal)
                .collect();
            let alone: Vec<Verdict> = alone.verdicts.iter().map(normal).collect();
            prop_assert_eq!(together, alone, "user {}", number);
        }
    }

    /// Events are processed by instant, stably: re-ordering the input so that equal-time events of
    /// different users change places (each user's own order kept) changes no verdict.
    #[test]
    fn reordering_equal_time_events_of_different_users_changes_nothing(
        gens in crowded_timeline(60),
        b in 0usize..10,
        ranks in Just((0..PHONES.len()).collect::<Vec<usize>>()).prop_shuffle(),
    ) {
        let mut order: Vec<usize> = (0..gens.len()).collect();
        order.sort_by_key(|&i| ranks[gens[i].user]);
        let shuffled: Vec<Gen> = order.iter().map(|&i| gens[i]).collect();
        let a = sim(&gens, b);
        let c = sim(&shuffled, b);
        prop_assert_eq!(a.totals.amount, c.totals.amount);
        let mut by_original: Vec<(usize, Verdict)> = c
            .verdicts
            .iter()
            .map(|v| (order[v.index as usize], normal(v)))
            .collect();
        by_original.sort_by_key(|(i, _)| *i);
        let expected: Vec<(usize, Verdict)> =
            a.verdicts.iter().map(|v| (v.index as usize, normal(v))).collect();
        prop_assert_eq!(expected, by_original);
    }

    /// SPEC §5: every charged message is charged the rate in force for its market, category and
    /// local date (`Engine::rate`), or the band rate of the tier table in force when tiered; the
    /// amount of a charged message is that rate.
    #[test]
    fn every_charge_is_the_rate_in_force(gens in timeline(60), b in 0usize..10) {
        let s = sim(&gens, b);
        ENGINE.with(|engine| -> Result<(), TestCaseError> {
            for v in s.verdicts.iter().filter(|v| v.charged) {
                // No rate: unpriced (lenient options), with no row in force and a `missing_rate` warning.
                let rate = v.rate.unwrap_or(Decimal::ZERO);
                prop_assert_eq!(v.amount, rate, "{:?}", v);
                let market = engine.markets.name(v.resolution.market).to_string();
                match v.tier {
                    None => {
                        let listed = engine
                            .rate(v.at, &Zone::UTC, "USD", &market, v.category.as_str())
                            .or_else(|e| {
                                if v.category == Category::Service {
                                    // SPEC §13.11: service falls back to the utility list rate.
                                    engine.rate(v.at, &Zone::UTC, "USD", &market, "utility")
                                } else {
                                    Err(e)
                                }
                            });
                        match listed {
                            Ok(r) => prop_assert_eq!(v.rate, Some(Decimal::from_str(&r.rate).unwrap()), "{:?}", v),
                            // Unpriced, with a `missing_rate` warning (lenient options).
                            Err(e) => {
                                prop_assert_eq!(e.code, waprice::ErrorCode::MissingRate);
                                prop_assert_eq!(v.rate, None, "{:?}", v);
                                prop_assert!(s.warnings.iter().any(|w| w.code == "missing_rate"));
                            }
                        }
                    }
                    Some(tier) => {
                        let book = engine.rates.currency("USD").expect("USD book");
                        let table = engine
                            .rates
                            .tier_table(book, v.resolution.market, v.category, v.local_date)
                            .expect("a tiered message has a table in force");
                        let band = table
                            .bands
                            .iter()
                            .map(|&i| &engine.rates.tier_rows[i as usize])
                            .find(|r| r.tier == tier)
                            .expect("the band exists");
                        prop_assert_eq!(rate, band.rate, "{:?}", v);
                    }
                }
            }
            Ok(())
        })?;
    }
}

// ------------------------------------------------------------------ volume tiers

/// A tier table as (from, to, rate in ten-thousandths) bands; `to` of the last band may be open.
fn tier_table() -> impl Strategy<Value = Vec<(u64, Option<u64>, u32)>> {
    (
        0u64..3,
        prop::collection::vec((1u64..400, 0u64..50, 1u32..500), 1..6),
        any::<bool>(),
    )
        .prop_map(|(first, widths, open)| {
            let mut from = first;
            let n = widths.len();
            let mut bands = Vec::new();
            for (k, (width, gap, rate)) in widths.into_iter().enumerate() {
                let to = from + width - 1;
                bands.push((from, (k + 1 < n || !open).then_some(to), rate));
                from = to + 1 + gap;
            }
            bands
        })
}

/// The graduated cost of `n` messages walked band by band (an oracle written apart from
/// `pricing::graduated`): each band prices the messages from `k` to its end or to the start of
/// the next band, whichever comes first.
fn band_walk(engine: &Engine, table: &waprice::rates::TierTable, n: u64) -> Option<Decimal> {
    let rows = &engine.rates.tier_rows;
    let mut total = Decimal::ZERO;
    let mut k = 1;
    while k <= n {
        let b = band(&engine.rates, table, k)?;
        let next_start = table
            .bands
            .iter()
            .map(|&i| rows[i as usize].from)
            .filter(|&f| f > k)
            .min();
        let band_end = match (b.to.filter(|&t| t >= k), next_start) {
            (Some(t), Some(s)) => t.min(s - 1),
            (Some(t), None) => t,
            (None, Some(s)) => s - 1,
            (None, None) => u64::MAX,
        };
        let end = band_end.min(n);
        total = total.checked_add(b.rate.checked_mul(Decimal::from(end - k + 1))?)?;
        k = end.checked_add(1)?;
    }
    Some(total)
}

fn tier_engine(bands: &[(u64, Option<u64>, u32)]) -> Engine {
    let mut csv = TIER_HEADER.to_string();
    for (k, (from, to, rate)) in bands.iter().enumerate() {
        let to = to.map_or(String::new(), |t| t.to_string());
        let rate = Decimal::new(i64::from(*rate), 4);
        csv.push_str(&format!(
            "2026-10-01,XTS,India,utility,{},{from},{to},Tier rate,{rate},,low,S,\n",
            k + 1
        ));
    }
    Engine::with_data(&CustomData {
        tiers: vec![csv],
        ..CustomData::default()
    })
    .expect("generated tiers load")
}

proptest! {
    #![proptest_config(config(128))]

    /// docs/simulator.md decision 8 and SPEC §8: the graduated cost of n messages is Σ band rate ×
    /// messages in the band, the same on counts (`pricing::graduated`, the estimate's), message
    /// by message (`pricing::band`, the simulator's) and band by band (`band_walk`, below).
    #[test]
    fn graduated_cost_is_the_sum_over_bands(bands in tier_table(), n in 0u64..3000, big in 0u64..1_000_000_000_000) {
        let engine = tier_engine(&bands);
        let book = engine.rates.currency("XTS").expect("XTS book");
        let india = engine.markets.id("India").expect("India");
        let date = waprice::time::ymd(2026, 10, 15);
        let table = engine.rates.tier_table(book, india, Category::Utility, date).expect("table");
        let by_message: Decimal = (1..=n).map(|k| band(&engine.rates, table, k).expect("band").rate).sum();
        prop_assert_eq!(band_walk(&engine, table, n), Some(by_message));
        prop_assert_eq!(graduated(&engine.rates, table, Decimal::from(n)).expect("no overflow"), by_message);
        prop_assert_eq!(
            graduated(&engine.rates, table, Decimal::from(big)).ok(),
            band_walk(&engine, table, big)
        );
    }
}

// ------------------------------------------------------------------ estimates

const COUNTRIES: [&str; 8] = ["IN", "EG", "BR", "US", "ID", "GB", "DE", "SA"];
const DATES: [&str; 7] = [
    "2022-06-15",
    "2023-09-10",
    "2024-12-05",
    "2025-08-20",
    "2026-03-01",
    "2026-10-10",
    "2026-12-01",
];

fn journey() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::json;
    let step = (
        0u32..120,
        0u8..7,
        prop_oneof![5 => Just("delivered"), 1 => Just("failed"), 1 => Just("sent")],
    )
        .prop_map(|(h, k, status)| match k {
            0 => json!({ "afterHours": h, "kind": "inbound" }),
            1 => json!({ "afterHours": h, "kind": "inbound", "referral": "ctwa" }),
            2 => json!({ "afterHours": h, "kind": "template", "category": "marketing", "status": status }),
            3 => json!({ "afterHours": h, "kind": "template", "category": "utility", "status": status }),
            4 => json!({ "afterHours": h, "kind": "template", "category": "authentication", "status": status }),
            5 => json!({ "afterHours": h, "kind": "message", "status": status }),
            _ => json!({ "afterHours": h, "kind": "reaction", "status": status }),
        });
    prop_oneof![
        (
            prop::sample::select(vec![
                "marketing_campaign",
                "order_lifecycle",
                "otp_login",
                "support",
                "ad_lead"
            ]),
            1u32..4
        )
            .prop_map(|(p, t)| json!({ "preset": p, "timesPerMonth": t })),
        (prop::collection::vec(step, 1..5), 1u32..4)
            .prop_map(|(steps, t)| json!({ "steps": steps, "timesPerMonth": t })),
    ]
}

proptest! {
    #![proptest_config(config(64))]

    /// docs/estimate.md: for a small audience, the estimate equals the simulation of its expanded
    /// journeys (every contact of every country given its own number and its own timeline per
    /// journey, all in one simulation).
    #[test]
    fn an_estimate_equals_the_simulation_of_its_journeys(
        mix in prop::collection::btree_map(prop::sample::select(COUNTRIES.to_vec()), 1u32..6, 1..4),
        journeys in prop::collection::vec(journey(), 1..4),
        date in prop::sample::select(DATES.to_vec()),
    ) {
        let contacts: u32 = mix.values().sum();
        let scenario: Scenario = serde_json::from_value(serde_json::json!({
            "business": { "date": date },
            "audience": {
                "contacts": contacts,
                "mix": mix.iter().map(|(c, n)| serde_json::json!({ "country": c, "count": n })).collect::<Vec<_>>(),
            },
            "journeys": journeys,
        })).expect("scenario shape");
        ENGINE.with(|engine| -> Result<(), TestCaseError> {
            let est = estimate(engine, &scenario, None).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let plan = scenario.plan(engine, None).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let mut events = Vec::new();
            for (j, pj) in plan.journeys.iter().enumerate() {
                prop_assert_eq!(pj.cohorts.len(), 1);
                prop_assert_eq!(pj.cohorts[0].weight, Decimal::ONE);
                for seg in &plan.segments {
                    let n = u64::try_from(seg.contacts.trunc().mantissa()).expect("whole contacts");
                    prop_assert_eq!(Decimal::from(n), seg.contacts);
                    for i in 0..n {
                        let user = Phone { value: seg.phone.value + j as u64 * 10 + i, ..seg.phone };
                        events.extend(plan.events(&pj.cohorts[0], user));
                    }
                }
            }
            let req = Request {
                currency: plan.currency.clone(),
                zone: plan.zone.clone(),
                business: plan.business.clone(),
                options: plan.options.clone(),
                events,
                sources: Default::default(),
            };
            let s = engine.run(&req).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let total = Decimal::from_str(&est.total).expect("decimal total");
            prop_assert_eq!(total, s.totals.amount, "estimate {} vs simulation {}", est.total, s.totals.amount);
            Ok(())
        })?;
    }
}
