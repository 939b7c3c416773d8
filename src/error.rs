//! The one error type of the engine.
//!
//! Every fallible public function returns [`Error`]: a stable machine-readable [`ErrorCode`], the
//! input `path` at fault (`events[3].user`, `rates`, or empty for the whole input), where a text
//! input is at fault its [`Location`] (source, line, column) as fields, and a precise lowercase
//! message that names the offending value.

use crate::messages::{Params, Value};
use std::fmt;

/// Shows a number from the input in a message (whole numbers without a fraction).
pub fn show_f64(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        (v as i64).to_string()
    } else if v.is_finite() {
        <rust_decimal::Decimal as rust_decimal::prelude::FromPrimitive>::from_f64(v).map_or_else(
            || "a non-finite number".to_string(),
            |d| d.normalize().to_string(),
        )
    } else {
        "a non-finite number".to_string()
    }
}

/// Stable error codes. The string form (see [`ErrorCode::as_str`]) is part of the public contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// The input has the wrong shape or type (a string where a number is expected, a missing field).
    InvalidInput,
    /// A phone number is not valid E.164.
    InvalidPhone,
    /// An instant is neither RFC 3339 with an offset nor integer epoch milliseconds.
    InvalidInstant,
    /// A calendar date is not `YYYY-MM-DD`.
    InvalidDate,
    /// A time zone is neither an IANA name nor a fixed offset such as `+05:30`.
    InvalidTimezone,
    /// A currency code is not three uppercase letters.
    InvalidCurrency,
    /// An event kind is not one of `inbound`, `template`, `message`, `reaction`.
    InvalidKind,
    /// A template category is missing or not `marketing`, `utility` or `authentication`.
    InvalidCategory,
    /// A delivery status is not `delivered`, `failed` or `sent`.
    InvalidStatus,
    /// An option has a value outside its documented range.
    InvalidOption,
    /// A market name is not known to the market table.
    UnknownMarket,
    /// A country code is not known.
    UnknownCountry,
    /// A business event is dated before 2022-02-01 (business time).
    UnsupportedDate,
    /// No rate row provides the rate a verdict needs.
    MissingRate,
    /// A CSV file is malformed; the location names the file kind, line and column.
    CsvError,
    /// A spreadsheet (XLSX) cannot be read or holds a bad cell; the path is `SHEET!A1`.
    XlsxError,
    /// A documented limit (events per call, contacts, amounts) is exceeded.
    LimitExceeded,
    /// An amount would overflow the decimal range.
    Overflow,
    /// A share-link or encoded string cannot be decoded.
    InvalidEncoding,
}

impl ErrorCode {
    /// Every code, in documentation order.
    pub const ALL: [ErrorCode; 19] = [
        ErrorCode::InvalidInput,
        ErrorCode::InvalidPhone,
        ErrorCode::InvalidInstant,
        ErrorCode::InvalidDate,
        ErrorCode::InvalidTimezone,
        ErrorCode::InvalidCurrency,
        ErrorCode::InvalidKind,
        ErrorCode::InvalidCategory,
        ErrorCode::InvalidStatus,
        ErrorCode::InvalidOption,
        ErrorCode::UnknownMarket,
        ErrorCode::UnknownCountry,
        ErrorCode::UnsupportedDate,
        ErrorCode::MissingRate,
        ErrorCode::CsvError,
        ErrorCode::XlsxError,
        ErrorCode::LimitExceeded,
        ErrorCode::Overflow,
        ErrorCode::InvalidEncoding,
    ];

