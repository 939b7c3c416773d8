//! The engine: the figures it holds and the questions it answers.

use crate::data::{parse_markets, parse_rates, parse_tiers, Dataset, Origin, DATA_VERSION};
use crate::error::{Error, ErrorCode, Result};
use crate::input::{currency as check_currency, RawOptions, RawRequest};
use crate::markets::{MarketOptions, MarketTable, Phone};
use crate::messages::Value;
pub use crate::metafile::{LoadOptions, LoadedCard};
use crate::model::{Category, Confidence, Era, PricingModel};
use crate::pricing::{simulate, Request, Simulation, Tables};
use crate::rates::RateBook;
use crate::report::{self, SimulationReport};
use crate::time::{format_date, Date, TzDatabase, Zone};
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::rc::Rc;

#[cfg(not(target_arch = "wasm32"))]
fn default_tz() -> Rc<dyn TzDatabase> {
    Rc::new(crate::time::ChronoTz)
}

#[cfg(target_arch = "wasm32")]
fn default_tz() -> Rc<dyn TzDatabase> {
    Rc::new(crate::time::NoTz)
}
use serde::Serialize;
use std::collections::BTreeMap;

/// Custom data files given to [`Engine::with_data`] (CSV text in the schemas of `data/`).
#[derive(Debug, Clone, Default)]
pub struct CustomData {
    /// Rates files (either era).
    pub rates: Vec<String>,
    /// Volume-tier files.
    pub tiers: Vec<String>,
    /// Market tables.
    pub markets: Vec<String>,
    /// Replace the embedded data of each kind given instead of laying over it.
    pub replace: bool,
}

/// The pricing engine: market table, rate cards and tier tables, compiled for lookups.
#[derive(Clone)]
pub struct Engine {
    /// The market table.
    pub markets: MarketTable,
    /// Rates and tiers.
    pub rates: RateBook,
    tz: Rc<dyn TzDatabase>,
    zones: Rc<RefCell<FxHashMap<String, Zone>>>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("markets", &self.markets.rows.len())
            .field("rates", &self.rates.rate_rows.len())
            .finish()
    }
}

impl<'a> From<&'a Engine> for Tables<'a> {
    fn from(engine: &'a Engine) -> Tables<'a> {
        engine.tables()
    }
}

