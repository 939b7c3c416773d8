//! The ledger of a simulation: totals, months, cards used and warnings.

use super::state::Sim;
use super::{CardUse, Simulation, Verdict};
use crate::error::Result;
use crate::markets::MarketId;
use crate::messages::{Message, Params, Value};
use crate::model::{Category, VerdictType};
use crate::money::add;
use crate::time::month_key;
use rust_decimal::Decimal;
use rustc_hash::FxHashSet;

/// A warning about the result (not an error): a message of the catalogue (`src/messages.rs`).
pub type Warning = Message;

const WARN_CAP: usize = 20;

pub(super) struct Warnings {
    pub(super) list: Vec<Warning>,
    pub(super) seen: FxHashSet<String>,
    /// Count of each code of per-event warnings: a short list (one code today), searched by
    /// address first, since it is looked up for every such event.
    pub(super) per_code: Vec<(&'static str, usize)>,
}

impl Warnings {
    pub(super) fn once(
        &mut self,
        code: &'static str,
        key: String,
        params: impl FnOnce() -> Params,
    ) {
        if self.seen.insert(key) {
            self.list.push(Message::new(code, params()));
        }
    }

    pub(super) fn event(
        &mut self,
        code: &'static str,
        index: u32,
        params: impl FnOnce() -> Params,
    ) {
        let i = match self
            .per_code
            .iter()
            .position(|&(c, _)| std::ptr::eq(c, code) || c == code)
        {
            Some(i) => i,
            None => {
                self.per_code.push((code, 0));
                self.per_code.len() - 1
            }
        };
        let n = &mut self.per_code[i].1;
        *n += 1;
        if *n <= WARN_CAP {
            let mut m = Message::new(code, params());
            m.index = Some(index);
            self.list.push(m);
        }
    }

    pub(super) fn finish(mut self) -> Vec<Warning> {
        let mut extra: Vec<_> = self
            .per_code
            .iter()
            .filter(|&&(_, n)| n > WARN_CAP)
            .copied()
            .collect();
        crate::sort::sort_dedup(&mut extra);
        for (code, n) in extra {
            self.list.push(Message::new(
                "more_warnings",
                Params::new()
                    .with("count", Value::Count((n - WARN_CAP) as u64))
                    .with("total", Value::Count(n as u64))
                    .with("warning", Value::Code(code)),
            ));
        }
        self.list
    }
}

impl Sim<'_> {
    /// Takes one not-delivered verdict out of the counts (see `Simulator::withdraw_undelivered`).
    pub(super) fn withdraw_undelivered(&mut self) {
        let t = &mut self.totals;
        t.messages = t.messages.saturating_sub(1);
        t.not_delivered = t.not_delivered.saturating_sub(1);
        let nd = VerdictType::NotDelivered as usize;
        t.by_type[nd] = t.by_type[nd].saturating_sub(1);
    }

    #[cfg_attr(
        any(not(target_arch = "wasm32"), feature = "logs-wasm"),
        inline(always)
    )]
    pub(super) fn record(&mut self, v: &Verdict) -> Result<()> {
        let t = &mut self.totals;
        t.messages += 1;
        t.by_type[v.vtype as usize] += 1;
        let slot = usize::from(v.resolution.market) * Category::COUNT + v.category.index();
        if v.vtype == VerdictType::NotDelivered {
            t.not_delivered += 1;
        } else {
            self.delivered[slot] += 1;
            if v.charged {
                t.charged += 1;
            } else {
                t.free += 1;
            }
        }
        if v.charged && v.rate.is_none() {
            // Charged with no rate in force (lenient pricing): unpriced, not 0.
            *self
                .totals
                .unpriced
                .entry((v.resolution.market, v.category))
                .or_insert(0) += 1;
        }
        if v.charged {
            self.charged_sums[slot] = add(self.charged_sums[slot], v.amount)?;
            self.charged_n[slot] += 1;
            let m = month_key(v.local_date);
            if self.month_sum.0 != m {
                self.flush_month()?;
                self.month_sum = (m, Decimal::ZERO);
            }
            self.month_sum.1 = add(self.month_sum.1, v.amount)?;
        }
        if self.req.options.keep_messages {
            self.verdicts.push(*v);
        }
        Ok(())
    }

    pub(super) fn flush_month(&mut self) -> Result<()> {
        let (m, sum) = self.month_sum;
        if !sum.is_zero() {
            let e = self.totals.by_month.entry(m).or_default();
            *e = add(*e, sum)?;
        }
        self.month_sum = (m, Decimal::ZERO);
        Ok(())
    }

    pub(super) fn use_card(&mut self, card: CardUse) {
        if self.last_card != Some(card) {
            self.cards.insert(card);
            self.last_card = Some(card);
        }
    }

    pub(super) fn finish(mut self) -> Result<Simulation> {
        self.flush_month()?;
        let names = self.tables.markets.names.len();
        for m in 0..names {
            for c in Category::ALL {
                let slot = m * Category::COUNT + c.index();
                let (sum, n, charged) = (
                    self.charged_sums[slot],
                    self.delivered[slot],
                    self.charged_n[slot],
                );
                let market = m as MarketId;
                if n > 0 {
                    self.totals
                        .delivered_by_market_category
                        .insert((market, c), n);
                }
                if charged > 0 {
                    self.totals
                        .charged_by_market_category
                        .insert((market, c), charged);
                }
                if !sum.is_zero() || charged > 0 {
                    // The total is the sum of these sums (exact: decimal addition of amounts of
                    // a few places does not round), kept once per slot rather than per message.
                    self.totals.amount = add(self.totals.amount, sum)?;
                    self.totals.by_market_category.insert((market, c), sum);
                    let e = self.totals.by_category.entry(c).or_default();
                    *e = add(*e, sum)?;
                    let e = self.totals.by_market.entry(market).or_default();
                    *e = add(*e, sum)?;
                }
            }
        }
        let mut cards: Vec<CardUse> = self.cards.into_iter().collect();
        crate::sort::sort_dedup(&mut cards);
        Ok(Simulation {
            currency: self.req.currency.clone(),
            timezone: self.req.zone.name(),
            verdicts: {
                let mut v = self.verdicts;
                crate::sort::sort_by_key(&mut v, |x| x.index);
                v
            },
            totals: self.totals,
            cards,
            warnings: self.warnings.finish(),
            windows: self.windows,
            groups: self.req.sources.groups.clone(),
        })
    }
}
