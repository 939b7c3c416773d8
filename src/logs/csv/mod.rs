//! CSV logs: a header row naming the simulator's event fields (`at`, `user`, `kind`, `category`,
//! `referral`, `from`, `status`; optionally `id` and `template` for the template map), one event
//! per row, other columns ignored. RFC 4180 quoting (quoted fields may hold commas, doubled
//! quotes and line breaks); fields are trimmed of spaces; `\r\n` line ends are accepted.
//!
//! [`split`] cuts records into fields; [`record`] maps the header and reads a record's fields into
//! an event; this module follows records across chunks (quotes, carried partial records).

mod record;
mod split;

use super::fields;
use super::sink::Sink;
use super::{too_long, MAX_RECORD_BYTES};
use crate::error::{Error, ErrorCode, Location, Result};
use crate::pricing::Event;
use record::{header, record_event, spanning, syntax, Fields, Header, SKIP, SLOTS, SLOTS_MAX};
use split::{split, split_plain, trim, unescape, Span, MAX_SPLIT};

pub(crate) struct CsvReader {
    header: Option<Header>,
    carry: Vec<u8>,
    in_quotes: bool,
    line: u64,
    extra_lines: u64,
    scratch: [Vec<u8>; SLOTS],
    any: bool,
    last_nl: bool,
    day: fields::DayCache,
    /// The one-pass splitter's lists of comma and line-feed offsets (kept for their capacity).
    commas: Vec<u32>,
    nls: Vec<u32>,
    /// Set by [`Self::on_record`] when a record that spans lines was malformed: its first line
    /// has been reported, and the lines after it are to be read again as records.
    resync: bool,
}

impl CsvReader {
    pub(crate) fn new() -> CsvReader {
        CsvReader {
            header: None,
            carry: Vec::new(),
            in_quotes: false,
            line: 1,
            extra_lines: 0,
            scratch: Default::default(),
            any: false,
            last_nl: false,
            day: fields::DayCache::default(),
            commas: Vec::new(),
            nls: Vec::new(),
            resync: false,
        }
    }

    /// The end (index of the `\n`) of the record that continues into `s`, keeping the quote state.
    fn scan(&mut self, s: &[u8]) -> Option<usize> {
        let mut i = 0;
        loop {
            if self.in_quotes {
                match memchr::memchr(b'"', &s[i..]) {
                    Some(j) => {
                        self.extra_lines += memchr::memchr_iter(b'\n', &s[i..i + j]).count() as u64;
                        self.in_quotes = false;
                        i += j + 1;
                    }
                    None => {
                        self.extra_lines += memchr::memchr_iter(b'\n', &s[i..]).count() as u64;
                        return None;
                    }
                }
            } else {
                match memchr::memchr2(b'\n', b'"', &s[i..]) {
                    Some(j) if s[i + j] == b'\n' => return Some(i + j),
                    Some(j) => {
                        self.in_quotes = true;
                        i += j + 1;
                    }
                    None => return None,
                }
            }
        }
    }

    pub(crate) fn feed<S: Sink>(&mut self, chunk: &[u8], core: &mut S) -> Result<()> {
        if let Some(&b) = chunk.last() {
            self.any = true;
            self.last_nl = b == b'\n';
        }
        let mut pos = 0;
        let mut quote_free = !self.in_quotes && memchr::memchr(b'"', chunk).is_none();
        while pos < chunk.len() {
            if quote_free {
                // No quote in the chunk: every `\n` ends a record.
                let mut rest = &chunk[pos..];
                if !self.carry.is_empty() || self.header.is_none() {
                    // The record that continues from the last chunk, or the header: one at a time.
                    let Some(i) = memchr::memchr(b'\n', rest) else {
                        self.carry.extend_from_slice(rest);
                        break;
                    };
                    if self.carry.is_empty() {
                        self.on_record(&rest[..i], Some(true), core)?;
                    } else {
                        let mut rec = std::mem::take(&mut self.carry);
                        rec.extend_from_slice(&rest[..i]);
                        self.on_record(&rec, None, core)?;
                        if self.resync {
                            // A record that spans lines, malformed: the lines after its first
                            // are read again (they may leave a quote open: the rest of the chunk
                            // is then scanned for its end).
                            self.resync = false;
                            let n = memchr::memchr(b'\n', &rec).map_or(rec.len(), |n| n + 1);
                            let mut tail = rec[n..].to_vec();
                            tail.push(b'\n');
                            self.scan_records(&tail, core)?;
                            quote_free = !self.in_quotes;
                            pos = chunk.len() - rest.len() + i + 1;
                            continue;
                        }
                        rec.clear();
                        self.carry = rec;
                    }
                    rest = &rest[i + 1..];
                    if self.header.is_none() {
                        pos = chunk.len() - rest.len();
                        continue;
                    }
                }
                let used = if self
                    .header
                    .as_ref()
                    .is_some_and(|h| h.slot_of.len() <= SLOTS_MAX)
                    && rest.len() < MAX_SPLIT
                {
                    self.plain_records(rest, core)?
                } else {
                    let mut start = 0;
                    for i in memchr::memchr_iter(b'\n', rest) {
                        self.on_record(&rest[start..i], Some(true), core)?;
                        start = i + 1;
                    }
                    start
                };
                self.carry.extend_from_slice(&rest[used..]);
                break;
            }
            self.scan_records(&chunk[pos..], core)?;
            break;
        }
        core.set_lines(self.line - 1);
        if self.carry.len() > MAX_RECORD_BYTES {
            return Err(too_long(self.line));
        }
        Ok(())
    }