impl Engine {
    /// The tables the pricing kernel reads: markets and rates.
    pub fn tables(&self) -> Tables<'_> {
        Tables {
            markets: &self.markets,
            rates: &self.rates,
        }
    }

    /// An engine over the embedded data.
    pub fn new() -> Result<Engine> {
        Ok(Engine::compile(Dataset::embedded()?))
    }

    /// An engine over the embedded data with custom files laid over it (or replacing it).
    pub fn with_data(custom: &CustomData) -> Result<Engine> {
        let mut d = Dataset::embedded()?;
        let parse_all =
            |texts: &[String], f: &dyn Fn(&str) -> Result<Vec<_>>| -> Result<Option<Vec<_>>> {
                if texts.is_empty() {
                    return Ok(None);
                }
                let mut out = Vec::new();
                for t in texts {
                    out.extend(f(t)?);
                }
                Ok(Some(out))
            };
        let rates = parse_all(&custom.rates, &|t| parse_rates(t, Origin::Custom))?;
        let tiers = if custom.tiers.is_empty() {
            None
        } else {
            let mut out = Vec::new();
            for t in &custom.tiers {
                out.extend(parse_tiers(t, Origin::Custom)?);
            }
            Some(out)
        };
        let markets = if custom.markets.is_empty() {
            None
        } else {
            let mut out = Vec::new();
            for t in &custom.markets {
                out.extend(parse_markets(t, Origin::Custom)?);
            }
            Some(out)
        };
        d.overlay(rates, tiers, markets, custom.replace);
        Ok(Engine::compile(d))
    }

    /// Reads one of Meta's rate-card files (CSV or, with the `xlsx` feature, XLSX; see
    /// [`crate::metafile`]) and reports what loading it would do, without loading it.
    pub fn read_rate_file(
        &self,
        bytes: &[u8],
        opts: &LoadOptions,
    ) -> Result<crate::metafile::ParsedCard> {
        self.read_rate_grids(&crate::metafile::grids(bytes)?, opts)
    }

    /// [`Engine::read_rate_file`] of a file already read into grids (the sheets a spreadsheet
    /// package read).
    pub fn read_rate_grids(
        &self,
        grids: &[crate::metafile::Grid],
        opts: &LoadOptions,
    ) -> Result<crate::metafile::ParsedCard> {
        let matcher = crate::metafile::market_matcher(&self.markets.names);
        let mut parsed = crate::metafile::read_grids(grids, &matcher, opts)?;
        parsed.info.replaced = self.replaced_by(&parsed);
        Ok(parsed)
    }

    /// Loads one of Meta's rate-card files over the data held (SPEC §5: the file's rows replace
    /// the rows of the same effective date, currency, pricing model, market and category; its tier
    /// tables replace tables whole).
    pub fn load_rate_file(&mut self, bytes: &[u8], opts: &LoadOptions) -> Result<LoadedCard> {
        let parsed = self.read_rate_file(bytes, opts)?;
        Ok(self.load_parsed(parsed))
    }

    /// Lays a file read by [`Engine::read_rate_file`] over the data held.
    pub fn load_parsed(&mut self, parsed: crate::metafile::ParsedCard) -> LoadedCard {
        let info = parsed.info.clone();
        let mut d = Dataset {
            rates: self.rates.rate_rows.clone(),
            tiers: self.rates.tier_rows.clone(),
            markets: self.markets.data_rows().cloned().collect(),
        };
        d.overlay(Some(parsed.rates), Some(parsed.tiers), None, false);
        let mut next = Engine::compile(d);
        next.tz = self.tz.clone();
        next.zones = self.zones.clone();
        *self = next;
        info
    }

    /// How many rows (tier bands) held now a parsed file would replace.
    fn replaced_by(&self, p: &crate::metafile::ParsedCard) -> usize {
        let rate_keys: rustc_hash::FxHashSet<_> = p
            .rates
            .iter()
            .map(|r| (r.effective, &r.currency, r.model, &r.market, r.category))
            .collect();
        let tier_keys: rustc_hash::FxHashSet<_> = p
            .tiers
            .iter()
            .map(|r| (r.effective, &r.currency, &r.market, r.category))
            .collect();
        self.rates
            .rate_rows
            .iter()
            .filter(|r| {
                rate_keys.contains(&(r.effective, &r.currency, r.model, &r.market, r.category))
            })
            .count()
            + self
                .rates
                .tier_rows
                .iter()
                .filter(|r| tier_keys.contains(&(r.effective, &r.currency, &r.market, r.category)))
                .count()
    }

    fn compile(d: Dataset) -> Engine {
        let names: Vec<String> = d
            .rates
            .iter()
            .map(|r| r.market.clone())
            .chain(d.tiers.iter().map(|r| r.market.clone()))
            .collect();
        let markets = MarketTable::new(&d.markets, names);
        let rates = RateBook::new(d.rates, d.tiers, &markets);
        Engine {
            markets,
            rates,
            tz: default_tz(),
            zones: Rc::default(),
        }
    }

    /// Sets the time-zone database used for IANA names (the binding gives the platform's).
    pub fn set_tz_database(&mut self, db: Rc<dyn TzDatabase>) {
        self.tz = db;
        self.zones.borrow_mut().clear();
    }

    /// Parses a time zone (IANA name or fixed offset); IANA tables are built once per engine.
    pub fn zone(&self, name: &str, path: &str) -> Result<Zone> {
        if let Some(z) = self.zones.borrow().get(name) {
            return Ok(z.clone());
        }
        let z = Zone::parse(name, path, &*self.tz)?;
        let mut cache = self.zones.borrow_mut();
        if cache.len() > 64 {
            cache.clear();
        }
        cache.insert(name.to_string(), z.clone());
        Ok(z)
    }

    /// Runs a validated simulation.
    pub fn run(&self, req: &Request) -> Result<Simulation> {
        simulate(self, req)
    }

    /// Validates, simulates and reports.
    pub fn simulate(&self, raw: RawRequest) -> Result<SimulationReport> {
        Ok(report::simulation(self, &self.simulate_raw(raw)?))
    }

    /// Validates and simulates, returning the simulation itself (for callers that report lazily).
    pub fn simulate_raw(&self, raw: RawRequest) -> Result<Simulation> {
        let req = raw.resolve(self)?;
        self.run(&req)
    }

    /// The cards, tier tables and market table held.
    pub fn data_info(&self) -> DataInfo {
        let mut cards: BTreeMap<(Date, String, PricingModel), Tally> = BTreeMap::new();
        for r in &self.rates.rate_rows {
            let e = cards
                .entry((r.effective, r.currency.clone(), r.model))
                .or_default();
            e.add(&r.market, Category::Marketing, &r.provenance);
        }
        let cards = cards
            .into_iter()
            .map(|((date, currency, model), t)| CardInfo {
                date: format_date(date),
                currency,
                pricing_model: model,
                markets: distinct(t.markets),
                rows: t.rows,
                confidence: t
                    .confidences
                    .keys()
                    .next()
                    .copied()
                    .unwrap_or(Confidence::Low),
                confidences: crate::sort::map(
                    t.confidences
                        .iter()
                        .map(|(c, n)| (c.as_str().to_string(), *n)),
                ),
                source: origin_name(t.origin),
            })
            .collect();
        let mut tiers: BTreeMap<(Date, String), Tally> = BTreeMap::new();
        for r in &self.rates.tier_rows {
            tiers
                .entry((r.effective, r.currency.clone()))
                .or_default()
                .add(&r.market, r.category, &r.provenance);
        }
        let tier_tables = tiers
            .into_iter()
            .map(|((date, currency), t)| TierInfo {
                date: format_date(date),
                currency,
                markets: distinct(t.markets),
                tables: distinct(t.tables),
                confidence: t
                    .confidences
                    .keys()
                    .next()
                    .copied()
                    .unwrap_or(Confidence::Low),
                source: origin_name(t.origin),
            })
            .collect();
        let mut origin = [false; 2];
        let mut names = Vec::new();
        let mut rows = 0;
        for r in self.markets.data_rows() {
            origin[usize::from(r.provenance.origin == Origin::Custom)] = true;
            names.push(r.market.clone());
            rows += 1;
        }
        crate::sort::sort_dedup(&mut names);
        let coverage = self.coverage();
        DataInfo {
            version: DATA_VERSION,
            coverage,
            currencies: self
                .rates
                .currencies()
                .into_iter()
                .map(str::to_string)
                .collect(),
            cards,
            tier_tables,
            markets: MarketsInfo {
                rows,
                markets: names,
                source: origin_name(origin),
            },
        }
    }

    /// Resolves a phone number to its country and market on the local date of `at` (default: the
    /// latest data).
    pub fn resolve_market(
        &self,
        phone: &str,
        at: Option<i64>,
        zone: &Zone,
        opts: &MarketOptions,
    ) -> Result<MarketInfo> {
        let p = Phone::parse(phone, "phone")?;
        self.markets.check_options(opts, "options")?;
        let d = at.map_or(Date::MAX, |t| zone.local_date(t));
        let r = self.markets.resolve(p, d, opts);
        let country = self.markets.country(r);
        Ok(MarketInfo {
            phone: p.to_e164(),
            country: country.map(|c| c.0.to_string()),
            country_name: country.map(|c| c.1.to_string()),
            calling_code: self.markets.calling_code(r).map(str::to_string),
            market: self.markets.name(r.market).to_string(),
        })
    }

    /// One rate in force.
    pub fn rate(
        &self,
        at: i64,
        zone: &Zone,
        currency: &str,
        market: &str,
        category: &str,
    ) -> Result<RateInfo> {
        let cur = check_currency(Some(currency), "currency")?;
        let d = zone.local_date(at);
        let m = self.markets.id(market).ok_or_else(|| {
            Error::coded(
                ErrorCode::UnknownMarket,
                "",
                "market",
                format!("unknown market {market:?}"),
            )
            .value(market)
        })?;
        let cat = Category::parse(category).ok_or_else(|| {
            Error::coded(
                ErrorCode::InvalidCategory,
                "rate_category",
                "category",
                format!("invalid category {category:?}"),
            )
            .value(category)
        })?;
        let model = Era::of(d).map_or(PricingModel::Cbp, Era::model);
        let missing = || crate::pricing::no_rate(String::new(), &cur, market, cat, d, "");
        let book = self.rates.currency(&cur).ok_or_else(missing)?;
        let row = self
            .rates
            .rate(book, model, m, cat, d)
            .ok_or_else(missing)?;
        Ok(RateInfo::from_row(row))
    }

    /// The rates in force on the local date of `at` in `currency`, per market.
    pub fn rate_card(&self, at: i64, zone: &Zone, currency: &str) -> Result<RateCard> {
        let cur = check_currency(Some(currency), "currency")?;
        let d = zone.local_date(at);
        let none = || {
            let held = self.currencies_on(d).join(", ");
            Error::coded(
                ErrorCode::MissingRate,
                "no_card_on_date",
                "currency",
                format!(
                    "no {cur} rate card is in force on {}: the data holds {held} for this date's pricing model; load a rate card file",
                    format_date(d),
                ),
            )
            .with("currency", Value::Currency(cur.clone()))
            .with("date", Value::Date(d))
            .with("currencies", Value::Text(held))
        };
        let model = crate::pricing::date_era(d, "at", "")?.model();
        let book = self.rates.currency(&cur).ok_or_else(none)?;
        let card_date = book.card_date(model, d).ok_or_else(none)?;
        let era = Era::of(d).unwrap_or(Era::PaidService);
        let expected: &[Category] = match era {
            Era::TwoType => &[Category::BusinessInitiated, Category::UserInitiated],
            Era::FourCategory => &[
                Category::Marketing,
                Category::Utility,
                Category::Authentication,
                Category::Service,
            ],
            Era::PerMessage => &[
                Category::Marketing,
                Category::Utility,
                Category::Authentication,
            ],
            Era::PaidService => &[
                Category::Marketing,
                Category::Utility,
                Category::Authentication,
                Category::Service,
            ],
        };
        let optional = [Category::AuthenticationInternational];
        let mut markets = Vec::new();
        let mut missing = Vec::new();
        let mut names: Vec<(String, u16)> = self
            .markets
            .names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u16))
            .collect();
        crate::sort::sort_dedup(&mut names);
        for (name, id) in names {
            let mut rates = BTreeMap::new();
            for &c in expected.iter().chain(optional.iter()) {
                if let Some(r) = self.rates.rate(book, model, id, c, d) {
                    rates.insert(c.as_str().to_string(), RateInfo::from_row(r));
                }
            }
            let mut tiers = BTreeMap::new();
            if model == PricingModel::Pmp {
                for c in [
                    Category::Utility,
                    Category::Authentication,
                    Category::AuthenticationInternational,
                ] {
                    if let Some(t) = self.rates.tier_table(book, id, c, d) {
                        let bands = t
                            .bands
                            .iter()
                            .map(|&i| {
                                let b = &self.rates.tier_rows[i as usize];
                                TierBand {
                                    tier: b.tier,
                                    from: b.from,
                                    to: b.to,
                                    rate: b.rate.normalize().to_string(),
                                    effective_date: format_date(b.effective),
                                    confidence: b.provenance.confidence,
                                    sources: b.provenance.sources.clone(),
                                }
                            })
                            .collect();
                        tiers.insert(c.as_str().to_string(), bands);
                    }
                }
            }
            if rates.is_empty() {
                continue;
            }
            for &c in expected {
                if !rates.contains_key(c.as_str()) {
                    if c == Category::Service
                        && era == Era::PaidService
                        && rates.contains_key("utility")
                    {
                        continue; // SPEC §13.11: service falls back to the utility list rate.
                    }
                    missing.push(MissingRate {
                        market: name.clone(),
                        category: c.as_str().to_string(),
                    });
                }
            }
            markets.push(MarketRates {
                market: name,
                rates,
                tiers,
            });
        }
        Ok(RateCard {
            date: format_date(d),
            currency: cur,
            pricing_model: model,
            card_date: format_date(card_date),
            markets,
            missing,
        })
    }

    fn currencies_on(&self, d: Date) -> Vec<String> {
        let model = Era::of(d).map_or(PricingModel::Cbp, Era::model);
        self.rates
            .currencies()
            .into_iter()
            .filter(|c| {
                self.rates
                    .currency(c)
                    .is_some_and(|b| b.has_model_on(model, d))
            })
            .map(str::to_string)
            .collect()
    }
}

