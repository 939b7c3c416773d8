//! Scenarios: a business described by its audience and customer journeys (see `docs/estimate.md`),
//! validated, and expanded into the timelines of representative contacts.

use crate::error::{Error, ErrorCode, Result};
use crate::input::{count as whole, currency as check_currency, RawBusiness, RawOptions};
use crate::markets::Phone;
use crate::model::TemplateCategory;
use crate::simulate::{Event, EventKind, Status};
use crate::time::{parse_date, Date, Zone, DAY_MS, HOUR_MS};
use crate::Engine;
use chrono::Datelike;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::str::FromStr;

mod presets;
use presets::{
    param, param_on, AGENT_REPLIES, CHAT_HOURS, CONFIRMATION, CUSTOMER_MESSAGES, DELIVERY,
    DELIVERY_AFTER_HOURS, FAIL_SHARE, FOLLOW_UPS, REPLIES_PER_CHAT, REPLY_SHARE,
    REPLY_WITHIN_HOURS, SHIPPING, SHIPPING_AFTER_HOURS, WRITES_FIRST_SHARE,
};
pub use presets::{
    ParamDef, ParamKind, DEFAULT_FOLLOW_UPS, DEFAULT_MESSAGING_LIMIT, MESSAGING_LIMITS, PRESETS,
};

/// Largest audience accepted.
pub const MAX_CONTACTS: u64 = 1_000_000_000_000;
/// Largest number of occurrences of one journey per contact per month.
pub const MAX_TIMES_PER_MONTH: f64 = 1000.0;
/// Largest number of mix entries.
pub const MAX_MIX: usize = 400;
/// Largest number of journeys.
pub const MAX_JOURNEYS: usize = 50;
/// Largest number of steps in a custom journey (and of agent replies etc. in a preset).
pub const MAX_STEPS: usize = 500;

/// Embedded `data/countries.csv`: ISO country → calling code and an example number.
pub const COUNTRIES_CSV: &str = include_str!(concat!(env!("OUT_DIR"), "/countries.csv"));

/// The business as a scenario writes it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScenarioBusiness {
    /// Billing currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Time zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Business phone numbers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_numbers: Option<f64>,
    /// Primary country (ISO).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Authentication-international eligibility.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_international: Option<BTreeMap<String, String>>,
    /// Pricing date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Messaging-limit tier: a number or "unlimited".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub messaging_limit: Option<MessagingLimit>,
}

/// A messaging-limit tier as written: a number or `"unlimited"`.
#[derive(Debug, Clone, PartialEq)]
pub enum MessagingLimit {
    /// A tier: unique business-initiated recipients per 24 h.
    Tier(f64),
    /// Text (only `unlimited` is valid).
    Text(String),
}

impl<'de> Deserialize<'de> for MessagingLimit {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = MessagingLimit;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a messaging-limit tier or \"unlimited\"")
            }
            fn visit_f64<E>(self, v: f64) -> std::result::Result<MessagingLimit, E> {
                Ok(MessagingLimit::Tier(v))
            }
            fn visit_u64<E>(self, v: u64) -> std::result::Result<MessagingLimit, E> {
                Ok(MessagingLimit::Tier(v as f64))
            }
            fn visit_i64<E>(self, v: i64) -> std::result::Result<MessagingLimit, E> {
                Ok(MessagingLimit::Tier(v as f64))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<MessagingLimit, E> {
                Ok(MessagingLimit::Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for MessagingLimit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            MessagingLimit::Tier(t) => s.serialize_f64(*t),
            MessagingLimit::Text(t) => s.serialize_str(t),
        }
    }
}

/// A follow-up template of the `ad_lead` preset.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FollowUp {
    /// Hours after the ad-originated message.
    pub after_hours: f64,
    /// Template category.
    pub category: String,
}

