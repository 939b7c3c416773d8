//! Results as text for people: a few lines of totals and aligned tables. The `--json` output is
//! the complete result; these tables are a reading of it.

use waprice::engine::RateCard;
use waprice::estimate::{Comparison, Estimate};
use waprice::quote::Quote;
use waprice::report::SimulationReport;

/// Rows as aligned columns, indented by two spaces; columns from `right_from` on are aligned
/// right (numbers).
pub fn table(rows: &[Vec<String>], right_from: usize) -> String {
    table_with(rows, |c| c >= right_from)
}

/// Rows as aligned columns; `right(c)` says whether column `c` is aligned right.
pub fn table_with(rows: &[Vec<String>], right: impl Fn(usize) -> bool) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let width: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::from("  ");
        for (c, cell) in r.iter().enumerate() {
            if c > 0 {
                line.push_str("  ");
            }
            if right(c) {
                line.push_str(&format!("{cell:>w$}", w = width[c]));
            } else {
                line.push_str(&format!("{cell:<w$}", w = width[c]));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `n` and a noun, in the singular for one (`1 line`, `2 lines`).
pub fn count(n: u64, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        _ => format!("{n} {noun}s"),
    }
}

fn row<const N: usize>(cells: [&str; N]) -> Vec<String> {
    cells.iter().map(|s| s.to_string()).collect()
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_else(|| "-".to_string())
}

/// The cards of an estimate, with their provenance.
pub fn cards(e: &Estimate) -> String {
    e.cards
        .iter()
        .map(|c| {
            format!(
                "{} {} {} (confidence {}, sources {})",
                c.date,
                c.currency,
                c.pricing_model.as_str(),
                c.confidence,
                c.sources
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// "at least " before a total that leaves charged messages unpriced, nothing before a whole one.
pub fn at_least(complete: bool) -> &'static str {
    if complete {
        ""
    } else {
        "at least "
    }
}

/// The unpriced lines of an incomplete total, and the way out; empty when complete.
pub fn unpriced(currency: &str, date: &str, lines: &[waprice::report::Unpriced]) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let mut markets: Vec<&str> = lines.iter().map(|u| u.market.as_str()).collect();
    markets.dedup();
    let mut o = format!(
        "incomplete: {} {} no {currency} rate on the card{} (left out of the total):\n",
        markets.len(),
        if markets.len() == 1 {
            "market has"
        } else {
            "markets have"
        },
        if date.is_empty() {
            String::new()
        } else {
            format!(" of {date}")
        }
    );
    for u in lines {
        o.push_str(&format!(
            "  unpriced: {} {}, {} messages\n",
            u.market, u.category, u.messages
        ));
    }
    o.push_str(&format!(
        "  load Meta's {currency} rate card with --rates FILE, or choose a currency that has the card\n"
    ));
    o
}

pub fn estimate(e: &Estimate) -> String {
    let mut o = format!(
        "estimate for {} (pricing date {}, {}, time zone {}), {} contacts\n",
        e.month, e.date, e.currency, e.timezone, e.contacts
    );
    o.push_str(&format!(
        "total {}{} {}  (Meta {}, reseller {}{})\n",
        at_least(e.complete),
        e.currency,
        e.total,
        e.meta.total,
        e.reseller.total,
        if e.reseller.one_time != "0" {
            format!(", one-time {}", e.reseller.one_time)
        } else {
            String::new()
        }
    ));
    o.push_str(&unpriced(&e.currency, &e.date, &e.unpriced));
    if let Some(q) = &e.quote {
        o.push_str(&format!(
            "in {}: {} (rate {}, one-time {})\n",
            q.currency, q.total, q.fx_rate, q.one_time
        ));
    }
    o.push_str(&format!(
        "messages: {} sent, {} delivered, {} charged, {} free, {} not delivered; {} customer messages\n",
        e.messages.business,
        e.messages.delivered,
        e.messages.charged,
        e.messages.free,
        e.messages.not_delivered,
        e.messages.inbound
    ));
    o.push_str(&format!(
        "free: {} in the service window, {} entry point, {} service allowance, {} free tier, {} in a conversation; tier savings {}\n",
        e.free.window, e.free.entry_point, e.free.allowance, e.free.free_tier, e.free.conversation, e.tier_savings
    ));
    o.push_str(&format!("cards: {}\n", cards(e)));
    if !e.meta.lines.is_empty() {
        o.push_str("\nMeta charges (market × category):\n");
        let mut rows = vec![row([
            "market", "category", "charged", "free", "rate", "amount",
        ])];
        for l in &e.meta.lines {
            rows.push(vec![
                l.market.clone(),
                l.category.clone(),
                l.charged.clone(),
                l.free.clone(),
                opt(&l.rate),
                l.amount.clone(),
            ]);
        }
        o.push_str(&table(&rows, 2));
    }
    if !e.reseller.lines.is_empty() {
        o.push_str("\nreseller fees:\n");
        let mut rows = vec![row(["fee", "quantity", "unit price", "amount"])];
        for l in &e.reseller.lines {
            let label = if l.one_time {
                format!("{} (one-time)", l.label)
            } else {
                l.label.clone()
            };
            rows.push(vec![
                label,
                l.quantity.clone(),
                l.unit_price.clone(),
                l.amount.clone(),
            ]);
        }
        o.push_str(&table(&rows, 1));
    }
    if e.journeys.len() > 1 {
        o.push_str("\njourneys:\n");
        let mut rows = vec![row(["journey", "contacts", "messages", "Meta amount"])];
        for j in &e.journeys {
            rows.push(vec![
                j.name.clone(),
                j.contacts.clone(),
                j.messages.clone(),
                j.amount.clone(),
            ]);
        }
        o.push_str(&table(&rows, 1));
    }
    let l = &e.limits;
    if !l.ok {
        o.push_str(&format!(
            "\nmessaging limit: {} recipients on the peak day need tier {} ({} days of ramp-up)\n",
            l.peak_daily_recipients,
            l.needed_tier
                .map_or("unlimited".to_string(), |t| t.to_string()),
            l.ramp_days
        ));
    }
    for w in &e.warnings {
        o.push_str(&format!("warning {}: {}\n", w.code, w.message()));
    }
    o
}

pub fn compare(c: &Comparison) -> String {
    let mut o = String::new();
    let Some(first) = c.estimates.first() else {
        return o;
    };
    o.push_str(&format!("comparison in {}\n", first.currency));
    let mut head = vec![String::new()];
    head.extend(c.dates.iter().cloned());
    let mut rows = vec![head];
    let mut line = |label: &str, f: &dyn Fn(&Estimate) -> String| {
        let mut r = vec![label.to_string()];
        r.extend(c.estimates.iter().map(f));
        rows.push(r);
    };
    line("total", &|e| format!("{}{}", at_least(e.complete), e.total));
    line("Meta", &|e| {
        format!("{}{}", at_least(e.complete), e.meta.total)
    });
    line("reseller", &|e| e.reseller.total.clone());
    let mut categories: Vec<&String> = c
        .estimates
        .iter()
        .flat_map(|e| e.meta.by_category.keys())
        .collect();
    categories.sort();
    categories.dedup();
    for k in categories {
        line(&format!("  {k}"), &|e| {
            e.meta.by_category.get(k).cloned().unwrap_or("0".into())
        });
    }
    line("pricing model", &|e| {
        e.cards
            .iter()
            .map(|c| c.pricing_model.as_str())
            .collect::<Vec<_>>()
            .join("+")
    });
    line("card", &|e| {
        e.cards
            .iter()
            .map(|c| c.date.clone())
            .collect::<Vec<_>>()
            .join("+")
    });
    o.push_str(&table(&rows, 1));
    for e in &c.estimates {
        o.push_str(&unpriced(&e.currency, &e.date, &e.unpriced));
    }
    for d in &c.deltas {
        o.push_str(&format!(
            "{} → {}: total {}, Meta {}\n",
            d.from, d.to, d.total, d.meta
        ));
    }
    o
}

pub fn quote(q: &Quote) -> String {
    let mut o = format!(
        "quote {} from {} to {}, issued {}, valid until {}{}\n",
        q.id,
        q.seller,
        q.customer,
        q.issued,
        q.valid_until,
        q.reference
            .as_ref()
            .map_or(String::new(), |r| format!(", reference {r}"))
    );
    if q.status != "final" {
        o.push_str(&format!(
            "DRAFT ({}): not to be issued as final\n",
            q.draft_reason.unwrap_or("draft")
        ));
    }
    o.push_str(&unpriced(
        &q.estimate.currency,
        &q.estimate.date,
        &q.unpriced,
    ));
    let mut rows = vec![row(["line", "quantity", "unit price", "amount"])];
    for l in &q.lines {
        rows.push(vec![
            l.label.clone(),
            l.quantity.clone(),
            l.unit_price.clone(),
            l.amount.clone(),
        ]);
    }
    rows.push(vec![
        format!("monthly total ({}{})", at_least(q.complete), q.currency),
        String::new(),
        String::new(),
        q.total.clone(),
    ]);
    for l in &q.one_time_lines {
        rows.push(vec![
            format!("{} (one-time)", l.label),
            l.quantity.clone(),
            l.unit_price.clone(),
            l.amount.clone(),
        ]);
    }
    if !q.one_time_lines.is_empty() {
        rows.push(vec![
            format!("one-time total ({})", q.currency),
            String::new(),
            String::new(),
            q.one_time_total.clone(),
        ]);
    }
    o.push_str(&table(&rows, 1));
    if !q.assumptions.is_empty() {
        o.push_str("assumptions:\n");
        for a in &q.assumptions {
            o.push_str(&format!("  - {a}\n"));
        }
    }
    o.push_str(&format!("cards: {}\n", cards(&q.estimate)));
    o.push_str(&format!("encoded: {}\n", q.encoded));
    o
}

/// The categories of a rate card, in the order of the page.
const CATEGORIES: [&str; 5] = [
    "marketing",
    "utility",
    "authentication",
    "authentication_international",
    "service",
];

pub fn rates(c: &RateCard) -> String {
    let mut o = format!(
        "{} rates on {} ({}, card of {})\n",
        c.currency,
        c.date,
        c.pricing_model.as_str(),
        c.card_date
    );
    let present: Vec<&str> = CATEGORIES
        .iter()
        .copied()
        .filter(|k| c.markets.iter().any(|m| m.rates.contains_key(*k)))
        .collect();
    if c.markets.len() == 1 {
        let m = &c.markets[0];
        o.push_str(&format!("{}:\n", m.market));
        let mut rows = vec![row([
            "category",
            "rate",
            "effective",
            "confidence",
            "sources",
        ])];
        for (k, r) in &m.rates {
            rows.push(vec![
                k.clone(),
                r.rate.clone(),
                r.effective_date.clone(),
                r.confidence.as_str().to_string(),
                r.sources.clone(),
            ]);
        }
        o.push_str(&table_with(&rows, |c| c == 1));
        for (k, bands) in &m.tiers {
            o.push_str(&format!("{k} volume tiers:\n"));
            let mut rows = vec![row(["tier", "from", "to", "rate"])];
            for b in bands {
                rows.push(vec![
                    b.tier.to_string(),
                    b.from.to_string(),
                    b.to.map_or("-".to_string(), |t| t.to_string()),
                    b.rate.clone(),
                ]);
            }
            o.push_str(&table(&rows, 0));
        }
    } else {
        let mut head = vec!["market".to_string()];
        head.extend(present.iter().map(|s| s.to_string()));
        let mut rows = vec![head];
        for m in &c.markets {
            let mut r = vec![m.market.clone()];
            r.extend(present.iter().map(|k| {
                let rate = m.rates.get(*k).map_or("-".to_string(), |x| x.rate.clone());
                if m.tiers.contains_key(*k) {
                    format!("{rate} (tiers)")
                } else {
                    rate
                }
            }));
            rows.push(r);
        }
        o.push_str(&table(&rows, 1));
    }
    for m in &c.missing {
        o.push_str(&format!("missing: {} {}\n", m.market, m.category));
    }
    o
}

pub fn simulation(r: &SimulationReport) -> String {
    let t = &r.totals;
    let mut o = format!(
        "{} messages, {} charged, {} free, {} not delivered; total {}{} {} (time zone {})\n",
        t.messages,
        t.charged,
        t.free,
        t.not_delivered,
        at_least(t.complete),
        r.currency,
        t.amount,
        r.timezone
    );
    o.push_str(&unpriced(&r.currency, "", &t.unpriced));
    let cards: Vec<String> = r
        .cards
        .iter()
        .map(|c| format!("{} {} {}", c.date, c.currency, c.pricing_model.as_str()))
        .collect();
    if !cards.is_empty() {
        o.push_str(&format!("cards: {}\n", cards.join(", ")));
    }
    let mut rows = vec![row([
        "#", "at", "user", "market", "category", "type", "amount", "why",
    ])];
    for m in &r.messages {
        rows.push(vec![
            m.index.to_string(),
            m.at.clone(),
            m.user.clone(),
            m.market.clone(),
            m.category.to_string(),
            m.vtype.to_string(),
            m.amount.clone(),
            m.explanation.clone(),
        ]);
    }
    if r.messages.is_empty() {
        o.push_str("no business message\n");
    } else {
        // The amount is aligned right, the explanation after it left.
        o.push_str(&table_with(&rows, |c| c == 0 || c == 6));
    }
    for (k, v) in &t.by_category {
        o.push_str(&format!("  {k}: {v}\n"));
    }
    for w in &r.warnings {
        o.push_str(&format!("warning {}: {}\n", w.code, w.message()));
    }
    o
}
