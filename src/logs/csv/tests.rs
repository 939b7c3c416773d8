//! The splitters against each other and RFC 4180, and records read across any chunking.

use super::record::*;
use super::split::*;
use super::*;
use crate::model::TemplateCategory;

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
    fn status(&mut self, _: crate::logs::sink::StatusItem<'_>, _: u64) -> Result<()> {
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
    assert_eq!(split(b"\"open", 10, |_, _| {}), Err((1, UNCLOSED)));
    assert_eq!(split(b"x,\"a\"b", 10, |_, _| {}), Err((2, AFTER_QUOTE)));
    // A record's reader balances its quotes: an unclosed one is seen at the end of the log, or
    // by the check of a record that spans lines; its error, as that check makes it.
    let e = syntax(4, 1, UNCLOSED.0, UNCLOSED.1);
    assert_eq!(e.reason(), "log_csv_quote_unclosed");
    assert_eq!(crate::reasons::check(&e), Ok(()));
    assert_eq!(
        e.message,
        "malformed CSV at line 4, column 1: a quoted field is not closed"
    );
}