/// Preset parameters (see the preset table of `docs/estimate.md`); a preset ignores the others.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Params {
    /// `marketing_campaign`: % who reply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_share: Option<f64>,
    /// `marketing_campaign`: agent replies per chat.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replies_per_chat: Option<f64>,
    /// `order_lifecycle`: % who write first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub writes_first_share: Option<f64>,
    /// `order_lifecycle`: send the confirmation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<bool>,
    /// `order_lifecycle`: send the shipping update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping: Option<bool>,
    /// `order_lifecycle`: send the delivery update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery: Option<bool>,
    /// `order_lifecycle`: hours to the shipping update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_after_hours: Option<f64>,
    /// `order_lifecycle`: hours to the delivery update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_after_hours: Option<f64>,
    /// `otp_login`: % of OTPs not delivered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fail_share: Option<f64>,
    /// `support`: agent replies per chat.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_replies: Option<f64>,
    /// `support`: customer messages per chat.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_messages: Option<f64>,
    /// `support`: chat length in hours.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chat_hours: Option<f64>,
    /// `ad_lead`: hours to the first reply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_within_hours: Option<f64>,
    /// `ad_lead`: follow-up templates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_ups: Option<Vec<FollowUp>>,
}

impl Params {
    /// Whether no parameter is set.
    pub fn is_empty(&self) -> bool {
        *self == Params::default()
    }
}

/// One entry of the audience mix.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MixEntry {
    /// ISO country code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Rate-card market.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub market: Option<String>,
    /// Share in percent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// Count of contacts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<f64>,
}

/// The audience.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Audience {
    /// Total contacts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contacts: Option<f64>,
    /// Mix over countries or markets.
    #[serde(default)]
    pub mix: Vec<MixEntry>,
}

/// One step of a custom journey.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Step {
    /// Hours after the start of the occurrence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_hours: Option<f64>,
    /// Event kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Template category.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// `ctwa`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referral: Option<String>,
    /// Delivery status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Share of contacts for whom the step happens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
}

/// A journey.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Journey {
    /// Preset name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// Label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Share of contacts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// Occurrences per contact per month.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub times_per_month: Option<f64>,
    /// Preset parameters.
    #[serde(default, skip_serializing_if = "Params::is_empty")]
    pub params: Params,
    /// Custom steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<Step>>,
}

/// A package plan of a reseller.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Package {
    /// `messages`, `active_users` or `conversations`.
    pub kind: String,
    /// Units included.
    pub included: f64,
    /// Price of the package.
    pub price: String,
    /// Price per unit beyond the package.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overage: Option<String>,
}

/// Sub-accounts.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubAccounts {
    /// Number of sub-accounts.
    pub count: f64,
    /// Fee per sub-account per month.
    pub monthly_fee: String,
}

/// Prepaid points.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Prepaid {
    /// Price of one point in the billing currency.
    pub point_price: String,
    /// Points consumed per unit of Meta charges (default: 1 / point price, i.e. at cost).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points_per_unit: Option<String>,
    /// Handling fee on the purchase, percent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handling_percent: Option<f64>,
}

/// Reseller (BSP) fees.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Reseller {
    /// Fee per business message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_outbound: Option<String>,
    /// Fee per customer message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_inbound: Option<String>,
    /// Fee per undelivered business message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_failed: Option<String>,
    /// Markup on Meta charges per category (or `all`), percent.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub markup_percent: BTreeMap<String, f64>,
    /// Monthly fee per business number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_number_monthly: Option<String>,
    /// Monthly platform fee.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform_monthly: Option<String>,
    /// One-time setup fee.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub setup_fee: Option<String>,
    /// Sub-accounts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_accounts: Option<SubAccounts>,
    /// Package plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package: Option<Package>,
    /// Prepaid points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prepaid: Option<Prepaid>,
    /// Quote currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote_currency: Option<String>,
    /// FX rate: quote currency per billing currency unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fx_rate: Option<String>,
    /// FX margin, percent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fx_margin_percent: Option<f64>,
}

/// A scenario as written.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    /// The business.
    #[serde(default)]
    pub business: ScenarioBusiness,
    /// The audience.
    #[serde(default)]
    pub audience: Audience,
    /// Journeys.
    #[serde(default)]
    pub journeys: Vec<Journey>,
    /// Reseller fees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reseller: Option<Reseller>,
    /// Simulation options.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<RawOptions>,
}

