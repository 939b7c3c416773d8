//! The portfolio rules on an estimate's scaled counts: the kernel's volume tiers (graduated per
//! market × tier group over the month) and its allowance rule (the 2026-10 service allowance and
//! the conversation-era free tier, shared between markets).

use super::{EstimateWarning, JourneyLine, MetaLine};
use crate::error::Result;
use crate::markets::MarketId;
use crate::model::{Category, PricingModel};
use crate::money::{add_to, div, mul, round_shown, sub, to_string as m2s};
use crate::pricing::{
    allowance_cap, apportion, free_tier_cap, graduated, service_rate, TIER_GROUPS,
};
use crate::rates::CurrencyBook;
use crate::report::Unpriced;
use crate::scenario::Plan;
use crate::time::{format_date, Date};
use crate::Engine;
use rust_decimal::Decimal;

/// The counts and amounts of one market × category.
#[derive(Default, Clone, Copy, PartialEq)]
pub(super) struct Bucket {
    /// Charged units priced per unit as simulated (non-tiered).
    pub direct_count: Decimal,
    pub direct_amount: Decimal,
    /// Charged units priced through volume tiers.
    pub tiered: Decimal,
    /// Units eligible for the service allowance (PMP) or conversation free tier (CBP).
    pub allowance_eligible: Decimal,
    pub free_tier_eligible: Decimal,
    pub free: Decimal,
    /// Charged units with no rate in force: counted in `charged`, priced nowhere (SPEC §5).
    pub unpriced: Decimal,
    /// Result.
    pub amount: Decimal,
    pub charged: Decimal,
    pub savings: Decimal,
}

/// The bucket of a market × category.
pub(super) fn slot(m: MarketId, c: Category) -> usize {
    usize::from(m) * Category::COUNT + c.index()
}

/// The market × category of a bucket.
pub(super) fn key_of(i: usize) -> (MarketId, Category) {
    (
        (i / Category::COUNT) as MarketId,
        Category::ALL[i % Category::COUNT],
    )
}

/// The buckets of an estimate being priced on one date.
pub(super) struct Portfolio<'a> {
    pub engine: &'a Engine,
    pub plan: &'a Plan,
    pub book: &'a CurrencyBook,
    pub buckets: Vec<Bucket>,
    pub warnings: &'a mut Vec<EstimateWarning>,
}

