//! Rate cards and volume-tier tables, indexed for lookups "in force on a local date" (SPEC §5, §8).
//!
//! A rate stays in force until a later row for the same (currency, pricing model, market,
//! category) replaces it; rows never cross pricing models. Tier tables follow the same rule per
//! (currency, market, category).

use crate::data::{RateRow, TierRow};
use crate::markets::{MarketId, MarketTable};
use crate::model::{Category, PricingModel};
use crate::time::Date;
use rustc_hash::FxHashMap;

/// A volume-tier table: the bands of one effective date, currency, market and category.
#[derive(Debug, Clone)]
pub struct TierTable {
    /// Effective date.
    pub effective: Date,
    /// Indices into [`RateBook::tier_rows`], sorted by band number.
    pub bands: Vec<u32>,
}

/// The rates and tiers of one billing currency.
#[derive(Debug, Clone, Default)]
pub struct CurrencyBook {
    markets: usize,
    /// `[model][market][category]` → rate row indices sorted by effective date.
    rates: Vec<Vec<u32>>,
    /// `[market][category]` → tier tables sorted by effective date.
    tiers: Vec<Vec<TierTable>>,
    /// `[model]` → sorted distinct effective dates (the card dates).
    card_dates: [Vec<Date>; 2],
}

impl CurrencyBook {
    #[inline]
    fn rate_slot(&self, model: PricingModel, market: MarketId, cat: Category) -> usize {
        (model.index() * self.markets + usize::from(market)) * Category::COUNT + cat.index()
    }

    #[inline]
    fn tier_slot(&self, market: MarketId, cat: Category) -> usize {
        usize::from(market) * Category::COUNT + cat.index()
    }

    /// The card date in force on `d` for a pricing model: the latest effective date on or before it.
    pub fn card_date(&self, model: PricingModel, d: Date) -> Option<Date> {
        let dates = &self.card_dates[model.index()];
        let i = dates.partition_point(|x| *x <= d);
        (i > 0).then(|| dates[i - 1])
    }

    /// Whether any row of this pricing model is in force on `d`.
    pub fn has_model_on(&self, model: PricingModel, d: Date) -> bool {
        self.card_date(model, d).is_some()
    }
}

/// The lookups of one currency book, memoised per (model, market, category) slot for the last
/// date asked. A simulation asks the same few slots for the same day again and again, and rows
/// change only on card dates; the answers are those of the [`RateBook`] and [`CurrencyBook`]
/// methods of the same names.
pub(crate) struct Lookup<'a> {
    rates: &'a RateBook,
    book: &'a CurrencyBook,
    rate_memo: Vec<(Date, Option<&'a RateRow>)>,
    tier_memo: Vec<(Date, Option<&'a TierTable>)>,
    card_memo: [(Date, Option<Date>); 2],
}

impl<'a> Lookup<'a> {
    /// Lookups in `book` of `rates` (no date asked yet).
    pub(crate) fn new(rates: &'a RateBook, book: &'a CurrencyBook) -> Lookup<'a> {
        Lookup {
            rates,
            book,
            rate_memo: vec![(Date::MIN, None); book.rates.len()],
            tier_memo: vec![(Date::MIN, None); book.tiers.len()],
            card_memo: [(Date::MIN, None); 2],
        }
    }

    /// [`RateBook::rate`] in this book.
    #[inline]
    pub(crate) fn rate(
        &mut self,
        model: PricingModel,
        market: MarketId,
        cat: Category,
        d: Date,
    ) -> Option<&'a RateRow> {
        if usize::from(market) >= self.book.markets {
            return None;
        }
        let slot = self.book.rate_slot(model, market, cat);
        match self.rate_memo.get(slot) {
            Some(&(day, row)) if day == d && d != Date::MIN => row,
            _ => {
                let row = self.rates.rate(self.book, model, market, cat, d);
                if let Some(m) = self.rate_memo.get_mut(slot) {
                    *m = (d, row);
                }
                row
            }
        }
    }

    /// [`RateBook::tier_table`] in this book, and whether this is the first ask for `d` since
    /// the slot was last asked another date (so that a caller can check a table once a day).
    #[inline]
    pub(crate) fn tier_table(
        &mut self,
        market: MarketId,
        cat: Category,
        d: Date,
    ) -> (Option<&'a TierTable>, bool) {
        if usize::from(market) >= self.book.markets {
            return (None, true);
        }
        let slot = self.book.tier_slot(market, cat);
        match self.tier_memo.get(slot) {
            Some(&(day, table)) if day == d && d != Date::MIN => (table, false),
            _ => {
                let table = self.rates.tier_table(self.book, market, cat, d);
                if let Some(m) = self.tier_memo.get_mut(slot) {
                    *m = (d, table);
                }
                (table, true)
            }
        }
    }

    /// [`CurrencyBook::card_date`].
    #[inline]
    pub(crate) fn card_date(&mut self, model: PricingModel, d: Date) -> Option<Date> {
        let m = &mut self.card_memo[model.index()];
        if m.0 != d || d == Date::MIN {
            *m = (d, self.book.card_date(model, d));
        }
        m.1
    }
}

