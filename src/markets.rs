//! Phone numbers and the calling-code → market table (SPEC §4).
//!
//! A recipient's market is found by the longest prefix (calling code plus, for some codes, the next
//! digits) among the rows valid on the message's local date. Two documented assumptions are options
//! ([`MarketOptions`]): the +1 area codes of NANP countries Meta does not list, and +7 Kazakhstan
//! numbers before 2026-10-01.

use crate::data::{MarketRow, Origin};
use crate::error::{Error, ErrorCode, Result};
use crate::model::PAID_SERVICE_START;
use crate::time::Date;
use rustc_hash::FxHashMap;

/// An E.164 number: `+`, a first digit 1-9, 7 to 15 digits in all (SPEC §13.15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Phone {
    /// The digits as a number (no leading zero is possible).
    pub value: u64,
    /// Number of digits.
    pub len: u8,
}

impl Phone {
    /// Parses a strict E.164 number.
    pub fn parse(s: &str, path: &str) -> Result<Phone> {
        let b = s.as_bytes();
        let bad = |why: &str| {
            Error::coded(
                ErrorCode::InvalidPhone,
                "",
                path,
                format!("invalid phone number {s:?}: {why}; expected E.164 such as +919812345678"),
            )
            .value(s)
        };
        if b.first() != Some(&b'+') {
            return Err(bad("it must start with +"));
        }
        let digits = &b[1..];
        if !digits.iter().all(u8::is_ascii_digit) {
            return Err(bad("only digits may follow the +"));
        }
        if digits.len() < 7 || digits.len() > 15 {
            let n = digits.len();
            let s = if n == 1 { "" } else { "s" };
            return Err(bad(&format!("it has {n} digit{s}, E.164 allows 7 to 15")));
        }
        if digits[0] == b'0' {
            return Err(bad("the first digit cannot be 0"));
        }
        let value = digits
            .iter()
            .fold(0u64, |acc, d| acc * 10 + u64::from(d - b'0'));
        Ok(Phone {
            value,
            len: digits.len() as u8,
        })
    }

    /// The number whose digits are `value`, if that is a strict E.164 number (7 to 15 digits; the
    /// first is never 0 in a number): what [`parse`](Self::parse) gives for `+` and those digits.
    pub fn from_value(value: u64) -> Option<Phone> {
        (1_000_000..1_000_000_000_000_000)
            .contains(&value)
            .then(|| Phone {
                value,
                len: value.ilog10() as u8 + 1,
            })
    }

    /// The first `n` digits as a number (n ≤ len).
    #[inline]
    pub fn prefix(self, n: u8) -> u64 {
        match POW10.get(usize::from(self.len - n)) {
            Some(p) => self.value / p,
            None => 0,
        }
    }

    /// Formats as `+digits`.
    pub fn to_e164(self) -> String {
        format!("+{}", self.value)
    }
}

/// Powers of ten, `POW10[n] = 10^n`, up to the largest in a `u64`.
pub(crate) const POW10: [u64; 20] = {
    let mut p = [1u64; 20];
    let mut i = 1;
    while i < 20 {
        p[i] = p[i - 1] * 10;
        i += 1;
    }
    p
};

/// NANP (+1) area codes of countries and territories other than the US and Canada that Meta's
/// calling-code table does not list (SPEC §4: default market `Other`). Dominican Republic,
/// Jamaica and Puerto Rico are listed in `data/markets.csv` and are not here.
pub const UNLISTED_NANP: [(&str, &str, &str); 20] = [
    ("242", "BS", "Bahamas"),
    ("246", "BB", "Barbados"),
    ("264", "AI", "Anguilla"),
    ("268", "AG", "Antigua and Barbuda"),
    ("284", "VG", "British Virgin Islands"),
    ("340", "VI", "U.S. Virgin Islands"),
    ("345", "KY", "Cayman Islands"),
    ("441", "BM", "Bermuda"),
    ("473", "GD", "Grenada"),
    ("649", "TC", "Turks and Caicos Islands"),
    ("664", "MS", "Montserrat"),
    ("670", "MP", "Northern Mariana Islands"),
    ("671", "GU", "Guam"),
    ("684", "AS", "American Samoa"),
    ("721", "SX", "Sint Maarten"),
    ("758", "LC", "Saint Lucia"),
    ("767", "DM", "Dominica"),
    ("784", "VC", "Saint Vincent and the Grenadines"),
    ("868", "TT", "Trinidad and Tobago"),
    ("869", "KN", "Saint Kitts and Nevis"),
];

