//! Every reason of scenarios, reseller terms and quotes (docs/errors.md, Reasons) produced through
//! the public API: the error has its code, reason and path, `waprice::reasons::check` accepts its
//! params (exactly the registered ones, of their kinds), and the values a front end writes it
//! with are the input's. Reasons no input can reach are tested inside src/.

mod common;

use rust_decimal::Decimal;
use serde_json::{json, Value as Json};
use std::str::FromStr;
use waprice::estimate::estimate;
use waprice::messages::Value;
use waprice::quote::{decode, quote, QuoteMeta};
use waprice::scenario::Scenario;
use waprice::{Error, ErrorCode};

/// A small valid scenario (India, one-time passwords, billed in USD), changed by `edit`.
fn base() -> Json {
    json!({
        "business": { "date": "2026-10-15" },
        "audience": { "contacts": 1000, "mix": [{ "country": "IN", "share": 100 }] },
        "journeys": [{ "preset": "otp_login" }],
    })
}

fn scenario_with(edit: impl FnOnce(&mut Json)) -> Result<(), Error> {
    let mut v = base();
    edit(&mut v);
    let s: Scenario = waprice::input::from_json(v.to_string().as_bytes(), "")?;
    estimate(&common::engine(), &s, None).map(|_| ())
}

fn quote_with(scenario: impl FnOnce(&mut Json), meta: Json) -> Result<(), Error> {
    let mut v = base();
    scenario(&mut v);
    let s: Scenario = serde_json::from_value(v).expect("scenario");
    let mut m = json!({ "seller": "S", "customer": "C", "issued": "2026-10-01" });
    for (k, x) in meta.as_object().expect("object") {
        m[k] = x.clone();
    }
    let m: QuoteMeta = serde_json::from_value(m).expect("meta");
    quote(&common::engine(), &s, &m).map(|_| ())
}

/// The error of `r`, checked: its code, reason and path, and its params against the registry.
fn expect(r: Result<(), Error>, code: ErrorCode, reason: &str, path: &str) -> Error {
    let e = r.expect_err(reason);
    assert_eq!(
        (e.code, e.reason(), e.path.as_str()),
        (code, reason, path),
        "{e}"
    );
    if let Err(why) = waprice::reasons::check(&e) {
        panic!("{why}");
    }
    e
}

fn param<'a>(e: &'a Error, name: &str) -> &'a Value {
    e.params
        .as_deref()
        .and_then(|p| p.get(name))
        .unwrap_or_else(|| panic!("{e}: no param {name}"))
}

fn text(e: &Error, name: &str) -> String {
    match param(e, name) {
        Value::Text(t) => t.clone(),
        other => panic!("{e}: {name} is {other:?}"),
    }
}

fn number(e: &Error, name: &str) -> Decimal {
    match param(e, name) {
        Value::Number(d) => *d,
        other => panic!("{e}: {name} is {other:?}"),
    }
}

fn count(e: &Error, name: &str) -> u64 {
    match param(e, name) {
        Value::Count(n) => *n,
        other => panic!("{e}: {name} is {other:?}"),
    }
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal")
}

use ErrorCode::*;

