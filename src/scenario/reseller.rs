//! The reseller fields of a scenario (SPEC §10), validated when the scenario is planned, so that
//! pricing only multiplies.

use super::plan::{above_zero, err, money, percent};
use super::Reseller;
use crate::error::{ErrorCode, Result};
use crate::input::{count as whole, currency as check_currency};
use crate::messages::Value;
use rust_decimal::Decimal;

/// A package plan, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct PackageTerms {
    /// `messages`, `active_users` or `conversations`.
    pub kind: String,
    /// Units included.
    pub included: Decimal,
    /// Price of the package.
    pub price: Decimal,
    /// Price per unit beyond it (0 when not given).
    pub overage: Decimal,
}

/// Prepaid points, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct PrepaidTerms {
    /// Price of one point (above 0).
    pub point_price: Decimal,
    /// Points per unit of Meta charges (above 0).
    pub points_per_unit: Decimal,
    /// Handling fee: the percentage as written and as a fraction.
    pub handling: Option<(f64, Decimal)>,
}

/// The quote currency, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteTerms {
    /// Currency code.
    pub currency: String,
    /// Quote currency per billing currency unit (above 0).
    pub fx_rate: Decimal,
    /// Margin as a fraction.
    pub margin: Decimal,
}

/// Reseller fees, validated when the scenario is planned, so that pricing only multiplies.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResellerTerms {
    /// Fee per business message.
    pub per_outbound: Option<Decimal>,
    /// Fee per customer message.
    pub per_inbound: Option<Decimal>,
    /// Fee per undelivered business message.
    pub per_failed: Option<Decimal>,
    /// Markups: category (or `all`), the percentage as written, the fraction.
    pub markups: Vec<(String, f64, Decimal)>,
    /// Monthly fee per business number.
    pub per_number_monthly: Option<Decimal>,
    /// Monthly platform fee.
    pub platform_monthly: Option<Decimal>,
    /// One-time setup fee.
    pub setup_fee: Option<Decimal>,
    /// Sub-accounts: count and monthly fee.
    pub sub_accounts: Option<(Decimal, Decimal)>,
    /// Package plan.
    pub package: Option<PackageTerms>,
    /// Prepaid points.
    pub prepaid: Option<PrepaidTerms>,
    /// Quote currency (`None` also when it is the billing currency).
    pub quote: Option<QuoteTerms>,
}

impl ResellerTerms {
    /// Validates the reseller fields of a scenario billed in `currency`; every error names the
    /// field and its value.
    pub fn read(r: &Reseller, currency: &str) -> Result<ResellerTerms> {
        let p = "reseller";
        let opt = |v: &Option<String>, name: &str| -> Result<Option<Decimal>> {
            v.as_deref()
                .map(|s| money(s, &format!("{p}.{name}")))
                .transpose()
        };
        // In the order pricing reads them, so that the first error is the same.
        let per_outbound = opt(&r.per_outbound, "perOutbound")?;
        let per_inbound = opt(&r.per_inbound, "perInbound")?;
        let per_failed = opt(&r.per_failed, "perFailed")?;
        let mut markups = Vec::new();
        for (cat, pct) in &r.markup_percent {
            let path = format!("{p}.markupPercent.{cat}");
            let f = percent(*pct, 1000.0, &path)?;
            if cat != "all" && crate::model::Category::parse(cat).is_none() {
                return Err(err(
                    ErrorCode::InvalidCategory,
                    "markup_category",
                    path,
                    format!(
                        "unknown category {cat:?} for a markup: expected a category or \"all\""
                    ),
                )
                .value(cat));
            }
            markups.push((cat.clone(), *pct, f));
        }
        let per_number_monthly = opt(&r.per_number_monthly, "perNumberMonthly")?;
        let platform_monthly = opt(&r.platform_monthly, "platformMonthly")?;
        let sub_accounts = match &r.sub_accounts {
            None => None,
            Some(s) => Some((
                Decimal::from(whole(
                    s.count,
                    0,
                    100_000,
                    &format!("{p}.subAccounts.count"),
                    "number of sub-accounts",
                )?),
                money(&s.monthly_fee, &format!("{p}.subAccounts.monthlyFee"))?,
            )),
        };
        let package = r.package.as_ref().map(|pk| package(pk, p)).transpose()?;
        let prepaid = r.prepaid.as_ref().map(|pp| prepaid(pp, p)).transpose()?;
        let setup_fee = opt(&r.setup_fee, "setupFee")?;
        let quote = quote_terms(r, currency)?;
        Ok(ResellerTerms {
            per_outbound,
            per_inbound,
            per_failed,
            markups,
            per_number_monthly,
            platform_monthly,
            setup_fee,
            sub_accounts,
            package,
            prepaid,
            quote,
        })
    }
}