impl Portfolio<'_> {
    fn date(&self) -> Date {
        self.plan.date
    }

    /// `units` of a market × category have no rate in force: unpriced, with a warning.
    fn missing(&mut self, market: MarketId, cat: Category, units: Decimal) -> Result<()> {
        add_to(&mut self.buckets[slot(market, cat)].unpriced, units)?;
        let (currency, d) = (&self.plan.currency, self.date());
        self.warnings.push(EstimateWarning {
            code: "missing_rate".to_string(),
            message: format!(
                "no {currency} rate for {} {} on {}: these messages are unpriced and left out of the total; load a rate card file with this rate",
                self.engine.markets.name(market),
                cat.as_str(),
                format_date(d)
            ),
            path: None,
        });
        Ok(())
    }

    /// Prices the tiered units of every market through the volume tiers, one counter per tier
    /// group (SPEC §8: authentication and authentication-international share theirs); returns
    /// the saving from the tiers.
    pub fn tiers(&mut self) -> Result<Decimal> {
        let (rates, d) = (&self.engine.rates, self.date());
        let mut tier_savings = Decimal::ZERO;
        for market in 0..self.engine.markets.names.len() as MarketId {
            for group in TIER_GROUPS {
                let mut n = Decimal::ZERO;
                for c in group {
                    add_to(&mut n, self.buckets[slot(market, *c)].tiered)?;
                }
                if n.is_zero() {
                    continue;
                }
                for &cat in group {
                    let tiered = self.buckets[slot(market, cat)].tiered;
                    if tiered.is_zero() {
                        continue;
                    }
                    let list = rates
                        .rate(self.book, PricingModel::Pmp, market, cat, d)
                        .map(|r| r.rate);
                    let cost = match rates.tier_table(self.book, market, cat, d) {
                        // The category's share of the group's graduated cost (shared counter).
                        Some(t) => div(mul(graduated(rates, t, n)?, tiered)?, n)?,
                        None => match list {
                            Some(l) => mul(l, tiered)?,
                            None => {
                                self.missing(market, cat, tiered)?;
                                Decimal::ZERO
                            }
                        },
                    };
                    let b = &mut self.buckets[slot(market, cat)];
                    if let Some(l) = list {
                        let s = sub(mul(l, tiered)?, cost)?;
                        if s > Decimal::ZERO {
                            add_to(&mut b.savings, s)?;
                            add_to(&mut tier_savings, s)?;
                        }
                    }
                    add_to(&mut b.amount, cost)?;
                    add_to(&mut b.charged, tiered)?;
                }
            }
        }
        Ok(tier_savings)
    }

    /// Adds the units charged as simulated (not tiered).
    pub fn direct(&mut self) -> Result<()> {
        for b in self.buckets.iter_mut() {
            let (c, a) = (b.direct_count, b.direct_amount);
            add_to(&mut b.charged, c)?;
            add_to(&mut b.amount, a)?;
        }
        Ok(())
    }

    /// The 2026-10 service allowance across the portfolio, then the conversation-era free tier
    /// (all conversations in 2022-23, service ones later): the kernel's rule on scaled counts
    /// (SPEC §7.1, §7.2, §7.4). Returns the free units of each.
    pub fn allowances(&mut self) -> Result<(Decimal, Decimal)> {
        let (engine, d) = (self.engine, self.date());
        let eligible: Vec<Decimal> = self.buckets.iter().map(|b| b.allowance_eligible).collect();
        let cap = allowance_cap(&self.plan.options, self.plan.numbers)?;
        let (allowance_free, paid) = apportion(&eligible, cap)?;
        for (i, paid) in paid.into_iter().enumerate() {
            let (market, cat) = key_of(i);
            let rate = service_rate(engine, &self.plan.currency, market, d);
            self.charge_paid(i, eligible[i], paid, rate)?;
            if rate.is_none() && !paid.is_zero() {
                self.missing(market, cat, paid)?;
            }
        }
        let eligible: Vec<Decimal> = self.buckets.iter().map(|b| b.free_tier_eligible).collect();
        let (tier_free, paid) = apportion(&eligible, free_tier_cap(&self.plan.options))?;
        for (i, paid) in paid.into_iter().enumerate() {
            let (market, cat) = key_of(i);
            let rate = engine
                .rates
                .rate(self.book, PricingModel::Cbp, market, cat, d)
                .map(|r| r.rate);
            self.charge_paid(i, eligible[i], paid, rate)?;
            if rate.is_none() && !paid.is_zero() {
                self.missing(market, cat, paid)?;
            }
        }
        Ok((allowance_free, tier_free))
    }

    /// Of `eligible` units of bucket `i`, `paid` are charged at `rate` (unpriced when missing:
    /// the caller counts them) and the rest are free.
    fn charge_paid(
        &mut self,
        i: usize,
        eligible: Decimal,
        paid: Decimal,
        rate: Option<Decimal>,
    ) -> Result<()> {
        if eligible.is_zero() {
            return Ok(());
        }
        let b = &mut self.buckets[i];
        add_to(&mut b.free, sub(eligible, paid)?)?;
        if paid.is_zero() {
            return Ok(());
        }
        if let Some(rate) = rate {
            add_to(&mut b.amount, mul(rate, paid)?)?;
        }
        add_to(&mut b.charged, paid)
    }
}

