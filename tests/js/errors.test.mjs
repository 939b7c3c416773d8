// The error contract through the JS API (docs/errors.md, docs/api.md), against the built pkg/:
// every code is thrown by some input with its `code`, `path` and a message naming the value;
// hostile inputs thrown at every Engine method give a JS Error with a string `code` (never a
// `RuntimeError: unreachable`, which would leave a dead instance), and the engine keeps working.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// WAPRICE_PKG_DIR tests another build of the package (default: pkg/).
const pkgDir = process.env.WAPRICE_PKG_DIR ? path.resolve(process.env.WAPRICE_PKG_DIR) : path.join(root, 'pkg');
const pkgJs = path.join(pkgDir, 'waprice.js');
const pkgWasm = path.join(pkgDir, 'waprice_bg.wasm');

let Engine;
let engine;
let cardsEngine;

before(async () => {
  assert.ok(fs.existsSync(pkgJs) && fs.existsSync(pkgWasm), 'pkg/ is missing: run `bash scripts/build.sh` first');
  const mod = await import(pathToFileURL(pkgJs).href);
  mod.initSync({ module: fs.readFileSync(pkgWasm) });
  Engine = mod.Engine;
  engine = new Engine();
  const cardsJs = path.join(pkgDir, 'cards', 'waprice.js');
  assert.ok(fs.existsSync(cardsJs), 'pkg/cards/ is missing: run `bash scripts/build.sh` first');
  const cards = await import(pathToFileURL(cardsJs).href);
  cards.initSync({ module: fs.readFileSync(path.join(pkgDir, 'cards', 'waprice_bg.wasm')) });
  cardsEngine = new cards.Engine();
});

const T = '2026-10-05T10:00:00Z';
const USER = '+201001234567';
const SMALL = { currency: 'USD', events: [{ at: T, user: USER, kind: 'template', category: 'utility' }] };
const SCENARIO = {
  business: { date: '2026-10-01' },
  audience: { contacts: 1000, mix: [{ country: 'IN', share: 100 }] },
  journeys: [{ preset: 'otp_login' }],
};
const META = { seller: 'S', customer: 'C', issued: '2026-11-21' };
const TIER_HEADER = 'effective_date,currency,market,category,tier,volume_from,volume_to,rate_type,rate,discount_vs_list,confidence,sources,note';

