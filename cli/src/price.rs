//! `waprice price`: prices a message log (see `docs/logs.md`).
//!
//! ```text
//! waprice price LOG [--format csv|jsonl|webhook] [--currency USD] [--timezone Asia/Kolkata]
//!                   [--date 2026-10-01 [--shift months|none]] [--opening FILE] [--rates FILE]...
//!                   [--json] ...
//! ```
//!
//! `LOG` is a file or `-` for standard input; it is read in chunks, never whole. A progress bar
//! is drawn on standard error when it is a terminal.

use crate::commands::RateFiles;
use crate::input::file_error;
use crate::show::{count, table};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Read, Write};
use std::time::{Duration, Instant};
use waprice::input::{RawBusiness, RawOptions};
use waprice::logs::{self, LogOptions, LogPricer, LogReport, RawLogOptions, RawWhatIf};
use waprice::messages::Value;
use waprice::{Error, ErrorCode};

#[derive(clap::Args)]
pub struct PriceArgs {
    /// The log file, or `-` for standard input.
    log: String,
    /// `csv`, `jsonl`, `webhook`, or `auto` (detected from the first bytes).
    #[arg(long, default_value = "auto")]
    format: String,
    /// Billing currency (ISO 4217).
    #[arg(long, default_value = "USD")]
    currency: String,
    /// Business time zone: an IANA name or an offset such as +05:30.
    #[arg(long, default_value = "UTC")]
    timezone: String,
    /// What-if: price the log again under the rules and card of this date (YYYY-MM-DD).
    #[arg(long)]
    date: Option<String>,
    /// What-if: `months` (move the instants by whole calendar months into the date's month) or
    /// `none` (keep them; use with --what-if-currency or --what-if-options).
    #[arg(long)]
    shift: Option<String>,
    /// What-if currency (default: --currency).
    #[arg(long)]
    what_if_currency: Option<String>,
    /// What-if simulator options as JSON (default: --options).
    #[arg(long)]
    what_if_options: Option<String>,
    /// Simulator options as JSON, e.g. '{"fepHours":168,"serviceAllowanceScope":"waba"}'.
    #[arg(long)]
    options: Option<String>,
    /// The business as JSON, e.g. '{"country":"IN","authInternational":{"ID":"2025-01-01"}}'.
    #[arg(long)]
    business: Option<String>,
    /// Template map: a JSON object or a CSV file of `key,category` lines (key: message id or
    /// template name; category: marketing, utility, authentication, service, reaction).
    #[arg(long)]
    templates: Option<String>,
    /// Opening state of a log that starts in the middle of a month: inline JSON or a JSON/YAML
    /// file, `{ "service": { "+15550001111": 950 }, "charged": { "India": { "utility": 120000 } } }`
    /// (service messages already used per business number; charged messages per market and
    /// category, the volume-tier position).
    #[arg(long, value_name = "FILE")]
    opening: Option<String>,
    /// `skip` malformed lines (reported) or `fail` at the first one.
    #[arg(long, default_value = "skip")]
    on_error: String,
    /// Malformed lines listed (all are counted).
    #[arg(long, default_value_t = logs::DEFAULT_MAX_ERRORS)]
    max_errors: u32,
    /// Disagreements with Meta listed (all are counted).
    #[arg(long, default_value_t = logs::DEFAULT_MAX_DISAGREEMENTS)]
    max_disagreements: u32,
    /// Seconds an event may come after a later one and still be priced in order.
    #[arg(long, default_value_t = logs::DEFAULT_REORDER_WINDOW_S)]
    reorder_window: u32,
    /// Seconds a webhook message with only a `sent` status waits for its delivery.
    #[arg(long, default_value_t = logs::DEFAULT_DELIVERY_TIMEOUT_S)]
    delivery_timeout: u32,
    #[command(flatten)]
    data: RateFiles,
    /// Write the disagreements with Meta (class, money at stake, both verdicts in words) as CSV
    /// to this file (up to --max-disagreements rows).
    #[arg(long, value_name = "FILE")]
    disagreements_csv: Option<String>,
    /// Only read and check the log.
    #[arg(long)]
    parse_only: bool,
    /// Print the report as JSON (the shape of `docs/logs.md`).
    #[arg(long)]
    pub json: bool,
    /// Never draw the progress bar.
    #[arg(long)]
    no_progress: bool,
    /// Read and price on one thread (by default the log is read on a second thread while it is
    /// priced; the report is the same).
    #[arg(long)]
    single_thread: bool,
}