/// Market assumptions of SPEC §12, as options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarketOptions {
    /// Market of unlisted NANP area codes ([`UNLISTED_NANP`]). Default `Other`.
    pub unlisted_nanp: String,
    /// Market of +7 Kazakhstan numbers before 2026-10-01. Default `Other`.
    pub kazakhstan_before_2026_10: String,
}

impl Default for MarketOptions {
    fn default() -> Self {
        MarketOptions {
            unlisted_nanp: "Other".to_string(),
            kazakhstan_before_2026_10: "Other".to_string(),
        }
    }
}

/// Interned market id.
pub type MarketId = u16;

/// A resolved recipient: which row matched and which market it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolution {
    /// The market.
    pub market: MarketId,
    /// Index into [`MarketTable::rows`]; `None` for the catch-all row.
    pub row: Option<u32>,
}

/// Resolutions recently made, by [`MarketTable::resolve_key`]: a log of a million customers
/// has a few thousand distinct prefixes, and each new customer would otherwise look its number
/// up prefix by prefix.
#[derive(Debug, Clone)]
pub(crate) struct ResolveCache {
    slots: [(u128, Resolution); 64],
}

impl Default for ResolveCache {
    fn default() -> Self {
        ResolveCache {
            // No key is all ones: a prefix of at most 15 digits is below 2^50.
            slots: [(
                u128::MAX,
                Resolution {
                    market: 0,
                    row: None,
                },
            ); 64],
        }
    }
}

/// A compiled market table.
#[derive(Debug, Clone)]
pub struct MarketTable {
    /// Rows (data rows, then the synthetic unlisted-NANP rows).
    pub rows: Vec<MarketRow>,
    row_market: Vec<MarketId>,
    synthetic: Vec<bool>,
    by_prefix: FxHashMap<(u8, u64), Vec<u32>>,
    star: Vec<u32>,
    max_prefix: u8,
    /// Sorted dates on which some row starts or stops being valid.
    boundaries: Vec<Date>,
    /// Interned market names.
    pub names: Vec<String>,
    ids: FxHashMap<String, MarketId>,
}

impl MarketTable {
    /// Compiles rows; `extra_names` are market names from rate and tier files.
    pub fn new(rows: &[MarketRow], extra_names: impl IntoIterator<Item = String>) -> MarketTable {
        let mut t = MarketTable {
            rows: Vec::with_capacity(rows.len() + UNLISTED_NANP.len()),
            row_market: Vec::new(),
            synthetic: Vec::new(),
            by_prefix: FxHashMap::default(),
            star: Vec::new(),
            max_prefix: 1,
            boundaries: Vec::new(),
            names: Vec::new(),
            ids: FxHashMap::default(),
        };
        t.intern("Other");
        for r in rows {
            t.push(r.clone(), false);
        }
        for (area, iso, name) in UNLISTED_NANP {
            t.push(
                MarketRow {
                    iso2: iso.to_string(),
                    country: name.to_string(),
                    calling_code: "1".to_string(),
                    prefixes: vec![area.to_string()],
                    prefixes_raw: area.to_string(),
                    market: "Other".to_string(),
                    valid_from: None,
                    valid_to: None,
                    provenance: crate::data::Provenance {
                        confidence: crate::model::Confidence::Low,
                        sources: "SPEC §4".to_string(),
                        note: "NANP area code of a country Meta does not list: option unlistedNanpMarket (default Other)".to_string(),
                        origin: Origin::Embedded,
                    },
                },
                true,
            );
        }
        for n in extra_names {
            t.intern(&n);
        }
        for r in &t.rows {
            if let Some(f) = r.valid_from {
                t.boundaries.push(f);
            }
            if let Some(d) = r.valid_to.and_then(|d| d.succ_opt()) {
                t.boundaries.push(d);
            }
        }
        t.boundaries.push(PAID_SERVICE_START);
        crate::sort::sort_dedup(&mut t.boundaries);
        t.boundaries.dedup();
        t
    }

