//! Journeys: the presets of `docs/estimate.md` and custom steps, expanded into cohorts of
//! timelines (offsets from the month start).

use super::plan::{err, non_negative, out_of_range, over_limit, percent, Cohort, PlannedJourney};
use super::presets::{
    ParamDef, AGENT_REPLIES, CHAT_HOURS, CONFIRMATION, CUSTOMER_MESSAGES, DEFAULT_FOLLOW_UPS,
    DELIVERY, DELIVERY_AFTER_HOURS, FAIL_SHARE, FOLLOW_UPS, REPLIES_PER_CHAT, REPLY_SHARE,
    REPLY_WITHIN_HOURS, SHIPPING, SHIPPING_AFTER_HOURS, WRITES_FIRST_SHARE,
};
use super::{Journey, MAX_STEPS, MAX_TIMES_PER_MONTH};
use crate::error::{Error, ErrorCode, Result};
use crate::input::count as whole;
use crate::messages::Value;
use crate::model::TemplateCategory;
use crate::money::{add_to, div, mul, sub};
use crate::pricing::{EventKind, Status};
use crate::time::{DAY_MS, HOUR_MS};
use rust_decimal::Decimal;

fn param_f(v: Option<f64>, name: &str, default: f64, max: f64, path: &str) -> Result<f64> {
    match v {
        None => Ok(default),
        Some(x) => non_negative(x, max, &format!("{path}.params.{name}"), name).map(|_| x),
    }
}

/// A whole number of a journey from `min` to `max`, or `invalid_input` with the message of
/// [`whole`] and the params `field`, `value`, `min`, `max`: `count_out_of_range`, or for
/// occurrences a month over the journey's `contacts`, `occurrences_out_of_range` (with `limit`
/// and `contacts`).
#[inline(never)]
fn whole_in(
    x: f64,
    min: u64,
    max: u64,
    path: &str,
    name: &str,
    contacts: Option<Decimal>,
) -> Result<u64> {
    whole(x, min, max, path, name).map_err(|e| {
        let mut msg = e.message;
        let reason = match contacts {
            None => "count_out_of_range",
            Some(c) => {
                msg.push_str(&format!(
                    " ({MAX_TIMES_PER_MONTH} a month for each of the journey's {} contacts at most)",
                    crate::money::to_string(c)
                ));
                "occurrences_out_of_range"
            }
        };
        let e = out_of_range(
            reason,
            &e.path,
            msg,
            &crate::error::show_f64(x),
            min as i64,
            max as i64,
        )
        .with("field", Value::Text(name.to_string()));
        match contacts {
            Some(c) => e
                .with("limit", Value::Count(MAX_TIMES_PER_MONTH as u64))
                .with("contacts", Value::Number(c)),
            None => e,
        }
    })
}

/// A whole-number preset parameter (messages per chat) from `min` to [`MAX_STEPS`]: a fraction
/// of a message cannot be sent, so 1.9 is an error rather than 1.
fn param_n(v: Option<f64>, name: &str, default: i64, min: u64, path: &str) -> Result<i64> {
    match v {
        None => Ok(default),
        Some(x) => whole_in(
            x,
            min,
            MAX_STEPS as u64,
            &format!("{path}.params.{name}"),
            name,
            None,
        )
        .map(|n| n as i64),
    }
}

/// A number parameter of a preset (`presets.rs`): its default when unset, else checked against
/// its range.
fn param(v: Option<f64>, def: &ParamDef, path: &str) -> Result<f64> {
    param_f(v, def.key, def.default, def.max, path)
}

/// A whole-number parameter of a preset (messages per chat).
fn count(v: Option<f64>, def: &ParamDef, path: &str) -> Result<i64> {
    param_n(v, def.key, def.default as i64, def.min as u64, path)
}

/// A flag parameter of a preset.
fn param_on(v: Option<bool>, def: &ParamDef) -> bool {
    v.unwrap_or(def.default != 0.0)
}

fn share_of(v: f64, path: &str) -> Result<Decimal> {
    percent(v, 100.0, path)
}

type Steps = Vec<(i64, EventKind, Status)>;

/// Orders steps by time, keeping the written order of equal times (one sort for every caller).
fn sort_steps(steps: &mut Steps) {
    crate::sort::sort_by_key(steps, |s| s.0);
}

fn hours(h: f64) -> i64 {
    (h * HOUR_MS as f64).round() as i64
}

const DELIVERED: Status = Status::Delivered;

fn tpl(c: TemplateCategory) -> EventKind {
    EventKind::Template(c)
}

const INBOUND: EventKind = EventKind::Inbound { referral: false };

