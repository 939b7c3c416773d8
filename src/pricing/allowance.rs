//! The monthly free counts: the conversation free tiers (SPEC §7.1, §7.2) and the 2026-10 service
//! allowance (§7.4, scope §12).

use super::state::Sim;
use super::{AllowanceScope, Event, Options};
use crate::error::Result;
use crate::money::{add, div, mul, sub};
use crate::time::{month_key, Date};
use rust_decimal::Decimal;

impl Sim<'_> {
    /// Counts a conversation against the month's free tier; true while it is within it (SPEC
    /// §7.1, §7.2).
    pub(super) fn free_tier_take(&mut self, d: Date) -> bool {
        let used = self.free_tier_used.entry(month_key(d)).or_insert(0);
        *used += 1;
        *used <= self.req.options.conversation_free_tier
    }

    /// Counts a delivered service message against the month's allowance of its scope (its sending
    /// number, or the account) and returns `(n, of)`: its position in the count and the allowance;
    /// free while `n <= of` (SPEC §7.4, scope §12).
    pub(super) fn allowance_take(&mut self, e: &Event, d: Date) -> (u64, u64) {
        let scope = match self.req.options.allowance_scope {
            AllowanceScope::Number => e.from.map_or(0, |p| p.value),
            AllowanceScope::Waba => 0,
        };
        let used = self
            .allowance_used
            .entry((scope, month_key(d)))
            .or_insert(0);
        *used += 1;
        (*used, self.req.options.service_allowance)
    }
}

/// The free count of a month's allowance or free tier shared across a portfolio: `min(eligible,
/// cap)`, where `eligible` is the sum of `counts`, in whole messages.
///
/// Returns the paid part of each count (an estimate's markets × categories). When the counts
/// exceed the cap, the `cap` free messages (a whole number) are shared in whole messages by
/// largest remainder: each count first gets the whole part of its pro-rata share
/// `count × cap / eligible`, then the messages left go one each to the counts with the largest
/// fractional parts (the first count first on a tie), never more than a count holds. So every
/// paid part is its count minus a whole number, and every amount a finite sum of rate × count.
/// The simulator takes the same allowance message by message ([`Sim::allowance_take`],
/// [`Sim::free_tier_take`]); an estimate's counts are scaled, so it shares the month's free
/// messages instead (SPEC §7.1, §7.2, §7.4).
pub fn apportion(counts: &[Decimal], cap: Decimal) -> Result<(Decimal, Vec<Decimal>)> {
    let mut eligible = Decimal::ZERO;
    for c in counts {
        eligible = add(eligible, *c)?;
    }
    if eligible <= cap {
        return Ok((eligible, vec![Decimal::ZERO; counts.len()]));
    }
    let cap = cap.trunc();
    let mut free = Vec::with_capacity(counts.len());
    let mut given = Decimal::ZERO;
    let mut remainders = Vec::new();
    for (i, c) in counts.iter().enumerate() {
        let share = div(mul(*c, cap)?, eligible)?;
        let whole = share.trunc().min(c.trunc());
        given = add(given, whole)?;
        free.push(whole);
        if sub(*c, whole)? >= Decimal::ONE {
            remainders.push((sub(share, whole)?, i));
        }
    }
    // Largest remainder first; equal remainders in order of the counts.
    crate::sort::sort_by_key(&mut remainders, |&(r, i)| (std::cmp::Reverse(r), i));
    let mut left = sub(cap, given)?;
    for (_, i) in remainders {
        if left <= Decimal::ZERO {
            break;
        }
        free[i] = add(free[i], Decimal::ONE)?;
        left = sub(left, Decimal::ONE)?;
    }
    let paid = counts
        .iter()
        .zip(&free)
        .map(|(c, f)| sub(*c, *f))
        .collect::<Result<_>>()?;
    Ok((sub(cap, left.max(Decimal::ZERO))?, paid))
}

/// The month's service allowance of a portfolio (SPEC §7.4, scope §12): the allowance per
/// number × the numbers sending, or once per account.
pub fn allowance_cap(options: &Options, numbers: u64) -> Result<Decimal> {
    let scope = match options.allowance_scope {
        AllowanceScope::Number => Decimal::from(numbers),
        AllowanceScope::Waba => Decimal::ONE,
    };
    mul(Decimal::from(options.service_allowance.min(1 << 62)), scope)
}

/// The month's conversation free tier (SPEC §7.1, §7.2), once per account.
pub fn free_tier_cap(options: &Options) -> Decimal {
    Decimal::from(options.conversation_free_tier.min(1 << 62))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn ds(v: &[&str]) -> Vec<Decimal> {
        v.iter().map(|s| d(s)).collect()
    }

    /// Within the cap, everything is free.
    #[test]
    fn within_the_cap_nothing_is_paid() {
        let (free, paid) = apportion(&ds(&["300", "200"]), d("1000")).unwrap();
        assert_eq!(free, d("500"));
        assert_eq!(paid, ds(&["0", "0"]));
    }

    /// 1,000 free messages over 3 markets of 1,000 each: 333 each and the one left to the first
    /// (equal remainders go in order), so 667 + 667 + 666 are paid — whole messages.
    #[test]
    fn shared_in_whole_messages_by_largest_remainder() {
        let (free, paid) = apportion(&ds(&["1000", "1000", "1000"]), d("1000")).unwrap();
        assert_eq!(free, d("1000"));
        assert_eq!(paid, ds(&["666", "667", "667"]));
        // Shares 0.5 × 700 = 350, 0.3 × 700 = 210, 0.2 × 700 = 140 are whole already.
        let (_, paid) = apportion(&ds(&["500", "300", "200"]), d("700")).unwrap();
        assert_eq!(paid, ds(&["150", "90", "60"]));
        // 1,000 over 1,001, 2 and 1: shares 997.012, 1.992 and 0.996 → 997, 1 and 0, and the
        // 2 left to the largest remainders (0.996, then 0.992): 997, 2 and 1 free.
        let (free, paid) = apportion(&ds(&["1001", "2", "1"]), d("1000")).unwrap();
        assert_eq!(free, d("1000"));
        assert_eq!(paid, ds(&["4", "0", "0"]));
    }

    /// A fractional count never gets more free messages than it holds.
    #[test]
    fn a_fractional_count_keeps_its_fraction_paid() {
        let (free, paid) = apportion(&ds(&["2.5", "0.5"]), d("2")).unwrap();
        // Shares 1.6667 and 0.3333: 1 and 0, then the one left to the first (0.5 has no room).
        assert_eq!(free, d("2"));
        assert_eq!(paid, ds(&["0.5", "0.5"]));
    }
}
