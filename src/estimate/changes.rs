//! What changed between two dates of a comparison, in words, with each change's effect on the
//! scenario's total (see `docs/estimate.md`, "What changed").
//!
//! The rules' dates are the kernel's ([`crate::model`]: the era boundaries and the free entry
//! point); the cards' are the rows' effective dates. The effects come from a walk in date order:
//! the scenario is priced just before and on each date on which a rule or a rate it uses changes;
//! the difference across that date is the effect of the changes of that date (one change: its
//! effect; several: one `combined_change`, since the kernel cannot apply one without the others);
//! the differences between those dates, where nothing changes but the month simulated, add up to
//! one `calendar` entry. The effects therefore sum exactly to the difference of the two totals.

use super::compare::amount;
use super::portfolio::{key_of, slot};
use super::{estimate, Estimate, MetaLine};
use crate::error::Result;
use crate::model::{
    Category, Era, PricingModel, FEP_72H_START, FOUR_CATEGORY_START, FREE_SERVICE_START,
    NONPROFIT_FREE_SERVICE_END, PAID_SERVICE_START, PMP_START,
};
use crate::money::{add_to, div, mul, round_shown, sub, to_string as m2s};
use crate::pricing::{service_rate, AllowanceScope};
use crate::scenario::{Plan, Scenario};
use crate::time::{format_date, format_month, month_key, Date};
use crate::Engine;
use chrono::Datelike;
use rust_decimal::Decimal;
use serde::Serialize;
use std::borrow::Cow;

/// One change between two dates: a stable code, its parameters, the English sentence, and its
/// effect on the total in the billing currency (`None` when it is part of a `combined_change`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Change {
    /// Stable snake_case code (listed in `docs/estimate.md`).
    pub code: &'static str,
    /// The values of the sentence: dates `YYYY-MM-DD`, amounts as decimal strings with
    /// `currency`, `market` and `category` as the engine names them.
    pub params: Params,
    /// The sentence in English.
    pub message: String,
    /// Effect on the total (a signed decimal string), if it can be priced alone.
    pub effect: Option<String>,
}

/// The parameters of a change, written as a JSON object.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Params(pub Vec<(&'static str, String)>);

impl Params {
    /// The value of a parameter.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }
}

impl Serialize for Params {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// The changes between two consecutive dates of a comparison.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Changes {
    /// Earlier date of the pair as given.
    pub from: String,
    /// Later date of the pair as given.
    pub to: String,
    /// `to` total − `from` total: the sum of the effects.
    pub total: String,
    /// The changes, in date order.
    pub changes: Vec<Change>,
}

/// The English sentence of each code, `{name}` standing for a parameter.
const TEMPLATES: [(&str, &str); 15] = [
    ("rule_free_entry_point_72h", "from {date} a free entry point opens a {hours}-hour free window (24 hours before)"),
    ("rule_four_categories", "from {date} conversations are priced in four categories on a new card, and the 1,000 free conversations a month cover only service"),
    ("rule_free_service_conversations", "from {date} service conversations are free"),
    ("rule_per_message", "from {date} each delivered template is charged on its own: per-message pricing, on a new card, replaces conversations"),
    ("rule_utility_in_window_free", "from {date} utility templates inside the customer-service window are free"),
    ("rule_volume_tiers", "from {date} utility and authentication messages have monthly volume tiers"),
    ("rule_utility_in_window_charged", "from {date} utility templates inside the customer-service window are charged"),
    ("rule_service_charged", "from {date} service messages beyond {allowance} a month per {scope} are charged"),
    ("rule_nonprofit_service_charged", "from {date} a non-profit's service messages beyond the allowance are charged"),
    ("auth_international_eligible", "from {date} authentication templates to {market} may be charged at the authentication-international rate"),
    ("card_rate", "card of {date}: {market} {category} {old} → {new} {currency} ({percent} %)"),
    ("card_rate_added", "card of {date}: {market} {category} priced at {new} {currency}"),
    ("card_tiers", "card of {date}: new volume tiers for {market} {category}"),
    ("combined_change", "the changes of {date} apply together and cannot be priced apart: {changes}"),
    ("calendar", "the months simulated ({from}, {to}) place the messages on other days"),
];

/// A change with its sentence from [`TEMPLATES`].
fn change(code: &'static str, params: Vec<(&'static str, String)>) -> Change {
    let t = TEMPLATES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("", |t| t.1);
    let mut message = t.to_string();
    for (k, v) in &params {
        message = message.replace(&format!("{{{k}}}"), v);
    }
    Change {
        code,
        params: Params(params),
        message,
        effect: None,
    }
}

