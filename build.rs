//! Prepares the embedded data: the CSV files of `data/` are copied into the build as they are for
//! native builds; for WebAssembly the free-text `note` column is emptied to keep the download
//! small (every figure keeps its confidence and source ids; the notes stay in `data/` and in
//! `data/PROVENANCE.md`).

use std::{env, fs, path::Path};

const FILES: [&str; 5] = [
    "markets.csv",
    "rates_per_message.csv",
    "rates_conversation_era.csv",
    "volume_tiers.csv",
    "countries.csv",
];

fn main() {
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let wasm = env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    for f in FILES {
        let src = Path::new("data").join(f);
        println!("cargo:rerun-if-changed={}", src.display());
        let text = fs::read_to_string(&src)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", src.display()));
        let text = if wasm { without_notes(&text) } else { text };
        fs::write(Path::new(&out).join(f), text)
            .unwrap_or_else(|e| panic!("cannot write {f}: {e}"));
    }
}

/// Empties the `note` column, keeping every other field byte for byte.
fn without_notes(text: &str) -> String {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut note = None;
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.expect("data files are valid CSV");
        if i == 0 {
            note = rec.iter().position(|h| h == "note");
            writer.write_record(&rec).expect("in-memory write");
            continue;
        }
        let fields: Vec<&str> = rec
            .iter()
            .enumerate()
            .map(|(j, v)| if Some(j) == note { "" } else { v })
            .collect();
        writer.write_record(&fields).expect("in-memory write");
    }
    String::from_utf8(writer.into_inner().expect("in-memory flush")).expect("utf-8 in, utf-8 out")
}
