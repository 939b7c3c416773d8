//! The figures: rate cards, volume tiers and the calling-code → market table, read from CSV in the
//! schemas of `data/` (see `data/PROVENANCE.md`), with their provenance columns kept.
//!
//! The files of `data/` are embedded in the build ([`Dataset::embedded`]); users may lay their own
//! files over them or replace them ([`Dataset::overlay`]).

use crate::error::Result;
use crate::messages::Value;
use crate::model::{Category, Confidence, PricingModel};
use crate::time::Date;
use rust_decimal::Decimal;
use serde::Serialize;

mod sheet;
use sheet::Sheet;
pub(crate) use sheet::{too_large, too_many_rows};

/// Version of the embedded data: the day its sources were read (`data/PROVENANCE.md`).
pub const DATA_VERSION: &str = "2026-12-07";

/// A data file embedded by `build.rs`: its CSV text in native builds; in WebAssembly, a denser
/// form laid out column by column (without the `note` column's text), turned back into the same
/// CSV records by [`EmbeddedFile::csv`].
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedFile(&'static str);

/// Embeds a file of `data/` as prepared by `build.rs`.
macro_rules! embedded_file {
    ($name:literal) => {
        $crate::data::EmbeddedFile::new(include_str!(concat!(env!("OUT_DIR"), "/", $name)))
    };
}
pub(crate) use embedded_file;

impl EmbeddedFile {
    pub(crate) const fn new(text: &'static str) -> EmbeddedFile {
        EmbeddedFile(text)
    }

    /// The file as CSV text.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn csv(self) -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed(self.0)
    }

    /// The file as CSV text, rebuilt from the column form of `build.rs` (described there): the
    /// number of rows, the header, then each column, separated by `\x1e`, fields by `\x1f`; a
    /// column is either `\x1d`, its distinct values, `\x1d` and one character per row (`!` for
    /// the first value), or its values, `\x01` for a value equal to the one above it.
    #[cfg(target_arch = "wasm32")]
    pub fn csv(self) -> std::borrow::Cow<'static, str> {
        let mut parts = self.0.split('\x1e');
        let rows: usize = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
        let header: Vec<&str> = parts.next().unwrap_or("").split('\x1f').collect();
        let columns: Vec<Vec<&str>> = parts
            .map(|column| {
                if let Some(dictionary) = column.strip_prefix('\x1d') {
                    let (words, picks) = dictionary.split_once('\x1d').unwrap_or(("", ""));
                    let words: Vec<&str> = words.split('\x1f').collect();
                    return picks
                        .bytes()
                        .take(rows)
                        .map(|b| {
                            let k = usize::from(b.wrapping_sub(b'!'));
                            words.get(k).copied().unwrap_or("")
                        })
                        .collect();
                }
                let mut above = "";
                column
                    .split('\x1f')
                    .take(rows)
                    .map(|v| {
                        if v != "\x01" {
                            above = v;
                        }
                        above
                    })
                    .collect()
            })
            .collect();
        let mut text = String::with_capacity(self.0.len() * 2);
        let mut line = |fields: &mut dyn Iterator<Item = &str>| {
            for (j, v) in fields.enumerate() {
                if j > 0 {
                    text.push(',');
                }
                if v.contains([',', '"', '\n', '\r']) {
                    text.push('"');
                    text.push_str(&v.replace('"', "\"\""));
                    text.push('"');
                } else {
                    text.push_str(v);
                }
            }
            text.push('\n');
        };
        line(&mut header.iter().copied());
        for i in 0..rows {
            line(&mut columns.iter().map(|c| c.get(i).copied().unwrap_or("")));
        }
        std::borrow::Cow::Owned(text)
    }
}

/// Embedded `data/markets.csv`.
pub const MARKETS_CSV: EmbeddedFile = embedded_file!("markets.csv");
/// Embedded `data/rates_per_message.csv`.
pub const RATES_PER_MESSAGE_CSV: EmbeddedFile = embedded_file!("rates_per_message.csv");
/// Embedded `data/rates_conversation_era.csv`.
pub const RATES_CONVERSATION_CSV: EmbeddedFile = embedded_file!("rates_conversation_era.csv");
/// Embedded `data/volume_tiers.csv`.
pub const VOLUME_TIERS_CSV: EmbeddedFile = embedded_file!("volume_tiers.csv");

