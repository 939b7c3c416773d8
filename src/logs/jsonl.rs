//! JSON Lines of simulator events: each line (or each element of one JSON array) is an event with
//! the fields of `simulate`'s `events[i]` (`at`, `user`, `kind`, `category`, `referral`, `from`,
//! `status`), read exactly as `simulate` reads it (an unknown field is an error).

use super::sink::Sink;
use crate::error::{Error, Result};
use crate::input::RawEvent;

/// serde_json's message without its " at line 1 column N" tail (the log line is in the path).
pub(crate) fn json_message(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    match (msg.find(" at line "), e.line()) {
        (Some(i), 1) => format!("{} (column {})", &msg[..i], e.column()),
        (Some(i), l) => format!(
            "{} (line {l} of the record, column {})",
            &msg[..i],
            e.column()
        ),
        (None, _) => msg,
    }
}

/// Reads one JSON value as `T`. The error is the one of every JSON input (`wrong_type`,
/// `unknown_field`, `missing_field`, `syntax`…: docs/errors.md, with the path in the record and the
/// values a front end writes in its language), with a message naming `what` (`JSON event`).
pub(crate) fn parse<'de, T: serde::Deserialize<'de>>(rec: &'de [u8], what: &str) -> Result<T> {
    serde_json::from_slice::<T>(rec).map_err(|e| Error {
        message: format!("invalid {what}: {}", json_message(&e)),
        ..crate::input::shape_error(rec, "", &e)
    })
}

pub(crate) fn record<S: Sink>(rec: &[u8], line: u64, core: &mut S) -> Result<()> {
    let raw: RawEvent<'_> = match parse(rec, "JSON event") {
        Ok(r) => r,
        Err(e) => return core.bad_line(line, e),
    };
    match raw.resolve(0) {
        Ok(e) => core.event(e, line),
        Err(e) => {
            let path = e
                .path
                .strip_prefix("events[0]")
                .map(|p| p.trim_start_matches('.').to_string())
                .unwrap_or(e.path.clone());
            core.bad_line(line, Error { path, ..e })
        }
    }
}
