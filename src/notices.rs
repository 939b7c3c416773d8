//! Dated notices about the data itself, attached to estimates, comparisons and quotes: a date
//! beyond the latest card known in a currency (`card_not_verified`), a currency whose latest card
//! is older than another currency's (`card_behind`), and Meta's announced billing-currency rules
//! (`billing_currency_rule`). See `docs/data.md`.

use crate::engine::Engine;
use crate::messages::{Params, Value};
use crate::time::{ymd, Date};

/// One notice: a message of the catalogue (`src/messages.rs`) naming the card and the date.
pub type Notice = crate::messages::Message;

/// The first quarter start (1 January, April, July or October) strictly after `d`.
pub fn next_quarter_start(d: Date) -> Date {
    use chrono::Datelike;
    let (y, m) = (d.year(), d.month());
    let q = (m - 1) / 3; // 0..=3
    if q == 3 {
        ymd(y + 1, 1, 1)
    } else {
        ymd(y, q * 3 + 4, 1)
    }
}

/// Meta's announced billing-currency rules (SPEC §15; data/PROVENANCE.md, third pass, S17):
/// businesses billed in India must pay in INR from 2027-01-01, in Brazil in BRL from 2027-07-01.
pub const BILLING_RULES: [(&str, &str, &str, Date); 2] = [
    ("IN", "India", "INR", ymd(2027, 1, 1)),
    ("BR", "Brazil", "BRL", ymd(2027, 7, 1)),
];

/// The latest effective date of any row in a currency.
fn latest_card(engine: &Engine, currency: &str) -> Option<Date> {
    engine
        .rates
        .rate_rows
        .iter()
        .filter(|r| r.currency == currency)
        .map(|r| r.effective)
        .max()
}

/// The notices for pricing `date` in `currency`. `country` is the business's billing country
/// (ISO), if known; `markets` the markets the traffic reaches.
pub fn notices(
    engine: &Engine,
    currency: &str,
    date: Date,
    country: Option<&str>,
    markets: &[&str],
) -> Vec<Notice> {
    let mut out = Vec::new();
    let latest = latest_card(engine, currency);
    // SPEC §15, "rates beyond the data": Meta changes rates only on quarter starts, with at least
    // a month's notice; from the first quarter start after the latest card known, rates may
    // differ from the data.
    if let Some(l) = latest {
        let q = next_quarter_start(l);
        if date >= q {
            out.push(Notice::new(
                "card_not_verified",
                Params::new()
                    .with("date", Value::Date(date))
                    .with("quarter", Value::Date(q))
                    .with("currency", Value::Currency(currency.to_string()))
                    .with("card", Value::Date(l)),
            ));
        }
    }
    // A newer card in another currency, in force on the date, that this currency lacks.
    let newest_other = engine
        .rates
        .rate_rows
        .iter()
        .filter(|r| r.currency != currency && r.effective <= date)
        .map(|r| (r.effective, r.currency.as_str()))
        .max();
    if let (Some(l), Some((o, other))) = (latest, newest_other) {
        if o > l {
            out.push(Notice::new(
                "card_behind",
                Params::new()
                    .with("currency", Value::Currency(currency.to_string()))
                    .with("card", Value::Date(l))
                    .with("newer", Value::Date(o))
                    .with("otherCurrency", Value::Currency(other.to_string())),
            ));
        }
    }
    for (iso, name, cur, from) in BILLING_RULES {
        if date < from || currency == cur {
            continue;
        }
        let applies = match country {
            Some(c) => c.eq_ignore_ascii_case(iso),
            None => markets.contains(&name),
        };
        if applies {
            out.push(Notice::new(
                "billing_currency_rule",
                Params::new()
                    .with("from", Value::Date(from))
                    .with("market", Value::Market(name.to_string()))
                    .with("billingCurrency", Value::Currency(cur.to_string()))
                    .with(
                        "applies",
                        Value::Term(match country {
                            Some(_) => "billing_country",
                            None => "market",
                        }),
                    ),
            ));
        }
    }
    out
}

