//! The reconciliation with Meta's `pricing` objects, the expected invoice and the what-if delta.

use super::*;
use crate::labels;
use crate::logs::classify;
use crate::logs::report::{ClassCounts, ClassTotal, Inference, SuggestedOpening};
use crate::logs::sink::{RECIPIENT_APPROXIMATE, RECIPIENT_BSUID, RECIPIENT_GROUP};

/// Message ids kept as the evidence of each inference.
const MAX_EVIDENCE: usize = 5;

#[derive(Default)]
pub(super) struct Recon {
    pub(super) seen_pricing: bool,
    pub(super) report: Reconciliation,
    /// Disagreements and money at stake per class (`classify::Class as usize`).
    pub(super) class_count: [u64; 3],
    pub(super) class_stake: [Decimal; 3],
    /// Disagreements and their first ids per context (`classify::Context as usize`).
    pub(super) context_count: [u64; 3],
    pub(super) context_evidence: [Vec<String>; 3],
    /// Delivered messages Meta marked billable, `[market][Meta category]` (the last: other).
    pub(super) meta_billable: Vec<u64>,
    /// Per sending number, the opening service count that makes Meta's earliest charge of a
    /// message the engine counted within the allowance a charge (`allowance_used_before`), for
    /// the first month that shows one.
    pub(super) opening_service: Vec<(Option<crate::markets::Phone>, u64)>,
    pub(super) opening_month: Option<crate::time::MonthKey>,
}

/// Meta's categories as counted in the invoice: the engine's, then one for anything else.
pub(super) const META_CATEGORIES: usize = Category::COUNT + 1;

impl<'a> Core<'a> {
    /// Counts a delivered webhook message's recipient: a group participant, a BSUID.
    pub(super) fn count_recipient(&mut self, m: &PendingMsg) {
        if m.recipient & RECIPIENT_GROUP != 0 {
            self.input.group_deliveries += 1;
        }
        if m.recipient & RECIPIENT_BSUID != 0 {
            self.input.bsuid_messages += 1;
            if m.recipient & RECIPIENT_APPROXIMATE != 0 {
                self.input.approximate_markets += 1;
            }
        }
    }

    /// What Meta's verdict costs: nothing when free; when charged (per-message), the rate of
    /// Meta's category — the engine's own amount when it charged the same category, the rate at
    /// the message's tier position for utility and authentication (SPEC §8: the band of the
    /// month's count + 1, from 2026-10-01 where the card has tiers), else the list rate (the
    /// service rate is the `service` row, else utility: SPEC §13.11); in the conversation eras,
    /// the engine's amount (Meta gives no charge per message).
    fn meta_amount(&self, meta: &classify::Meta<'_>, p: &MetaPricing, v: &Verdict) -> Decimal {
        match meta.paid() {
            Some(false) => Decimal::ZERO,
            None => v.amount,
            Some(true) => {
                let cat = p.category().unwrap_or(v.category);
                if v.charged && cat == v.category {
                    return v.amount;
                }
                if matches!(
                    cat,
                    Category::Utility
                        | Category::Authentication
                        | Category::AuthenticationInternational
                ) {
                    let tiered = self
                        .base
                        .as_ref()
                        .and_then(|b| b.sim.as_ref())
                        .and_then(|s| s.next_tier_rate(v.resolution.market, cat, v.local_date));
                    if let Some(rate) = tiered {
                        return rate;
                    }
                }
                let rates = &self.engine.rates;
                let Some(book) = rates.currency(&self.opts.request.currency) else {
                    return v.amount;
                };
                let rate = |c| {
                    rates
                        .rate(
                            book,
                            PricingModel::Pmp,
                            v.resolution.market,
                            c,
                            v.local_date,
                        )
                        .map(|r| r.rate)
                };
                let found = match cat {
                    Category::Service => {
                        rate(Category::Service).or_else(|| rate(Category::Utility))
                    }
                    c => rate(c),
                };
                found.unwrap_or(v.amount)
            }
        }
    }

