//! A scenario validated into a plan: the business, the audience's segments and the journeys'
//! cohorts; every error names its input path.

use super::journeys::plan_journey;
use super::presets::MESSAGING_LIMITS;
use super::reseller::ResellerTerms;
use super::{
    MessagingLimit, MixEntry, Scenario, COUNTRIES_CSV, MAX_CONTACTS, MAX_JOURNEYS, MAX_MIX,
};
use crate::error::{Error, ErrorCode, Result};
use crate::input::{count as whole, currency as check_currency, RawBusiness};
use crate::markets::Phone;
use crate::messages::{Message, Params, Value};
use crate::money::{add_to, div, mul, sub};
use crate::pricing::{Business, Event, EventKind, Status};
use crate::time::{parse_date, Date, Zone};
use crate::Engine;
use chrono::Datelike;
use rust_decimal::Decimal;
use std::str::FromStr;

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
    /// What the weights of the cohorts are divided by after the contacts are multiplied: 1, or
    /// for a journey given in occurrences per month its contacts (the weights are then contacts).
    pub divisor: Decimal,
    /// Occurrences in the month, over all its contacts.
    pub occurrences: Decimal,
    /// Occurrences per contact of the journey.
    pub times_per_month: Decimal,
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
    pub business: crate::pricing::Business,
    /// Simulation options.
    pub options: crate::pricing::Options,
    /// The messaging-limit rules of the date (SPEC §15).
    pub limit_rules: crate::limits::Rules,
    /// Reseller fees, validated.
    pub reseller: Option<ResellerTerms>,
    /// Warnings found while validating.
    pub warnings: Vec<crate::messages::Message>,
    /// Authentication-international: the eligibility and the markets with the rate.
    pub auth_international: AuthInternational,
}

/// An error of a scenario with its reason (`src/reasons.rs`, SCENARIO), to which the caller adds
/// the parameters its message names.
pub(super) fn err(
    code: ErrorCode,
    reason: &'static str,
    path: impl Into<String>,
    msg: impl Into<String>,
) -> Error {
    Error::coded(code, reason, path, msg)
}

/// `limit_exceeded`: `count` items where at most `limit` are allowed (the params of every
/// `too_many_*` reason but `too_many_contacts` and `too_many_partial_steps`).
#[inline(never)]
pub(crate) fn over_limit(
    reason: &'static str,
    path: &str,
    count: u64,
    limit: u64,
    msg: String,
) -> Error {
    Error::coded(ErrorCode::LimitExceeded, reason, path, msg)
        .with("count", Value::Count(count))
        .with("limit", Value::Count(limit))
}

/// `invalid_input`: a number outside `[min, max]`, with `reason` and the params `value` (as the
/// message shows it), `min` and `max`.
#[inline(never)]
pub(super) fn out_of_range(
    reason: &'static str,
    path: &str,
    msg: String,
    value: &str,
    min: i64,
    max: i64,
) -> Error {
    Error::coded(ErrorCode::InvalidInput, reason, path, msg)
        .value(value)
        .with("min", Value::Number(Decimal::from(min)))
        .with("max", Value::Number(Decimal::from(max)))
}

/// Parses a non-negative money amount written as a plain decimal string: digits with at most one
/// point between digits (`"0.005"`, `"12"`). Forms that `Decimal::from_str` would also read
/// (`"1_000"`, `"1e3"`, `"+1"`, `".5"`) are refused: an amount on a quote is read as written.
pub fn money(s: &str, path: &str) -> Result<Decimal> {
    let t = s.trim();
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    let plain = match t.split_once('.') {
        Some((int, frac)) => digits(int) && digits(frac),
        None => digits(t),
    };
    let negative = t
        .strip_prefix('-')
        .is_some_and(|r| Decimal::from_str(r).is_ok_and(|d| !d.is_zero()));
    let (reason, msg) = match Decimal::from_str(t) {
        Ok(d) if plain => return Ok(d),
        _ if negative => ("negative_amount", format!("negative amount {s:?}")),
        Err(_) if plain => (
            "amount_too_long",
            format!("invalid amount {s:?}: more digits than the engine's 28"),
        ),
        _ => (
            "not_an_amount",
            format!(
                "invalid amount {s:?}: expected a plain decimal string such as \"0.005\" (digits and at most one point)"
            ),
        ),
    };
    Err(err(ErrorCode::InvalidInput, reason, path, msg).value(s))
}