/// A representative contact: a phone number standing for a share of the audience.
#[derive(Debug, Clone)]
pub struct Segment {
    /// Representative number.
    pub phone: Phone,
    /// Contacts it stands for (may be fractional).
    pub contacts: Decimal,
    /// Label (country or market).
    pub label: String,
    /// Path of the mix entry.
    pub path: String,
}

/// One cohort of a journey: a timeline template for a share of its contacts.
#[derive(Debug, Clone)]
pub struct Cohort {
    /// Fraction (0..=1) of the journey's contacts.
    pub weight: Decimal,
    /// Steps: offset from the month start (ms) and what happens.
    pub steps: Vec<(i64, EventKind, Status)>,
}

/// A journey ready to simulate.
#[derive(Debug, Clone)]
pub struct PlannedJourney {
    /// Label.
    pub name: String,
    /// Fraction (0..=1) of all contacts.
    pub share: Decimal,
    /// Cohorts.
    pub cohorts: Vec<Cohort>,
}

/// A validated scenario.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Billing currency.
    pub currency: String,
    /// Zone.
    pub zone: Zone,
    /// Zone name as given.
    pub timezone: String,
    /// Business phone numbers.
    pub numbers: u64,
    /// Pricing date.
    pub date: Date,
    /// First instant of the simulated month.
    pub month_start: i64,
    /// First instant after it.
    pub month_end: i64,
    /// Messaging-limit tier (`None`: unlimited).
    pub limit_tier: Option<u64>,
    /// Total contacts.
    pub contacts: Decimal,
    /// Audience segments.
    pub segments: Vec<Segment>,
    /// Journeys.
    pub journeys: Vec<PlannedJourney>,
    /// The business for authentication-international.
    pub business: crate::simulate::Business,
    /// Simulation options.
    pub options: crate::simulate::Options,
    /// Days per messaging-limit step.
    pub ramp_days_per_step: u64,
    /// Warnings found while validating.
    pub warnings: Vec<(String, String, Option<String>)>,
}

fn err(code: ErrorCode, path: impl Into<String>, msg: impl Into<String>) -> Error {
    Error::new(code, path, msg)
}

/// Parses a non-negative money amount written as a decimal string.
pub fn money(s: &str, path: &str) -> Result<Decimal> {
    match Decimal::from_str(s.trim()) {
        Ok(d) if !d.is_sign_negative() || d.is_zero() => Ok(d),
        Ok(_) => Err(err(
            ErrorCode::InvalidInput,
            path,
            format!("negative amount {s:?}"),
        )),
        Err(_) => Err(err(
            ErrorCode::InvalidInput,
            path,
            format!("invalid amount {s:?}: expected a decimal string such as \"0.005\""),
        )),
    }
}

/// A percentage in `[0, max]` as a decimal fraction.
pub fn percent(v: f64, max: f64, path: &str) -> Result<Decimal> {
    if !v.is_finite() || v < 0.0 || v > max {
        return Err(err(
            ErrorCode::InvalidInput,
            path,
            format!(
                "invalid percentage {}: expected 0 to {}",
                crate::input::show_f64(v),
                crate::input::show_f64(max)
            ),
        ));
    }
    <Decimal as rust_decimal::prelude::FromPrimitive>::from_f64(v)
        .map(|d| d / Decimal::ONE_HUNDRED)
        .ok_or_else(|| {
            err(
                ErrorCode::InvalidInput,
                path,
                format!("invalid percentage {}", crate::input::show_f64(v)),
            )
        })
}

fn non_negative(v: f64, max: f64, path: &str, what: &str) -> Result<Decimal> {
    if !v.is_finite() || v < 0.0 || v > max {
        return Err(err(
            ErrorCode::InvalidInput,
            path,
            format!(
                "invalid {what} {}: expected a number from 0 to {}",
                crate::input::show_f64(v),
                crate::input::show_f64(max)
            ),
        ));
    }
    <Decimal as rust_decimal::prelude::FromPrimitive>::from_f64(v).ok_or_else(|| {
        err(
            ErrorCode::InvalidInput,
            path,
            format!("invalid {what} {}", crate::input::show_f64(v)),
        )
    })
}