impl Engine {
    /// For every card date since 2022-02-01 (an effective date of some row, in any currency) and
    /// each of Meta's 16 currencies: whether the data holds rates in force on that date, from
    /// which origin, for how many markets, and how sure. A rate stays in force until replaced
    /// (SPEC §5), so a currency is covered on a date by its latest rows on or before it, within
    /// the date's pricing model.
    pub fn coverage(&self) -> Vec<CoverageCell> {
        let mut dates: Vec<Date> = self
            .rates
            .rate_rows
            .iter()
            .map(|r| r.effective)
            .filter(|d| *d >= crate::model::CBP_START)
            .collect();
        // Through the crate's one sorting routine (see `crate::sort`), not a sort of its own.
        crate::sort::sort_dedup(&mut dates);
        let mut currencies: Vec<String> = crate::metafile::META_CURRENCIES
            .iter()
            .map(|c| c.to_string())
            .collect();
        for c in self.rates.currencies() {
            if !currencies.iter().any(|k| k == c) {
                currencies.push(c.to_string());
            }
        }
        let mut out = Vec::with_capacity(dates.len() * currencies.len());
        for &d in &dates {
            let model = Era::of(d).map_or(PricingModel::Cbp, Era::model);
            let mut cells: Vec<CoverageCell> = Vec::with_capacity(currencies.len());
            for cur in &currencies {
                // (market, category) → the row in force: the latest effective date on or before d.
                let mut in_force: FxHashMap<(&str, Category), &crate::data::RateRow> =
                    FxHashMap::default();
                for r in self
                    .rates
                    .rate_rows
                    .iter()
                    .filter(|r| r.currency == *cur && r.model == model && r.effective <= d)
                {
                    let e = in_force.entry((r.market.as_str(), r.category)).or_insert(r);
                    if r.effective > e.effective {
                        *e = r;
                    }
                }
                let markets = distinct(in_force.keys().map(|(m, _)| *m).collect());
                let mut origin = [false; 2];
                let mut confidence: Option<Confidence> = None;
                let mut card: Option<Date> = None;
                for r in in_force.values() {
                    origin[usize::from(r.provenance.origin == Origin::Custom)] = true;
                    confidence = Some(
                        confidence
                            .map_or(r.provenance.confidence, |c| c.min(r.provenance.confidence)),
                    );
                    card = Some(card.map_or(r.effective, |c: Date| c.max(r.effective)));
                }
                cells.push(CoverageCell {
                    date: format_date(d),
                    currency: cur.clone(),
                    status: if markets == 0 {
                        "missing"
                    } else if origin[1] {
                        "loaded"
                    } else {
                        "embedded"
                    },
                    card_date: card.map(format_date),
                    markets,
                    of: 0,
                    confidence,
                });
            }
            let most = cells.iter().map(|c| c.markets).max().unwrap_or(0);
            for c in &mut cells {
                c.of = most;
            }
            out.extend(cells);
        }
        out
    }
}