    fn push(&mut self, r: MarketRow, synthetic: bool) {
        let idx = self.rows.len() as u32;
        let id = self.intern(&r.market);
        if r.calling_code == "*" {
            self.star.push(idx);
        } else {
            let mut keys = Vec::new();
            if r.prefixes.is_empty() {
                keys.push(r.calling_code.clone());
            } else {
                keys.extend(r.prefixes.iter().map(|p| format!("{}{p}", r.calling_code)));
            }
            for k in keys {
                let len = k.len() as u8;
                let value = k.parse::<u64>().unwrap_or(0);
                self.max_prefix = self.max_prefix.max(len);
                self.by_prefix.entry((len, value)).or_default().push(idx);
            }
        }
        self.rows.push(r);
        self.row_market.push(id);
        self.synthetic.push(synthetic);
    }

    /// The rows that came from market-table files (not the built-in unlisted-NANP rows).
    pub fn data_rows(&self) -> impl Iterator<Item = &MarketRow> {
        self.rows
            .iter()
            .zip(self.synthetic.iter())
            .filter(|(_, s)| !**s)
            .map(|(r, _)| r)
    }

    /// Interns a market name.
    pub fn intern(&mut self, name: &str) -> MarketId {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as MarketId;
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }

    /// The id of a known market name.
    pub fn id(&self, name: &str) -> Option<MarketId> {
        self.ids.get(name).copied()
    }

    /// The name of a market id.
    pub fn name(&self, id: MarketId) -> &str {
        &self.names[usize::from(id)]
    }

    /// Checks market options name known markets.
    pub fn check_options(&self, o: &MarketOptions, path: &str) -> Result<()> {
        for (field, v) in [
            ("unlistedNanpMarket", &o.unlisted_nanp),
            ("kazakhstanMarketBefore202610", &o.kazakhstan_before_2026_10),
        ] {
            if self.id(v).is_none() {
                return Err(Error::coded(
                    ErrorCode::UnknownMarket,
                    "",
                    if path.is_empty() { field.to_string() } else { format!("{path}.{field}") },
                    format!("unknown market {v:?}: expected a market of the rate cards such as \"Other\" or \"Rest of Latin America\""),
                ).value(v.as_str()));
            }
        }
        Ok(())
    }

    /// The validity span `[start, end)` of resolutions made on `d`: no row changes validity inside it.
    pub fn epoch(&self, d: Date) -> (Date, Date) {
        let i = self.boundaries.partition_point(|b| *b <= d);
        let start = if i == 0 {
            Date::MIN
        } else {
            self.boundaries[i - 1]
        };
        let end = self.boundaries.get(i).copied().unwrap_or(Date::MAX);
        (start, end)
    }

    /// The index of the epoch (span between validity changes) containing `d`.
    pub fn epoch_index(&self, d: Date) -> u16 {
        self.boundaries
            .partition_point(|b| *b <= d)
            .min(usize::from(u16::MAX - 1)) as u16
    }

    /// What [`resolve`](Self::resolve) depends on of a number and an epoch (see
    /// [`epoch_index`](Self::epoch_index)): the number's first `min(len, longest prefix)` digits
    /// (their value gives their count: a number's first digit is never 0). Two numbers with the
    /// same key resolve alike on dates of that epoch, for the same options; [`ResolveCache`]
    /// keeps resolutions by this key.
    #[inline]
    pub(crate) fn resolve_key(&self, phone: Phone, epoch: u16) -> u128 {
        let n = self.max_prefix.min(phone.len);
        (u128::from(phone.prefix(n)) << 16) | u128::from(epoch)
    }

