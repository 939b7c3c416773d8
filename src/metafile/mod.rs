//! Meta's own rate-card files, as downloaded from its pricing page: list-rate cards (both pricing
//! models, including the 2022 business-/user-initiated layout) and volume-tier files, as CSV or
//! XLSX (see `docs/data.md` for every layout rule and choice).
//!
//! A file is first read into a [`Grid`] of text cells that remembers where each cell came from
//! (CSV line and column, or XLSX sheet and cell), then interpreted: the preamble (lines before the
//! header) may state the currency, the pricing model and the effective date; the header is found by
//! its names; `n/a` means "no rate"; a market the market table does not know is an error naming the
//! row and the value. The rows produced are ordinary [`RateRow`]s and [`TierRow`]s (SPEC §5: a
//! loaded card lays its rows over the data under the same keys).

use crate::data::{
    too_large, too_many_rows, Origin, Provenance, RateRow, TierRow, MAX_CSV_BYTES, MAX_CSV_ROWS,
};
use crate::error::{Error, ErrorCode, Location, Result};
use crate::messages::Value;
use crate::model::{Category, Confidence, Era, PricingModel};
use crate::time::{format_date, Date};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

mod cells;
#[cfg(any(
    all(feature = "xlsx", not(target_arch = "wasm32")),
    feature = "cards-wasm"
))]
pub mod xlsx;

use cells::{
    count_cell, currency_code, header_category, norm, preamble_currency, preamble_date,
    preamble_model, rate_cell, unclosed_quote,
};

/// The 16 billing currencies of Meta's pricing page (SPEC §5; data/PROVENANCE.md, third pass, S17).
pub const META_CURRENCIES: [&str; 16] = [
    "USD", "AED", "ARS", "AUD", "BRL", "CLP", "COP", "EUR", "GBP", "IDR", "INR", "MXN", "MYR",
    "PEN", "SAR", "SGD",
];

/// What the caller knows about a file that the file may not say.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Effective date, required when the preamble states none; must agree when it does.
    pub date: Option<Date>,
    /// Currency, required when neither the preamble nor the cells state one; must agree otherwise.
    pub currency: Option<String>,
    /// A name for the file (its file name), kept as the rows' source.
    pub name: Option<String>,
}

/// What a loaded file held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadedCard {
    /// `rates` (a list-rate card) or `tiers` (a volume-tier file).
    pub kind: &'static str,
    /// `csv` or `xlsx`.
    pub format: &'static str,
    /// The name given, or `rate card`.
    pub name: String,
    /// Effective date.
    pub date: String,
    /// Currency.
    pub currency: String,
    /// `CBP` or `PMP`.
    pub pricing_model: PricingModel,
    /// Markets with at least one rate (or tier band), in the market table's spelling.
    pub markets: Vec<String>,
    /// Rows produced (one per market and category with a rate; one per tier band).
    pub rows: usize,
    /// Rows (tier bands for a tier file) already held under the same keys, which the file replaces.
    pub replaced: usize,
}

/// A file read and interpreted, not yet laid over the data.
#[derive(Debug, Clone)]
pub struct ParsedCard {
    /// The summary (`replaced` is 0 until the engine counts it).
    pub info: LoadedCard,
    /// Rate rows.
    pub rates: Vec<RateRow>,
    /// Tier bands.
    pub tiers: Vec<TierRow>,
}

/// Where a grid came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GridSource {
    /// CSV text: rows carry their line.
    Csv,
    /// A sheet of an XLSX workbook: rows carry their 1-based row number.
    Xlsx {
        /// Sheet name.
        sheet: String,
    },
}

/// One row of cells with its position.
#[derive(Debug, Clone)]
pub struct GridRow {
    /// CSV: the line on which the record starts; XLSX: the row number (1-based).
    pub line: u64,
    /// The cells as text.
    pub cells: Vec<String>,
}

/// A table of text cells read from a file.
#[derive(Debug, Clone)]
pub struct Grid {
    /// Where it came from.
    pub source: GridSource,
    /// Its rows, blank rows included.
    pub rows: Vec<GridRow>,
}

/// The 1-based row and column of an A1 reference (`B7` → (7, 2)), if it is one.
pub fn a1_position(cell: &str) -> Option<(u64, u64)> {
    let split = cell.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = cell.split_at(split);
    if letters.is_empty() || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let row: u64 = digits.parse().ok().filter(|r| *r > 0)?;
    let mut col = 0u64;
    for b in letters.bytes() {
        col = col.checked_mul(26)?.checked_add(u64::from(b - b'A') + 1)?;
    }
    Some((row, col))
}

