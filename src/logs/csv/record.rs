//! The record side of CSV logs: the header's column mapping, and a record's fields read into an
//! event (the common spellings byte by byte, the others through the engine's own reading).

use super::super::fields;
use super::super::sink::Sink;
use super::split::{split, trim, unescape};
use crate::error::{Error, ErrorCode, Location, Result};
use crate::input::{RawEvent, RawInstant};
use crate::messages::Value;
use crate::model::TemplateCategory;
use crate::pricing::{Event, EventKind, Status};
use std::borrow::Cow;

pub(super) const AT: usize = 0;
pub(super) const USER: usize = 1;
pub(super) const KIND: usize = 2;
pub(super) const CATEGORY: usize = 3;
pub(super) const REFERRAL: usize = 4;
pub(super) const FROM: usize = 5;
pub(super) const STATUS: usize = 6;
pub(super) const ID: usize = 7;
pub(super) const TEMPLATE: usize = 8;
pub(super) const SLOTS: usize = 9;
/// Columns up to the last one used that the one-pass splitter handles (a wider header is split
/// record by record).
pub(super) const SLOTS_MAX: usize = 64;
pub(super) const NAMES: [&str; SLOTS] = [
    "at", "user", "kind", "category", "referral", "from", "status", "id", "template",
];
pub(super) const SKIP: u8 = u8::MAX;

/// The fields of a record by slot, and a last slot that takes the columns not used.
pub(super) type Fields<'r> = [&'r [u8]; SLOTS + 1];

/// The seven fields of an event, in the order of [`fast`] and [`slow`].
pub(super) fn seven<'r>(f: &Fields<'r>) -> [&'r [u8]; 7] {
    [
        f[AT],
        f[USER],
        f[KIND],
        f[CATEGORY],
        f[REFERRAL],
        f[FROM],
        f[STATUS],
    ]
}

pub(super) struct Header {
    /// Column → slot (or `SKIP`).
    pub(super) slot_of: Vec<u8>,
    /// Slot → column.
    pub(super) column: [Option<usize>; SLOTS],
}

/// A malformed record: its reason (docs/errors.md), line and column, and what is wrong.
pub(super) fn syntax(line: u64, column: usize, reason: &'static str, what: &str) -> Error {
    Error::coded_at(
        ErrorCode::CsvError,
        reason,
        "",
        Location::at("log", line, column as u64),
        format!("malformed CSV at line {line}, column {column}: {what}"),
    )
    .with("line", Value::Count(line))
    .with("column", Value::Count(column as u64))
}

/// Checks a record that spans lines (a quote holds a line break) as a whole, unused columns
/// included: each closing quote is followed by a comma or the end, and a line break is only in a
/// quoted field of a column that is not read (a message text, say). Otherwise an unclosed or stray
/// quote would take the lines after it, up to the next quote, into one field, without an error
/// when that field is in a column that is not read.
#[cold]
#[inline(never)]
pub(super) fn spanning(h: &Header, rec: &[u8], line: u64) -> Result<()> {
    let mut read_break = None;
    split(rec, usize::MAX - 1, |col, s| {
        let (start, end) = (s.start as usize, s.end as usize);
        let quoted = start > 0 && rec[start - 1] == b'"';
        let read = h.slot_of.get(col).is_some_and(|&k| k != SKIP);
        if (read || !quoted)
            && read_break.is_none()
            && memchr::memchr(b'\n', &rec[start..end]).is_some()
        {
            read_break = Some(col + 1);
        }
    })
    .map_err(|(col, (reason, what))| {
        syntax(
            line,
            col,
            reason,
            &format!("{what}, in a quoted field that spans lines: is a quote not closed?"),
        )
    })?;
    match read_break {
        None => Ok(()),
        Some(col) => Err(syntax(
            line,
            col,
            "log_csv_line_break",
            "a line break in a column that is read or outside quotes: is a quote not closed?",
        )),
    }
}

/// The event of a record's fields (split, trimmed and unescaped), the template map filling the
/// category of a template row without one.
#[inline(always)]
pub(super) fn record_event<S: Sink>(
    day: &mut fields::DayCache,
    h: &Header,
    f: &Fields,
    core: &S,
) -> Result<Event> {
    if f[CATEGORY].is_empty() && f[KIND] == b"template" {
        if let Some(c) = mapped_category(core, f[ID], f[TEMPLATE]) {
            // A copy with the category, so that `f` stays as the record wrote it.
            let mut g = *f;
            g[CATEGORY] = c;
            return fields_event(day, h, &g);
        }
    }
    fields_event(day, h, f)
}

/// The event of a record's fields, the template map applied.
#[inline(always)]
pub(super) fn fields_event(day: &mut fields::DayCache, h: &Header, f: &Fields) -> Result<Event> {
    if let Some(e) = fast(day, f) {
        return Ok(e);
    }
    slow(seven(f), h)
}

/// The category the template map gives a template row without one (by `id`, then `template`).
pub(super) fn mapped_category<S: Sink>(
    core: &S,
    id: &[u8],
    template: &[u8],
) -> Option<&'static [u8]> {
    for key in [id, template] {
        if key.is_empty() {
            continue;
        }
        if let Some(super::super::MessageKind::Template(c)) =
            std::str::from_utf8(key).ok().and_then(|k| core.template(k))
        {
            return Some(match c {
                TemplateCategory::Marketing => b"marketing",
                TemplateCategory::Utility => b"utility",
                TemplateCategory::Authentication => b"authentication",
            });
        }
    }
    None
}

