//! What a log pricing returns: plain serialisable structures (money as decimal strings, instants
//! as RFC 3339), in the shapes of `docs/logs.md`.

use crate::model::PricingModel;
use crate::report::{CardRef, TotalsReport, WarningReport};
use serde::Serialize;

/// Where a pricing is (for a progress bar).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// `csv`, `jsonl`, `webhook`, or null while the format is not yet detected.
    pub format: Option<&'static str>,
    /// Bytes read.
    pub bytes: u64,
    /// Lines read.
    pub lines: u64,
    /// Events read (customer messages, business messages, webhook statuses).
    pub events: u64,
    /// Events priced so far (the others are held for reordering or for their statuses).
    pub priced: u64,
    /// Business messages priced so far.
    pub business_messages: u64,
    /// Malformed lines so far.
    pub errors: u64,
    /// Distinct customers so far.
    pub users: u64,
    /// Events held for reordering.
    pub buffered: u64,
    /// Webhook messages waiting for their statuses.
    pub pending: u64,
}

/// A malformed line.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ErrorEntry {
    /// Line number (1-based; the first line of a record that spans lines).
    pub line: u64,
    /// For CSV syntax, the 1-based column (field number) at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
    /// Stable error code.
    pub code: &'static str,
    /// The field at fault (`user`, `entry[0].changes[0].value.statuses[1].recipient_id`), or empty.
    pub path: String,
    /// Message naming the value.
    pub message: String,
    /// The values the message names (docs/errors.md), for a front end's own language.
    pub params: crate::messages::Params,
}

/// What was read.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct InputReport {
    /// Bytes read.
    pub bytes: u64,
    /// Lines read.
    pub lines: u64,
    /// Records read (CSV rows, JSON lines or array elements), malformed ones included.
    pub records: u64,
    /// Customer messages priced (they open windows).
    pub inbound: u64,
    /// Business messages priced.
    pub business_messages: u64,
    /// Distinct customers.
    pub users: u64,
    /// Malformed records (all counted; the first `maxErrors` listed in `errorList`).
    pub errors: u64,
    /// The first malformed records.
    pub error_list: Vec<ErrorEntry>,
    /// Webhook status objects read.
    pub statuses: u64,
    /// Statuses of messages already priced (a `read` after its `delivered`, a repeated webhook).
    pub statuses_after_priced: u64,
    /// Messages known only from `read` statuses (their delivery is not in the log): not priced.
    pub reads_without_message: u64,
    /// Messages with only a `sent` status after `deliveryTimeout`: priced as not delivered.
    pub timed_out: u64,
    /// Of those, delivered later after all (priced then, the not-delivered verdict withdrawn).
    pub late_deliveries: u64,
    /// Webhook changes other than `messages` (template updates, account events), not priced.
    pub other_changes: u64,
    /// Inbound `system` messages (number changes), not priced.
    pub system_messages: u64,
    /// Statuses other than sent, delivered, read, played and failed (such as `deleted`), not priced.
    pub other_statuses: u64,
    /// Business messages whose kind (template or free-form) was assumed: see `warnings`.
    pub assumed_kinds: u64,
    /// Deliveries of group messages to their participants (each priced on its own, SPEC §15).
    pub group_deliveries: u64,
    /// Delivered messages to customers known only by a business-scoped user id (BSUID).
    pub bsuid_messages: u64,
    /// Of those, the ones whose market is approximate (a country sharing `+1` or `+7`).
    pub approximate_markets: u64,
    /// The reorder window, in seconds.
    pub reorder_window: u64,
    /// Most events held at once for reordering.
    pub peak_buffered: u64,
    /// Most webhook messages held at once for their statuses.
    pub peak_pending: u64,
}

/// Expected invoice line: one market × category.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceRow {
    /// Market.
    pub market: String,
    /// Category.
    pub category: String,
    /// Delivered messages (charged or free).
    pub delivered: u64,
    /// Messages carrying a charge (conversation era: conversations charged).
    pub charged: u64,
    /// Amount.
    pub amount: String,
    /// Delivered messages Meta marked billable in this market and (Meta's) category; null when
    /// the log carries no `pricing` objects.
    pub meta_billable: Option<u64>,
}

/// Both figures and their difference.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct DeltaRow {
    /// Category or market (empty for the total).
    pub key: String,
    /// As logged.
    pub base: String,
    /// Under the what-if.
    pub what_if: String,
    /// What-if minus base.
    pub delta: String,
}

