//! `waprice`: the command line and MCP server of the pricing engine (see `docs/cli.md`).
//!
//! ```text
//! waprice estimate SCENARIO                       the monthly bill of a scenario
//! waprice compare SCENARIO --dates D1,D2,...      the scenario priced under several dates
//! waprice quote SCENARIO --meta META              a quote
//! waprice rates --date D --currency C [--market M] the rates in force
//! waprice simulate EVENTS                         a timeline priced message by message
//! waprice price LOG                               a message log priced (docs/logs.md)
//! waprice mcp                                     a Model Context Protocol server on stdio
//! ```
//!
//! Inputs are JSON or YAML files, or `-` for standard input. `--json` prints what the JavaScript
//! API returns for the same input. Exit status: 0 done, 1 the engine refused the input or its
//! options (the error is printed with its code and path), 2 wrong usage.

mod commands;
mod input;
mod mcp;
mod price;
mod show;

use clap::{Parser, Subcommand};
use std::io::Write;
use std::process::ExitCode;
use waprice::Error;

#[derive(Parser)]
#[command(
    name = "waprice",
    version,
    about = "WhatsApp Business Platform pricing engine"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The monthly bill of a scenario (docs/estimate.md).
    Estimate(commands::EstimateArgs),
    /// A scenario priced under several dates, with the deltas from the first.
    Compare(commands::CompareArgs),
    /// A quote: lines that sum to the total, assumptions, a stable id and an encoded string.
    Quote(commands::QuoteArgs),
    /// The rates in force on a date for a currency, per market, with tiers and provenance.
    Rates(commands::RatesArgs),
    /// A timeline priced message by message (docs/simulator.md).
    Simulate(commands::SimulateArgs),
    /// Price a message log: totals, expected invoice, what-if at another date, reconciliation with
    /// Meta's `pricing` objects.
    Price(Box<price::PriceArgs>),
    /// A Model Context Protocol server over standard input and output.
    Mcp(mcp::McpArgs),
}

/// What a command prints: the JSON of its result (as the JavaScript API returns it) or tables.
pub struct Output {
    /// The result as pretty-printed JSON, fields in the order the JavaScript API gives them.
    pub json: String,
    /// The result as text for people.
    pub text: String,
}

/// Prints a result or an error; the exit status.
fn finish(result: Result<Output, Error>, json: bool) -> ExitCode {
    match result {
        Ok(out) => {
            let text = if json { out.json + "\n" } else { out.text };
            let mut stdout = std::io::stdout().lock();
            if stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .is_err()
            {
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            if json {
                println!("{}", error_json(&e));
            }
            eprintln!("waprice: {e}");
            ExitCode::from(1)
        }
    }
}

/// `{ "error": { code, path, message } }`, with `source`, `line` and `column` for an error in a
/// file's text (a log, a rate-card file).
pub fn error_json(e: &Error) -> serde_json::Value {
    // The same fields as the JavaScript API's errors (docs/errors.md): `params` always (empty when
    // the message is the only form), a spreadsheet's sheet and cell, no line for a whole sheet.
    let params = e
        .params
        .as_ref()
        .and_then(|p| serde_json::to_value(p).ok())
        .unwrap_or_else(|| serde_json::json!({}));
    let mut v = serde_json::json!({ "error": { "code": e.code.as_str(), "path": e.path, "message": e.message, "params": params } });
    if let Some(l) = &e.loc {
        v["error"]["source"] = l.source.into();
        if l.line > 0 || l.source != "xlsx" {
            v["error"]["line"] = l.line.into();
        }
        if let Some(c) = l.column {
            v["error"]["column"] = c.into();
        }
        if let Some(s) = &l.sheet {
            v["error"]["sheet"] = s.sheet.as_str().into();
            if let Some(cell) = &s.cell {
                v["error"]["cell"] = cell.as_str().into();
            }
        }
    }
    v
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Estimate(a) => finish(commands::estimate(&a), a.json),
        Command::Compare(a) => finish(commands::compare(&a), a.json),
        Command::Quote(a) => finish(commands::quote(&a), a.json),
        Command::Rates(a) => finish(commands::rates(&a), a.json),
        Command::Simulate(a) => finish(commands::simulate(&a), a.json),
        Command::Price(a) => {
            let result = price::price(&a).and_then(|r| {
                Ok(Output {
                    json: commands::to_json(&r)?,
                    text: price::human(&r),
                })
            });
            finish(result, a.json)
        }
        Command::Mcp(a) => mcp::serve(&a),
    }
}