/// Spreadsheet column letters of a 0-based column (`0` → `A`, `27` → `AB`).
pub fn column_letters(mut col: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

/// Why a cell, a row or a sheet of a rate card is refused. Each has two reasons
/// (docs/errors.md): one as a `csv_error` (`card_…`), one as an `xlsx_error` (`sheet_…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bad {
    UnknownMarket,
    NotACurrency,
    CurrencyDiffers,
    Layout2022,
    LayoutCategories,
    RowWithoutMarket,
    TiersWithoutRate,
    TiersWithoutCategory,
    BandWithoutMarket,
    UnknownTierCategory,
    NoTiersForCategory,
    BandHalfGiven,
    BandEndsBeforeStart,
    InvalidRate,
    NegativeRate,
    InvalidCount,
    PreambleModel,
    TiersBeforePerMessage,
    NoRate,
    NoHeaderRow,
}

impl Bad {
    /// The reason as a CSV error and as an XLSX error.
    fn ids(self) -> (&'static str, &'static str) {
        match self {
            Bad::UnknownMarket => ("card_unknown_market", "sheet_unknown_market"),
            Bad::NotACurrency => ("card_not_a_currency", "sheet_not_a_currency"),
            Bad::CurrencyDiffers => ("card_currency_differs", "sheet_currency_differs"),
            Bad::Layout2022 => ("card_layout_2022", "sheet_layout_2022"),
            Bad::LayoutCategories => ("card_layout_categories", "sheet_layout_categories"),
            Bad::RowWithoutMarket => ("card_row_without_market", "sheet_row_without_market"),
            Bad::TiersWithoutRate => ("card_tiers_without_rate", "sheet_tiers_without_rate"),
            Bad::TiersWithoutCategory => (
                "card_tiers_without_category",
                "sheet_tiers_without_category",
            ),
            Bad::BandWithoutMarket => ("card_band_without_market", "sheet_band_without_market"),
            Bad::UnknownTierCategory => {
                ("card_unknown_tier_category", "sheet_unknown_tier_category")
            }
            Bad::NoTiersForCategory => {
                ("card_no_tiers_for_category", "sheet_no_tiers_for_category")
            }
            Bad::BandHalfGiven => ("card_band_half_given", "sheet_band_half_given"),
            Bad::BandEndsBeforeStart => (
                "card_band_ends_before_start",
                "sheet_band_ends_before_start",
            ),
            Bad::InvalidRate => ("card_invalid_rate", "sheet_invalid_rate"),
            Bad::NegativeRate => ("card_negative_rate", "sheet_negative_rate"),
            Bad::InvalidCount => ("card_invalid_count", "sheet_invalid_count"),
            Bad::PreambleModel => ("card_preamble_model", "sheet_preamble_model"),
            Bad::TiersBeforePerMessage => (
                "card_tiers_before_per_message",
                "sheet_tiers_before_per_message",
            ),
            Bad::NoRate => ("card_no_rate", "sheet_no_rate"),
            Bad::NoHeaderRow => ("card_no_header_row", "sheet_no_header_row"),
        }
    }

    /// Whether `e` is this refusal (as either reason).
    fn is(self, e: &Error) -> bool {
        let (csv, xlsx) = self.ids();
        e.reason() == csv || e.reason() == xlsx
    }
}

impl Grid {
    /// Reads CSV text (a leading byte-order mark is dropped). An unclosed quote is an error with
    /// the line and column where the quoted field opens.
    pub fn from_csv(text: &str) -> Result<Grid> {
        if text.len() > MAX_CSV_BYTES {
            return Err(too_large("rates", "rate card", text.len()));
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if let Some((line, col)) = unclosed_quote(text) {
            return Err(Error::coded_at(
                ErrorCode::CsvError,
                "unclosed_quote",
                "rates",
                Location::at("rates", line, col as u64),
                format!("rate card file line {line} column {col}: a quoted field opens here and is never closed"),
            ));
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut rows = Vec::new();
        for rec in reader.records() {
            let rec = rec.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                Error::coded_at(
                    ErrorCode::CsvError,
                    "csv_unreadable",
                    "rates",
                    Location::at("rates", line, 1),
                    format!("rate card file line {line}: {e}"),
                )
            })?;
            if rows.len() >= MAX_CSV_ROWS {
                return Err(too_many_rows("rates", "rate card"));
            }
            rows.push(GridRow {
                line: rec.position().map_or(0, |p| p.line()),
                cells: rec.iter().map(str::to_string).collect(),
            });
        }
        Ok(Grid {
            source: GridSource::Csv,
            rows,
        })
    }