/// One date × currency of [`Engine::coverage`].
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CoverageCell {
    /// A card date (an effective date of some row).
    pub date: String,
    /// Currency.
    pub currency: String,
    /// `embedded` (rates in force, all from the embedded data), `loaded` (some from a loaded
    /// file) or `missing` (no rate in force in this currency on this date).
    pub status: &'static str,
    /// Latest effective date among the rows in force (null when missing).
    pub card_date: Option<String>,
    /// Markets with at least one rate in force.
    pub markets: usize,
    /// Markets covered on this date by the best-covered currency.
    pub of: usize,
    /// Lowest confidence of the rows in force (null when missing).
    pub confidence: Option<Confidence>,
}

/// Counts of the rows of one card or tier-table date (markets and tables as listed, one per row;
/// [`distinct`] counts them).
#[derive(Default)]
struct Tally<'a> {
    markets: Vec<&'a str>,
    tables: Vec<(&'a str, Category)>,
    rows: usize,
    confidences: BTreeMap<Confidence, usize>,
    origin: [bool; 2],
}

impl<'a> Tally<'a> {
    fn add(&mut self, market: &'a str, category: Category, p: &crate::data::Provenance) {
        self.markets.push(market);
        self.tables.push((market, category));
        self.rows += 1;
        *self.confidences.entry(p.confidence).or_default() += 1;
        self.origin[usize::from(p.origin == Origin::Custom)] = true;
    }
}

