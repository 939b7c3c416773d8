//! Fast paths for the two fields every log line carries: an instant and a phone number.
//!
//! Each fast path accepts only the canonical spelling and returns `None` for anything else; the
//! caller then falls back to the engine's own parser ([`crate::time::parse_instant`],
//! [`Phone::parse`]), which decides and words the error. The fast paths therefore never accept
//! what the engine would refuse, and always agree with it on what both accept (tested below).

use crate::markets::Phone;
use crate::time::{MAX_INSTANT, MIN_INSTANT};

#[inline]
fn d2(b: &[u8], i: usize) -> Option<u32> {
    let (x, y) = (b[i].wrapping_sub(b'0'), b[i + 1].wrapping_sub(b'0'));
    if x < 10 && y < 10 {
        Some(u32::from(x) * 10 + u32::from(y))
    } else {
        None
    }
}

/// Days from 1970-01-01 to a civil date (proleptic Gregorian), Howard Hinnant's algorithm.
#[inline]
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month, day) of a day count from 1970-01-01.
#[inline]
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Days in a month of a year.
#[inline]
pub(crate) fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
}

/// The last date read, so that the lines of one day parse their date once, and the last instant
/// read, so that the lines of one second (a busy log has many) parse it once.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct DayCache {
    key: [u8; 10],
    days: i64,
    /// The last instant's text as the four words of [`words`] (0 length: none yet).
    last: [u64; 4],
    last_len: usize,
    last_value: i64,
}

/// The bytes of a field of 16 to 32 bytes as four little-endian words at offsets 0, 8, len − 16
/// and len − 8: together they cover every byte, so two fields of one length are equal exactly
/// when their words are.
#[inline]
fn words(b: &[u8]) -> [u64; 4] {
    let n = b.len();
    [word(b, 0), word(b, 8), word(b, n - 16), word(b, n - 8)]
}

