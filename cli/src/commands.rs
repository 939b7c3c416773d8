//! `estimate`, `compare`, `quote`, `rates` and `simulate`: each reads its input, calls the engine
//! as the JavaScript binding does (`src/wasm/`), and returns the result as JSON and as tables.

use crate::input::{file_error, read, read_inline_or_file};
use crate::{show, Output};
use serde::Serialize;
use waprice::input::RawRequest;
use waprice::quote::QuoteMeta;
use waprice::scenario::Scenario;
use waprice::time::{parse_date, Zone};
use waprice::{Engine, Error, ErrorCode};

#[derive(clap::Args)]
pub struct EstimateArgs {
    /// The scenario (docs/estimate.md): a JSON or YAML file, or `-` for standard input.
    scenario: String,
    /// Print the result as JSON (what `engine.estimate` returns in JavaScript).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    data: RateFiles,
}

#[derive(clap::Args)]
pub struct CompareArgs {
    /// The scenario: a JSON or YAML file, or `-` for standard input.
    scenario: String,
    /// Dates to price it under (YYYY-MM-DD), comma-separated or repeated; the first is the base.
    #[arg(long, required = true, value_delimiter = ',')]
    dates: Vec<String>,
    /// Print the result as JSON (what `engine.compare` returns in JavaScript).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    data: RateFiles,
}

#[derive(clap::Args)]
pub struct QuoteArgs {
    /// The scenario: a JSON or YAML file, or `-` for standard input.
    scenario: String,
    /// Who, when and how long: inline JSON such as '{"seller":"Acme","customer":"Shop",
    /// "issued":"2026-10-01"}', or a JSON or YAML file.
    #[arg(long)]
    meta: String,
    /// Print the result as JSON (what `engine.quote` returns in JavaScript).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    data: RateFiles,
}

#[derive(clap::Args)]
pub struct RatesArgs {
    /// The date (YYYY-MM-DD, local in --timezone) or an RFC 3339 instant.
    #[arg(long)]
    date: String,
    /// Currency (ISO 4217).
    #[arg(long)]
    currency: String,
    /// Only this market (a rate-card market name, e.g. India, "Rest of Africa").
    #[arg(long)]
    market: Option<String>,
    /// Time zone in which the date is read: an IANA name or an offset such as +05:30.
    #[arg(long, default_value = "UTC")]
    timezone: String,
    /// Print the result as JSON (what `engine.rateCard` returns in JavaScript).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    data: RateFiles,
}

#[derive(clap::Args)]
pub struct SimulateArgs {
    /// The timeline (docs/simulator.md: currency, timezone, events, options): a JSON or YAML
    /// file, or `-` for standard input.
    events: String,
    /// Print the result as JSON (what `engine.simulate` returns in JavaScript).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    data: RateFiles,
}

/// Pretty JSON of a result, in the order of its fields.
pub fn to_json<T: Serialize>(value: &T) -> Result<String, Error> {
    serde_json::to_string_pretty(value).map_err(|e| not_convertible(&e))
}

/// A result that cannot be written as JSON (`detail`: why).
pub fn not_convertible(e: &serde_json::Error) -> Error {
    let detail = e.to_string();
    Error::coded(
        ErrorCode::InvalidInput,
        "cli_result_not_json",
        "",
        format!("cannot convert the result: {detail}"),
    )
    .with("detail", waprice::messages::Value::Text(detail))
}

fn output<T: Serialize>(value: &T, text: String) -> Result<Output, Error> {
    Ok(Output {
        json: to_json(value)?,
        text,
    })
}

/// `--rates`: Meta's rate-card files laid over the embedded data, on every command.
#[derive(clap::Args, Clone, Default)]
pub struct RateFiles {
    /// One of Meta's rate-card files (list rates or volume tiers, CSV or XLSX) laid over the
    /// embedded data; repeatable, later files win.
    #[arg(long = "rates", value_name = "FILE")]
    pub rates: Vec<String>,
    /// Effective date of the --rates files that state none in their preamble (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub rates_date: Option<String>,
    /// Currency of the --rates files that state none (ISO 4217).
    #[arg(long, value_name = "CODE")]
    pub rates_currency: Option<String>,
}

