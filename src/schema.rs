//! What a front end needs to know to build its forms and draw its timelines, read from the
//! engine's own definitions (no second copy): the journey presets with their parameters and
//! defaults, the template categories, event kinds and statuses an input may name, the messaging-limit tiers,
//! the window lengths with the date the free-entry-point window grew to 72 hours, and the log
//! options with their defaults.
//! The binding exposes it as `engine.schema()` (docs/api.md): [`SCHEMA_JSON`], written at compile time.

use crate::input::{DEFAULT_CURRENCY, EVENT_KINDS, STATUSES};
use crate::logs::{FORMATS, ON_ERRORS, SHIFTS};
use crate::messages::{Group, CATALOGUE, TERMS};
use crate::model::{
    TemplateCategory, FEP_72H_START_YMD, FEP_HOURS_BEFORE_72H, FEP_HOURS_DEFAULT,
    PAID_SERVICE_START_YMD,
};
use crate::reasons::PARAM_KINDS;
use crate::scenario::{ParamDef, ParamKind, DEFAULT_FOLLOW_UPS, MESSAGING_LIMITS, PRESETS};
use crate::time::{DAY_MS, HOUR_MS};

/// The schema as JSON text (its shape is in docs/api.md, `engine.schema()`).
///
/// Written at compile time from the definitions above, so that it costs the calculator's wasm
/// (which has a size budget) its text and no code. Every name in it is a plain ASCII identifier,
/// which needs no escaping; a test parses it.
pub const SCHEMA_JSON: &str = match core::str::from_utf8(&SCHEMA_BYTES) {
    Ok(s) => s,
    Err(_) => panic!("the schema is UTF-8"),
};

const BUILT: Json = build();
const SCHEMA_BYTES: [u8; BUILT.n] = {
    let mut out = [0u8; BUILT.n];
    let mut i = 0;
    while i < BUILT.n {
        out[i] = BUILT.b[i];
        i += 1;
    }
    out
};

const fn build() -> Json {
    let mut o = Json {
        b: [0; CAPACITY],
        n: 0,
    };
    o.raw("{\"presets\":[");
    let mut i = 0;
    while i < PRESETS.len() {
        let (id, params) = PRESETS[i];
        o.sep(i);
        o.raw("{\"id\":");
        o.string(id);
        o.raw(",\"params\":[");
        let mut k = 0;
        while k < params.len() {
            o.sep(k);
            o.param(&params[k]);
            k += 1;
        }
        o.raw("]}");
        i += 1;
    }
    o.raw("],\"templateCategories\":[");
    let mut i = 0;
    while i < TemplateCategory::ALL.len() {
        o.sep(i);
        o.string(TemplateCategory::ALL[i].category().as_str());
        i += 1;
    }
    o.raw("],\"kinds\":");
    o.strings(&EVENT_KINDS);
    o.raw(",\"statuses\":");
    o.strings(&STATUSES);
    o.raw(",\"messagingLimits\":[");
    let mut i = 0;
    while i < MESSAGING_LIMITS.len() {
        o.sep(i);
        o.uint(MESSAGING_LIMITS[i], 1);
        i += 1;
    }
    o.raw("]");
    // SPEC §4 (the customer-service window) and §5 (free entry points).
    o.raw(",\"windows\":{\"serviceHours\":");
    o.uint((DAY_MS / HOUR_MS) as u64, 1);
    o.raw(",\"entryPointHours\":");
    o.uint(FEP_HOURS_DEFAULT as u64, 1);
    o.raw(",\"entryPointHoursBeforeSwitch\":");
    o.uint(FEP_HOURS_BEFORE_72H as u64, 1);
    o.raw(",\"fepSwitchDate\":");
    o.date(FEP_72H_START_YMD);
    o.raw("}");
    // The log options a form starts from (docs/logs.md): what `LogOptions::resolve` takes for an
    // option not given (format, currency, time zone UTC, on error), and as the what-if the first
    // day of the newest pricing era, moved to by whole months, so that a log is priced as logged
    // and again under the current rules.
    o.raw(",\"logOptions\":{\"defaults\":{\"format\":");
    o.string(FORMATS[0]);
    o.raw(",\"currency\":");
    o.string(DEFAULT_CURRENCY);
    o.raw(",\"timezone\":\"UTC\",\"whatIf\":");
    o.date(PAID_SERVICE_START_YMD);
    o.raw(",\"shift\":");
    o.string(SHIFTS[0]);
    o.raw(",\"onError\":");
    o.string(ON_ERRORS[0]);
    o.raw("},\"formats\":");
    o.strings(&FORMATS);
    o.raw(",\"shifts\":");
    o.strings(&SHIFTS);
    o.raw(",\"onErrors\":");
    o.strings(&ON_ERRORS);
    o.raw("}");
    // The catalogue of messages (src/messages.rs): each code, its group and its parameters'
    // kinds; the terms a `term` parameter can take.
    o.raw(",\"messages\":[");
    let mut i = 0;
    while i < CATALOGUE.len() {
        let e = &CATALOGUE[i];
        o.sep(i);
        o.raw("{\"code\":");
        o.string(e.code);
        o.raw(",\"group\":");
        o.string(match e.group {
            Group::Warning => "warning",
            Group::Explanation => "explanation",
        });
        o.raw(",\"params\":{");
        let mut k = 0;
        while k < e.params.len() {
            o.sep(k);
            o.string(e.params[k].0);
            o.raw(":");
            o.string(e.params[k].1.as_str());
            k += 1;
        }
        o.raw("}}");
        i += 1;
    }
    // The kind of each error parameter (src/reasons.rs), to write an error's params.
    o.raw("],\"errorParams\":{");
    let mut i = 0;
    let mut g = 0;
    while g < PARAM_KINDS.len() {
        let mut k = 0;
        while k < PARAM_KINDS[g].len() {
            o.sep(i);
            o.string(PARAM_KINDS[g][k].0);
            o.raw(":");
            o.string(PARAM_KINDS[g][k].1.as_str());
            i += 1;
            k += 1;
        }
        g += 1;
    }
    o.raw("},\"terms\":[");
    let mut i = 0;
    while i < TERMS.len() {
        o.sep(i);
        o.raw("[");
        o.string(TERMS[i].0);
        o.raw(",");
        o.string(TERMS[i].1);
        o.raw("]");
        i += 1;
    }
    o.raw("]}");
    o
}