/** The codes of the table in docs/errors.md (before its Reasons). */
function documentedCodes() {
  const doc = fs.readFileSync(path.join(root, 'docs', 'errors.md'), 'utf8');
  return [...doc.slice(0, doc.indexOf('## Reasons')).matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
}

/** Calls `f`, expecting a thrown Error; returns it. */
function thrown(f) {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** The engine still answers a known question exactly. */
function assertAlive(after) {
  const r = engine.simulate(SMALL);
  assert.equal(r.totals.amount, '0.0036', `engine broken after ${after}`);
}

const one = (event) => ({ events: [event] });
const withScenario = (patch) => ({ ...SCENARIO, ...patch });

// [code, call, path, text the message must name]
const CASES = [
  ['invalid_input', () => engine.simulate({ currency: 5 }), 'currency', '5'],
  ['invalid_input', () => engine.simulate(one({ user: USER, kind: 'inbound' })), 'events[0].at', '`at`'],
  ['invalid_phone', () => engine.simulate(one({ at: T, user: '+0123456789', kind: 'inbound' })), 'events[0].user', '+0123456789'],
  ['invalid_phone', () => engine.resolveMarket('919812345678'), 'phone', '919812345678'],
  ['invalid_instant', () => engine.simulate(one({ at: 'yesterday', user: USER, kind: 'inbound' })), 'events[0].at', 'yesterday'],
  ['invalid_date', () => engine.simulate({ business: { authInternational: { ID: '2025-13-01' } }, events: [] }), 'business.authInternational.ID', '2025-13-01'],
  ['invalid_timezone', () => engine.simulate({ timezone: 'Mars/Olympus', events: [] }), 'timezone', 'Mars/Olympus'],
  ['invalid_currency', () => engine.simulate({ currency: 'US$', events: [] }), 'currency', 'US$'],
  ['invalid_kind', () => engine.simulate(one({ at: T, user: USER, kind: 'sms' })), 'events[0].kind', 'sms'],
  ['invalid_category', () => engine.simulate(one({ at: T, user: USER, kind: 'template', category: 'promo' })), 'events[0].category', 'promo'],
  ['invalid_category', () => engine.rate(T, 'USD', 'India', 'promo'), 'category', 'promo'],
  ['invalid_status', () => engine.simulate(one({ at: T, user: USER, kind: 'message', status: 'lost' })), 'events[0].status', 'lost'],
  ['invalid_option', () => engine.simulate({ options: { fepHours: 9999 }, events: [] }), 'options.fepHours', '9999'],
  ['unknown_market', () => engine.simulate({ options: { unlistedNanpMarket: 'Atlantis' }, events: [] }), 'options.unlistedNanpMarket', 'Atlantis'],
  ['unknown_market', () => engine.rate(T, 'USD', 'Atlantis', 'marketing'), 'market', 'Atlantis'],
  ['unknown_country', () => engine.simulate({ business: { country: 'XYZ' }, events: [] }), 'business.country', 'XYZ'],
  ['unsupported_date', () => engine.simulate(one({ at: '2021-01-01T00:00:00Z', user: USER, kind: 'template', category: 'utility' })), 'events[0].at', '2021-01-01'],
  ['missing_rate', () => engine.simulate({ currency: 'XYZ', events: SMALL.events }), 'currency', 'XYZ'],
  ['missing_rate', () => engine.rateCard(T, 'XYZ'), 'currency', 'XYZ'],
  ['csv_error', () => new Engine({ rates: 'effective_date,currency\n2026-01-01,USD\n' }), 'rates', 'market', { source: 'rates', line: 1, column: 3 }],
  ['csv_error', () => new Engine({ tiers: `${TIER_HEADER}\n2026-10-01,USD,India,utility,0,1,10,Tier rate,0.1,,low,S,\n` }), 'tiers', '"0"', { source: 'tiers', line: 2, column: 5 }],
  ['limit_exceeded', () => engine.estimate(withScenario({ audience: { contacts: 1e13, mix: [{ country: 'IN', share: 100 }] } })), 'audience.contacts', '10000000000000'],
  ['limit_exceeded', () => engine.estimate(withScenario({ journeys: Array(51).fill({ preset: 'otp_login' }) })), 'journeys', '51'],
  ['limit_exceeded', () => engine.decodeScenario('w1.' + 'A'.repeat(256 * 1024)), '', '262147'],
  ['overflow', () => engine.estimate({
    audience: { contacts: 1e12, mix: [{ country: 'IN', share: 100 }] },
    journeys: [{ preset: 'otp_login', timesPerMonth: 1000 }],
    reseller: { perOutbound: '79228162514264337593543950335' },
  }), '', 'decimal range'],
  ['invalid_encoding', () => engine.decodeScenario('w1.not base64!'), '', 'w1.not base64!'],
  ['invalid_encoding', () => engine.decodeQuote('hello'), '', 'hello'],
  // Spreadsheets are read by the card-reading package (pkg/cards/), not the calculator's.
  ['xlsx_error', () => cardsEngine.loadRateCard(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x20, 0x20])), '', 'spreadsheet'],
];

test('every documented code is thrown with its path and a message naming the value', () => {
  const codes = documentedCodes();
  assert.ok(codes.length >= 18, `codes of docs/errors.md: ${codes}`);
  for (const code of codes) {
    assert.ok(CASES.some((c) => c[0] === code), `no case throws ${code}`);
  }
  for (const [code, call, where, named, loc] of CASES) {
    const e = thrown(call);
    assert.ok(e instanceof Error, `${code}: expected an Error, got ${e}`);
    assert.equal(e.code, code, `${code}: ${e.code} ${e.message}`);
    assert.equal(e.path, where, `${code}: path of ${e.message}`);
    assert.ok(e.message.includes(named), `${code}: message does not name ${named}: ${e.message}`);
    assert.ok(codes.includes(e.code));
    if (loc) {
      // The location's fields, copied by the binding (never parsed out of a string).
      assert.deepEqual({ source: e.source, line: e.line, column: e.column }, loc, `${code}: location`);
      assert.equal(e.file, loc.source, `${code}: file`);
    } else {
      assert.ok(!('line' in e) && !('source' in e), `${code}: no location`);
    }
    assertAlive(code);
  }
});

// ------------------------------------------------------------------ hostile inputs