    /// The records of `s` that may hold quotes, one at a time, `self.carry` holding the start of
    /// a record that `s` continues. A record that spans lines and is malformed costs its first
    /// line only: the lines after it are read again (see [`Self::on_record`]).
    fn scan_records<S: Sink>(&mut self, s: &[u8], core: &mut S) -> Result<()> {
        let mut pos = 0;
        while pos < s.len() {
            let Some(e) = self.scan(&s[pos..]) else {
                self.carry.extend_from_slice(&s[pos..]);
                break;
            };
            if self.carry.is_empty() {
                self.on_record(&s[pos..pos + e], None, core)?;
                if self.resync {
                    self.resync = false;
                    // The record spans lines: it holds a `\n` before its end.
                    pos += memchr::memchr(b'\n', &s[pos..pos + e]).map_or(e, |n| n) + 1;
                    continue;
                }
            } else {
                let mut rec = std::mem::take(&mut self.carry);
                let carried = rec.len();
                rec.extend_from_slice(&s[pos..pos + e]);
                self.on_record(&rec, None, core)?;
                if self.resync {
                    self.resync = false;
                    match memchr::memchr(b'\n', &rec) {
                        // The first line ends in the carried part: read the rest of it, then
                        // the record's part in `s` (the carry is empty: a record of the rest
                        // that it leaves open continues into `s`).
                        Some(n) if n < carried => {
                            let rest = rec[n + 1..carried].to_vec();
                            rec.clear();
                            self.carry = rec;
                            self.scan_records(&rest, core)?;
                        }
                        Some(n) => {
                            rec.clear();
                            self.carry = rec;
                            pos += n - carried + 1;
                            continue;
                        }
                        None => {
                            rec.clear();
                            self.carry = rec;
                            pos += e + 1;
                        }
                    }
                    // Read on from the record's part in `s`, or after it.
                    continue;
                }
                rec.clear();
                self.carry = rec;
            }
            pos += e + 1;
        }
        Ok(())
    }

    pub(crate) fn finish<S: Sink>(&mut self, core: &mut S) -> Result<()> {
        if self.any {
            core.set_lines(self.line - 1 + self.extra_lines + u64::from(!self.last_nl));
        }
        loop {
            let rec = std::mem::take(&mut self.carry);
            if self.in_quotes {
                // A quote not closed before the end: its line is malformed, and reading goes on at
                // the next line.
                let line = self.line;
                core.record();
                let column = split(&rec, usize::MAX - 1, |_, _| {})
                    .err()
                    .map_or(1, |(c, _)| c);
                core.bad_line(
                    line,
                    syntax(
                        line,
                        column,
                        "log_csv_quote_unclosed_at_end",
                        "a quoted field is not closed before the end of the log",
                    ),
                )?;
                self.in_quotes = false;
                self.line = line + 1;
                self.extra_lines = 0;
                if let Some(n) = memchr::memchr(b'\n', &rec) {
                    self.scan_records(&rec[n + 1..], core)?;
                }
                continue;
            }
            if rec.is_empty() {
                break;
            }
            self.on_record(&rec, None, core)?;
            if !self.resync {
                break;
            }
            self.resync = false;
            if let Some(n) = memchr::memchr(b'\n', &rec) {
                self.scan_records(&rec[n + 1..], core)?;
            }
        }
        if self.header.is_none() && self.any {
            return Err(Error::coded_at(
                ErrorCode::CsvError,
                "log_csv_no_header",
                "",
                Location::at("log", 1, 1),
                "the CSV log has no header row: expected a first line naming the columns at, user, kind (category, referral, from, status optional)".to_string(),
            ));
        }
        Ok(())
    }

