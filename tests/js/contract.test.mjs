// The JS contract of pkg/ (docs/api.md, docs/simulator.md), checked from Node against the built
// package: `bash scripts/build.sh` first, then `node --test tests/js/`.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EXAMPLE_1_2026_10, SAMPLE_INPUT } from '../../www/calculator/examples.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkgJs = path.join(root, 'pkg', 'waprice.js');
const pkgWasm = path.join(root, 'pkg', 'waprice_bg.wasm');

let Engine;
let engine;

before(async () => {
  assert.ok(fs.existsSync(pkgJs) && fs.existsSync(pkgWasm), 'pkg/ is missing: run `bash scripts/build.sh` first');
  const mod = await import(pathToFileURL(pkgJs).href);
  mod.initSync({ module: fs.readFileSync(pkgWasm) });
  Engine = mod.Engine;
  engine = new Engine();
});

// ---------------------------------------------------------------- helpers

const clone = (value) => structuredClone(value);
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Canonical form of a decimal string: "530.00" → "530", "0.0140" → "0.014", "-0" → "0". */
function normDecimal(s) {
  assert.equal(typeof s, 'string', `money must be a decimal string, got ${typeof s} ${JSON.stringify(s)}`);
  assert.match(s, DECIMAL, `not a plain decimal string: ${JSON.stringify(s)}`);
  let neg = s.startsWith('-');
  let [int, frac = ''] = (neg ? s.slice(1) : s).split('.');
  int = int.replace(/^0+(?=\d)/, '');
  frac = frac.replace(/0+$/, '');
  if (int === '0' && frac === '') neg = false;
  return (neg ? '-' : '') + int + (frac ? '.' + frac : '');
}

function assertDecimal(actual, expected, what) {
  assert.equal(normDecimal(actual), normDecimal(expected), `${what}: ${actual} != ${expected}`);
}

/** Exact sum of decimal strings (BigInt, no floats). */
function sumDecimals(values) {
  let scale = 0;
  for (const v of values) scale = Math.max(scale, (normDecimal(v).split('.')[1] ?? '').length);
  let total = 0n;
  for (const v of values) {
    const n = normDecimal(v);
    const neg = n.startsWith('-');
    const [i, f = ''] = (neg ? n.slice(1) : n).split('.');
    const units = BigInt(i + f.padEnd(scale, '0'));
    total += neg ? -units : units;
  }
  const neg = total < 0n;
  const digits = (neg ? -total : total).toString().padStart(scale + 1, '0');
  const out = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return normDecimal((neg ? '-' : '') + out);
}

/** Calls fn, expects a thrown JS Error carrying the documented `code` and `path`. */
function expectEngineError(fn, { code, path: errPath }, what = 'call') {
  let error = null;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error !== null, `${what}: expected an error with code ${code}, but nothing was thrown`);
  assert.ok(error instanceof Error, `${what}: expected a JS Error, got ${Object.prototype.toString.call(error)} ${String(error)}`);
  assert.equal(typeof error.code, 'string', `${what}: error.code must be a string (message: ${error.message})`);
  assert.equal(typeof error.path, 'string', `${what}: error.path must be a string (message: ${error.message})`);
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0, `${what}: empty message`);
  if (code !== undefined) assert.equal(error.code, code, `${what}: code (message: ${error.message})`);
  if (errPath instanceof RegExp) assert.match(error.path, errPath, `${what}: path (message: ${error.message})`);
  else if (errPath !== undefined) assert.equal(error.path, errPath, `${what}: path (message: ${error.message})`);
  return error;
}

/** A minimal RFC 4180 CSV reader for the data files (quoted fields, doubled quotes). */
function readCsv(file) {
  const text = fs.readFileSync(path.join(root, 'data', file), 'utf8');
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

const CONFIDENCE_ORDER = ['derived', 'low', 'medium', 'high'];
const MODEL = { per_message: 'PMP', per_conversation: 'CBP' };
const CATEGORIES = ['marketing', 'utility', 'authentication', 'authentication_international', 'service',
  'user_initiated', 'business_initiated', 'referral_conversion'];
const TYPES = ['regular', 'free_customer_service', 'free_entry_point', 'free_tier', 'not_delivered'];
const MESSAGE_FIELDS = ['index', 'at', 'localDate', 'user', 'from', 'country', 'market', 'pricingModel',
  'category', 'type', 'charged', 'amount', 'rate', 'tier', 'conversation', 'explanation'];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function assertUtcInstant(value, expectedIso, what) {
  assert.equal(typeof value, 'string', `${what} must be an RFC 3339 string`);
  assert.match(value, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:00)$/, `${what} must be RFC 3339 in UTC: ${value}`);
  if (expectedIso) assert.equal(Date.parse(value), Date.parse(expectedIso), `${what}: ${value} != ${expectedIso}`);
}