/// An amount (see [`money`]) that must be above 0, or `invalid_input` `zero_amount` with the
/// message `zero` and the amount as given.
#[inline(never)]
pub(crate) fn above_zero(s: &str, path: &str, zero: &str) -> Result<Decimal> {
    let d = money(s, path)?;
    if d.is_zero() {
        return Err(err(ErrorCode::InvalidInput, "zero_amount", path, zero).value(s));
    }
    Ok(d)
}

/// A number from 0 to `max` (a whole number) as a decimal, or `invalid_input`:
/// `percent_out_of_range`, or `number_out_of_range` with `field`, the name the message gives it.
#[inline(never)]
fn in_range(v: f64, max: f64, path: &str, field: Option<&str>) -> Result<Decimal> {
    <Decimal as rust_decimal::prelude::FromPrimitive>::from_f64(v)
        .filter(|_| v.is_finite() && v >= 0.0 && v <= max)
        .ok_or_else(|| {
            let shown = crate::error::show_f64(v);
            let (reason, what, expected) = match field {
                None => ("percent_out_of_range", "percentage", ""),
                Some(what) => ("number_out_of_range", what, "a number from "),
            };
            let e = out_of_range(
                reason,
                path,
                format!(
                    "invalid {what} {shown}: expected {expected}0 to {}",
                    crate::error::show_f64(max)
                ),
                &shown,
                0,
                max as i64,
            );
            match field {
                Some(what) => e.with("field", Value::Text(what.to_string())),
                None => e,
            }
        })
}

/// A percentage in `[0, max]` (`max` whole) as a decimal fraction.
pub fn percent(v: f64, max: f64, path: &str) -> Result<Decimal> {
    div(in_range(v, max, path, None)?, Decimal::ONE_HUNDRED)
}

/// A number in `[0, max]` (`max` whole) named `what` in the error.
pub(super) fn non_negative(v: f64, max: f64, path: &str, what: &str) -> Result<Decimal> {
    in_range(v, max, path, Some(what))
}

/// Country rows of `data/countries.csv`: (iso2, name, example number), read once.
pub fn countries() -> &'static [(String, String, String)] {
    static TABLE: std::sync::OnceLock<Vec<(String, String, String)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(read_countries)
}

fn read_countries() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let text = COUNTRIES_CSV.csv();
    let mut r = csv::ReaderBuilder::new().from_reader(text.as_bytes());
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
        // A Meta billing currency without a card is priced as unpriced lines (SPEC §5), any
        // other code is an error.
        if engine.rates.billing_book(&currency).is_none() {
            let held = engine.rates.currencies().join(", ");
            return Err(err(
                ErrorCode::MissingRate,
                "no_card_in_currency",
                "business.currency",
                format!(
                    "no rate card in currency {currency:?}: the data holds {held}; load a rate card file in this currency"
                ),
            )
            .with("currency", Value::Currency(currency))
            .with("currencies", Value::Text(held)));
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
        crate::pricing::date_era(date, "business.date", "")?;
        let first = date.with_day(1).unwrap_or(date);
        let next = if first.month() == 12 {
            Date::from_ymd_opt(first.year() + 1, 1, 1)
        } else {
            Date::from_ymd_opt(first.year(), first.month() + 1, 1)
        }
        .unwrap_or(first);
        let month_start = zone.midnight(first);
        let month_end = zone.midnight(next);
        // SPEC §15: the tiers, scope and ramp of the date; a new business's tier by default.
        let limit_rules = crate::limits::rules(date);
        let (limit_tier, limit_warnings) =
            messaging_limit(b.messaging_limit.as_ref(), &limit_rules, date)?;

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
        let mut warnings = limit_warnings;
        let auth_international =
            auth_international(engine, &business, &currency, date, &options.markets)?;
        warnings.extend(auth_international.warnings(&business));

        let (contacts, segments) = self.audience(engine, date, &options.markets)?;

        // Journeys.
        if self.journeys.len() > MAX_JOURNEYS {
            let n = self.journeys.len();
            return Err(over_limit(
                "too_many_journeys",
                "journeys",
                n as u64,
                MAX_JOURNEYS as u64,
                format!("{n} journeys exceed the limit of {MAX_JOURNEYS}"),
            ));
        }
        let days = (next - first).num_days();
        let mut journeys = Vec::new();
        for (i, j) in self.journeys.iter().enumerate() {
            journeys.push(plan_journey(j, &format!("journeys[{i}]"), days, contacts)?);
        }
        if journeys.is_empty() {
            warnings.push(Message::new("no_journeys", Params::new()).at("journeys"));
        }
        let reseller = self
            .reseller
            .as_ref()
            .map(|r| ResellerTerms::read(r, &currency))
            .transpose()?;
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
            limit_rules,
            reseller,
            warnings,
            auth_international,
        })
    }
}

