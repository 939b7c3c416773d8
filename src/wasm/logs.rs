//! Binding of log pricing (`docs/logs.md`): translation only, the logic is in `crate::logs`.
//!
//! ```js
//! const pricer = engine.logPricer({ format: 'csv', currency: 'USD', whatIf: { date: '2026-10-01' } });
//! for (let at = 0; at < file.size; at += CHUNK) {
//!   pricer.push(new Uint8Array(await file.slice(at, at + CHUNK).arrayBuffer()));
//!   show(pricer.progress());
//! }
//! const report = pricer.finish();
//! ```
//!
//! Or read in a worker and priced in the page (two instances of the module, see `docs/logs.md`):
//! the worker's `engine.logReader(options)` turns each chunk into a tape (`push(chunk)` and
//! `finish()` return `Uint8Array`s), which the page's pricer prices with `replay(tape)`.

use super::{optional, to_js, to_js_error, Engine};
use crate::error::{Error, ErrorCode};
use crate::logs::{LogOptions, LogReader as Reader, OwnedLogPricer, RawLogOptions};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const LOG_TYPES: &'static str = r#"
/** Options of `engine.logPricer` (see docs/logs.md). */
export interface LogOptions {
  format?: 'csv' | 'jsonl' | 'webhook' | 'auto';
  currency?: string;
  timezone?: string;
  business?: { country?: string; authInternational?: Record<string, string> };
  options?: Record<string, unknown>;
  whatIf?: { date?: string; shift?: 'months' | 'none'; currency?: string; options?: Record<string, unknown> };
  templates?: Record<string, string>;
  onError?: 'skip' | 'fail';
  maxErrors?: number;
  maxDisagreements?: number;
  reorderWindow?: number;
  deliveryTimeout?: number;
  parseOnly?: boolean;
}
/** Where a log pricing is. */
export interface LogProgress {
  format: 'csv' | 'jsonl' | 'webhook' | null;
  bytes: number; lines: number; events: number; priced: number; businessMessages: number;
  errors: number; users: number; buffered: number; pending: number;
}
"#;

#[wasm_bindgen]
impl Engine {
    /// Starts pricing a log read in chunks: `push(chunk)` (a `Uint8Array`, an `ArrayBuffer` or a
    /// string), `progress()`, then `finish()` for the report.
    #[wasm_bindgen(js_name = logPricer)]
    pub fn log_pricer(
        &self,
        #[wasm_bindgen(unchecked_param_type = "LogOptions | undefined")] options: JsValue,
    ) -> Result<LogPricer, JsValue> {
        let inner = log_options(self, options)
            .and_then(|opts| OwnedLogPricer::new(self.inner.clone(), opts))
            .map_err(to_js_error)?;
        Ok(LogPricer {
            inner,
            buf: Vec::new(),
        })
    }

    /// Starts reading a log into tapes for a `logPricer` elsewhere (same options as that pricer):
    /// `push(chunk)` and `finish()` return the tapes to give to its `replay`, in order.
    #[wasm_bindgen(js_name = logReader)]
    pub fn log_reader(
        &self,
        #[wasm_bindgen(unchecked_param_type = "LogOptions | undefined")] options: JsValue,
    ) -> Result<LogReader, JsValue> {
        Ok(LogReader {
            inner: Reader::new(log_options(self, options).map_err(to_js_error)?),
            buf: Vec::new(),
        })
    }
}

/// The options of a log pricing or reading, from JavaScript (`undefined`: every default).
fn log_options(engine: &Engine, options: JsValue) -> Result<LogOptions, Error> {
    let raw: RawLogOptions = optional(options, "")?.unwrap_or_default();
    LogOptions::resolve(&raw, &engine.inner)
}

/// The bytes of a chunk: a `Uint8Array` or an `ArrayBuffer` (copied into `buf`), or a string.
fn with_bytes<T>(
    chunk: &JsValue,
    what: &str,
    buf: &mut Vec<u8>,
    f: impl FnOnce(&[u8]) -> Result<T, Error>,
) -> Result<T, Error> {
    let bytes = if let Some(a) = chunk.dyn_ref::<js_sys::Uint8Array>() {
        Some(a.clone())
    } else {
        chunk
            .dyn_ref::<js_sys::ArrayBuffer>()
            .map(|b| js_sys::Uint8Array::new(b))
    };
    match bytes {
        Some(a) => {
            buf.resize(a.length() as usize, 0);
            a.copy_to(buf);
            f(buf)
        }
        None => match chunk.as_string() {
            Some(s) if what == "chunk" => f(s.as_bytes()),
            _ => Err(Error::coded(
                ErrorCode::InvalidInput,
                if what == "chunk" {
                    "log_chunk_type"
                } else {
                    "log_tape_type"
                },
                what,
                if what == "chunk" {
                    "invalid chunk: expected a Uint8Array, an ArrayBuffer or a string".to_string()
                } else {
                    format!("invalid {what}: expected a Uint8Array or an ArrayBuffer")
                },
            )),
        },
    }
}

/// A log being read into tapes (in a worker) for a [`LogPricer`] elsewhere.
#[wasm_bindgen]
pub struct LogReader {
    inner: Reader,
    buf: Vec<u8>,
}

#[wasm_bindgen]
impl LogReader {
    /// Reads the next chunk (chunks may split lines and characters anywhere) and returns its tape.
    pub fn push(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | string")] chunk: JsValue,
    ) -> Result<js_sys::Uint8Array, JsValue> {
        let inner = &mut self.inner;
        with_bytes(&chunk, "chunk", &mut self.buf, |b| inner.push(b))
            .map(|t| js_sys::Uint8Array::from(&t[..]))
            .map_err(to_js_error)
    }

    /// Ends the log and returns the last tape.
    pub fn finish(&mut self) -> Result<js_sys::Uint8Array, JsValue> {
        self.buf = Vec::new();
        self.inner
            .finish()
            .map(|t| js_sys::Uint8Array::from(&t[..]))
            .map_err(to_js_error)
    }
}

/// A log being priced.
#[wasm_bindgen]
pub struct LogPricer {
    inner: OwnedLogPricer,
    buf: Vec<u8>,
}

#[wasm_bindgen]
impl LogPricer {
    /// Reads the next chunk (chunks may split lines and characters anywhere).
    pub fn push(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | string")] chunk: JsValue,
    ) -> Result<(), JsValue> {
        let inner = &mut self.inner;
        with_bytes(&chunk, "chunk", &mut self.buf, |b| inner.push(b)).map_err(to_js_error)
    }

    /// Prices the next tape of a `logReader` (a `Uint8Array` or an `ArrayBuffer`), in the order
    /// the reader returned them; throws where `push` of the log's bytes would have thrown.
    pub fn replay(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] tape: JsValue,
    ) -> Result<(), JsValue> {
        let inner = &mut self.inner;
        with_bytes(&tape, "tape", &mut self.buf, |b| inner.replay(b)).map_err(to_js_error)
    }

    /// `{ format, bytes, lines, events, priced, businessMessages, errors, users, buffered, pending }`.
    #[wasm_bindgen(unchecked_return_type = "LogProgress")]
    pub fn progress(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.progress())
    }

    /// Ends the log and returns the report (see `docs/logs.md`).
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        self.buf = Vec::new();
        let report = self.inner.finish().map_err(to_js_error)?;
        to_js(&report)
    }
}
