//! A reseller's fees on top of Meta's charges (SPEC §10) and the quote currency: separate lines,
//! never mixed into Meta's.

use super::{EstimateWarning, QuoteCurrency, ResellerLine};
use crate::error::{show_f64, Error, ErrorCode, Result};
use crate::model::Category;
use crate::money::{add, add_to, div, mul, round_shown, sub, sum, to_string as m2s};
use crate::scenario::{money, percent, Package, Plan, Prepaid, QuoteTerms, Reseller};
use rust_decimal::Decimal;

/// The counts a reseller's fees multiply.
pub(super) struct Counts<'a> {
    pub business: Decimal,
    pub inbound: Decimal,
    pub not_delivered: Decimal,
    pub charged: Decimal,
    pub conversations: Decimal,
    pub meta_by_category: &'a [Decimal],
    pub meta_total: Decimal,
}

fn line(
    code: &str,
    label: String,
    quantity: Decimal,
    unit: Decimal,
    one_time: bool,
) -> Result<ResellerLine> {
    Ok(ResellerLine {
        code: code.to_string(),
        label,
        quantity: m2s(quantity),
        unit_price: m2s(unit),
        amount: m2s(mul(quantity, unit)?),
        one_time,
    })
}

const P: &str = "reseller";

fn opt(v: &Option<String>, name: &str) -> Result<Option<Decimal>> {
    v.as_deref()
        .map(|s| money(s, &format!("{P}.{name}")))
        .transpose()
}

/// The reseller's lines and their monthly and one-time totals.
pub(super) fn reseller_fees(
    r: Option<&Reseller>,
    plan: &Plan,
    c: &Counts,
) -> Result<(Vec<ResellerLine>, Decimal, Decimal)> {
    let Some(r) = r else {
        return Ok((Vec::new(), Decimal::ZERO, Decimal::ZERO));
    };
    let mut lines = Vec::new();
    let per_message = [
        (
            &r.per_outbound,
            "perOutbound",
            "per_outbound",
            "Fee per business message sent",
            c.business,
        ),
        (
            &r.per_inbound,
            "perInbound",
            "per_inbound",
            "Fee per customer message received",
            c.inbound,
        ),
        (
            &r.per_failed,
            "perFailed",
            "per_failed",
            "Fee per undelivered message",
            c.not_delivered,
        ),
    ];
    for (v, name, code, label, n) in per_message {
        if let Some(u) = opt(v, name)? {
            lines.push(line(code, label.into(), n, u, false)?);
        }
    }
    markups(r, c, &mut lines)?;
    if let Some(u) = opt(&r.per_number_monthly, "perNumberMonthly")? {
        let label = "Monthly fee per business phone number".into();
        lines.push(line(
            "per_number",
            label,
            Decimal::from(plan.numbers),
            u,
            false,
        )?);
    }
    if let Some(u) = opt(&r.platform_monthly, "platformMonthly")? {
        let label = "Monthly platform fee".into();
        lines.push(line("platform", label, Decimal::ONE, u, false)?);
    }
    if let Some(s) = &r.sub_accounts {
        let n = Decimal::from(crate::input::count(
            s.count,
            0,
            100_000,
            &format!("{P}.subAccounts.count"),
            "number of sub-accounts",
        )?);
        let fee = money(&s.monthly_fee, &format!("{P}.subAccounts.monthlyFee"))?;
        let label = "Monthly fee per sub-account".into();
        lines.push(line("sub_accounts", label, n, fee, false)?);
    }
    if let Some(pk) = &r.package {
        package(pk, plan, c, &mut lines)?;
    }
    if let Some(pp) = &r.prepaid {
        prepaid(pp, c, &mut lines)?;
    }
    if let Some(u) = opt(&r.setup_fee, "setupFee")? {
        let label = "One-time setup and application fee".into();
        lines.push(line("setup", label, Decimal::ONE, u, true)?);
    }
    let mut monthly = Decimal::ZERO;
    let mut once = Decimal::ZERO;
    for l in &lines {
        let a: Decimal = l.amount.parse().map_err(|_| crate::money::overflow())?;
        add_to(if l.one_time { &mut once } else { &mut monthly }, a)?;
    }
    Ok((lines, monthly, once))
}

/// A markup per category (or on all of Meta's charges).
fn markups(r: &Reseller, c: &Counts, lines: &mut Vec<ResellerLine>) -> Result<()> {
    for (cat, pct) in &r.markup_percent {
        let path = format!("{P}.markupPercent.{cat}");
        let f = percent(*pct, 1000.0, &path)?;
        let base = if cat == "all" {
            c.meta_total
        } else if let Some(k) = Category::parse(cat) {
            c.meta_by_category[k.index()]
        } else {
            return Err(Error::new(
                ErrorCode::InvalidCategory,
                path,
                format!("unknown category {cat:?} for a markup: expected a category or \"all\""),
            ));
        };
        if !base.is_zero() && !f.is_zero() {
            let label = format!(
                "Markup {}% on Meta {} charges",
                show_f64(*pct),
                cat.replace('_', "-")
            );
            lines.push(line(&format!("markup_{cat}"), label, base, f, false)?);
        }
    }
    Ok(())
}