/// The messaging limit of the scenario (SPEC §15): the tier as the date's rules know it (a new
/// business's tier by default, a tier of another era translated with a warning), or `None` for
/// unlimited; an unknown value is an error at `business.messagingLimit`.
fn messaging_limit(
    given: Option<&MessagingLimit>,
    limit_rules: &crate::limits::Rules,
    date: Date,
) -> Result<(Option<u64>, Vec<Message>)> {
    let mut limit_warnings = Vec::new();
    let limit_tier = match given {
        None => Some(limit_rules.start),
        Some(MessagingLimit::Text(t)) if t == "unlimited" => None,
        Some(MessagingLimit::Tier(n)) if MESSAGING_LIMITS.iter().any(|&t| t as f64 == *n) => {
            Some(*n as u64)
        }
        Some(v) => {
            let (value, shown) = match v {
                MessagingLimit::Tier(n) => {
                    let n = crate::error::show_f64(*n);
                    (n.clone(), n)
                }
                MessagingLimit::Text(t) => (t.clone(), format!("{t:?}")),
            };
            return Err(err(
                ErrorCode::InvalidInput,
                "invalid_messaging_limit",
                "business.messagingLimit",
                format!("invalid messaging limit {shown}: expected 250, 1000, 2000, 10000, 100000 or \"unlimited\""),
            )
            .value(&value));
        }
    };
    let (limit_tier, translated) = limit_rules.tier_of(limit_tier);
    if translated {
        let given_tier = match given {
            // A tier translated is one of the engine's own whole numbers.
            Some(MessagingLimit::Tier(n)) => *n as u64,
            _ => 0,
        };
        limit_warnings.push(
            Message::new(
                "messaging_limit_tier",
                Params::new()
                    .with("given", Value::Count(given_tier))
                    .with("date", Value::Date(date))
                    .with("tier", Value::Limit(Some(limit_rules.start))),
            )
            .at("business.messagingLimit"),
        );
    }
    Ok((limit_tier, limit_warnings))
}

