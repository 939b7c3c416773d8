//! Messaging limits by date (SPEC §15): a volume constraint, not a price. The tiers, their scope
//! and how a business climbs them changed on 2025-10-07; an estimate says whether the business's
//! tier covers its busiest day and how long reaching the tier it needs takes under the rules of
//! its date.

use crate::time::{ymd, Date};
use rust_decimal::Decimal;
use serde::Serialize;

/// Whom a limit applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Each business phone number has its own limit (before 2025-10-07).
    Number,
    /// One limit for the business portfolio, shared by all its numbers (from 2025-10-07).
    Portfolio,
}

/// How a business climbs from one tier to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ramp {
    /// A new number's ramp as Zoho's help page documents it: 1,000 on days 1–2, 10,000 on days
    /// 3–4, 100,000 on days 5–6, unlimited from day 7: two days per step.
    TwoDaysPerStep,
    /// An upgrade within about 6 hours once half the current limit was used in the last 7 days
    /// with high quality: six hours per step, for a business that sends at that volume.
    SixHoursOnceHalfUsed,
}

/// The messaging-limit rules in force on a date (SPEC §15).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// First day of these rules.
    pub from: Date,
    /// Whom a limit applies to.
    pub scope: Scope,
    /// The tiers in order (`None`: unlimited); the first is the unverified tier.
    pub tiers: &'static [Option<u64>],
    /// The tier of a new, verified business: the default when the scenario names none.
    pub start: u64,
    /// How the tiers are climbed.
    pub ramp: Ramp,
    /// Hours per step of the ramp.
    pub hours_per_step: u64,
}

/// The day the portfolio-wide limits began (SPEC §15).
pub fn portfolio_limits_start() -> Date {
    ymd(2025, 10, 7)
}

const NUMBER_TIERS: [Option<u64>; 5] = [Some(250), Some(1_000), Some(10_000), Some(100_000), None];
const PORTFOLIO_TIERS: [Option<u64>; 5] =
    [Some(250), Some(2_000), Some(10_000), Some(100_000), None];

/// The rules in force on `date` (SPEC §15: per number with tiers 250 / 1,000 / 10,000 / 100,000 /
/// unlimited before 2025-10-07; per portfolio with 250 / 2,000 / 10,000 / 100,000 / unlimited
/// from it).
pub fn rules(date: Date) -> Rules {
    if date < portfolio_limits_start() {
        Rules {
            from: crate::model::CBP_START,
            scope: Scope::Number,
            tiers: &NUMBER_TIERS,
            start: 1_000,
            ramp: Ramp::TwoDaysPerStep,
            hours_per_step: 48,
        }
    } else {
        Rules {
            from: portfolio_limits_start(),
            scope: Scope::Portfolio,
            tiers: &PORTFOLIO_TIERS,
            start: 2_000,
            ramp: Ramp::SixHoursOnceHalfUsed,
            hours_per_step: 6,
        }
    }
}

/// Every tier of any date, as the scenario may name it.
pub const ANY_TIER: [u64; 5] = [250, 1_000, 2_000, 10_000, 100_000];

impl Rules {
    /// The tier of these rules that stands for a tier named in a scenario: itself, or for the
    /// 1,000 tier from 2025-10-07 the 2,000 tier (Meta moved 1,000-tier accounts to it), and for
    /// 2,000 before that date 1,000 (a comparison across the change names one tier for both).
    /// The second value says whether the tier was translated.
    pub fn tier_of(&self, given: Option<u64>) -> (Option<u64>, bool) {
        match given {
            Some(t) if !self.tiers.contains(&Some(t)) && (t == 1_000 || t == 2_000) => {
                (Some(self.start), true)
            }
            other => (other, false),
        }
    }

    /// Position of a tier in the ladder (`None` and unknown tiers: the top).
    fn position(&self, tier: Option<u64>) -> usize {
        self.tiers
            .iter()
            .position(|t| *t == tier)
            .unwrap_or(self.tiers.len() - 1)
    }
}

/// What the limits mean for a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advice {
    /// Whether the tier covers the busiest day.
    pub ok: bool,
    /// The smallest sufficient tier (`None`: unlimited).
    pub needed: Option<u64>,
    /// Steps from the tier to the needed one (0 when it suffices).
    pub steps: u64,
    /// Whether the first step is business verification (from the unverified tier), which no
    /// amount of sending replaces.
    pub verification: bool,
    /// Hours of ramp-up for the steps beyond verification.
    pub ramp_hours: u64,
    /// The same in days, rounded up.
    pub ramp_days: u64,
}

