//! The volume tiers (SPEC §8, §13.12): one counter per market × tier group × month, graduated
//! bands.

use super::state::Sim;
use super::Verdict;
use crate::data::TierRow;
use crate::error::{Error, ErrorCode, Result};
use crate::markets::MarketId;
use crate::messages::{Params, Value};
use crate::model::{Category, PricingModel};
use crate::money::{add, mul, sub};
use crate::rates::{RateBook, TierTable};
use crate::time::{month_key, Date, MonthKey};
use rust_decimal::Decimal;

/// The tier groups (SPEC §8): utility messages count alone; authentication and
/// authentication-international share one counter per market. Index: [`tier_group`].
pub const TIER_GROUPS: [&[Category]; 2] = [
    &[Category::Utility],
    &[
        Category::Authentication,
        Category::AuthenticationInternational,
    ],
];

/// The tier group of a tiered category (utility or an authentication): its index in
/// [`TIER_GROUPS`] (SPEC §8).
#[inline]
pub fn tier_group(cat: Category) -> u8 {
    u8::from(cat != Category::Utility)
}

/// The band of a table that prices the `n`-th message of the month (1-based): the band that
/// contains `n`, or in a gap of a partial table the highest band that starts at or below `n`
/// (SPEC §13.12); a count below the first band's start takes the first band.
#[inline]
pub fn band<'r>(rates: &'r RateBook, table: &TierTable, n: u64) -> Option<&'r TierRow> {
    let mut best: Option<&TierRow> = None;
    for &i in &table.bands {
        let b = &rates.tier_rows[i as usize];
        if b.from <= n {
            if b.to.is_none_or(|t| n <= t) {
                return Some(b);
            }
            if best.is_none_or(|x| b.from >= x.from) {
                best = Some(b);
            }
        }
    }
    best.or_else(|| table.bands.first().map(|&i| &rates.tier_rows[i as usize]))
}

/// Graduated cost of `n` (possibly fractional: an estimate's scaled count) messages through a
/// table (SPEC §8): each band prices the messages from its start up to the next band's start (a
/// gap belongs to the band below it), and counts below the first band's start are priced in the
/// first band — message by message, the same as [`band`].
pub fn graduated(rates: &RateBook, table: &TierTable, n: Decimal) -> Result<Decimal> {
    let mut bands: Vec<(Decimal, Decimal)> = table
        .bands
        .iter()
        .map(|&i| {
            let b = &rates.tier_rows[i as usize];
            (Decimal::from(b.from.max(1)), b.rate)
        })
        .collect();
    crate::sort::sort_by_key(&mut bands, |b| b.0);
    if let Some(first) = bands.first_mut() {
        first.0 = Decimal::ONE;
    }
    let mut total = Decimal::ZERO;
    for (k, (start, rate)) in bands.iter().enumerate() {
        let lower = sub(*start, Decimal::ONE)?;
        let upper = match bands.get(k + 1) {
            Some(next) => sub(next.0, Decimal::ONE)?.min(n),
            None => n,
        };
        if n > lower && upper > lower {
            let cost = mul(*rate, sub(upper, lower)?)?;
            total = add(total, cost)?;
        }
    }
    Ok(total)
}