function assertMessageShape(m, what) {
  for (const field of MESSAGE_FIELDS) {
    assert.ok(Object.hasOwn(m, field), `${what}: field ${field} is missing (it must be null when there is no value)`);
    assert.notEqual(m[field], undefined, `${what}: field ${field} is undefined (must be null when missing)`);
  }
  assert.ok(Number.isInteger(m.index), `${what}.index must be an integer`);
  assertUtcInstant(m.at, null, `${what}.at`);
  assert.match(m.localDate, ISO_DATE, `${what}.localDate`);
  assert.equal(typeof m.user, 'string', `${what}.user`);
  assert.ok(m.from === null || typeof m.from === 'string', `${what}.from must be a string or null`);
  assert.ok(m.country === null || /^[A-Z]{2}$/.test(m.country), `${what}.country must be ISO alpha-2 or null: ${m.country}`);
  assert.equal(typeof m.market, 'string', `${what}.market`);
  assert.ok(['PMP', 'CBP'].includes(m.pricingModel), `${what}.pricingModel: ${m.pricingModel}`);
  assert.ok(CATEGORIES.includes(m.category), `${what}.category: ${m.category}`);
  assert.ok(TYPES.includes(m.type), `${what}.type: ${m.type}`);
  assert.equal(typeof m.charged, 'boolean', `${what}.charged`);
  normDecimal(m.amount);
  assert.ok(m.rate === null || (typeof m.rate === 'string' && DECIMAL.test(m.rate)), `${what}.rate must be a decimal string or null: ${JSON.stringify(m.rate)}`);
  assert.ok(m.tier === null || Number.isInteger(m.tier), `${what}.tier must be an integer or null`);
  assert.ok(m.conversation === null || typeof m.conversation === 'object', `${what}.conversation`);
  assert.equal(typeof m.explanation, 'string', `${what}.explanation`);
  assert.ok(m.explanation.length > 10, `${what}.explanation must be a sentence: ${JSON.stringify(m.explanation)}`);
  assert.match(m.explanationCode, /^expl_[a-z_]+$/, `${what}.explanationCode`);
  assert.equal(typeof m.explanationParams, 'object', `${what}.explanationParams`);
  if (!m.charged) {
    assertDecimal(m.amount, '0', `${what}.amount of an uncharged message`);
  }
}

function assertDecimalMap(map, what) {
  assert.equal(typeof map, 'object', `${what} must be an object`);
  assert.ok(map !== null && !Array.isArray(map), `${what} must be a map`);
  for (const [k, v] of Object.entries(map)) normDecimal(v, `${what}.${k}`);
}

function assertCountMap(map, what) {
  assert.ok(map !== null && typeof map === 'object' && !Array.isArray(map), `${what} must be a map`);
  for (const [k, v] of Object.entries(map)) assert.ok(Number.isInteger(v), `${what}.${k} must be a count`);
}

/** No money anywhere in a result is a JS number. */
function assertNoNumericMoney(result) {
  const check = (value, where) => {
    if (value === null || value === undefined) return;
    assert.notEqual(typeof value, 'number', `${where} is a number; money must be a decimal string`);
  };
  for (const [i, m] of (result.messages ?? []).entries()) {
    check(m.amount, `messages[${i}].amount`);
    check(m.rate, `messages[${i}].rate`);
  }
  check(result.totals.amount, 'totals.amount');
  for (const key of ['byCategory', 'byMarket', 'byMonth']) {
    for (const [k, v] of Object.entries(result.totals[key] ?? {})) check(v, `totals.${key}.${k}`);
  }
}

