// Shared by the three CSV targets (included with `include!`): what an accepted file must
// support. The embedded data is parsed once per process; an accepted file is compiled into a
// market table and a rate book laid over it (the work `Engine::with_data` does, without parsing
// the embedded files again on every input), then looked up.
use waprice::data::{Dataset, MarketRow, RateRow, TierRow};
use waprice::markets::{MarketOptions, MarketTable, Phone};
use waprice::rates::RateBook;

thread_local! {
    static EMBEDDED: Dataset = Dataset::embedded().expect("embedded data loads");
}

const PHONES: [&str; 6] = [
    "+919812345678",
    "+12025550123",
    "+12425550123",
    "+77012345678",
    "+201001234567",
    "+9995551234",
];

#[allow(dead_code)]
fn check(rates: Vec<RateRow>, tiers: Vec<TierRow>, markets: Option<Vec<MarketRow>>) {
    EMBEDDED.with(|d| {
        let market_rows = markets.unwrap_or_else(|| d.markets.clone());
        let names: Vec<String> = rates
            .iter()
            .map(|r| r.market.clone())
            .chain(tiers.iter().map(|r| r.market.clone()))
            .collect();
        let table = MarketTable::new(&market_rows, names);
        let mut dates: Vec<_> = market_rows.iter().filter_map(|r| r.valid_from).collect();
        dates.push(waprice::time::ymd(2026, 10, 1));
        for p in PHONES {
            let p = Phone::parse(p, "").expect("valid phone");
            for &d in &dates {
                let r = table.resolve(p, d, &MarketOptions::default());
                let _ = table.name(r.market);
                let _ = table.country(r);
            }
        }
        let book = RateBook::new(rates.clone(), tiers.clone(), &table);
        for r in &rates {
            if let (Some(b), Some(m)) = (book.currency(&r.currency), table.id(&r.market)) {
                assert!(book.rate(b, r.model, m, r.category, r.effective).is_some());
                assert!(b.card_date(r.model, r.effective).is_some());
            }
        }
        for r in &tiers {
            if let (Some(b), Some(m)) = (book.currency(&r.currency), table.id(&r.market)) {
                let t = book
                    .tier_table(b, m, r.category, r.effective)
                    .expect("a table is in force on its date");
                for n in [
                    1,
                    r.from,
                    r.from.saturating_add(1),
                    r.to.unwrap_or(u64::MAX),
                ] {
                    let _ = waprice::pricing::band(&book, t, n);
                }
                let _ = waprice::pricing::graduated(
                    &book,
                    t,
                    rust_decimal::Decimal::from(r.from.min(1 << 40)),
                );
            }
        }
    });
}
