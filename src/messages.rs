//! The one catalogue of the sentences the engine writes for a person: warnings, notices and the
//! verdict explanations, each a stable code with typed parameters (see `docs/messages.md`).
//!
//! A [`Message`] is `{ code, params, message, path, index }`: `params` is a flat ordered map of
//! typed values ([`Value`]) that serialises to a plain object (money as decimal strings, dates as
//! `YYYY-MM-DD`, counts as integers, markets by the engine's market name, categories by id), and
//! `message` is the English sentence, rendered from the same params by [`render`] with the
//! template of [`CATALOGUE`] — the one place English is written. Front ends render their own
//! languages from the code and the params; the catalogue's codes and parameter kinds are in
//! `engine.schema().messages`.

use crate::model::Category;
use crate::time::{format_date, Date};
use rust_decimal::Decimal;
use serde::ser::{Serialize, SerializeMap, Serializer};

/// The kind of a parameter, as front ends format it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An amount of money, a decimal string, in the message's `currency` parameter.
    Money,
    /// A decimal number that is not money (a rate of exchange, a percentage), a decimal string.
    Number,
    /// A whole count, an integer.
    Count,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// A market, by the engine's market name (`India`, `Rest of Africa`).
    Market,
    /// A country, ISO 3166-1 alpha-2.
    Country,
    /// A category id (`marketing`, `authentication_international`, `service`…).
    Category,
    /// A currency code (ISO 4217).
    Currency,
    /// A messaging-limit tier: an integer, or `unlimited`.
    Limit,
    /// One of a fixed set of ids whose words the catalogues give (`term.NAME.ID`).
    Term,
    /// Another message's code (its title in the catalogues: `warn.CODE`).
    Code,
    /// Text from the input, shown as it is (a phone number, a list of line numbers).
    Text,
}

impl Kind {
    /// The kind's name in `engine.schema().messages`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Money => "money",
            Kind::Number => "number",
            Kind::Count => "count",
            Kind::Date => "date",
            Kind::Market => "market",
            Kind::Country => "country",
            Kind::Category => "category",
            Kind::Currency => "currency",
            Kind::Limit => "limit",
            Kind::Term => "term",
            Kind::Code => "code",
            Kind::Text => "text",
        }
    }
}