/// Expands one occurrence of a journey into cohorts of steps (offsets from the occurrence start).
fn occurrence(j: &Journey, path: &str) -> Result<Vec<(Decimal, Steps)>> {
    let preset = j.preset.as_deref();
    let one = Decimal::ONE;
    Ok(match (preset, &j.steps) {
        (Some("marketing_campaign"), None) => {
            let reply = share_of(param(j.params.reply_share, &REPLY_SHARE, path)?, &format!("{path}.params.replyShare"))?;
            let replies = count(j.params.replies_per_chat, &REPLIES_PER_CHAT, path)?;
            let base: Steps = vec![(0, tpl(TemplateCategory::Marketing), DELIVERED)];
            let mut replied = base.clone();
            replied.push((hours(1.0), INBOUND, DELIVERED));
            for k in 0..replies {
                replied.push((hours(1.0) + (k + 1) * 5 * 60_000, EventKind::Message, DELIVERED));
            }
            vec![(sub(one, reply)?, base), (reply, replied)]
        }
        (Some("order_lifecycle"), None) => {
            let first = share_of(param(j.params.writes_first_share, &WRITES_FIRST_SHARE, path)?, &format!("{path}.params.writesFirstShare"))?;
            let ship = param(j.params.shipping_after_hours, &SHIPPING_AFTER_HOURS, path)?;
            let deliver = param(j.params.delivery_after_hours, &DELIVERY_AFTER_HOURS, path)?;
            let mut base: Steps = Vec::new();
            if param_on(j.params.confirmation, &CONFIRMATION) {
                base.push((0, tpl(TemplateCategory::Utility), DELIVERED));
            }
            if param_on(j.params.shipping, &SHIPPING) {
                base.push((hours(ship), tpl(TemplateCategory::Utility), DELIVERED));
            }
            if param_on(j.params.delivery, &DELIVERY) {
                base.push((hours(deliver), tpl(TemplateCategory::Utility), DELIVERED));
            }
            let mut writes = vec![(hours(-1.0), INBOUND, DELIVERED)];
            writes.extend(base.iter().cloned());
            vec![(sub(one, first)?, base), (first, writes)]
        }
        (Some("otp_login"), None) => {
            let fail = share_of(param(j.params.fail_share, &FAIL_SHARE, path)?, &format!("{path}.params.failShare"))?;
            vec![
                (sub(one, fail)?, vec![(0, tpl(TemplateCategory::Authentication), DELIVERED)]),
                (fail, vec![(0, tpl(TemplateCategory::Authentication), Status::Failed)]),
            ]
        }
        (Some("support"), None) => {
            let agent = count(j.params.agent_replies, &AGENT_REPLIES, path)?;
            let customer = count(j.params.customer_messages, &CUSTOMER_MESSAGES, path)?;
            let length = param(j.params.chat_hours, &CHAT_HOURS, path)?;
            let span = hours(length).max(60_000);
            let mut steps: Steps = Vec::new();
            for k in 0..customer {
                steps.push((span * k / customer, INBOUND, DELIVERED));
            }
            for k in 0..agent {
                steps.push((span * k / agent.max(1) + 60_000, EventKind::Message, DELIVERED));
            }
            sort_steps(&mut steps);
            vec![(one, steps)]
        }
        (Some("ad_lead"), None) => {
            let reply = param(j.params.reply_within_hours, &REPLY_WITHIN_HOURS, path)?;
            let mut steps: Steps = vec![(0, EventKind::Inbound { referral: true }, DELIVERED), (hours(reply), EventKind::Message, DELIVERED)];
            let follow: Vec<(f64, TemplateCategory)> = match &j.params.follow_ups {
                None => DEFAULT_FOLLOW_UPS.to_vec(),
                Some(items) => {
                    let mut v = Vec::new();
                    for (k, it) in items.iter().enumerate() {
                        let p = format!("{path}.params.followUps[{k}]");
                        let h = it.after_hours;
                        non_negative(h, 24.0 * 60.0, &format!("{p}.afterHours"), "afterHours")?;
                        let c = TemplateCategory::parse(&it.category).ok_or_else(|| {
                            err(
                                ErrorCode::InvalidCategory,
                                "follow_up_category",
                                format!("{p}.category"),
                                format!("invalid template category {:?}: expected marketing, utility or authentication", it.category),
                            )
                            .value(&it.category)
                        })?;
                        v.push((h, c));
                    }
                    v
                }
            };
            if follow.len() > FOLLOW_UPS.max as usize {
                return Err(over_limit("too_many_follow_ups", &format!("{path}.params.followUps"), follow.len() as u64, FOLLOW_UPS.max as u64, "too many follow-ups".into()));
            }
            for (h, c) in follow {
                steps.push((hours(h), tpl(c), DELIVERED));
            }
            sort_steps(&mut steps);
            vec![(one, steps)]
        }
        (None, Some(custom)) => {
            if custom.len() > MAX_STEPS {
                let n = custom.len();
                return Err(over_limit("too_many_steps", &format!("{path}.steps"), n as u64, MAX_STEPS as u64, format!("{n} steps exceed the limit of {MAX_STEPS}")));
            }
            // Steps with a share below 100% form cohorts: with and without each such step.
            let mut cohorts: Vec<(Decimal, Steps)> = vec![(one, Vec::new())];
            for (k, s) in custom.iter().enumerate() {
                let p = format!("{path}.steps[{k}]");
                let raw = crate::input::RawEvent {
                    at: Some(crate::input::RawInstant::Millis(0.0)),
                    user: Some("+10000000000".into()),
                    kind: s.kind.as_deref().map(Into::into),
                    category: s.category.as_deref().map(Into::into),
                    referral: s.referral.as_deref().map(Into::into),
                    from: None,
                    status: s.status.as_deref().map(Into::into),
                    ..Default::default()
                };
                // The event's own error (its code, reason and params) at the step's field.
                let ev = raw.resolve(0).map_err(|e| {
                    let field = e.path.rsplit('.').next().unwrap_or("");
                    Error { path: format!("{p}.{field}"), ..e }
                })?;
                let h = s.after_hours.ok_or_else(|| err(ErrorCode::InvalidInput, "missing_step_hours", format!("{p}.afterHours"), "missing afterHours"))?;
                if !h.is_finite() || !(-24.0 * 30.0..=24.0 * 60.0).contains(&h) {
                    return Err(out_of_range(
                        "step_hours_out_of_range",
                        &format!("{p}.afterHours"),
                        format!("invalid afterHours {h}: expected -720 to 1440"),
                        &h.to_string(),
                        -720,
                        24 * 60,
                    ));
                }
                let step = (hours(h), ev.kind, ev.status);
                let share = share_of(s.share.unwrap_or(100.0), &format!("{p}.share"))?;
                if share == one {
                    for c in &mut cohorts {
                        c.1.push(step);
                    }
                } else {
                    if cohorts.len() >= 64 {
                        return Err(err(ErrorCode::LimitExceeded, "too_many_partial_steps", format!("{p}.share"), "at most 6 steps of a custom journey may have a share below 100%")
                            .with("limit", Value::Count(6)));
                    }
                    let mut with = cohorts.clone();
                    for c in &mut with {
                        c.0 = mul(c.0, share)?;
                        c.1.push(step);
                    }
                    for c in &mut cohorts {
                        c.0 = mul(c.0, sub(one, share)?)?;
                    }
                    cohorts.extend(with);
                }
            }
            for c in &mut cohorts {
                sort_steps(&mut c.1);
            }
            cohorts
        }
        (Some(p), None) => {
            return Err(err(
                ErrorCode::InvalidInput,
                "unknown_preset",
                format!("{path}.preset"),
                format!("unknown preset {p:?}: expected marketing_campaign, order_lifecycle, otp_login, support or ad_lead"),
            )
            .value(p))
        }
        (Some(_), Some(_)) => return Err(err(ErrorCode::InvalidInput, "preset_or_steps", path, "a journey has either a preset or steps, not both")),
        (None, None) => return Err(err(ErrorCode::InvalidInput, "preset_or_steps", path, "a journey needs a preset or steps")),
    }
    .into_iter()
    .filter(|(w, _)| !w.is_zero())
    .collect())
}

