//! What changed between the dates of a comparison, with each change's effect (docs/estimate.md,
//! "What changed"): one rule's effect computed by hand, and the effects summing exactly to the
//! difference of the totals.

mod common;
use common::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use waprice::estimate::{compare, Change, Changes, Comparison};
use waprice::scenario::Scenario;
use waprice::time::parse_date;

fn cmp(v: Value, dates: &[&str]) -> Comparison {
    let s: Scenario = serde_json::from_value(v).expect("scenario shape");
    let d: Vec<_> = dates.iter().map(|d| parse_date(d, "").unwrap()).collect();
    compare(&engine(), &s, &d).unwrap_or_else(|e| panic!("compare failed: {e}"))
}

fn find<'a>(c: &'a Changes, code: &str) -> &'a Change {
    c.changes
        .iter()
        .find(|x| x.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:#?}", c.changes))
}

/// Σ effects = the pair's total = total(to) − total(from); every entry without an effect is
/// grouped by the `combined_change` that follows it.
fn check_sums(c: &Comparison) {
    assert_eq!(c.changes.len(), c.dates.len() - 1);
    for (i, ch) in c.changes.iter().enumerate() {
        let sum: Decimal = ch
            .changes
            .iter()
            .filter_map(|x| x.effect.as_deref())
            .map(dec)
            .sum();
        let diff = dec(&c.estimates[i + 1].total) - dec(&c.estimates[i].total);
        assert_eq!(dec(&ch.total), diff, "{} → {}", ch.from, ch.to);
        assert_eq!(sum, diff, "{} → {}: {:#?}", ch.from, ch.to, ch.changes);
        let mut pending: Vec<&str> = Vec::new();
        for x in &ch.changes {
            match (&x.effect, x.code) {
                (None, code) => pending.push(code),
                (Some(_), "combined_change") => {
                    assert!(pending.len() > 1, "{x:?}");
                    assert_eq!(x.params.get("changes").unwrap(), pending.join(", "));
                    pending.clear();
                }
                (Some(_), _) => assert!(pending.is_empty(), "{:#?}", ch.changes),
            }
            assert!(!x.message.is_empty(), "{x:?}");
        }
        assert!(pending.is_empty(), "ungrouped: {pending:?}");
    }
}

fn support(contacts: u32) -> Value {
    json!({
        "audience": { "contacts": contacts, "mix": [{ "country": "IN", "share": 100 }] },
        "journeys": [{ "preset": "support", "params": { "agentReplies": 3, "customerMessages": 3, "chatHours": 1 } }],
    })
}

/// 1,600 Indian customers open one support chat a month (3 customer messages, 3 agent replies).
/// June 2023 (SPEC §7.2; Meta's pricing page, updated 2026-07-01, on the 2023-06 categories and
/// the free service conversations from 2024-11-01): 1,600 service conversations, the first 1,000
/// free, 600 × 0.004 = 2.40; from 2024-11-01 they are free: −2.40. July 2026: nothing charged.
/// January 2027 (SPEC §7.4; Meta's pricing page, updated 2026-09-30): 4,800 agent replies, 1,000
/// free for the one number, 3,800 × 0.0014 = 5.32, the effect of the service rule of 2026-10-01.
#[test]
fn service_rules_by_hand_june_2023_july_2026_january_2027() {
    let c = cmp(support(1600), &["2023-06-15", "2026-07-15", "2027-01-15"]);
    check_sums(&c);
    let free = find(&c.changes[0], "rule_free_service_conversations");
    assert_eq!(free.effect.as_deref().map(dec), Some(dec("-2.4")));
    assert_eq!(free.params.get("date").unwrap(), "2024-11-01");
    let paid = find(&c.changes[1], "rule_service_charged");
    assert_eq!(paid.effect.as_deref().map(dec), Some(dec("5.32")));
    assert_eq!(paid.params.get("date").unwrap(), "2026-10-01");
    assert_eq!(paid.params.get("allowance").unwrap(), "1000");
    assert_eq!(
        paid.message,
        "from 2026-10-01 service messages beyond 1000 a month per business number are charged"
    );
    // The per-message rule of 2025-07-01 is crossed and changes nothing for free-form chats.
    let pm = find(&c.changes[0], "rule_per_message");
    assert_eq!(pm.effect.as_deref().map(dec), Some(dec("0")));
    // The rules of 2026-10-01 about utility templates cannot touch a scenario without any.
    assert!(c.changes[1]
        .changes
        .iter()
        .all(|x| x.code != "rule_utility_in_window_charged"));
}