/// The eight bytes of `b` from `i` as a little-endian word (`b` holds them).
#[inline]
fn word(b: &[u8], i: usize) -> u64 {
    let mut x = [0u8; 8];
    x.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(x)
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` → epoch milliseconds, or `None` (then ask chrono).
#[cfg(test)]
pub(crate) fn instant(b: &[u8]) -> Option<i64> {
    instant_with(b, &mut DayCache::default())
}

/// [`instant`] with a cache of the last date.
#[inline(always)]
pub(crate) fn instant_with(b: &[u8], cache: &mut DayCache) -> Option<i64> {
    if b.len() < 20 {
        return None;
    }
    let short = b.len() <= 32;
    let w = if short { words(b) } else { [0; 4] };
    if short && b.len() == cache.last_len && w == cache.last {
        return Some(cache.last_value);
    }
    let t = parse_fresh(b, cache)?;
    if short {
        cache.last = w;
        cache.last_len = b.len();
        cache.last_value = t;
    }
    Some(t)
}

/// [`instant_with`] once the last instant did not match.
#[inline(never)]
fn parse_fresh(b: &[u8], cache: &mut DayCache) -> Option<i64> {
    if b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let days = if b[..10] == cache.key {
        cache.days
    } else {
        if b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year = i64::from(d2(b, 0)? * 100 + d2(b, 2)?);
        let month = d2(b, 5)?;
        let day = d2(b, 8)?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        let days = days_from_civil(year, month, day);
        cache.key.copy_from_slice(&b[..10]);
        cache.days = days;
        days
    };
    let hour = d2(b, 11)?;
    let min = d2(b, 14)?;
    let sec = d2(b, 17)?;
    if hour > 23 || min > 59 || sec > 59 {
        return None;
    }
    let mut i = 19;
    let mut ms = 0i64;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            if i - start < 3 {
                ms = ms * 10 + i64::from(b[i] - b'0');
            }
            i += 1;
        }
        let n = i - start;
        if n == 0 || n > 9 {
            return None;
        }
        for _ in n..3 {
            ms *= 10;
        }
    }
    let offset_s = match b.get(i)? {
        b'Z' if i + 1 == b.len() => 0,
        &s @ (b'+' | b'-') if i + 6 == b.len() && b[i + 3] == b':' => {
            let (h, m) = (d2(b, i + 1)?, d2(b, i + 4)?);
            if h > 23 || m > 59 {
                return None;
            }
            let o = i64::from(h * 3600 + m * 60);
            if s == b'-' {
                -o
            } else {
                o
            }
        }
        _ => return None,
    };
    let secs = days * 86_400 + i64::from(hour * 3600 + min * 60 + sec) - offset_s;
    let t = secs * 1000 + ms;
    (MIN_INSTANT..=MAX_INSTANT).contains(&t).then_some(t)
}

/// Whole epoch milliseconds written as digits (with an optional `-`), or `None`.
#[inline]
pub(crate) fn millis(b: &[u8]) -> Option<i64> {
    let (neg, digits) = match b.first()? {
        b'-' => (true, &b[1..]),
        _ => (false, b),
    };
    if digits.is_empty() || digits.len() > 16 {
        return None;
    }
    let mut v = 0i64;
    for &c in digits {
        let d = c.wrapping_sub(b'0');
        if d >= 10 {
            return None;
        }
        v = v * 10 + i64::from(d);
    }
    let v = if neg { -v } else { v };
    (MIN_INSTANT..=MAX_INSTANT).contains(&v).then_some(v)
}

/// Whole epoch seconds written as digits → milliseconds, or `None`.
#[inline]
pub(crate) fn seconds(b: &[u8]) -> Option<i64> {
    if b.is_empty() || b.len() > 12 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let v = b
        .iter()
        .fold(0i64, |acc, &c| acc * 10 + i64::from(c - b'0'))
        .checked_mul(1000)?;
    (MIN_INSTANT..=MAX_INSTANT).contains(&v).then_some(v)
}

/// A strict E.164 number (`+`, first digit 1-9, 7 to 15 digits), or `None`.
#[inline(always)]
pub(crate) fn phone(b: &[u8]) -> Option<Phone> {
    if b.first() != Some(&b'+') {
        return None;
    }
    digits_phone(&b[1..])
}

/// Digits of an E.164 number without the `+` (as webhooks write them), or `None`.
#[inline(always)]
pub(crate) fn digits_phone(d: &[u8]) -> Option<Phone> {
    let n = d.len();
    if !(7..=15).contains(&n) || d[0] == b'0' {
        return None;
    }
    if n >= 8 {
        // The last eight digits, and the first n − 8 right-aligned behind '0's, eight at a time.
        let lo = word(d, n - 8);
        let h = n - 8;
        let hi = match h {
            0 => ZEROS,
            // Little-endian: the first h bytes move to the top, '0's fill the bottom.
            _ => (word(d, 0) << (8 * (8 - h))) | (ZEROS >> (8 * h)),
        };
        if !eight_digits(lo) || !eight_digits(hi) {
            return None;
        }
        return Some(Phone {
            value: u64::from(eight_value(hi)) * 100_000_000 + u64::from(eight_value(lo)),
            len: n as u8,
        });
    }
    let mut v = 0u64;
    for &c in d {
        let x = c.wrapping_sub(b'0');
        if x >= 10 {
            return None;
        }
        v = v * 10 + u64::from(x);
    }
    Some(Phone {
        value: v,
        len: d.len() as u8,
    })
}

/// Eight ASCII '0's as a little-endian word.
const ZEROS: u64 = 0x3030_3030_3030_3030;

/// Whether the eight bytes of `w` are all ASCII digits.
#[inline]
fn eight_digits(w: u64) -> bool {
    // A byte is a digit when its high nibble is 3 and adding 6 does not carry out of its low one.
    const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    (w & HIGH) | ((w.wrapping_add(0x0606_0606_0606_0606) & HIGH) >> 4) == 0x3333_3333_3333_3333
}

/// The value of eight ASCII digits (the first in the lowest byte), three multiplications.
#[inline]
fn eight_value(w: u64) -> u32 {
    let v = w - ZEROS;
    // Pairs: each 16-bit lane holds 10 × first + second.
    let v = (v * 10 + (v >> 8)) & 0x00FF_00FF_00FF_00FF;
    // Quads: each 32-bit lane holds 100 × first pair + second pair.
    let v = (v * 100 + (v >> 16)) & 0x0000_FFFF_0000_FFFF;
    // The eight: 10,000 × first quad + second quad.
    ((v * 10_000 + (v >> 32)) & 0xFFFF_FFFF) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_instant;
    use proptest::prelude::*;

    #[test]
    fn canonical_instants() {
        for s in [
            "2026-10-05T10:00:00Z",
            "2026-10-05T10:00:00.5Z",
            "2026-10-05T10:00:00.123456789Z",
            "2026-10-05T10:00:00.250+05:30",
            "2026-02-28T23:59:59-03:00",
            "2024-02-29T00:00:00Z",
            "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.999Z",
            "1900-01-01T00:00:00Z",
        ] {
            assert_eq!(
                instant(s.as_bytes()),
                Some(parse_instant(s, "").unwrap()),
                "{s}"
            );
        }
        for s in [
            "2026-02-29T00:00:00Z",
            "2026-10-05 10:00:00Z",
            "2026-10-05T10:00:00",
            "2026-10-05T24:00:00Z",
            "2026-10-05T10:00:60Z",
            "2026-10-05T10:00:00.Z",
            "2026-10-05T10:00:00+0530",
            "1899-12-31T23:59:59Z",
        ] {
            assert_eq!(instant(s.as_bytes()), None, "{s} goes to the slow path");
        }
    }

    #[test]
    fn civil_round_trip() {
        for days in (-30_000i64..120_000).step_by(7) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
            assert!(d <= days_in_month(y, m));
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
    }

    #[test]
    fn phones() {
        assert_eq!(
            phone(b"+919812345678"),
            Some(Phone::parse("+919812345678", "").unwrap())
        );
        assert_eq!(
            digits_phone(b"16505551234"),
            Some(Phone::parse("+16505551234", "").unwrap())
        );
        for bad in [
            &b"+0123456789"[..],
            b"+123456",
            b"+1234567890123456",
            b"919812345678",
            b"+91 98",
        ] {
            assert_eq!(phone(bad), None);
            assert!(Phone::parse(std::str::from_utf8(bad).unwrap(), "").is_err());
        }
        assert_eq!(seconds(b"1727740800"), Some(1_727_740_800_000));
        assert_eq!(millis(b"1727740800000"), Some(1_727_740_800_000));
        assert_eq!(millis(b"-1000"), Some(-1000));
        assert_eq!(millis(b"12a"), None);
    }

    proptest! {
        #[test]
        fn fast_instants_agree_with_chrono(
            y in 1890i64..2200, mo in 0u32..14, d in 0u32..33, h in 0u32..25, mi in 0u32..61,
            s in 0u32..61, frac in proptest::option::of(0u32..1_000_000_000), fdigits in 1usize..10,
            off in proptest::option::of((any::<bool>(), 0u32..25, 0u32..61)),
        ) {
            let mut text = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
            if let Some(f) = frac {
                let f = format!("{f:09}");
                text.push('.');
                text.push_str(&f[..fdigits]);
            }
            match off {
                None => text.push('Z'),
                Some((neg, oh, om)) => text.push_str(&format!("{}{oh:02}:{om:02}", if neg { '-' } else { '+' })),
            }
            if let Some(fast) = instant(text.as_bytes()) {
                prop_assert_eq!(Some(fast), parse_instant(&text, "").ok(), "{}", text);
            }
            // With a warm cache of another date, and of the same date.
            let mut cache = DayCache::default();
            let _ = instant_with(b"2026-10-05T10:00:00Z", &mut cache);
            prop_assert_eq!(instant_with(text.as_bytes(), &mut cache), instant(text.as_bytes()));
            prop_assert_eq!(instant_with(text.as_bytes(), &mut cache), instant(text.as_bytes()));
        }

        #[test]
        fn a_cached_instant_is_reused_only_for_the_same_text(
            secs in 1_600_000_000i64..1_900_000_000, pos in 0usize..32, byte in any::<u8>(),
            frac in proptest::option::of(0u32..1000), off in proptest::option::of(0u32..24),
        ) {
            let base = chrono::DateTime::from_timestamp(secs, 0).unwrap();
            let mut text = base.format("%Y-%m-%dT%H:%M:%S").to_string();
            if let Some(f) = frac {
                text.push_str(&format!(".{f:03}"));
            }
            match off {
                None => text.push('Z'),
                Some(h) => text.push_str(&format!("+{h:02}:00")),
            }
            let mut cache = DayCache::default();
            prop_assert_eq!(instant_with(text.as_bytes(), &mut cache), instant(text.as_bytes()));
            // The same length with one byte changed: never the cached value unless it is equal.
            let mut other = text.clone().into_bytes();
            let i = pos % other.len();
            other[i] = byte;
            prop_assert_eq!(instant_with(&other, &mut cache), instant(&other));
            prop_assert_eq!(instant_with(text.as_bytes(), &mut cache), instant(text.as_bytes()));
        }

        #[test]
        fn fast_phones_agree_on_any_bytes(s in "[+0-9/:a ]{0,17}") {
            if let Some(p) = phone(s.as_bytes()) {
                prop_assert_eq!(Some(p), Phone::parse(&s, "").ok());
            }
            if let Some(p) = digits_phone(s.as_bytes()) {
                prop_assert_eq!(Some(p), Phone::parse(&format!("+{s}"), "").ok());
            } else if s.bytes().all(|b| b.is_ascii_digit()) {
                let full = format!("+{s}");
                prop_assert!(Phone::parse(&full, "").is_err());
            }
        }

        #[test]
        fn fast_phones_agree(s in "\\+?[0-9]{0,17}") {
            if let Some(p) = phone(s.as_bytes()) {
                prop_assert_eq!(Some(p), Phone::parse(&s, "").ok());
            } else {
                prop_assert!(Phone::parse(&s, "").is_err());
            }
        }
    }
}