function hostileValues() {
  const cyclic = { events: [] };
  cyclic.events.push(cyclic);
  cyclic.self = cyclic;
  let deep = [];
  for (let i = 0; i < 100000; i++) deep = [deep];
  let deepObject = {};
  for (let i = 0; i < 10000; i++) deepObject = { events: deepObject };
  const polluting = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "events": []}');
  const nullProto = Object.assign(Object.create(null), { events: [] });
  return [
    ['undefined', undefined],
    ['null', null],
    ['0', 0],
    ['-1', -1],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['1e308', 1e308],
    ['true', true],
    ['empty string', ''],
    ['huge string', 'x'.repeat(1 << 22)],
    ['huge JSON-looking string', '[' + '1,'.repeat(1 << 20) + '1]'],
    ['unicode string', '\u0000\ud800\uffff<script>'],
    ['deeply nested array', deep],
    ['deeply nested object', deepObject],
    ['cyclic object', cyclic],
    ['BigInt', 10n],
    ['Symbol', Symbol('s')],
    ['function', () => 1],
    ['prototype-polluting keys', polluting],
    ['null-prototype object', nullProto],
    ['Date', new Date(0)],
    ['Map', new Map([['events', []]])],
    ['typed array', new Uint8Array(16)],
    ['array of holes', new Array(1000)],
    ['NaN instant', { events: [{ at: NaN, user: USER, kind: 'inbound' }] }],
    ['Infinity instant', { events: [{ at: Infinity, user: USER, kind: 'inbound' }] }],
    ['huge instant', { events: [{ at: 8.64e15, user: USER, kind: 'inbound' }] }],
    ['negative zero instant', { events: [{ at: -0, user: USER, kind: 'inbound' }] }],
    ['10^12 contacts', withScenario({ audience: { contacts: 1e12, mix: [{ country: 'IN', share: 100 }] } })],
    ['10^300 contacts', withScenario({ audience: { contacts: 1e300, mix: [{ country: 'IN', share: 100 }] } })],
    ['fractional contacts', withScenario({ audience: { contacts: 0.5, mix: [{ country: 'IN', share: 100 }] } })],
    ['NaN share', withScenario({ audience: { contacts: 10, mix: [{ country: 'IN', share: NaN }] } })],
    ['huge timesPerMonth', withScenario({ journeys: [{ preset: 'support', timesPerMonth: 1e300 }] })],
    ['huge money', withScenario({ reseller: { perOutbound: '9'.repeat(1000), platformMonthly: '-1e999' } })],
  ];
}

/** Every Engine method with one argument replaced by `x`. */
function calls(x) {
  return [
    ['new Engine(x)', () => new Engine(x)],
    ['new Engine({ rates: x })', () => new Engine({ rates: x })],
    ['new Engine({ tiers: [x] })', () => new Engine({ tiers: [x] })],
    ['new Engine({ markets: x, replace: x })', () => new Engine({ markets: x, replace: x })],
    ['dataInfo(x)', () => engine.dataInfo(x)],
    ['resolveMarket(x)', () => engine.resolveMarket(x)],
    ['resolveMarket(phone, x)', () => engine.resolveMarket('+919812345678', x)],
    ['resolveMarket(phone, at, x)', () => engine.resolveMarket('+919812345678', 0, x)],
    ['rateCard(x, USD)', () => engine.rateCard(x, 'USD')],
    ['rateCard(T, x)', () => engine.rateCard(T, x)],
    ['rateCard(T, USD, x)', () => engine.rateCard(T, 'USD', x)],
    ['rate(x, ...)', () => engine.rate(x, 'USD', 'India', 'marketing')],
    ['rate(T, x, ...)', () => engine.rate(T, x, 'India', 'marketing')],
    ['rate(T, USD, x, ...)', () => engine.rate(T, 'USD', x, 'marketing')],
    ['rate(T, USD, India, x)', () => engine.rate(T, 'USD', 'India', x)],
    ['rate(..., x)', () => engine.rate(T, 'USD', 'India', 'marketing', x)],
    ['simulate(x)', () => engine.simulate(x)],
    ['simulate({ events: [x] })', () => engine.simulate({ events: [x] })],
    ['simulate({ events: x })', () => engine.simulate({ events: x })],
    ['simulate(event.at = x)', () => engine.simulate(one({ at: x, user: USER, kind: 'inbound' }))],
    ['simulate(event.user = x)', () => engine.simulate(one({ at: T, user: x, kind: 'inbound' }))],
    ['simulate(options = x)', () => engine.simulate({ options: x, events: [] })],
    ['simulate(options.fepHours = x)', () => engine.simulate({ options: { fepHours: x }, events: [] })],
    ['simulate(business = x)', () => engine.simulate({ business: x, events: [] })],
    ['simulate(timezone = x)', () => engine.simulate({ timezone: x, events: [] })],
    ['estimate(x)', () => engine.estimate(x)],
    ['estimate(contacts = x)', () => engine.estimate(withScenario({ audience: { contacts: x, mix: [{ country: 'IN', share: 100 }] } }))],
    ['estimate(journeys = x)', () => engine.estimate(withScenario({ journeys: x }))],
    ['estimate(reseller = x)', () => engine.estimate(withScenario({ reseller: x }))],
    ['compare(x, dates)', () => engine.compare(x, ['2026-10-01'])],
    ['compare(s, x)', () => engine.compare(SCENARIO, x)],
    ['compare(s, [x])', () => engine.compare(SCENARIO, [x])],
    ['quote(x, meta)', () => engine.quote(x, META)],
    ['quote(s, x)', () => engine.quote(SCENARIO, x)],
    ['encodeScenario(x)', () => engine.encodeScenario(x)],
    ['decodeScenario(x)', () => engine.decodeScenario(x)],
    ['decodeQuote(x)', () => engine.decodeQuote(x)],
  ];
}