/// Country rows of `data/countries.csv`: (iso2, name, example number), read once.
pub fn countries() -> &'static [(String, String, String)] {
    static TABLE: std::sync::OnceLock<Vec<(String, String, String)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(read_countries)
}

fn read_countries() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut r = csv::ReaderBuilder::new().from_reader(COUNTRIES_CSV.as_bytes());
    let headers = r.headers().cloned().unwrap_or_default();
    let col = |n: &str| headers.iter().position(|h| h == n);
    let (Some(i), Some(c), Some(e)) = (col("iso2"), col("country"), col("example_number")) else {
        return out;
    };
    for rec in r.records().flatten() {
        out.push((
            rec.get(i).unwrap_or("").to_string(),
            rec.get(c).unwrap_or("").to_string(),
            rec.get(e).unwrap_or("").to_string(),
        ));
    }
    out
}

impl Scenario {
    /// Validates the scenario into a plan; every error names its path.
    pub fn plan(&self, engine: &Engine, date_override: Option<Date>) -> Result<Plan> {
        let b = &self.business;
        let currency = check_currency(b.currency.as_deref(), "business.currency")?;
        if engine.rates.currency(&currency).is_none() {
            return Err(err(
                ErrorCode::MissingRate,
                "business.currency",
                format!(
                    "no rate card in currency {currency:?}: the data holds {}; load a rate card file in this currency",
                    engine.rates.currencies().join(", ")
                ),
            ));
        }
        let timezone = b.timezone.clone().unwrap_or_else(|| "UTC".to_string());
        let zone = engine.zone(&timezone, "business.timezone")?;
        let numbers = match b.phone_numbers {
            Some(n) => whole(
                n,
                1,
                10_000,
                "business.phoneNumbers",
                "number of business phone numbers",
            )?,
            None => 1,
        };
        let date = match (date_override, &b.date) {
            (Some(d), _) => d,
            (None, Some(s)) => parse_date(s, "business.date")?,
            (None, None) => crate::model::PAID_SERVICE_START,
        };
        if date < crate::model::CBP_START {
            return Err(err(
                ErrorCode::UnsupportedDate,
                "business.date",
                format!("{date} is before 2022-02-01, when conversation-based pricing began"),
            ));
        }
        let first = date.with_day(1).unwrap_or(date);
        let next = if first.month() == 12 {
            Date::from_ymd_opt(first.year() + 1, 1, 1)
        } else {
            Date::from_ymd_opt(first.year(), first.month() + 1, 1)
        }
        .unwrap_or(first);
        let month_start = zone.midnight(first);
        let month_end = zone.midnight(next);
        let limit_tier = match &b.messaging_limit {
            None => Some(DEFAULT_MESSAGING_LIMIT),
            Some(MessagingLimit::Text(t)) if t == "unlimited" => None,
            Some(MessagingLimit::Tier(n)) if MESSAGING_LIMITS.iter().any(|&t| t as f64 == *n) => {
                Some(*n as u64)
            }
            Some(v) => {
                let shown = match v {
                    MessagingLimit::Tier(n) => crate::input::show_f64(*n),
                    MessagingLimit::Text(t) => format!("{t:?}"),
                };
                return Err(err(
                    ErrorCode::InvalidInput,
                    "business.messagingLimit",
                    format!("invalid messaging limit {shown}: expected 250, 1000, 2000, 10000, 100000 or \"unlimited\""),
                ));
            }
        };

        let business = RawBusiness {
            country: b.country.clone(),
            auth_international: b.auth_international.clone(),
        }
        .resolve("business")?;
        let mut options = self
            .options
            .as_ref()
            .map(|o| o.resolve("options"))
            .transpose()?
            .unwrap_or_default();
        options.keep_messages = true;
        options.lenient_rates = true;
        engine.markets.check_options(&options.markets, "options")?;
        let mut warnings = Vec::new();

        // Audience.
        let a = &self.audience;
        let contacts_f = a.contacts.ok_or_else(|| {
            err(
                ErrorCode::InvalidInput,
                "audience.contacts",
                "missing number of contacts",
            )
        })?;
        if contacts_f.is_finite() && contacts_f > MAX_CONTACTS as f64 {
            return Err(err(
                ErrorCode::LimitExceeded,
                "audience.contacts",
                format!(
                    "{} contacts exceed the limit of {MAX_CONTACTS}",
                    crate::input::show_f64(contacts_f)
                ),
            ));
        }
        let mut contacts = Decimal::from(whole(
            contacts_f,
            0,
            MAX_CONTACTS,
            "audience.contacts",
            "number of contacts",
        )?);
        if a.mix.is_empty() {
            return Err(err(
                ErrorCode::InvalidInput,
                "audience.mix",
                "the audience mix is empty: name at least one country or market",
            ));
        }
        if a.mix.len() > MAX_MIX {
            return Err(err(
                ErrorCode::LimitExceeded,
                "audience.mix",
                format!("{} mix entries exceed the limit of {MAX_MIX}", a.mix.len()),
            ));
        }
        let table = countries();
        let mut segments = Vec::new();
        let mut share_total = Decimal::ZERO;
        let mut count_total = Decimal::ZERO;
        let (mut by_share, mut by_count) = (false, false);
        for (i, m) in a.mix.iter().enumerate() {
            let path = format!("audience.mix[{i}]");
            let (phone, label) = representative(engine, table, m, date, &options.markets, &path)?;
            let weight = match (m.share, m.count) {
                (Some(s), None) => {
                    by_share = true;
                    let w = percent(s, 100.0, &format!("{path}.share"))?;
                    share_total += w;
                    w
                }
                (None, Some(c)) => {
                    by_count = true;
                    let c = Decimal::from(whole(
                        c,
                        0,
                        MAX_CONTACTS,
                        &format!("{path}.count"),
                        "count of contacts",
                    )?);
                    count_total += c;
                    c
                }
                _ => {
                    return Err(err(
                        ErrorCode::InvalidInput,
                        path,
                        "each mix entry needs either a share (%) or a count",
                    ))
                }
            };
            segments.push(Segment {
                phone,
                contacts: weight,
                label,
                path,
            });
        }
        if by_share && by_count {
            return Err(err(
                ErrorCode::InvalidInput,
                "audience.mix",
                "mix entries must all use shares or all use counts",
            ));
        }
        if by_share {
            let total = share_total * Decimal::ONE_HUNDRED;
            if (total - Decimal::ONE_HUNDRED).abs() > Decimal::new(1, 6) {
                return Err(err(
                    ErrorCode::InvalidInput,
                    "audience.mix",
                    format!(
                        "the mix shares total {}%, not 100%",
                        crate::money::to_string(total)
                    ),
                ));
            }
            for s in &mut segments {
                s.contacts = contacts * s.contacts / share_total;
            }
        } else if count_total != contacts {
            warnings.push((
                "mix_counts".to_string(),
                format!(
                    "the mix counts total {} contacts while audience.contacts is {}; the counts were used",
                    count_total, contacts
                ),
                Some("audience.mix".to_string()),
            ));
            contacts = count_total;
        }

        // Journeys.
        if self.journeys.len() > MAX_JOURNEYS {
            return Err(err(
                ErrorCode::LimitExceeded,
                "journeys",
                format!(
                    "{} journeys exceed the limit of {MAX_JOURNEYS}",
                    self.journeys.len()
                ),
            ));
        }
        let days = (next - first).num_days();
        let mut journeys = Vec::new();
        for (i, j) in self.journeys.iter().enumerate() {
            journeys.push(plan_journey(j, &format!("journeys[{i}]"), days)?);
        }
        if journeys.is_empty() {
            warnings.push((
                "no_journeys".to_string(),
                "the scenario has no journeys: nothing is sent".to_string(),
                Some("journeys".to_string()),
            ));
        }
        Ok(Plan {
            currency,
            zone,
            timezone,
            numbers,
            date,
            month_start,
            month_end,
            limit_tier,
            contacts,
            segments,
            journeys,
            business,
            options,
            ramp_days_per_step: 7,
            warnings,
        })
    }
}