impl Scenario {
    /// The audience (SPEC §10, the scenario's contacts and mix): the contacts, and one segment per
    /// mix entry with its representative number and its contacts; every error names its path.
    fn audience(
        &self,
        engine: &Engine,
        date: Date,
        markets: &crate::markets::MarketOptions,
    ) -> Result<(Decimal, Vec<Segment>)> {
        let a = &self.audience;
        let contacts_f = a.contacts.ok_or_else(|| {
            err(
                ErrorCode::InvalidInput,
                "missing_contacts",
                "audience.contacts",
                "missing number of contacts",
            )
        })?;
        if contacts_f.is_finite() && contacts_f > MAX_CONTACTS as f64 {
            let shown = crate::error::show_f64(contacts_f);
            return Err(err(
                ErrorCode::LimitExceeded,
                "too_many_contacts",
                "audience.contacts",
                format!("{shown} contacts exceed the limit of {MAX_CONTACTS}"),
            )
            .value(&shown)
            .with("limit", Value::Count(MAX_CONTACTS)));
        }
        let contacts = Decimal::from(whole(
            contacts_f,
            0,
            MAX_CONTACTS,
            "audience.contacts",
            "number of contacts",
        )?);
        if a.mix.is_empty() {
            return Err(err(
                ErrorCode::InvalidInput,
                "empty_mix",
                "audience.mix",
                "the audience mix is empty: name at least one country or market",
            ));
        }
        if a.mix.len() > MAX_MIX {
            let n = a.mix.len();
            return Err(over_limit(
                "too_many_mix_entries",
                "audience.mix",
                n as u64,
                MAX_MIX as u64,
                format!("{n} mix entries exceed the limit of {MAX_MIX}"),
            ));
        }
        let table = countries();
        let mut segments = Vec::new();
        let mut share_total = Decimal::ZERO;
        let mut count_total = Decimal::ZERO;
        let (mut by_share, mut by_count) = (false, false);
        for (i, m) in a.mix.iter().enumerate() {
            let path = format!("audience.mix[{i}]");
            let (phone, label) = representative(engine, table, m, date, markets, &path)?;
            let weight = match (m.share, m.count) {
                (Some(s), None) => {
                    by_share = true;
                    let w = percent(s, 100.0, &format!("{path}.share"))?;
                    add_to(&mut share_total, w)?;
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
                    add_to(&mut count_total, c)?;
                    c
                }
                _ => {
                    return Err(err(
                        ErrorCode::InvalidInput,
                        "mix_share_or_count",
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
                "mix_shares_and_counts",
                "audience.mix",
                "mix entries must all use shares or all use counts",
            ));
        }
        if by_share {
            let total = mul(share_total, Decimal::ONE_HUNDRED)?;
            if sub(total, Decimal::ONE_HUNDRED)?.abs() > Decimal::new(1, 6) {
                return Err(err(
                    ErrorCode::InvalidInput,
                    "mix_shares_total",
                    "audience.mix",
                    format!(
                        "the mix shares total {}%, not 100%",
                        crate::money::to_string(total)
                    ),
                )
                .with("total", Value::Number(total)));
            }
            for s in &mut segments {
                s.contacts = div(mul(contacts, s.contacts)?, share_total)?;
            }
        } else if count_total != contacts {
            // Which of the two the user meant cannot be known: an error, not a guess.
            return Err(err(
                ErrorCode::InvalidInput,
                "mix_counts_total",
                "audience.mix",
                format!(
                    "the mix counts total {count_total} contacts while audience.contacts is {contacts}: they must agree"
                ),
            )
            .with("total", Value::Number(count_total))
            .with("contacts", Value::Number(contacts)));
        }
        Ok((contacts, segments))
    }
}

/// Authentication-international as the scenario sets it (SPEC §9): the business's country, the
/// markets whose card of the date has the rate, and each eligibility entry with its market.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthInternational {
    /// The business's primary country (ISO), when given.
    pub country: Option<String>,
    /// Markets with an authentication-international rate in the billing currency on the date.
    pub markets_with_rate: Vec<String>,
    /// The eligibility entries, in the order of their keys.
    pub eligibility: Vec<AuthEligibility>,
}

/// One eligibility entry of authentication-international.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthEligibility {
    /// The key as given: a recipient country (ISO) or a market.
    pub key: String,
    /// Its market on the date.
    pub market: String,
    /// Eligible from (`YYYY-MM-DD`).
    pub from: String,
    /// Whether the eligibility has begun by the pricing date.
    pub in_force: bool,
    /// Whether the market has the rate on the card of the date.
    pub has_rate: bool,
}

impl AuthInternational {
    /// Warnings about entries that change nothing, each naming its input path.
    fn warnings(&self, business: &Business) -> Vec<Message> {
        let mut out = Vec::new();
        let path = |k: &str| Some(format!("business.authInternational.{k}"));
        if !self.eligibility.is_empty() && self.country.is_none() {
            out.push(
                Message::new("auth_international_no_country", Params::new()).at("business.country"),
            );
        }
        for (e, (key, _)) in self.eligibility.iter().zip(&business.auth_international) {
            if !e.has_rate {
                out.push(Message {
                    path: path(key),
                    ..Message::new(
                        "auth_international_no_rate",
                        Params::new().with("market", Value::Market(e.market.clone())),
                    )
                });
            } else if self.country.as_deref() == Some(key.as_str()) {
                out.push(Message {
                    path: path(key),
                    ..Message::new(
                        "auth_international_home",
                        Params::new().with("country", Value::Country(key.clone())),
                    )
                });
            }
        }
        out
    }
}