function assertResultShape(result, { messages = true } = {}) {
  assert.equal(typeof result, 'object');
  if (messages) {
    assert.ok(Array.isArray(result.messages), 'result.messages must be an array');
    result.messages.forEach((m, i) => assertMessageShape(m, `messages[${i}]`));
  }
  const t = result.totals;
  assert.equal(typeof t, 'object', 'result.totals');
  normDecimal(t.amount);
  assertDecimalMap(t.byCategory, 'totals.byCategory');
  assertDecimalMap(t.byMarket, 'totals.byMarket');
  assertDecimalMap(t.byMonth, 'totals.byMonth');
  for (const month of Object.keys(t.byMonth)) assert.match(month, /^\d{4}-\d{2}$/, 'totals.byMonth keys are YYYY-MM');
  for (const key of ['messages', 'charged', 'free', 'notDelivered']) {
    assert.ok(Number.isInteger(t[key]), `totals.${key} must be an integer count, got ${JSON.stringify(t[key])}`);
  }
  assertCountMap(t.byType, 'totals.byType');
  assertCountMap(t.conversations, 'totals.conversations');
  assert.ok(Array.isArray(result.cards), 'result.cards');
  for (const c of result.cards) {
    assert.match(c.date, ISO_DATE);
    assert.equal(typeof c.currency, 'string');
    assert.ok(['PMP', 'CBP'].includes(c.pricingModel));
  }
  assert.ok(Array.isArray(result.warnings), 'result.warnings');
  for (const w of result.warnings) {
    assert.equal(typeof w.code, 'string');
    assert.equal(typeof w.message, 'string');
    assert.ok(Object.hasOwn(w, 'index') && (w.index === null || Number.isInteger(w.index)), 'warning.index is an integer or null');
  }
  assert.ok(Array.isArray(result.windows), 'result.windows');
  result.windows.forEach((w, i) => {
    assert.deepEqual(Object.keys(w), ['kind', 'index', 'user', 'start', 'end'], `windows[${i}] fields`);
    assert.ok(['service', 'entry_point'].includes(w.kind), `windows[${i}].kind: ${w.kind}`);
    assert.ok(Number.isInteger(w.index), `windows[${i}].index`);
    assert.equal(typeof w.user, 'string', `windows[${i}].user`);
    assertUtcInstant(w.start, null, `windows[${i}].start`);
    assertUtcInstant(w.end, null, `windows[${i}].end`);
    assert.ok(Date.parse(w.start) < Date.parse(w.end), `windows[${i}] starts before it ends`);
  });
  assertNoNumericMoney(result);
  // The total is the exact sum of the message amounts and of each breakdown.
  if (messages && result.messages.length) {
    assertDecimal(sumDecimals(result.messages.map((m) => m.amount)), t.amount, 'sum of message amounts vs totals.amount');
  }
  for (const key of ['byCategory', 'byMarket', 'byMonth']) {
    const values = Object.values(t[key]);
    if (values.length) assertDecimal(sumDecimals(values), t.amount, `sum of totals.${key} vs totals.amount`);
  }
}

// ---------------------------------------------------------------- Engine and dataInfo

