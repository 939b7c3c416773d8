//! A reseller's fees on top of Meta's charges (SPEC §10) and the quote currency: separate lines,
//! never mixed into Meta's.

use super::{EstimateWarning, QuoteCurrency, ResellerLine};
use crate::error::{show_f64, Result};
use crate::model::Category;
use crate::money::{add, add_to, mul, round_shown, sub, sum, to_string as m2s};
use crate::scenario::{PackageTerms, Plan, PrepaidTerms, QuoteTerms, ResellerTerms};
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

/// The reseller's lines and their monthly and one-time totals. The fees were validated when the
/// scenario was planned ([`ResellerTerms`]); here they only multiply.
pub(super) fn reseller_fees(
    terms: Option<&ResellerTerms>,
    plan: &Plan,
    c: &Counts,
) -> Result<(Vec<ResellerLine>, Decimal, Decimal)> {
    let Some(r) = terms else {
        return Ok((Vec::new(), Decimal::ZERO, Decimal::ZERO));
    };
    let mut lines = Vec::new();
    let per_message = [
        (
            r.per_outbound,
            "per_outbound",
            "Fee per business message sent",
            c.business,
        ),
        (
            r.per_inbound,
            "per_inbound",
            "Fee per customer message received",
            c.inbound,
        ),
        (
            r.per_failed,
            "per_failed",
            "Fee per undelivered message",
            c.not_delivered,
        ),
    ];
    for (v, code, label, n) in per_message {
        if let Some(u) = v {
            lines.push(line(code, label.into(), n, u, false)?);
        }
    }
    markups(r, c, &mut lines)?;
    if let Some(u) = r.per_number_monthly {
        let label = "Monthly fee per business phone number".into();
        lines.push(line(
            "per_number",
            label,
            Decimal::from(plan.numbers),
            u,
            false,
        )?);
    }
    if let Some(u) = r.platform_monthly {
        let label = "Monthly platform fee".into();
        lines.push(line("platform", label, Decimal::ONE, u, false)?);
    }
    if let Some((n, fee)) = r.sub_accounts {
        let label = "Monthly fee per sub-account".into();
        lines.push(line("sub_accounts", label, n, fee, false)?);
    }
    if let Some(pk) = &r.package {
        package(pk, plan, c, &mut lines)?;
    }
    if let Some(pp) = &r.prepaid {
        prepaid(pp, c, &mut lines)?;
    }
    if let Some(u) = r.setup_fee {
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

/// A markup per category (or on all of Meta's charges); the category was checked when planned.
fn markups(r: &ResellerTerms, c: &Counts, lines: &mut Vec<ResellerLine>) -> Result<()> {
    for (cat, pct, f) in &r.markups {
        let base = match Category::parse(cat) {
            Some(k) => c.meta_by_category[k.index()],
            None => c.meta_total, // "all"
        };
        if !base.is_zero() && !f.is_zero() {
            let label = format!(
                "Markup {}% on Meta {} charges",
                show_f64(*pct),
                cat.replace('_', "-")
            );
            lines.push(line(&format!("markup_{cat}"), label, base, *f, false)?);
        }
    }
    Ok(())
}

/// A package: a monthly price with units included, and the overage beyond them.
fn package(
    pk: &PackageTerms,
    plan: &Plan,
    c: &Counts,
    lines: &mut Vec<ResellerLine>,
) -> Result<()> {
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
        // "conversations", the only other kind `PackageTerms` holds.
        _ => {
            if c.conversations.is_zero() {
                c.charged
            } else {
                c.conversations
            }
        }
    };
    let included = pk.included;
    let kind = pk.kind.replace('_', " ");
    let label = format!("Package: {included} {kind} included");
    lines.push(line("package", label, Decimal::ONE, pk.price, false)?);
    let over = sub(units, included)?;
    if over > Decimal::ZERO {
        let label = format!("{kind} beyond the package");
        lines.push(line("package_overage", label, over, pk.overage, false)?);
    }
    Ok(())
}

/// Meta's charges bought as prepaid points: the difference to Meta's price and a handling fee.
fn prepaid(pp: &PrepaidTerms, c: &Counts, lines: &mut Vec<ResellerLine>) -> Result<()> {
    let price = pp.point_price;
    let points = mul(c.meta_total, pp.points_per_unit)?;
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
    if let Some((h, f)) = pp.handling {
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
    w.push(EstimateWarning {
        code: "fx".to_string(),
        message: format!(
            "Meta bills in {currency}; the {qc} figures use the FX rate entered ({} {qc} per {currency}, {}% margin), not a market rate",
            m2s(rate),
            m2s(mul(margin, Decimal::ONE_HUNDRED)?)
        ),
        path: Some("reseller.fxRate".to_string()),
    });
    Ok(Some(QuoteCurrency {
        currency: qc,
        fx_rate: m2s(effective),
        total: m2s(mul(total, effective)?),
        one_time: m2s(mul(one_time, effective)?),
    }))
}