impl Sim<'_> {
    /// Counts a tiered message of `month` and returns its rank in the month: the count of the
    /// month being priced lives in a vector, the others (a timeline's earlier months) in a map.
    #[inline]
    pub(super) fn count_tiered(&mut self, market: MarketId, group: u8, month: MonthKey) -> u64 {
        if self.tier_month != Some(month) {
            let names = self.tier_now.len() / 2;
            if let Some(old) = self.tier_month {
                for (i, n) in self.tier_now.iter_mut().enumerate() {
                    if *n > 0 {
                        self.tier_count
                            .insert(((i / 2) as MarketId, (i % 2) as u8, old), std::mem::take(n));
                    }
                }
            }
            for m in 0..names {
                for a in 0..TIER_GROUPS.len() as u8 {
                    if let Some(n) = self.tier_count.remove(&(m as MarketId, a, month)) {
                        self.tier_now[m * 2 + usize::from(a)] = n;
                    }
                }
            }
            self.tier_month = Some(month);
        }
        let i = usize::from(market) * 2 + usize::from(group);
        match self.tier_now.get_mut(i) {
            Some(c) => {
                *c += 1;
                *c
            }
            // A market id beyond the table's names (none is made): counted in the map.
            None => {
                let c = self.tier_count.entry((market, group, month)).or_insert(0);
                *c += 1;
                *c
            }
        }
    }

    /// The rate of the next charged message of a tiered category in its month, at its tier
    /// position, without counting it (SPEC §8, §13.12): the band of the month's count + 1, or the
    /// list rate where no table is in force. For a log's money at stake: what a message the
    /// engine left free would have cost where Meta charged it.
    pub(super) fn next_tier_rate(
        &self,
        market: MarketId,
        cat: Category,
        d: Date,
    ) -> Option<Decimal> {
        let book = self.rates.currency(&self.req.currency)?;
        let (month, group) = (month_key(d), tier_group(cat));
        let now = (self.tier_month == Some(month))
            .then(|| {
                self.tier_now
                    .get(usize::from(market) * 2 + usize::from(group))
                    .copied()
            })
            .flatten();
        let n = now
            .or_else(|| self.tier_count.get(&(market, group, month)).copied())
            .unwrap_or(0)
            + 1;
        match self.rates.tier_table(book, market, cat, d) {
            Some(table) => band(self.rates, table, n).map(|b| b.rate),
            None => self
                .rates
                .rate(book, PricingModel::Pmp, market, cat, d)
                .map(|r| r.rate),
        }
    }

    /// Prices a charged utility or authentication template through the volume tiers: the band of
    /// its rank in its tier group's month (SPEC §8, §13.12).
    pub(super) fn tiered(&mut self, v: &mut Verdict) -> Result<()> {
        let d = v.local_date;
        let market = v.resolution.market;
        let cat = v.category;
        let n = self.count_tiered(market, tier_group(cat), month_key(d));
        let list = self
            .lookup
            .rate(PricingModel::Pmp, market, cat, d)
            .map(|r| r.rate);
        v.charged = true;
        let (table, first_today) = self.lookup.tier_table(market, cat, d);
        match table {
            Some(table) => {
                if let Some(card) = self.lookup.card_date(PricingModel::Pmp, d) {
                    self.use_card((PricingModel::Pmp, card));
                }
                let band = band(self.rates, table, n).ok_or_else(|| {
                    Error::coded(
                        ErrorCode::MissingRate,
                        "empty_tiers",
                        format!("events[{}]", v.index),
                        "empty volume-tier table",
                    )
                })?;
                let first = table
                    .bands
                    .first()
                    .map(|&i| self.rates.tier_rows[i as usize].rate);
                // The table and the list rate are those of the day: compared once a day.
                if let (true, Some(l), Some(f)) = (first_today, list, first) {
                    if l != f {
                        let (cur, name, eff) = (
                            &self.req.currency,
                            self.tables.markets.name(market),
                            table.effective,
                        );
                        self.warnings.once(
                            "tier_list_mismatch",
                            format!("tlm{market}{cat:?}{eff}"),
                            || {
                                Params::new()
                                    .with("currency", Value::Currency(cur.clone()))
                                    .with("date", Value::Date(eff))
                                    .with("market", Value::Market(name.to_string()))
                                    .with("category", Value::Category(cat))
                                    .with("tierRate", Value::Money(f))
                                    .with("listRate", Value::Money(l))
                            },
                        );
                    }
                }
                v.rate = Some(band.rate);
                v.amount = band.rate;
                v.tier = Some(band.tier);
                if let Some(l) = list {
                    if l > band.rate {
                        self.totals.tier_savings =
                            add(self.totals.tier_savings, sub(l, band.rate)?)?;
                    }
                }
            }
            None => {
                let rate = self.list_rate(PricingModel::Pmp, market, cat, d, v.index)?;
                // Looked at once a day (the lookup is memoised): the warning's key is text.
                if first_today {
                    let (cur, name) = (&self.req.currency, self.tables.markets.name(market));
                    self.warnings
                        .once("no_tier_table", format!("ntt{market}{cat:?}"), || {
                            Params::new()
                                .with("currency", Value::Currency(cur.clone()))
                                .with("market", Value::Market(name.to_string()))
                                .with("category", Value::Category(cat))
                                .with("date", Value::Date(d))
                        });
                }
                v.rate = rate;
                v.amount = rate.unwrap_or(Decimal::ZERO);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every category of a group maps to that group (SPEC §8: authentication and
    /// authentication-international share a counter).
    #[test]
    fn tier_groups_and_tier_group_agree() {
        for (g, cats) in TIER_GROUPS.iter().enumerate() {
            for &c in *cats {
                assert_eq!(usize::from(tier_group(c)), g, "{c:?}");
            }
        }
    }
}