describe('new Engine() and dataInfo()', () => {
  test('new Engine() with the embedded data', () => {
    assert.ok(engine instanceof Engine);
    for (const method of ['dataInfo', 'resolveMarket', 'rateCard', 'rate', 'simulate']) {
      assert.equal(typeof engine[method], 'function', `engine.${method} must be a function`);
    }
  });

  test('dataInfo() top-level shape', () => {
    const info = engine.dataInfo();
    assert.equal(typeof info.version, 'string');
    assert.ok(info.version.length > 0, 'dataInfo().version is empty');
    assert.ok(Array.isArray(info.cards) && info.cards.length > 0, 'dataInfo().cards');
    assert.ok(Array.isArray(info.tierTables) && info.tierTables.length > 0, 'dataInfo().tierTables');
    assert.equal(typeof info.markets, 'object');
  });

  test('dataInfo().cards: one per (date, currency, pricing model) of data/, with rows and confidences', () => {
    const expected = new Map();
    for (const file of ['rates_per_message.csv', 'rates_conversation_era.csv']) {
      for (const r of readCsv(file)) {
        const key = `${r.effective_date} ${r.currency} ${MODEL[r.pricing_model]}`;
        const e = expected.get(key) ?? { rows: 0, markets: new Set(), confidences: {} };
        e.rows++;
        e.markets.add(r.market);
        e.confidences[r.confidence] = (e.confidences[r.confidence] ?? 0) + 1;
        expected.set(key, e);
      }
    }
    const { cards } = engine.dataInfo();
    const seen = new Set();
    for (const c of cards) {
      const key = `${c.date} ${c.currency} ${c.pricingModel}`;
      assert.match(c.date, ISO_DATE, `card date ${c.date}`);
      assert.match(c.currency, /^[A-Z]{3}$/, `card currency ${c.currency}`);
      assert.ok(['PMP', 'CBP'].includes(c.pricingModel), `card ${key}: pricingModel`);
      assert.ok(Number.isInteger(c.markets) && c.markets > 0, `card ${key}: markets`);
      assert.ok(Number.isInteger(c.rows) && c.rows > 0, `card ${key}: rows`);
      assert.ok(CONFIDENCE_ORDER.includes(c.confidence), `card ${key}: confidence ${c.confidence}`);
      assert.equal(c.source, 'embedded', `card ${key}: source`);
      assert.ok(!seen.has(key), `card ${key} listed twice`);
      seen.add(key);
      const e = expected.get(key);
      assert.ok(e, `card ${key} is not in data/`);
      assert.equal(c.rows, e.rows, `card ${key}: rows`);
      const confidences = Object.fromEntries(Object.entries(c.confidences).filter(([, n]) => n > 0));
      assert.deepEqual(confidences, e.confidences, `card ${key}: confidences`);
      const lowest = CONFIDENCE_ORDER.find((level) => e.confidences[level] > 0);
      assert.equal(c.confidence, lowest, `card ${key}: confidence is the lowest of its rows`);
    }
    assert.deepEqual([...seen].sort(), [...expected.keys()].sort(), 'every card of data/ is listed');
    const usd = cards.find((c) => c.date === '2026-10-01' && c.currency === 'USD' && c.pricingModel === 'PMP');
    assert.equal(usd.markets, 47);
    assert.equal(usd.rows, 206);
  });

  test('dataInfo().tierTables', () => {
    const info = engine.dataInfo();
    for (const t of info.tierTables) {
      assert.match(t.date, ISO_DATE);
      assert.match(t.currency, /^[A-Z]{3}$/);
      assert.ok(Number.isInteger(t.markets) && t.markets > 0);
      assert.ok(Number.isInteger(t.tables) && t.tables > 0);
      assert.ok(CONFIDENCE_ORDER.includes(t.confidence));
      assert.equal(t.source, 'embedded');
    }
    const usd = info.tierTables.find((t) => t.date === '2026-10-01' && t.currency === 'USD');
    assert.ok(usd, 'a 2026-10-01 USD tier table set');
    assert.equal(usd.markets, 47);
    assert.equal(usd.tables, 112, 'tables = market x category tables');
    assert.equal(usd.confidence, 'medium');
  });

  test('dataInfo().markets', () => {
    const info = engine.dataInfo();
    const marketRows = readCsv('markets.csv');
    assert.equal(info.markets.rows, marketRows.length,
      'dataInfo().markets.rows is the number of rows of data/markets.csv (docs/api.md: `rows: 158`)');
    assert.equal(info.markets.source, 'embedded');
    assert.ok(Array.isArray(info.markets.markets));
    assert.deepEqual([...info.markets.markets].sort(), [...new Set(marketRows.map((r) => r.market))].sort());
  });

  // The wasm build embeds data/ in a column form of its own (build.rs): every row must come back
  // field for field (only the free-text notes are left out).
  test('every rate row and tier band of data/ comes back from the embedded data, field for field', () => {
    for (const file of ['rates_conversation_era.csv', 'rates_per_message.csv']) {
      const rows = readCsv(file);
      assert.ok(rows.length > 100, `${file} has its rows`);
      for (const row of rows) {
        const what = `${file}: ${row.effective_date} ${row.currency} ${row.market} ${row.category}`;
        const r = engine.rate(`${row.effective_date}T00:00:00Z`, row.currency, row.market, row.category);
        assertDecimal(r.rate, row.rate, what);
        assert.deepEqual(
          { effectiveDate: r.effectiveDate, confidence: r.confidence, sources: r.sources, note: r.note },
          { effectiveDate: row.effective_date, confidence: row.confidence, sources: row.sources, note: '' },
          what,
        );
      }
    }
    const tiers = readCsv('volume_tiers.csv');
    const cards = new Map();
    for (const row of tiers) {
      const key = `${row.effective_date} ${row.currency}`;
      if (!cards.has(key)) cards.set(key, engine.rateCard(`${row.effective_date}T00:00:00Z`, row.currency));
      const what = `volume_tiers.csv: ${key} ${row.market} ${row.category} tier ${row.tier}`;
      const market = cards.get(key).markets.find((m) => m.market === row.market);
      const band = market?.tiers?.[row.category]?.find((b) => b.tier === Number(row.tier));
      assert.ok(band, `${what}: on the card`);
      assertDecimal(band.rate, row.rate, what);
      assert.deepEqual(
        { from: band.from, to: band.to, effectiveDate: band.effectiveDate, confidence: band.confidence, sources: band.sources },
        {
          from: Number(row.volume_from),
          to: row.volume_to === '' ? null : Number(row.volume_to),
          effectiveDate: row.effective_date,
          confidence: row.confidence,
          sources: row.sources,
        },
        what,
      );
    }
  });
});

