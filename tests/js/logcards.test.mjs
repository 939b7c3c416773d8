// Meta's rate-card files on the log page, below the page: the log package (pkg/logs/) reads them
// (engine.loadRateCard, previewRateCard) and its log pricer prices with them, naming each file
// used in the report (`files`: file name, SHA-256 prefix, card date; docs/logs.md); and the
// page's store of the files (www/logs/cards.js) keeps them, and never drops nor overwrites a store
// it cannot read. Needs pkg/logs/ (`bash scripts/build.sh`).
// The GBP figures are invented (the embedded data has no GBP card): each expectation is the
// arithmetic written beside it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readCards, writeCards, setAsideCards, CARDS_KEY, MAX_STORED } from '../../www/logs/cards.js';
import { xlsx } from './xlsx-writer.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let Engine;

before(async () => {
  const dir = path.join(root, 'pkg', 'logs');
  assert.ok(fs.existsSync(path.join(dir, 'waprice_bg.wasm')), 'pkg/logs/ is missing: run `bash scripts/build.sh` first');
  const mod = await import(pathToFileURL(path.join(dir, 'waprice.js')).href);
  mod.initSync({ module: fs.readFileSync(path.join(dir, 'waprice_bg.wasm')) });
  Engine = mod.Engine;
});

// Meta's layout (tests/fixtures/cli/gbp.csv): a preamble stating currency and date, the header
// with a line break in a cell, `n/a`.
const GBP_CARD = fs.readFileSync(path.join(root, 'tests', 'fixtures', 'cli', 'gbp.csv'));
const NAME = 'gbp.csv (SHA-256 0669de182e1f)';
// India's INR rates of 2026-10-01 as a workbook, laid over the embedded INR card of that date
// (data/rates_per_message.csv); its figures are invented, so that they differ from the card's.
const INR_BOOK = xlsx('INR', [
  ['Cost per message in INR, effective October 1, 2026'],
  [],
  ['Market', 'Currency', 'Marketing', 'Utility', 'Authentication', 'Authentication-\nInternational', 'Service'],
  ['India', 'INR', 0.86, 0.125, 0.125, 2.0, 0.125],
]);

const LOG = [
  'at,user,kind,category',
  '2026-10-15T09:00:00Z,+919812345678,template,marketing',
  '2026-10-15T10:00:00Z,+919812345679,template,marketing',
  '2026-10-16T09:00:00Z,+5511987654321,template,marketing',
  '2026-10-17T09:00:00Z,+201001234567,template,utility',
  '',
].join('\n');

function priceLog(engine, options) {
  const pricer = engine.logPricer(options);
  // In uneven chunks, as the page's reader sends them.
  for (let at = 0; at < LOG.length; at += 37) pricer.push(LOG.slice(at, at + 37));
  const report = pricer.finish();
  pricer.free();
  return report;
}

test('the log package reads a Meta CSV card and prices a GBP log with it, naming the file', () => {
  const engine = new Engine();
  const without = priceLog(engine, { currency: 'GBP' });
  assert.deepEqual([without.totals.amount, without.totals.complete, without.files], ['0', false, []]);
  assert.deepEqual(without.totals.unpriced.map((u) => [u.market, u.category, u.messages]),
    [['Brazil', 'marketing', 1], ['Egypt', 'utility', 1], ['India', 'marketing', 2]]);
  const preview = engine.previewRateCard(GBP_CARD, { name: NAME });
  assert.deepEqual([preview.kind, preview.format, preview.date, preview.currency, preview.pricingModel, preview.replaced],
    ['rates', 'csv', '2026-10-01', 'GBP', 'PMP', 0]);
  assert.deepEqual(engine.loadRateCard(new Uint8Array(GBP_CARD), { name: NAME }), preview);
  const r = priceLog(engine, { currency: 'GBP' });
  // 2 × 0.0090 (India marketing) + 0.0500 (Brazil marketing) + 0.0030 (Egypt utility) = 0.071.
  assert.equal(Number(r.totals.amount), 0.071);
  assert.equal(r.totals.complete, true);
  assert.deepEqual(r.cards, [{ date: '2026-10-01', currency: 'GBP', pricingModel: 'PMP' }]);
  assert.deepEqual(r.files, [{ name: 'gbp.csv', sha256: '0669de182e1f', date: '2026-10-01', currency: 'GBP', pricingModel: 'PMP', kind: 'rates' }]);
  // A USD log uses no row of the file: no file named.
  assert.deepEqual(priceLog(engine, { currency: 'USD' }).files, []);
  engine.free();
});

