//! Instants, calendar dates and the business time zone.
//!
//! Instants are epoch milliseconds (`i64`). Calendar boundaries (card changes, eras, months) are
//! read in the business time zone: an IANA zone or a fixed offset. Nothing here reads the clock.

use crate::error::{Error, ErrorCode, Result};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, SecondsFormat};
use std::cell::Cell;

/// Milliseconds in one hour.
pub const HOUR_MS: i64 = 3_600_000;
/// Milliseconds in one day of 24 hours.
pub const DAY_MS: i64 = 24 * HOUR_MS;

/// Latest instant accepted (year 9999), so that window arithmetic cannot overflow.
pub const MAX_INSTANT: i64 = 253_402_300_799_999;
/// Earliest instant accepted (year 1900).
pub const MIN_INSTANT: i64 = -2_208_988_800_000;

/// A local calendar date.
pub type Date = NaiveDate;

/// Builds a date from a compile-time-valid year, month and day.
///
/// Only used with literal dates of the pricing rules; an impossible literal falls back to the
/// minimum date, which the tests of `eras` would catch.
pub const fn ymd(y: i32, m: u32, d: u32) -> Date {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(d) => d,
        None => NaiveDate::MIN,
    }
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str, path: &str) -> Result<Date> {
    let t = s.trim().as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        t.get(r)?.iter().try_fold(0u32, |acc, b| {
            b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
        })
    };
    if t.len() == 10 && t[4] == b'-' && t[7] == b'-' {
        if let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) {
            if let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d) {
                return Ok(date);
            }
        }
    }
    Err(Error::coded(
        ErrorCode::InvalidDate,
        "",
        path,
        format!("invalid date {s:?}: expected YYYY-MM-DD"),
    )
    .value(s))
}

/// Formats a date as `YYYY-MM-DD`.
pub fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// A month key: `year * 12 + (month - 1)`.
pub type MonthKey = i32;

/// The month key of a date.
pub fn month_key(d: Date) -> MonthKey {
    d.year() * 12 + d.month0() as i32
}

/// Formats a month key as `YYYY-MM`.
pub fn format_month(m: MonthKey) -> String {
    format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1)
}

/// Parses an RFC 3339 instant with an offset into epoch milliseconds.
pub fn parse_instant(s: &str, path: &str) -> Result<i64> {
    let s = s.trim();
    if let Some(ms) = parse_utc_instant(s.as_bytes()) {
        return check_instant_range(ms, path);
    }
    match DateTime::parse_from_rfc3339(s) {
        Ok(dt) => check_instant_range(dt.timestamp_millis(), path),
        Err(_) => Err(Error::coded(
            ErrorCode::InvalidInstant,
            "",
            path,
            format!("invalid instant {s:?}: expected RFC 3339 with an offset, such as 2026-10-05T10:00:00Z, or epoch milliseconds"),
        ).value(s)),
    }
}

/// The common shape of instants, `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.sssZ` (what
/// `Date.prototype.toISOString` writes), read without the general RFC 3339 parser; `None` for
/// any other text, which the general parser then reads (it gives the same instant for these).
fn parse_utc_instant(b: &[u8]) -> Option<i64> {
    let millis = match b.len() {
        20 => 0,
        24 if b[19] == b'.' => digits(&b[20..23])?,
        _ => return None,
    };
    if b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    if b[b.len() - 1] != b'Z' {
        return None;
    }
    let (y, mo, d) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    let (h, mi, sec) = (
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    );
    // Leap seconds (60) and anything out of range are left to the general parser.
    let t = NaiveDate::from_ymd_opt(y as i32, mo, d)?.and_hms_milli_opt(h, mi, sec, millis)?;
    (sec < 60).then(|| t.and_utc().timestamp_millis())
}

/// The number written by ASCII digits only.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

/// Checks epoch milliseconds given as a float (from JSON or JavaScript).
pub fn instant_from_millis_f64(ms: f64, path: &str) -> Result<i64> {
    if !ms.is_finite() || ms.fract() != 0.0 || ms.abs() > 9.0e15 {
        let shown = crate::error::show_f64(ms);
        return Err(Error::coded(
            ErrorCode::InvalidInstant,
            "millis_not_whole",
            path,
            format!("invalid instant {shown}: epoch milliseconds must be a whole number"),
        )
        .value(&shown));
    }
    check_instant_range(ms as i64, path)
}