// ---------------------------------------------------------------- resolveMarket

describe('resolveMarket()', () => {
  test('India', () => {
    // Extra fields are welcome; the documented four must be there.
    const { country, countryName, callingCode, market } = engine.resolveMarket('+919812345678');
    assert.deepEqual(
      { country, countryName, callingCode, market },
      { country: 'IN', countryName: 'India', callingCode: '91', market: 'India' },
    );
  });

  test('+1: United States, Dominican Republic, Jamaica, Bahamas', () => {
    assert.equal(engine.resolveMarket('+12125550123').market, 'North America');
    const dr = engine.resolveMarket('+18095551234');
    assert.equal(dr.market, 'Rest of Latin America');
    assert.equal(dr.country, 'DO');
    assert.equal(dr.callingCode, '1');
    assert.equal(engine.resolveMarket('+18765551234').market, 'Rest of Latin America');
    assert.equal(engine.resolveMarket('+12425551234').market, 'Other', 'Bahamas (+1 242) defaults to Other');
    assert.equal(
      engine.resolveMarket('+12425551234', '2026-10-05T00:00:00Z', { unlistedNanpMarket: 'North America' }).market,
      'North America',
      'options.unlistedNanpMarket',
    );
  });

  test('+7: Kazakhstan before and after 2026-10-01, Russia', () => {
    const before = engine.resolveMarket('+77011234567', '2026-09-30T12:00:00Z');
    assert.equal(before.market, 'Other');
    assert.equal(before.country, 'KZ');
    assert.equal(engine.resolveMarket('+77011234567', '2026-10-01T00:00:00Z').market, 'Kazakhstan');
    assert.equal(engine.resolveMarket('+77011234567', Date.parse('2026-10-01T00:00:00Z')).market, 'Kazakhstan', 'epoch ms');
    assert.equal(engine.resolveMarket('+77011234567').market, 'Kazakhstan', 'default: latest data');
    assert.equal(
      engine.resolveMarket('+77011234567', '2026-09-30T12:00:00Z', { kazakhstanMarketBefore202610: 'Kazakhstan' }).market,
      'Kazakhstan',
      'options.kazakhstanMarketBefore202610',
    );
    // 20:00 UTC on 30 September is already 1 October in Almaty (UTC+5).
    assert.equal(engine.resolveMarket('+77011234567', '2026-09-30T20:00:00Z', { timezone: 'Asia/Almaty' }).market, 'Kazakhstan');
    assert.equal(engine.resolveMarket('+77011234567', '2026-09-30T20:00:00Z').market, 'Other');
    assert.equal(engine.resolveMarket('+74951234567').market, 'Russia');
  });

  test('invalid numbers throw invalid_phone naming the number', () => {
    for (const phone of ['919812345678', '+0919812345678', '+123456', '+1234567890123456', 'hello', '', '+91 98123 45678x']) {
      const error = expectEngineError(() => engine.resolveMarket(phone), { code: 'invalid_phone' }, `resolveMarket(${JSON.stringify(phone)})`);
      if (phone) assert.ok(error.message.includes(phone), `the message names the number: ${error.message}`);
    }
  });
});

// ---------------------------------------------------------------- rateCard and rate