test('hostile inputs to every Engine method give coded errors and leave the engine working', () => {
  let count = 0;
  for (const [name, x] of hostileValues()) {
    for (const [call, f] of calls(x)) {
      const what = `${call} with ${name}`;
      let e;
      try {
        f();
      } catch (err) {
        e = err;
      }
      if (e !== undefined) {
        assert.ok(e instanceof Error, `${what}: threw a non-Error ${String(e)}`);
        assert.ok(!(e instanceof WebAssembly.RuntimeError), `${what}: the wasm instance trapped: ${e.message}`);
        assert.equal(typeof e.code, 'string', `${what}: no string code on ${e.name}: ${e.message}`);
        assert.equal(typeof e.path, 'string', `${what}: no string path`);
        assert.ok(e.message.length > 0, `${what}: empty message`);
      }
      assertAlive(what);
      count++;
    }
  }
  assert.equal(Object.prototype.polluted, undefined, 'Object.prototype was polluted');
  assert.ok(count > 1000, `${count} hostile calls`);
});

test('10^12 contacts give a figure, not an overflow or a trap', () => {
  const est = engine.estimate(withScenario({ audience: { contacts: 1e12, mix: [{ country: 'EG', share: 100 }] } }));
  assert.match(est.total, /^\d+(\.\d+)?$/);
  const small = engine.estimate(withScenario({ audience: { contacts: 1e6, mix: [{ country: 'EG', share: 100 }] } }));
  // No tier applies to authentication in Egypt at these volumes... unless it does: the large
  // figure is at most 10^6 times the small one and positive.
  assert.ok(Number(est.total) > 0 && Number(est.total) <= Number(small.total) * 1e6 * 1.000001, `${est.total} vs ${small.total}`);
});

test('errors carry the values their message names as params, for the page to write them in its language', () => {
  const thrown = (f) => {
    try {
      f();
    } catch (e) {
      return e;
    }
    assert.fail('no error thrown');
  };
  const phone = thrown(() => engine.simulate({ ...SMALL, events: [{ ...SMALL.events[0], user: '12345' }] }));
  assert.equal(phone.code, 'invalid_phone');
  assert.deepEqual(phone.params, { value: '12345' });
  const currency = thrown(() => engine.simulate({ ...SMALL, currency: 'US' }));
  assert.deepEqual(currency.params, { value: 'US' });
  const option = thrown(() => engine.simulate({ ...SMALL, options: { fepHours: 0 } }));
  assert.equal(option.code, 'invalid_option');
  // The limits of a range are numbers, crossing as decimal strings.
  assert.deepEqual(option.params, { value: '0', min: '1', max: '744' });
  // An error with several meanings names its reason (docs/errors.md, Reasons).
  const missing = thrown(() => engine.simulate({ ...SMALL, events: [{ user: USER, kind: 'template', category: 'utility' }] }));
  assert.equal(missing.code, 'invalid_input');
  assert.deepEqual(missing.params, { reason: 'missing_field', field: 'at' });
});

test('errors of the binding name their reason and values', () => {
  const cases = [
    // A value JSON cannot hold.
    [() => engine.simulate({ ...SMALL, options: { fepHours: 10n } }), 'invalid_input', '', { reason: 'not_data' }],
    [() => engine.simulate({ ...SMALL, options: { fepHours: NaN } }), 'invalid_input', 'options.fepHours', { reason: 'not_finite', value: 'NaN' }],
    [() => engine.rate(undefined, 'USD', 'India', 'marketing'), 'invalid_instant', 'at', { reason: 'missing_instant' }],
    [() => engine.rate({}, 'USD', 'India', 'marketing'), 'invalid_instant', 'at', { value: 'a value of type object' }],
    [() => engine.rate(T, 5, 'India', 'marketing'), 'invalid_input', 'currency', { reason: 'wrong_type', value: '5', expected: 'text' }],
    [() => engine.decodeScenario(5), 'invalid_encoding', '', { reason: 'link_not_text' }],
    [() => engine.simulate({ ...SMALL, currency: 5 }), 'invalid_input', 'currency', { reason: 'wrong_type', value: '5', expected: 'text' }],
    [() => engine.simulate({ ...SMALL, options: { fepHour: 3 } }), 'invalid_input', 'options.fepHour', { reason: 'unknown_field', field: 'fepHour' }],
  ];
  for (const [f, code, path, params] of cases) {
    const e = thrown(f);
    assert.ok(e instanceof Error, `${f}: ${e}`);
    assert.deepEqual({ code: e.code, path: e.path, params: e.params }, { code, path, params }, `${f}: ${e.message}`);
  }
});
