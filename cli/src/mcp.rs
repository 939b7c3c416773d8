//! `waprice mcp`: a Model Context Protocol server over standard input and output (the official
//! Rust SDK, `rmcp`). Its tools call the engine as the commands do; each answer is a short text
//! that names the card and the rules used, with the full result as structured content (the JSON
//! the JavaScript API returns). A refused input is a tool error with `code`, `path`, `message`.

use crate::commands;
use crate::show;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    JsonObject, ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use serde::Serialize;
use serde_json::{json, Value};
use std::cell::OnceCell;
use std::process::ExitCode;
use std::sync::Arc;
use waprice::estimate::Estimate;
use waprice::input::RawRequest;
use waprice::logs::{LogOptions, LogPricer, RawLogOptions};
use waprice::quote::QuoteMeta;
use waprice::scenario::Scenario;
use waprice::{Engine, Error, ErrorCode};

#[derive(clap::Args)]
pub struct McpArgs {
    #[command(flatten)]
    data: commands::RateFiles,
}

/// The server: the engine's data files; the engine itself lives on the runtime's one thread (it
/// is not `Send`), built at the first call.
struct Server {
    data: commands::RateFiles,
}

thread_local! {
    static ENGINE: OnceCell<Result<Engine, Error>> = const { OnceCell::new() };
}

fn with_engine<T>(
    data: &commands::RateFiles,
    f: impl FnOnce(&Engine) -> Result<T, Error>,
) -> Result<T, Error> {
    ENGINE.with(|cell| match cell.get_or_init(|| data.engine()) {
        Ok(engine) => f(engine),
        Err(e) => Err(e.clone()),
    })
}

/// Runs the server until standard input closes. Exit status 1 if the transport fails.
pub fn serve(a: &McpArgs) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("waprice: cannot start the MCP server: {e}");
            return ExitCode::from(1);
        }
    };
    let run = async {
        let server = Server {
            data: a.data.clone(),
        };
        let service = server.serve(rmcp::transport::stdio()).await?;
        service.waiting().await?;
        Ok::<_, Box<dyn std::error::Error>>(())
    };
    match runtime.block_on(run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("waprice: the MCP server stopped: {e}");
            ExitCode::from(1)
        }
    }
}

fn schema(v: Value) -> Arc<JsonObject> {
    match v {
        Value::Object(o) => Arc::new(o),
        _ => Arc::new(JsonObject::new()),
    }
}

/// The JSON schema of a scenario (`docs/estimate.md`), as far as a client needs to write one.
fn scenario_schema() -> Value {
    json!({
        "type": "object",
        "description": "A business described by its audience and journeys (docs/estimate.md).",
        "required": ["audience", "journeys"],
        "properties": {
            "business": {
                "type": "object",
                "properties": {
                    "currency": { "type": "string", "description": "billing currency, ISO 4217 (default USD)" },
                    "timezone": { "type": "string", "description": "IANA name or offset such as +05:30 (default UTC)" },
                    "date": { "type": "string", "format": "date", "description": "pricing date YYYY-MM-DD; its calendar month is simulated (default 2026-10-01)" },
                    "phoneNumbers": { "type": "number" },
                    "country": { "type": "string", "description": "ISO code of the business's primary location" },
                    "authInternational": { "type": "object", "additionalProperties": { "type": "string" } },
                    "messagingLimit": { "type": ["number", "string"] }
                }
            },
            "audience": {
                "type": "object",
                "required": ["contacts", "mix"],
                "properties": {
                    "contacts": { "type": "number", "description": "total contacts" },
                    "mix": {
                        "type": "array",
                        "description": "each entry names a country (ISO code) or a rate-card market, and a share (%) or a count",
                        "items": {
                            "type": "object",
                            "properties": {
                                "country": { "type": "string" },
                                "market": { "type": "string" },
                                "share": { "type": "number" },
                                "count": { "type": "number" }
                            }
                        }
                    }
                }
            },
            "journeys": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "preset": { "enum": ["marketing_campaign", "order_lifecycle", "otp_login", "support", "ad_lead"] },
                        "name": { "type": "string" },
                        "share": { "type": "number", "description": "% of contacts in the journey (default 100)" },
                        "timesPerMonth": { "type": "number" },
                        "params": { "type": "object" },
                        "steps": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["afterHours", "kind"],
                                "properties": {
                                    "afterHours": { "type": "number" },
                                    "kind": { "enum": ["inbound", "template", "message", "reaction"] },
                                    "category": { "enum": ["marketing", "utility", "authentication"] },
                                    "referral": { "enum": ["ctwa"] },
                                    "status": { "enum": ["delivered", "failed", "sent"] },
                                    "share": { "type": "number" }
                                }
                            }
                        }
                    }
                }
            },
            "reseller": { "type": "object", "description": "reseller fees (docs/estimate.md)" },
            "options": { "type": "object", "description": "simulator options (docs/simulator.md)" }
        }
    })
}