/// A parameter's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Money (see [`Kind::Money`]).
    Money(Decimal),
    /// A decimal number.
    Number(Decimal),
    /// A count.
    Count(u64),
    /// A date.
    Date(Date),
    /// A market name.
    Market(String),
    /// An ISO country code.
    Country(String),
    /// A category.
    Category(Category),
    /// A currency code.
    Currency(String),
    /// A messaging-limit tier (`None`: unlimited).
    Limit(Option<u64>),
    /// A term id.
    Term(&'static str),
    /// A message code.
    Code(&'static str),
    /// Text.
    Text(String),
}

impl Value {
    /// The kind of the value.
    pub fn kind(&self) -> Kind {
        match self {
            Value::Money(_) => Kind::Money,
            Value::Number(_) => Kind::Number,
            Value::Count(_) => Kind::Count,
            Value::Date(_) => Kind::Date,
            Value::Market(_) => Kind::Market,
            Value::Country(_) => Kind::Country,
            Value::Category(_) => Kind::Category,
            Value::Currency(_) => Kind::Currency,
            Value::Limit(_) => Kind::Limit,
            Value::Term(_) => Kind::Term,
            Value::Code(_) => Kind::Code,
            Value::Text(_) => Kind::Text,
        }
    }

    /// The value as English text in a sentence.
    fn english(&self, name: &str, params: &Params, out: &mut String) {
        match self {
            Value::Money(d) | Value::Number(d) => out.push_str(&crate::money::to_string(*d)),
            Value::Count(n) => out.push_str(&n.to_string()),
            Value::Date(d) => out.push_str(&format_date(*d)),
            Value::Market(s) | Value::Country(s) | Value::Currency(s) | Value::Text(s) => {
                out.push_str(s)
            }
            Value::Category(c) => out.push_str(&c.as_str().replace('_', "-")),
            Value::Limit(Some(n)) => out.push_str(&n.to_string()),
            Value::Limit(None) => out.push_str("unlimited"),
            Value::Code(c) => out.push_str(c),
            Value::Term(id) => {
                let t = TERMS
                    .iter()
                    .find(|(n, i, _)| *n == name && i == id)
                    .map_or(*id, |t| t.2);
                fill(t, params, out);
            }
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Money(d) | Value::Number(d) => s.serialize_str(&crate::money::to_string(*d)),
            Value::Count(n) | Value::Limit(Some(n)) => s.serialize_u64(*n),
            Value::Limit(None) => s.serialize_str("unlimited"),
            Value::Date(d) => s.serialize_str(&format_date(*d)),
            Value::Market(t) | Value::Country(t) | Value::Currency(t) | Value::Text(t) => {
                s.serialize_str(t)
            }
            Value::Category(c) => s.serialize_str(c.as_str()),
            Value::Term(t) | Value::Code(t) => s.serialize_str(t),
        }
    }
}

/// The parameters of a message: a flat map, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(pub Vec<(&'static str, Value)>);

impl Params {
    /// No parameters.
    pub const fn new() -> Params {
        Params(Vec::new())
    }

    /// The same with `name` set to `value`.
    #[inline(never)]
    pub fn with(mut self, name: &'static str, value: Value) -> Params {
        self.0.push((name, value));
        self
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Params {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// One warning, notice or explanation: a code of [`CATALOGUE`], its parameters, and the input
/// path or the event it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The stable code.
    pub code: &'static str,
    /// The parameters its sentence names.
    pub params: Params,
    /// The input path it is about (`business.messagingLimit`), if one.
    pub path: Option<String>,
    /// The event (its index in the input) it is about, if one.
    pub index: Option<u32>,
}

impl Message {
    /// A message about the whole input.
    pub fn new(code: &'static str, params: Params) -> Message {
        Message {
            code,
            params,
            path: None,
            index: None,
        }
    }

    /// The same about the input path `path`.
    pub fn at(mut self, path: impl Into<String>) -> Message {
        self.path = Some(path.into());
        self
    }

    /// The English sentence.
    pub fn message(&self) -> String {
        render(self.code, &self.params)
    }
}

impl Serialize for Message {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("code", self.code)?;
        m.serialize_entry("params", &self.params)?;
        m.serialize_entry("message", &self.message())?;
        m.serialize_entry("path", &self.path)?;
        m.serialize_entry("index", &self.index)?;
        m.end()
    }
}

/// What a code is: a warning or notice about a result, or the explanation of a verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// A warning (a result to read with care) or a notice about the data.
    Warning,
    /// Why one message costs what it costs (a verdict's explanation).
    Explanation,
}

/// One entry of the catalogue: the code, its group, its parameters and their kinds, and its
/// English template (`{name}` is a parameter).
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// The code.
    pub code: &'static str,
    /// Warning or explanation.
    pub group: Group,
    /// The parameters, in order.
    pub params: &'static [(&'static str, Kind)],
    /// The English template.
    pub en: &'static str,
}

use Group::{Explanation as X, Warning as W};
use Kind::*;

const fn e(
    code: &'static str,
    group: Group,
    params: &'static [(&'static str, Kind)],
    en: &'static str,
) -> Entry {
    Entry {
        code,
        group,
        params,
        en,
    }
}

