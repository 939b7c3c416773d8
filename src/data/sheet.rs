//! The CSV reader of the data files: records with their line numbers, and errors that name the
//! file kind, line and column of a bad field.

use super::{FileKind, Origin, Provenance, MAX_CSV_BYTES, MAX_CSV_ROWS};
use crate::error::{Error, ErrorCode, Location, Result};
use crate::messages::Value;
use crate::model::Confidence;
use crate::time::{parse_date, Date};
use rust_decimal::Decimal;
use std::str::FromStr;

/// A CSV reader that names the file kind, line and column in its errors.
pub(super) struct Sheet<'a> {
    kind: FileKind,
    reader: csv::Reader<&'a [u8]>,
    columns: Vec<usize>,
}

pub(super) struct Record {
    fields: csv::StringRecord,
    line: u64,
}

impl<'a> Sheet<'a> {
    pub(super) fn open(kind: FileKind, text: &'a str, required: &[&str]) -> Result<Self> {
        if text.len() > MAX_CSV_BYTES {
            return Err(too_large(kind.as_str(), kind.as_str(), text.len()));
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        check_quotes(kind, text)?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(text.as_bytes());
        let headers = reader.headers().map_err(|e| csv_error(kind, &e))?.clone();
        let mut columns = Vec::with_capacity(required.len());
        for name in required {
            match headers.iter().position(|h| h.trim() == *name) {
                Some(i) => columns.push(i),
                None => {
                    let header = headers.iter().collect::<Vec<_>>().join(",");
                    return Err(Error::coded_at(
                        ErrorCode::CsvError,
                        "missing_column",
                        kind.as_str(),
                        Location::at(kind.as_str(), 1, headers.len() as u64 + 1),
                        format!(
                            "{} file line 1: missing column {name:?} (header is {header:?})",
                            kind.as_str(),
                        ),
                    )
                    .with("field", Value::Text(name.to_string()))
                    .with("header", Value::Text(header)));
                }
            }
        }
        Ok(Sheet {
            kind,
            reader,
            columns,
        })
    }

    pub(super) fn records(&mut self) -> Result<Vec<Record>> {
        let mut out = Vec::new();
        for rec in self.reader.records() {
            let rec = rec.map_err(|e| csv_error(self.kind, &e))?;
            let line = rec.position().map_or(0, |p| p.line());
            if rec.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            if out.len() >= MAX_CSV_ROWS {
                let kind = self.kind.as_str();
                return Err(too_many_rows(kind, kind).or_at(Location::at(kind, line, 1)));
            }
            out.push(Record { fields: rec, line });
        }
        Ok(out)
    }

    /// The trimmed value of required column `i` (0-based in `required` order).
    pub(super) fn get<'r>(&self, rec: &'r Record, i: usize) -> &'r str {
        rec.fields.get(self.columns[i]).unwrap_or("").trim()
    }

    /// An error about the field of required column `i` of a record: its `reason`, the column's
    /// name (`field`) and the field's value (`value`), at its line and column.
    pub(super) fn err(
        &self,
        rec: &Record,
        i: usize,
        reason: &'static str,
        name: &'static str,
        what: std::fmt::Arguments,
    ) -> Error {
        let col = self.columns[i] + 1;
        Error::coded_at(
            ErrorCode::CsvError,
            reason,
            self.kind.as_str(),
            Location::at(self.kind.as_str(), rec.line, col as u64),
            format!(
                "{} file line {} column {col} ({name}): {what}",
                self.kind.as_str(),
                rec.line
            ),
        )
        .with("field", Value::Text(name.to_string()))
        .value(self.get(rec, i))
    }

    pub(super) fn date(&self, rec: &Record, i: usize, name: &'static str) -> Result<Date> {
        let v = self.get(rec, i);
        parse_date(v, "").map_err(|_| {
            self.err(
                rec,
                i,
                "not_a_date",
                name,
                format_args!("invalid date {v:?}, expected YYYY-MM-DD"),
            )
        })
    }

    pub(super) fn opt_date(
        &self,
        rec: &Record,
        i: usize,
        name: &'static str,
    ) -> Result<Option<Date>> {
        if self.get(rec, i).is_empty() {
            Ok(None)
        } else {
            self.date(rec, i, name).map(Some)
        }
    }

    pub(super) fn decimal(&self, rec: &Record, i: usize, name: &'static str) -> Result<Decimal> {
        let v = self.get(rec, i);
        match Decimal::from_str(v) {
            Ok(d) if !d.is_sign_negative() || d.is_zero() => Ok(d),
            Ok(_) => Err(self.err(
                rec,
                i,
                "negative_rate",
                name,
                format_args!("negative rate {v:?}"),
            )),
            Err(_) => Err(self.err(
                rec,
                i,
                "not_a_decimal",
                name,
                format_args!("invalid decimal {v:?}"),
            )),
        }
    }

    pub(super) fn currency(&self, rec: &Record, i: usize) -> Result<String> {
        let v = self.get(rec, i);
        if v.len() == 3 && v.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(v.to_string())
        } else {
            Err(self.err(
                rec,
                i,
                "not_a_currency_code",
                "currency",
                format_args!("invalid currency {v:?}, expected three uppercase letters"),
            ))
        }
    }

    pub(super) fn nonempty(&self, rec: &Record, i: usize, name: &'static str) -> Result<String> {
        let v = self.get(rec, i);
        if v.is_empty() {
            Err(self.err(rec, i, "empty_value", name, format_args!("empty value")))
        } else {
            Ok(v.to_string())
        }
    }

    /// The provenance columns `confidence`, `sources` and `note`, from column `i` on.
    pub(super) fn provenance(&self, rec: &Record, i: usize, origin: Origin) -> Result<Provenance> {
        Ok(Provenance {
            confidence: self.confidence(rec, i)?,
            sources: self.get(rec, i + 1).to_string(),
            note: self.get(rec, i + 2).to_string(),
            origin,
        })
    }

    pub(super) fn confidence(&self, rec: &Record, i: usize) -> Result<Confidence> {
        let v = self.get(rec, i);
        Confidence::parse(v).ok_or_else(|| {
            self.err(
                rec,
                i,
                "unknown_confidence",
                "confidence",
                format_args!("unknown confidence {v:?}, expected high, medium, low or derived"),
            )
        })
    }
}