describe('rateCard() and rate()', () => {
  test('rateCard(2026-10-05, USD) holds India with rates, tiers and provenance', () => {
    const card = engine.rateCard('2026-10-05T00:00:00Z', 'USD');
    assert.equal(card.date, '2026-10-05');
    assert.equal(card.currency, 'USD');
    assert.equal(card.pricingModel, 'PMP');
    assert.equal(card.cardDate, '2026-10-01');
    assert.ok(Array.isArray(card.markets));
    assert.ok(Array.isArray(card.missing));
    for (const miss of card.missing) {
      assert.equal(typeof miss.market, 'string');
      assert.equal(typeof miss.category, 'string');
    }
    const india = card.markets.find((m) => m.market === 'India');
    assert.ok(india, 'India is on the card');
    const marketing = india.rates.marketing;
    assertDecimal(marketing.rate, '0.0118', 'India marketing');
    assert.equal(marketing.effectiveDate, '2026-10-01');
    assert.ok(CONFIDENCE_ORDER.includes(marketing.confidence));
    assert.equal(typeof marketing.sources, 'string');
    assert.ok(marketing.note === null || typeof marketing.note === 'string');
    assertDecimal(india.rates.utility.rate, '0.0014', 'India utility');
    assertDecimal(india.rates.service.rate, '0.0014', 'India service');
    for (const [category, r] of Object.entries(india.rates)) {
      assert.equal(typeof r.rate, 'string', `India ${category} rate must be a decimal string`);
    }
    const bands = india.tiers.utility;
    assert.ok(Array.isArray(bands) && bands.length > 1, 'India utility tier bands');
    const { tier, from, to, rate, effectiveDate } = bands[0];
    assert.deepEqual(
      { tier, from, to, rate: normDecimal(rate), effectiveDate },
      { tier: 1, from: 0, to: 25000000, rate: '0.0014', effectiveDate: '2026-10-01' },
    );
    for (const b of bands) assert.equal(typeof b.rate, 'string', 'tier rates are decimal strings');
    assert.equal(bands.at(-1).to, null, 'the last band is open-ended (to: null)');
    assert.equal(card.markets.length, 47);
  });

  test('a currency with no rate in force throws missing_rate naming date and currency', () => {
    const error = expectEngineError(() => engine.rateCard('2026-10-05T00:00:00Z', 'JPY'), { code: 'missing_rate' }, 'rateCard JPY');
    assert.ok(error.message.includes('JPY'), error.message);
    assert.ok(error.message.includes('2026-10-05'), error.message);
  });

  test('rate() returns one rate, or missing_rate naming date, currency, market and category', () => {
    const r = engine.rate('2026-10-05T00:00:00Z', 'USD', 'Egypt', 'utility');
    assertDecimal(r.rate, '0.0036', 'Egypt utility');
    assert.equal(r.effectiveDate, '2026-10-01');
    for (const field of ['confidence', 'sources', 'note']) assert.ok(Object.hasOwn(r, field), `rate().${field}`);
    const error = expectEngineError(() => engine.rate('2026-10-05T00:00:00Z', 'BRL', 'India', 'marketing'), { code: 'missing_rate' }, 'rate BRL India');
    for (const word of ['2026-10-05', 'BRL', 'India', 'marketing']) {
      assert.ok(error.message.includes(word), `missing_rate message names ${word}: ${error.message}`);
    }
  });
});

// ---------------------------------------------------------------- simulate