fn tools() -> Vec<Tool> {
    let scenario = scenario_schema();
    vec![
        Tool::new(
            "estimate",
            "The monthly WhatsApp Business Platform bill of a scenario (audience by country, journeys such as OTP logins or marketing campaigns): Meta charges by market and category, free messages, reseller fees. Names the rate card and the pricing rules used.",
            schema(json!({
                "type": "object",
                "required": ["scenario"],
                "properties": { "scenario": scenario }
            })),
        ),
        Tool::new(
            "compare",
            "The same scenario priced under several dates (e.g. before and after a Meta price change), with the deltas from the first date.",
            schema(json!({
                "type": "object",
                "required": ["scenario", "dates"],
                "properties": {
                    "scenario": scenario,
                    "dates": { "type": "array", "minItems": 1, "maxItems": 12, "items": { "type": "string", "format": "date" }, "description": "YYYY-MM-DD; the first is the base" }
                }
            })),
        ),
        Tool::new(
            "quote",
            "A quote for a scenario: lines that sum to the total, assumptions, a stable id and an encoded string.",
            schema(json!({
                "type": "object",
                "required": ["scenario", "meta"],
                "properties": {
                    "scenario": scenario,
                    "meta": {
                        "type": "object",
                        "properties": {
                            "seller": { "type": "string" },
                            "customer": { "type": "string" },
                            "issued": { "type": "string", "format": "date" },
                            "validDays": { "type": "number" },
                            "reference": { "type": "string" }
                        }
                    }
                }
            })),
        ),
        Tool::new(
            "rates",
            "Meta's WhatsApp rates in force on a date for a currency, per market and category, with volume tiers, the card's date and each rate's provenance (confidence, sources).",
            schema(json!({
                "type": "object",
                "required": ["date", "currency"],
                "properties": {
                    "date": { "type": "string", "description": "YYYY-MM-DD (local in timezone) or an RFC 3339 instant" },
                    "currency": { "type": "string", "description": "ISO 4217, e.g. USD, EUR, INR" },
                    "market": { "type": "string", "description": "only this rate-card market, e.g. India, Indonesia, \"Rest of Africa\"" },
                    "timezone": { "type": "string", "description": "IANA name or offset (default UTC)" }
                }
            })),
        ),
        Tool::new(
            "explain_timeline",
            "Prices a timeline of messages between a business and its customers message by message and explains each verdict (charged, free in the service window, free entry point, ...).",
            schema(json!({
                "type": "object",
                "required": ["events"],
                "properties": {
                    "currency": { "type": "string" },
                    "timezone": { "type": "string" },
                    "business": { "type": "object" },
                    "options": { "type": "object", "description": "simulator options (docs/simulator.md)" },
                    "events": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["at", "user", "kind"],
                            "properties": {
                                "at": { "type": ["string", "number"], "description": "RFC 3339 instant or epoch milliseconds" },
                                "user": { "type": "string", "description": "customer number, E.164" },
                                "kind": { "enum": ["inbound", "template", "message", "reaction"] },
                                "category": { "enum": ["marketing", "utility", "authentication"] },
                                "status": { "enum": ["delivered", "read", "failed", "sent"] },
                                "referral": { "enum": ["ctwa"] }
                            }
                        }
                    }
                }
            })),
        ),
        Tool::new(
            "summarise_log",
            "Prices a message log (CSV, JSON Lines or WhatsApp webhooks, given as text) and summarises it: totals, expected invoice by market and category, reconciliation with Meta's pricing objects, optionally a what-if at another date.",
            schema(json!({
                "type": "object",
                "required": ["log"],
                "properties": {
                    "log": { "type": "string", "description": "the log's text" },
                    "options": { "type": "object", "description": "log options (docs/logs.md): format, currency, timezone, whatIf { date, shift }, templates, opening { month, service, charged }, ..." }
                }
            })),
        ),
    ]
}

/// An argument of a tool call, as the engine's input type. Error paths are those of the
/// JavaScript API: a scenario's from its root (`audience.mix[0].country`), others under the
/// argument's name (`dates[1]`, `meta.issued`).
fn arg<T: serde::de::DeserializeOwned>(
    args: &JsonObject,
    name: &str,
    required: bool,
) -> Result<Option<T>, Error> {
    let root = if name == "scenario" { "" } else { name };
    match args.get(name) {
        None | Some(Value::Null) if !required => Ok(None),
        None | Some(Value::Null) => Err(missing(name)),
        Some(v) => {
            let text = serde_json::to_vec(v)
                .map_err(|e| not_json(name, name, &format!("invalid {name}"), &e))?;
            waprice::input::from_json(&text, root).map(Some)
        }
    }
}