    /// Resolves a phone number on a local date of epoch `epoch` (its [`epoch_index`](Self::epoch_index)),
    /// through `cache`, which must only ever be used with the same `opts`.
    #[inline]
    pub(crate) fn resolve_cached(
        &self,
        cache: &mut ResolveCache,
        phone: Phone,
        d: Date,
        epoch: u16,
        opts: &MarketOptions,
    ) -> Resolution {
        let key = self.resolve_key(phone, epoch);
        let h = (key as u64) ^ ((key >> 64) as u64);
        let slot = &mut cache.slots[(h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as usize];
        if slot.0 != key {
            *slot = (key, self.resolve(phone, d, opts));
        }
        slot.1
    }

    /// Resolves a phone number on a local date.
    pub fn resolve(&self, phone: Phone, d: Date, opts: &MarketOptions) -> Resolution {
        let max = self.max_prefix.min(phone.len);
        for len in (1..=max).rev() {
            if let Some(cands) = self.by_prefix.get(&(len, phone.prefix(len))) {
                // Later rows (custom files are appended) win ties.
                if let Some(&idx) = cands
                    .iter()
                    .rev()
                    .find(|&&i| self.rows[i as usize].valid_on(d))
                {
                    return Resolution {
                        market: self.market_of(idx, d, opts),
                        row: Some(idx),
                    };
                }
            }
        }
        let market = self
            .star
            .iter()
            .rev()
            .find(|&&i| self.rows[i as usize].valid_on(d))
            .map_or(0, |&i| self.row_market[i as usize]);
        Resolution { market, row: None }
    }

    fn market_of(&self, idx: u32, _d: Date, opts: &MarketOptions) -> MarketId {
        let i = idx as usize;
        let row = &self.rows[i];
        if self.synthetic[i] {
            return self.id(&opts.unlisted_nanp).unwrap_or(0);
        }
        if row.iso2 == "KZ"
            && row.provenance.origin == Origin::Embedded
            && row.valid_to.is_some_and(|t| t < PAID_SERVICE_START)
        {
            return self.id(&opts.kazakhstan_before_2026_10).unwrap_or(0);
        }
        self.row_market[i]
    }

    /// The calling code of a resolution (the row's code, or the number's known code).
    pub fn calling_code(&self, r: Resolution) -> Option<&str> {
        r.row.map(|i| self.rows[i as usize].calling_code.as_str())
    }

    /// ISO code and country name of a resolution.
    pub fn country(&self, r: Resolution) -> Option<(&str, &str)> {
        r.row.map(|i| {
            let row = &self.rows[i as usize];
            (row.iso2.as_str(), row.country.as_str())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Dataset;
    use crate::time::ymd;

    fn table() -> MarketTable {
        MarketTable::new(&Dataset::embedded().unwrap().markets, [])
    }

    fn market(t: &MarketTable, phone: &str, d: Date) -> String {
        let r = t.resolve(
            Phone::parse(phone, "").unwrap(),
            d,
            &MarketOptions::default(),
        );
        t.name(r.market).to_string()
    }

    #[test]
    fn e164() {
        assert!(Phone::parse("+919812345678", "").is_ok());
        assert!(Phone::parse("+1234567", "").is_ok());
        assert!(Phone::parse("+123456", "").is_err());
        assert!(Phone::parse("+1234567890123456", "").is_err());
        assert!(Phone::parse("919812345678", "").is_err());
        assert!(Phone::parse("+091234567", "").is_err());
        assert!(Phone::parse("+91 98123", "").is_err());
        let e = Phone::parse("+91-x", "events[0].user").unwrap_err();
        assert_eq!(e.path, "events[0].user");
        assert!(e.message.contains("\"+91-x\""));
        let one = Phone::parse("+1", "").unwrap_err().message;
        assert!(one.contains("it has 1 digit, E.164"), "{one}");
        let six = Phone::parse("+123456", "").unwrap_err().message;
        assert!(six.contains("it has 6 digits, E.164"), "{six}");
        let p = Phone::parse("+919812345678", "").unwrap();
        assert_eq!(p.prefix(2), 91);
        assert_eq!(p.to_e164(), "+919812345678");
    }

    /// Through one cache, every prefix of the table (with digits after it), on dates on
    /// both sides of every validity boundary, resolves as `resolve` does, under two sets of
    /// options each with its own cache.
    #[test]
    fn cached_resolutions_equal_fresh_ones() {
        let t = table();
        let mut dates = vec![ymd(2022, 2, 1), ymd(2026, 11, 21)];
        for &b in &t.boundaries {
            dates.extend([b.pred_opt().unwrap(), b, b.succ_opt().unwrap()]);
        }
        let nanp = MarketOptions {
            unlisted_nanp: "Rest of Latin America".into(),
            kazakhstan_before_2026_10: "Russia".into(),
        };
        let mut phones = Vec::new();
        let mut prefixes: Vec<u64> = t.by_prefix.keys().map(|&(_, v)| v).collect();
        prefixes.sort_unstable();
        for prefix in prefixes {
            for tail in ["", "0", "55", "9876543", "12345678901"] {
                let digits = format!("{prefix}{tail}");
                if let Ok(p) = Phone::parse(&format!("+{digits:0<7}"), "") {
                    phones.push(p);
                }
            }
        }
        let mut checked = 0;
        for opts in [MarketOptions::default(), nanp] {
            // Numbers after numbers on one date (neighbouring rows share leading digits), and
            // one number on date after date (a stale resolution of another epoch would show).
            let mut cache = ResolveCache::default();
            let pairs = dates
                .iter()
                .flat_map(|&d| phones.iter().map(move |&p| (p, d)))
                .chain(
                    phones
                        .iter()
                        .flat_map(|&p| dates.iter().map(move |&d| (p, d))),
                );
            for (p, d) in pairs {
                assert_eq!(
                    t.resolve_cached(&mut cache, p, d, t.epoch_index(d), &opts),
                    t.resolve(p, d, &opts),
                    "{} on {d}",
                    p.to_e164()
                );
                checked += 1;
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    #[test]
    fn nanp_rules() {
        let t = table();
        let d = ymd(2026, 10, 5);
        assert_eq!(market(&t, "+12125550100", d), "North America");
        assert_eq!(market(&t, "+14165550100", d), "North America");
        assert_eq!(market(&t, "+18095550100", d), "Rest of Latin America");
        assert_eq!(market(&t, "+18765550100", d), "Rest of Latin America");
        assert_eq!(market(&t, "+17875550100", d), "Rest of Latin America");
        assert_eq!(market(&t, "+12425550100", d), "Other");
        assert_eq!(market(&t, "+16715550100", d), "Other");
        let opts = MarketOptions {
            unlisted_nanp: "Rest of Latin America".into(),
            ..Default::default()
        };
        let r = t.resolve(Phone::parse("+12465550100", "").unwrap(), d, &opts);
        assert_eq!(t.name(r.market), "Rest of Latin America");
        assert_eq!(t.country(r).unwrap().0, "BB");
    }

    #[test]
    fn plus_seven_and_moves() {
        let t = table();
        assert_eq!(market(&t, "+74951234567", ymd(2026, 10, 5)), "Russia");
        assert_eq!(market(&t, "+77011234567", ymd(2026, 9, 30)), "Other");
        assert_eq!(market(&t, "+77011234567", ymd(2026, 10, 1)), "Kazakhstan");
        assert_eq!(market(&t, "+76011234567", ymd(2026, 10, 1)), "Kazakhstan");
        let opts = MarketOptions {
            kazakhstan_before_2026_10: "Russia".into(),
            ..Default::default()
        };
        let r = t.resolve(
            Phone::parse("+77011234567", "").unwrap(),
            ymd(2025, 1, 1),
            &opts,
        );
        assert_eq!(t.name(r.market), "Russia");
        assert_eq!(market(&t, "+263771234567", ymd(2025, 9, 30)), "Other");
        assert_eq!(
            market(&t, "+263771234567", ymd(2025, 10, 1)),
            "Rest of Africa"
        );
        assert_eq!(
            market(&t, "+85291234567", ymd(2026, 6, 30)),
            "Rest of Asia Pacific"
        );
        assert_eq!(market(&t, "+85291234567", ymd(2026, 7, 1)), "Hong Kong");
        assert_eq!(market(&t, "+2431234567", ymd(2026, 7, 1)), "Other");
        assert_eq!(market(&t, "+9991234567", ymd(2026, 7, 1)), "Other");
    }

    #[test]
    fn epochs_cover_changes() {
        let t = table();
        let (s, e) = t.epoch(ymd(2026, 8, 1));
        assert_eq!(s, ymd(2026, 7, 1));
        assert_eq!(e, ymd(2026, 10, 1));
    }
}