/// A flag's value that is not valid JSON (`field`: the flag, `detail`: why).
fn flag_json(flag: &str, e: &serde_json::Error) -> Error {
    let detail = e.to_string();
    Error::coded(
        ErrorCode::InvalidOption,
        "cli_flag_json",
        "",
        format!("invalid --{flag} JSON: {detail}"),
    )
    .with("field", Value::Text(format!("--{flag}")))
    .with("detail", Value::Text(detail))
}

fn json_arg<T: serde::de::DeserializeOwned>(
    text: &Option<String>,
    flag: &str,
) -> Result<Option<T>, Error> {
    text.as_deref()
        .map(|t| serde_json::from_str(t).map_err(|e| flag_json(flag, &e)))
        .transpose()
}

fn templates(arg: &Option<String>) -> Result<Option<BTreeMap<String, String>>, Error> {
    let Some(a) = arg else { return Ok(None) };
    let text = if a.trim_start().starts_with('{') {
        a.clone()
    } else {
        std::fs::read_to_string(a).map_err(|e| {
            file_error(
                "cli_file_unreadable",
                "",
                a,
                &format!("cannot read --templates {a}"),
                &e,
            )
        })?
    };
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| flag_json("templates", &e));
    }
    let mut map = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || (i == 0 && line.eq_ignore_ascii_case("key,category")) {
            continue;
        }
        let (k, v) = line.split_once(',').ok_or_else(|| {
            Error::coded(
                ErrorCode::InvalidOption,
                "cli_templates_line",
                "",
                format!("--templates line {}: expected key,category", i + 1),
            )
            .with("line", Value::Count(i as u64 + 1))
        })?;
        map.insert(k.trim().to_string(), v.trim().to_string());
    }
    Ok(Some(map))
}

fn raw_options(a: &PriceArgs) -> Result<RawLogOptions, Error> {
    let options: Option<RawOptions> = json_arg(&a.options, "options")?;
    let what_if = if a.date.is_some()
        || a.shift.is_some()
        || a.what_if_currency.is_some()
        || a.what_if_options.is_some()
    {
        Some(RawWhatIf {
            date: a.date.clone(),
            shift: a.shift.clone(),
            currency: a.what_if_currency.clone(),
            options: json_arg(&a.what_if_options, "what-if-options")?,
        })
    } else {
        None
    };
    Ok(RawLogOptions {
        format: Some(a.format.clone()),
        currency: Some(a.currency.clone()),
        timezone: Some(a.timezone.clone()),
        business: json_arg::<RawBusiness>(&a.business, "business")?,
        options,
        what_if,
        templates: templates(&a.templates)?,
        on_error: Some(a.on_error.clone()),
        max_errors: Some(f64::from(a.max_errors)),
        max_disagreements: Some(f64::from(a.max_disagreements)),
        reorder_window: Some(f64::from(a.reorder_window)),
        delivery_timeout: Some(f64::from(a.delivery_timeout)),
        parse_only: Some(a.parse_only),
        opening: a
            .opening
            .as_deref()
            .map(|o| crate::input::read_inline_or_file(o, "opening", "opening"))
            .transpose()?,
    })
}

/// A one-line progress bar on standard error.
struct Bar {
    total: Option<u64>,
    start: Instant,
    last: Instant,
    drawn: bool,
    /// The latest progress, drawn or not (the last one is drawn at the end).
    latest: Option<waprice::logs::Progress>,
}

impl Bar {
    fn draw(&mut self, p: &waprice::logs::Progress, force: bool) {
        let now = Instant::now();
        if !force && now.duration_since(self.last) < Duration::from_millis(100) {
            self.latest = Some(p.clone());
            return;
        }
        self.latest = None;
        self.last = now;
        let secs = now.duration_since(self.start).as_secs_f64().max(1e-9);
        let rate = p.events as f64 / secs;
        let mb = |b: u64| b as f64 / 1e6;
        let bar = match self.total {
            Some(t) if t > 0 => {
                let f = (p.bytes as f64 / t as f64).min(1.0);
                let n = (f * 30.0).round() as usize;
                format!(
                    "[{}{}] {:>3.0}% {:.1}/{:.1} MB",
                    "#".repeat(n),
                    ".".repeat(30 - n),
                    f * 100.0,
                    mb(p.bytes),
                    mb(t)
                )
            }
            _ => format!("{:.1} MB", mb(p.bytes)),
        };
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r{bar}  {} events, {:.2} M/s, {} errors   ",
            p.events,
            rate / 1e6,
            p.errors
        );
        let _ = err.flush();
        self.drawn = true;
    }

    /// Draws the latest progress if the last call skipped it.
    fn force_last(&mut self) {
        if let Some(p) = self.latest.take() {
            self.draw(&p, true);
        }
    }

    fn clear(&self) {
        if self.drawn {
            let _ = write!(std::io::stderr(), "\r{:100}\r", "");
        }
    }
}