fn required<T: serde::de::DeserializeOwned>(args: &JsonObject, name: &str) -> Result<T, Error> {
    arg(args, name, true)?.ok_or_else(|| missing(name))
}

/// A required argument of a tool call that is not given.
fn missing(name: &str) -> Error {
    Error::coded(
        ErrorCode::InvalidInput,
        "mcp_missing_argument",
        name,
        format!("missing argument {name}"),
    )
    .with("field", waprice::messages::Value::Text(name.to_string()))
}

/// Arguments of a tool call that cannot be written as JSON text: `field` names them, `detail`
/// says why; the message is `what: e`.
fn not_json(field: &str, path: &str, what: &str, e: &serde_json::Error) -> Error {
    let detail = e.to_string();
    Error::coded(
        ErrorCode::InvalidInput,
        "mcp_argument_not_json",
        path,
        format!("{what}: {detail}"),
    )
    .with("field", waprice::messages::Value::Text(field.to_string()))
    .with("detail", waprice::messages::Value::Text(detail))
}

fn model_name(model: &str) -> &'static str {
    match model {
        "CBP" => "conversation-based pricing (CBP)",
        _ => "per-message pricing (PMP)",
    }
}

/// The rules behind an estimate, read from its result: pricing models, the free messages by
/// reason, volume tiers.
fn estimate_rules(e: &Estimate) -> String {
    let mut models: Vec<&str> = e
        .cards
        .iter()
        .map(|c| model_name(c.pricing_model.as_str()))
        .collect();
    models.dedup();
    let mut rules = vec![models.join(" and ")];
    let f = &e.free;
    for (n, what) in [
        (
            &f.window,
            "service messages free inside the 24-hour customer-service window",
        ),
        (
            &f.entry_point,
            "free entry points (click-to-WhatsApp ads, 72 hours)",
        ),
        (&f.allowance, "the monthly service allowance"),
        (&f.free_tier, "the free tier of conversations"),
        (&f.conversation, "messages riding in an open conversation"),
    ] {
        if n != "0" {
            rules.push(format!("{n} free by {what}"));
        }
    }
    if e.tier_savings != "0" {
        rules.push(format!("volume tiers saved {}", e.tier_savings));
    }
    rules.join("; ")
}

fn estimate_text(e: &Estimate) -> String {
    format!(
        "Total {}{} {} for {} (pricing date {}; Meta {}, reseller {}).\nCard: {}.\nRules: {}.\n\n{}",
        show::at_least(e.complete),
        e.currency,
        e.total,
        e.month,
        e.date,
        e.meta.total,
        e.reseller.total,
        show::cards(e),
        estimate_rules(e),
        show::estimate(e)
    )
}

fn result<T: Serialize>(text: String, value: &T) -> Result<CallToolResult, Error> {
    let structured = serde_json::to_value(value).map_err(|e| commands::not_convertible(&e))?;
    let mut r = CallToolResult::success(vec![ContentBlock::text(text)]);
    r.structured_content = Some(structured);
    Ok(r)
}