#[test]
fn amounts_name_the_amount_as_given() {
    let fee = |v: &str| {
        let v = v.to_string();
        scenario_with(move |s| s["reseller"] = json!({ "perOutbound": v }))
    };
    let e = expect(
        fee("-0.5"),
        InvalidInput,
        "negative_amount",
        "reseller.perOutbound",
    );
    assert_eq!(text(&e, "value"), "-0.5");
    let long = "1".repeat(30);
    let e = expect(
        fee(&long),
        InvalidInput,
        "amount_too_long",
        "reseller.perOutbound",
    );
    assert_eq!(text(&e, "value"), long);
    let e = expect(
        fee("1e3"),
        InvalidInput,
        "not_an_amount",
        "reseller.perOutbound",
    );
    assert_eq!(text(&e, "value"), "1e3");
    // An amount that must be above 0: a point's price, points per unit, an FX rate, a bid.
    let e = expect(
        scenario_with(|s| s["reseller"] = json!({ "prepaid": { "pointPrice": "0.00" } })),
        InvalidInput,
        "zero_amount",
        "reseller.prepaid.pointPrice",
    );
    assert_eq!(text(&e, "value"), "0.00");
    expect(
        scenario_with(|s| {
            s["reseller"] = json!({ "prepaid": { "pointPrice": "0.01", "pointsPerUnit": "0" } })
        }),
        InvalidInput,
        "zero_amount",
        "reseller.prepaid.pointsPerUnit",
    );
    expect(
        scenario_with(|s| s["reseller"] = json!({ "quoteCurrency": "EUR", "fxRate": "0" })),
        InvalidInput,
        "zero_amount",
        "reseller.fxRate",
    );
    let e = expect(
        quote_with(
            |_| {},
            json!({ "maxPrice": { "perThousand": "0", "currency": "USD" } }),
        ),
        InvalidInput,
        "zero_amount",
        "meta.maxPrice.perThousand",
    );
    assert_eq!(text(&e, "value"), "0");
}

#[test]
fn numbers_out_of_range_name_the_value_and_the_range() {
    let e = expect(
        scenario_with(|s| s["audience"]["mix"][0]["share"] = json!(150)),
        InvalidInput,
        "percent_out_of_range",
        "audience.mix[0].share",
    );
    assert_eq!(text(&e, "value"), "150");
    assert_eq!(
        (number(&e, "min"), number(&e, "max")),
        (dec("0"), dec("100"))
    );
    // A markup may be up to 1000 %.
    let e = expect(
        scenario_with(|s| s["reseller"] = json!({ "markupPercent": { "all": 1500 } })),
        InvalidInput,
        "percent_out_of_range",
        "reseller.markupPercent.all",
    );
    assert_eq!(number(&e, "max"), dec("1000"));
    let e = expect(
        scenario_with(|s| s["journeys"][0]["timesPerMonth"] = json!(5000)),
        InvalidInput,
        "number_out_of_range",
        "journeys[0].timesPerMonth",
    );
    assert_eq!(text(&e, "field"), "timesPerMonth");
    assert_eq!(text(&e, "value"), "5000");
    assert_eq!(number(&e, "max"), dec("1000"));
    let e = expect(
        scenario_with(|s| {
            s["journeys"][0] = json!({ "preset": "support", "params": { "chatHours": 10000 } })
        }),
        InvalidInput,
        "number_out_of_range",
        "journeys[0].params.chatHours",
    );
    assert_eq!(text(&e, "field"), "chatHours");
    let e = expect(
        scenario_with(|s| {
            s["journeys"][0] = json!({ "preset": "ad_lead", "params": {
                "followUps": [{ "afterHours": 2000, "category": "marketing" }] } })
        }),
        InvalidInput,
        "number_out_of_range",
        "journeys[0].params.followUps[0].afterHours",
    );
    assert_eq!(text(&e, "field"), "afterHours");
    assert_eq!(number(&e, "max"), dec("1440"));
    let e = expect(
        scenario_with(|s| {
            s["journeys"][0] = json!({ "preset": "support", "params": { "agentReplies": 1.5 } })
        }),
        InvalidInput,
        "count_out_of_range",
        "journeys[0].params.agentReplies",
    );
    assert_eq!(text(&e, "field"), "agentReplies");
    assert_eq!(text(&e, "value"), "1.5");
    assert_eq!(number(&e, "max"), dec("500"));
    let e = expect(
        scenario_with(|s| {
            s["journeys"][0]["share"] = json!(50);
            s["journeys"][0]["occurrencesPerMonth"] = json!(600_000);
        }),
        InvalidInput,
        "occurrences_out_of_range",
        "journeys[0].occurrencesPerMonth",
    );
    // 1,000 contacts, half of them in the journey: at most 1,000 a month each.
    assert_eq!(text(&e, "value"), "600000");
    assert_eq!(
        (number(&e, "min"), number(&e, "max")),
        (dec("0"), dec("500000"))
    );
    assert_eq!(count(&e, "limit"), 1000);
    assert_eq!(number(&e, "contacts"), dec("500"));
    let e = expect(
        scenario_with(|s| {
            s["journeys"][0] = json!({ "steps": [{ "afterHours": 2000, "kind": "inbound" }] })
        }),
        InvalidInput,
        "step_hours_out_of_range",
        "journeys[0].steps[0].afterHours",
    );
    assert_eq!(
        (number(&e, "min"), number(&e, "max")),
        (dec("-720"), dec("1440"))
    );
    let e = expect(
        quote_with(
            |_| {},
            json!({ "maxPrice": { "perThousand": "10", "currency": "USD",
                "multipliers": { "India": 1.5 } } }),
        ),
        InvalidInput,
        "multiplier_out_of_range",
        "meta.maxPrice.multipliers.India",
    );
    assert_eq!(text(&e, "value"), "1.5");
}