fn check_instant_range(ms: i64, path: &str) -> Result<i64> {
    if !(MIN_INSTANT..=MAX_INSTANT).contains(&ms) {
        let shown = ms.to_string();
        return Err(Error::coded(
            ErrorCode::InvalidInstant,
            "instant_out_of_range",
            path,
            format!("instant {shown} is outside the years 1900 to 9999"),
        )
        .value(&shown));
    }
    Ok(ms)
}

/// Formats epoch milliseconds as RFC 3339 in UTC (`2026-10-05T10:00:00Z`, milliseconds when not zero).
pub fn format_instant(ms: i64) -> String {
    match DateTime::from_timestamp_millis(ms) {
        Some(dt) => dt.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        None => ms.to_string(),
    }
}

/// A source of UTC offsets for IANA time-zone names (a time-zone database).
///
/// The core never embeds a database of its own: natively it uses `chrono-tz`
/// ([`ChronoTz`]); in the browser the binding answers from the platform's `Intl` data.
pub trait TzDatabase {
    /// A prober for zone `name` giving its UTC offset in seconds at an instant, or `None` when the
    /// database does not know the name.
    fn prober<'a>(&'a self, name: &str) -> Option<Box<dyn FnMut(i64) -> i32 + 'a>>;
}

/// `chrono-tz`, the database of native builds.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone, Copy, Default)]
pub struct ChronoTz;

#[cfg(not(target_arch = "wasm32"))]
impl TzDatabase for ChronoTz {
    fn prober<'a>(&'a self, name: &str) -> Option<Box<dyn FnMut(i64) -> i32 + 'a>> {
        use chrono::{Offset, TimeZone as _};
        let tz: chrono_tz::Tz = name.parse().ok()?;
        Some(Box::new(move |ms| {
            match DateTime::from_timestamp_millis(ms) {
                Some(dt) => tz
                    .offset_from_utc_datetime(&dt.naive_utc())
                    .fix()
                    .local_minus_utc(),
                None => 0,
            }
        }))
    }
}

/// No database: only fixed offsets and UTC are understood.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoTz;

impl TzDatabase for NoTz {
    fn prober<'a>(&'a self, _name: &str) -> Option<Box<dyn FnMut(i64) -> i32 + 'a>> {
        None
    }
}

/// First instant whose offset a [`ZoneTable`] follows (2000-01-01T00:00:00Z); before it the
/// offset of that instant applies.
pub const ZONE_TABLE_START: i64 = 946_684_800_000;
/// Instant after which a [`ZoneTable`] keeps its last offset (2101-01-01T00:00:00Z).
pub const ZONE_TABLE_END: i64 = 4_133_980_800_000;
const PROBE_STEP_MS: i64 = 4 * DAY_MS;

/// The offsets of an IANA zone from 2000 to 2100, as a list of transitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneTable {
    /// The zone's name.
    pub name: String,
    /// Offset (seconds) before the first transition.
    pub first: i32,
    /// `(instant, offset)`: from `instant` on, `offset` applies.
    pub transitions: Vec<(i64, i32)>,
}

