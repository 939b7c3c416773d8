//! From chunks of bytes to records: format detection, JSON lines and JSON arrays split across
//! chunk boundaries anywhere (the CSV reader is in `csv.rs`).

use super::csv::CsvReader;
use super::sink::Sink;
use super::{jsonl, too_long, webhook, LogFormat, MAX_RECORD_BYTES};
use crate::error::{Error, ErrorCode, Result};

/// Bytes looked at to detect the format when none is given.
const DETECT_BYTES: usize = 64 * 1024;

pub(crate) struct Reader {
    state: State,
}

enum State {
    Detect(Vec<u8>),
    Csv(Box<CsvReader>),
    Json(JsonReader),
}

fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The format of a log from its first bytes, or `None` to wait for more.
fn detect(head: &[u8], last: bool) -> Option<LogFormat> {
    let t = strip_bom(head);
    let Some(first) = t.iter().position(|b| !b.is_ascii_whitespace()) else {
        return last.then_some(LogFormat::Csv);
    };
    if t[first] != b'{' && t[first] != b'[' {
        return Some(LogFormat::Csv);
    }
    for marker in [
        &b"\"entry\""[..],
        b"\"statuses\"",
        b"\"messaging_product\"",
        b"\"changes\"",
    ] {
        if contains(t, marker) {
            return Some(LogFormat::Webhook);
        }
    }
    if contains(t, b"\"kind\"") || last || t.len() >= DETECT_BYTES {
        return Some(LogFormat::Jsonl);
    }
    None
}

impl Reader {
    pub(crate) fn new(format: Option<LogFormat>) -> Reader {
        Reader {
            state: match format {
                None => State::Detect(Vec::new()),
                Some(f) => Self::start(f),
            },
        }
    }

    fn start(f: LogFormat) -> State {
        match f {
            LogFormat::Csv => State::Csv(Box::new(CsvReader::new())),
            f => State::Json(JsonReader::new(f)),
        }
    }

    pub(crate) fn format(&self) -> Option<LogFormat> {
        match &self.state {
            State::Detect(_) => None,
            State::Csv(_) => Some(LogFormat::Csv),
            State::Json(j) => Some(j.format),
        }
    }

    pub(crate) fn feed<S: Sink>(&mut self, chunk: &[u8], core: &mut S) -> Result<()> {
        core.add_bytes(chunk.len() as u64);
        if let Some(f) = self.format() {
            core.set_format(f);
        }
        match &mut self.state {
            State::Csv(r) => r.feed(chunk, core),
            State::Json(r) => r.feed(chunk, core),
            State::Detect(head) => {
                head.extend_from_slice(chunk);
                match detect(head, false) {
                    None => Ok(()),
                    Some(f) => self.begin(f, core),
                }
            }
        }
    }

    fn begin<S: Sink>(&mut self, f: LogFormat, core: &mut S) -> Result<()> {
        let State::Detect(head) = std::mem::replace(&mut self.state, Self::start(f)) else {
            return Ok(());
        };
        core.set_format(f);
        match &mut self.state {
            State::Csv(r) => r.feed(&head, core),
            State::Json(r) => r.feed(&head, core),
            State::Detect(_) => Ok(()),
        }
    }