/// The difference between the what-if and the log as priced.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct WhatIfDelta {
    /// The total.
    pub amount: DeltaRow,
    /// Per category.
    pub by_category: Vec<DeltaRow>,
    /// Per market.
    pub by_market: Vec<DeltaRow>,
}

/// One of Meta's rate-card files, loaded by the user, whose rates or volume tiers a pricing used
/// (named by the card reader's `name` option, `<file name> (SHA-256 <prefix>)`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CardFile {
    /// File name.
    pub name: String,
    /// The prefix of the file's SHA-256 given with its name (hex).
    pub sha256: String,
    /// Card date: the effective date of the file's rows.
    pub date: String,
    /// Currency.
    pub currency: String,
    /// Pricing model.
    pub pricing_model: PricingModel,
    /// `rates` (list rates) or `tiers` (volume tiers).
    pub kind: &'static str,
}

/// The second pricing.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WhatIfReport {
    /// The what-if date (null with `shift: 'none'`).
    pub date: Option<String>,
    /// `months` or `none`.
    pub shift: &'static str,
    /// Calendar months every instant moved (0 with `none`).
    pub months: i32,
    /// Currency of the what-if.
    pub currency: String,
    /// Its totals.
    pub totals: TotalsReport,
    /// Cards it used.
    pub cards: Vec<CardRef>,
    /// The loaded rate-card files it used.
    pub files: Vec<CardFile>,
    /// Its warnings.
    pub warnings: Vec<WarningReport>,
    /// What-if minus base (null when the currencies differ).
    pub delta: Option<WhatIfDelta>,
}

/// Meta's verdict on a message, from its `pricing` object.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct MetaVerdict {
    /// `pricing.billable`.
    pub billable: Option<bool>,
    /// `pricing.pricing_model`.
    pub pricing_model: Option<String>,
    /// `pricing.category`.
    pub category: Option<String>,
    /// `pricing.type`.
    #[serde(rename = "type")]
    pub vtype: Option<String>,
    /// `pricing.subtype` (`paid_exempt`).
    pub subtype: Option<String>,
}

/// The engine's verdict on the same message.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct EngineVerdict {
    /// Whether Meta should call it billable (per-message: charged; conversation era: inside a
    /// conversation that is charged or counted in the free tier).
    pub billable: bool,
    /// Whether a charge falls on this message.
    pub charged: bool,
    /// `CBP` or `PMP`.
    pub pricing_model: PricingModel,
    /// Category.
    pub category: String,
    /// Type.
    #[serde(rename = "type")]
    pub vtype: String,
    /// Amount.
    pub amount: String,
}

/// A message on which Meta and the engine disagree.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Disagreement {
    /// Line of the message's first status.
    pub line: u64,
    /// Message id (`wamid...`).
    pub id: String,
    /// Instant priced (delivery), RFC 3339.
    pub at: String,
    /// Recipient.
    pub user: String,
    /// Market.
    pub market: String,
    /// The fields that differ: `billable`, `pricingModel`, `category`, `type`.
    pub fields: Vec<&'static str>,
    /// Meta's verdict.
    pub meta: MetaVerdict,
    /// The engine's verdict.
    pub engine: EngineVerdict,
    /// The engine's explanation.
    pub explanation: String,
    /// The code of the explanation in the catalogue (`docs/messages.md`).
    pub explanation_code: &'static str,
    /// The parameters of the explanation.
    pub explanation_params: crate::messages::Params,
    /// `money` (Meta and the engine differ on what is paid), `label` (only in words), or
    /// `context` (the log lacks what decides it; see `context`).
    pub class: crate::logs::classify::Class,
    /// What the log lacks, for class `context`.
    pub context: Option<crate::logs::classify::Context>,
    /// The money at stake: what Meta's verdict costs minus what the engine's does (list rates).
    pub at_stake: String,
    /// Meta's verdict in words.
    pub meta_words: String,
    /// The engine's verdict in words.
    pub engine_words: String,
}

/// Disagreements of one class: how many, and the money at stake.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ClassTotal {
    /// Disagreements.
    pub count: u64,
    /// Σ |Meta's amount − the engine's| (decimal string).
    pub amount: String,
}

/// Disagreements per class.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ClassCounts {
    /// Meta and the engine differ on what is paid.
    pub money: ClassTotal,
    /// They differ only in a label.
    pub label: ClassTotal,
    /// The log lacks what decides it.
    pub context: ClassTotal,
}

