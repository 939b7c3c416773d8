//! The per-message eras (SPEC §7.3, §7.4): templates, free-form messages and reactions;
//! authentication-international (§9, §13.13); list rates and missing rates (§13.10, §13.11).

use super::state::{Sim, UserState};
use super::{Event, EventKind, Reason, Tables, Verdict};
use crate::error::{Error, ErrorCode, Result};
use crate::markets::MarketId;
use crate::messages::Value;
use crate::model::{
    Category, Era, PricingModel, TemplateCategory, VerdictType, NONPROFIT_FREE_SERVICE_END,
};
use crate::time::{format_date, Date};
use rust_decimal::Decimal;

/// The service rate from 2026-10-01 (SPEC §13.11): the `service` row in force, else the utility
/// list rate.
pub fn service_rate<'a>(
    tables: impl Into<Tables<'a>>,
    currency: &str,
    market: MarketId,
    d: Date,
) -> Option<Decimal> {
    let tables = tables.into();
    let book = tables.rates.currency(currency)?;
    tables
        .rates
        .rate(book, PricingModel::Pmp, market, Category::Service, d)
        .or_else(|| {
            tables
                .rates
                .rate(book, PricingModel::Pmp, market, Category::Utility, d)
        })
        .map(|r| r.rate)
}

impl Sim<'_> {
    /// A Marketing Messages API message (MM Lite, SPEC §15, §14): charged per delivered message at
    /// the market's marketing rate in every era — the conversation-era card's before 2025-07-01
    /// (the two-type era has none: a missing rate) — and labelled `PMP`, `regular`, marketing; it
    /// opens no conversation and rides in none.
    pub(super) fn marketing_lite(&mut self, era: Era, d: Date, v: &mut Verdict) -> Result<()> {
        let rate = self.list_rate(
            era.model(),
            v.resolution.market,
            Category::Marketing,
            d,
            v.index,
        )?;
        v.model = PricingModel::Pmp;
        v.category = Category::Marketing;
        v.reason = Reason::TemplateCharged;
        // As a marketing template: no rate (lenient) leaves it unpriced, not at a rate of 0.
        v.rate = rate;
        v.amount = rate.unwrap_or(Decimal::ZERO);
        v.charged = true;
        Ok(())
    }

    /// Per message, 2025-07-01 on (SPEC §7.3, §7.4, §13.9): templates charged at their rate
    /// (utility free in the window to 2026-09-30; tiers for utility and authentication), free-form
    /// free to 2026-09-30 and then within the service allowance, reactions free.
    pub(super) fn per_message(
        &mut self,
        s: &mut UserState,
        e: &Event,
        era: Era,
        d: Date,
        csw_open: bool,
        v: &mut Verdict,
    ) -> Result<()> {
        match e.kind {
            EventKind::Template(tc) => {
                if tc == TemplateCategory::Utility {
                    let carried = self
                        .open_convs(s)
                        .iter()
                        .find(|c| c.era == Era::FourCategory && c.category == Category::Utility);
                    if let Some(c) = carried.copied() {
                        Self::ride(v, &c);
                        return Ok(());
                    }
                    if era == Era::PerMessage && csw_open {
                        v.category = Category::Utility;
                        v.vtype = VerdictType::FreeCustomerService;
                        v.reason = Reason::UtilityInWindow;
                        return Ok(());
                    }
                }
                let category = match tc {
                    TemplateCategory::Authentication => self.auth_category(v),
                    other => other.category(),
                };
                v.category = category;
                v.reason = Reason::TemplateCharged;
                if category == Category::Marketing {
                    let rate = self.list_rate(
                        PricingModel::Pmp,
                        v.resolution.market,
                        category,
                        d,
                        v.index,
                    )?;
                    v.rate = rate;
                    v.amount = rate.unwrap_or(Decimal::ZERO);
                    v.charged = true;
                    Ok(())
                } else {
                    self.tiered(v)
                }
            }
            EventKind::Reaction => {
                v.category = Category::Service;
                v.vtype = VerdictType::FreeCustomerService;
                v.reason = if era == Era::PaidService {
                    Reason::ReactionFree
                } else {
                    Reason::ServiceInWindow
                };
                Ok(())
            }
            EventKind::Message => {
                v.category = Category::Service;
                if era == Era::PerMessage {
                    v.vtype = VerdictType::FreeCustomerService;
                    v.reason = Reason::ServiceInWindow;
                    return Ok(());
                }
                if self.req.options.nonprofit && d <= NONPROFIT_FREE_SERVICE_END {
                    v.vtype = VerdictType::FreeCustomerService;
                    v.reason = Reason::NonprofitService;
                    return Ok(());
                }
                let (n, of) = self.allowance_take(e, d);
                if n <= of {
                    // Meta's word for a service message within the allowance (SPEC §14).
                    v.vtype = VerdictType::FreeCustomerService;
                    v.reason = Reason::ServiceAllowance { n, of };
                    return Ok(());
                }
                let market = v.resolution.market;
                let rate = match self
                    .lookup
                    .rate(PricingModel::Pmp, market, Category::Service, d)
                {
                    Some(r) => Some(r.rate),
                    None => {
                        self.list_rate(PricingModel::Pmp, market, Category::Utility, d, v.index)?
                    }
                };
                v.reason = Reason::ServiceCharged { n, of };
                v.rate = rate;
                v.amount = rate.unwrap_or(Decimal::ZERO);
                v.charged = true;
                Ok(())
            }
            // Decided before the era's rules (`decide`).
            EventKind::MarketingLite => self.marketing_lite(era, d, v),
            EventKind::Inbound { .. } => Ok(()),
        }
    }

    /// Authentication or authentication-international for the message's recipient (SPEC §9, §13.13).
    pub(super) fn auth_category(&mut self, v: &Verdict) -> Category {
        let b = &self.req.business;
        if b.auth_international.is_empty() {
            return Category::Authentication;
        }
        let table = &self.tables.markets;
        let iso = table.country(v.resolution).map(|(iso, _)| iso);
        let market_name = table.name(v.resolution.market);
        let eligible = b.auth_international.iter().any(|(key, start)| {
            *start <= v.local_date && (Some(key.as_str()) == iso || key == market_name)
        });
        let abroad = match (&b.country, iso) {
            (Some(c), Some(i)) => c != i,
            _ => true,
        };
        let model = Era::of(v.local_date).map_or(PricingModel::Cbp, Era::model);
        if eligible
            && abroad
            && self
                .lookup
                .rate(
                    model,
                    v.resolution.market,
                    Category::AuthenticationInternational,
                    v.local_date,
                )
                .is_some()
        {
            Category::AuthenticationInternational
        } else {
            Category::Authentication
        }
    }

    /// The list rate in force for the message (SPEC §5, §13.10): a missing rate is an error,
    /// or, when `lenient_rates`, `None` with a `missing_rate` warning: the message is charged
    /// but unpriced (its verdict has no rate; the totals count it in `unpriced`, never as 0).
    pub(super) fn list_rate(
        &mut self,
        model: PricingModel,
        market: MarketId,
        cat: Category,
        d: Date,
        index: u32,
    ) -> Result<Option<Decimal>> {
        match self.lookup.rate(model, market, cat, d) {
            Some(r) => {
                if let Some(card) = self.lookup.card_date(model, d) {
                    self.use_card((model, card));
                }
                Ok(Some(r.rate))
            }
            None if self.req.options.lenient_rates => {
                let (cur, name) = (&self.req.currency, self.tables.markets.name(market));
                self.warnings
                    .once("missing_rate", format!("mr{market}{cat:?}{d}"), || {
                        missing_rate(cur, name, cat, d)
                    });
                Ok(None)
            }
            None => Err(no_rate(
                format!("events[{index}]"),
                &self.req.currency,
                self.tables.markets.name(market),
                cat,
                d,
                if model == PricingModel::Cbp {
                    " (conversation-era card)"
                } else {
                    " (per-message card)"
                },
            )),
        }
    }
}

/// The `missing_rate` error of a rate no row provides (`card`: the card named after the date, or
/// nothing).
#[cold]
#[inline(never)]
pub(crate) fn no_rate(
    path: String,
    currency: &str,
    market: &str,
    category: Category,
    date: Date,
    card: &str,
) -> Error {
    // The parameters of the `missing_rate` warning, and the reason.
    let mut e = Error::coded(
        ErrorCode::MissingRate,
        "",
        path,
        format!(
            "no {currency} rate for {market} {} on {}{card}: no row of the data provides it; load a rate card file with this rate",
            category.as_str(),
            format_date(date)
        ),
    );
    let params = missing_rate(currency, market, category, date);
    e.params = Some(Box::new(params.with("reason", Value::Term("no_rate"))));
    e
}

/// The parameters of a `missing_rate` warning (the simulator's and the estimate's).
pub(crate) fn missing_rate(
    currency: &str,
    market: &str,
    category: Category,
    date: crate::time::Date,
) -> crate::messages::Params {
    use crate::messages::Params;
    Params::new()
        .with("currency", Value::Currency(currency.to_string()))
        .with("market", Value::Market(market.to_string()))
        .with("category", Value::Category(category))
        .with("date", Value::Date(date))
}
