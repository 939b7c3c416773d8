//! CSV logs: a header row naming the simulator's event fields (`at`, `user`, `kind`, `category`,
//! `referral`, `from`, `status`; optionally `id` and `template` for the template map), one event
//! per row, other columns ignored. RFC 4180 quoting (quoted fields may hold commas, doubled
//! quotes and line breaks); fields are trimmed of spaces; `\r\n` line ends are accepted.

use super::fields;
use super::records::too_long;
use super::sink::Sink;
use super::MAX_RECORD_BYTES;
use crate::error::{Error, ErrorCode, Location, Result};
use crate::input::{RawEvent, RawInstant};
use crate::model::TemplateCategory;
use crate::simulate::{Event, EventKind, Status};
use std::borrow::Cow;

const AT: usize = 0;
const USER: usize = 1;
const KIND: usize = 2;
const CATEGORY: usize = 3;
const REFERRAL: usize = 4;
const FROM: usize = 5;
const STATUS: usize = 6;
const ID: usize = 7;
const TEMPLATE: usize = 8;
const SLOTS: usize = 9;
/// Columns up to the last one used that the one-pass splitter handles (a wider header is split
/// record by record).
const SLOTS_MAX: usize = 64;
const NAMES: [&str; SLOTS] = [
    "at", "user", "kind", "category", "referral", "from", "status", "id", "template",
];
const SKIP: u8 = u8::MAX;

/// The fields of a record by slot, and a last slot that takes the columns not used.
type Fields<'r> = [&'r [u8]; SLOTS + 1];

/// The seven fields of an event, in the order of [`fast`] and [`slow`].
fn seven<'r>(f: &Fields<'r>) -> [&'r [u8]; 7] {
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

struct Header {
    /// Column → slot (or `SKIP`).
    slot_of: Vec<u8>,
    /// Slot → column.
    column: [Option<usize>; SLOTS],
}

#[derive(Clone, Copy, Default)]
struct Span {
    start: u32,
    end: u32,
    escaped: bool,
}

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

fn syntax(line: u64, column: usize, what: &str) -> Error {
    Error::located(
        ErrorCode::CsvError,
        "",
        Location::at("log", line, column as u64),
        format!("malformed CSV at line {line}, column {column}: {what}"),
    )
}

#[inline]
fn trim(b: &[u8]) -> &[u8] {
    let mut s = 0;
    let mut e = b.len();
    while s < e && (b[s] == b' ' || b[s] == b'\t') {
        s += 1;
    }
    while e > s && (b[e - 1] == b' ' || b[e - 1] == b'\t') {
        e -= 1;
    }
    &b[s..e]
}

/// Splits a record into fields, calling `f(column, span)` for each; stops after `last` columns.
/// Returns the 1-based column of a syntax error.
#[inline]
fn split(
    rec: &[u8],
    last: usize,
    mut f: impl FnMut(usize, Span),
) -> Result<(), (usize, &'static str)> {
    let n = rec.len();
    let mut i = 0;
    let mut col = 0;
    loop {
        if col > last {
            return Ok(());
        }
        let span = if i < n && rec[i] == b'"' {
            i += 1;
            let start = i;
            let mut escaped = false;
            let end = loop {
                match memchr::memchr(b'"', &rec[i..]) {
                    None => return Err((col + 1, "a quoted field is not closed")),
                    Some(j) => {
                        i += j;
                        if i + 1 < n && rec[i + 1] == b'"' {
                            escaped = true;
                            i += 2;
                        } else {
                            let end = i;
                            i += 1;
                            break end;
                        }
                    }
                }
            };
            while i < n && (rec[i] == b' ' || rec[i] == b'\t') {
                i += 1;
            }
            if i < n && rec[i] != b',' {
                return Err((col + 1, "a character follows the closing quote"));
            }
            Span {
                start: start as u32,
                end: end as u32,
                escaped,
            }
        } else {
            let start = i;
            while i < n && rec[i] != b',' {
                i += 1;
            }
            Span {
                start: start as u32,
                end: i as u32,
                escaped: false,
            }
        };
        f(col, span);
        if i >= n {
            return Ok(());
        }
        i += 1;
        col += 1;
    }
}

/// Splits a record without quotes into the fields of `slot_of` (column → slot), eight bytes at a
/// time. Missing columns stay empty.
#[inline]
fn split_plain<'r>(rec: &'r [u8], slot_of: &[u8], out: &mut Fields<'r>) {
    const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const COMMAS: u64 = 0x2c2c_2c2c_2c2c_2c2c;
    let n = rec.len();
    let cols = slot_of.len();
    let mut col = 0;
    let mut start = 0;
    let mut emit = |col: usize, start: usize, end: usize| {
        let s = slot_of[col];
        if s != SKIP {
            out[s as usize] = trim(&rec[start..end]);
        }
    };
    let mut i = 0;
    while i < n {
        let mut word = [0u8; 8];
        if i + 8 <= n {
            word = rec[i..i + 8].try_into().unwrap_or_default();
        } else {
            word[..n - i].copy_from_slice(&rec[i..]);
        }
        let x = u64::from_le_bytes(word) ^ COMMAS;
        // The high bit of each byte of `m` is set where `x` has a zero byte (a comma in `word`);
        // the zero padding past the end is not a comma.
        let mut m = !(((x & LO7) + LO7) | x | LO7);
        while m != 0 {
            let p = i + (m.trailing_zeros() / 8) as usize;
            emit(col, start, p);
            col += 1;
            if col >= cols {
                return;
            }
            start = p + 1;
            m &= m - 1;
        }
        i += 8;
    }
    emit(col, start, n);
}

