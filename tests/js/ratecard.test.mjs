// engine.loadRateCard / previewRateCard (the card-reading package pkg/cards/) and
// dataInfo().coverage (docs/api.md, docs/data.md), checked from Node against the built packages:
// `bash scripts/build.sh` first.
// The files are written here in the layouts of Meta's downloads (issue 20); the figures are
// invented for a GBP card, which the embedded data lacks, so each expectation is the arithmetic
// written beside it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let Engine;
let Calculator;

before(async () => {
  const mod = await import(pathToFileURL(path.join(root, 'pkg', 'cards', 'waprice.js')).href);
  mod.initSync({ module: fs.readFileSync(path.join(root, 'pkg', 'cards', 'waprice_bg.wasm')) });
  Engine = mod.Engine;
  const calc = await import(pathToFileURL(path.join(root, 'pkg', 'waprice.js')).href);
  calc.initSync({ module: fs.readFileSync(path.join(root, 'pkg', 'waprice_bg.wasm')) });
  Calculator = calc.Engine;
});

test('the calculator package has no reader of Meta files (size budget); the card package has', () => {
  assert.equal(typeof new Calculator().loadRateCard, 'undefined');
  assert.equal(typeof new Engine().loadRateCard, 'function');
  // The card package is the same engine: the same estimate on the embedded data.
  const s = { business: { date: '2026-10-15' }, audience: { contacts: 1000, mix: [{ country: 'IN', share: 100 }] }, journeys: [{ preset: 'marketing_campaign' }] };
  assert.equal(new Engine().estimate(structuredClone(s)).total, new Calculator().estimate(structuredClone(s)).total);
});

const GBP_CARD = [
  'Cost per message in GBP, effective October 1, 2026,,,,,,',
  'Rates are subject to change.,,,,,,',
  'Market,Currency,Marketing,Utility,Authentication,"Authentication-',
  'International",Service',
  'Brazil,GBP,0.0500,0.0063,0.0063,n/a,0.0063',
  'India,GBP,0.0090,0.0011,0.0011,0.0230,0.0011',
  'Germany,GBP,0.1100,0.0450,0.0450,n/a,0.0450',
  '"* Notes: rates apply per delivered message.",,,,,,',
  '',
].join('\n');

const SCENARIO = {
  business: { date: '2026-10-15', currency: 'GBP' },
  audience: { contacts: 40000, mix: [{ country: 'IN', share: 60 }, { country: 'BR', share: 25 }, { market: 'Germany', share: 15 }] },
  journeys: [{ preset: 'marketing_campaign', timesPerMonth: 4, params: { replyShare: 0 } }],
};

const canon = (s) => String(Number(s));

test('loadRateCard reads a Meta CSV (text and bytes) and the estimate uses it', () => {
  for (const input of [GBP_CARD, new TextEncoder().encode(GBP_CARD), new TextEncoder().encode(GBP_CARD).buffer]) {
    const engine = new Engine();
    // Without the card, GBP (one of Meta's currencies) is priced as unpriced lines, never as 0.
    const unpriced = (e) => e.complete === false && e.unpriced.length === 3 && e.total === '0';
    assert.ok(unpriced(engine.estimate(structuredClone(SCENARIO))));
    const preview = engine.previewRateCard(input, { name: 'gbp.csv' });
    assert.deepEqual(preview, {
      kind: 'rates', format: 'csv', name: 'gbp.csv', date: '2026-10-01', currency: 'GBP', pricingModel: 'PMP',
      markets: ['Brazil', 'Germany', 'India'], rows: 13, replaced: 0,
    });
    // A preview loads nothing.
    assert.ok(unpriced(engine.estimate(structuredClone(SCENARIO))));
    assert.deepEqual(engine.loadRateCard(input, { name: 'gbp.csv' }), preview);
    // 24,000 × 4 × 0.0090 + 10,000 × 4 × 0.0500 + 6,000 × 4 × 0.1100 = 864 + 2000 + 2640 = 5504.
    const est = engine.estimate(structuredClone(SCENARIO));
    assert.equal(canon(est.total), '5504');
    assert.deepEqual([est.complete, est.unpriced], [true, []]);
    assert.equal(est.cards[0].sources, 'gbp.csv');
  }
});

