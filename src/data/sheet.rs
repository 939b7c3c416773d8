//! The CSV reader of the data files: records with their line numbers, and errors that name the
//! file kind, line and column of a bad field.

use super::{FileKind, Origin, Provenance, MAX_CSV_BYTES, MAX_CSV_ROWS};
use crate::error::{Error, ErrorCode, Location, Result};
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
            return Err(Error::new(
                ErrorCode::LimitExceeded,
                kind.as_str(),
                format!(
                    "{} file of {} bytes exceeds the limit of {MAX_CSV_BYTES} bytes",
                    kind.as_str(),
                    text.len()
                ),
            ));
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
                    return Err(Error::located(
                        ErrorCode::CsvError,
                        kind.as_str(),
                        Location::at(kind.as_str(), 1, headers.len() as u64 + 1),
                        format!(
                            "{} file line 1: missing column {name:?} (header is {:?})",
                            kind.as_str(),
                            headers.iter().collect::<Vec<_>>().join(",")
                        ),
                    ))
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
                return Err(Error::located(
                    ErrorCode::LimitExceeded,
                    self.kind.as_str(),
                    Location::at(self.kind.as_str(), line, 1),
                    format!(
                        "{} file has more than {MAX_CSV_ROWS} rows",
                        self.kind.as_str()
                    ),
                ));
            }
            out.push(Record { fields: rec, line });
        }
        Ok(out)
    }

    /// The trimmed value of required column `i` (0-based in `required` order).
    pub(super) fn get<'r>(&self, rec: &'r Record, i: usize) -> &'r str {
        rec.fields.get(self.columns[i]).unwrap_or("").trim()
    }

    pub(super) fn err(
        &self,
        rec: &Record,
        i: usize,
        name: &str,
        what: impl std::fmt::Display,
    ) -> Error {
        let col = self.columns[i] + 1;
        Error::located(
            ErrorCode::CsvError,
            self.kind.as_str(),
            Location::at(self.kind.as_str(), rec.line, col as u64),
            format!(
                "{} file line {} column {col} ({name}): {what}",
                self.kind.as_str(),
                rec.line
            ),
        )
    }

    pub(super) fn date(&self, rec: &Record, i: usize, name: &str) -> Result<Date> {
        let v = self.get(rec, i);
        parse_date(v, "").map_err(|_| {
            self.err(
                rec,
                i,
                name,
                format_args!("invalid date {v:?}, expected YYYY-MM-DD"),
            )
        })
    }

    pub(super) fn opt_date(&self, rec: &Record, i: usize, name: &str) -> Result<Option<Date>> {
        if self.get(rec, i).is_empty() {
            Ok(None)
        } else {
            self.date(rec, i, name).map(Some)
        }
    }

    pub(super) fn decimal(&self, rec: &Record, i: usize, name: &str) -> Result<Decimal> {
        let v = self.get(rec, i);
        match Decimal::from_str(v) {
            Ok(d) if !d.is_sign_negative() || d.is_zero() => Ok(d),
            Ok(_) => Err(self.err(rec, i, name, format_args!("negative rate {v:?}"))),
            Err(_) => Err(self.err(rec, i, name, format_args!("invalid decimal {v:?}"))),
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
                "currency",
                format_args!("invalid currency {v:?}, expected three uppercase letters"),
            ))
        }
    }

    pub(super) fn nonempty(&self, rec: &Record, i: usize, name: &str) -> Result<String> {
        let v = self.get(rec, i);
        if v.is_empty() {
            Err(self.err(rec, i, name, "empty value"))
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
            return Error::located(
                ErrorCode::CsvError,
                kind.as_str(),
                Location::at(kind.as_str(), line, (*len).min(*expected_len) + 1),
                format!(
                    "{} file line {line}: {len} fields where the header has {expected_len}",
                    kind.as_str()
                ),
            );
        }
        csv::ErrorKind::Utf8 { pos, err } => {
            (pos.as_ref().map_or(0, |p| p.line()), err.field() + 1)
        }
        _ => (e.position().map_or(0, |p| p.line()), 1),
    };
    Error::located(
        ErrorCode::CsvError,
        kind.as_str(),
        Location::at(kind.as_str(), line, column as u64),
        format!("{} file line {line}: {e}", kind.as_str()),
    )
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
            let fail = |what: &str| {
                Error::located(
                    ErrorCode::CsvError,
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
                    return Err(fail(&format!(
                        "a character follows the quoted field's closing quote on line {line}: is a quote not closed?"
                    )))
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