/// Every code the engine writes, with its English template.
pub const CATALOGUE: &[Entry] = &[
    // The simulator's warnings (src/pricing/).
    e("no_window", W, &[("index", Count), ("user", Text)],
        "event {index}: a free-form message to {user} with no open customer-service window cannot be delivered; only templates can be sent"),
    e("missing_rate", W, &[("currency", Currency), ("market", Market), ("category", Category), ("date", Date)],
        "no {currency} rate for {market} {category} on {date}: these messages are unpriced and left out of the total; load a rate card file with this rate"),
    e("tier_list_mismatch", W, &[("currency", Currency), ("date", Date), ("market", Market), ("category", Category), ("tierRate", Money), ("listRate", Money)],
        "the {currency} volume-tier table of {date} for {market} {category} prices band 1 at {tierRate} but the list rate in force is {listRate}; the tier table was used"),
    e("opening_not_used", W, &[("part", Term), ("month", Text), ("first", Date), ("count", Count)],
        "part of the opening state was not counted: {part}"),
    e("no_tier_table", W, &[("currency", Currency), ("market", Market), ("category", Category), ("date", Date)],
        "no {currency} volume-tier table is known for {market} {category} on {date}: the list rate was applied to every message"),
    e("more_warnings", W, &[("count", Count), ("total", Count), ("warning", Code)],
        "{count} more {warning} warnings not listed ({total} in all)"),
    // A scenario's and an estimate's warnings (src/scenario/, src/estimate/).
    e("messaging_limit_tier", W, &[("given", Count), ("date", Date), ("tier", Limit)],
        "there is no {given} messaging-limit tier on {date} (the tiers changed on 2025-10-07): the {tier} tier of that date is used"),
    e("no_journeys", W, &[], "the scenario has no journeys: nothing is sent"),
    e("auth_international_no_country", W, &[],
        "authentication-international eligibility is set without business.country: every recipient is taken as abroad"),
    e("auth_international_no_rate", W, &[("market", Market)],
        "{market} has no authentication-international rate on this card: its authentication templates stay at the authentication rate"),
    e("auth_international_home", W, &[("country", Country)],
        "the business is in {country}: its own country's recipients are never charged the international rate"),
    e("fx", W, &[("currency", Currency), ("quoteCurrency", Currency), ("fxRate", Number), ("margin", Number)],
        "meta bills in {currency}; the {quoteCurrency} figures use the FX rate entered ({fxRate} {quoteCurrency} per {currency}, {margin}% margin), not a market rate"),
    e("messaging_limit", W, &[("peak", Count), ("limit", Limit), ("scope", Term), ("needed", Limit), ("hours", Count), ("ramp", Term)],
        "the scenario sends business-initiated messages to up to {peak} unique customers in one day, above the messaging limit of {limit} {scope}; reaching {needed} takes about {hours} hours of ramp-up ({ramp})"),
    e("messaging_limit_verification", W, &[("peak", Count), ("limit", Limit), ("scope", Term), ("needed", Limit), ("hours", Count), ("ramp", Term)],
        "the scenario sends business-initiated messages to up to {peak} unique customers in one day, above the messaging limit of {limit} {scope}; reaching {needed} takes business verification, then about {hours} hours of ramp-up ({ramp})"),
    e("no_card", W, &[], "no rate card was used"),
    // Notices about the data (src/notices.rs).
    e("card_not_verified", W, &[("date", Date), ("quarter", Date), ("currency", Currency), ("card", Date)],
        "{date} is on or after {quarter}, the first quarter start after the latest {currency} card known ({card}): meta may have changed rates since; the {card} card is used, not verified"),
    e("card_behind", W, &[("currency", Currency), ("card", Date), ("newer", Date), ("otherCurrency", Currency)],
        "the latest {currency} card held is {card}, but meta published a {newer} card ({otherCurrency}): {currency} rates from {newer} may differ from those used; load meta's {currency} card of {newer}"),
    e("billing_currency_rule", W, &[("from", Date), ("market", Market), ("billingCurrency", Currency), ("applies", Term)],
        "from {from} meta bills businesses whose billing country is {market} in {billingCurrency} only and stops delivering the messages of their non-{billingCurrency} accounts ({applies}): price this scenario in {billingCurrency}"),
    // The log pricer's warnings (src/logs/).
    e("assumed_kind", W, &[("count", Count), ("lines", Text)],
        "{count} business messages carry a Meta category that does not say whether a template or a free-form message was sent (referral_conversion, user_initiated, business_initiated, no pricing, or a conversation-era rider); each was taken as a free-form message when the customer had written in the last 24 hours and as a marketing template otherwise (first at lines {lines}). Give a template map (message id → category) to price them exactly"),
    e("not_delivered_timeout", W, &[("count", Count), ("seconds", Count)],
        "{count} webhook messages had only a `sent` status {seconds} s after it (deliveryTimeout): priced as not delivered"),
    e("empty_log", W, &[("lines", Count), ("malformed", Count)],
        "the log holds no message or status to price ({lines} lines read, {malformed} malformed): check that it is the log meant, and its format"),
    // Verdict explanations (src/report.rs), one per reason of the kernel (SPEC §4–§12).
    e("expl_failed", X, &[("what", Term), ("category", Category)],
        "This {what} failed to deliver, so Meta charges nothing for it and it opens no window."),
    e("expl_not_delivered", X, &[("what", Term), ("category", Category)],
        "This {what} was sent but never delivered, so Meta charges nothing for it and it opens no window."),
    e("expl_no_window", X, &[("what", Term), ("category", Category)],
        "This {what} cannot be delivered: the customer has not written in the last 24 hours, so only a template can be sent."),
    e("expl_entry_point_opened", X, &[("hours", Count)],
        "The customer came from an ad or Page button and this reply came within 24 hours, so it opens a free {hours}-hour entry-point window: every message in it is free."),
    e("expl_entry_point_inside", X, &[],
        "Free: it falls inside the free entry-point window opened after the customer came from an ad or Page button."),
    e("expl_conversation_opened", X, &[("what", Term), ("category", Category), ("market", Market), ("rate", Money), ("currency", Currency)],
        "This {what} opens a 24-hour {category} conversation with {market}, charged once at {currency} {rate}; further messages in it are free."),
    e("expl_conversation_free_tier", X, &[("what", Term), ("category", Category)],
        "This {what} opens a 24-hour {category} conversation that falls within the month's free conversations, so it costs nothing."),
    e("expl_conversation_service", X, &[("what", Term), ("category", Category)],
        "This {what} opens a 24-hour service conversation; service conversations are free since 1 November 2024."),
    e("expl_rider", X, &[("category", Category), ("hours", Number)],
        "Free: it is sent inside a {category} conversation already open for another {hours} h, which was charged (or counted) when it opened."),
    e("expl_carried_utility", X, &[("date", Date)],
        "Free: it rides in a utility conversation opened before per-message pricing began on {date}, which stays open until it ends."),
    e("expl_template_charged", X, &[("what", Term), ("category", Category), ("market", Market), ("rate", Money), ("currency", Currency)],
        "Charged {currency} {rate} for a delivered {what} to {market}; templates are priced per delivered message."),
    e("expl_template_charged_tier", X, &[("what", Term), ("category", Category), ("market", Market), ("rate", Money), ("currency", Currency), ("tier", Count)],
        "Charged {currency} {rate} for a delivered {what} to {market} (volume tier {tier} of this month's volume); templates are priced per delivered message."),
    e("expl_utility_in_window", X, &[],
        "Free: a utility template sent while the customer-service window is open costs nothing until 30 September 2026."),
    e("expl_service_in_window", X, &[("what", Term), ("category", Category)],
        "Free: a {what} inside the customer-service window costs nothing under per-message pricing."),
    e("expl_reaction", X, &[],
        "Free: reactions are never charged and do not count toward the service allowance."),
    e("expl_service_allowance", X, &[("n", Count), ("of", Count)],
        "Free: service message {n} of the {of} free service messages this business number gets this month."),
    e("expl_service_charged", X, &[("rate", Money), ("currency", Currency), ("n", Count), ("of", Count)],
        "Charged {currency} {rate} at the service rate: this is service message {n} this month, past the {of} free ones."),
    e("expl_nonprofit_service", X, &[],
        "Free: eligible government and non-profit bodies keep free service messages until 31 December 2027."),
];