/// Checks the authentication-international fields against the country table and the markets,
/// and reads which markets have the rate (SPEC §9).
fn auth_international(
    engine: &Engine,
    business: &Business,
    currency: &str,
    date: Date,
    opts: &crate::markets::MarketOptions,
) -> Result<AuthInternational> {
    let table = countries();
    let known = |iso: &str| table.iter().find(|r| r.0 == iso);
    if let Some(c) = &business.country {
        if known(c).is_none() {
            return Err(err(
                ErrorCode::UnknownCountry,
                "",
                "business.country",
                format!("unknown country {c:?}: expected an ISO 3166-1 alpha-2 code such as CN"),
            )
            .value(c.as_str()));
        }
    }
    let model = crate::model::Era::of(date)
        .map_or(crate::model::PricingModel::Cbp, crate::model::Era::model);
    let book = engine.rates.currency(currency);
    let has_rate = |m: crate::markets::MarketId| {
        book.is_some_and(|b| {
            engine
                .rates
                .rate(
                    b,
                    model,
                    m,
                    crate::model::Category::AuthenticationInternational,
                    date,
                )
                .is_some()
        })
    };
    let mut markets_with_rate: Vec<String> = (0..engine.markets.names.len())
        .filter_map(|i| crate::markets::MarketId::try_from(i).ok())
        .filter(|&m| has_rate(m))
        .map(|m| engine.markets.name(m).to_string())
        .collect();
    crate::sort::sort_dedup(&mut markets_with_rate);
    let mut eligibility = Vec::new();
    for (key, from) in &business.auth_international {
        let path = format!("business.authInternational.{key}");
        let market = match known(key) {
            Some(row) => {
                let phone = Phone::parse(&row.2, &path)?;
                engine.markets.resolve(phone, date, opts).market
            }
            None => engine.markets.id(key).ok_or_else(|| {
                if key.len() == 2 {
                    err(
                        ErrorCode::UnknownCountry,
                        "",
                        path.clone(),
                        format!("unknown country {key:?}: expected an ISO 3166-1 alpha-2 code such as ID, or a market such as \"Indonesia\""),
                    ).value(key.as_str())
                } else {
                    err(
                        ErrorCode::UnknownMarket,
                        "",
                        path.clone(),
                        format!("unknown market {key:?}: expected a rate-card market such as \"Indonesia\", or an ISO code such as ID"),
                    ).value(key.as_str())
                }
            })?,
        };
        eligibility.push(AuthEligibility {
            key: key.clone(),
            market: engine.markets.name(market).to_string(),
            from: crate::time::format_date(*from),
            in_force: *from <= date,
            has_rate: has_rate(market),
        });
    }
    Ok(AuthInternational {
        country: business.country.clone(),
        markets_with_rate,
        eligibility,
    })
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
                    "",
                    format!("{path}.country"),
                    format!(
                        "unknown country {c:?}: expected an ISO 3166-1 alpha-2 code such as IN"
                    ),
                )
                .value(c.as_str())
            })?;
            let phone = Phone::parse(&row.2, &format!("{path}.country"))?;
            Ok((phone, iso))
        }
        (None, Some(name)) => {
            let id = engine.markets.id(name).ok_or_else(|| {
                err(ErrorCode::UnknownMarket, "", format!("{path}.market"), format!("unknown market {name:?}: expected a rate-card market such as \"Rest of Africa\"")).value(name.as_str())
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
                "market_without_country",
                format!("{path}.market"),
                format!("no country is in market {name:?} on {date}"),
            )
            .with("market", Value::Market(name.clone()))
            .with("date", Value::Date(date)))
        }
        _ => Err(err(
            ErrorCode::InvalidInput,
            "mix_country_or_market",
            path,
            "each mix entry names either a country or a market",
        )),
    }
}

impl PlannedJourney {
    /// The contacts a cohort's timeline stands for in a segment: the segment's contacts × the
    /// journey's share × the cohort's weight, divided by the journey's divisor (1 unless the
    /// journey is given in occurrences per month) after multiplying, so that counts given whole
    /// come out whole.
    pub fn weight(&self, segment_contacts: Decimal, cohort: &Cohort) -> Result<Decimal> {
        let w = mul(mul(segment_contacts, self.share)?, cohort.weight)?;
        if self.divisor == Decimal::ONE {
            Ok(w)
        } else {
            div(w, self.divisor)
        }
    }
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