#[test]
fn the_business_and_the_audience() {
    let e = expect(
        scenario_with(|s| s["business"]["currency"] = json!("ZZZ")),
        MissingRate,
        "no_card_in_currency",
        "business.currency",
    );
    assert_eq!(param(&e, "currency"), &Value::Currency("ZZZ".into()));
    assert!(text(&e, "currencies").contains("USD"), "{e}");
    let e = expect(
        scenario_with(|s| s["business"]["messagingLimit"] = json!(300)),
        InvalidInput,
        "invalid_messaging_limit",
        "business.messagingLimit",
    );
    assert_eq!(text(&e, "value"), "300");
    let e = expect(
        scenario_with(|s| s["business"]["messagingLimit"] = json!("lots")),
        InvalidInput,
        "invalid_messaging_limit",
        "business.messagingLimit",
    );
    assert_eq!(text(&e, "value"), "lots");
    let e = expect(
        scenario_with(|s| s["business"]["country"] = json!("XX")),
        UnknownCountry,
        "",
        "business.country",
    );
    assert_eq!(text(&e, "value"), "XX");
    expect(
        scenario_with(|s| s["business"]["authInternational"] = json!({ "XX": "2026-01-01" })),
        UnknownCountry,
        "",
        "business.authInternational.XX",
    );
    expect(
        scenario_with(|s| s["business"]["authInternational"] = json!({ "Atlantis": "2026-01-01" })),
        UnknownMarket,
        "",
        "business.authInternational.Atlantis",
    );
    expect(
        scenario_with(|s| s["audience"] = json!({ "mix": [{ "country": "IN", "share": 100 }] })),
        InvalidInput,
        "missing_contacts",
        "audience.contacts",
    );
    let e = expect(
        scenario_with(|s| s["audience"]["contacts"] = json!(2e12)),
        LimitExceeded,
        "too_many_contacts",
        "audience.contacts",
    );
    assert_eq!(text(&e, "value"), "2000000000000");
    assert_eq!(count(&e, "limit"), 1_000_000_000_000);
    expect(
        scenario_with(|s| s["audience"]["mix"] = json!([])),
        InvalidInput,
        "empty_mix",
        "audience.mix",
    );
    let e = expect(
        scenario_with(|s| {
            s["audience"]["mix"] = json!(vec![json!({ "country": "IN", "count": 1 }); 401])
        }),
        LimitExceeded,
        "too_many_mix_entries",
        "audience.mix",
    );
    assert_eq!((count(&e, "count"), count(&e, "limit")), (401, 400));
    expect(
        scenario_with(|s| s["audience"]["mix"] = json!([{ "country": "IN" }])),
        InvalidInput,
        "mix_share_or_count",
        "audience.mix[0]",
    );
    expect(
        scenario_with(|s| s["audience"]["mix"] = json!([{ "share": 100 }])),
        InvalidInput,
        "mix_country_or_market",
        "audience.mix[0]",
    );
    let e = expect(
        scenario_with(|s| s["audience"]["mix"] = json!([{ "country": "XX", "share": 100 }])),
        UnknownCountry,
        "",
        "audience.mix[0].country",
    );
    assert_eq!(text(&e, "value"), "XX");
    expect(
        scenario_with(|s| s["audience"]["mix"] = json!([{ "market": "Atlantis", "share": 100 }])),
        UnknownMarket,
        "",
        "audience.mix[0].market",
    );
    // Bangladesh is a market of its own from 2026-10-01 (Meta's card of that date); before, its
    // numbers are in Rest of Asia Pacific and no country is in the market.
    let e = expect(
        scenario_with(|s| {
            s["business"]["date"] = json!("2026-07-01");
            s["audience"]["mix"] = json!([{ "market": "Bangladesh", "share": 100 }]);
        }),
        UnknownMarket,
        "market_without_country",
        "audience.mix[0].market",
    );
    assert_eq!(param(&e, "market"), &Value::Market("Bangladesh".into()));
    expect(
        scenario_with(|s| {
            s["audience"]["mix"] =
                json!([{ "country": "IN", "share": 50 }, { "country": "BR", "count": 500 }])
        }),
        InvalidInput,
        "mix_shares_and_counts",
        "audience.mix",
    );
    let e = expect(
        scenario_with(|s| {
            s["audience"]["mix"] =
                json!([{ "country": "IN", "share": 50 }, { "country": "BR", "share": 30.5 }])
        }),
        InvalidInput,
        "mix_shares_total",
        "audience.mix",
    );
    assert_eq!(number(&e, "total"), dec("80.5"));
    let e = expect(
        scenario_with(|s| {
            s["audience"]["mix"] =
                json!([{ "country": "IN", "count": 600 }, { "country": "BR", "count": 300 }])
        }),
        InvalidInput,
        "mix_counts_total",
        "audience.mix",
    );
    assert_eq!(
        (number(&e, "total"), number(&e, "contacts")),
        (dec("900"), dec("1000"))
    );
}