/// The words of term parameters: (parameter, id, English). A term's words may name other
/// parameters of the message.
pub const TERMS: &[(&str, &str, &str)] = &[
    ("what", "template", "{category} template"),
    ("what", "message", "free-form message"),
    ("what", "reaction", "reaction"),
    ("what", "inbound", "message"),
    ("what", "marketing_lite", "marketing message (Marketing Messages API)"),
    ("part", "month", "its month {month} is before the log's first business message, on {first}"),
    ("part", "service", "{count} service messages, since {month} is before 2026-10, when the free service allowance begins"),
    ("part", "charged", "{count} charged messages, since {month} is before 2025-07, when volume tiers begin"),
    ("scope", "number", "per business number"),
    ("scope", "portfolio", "shared by the portfolio"),
    ("ramp", "two_days_per_step", "two days per tier"),
    (
        "ramp",
        "six_hours_once_half_used",
        "an upgrade about 6 hours after half the limit is used",
    ),
    (
        "applies",
        "billing_country",
        "the business's billing country is {market}",
    ),
    (
        "applies",
        "market",
        "this applies if the business is billed in that country",
    ),
];

/// The catalogue entry of `code`.
pub fn entry(code: &str) -> Option<&'static Entry> {
    CATALOGUE.iter().find(|e| e.code == code)
}

