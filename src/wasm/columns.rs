//! The event columns that `pack.js` writes (the binding's fast path for `simulate`): a request's
//! events as columns of numbers and string ids instead of JSON text, decoded here into the same
//! events, with the same first error, as the JSON path (`crate::input`) reads.
//!
//! Compiled natively too (for its tests only): it names nothing of JavaScript.

use crate::error::{Error, ErrorCode, Result};
use crate::input::{resolve_at, resolve_business, resolve_user, RawEvents, RawInstant};
use crate::markets::Phone;
use crate::pricing::{Event, EventKind, Status};
use rustc_hash::FxHashMap;
use std::borrow::Cow;

/// Fields of an event in the order of the columns of [`from_columns`].
pub const EVENT_COLUMNS: [&str; 7] = [
    "at", "user", "kind", "category", "referral", "from", "status",
];

/// Resolves events given as columns rather than as JSON text, exactly as their JSON would be
/// (same events, same first error):
/// - `at[i]` is the instant of event `i` in epoch milliseconds, or NaN when it is text or
///   missing;
/// - `users[i]` is the digits of its customer's number when that is a strict E.164 number,
///   else NaN (the field is then text or missing);
/// - `ids[i * 7 + f]` is 0 when field `f` (of [`EVENT_COLUMNS`]) is missing (or, for `user`,
///   given in `users`), else 1 + the index of its text in `strings`.
///
/// Each distinct text number is parsed once, and each distinct combination of the other
/// fields (kind, category, referral, from, status) is resolved once.
pub fn from_columns(at: &[f64], users: &[f64], ids: &[u32], strings: &[&str]) -> Result<RawEvents> {
    let width = EVENT_COLUMNS.len();
    let bad = |why: &str| {
        Error::coded(
            ErrorCode::InvalidInput,
            "event_columns",
            "events",
            format!("invalid event columns: {why}"),
        )
    };
    if users.len() != at.len() || ids.len() != at.len().saturating_mul(width) {
        return Err(bad(
            "the user and id columns do not have 1 and 7 entries per instant",
        ));
    }
    let text = |id: u32| -> Result<Option<&str>> {
        match id {
            0 => Ok(None),
            n => strings
                .get(n as usize - 1)
                .map(|s| Some(*s))
                .ok_or_else(|| bad("a string id is outside the table")),
        }
    };
    let mut out = RawEvents {
        events: Vec::with_capacity(at.len().min(crate::pricing::MAX_EVENTS + 1)),
        ..RawEvents::default()
    };
    let mut phones: Vec<Option<Phone>> = vec![None; strings.len()];
    // The resolved combinations of the other fields, found by their ids through a small
    // direct-mapped cache (a few kinds and categories alternate), then a map.
    type Key = (u64, u64, u32);
    let mut business: Vec<Result<(EventKind, Option<Phone>, Status)>> = Vec::new();
    let mut index_of: FxHashMap<Key, u32> = FxHashMap::default();
    let mut recent: [(Key, u32); 64] = [((u64::MAX, u64::MAX, u32::MAX), 0); 64];
    for ((&ms, &digits), f) in at.iter().zip(users).zip(ids.chunks_exact(width)) {
        if out.error.is_some() {
            break;
        }
        let instant = match (ms.is_nan(), text(f[0])?) {
            (false, _) => Some(RawInstant::Millis(ms)),
            (true, Some(t)) => Some(RawInstant::Text(Cow::Borrowed(t))),
            (true, None) => None,
        };
        // The customer: digits that pack.js read from a strict E.164 number (exact
        // integers), or text.
        let (user_digits, user_text) = if digits.is_nan() {
            (None, text(f[1])?)
        } else {
            let p = (digits.fract() == 0.0 && (0.0..1e15).contains(&digits))
                .then_some(digits as u64)
                .and_then(Phone::from_value)
                .ok_or_else(|| bad("a customer number in the user column is not E.164"))?;
            (Some(p), None)
        };
        let key: Key = (
            u64::from(f[2]) << 32 | u64::from(f[3]),
            u64::from(f[4]) << 32 | u64::from(f[5]),
            f[6],
        );
        let h = (f[2] ^ f[3].rotate_left(5) ^ f[4].rotate_left(10) ^ f[5].rotate_left(15))
            .wrapping_add(f[6].rotate_left(20)) as usize
            & (recent.len() - 1);
        let k = match recent[h] {
            (seen, k) if seen == key => k,
            _ => {
                let k = match index_of.get(&key) {
                    Some(&k) => k,
                    None => {
                        // Read (and their ids checked) once per combination.
                        let fields = [
                            text(f[2])?,
                            text(f[3])?,
                            text(f[4])?,
                            text(f[5])?,
                            text(f[6])?,
                        ];
                        business.push(resolve_business(fields, &mut Phone::parse));
                        let k = business.len() as u32 - 1;
                        index_of.insert(key, k);
                        k
                    }
                };
                recent[h] = (key, k);
                k
            }
        };
        // Resolved in the order of `RawEvent::resolve_fields`, so that the first error is
        // the same.
        let resolved = (|| {
            let at = resolve_at(instant.as_ref())?;
            let user = match user_digits {
                Some(p) => p,
                None => resolve_user(user_text, &mut |t, field| {
                    memo_phone(&mut phones, f[1], t, field)
                })?,
            };
            let (kind, from, status) = business[k as usize].clone()?;
            Ok(Event {
                at,
                user,
                kind,
                from,
                status,
            })
        })()
        .map_err(|e: Error| e.under(&format!("events[{}]", out.events.len())));
        out.take(resolved);
    }
    Ok(out)
}

