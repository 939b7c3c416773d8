//! The reconciliation with Meta's `pricing` objects, the expected invoice and the what-if delta.

use super::*;

#[derive(Default)]
pub(super) struct Recon {
    pub(super) seen_pricing: bool,
    pub(super) report: Reconciliation,
    /// Delivered messages Meta marked billable, `[market][Meta category]` (the last: other).
    pub(super) meta_billable: Vec<u64>,
}

/// Meta's categories as counted in the invoice: the engine's, then one for anything else.
pub(super) const META_CATEGORIES: usize = Category::COUNT + 1;

impl<'a> Core<'a> {
    pub(super) fn reconcile(&mut self, v: &Verdict, m: &PendingMsg, line: u64) {
        if v.vtype == VerdictType::NotDelivered && v.reason != Reason::NoWindow {
            return;
        }
        let r = &mut self.recon;
        let Some(p) = &m.pricing else {
            r.report.without_pricing += 1;
            return;
        };
        r.seen_pricing = true;
        r.report.compared += 1;
        let engine_billable = match v.model {
            PricingModel::Pmp => v.charged,
            PricingModel::Cbp => {
                matches!(v.vtype, VerdictType::Regular | VerdictType::FreeTier)
                    && v.category != Category::ReferralConversion
            }
        };
        if p.billable == Some(true) {
            let c = match p.category.as_deref() {
                Some("marketing_lite") => Category::Marketing.index(),
                Some(c) => Category::parse(c).map_or(Category::COUNT, Category::index),
                None => Category::COUNT,
            };
            r.meta_billable[usize::from(v.resolution.market) * META_CATEGORIES + c] += 1;
        }
        let mut fields = Vec::new();
        if p.billable.is_some_and(|b| b != engine_billable) {
            fields.push("billable");
        }
        if p.model.as_deref().is_some_and(|x| x != v.model.as_str()) {
            fields.push("pricingModel");
        }
        if let Some(c) = p.category.as_deref() {
            let meta = if c == "marketing_lite" {
                "marketing"
            } else {
                c
            };
            if meta != v.category.as_str() {
                fields.push("category");
            }
        }
        if p.vtype.as_deref().is_some_and(|t| t != v.vtype.as_str()) {
            fields.push("type");
        }
        if fields.is_empty() {
            r.report.agreed += 1;
            return;
        }
        r.report.disagreed += 1;
        for f in &fields {
            let b = &mut r.report.by_field;
            match *f {
                "billable" => b.billable += 1,
                "pricingModel" => b.pricing_model += 1,
                "category" => b.category += 1,
                _ => b.vtype += 1,
            }
        }
        if r.report.disagreements.len() < self.opts.max_disagreements {
            let currency = &self.opts.request.currency;
            r.report.disagreements.push(Disagreement {
                line,
                id: m.id.to_string(),
                at: format_instant(v.at),
                user: v.user.to_e164(),
                market: self.engine.markets.name(v.resolution.market).to_string(),
                fields,
                meta: MetaVerdict {
                    billable: p.billable,
                    pricing_model: p.model.clone(),
                    category: p.category.clone(),
                    vtype: p.vtype.clone(),
                },
                engine: EngineVerdict {
                    billable: engine_billable,
                    charged: v.charged,
                    pricing_model: v.model,
                    category: v.category.as_str().to_string(),
                    vtype: v.vtype.as_str().to_string(),
                    amount: money::to_string(v.amount),
                },
                explanation: report::explain(self.engine, currency, v),
            });
        }
    }

    pub(super) fn invoice(&self, sim: &Simulation, with_meta: bool) -> Vec<InvoiceRow> {
        let names = &self.engine.markets;
        let mut index = Map::default();
        let mut rows: Vec<InvoiceRow> = Vec::new();
        let mut row = |m: MarketId, c: usize| -> usize {
            let n = rows.len() as u32;
            let i = *index.entry((u64::from(m) << 8) | c as u64).or_insert(n);
            if i == n {
                rows.push(InvoiceRow {
                    market: names.name(m).to_string(),
                    category: Category::ALL
                        .get(c)
                        .map_or("other", |c| c.as_str())
                        .to_string(),
                    delivered: 0,
                    charged: 0,
                    amount: "0".to_string(),
                    meta_billable: with_meta.then_some(0),
                });
            }
            i as usize
        };
        let t = &sim.totals;
        let mut cells: Vec<(usize, u64, Option<Decimal>, u64, u64)> = Vec::new();
        for (&(m, c), &n) in &t.delivered_by_market_category {
            cells.push((row(m, c.index()), n, None, 0, 0));
        }
        for (&(m, c), a) in &t.by_market_category {
            cells.push((row(m, c.index()), 0, Some(*a), 0, 0));
        }
        for (&(m, c), &n) in &t.charged_by_market_category {
            cells.push((row(m, c.index()), 0, None, n, 0));
        }
        if with_meta {
            for (i, &n) in self.recon.meta_billable.iter().enumerate() {
                if n > 0 {
                    let m = (i / META_CATEGORIES) as MarketId;
                    cells.push((row(m, i % META_CATEGORIES), 0, None, 0, n));
                }
            }
        }
        for (i, delivered, amount, charged, meta) in cells {
            let r = &mut rows[i];
            r.delivered += delivered;
            r.charged += charged;
            if let Some(a) = amount {
                r.amount = money::to_string(a);
            }
            if let Some(b) = r.meta_billable.as_mut() {
                *b += meta;
            }
        }
        insertion_sort(&mut rows, |a, b| {
            (&a.market, &a.category) > (&b.market, &b.category)
        });
        rows
    }
}

pub(super) fn delta(engine: &Engine, base: &Simulation, what_if: &Simulation) -> WhatIfDelta {
    let row = |key: &str, b: Decimal, w: Decimal| DeltaRow {
        key: key.to_string(),
        base: money::to_string(b),
        what_if: money::to_string(w),
        delta: money::to_string(w - b),
    };
    fn pair<'k>(v: &mut Vec<(&'k str, Decimal, Decimal)>, k: &'k str, a: Decimal, second: bool) {
        let i = match v.iter().position(|x| x.0 == k) {
            Some(i) => i,
            None => {
                v.push((k, Decimal::ZERO, Decimal::ZERO));
                v.len() - 1
            }
        };
        if second {
            v[i].2 = a;
        } else {
            v[i].1 = a;
        }
    }
    let mut cats = Vec::new();
    let mut markets = Vec::new();
    for (s, second) in [(base, false), (what_if, true)] {
        for (c, a) in &s.totals.by_category {
            pair(&mut cats, c.as_str(), *a, second);
        }
        for (m, a) in &s.totals.by_market {
            pair(&mut markets, engine.markets.name(*m), *a, second);
        }
    }
    insertion_sort(&mut cats, |a, b| a.0 > b.0);
    insertion_sort(&mut markets, |a, b| a.0 > b.0);
    WhatIfDelta {
        amount: row("", base.totals.amount, what_if.totals.amount),
        by_category: cats.into_iter().map(|(k, b, w)| row(k, b, w)).collect(),
        by_market: markets.into_iter().map(|(k, b, w)| row(k, b, w)).collect(),
    }
}

/// Sorts the few rows of a report (a few hundred at most) without pulling a general sort into
/// the WebAssembly build.
pub(super) fn insertion_sort<T>(v: &mut [T], greater: impl Fn(&T, &T) -> bool) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && greater(&v[j - 1], &v[j]) {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}