/// A package plan (SPEC §10) at `{p}.package`.
fn package(pk: &super::Package, p: &str) -> Result<PackageTerms> {
    let path = format!("{p}.package");
    if !["messages", "active_users", "conversations"].contains(&pk.kind.as_str()) {
        return Err(err(
            ErrorCode::InvalidInput,
            "unknown_package_kind",
            format!("{path}.kind"),
            format!(
                "unknown package kind {:?}: expected messages, active_users or conversations",
                pk.kind
            ),
        )
        .value(&pk.kind));
    }
    Ok(PackageTerms {
        kind: pk.kind.clone(),
        included: Decimal::from(whole(
            pk.included,
            0,
            u64::MAX >> 12,
            &format!("{path}.included"),
            "units included",
        )?),
        price: money(&pk.price, &format!("{path}.price"))?,
        overage: match &pk.overage {
            Some(o) => money(o, &format!("{path}.overage"))?,
            None => Decimal::ZERO,
        },
    })
}

/// Prepaid points (SPEC §10) at `{p}.prepaid`.
fn prepaid(pp: &super::Prepaid, p: &str) -> Result<PrepaidTerms> {
    let path = format!("{p}.prepaid");
    let price = above_zero(
        &pp.point_price,
        &format!("{path}.pointPrice"),
        "a point price of 0 cannot buy Meta charges",
    )?;
    let per_unit = match &pp.points_per_unit {
        // 0 points per unit would make Meta's charges free.
        Some(s) => above_zero(
            s,
            &format!("{path}.pointsPerUnit"),
            "invalid pointsPerUnit 0: expected an amount above 0",
        )?,
        None => crate::money::div(Decimal::ONE, price)?,
    };
    let handling = match pp.handling_percent {
        Some(h) => Some((h, percent(h, 100.0, &format!("{path}.handlingPercent"))?)),
        None => None,
    };
    Ok(PrepaidTerms {
        point_price: price,
        points_per_unit: per_unit,
        handling,
    })
}

/// The quote currency and its FX terms (SPEC §10): `None` when it is the billing currency; rates
/// are never converted by the engine, so a quote in another currency needs `fxRate`.
fn quote_terms(r: &Reseller, currency: &str) -> Result<Option<QuoteTerms>> {
    Ok(match &r.quote_currency {
        None => None,
        Some(q) => {
            let qc = check_currency(Some(q), "reseller.quoteCurrency")?;
            if qc == currency {
                None
            } else {
                let rate = match &r.fx_rate {
                    Some(s) => above_zero(s, "reseller.fxRate", "an FX rate of 0 is not a rate")?,
                    None => {
                        return Err(err(
                            ErrorCode::InvalidInput,
                            "fx_rate_missing",
                            "reseller.fxRate",
                            format!("a quote in {qc} needs an FX rate from {currency}: rates are never converted by the engine"),
                        )
                        .with("currency", Value::Currency(currency.to_string()))
                        .with("quoteCurrency", Value::Currency(qc)))
                    }
                };
                let margin = percent(
                    r.fx_margin_percent.unwrap_or(0.0),
                    100.0,
                    "reseller.fxMarginPercent",
                )?;
                Some(QuoteTerms {
                    currency: qc,
                    fx_rate: rate,
                    margin,
                })
            }
        }
    })
}