test('an XLSX card laid over embedded data names only the file whose rows priced', () => {
  const engine = new Engine();
  const embedded = priceLog(engine, { currency: 'INR' });
  // The embedded INR card of 2026-10-01: India marketing 0.8631, Brazil marketing 4.5808, Egypt
  // utility 0.2639 (data/rates_per_message.csv): 2 × 0.8631 + 4.5808 + 0.2639 = 6.5709.
  assert.deepEqual([Number(embedded.totals.amount), embedded.totals.complete, embedded.files], [6.5709, true, []]);
  const info = engine.loadRateCard(new Uint8Array(INR_BOOK), { name: 'inr.xlsx (SHA-256 abcdef012345)' });
  // India's five rates of that card replaced.
  assert.deepEqual([info.format, info.markets, info.rows, info.replaced], ['xlsx', ['India'], 5, 5]);
  const r = priceLog(engine, { currency: 'INR', whatIf: { date: '2026-10-01', shift: 'months' } });
  // India marketing now 0.86 from the workbook: 2 × 0.86 + 4.5808 + 0.2639 = 6.5647.
  assert.equal(Number(r.totals.amount), 6.5647);
  assert.deepEqual(r.files.map((f) => [f.name, f.sha256, f.date, f.currency, f.pricingModel, f.kind]),
    [['inr.xlsx', 'abcdef012345', '2026-10-01', 'INR', 'PMP', 'rates']]);
  // The what-if (the same month, instants not moved) names it too.
  assert.equal(r.whatIf.months, 0);
  assert.deepEqual(r.whatIf.files, r.files);
  // A log without an India message uses no row of the file.
  const pricer = engine.logPricer({ currency: 'INR' });
  pricer.push('at,user,kind,category\n2026-10-16T09:00:00Z,+5511987654321,template,marketing\n');
  const other = pricer.finish();
  pricer.free();
  assert.deepEqual([Number(other.totals.amount), other.files], [4.5808, []]);
  engine.free();
});

/** A Storage in memory (getItem, setItem, removeItem). */
function memory(init = {}) {
  const m = new Map(Object.entries(init));
  return {
    getItem: (k) => (m.has(k) ? m.get(k) : null),
    setItem: (k, v) => { m.set(k, String(v)); },
    removeItem: (k) => { m.delete(k); },
    keys: () => [...m.keys()],
  };
}

test('the page keeps its cards, and removes the entry when none is left', () => {
  const s = memory();
  assert.deepEqual(readCards(s), { ok: true, files: [], raw: null, error: null });
  const files = [{ name: 'gbp.csv', sha: '0669de182e1f', text: 'x', info: { rows: 3 } }, { name: 'inr.xlsx', sha: 'abcdef012345', base64: 'UEsDBA==', date: '2026-10-01' }];
  assert.deepEqual(writeCards(s, files), { ok: true, saved: true });
  // Only what the reader needs is kept (not the reader's answer).
  assert.deepEqual(readCards(s).files, [{ name: 'gbp.csv', sha: '0669de182e1f', text: 'x' }, { name: 'inr.xlsx', sha: 'abcdef012345', base64: 'UEsDBA==', date: '2026-10-01' }]);
  assert.deepEqual(writeCards(s, []), { ok: true, saved: true });
  assert.equal(s.getItem(CARDS_KEY), null);
  // Too large to keep: not kept, and said so.
  assert.deepEqual(writeCards(s, [{ name: 'big.csv', sha: '000000', text: 'x'.repeat(MAX_STORED) }]), { ok: true, saved: false });
  assert.equal(s.getItem(CARDS_KEY), null);
});

test('a store it cannot read is reported with its text, never overwritten, until set aside', () => {
  for (const [raw, code] of [
    ['{not json', 'log_cards_corrupt'],
    ['[]', 'log_cards_corrupt'],
    ['{"version":1,"files":{}}', 'log_cards_corrupt'],
    ['{"version":1,"files":[{"name":"x.csv","sha":"zz","text":""}]}', 'log_cards_corrupt'],
    ['{"version":2,"files":[]}', 'log_cards_newer'],
  ]) {
    const s = memory({ [CARDS_KEY]: raw });
    const read = readCards(s);
    assert.deepEqual([read.ok, read.files, read.raw, read.error.code, read.error.params.key], [false, [], raw, code, CARDS_KEY], raw);
    assert.equal(writeCards(s, [{ name: 'a.csv', sha: 'abcdef', text: 'x' }]).ok, false);
    assert.equal(s.getItem(CARDS_KEY), raw, 'not overwritten');
    const key = setAsideCards(s, 1234);
    assert.equal(key, `${CARDS_KEY}.unreadable.1234`);
    assert.equal(s.getItem(key), raw);
    assert.equal(s.getItem(CARDS_KEY), null);
    assert.deepEqual(writeCards(s, [{ name: 'a.csv', sha: 'abcdef', text: 'x' }]), { ok: true, saved: true });
  }
  const broken = { getItem() { throw new Error('denied'); } };
  assert.equal(readCards(broken).error.code, 'log_cards_unavailable');
});