fn csv_error(kind: FileKind, e: &csv::Error) -> Error {
    let (line, column) = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => {
            let line = pos.as_ref().map_or(0, |p| p.line());
            return Error::coded_at(
                ErrorCode::CsvError,
                "field_count",
                kind.as_str(),
                Location::at(kind.as_str(), line, (*len).min(*expected_len) + 1),
                format!(
                    "{} file line {line}: {len} fields where the header has {expected_len}",
                    kind.as_str()
                ),
            )
            .with("count", Value::Count(*len))
            .with("header_columns", Value::Count(*expected_len));
        }
        csv::ErrorKind::Utf8 { pos, err } => {
            (pos.as_ref().map_or(0, |p| p.line()), err.field() + 1)
        }
        _ => (e.position().map_or(0, |p| p.line()), 1),
    };
    Error::coded_at(
        ErrorCode::CsvError,
        "csv_unreadable",
        kind.as_str(),
        Location::at(kind.as_str(), line, column as u64),
        format!("{} file line {line}: {e}", kind.as_str()),
    )
}

/// `limit_exceeded`: a file (of `what`: `rates`, `rate card`) larger than [`MAX_CSV_BYTES`].
pub(crate) fn too_large(path: &'static str, what: &str, bytes: usize) -> Error {
    Error::coded(
        ErrorCode::LimitExceeded,
        "file_too_large",
        path,
        format!("{what} file of {bytes} bytes exceeds the limit of {MAX_CSV_BYTES} bytes"),
    )
    .with("count", Value::Count(bytes as u64))
    .with("limit", Value::Count(MAX_CSV_BYTES as u64))
}

/// `limit_exceeded`: a file (of `what`) with more than [`MAX_CSV_ROWS`] rows.
pub(crate) fn too_many_rows(path: &'static str, what: &str) -> Error {
    Error::coded(
        ErrorCode::LimitExceeded,
        "too_many_rows",
        path,
        format!("{what} file has more than {MAX_CSV_ROWS} rows"),
    )
    .with("limit", Value::Count(MAX_CSV_ROWS as u64))
}

/// Refuses a quoted field that is not closed, or whose closing quote is followed by anything but a
/// comma or the end of the line: the `csv` reader would take the rest of the file (or the lines up
/// to the next quote) into that field without an error. Names the line and column (field number)
/// where the quote opens.
fn check_quotes(kind: FileKind, text: &str) -> Result<()> {
    let b = text.as_bytes();
    let (mut i, mut line, mut field) = (0usize, 1u64, 1u64);
    while i < b.len() {
        // At the start of a field.
        if b[i] == b'"' {
            let (open_line, open_field) = (line, field);
            let fail = |reason: &'static str, what: &str| {
                Error::coded_at(
                    ErrorCode::CsvError,
                    reason,
                    kind.as_str(),
                    Location::at(kind.as_str(), open_line, open_field),
                    format!(
                        "{} file line {open_line} column {open_field}: {what}",
                        kind.as_str()
                    ),
                )
            };
            i += 1;
            loop {
                match memchr::memchr(b'"', &b[i..]) {
                    None => {
                        return Err(fail(
                            "unclosed_quote",
                            "a quoted field is not closed before the end of the file",
                        ))
                    }
                    Some(j) => {
                        line += memchr::memchr_iter(b'\n', &b[i..i + j]).count() as u64;
                        i += j + 1;
                        if b.get(i) == Some(&b'"') {
                            i += 1;
                        } else {
                            break;
                        }
                    }
                }
            }
            match b.get(i) {
                None | Some(b',' | b'\n' | b'\r') => {}
                Some(_) => {
                    return Err(fail(
                        "text_after_quote",
                        &format!(
                            "a character follows the quoted field's closing quote on line {line}: is a quote not closed?"
                        ),
                    )
                    .with("line", Value::Count(line)))
                }
            }
        } else {
            while i < b.len() && !matches!(b[i], b',' | b'\n') {
                i += 1;
            }
        }
        match b.get(i) {
            Some(b',') => field += 1,
            Some(b'\n') => {
                line += 1;
                field = 1;
            }
            Some(b'\r') => {
                // A `\r\n` line end after a closing quote.
                if b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                line += 1;
                field = 1;
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reader of `&str` text meets no UTF-8 or I/O failure, so a failure other than a field
    /// count is built here.
    #[test]
    fn a_reader_failure_other_than_a_field_count_is_csv_unreadable() {
        let failure = csv::Error::from(std::io::Error::other("broken"));
        let e = csv_error(FileKind::Tiers, &failure);
        assert_eq!(
            (e.code, e.reason()),
            (ErrorCode::CsvError, "csv_unreadable")
        );
        assert_eq!(e.loc, Some(Location::at("tiers", 0, 1)));
        assert_eq!(crate::reasons::check(&e), Ok(()));
    }
}