/// A representative phone number for a mix entry, checked to resolve where the entry says.
fn representative(
    engine: &Engine,
    table: &[(String, String, String)],
    m: &MixEntry,
    date: Date,
    opts: &crate::markets::MarketOptions,
    path: &str,
) -> Result<(Phone, String)> {
    match (&m.country, &m.market) {
        (Some(c), None) => {
            let iso = c.trim().to_ascii_uppercase();
            let row = table.iter().find(|r| r.0 == iso).ok_or_else(|| {
                err(
                    ErrorCode::UnknownCountry,
                    format!("{path}.country"),
                    format!(
                        "unknown country {c:?}: expected an ISO 3166-1 alpha-2 code such as IN"
                    ),
                )
            })?;
            let phone = Phone::parse(&row.2, &format!("{path}.country"))?;
            Ok((phone, iso))
        }
        (None, Some(name)) => {
            let id = engine.markets.id(name).ok_or_else(|| {
                err(ErrorCode::UnknownMarket, format!("{path}.market"), format!("unknown market {name:?}: expected a rate-card market such as \"Rest of Africa\""))
            })?;
            for row in table {
                if let Ok(p) = Phone::parse(&row.2, "") {
                    if engine.markets.resolve(p, date, opts).market == id {
                        return Ok((p, name.clone()));
                    }
                }
            }
            Err(err(
                ErrorCode::UnknownMarket,
                format!("{path}.market"),
                format!("no country is in market {name:?} on {date}"),
            ))
        }
        _ => Err(err(
            ErrorCode::InvalidInput,
            path,
            "each mix entry names either a country or a market",
        )),
    }
}

