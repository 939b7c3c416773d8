//! The parts of an estimate's report other than the charges: messaging limits and the cards used.

use super::portfolio::{key_of, Bucket};
use super::{CardUsed, EstimateWarning, Limits};
use crate::money::to_string as m2s;
use crate::pricing::CardUse;
use crate::rates::CurrencyBook;
use crate::scenario::Plan;
use crate::time::format_date;
use crate::Engine;
use rust_decimal::Decimal;

/// The messaging-limit tiers, smallest first (`None`: unlimited).
const LADDER: [Option<u64>; 5] = [Some(250), Some(1000), Some(10_000), Some(100_000), None];

/// The position of a tier on the ladder (2,000, a tier of its own, counts as 1,000's step).
fn step_of(t: Option<u64>) -> u64 {
    match t {
        Some(250) => 0,
        Some(1000) | Some(2000) => 1,
        Some(10_000) => 2,
        Some(100_000) => 3,
        _ => 4,
    }
}

/// Whether the plan's messaging limit admits the busiest day's unique business-initiated
/// recipients, and if not, the tier needed and the ramp-up to it (with a warning).
pub(super) fn limits(
    plan: &Plan,
    daily: &[Decimal],
    warnings: &mut Vec<EstimateWarning>,
) -> Limits {
    let peak = daily.iter().copied().max().unwrap_or(Decimal::ZERO);
    let fits = |t: Option<u64>| t.is_none_or(|t| Decimal::from(t) >= peak);
    let needed = LADDER.iter().copied().find(|t| fits(*t)).unwrap_or(None);
    let ok = fits(plan.limit_tier);
    let steps = if ok {
        0
    } else {
        step_of(needed).saturating_sub(step_of(plan.limit_tier))
    };
    if !ok {
        warnings.push(EstimateWarning {
            code: "messaging_limit".to_string(),
            message: format!(
                "the scenario sends business-initiated messages to up to {} unique customers in one day, above the messaging limit of {}; reaching {} takes about {} days of ramp-up",
                m2s(peak.ceil()),
                plan.limit_tier.map_or("unlimited".to_string(), |t| t.to_string()),
                needed.map_or("unlimited".to_string(), |t| t.to_string()),
                steps * plan.ramp_days_per_step
            ),
            path: Some("business.messagingLimit".to_string()),
        });
    }
    Limits {
        peak_daily_recipients: m2s(peak),
        tier: plan.limit_tier,
        ok,
        needed_tier: needed,
        ramp_days: steps * plan.ramp_days_per_step,
    }
}

/// The cards used, each with the lowest confidence and the sources of the rates it priced.
pub(super) fn cards(
    engine: &Engine,
    plan: &Plan,
    book: &CurrencyBook,
    buckets: &[Bucket],
    used: &[CardUse],
) -> Vec<CardUsed> {
    let d = plan.date;
    let mut cards = Vec::new();
    for &(model, date) in used {
        let mut lowest = crate::model::Confidence::High;
        let mut sources: Vec<&str> = Vec::new();
        for (i, b) in buckets.iter().enumerate() {
            if *b == Bucket::default() {
                continue;
            }
            let (market, cat) = key_of(i);
            if let Some(r) = engine.rates.rate(book, model, market, cat, d) {
                lowest = lowest.min(r.provenance.confidence);
                for s in r.provenance.sources.split(';').filter(|s| !s.is_empty()) {
                    if !sources.contains(&s) {
                        sources.push(s);
                    }
                }
            }
        }
        crate::sort::sort_dedup(&mut sources);
        cards.push(CardUsed {
            date: format_date(date),
            currency: plan.currency.clone(),
            pricing_model: model,
            confidence: lowest.as_str().to_string(),
            sources: sources.join(";"),
        });
    }
    cards
}