test('the sheets of a workbook as text cells load like the CSV', () => {
  const engine = new Engine();
  const sheets = [{ name: 'GBP', rows: [
    ['Cost per message in GBP, effective October 1, 2026'],
    [],
    ['Market', 'Currency', 'Marketing', 'Utility'],
    ['India', 'GBP', '0.009', '0.0011'],
    ['Brazil', 'GBP', '0.05', '0.0063'],
    ['Germany', 'GBP', '0.11', '0.045'],
  ] }];
  const info = engine.loadRateCard({ sheets }, { name: 'gbp.xlsx' });
  assert.equal(info.format, 'xlsx');
  assert.equal(info.rows, 6);
  assert.equal(canon(engine.estimate(structuredClone(SCENARIO)).total), '5504');
  // A bad cell names its sheet and cell.
  sheets[0].rows[4][0] = 'Atlantis';
  assert.throws(() => new Engine().loadRateCard({ sheets }), (e) =>
    e.code === 'xlsx_error' && e.path === 'GBP!A5' && e.sheet === 'GBP' && e.cell === 'A5' && /"Atlantis"/.test(e.message)
    && e.source === 'xlsx' && e.line === 5 && e.column === 1);
});

test('errors carry line and column, or the option at fault', () => {
  const engine = new Engine();
  const bad = (text, opts, check) => assert.throws(() => engine.loadRateCard(text, opts), check);
  bad('Cost per message in GBP, effective October 1, 2026\nMarket,Currency,Marketing\nIndia,GBP,0.01\nAtlantis,GBP,0.02\n', undefined,
    (e) => e.code === 'csv_error' && e.path === 'rates' && e.source === 'rates' && e.line === 4 && e.column === 1 && /unknown market "Atlantis"/.test(e.message));
  bad('Cost per message in GBP, effective October 1, 2026\nMarket,Marketing\n"India,0.01\nBrazil,0.02\n', undefined,
    (e) => e.code === 'csv_error' && e.line === 3 && e.column === 1);
  bad('Market,Currency,Marketing\nIndia,GBP,0.01\n', undefined, (e) => e.code === 'invalid_date' && e.path === 'options.date');
  bad('Market,Marketing\nIndia,0.01\n', { date: '2026-10-01' }, (e) => e.code === 'invalid_currency' && e.path === 'options.currency');
  bad('Market,Marketing\nIndia,0.01\n', { date: '2026-10-01', currency: 'GBP', colour: 'red' }, (e) => e.code === 'invalid_input');
  bad(42, undefined, (e) => e.code === 'invalid_input');
  // Bytes that start like a workbook but are not one.
  bad(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]), undefined, (e) => e.code === 'xlsx_error');
  // Nothing was loaded by the failed calls.
  assert.equal(engine.dataInfo().coverage.find((c) => c.date === '2026-10-01' && c.currency === 'GBP').status, 'missing');
});

test('a USD card with $US cells replaces embedded rows; coverage shows loaded cards', () => {
  const engine = new Engine();
  const info = engine.loadRateCard('Cost per message in USD, effective October 1, 2026,,\nMarket,Currency,Marketing\nIndia,$US,0.0200\n');
  assert.equal(info.currency, 'USD');
  assert.equal(info.replaced, 1);
  const cov = engine.dataInfo().coverage;
  const cell = (d, c) => cov.find((x) => x.date === d && x.currency === c);
  assert.equal(cell('2026-10-01', 'USD').status, 'loaded');
  assert.equal(cell('2026-10-01', 'USD').markets, 47);
  assert.equal(cell('2026-07-01', 'USD').status, 'embedded');
  assert.equal(cell('2026-10-01', 'MXN').status, 'missing');
  assert.equal(new Set(cov.map((c) => c.currency)).size, 16);
});

test('a quote priced with a loaded card names the file and its SHA-256 prefix in its terms (issue 20)', () => {
  const engine = new Engine();
  // The name as the page and the command line give it (www/shared/ratecards.js, cli --rates).
  engine.loadRateCard(GBP_CARD, { name: 'gbp.csv (SHA-256 0a1b2c3d4e5f)' });
  const q = engine.quote(structuredClone(SCENARIO), { issued: '2026-10-15' });
  const card = q.terms.find((n) => n.code === 'quote_card_file');
  assert.ok(card, JSON.stringify(q.terms.map((n) => n.code)));
  assert.equal(card.params.file, 'gbp.csv');
  assert.equal(card.params.sha256, '0a1b2c3d4e5f');
  assert.equal(card.params.currency, 'GBP');
  assert.equal(card.params.date, '2026-10-01');
  assert.equal(q.terms.filter((n) => n.code === 'quote_card_embedded').length, 0);
});