    fn cell<'a>(&'a self, row: &'a GridRow, col: usize) -> &'a str {
        row.cells.get(col).map_or("", |c| c.trim())
    }

    /// An error about the cell at `col` of `row`: `csv_error` (path `rates`, at its line and
    /// column) or `xlsx_error` (`SHEET!A1`), with the reason of `bad` (no parameter yet).
    fn err(&self, row: &GridRow, col: usize, bad: Bad, what: impl std::fmt::Display) -> Error {
        let (csv, xlsx) = bad.ids();
        match &self.source {
            GridSource::Csv => Error::coded_at(
                ErrorCode::CsvError,
                csv,
                "rates",
                Location::at("rates", row.line, col as u64 + 1),
                format!(
                    "rate card file line {} column {}: {what}",
                    row.line,
                    col + 1
                ),
            ),
            GridSource::Xlsx { sheet } => {
                let cell = format!("{}{}", column_letters(col), row.line);
                Error::coded_at(
                    ErrorCode::XlsxError,
                    xlsx,
                    format!("{sheet}!{cell}"),
                    Location::sheet(sheet, Some((row.line, col as u64 + 1, cell.clone()))),
                    format!("rate card sheet {sheet:?} cell {cell}: {what}"),
                )
            }
        }
    }

    /// [`Grid::err`] with the cell's value as its `value` parameter.
    fn bad(&self, row: &GridRow, col: usize, bad: Bad, what: impl std::fmt::Display) -> Error {
        self.err(row, col, bad, what).value(self.cell(row, col))
    }

    /// An error about the file as a whole, with the reason of `bad`.
    fn whole(&self, bad: Bad, what: impl Into<String>) -> Error {
        let (csv, xlsx) = bad.ids();
        match &self.source {
            GridSource::Csv => Error::coded(ErrorCode::CsvError, csv, "rates", what),
            GridSource::Xlsx { sheet } => Error::coded_at(
                ErrorCode::XlsxError,
                xlsx,
                sheet.clone(),
                Location::sheet(sheet, None),
                what,
            ),
        }
    }
}