pub fn price(a: &PriceArgs) -> Result<LogReport, Error> {
    let engine = a.data.engine()?;
    let raw = raw_options(a)?;
    let options = LogOptions::resolve(&raw, &engine)?;
    let (mut input, total): (Box<dyn Read + Send>, Option<u64>) = if a.log == "-" {
        (Box::new(std::io::stdin()), None)
    } else {
        let f = std::fs::File::open(&a.log).map_err(|e| {
            file_error(
                "cli_file_unreadable",
                "",
                &a.log,
                &format!("cannot open {}", a.log),
                &e,
            )
        })?;
        let len = f.metadata().ok().map(|m| m.len());
        (Box::new(f), len)
    };
    let mut bar = (!a.no_progress && std::io::stderr().is_terminal()).then(|| Bar {
        total,
        start: Instant::now(),
        last: Instant::now(),
        drawn: false,
        latest: None,
    });
    let name = a.log.clone();
    let mut read = move |buf: &mut [u8]| loop {
        match input.read(buf) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(file_error(
                    "cli_file_unreadable",
                    "",
                    &name,
                    &format!("cannot read {name}"),
                    &e,
                ))
            }
        }
    };
    let report = if a.single_thread {
        let mut pricer = LogPricer::new(&engine, &options)?;
        let mut buf = vec![0u8; 1 << 20];
        let mut fed = || -> Result<(), Error> {
            loop {
                let n = read(&mut buf)?;
                if n == 0 {
                    return Ok(());
                }
                pricer.push(&buf[..n])?;
                if let Some(b) = bar.as_mut() {
                    b.draw(&pricer.progress(), false);
                }
            }
        };
        fed().and_then(|()| pricer.finish())
    } else {
        waprice::logs::price_threaded(&engine, &options, read, |p| {
            if let Some(b) = bar.as_mut() {
                b.draw(p, false);
            }
        })
    };
    if let Some(b) = bar.as_mut() {
        if report.is_ok() {
            b.force_last();
        }
        b.clear();
    }
    let report = report?;
    if let Some(path) = &a.disagreements_csv {
        let csv = report
            .reconciliation
            .as_ref()
            .map(|r| r.disagreements_csv())
            .unwrap_or_default();
        std::fs::write(path, csv).map_err(|e| {
            file_error(
                "cli_file_unwritable",
                "",
                path,
                &format!("cannot write --disagreements-csv {path:?}"),
                &e,
            )
        })?;
    }
    Ok(report)
}

/// One line per loaded rate-card file a pricing used: its name, SHA-256 prefix and card.
fn files(files: &[waprice::logs::CardFile]) -> String {
    files
        .iter()
        .map(|f| {
            format!(
                "rate-card file: {} (SHA-256 {}), {} {} {} {}\n",
                f.name,
                f.sha256,
                f.kind,
                f.date,
                f.currency,
                f.pricing_model.as_str()
            )
        })
        .collect()
}

pub fn human(r: &LogReport) -> String {
    let mut o = String::new();
    let i = &r.input;
    o.push_str(&format!(
        "{} log: {}, {}; {}, {}, {}\n",
        r.format,
        count(i.lines, "line"),
        count(i.records, "record"),
        count(i.inbound, "customer message"),
        count(i.business_messages, "business message"),
        count(i.users, "customer"),
    ));
    if r.format == "webhook" {
        o.push_str(&format!(
            "webhook statuses: {} read; {} after their message was priced; {} messages known only from `read`; {} timed out as not delivered\n",
            i.statuses, i.statuses_after_priced, i.reads_without_message, i.timed_out
        ));
    }
    if i.errors > 0 {
        o.push_str(&format!(
            "malformed: {} (first {} below)\n",
            i.errors,
            i.error_list.len()
        ));
        for e in &i.error_list {
            let column = e
                .column
                .map(|c| format!(", column {c}"))
                .unwrap_or_default();
            let path = if e.path.is_empty() {
                String::new()
            } else {
                format!(" at {}", e.path)
            };
            o.push_str(&format!(
                "  line {}{column}: {}{path}: {}\n",
                e.line, e.code, e.message
            ));
        }
    }
    if let Some(t) = &r.totals {
        o.push_str(&format!(
            "\ntotal {}{} {}  ({}: {} charged, {} free, {} not delivered)\n",
            crate::show::at_least(t.complete),
            r.currency,
            t.amount,
            count(t.messages, "message"),
            t.charged,
            t.free,
            t.not_delivered
        ));
        o.push_str(&crate::show::unpriced(&r.currency, "", &t.unpriced));
        let cards: Vec<String> = r
            .cards
            .iter()
            .map(|c| format!("{} {} {}", c.date, c.currency, c.pricing_model.as_str()))
            .collect();
        if !cards.is_empty() {
            o.push_str(&format!("cards: {}\n", cards.join(", ")));
        }
        o.push_str(&files(&r.files));
    }
    o.push_str(&invoice(&r.invoice));
    if let Some(w) = &r.what_if {
        o.push_str(&what_if(w));
    }
    if let Some(rc) = &r.reconciliation {
        o.push_str(&reconciliation(rc));
    }
    for w in &r.warnings {
        o.push_str(&format!("warning {}: {}\n", w.code, w.message()));
    }
    o
}

