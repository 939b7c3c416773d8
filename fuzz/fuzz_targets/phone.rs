//! Phone-number resolution: `Phone::parse` and `Engine::resolve_market` on any text, at any
//! instant, under both market options.
#![no_main]
use libfuzzer_sys::fuzz_target;
use waprice::markets::{MarketOptions, Phone};
use waprice::time::{Zone, MAX_INSTANT, MIN_INSTANT};
use waprice::Engine;

thread_local! {
    static ENGINE: Engine = Engine::new().expect("embedded data loads");
}

fuzz_target!(|data: &[u8]| {
    let (head, rest) = data.split_at(data.len().min(9));
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let mut ms = [0u8; 8];
    ms[..head.len().min(8)].copy_from_slice(&head[..head.len().min(8)]);
    let at = i64::from_le_bytes(ms);
    let at = (at != 0).then(|| at.clamp(MIN_INSTANT, MAX_INSTANT));
    let flags = head.get(8).copied().unwrap_or(0);
    if let Ok(p) = Phone::parse(text, "phone") {
        assert_eq!(
            Phone::parse(&p.to_e164(), "phone"),
            Ok(p),
            "E.164 round trip"
        );
    }
    let mut opts = MarketOptions::default();
    if flags & 1 != 0 {
        opts.unlisted_nanp = "North America".to_string();
    }
    if flags & 2 != 0 {
        opts.kazakhstan_before_2026_10 = "Russia".to_string();
    }
    let zone = if flags & 4 != 0 {
        Zone::Fixed(19_800)
    } else {
        Zone::UTC
    };
    ENGINE.with(|engine| {
        if let Ok(info) = engine.resolve_market(text, at, &zone, &opts) {
            assert!(info.phone.starts_with('+'));
        }
    });
});