/// Interprets a grid. `market` maps a market name to the market table's spelling.
pub fn interpret(
    grid: &Grid,
    market: &dyn Fn(&str) -> Option<String>,
    opts: &LoadOptions,
) -> Result<ParsedCard> {
    let header_at = header_row(grid)?;
    let header = &grid.rows[header_at];
    let preamble: String = grid.rows[..header_at]
        .iter()
        .flat_map(|r| r.cells.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ");
    let is_tiers = header.cells.iter().any(|c| {
        let n = norm(c);
        n == "from" || n.starts_with("volumefrom")
    });

    let date = card_date(&preamble, opts)?;
    let era = crate::pricing::date_era(date, "options.date", "effective date ")?;
    let model = era.model();
    if let Some(m) = preamble_model(&preamble) {
        if m != model {
            return Err(grid
                .whole(
                    Bad::PreambleModel,
                    format!(
                        "rate card file: its preamble prices per {} but {} falls in the {} era",
                        if m == PricingModel::Cbp {
                            "conversation"
                        } else {
                            "message"
                        },
                        format_date(date),
                        if model == PricingModel::Cbp {
                            "conversation"
                        } else {
                            "per-message"
                        },
                    ),
                )
                .with("pricing_model", Value::Term(crate::data::model_term(m)))
                .with("date", Value::Date(date)));
        }
    }

    // The cells' currencies are checked row by row against this one.
    let currency = card_currency(&preamble, opts)?;

    let name = opts.name.clone().unwrap_or_else(|| "rate card".to_string());
    let provenance = Provenance {
        confidence: Confidence::High,
        sources: name.clone(),
        note: String::new(),
        origin: Origin::Custom,
    };
    let market_col = header
        .cells
        .iter()
        .position(|c| norm(c).starts_with("market"))
        .unwrap_or(0);
    let currency_col = header
        .cells
        .iter()
        .position(|c| norm(c).starts_with("currency"));
    let mut ctx = Ctx {
        grid,
        market,
        currency,
        currency_col,
        market_col,
        markets: BTreeSet::new(),
    };
    let (rates, tiers) = if is_tiers {
        if model != PricingModel::Pmp {
            return Err(grid
                .whole(Bad::TiersBeforePerMessage, format!(
                "volume-tier file dated {}: volume tiers exist only in per-message pricing (from 2025-07-01)",
                format_date(date)
            ))
                .with("date", Value::Date(date)));
        }
        (
            Vec::new(),
            tier_rows(&mut ctx, header_at, date, &provenance)?,
        )
    } else {
        (
            rate_rows(&mut ctx, header_at, date, era, &provenance)?,
            Vec::new(),
        )
    };
    let currency = ctx.currency.clone().ok_or_else(|| {
        Error::coded(
            ErrorCode::InvalidCurrency,
            "no_currency",
            "options.currency",
            "the file states no currency: give it as options.currency (such as GBP)",
        )
    })?;
    let rows = rates.len() + tiers.len();
    if rows == 0 {
        return Err(grid.whole(
            Bad::NoRate,
            "rate card file holds no rate: every cell is empty or n/a",
        ));
    }
    let mut rates = rates;
    let mut tiers = tiers;
    for r in &mut rates {
        r.currency.clone_from(&currency);
    }
    for t in &mut tiers {
        t.currency.clone_from(&currency);
    }
    Ok(ParsedCard {
        info: LoadedCard {
            kind: if is_tiers { "tiers" } else { "rates" },
            format: match grid.source {
                GridSource::Csv => "csv",
                GridSource::Xlsx { .. } => "xlsx",
            },
            name,
            date: format_date(date),
            currency,
            pricing_model: model,
            markets: ctx.markets.into_iter().collect(),
            rows,
            replaced: 0,
        },
        rates,
        tiers,
    })
}

/// The row naming the columns: a market column and rate columns (categories) or tier bounds.
fn header_row(grid: &Grid) -> Result<usize> {
    grid
        .rows
        .iter()
        .position(|r| {
            let names: Vec<String> = r.cells.iter().map(|c| norm(c)).collect();
            names.iter().any(|n| n.starts_with("market"))
                && (r.cells.iter().any(|c| header_category(c).is_some())
                    || names.iter().any(|n| n == "from" || n.starts_with("volumefrom")))
        })
        .ok_or_else(|| {
            grid.whole(
                Bad::NoHeaderRow,
                "rate card file: no header row found (expected a row naming market and rate columns such as marketing, utility, authentication)",
            )
        })
}

/// The card's effective date: the preamble's, else `options.date`; both given must agree.
fn card_date(preamble: &str, opts: &LoadOptions) -> Result<Date> {
    let stated = preamble_date(preamble);
    Ok(match (stated, opts.date) {
        (Some(s), Some(o)) if s != o => {
            return Err(Error::coded(
                ErrorCode::InvalidDate,
                "date_disagrees",
                "options.date",
                format!(
                    "options.date {} disagrees with the effective date {} the file states",
                    format_date(o),
                    format_date(s)
                ),
            )
            .with("date", Value::Date(o))
            .with("file_date", Value::Date(s)))
        }
        (Some(d), _) | (None, Some(d)) => d,
        (None, None) => {
            return Err(Error::coded(
                ErrorCode::InvalidDate,
                "no_effective_date",
                "options.date",
                "the file states no effective date: give it as options.date (YYYY-MM-DD)",
            ))
        }
    })
}

/// The card's currency, if stated: the preamble's and `options.currency` must agree.
fn card_currency(preamble: &str, opts: &LoadOptions) -> Result<Option<String>> {
    let mut currency = preamble_currency(preamble);
    if let Some(o) = &opts.currency {
        let o = crate::input::currency(Some(o), "options.currency")?;
        if let Some(c) = &currency {
            if *c != o {
                return Err(Error::coded(
                    ErrorCode::InvalidCurrency,
                    "currency_disagrees",
                    "options.currency",
                    format!("options.currency {o} disagrees with the currency {c} the file states"),
                )
                .with("currency", Value::Currency(o))
                .with("file_currency", Value::Currency(c.clone())));
            }
        }
        currency = Some(o);
    }
    Ok(currency)
}

struct Ctx<'a> {
    grid: &'a Grid,
    market: &'a dyn Fn(&str) -> Option<String>,
    currency: Option<String>,
    currency_col: Option<usize>,
    market_col: usize,
    markets: BTreeSet<String>,
}

