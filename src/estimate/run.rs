//! The simulations of an estimate: each journey × cohort once, one representative contact per
//! audience segment, every verdict scaled by the contacts it stands for.

use super::portfolio::{slot, Bucket};
use crate::error::Result;
use crate::model::{Category, VerdictType};
use crate::money::{add_to, mul};
use crate::pricing::{CardUse, EventKind, Reason, Request, Simulator, Status, Verdict};
use crate::scenario::{Cohort, Plan, PlannedJourney};
use crate::time::DAY_MS;
use crate::Engine;
use rust_decimal::Decimal;

/// Days of the month tracked for the messaging limit (a month has at most 31; occurrences are
/// moved back inside it).
const DAYS: usize = 128;

/// The scaled counts of a plan's simulations.
pub(super) struct Tally {
    /// Per market × category ([`slot`]).
    pub buckets: Vec<Bucket>,
    /// Per journey: delivered messages per market × category.
    pub journey_counts: Vec<Vec<Decimal>>,
    /// Per journey: business messages sent.
    pub journey_messages: Vec<Decimal>,
    pub business: Decimal,
    pub delivered: Decimal,
    pub not_delivered: Decimal,
    pub inbound: Decimal,
    /// Free inside the customer-service window.
    pub window: Decimal,
    /// Free entry points.
    pub entry: Decimal,
    /// Riders of open conversations.
    pub riders: Decimal,
    /// Conversations opened.
    pub conversations: Decimal,
    /// The simulations' warnings, each once (at most 50).
    pub warnings: Vec<crate::messages::Message>,
    /// Cards used.
    pub cards: Vec<CardUse>,
    /// Unique business-initiated recipients per day of the month.
    pub daily: Vec<Decimal>,
}

/// Simulates every journey × cohort of a plan under `req` (the plan's settings, with unbounded
/// free tiers: the portfolio applies them afterwards).
pub(super) fn run(engine: &Engine, plan: &Plan, req: &Request) -> Result<Tally> {
    let slots = engine.markets.names.len() * Category::COUNT;
    let mut t = Tally {
        buckets: vec![Bucket::default(); slots],
        journey_counts: Vec::new(),
        journey_messages: Vec::new(),
        business: Decimal::ZERO,
        delivered: Decimal::ZERO,
        not_delivered: Decimal::ZERO,
        inbound: Decimal::ZERO,
        window: Decimal::ZERO,
        entry: Decimal::ZERO,
        riders: Decimal::ZERO,
        conversations: Decimal::ZERO,
        warnings: Vec::new(),
        cards: Vec::new(),
        daily: vec![Decimal::ZERO; DAYS],
    };
    for pj in &plan.journeys {
        let mut counts: Vec<Decimal> = vec![Decimal::ZERO; slots];
        let mut sent = Decimal::ZERO;
        for cohort in &pj.cohorts {
            t.cohort(engine, plan, req, pj, cohort, &mut counts, &mut sent)?;
        }
        t.journey_counts.push(counts);
        t.journey_messages.push(sent);
    }
    Ok(t)
}

impl Tally {
    /// One simulation per cohort, every segment's representative contact in it.
    #[allow(clippy::too_many_arguments)]
    fn cohort(
        &mut self,
        engine: &Engine,
        plan: &Plan,
        req: &Request,
        pj: &PlannedJourney,
        cohort: &Cohort,
        counts: &mut [Decimal],
        sent: &mut Decimal,
    ) -> Result<()> {
        let mut events = Vec::new();
        for (si, seg) in plan.segments.iter().enumerate() {
            for e in plan.events(cohort, seg.phone) {
                events.push((e, si, events.len()));
            }
        }
        // By time; equal times keep their order (segment, then step).
        crate::sort::sort_by_key(&mut events, |(e, _, k)| (e.at, *k));
        let mut sim = Simulator::new(engine, req)?;
        let mut last_inbound: Vec<i64> = vec![i64::MIN; plan.segments.len()];
        let mut bi_days: Vec<u128> = vec![0; plan.segments.len()];
        for (e, si, _) in &events {
            let w = pj.weight(plan.segments[*si].contacts, cohort)?;
            if w.is_zero() {
                continue;
            }
            let v = sim.push(e)?;
            if let EventKind::Inbound { .. } = e.kind {
                add_to(&mut self.inbound, w)?;
                last_inbound[*si] = e.at;
                continue;
            }
            let Some(v) = v else { continue };
            add_to(&mut self.business, w)?;
            add_to(sent, w)?;
            // Business-initiated: templates and Marketing Messages API messages (SPEC §15).
            if let EventKind::Template(_) | EventKind::MarketingLite = e.kind {
                if e.status == Status::Delivered
                    && e.at >= last_inbound[*si].saturating_add(DAY_MS)
                    && v.vtype != VerdictType::FreeEntryPoint
                {
                    let day = (e.at - plan.month_start).div_euclid(DAY_MS);
                    if (0..DAYS as i64).contains(&day) {
                        bi_days[*si] |= 1u128 << day;
                    }
                }
            }
            self.verdict(&v, w, counts)?;
        }
        for (si, days) in bi_days.iter().enumerate() {
            let w = pj.weight(plan.segments[si].contacts, cohort)?;
            for (day, total) in self.daily.iter_mut().enumerate() {
                if days & (1u128 << day) != 0 {
                    add_to(total, w)?;
                }
            }
        }
        let s = sim.finish()?;
        for w in s.warnings {
            if self.warnings.len() < 50 && !self.warnings.contains(&w) {
                self.warnings.push(w);
            }
        }
        for c in s.cards {
            if !self.cards.contains(&c) {
                self.cards.push(c);
            }
        }
        Ok(())
    }

    /// Counts the verdict on a business message for `w` contacts: in its bucket, by why it is
    /// free or how it is charged.
    fn verdict(&mut self, v: &Verdict, w: Decimal, counts: &mut [Decimal]) -> Result<()> {
        if v.vtype == VerdictType::NotDelivered {
            return add_to(&mut self.not_delivered, w);
        }
        add_to(&mut self.delivered, w)?;
        let k = slot(v.resolution.market, v.category);
        add_to(&mut counts[k], w)?;
        if let Some(c) = v.conversation {
            if c.opened {
                add_to(&mut self.conversations, w)?;
            }
        }
        let b = &mut self.buckets[k];
        match (v.vtype, v.reason) {
            (VerdictType::FreeCustomerService, Reason::ServiceAllowance { .. }) => {
                add_to(&mut b.allowance_eligible, w)
            }
            (VerdictType::FreeTier, Reason::ConversationOpened) => {
                add_to(&mut b.free_tier_eligible, w)
            }
            (VerdictType::FreeEntryPoint, _) => {
                add_to(&mut self.entry, w)?;
                add_to(&mut b.free, w)
            }
            (VerdictType::FreeCustomerService, _) => {
                add_to(&mut self.window, w)?;
                add_to(&mut b.free, w)
            }
            _ if v.charged && v.tier.is_some() => add_to(&mut b.tiered, w),
            _ if v.charged => {
                if v.rate.is_none() {
                    // No rate in force (the simulation is lenient): unpriced, not 0.
                    add_to(&mut b.unpriced, w)?;
                }
                add_to(&mut b.direct_count, w)?;
                add_to(&mut b.direct_amount, mul(v.amount, w)?)
            }
            _ => {
                add_to(&mut self.riders, w)?;
                add_to(&mut b.free, w)
            }
        }
    }
}