/// The same dates in the other order: the same changes, the effects negated.
#[test]
fn dates_in_reverse_order_negate_the_effects() {
    let fwd = cmp(support(1600), &["2026-07-15", "2027-01-15"]);
    let back = cmp(support(1600), &["2027-01-15", "2026-07-15"]);
    check_sums(&back);
    let (f, b) = (&fwd.changes[0].changes, &back.changes[0].changes);
    assert_eq!(f.len(), b.len());
    for (x, y) in f.iter().zip(b) {
        assert_eq!(x.code, y.code);
        assert_eq!(
            x.effect.as_deref().map(dec),
            y.effect.as_deref().map(|e| -dec(e))
        );
    }
    let same = cmp(support(1600), &["2026-07-15", "2026-07-20"]);
    assert!(same.changes[0].changes.is_empty());
}

/// A card change alone (India marketing on the USD card of 2026-01-01, 0.0107 → 0.0118, data/
/// rates, source in data/PROVENANCE.md) is priced on its own line: charged × (new − old).
#[test]
fn a_card_change_alone_with_its_rates() {
    let c = cmp(
        json!({
            "audience": { "contacts": 1000, "mix": [{ "country": "IN", "share": 100 }] },
            "journeys": [{ "preset": "marketing_campaign" }],
        }),
        &["2025-12-15", "2026-01-15"],
    );
    check_sums(&c);
    let ch = &c.changes[0].changes;
    assert_eq!(ch.len(), 1, "{ch:#?}");
    let x = &ch[0];
    assert_eq!(x.code, "card_rate");
    assert_eq!(x.params.get("market").unwrap(), "India");
    assert_eq!(x.params.get("category").unwrap(), "marketing");
    assert_eq!(x.params.get("date").unwrap(), "2026-01-01");
    let (old, new) = (
        dec(x.params.get("old").unwrap()),
        dec(x.params.get("new").unwrap()),
    );
    assert_eq!((old, new), (dec("0.0107"), dec("0.0118")));
    assert_eq!(x.params.get("percent").unwrap(), "10.3");
    let charged = dec(&c.estimates[1].meta.lines[0].charged);
    assert_eq!(dec(x.effect.as_deref().unwrap()), charged * (new - old));
    assert_eq!(
        x.message,
        "card of 2026-01-01: India marketing 0.0107 → 0.0118 USD (+10.3 %)"
    );
}

/// A business with every kind of traffic in two markets, over dates from 2022 to 2027 in any
/// order: the effects always sum to the difference of the totals.
#[test]
fn effects_sum_exactly_to_the_difference() {
    let s = json!({
        "business": { "country": "CN", "authInternational": { "ID": "2024-06-01" } },
        "audience": { "contacts": 2000, "mix": [{ "country": "BR", "share": 60 }, { "country": "ID", "share": 40 }] },
        "journeys": [
            { "preset": "support", "params": { "agentReplies": 3, "customerMessages": 3, "chatHours": 1 } },
            { "preset": "order_lifecycle", "params": { "writesFirstShare": 50 } },
            { "preset": "marketing_campaign" },
            { "preset": "otp_login" },
            { "preset": "ad_lead" }
        ],
        "reseller": { "markupPercent": { "all": 10 }, "perOutbound": "0.001" },
    });
    let c = cmp(
        s.clone(),
        &[
            "2023-06-15",
            "2026-07-15",
            "2027-01-15",
            "2022-03-10",
            "2025-06-30",
            "2026-10-01",
        ],
    );
    check_sums(&c);
    let codes: Vec<&str> = c
        .changes
        .iter()
        .flat_map(|c| c.changes.iter().map(|x| x.code))
        .collect();
    for code in [
        "rule_per_message",
        "rule_free_entry_point_72h",
        "auth_international_eligible",
        "combined_change",
    ] {
        assert!(codes.contains(&code), "{code} missing: {codes:?}");
    }
}