/// Meta's charges summed from the buckets.
pub(super) struct MetaSums {
    pub total: Decimal,
    pub by_category: Vec<Decimal>,
    pub by_market: Vec<Decimal>,
    /// The buckets with anything in them.
    pub seen: Vec<bool>,
    pub lines: Vec<MetaLine>,
    pub charged: Decimal,
    pub free: Decimal,
    /// The market × category lines with charged units and no rate, sorted.
    pub unpriced: Vec<Unpriced>,
}

/// Sums the buckets into Meta's totals and lines (one per market × category used).
pub(super) fn meta_sums(engine: &Engine, buckets: &[Bucket]) -> Result<MetaSums> {
    let mut m = MetaSums {
        total: Decimal::ZERO,
        by_category: vec![Decimal::ZERO; Category::COUNT],
        by_market: vec![Decimal::ZERO; engine.markets.names.len()],
        seen: vec![false; buckets.len()],
        lines: Vec::new(),
        charged: Decimal::ZERO,
        free: Decimal::ZERO,
        unpriced: Vec::new(),
    };
    for (i, b) in buckets.iter().enumerate() {
        if *b == Bucket::default() {
            continue;
        }
        let (market, cat) = key_of(i);
        add_to(&mut m.total, b.amount)?;
        add_to(&mut m.charged, b.charged)?;
        add_to(&mut m.free, b.free)?;
        add_to(&mut m.by_category[cat.index()], b.amount)?;
        add_to(&mut m.by_market[usize::from(market)], b.amount)?;
        m.seen[i] = true;
        if !b.unpriced.is_zero() {
            m.unpriced.push(Unpriced {
                market: engine.markets.name(market).to_string(),
                category: cat.as_str().to_string(),
                messages: whole_up(b.unpriced),
            });
        }
        // No average rate over units of which some have none (it would read as a rate).
        let rate = if b.charged.is_zero() || !b.unpriced.is_zero() {
            None
        } else {
            Some(m2s(round_shown(div(b.amount, b.charged)?, 8)))
        };
        m.lines.push(MetaLine {
            market: engine.markets.name(market).to_string(),
            category: cat.as_str().to_string(),
            charged: m2s(b.charged),
            free: m2s(b.free),
            amount: m2s(b.amount),
            rate,
            tier_savings: m2s(b.savings),
        });
    }
    crate::sort::sort_dedup(&mut m.unpriced);
    Ok(m)
}

/// A scaled count of messages as a whole count: rounded up (`AwayFromZero`), so that a
/// fraction of an unpriced message still shows as one; saturating at `u64::MAX`.
fn whole_up(n: Decimal) -> u64 {
    use rust_decimal::prelude::ToPrimitive;
    n.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::AwayFromZero)
        .to_u64()
        .unwrap_or(u64::MAX)
}

/// Each journey's share of Meta's charges: its counts at each bucket's average price.
pub(super) fn journey_lines(
    plan: &Plan,
    buckets: &[Bucket],
    journey_counts: &[Vec<Decimal>],
    journey_messages: &[Decimal],
) -> Result<Vec<JourneyLine>> {
    plan.journeys
        .iter()
        .zip(journey_counts.iter().zip(journey_messages.iter()))
        .map(|(pj, (counts, sent))| {
            let mut amount = Decimal::ZERO;
            for (b, n) in buckets.iter().zip(counts.iter()) {
                let units = crate::money::add(b.charged, b.free)?;
                if !units.is_zero() && !n.is_zero() {
                    add_to(&mut amount, div(mul(b.amount, *n)?, units)?)?;
                }
            }
            Ok(JourneyLine {
                name: pj.name.clone(),
                contacts: m2s(mul(plan.contacts, pj.share)?),
                amount: m2s(round_shown(amount, 10)),
                messages: m2s(*sent),
                occurrences: m2s(pj.occurrences),
                times_per_month: m2s(round_shown(pj.times_per_month, 6)),
            })
        })
        .collect()
}
