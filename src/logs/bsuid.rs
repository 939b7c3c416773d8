//! Recipients known only by a business-scoped user id (BSUID, SPEC §15): `CC.` followed by up to
//! 128 letters and digits (`IN.1648738043044942`; a parent BSUID has `ENT.` after the country,
//! `US.ENT.1181…`), where `CC` is the user's ISO country. Meta's business-scoped user ID page
//! (updated 2026-05-28) and BSP documentation give the form.
//!
//! The simulator keys customers by number, so a BSUID becomes a stand-in number: the country's
//! calling code, the prefix that places it in its own market where the code is shared (`+1`:
//! Dominican Republic 809, Jamaica 658, Puerto Rico 787, the United States and Canada 20x; `+7`:
//! Kazakhstan 6, Russia 9), then digits from a hash of the id up to 15 digits. One BSUID is one
//! customer; its market is its country's. Where a country shares its calling code (`+1`, `+7`) the
//! market is the country's main one: approximate, and the stand-in says so.

use crate::data::{parse_markets, Origin, MARKETS_CSV};
use crate::markets::Phone;
use rustc_hash::FxHashMap;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

/// A stand-in number for a BSUID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stand {
    /// The number the simulator keys the customer by.
    pub phone: Phone,
    /// The country shares its calling code with other markets (`+1`, `+7`), or is not in the
    /// market table: the market is approximate.
    pub approximate: bool,
}

/// ISO country → (calling code and placing prefix, shared code).
fn countries() -> &'static FxHashMap<String, (String, bool)> {
    static TABLE: OnceLock<FxHashMap<String, (String, bool)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let rows = parse_markets(&MARKETS_CSV.csv(), Origin::Embedded).unwrap_or_default();
        let mut per_code: FxHashMap<&str, usize> = FxHashMap::default();
        for r in &rows {
            *per_code.entry(r.calling_code.as_str()).or_insert(0) += 1;
        }
        let mut out = FxHashMap::default();
        for r in &rows {
            if r.iso2 == "*" || out.contains_key(&r.iso2) {
                continue;
            }
            let shared = per_code.get(r.calling_code.as_str()).copied().unwrap_or(0) > 1
                && (r.calling_code == "1" || r.calling_code == "7");
            let prefix = match (r.prefixes.first(), r.calling_code.as_str()) {
                (Some(p), _) => p.clone(),
                // The whole of +1 that no other row claims: area codes 201-209 are the United
                // States' and Canada's (North America).
                (None, "1") => "20".to_string(),
                // Russia: +7 9xx (mobile), outside Kazakhstan's 6 and 7.
                (None, "7") => "9".to_string(),
                (None, _) => String::new(),
            };
            out.insert(
                r.iso2.clone(),
                (format!("{}{prefix}", r.calling_code), shared),
            );
        }
        out
    })
}

/// Whether `s` has the form of a BSUID: two ASCII capital letters, a dot, then 1 to 128 letters,
/// digits or dots (`ENT.` of a parent BSUID).
pub(crate) fn is_bsuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 4
        && b.len() <= 3 + 128 + 4
        && b[0].is_ascii_uppercase()
        && b[1].is_ascii_uppercase()
        && b[2] == b'.'
        && b[3..]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'.')
}

/// The stand-in number of a BSUID (see the module documentation); `None` when `s` is not one.
/// A country the market table does not list gets the code 999 (no market: `Other`), approximate.
pub(crate) fn stand_in(s: &str) -> Option<Stand> {
    if !is_bsuid(s) {
        return None;
    }
    let (head, approximate) = match countries().get(&s[..2]) {
        Some((head, shared)) => (head.as_str(), *shared),
        None => ("999", true),
    };
    let mut h = rustc_hash::FxHasher::default();
    s.hash(&mut h);
    // A second, differently seeded hash fills the digits a 64-bit hash cannot.
    let mut h2 = rustc_hash::FxHasher::default();
    (s, 0x9e37_79b9_u32).hash(&mut h2);
    let mut digits = head.to_string();
    let mut pool = format!("{:020}{:020}", h.finish(), h2.finish()).into_bytes();
    pool.reverse();
    let mut i = 0;
    while digits.len() < 15 {
        digits.push(char::from(pool[i]));
        i += 1;
    }
    let phone = Phone::parse(&format!("+{digits}"), "").ok()?;
    Some(Stand { phone, approximate })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;

    /// BSUID form: Meta's business-scoped user ID page (updated 2026-05-28): a two-letter ISO
    /// country, a dot, up to 128 alphanumeric characters; a parent BSUID carries `ENT.`.
    #[test]
    fn form() {
        assert!(is_bsuid("IN.1648738043044942"));
        assert!(is_bsuid("US.ENT.11815799212886844830"));
        assert!(!is_bsuid("919812345678"));
        assert!(!is_bsuid("in.123"));
        assert!(!is_bsuid("IN."));
        assert_eq!(stand_in("919812345678"), None);
    }

    /// SPEC §15: the country gives the market; `+1` and `+7` countries are approximate.
    #[test]
    fn markets_from_the_country() {
        let engine = Engine::new().unwrap_or_else(|e| panic!("engine: {e:?}"));
        let d = crate::time::ymd(2026, 11, 2);
        let opts = crate::markets::MarketOptions::default();
        let market = |id: &str| {
            let s = stand_in(id).unwrap_or_else(|| panic!("{id} is a BSUID"));
            let r = engine.markets.resolve(s.phone, d, &opts);
            (engine.markets.name(r.market).to_string(), s.approximate)
        };
        assert_eq!(market("IN.1648738043044942"), ("India".to_string(), false));
        assert_eq!(market("BR.1502576394655843"), ("Brazil".to_string(), false));
        assert_eq!(
            market("US.13491208655302741918"),
            ("North America".to_string(), true)
        );
        assert_eq!(market("DO.77"), ("Rest of Latin America".to_string(), true));
        assert_eq!(market("KZ.5"), ("Kazakhstan".to_string(), true));
        assert_eq!(market("RU.5"), ("Russia".to_string(), true));
        assert_eq!(market("ZZ.5").0, "Other");
        // One BSUID, one customer; two BSUIDs of a country, two customers.
        assert_eq!(stand_in("IN.1"), stand_in("IN.1"));
        assert_ne!(stand_in("IN.1"), stand_in("IN.2"));
    }
}