/// The advice for a business at `tier` with `numbers` phone numbers whose busiest day reaches
/// `peak` unique customers with business-initiated messages. Under per-number limits the
/// customers are taken as spread over the numbers, each number with the tier.
pub fn advise(rules: &Rules, tier: Option<u64>, numbers: u64, peak: Decimal) -> Advice {
    let per_scope = match rules.scope {
        Scope::Number => Decimal::from(numbers.max(1)),
        Scope::Portfolio => Decimal::ONE,
    };
    let fits = |t: Option<u64>| {
        t.is_none_or(|t| {
            Decimal::from(t)
                .checked_mul(per_scope)
                .is_none_or(|cap| cap >= peak)
        })
    };
    let needed = rules.tiers.iter().copied().find(|t| fits(*t)).flatten();
    let ok = fits(tier);
    let (from, to) = (rules.position(tier), rules.position(needed));
    let steps = if ok {
        0
    } else {
        to.saturating_sub(from) as u64
    };
    let verification = !ok && from == 0 && steps > 0;
    let timed = steps - u64::from(verification);
    let ramp_hours = timed * rules.hours_per_step;
    Advice {
        ok,
        needed,
        steps,
        verification,
        ramp_hours,
        ramp_days: ramp_hours.div_ceil(24),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: u64) -> Decimal {
        Decimal::from(n)
    }

    /// SPEC §15 (Zoho's help page on a new number's ramp: 1,000 on days 1–2, 10,000 on days 3–4,
    /// 100,000 on days 5–6, unlimited from day 7): 3,000 new customers a day on 2025-09-01 need
    /// 10,000, two days from the 1,000 a new number starts with.
    #[test]
    fn before_2025_10_07_per_number_two_days_per_step() {
        let r = rules(ymd(2025, 9, 1));
        assert_eq!((r.scope, r.start), (Scope::Number, 1_000));
        let a = advise(&r, Some(r.start), 1, d(3_000));
        assert_eq!(
            (a.ok, a.needed, a.steps, a.ramp_days),
            (false, Some(10_000), 1, 2)
        );
        // Unlimited from day 7: three steps from 1,000.
        let a = advise(&r, Some(1_000), 1, d(500_000));
        assert_eq!((a.needed, a.ramp_days), (None, 6));
        // Per number: two numbers at 1,000 reach 2,000 customers a day.
        assert!(advise(&r, Some(1_000), 2, d(2_000)).ok);
        assert!(!advise(&r, Some(1_000), 2, d(2_001)).ok);
    }

    /// SPEC §15 (Meta's messaging-limits rules from 2025-10-07: per portfolio, tiers 250 / 2,000 /
    /// 10,000 / 100,000 / unlimited, an upgrade within about 6 hours once half the limit was
    /// used): 3,000 new customers a day on 2026-12-01 need 10,000, one step from 2,000.
    #[test]
    fn from_2025_10_07_per_portfolio_six_hours_per_step() {
        let r = rules(ymd(2026, 12, 1));
        assert_eq!((r.scope, r.start), (Scope::Portfolio, 2_000));
        let a = advise(&r, Some(r.start), 1, d(3_000));
        assert_eq!(
            (a.needed, a.steps, a.ramp_hours, a.ramp_days),
            (Some(10_000), 1, 6, 1)
        );
        // Shared by all numbers: three numbers do not multiply it.
        assert!(!advise(&r, Some(2_000), 3, d(3_000)).ok);
        // From the unverified tier the first step is verification.
        let a = advise(&r, Some(250), 1, d(50_000));
        assert_eq!((a.steps, a.verification, a.ramp_hours), (3, true, 12));
        assert_eq!(rules(ymd(2025, 10, 6)).scope, Scope::Number);
        assert_eq!(rules(ymd(2025, 10, 7)).scope, Scope::Portfolio);
    }

    #[test]
    fn tiers_of_the_other_era_are_translated() {
        let late = rules(ymd(2026, 1, 1));
        assert_eq!(late.tier_of(Some(1_000)), (Some(2_000), true));
        assert_eq!(late.tier_of(Some(10_000)), (Some(10_000), false));
        assert_eq!(late.tier_of(None), (None, false));
        let early = rules(ymd(2024, 1, 1));
        assert_eq!(early.tier_of(Some(2_000)), (Some(1_000), true));
        assert!(advise(&early, None, 1, d(u64::MAX)).ok);
    }
}
