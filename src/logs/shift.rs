//! Moving instants by whole calendar months, for the what-if pricing.

use super::fields::{civil_from_days, days_from_civil, days_in_month};
use crate::time::{Zone, DAY_MS, MAX_INSTANT, MIN_INSTANT};

/// Moves an instant by `months` calendar months in `zone`: the same local day of the month and
/// time of day, `months` months later (or earlier). A day the target month lacks (the 29th to the
/// 31st) becomes the target month's last local instant (23:59:59.999 of its last day), so that
/// instants keep their order. Around a change of the zone's offset the local time is kept and
/// the offset of the new instant applies.
pub fn shift_months(at: i64, months: i32, zone: &Zone) -> i64 {
    if months == 0 {
        return at;
    }
    let local = at + i64::from(zone.offset_at(at)) * 1000;
    let days = local.div_euclid(DAY_MS);
    let ms = local.rem_euclid(DAY_MS);
    let (y, m, d) = civil_from_days(days);
    let total = y * 12 + i64::from(m - 1) + i64::from(months);
    let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
    let last = days_in_month(ny, nm);
    let new_local = if d > last {
        days_from_civil(ny, nm, last) * DAY_MS + DAY_MS - 1
    } else {
        days_from_civil(ny, nm, d) * DAY_MS + ms
    };
    let guess = new_local - i64::from(zone.offset_at(new_local)) * 1000;
    let t = new_local - i64::from(zone.offset_at(guess)) * 1000;
    t.clamp(MIN_INSTANT, MAX_INSTANT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{format_instant, parse_instant, ChronoTz};

    fn t(s: &str) -> i64 {
        parse_instant(s, "").unwrap()
    }

    #[test]
    fn shifts_by_calendar_months() {
        let z = Zone::UTC;
        assert_eq!(
            format_instant(shift_months(t("2026-09-05T10:00:00Z"), 1, &z)),
            "2026-10-05T10:00:00Z"
        );
        assert_eq!(
            format_instant(shift_months(t("2026-01-31T10:00:00Z"), 1, &z)),
            "2026-02-28T23:59:59.999Z"
        );
        assert_eq!(
            format_instant(shift_months(t("2026-03-15T00:00:00Z"), -14, &z)),
            "2025-01-15T00:00:00Z"
        );
        let k = Zone::parse("Asia/Kolkata", "", &ChronoTz).unwrap();
        // 2026-09-30T20:00Z is 1 October 01:30 in India: it moves to 1 November 01:30 local.
        assert_eq!(
            format_instant(shift_months(t("2026-09-30T20:00:00Z"), 1, &k)),
            "2026-10-31T20:00:00Z"
        );
        let b = Zone::parse("Europe/Berlin", "", &ChronoTz).unwrap();
        // Summer (UTC+2) to winter (UTC+1): local 12:00 stays 12:00.
        assert_eq!(
            format_instant(shift_months(t("2026-09-10T10:00:00Z"), 3, &b)),
            "2026-12-10T11:00:00Z"
        );
    }

    #[test]
    fn keeps_order_within_a_month() {
        let z = Zone::UTC;
        let mut prev = i64::MIN;
        let mut at = t("2026-01-01T00:00:00Z");
        while at < t("2026-02-01T00:00:00Z") {
            let s = shift_months(at, 1, &z);
            assert!(s >= prev, "{}", format_instant(at));
            prev = s;
            at += 3_600_000 + 17_000;
        }
    }
}