fn unescape(src: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut i = 0;
    while i < src.len() {
        out.push(src[i]);
        i += if src[i] == b'"' { 2 } else { 1 };
    }
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
            return Err(Error::located(
                ErrorCode::CsvError,
                "",
                Location::at("log", 1, 1),
                "the CSV log has no header row: expected a first line naming the columns at, user, kind (category, referral, from, status optional)".to_string(),
            ));
        }
        Ok(())
    }

    /// Every whole record of `s`, which holds no quote, [`WINDOW`] bytes at a time in two passes:
    /// the first finds the commas and line feeds sixteen bytes at a time (see [`marks`]) and
    /// lists their offsets; the second cuts each record into its fields from those lists. A
    /// record with every used column (the common one) takes a straight path; others, and logs
    /// holding a space or a tab (whose fields are trimmed), go through [`Self::plain_record`].
    /// Returns the length read (up to the last `\n`).
    fn plain_records<S: Sink>(&mut self, s: &[u8], core: &mut S) -> Result<usize> {
        // Called once the header has been read, with at most SLOTS_MAX columns used.
        let Some(h) = self.header.as_ref() else {
            return Ok(0);
        };
        let cols = h.slot_of.len().min(SLOTS_MAX);
        // Column → slot, the columns not used into a slot of their own that nothing reads.
        let mut slot = [SLOTS; SLOTS_MAX];
        for (d, &k) in slot.iter_mut().zip(&h.slot_of) {
            if k != SKIP {
                *d = usize::from(k);
            }
        }
        // A record may hold a space or a tab (then its fields are trimmed).
        let ws = memchr::memchr2(b' ', b'\t', s).is_some();
        let mut commas = std::mem::take(&mut self.commas);
        let mut nls = std::mem::take(&mut self.nls);
        let r = self.windows(s, cols, &slot, ws, &mut commas, &mut nls, core);
        self.commas = commas;
        self.nls = nls;
        r
    }

    /// The two passes of [`Self::plain_records`], with its lists.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn windows<S: Sink>(
        &mut self,
        s: &[u8],
        cols: usize,
        slot: &[usize; SLOTS_MAX],
        ws: bool,
        commas: &mut Vec<u32>,
        nls: &mut Vec<u32>,
        core: &mut S,
    ) -> Result<usize> {
        let n = s.len();
        // Commas listed (`commas[..listed]`), of which `commas[next..]` are not yet read: those of
        // the record under way carry over to the next window.
        let mut listed = 0;
        let mut next = 0;
        let mut start = 0;
        let mut w0 = 0;
        while w0 < n {
            let w1 = (w0 + WINDOW).min(n);
            // First pass: the offsets of the window's marks (each list has room for a whole
            // window of them).
            commas.copy_within(next..listed, 0);
            listed -= next;
            next = 0;
            commas.resize(listed + WINDOW + 16, 0);
            nls.resize(WINDOW + 16, 0);
            let mut lines = 0;
            let mut i = w0;
            while i < w1 {
                let Some(block) = s[i..].first_chunk::<16>() else {
                    break;
                };
                let (all, nl) = marks(block);
                listed = list(all & !nl, i as u32, commas, listed);
                lines = list(nl, i as u32, nls, lines);
                i += 16;
            }
            if i < w1 {
                // The last bytes of `s`, fewer than sixteen.
                let mut tail = [0u8; 16];
                tail[..n - i].copy_from_slice(&s[i..]);
                let (all, nl) = marks(&tail);
                listed = list(all & !nl, i as u32, commas, listed);
                lines = list(nl, i as u32, nls, lines);
            }
            // Second pass: the records that end in the window. The straight path writes the slots
            // of the used columns of every record (the spare slot takes the others), so a slot
            // never written stays empty.
            let mut f: Fields = [b""; SLOTS + 1];
            for &p in &nls[..lines] {
                let p = p as usize;
                let need = cols - 1;
                // The straight path: every used column is there (`need` commas before the end).
                if !ws
                    && need > 0
                    && next + need <= listed
                    && (commas[next + need - 1] as usize) < p
                {
                    let line = self.line;
                    self.line += 1 + self.extra_lines;
                    self.extra_lines = 0;
                    let end = p - usize::from(s[p - 1] == b'\r');
                    let mut from = start;
                    for (&c, &k) in commas[next..next + need].iter().zip(slot) {
                        let to = c as usize;
                        f[k] = &s[from..to];
                        from = to + 1;
                    }
                    next += need;
                    // The last used column ends at the next comma, if an unused column follows.
                    let to = match commas[..listed].get(next) {
                        Some(&c) if (c as usize) < p => c as usize,
                        _ => end,
                    };
                    f[slot[need]] = &s[from..to];
                    while next < listed && (commas[next] as usize) < p {
                        next += 1;
                    }
                    core.record();
                    match self.plain_event(&f, core) {
                        Ok(e) => core.event(e, line)?,
                        Err(e) => core.bad_line(line, e)?,
                    }
                } else {
                    let mut rel = [0u32; SLOTS_MAX];
                    let mut k = 0;
                    while next < listed && (commas[next] as usize) < p {
                        if k < cols {
                            rel[k] = commas[next] - start as u32;
                            k += 1;
                        }
                        next += 1;
                    }
                    self.plain_record(&s[start..p], &rel[..k], ws, core)?;
                }
                start = p + 1;
            }
            w0 = w1;
        }
        Ok(start)
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
        .map_err(|(col, what)| syntax(line, col, what))?;
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

/// Checks a record that spans lines (a quote holds a line break) as a whole, unused columns
/// included: each closing quote is followed by a comma or the end, and a line break is only in a
/// quoted field of a column that is not read (a message text, say). Otherwise an unclosed or stray
/// quote would take the lines after it, up to the next quote, into one field, without an error
/// when that field is in a column that is not read.
#[cold]
#[inline(never)]
fn spanning(h: &Header, rec: &[u8], line: u64) -> Result<()> {
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
    .map_err(|(col, what)| {
        syntax(
            line,
            col,
            &format!("{what}, in a quoted field that spans lines: is a quote not closed?"),
        )
    })?;
    match read_break {
        None => Ok(()),
        Some(col) => Err(syntax(
            line,
            col,
            "a line break in a column that is read or outside quotes: is a quote not closed?",
        )),
    }
}

/// The event of a record's fields (split, trimmed and unescaped), the template map filling the
/// category of a template row without one.
#[inline(always)]
fn record_event<S: Sink>(
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
fn fields_event(day: &mut fields::DayCache, h: &Header, f: &Fields) -> Result<Event> {
    if let Some(e) = fast(day, f) {
        return Ok(e);
    }
    slow(seven(f), h)
}

/// Bytes read by the first pass of the one-pass splitter before the second cuts their records:
/// the window and its lists of marks stay in the processor's first-level cache.
const WINDOW: usize = 16 * 1024;

/// The longest chunk the one-pass splitter reads (its offsets are 32-bit); a longer one is read
/// record by record.
const MAX_SPLIT: usize = u32::MAX as usize - WINDOW - 64;

/// Writes the offsets `base + j` of the bits `j` of `m` at `out[len..]`; returns the new length.
#[inline(always)]
fn list(mut m: u32, base: u32, out: &mut [u32], mut len: usize) -> usize {
    while m != 0 {
        out[len] = base + m.trailing_zeros();
        m &= m - 1;
        len += 1;
    }
    len
}

/// The commas and line feeds among 16 bytes, as masks (bit `j` for byte `j`): commas or line
/// feeds, and line feeds. Two compares and two mask extractions in SIMD registers on x86-64
/// (SSE2, always there) and in wasm built with `simd128`; eight bytes at a time in a general
/// register elsewhere ([`marks_swar`], which the tests compare with it).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn marks(b: &[u8; 16]) -> (u32, u32) {
    use core::arch::x86_64::{_mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8};
    // SAFETY: the load reads the 16 bytes of `b` (no alignment needed); SSE2 is part of x86-64.
    unsafe {
        let v = _mm_loadu_si128(b.as_ptr().cast());
        let nl = _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'\n' as i8))) as u32;
        let comma = _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b',' as i8))) as u32;
        (comma | nl, nl)
    }
}