impl ZoneTable {
    /// Builds the table by probing `offset` every four days and bisecting each change to the
    /// second. Zones whose offset changes twice within four days are not represented exactly.
    pub fn build(name: &str, mut offset: impl FnMut(i64) -> i32) -> ZoneTable {
        let mut t = ZONE_TABLE_START;
        let first = offset(t);
        let mut prev = first;
        let mut transitions = Vec::new();
        while t < ZONE_TABLE_END {
            let n = t + PROBE_STEP_MS;
            let o = offset(n);
            if o != prev {
                let (mut lo, mut hi) = (t.div_euclid(1000), n.div_euclid(1000));
                while hi - lo > 1 {
                    let mid = lo + (hi - lo) / 2;
                    if offset(mid * 1000) == prev {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                let at = hi * 1000;
                let now = offset(at);
                transitions.push((at, now));
                prev = now;
                if now != o {
                    // A second change inside the step: continue from the first one.
                    t = at;
                    continue;
                }
            }
            t = n;
        }
        ZoneTable {
            name: name.to_string(),
            first,
            transitions,
        }
    }

    /// The offset at an instant.
    #[inline]
    pub fn offset_at(&self, ms: i64) -> i32 {
        let i = self.transitions.partition_point(|(t, _)| *t <= ms);
        if i == 0 {
            self.first
        } else {
            self.transitions[i - 1].1
        }
    }
}

/// The business time zone.
#[derive(Debug, Clone, PartialEq)]
pub enum Zone {
    /// A fixed offset from UTC in seconds.
    Fixed(i32),
    /// An IANA time zone, as a table of transitions.
    Iana(std::sync::Arc<ZoneTable>),
}

impl Zone {
    /// UTC.
    pub const UTC: Zone = Zone::Fixed(0);

    /// Parses an IANA name (`Asia/Kolkata`, `UTC`), looked up in `db`, or a fixed offset
    /// (`+05:30`, `-03:00`, `Z`).
    pub fn parse(s: &str, path: &str, db: &dyn TzDatabase) -> Result<Zone> {
        let t = s.trim();
        if t == "Z" || t.eq_ignore_ascii_case("utc") || t == "Etc/UTC" {
            return Ok(Zone::UTC);
        }
        if let Some(off) = parse_offset(t) {
            return Ok(Zone::Fixed(off));
        }
        let valid_name = !t.is_empty()
            && t.len() <= 64
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/_-+".contains(&b));
        match db.prober(t).filter(|_| valid_name) {
            Some(p) => Ok(Zone::Iana(std::sync::Arc::new(ZoneTable::build(t, p)))),
            None => Err(Error::coded(
                ErrorCode::InvalidTimezone,
                "",
                path,
                format!("unknown time zone {s:?}: expected an IANA name such as Asia/Kolkata or an offset such as +05:30"),
            ).value(s)),
        }
    }

    /// The name of the zone as given back to users.
    pub fn name(&self) -> String {
        match self {
            Zone::Fixed(0) => "UTC".to_string(),
            Zone::Fixed(s) => {
                let sign = if *s < 0 { '-' } else { '+' };
                let a = s.unsigned_abs();
                format!("{sign}{:02}:{:02}", a / 3600, (a % 3600) / 60)
            }
            Zone::Iana(t) => t.name.clone(),
        }
    }

    /// Offset from UTC, in seconds, at an instant.
    #[inline]
    pub fn offset_at(&self, ms: i64) -> i32 {
        match self {
            Zone::Fixed(s) => *s,
            Zone::Iana(t) => t.offset_at(ms),
        }
    }

    /// The local date of an instant.
    pub fn local_date(&self, ms: i64) -> Date {
        let local = ms + i64::from(self.offset_at(ms)) * 1000;
        let days = local.div_euclid(DAY_MS);
        NaiveDate::from_num_days_from_ce_opt((days + 719_163) as i32).unwrap_or(NaiveDate::MIN)
    }

    /// The first instant of local date `date` (local midnight, or the transition that skips it).
    pub fn midnight(&self, date: Date) -> i64 {
        let naive = NaiveDateTime::from(date).and_utc().timestamp_millis();
        match self {
            Zone::Fixed(s) => naive - i64::from(*s) * 1000,
            Zone::Iana(_) => {
                // The local date only moves forward except at rare backward transitions across
                // midnight; bisect for the first instant whose local date is `date` or later.
                let (mut lo, mut hi) = (naive - 27 * HOUR_MS, naive + 27 * HOUR_MS);
                while hi - lo > 1 {
                    let mid = lo + (hi - lo) / 2;
                    if self.local_date(mid) >= date {
                        hi = mid;
                    } else {
                        lo = mid;
                    }
                }
                hi
            }
        }
    }
}

/// Reads the offset at the end of a `GMT+05:30`-style zone label (as `Intl.DateTimeFormat` with
/// `timeZoneName: 'longOffset'` writes it); `GMT` alone is zero.
pub fn parse_gmt_label(s: &str) -> Option<i32> {
    let i = s.rfind("GMT")?;
    let rest = s[i + 3..].trim();
    if rest.is_empty() {
        return Some(0);
    }
    let sign = match rest.as_bytes()[0] {
        b'+' => 1,
        b'-' | 0xE2 => -1,
        _ => return None,
    };
    let body = rest.trim_start_matches(['+', '-', '\u{2212}']);
    let mut parts = body.split(':');
    let h: i32 = parts.next()?.parse().ok()?;
    let m: i32 = parts.next().map_or(Some(0), |p| p.parse().ok())?;
    let sec: i32 = parts.next().map_or(Some(0), |p| p.parse().ok())?;
    Some(sign * (h * 3600 + m * 60 + sec))
}

fn parse_offset(t: &str) -> Option<i32> {
    let b = t.as_bytes();
    if b.len() != 6 || !(b[0] == b'+' || b[0] == b'-') || b[3] != b':' {
        return None;
    }
    let digits = |i: usize| -> Option<i32> {
        let (x, y) = (b[i], b[i + 1]);
        if x.is_ascii_digit() && y.is_ascii_digit() {
            Some(i32::from(x - b'0') * 10 + i32::from(y - b'0'))
        } else {
            None
        }
    };
    let h = digits(1)?;
    let m = digits(4)?;
    if h > 18 || m > 59 {
        return None;
    }
    let s = (h * 60 + m) * 60;
    Some(if b[0] == b'-' { -s } else { s })
}

/// Caches the local day of the last instant asked for, so that a time-ordered stream of events
/// converts instants to local dates in O(1) most of the time.
#[derive(Debug)]
pub struct Clock {
    zone: Zone,
    day: Cell<(i64, i64, Date)>,
}

impl Clock {
    /// A clock for `zone`.
    pub fn new(zone: Zone) -> Self {
        Clock {
            zone,
            day: Cell::new((i64::MAX, i64::MIN, NaiveDate::MIN)),
        }
    }

    /// The zone.
    pub fn zone(&self) -> &Zone {
        &self.zone
    }

    /// The local date of an instant.
    #[inline]
    pub fn date(&self, ms: i64) -> Date {
        let (start, end, date) = self.day.get();
        if ms >= start && ms < end {
            return date;
        }
        let date = self.zone.local_date(ms);
        let start = self.zone.midnight(date);
        let end = date
            .succ_opt()
            .map(|n| self.zone.midnight(n))
            .unwrap_or(i64::MAX);
        if ms >= start && ms < end {
            self.day.set((start, end, date));
        }
        date
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcut for `…Z` instants agrees with the general RFC 3339 parser on every date of
    /// several years (leap and not), impossible dates, and the edges of every time field.
    #[test]
    fn utc_shortcut_agrees_with_rfc3339() {
        let mut checked = 0;
        for y in [1899, 1900, 1970, 2000, 2022, 2023, 2024, 2026, 2100, 9999] {
            for m in 0..=13 {
                for d in 0..=32 {
                    for (h, mi, sec, ms) in [
                        (0, 0, 0, 0),
                        (23, 59, 59, 999),
                        (24, 0, 0, 0),
                        (12, 60, 0, 0),
                        (12, 0, 60, 0),
                        (7, 5, 3, 1),
                    ] {
                        for text in [
                            format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{sec:02}Z"),
                            format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{sec:02}.{ms:03}Z"),
                        ] {
                            let general = DateTime::parse_from_rfc3339(&text)
                                .ok()
                                .map(|t| t.timestamp_millis());
                            if let Some(fast) = parse_utc_instant(text.as_bytes()) {
                                assert_eq!(Some(fast), general, "{text}");
                                checked += 1;
                            } else if sec < 60 {
                                assert_eq!(
                                    general, None,
                                    "{text}: the shortcut refused a valid instant"
                                );
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 10_000, "{checked}");
        for other in [
            "2026-10-05t10:00:00z",
            "2026-10-05T10:00:00+00:00",
            "2026-10-05T10:00:00.5Z",
            "2026-1O-05T10:00:00Z",
            "+026-10-05T10:00:00Z",
        ] {
            assert_eq!(parse_utc_instant(other.as_bytes()), None, "{other}");
        }
    }

    #[test]
    fn parses_instants() {
        assert_eq!(parse_instant("1970-01-01T00:00:00Z", "").unwrap(), 0);
        assert_eq!(parse_instant("1970-01-01T05:30:00+05:30", "").unwrap(), 0);
        assert_eq!(
            parse_instant("2026-10-05T10:00:00.250Z", "").unwrap() % 1000,
            250
        );
        let e = parse_instant("2026-10-05 10:00", "events[0].at").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInstant);
        assert_eq!(e.path, "events[0].at");
        assert!(
            parse_instant("2026-10-05T10:00:00", "").is_err(),
            "offset required"
        );
        assert!(instant_from_millis_f64(1.5, "").is_err());
        assert!(instant_from_millis_f64(f64::NAN, "").is_err());
        assert_eq!(format_instant(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_instant(250), "1970-01-01T00:00:00.250Z");
    }

    #[test]
    fn zones_and_local_dates() {
        let k = Zone::parse("Asia/Kolkata", "", &ChronoTz).unwrap();
        let t = parse_instant("2026-09-30T18:30:00Z", "").unwrap();
        assert_eq!(k.local_date(t), ymd(2026, 10, 1));
        assert_eq!(k.local_date(t - 1), ymd(2026, 9, 30));
        assert_eq!(k.midnight(ymd(2026, 10, 1)), t);
        let f = Zone::parse("-03:00", "", &ChronoTz).unwrap();
        assert_eq!(f.name(), "-03:00");
        assert_eq!(
            f.local_date(parse_instant("2026-10-01T02:59:59Z", "").unwrap()),
            ymd(2026, 9, 30)
        );
        assert!(Zone::parse("Mars/Olympus", "timezone", &ChronoTz).is_err());
        assert!(Zone::parse("+25:00", "", &ChronoTz).is_err());
        assert_eq!(Zone::parse("utc", "", &ChronoTz).unwrap(), Zone::UTC);
    }

    #[test]
    fn clock_cache_agrees_with_zone_across_dst() {
        for name in [
            "America/Sao_Paulo",
            "Europe/Berlin",
            "America/Havana",
            "Asia/Kolkata",
            "UTC",
        ] {
            let z = Zone::parse(name, "", &ChronoTz).unwrap();
            let c = Clock::new(z.clone());
            let start = parse_instant("2018-01-01T00:00:00Z", "").unwrap();
            let mut t = start;
            while t < start + 400 * DAY_MS {
                assert_eq!(
                    c.date(t),
                    z.local_date(t),
                    "{name} at {}",
                    format_instant(t)
                );
                t += 17 * 60_000 + 13_000;
            }
        }
    }

    #[test]
    fn midnight_is_first_instant_of_day() {
        // Havana skips midnight on DST start (00:00 -> 01:00).
        let z = Zone::parse("America/Havana", "", &ChronoTz).unwrap();
        for d in [ymd(2019, 3, 10), ymd(2019, 11, 3), ymd(2024, 3, 10)] {
            let m = z.midnight(d);
            assert_eq!(z.local_date(m), d);
            assert_ne!(z.local_date(m - 1000), d);
        }
    }

    #[test]
    fn zone_tables_match_chrono_tz() {
        use chrono::{Offset, TimeZone as _};
        for name in [
            "America/Sao_Paulo",
            "Europe/Berlin",
            "Africa/Casablanca",
            "Australia/Lord_Howe",
            "Asia/Kolkata",
            "America/New_York",
        ] {
            let z = Zone::parse(name, "", &ChronoTz).unwrap();
            let tz: chrono_tz::Tz = name.parse().unwrap();
            let mut t = parse_instant("2019-01-01T00:00:00Z", "").unwrap();
            while t < parse_instant("2028-01-01T00:00:00Z", "").unwrap() {
                let want = tz
                    .offset_from_utc_datetime(
                        &DateTime::from_timestamp_millis(t).unwrap().naive_utc(),
                    )
                    .fix()
                    .local_minus_utc();
                assert_eq!(z.offset_at(t), want, "{name} at {}", format_instant(t));
                t += 3 * HOUR_MS + 7 * 60_000 + 11_000;
            }
        }
    }

    #[test]
    fn gmt_labels() {
        assert_eq!(parse_gmt_label("11/21/2026, GMT+05:30"), Some(19800));
        assert_eq!(parse_gmt_label("11/21/2026, GMT-03:00"), Some(-10800));
        assert_eq!(
            parse_gmt_label("11/21/2026, GMT\u{2212}03:00"),
            Some(-10800)
        );
        assert_eq!(parse_gmt_label("11/21/2026, GMT"), Some(0));
        assert_eq!(parse_gmt_label("nothing"), None);
    }

    #[test]
    fn months() {
        assert_eq!(format_month(month_key(ymd(2026, 1, 31))), "2026-01");
        assert_eq!(format_month(month_key(ymd(2026, 12, 1))), "2026-12");
    }
}
