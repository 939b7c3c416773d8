//! Input files of the command line: JSON or YAML, from a file or standard input (`-`).
//!
//! YAML is read into a JSON value and handed to the engine as JSON text, so that a YAML input
//! and the same input in JSON give the same result and the same errors (code, path, message).

use serde::de::DeserializeOwned;
use std::io::Read;
use waprice::messages::Value;
use waprice::{Error, ErrorCode};

/// An error about a file a command-line argument names: `reason` (`cli_file_unreadable`,
/// `cli_file_unwritable`, docs/errors.md), the argument (`path`), the file as `value`, and the
/// system's explanation `e` as `detail`; the message is `what: e`.
pub fn file_error(
    reason: &'static str,
    path: &str,
    file: &str,
    what: &str,
    e: &dyn std::fmt::Display,
) -> Error {
    let detail = e.to_string();
    Error::coded(
        ErrorCode::InvalidOption,
        reason,
        path,
        format!("{what}: {detail}"),
    )
    .value(file)
    .with("detail", Value::Text(detail))
}

/// An input that is not valid YAML (`detail`: the reader's explanation).
fn yaml_error(path: &str, detail: String) -> Error {
    Error::coded(
        ErrorCode::InvalidInput,
        "cli_yaml",
        path,
        format!("invalid YAML: {detail}"),
    )
    .with("detail", Value::Text(detail))
}

/// The text of a file, or of standard input for `-`; `path` names the argument in errors.
pub fn read_text(name: &str, path: &str) -> Result<String, Error> {
    let mut bytes = Vec::new();
    let read = if name == "-" {
        std::io::stdin().lock().read_to_end(&mut bytes)
    } else {
        std::fs::File::open(name).and_then(|mut f| f.read_to_end(&mut bytes))
    };
    let shown = if name == "-" { "standard input" } else { name };
    read.map_err(|e| {
        file_error(
            "cli_file_unreadable",
            path,
            shown,
            &format!("cannot read {shown}"),
            &e,
        )
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let byte = e.utf8_error().valid_up_to();
        Error::coded(
            ErrorCode::InvalidOption,
            "cli_file_not_utf8",
            path,
            format!("cannot read {shown}: the text is not UTF-8 (byte {byte} is invalid)"),
        )
        .value(shown)
        .with("byte", Value::Count(byte as u64))
    })
}

/// Whether `text` (from a file named `name`) is YAML rather than JSON: a `.yaml`/`.yml` file, or
/// any other text whose first character does not open a JSON value.
fn is_yaml(name: &str, text: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        return true;
    }
    if lower.ends_with(".json") {
        return false;
    }
    !matches!(text.trim_start().chars().next(), Some('{' | '[') | None)
}

/// JSON text of a JSON or YAML input; `path` names the argument in errors about the YAML.
pub fn json_text(name: &str, text: String, path: &str) -> Result<String, Error> {
    if !is_yaml(name, &text) {
        return Ok(text);
    }
    // YAML 1.2 booleans only (`true`/`false`): `NO` is Norway's country code, not false.
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    let value: serde_json::Value = serde_saphyr::from_str_with_options(&text, options)
        .map_err(|e| yaml_error(path, first_line(&e.to_string())))?;
    serde_json::to_string(&value).map_err(|e| yaml_error(path, e.to_string()))
}

fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or_default().trim();
    let mut out = line.to_string();
    if let Some(c) = out.get(..1) {
        let lower = c.to_ascii_lowercase();
        out.replace_range(..1, &lower);
    }
    out
}

/// Reads an input file (JSON or YAML, or `-`) as `T`, with the engine's error paths under `root`.
pub fn read<T: DeserializeOwned>(name: &str, arg: &str, root: &str) -> Result<T, Error> {
    let text = json_text(name, read_text(name, arg)?, arg)?;
    waprice::input::from_json(text.as_bytes(), root)
}

/// A flag's value that is either inline JSON (it starts with `{`) or a JSON/YAML file.
pub fn read_inline_or_file<T: DeserializeOwned>(
    value: &str,
    arg: &str,
    root: &str,
) -> Result<T, Error> {
    if value.trim_start().starts_with('{') {
        waprice::input::from_json(value.as_bytes(), root)
    } else {
        read(value, arg, root)
    }
}