pub(super) fn plan_journey(
    j: &Journey,
    path: &str,
    days: i64,
    contacts: Decimal,
) -> Result<PlannedJourney> {
    let share = share_of(j.share.unwrap_or(100.0), &format!("{path}.share"))?;
    let per = occurrence(j, path)?;
    // How often: times per contact (a fraction is a cohort split), or occurrences per month over
    // the journey's contacts. Either way, `lo_n` occurrences for a weight `w_lo` of the contacts
    // and one more for `w_hi`, both divided by `divisor`: 1 for times per contact, and for counts
    // the journey's contacts, so that the estimate multiplies before it divides and 5,000 chats
    // stay 5,000 (3,000 contacts × 5,000 / 3,000, not × 1.666…).
    let in_journey = mul(contacts, share)?;
    let (lo_n, w_lo, w_hi, divisor, occurrences, times) = match (j.times_per_month, j.occurrences_per_month) {
        (Some(_), Some(_)) => {
            return Err(err(
                ErrorCode::InvalidInput,
                "times_and_occurrences",
                format!("{path}.occurrencesPerMonth"),
                "a journey has either timesPerMonth (per contact) or occurrencesPerMonth (in all), not both",
            ))
        }
        (t, None) => {
            let times = non_negative(
                t.unwrap_or(1.0),
                MAX_TIMES_PER_MONTH,
                &format!("{path}.timesPerMonth"),
                "timesPerMonth",
            )?;
            let lo = times.floor();
            let frac = sub(times, lo)?;
            let lo_n = u32::try_from(lo.mantissa() / 10i128.pow(lo.scale())).unwrap_or(0);
            let occurrences = in_journey.checked_mul(times).ok_or_else(|| {
                err(ErrorCode::Overflow, "occurrences_overflow", path, "the journey's occurrences exceed the decimal range")
            })?;
            (lo_n, sub(Decimal::ONE, frac)?, frac, Decimal::ONE, occurrences, times)
        }
        (None, Some(o)) => {
            let p = format!("{path}.occurrencesPerMonth");
            let limit = mul(in_journey, Decimal::from(MAX_TIMES_PER_MONTH as u64))?.floor();
            let limit = u64::try_from(limit).unwrap_or(u64::MAX);
            let o = Decimal::from(whole_in(o, 0, limit, &p, "occurrencesPerMonth", Some(in_journey))?);
            if o.is_zero() {
                (0, Decimal::ONE, Decimal::ZERO, Decimal::ONE, o, Decimal::ZERO)
            } else {
                let lo = div(o, in_journey)?.floor();
                let mut lo_n = u32::try_from(lo).unwrap_or(0);
                let mut rest = sub(o, mul(Decimal::from(lo_n), in_journey)?)?;
                if rest.is_sign_negative() {
                    lo_n -= 1;
                    add_to(&mut rest, in_journey)?;
                }
                (lo_n, sub(in_journey, rest)?, rest, in_journey, o, div(o, in_journey)?)
            }
        }
    };
    let mut cohorts = Vec::new();
    for (n, w) in [(lo_n, w_lo), (lo_n + 1, w_hi)] {
        if w.is_zero() || n == 0 {
            continue;
        }
        for (cw, steps) in &per {
            let mut all = Vec::new();
            for k in 0..n {
                // Occurrence k of n starts at day (k + 0.5) × days / n, 10:00 business time.
                let day = (2 * i64::from(k) + 1) * days * DAY_MS / (2 * i64::from(n));
                let mut start = day - day.rem_euclid(DAY_MS) + 10 * HOUR_MS;
                // Keep the whole occurrence inside the month (a delivery update 72 h after an
                // order on the 30th is moved back with its order), so that the month is priced
                // under one card and its windows stay intact.
                let last = steps.iter().map(|s| s.0).max().unwrap_or(0);
                let first = steps.iter().map(|s| s.0).min().unwrap_or(0);
                if start + last >= days * DAY_MS {
                    start = (days * DAY_MS - last - HOUR_MS).max(-first);
                }
                all.extend(
                    steps
                        .iter()
                        .map(|(t, kind, status)| (start + t, *kind, *status)),
                );
            }
            sort_steps(&mut all);
            cohorts.push(Cohort {
                weight: mul(w, *cw)?,
                steps: all,
            });
        }
    }
    Ok(PlannedJourney {
        name: j
            .name
            .clone()
            .or_else(|| j.preset.clone())
            .unwrap_or_else(|| format!("journey {path}")),
        share,
        cohorts,
        divisor,
        occurrences,
        times_per_month: times,
    })
}

#[cfg(test)]
mod tests {
    use crate::error::ErrorCode;
    use rust_decimal::Decimal;

    /// A journey's occurrences leave the decimal range only for more contacts than a scenario
    /// accepts (at most 10^12 × 1,000 a month): the error is raised all the same.
    #[test]
    fn occurrences_beyond_the_decimal_range() {
        let j: super::Journey = serde_json::from_value(
            serde_json::json!({ "preset": "otp_login", "timesPerMonth": 1000 }),
        )
        .unwrap();
        let e = super::plan_journey(&j, "journeys[0]", 30, Decimal::MAX).unwrap_err();
        assert_eq!(
            (e.code, e.reason(), e.path.as_str()),
            (ErrorCode::Overflow, "occurrences_overflow", "journeys[0]")
        );
        assert_eq!(crate::reasons::check(&e), Ok(()));
    }
}