fn call(
    data: &commands::RateFiles,
    name: &str,
    args: &JsonObject,
) -> Result<CallToolResult, Error> {
    with_engine(data, |engine| match name {
        "estimate" => {
            let s: Scenario = required(args, "scenario")?;
            let e = waprice::estimate::estimate(engine, &s, None)?;
            result(estimate_text(&e), &e)
        }
        "compare" => {
            let s: Scenario = required(args, "scenario")?;
            let raw: Vec<String> = required(args, "dates")?;
            let c = waprice::estimate::compare(engine, &s, &commands::parse_dates(&raw)?)?;
            let mut text = String::new();
            for e in &c.estimates {
                text.push_str(&format!(
                    "{}: total {}{} {}; card {}; rules: {}.\n",
                    e.date,
                    show::at_least(e.complete),
                    e.currency,
                    e.total,
                    show::cards(e),
                    estimate_rules(e)
                ));
            }
            text.push('\n');
            text.push_str(&show::compare(&c));
            result(text, &c)
        }
        "quote" => {
            let s: Scenario = required(args, "scenario")?;
            let m: QuoteMeta = required(args, "meta")?;
            let q = waprice::quote::quote(engine, &s, &m)?;
            let text = format!(
                "Quote {}{}: monthly total {}{} {}.\nCard: {}.\nRules: {}.\n\n{}",
                q.id,
                if q.complete {
                    ""
                } else {
                    " (DRAFT: charged messages unpriced)"
                },
                show::at_least(q.complete),
                q.currency,
                q.total,
                show::cards(&q.estimate),
                estimate_rules(&q.estimate),
                show::quote(&q)
            );
            result(text, &q)
        }
        "rates" => {
            let date: String = required(args, "date")?;
            let currency: String = required(args, "currency")?;
            let market: Option<String> = arg(args, "market", false)?;
            let timezone: Option<String> = arg(args, "timezone", false)?;
            let card = commands::rate_card(
                engine,
                &date,
                &currency,
                market.as_deref(),
                timezone.as_deref().unwrap_or("UTC"),
            )?;
            let text = format!(
                "Card: {} {} of {}, in force on {}.\nRules: {}.\n\n{}",
                card.currency,
                card.pricing_model.as_str(),
                card.card_date,
                card.date,
                model_name(card.pricing_model.as_str()),
                show::rates(&card)
            );
            result(text, &card)
        }
        "explain_timeline" => {
            let raw: RawRequest = waprice::input::from_json(
                &serde_json::to_vec(args)
                    .map_err(|e| not_json("arguments", "", "invalid input", &e))?,
                "",
            )?;
            let sim = engine.simulate_raw(raw)?;
            let report = waprice::report::simulation(engine, &sim);
            let models: Vec<String> = report
                .cards
                .iter()
                .map(|c| format!("{} {} {}", c.date, c.currency, c.pricing_model.as_str()))
                .collect();
            let types: Vec<String> = report
                .totals
                .by_type
                .iter()
                .filter(|(_, n)| **n > 0)
                .map(|(k, n)| format!("{k} × {n}"))
                .collect();
            let text = format!(
                "Card: {}.\nRules: {}; verdicts {} (each message's explanation names its rule).\n\n{}",
                models.join(", "),
                {
                    let mut m: Vec<&str> = report
                        .cards
                        .iter()
                        .map(|c| model_name(c.pricing_model.as_str()))
                        .collect();
                    m.dedup();
                    m.join(" and ")
                },
                types.join(", "),
                show::simulation(&report)
            );
            result(text, &waprice::report::simulation_lazy(engine, &sim))
        }
        "summarise_log" => {
            let log: String = required(args, "log")?;
            let raw: RawLogOptions = arg(args, "options", false)?.unwrap_or_default();
            let options = LogOptions::resolve(&raw, engine)?;
            let mut pricer = LogPricer::new(engine, &options)?;
            pricer.push(log.as_bytes())?;
            let report = pricer.finish()?;
            let cards: Vec<String> = report
                .cards
                .iter()
                .map(|c| format!("{} {} {}", c.date, c.currency, c.pricing_model.as_str()))
                .collect();
            let mut m: Vec<&str> = report
                .cards
                .iter()
                .map(|c| model_name(c.pricing_model.as_str()))
                .collect();
            m.dedup();
            let text = format!(
                "Card: {}.\nRules: {}.\n\n{}",
                if cards.is_empty() {
                    "none (nothing priced)".to_string()
                } else {
                    cards.join(", ")
                },
                if m.is_empty() {
                    "none".to_string()
                } else {
                    m.join(" and ")
                },
                crate::price::human(&report)
            );
            result(text, &report)
        }
        other => Err(Error::coded(
            ErrorCode::InvalidInput,
            "mcp_unknown_tool",
            "name",
            format!("unknown tool {other:?}"),
        )
        .value(other)),
    })
}

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("waprice", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "WhatsApp Business Platform pricing: estimate a scenario's monthly bill, compare dates, \
                 quote, look up Meta's rates, explain a timeline message by message, summarise a message log. \
                 Money is a decimal string in the billing currency.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(tools()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        if !tools().iter().any(|t| t.name == request.name) {
            return Err(ErrorData::invalid_params(
                format!("unknown tool {:?}", request.name),
                None,
            ));
        }
        let args = request.arguments.unwrap_or_default();
        let result = call(&self.data, &request.name, &args).unwrap_or_else(|e| {
            let mut r = CallToolResult::structured_error(crate::error_json(&e));
            r.content = vec![ContentBlock::text(format!("error {e}"))];
            r
        });
        Ok(result.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registered(e: &Error, reason: &str) {
        assert_eq!(e.reason(), reason, "{e}");
        assert_eq!(waprice::reasons::check(e), Ok(()));
    }

    /// The server refuses an unknown tool before calling it (a protocol error), and arguments
    /// arrive as JSON values, which always convert to text: these errors are checked here.
    #[test]
    fn errors_the_protocol_keeps_from_a_tool_call() {
        let data = commands::RateFiles::default();
        let args = JsonObject::new();
        let e = call(&data, "frobnicate", &args).unwrap_err();
        registered(&e, "mcp_unknown_tool");
        let e = call(&data, "rates", &args).unwrap_err();
        registered(&e, "mcp_missing_argument");
        assert_eq!(e.path, "date");
        let bad = serde_json::from_str::<Value>("{").unwrap_err();
        registered(
            &not_json("arguments", "", "invalid input", &bad),
            "mcp_argument_not_json",
        );
        registered(&commands::not_convertible(&bad), "cli_result_not_json");
    }
}