/// Largest CSV text accepted from a user, in bytes.
pub const MAX_CSV_BYTES: usize = 64 * 1024 * 1024;
/// Largest number of data rows accepted in one CSV file.
pub const MAX_CSV_ROWS: usize = 1_000_000;

/// Where a row came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// The data embedded in the build.
    Embedded,
    /// A file the user loaded.
    Custom,
}

impl Origin {
    /// `embedded` or `custom`.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Embedded => "embedded",
            Origin::Custom => "custom",
        }
    }
}

/// The kinds of data file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A rates file (either era).
    Rates,
    /// A volume-tier file.
    Tiers,
    /// A market table.
    Markets,
}

impl FileKind {
    /// `rates`, `tiers` or `markets`: the name used in error paths.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Rates => "rates",
            FileKind::Tiers => "tiers",
            FileKind::Markets => "markets",
        }
    }
}

/// Provenance of a figure, as recorded in the data files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// How sure the figure is.
    pub confidence: Confidence,
    /// Source ids (`S01;S02`) of `data/PROVENANCE.md`, or whatever a custom file says.
    pub sources: String,
    /// Free-text note.
    pub note: String,
    /// Embedded or custom.
    pub origin: Origin,
}

/// One row of a rates file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateRow {
    /// First local date on which the rate applies.
    pub effective: Date,
    /// Billing currency (ISO 4217).
    pub currency: String,
    /// Meta's market name.
    pub market: String,
    /// Category.
    pub category: Category,
    /// The rate, per conversation or per message.
    pub rate: Decimal,
    /// Pricing model.
    pub model: PricingModel,
    /// The file's `unit` column.
    pub unit: String,
    /// Provenance.
    pub provenance: Provenance,
}

/// One band of a volume-tier table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierRow {
    /// First local date on which the table applies.
    pub effective: Date,
    /// Billing currency.
    pub currency: String,
    /// Market name.
    pub market: String,
    /// `utility`, `authentication` or `authentication_international`.
    pub category: Category,
    /// Band number (1 is the list rate).
    pub tier: u8,
    /// First monthly message count of the band (0 or 1 for band 1).
    pub from: u64,
    /// Last monthly message count of the band; `None` means no upper bound.
    pub to: Option<u64>,
    /// The file's `rate_type` column.
    pub rate_type: String,
    /// Rate per message in the band.
    pub rate: Decimal,
    /// The file's printed discount.
    pub discount: String,
    /// Provenance.
    pub provenance: Provenance,
}

/// One row of the market table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarketRow {
    /// ISO 3166-1 alpha-2, or `*` for the catch-all row.
    pub iso2: String,
    /// Country name.
    pub country: String,
    /// Calling code digits, or `*` for the catch-all row.
    pub calling_code: String,
    /// Digit prefixes after the calling code (area codes, network prefixes); empty for the whole code.
    pub prefixes: Vec<String>,
    /// The column as written (it may carry remarks).
    pub prefixes_raw: String,
    /// Meta's market name.
    pub market: String,
    /// First local date of validity (`None`: from the beginning).
    pub valid_from: Option<Date>,
    /// Last local date of validity (`None`: still in force).
    pub valid_to: Option<Date>,
    /// Provenance.
    pub provenance: Provenance,
}

impl MarketRow {
    /// Whether the row is valid on a local date.
    #[inline]
    pub fn valid_on(&self, d: Date) -> bool {
        self.valid_from.is_none_or(|f| f <= d) && self.valid_to.is_none_or(|t| d <= t)
    }
}

/// All figures the engine holds.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// Rate rows of both eras.
    pub rates: Vec<RateRow>,
    /// Volume-tier bands.
    pub tiers: Vec<TierRow>,
    /// Market table rows.
    pub markets: Vec<MarketRow>,
}

impl Dataset {
    /// The data embedded in the build.
    pub fn embedded() -> Result<Dataset> {
        let mut rates = parse_rates(&RATES_CONVERSATION_CSV.csv(), Origin::Embedded)?;
        rates.extend(parse_rates(&RATES_PER_MESSAGE_CSV.csv(), Origin::Embedded)?);
        Ok(Dataset {
            rates,
            tiers: parse_tiers(&VOLUME_TIERS_CSV.csv(), Origin::Embedded)?,
            markets: parse_markets(&MARKETS_CSV.csv(), Origin::Embedded)?,
        })
    }