/// How many distinct items: sorted through the crate's one sorting routine, not counted in a set
/// type of their own (each set type costs the calculator's wasm its own tree code).
fn distinct<T: Ord>(mut items: Vec<T>) -> usize {
    crate::sort::sort_dedup(&mut items);
    items.len()
}

fn origin_name(o: [bool; 2]) -> &'static str {
    match o {
        [true, true] => "mixed",
        [false, true] => "custom",
        _ => "embedded",
    }
}

/// Market options from raw options (for `resolveMarket`).
pub fn market_options(o: Option<&RawOptions>) -> Result<MarketOptions> {
    Ok(o.map(|o| o.resolve("options"))
        .transpose()?
        .unwrap_or_default()
        .markets)
}

/// What [`Engine::data_info`] returns.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DataInfo {
    /// Version of the embedded data.
    pub version: &'static str,
    /// Currencies with at least one rate.
    pub currencies: Vec<String>,
    /// Cards: one per (effective date, currency, pricing model).
    pub cards: Vec<CardInfo>,
    /// Tier tables per (effective date, currency).
    pub tier_tables: Vec<TierInfo>,
    /// Market table.
    pub markets: MarketsInfo,
    /// Every card date × currency: embedded, loaded or missing (see [`Engine::coverage`]).
    pub coverage: Vec<CoverageCell>,
}