    /// A record without quotes whose commas (offsets in `rec`, the first `cols` of them) are
    /// known; `ws` when it may hold a space or a tab.
    #[inline]
    fn plain_record<S: Sink>(
        &mut self,
        rec: &[u8],
        commas: &[u32],
        ws: bool,
        core: &mut S,
    ) -> Result<()> {
        let line = self.line;
        self.line += 1 + self.extra_lines;
        self.extra_lines = 0;
        let end = rec.len() - usize::from(rec.last() == Some(&b'\r'));
        if end == 0 || (ws && trim(&rec[..end]).is_empty()) {
            return Ok(());
        }
        core.record();
        // cannot fail: plain_records is called once the header has been read.
        let h = self.header.as_ref().expect("header read");
        let mut f: Fields = [b""; SLOTS + 1];
        let mut from = 0;
        for (col, &slot) in h.slot_of.iter().enumerate() {
            let to = match commas.get(col) {
                Some(&c) => c as usize,
                None => end,
            };
            if slot != SKIP {
                f[slot as usize] = if ws {
                    trim(&rec[from..to])
                } else {
                    &rec[from..to]
                };
            }
            if to == end {
                break;
            }
            from = to + 1;
        }
        match self.plain_event(&f, core) {
            Ok(e) => core.event(e, line),
            Err(e) => core.bad_line(line, e),
        }
    }

    /// The event of a record's fields (already split and trimmed).
    #[inline(always)]
    fn plain_event<S: Sink>(&mut self, f: &Fields, core: &S) -> Result<Event> {
        // cannot fail: records are read only after the header.
        let h = self.header.as_ref().expect("header read");
        record_event(&mut self.day, h, f, core)
    }

    /// One record; `plain` is `Some(true)` when it is known to hold no quote.
    #[inline]
    fn on_record<S: Sink>(&mut self, rec: &[u8], plain: Option<bool>, core: &mut S) -> Result<()> {
        let line = self.line;
        self.line += 1 + self.extra_lines;
        self.extra_lines = 0;
        let rec = rec.strip_suffix(b"\r").unwrap_or(rec);
        if trim(rec).is_empty() {
            return Ok(());
        }
        match &self.header {
            None => {
                self.header = Some(header(rec, line)?);
                Ok(())
            }
            Some(h) => {
                core.record();
                let plain = plain.unwrap_or_else(|| memchr::memchr(b'"', rec).is_none());
                if !plain && memchr::memchr(b'\n', rec).is_some() {
                    if let Err(e) = spanning(h, rec, line) {
                        // Only its first line is taken as malformed: the caller reads the lines
                        // after it again.
                        self.line = line + 1;
                        self.extra_lines = 0;
                        self.resync = true;
                        return core.bad_line(line, e);
                    }
                }
                match self.row(rec, plain, line, core) {
                    Ok(Some(e)) => core.event(e, line),
                    Ok(None) => Ok(()),
                    Err(e) => core.bad_line(line, e),
                }
            }
        }
    }

    #[inline]
    fn row<S: Sink>(
        &mut self,
        rec: &[u8],
        plain: bool,
        line: u64,
        core: &S,
    ) -> Result<Option<Event>> {
        // cannot fail: row() is reached only after the header record has been read and stored.
        let h = self.header.as_ref().expect("header read");
        if plain {
            let mut f: Fields = [b""; SLOTS + 1];
            split_plain(rec, &h.slot_of, &mut f);
            return self.plain_event(&f, core).map(Some);
        }
        let mut spans = [None::<Span>; SLOTS];
        let last = h.slot_of.len() - 1;
        split(rec, last, |col, span| {
            if let Some(&s) = h.slot_of.get(col) {
                if s != SKIP {
                    spans[s as usize] = Some(span);
                }
            }
        })
        .map_err(|(col, (reason, what))| syntax(line, col, reason, what))?;
        for (k, s) in spans.iter().enumerate() {
            if let Some(s) = s {
                if s.escaped {
                    unescape(&rec[s.start as usize..s.end as usize], &mut self.scratch[k]);
                }
            }
        }
        let scratch = &self.scratch;
        let field = |k: usize| -> &[u8] {
            match spans[k] {
                None => b"",
                Some(s) if s.escaped => trim(&scratch[k]),
                Some(s) => trim(&rec[s.start as usize..s.end as usize]),
            }
        };
        let mut f: Fields = [b""; SLOTS + 1];
        for (k, d) in f.iter_mut().take(SLOTS).enumerate() {
            *d = field(k);
        }
        record_event(&mut self.day, h, &f, core).map(Some)
    }
}

#[cfg(test)]
mod tests;