    /// Lays custom rows over the data: a custom row replaces an existing row with the same key
    /// (rates: effective date, currency, pricing model, market, category; markets: ISO code,
    /// calling code, prefixes, valid-from); a custom tier table (the bands of one effective date,
    /// currency, market and category) replaces the existing table whole. With `replace`, the
    /// custom rows of a kind replace every existing row of that kind.
    pub fn overlay(
        &mut self,
        rates: Option<Vec<RateRow>>,
        tiers: Option<Vec<TierRow>>,
        markets: Option<Vec<MarketRow>>,
        replace: bool,
    ) {
        if let Some(rows) = rates {
            if replace {
                self.rates.clear();
            }
            let key = |r: &RateRow| {
                (
                    r.effective,
                    r.currency.clone(),
                    r.model,
                    r.market.clone(),
                    r.category,
                )
            };
            let new: rustc_hash::FxHashSet<_> = rows.iter().map(key).collect();
            self.rates.retain(|r| !new.contains(&key(r)));
            self.rates.extend(rows);
        }
        if let Some(rows) = tiers {
            if replace {
                self.tiers.clear();
            }
            let key = |r: &TierRow| {
                (
                    r.effective,
                    r.currency.clone(),
                    r.market.clone(),
                    r.category,
                )
            };
            let new: rustc_hash::FxHashSet<_> = rows.iter().map(key).collect();
            self.tiers.retain(|r| !new.contains(&key(r)));
            self.tiers.extend(rows);
        }
        if let Some(rows) = markets {
            if replace {
                self.markets.clear();
            }
            let key = |r: &MarketRow| {
                (
                    r.iso2.clone(),
                    r.calling_code.clone(),
                    r.prefixes.clone(),
                    r.valid_from,
                )
            };
            let new: rustc_hash::FxHashSet<_> = rows.iter().map(key).collect();
            self.markets.retain(|r| !new.contains(&key(r)));
            self.markets.extend(rows);
        }
    }
}

/// A pricing model as an error's `pricing_model` term: `per_conversation` or `per_message`.
pub(crate) fn model_term(model: PricingModel) -> &'static str {
    match model {
        PricingModel::Cbp => "per_conversation",
        PricingModel::Pmp => "per_message",
    }
}

const RATE_COLUMNS: [&str; 10] = [
    "effective_date",
    "currency",
    "market",
    "category",
    "rate",
    "pricing_model",
    "unit",
    "confidence",
    "sources",
    "note",
];

/// Parses a rates file (either era) in the schema of `data/rates_*.csv`.
pub fn parse_rates(text: &str, origin: Origin) -> Result<Vec<RateRow>> {
    let mut sheet = Sheet::open(FileKind::Rates, text, &RATE_COLUMNS)?;
    let records = sheet.records()?;
    let mut out = Vec::with_capacity(records.len());
    for rec in &records {
        let model_s = sheet.get(rec, 5);
        let model = PricingModel::parse(model_s).ok_or_else(|| {
            sheet.err(
                rec,
                5,
                "unknown_pricing_model",
                "pricing_model",
                format_args!(
                    "unknown pricing model {model_s:?}, expected per_message or per_conversation"
                ),
            )
        })?;
        let cat_s = sheet.get(rec, 3);
        let category = match (Category::parse(cat_s), model) {
            (
                Some(c @ (Category::UserInitiated | Category::BusinessInitiated)),
                PricingModel::Cbp,
            ) => c,
            (Some(Category::ReferralConversion), _)
            | (Some(Category::UserInitiated | Category::BusinessInitiated), _)
            | (None, _) => {
                return Err(sheet
                    .err(
                        rec,
                        3,
                        "category_for_model",
                        "category",
                        format_args!("unknown category {cat_s:?} for pricing model {model_s}"),
                    )
                    .with("pricing_model", Value::Term(model_term(model))))
            }
            (Some(c), _) => c,
        };
        out.push(RateRow {
            effective: sheet.date(rec, 0, "effective_date")?,
            currency: sheet.currency(rec, 1)?,
            market: sheet.nonempty(rec, 2, "market")?,
            category,
            rate: sheet.decimal(rec, 4, "rate")?,
            model,
            unit: sheet.get(rec, 6).to_string(),
            provenance: sheet.provenance(rec, 7, origin)?,
        });
    }
    Ok(out)
}

