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

/// Whether the plan's messaging limit admits the busiest day's unique business-initiated
/// recipients, and if not, the tier needed and the ramp-up to it (with a warning).
pub(super) fn limits(
    plan: &Plan,
    daily: &[Decimal],
    warnings: &mut Vec<EstimateWarning>,
) -> Limits {
    let peak = daily.iter().copied().max().unwrap_or(Decimal::ZERO);
    // SPEC §15: the tiers, scope and ramp of the date (src/limits.rs).
    let rules = &plan.limit_rules;
    let a = crate::limits::advise(rules, plan.limit_tier, plan.numbers, peak);
    if !a.ok {
        use crate::messages::{Params, Value};
        let code = match a.verification {
            true => "messaging_limit_verification",
            false => "messaging_limit",
        };
        warnings.push(
            EstimateWarning::new(
                code,
                Params::new()
                    .with(
                        "peak",
                        Value::Count(
                            rust_decimal::prelude::ToPrimitive::to_u64(&peak.ceil())
                                .unwrap_or(u64::MAX),
                        ),
                    )
                    .with("limit", Value::Limit(plan.limit_tier))
                    .with(
                        "scope",
                        Value::Term(match rules.scope {
                            crate::limits::Scope::Number => "number",
                            crate::limits::Scope::Portfolio => "portfolio",
                        }),
                    )
                    .with("needed", Value::Limit(a.needed))
                    .with("hours", Value::Count(a.ramp_hours))
                    .with(
                        "ramp",
                        Value::Term(match rules.ramp {
                            crate::limits::Ramp::TwoDaysPerStep => "two_days_per_step",
                            crate::limits::Ramp::SixHoursOnceHalfUsed => "six_hours_once_half_used",
                        }),
                    ),
            )
            .at("business.messagingLimit"),
        );
    }
    Limits {
        peak_daily_recipients: m2s(peak),
        tier: plan.limit_tier,
        ok: a.ok,
        needed_tier: a.needed,
        ramp_days: a.ramp_days,
        ramp_hours: a.ramp_hours,
        verification: a.verification,
        scope: rules.scope,
        tiers: rules.tiers.to_vec(),
        default_tier: rules.start,
        ramp: rules.ramp,
        rules_from: format_date(rules.from),
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