describe('simulate()', () => {
  test('the sample input of the contract: every documented field, money as strings', () => {
    const result = engine.simulate(clone(SAMPLE_INPUT));
    assertResultShape(result);
    assert.equal(result.messages.length, 3, 'one entry per business event (inbound events are not messages)');
    assert.deepEqual(result.messages.map((m) => m.index), [1, 2, 3]);

    // The windows the engine opened: the ad message's 24 h customer-service window, and the
    // 72 h free-entry-point window opened by the reply (SPEC §6).
    assert.deepEqual(result.windows.map((w) => [w.kind, w.index, w.user, Date.parse(w.start), Date.parse(w.end)]), [
      ['service', 0, '+919812345678', Date.parse('2026-10-05T10:00:00Z'), Date.parse('2026-10-06T10:00:00Z')],
      ['entry_point', 1, '+919812345678', Date.parse('2026-10-05T10:05:00Z'), Date.parse('2026-10-08T10:05:00Z')],
    ]);

    const [reply, template, reaction] = result.messages;
    for (const m of result.messages) {
      assert.equal(m.user, '+919812345678');
      assert.equal(m.country, 'IN');
      assert.equal(m.market, 'India');
      assert.equal(m.localDate, '2026-10-05');
      assert.equal(m.pricingModel, 'PMP');
      assert.equal(m.conversation, null, 'no conversation in the per-message era');
    }
    assertUtcInstant(reply.at, '2026-10-05T10:05:00Z', 'messages[0].at');
    assertUtcInstant(template.at, '2026-10-05T11:00:00Z', 'messages[1].at (epoch ms input)');
    assert.equal(reply.from, '+15550001111');

    // The reply within 24 h of the ad-originated message opens a free entry point window.
    assert.equal(reply.category, 'referral_conversion');
    assert.equal(reply.type, 'free_entry_point');
    assert.equal(template.category, 'referral_conversion');
    assert.equal(template.type, 'free_entry_point');
    for (const m of [reply, template]) {
      assert.equal(m.charged, false);
      assertDecimal(m.amount, '0', 'free entry point amount');
      assert.equal(m.rate, null);
      assert.equal(m.tier, null);
    }
    // A failed reaction is not delivered.
    assert.equal(reaction.type, 'not_delivered');
    assert.equal(reaction.category, 'service');
    assert.equal(reaction.charged, false);
    assert.equal(reaction.rate, null);

    const t = result.totals;
    assertDecimal(t.amount, '0', 'totals.amount');
    assert.equal(t.messages, 3);
    assert.equal(t.charged, 0);
    assert.equal(t.notDelivered, 1);
    assert.equal(t.byType.free_entry_point, 2);
    assert.equal(t.byType.not_delivered, 1);
    // Nothing here needed a rate; cards used, if listed, can only be the 2026-10-01 USD card.
    for (const c of result.cards) {
      assert.deepEqual([c.date, c.currency, c.pricingModel], ['2026-10-01', 'USD', 'PMP']);
    }
  });

  test('SPEC §11 example 1 under the 2026-10-01 rules (www/calculator/examples.js)', () => {
    const result = engine.simulate(clone(EXAMPLE_1_2026_10.input));
    assertResultShape(result);
    const verdicts = result.messages.map((m) => [m.index, m.category, m.type, normDecimal(m.amount)]);
    assert.deepEqual(verdicts, [
      [0, 'marketing', 'regular', '0.0118'],
      [2, 'service', 'free_customer_service', '0'],
      [3, 'utility', 'regular', '0.0014'],
      [4, 'utility', 'regular', '0.0014'],
    ]);
    assertDecimal(result.totals.amount, EXAMPLE_1_2026_10.expect.total, 'total');
    assert.deepEqual(result.cards.map((c) => [c.date, c.currency, c.pricingModel]), [['2026-10-01', 'USD', 'PMP']], 'result.cards');
    assert.equal(result.totals.charged, EXAMPLE_1_2026_10.expect.charged);
    assert.equal(result.messages[0].localDate, '2026-10-05');
    assertUtcInstant(result.messages[0].at, '2026-10-05T04:30:00Z', 'at is given back in UTC');
  });

  test('SPEC §11 example 5: 150,000 Egypt utility templates in October 2026 cost USD 530', () => {
    const start = Date.parse('2026-10-01T00:00:00Z');
    const events = [];
    for (let i = 0; i < 150_000; i++) {
      events.push({
        at: start + i * 15_000, // every 15 s: 150,000 events within 26 days of October
        user: `+2010${String(i).padStart(8, '0')}`,
        kind: 'template',
        category: 'utility',
      });
    }
    const input = { currency: 'USD', events };
    const all = engine.simulate(input);
    assertDecimal(all.totals.amount, '530', 'total of 100,000 x 0.0036 + 50,000 x 0.0034');
    assert.equal(all.messages.length, 150_000);
    assert.equal(all.totals.charged, 150_000);
    assertDecimal(all.totals.byMarket.Egypt, '530', 'totals.byMarket.Egypt');
    assertDecimal(all.totals.byCategory.utility, '530', 'totals.byCategory.utility');
    assertDecimal(all.totals.byMonth['2026-10'], '530', "totals.byMonth['2026-10']");
    const first = all.messages[0];
    const last1 = all.messages[99_999];
    const first2 = all.messages[100_000];
    assert.equal(first.market, 'Egypt');
    assert.equal(first.category, 'utility');
    assert.equal(first.type, 'regular');
    assert.equal(first.charged, true);
    assert.deepEqual([last1.tier, normDecimal(last1.rate), normDecimal(last1.amount)], [1, '0.0036', '0.0036'], 'the 100,000th message is in band 1');
    assert.deepEqual([first2.tier, normDecimal(first2.rate), normDecimal(first2.amount)], [2, '0.0034', '0.0034'], 'the 100,001st message is in band 2');
    assertDecimal(sumDecimals(all.messages.map((m) => m.amount)), '530', 'sum of message amounts');

    const none = engine.simulate({ ...input, options: { messages: 'none' } });
    assertResultShape(none, { messages: false });
    assert.ok(none.messages === undefined || none.messages === null || none.messages.length === 0,
      "options.messages 'none' returns totals only");
    assert.deepEqual(none.windows, [], "options.messages 'none' returns no windows");
    assertDecimal(none.totals.amount, '530', "total with messages: 'none'");
    assert.equal(none.totals.charged, 150_000);
  });

  test('an invalid events[3].user throws invalid_phone at events[3].user', () => {
    const input = clone(SAMPLE_INPUT);
    input.events[3].user = '+12';
    const error = expectEngineError(() => engine.simulate(input), { code: 'invalid_phone', path: 'events[3].user' }, 'simulate');
    assert.ok(error.message.includes('+12'), `the message names the value: ${error.message}`);
  });

  test('other input errors carry a code and the path at fault', () => {
    const noOffset = clone(SAMPLE_INPUT);
    noOffset.events[0].at = '2026-10-05T10:00:00';
    expectEngineError(() => engine.simulate(noOffset), { path: /^events\[0\]\.at$/ }, 'at without an offset');

    const early = { currency: 'USD', events: [{ at: '2021-06-01T00:00:00Z', user: '+919812345678', kind: 'template', category: 'marketing' }] };
    expectEngineError(() => engine.simulate(early), { code: 'unsupported_date', path: /^events\[0\]/ }, 'business event before 2022-02-01');

    const noRate = { currency: 'BRL', events: [{ at: '2026-10-05T10:00:00Z', user: '+919812345678', kind: 'template', category: 'marketing' }] };
    expectEngineError(() => engine.simulate(noRate), { code: 'missing_rate', path: 'events[0]' }, 'a charged message without a BRL rate');
  });

  test('the engine keeps working after errors', () => {
    const firstRun = engine.simulate(clone(SAMPLE_INPUT));
    const bad = clone(SAMPLE_INPUT);
    bad.events[3].user = 'nope';
    for (let i = 0; i < 20; i++) {
      expectEngineError(() => engine.simulate(bad), { code: 'invalid_phone', path: 'events[3].user' });
      expectEngineError(() => engine.resolveMarket('+0'), { code: 'invalid_phone' });
    }
    for (const hostile of [null, undefined, 42, 'text', [], {}, { events: null }, { events: [null] }, { events: [{}] }]) {
      try {
        engine.simulate(hostile);
      } catch (e) {
        assert.ok(e instanceof Error, `simulate(${JSON.stringify(hostile)}) threw a non-Error: ${String(e)}`);
        assert.equal(typeof e.code, 'string', `simulate(${JSON.stringify(hostile)}): code (${e.message})`);
        assert.equal(typeof e.path, 'string', `simulate(${JSON.stringify(hostile)}): path (${e.message})`);
      }
    }
    assert.deepEqual(engine.simulate(clone(SAMPLE_INPUT)), firstRun);
    assert.equal(engine.resolveMarket('+919812345678').market, 'India');
  });
});