const TIER_COLUMNS: [&str; 13] = [
    "effective_date",
    "currency",
    "market",
    "category",
    "tier",
    "volume_from",
    "volume_to",
    "rate_type",
    "rate",
    "discount_vs_list",
    "confidence",
    "sources",
    "note",
];

/// Parses a volume-tier file in the schema of `data/volume_tiers.csv`.
pub fn parse_tiers(text: &str, origin: Origin) -> Result<Vec<TierRow>> {
    let mut sheet = Sheet::open(FileKind::Tiers, text, &TIER_COLUMNS)?;
    let records = sheet.records()?;
    let mut out: Vec<TierRow> = Vec::with_capacity(records.len());
    for rec in &records {
        let cat_s = sheet.get(rec, 3);
        let category = match Category::parse(cat_s) {
            Some(c @ (Category::Utility | Category::Authentication | Category::AuthenticationInternational)) => c,
            _ => {
                return Err(sheet.err(
                    rec,
                    3,
                    "unknown_tier_category",
                    "category",
                    format_args!("unknown tier category {cat_s:?}, expected utility, authentication or authentication_international"),
                ))
            }
        };
        let tier_s = sheet.get(rec, 4);
        let tier = match tier_s.parse::<u8>() {
            Ok(t) if t >= 1 => t,
            _ => {
                return Err(sheet.err(
                    rec,
                    4,
                    "invalid_tier",
                    "tier",
                    format_args!("invalid tier {tier_s:?}, expected a band number from 1"),
                ))
            }
        };
        let count = |i: usize, name: &'static str| -> Result<Option<u64>> {
            let v = sheet.get(rec, i);
            if v.is_empty() {
                return Ok(None);
            }
            v.replace('_', "").parse::<u64>().map(Some).map_err(|_| {
                sheet.err(
                    rec,
                    i,
                    "invalid_count",
                    name,
                    format_args!("invalid message count {v:?}"),
                )
            })
        };
        let from = count(5, "volume_from")?.ok_or_else(|| {
            sheet.err(
                rec,
                5,
                "empty_value",
                "volume_from",
                format_args!("empty value"),
            )
        })?;
        let to = count(6, "volume_to")?;
        if let Some(t) = to {
            if t < from {
                return Err(sheet
                    .err(
                        rec,
                        6,
                        "volume_to_below_from",
                        "volume_to",
                        format_args!("volume_to {t} is below volume_from {from}"),
                    )
                    .with("volume_from", Value::Count(from)));
            }
        }
        out.push(TierRow {
            effective: sheet.date(rec, 0, "effective_date")?,
            currency: sheet.currency(rec, 1)?,
            market: sheet.nonempty(rec, 2, "market")?,
            category,
            tier,
            from,
            to,
            rate_type: sheet.get(rec, 7).to_string(),
            rate: sheet.decimal(rec, 8, "rate")?,
            discount: sheet.get(rec, 9).to_string(),
            provenance: sheet.provenance(rec, 10, origin)?,
        });
    }
    Ok(out)
}

const MARKET_COLUMNS: [&str; 10] = [
    "iso2",
    "country",
    "calling_code",
    "nanp_area_codes_or_prefixes",
    "market",
    "valid_from",
    "valid_to",
    "confidence",
    "sources",
    "note",
];

/// Splits the prefixes column: `809;829;849` → three prefixes; `6;7 (ITU ...)` → `6`, `7`; a
/// part with no leading digits (`+7 numbers other than ...`) is a remark, not a prefix.
pub fn parse_prefixes(raw: &str) -> Vec<String> {
    raw.split(';')
        .filter_map(|part| {
            let digits: String = part
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            (!digits.is_empty()).then_some(digits)
        })
        .collect()
}