impl Ctx<'_> {
    /// The market of a data row, in the market table's spelling; an unknown name is an error.
    fn market_of(&mut self, row: &GridRow, raw: &str) -> Result<String> {
        let cleaned = raw
            .trim()
            .trim_end_matches(['*', '†', '¹', '²', '³'])
            .trim();
        let m = (self.market)(cleaned).ok_or_else(|| {
            self.grid.err(
                row,
                self.market_col,
                Bad::UnknownMarket,
                format_args!("unknown market {cleaned:?}: not a market of the market table (load a market table that names it)"),
            ).value(cleaned)
        })?;
        self.markets.insert(m.clone());
        Ok(m)
    }

    /// Checks the row's currency cell against the card's currency (the first one seen sets it).
    fn check_currency(&mut self, row: &GridRow) -> Result<()> {
        let Some(col) = self.currency_col else {
            return Ok(());
        };
        let raw = self.grid.cell(row, col);
        if raw.is_empty() {
            return Ok(());
        }
        let c = currency_code(raw).ok_or_else(|| {
            self.grid.bad(
                row,
                col,
                Bad::NotACurrency,
                format_args!("invalid currency {raw:?}"),
            )
        })?;
        match &self.currency {
            Some(k) if *k != c => Err(self
                .grid
                .bad(
                    row,
                    col,
                    Bad::CurrencyDiffers,
                    format_args!("currency {raw:?} ({c}) differs from the card's currency {k}"),
                )
                .with("currency", Value::Currency(k.clone()))),
            Some(_) => Ok(()),
            None => {
                self.currency = Some(c);
                Ok(())
            }
        }
    }
}

fn rate_rows(
    ctx: &mut Ctx,
    header_at: usize,
    date: Date,
    era: Era,
    provenance: &Provenance,
) -> Result<Vec<RateRow>> {
    let grid = ctx.grid;
    let header = &grid.rows[header_at];
    let columns: Vec<(usize, Category)> = header
        .cells
        .iter()
        .enumerate()
        .filter_map(|(i, c)| header_category(c).map(|k| (i, k)))
        .collect();
    // SPEC §7: the 2022 cards price business- and user-initiated conversations; later cards price
    // categories. A file's columns must be those of its date's era.
    let two_type = columns
        .iter()
        .any(|(_, c)| matches!(c, Category::BusinessInitiated | Category::UserInitiated));
    for &(i, c) in &columns {
        let fits = match era {
            Era::TwoType => matches!(c, Category::BusinessInitiated | Category::UserInitiated),
            _ => !matches!(c, Category::BusinessInitiated | Category::UserInitiated),
        };
        if !fits {
            return Err(grid
                .bad(
                header,
                i,
                if two_type {
                    Bad::Layout2022
                } else {
                    Bad::LayoutCategories
                },
                format_args!(
                    "column {:?} does not belong to a card dated {} ({})",
                    grid.cell(header, i),
                    format_date(date),
                    if two_type {
                        "business-/user-initiated columns are the 2022 layout, before 2023-06-01"
                    } else {
                        "cards before 2023-06-01 price business- and user-initiated conversations"
                    }
                ),
            )
                .with("date", Value::Date(date)));
        }
    }
    let model = era.model();
    let unit = match model {
        PricingModel::Cbp => "per 24-hour conversation",
        PricingModel::Pmp => "per delivered template message",
    };
    let mut out = Vec::new();
    for row in &grid.rows[header_at + 1..] {
        let name = grid.cell(row, ctx.market_col);
        let any_rate = columns.iter().any(|&(i, _)| !grid.cell(row, i).is_empty());
        if name.is_empty() && !any_rate {
            continue; // a blank line
        }
        if !any_rate {
            continue; // a note line: text with no rate cell
        }
        if name.is_empty() {
            return Err(grid.err(
                row,
                ctx.market_col,
                Bad::RowWithoutMarket,
                "a row with rates names no market",
            ));
        }
        let market = ctx.market_of(row, name)?;
        ctx.check_currency(row)?;
        for &(i, category) in &columns {
            let rate = rate_cell(grid.cell(row, i)).map_err(|(b, m)| grid.bad(row, i, b, m))?;
            if let Some(rate) = rate {
                out.push(RateRow {
                    effective: date,
                    currency: String::new(),
                    market: market.clone(),
                    category,
                    rate,
                    model,
                    unit: unit.to_string(),
                    provenance: provenance.clone(),
                });
            }
        }
    }
    Ok(out)
}