/// The common spellings, without allocating; `None` sends the row to [`slow`].
#[inline(always)]
pub(super) fn fast(day: &mut fields::DayCache, f: &Fields) -> Option<Event> {
    let [at, user, kind, category, referral, from, status] = seven(f);
    let at = fields::instant_with(at, day).or_else(|| fields::millis(at))?;
    let user = fields::phone(user)?;
    let kind = match kind {
        b"inbound" => EventKind::Inbound {
            referral: match referral {
                b"" | b"none" => false,
                b"ctwa" => true,
                _ => return None,
            },
        },
        b"template" => EventKind::Template(match category {
            b"marketing" => TemplateCategory::Marketing,
            b"utility" => TemplateCategory::Utility,
            b"authentication" => TemplateCategory::Authentication,
            _ => return None,
        }),
        b"message" => EventKind::Message,
        b"reaction" => EventKind::Reaction,
        _ => return None,
    };
    let from = if from.is_empty() {
        None
    } else {
        Some(fields::phone(from)?)
    };
    let status = match status {
        b"" | b"delivered" | b"read" => Status::Delivered,
        b"failed" => Status::Failed,
        b"sent" => Status::Sent,
        _ => return None,
    };
    Some(Event {
        at,
        user,
        kind,
        from,
        status,
    })
}

/// The engine's own reading of the fields (as `simulate` reads an event), for its exact errors.
#[cold]
#[inline(never)]
pub(super) fn slow(f: [&[u8]; 7], h: &Header) -> Result<Event> {
    let names = &NAMES;
    let mut s: [Option<Cow<'_, str>>; 7] = Default::default();
    for (k, b) in f.iter().enumerate() {
        if b.is_empty() {
            continue;
        }
        match std::str::from_utf8(b) {
            Ok(t) => s[k] = Some(Cow::Borrowed(t)),
            Err(_) => {
                let column = h.column[k].map_or(0, |c| c + 1);
                return Err(Error::coded(
                    ErrorCode::InvalidInput,
                    "log_field_not_utf8",
                    names[k],
                    format!("the {} field is not UTF-8 text (column {column})", names[k]),
                )
                .with("field", Value::Text(names[k].to_string()))
                .with("column", Value::Count(column as u64)));
            }
        }
    }
    let [at, user, kind, category, referral, from, status] = s;
    let at = at.map(|t| {
        let digits = t.trim_start_matches('-');
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            RawInstant::Millis(t.parse::<f64>().unwrap_or(f64::NAN))
        } else {
            RawInstant::Text(t)
        }
    });
    let raw = RawEvent {
        at,
        user,
        kind,
        category,
        referral,
        from,
        status,
        ..Default::default()
    };
    raw.resolve(0).map_err(|e| {
        let path = e
            .path
            .strip_prefix("events[0]")
            .map(|p| p.trim_start_matches('.').to_string())
            .unwrap_or(e.path.clone());
        Error { path, ..e }
    })
}

pub(super) fn header(rec: &[u8], line: u64) -> Result<Header> {
    let rec = rec.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(rec);
    let mut names: Vec<String> = Vec::new();
    split(rec, usize::MAX - 1, |_, s| {
        let b = &rec[s.start as usize..s.end as usize];
        let mut v = Vec::new();
        let b = if s.escaped {
            unescape(b, &mut v);
            &v[..]
        } else {
            b
        };
        names.push(String::from_utf8_lossy(trim(b)).to_ascii_lowercase());
    })
    .map_err(|(col, (reason, what))| syntax(line, col, reason, what))?;
    let mut slot_of = vec![SKIP; names.len()];
    let mut column = [None; SLOTS];
    for (i, n) in names.iter().enumerate() {
        if let Some(k) = NAMES.iter().position(|x| x == n) {
            if column[k].is_some() {
                return Err(Error::coded_at(
                    ErrorCode::CsvError,
                    "log_csv_header_duplicate",
                    "",
                    Location::at("log", line, i as u64 + 1),
                    format!("the CSV header names the column {n:?} twice"),
                )
                .with("field", Value::Text(n.clone())));
            }
            column[k] = Some(i);
            slot_of[i] = k as u8;
        }
    }
    for k in [AT, USER, KIND] {
        if column[k].is_none() {
            let found = names.join(",");
            return Err(Error::coded_at(
                ErrorCode::CsvError,
                "log_csv_header_missing",
                "",
                Location::at("log", line, 1),
                format!(
                    "the CSV header has no {:?} column: expected a first line naming the columns at, user, kind (category, referral, from, status optional), found {found:?}",
                    NAMES[k],
                ),
            )
            .with("field", Value::Text(NAMES[k].to_string()))
            .value(&found));
        }
    }
    // Columns after the last one used are never split.
    let used = column.iter().flatten().max().copied().unwrap_or(0);
    slot_of.truncate(used + 1);
    Ok(Header { slot_of, column })
}