// ---------------------------------------------------------------- custom data

describe('new Engine(data)', () => {
  const HEADER = 'effective_date,currency,market,category,rate,pricing_model,unit,confidence,sources,note';

  test('a malformed rates file throws csv_error with kind, line and column', () => {
    const error = expectEngineError(() => new Engine({ rates: 'garbage,,\n"' }), { code: 'csv_error', path: 'rates' }, 'new Engine(garbage)');
    assert.ok(Object.hasOwn(error, 'file'), 'error.file');
    assert.ok(Number.isInteger(error.line) && error.line >= 1, `error.line: ${error.line}`);
    assert.ok(Number.isInteger(error.column) && error.column >= 1, `error.column: ${error.column}`);
    assert.equal(error.source, 'rates', 'error.source');
    assert.equal(error.file, error.source, 'error.file');
    assert.equal(engine.resolveMarket('+919812345678').market, 'India', 'other engines are unaffected');
  });

  test('rows laid over the embedded data replace the same key', () => {
    const custom = new Engine({ rates: `${HEADER}\n2026-10-01,USD,India,marketing,0.5,per_message,per delivered template message,low,TEST,overlay\n` });
    assertDecimal(custom.rate('2026-10-05T00:00:00Z', 'USD', 'India', 'marketing').rate, '0.5', 'overlaid rate');
    assertDecimal(custom.rate('2026-10-05T00:00:00Z', 'USD', 'Egypt', 'utility').rate, '0.0036', 'embedded rate kept');
    assertDecimal(engine.rate('2026-10-05T00:00:00Z', 'USD', 'India', 'marketing').rate, '0.0118', 'the default engine is unchanged');
  });

  test('replace: true replaces the embedded rates', () => {
    const custom = new Engine({
      rates: `${HEADER}\n2026-10-01,USD,India,marketing,0.5,per_message,per delivered template message,low,TEST,only row\n`,
      replace: true,
    });
    const cards = custom.dataInfo().cards;
    assert.equal(cards.length, 1);
    assert.deepEqual([cards[0].date, cards[0].currency, cards[0].pricingModel, cards[0].rows], ['2026-10-01', 'USD', 'PMP', 1]);
    expectEngineError(() => custom.rate('2026-10-05T00:00:00Z', 'USD', 'Egypt', 'utility'), { code: 'missing_rate' }, 'replaced data has no Egypt');
  });
});
