//! Every error reason of the catalogue (src/reasons.rs, docs/errors.md) is produced by a test:
//! its id appears in a test of `tests/` (Rust, JS or end-to-end) or in a unit test of `src/`,
//! where the tests assert it with `reasons::check`. A reason that no test produces fails here.

use std::path::Path;
use waprice::reasons;

fn files(dir: &Path, exts: &[&str], out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, exts, out);
        } else if p
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| exts.contains(&x))
        {
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            out.push((p.display().to_string(), text));
        }
    }
}

/// Reasons no input can produce, each with why: a guard kept so that the impossible still gives
/// a coded error rather than a panic.
const UNREACHABLE: &[(&str, &str)] = &[
    (
        "empty_tiers",
        "the data's loader refuses a volume-tier table without bands before any pricing",
    ),
    (
        "unconvertible_result",
        "the binding's results are plain data that always convert to a JS value",
    ),
];

#[test]
fn every_reason_is_produced_by_a_test() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut tests = Vec::new();
    files(&root.join("tests"), &["rs", "mjs"], &mut tests);
    files(&root.join("cli/tests"), &["rs"], &mut tests);
    let mut sources = Vec::new();
    files(&root.join("src"), &["rs"], &mut sources);
    files(&root.join("cli/src"), &["rs"], &mut sources);
    let mut text: String = tests
        .iter()
        .filter(|(p, _)| !p.ends_with("reasons.rs"))
        .map(|(_, t)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    // The unit tests of src/ and cli/src/: a module of tests in a file of its own (`mod tests;`),
    // or what follows `#[cfg(test)]` in a file.
    for (path, t) in &sources {
        if path.ends_with("tests.rs") || path.contains("/tests/") {
            text.push_str(t);
        } else if let Some(i) = t.find("#[cfg(test)]") {
            text.push_str(&t[i..]);
        }
    }
    let named = |id: &str| text.contains(&format!("\"{id}\"")) || text.contains(&format!("'{id}'"));
    let untested: Vec<String> = reasons::all()
        .filter(|r| !r.reason.is_empty() && !UNREACHABLE.iter().any(|(id, _)| *id == r.reason))
        // A rate card's cell error is `card_…` from a CSV file and `sheet_…` from a workbook:
        // tests/reasons_data.rs produces each `sheet_` twin from its `card_` case.
        .filter(|r| {
            !named(r.reason)
                && !r
                    .reason
                    .strip_prefix("sheet_")
                    .is_some_and(|x| named(&format!("card_{x}")))
        })
        .map(|r| format!("{}.{}", r.code, r.reason))
        .collect();
    assert!(
        untested.is_empty(),
        "reasons no test produces: {untested:?}"
    );
    assert!(reasons::all().count() > 200, "the catalogue is read");
    for (id, _) in UNREACHABLE {
        assert!(
            reasons::all().any(|r| r.reason == *id),
            "{id} is still a reason"
        );
    }
}