/// A book with no rows (no market: every lookup answers `None`).
static EMPTY_BOOK: CurrencyBook = CurrencyBook {
    markets: 0,
    rates: Vec::new(),
    tiers: Vec::new(),
    card_dates: [Vec::new(), Vec::new()],
};

/// All rate and tier rows, indexed per currency.
#[derive(Debug, Clone, Default)]
pub struct RateBook {
    /// Rate rows.
    pub rate_rows: Vec<RateRow>,
    /// Tier bands.
    pub tier_rows: Vec<TierRow>,
    books: FxHashMap<String, CurrencyBook>,
}

impl RateBook {
    /// Indexes rows; every market name must already be interned in `table`.
    pub fn new(rate_rows: Vec<RateRow>, tier_rows: Vec<TierRow>, table: &MarketTable) -> RateBook {
        let markets = table.names.len();
        let mut books: FxHashMap<String, CurrencyBook> = FxHashMap::default();
        let new_book = || CurrencyBook {
            markets,
            rates: vec![Vec::new(); 2 * markets * Category::COUNT],
            tiers: vec![Vec::new(); markets * Category::COUNT],
            card_dates: [Vec::new(), Vec::new()],
        };
        for (i, r) in rate_rows.iter().enumerate() {
            let Some(m) = table.id(&r.market) else {
                continue;
            };
            let book = books.entry(r.currency.clone()).or_insert_with(new_book);
            let slot = book.rate_slot(r.model, m, r.category);
            book.rates[slot].push(i as u32);
            book.card_dates[r.model.index()].push(r.effective);
        }
        for (i, r) in tier_rows.iter().enumerate() {
            let Some(m) = table.id(&r.market) else {
                continue;
            };
            let book = books.entry(r.currency.clone()).or_insert_with(new_book);
            let slot = book.tier_slot(m, r.category);
            let tables = &mut book.tiers[slot];
            match tables.iter_mut().find(|t| t.effective == r.effective) {
                Some(t) => t.bands.push(i as u32),
                None => tables.push(TierTable {
                    effective: r.effective,
                    bands: vec![i as u32],
                }),
            }
        }
        for book in books.values_mut() {
            for v in &mut book.rates {
                crate::sort::sort_by_key(v, |&i| (rate_rows[i as usize].effective, i));
            }
            for v in &mut book.tiers {
                crate::sort::sort_by_key(v, |t| t.effective);
                for t in v.iter_mut() {
                    crate::sort::sort_by_key(&mut t.bands, |&i| {
                        (tier_rows[i as usize].tier, tier_rows[i as usize].from, i)
                    });
                }
            }
            for d in &mut book.card_dates {
                crate::sort::sort_dedup(d);
            }
        }
        RateBook {
            rate_rows,
            tier_rows,
            books,
        }
    }

