//! Comparisons: one scenario priced under several dates, with deltas from the first.

use super::changes::{changes as changes_between, Changes};
use super::{estimate, Estimate};
use crate::error::{Error, ErrorCode, Result};
use crate::money::{overflow, sub, to_string as m2s};
use crate::scenario::Scenario;
use crate::time::Date;
use crate::Engine;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// One date of a comparison and its delta from the first.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Delta {
    /// From date.
    pub from: String,
    /// To date.
    pub to: String,
    /// Total delta.
    pub total: String,
    /// Meta delta.
    pub meta: String,
    /// Delta by category.
    pub by_category: BTreeMap<String, String>,
    /// Delta by market.
    pub by_market: BTreeMap<String, String>,
}

/// The result of `compare`.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    /// Dates compared.
    pub dates: Vec<String>,
    /// Whether every date's estimate is complete (each says which lines it leaves unpriced).
    pub complete: bool,
    /// One estimate per date.
    pub estimates: Vec<Estimate>,
    /// Deltas from the first date.
    pub deltas: Vec<Delta>,
    /// What changed between each date and the next, with each change's effect on the total.
    pub changes: Vec<Changes>,
}

/// `b − a` key by key (a key missing on one side counts 0 there).
fn diff_maps(
    a: &BTreeMap<String, String>,
    b: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>> {
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    crate::sort::sort_dedup(&mut keys);
    let mut out = BTreeMap::new();
    for k in keys {
        let x = a.get(k).map_or(Ok(Decimal::ZERO), |s| amount(s))?;
        let y = b.get(k).map_or(Ok(Decimal::ZERO), |s| amount(s))?;
        // Inserted, not collected: see `crate::sort::map`.
        out.insert(k.clone(), m2s(sub(y, x)?));
    }
    Ok(out)
}

/// `b − a` of two amounts of reports.
fn delta(a: &str, b: &str) -> Result<String> {
    Ok(m2s(sub(amount(b)?, amount(a)?)?))
}

/// An amount of a report (written by `money::to_string`, so it always reads back).
pub(super) fn amount(s: &str) -> Result<Decimal> {
    s.parse::<Decimal>().map_err(|_| overflow())
}

/// Prices the scenario under several dates.
pub fn compare(engine: &Engine, scenario: &Scenario, dates: &[Date]) -> Result<Comparison> {
    if dates.is_empty() || dates.len() > 12 {
        return Err(Error::coded(
            ErrorCode::InvalidInput,
            "date_count",
            "dates",
            format!("{} dates given: compare takes 1 to 12 dates", dates.len()),
        )
        .with("count", crate::messages::Value::Count(dates.len() as u64))
        .with("limit", crate::messages::Value::Count(12)));
    }
    let mut estimates = Vec::new();
    for (i, d) in dates.iter().enumerate() {
        estimates.push(estimate(engine, scenario, Some(*d)).map_err(|e| {
            if e.path.is_empty() {
                e.under(&format!("dates[{i}]"))
            } else {
                e
            }
        })?);
    }
    let first = &estimates[0];
    let deltas = estimates
        .iter()
        .skip(1)
        .map(|e| {
            Ok(Delta {
                from: first.date.clone(),
                to: e.date.clone(),
                total: delta(&first.total, &e.total)?,
                meta: delta(&first.meta.total, &e.meta.total)?,
                by_category: diff_maps(&first.meta.by_category, &e.meta.by_category)?,
                by_market: diff_maps(&first.meta.by_market, &e.meta.by_market)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let mut changes = Vec::new();
    for i in 1..dates.len() {
        let (a, b) = ((dates[i - 1], &estimates[i - 1]), (dates[i], &estimates[i]));
        changes.push(changes_between(engine, scenario, a, b)?);
    }
    Ok(Comparison {
        changes,
        dates: estimates.iter().map(|e| e.date.clone()).collect(),
        complete: estimates.iter().all(|e| e.complete),
        estimates,
        deltas,
    })
}