    /// The stable snake_case name of the code, as JavaScript sees it in `error.code`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::InvalidPhone => "invalid_phone",
            ErrorCode::InvalidInstant => "invalid_instant",
            ErrorCode::InvalidDate => "invalid_date",
            ErrorCode::InvalidTimezone => "invalid_timezone",
            ErrorCode::InvalidCurrency => "invalid_currency",
            ErrorCode::InvalidKind => "invalid_kind",
            ErrorCode::InvalidCategory => "invalid_category",
            ErrorCode::InvalidStatus => "invalid_status",
            ErrorCode::InvalidOption => "invalid_option",
            ErrorCode::UnknownMarket => "unknown_market",
            ErrorCode::UnknownCountry => "unknown_country",
            ErrorCode::UnsupportedDate => "unsupported_date",
            ErrorCode::MissingRate => "missing_rate",
            ErrorCode::CsvError => "csv_error",
            ErrorCode::XlsxError => "xlsx_error",
            ErrorCode::LimitExceeded => "limit_exceeded",
            ErrorCode::Overflow => "overflow",
            ErrorCode::InvalidEncoding => "invalid_encoding",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where in a text input (a CSV data file, a log) or a spreadsheet an error is.
///
/// The sheet's name exists only in builds that read spreadsheets (native, and the card-reading
/// wasm package); the calculator's and the log importer's wasm have none, and there a location is
/// `Copy` and errors stay as small as they were (the calculator's size budget).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(all(target_arch = "wasm32", not(feature = "cards-wasm")), derive(Copy))]
pub struct Location {
    /// The kind of input: `rates`, `tiers`, `markets` (data files), `log`, or `xlsx` (a
    /// spreadsheet).
    pub source: &'static str,
    /// The 1-based line (of a record that spans lines, its first line); in a spreadsheet, the
    /// 1-based row (0 when the error is about a whole sheet or workbook).
    pub line: u64,
    /// The 1-based column (the field's number in a CSV record, the column of a spreadsheet
    /// cell), when the error is about one.
    pub column: Option<u64>,
    /// In a spreadsheet, the sheet and cell (boxed: a rare case, and errors stay small).
    #[cfg(any(not(target_arch = "wasm32"), feature = "cards-wasm"))]
    pub sheet: Option<Box<SheetRef>>,
}

/// A sheet of a spreadsheet and, when an error is about one, a cell of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRef {
    /// The sheet's name.
    pub sheet: String,
    /// The cell in A1 notation (`B7`).
    pub cell: Option<String>,
}

impl Location {
    /// A line of `source`, no column.
    pub fn line(source: &'static str, line: u64) -> Location {
        Location {
            source,
            line,
            column: None,
            #[cfg(any(not(target_arch = "wasm32"), feature = "cards-wasm"))]
            sheet: None,
        }
    }

    /// A line and column of `source`.
    pub fn at(source: &'static str, line: u64, column: u64) -> Location {
        Location {
            source,
            line,
            column: Some(column),
            #[cfg(any(not(target_arch = "wasm32"), feature = "cards-wasm"))]
            sheet: None,
        }
    }

    /// A sheet of a spreadsheet and, when the error is about one, a cell of it (1-based row and
    /// column, with its A1 name).
    pub fn sheet(sheet: &str, cell: Option<(u64, u64, String)>) -> Location {
        let (line, column, cell) = match cell {
            Some((row, col, name)) => (row, Some(col), Some(name)),
            None => (0, None, None),
        };
        #[cfg(all(target_arch = "wasm32", not(feature = "cards-wasm")))]
        let _ = (sheet, cell);
        Location {
            source: "xlsx",
            line,
            column,
            #[cfg(any(not(target_arch = "wasm32"), feature = "cards-wasm"))]
            sheet: Some(Box::new(SheetRef {
                sheet: sheet.to_string(),
                cell,
            })),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        #[cfg(any(not(target_arch = "wasm32"), feature = "cards-wasm"))]
        if let Some(s) = &self.sheet {
            return match &s.cell {
                Some(c) => write!(f, "{}!{c}", s.sheet),
                None => f.write_str(&s.sheet),
            };
        }
        write!(f, "{}:{}", self.source, self.line)?;
        if let Some(c) = self.column {
            write!(f, ":{c}")?;
        }
        Ok(())
    }
}

/// An engine error: a code, the input path at fault, where a text input is at fault its location,
/// and a message naming the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The stable code.
    pub code: ErrorCode,
    /// The input path at fault (`events[3].user`; `rates` for a data file; the field, such as
    /// `user`, for a line of a log), or empty.
    pub path: String,
    /// Where in a text input (data file, log) the error is, if it is about one.
    pub loc: Option<Location>,
    /// A precise lowercase message naming the offending value.
    pub message: String,
    /// The values the message names (`value`, `min`, `max`…), for a front end to write the error
    /// in its language (docs/errors.md); none where the message is the only form. Boxed: an
    /// error is moved and dropped on many paths, and stays one word larger, not a vector.
    pub params: Option<Box<Params>>,
}