/// One card held.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CardInfo {
    /// Effective date.
    pub date: String,
    /// Currency.
    pub currency: String,
    /// `CBP` or `PMP`.
    pub pricing_model: PricingModel,
    /// Markets with at least one row on this date.
    pub markets: usize,
    /// Rows with this date.
    pub rows: usize,
    /// Lowest confidence of the rows.
    pub confidence: Confidence,
    /// Rows per confidence.
    pub confidences: BTreeMap<String, usize>,
    /// `embedded`, `custom` or `mixed`.
    pub source: &'static str,
}

/// Tier tables of one effective date and currency.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TierInfo {
    /// Effective date.
    pub date: String,
    /// Currency.
    pub currency: String,
    /// Markets.
    pub markets: usize,
    /// Tables (market × category).
    pub tables: usize,
    /// Lowest confidence.
    pub confidence: Confidence,
    /// `embedded`, `custom` or `mixed`.
    pub source: &'static str,
}

/// The market table held.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MarketsInfo {
    /// Rows of the market table files (the built-in unlisted-NANP rows are not counted).
    pub rows: usize,
    /// Market names.
    pub markets: Vec<String>,
    /// `embedded`, `custom` or `mixed`.
    pub source: &'static str,
}

/// A resolved phone number.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct MarketInfo {
    /// The number in E.164.
    pub phone: String,
    /// ISO code (null for the catch-all row).
    pub country: Option<String>,
    /// Country name.
    pub country_name: Option<String>,
    /// Calling code digits.
    pub calling_code: Option<String>,
    /// Market.
    pub market: String,
}

/// One rate with provenance.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RateInfo {
    /// Rate as a decimal string.
    pub rate: String,
    /// Effective date of the row.
    pub effective_date: String,
    /// Confidence.
    pub confidence: Confidence,
    /// Source ids.
    pub sources: String,
    /// Note.
    pub note: String,
    /// `embedded` or `custom`.
    pub source: &'static str,
}

impl RateInfo {
    fn from_row(r: &crate::data::RateRow) -> RateInfo {
        RateInfo {
            rate: r.rate.normalize().to_string(),
            effective_date: format_date(r.effective),
            confidence: r.provenance.confidence,
            sources: r.provenance.sources.clone(),
            note: r.provenance.note.clone(),
            source: r.provenance.origin.as_str(),
        }
    }
}

/// One tier band.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TierBand {
    /// Band number.
    pub tier: u8,
    /// First count.
    pub from: u64,
    /// Last count (null: no bound).
    pub to: Option<u64>,
    /// Rate.
    pub rate: String,
    /// Effective date.
    pub effective_date: String,
    /// Confidence.
    pub confidence: Confidence,
    /// Sources.
    pub sources: String,
}

/// Rates of one market.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MarketRates {
    /// Market name.
    pub market: String,
    /// Category → rate.
    pub rates: BTreeMap<String, RateInfo>,
    /// Category → bands.
    pub tiers: BTreeMap<String, Vec<TierBand>>,
}

/// A rate no row provides.
#[derive(Debug, Clone, Serialize)]
pub struct MissingRate {
    /// Market.
    pub market: String,
    /// Category.
    pub category: String,
}

/// What [`Engine::rate_card`] returns.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RateCard {
    /// Local date asked for.
    pub date: String,
    /// Currency.
    pub currency: String,
    /// Pricing model of the date.
    pub pricing_model: PricingModel,
    /// Latest effective date on or before the date.
    pub card_date: String,
    /// Markets with at least one rate in force.
    pub markets: Vec<MarketRates>,
    /// Expected rates that no row provides.
    pub missing: Vec<MissingRate>,
}