/// Parses a market table in the schema of `data/markets.csv`.
pub fn parse_markets(text: &str, origin: Origin) -> Result<Vec<MarketRow>> {
    let mut sheet = Sheet::open(FileKind::Markets, text, &MARKET_COLUMNS)?;
    let records = sheet.records()?;
    let mut out = Vec::with_capacity(records.len());
    for rec in &records {
        let code = sheet.nonempty(rec, 2, "calling_code")?;
        if code != "*"
            && !(code.len() <= 4
                && code.bytes().all(|b| b.is_ascii_digit())
                && !code.starts_with('0'))
        {
            return Err(sheet.err(
                rec,
                2,
                "invalid_calling_code",
                "calling_code",
                format_args!("invalid calling code {code:?}, expected 1 to 4 digits or *"),
            ));
        }
        let iso2 = sheet.nonempty(rec, 0, "iso2")?;
        if iso2 != "*" && !(iso2.len() == 2 && iso2.bytes().all(|b| b.is_ascii_uppercase())) {
            return Err(sheet.err(
                rec,
                0,
                "invalid_country_code",
                "iso2",
                format_args!("invalid country code {iso2:?}, expected two uppercase letters or *"),
            ));
        }
        let prefixes_raw = sheet.get(rec, 3).to_string();
        let prefixes = parse_prefixes(&prefixes_raw);
        if prefixes.iter().any(|p| p.len() + code.len() > 8) {
            return Err(sheet.err(
                rec,
                3,
                "prefix_too_long",
                "nanp_area_codes_or_prefixes",
                format_args!("prefix too long in {prefixes_raw:?}"),
            ));
        }
        let valid_from = sheet.opt_date(rec, 5, "valid_from")?;
        let valid_to = sheet.opt_date(rec, 6, "valid_to")?;
        if let (Some(f), Some(t)) = (valid_from, valid_to) {
            if t < f {
                return Err(sheet
                    .err(
                        rec,
                        6,
                        "valid_to_before_from",
                        "valid_to",
                        format_args!("valid_to {t} is before valid_from {f}"),
                    )
                    .with("valid_from", Value::Date(f)));
            }
        }
        out.push(MarketRow {
            iso2,
            country: sheet.get(rec, 1).to_string(),
            calling_code: code,
            prefixes,
            prefixes_raw,
            market: sheet.nonempty(rec, 4, "market")?,
            valid_from,
            valid_to,
            provenance: sheet.provenance(rec, 7, origin)?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ErrorCode, Location};

    #[test]
    fn embedded_data_parses_with_expected_row_counts() {
        let d = Dataset::embedded().unwrap();
        assert_eq!(d.rates.len(), 525 + 1514);
        assert_eq!(d.tiers.len(), 1356);
        assert_eq!(d.markets.len(), 158);
        assert!(d
            .markets
            .iter()
            .any(|m| m.calling_code == "*" && m.market == "Other"));
    }

    #[test]
    fn prefixes_column() {
        assert_eq!(parse_prefixes("809;829;849"), vec!["809", "829", "849"]);
        assert_eq!(
            parse_prefixes("6;7 (ITU national prefixes, S32)"),
            vec!["6", "7"]
        );
        assert!(parse_prefixes("+7 numbers other than Kazakhstan prefixes").is_empty());
        assert!(parse_prefixes("").is_empty());
    }

    #[test]
    fn malformed_files_name_kind_line_and_column() {
        let head = RATE_COLUMNS.join(",");
        let e = parse_rates(
            &format!("{head}\n2026-10-01,USD,India,marketing,abc,per_message,u,high,S1,\n"),
            Origin::Custom,
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::CsvError);
        assert_eq!(
            (e.path.as_str(), e.loc),
            ("rates", Some(Location::at("rates", 2, 5)))
        );
        assert!(e.message.contains("\"abc\""), "{}", e.message);
        let e = parse_rates(&format!("{head}\n2026-10-01,USD,India,marketing,0.1,per_message,u,high,S1,\n2026-13-01,USD,India,marketing,0.1,per_message,u,high,S1,\n"), Origin::Custom).unwrap_err();
        assert_eq!(
            (e.path.as_str(), e.loc),
            ("rates", Some(Location::at("rates", 3, 1)))
        );
        let e = parse_rates("effective_date,currency\n", Origin::Custom).unwrap_err();
        assert_eq!(e.code, ErrorCode::CsvError);
        assert!(
            e.message.contains("missing column \"market\""),
            "{}",
            e.message
        );
        let e =
            parse_rates(&format!("{head}\n2026-10-01,USD,India\n"), Origin::Custom).unwrap_err();
        assert_eq!(
            (e.path.as_str(), e.loc),
            ("rates", Some(Location::at("rates", 2, 4)))
        );
        let e = parse_tiers(
            &format!(
                "{}\n2026-10-01,USD,India,marketing,1,0,10,List rate,0.1,0%,high,S,\n",
                TIER_COLUMNS.join(",")
            ),
            Origin::Custom,
        )
        .unwrap_err();
        assert_eq!(
            (e.path.as_str(), e.loc),
            ("tiers", Some(Location::at("tiers", 2, 4)))
        );
        let e = parse_markets(
            &format!(
                "{}\nIN,India,91x,,India,,,high,S,\n",
                MARKET_COLUMNS.join(",")
            ),
            Origin::Custom,
        )
        .unwrap_err();
        assert_eq!(
            (e.path.as_str(), e.loc),
            ("markets", Some(Location::at("markets", 2, 3)))
        );
    }

    #[test]
    fn an_unclosed_quote_is_an_error_at_its_line_and_column() {
        let head = RATE_COLUMNS.join(",");
        let row = "2026-10-01,USD,India,marketing,0.1,per_message,u,high,S1,";
        // Today's rows after an unclosed quote would be swallowed into its field.
        let text = format!("{head}\n{row}\n{row}\"unclosed\n{row}\n{row}\n");
        let e = parse_rates(&text, Origin::Custom).unwrap_err();
        assert_eq!(e.code, ErrorCode::CsvError);
        assert_eq!(e.loc, Some(Location::at("rates", 3, 10)), "{e}");
        assert!(e.message.contains("not closed"), "{}", e.message);
        // A quote that a later quote closes, with the rest of that line after it.
        let text = format!("{head}\n{row}\"oops\n{row}\n2026-10-01,USD,\"India\",marketing,0.1,per_message,u,high,S1,\n");
        let e = parse_rates(&text, Origin::Custom).unwrap_err();
        assert_eq!(e.loc, Some(Location::at("rates", 2, 10)), "{e}");
        assert!(e.message.contains("line 4"), "{}", e.message);
        // Quoted fields that are closed (line breaks and doubled quotes inside) still read.
        let text = format!("{head}\n2026-10-01,USD,\"India\",marketing,0.1,per_message,u,high,S1,\"a \"\"note\"\"\nover two lines\"\r\n{row}\n");
        assert_eq!(parse_rates(&text, Origin::Custom).unwrap().len(), 2);
    }

    #[test]
    fn overlay_replaces_by_key_and_tables_whole() {
        let mut d = Dataset::embedded().unwrap();
        let n = d.rates.len();
        let head = RATE_COLUMNS.join(",");
        let custom = parse_rates(&format!("{head}\n2026-10-01,USD,India,marketing,9.9,per_message,u,high,mine,\n2031-01-01,USD,India,marketing,1.1,per_message,u,high,mine,\n"), Origin::Custom).unwrap();
        d.overlay(Some(custom), None, None, false);
        assert_eq!(d.rates.len(), n + 1);
        let india: Vec<_> = d
            .rates
            .iter()
            .filter(|r| {
                r.market == "India"
                    && r.currency == "USD"
                    && r.effective == crate::time::ymd(2026, 10, 1)
                    && r.category == Category::Marketing
            })
            .collect();
        assert_eq!(india.len(), 1);
        assert_eq!(india[0].rate.to_string(), "9.9");
        let t = parse_tiers(
            &format!(
                "{}\n2026-10-01,USD,India,utility,1,0,,List rate,0.1,0%,high,S,\n",
                TIER_COLUMNS.join(",")
            ),
            Origin::Custom,
        )
        .unwrap();
        d.overlay(None, Some(t), None, false);
        let bands = d
            .tiers
            .iter()
            .filter(|r| {
                r.market == "India"
                    && r.currency == "USD"
                    && r.category == Category::Utility
                    && r.effective == crate::time::ymd(2026, 10, 1)
            })
            .count();
        assert_eq!(bands, 1);
        d.overlay(Some(vec![]), None, None, true);
        assert!(d.rates.is_empty());
    }
}
