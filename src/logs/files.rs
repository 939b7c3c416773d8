//! The rate-card files a log pricing used: which of Meta's files, loaded by the user, supplied a
//! rate or a volume-tier table that priced a charged message (issue 20: a log report names the
//! cards it used, with their file name, card date and SHA-256 prefix).
//!
//! A file is known by the sources its rows carry, the card reader's `name` option
//! (`<file name> (SHA-256 <prefix>)`, see [`crate::quote::loaded_file`]). After the pricing,
//! for each card used (pricing model and card date) and each market × category that carried a
//! charge, the row in force on the card date and, per-message, the tier table then in force are
//! looked up; those read from a loaded file name it. The rows in force do not change between a
//! card date and the next (the card dates are every effective date of the currency's rows), so
//! a file is named when one of its rows was in force for a market and category the log charged
//! on a card date the log used.

use super::report::CardFile;
use crate::pricing::Simulation;
use crate::Engine;

/// The loaded files whose rows (or tier tables) priced the simulation's charged messages, sorted
/// by card date, pricing model, kind and name.
///
/// Not in the calculator's wasm (wasm32 without `logs-wasm`), which prices no log: there it
/// answers nothing. Compiled in, its call of `loaded_file`, which the calculator's quotes call
/// too, would change how that is inlined there, and grow that wasm (a hard size budget).
#[cfg(any(feature = "logs-wasm", not(target_arch = "wasm32")))]
pub(crate) fn card_files(engine: &Engine, sim: &Simulation) -> Vec<CardFile> {
    use crate::model::{Category, PricingModel};
    use crate::time::format_date;
    use std::collections::BTreeSet;
    let Some(book) = engine.rates.currency(&sim.currency) else {
        return Vec::new();
    };
    let mut slots: Vec<_> = sim
        .totals
        .charged_by_market_category
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, _)| *k)
        .collect();
    crate::sort::sort_dedup(&mut slots);
    let mut found = BTreeSet::new();
    let mut add = |sources: &str, date, model: PricingModel, kind: &'static str| {
        if let Some((name, sha)) = crate::quote::loaded_file(sources) {
            found.insert((date, model, kind, name.to_string(), sha.to_string()));
        }
    };
    for &(model, card) in &sim.cards {
        for &(market, cat) in &slots {
            if let Some(r) = engine.rates.rate(book, model, market, cat, card) {
                add(&r.provenance.sources, r.effective, model, "rates");
            }
            let tiered = matches!(
                cat,
                Category::Utility
                    | Category::Authentication
                    | Category::AuthenticationInternational
            );
            if model == PricingModel::Pmp && tiered {
                if let Some(t) = engine.rates.tier_table(book, market, cat, card) {
                    for &i in &t.bands {
                        let b = &engine.rates.tier_rows[i as usize];
                        add(&b.provenance.sources, b.effective, model, "tiers");
                    }
                }
            }
        }
    }
    found
        .into_iter()
        .map(|(date, model, kind, name, sha256)| CardFile {
            name,
            sha256,
            date: format_date(date),
            currency: sim.currency.clone(),
            pricing_model: model,
            kind,
        })
        .collect()
}

/// The calculator's wasm prices no log (see above).
#[cfg(not(any(feature = "logs-wasm", not(target_arch = "wasm32"))))]
pub(crate) fn card_files(_: &Engine, _: &Simulation) -> Vec<CardFile> {
    Vec::new()
}