const CAPACITY: usize = 8192;

/// A JSON text being written at compile time.
struct Json {
    b: [u8; CAPACITY],
    n: usize,
}

impl Json {
    const fn raw(&mut self, s: &str) {
        let s = s.as_bytes();
        let mut i = 0;
        while i < s.len() {
            self.b[self.n] = s[i];
            self.n += 1;
            i += 1;
        }
    }

    const fn sep(&mut self, i: usize) {
        if i > 0 {
            self.raw(",");
        }
    }

    const fn string(&mut self, s: &str) {
        self.raw("\"");
        self.raw(s);
        self.raw("\"");
    }

    const fn strings(&mut self, items: &[&str]) {
        self.raw("[");
        let mut i = 0;
        while i < items.len() {
            self.sep(i);
            self.string(items[i]);
            i += 1;
        }
        self.raw("]");
    }

    /// A date `"YYYY-MM-DD"`.
    const fn date(&mut self, (y, m, d): (i32, u32, u32)) {
        self.raw("\"");
        self.uint(y as u64, 4);
        self.raw("-");
        self.uint(m as u64, 2);
        self.raw("-");
        self.uint(d as u64, 2);
        self.raw("\"");
    }

    /// A whole number, with at least `width` digits.
    const fn uint(&mut self, v: u64, width: usize) {
        let mut digits = [0u8; 20];
        let (mut n, mut v) = (0, v);
        while v > 0 || n < width {
            digits[n] = b'0' + (v % 10) as u8;
            v /= 10;
            n += 1;
        }
        while n > 0 {
            n -= 1;
            self.b[self.n] = digits[n];
            self.n += 1;
        }
    }

    /// A number of the schema: the presets' defaults are whole (the build fails if
    /// one is not, so that this writer is extended rather than a value shown wrong).
    const fn number(&mut self, v: f64) {
        assert!(
            v >= 0.0 && v == (v as u64) as f64,
            "a preset default is not a whole number"
        );
        self.uint(v as u64, 1);
    }