/// The categories the two estimates price (lines of Meta charges), as flags by category index.
fn categories(a: &Estimate, b: &Estimate) -> [bool; Category::COUNT] {
    let mut v = [false; Category::COUNT];
    for l in a.meta.lines.iter().chain(&b.meta.lines) {
        if let Some(c) = Category::parse(&l.category) {
            v[c.index()] = true;
        }
    }
    v
}

/// The rules that change on a day in (`lo`, `hi`] (SPEC §6, §7, §9, §12), from the kernel's
/// dates, with the categories each can touch (none: any scenario); `all` keeps those that cannot
/// touch the categories priced.
fn rules(
    plan: &Plan,
    lo: Date,
    hi: Date,
    cats: &[bool; Category::COUNT],
    all: bool,
) -> Vec<Change> {
    use Category::*;
    let o = &plan.options;
    let end = NONPROFIT_FREE_SERVICE_END
        .succ_opt()
        .filter(|_| o.nonprofit);
    let table: [(Option<Date>, &[Category], &'static str); 9] = [
        (
            Some(FEP_72H_START),
            &[ReferralConversion],
            "rule_free_entry_point_72h",
        ),
        (Some(FOUR_CATEGORY_START), &[], "rule_four_categories"),
        (
            Some(FREE_SERVICE_START),
            &[Service],
            "rule_free_service_conversations",
        ),
        (Some(PMP_START), &[], "rule_per_message"),
        (Some(PMP_START), &[Utility], "rule_utility_in_window_free"),
        (
            Some(PMP_START),
            &[Utility, Authentication, AuthenticationInternational],
            "rule_volume_tiers",
        ),
        (
            Some(PAID_SERVICE_START),
            &[Utility],
            "rule_utility_in_window_charged",
        ),
        (Some(PAID_SERVICE_START), &[Service], "rule_service_charged"),
        (end, &[Service], "rule_nonprofit_service_charged"),
    ];
    let auth: &[Category] = &[Authentication, AuthenticationInternational];
    let eligible = plan.business.auth_international.iter();
    let eligible = eligible.map(|(m, d)| (Some(*d), auth, "auth_international_eligible", m));
    let scope = match o.allowance_scope {
        AllowanceScope::Number => "number",
        AllowanceScope::Waba => "waba",
    };
    let none = String::new();
    let mut out = Vec::new();
    for (d, c, code, market) in table
        .into_iter()
        .map(|(d, c, k)| (d, c, k, &none))
        .chain(eligible)
    {
        let Some(d) = d.filter(|d| lo < *d && *d <= hi) else {
            continue;
        };
        if !(all || c.is_empty() || c.iter().any(|x| cats[x.index()])) {
            continue;
        }
        let mut p = vec![("date", format_date(d))];
        match code {
            "rule_free_entry_point_72h" => p.push(("hours", o.fep_hours.to_string())),
            "rule_service_charged" => {
                p.push(("allowance", o.service_allowance.to_string()));
                p.push(("scope", scope.to_string()));
            }
            "auth_international_eligible" => p.push(("market", market.clone())),
            _ => {}
        }
        let mut c = change(code, p);
        c.message = c
            .message
            .replace("per number", "per business number")
            .replace("per waba", "per account");
        out.push(c);
    }
    out
}

/// The rate of a market × category in force on `d` under `model` (service: SPEC §13.11).
#[inline(never)]
fn rate(
    engine: &Engine,
    currency: &str,
    model: PricingModel,
    m: u16,
    c: Category,
    d: Date,
) -> Option<Decimal> {
    if c == Category::Service && model == PricingModel::Pmp {
        return service_rate(engine, currency, m, d);
    }
    let book = engine.rates.currency(currency)?;
    engine.rates.rate(book, model, m, c, d).map(|r| r.rate)
}

/// The card changes in (`lo`, `hi`] of the market × category lines of the estimates (SPEC §5, §8):
/// rates and volume-tier tables; none across pricing models or from the two-type era's categories.
#[inline(never)]
fn cards(engine: &Engine, currency: &str, lo: Date, hi: Date, ests: &[&Estimate]) -> Vec<Change> {
    let mut out = Vec::new();
    let (Some(a), Some(b), Some(book)) =
        (Era::of(lo), Era::of(hi), engine.rates.currency(currency))
    else {
        return out;
    };
    let model = b.model();
    // A new pricing model or a new set of categories is a rule change, not a card change.
    if a != b && (a.model() != model || a == Era::TwoType) {
        return out;
    }
    let mut used = vec![false; engine.markets.names.len() * Category::COUNT];
    for l in ests.iter().flat_map(|e| &e.meta.lines) {
        if let (Some(m), Some(c)) = (engine.markets.id(&l.market), Category::parse(&l.category)) {
            used[slot(m, c)] = true;
        }
    }
    for (m, c) in (0..used.len()).filter(|k| used[*k]).map(key_of) {
        let p = |date: Date| {
            vec![
                ("date", format_date(date)),
                ("market", engine.markets.name(m).to_string()),
                ("category", c.as_str().to_string()),
                ("currency", currency.to_string()),
            ]
        };
        let old = rate(engine, currency, model, m, c, lo);
        if let Some(new) = rate(engine, currency, model, m, c, hi).filter(|n| Some(*n) != old) {
            let card = engine
                .rates
                .rate(book, model, m, c, hi)
                .map_or(hi, |r| r.effective);
            let mut p = p(card);
            p.push(("new", m2s(new)));
            let pct = old
                .filter(|o| !o.is_zero())
                .and_then(|o| div(mul(sub(new, o).ok()?, Decimal::ONE_HUNDRED).ok()?, o).ok());
            out.push(match (old, pct) {
                (Some(o), Some(pct)) => {
                    p.push(("old", m2s(o)));
                    p.push(("percent", m2s(round_shown(pct, 1))));
                    let mut c = change("card_rate", p);
                    if !pct.is_sign_negative() {
                        c.message = c.message.replace(" (", " (+");
                    }
                    c
                }
                _ => change("card_rate_added", p),
            });
        }
        // A table of a later card with the same bands is no change.
        let tiers = |d| {
            engine.rates.tier_table(book, m, c, d).map(|t| {
                let rows = t.bands.iter().map(|&i| &engine.rates.tier_rows[i as usize]);
                let bands: Vec<_> = rows.map(|r| (r.from, r.to, r.rate)).collect();
                (t.effective, bands)
            })
        };
        let (old, new) = (tiers(lo), tiers(hi));
        if let Some((t, _)) = new.filter(|n| Some(&n.1) != old.as_ref().map(|o| &o.1)) {
            let mut p = p(t);
            p.pop();
            out.push(change("card_tiers", p));
        }
    }
    out
}

/// The line of a change's market × category in an estimate.
fn line_of<'a>(e: &'a Estimate, c: &Change) -> Option<&'a MetaLine> {
    e.meta.lines.iter().find(|l| {
        Some(l.market.as_str()) == c.params.get("market")
            && Some(l.category.as_str()) == c.params.get("category")
    })
}

