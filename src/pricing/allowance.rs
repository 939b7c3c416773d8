//! The monthly free counts: the conversation free tiers (SPEC §7.1, §7.2) and the 2026-10 service
//! allowance (§7.4, scope §12).

use super::ledger::overflow;
use super::state::Sim;
use super::{AllowanceScope, Event, Options};
use crate::error::Result;
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
/// cap)`, where `eligible` is the sum of `counts`.
///
/// Returns the paid part of each count, shared pro rata between the counts (an estimate's
/// markets × categories): `count × (eligible − free) / eligible`, multiplied before dividing
/// so that whole counts stay whole where they can. The simulator takes the same allowance message
/// by message ([`Sim::allowance_take`], [`Sim::free_tier_take`]); an estimate's counts are scaled,
/// so it shares the month's free messages instead (SPEC §7.1, §7.2, §7.4).
pub fn apportion(counts: &[Decimal], cap: Decimal) -> Result<(Decimal, Vec<Decimal>)> {
    let mut eligible = Decimal::ZERO;
    for c in counts {
        eligible = eligible.checked_add(*c).ok_or_else(overflow)?;
    }
    if eligible.is_zero() {
        return Ok((Decimal::ZERO, vec![Decimal::ZERO; counts.len()]));
    }
    let free = eligible.min(cap);
    let paid_total = eligible - free;
    let paid = counts
        .iter()
        .map(|c| {
            c.checked_mul(paid_total)
                .ok_or_else(overflow)?
                .checked_div(eligible)
                .ok_or_else(overflow)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((free, paid))
}

/// The month's service allowance of a portfolio (SPEC §7.4, scope §12): the allowance per
/// number × the numbers sending, or once per account.
pub fn allowance_cap(options: &Options, numbers: u64) -> Result<Decimal> {
    let scope = match options.allowance_scope {
        AllowanceScope::Number => Decimal::from(numbers),
        AllowanceScope::Waba => Decimal::ONE,
    };
    Decimal::from(options.service_allowance.min(1 << 62))
        .checked_mul(scope)
        .ok_or_else(overflow)
}

/// The month's conversation free tier (SPEC §7.1, §7.2), once per account.
pub fn free_tier_cap(options: &Options) -> Decimal {
    Decimal::from(options.conversation_free_tier.min(1 << 62))
}