    /// `{ key, type, default }` of a preset parameter (its range is the engine's to check).
    const fn param(&mut self, p: &ParamDef) {
        self.raw("{\"key\":");
        self.string(p.key);
        self.raw(",\"type\":");
        self.string(p.kind.as_str());
        self.raw(",\"default\":");
        match p.kind {
            ParamKind::Percent | ParamKind::Number | ParamKind::Count => self.number(p.default),
            ParamKind::Bool => self.raw(if p.default != 0.0 { "true" } else { "false" }),
            ParamKind::FollowUps => {
                self.raw("[");
                let mut i = 0;
                while i < DEFAULT_FOLLOW_UPS.len() {
                    let (hours, c) = DEFAULT_FOLLOW_UPS[i];
                    self.sep(i);
                    self.raw("{\"afterHours\":");
                    self.number(hours);
                    self.raw(",\"category\":");
                    self.string(c.category().as_str());
                    self.raw("}");
                    i += 1;
                }
                self.raw("]");
            }
        }
        self.raw("}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{RawEvent, RawInstant};

    #[test]
    fn every_kind_and_status_listed_is_read_by_the_input() {
        for kind in EVENT_KINDS {
            for status in STATUSES {
                let raw = RawEvent {
                    at: Some(RawInstant::Millis(0.0)),
                    user: Some("+10000000000".into()),
                    kind: Some(kind.into()),
                    category: Some("utility".into()),
                    referral: None,
                    from: None,
                    status: Some(status.into()),
                    ..Default::default()
                };
                assert!(raw.resolve(0).is_ok(), "{kind} {status} is read");
            }
        }
        let raw = RawEvent {
            at: Some(RawInstant::Millis(0.0)),
            user: Some("+10000000000".into()),
            kind: Some("call".into()),
            category: None,
            referral: None,
            from: None,
            status: None,
            ..Default::default()
        };
        assert!(raw.resolve(0).is_err(), "a kind not listed is refused");
    }

    #[test]
    fn presets_list_every_preset_a_journey_accepts_with_its_defaults() {
        let json: serde_json::Value =
            serde_json::from_str(SCHEMA_JSON).unwrap_or_else(|e| panic!("the schema is JSON: {e}"));
        let ids: Vec<&str> = json["presets"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["id"].as_str())
            .collect();
        assert_eq!(
            ids,
            [
                "marketing_campaign",
                "order_lifecycle",
                "otp_login",
                "support",
                "ad_lead"
            ]
        );
        // docs/estimate.md's preset table: order_lifecycle sends the delivery update after 72 h.
        assert_eq!(json["presets"][1]["params"][5]["key"], "deliveryAfterHours");
        assert_eq!(json["presets"][1]["params"][5]["default"], 72.0);
        assert_eq!(json["presets"][1]["params"][1]["default"], true);
        assert_eq!(
            json["presets"][4]["params"][1]["default"][1]["afterHours"],
            96.0
        );
        assert_eq!(json["windows"]["serviceHours"], 24);
        assert_eq!(json["windows"]["entryPointHours"], 72);
        assert_eq!(json["windows"]["entryPointHoursBeforeSwitch"], 24);
        assert_eq!(json["windows"]["fepSwitchDate"], "2023-03-01");
        assert_eq!(
            json["windows"]["fepSwitchDate"],
            crate::time::format_date(crate::model::FEP_72H_START).as_str()
        );
        assert_eq!(
            json["templateCategories"],
            serde_json::json!(["marketing", "utility", "authentication"])
        );
    }

    #[test]
    fn every_preset_of_the_schema_prices_with_its_defaults() {
        let engine = crate::Engine::new().unwrap_or_else(|e| panic!("{e:?}"));
        for (id, _) in PRESETS {
            let scenario = serde_json::json!({
                "business": { "currency": "USD", "timezone": "UTC", "date": "2026-10-01" },
                "audience": { "contacts": 100, "mix": [{ "country": "BR", "share": 100 }] },
                "journeys": [{ "preset": id, "share": 100 }],
            });
            let s: crate::scenario::Scenario =
                serde_json::from_value(scenario).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                crate::estimate::estimate(&engine, &s, None).is_ok(),
                "{id} prices"
            );
        }
    }

    /// The log options of the schema are those the log importer reads, and its defaults are what
    /// it takes when an option is not given.
    #[test]
    fn log_options_are_read_and_their_defaults_are_the_importers() {
        use crate::logs::{LogFormat, LogOptions, OnError, RawLogOptions, Shift};
        let engine = crate::Engine::new().unwrap_or_else(|e| panic!("{e:?}"));
        let json: serde_json::Value =
            serde_json::from_str(SCHEMA_JSON).unwrap_or_else(|e| panic!("the schema is JSON: {e}"));
        let lo = &json["logOptions"];
        let read = |v: serde_json::Value| {
            let raw: RawLogOptions = serde_json::from_value(v).unwrap_or_else(|e| panic!("{e}"));
            LogOptions::resolve(&raw, &engine)
        };
        for key in ["formats", "shifts", "onErrors"] {
            for v in lo[key].as_array().into_iter().flatten() {
                let o = match key {
                    "formats" => serde_json::json!({ "format": v }),
                    // Instants kept need no date (and take none); moved by months, they need one.
                    "shifts" if v == "none" => serde_json::json!({ "whatIf": { "shift": v } }),
                    "shifts" => {
                        serde_json::json!({ "whatIf": { "date": "2026-10-01", "shift": v } })
                    }
                    _ => serde_json::json!({ "onError": v }),
                };
                assert!(read(o).is_ok(), "{key}: {v} is read");
            }
        }
        let d = &lo["defaults"];
        let given = read(serde_json::json!({
            "format": d["format"], "currency": d["currency"], "timezone": d["timezone"],
            "whatIf": { "date": d["whatIf"], "shift": d["shift"] }, "onError": d["onError"],
        }))
        .unwrap_or_else(|e| panic!("{e:?}"));
        let absent = read(serde_json::json!({ "whatIf": { "date": d["whatIf"] } }))
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(given.format, None::<LogFormat>, "auto is no format");
        assert_eq!(given.format, absent.format);
        assert_eq!(given.request.currency, absent.request.currency);
        assert_eq!(given.request.zone, absent.request.zone);
        assert_eq!(given.on_error, OnError::Skip);
        assert_eq!(given.on_error, absent.on_error);
        let (g, a) = (given.what_if.as_ref(), absent.what_if.as_ref());
        assert_eq!(g.map(|w| w.shift), Some(Shift::Months));
        assert_eq!(g.map(|w| w.shift), a.map(|w| w.shift));
        assert_eq!(d["whatIf"], "2026-10-01");
        assert_eq!(
            g.and_then(|w| w.date),
            Some(crate::model::PAID_SERVICE_START)
        );
    }
}