/// What Meta's labels show that the log does not hold, with the evidence.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Inference {
    /// `authentication_international`, `allowance_used_before`, `nonprofit_exempt`.
    pub code: &'static str,
    /// The inference in words, with the way to give the engine the context.
    pub message: String,
    /// Messages that show it.
    pub count: u64,
    /// The first of them (message ids).
    pub evidence: Vec<String>,
    /// For `allowance_used_before`: the opening state (the `opening` option) that prices these
    /// messages as Meta did, for the first month that shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opening: Option<SuggestedOpening>,
}

/// An opening state suggested by Meta's labels.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SuggestedOpening {
    /// `YYYY-MM`.
    pub month: String,
    /// Per business number (`default` for none), the fewest service messages used before the
    /// log that explain Meta's charges.
    pub service: std::collections::BTreeMap<String, u64>,
}

/// Disagreements per field.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct FieldCounts {
    /// `billable` differs.
    pub billable: u64,
    /// `pricing_model` differs.
    pub pricing_model: u64,
    /// `category` differs.
    pub category: u64,
    /// `type` differs.
    #[serde(rename = "type")]
    pub vtype: u64,
}

/// Message-by-message comparison with Meta's `pricing` objects.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Reconciliation {
    /// Delivered messages with a `pricing` object, compared.
    pub compared: u64,
    /// Of those, agreeing on every field Meta gives.
    pub agreed: u64,
    /// Of those, disagreeing on at least one.
    pub disagreed: u64,
    /// Delivered messages without a `pricing` object (not compared).
    pub without_pricing: u64,
    /// Disagreements per field.
    pub by_field: FieldCounts,
    /// Disagreements per class, with the money at stake.
    pub by_class: ClassCounts,
    /// What Meta's labels show that the log does not hold.
    pub inferences: Vec<Inference>,
    /// The first disagreements (`maxDisagreements`).
    pub disagreements: Vec<Disagreement>,
}

impl Reconciliation {
    /// The listed disagreements as CSV (RFC 4180, a header row), for a spreadsheet: where, the
    /// class and what the log lacks, the money at stake, Meta's verdict and the engine's, in
    /// fields and in words.
    pub fn disagreements_csv(&self) -> String {
        fn field(s: &str) -> String {
            if s.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_string()
            }
        }
        let opt = |s: &Option<String>| s.clone().unwrap_or_default();
        let flag = |b: Option<bool>| b.map_or(String::new(), |b| b.to_string());
        let mut out = String::from("line,id,at,user,market,class,context,at_stake,meta_billable,meta_pricing_model,meta_category,meta_type,meta_subtype,engine_billable,engine_charged,engine_pricing_model,engine_category,engine_type,engine_amount,meta_words,engine_words\n");
        for d in &self.disagreements {
            let context = d.context.map_or("", |c| c.as_str());
            let cells = [
                d.line.to_string(),
                d.id.clone(),
                d.at.clone(),
                d.user.clone(),
                d.market.clone(),
                d.class.as_str().to_string(),
                context.to_string(),
                d.at_stake.clone(),
                flag(d.meta.billable),
                opt(&d.meta.pricing_model),
                opt(&d.meta.category),
                opt(&d.meta.vtype),
                opt(&d.meta.subtype),
                d.engine.billable.to_string(),
                d.engine.charged.to_string(),
                d.engine.pricing_model.as_str().to_string(),
                d.engine.category.clone(),
                d.engine.vtype.clone(),
                d.engine.amount.clone(),
                d.meta_words.clone(),
                d.engine_words.clone(),
            ];
            let row: Vec<String> = cells.iter().map(|c| field(c)).collect();
            out.push_str(&row.join(","));
            out.push('\n');
        }
        out
    }
}

/// The result of pricing a log.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogReport {
    /// `csv`, `jsonl` or `webhook`.
    pub format: &'static str,
    /// Billing currency.
    pub currency: String,
    /// Business time zone.
    pub timezone: String,
    /// What was read.
    pub input: InputReport,
    /// Totals as logged (the same shape as `simulate`'s); null with `parseOnly`.
    pub totals: Option<TotalsReport>,
    /// Cards used.
    pub cards: Vec<CardRef>,
    /// The loaded rate-card files used (Meta's files the user loaded; none with the embedded
    /// data alone).
    pub files: Vec<CardFile>,
    /// Warnings (the simulator's, then the log's own).
    pub warnings: Vec<WarningReport>,
    /// Expected invoice by market × category (rows with a delivered message, a charge or a Meta
    /// billable message), sorted by market then category.
    pub invoice: Vec<InvoiceRow>,
    /// The what-if pricing, if asked for.
    pub what_if: Option<WhatIfReport>,
    /// Comparison with Meta's verdicts (webhook logs; null for other formats).
    pub reconciliation: Option<Reconciliation>,
}