/// The expected invoice, market × category, with Meta's billable counts when the log has them.
fn invoice(invoice: &[logs::InvoiceRow]) -> String {
    let mut o = String::new();
    if invoice.is_empty() {
        return o;
    }
    o.push_str("\nexpected invoice (market × category):\n");
    let meta = invoice.iter().any(|x| x.meta_billable.is_some());
    let mut rows = vec![{
        let mut h = vec!["market", "category", "delivered", "charged", "amount"];
        if meta {
            h.push("Meta billable");
        }
        h.into_iter().map(str::to_string).collect::<Vec<_>>()
    }];
    for x in invoice {
        let mut row = vec![
            x.market.clone(),
            x.category.clone(),
            x.delivered.to_string(),
            x.charged.to_string(),
            x.amount.clone(),
        ];
        if meta {
            row.push(x.meta_billable.map_or(String::new(), |n| n.to_string()));
        }
        rows.push(row);
    }
    o.push_str(&table(&rows, 2));
    o
}

/// The what-if: its total and, when priced, the delta table against the log as logged.
fn what_if(w: &logs::WhatIfReport) -> String {
    let mut o = String::new();
    o.push_str(&format!(
        "\nwhat-if {} (shift {}, {} months): total {} {}\n",
        w.date.as_deref().unwrap_or("(instants kept)"),
        w.shift,
        w.months,
        w.currency,
        w.totals.amount
    ));
    o.push_str(&files(&w.files));
    if let Some(d) = &w.delta {
        let mut rows = vec![vec![
            String::new(),
            String::new(),
            "as logged".into(),
            "what-if".into(),
            "delta".into(),
        ]];
        rows.push(vec![
            "total".into(),
            String::new(),
            d.amount.base.clone(),
            d.amount.what_if.clone(),
            d.amount.delta.clone(),
        ]);
        for x in &d.by_category {
            rows.push(vec![
                "category".into(),
                x.key.clone(),
                x.base.clone(),
                x.what_if.clone(),
                x.delta.clone(),
            ]);
        }
        for x in &d.by_market {
            rows.push(vec![
                "market".into(),
                x.key.clone(),
                x.base.clone(),
                x.what_if.clone(),
                x.delta.clone(),
            ]);
        }
        o.push_str(&table(&rows, 2));
    }
    o
}

/// The reconciliation with Meta's pricing objects: counts by class, inferences, disagreements.
fn reconciliation(rc: &logs::Reconciliation) -> String {
    let mut o = String::new();
    o.push_str(&format!(
        "\nreconciliation with Meta's pricing objects: {} compared, {} agree, {} disagree, {} without pricing\n",
        rc.compared, rc.agreed, rc.disagreed, rc.without_pricing
    ));
    let c = &rc.by_class;
    o.push_str(&format!(
        "  money differs: {} (at stake {}); label only: {}; the log lacks context: {}\n",
        c.money.count, c.money.amount, c.label.count, c.context.count
    ));
    for i in &rc.inferences {
        o.push_str(&format!(
            "  inferred ({} messages, e.g. {}): {}\n",
            i.count,
            i.evidence.join(", "),
            i.message
        ));
    }
    for d in &rc.disagreements {
        let class = match d.context {
            Some(c) => format!("{}: {}", d.class.as_str(), c.as_str()),
            None => d.class.as_str().to_string(),
        };
        o.push_str(&format!(
            "  line {} {} {} {} [{class}, at stake {}] — differs in {}\n    Meta:   {}\n    engine: {}\n    {}\n",
            d.line,
            d.id,
            d.at,
            d.user,
            d.at_stake,
            d.fields.join(", "),
            d.meta_words,
            d.engine_words,
            d.explanation
        ));
    }
    o
}