impl RateFiles {
    /// The engine over the embedded data with the --rates files loaded in order.
    pub fn engine(&self) -> Result<Engine, Error> {
        let mut engine = Engine::new()?;
        let date = self
            .rates_date
            .as_deref()
            .map(|d| parse_date(d, "--rates-date"))
            .transpose()?;
        for f in &self.rates {
            let bytes = std::fs::read(f).map_err(|e| {
                file_error(
                    "cli_file_unreadable",
                    "--rates",
                    f,
                    &format!("cannot read {f}"),
                    &e,
                )
            })?;
            let file = std::path::Path::new(f)
                .file_name()
                .map_or_else(|| f.clone(), |n| n.to_string_lossy().into_owned());
            // Named as the page names a dropped file, so that quotes and log reports name it by
            // its file name and the first 12 hex digits of its SHA-256 (docs/data.md).
            let opts = waprice::engine::LoadOptions {
                date,
                currency: self.rates_currency.clone(),
                name: Some(format!("{file} (SHA-256 {})", sha256_prefix(&bytes))),
            };
            engine.load_rate_file(&bytes, &opts).map_err(|e| Error {
                message: format!("{f}: {}", e.message),
                ..e
            })?;
        }
        Ok(engine)
    }
}

/// The first 12 hex digits of the SHA-256 of `bytes`.
fn sha256_prefix(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn estimate(a: &EstimateArgs) -> Result<Output, Error> {
    let engine = a.data.engine()?;
    let s: Scenario = read(&a.scenario, "scenario", "")?;
    let e = waprice::estimate::estimate(&engine, &s, None)?;
    output(&e, show::estimate(&e))
}

/// Parses the dates of a comparison, as the binding does (`dates[i]` in errors).
pub fn parse_dates(raw: &[String]) -> Result<Vec<waprice::time::Date>, Error> {
    raw.iter()
        .enumerate()
        .map(|(i, d)| parse_date(d, &format!("dates[{i}]")))
        .collect()
}

pub fn compare(a: &CompareArgs) -> Result<Output, Error> {
    let engine = a.data.engine()?;
    let s: Scenario = read(&a.scenario, "scenario", "")?;
    let dates = parse_dates(&a.dates)?;
    let c = waprice::estimate::compare(&engine, &s, &dates)?;
    output(&c, show::compare(&c))
}

pub fn quote(a: &QuoteArgs) -> Result<Output, Error> {
    let engine = a.data.engine()?;
    let s: Scenario = read(&a.scenario, "scenario", "")?;
    let m: QuoteMeta = read_inline_or_file(&a.meta, "meta", "meta")?;
    let q = waprice::quote::quote(&engine, &s, &m)?;
    output(&q, show::quote(&q))
}

/// The instant of `--date`: local midnight of a date in the zone, or an RFC 3339 instant.
pub fn rates_instant(date: &str, zone: &Zone) -> Result<i64, Error> {
    if date.trim().len() == 10 {
        return Ok(zone.midnight(parse_date(date, "date")?));
    }
    waprice::input::RawInstant::Text(date.into()).resolve("date")
}

/// The rate card of a date and currency, narrowed to one market when one is named.
pub fn rate_card(
    engine: &Engine,
    date: &str,
    currency: &str,
    market: Option<&str>,
    timezone: &str,
) -> Result<waprice::engine::RateCard, Error> {
    let zone = engine.zone(timezone, "timezone")?;
    let at = rates_instant(date, &zone)?;
    let mut card = engine.rate_card(at, &zone, currency)?;
    if let Some(m) = market {
        let id = engine.markets.id(m).ok_or_else(|| {
            Error::coded(
                ErrorCode::UnknownMarket,
                "",
                "market",
                format!("unknown market {m:?}: expected a rate-card market such as India or \"Rest of Africa\""),
            )
            .value(m)
        })?;
        let name = engine.markets.name(id).to_string();
        card.markets.retain(|x| x.market == name);
        card.missing.retain(|x| x.market == name);
    }
    Ok(card)
}

pub fn rates(a: &RatesArgs) -> Result<Output, Error> {
    let engine = a.data.engine()?;
    let card = rate_card(
        &engine,
        &a.date,
        &a.currency,
        a.market.as_deref(),
        &a.timezone,
    )?;
    output(&card, show::rates(&card))
}

pub fn simulate(a: &SimulateArgs) -> Result<Output, Error> {
    let engine = a.data.engine()?;
    let raw: RawRequest = read(&a.events, "events", "")?;
    let sim = engine.simulate_raw(raw)?;
    let text = show::simulation(&waprice::report::simulation(&engine, &sim));
    let json = to_json(&waprice::report::simulation_lazy(&engine, &sim))?;
    Ok(Output { json, text })
}