test('errors of cards and data files carry their reason and parameters, written in en, zh and ja (docs/errors.md)', async () => {
  const { setLang, loadLang } = await import('../../www/shared/i18n/index.js');
  const { setMessageCatalogue, errorText } = await import('../../www/shared/ui.js');
  setMessageCatalogue(new Calculator().schema());
  const thrown = (f) => {
    try {
      f();
    } catch (e) {
      return e;
    }
    return assert.fail('no error');
  };
  const GBP = 'Cost per message in GBP, effective October 1, 2026';
  // A value that is no file.
  const notCard = thrown(() => new Engine().loadRateCard(42));
  assert.deepEqual([notCard.code, notCard.params], ['invalid_input', { reason: 'not_a_rate_card' }]);
  // A cell of a workbook read by the page's spreadsheet package.
  const sheet = thrown(() => new Engine().loadRateCard({ sheets: [{ name: 'GBP', rows: [[GBP], ['Market', 'Marketing'], ['Atlantis', '0.01']] }] }));
  assert.deepEqual([sheet.code, sheet.cell, sheet.params], ['xlsx_error', 'A3', { reason: 'sheet_unknown_market', value: 'Atlantis' }]);
  const currency = thrown(() => new Engine().loadRateCard(`${GBP}\nMarket,Currency,Marketing\nIndia,EUR,0.01\n`));
  assert.deepEqual([currency.line, currency.column, currency.params], [3, 2, { reason: 'card_currency_differs', value: 'EUR', currency: 'GBP' }]);
  const date = thrown(() => new Engine().loadRateCard(`${GBP}\nMarket,Marketing\nIndia,0.01\n`, { date: '2026-07-01' }));
  assert.deepEqual(date.params, { reason: 'date_disagrees', date: '2026-07-01', file_date: '2026-10-01' });
  // A data file of the calculator's data view (the calculator package).
  const head = 'effective_date,currency,market,category,rate,pricing_model,unit,confidence,sources,note';
  const rate = thrown(() => new Calculator({ rates: `${head}\n2026-10-01,USD,India,marketing,abc,per_message,u,high,S1,\n` }));
  assert.deepEqual([rate.code, rate.line, rate.column, rate.params], ['csv_error', 2, 5, { reason: 'not_a_decimal', field: 'rate', value: 'abc' }]);
  const model = thrown(() => new Calculator({ rates: `${head}\n2026-10-01,USD,India,user_initiated,0.1,per_message,u,high,S1,\n` }));
  assert.deepEqual(model.params, { reason: 'category_for_model', field: 'category', value: 'user_initiated', pricing_model: 'per_message' });
  const big = thrown(() => new Calculator({ markets: 'x'.repeat(64 * 1024 * 1024 + 1) }));
  assert.deepEqual(big.params, { reason: 'file_too_large', count: 64 * 1024 * 1024 + 1, limit: 64 * 1024 * 1024 });
  try {
    setLang('en');
    assert.equal(errorText(notCard), 'A rate card must be CSV text, the bytes of a CSV or XLSX file, or the sheets of a workbook.');
    assert.equal(errorText(sheet), '“Atlantis” is not a market of the market table: load a market table that names it.');
    assert.match(errorText(date), /^The date given, Jul 1, 2026, differs from the effective date the file states, Oct 1, 2026\.$/);
    assert.equal(errorText(rate), '“abc” in column rate is not a number: write a decimal number such as 0.0107.');
    assert.equal(errorText(model), '“user_initiated” in column category is not a category of per-message pricing.');
    assert.equal(errorText(big), 'The file is 67,108,865 bytes, more than the limit of 67,108,864 bytes.');
    await loadLang('zh');
    setLang('zh');
    assert.equal(errorText(sheet), '“Atlantis”不是市场表中的市场：请加载包含该市场的市场表。');
    assert.match(errorText(currency), /^货币“EUR”与该费率表的货币 .+ 不同。$/);
    assert.match(errorText(date), /2026年7月1日.*2026年10月1日/);
    assert.equal(errorText(rate), '“rate”列中的“abc”不是数字：请填写小数，如 0.0107。');
    assert.equal(errorText(model), '“category”列中的“user_initiated”不是按消息计费的类别。');
    await loadLang('ja');
    setLang('ja');
    assert.equal(errorText(notCard), '料金表は CSV テキスト、CSV か XLSX ファイルの内容、またはブックのシートである必要があります。');
    assert.equal(errorText(rate), '「rate」列の「abc」は数値ではありません。0.0107 のような小数を入力してください。');
    assert.match(errorText(date), /2026\/07\/01.*2026\/10\/01/);
    assert.equal(errorText(big), 'ファイルのサイズが 67,108,865 バイトあり、上限の 67,108,864 バイトを超えています。');
  } finally {
    setLang('en');
  }
});