fn param_f(v: Option<f64>, name: &str, default: f64, max: f64, path: &str) -> Result<f64> {
    match v {
        None => Ok(default),
        Some(x) if x.is_finite() && (0.0..=max).contains(&x) => Ok(x),
        Some(x) => Err(err(
            ErrorCode::InvalidInput,
            format!("{path}.params.{name}"),
            format!(
                "invalid {name} {}: expected a number from 0 to {}",
                crate::input::show_f64(x),
                crate::input::show_f64(max)
            ),
        )),
    }
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
            let replies = param(j.params.replies_per_chat, &REPLIES_PER_CHAT, path)? as i64;
            let base: Steps = vec![(0, tpl(TemplateCategory::Marketing), DELIVERED)];
            let mut replied = base.clone();
            replied.push((hours(1.0), INBOUND, DELIVERED));
            for k in 0..replies {
                replied.push((hours(1.0) + (k + 1) * 5 * 60_000, EventKind::Message, DELIVERED));
            }
            vec![(one - reply, base), (reply, replied)]
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
            vec![(one - first, base), (first, writes)]
        }
        (Some("otp_login"), None) => {
            let fail = share_of(param(j.params.fail_share, &FAIL_SHARE, path)?, &format!("{path}.params.failShare"))?;
            vec![
                (one - fail, vec![(0, tpl(TemplateCategory::Authentication), DELIVERED)]),
                (fail, vec![(0, tpl(TemplateCategory::Authentication), Status::Failed)]),
            ]
        }
        (Some("support"), None) => {
            let agent = param(j.params.agent_replies, &AGENT_REPLIES, path)? as i64;
            let customer = param(j.params.customer_messages, &CUSTOMER_MESSAGES, path)?.max(1.0) as i64;
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
                        let h = param_f(Some(it.after_hours), "afterHours", 0.0, 24.0 * 60.0, &p)
                            .map_err(|e| Error::new(e.code, format!("{p}.afterHours"), e.message))?;
                        let c = TemplateCategory::parse(&it.category).ok_or_else(|| {
                            err(
                                ErrorCode::InvalidCategory,
                                format!("{p}.category"),
                                format!("invalid template category {:?}: expected marketing, utility or authentication", it.category),
                            )
                        })?;
                        v.push((h, c));
                    }
                    v
                }
            };
            if follow.len() > FOLLOW_UPS.max as usize {
                return Err(err(ErrorCode::LimitExceeded, format!("{path}.params.followUps"), "too many follow-ups"));
            }
            for (h, c) in follow {
                steps.push((hours(h), tpl(c), DELIVERED));
            }
            sort_steps(&mut steps);
            vec![(one, steps)]
        }
        (None, Some(custom)) => {
            if custom.len() > MAX_STEPS {
                return Err(err(ErrorCode::LimitExceeded, format!("{path}.steps"), format!("{} steps exceed the limit of {MAX_STEPS}", custom.len())));
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
                };
                let ev = raw.resolve(0).map_err(|e| {
                    let field = e.path.rsplit('.').next().unwrap_or("").to_string();
                    Error::new(e.code, format!("{p}.{field}"), e.message)
                })?;
                let h = s.after_hours.ok_or_else(|| err(ErrorCode::InvalidInput, format!("{p}.afterHours"), "missing afterHours"))?;
                if !h.is_finite() || !(-24.0 * 30.0..=24.0 * 60.0).contains(&h) {
                    return Err(err(ErrorCode::InvalidInput, format!("{p}.afterHours"), format!("invalid afterHours {h}: expected -720 to 1440")));
                }
                let step = (hours(h), ev.kind, ev.status);
                let share = share_of(s.share.unwrap_or(100.0), &format!("{p}.share"))?;
                if share == one {
                    for c in &mut cohorts {
                        c.1.push(step);
                    }
                } else {
                    if cohorts.len() >= 64 {
                        return Err(err(ErrorCode::LimitExceeded, format!("{p}.share"), "at most 6 steps of a custom journey may have a share below 100%"));
                    }
                    let mut with = cohorts.clone();
                    for c in &mut with {
                        c.0 *= share;
                        c.1.push(step);
                    }
                    for c in &mut cohorts {
                        c.0 *= one - share;
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
                format!("{path}.preset"),
                format!("unknown preset {p:?}: expected marketing_campaign, order_lifecycle, otp_login, support or ad_lead"),
            ))
        }
        (Some(_), Some(_)) => return Err(err(ErrorCode::InvalidInput, path, "a journey has either a preset or steps, not both")),
        (None, None) => return Err(err(ErrorCode::InvalidInput, path, "a journey needs a preset or steps")),
    }
    .into_iter()
    .filter(|(w, _)| !w.is_zero())
    .collect())
}