impl Error {
    /// Builds an error with its reason: a registered sub-code of `code` (`src/reasons.rs`,
    /// docs/errors.md) that a front end writes in its language from the error's `params`, or
    /// `""` for the code's default sentence. The reason is the first parameter, `reason`.
    #[inline(never)]
    pub fn coded(
        code: ErrorCode,
        reason: &'static str,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error {
            code,
            path: path.into(),
            loc: None,
            message: message.into(),
            params: reason_params(reason),
        }
    }

    /// Builds an error with its reason (see [`Error::coded`]) at a location of a text input.
    #[inline(never)]
    pub fn coded_at(
        code: ErrorCode,
        reason: &'static str,
        path: impl Into<String>,
        loc: Location,
        message: impl Into<String>,
    ) -> Self {
        Error {
            code,
            path: path.into(),
            loc: Some(loc),
            message: message.into(),
            params: reason_params(reason),
        }
    }

    /// The error's reason (`""` when it has none): see [`Error::coded`].
    pub fn reason(&self) -> &'static str {
        match self.params.as_deref().and_then(|p| p.get("reason")) {
            Some(Value::Term(r)) => r,
            _ => "",
        }
    }

    /// Returns the same error with the parameter `name` set to `value` (see [`Error::params`]).
    #[inline(never)]
    pub fn with(mut self, name: &'static str, value: Value) -> Self {
        self.params
            .get_or_insert_with(Default::default)
            .0
            .push((name, value));
        self
    }

    /// Returns the same error with the offending input `value` as its `value` parameter.
    #[inline(never)]
    pub fn value(self, value: &str) -> Self {
        self.with("value", Value::Text(value.to_string()))
    }

    /// Returns the same error at `loc`, unless it already has a location.
    pub fn or_at(mut self, loc: Location) -> Self {
        if self.loc.is_none() {
            self.loc = Some(loc);
        }
        self
    }

    /// Returns the same error with `prefix` put in front of its path (`events[3]` + `user`).
    pub fn under(mut self, prefix: &str) -> Self {
        if prefix.is_empty() {
            return self;
        }
        self.path = if self.path.is_empty() {
            prefix.to_string()
        } else if self.path.starts_with('[') {
            format!("{prefix}{}", self.path)
        } else {
            format!("{prefix}.{}", self.path)
        };
        self
    }
}

/// The parameters of a new error: its reason, if it has one.
fn reason_params(reason: &'static str) -> Option<Box<Params>> {
    if reason.is_empty() {
        None
    } else {
        Some(Box::new(Params(vec![("reason", Value::Term(reason))])))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.loc, self.path.is_empty()) {
            (None, true) => write!(f, "{}: {}", self.code, self.message),
            (None, false) => write!(f, "{} at {}: {}", self.code, self.path, self.message),
            (Some(loc), true) => write!(f, "{} at {loc}: {}", self.code, self.message),
            (Some(loc), false) => {
                write!(
                    f,
                    "{} at {loc} ({}): {}",
                    self.code, self.path, self.message
                )
            }
        }
    }
}

impl std::error::Error for Error {}

/// Result alias of the engine.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "duplicate code {s}");
            assert!(s.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{s}");
        }
    }

    #[test]
    fn every_code_is_documented() {
        let doc = include_str!("../docs/errors.md");
        for code in ErrorCode::ALL {
            assert!(
                doc.contains(&format!("| `{}` |", code.as_str())),
                "{code} missing from docs/errors.md"
            );
        }
    }

    #[test]
    fn under_builds_paths() {
        let e = Error::coded(ErrorCode::InvalidPhone, "", "user", "x").under("events[3]");
        assert_eq!(e.path, "events[3].user");
        let e = Error::coded(ErrorCode::InvalidPhone, "", "[2]", "x").under("events");
        assert_eq!(e.path, "events[2]");
        let e = Error::coded(ErrorCode::InvalidPhone, "", "", "x").under("events[1]");
        assert_eq!(e.path, "events[1]");
    }

    #[test]
    fn locations_are_fields_and_display_as_source_line_column() {
        let e = Error::coded_at(
            ErrorCode::CsvError,
            "",
            "rates",
            Location::at("rates", 12, 5),
            "bad",
        );
        assert_eq!(
            e.loc.as_ref().map(|l| (l.line, l.column)),
            Some((12, Some(5)))
        );
        assert_eq!(e.to_string(), "csv_error at rates:12:5 (rates): bad");
        let e = Error::coded(ErrorCode::InvalidPhone, "", "user", "bad")
            .or_at(Location::line("log", 3));
        assert_eq!(e.to_string(), "invalid_phone at log:3 (user): bad");
        let e = e.or_at(Location::line("log", 9));
        assert_eq!(e.loc.map(|l| l.line), Some(3), "a location is kept");
        let e = Error::coded_at(
            ErrorCode::CsvError,
            "",
            "",
            Location::at("log", 1, 1),
            "bad",
        );
        assert_eq!(e.to_string(), "csv_error at log:1:1: bad");
    }
}
