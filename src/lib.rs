//! # waprice
//!
//! A WhatsApp Business Platform pricing engine. It simulates timelines of messages between a
//! business and its customers, decides which ones Meta charges and why, and prices them for any
//! date from 2022-02-01 on, era by era (conversation-based, per-category conversations,
//! per-message, per-message with paid service).
//!
//! The core (this crate's modules other than `wasm`) knows nothing of JavaScript and never reads
//! the clock. The `wasm` module is the thin binding compiled only for `wasm32`.
//!
//! ```
//! use waprice::{Engine, input::RawRequest};
//! let engine = Engine::new().unwrap();
//! let req: RawRequest = serde_json::from_str(r#"{
//!   "currency": "USD",
//!   "events": [{ "at": "2026-10-05T10:00:00Z", "user": "+201001234567", "kind": "template", "category": "utility" }]
//! }"#).unwrap();
//! let report = engine.simulate(req).unwrap();
//! assert_eq!(report.totals.amount, "0.0036");
//! ```

#![warn(missing_docs)]

pub mod data;
pub mod engine;
pub mod error;
pub mod estimate;
pub mod input;
pub mod labels;
pub mod limits;
pub mod logs;
pub mod markets;
pub mod messages;
pub mod metafile;
pub mod model;
pub mod money;
pub mod notices;
pub mod pricing;
pub mod quote;
pub mod rates;
pub mod reasons;
pub mod report;
pub mod scenario;
pub mod schema;
pub mod sort;
pub mod time;
mod usertable;

#[cfg(target_arch = "wasm32")]
mod wasm;
// The binding's event-column decoder names nothing of JavaScript: compiled natively for its tests.
#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "wasm/columns.rs"]
mod columns;

pub use engine::{CustomData, Engine};
pub use error::{Error, ErrorCode, Location, Result};

/// The WebAssembly builds allocate with Talc (README, dependencies): smaller than the default
/// dlmalloc, which keeps the calculator's wasm within its size budget, and faster.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