/// The effects of a step of card changes alone, one per change, when each changes its own market ×
/// category line and nothing else moved: the change of that line's Meta charges (the rules being
/// the same on both sides). `None` otherwise.
#[inline(never)]
fn by_line(
    step: &[Change],
    a: &Estimate,
    b: &Estimate,
    effect: Decimal,
) -> Result<Option<Vec<Decimal>>> {
    let same = |c: &Change, d: &Change| {
        c.params.get("market") == d.params.get("market")
            && c.params.get("category") == d.params.get("category")
    };
    let twice = |i: usize| step[..i].iter().any(|d| same(d, &step[i]));
    if (0..step.len()).any(twice) || step.iter().any(|c| !c.code.starts_with("card")) {
        return Ok(None);
    }
    let line = |e, c| line_of(e, c).map_or(Ok(Decimal::ZERO), |l| amount(&l.amount));
    let mut parts = Vec::new();
    let mut sum = Decimal::ZERO;
    for c in step {
        let d = sub(line(b, c)?, line(a, c)?)?;
        add_to(&mut sum, d)?;
        parts.push(d);
    }
    Ok((sum == effect).then_some(parts))
}

/// The dates in (`lo`, `hi`] on which a rule or a row of the currency changes, as the first day
/// of a month priced under it (a change within a month shows from the next month).
#[inline(never)]
fn change_days(engine: &Engine, plan: &Plan, lo: Date, hi: Date) -> Vec<Date> {
    let rows = engine
        .rates
        .rate_rows
        .iter()
        .map(|r| (&r.currency, r.effective));
    let tiers = engine
        .rates
        .tier_rows
        .iter()
        .map(|r| (&r.currency, r.effective));
    let mut v: Vec<Date> = rows
        .chain(tiers)
        .filter(|(c, _)| **c == plan.currency)
        .map(|(_, d)| d)
        .chain([
            FEP_72H_START,
            FOUR_CATEGORY_START,
            FREE_SERVICE_START,
            PMP_START,
            PAID_SERVICE_START,
        ])
        .chain(NONPROFIT_FREE_SERVICE_END.succ_opt())
        .chain(plan.business.auth_international.iter().map(|(_, d)| *d))
        .filter(|d| lo < *d && *d <= hi)
        .map(|d| match d.day() {
            1 => d,
            _ => next_month(d).min(hi),
        })
        .collect();
    crate::sort::sort_dedup(&mut v);
    v
}