    pub(crate) fn finish<S: Sink>(&mut self, core: &mut S) -> Result<()> {
        if let State::Detect(head) = &self.state {
            let f = detect(head, true).unwrap_or(LogFormat::Csv);
            self.begin(f, core)?;
        }
        match &mut self.state {
            State::Csv(r) => r.finish(core),
            State::Json(r) => r.finish(core),
            State::Detect(_) => Ok(()),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Lines,
    Array,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Inside the array, before a value or the closing `]`.
    First,
    /// After a comma: a value must come.
    Next,
    /// Inside a value.
    Value,
    /// After a value: `,` or `]`.
    After,
    /// After the closing `]`.
    Done,
}

/// JSON Lines (one value per line) or one JSON array of values, split into values.
pub(crate) struct JsonReader {
    format: LogFormat,
    mode: Option<Mode>,
    carry: Vec<u8>,
    line: u64,
    phase: Phase,
    depth: u32,
    in_str: bool,
    esc: bool,
    scalar: bool,
    start_line: u64,
    any: bool,
    last_nl: bool,
    /// Webhooks: the participants seen in each group (group windows, SPEC §15).
    groups: std::cell::RefCell<crate::pricing::Groups>,
}

impl JsonReader {
    fn new(format: LogFormat) -> JsonReader {
        JsonReader {
            format,
            mode: None,
            carry: Vec::new(),
            line: 1,
            phase: Phase::First,
            depth: 0,
            in_str: false,
            esc: false,
            scalar: false,
            start_line: 1,
            any: false,
            last_nl: false,
            groups: std::cell::RefCell::default(),
        }
    }

    fn record<S: Sink>(&self, rec: &[u8], line: u64, core: &mut S) -> Result<()> {
        core.record();
        match self.format {
            LogFormat::Webhook => webhook::record(rec, line, core, &mut self.groups.borrow_mut()),
            _ => jsonl::record(rec, line, core),
        }
    }

    fn feed<S: Sink>(&mut self, mut chunk: &[u8], core: &mut S) -> Result<()> {
        if let Some(&b) = chunk.last() {
            self.any = true;
            self.last_nl = b == b'\n';
        }
        if self.mode.is_none() {
            // Leading whitespace (and a byte-order mark) decide nothing.
            if self.carry.is_empty() && self.line == 1 {
                chunk = strip_bom(chunk);
            }
            let Some(i) = chunk.iter().position(|b| !b.is_ascii_whitespace()) else {
                self.line += memchr::memchr_iter(b'\n', chunk).count() as u64;
                core.set_lines(self.line - 1);
                return Ok(());
            };
            self.line += memchr::memchr_iter(b'\n', &chunk[..i]).count() as u64;
            chunk = &chunk[i..];
            if chunk[0] == b'[' {
                self.mode = Some(Mode::Array);
                chunk = &chunk[1..];
            } else {
                self.mode = Some(Mode::Lines);
            }
        }
        let r = match self.mode {
            Some(Mode::Array) => self.feed_array(chunk, core),
            _ => self.feed_lines(chunk, core),
        };
        core.set_lines(self.line - 1);
        r
    }

    fn line_record<S: Sink>(&self, rec: &[u8], line: u64, core: &mut S) -> Result<()> {
        let rec = rec.strip_suffix(b"\r").unwrap_or(rec);
        if rec.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        self.record(rec, line, core)
    }

    fn feed_lines<S: Sink>(&mut self, chunk: &[u8], core: &mut S) -> Result<()> {
        let mut rest = chunk;
        if !self.carry.is_empty() {
            match memchr::memchr(b'\n', rest) {
                None => {
                    self.carry.extend_from_slice(rest);
                    if self.carry.len() > MAX_RECORD_BYTES {
                        return Err(too_long(self.line));
                    }
                    return Ok(());
                }
                Some(i) => {
                    let mut rec = std::mem::take(&mut self.carry);
                    rec.extend_from_slice(&rest[..i]);
                    let line = self.line;
                    self.line += 1;
                    self.line_record(&rec, line, core)?;
                    rec.clear();
                    self.carry = rec;
                    rest = &rest[i + 1..];
                }
            }
        }
        let mut start = 0;
        for i in memchr::memchr_iter(b'\n', rest) {
            let line = self.line;
            self.line += 1;
            self.line_record(&rest[start..i], line, core)?;
            start = i + 1;
        }
        self.carry.extend_from_slice(&rest[start..]);
        if self.carry.len() > MAX_RECORD_BYTES {
            return Err(too_long(self.line));
        }
        Ok(())
    }

    fn syntax(&self, reason: &'static str, what: &str) -> Error {
        Error::coded_at(
            ErrorCode::InvalidInput,
            reason,
            "",
            super::log_line(self.line),
            format!("invalid JSON array at line {}: {what}", self.line),
        )
        .with("line", crate::messages::Value::Count(self.line))
    }

    fn feed_array<S: Sink>(&mut self, chunk: &[u8], core: &mut S) -> Result<()> {
        let mut vstart = (self.phase == Phase::Value).then_some(0usize);
        let mut i = 0;
        while i < chunk.len() {
            let c = chunk[i];
            match self.phase {
                Phase::First | Phase::Next | Phase::After | Phase::Done
                    if c.is_ascii_whitespace() => {}
                Phase::First | Phase::After if c == b']' => self.phase = Phase::Done,
                Phase::After if c == b',' => self.phase = Phase::Next,
                Phase::After => {
                    return Err(
                        self.syntax("log_json_array_comma", "expected `,` or `]` after a value")
                    )
                }
                Phase::Done => {
                    return Err(
                        self.syntax("log_json_array_trailing", "content after the closing `]`")
                    )
                }
                Phase::First | Phase::Next => {
                    if c == b',' || c == b']' {
                        return Err(self.syntax("log_json_array_value", "expected a value"));
                    }
                    self.phase = Phase::Value;
                    self.start_line = self.line;
                    vstart = Some(i);
                    self.depth = 0;
                    self.in_str = false;
                    self.esc = false;
                    self.scalar = false;
                    match c {
                        b'{' | b'[' => self.depth = 1,
                        b'"' => self.in_str = true,
                        _ => self.scalar = true,
                    }
                }
                Phase::Value => {
                    let mut end = None;
                    if self.in_str {
                        if self.esc {
                            self.esc = false;
                        } else if c == b'\\' {
                            self.esc = true;
                        } else if c == b'"' {
                            self.in_str = false;
                            if self.depth == 0 {
                                end = Some(i + 1);
                            }
                        }
                    } else if self.scalar {
                        if c == b',' || c == b']' || c.is_ascii_whitespace() {
                            end = Some(i);
                        }
                    } else {
                        match c {
                            b'"' => self.in_str = true,
                            b'{' | b'[' => self.depth += 1,
                            b'}' | b']' => {
                                self.depth -= 1;
                                if self.depth == 0 {
                                    end = Some(i + 1);
                                }
                            }
                            _ => {}
                        }
                    }
                    if let Some(e) = end {
                        let s = vstart.take().unwrap_or(0);
                        let line = self.start_line;
                        if self.carry.is_empty() {
                            self.record(&chunk[s..e], line, core)?;
                        } else {
                            let mut rec = std::mem::take(&mut self.carry);
                            rec.extend_from_slice(&chunk[s..e]);
                            self.record(&rec, line, core)?;
                            rec.clear();
                            self.carry = rec;
                        }
                        self.phase = Phase::After;
                        if e == i {
                            // A scalar ended at this byte, which belongs to what follows.
                            continue;
                        }
                    }
                }
            }
            if c == b'\n' {
                self.line += 1;
            }
            i += 1;
        }
        if let Some(s) = vstart {
            self.carry.extend_from_slice(&chunk[s..]);
            if self.carry.len() > MAX_RECORD_BYTES {
                return Err(too_long(self.start_line));
            }
        }
        Ok(())
    }

    fn finish<S: Sink>(&mut self, core: &mut S) -> Result<()> {
        if self.any {
            core.set_lines(if self.last_nl {
                self.line - 1
            } else {
                self.line
            });
        }
        match self.mode {
            None => Ok(()),
            Some(Mode::Lines) => {
                let rec = std::mem::take(&mut self.carry);
                if !rec.is_empty() {
                    self.line_record(&rec, self.line, core)?;
                }
                Ok(())
            }
            Some(Mode::Array) => {
                if self.phase == Phase::Value && self.scalar {
                    let rec = std::mem::take(&mut self.carry);
                    self.record(&rec, self.start_line, core)?;
                    self.phase = Phase::After;
                }
                if !self.carry.is_empty() || !matches!(self.phase, Phase::Done) {
                    return Err(self.syntax("log_json_array_unclosed", "the array is not closed"));
                }
                Ok(())
            }
        }
    }
}