/// See the x86-64 version.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn marks(b: &[u8; 16]) -> (u32, u32) {
    use core::arch::wasm32::{u8x16_bitmask, u8x16_eq, u8x16_splat, v128_load};
    // SAFETY: the load reads the 16 bytes of `b` (no alignment needed).
    let v = unsafe { v128_load(b.as_ptr().cast()) };
    let nl = u32::from(u8x16_bitmask(u8x16_eq(v, u8x16_splat(b'\n'))));
    let comma = u32::from(u8x16_bitmask(u8x16_eq(v, u8x16_splat(b','))));
    (comma | nl, nl)
}

/// See the x86-64 version.
#[cfg(not(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
)))]
#[inline(always)]
fn marks(b: &[u8; 16]) -> (u32, u32) {
    marks_swar(b)
}

/// [`marks`] eight bytes at a time in a general register.
#[cfg_attr(
    any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    ),
    cfg(test)
)]
#[inline(always)]
fn marks_swar(b: &[u8; 16]) -> (u32, u32) {
    const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const COMMAS: u64 = 0x2c2c_2c2c_2c2c_2c2c;
    const NEWLINES: u64 = 0x0a0a_0a0a_0a0a_0a0a;
    // The high bit of each byte where `x` has a zero byte (exact: no false positives).
    let zeros = |x: u64| !(((x & LO7) + LO7) | x | LO7);
    // The high bits of the eight bytes, gathered into the low eight bits (byte j → bit j).
    let pack = |x: u64| ((x >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32;
    let half = |w: u64| {
        let nl = zeros(w ^ NEWLINES);
        (pack(zeros(w ^ COMMAS) | nl), pack(nl))
    };
    let all = u128::from_le_bytes(*b);
    let ((a, an), (b, bn)) = (half(all as u64), half((all >> 64) as u64));
    (a | b << 8, an | bn << 8)
}

/// The category the template map gives a template row without one (by `id`, then `template`).
fn mapped_category<S: Sink>(core: &S, id: &[u8], template: &[u8]) -> Option<&'static [u8]> {
    for key in [id, template] {
        if key.is_empty() {
            continue;
        }
        if let Some(super::MessageKind::Template(c)) =
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
fn fast(day: &mut fields::DayCache, f: &Fields) -> Option<Event> {
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
fn slow(f: [&[u8]; 7], h: &Header) -> Result<Event> {
    let names = &NAMES;
    let mut s: [Option<Cow<'_, str>>; 7] = Default::default();
    for (k, b) in f.iter().enumerate() {
        if b.is_empty() {
            continue;
        }
        match std::str::from_utf8(b) {
            Ok(t) => s[k] = Some(Cow::Borrowed(t)),
            Err(_) => {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    names[k],
                    format!(
                        "the {} field is not UTF-8 text (column {})",
                        names[k],
                        h.column[k].map_or(0, |c| c + 1)
                    ),
                ))
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

fn header(rec: &[u8], line: u64) -> Result<Header> {
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
    .map_err(|(col, what)| syntax(line, col, what))?;
    let mut slot_of = vec![SKIP; names.len()];
    let mut column = [None; SLOTS];
    for (i, n) in names.iter().enumerate() {
        if let Some(k) = NAMES.iter().position(|x| x == n) {
            if column[k].is_some() {
                return Err(Error::located(
                    ErrorCode::CsvError,
                    "",
                    Location::at("log", line, i as u64 + 1),
                    format!("the CSV header names the column {n:?} twice"),
                ));
            }
            column[k] = Some(i);
            slot_of[i] = k as u8;
        }
    }
    for k in [AT, USER, KIND] {
        if column[k].is_none() {
            return Err(Error::located(
                ErrorCode::CsvError,
                "",
                Location::at("log", line, 1),
                format!(
                    "the CSV header has no {:?} column: expected a first line naming the columns at, user, kind (category, referral, from, status optional), found {:?}",
                    NAMES[k],
                    names.join(",")
                ),
            ));
        }
    }
    // Columns after the last one used are never split.
    let used = column.iter().flatten().max().copied().unwrap_or(0);
    slot_of.truncate(used + 1);
    Ok(Header { slot_of, column })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields_of(rec: &str) -> Vec<String> {
        let b = rec.as_bytes();
        let mut out = Vec::new();
        split(b, 100, |_, s| {
            let raw = &b[s.start as usize..s.end as usize];
            let mut v = Vec::new();
            if s.escaped {
                unescape(raw, &mut v);
            } else {
                v.extend_from_slice(raw);
            }
            out.push(String::from_utf8(v).unwrap());
        })
        .unwrap();
        out
    }

    proptest::proptest! {
        #[test]
        fn plain_split_agrees(rec in "[a-c, ]{0,40}", cols in 1usize..12) {
            let b = rec.as_bytes();
            let slot_of: Vec<u8> = (0..cols).map(|c| if c < SLOTS { c as u8 } else { SKIP }).collect();
            let mut fast: Fields = [b""; SLOTS + 1];
            split_plain(b, &slot_of, &mut fast);
            let mut slow: [Vec<u8>; SLOTS] = Default::default();
            split(b, cols - 1, |c, s| {
                if c < SLOTS && c < cols {
                    slow[c] = trim(&b[s.start as usize..s.end as usize]).to_vec();
                }
            })
            .unwrap();
            for k in 0..SLOTS {
                proptest::prop_assert_eq!(fast[k], &slow[k][..], "{:?} column {}", rec, k);
            }
        }
    }

    /// Everything a reader hands over, for comparing two readings.
    #[derive(Default, Debug, PartialEq)]
    struct Recorded {
        records: u64,
        lines: u64,
        calls: Vec<String>,
    }

    impl Sink for Recorded {
        fn record(&mut self) {
            self.records += 1;
        }
        fn event(&mut self, e: Event, line: u64) -> Result<()> {
            self.calls.push(format!("{line}: {e:?}"));
            Ok(())
        }
        fn bad_line(&mut self, line: u64, e: Error) -> Result<()> {
            self.calls.push(format!(
                "{line}: {} {} {}",
                e.code.as_str(),
                e.path,
                e.message
            ));
            Ok(())
        }
        fn status(&mut self, _: crate::logs::pricer::StatusItem<'_>, _: u64) -> Result<()> {
            unreachable!("no statuses in a CSV log")
        }
        fn template(&self, key: &str) -> Option<crate::logs::MessageKind> {
            (key == "otp").then_some(crate::logs::MessageKind::Template(
                TemplateCategory::Authentication,
            ))
        }
        fn set_format(&mut self, _: crate::logs::LogFormat) {}
        fn set_lines(&mut self, lines: u64) {
            self.lines = lines;
        }
        fn add_bytes(&mut self, _: u64) {}
        fn other_change(&mut self) {}
        fn system_message(&mut self) {}
        fn bad_status(&mut self) {}
        fn other_status(&mut self) {}
    }

    fn read_in_chunks(log: &[u8], size: usize) -> Recorded {
        let mut r = CsvReader::new();
        let mut out = Recorded::default();
        for c in log.chunks(size.max(1)) {
            r.feed(c, &mut out).unwrap();
        }
        r.finish(&mut out).unwrap();
        out
    }

    const FIELDS: [&[&str]; 7] = [
        &[
            "2026-10-05T10:00:00Z",
            " 2026-10-05T10:00:01.5+05:30\t",
            "1791198000000",
            "2026-13-05T10:00:00Z",
            "",
        ],
        &[
            "+919812345678",
            "\t+5511987654321 ",
            "+0123",
            "919812345678",
            "",
        ],
        &[
            "inbound",
            "template",
            "message",
            "reaction",
            " template",
            "bogus",
            "",
        ],
        &["", "marketing", "utility", "authentication", "service"],
        &["", "ctwa", "x"],
        &["", "+15550001111", "1555"],
        &["", "failed", "sent", "read", "lost"],
    ];

    proptest::proptest! {
        /// The one-pass splitter (a whole chunk) reads what the record-by-record reader (one byte
        /// at a time: every record continues from an earlier chunk) reads, for random headers
        /// (columns reordered, extra, missing, more than the one-pass splitter takes), spaces,
        /// tabs, `\r\n` ends and blank lines.
        #[test]
        fn one_pass_split_agrees(
            order in proptest::strategy::Strategy::prop_shuffle(proptest::sample::subsequence((0..7usize).collect::<Vec<_>>(), 3..=7)),
            extra in proptest::collection::vec(0..3usize, 0..4),
            wide in proptest::bool::ANY,
            rows in proptest::collection::vec((proptest::collection::vec(0..7usize, 7), 0..6usize, proptest::bool::ANY, 0..3usize), 0..30),
            size in 1usize..200,
        ) {
            use proptest::prelude::*;
            // Always at, user, kind (else the header is an error, the same either way).
            let mut cols: Vec<usize> = order;
            for k in [0, 1, 2] {
                if !cols.contains(&k) {
                    cols.push(k);
                }
            }
            let mut head: Vec<String> = cols.iter().map(|&c| NAMES[c].to_string()).collect();
            for (i, &e) in extra.iter().enumerate() {
                head.insert(e.min(head.len()), format!("extra{i}"));
            }
            if wide {
                for i in 0..70 {
                    head.insert(0, format!("w{i}"));
                }
            }
            let mut log = head.join(",") + "\n";
            for (pick, missing, crlf, blank) in rows {
                let mut cells: Vec<String> = Vec::new();
                for h in &head {
                    let cell = match NAMES.iter().position(|n| n == h) {
                        Some(k) if k < 7 => FIELDS[k][pick[k] % FIELDS[k].len()].to_string(),
                        _ => "note x".to_string(),
                    };
                    cells.push(cell);
                }
                cells.truncate(cells.len().saturating_sub(missing));
                log.push_str(&cells.join(","));
                log.push_str(if crlf { "\r\n" } else { "\n" });
                log.push_str(["", "\n", " \t\r\n"][blank]);
            }
            let whole = read_in_chunks(log.as_bytes(), usize::MAX);
            let bytewise = read_in_chunks(log.as_bytes(), 1);
            prop_assert_eq!(&whole, &bytewise, "{}", log);
            let sized = read_in_chunks(log.as_bytes(), size);
            prop_assert_eq!(&whole, &sized, "{}", log);
        }
    }

    /// A log of many windows of the one-pass splitter (records and their commas cut by every
    /// window's end): read whole, in chunks of odd sizes and one byte at a time, it gives the same
    /// calls; rows with missing and extra columns, `\r\n`, blank lines and bad fields included.
    #[test]
    fn windows_agree_across_their_ends() {
        let mut x = 2_463_534_242u32;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as usize
        };
        let mut log = String::from("at,user,kind,category,referral,from,status,note\n");
        while log.len() < 5 * WINDOW {
            let mut cells: Vec<String> = FIELDS
                .iter()
                .map(|f| f[next() % f.len()].trim().to_string())
                .collect();
            cells.push("x".repeat(next() % 40));
            // Mostly whole rows; some short ones, some with extra columns.
            match next() % 10 {
                0 => cells.truncate(next() % 8),
                1 => cells.extend(["a".to_string(), "b".to_string()]),
                _ => {}
            }
            log.push_str(&cells.join(","));
            log.push_str(["\n", "\r\n", "\n\n"][next() % 3]);
        }
        let whole = read_in_chunks(log.as_bytes(), usize::MAX);
        assert!(whole.calls.len() > 1000, "{}", whole.calls.len());
        assert_eq!(whole, read_in_chunks(log.as_bytes(), 1));
        for size in [WINDOW - 1, WINDOW + 17, 3 * WINDOW / 2] {
            assert_eq!(
                whole,
                read_in_chunks(log.as_bytes(), size),
                "chunks of {size}"
            );
        }
    }

    proptest::proptest! {
        /// The block splitter's masks, on this target and in a general register, are those of a
        /// byte-by-byte scan (bytes near ',' and '\n', and any others).
        #[test]
        fn block_marks_agree(bytes in proptest::collection::vec(proptest::prop_oneof![
            proptest::strategy::Just(b','), proptest::strategy::Just(b'\n'), 0x08u8..0x0d, 0x2au8..0x2f, proptest::num::u8::ANY,
        ], 16)) {
            let block: [u8; 16] = bytes.as_slice().try_into().unwrap();
            let mut want = (0u32, 0u32);
            for (j, &c) in block.iter().enumerate() {
                if c == b',' || c == b'\n' {
                    want.0 |= 1 << j;
                }
                if c == b'\n' {
                    want.1 |= 1 << j;
                }
            }
            proptest::prop_assert_eq!(marks(&block), want);
            proptest::prop_assert_eq!(marks_swar(&block), want);
        }
    }

    #[test]
    fn splits_rfc4180() {
        assert_eq!(fields_of("a,b,,c"), ["a", "b", "", "c"]);
        assert_eq!(
            fields_of("\"a,b\",\"say \"\"hi\"\"\",x"),
            ["a,b", "say \"hi\"", "x"]
        );
        assert_eq!(fields_of("a,"), ["a", ""]);
        assert_eq!(fields_of("\"multi\nline\""), ["multi\nline"]);
        assert!(split(b"\"open", 10, |_, _| {}).is_err());
        assert!(split(b"\"a\"b", 10, |_, _| {}).is_err());
    }
}
