//! The opening state of a log that starts in the middle of a month (SPEC §7.4, §8): the service
//! messages the month had already counted against the free allowance, and the charged messages
//! that set its volume-tier positions. Applied once, at the first business message, to that
//! message's local month.

use super::state::Sim;
use super::volume::tier_group;
use super::AllowanceScope;
use crate::messages::{Params, Value};
use crate::model::Era;
use crate::time::{format_month, month_key, Date};

/// The first day of a month.
fn first_day(m: crate::time::MonthKey) -> Date {
    crate::time::ymd(m.div_euclid(12), m.rem_euclid(12) as u32 + 1, 1)
}

/// The params of `opening_not_used`: which part was left out (`month`, `service`, `charged`), the
/// opening state's month, the log's first business day and the count left out.
fn not_used(part: &'static str, month: crate::time::MonthKey, first: Date, count: u64) -> Params {
    Params::new()
        .with("part", Value::Term(part))
        .with("month", Value::Text(format_month(month)))
        .with("first", Value::Date(first))
        .with("count", Value::Count(count))
}

impl Sim<'_> {
    /// Starts the counters of the opening state's month (by default the month of `d`, the local
    /// date of the first business message) from the opening state, and warns about a part that
    /// the month's era does not count, or a month before the log.
    pub(super) fn open_month(&mut self, first: Date) {
        self.opening_pending = false;
        let Some(o) = self.req.options.opening.as_deref() else {
            return;
        };
        let month = o.month.unwrap_or(month_key(first));
        if month < month_key(first) {
            self.warnings
                .once("opening_not_used", "opening.month".to_string(), || {
                    not_used("month", month, first, 0)
                });
            return;
        }
        // Eras change on the first day of a month (SPEC §7): the month's first day tells its era.
        let era = Era::of(first_day(month));
        // The service allowance: from 2026-10-01 only (SPEC §7.4), per number or per account (§12).
        let service: u64 = o.service.iter().map(|s| s.1).sum();
        if era == Some(Era::PaidService) {
            for &(number, n) in &o.service {
                let scope = match self.req.options.allowance_scope {
                    AllowanceScope::Number => number.map_or(0, |p| p.value),
                    AllowanceScope::Waba => 0,
                };
                let used = self.allowance_used.entry((scope, month)).or_insert(0);
                *used = used.saturating_add(n);
            }
        } else if service > 0 {
            self.warnings
                .once("opening_not_used", "opening.service".to_string(), || {
                    not_used("service", month, first, service)
                });
        }
        // The volume tiers: per-message eras only (SPEC §8); a counter per market × tier group.
        let charged: u64 = o.charged.iter().map(|c| c.2).sum();
        if matches!(era, Some(Era::PerMessage | Era::PaidService)) {
            for &(market, cat, n) in &o.charged {
                let c = self
                    .tier_count
                    .entry((market, tier_group(cat), month))
                    .or_insert(0);
                *c = c.saturating_add(n);
            }
        } else if charged > 0 {
            self.warnings
                .once("opening_not_used", "opening.charged".to_string(), || {
                    not_used("charged", month, first, charged)
                });
        }
    }
}