    /// The book of a currency.
    pub fn currency(&self, code: &str) -> Option<&CurrencyBook> {
        self.books.get(code)
    }

    /// The book of a billing currency: the data's, or an empty book for one of Meta's billing
    /// currencies (SPEC §5) in which the data holds no card, so that an estimate or a log in it
    /// reports every charged message as unpriced instead of failing. `None` for any other code.
    pub fn billing_book(&self, code: &str) -> Option<&CurrencyBook> {
        self.currency(code).or_else(|| {
            crate::metafile::META_CURRENCIES
                .contains(&code)
                .then_some(&EMPTY_BOOK)
        })
    }

    /// The currencies held, sorted.
    pub fn currencies(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.books.keys().map(String::as_str).collect();
        crate::sort::sort_dedup(&mut v);
        v
    }

    /// The rate row in force on `d`.
    #[inline]
    pub fn rate<'a>(
        &'a self,
        book: &CurrencyBook,
        model: PricingModel,
        market: MarketId,
        cat: Category,
        d: Date,
    ) -> Option<&'a RateRow> {
        if usize::from(market) >= book.markets {
            return None;
        }
        let rows = &book.rates[book.rate_slot(model, market, cat)];
        let i = rows.partition_point(|&r| self.rate_rows[r as usize].effective <= d);
        (i > 0).then(|| &self.rate_rows[rows[i - 1] as usize])
    }

    /// The tier table in force on `d`.
    #[inline]
    pub fn tier_table<'a>(
        &self,
        book: &'a CurrencyBook,
        market: MarketId,
        cat: Category,
        d: Date,
    ) -> Option<&'a TierTable> {
        if usize::from(market) >= book.markets {
            return None;
        }
        let tables = &book.tiers[book.tier_slot(market, cat)];
        let i = tables.partition_point(|t| t.effective <= d);
        (i > 0).then(|| &tables[i - 1])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{parse_tiers, Dataset, Origin};
    use crate::time::ymd;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn book() -> (MarketTable, RateBook) {
        let d = Dataset::embedded().unwrap();
        let names = d
            .rates
            .iter()
            .map(|r| r.market.clone())
            .chain(d.tiers.iter().map(|r| r.market.clone()));
        let t = MarketTable::new(&d.markets, names.collect::<Vec<_>>());
        let b = RateBook::new(d.rates, d.tiers, &t);
        (t, b)
    }

    #[test]
    fn lookup_answers_as_the_book_on_any_sequence_of_dates() {
        let (t, b) = book();
        let usd = b.currency("USD").unwrap();
        let mut memo = Lookup::new(&b, usd);
        // Every day from 2022 to 2027, then days at random (back and forth), every slot each day.
        let start = ymd(2022, 1, 1);
        let mut days: Vec<Date> = (0..6 * 366).map(|i| start + chrono::Days::new(i)).collect();
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            days.push(start + chrono::Days::new(x % (6 * 366)));
        }
        let markets = t.names.len() as MarketId + 1; // one beyond the table
        for d in days {
            for model in [PricingModel::Cbp, PricingModel::Pmp] {
                assert_eq!(memo.card_date(model, d), usd.card_date(model, d));
            }
            for market in 0..markets {
                for cat in Category::ALL {
                    for model in [PricingModel::Cbp, PricingModel::Pmp] {
                        let (a, b) = (
                            memo.rate(model, market, cat, d),
                            b.rate(usd, model, market, cat, d),
                        );
                        assert_eq!(
                            a.map(|r| r as *const RateRow),
                            b.map(|r| r as *const RateRow)
                        );
                    }
                    let (a, _) = memo.tier_table(market, cat, d);
                    let (again, first_again) = memo.tier_table(market, cat, d);
                    let b = b.tier_table(usd, market, cat, d);
                    assert_eq!(
                        a.map(|x| x as *const TierTable),
                        b.map(|x| x as *const TierTable)
                    );
                    assert_eq!(
                        again.map(|x| x as *const TierTable),
                        b.map(|x| x as *const TierTable)
                    );
                    assert!(
                        !first_again || usize::from(market) >= usd.markets,
                        "asked twice the same day"
                    );
                }
            }
        }
    }

    #[test]
    fn rate_in_force_until_replaced() {
        let (t, b) = book();
        let usd = b.currency("USD").unwrap();
        let india = t.id("India").unwrap();
        let r = b
            .rate(
                usd,
                PricingModel::Pmp,
                india,
                Category::Marketing,
                ymd(2026, 11, 30),
            )
            .unwrap();
        assert_eq!(r.effective, ymd(2026, 10, 1));
        assert!(
            b.rate(
                usd,
                PricingModel::Pmp,
                india,
                Category::Marketing,
                ymd(2025, 6, 30)
            )
            .is_none(),
            "never crosses models"
        );
        assert_eq!(
            usd.card_date(PricingModel::Pmp, ymd(2026, 9, 30)),
            Some(ymd(2026, 7, 1))
        );
        assert_eq!(
            usd.card_date(PricingModel::Cbp, ymd(2025, 6, 30)),
            Some(ymd(2025, 4, 1))
        );
        assert!(b.currency("XYZ").is_none());
    }

    #[test]
    fn egypt_worked_example_five() {
        let (t, b) = book();
        let usd = b.currency("USD").unwrap();
        let egypt = t.id("Egypt").unwrap();
        let table = b
            .tier_table(usd, egypt, Category::Utility, ymd(2026, 10, 15))
            .unwrap();
        assert_eq!(crate::pricing::band(&b, table, 100_000).unwrap().tier, 1);
        assert_eq!(crate::pricing::band(&b, table, 100_001).unwrap().tier, 2);
        assert_eq!(
            crate::pricing::graduated(&b, table, Decimal::from(150_000)).unwrap(),
            Decimal::from_str("530.0000").unwrap()
        );
    }

    #[test]
    fn gap_in_partial_table_takes_highest_band_started() {
        let (t, _) = book();
        let head = "effective_date,currency,market,category,tier,volume_from,volume_to,rate_type,rate,discount_vs_list,confidence,sources,note";
        let rows = parse_tiers(
            &format!("{head}\n2026-07-01,BRL,Brazil,utility,1,0,10,List rate,1,0%,low,S,\n2026-07-01,BRL,Brazil,utility,2,11,20,Tier rate,0.5,,low,S,\n2026-07-01,BRL,Brazil,utility,6,100,,Tier rate,0.1,,low,S,\n"),
            Origin::Custom,
        )
        .unwrap();
        let b = RateBook::new(vec![], rows, &t);
        let brl = b.currency("BRL").unwrap();
        let table = b
            .tier_table(
                brl,
                t.id("Brazil").unwrap(),
                Category::Utility,
                ymd(2026, 8, 1),
            )
            .unwrap();
        assert_eq!(crate::pricing::band(&b, table, 1).unwrap().tier, 1);
        assert_eq!(crate::pricing::band(&b, table, 10).unwrap().tier, 1);
        assert_eq!(crate::pricing::band(&b, table, 11).unwrap().tier, 2);
        assert_eq!(
            crate::pricing::band(&b, table, 50).unwrap().tier,
            2,
            "gap falls to the highest band started"
        );
        assert_eq!(crate::pricing::band(&b, table, 100).unwrap().tier, 6);
        // 10 × 1 + 89 × 0.5 + 11 × 0.1
        assert_eq!(
            crate::pricing::graduated(&b, table, Decimal::from(110)).unwrap(),
            Decimal::from_str("55.6").unwrap()
        );
    }
}