/// One group of tier columns (Meta's tier files put utility, authentication and
/// authentication-international side by side, each with from, to, rate type, rate and discount).
struct TierGroup {
    category: Option<Category>,
    from: usize,
    to: Option<usize>,
    rate_type: Option<usize>,
    rate: usize,
    discount: Option<usize>,
}

fn tier_rows(
    ctx: &mut Ctx,
    header_at: usize,
    date: Date,
    provenance: &Provenance,
) -> Result<Vec<TierRow>> {
    let grid = ctx.grid;
    let header = &grid.rows[header_at];
    let names: Vec<String> = header.cells.iter().map(|c| norm(c)).collect();
    let category_col = names
        .iter()
        .position(|n| n == "category" || n == "messagetype");
    let froms: Vec<usize> = names
        .iter()
        .enumerate()
        .filter(|(_, n)| *n == "from" || n.starts_with("volumefrom"))
        .map(|(i, _)| i)
        .collect();
    let mut groups = Vec::new();
    for (g, &from) in froms.iter().enumerate() {
        let end = froms.get(g + 1).copied().unwrap_or(names.len());
        let find = |pred: &dyn Fn(&str) -> bool| (from + 1..end).find(|&i| pred(&names[i]));
        let rate =
            find(&|n| n == "rate" || n == "tierrate" || n == "whatwecharge").ok_or_else(|| {
                grid.err(
                    header,
                    from,
                    Bad::TiersWithoutRate,
                    "tier columns without a rate column",
                )
            })?;
        // The group's category: a category column, else the section label above the group.
        let start = if g == 0 { 0 } else { froms[g - 1] + 1 };
        let category = grid.rows[..header_at].iter().rev().find_map(|r| {
            (start..=from)
                .rev()
                .find_map(|i| header_category(grid.cell(r, i)))
        });
        if category.is_none() && category_col.is_none() {
            return Err(grid.err(
                header,
                from,
                Bad::TiersWithoutCategory,
                "tier columns whose category is named neither above them nor in a category column",
            ));
        }
        groups.push(TierGroup {
            category,
            from,
            to: find(&|n| n == "to" || n.starts_with("volumeto")),
            rate_type: find(&|n| n == "ratetype"),
            rate,
            discount: find(&|n| n.starts_with("vs") || n.starts_with("discount")),
        });
    }
    let mut out: Vec<TierRow> = Vec::new();
    let mut bands: HashMap<(String, Category), u8> = HashMap::new();
    let mut current: Option<String> = None;
    for row in &grid.rows[header_at + 1..] {
        let name = grid.cell(row, ctx.market_col);
        let any = groups
            .iter()
            .any(|g| !grid.cell(row, g.from).is_empty() || !grid.cell(row, g.rate).is_empty());
        if !any {
            continue; // blank or note line
        }
        if !name.is_empty() {
            current = Some(ctx.market_of(row, name)?);
        }
        // Meta's tier files name the market on its first band only.
        let market = current.clone().ok_or_else(|| {
            grid.err(
                row,
                ctx.market_col,
                Bad::BandWithoutMarket,
                "a tier band names no market",
            )
        })?;
        ctx.check_currency(row)?;
        for g in &groups {
            let category = match (g.category, category_col) {
                (Some(c), _) => c,
                (None, Some(col)) => {
                    let raw = grid.cell(row, col);
                    header_category(raw).ok_or_else(|| {
                        grid.bad(
                            row,
                            col,
                            Bad::UnknownTierCategory,
                            format_args!("unknown tier category {raw:?}"),
                        )
                    })?
                }
                (None, None) => continue,
            };
            if !matches!(
                category,
                Category::Utility
                    | Category::Authentication
                    | Category::AuthenticationInternational
            ) {
                return Err(grid.err(
                    row,
                    g.from,
                    Bad::NoTiersForCategory,
                    format_args!("volume tiers exist for utility, authentication and authentication-international, not {}", category.as_str()),
                )
                .with("category", Value::Category(category)));
            }
            let rate =
                rate_cell(grid.cell(row, g.rate)).map_err(|(b, m)| grid.bad(row, g.rate, b, m))?;
            let from =
                count_cell(grid.cell(row, g.from)).map_err(|(b, m)| grid.bad(row, g.from, b, m))?;
            let (Some(rate), Some(from)) = (rate, from) else {
                if rate.is_some() != from.is_some() {
                    return Err(grid.err(
                        row,
                        g.from,
                        Bad::BandHalfGiven,
                        "a tier band needs both its first message count and its rate",
                    ));
                }
                continue; // n/a: no band for this category
            };
            let to = match g.to {
                Some(i) => {
                    count_cell(grid.cell(row, i)).map_err(|(b, m)| grid.bad(row, i, b, m))?
                }
                None => None,
            };
            if let Some(t) = to {
                if t < from {
                    return Err(grid
                        .err(
                            row,
                            g.to.unwrap_or(g.from),
                            Bad::BandEndsBeforeStart,
                            format_args!("band ends at {t}, below its start {from}"),
                        )
                        .with("volume_from", Value::Count(from))
                        .with("volume_to", Value::Count(t)));
                }
            }
            let n = bands.entry((market.clone(), category)).or_insert(0);
            *n = n.saturating_add(1);
            out.push(TierRow {
                effective: date,
                currency: String::new(),
                market: market.clone(),
                category,
                tier: *n,
                from,
                to,
                rate_type: g
                    .rate_type
                    .map(|i| grid.cell(row, i).to_string())
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| if *n == 1 { "List rate" } else { "Tier rate" }.to_string()),
                rate,
                discount: g
                    .discount
                    .map(|i| grid.cell(row, i).to_string())
                    .unwrap_or_default(),
                provenance: provenance.clone(),
            });
        }
    }
    Ok(out)
}