    /// Compares a delivered message's verdict with Meta's `pricing` object, in Meta's words
    /// (SPEC §14, §15; [`crate::labels`]), and classes a disagreement ([`classify`]).
    pub(super) fn reconcile(&mut self, v: &Verdict, m: &PendingMsg, line: u64) {
        if v.vtype == VerdictType::NotDelivered && v.reason != Reason::NoWindow {
            return;
        }
        let Some(p) = &m.pricing else {
            self.recon.report.without_pricing += 1;
            return;
        };
        self.recon.seen_pricing = true;
        self.recon.report.compared += 1;
        let words = p.words();
        let group = m.recipient & RECIPIENT_GROUP != 0 || words.is_some_and(|w| w.group);
        let lite = v.kind == EventKind::MarketingLite || words.is_some_and(|w| w.lite);
        let engine_billable = labels::billable(v);
        let engine_category = labels::meta_category(v, lite, group);
        let engine_type = labels::meta_type(v, group);
        if p.billable == Some(true) {
            let c = p.category().map_or(Category::COUNT, Category::index);
            let i = usize::from(v.resolution.market) * META_CATEGORIES + c;
            self.recon.meta_billable[i] += 1;
        }
        let mut fields = Vec::new();
        if p.billable.is_some_and(|b| b != engine_billable) {
            fields.push("billable");
        }
        if p.model.as_deref().is_some_and(|x| x != v.model.as_str()) {
            fields.push("pricingModel");
        }
        if p.category
            .as_deref()
            .is_some_and(|c| !labels::same_category(c, engine_category))
        {
            fields.push("category");
        }
        if p.vtype.as_deref().is_some_and(|t| t != engine_type) {
            fields.push("type");
        }
        let nonprofit = self.opts.request.options.nonprofit;
        if fields.is_empty() {
            // SPEC §15: Meta marks an eligible non-profit's free service `paid_exempt`; without
            // the nonprofit option that is an inference, though the labels agree.
            if p.subtype.as_deref() == Some("paid_exempt") && !nonprofit {
                self.infer(classify::Context::NonprofitExempt, &m.id);
            }
            self.recon.report.agreed += 1;
            return;
        }
        let meta = classify::Meta {
            billable: p.billable,
            model: p.model.as_deref(),
            category: p.category.as_deref(),
            vtype: p.vtype.as_deref(),
            subtype: p.subtype.as_deref(),
        };
        let (class, context) = classify::classify(&meta, v, nonprofit);
        let stake = (self.meta_amount(&meta, p, v) - v.amount).abs();
        let r = &mut self.recon;
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
        let i = class as usize;
        r.class_count[i] += 1;
        r.class_stake[i] += stake;
        if let Some(c) = context {
            self.infer(c, &m.id);
        }
        if let (Some(classify::Context::AllowanceUsedBefore), Reason::ServiceAllowance { n, of }) =
            (context, v.reason)
        {
            // Meta charged the n-th: at least of − n + 1 were used before the log (SPEC §7.4).
            self.suggest_opening(v.from, crate::time::month_key(v.local_date), of - n + 1);
        }
        let r = &mut self.recon;
        if r.report.disagreements.len() < self.opts.max_disagreements {
            let currency = &self.opts.request.currency;
            let why = report::explanation(self.engine, currency, v);
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
                    subtype: p.subtype.clone(),
                },
                engine: EngineVerdict {
                    billable: engine_billable,
                    charged: v.charged,
                    pricing_model: v.model,
                    category: engine_category.to_string(),
                    vtype: engine_type.to_string(),
                    amount: money::to_string(v.amount),
                },
                explanation: why.message(),
                explanation_code: why.code,
                explanation_params: why.params,
                class,
                context,
                at_stake: money::to_string(stake),
                meta_words: classify::meta_words(&meta),
                engine_words: classify::engine_words(v, currency, engine_type),
            });
        }
    }

    /// Raises the opening service count suggested for a number (the largest needed so far).
    fn suggest_opening(
        &mut self,
        from: Option<crate::markets::Phone>,
        month: crate::time::MonthKey,
        need: u64,
    ) {
        // The opening state is of one month: the first that shows it (later ones are in the log).
        if *self.recon.opening_month.get_or_insert(month) != month {
            return;
        }
        let list = &mut self.recon.opening_service;
        // Keyed by the account (no number) under the account scope, as the allowance is.
        let from = match self.opts.request.options.allowance_scope {
            crate::pricing::AllowanceScope::Number => from,
            crate::pricing::AllowanceScope::Waba => None,
        };
        match list.iter_mut().find(|x| x.0 == from) {
            Some(x) => x.1 = x.1.max(need),
            None => list.push((from, need)),
        }
    }

    /// One more message showing what the log lacks.
    fn infer(&mut self, c: classify::Context, id: &str) {
        let r = &mut self.recon;
        let k = c as usize;
        r.context_count[k] += 1;
        if r.context_evidence[k].len() < MAX_EVIDENCE {
            r.context_evidence[k].push(id.to_string());
        }
    }

    /// The classes' totals and the inferences, into the report.
    pub(super) fn close_reconciliation(&mut self) {
        let r = &mut self.recon;
        let total = |i: usize| ClassTotal {
            count: r.class_count[i],
            amount: money::to_string(r.class_stake[i]),
        };
        r.report.by_class = ClassCounts {
            money: total(classify::Class::Money as usize),
            label: total(classify::Class::Label as usize),
            context: total(classify::Class::Context as usize),
        };
        r.report.inferences = classify::Context::ALL
            .iter()
            .filter(|c| r.context_count[**c as usize] > 0)
            .map(|&c| Inference {
                code: c.as_str(),
                message: c.inference().to_string(),
                count: r.context_count[c as usize],
                evidence: std::mem::take(&mut r.context_evidence[c as usize]),
                opening: (c == classify::Context::AllowanceUsedBefore
                    && !r.opening_service.is_empty())
                .then(|| SuggestedOpening {
                    month: crate::time::format_month(r.opening_month.unwrap_or_default()),
                    service: r
                        .opening_service
                        .iter()
                        .map(|(p, n)| (p.map_or("default".to_string(), |p| p.to_e164()), *n))
                        .collect(),
                }),
            })
            .collect();
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