/// A package: a monthly price with units included, and the overage beyond them.
fn package(pk: &Package, plan: &Plan, c: &Counts, lines: &mut Vec<ResellerLine>) -> Result<()> {
    let path = format!("{P}.package");
    let units = match pk.kind.as_str() {
        "messages" => c.business,
        "active_users" => {
            let in_journeys = sum(plan
                .journeys
                .iter()
                .map(|j| mul(plan.contacts, j.share))
                .collect::<Result<Vec<_>>>()?)?;
            plan.contacts.min(in_journeys)
        }
        "conversations" => {
            if c.conversations.is_zero() {
                c.charged
            } else {
                c.conversations
            }
        }
        o => {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("{path}.kind"),
                format!(
                    "unknown package kind {o:?}: expected messages, active_users or conversations"
                ),
            ))
        }
    };
    let included = Decimal::from(crate::input::count(
        pk.included,
        0,
        u64::MAX >> 12,
        &format!("{path}.included"),
        "units included",
    )?);
    let price = money(&pk.price, &format!("{path}.price"))?;
    let kind = pk.kind.replace('_', " ");
    let label = format!("Package: {included} {kind} included");
    lines.push(line("package", label, Decimal::ONE, price, false)?);
    let over = sub(units, included)?;
    if over > Decimal::ZERO {
        let rate = match &pk.overage {
            Some(o) => money(o, &format!("{path}.overage"))?,
            None => Decimal::ZERO,
        };
        let label = format!("{kind} beyond the package");
        lines.push(line("package_overage", label, over, rate, false)?);
    }
    Ok(())
}

/// Meta's charges bought as prepaid points: the difference to Meta's price and a handling fee.
fn prepaid(pp: &Prepaid, c: &Counts, lines: &mut Vec<ResellerLine>) -> Result<()> {
    let path = format!("{P}.prepaid");
    let price = money(&pp.point_price, &format!("{path}.pointPrice"))?;
    if price.is_zero() {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("{path}.pointPrice"),
            "a point price of 0 cannot buy Meta charges",
        ));
    }
    let per_unit = match &pp.points_per_unit {
        Some(s) => money(s, &format!("{path}.pointsPerUnit"))?,
        None => div(Decimal::ONE, price)?,
    };
    let points = mul(c.meta_total, per_unit)?;
    let cost = mul(points, price)?;
    let diff = sub(cost, c.meta_total)?;
    if !diff.is_zero() {
        lines.push(ResellerLine {
            code: "prepaid_points".into(),
            label: format!(
                "Prepaid points for Meta charges: {} points at {} (difference to Meta's price)",
                m2s(round_shown(points, 4)),
                m2s(price)
            ),
            quantity: m2s(points),
            unit_price: m2s(price),
            amount: m2s(diff),
            one_time: false,
        });
    }
    if let Some(h) = pp.handling_percent {
        let f = percent(h, 100.0, &format!("{path}.handlingPercent"))?;
        let label = format!("Handling fee {}% on prepaid points", show_f64(h));
        lines.push(line("prepaid_handling", label, cost, f, false)?);
    }
    Ok(())
}

/// The totals in the quote currency, at the FX rate entered plus its margin (the engine never
/// converts rates itself), with a warning saying so. The terms were validated when the scenario
/// was planned ([`QuoteTerms`]); here they only multiply.
pub(super) fn quote_currency(
    q: &QuoteTerms,
    currency: &str,
    total: Decimal,
    one_time: Decimal,
    w: &mut Vec<EstimateWarning>,
) -> Result<Option<QuoteCurrency>> {
    let qc = q.currency.clone();
    let (rate, margin) = (q.fx_rate, q.margin);
    let effective = mul(rate, add(Decimal::ONE, margin)?)?;
    {
        use crate::messages::{Params, Value};
        w.push(
            EstimateWarning::new(
                "fx",
                Params::new()
                    .with("currency", Value::Currency(currency.to_string()))
                    .with("quoteCurrency", Value::Currency(qc.clone()))
                    .with("fxRate", Value::Number(rate))
                    .with("margin", Value::Number(mul(margin, Decimal::ONE_HUNDRED)?)),
            )
            .at("reseller.fxRate"),
        );
    }
    Ok(Some(QuoteCurrency {
        currency: qc,
        fx_rate: m2s(effective),
        total: m2s(mul(total, effective)?),
        one_time: m2s(mul(one_time, effective)?),
    }))
}