/// Whether bytes are a ZIP container (an XLSX workbook).
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Grids of a workbook read by [`xlsx::read_workbook`] (or by the page's spreadsheet package).
pub fn sheets_to_grids(sheets: Vec<(String, Vec<Vec<String>>)>) -> Vec<Grid> {
    sheets
        .into_iter()
        .map(|(sheet, rows)| Grid {
            source: GridSource::Xlsx { sheet },
            rows: rows
                .into_iter()
                .enumerate()
                .map(|(i, cells)| GridRow {
                    line: i as u64 + 1,
                    cells,
                })
                .collect(),
        })
        .collect()
}

/// The `xlsx_error` of a workbook that cannot be read: at its sheet and cell, when it names them.
#[cfg(any(
    all(feature = "xlsx", not(target_arch = "wasm32")),
    feature = "cards-wasm"
))]
fn xlsx_error(f: xlsx::XlsxFailure) -> Error {
    let path = match (&f.sheet, &f.cell) {
        (Some(s), Some(c)) => format!("{s}!{c}"),
        (Some(s), None) => s.clone(),
        _ => String::new(),
    };
    let mut e = Error::coded(ErrorCode::XlsxError, f.reason, path, f.message);
    if let Some(limit) = f.limit {
        e = e.with("limit", Value::Count(limit));
    }
    if let Some(sheet) = &f.sheet {
        let cell = f
            .cell
            .as_deref()
            .and_then(|c| a1_position(c).map(|(row, col)| (row, col, c.to_string())));
        e.loc = Some(Location::sheet(sheet, cell));
    }
    e
}

/// Reads a file's bytes into grids: the sheets of an XLSX workbook, or one grid of UTF-8 CSV.
pub fn grids(bytes: &[u8]) -> Result<Vec<Grid>> {
    if is_xlsx(bytes) {
        #[cfg(any(
            all(feature = "xlsx", not(target_arch = "wasm32")),
            feature = "cards-wasm"
        ))]
        {
            let sheets = xlsx::read_workbook(bytes).map_err(xlsx_error)?;
            return Ok(sheets_to_grids(
                sheets.into_iter().map(|s| (s.name, s.rows)).collect(),
            ));
        }
        #[cfg(not(any(
            all(feature = "xlsx", not(target_arch = "wasm32")),
            feature = "cards-wasm"
        )))]
        {
            return Err(Error::coded(
                ErrorCode::XlsxError,
                "no_spreadsheet_reader",
                "",
                "this build reads no spreadsheet: load the spreadsheet package (or save the sheet as CSV)",
            ));
        }
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Error::coded_at(
            ErrorCode::CsvError,
            "not_text_or_xlsx",
            "rates",
            Location::at("rates", 1, 1),
            format!(
                "rate card file is neither UTF-8 text nor an XLSX workbook (invalid byte at offset {})",
                e.valid_up_to()
            ),
        )
        .with("offset", Value::Count(e.valid_up_to() as u64))
    })?;
    Ok(vec![Grid::from_csv(text)?])
}

