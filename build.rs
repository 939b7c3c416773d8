//! Prepares the embedded data. Native builds embed the CSV files of `data/` as they are. For
//! WebAssembly the free-text `note` column is emptied to keep the download small (every figure
//! keeps its confidence and source ids; the notes stay in `data/` and in `data/PROVENANCE.md`), as
//! is the English `country` name of `countries.csv`, which the engine never reads (it takes a
//! country's ISO code and example number; the page names countries with `Intl`), and
//! each file is embedded in a denser form, column after column, which `src/data.rs`
//! ([`EmbeddedFile::csv`]) turns back into the same CSV records when the engine starts. Laid out
//! by column, the many repeated dates, currencies, markets and source ids compress far better
//! than row by row.
//!
//! The column form: the number of rows, the header fields, then each column, these parts separated
//! by `\x1e` and the fields within a part by `\x1f`. A column of at most 94 distinct values (dates,
//! currencies, markets, categories, source ids...) is written `\x1d`, its distinct values, `\x1d`,
//! then one character per row, `!` for the first value, `"` for the second and so on up to `~`.
//! Any other column is written value by value, a non-empty value that equals the one above it as
//! `\x01`.

use std::{env, fs, path::Path};

const FILES: [&str; 5] = [
    "markets.csv",
    "rates_per_message.csv",
    "rates_conversation_era.csv",
    "volume_tiers.csv",
    "countries.csv",
];

/// Separates the parts of the column form.
const PART: char = '\x1e';
/// Separates the fields within a part.
const FIELD: char = '\x1f';
/// Stands for the value above in the same column.
const SAME: &str = "\x01";
/// Opens a column written as its distinct values and one character per row.
const DICTIONARY: char = '\x1d';
/// The character that stands for a column's first distinct value; the next ones follow it.
const FIRST: u8 = b'!';
/// The most distinct values a column written that way may have (`!` to `~`).
const MAX_DISTINCT: usize = 94;

fn main() {
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let wasm = env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    for f in FILES {
        let src = Path::new("data").join(f);
        println!("cargo:rerun-if-changed={}", src.display());
        let text = fs::read_to_string(&src)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", src.display()));
        let text = if wasm {
            let mut records = without_notes(&records(&text));
            if f == "countries.csv" {
                empty_column(&mut records, "country");
            }
            columns(&records)
        } else {
            text
        };
        fs::write(Path::new(&out).join(f), text)
            .unwrap_or_else(|e| panic!("cannot write {f}: {e}"));
    }
}

/// The records of a CSV text, header first.
fn records(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|rec| {
            let rec = rec.expect("data files are valid CSV");
            rec.iter().map(str::to_string).collect()
        })
        .collect()
}

/// Empties the `note` column, keeping every other field byte for byte.
fn without_notes(records: &[Vec<String>]) -> Vec<Vec<String>> {
    let note = records
        .first()
        .and_then(|h| h.iter().position(|c| c == "note"));
    records
        .iter()
        .enumerate()
        .map(|(i, rec)| {
            rec.iter()
                .enumerate()
                .map(|(j, v)| {
                    if i > 0 && Some(j) == note {
                        String::new()
                    } else {
                        v.clone()
                    }
                })
                .collect()
        })
        .collect()
}

/// Empties the column `name` (its header stays, so that readers find it).
fn empty_column(records: &mut [Vec<String>], name: &str) {
    let Some(j) = records
        .first()
        .and_then(|h| h.iter().position(|c| c == name))
    else {
        panic!("no column {name}");
    };
    for rec in records.iter_mut().skip(1) {
        rec[j].clear();
    }
}

/// The column form of the records (see the module comment).
fn columns(records: &[Vec<String>]) -> String {
    let (header, rows) = records.split_first().expect("data files have a header");
    for (i, rec) in records.iter().enumerate() {
        assert_eq!(rec.len(), header.len(), "record {i} has the header's width");
        for v in rec {
            assert!(
                !v.contains([PART, FIELD, DICTIONARY]) && v != SAME,
                "record {i}: a value holds a separator of the column form: {v:?}"
            );
        }
    }
    let mut parts = vec![rows.len().to_string(), header.join(&FIELD.to_string())];
    for j in 0..header.len() {
        let mut distinct: Vec<&str> = Vec::new();
        for rec in rows {
            if !distinct.contains(&rec[j].as_str()) {
                distinct.push(&rec[j]);
            }
        }
        if distinct.len() <= MAX_DISTINCT {
            let picks: String = rows
                .iter()
                .map(|rec| {
                    let k = distinct.iter().position(|d| *d == rec[j]).expect("listed");
                    char::from(FIRST + u8::try_from(k).expect("at most 94"))
                })
                .collect();
            parts.push(format!(
                "{DICTIONARY}{}{DICTIONARY}{picks}",
                distinct.join(&FIELD.to_string())
            ));
            continue;
        }
        let mut above: Option<&str> = None;
        let column: Vec<&str> = rows
            .iter()
            .map(|rec| {
                let v = rec[j].as_str();
                let shown = if !v.is_empty() && above == Some(v) {
                    SAME
                } else {
                    v
                };
                above = Some(v);
                shown
            })
            .collect();
        parts.push(column.join(&FIELD.to_string()));
    }
    parts.join(&PART.to_string())
}