#[test]
fn journeys() {
    let e = expect(
        scenario_with(|s| s["journeys"] = json!(vec![json!({ "preset": "otp_login" }); 51])),
        LimitExceeded,
        "too_many_journeys",
        "journeys",
    );
    assert_eq!((count(&e, "count"), count(&e, "limit")), (51, 50));
    let e = expect(
        scenario_with(|s| s["journeys"][0]["preset"] = json!("newsletter")),
        InvalidInput,
        "unknown_preset",
        "journeys[0].preset",
    );
    assert_eq!(text(&e, "value"), "newsletter");
    expect(
        scenario_with(|s| s["journeys"][0] = json!({ "name": "nothing" })),
        InvalidInput,
        "preset_or_steps",
        "journeys[0]",
    );
    expect(
        scenario_with(|s| {
            s["journeys"][0]["steps"] = json!([{ "afterHours": 0, "kind": "inbound" }])
        }),
        InvalidInput,
        "preset_or_steps",
        "journeys[0]",
    );
    let e = expect(
        scenario_with(|s| {
            s["journeys"][0] = json!({ "preset": "ad_lead", "params": {
                "followUps": [{ "afterHours": 2, "category": "service" }] } })
        }),
        InvalidCategory,
        "follow_up_category",
        "journeys[0].params.followUps[0].category",
    );
    assert_eq!(text(&e, "value"), "service");
    let e = expect(
        scenario_with(|s| {
            s["journeys"][0] = json!({ "preset": "ad_lead", "params": {
                "followUps": vec![json!({ "afterHours": 2, "category": "utility" }); 501] } })
        }),
        LimitExceeded,
        "too_many_follow_ups",
        "journeys[0].params.followUps",
    );
    assert_eq!((count(&e, "count"), count(&e, "limit")), (501, 500));
    let e = expect(
        scenario_with(|s| {
            s["journeys"][0] =
                json!({ "steps": vec![json!({ "afterHours": 1, "kind": "inbound" }); 501] })
        }),
        LimitExceeded,
        "too_many_steps",
        "journeys[0].steps",
    );
    assert_eq!((count(&e, "count"), count(&e, "limit")), (501, 500));
    expect(
        scenario_with(|s| s["journeys"][0] = json!({ "steps": [{ "kind": "inbound" }] })),
        InvalidInput,
        "missing_step_hours",
        "journeys[0].steps[0].afterHours",
    );
    let e = expect(
        scenario_with(|s| {
            s["journeys"][0] = json!({ "steps":
                vec![json!({ "afterHours": 1, "kind": "inbound", "share": 50 }); 7] })
        }),
        LimitExceeded,
        "too_many_partial_steps",
        "journeys[0].steps[6].share",
    );
    assert_eq!(count(&e, "limit"), 6);
    expect(
        scenario_with(|s| {
            s["journeys"][0]["timesPerMonth"] = json!(2);
            s["journeys"][0]["occurrencesPerMonth"] = json!(2000);
        }),
        InvalidInput,
        "times_and_occurrences",
        "journeys[0].occurrencesPerMonth",
    );
    // A step's event keeps the error of the event's own field (its reason and params), at the
    // step's path.
    let e = expect(
        scenario_with(|s| {
            s["journeys"][0] = json!({ "steps": [{ "afterHours": 1, "kind": "letter" }] })
        }),
        InvalidKind,
        "",
        "journeys[0].steps[0].kind",
    );
    assert_eq!(text(&e, "value"), "letter");
}