/// A text number of the columns, parsed once per distinct string (`id` is 1 + its index).
fn memo_phone(phones: &mut [Option<Phone>], id: u32, text: &str, field: &str) -> Result<Phone> {
    match phones.get(id.wrapping_sub(1) as usize).copied().flatten() {
        Some(p) => Ok(p),
        None => {
            let p = Phone::parse(text, field)?;
            if let Some(slot) = phones.get_mut(id.wrapping_sub(1) as usize) {
                *slot = Some(p);
            }
            Ok(p)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::from_json;
    use proptest::prelude::*;

    // Field values, valid and not, that the property below combines (None: the key is absent).
    const ATS: [Option<&str>; 6] = [
        Some("ms:1791288000000"),
        Some("ms:1.5"),
        Some("2026-10-01T00:00:00Z"),
        Some("2026-10-01T02:00:00+05:30"),
        Some("garbage"),
        None,
    ];
    const USERS: [Option<&str>; 7] = [
        Some("+919812345678"),
        Some("+15550001111"),
        Some("+1234567"),
        Some("+123"),
        Some("919812345678"),
        Some("+0123456789"),
        None,
    ];
    const KINDS: [Option<&str>; 6] = [
        Some("inbound"),
        Some("template"),
        Some("message"),
        Some("reaction"),
        Some("bogus"),
        None,
    ];
    const CATEGORIES: [Option<&str>; 5] = [
        Some("marketing"),
        Some("utility"),
        Some("authentication"),
        Some("x"),
        None,
    ];
    const REFERRALS: [Option<&str>; 5] = [Some("ctwa"), Some("none"), Some(""), Some("ad"), None];
    const FROMS: [Option<&str>; 4] = [Some("+15550001111"), Some("+0123"), Some("12345"), None];
    const STATUSES: [Option<&str>; 6] = [
        Some("delivered"),
        Some("read"),
        Some("failed"),
        Some("sent"),
        Some("nope"),
        None,
    ];

    type Fields = [Option<&'static str>; 7];

    /// The events as JSON text, read by the JSON path.
    fn by_json(events: &[Fields]) -> RawEvents {
        let list: Vec<serde_json::Value> = events
            .iter()
            .map(|f| {
                let mut o = serde_json::Map::new();
                for (name, v) in EVENT_COLUMNS.iter().zip(f) {
                    if let Some(v) = v {
                        let value = match v.strip_prefix("ms:") {
                            Some(n) => serde_json::json!(n.parse::<f64>().unwrap()),
                            None => serde_json::json!(v),
                        };
                        o.insert(name.to_string(), value);
                    }
                }
                serde_json::Value::Object(o)
            })
            .collect();
        let text = serde_json::to_vec(&list).unwrap();
        from_json(&text, "events").unwrap()
    }

    /// The events as columns, written as pack.js writes them.
    fn by_columns(events: &[Fields]) -> RawEvents {
        let (mut at, mut users, mut ids, mut strings) = (vec![], vec![], vec![], vec![]);
        for f in events {
            let mut row = [0u32; 7];
            let mut intern = |s: &'static str| {
                let k = strings.iter().position(|&t| t == s).unwrap_or_else(|| {
                    strings.push(s);
                    strings.len() - 1
                });
                k as u32 + 1
            };
            at.push(match f[0] {
                Some(v) if v.starts_with("ms:") => v[3..].parse().unwrap(),
                Some(v) => {
                    row[0] = intern(v);
                    f64::NAN
                }
                None => f64::NAN,
            });
            users.push(match f[1].map(|u| (u, Phone::parse(u, ""))) {
                Some((_, Ok(p))) => p.value as f64,
                Some((u, Err(_))) => {
                    row[1] = intern(u);
                    f64::NAN
                }
                None => f64::NAN,
            });
            for c in 2..7 {
                row[c] = f[c].map_or(0, &mut intern);
            }
            ids.extend(row);
        }
        from_columns(&at, &users, &ids, &strings).unwrap()
    }

    fn fields() -> impl Strategy<Value = Fields> {
        (
            prop::sample::select(&ATS[..]),
            prop::sample::select(&USERS[..]),
            prop::sample::select(&KINDS[..]),
            prop::sample::select(&CATEGORIES[..]),
            prop::sample::select(&REFERRALS[..]),
            prop::sample::select(&FROMS[..]),
            prop::sample::select(&STATUSES[..]),
        )
            .prop_map(|(a, u, k, c, r, f, s)| [a, u, k, c, r, f, s])
    }

    /// Mostly valid events (the first index of each pool is valid), so that errors come late in
    /// a list and after many memoised resolutions.
    fn mostly_valid() -> impl Strategy<Value = Fields> {
        prop_oneof![9 => Just([ATS[0], USERS[0], KINDS[0], None, None, None, None]),
            9 => (0..3usize, 0..4usize, 0..3usize, 0..4usize).prop_map(|(u, k, c, s)| [
                ATS[2], USERS[u], KINDS[k], (k == 1).then_some(CATEGORIES[c]).flatten(),
                None, FROMS[0], STATUSES[s]]),
            1 => fields()]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Columns resolve to the events, and the first error, of the same events as JSON.
        #[test]
        fn columns_agree_with_json(events in prop::collection::vec(fields(), 0..12)) {
            prop_assert_eq!(by_columns(&events), by_json(&events));
        }

        /// The same, on longer lists of mostly valid events.
        #[test]
        fn columns_agree_with_json_late_errors(events in prop::collection::vec(mostly_valid(), 0..60)) {
            prop_assert_eq!(by_columns(&events), by_json(&events));
        }
    }

    #[test]
    fn columns_out_of_shape_are_errors() {
        let err = |at: &[f64], users: &[f64], ids: &[u32]| {
            from_columns(at, users, ids, &["inbound"])
                .unwrap_err()
                .message
        };
        let row = [0, 0, 1, 0, 0, 0, 0];
        assert!(err(&[1.0], &[], &row).contains("columns"));
        for e in [
            from_columns(&[1.0], &[], &row, &["inbound"]),
            from_columns(&[1.0], &[f64::NAN], &[0, 2, 1, 0, 0, 0, 0], &["inbound"]),
        ] {
            let e = e.unwrap_err();
            assert_eq!(e.reason(), "event_columns");
            assert_eq!(crate::reasons::check(&e), Ok(()));
        }
        assert!(err(&[1.0], &[1e6], &row[..6]).contains("columns"));
        assert!(err(&[1.0], &[f64::NAN], &[0, 2, 1, 0, 0, 0, 0]).contains("outside the table"));
        for bad in [1.5, 999_999.0, 1e15, -1e7, f64::INFINITY] {
            assert!(err(&[1.0], &[bad], &row).contains("not E.164"), "{bad}");
        }
        let ok = from_columns(&[1.0], &[919_812_345_678.0], &row, &["inbound"]).unwrap();
        assert_eq!(
            ok.events[0].user,
            Phone::parse("+919812345678", "").unwrap()
        );
    }

    #[test]
    fn phone_from_value_is_parse_of_its_digits() {
        for v in [
            1_000_000u64,
            9_999_999,
            10_000_000,
            919_812_345_678,
            999_999_999_999_999,
        ] {
            assert_eq!(
                Phone::from_value(v),
                Some(Phone::parse(&format!("+{v}"), "").unwrap())
            );
        }
        for v in [0u64, 999_999, 1_000_000_000_000_000, u64::MAX] {
            assert_eq!(Phone::from_value(v), None, "{v}");
        }
    }
}