fn next_month(d: Date) -> Date {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    Date::from_ymd_opt(y, m, 1).unwrap_or(d)
}

/// `b`'s total − `a`'s.
#[inline(never)]
fn gap(a: &Estimate, b: &Estimate) -> Result<Decimal> {
    sub(amount(&b.total)?, amount(&a.total)?)
}

/// The changes between two dates of a comparison and their estimates (either order; walked from
/// the earlier, the effects' signs follow `to` − `from`).
#[inline(never)]
pub(super) fn changes(
    engine: &Engine,
    scenario: &Scenario,
    (from, a): (Date, &Estimate),
    (to, b): (Date, &Estimate),
) -> Result<Changes> {
    let reverse = to < from;
    let ((lo, ea), (hi, eb)) = if reverse {
        ((to, b), (from, a))
    } else {
        ((from, a), (to, b))
    };
    let plan = scenario.plan(engine, Some(hi))?;
    let signed = |x: Decimal| m2s(if reverse { -x } else { x });
    let mut out = Vec::new();
    let mut calendar = Decimal::ZERO;
    let (mut cur, mut cur_date) = (Cow::Borrowed(ea), lo);
    // After a day that cannot be priced (before a currency's first card, say), the next step
    // starts from the last day priced, so that its changes join the next day's.
    let mut joined = false;
    for x in change_days(engine, &plan, lo, hi) {
        let before = match joined {
            true => cur_date,
            false => x.pred_opt().unwrap_or(x).max(cur_date),
        };
        let crossed = rules(&plan, before, x, &[false; Category::COUNT], true);
        let mut cards = cards(engine, &plan.currency, before, x, &[&cur, ea, eb]);
        if crossed.is_empty() && cards.is_empty() {
            continue;
        }
        let Ok(eb4) = (if before == cur_date {
            Ok(Cow::Borrowed(&*cur))
        } else {
            estimate(engine, scenario, Some(before)).map(Cow::Owned)
        }) else {
            joined = true;
            continue;
        };
        let Ok(ex) = (if x == hi {
            Ok(Cow::Borrowed(eb))
        } else {
            estimate(engine, scenario, Some(x)).map(Cow::Owned)
        }) else {
            joined = true;
            continue;
        };
        joined = false;
        add_to(&mut calendar, gap(&cur, &eb4)?)?;
        let effect = gap(&eb4, &ex)?;
        // A new rate counts where its line is charged after the change (a rule may make the
        // line free: the zero service rates of 2024-11-01 restate §7.2's rule); a tier table
        // where a band past the first is reached on either side (a tier saving).
        let line = |e: &Estimate, c: &Change, f: fn(&MetaLine) -> &String| {
            line_of(e, c).is_some_and(|l| amount(f(l)).is_ok_and(|n| !n.is_zero()))
        };
        cards.retain(|c| match c.code {
            "card_tiers" => line(&ex, c, |l| &l.tier_savings) || line(&eb4, c, |l| &l.tier_savings),
            _ => line(&ex, c, |l| &l.charged),
        });
        // The rules that can touch what the scenario prices on either side; all of them when
        // none can and yet the total moved without a card change.
        let mut step = rules(&plan, before, x, &categories(&eb4, &ex), false);
        if step.is_empty() && cards.is_empty() && !effect.is_zero() {
            step = crossed;
        }
        step.append(&mut cards);
        if let [one] = step.as_mut_slice() {
            one.effect = Some(signed(effect));
        } else if let Some(parts) = by_line(&step, &eb4, &ex, effect)? {
            for (c, e) in step.iter_mut().zip(parts) {
                c.effect = Some(signed(e));
            }
        } else if !step.is_empty() {
            let codes: Vec<&str> = step.iter().map(|c| c.code).collect();
            let mut all = change(
                "combined_change",
                vec![("date", format_date(x)), ("changes", codes.join(", "))],
            );
            all.effect = Some(signed(effect));
            step.push(all);
        } else {
            add_to(&mut calendar, effect)?;
        }
        out.append(&mut step);
        (cur, cur_date) = (ex, x);
    }
    add_to(&mut calendar, gap(&cur, eb)?)?;
    if !calendar.is_zero() {
        let mut c = change(
            "calendar",
            vec![
                ("from", format_month(month_key(lo))),
                ("to", format_month(month_key(hi))),
            ],
        );
        c.effect = Some(signed(calendar));
        out.push(c);
    }
    Ok(Changes {
        from: format_date(from),
        to: format_date(to),
        total: m2s(gap(a, b)?),
        changes: out,
    })
}