/// The code and English template of each entry: all that rendering needs at run time, so that
/// the parameters' names and kinds (read at compile time into the schema) stay out of the wasm.
static ENGLISH: [(&str, &str); CATALOGUE.len()] = {
    let mut out = [("", ""); CATALOGUE.len()];
    let mut i = 0;
    while i < CATALOGUE.len() {
        out[i] = (CATALOGUE[i].code, CATALOGUE[i].en);
        i += 1;
    }
    out
};

/// Fills a template's `{name}` placeholders from `params`; a name without a value stays as it is.
fn fill(template: &str, params: &Params, out: &mut String) {
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find('}') {
            Some(j) => {
                let name = &after[..j];
                match params.get(name) {
                    Some(v) => v.english(name, params, out),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[j + 1..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
}

/// The English sentence of `code` with `params` (the code itself if it is not in the catalogue,
/// which a test rules out for every code the engine writes).
pub fn render(code: &str, params: &Params) -> String {
    let mut out = String::new();
    match ENGLISH.iter().find(|e| e.0 == code) {
        Some(e) => fill(e.1, params, &mut out),
        None => out.push_str(code),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case_and_documented() {
        let doc = include_str!("../docs/messages.md");
        let mut seen = std::collections::HashSet::new();
        for e in CATALOGUE {
            assert!(seen.insert(e.code), "duplicate code {}", e.code);
            assert!(
                e.code.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{}",
                e.code
            );
            assert!(
                !e.en.trim().is_empty(),
                "{} has an English template",
                e.code
            );
            assert!(
                doc.contains(&format!("| `{}` |", e.code)),
                "{} missing from docs/messages.md",
                e.code
            );
        }
    }

    /// Every placeholder of a template (and of the terms it names) is a parameter of its code,
    /// and every parameter is used; every term a parameter can take has words.
    #[test]
    fn templates_name_exactly_their_params() {
        let names = |t: &str| -> Vec<String> {
            t.split('{')
                .skip(1)
                .filter_map(|s| s.split_once('}').map(|(n, _)| n.to_string()))
                .collect()
        };
        for e in CATALOGUE {
            let mut used = names(e.en);
            for (p, k) in e.params {
                if *k == Kind::Term {
                    let terms: Vec<_> = TERMS.iter().filter(|t| t.0 == *p).collect();
                    assert!(!terms.is_empty(), "{}: no words for term {p}", e.code);
                    for t in terms {
                        used.extend(names(t.2));
                    }
                }
            }
            for n in &used {
                assert!(
                    e.params.iter().any(|(p, _)| p == n),
                    "{}: {{{n}}} is not a parameter",
                    e.code
                );
            }
            for (p, _) in e.params {
                assert!(used.iter().any(|n| n == p), "{}: {p} unused", e.code);
            }
        }
    }

    #[test]
    fn renders_and_serialises_typed_params() {
        let m = Message::new(
            "missing_rate",
            Params::new()
                .with("currency", Value::Currency("USD".into()))
                .with("market", Value::Market("India".into()))
                .with(
                    "category",
                    Value::Category(Category::AuthenticationInternational),
                )
                .with("date", Value::Date(crate::time::ymd(2026, 10, 1))),
        );
        assert_eq!(
            m.message(),
            "no USD rate for India authentication-international on 2026-10-01: these messages are unpriced and left out of the total; load a rate card file with this rate"
        );
        let j = serde_json::to_value(&m).unwrap();
        assert_eq!(j["params"]["category"], "authentication_international");
        assert_eq!(j["params"]["date"], "2026-10-01");
        assert_eq!(j["path"], serde_json::Value::Null);
        let m = Message::new(
            "expl_no_window",
            Params::new()
                .with("what", Value::Term("template"))
                .with("category", Value::Category(Category::Marketing)),
        );
        assert!(m.message().starts_with("This marketing template cannot"));
        let j = serde_json::to_value(Params::new().with("n", Value::Count(3))).unwrap();
        assert_eq!(j, serde_json::json!({ "n": 3 }));
    }
}