#[test]
fn reseller_terms() {
    let e = expect(
        scenario_with(|s| s["reseller"] = json!({ "markupPercent": { "newsletters": 10 } })),
        InvalidCategory,
        "markup_category",
        "reseller.markupPercent.newsletters",
    );
    assert_eq!(text(&e, "value"), "newsletters");
    let e = expect(
        scenario_with(|s| {
            s["reseller"] =
                json!({ "package": { "kind": "minutes", "included": 10, "price": "5" } })
        }),
        InvalidInput,
        "unknown_package_kind",
        "reseller.package.kind",
    );
    assert_eq!(text(&e, "value"), "minutes");
    let e = expect(
        scenario_with(|s| s["reseller"] = json!({ "quoteCurrency": "EUR" })),
        InvalidInput,
        "fx_rate_missing",
        "reseller.fxRate",
    );
    assert_eq!(param(&e, "currency"), &Value::Currency("USD".into()));
    assert_eq!(param(&e, "quoteCurrency"), &Value::Currency("EUR".into()));
}

#[test]
fn shared_scenarios() {
    let long = format!("w1.{}", "A".repeat(waprice::quote::MAX_ENCODED));
    let e = expect(
        decode(&long).map(|_| ()),
        LimitExceeded,
        "link_too_long",
        "",
    );
    assert_eq!(
        (count(&e, "count"), count(&e, "limit")),
        (long.len() as u64, waprice::quote::MAX_ENCODED as u64)
    );
    let e = expect(
        decode("hello").map(|_| ()),
        InvalidEncoding,
        "link_unreadable",
        "",
    );
    assert_eq!(text(&e, "value"), "hello");
    let e = expect(
        decode("w1.not base64!").map(|_| ()),
        InvalidEncoding,
        "link_unreadable",
        "",
    );
    assert_eq!(text(&e, "value"), "w1.not base64!");
    // Base64url of the bytes FF FE: not UTF-8 text.
    expect(
        decode("w1.__4").map(|_| ()),
        InvalidEncoding,
        "link_unreadable",
        "",
    );
    // A value longer than 40 characters is cut, with an ellipsis.
    let e = expect(
        decode(&format!("x{}", "y".repeat(60))).map(|_| ()),
        InvalidEncoding,
        "link_unreadable",
        "",
    );
    assert_eq!(text(&e, "value"), format!("x{}…", "y".repeat(39)));
    // Base64url of {"x":1}: JSON, but not a scenario.
    let e = expect(
        decode("w1.eyJ4IjoxfQ").map(|_| ()),
        InvalidEncoding,
        "link_bad_json",
        "",
    );
    assert!(text(&e, "detail").contains("unknown field"), "{e}");
}