/// The notices of a planned scenario (its currency, date, business country and the markets of
/// its audience): the one hook of estimates, comparisons and quotes.
pub fn for_plan(engine: &Engine, plan: &crate::scenario::Plan) -> Vec<Notice> {
    let markets: Vec<&str> = plan
        .segments
        .iter()
        .map(|s| {
            let r = engine
                .markets
                .resolve(s.phone, plan.date, &plan.options.markets);
            engine.markets.name(r.market)
        })
        .collect();
    notices(
        engine,
        &plan.currency,
        plan.date,
        plan.business.country.as_deref(),
        &markets,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_starts() {
        assert_eq!(next_quarter_start(ymd(2026, 10, 1)), ymd(2027, 1, 1));
        assert_eq!(next_quarter_start(ymd(2026, 12, 31)), ymd(2027, 1, 1));
        assert_eq!(next_quarter_start(ymd(2024, 8, 1)), ymd(2024, 10, 1));
        assert_eq!(next_quarter_start(ymd(2025, 1, 1)), ymd(2025, 4, 1));
    }

    /// The embedded data's latest USD card is 2026-10-01 (data/PROVENANCE.md): a date in 2027
    /// is not verified, one in December 2026 is; EUR's latest card (2026-10-01, Italy only) is
    /// not behind USD; GBP has no card at all.
    #[test]
    fn notices_on_the_embedded_data() {
        let e = Engine::new().unwrap();
        let codes = |cur: &str, d: Date, country: Option<&str>, m: &[&str]| {
            notices(&e, cur, d, country, m)
                .into_iter()
                .map(|n| n.code)
                .collect::<Vec<_>>()
        };
        assert!(codes("USD", ymd(2026, 12, 31), None, &[]).is_empty());
        let n = notices(&e, "USD", ymd(2027, 1, 1), None, &[]);
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].code, "card_not_verified");
        assert!(
            n[0].message().contains("2027-01-01") && n[0].message().contains("2026-10-01"),
            "{}",
            n[0].message()
        );
        assert_eq!(
            codes("USD", ymd(2031, 1, 1), Some("IN"), &[]),
            vec!["card_not_verified", "billing_currency_rule"]
        );
        assert_eq!(
            codes("INR", ymd(2027, 2, 1), Some("IN"), &[]),
            vec!["card_not_verified"]
        );
        assert_eq!(
            codes("USD", ymd(2027, 7, 1), None, &["Brazil", "India"]),
            vec![
                "card_not_verified",
                "billing_currency_rule",
                "billing_currency_rule"
            ]
        );
        assert!(codes("USD", ymd(2027, 3, 1), Some("BR"), &[]) == vec!["card_not_verified"]);
        assert!(codes("GBP", ymd(2026, 10, 1), None, &[]).is_empty());
    }

    /// A USD card of 2027-01-01 loaded: INR (latest 2026-10-01) is behind it from that date on.
    #[test]
    fn a_newer_card_in_another_currency() {
        let mut e = Engine::new().unwrap();
        e.load_rate_file(
            b"Cost per message in USD, effective January 1, 2027\nMarket,Marketing\nIndia,0.0130\n",
            &crate::metafile::LoadOptions::default(),
        )
        .unwrap();
        let n = notices(&e, "INR", ymd(2027, 2, 1), Some("IN"), &[]);
        let codes: Vec<_> = n.iter().map(|n| n.code).collect();
        assert_eq!(codes, vec!["card_not_verified", "card_behind"]);
        assert!(
            n[1].message().contains("2027-01-01 card (USD)"),
            "{}",
            n[1].message()
        );
        assert!(notices(&e, "INR", ymd(2026, 12, 1), Some("IN"), &[]).is_empty());
        assert!(notices(&e, "USD", ymd(2027, 2, 1), None, &[]).is_empty());
    }
}