fn plan_journey(j: &Journey, path: &str, days: i64) -> Result<PlannedJourney> {
    let share = share_of(j.share.unwrap_or(100.0), &format!("{path}.share"))?;
    let times = non_negative(
        j.times_per_month.unwrap_or(1.0),
        MAX_TIMES_PER_MONTH,
        &format!("{path}.timesPerMonth"),
        "timesPerMonth",
    )?;
    let per = occurrence(j, path)?;
    let lo = times.floor();
    let frac = times - lo;
    let lo_n = u32::try_from(lo.mantissa() / 10i128.pow(lo.scale())).unwrap_or(0);
    let mut cohorts = Vec::new();
    for (n, w) in [(lo_n, Decimal::ONE - frac), (lo_n + 1, frac)] {
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
                weight: w * cw,
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
    })
}

impl Plan {
    /// The events of one cohort of a journey for one segment's representative number, anchored to
    /// the month (offsets are from local midnight of the 1st; the zone's offset is applied once).
    pub fn events(&self, cohort: &Cohort, phone: Phone) -> Vec<Event> {
        cohort
            .steps
            .iter()
            .map(|(t, kind, status)| Event {
                at: self.month_start + t,
                user: phone,
                kind: *kind,
                from: None,
                status: *status,
            })
            .collect()
    }
}