/// Reads and interprets a file: the first grid (sheet) that holds a header row.
pub fn read(
    bytes: &[u8],
    market: &dyn Fn(&str) -> Option<String>,
    opts: &LoadOptions,
) -> Result<ParsedCard> {
    read_grids(&grids(bytes)?, market, opts)
}

/// Interprets the first grid (sheet) that holds a header row.
pub fn read_grids(
    grids: &[Grid],
    market: &dyn Fn(&str) -> Option<String>,
    opts: &LoadOptions,
) -> Result<ParsedCard> {
    let mut first_err = None;
    for g in grids {
        match interpret(g, market, opts) {
            Ok(p) => return Ok(p),
            Err(e) => {
                let no_header = Bad::NoHeaderRow.is(&e);
                if first_err.is_none() || !no_header {
                    first_err = Some(e);
                }
                if !no_header {
                    break;
                }
            }
        }
    }
    Err(first_err.unwrap_or_else(|| {
        Error::coded(
            ErrorCode::XlsxError,
            "workbook_without_sheets",
            "",
            "the workbook has no sheet",
        )
    }))
}

/// A matcher of market names against a list of known names (case, spaces, dashes and `&`/`and`
/// do not matter).
pub fn market_matcher(names: &[String]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = names.iter().map(|n| (norm(n), n.clone())).collect();
    move |s: &str| map.get(&norm(s)).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn preamble_dates() {
        let d = |s| preamble_date(s).map(format_date);
        assert_eq!(
            d("Cost per conversation in USD, effective June 1, 2023").as_deref(),
            Some("2023-06-01")
        );
        assert_eq!(
            d("Rates effective 1 July 2026").as_deref(),
            Some("2026-07-01")
        );
        assert_eq!(d("effective 2026-10-01").as_deref(), Some("2026-10-01"));
        assert_eq!(
            d("Effective October 1st, 2026").as_deref(),
            Some("2026-10-01")
        );
        assert_eq!(d("Cost per message in BRL"), None);
    }

    #[test]
    fn cells() {
        assert_eq!(currency_code("$US").as_deref(), Some("USD"));
        assert_eq!(currency_code("BRL").as_deref(), Some("BRL"));
        assert_eq!(currency_code("dollars"), None);
        assert_eq!(rate_cell("n/a"), Ok(None));
        assert_eq!(rate_cell("N/A"), Ok(None));
        assert_eq!(rate_cell("$0.0411"), Ok(Some(Decimal::new(411, 4))));
        assert_eq!(rate_cell("1,940.13"), Ok(Some(Decimal::new(194013, 2))));
        assert!(rate_cell("0,04").is_err());
        assert!(rate_cell("-0.1").is_err());
        assert_eq!(count_cell("100,000"), Ok(Some(100_000)));
        assert_eq!(count_cell("--"), Ok(None));
        assert_eq!(
            header_category("Authentication-\nInternational"),
            Some(Category::AuthenticationInternational)
        );
        assert_eq!(
            header_category("Business-Initiated Rate"),
            Some(Category::BusinessInitiated)
        );
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(27), "AB");
    }

    /// A workbook beyond the cell limit (20,000,000 cells: too large to write in a test, so the
    /// limit is lowered here).
    #[cfg(feature = "xlsx")]
    #[test]
    fn a_workbook_beyond_the_cell_limit_is_too_many_cells() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for r in 0..3 {
            sheet.write_string(r, 0, "x").unwrap();
        }
        let bytes = book.save_to_buffer().unwrap();
        assert_eq!(
            xlsx::read_workbook_within(&bytes, 3).ok().map(|s| s.len()),
            Some(1)
        );
        let e = xlsx_error(xlsx::read_workbook_within(&bytes, 2).err().unwrap());
        assert_eq!(
            (e.code, e.reason()),
            (ErrorCode::XlsxError, "too_many_cells")
        );
        assert_eq!(e.path, "Sheet1");
        assert_eq!(crate::reasons::check(&e), Ok(()));
        let limit = e.params.as_ref().and_then(|p| p.get("limit")).cloned();
        assert_eq!(limit, Some(Value::Count(2)));
    }

    #[test]
    fn unclosed_quotes_are_located() {
        assert_eq!(unclosed_quote("a,b\n1,\"x\n2,3\n"), Some((2, 2)));
        assert_eq!(unclosed_quote("a,\"b\"\"c\"\n"), None);
        assert!(Grid::from_csv("Market,Marketing\n\"India,0.1\n").is_err());
    }
}