#[test]
fn quote_options() {
    let e = expect(
        quote_with(|_| {}, json!({ "linesBy": "country" })),
        InvalidOption,
        "option_choice",
        "meta.linesBy",
    );
    assert_eq!(text(&e, "value"), "country");
    expect(
        quote_with(|_| {}, json!({ "markup": "hidden" })),
        InvalidOption,
        "option_choice",
        "meta.markup",
    );
    let e = expect(
        quote_with(
            |_| {},
            json!({ "taxes": [{ "name": "GST", "percent": 18, "on": "everything" }] }),
        ),
        InvalidOption,
        "option_choice",
        "meta.taxes[0].on",
    );
    assert_eq!(text(&e, "value"), "everything");
    expect(
        quote_with(
            |_| {},
            json!({ "taxes": [{ "name": " ", "percent": 18, "on": "all" }] }),
        ),
        InvalidInput,
        "tax_name_empty",
        "meta.taxes[0].name",
    );
    let e = expect(
        quote_with(|_| {}, json!({ "taxes": [{ "name": "VAT", "on": "all" }] })),
        InvalidInput,
        "tax_rate_missing",
        "meta.taxes[0].percent",
    );
    assert_eq!(text(&e, "tax"), "VAT");
    let e = expect(
        quote_with(|_| {}, json!({ "paymentTerms": "x".repeat(2001) })),
        LimitExceeded,
        "text_too_long",
        "meta.paymentTerms",
    );
    assert_eq!((count(&e, "count"), count(&e, "limit")), (2001, 2000));
    let e = expect(
        quote_with(|_| {}, json!({ "validUntil": "2026-09-30" })),
        InvalidOption,
        "valid_until_before_issue",
        "meta.validUntil",
    );
    assert_eq!(text(&e, "value"), "2026-09-30");
    assert_eq!(
        param(&e, "date"),
        &Value::Date(chrono::NaiveDate::from_ymd_opt(2026, 10, 1).expect("date"))
    );
    let e = expect(
        quote_with(|_| {}, json!({ "fxSource": "ECB 2026-10-01" })),
        InvalidOption,
        "fx_source_without_quote",
        "meta.fxSource",
    );
    assert_eq!(text(&e, "value"), "ECB 2026-10-01");
    let e = expect(
        quote_with(
            |_| {},
            json!({ "maxPrice": { "perThousand": "10", "currency": "JPY" } }),
        ),
        InvalidOption,
        "max_price_currency",
        "meta.maxPrice.currency",
    );
    assert_eq!(text(&e, "value"), "JPY");
    let e = expect(
        quote_with(
            |_| {},
            json!({ "maxPrice": { "perThousand": "10", "currency": "EUR" } }),
        ),
        InvalidOption,
        "max_price_not_billing",
        "meta.maxPrice.currency",
    );
    assert_eq!(param(&e, "currency"), &Value::Currency("USD".into()));
    let e = expect(
        quote_with(
            |_| {},
            json!({ "maxPrice": { "perThousand": "10", "currency": "USD",
                "multipliers": { "Atlantis": 0.5 } } }),
        ),
        InvalidOption,
        "multiplier_market",
        "meta.maxPrice.multipliers.Atlantis",
    );
    assert_eq!(text(&e, "value"), "Atlantis");
}
