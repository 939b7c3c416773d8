// End-to-end: Meta's own rate-card files on the log page (issue 20). A CSV card and an XLSX card
// in GBP (a currency the embedded data lacks) are dropped, previewed (kind, date, currency,
// pricing model, markets, what they add), used; a GBP log is then priced with them, and the
// report, on screen and in its CSV, names both files (file name, card date, SHA-256 prefix). The
// cards survive a reload; removing them leaves the report incomplete, with unpriced lines. In
// English, Chinese and Japanese; fails on any console error, page error or failed request.
// Needs pkg/ (bash scripts/build.sh).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LANGS, catalog } from '../../www/shared/i18n/index.js';
import { artifacts, englishSentences, launch, openPage, reload, root, startServer } from './harness.mjs';
import { xlsx } from '../js/xlsx-writer.mjs';

const DICT = Object.fromEntries(await Promise.all(LANGS.map(async (l) => [l.code, await catalog(l.code)])));
const fill = (template, vars) => template.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
const sha = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 12);

// Meta's GBP list-rate card in the layout of its CSV download (preamble, the header cell with a
// line break, `n/a`, a notes line); the figures are invented: the embedded data has no GBP card.
const CSV_CARD = Buffer.from([
  'Cost per message in GBP, effective October 1, 2026,,,,,,',
  'Rates are subject to change.,,,,,,',
  'Market,Currency,Marketing,Utility,Authentication,"Authentication-',
  'International",Service',
  'Brazil,GBP,0.0500,0.0063,0.0063,n/a,0.0063',
  'India,GBP,0.0090,0.0011,0.0011,0.0230,0.0011',
  '"* Notes: rates apply per delivered message.",,,,,,',
  '',
].join('\n'));
// Germany's rates of the same card, as a workbook (numbers stored as numbers).
const XLSX_CARD = xlsx('GBP', [
  ['Cost per message in GBP, effective October 1, 2026'],
  [],
  ['Market', 'Currency', 'Marketing', 'Utility', 'Authentication', 'Authentication-\nInternational', 'Service'],
  ['Germany', 'GBP', 0.11, 0.045, 0.045, 'n/a', 0.045],
]);
// The same cards with a market no market table names.
const BAD_CSV_CARD = Buffer.from(CSV_CARD.toString().replace('Brazil,', 'Atlantis,'));
const BAD_XLSX_CARD = xlsx('GBP', [
  ['Cost per message in GBP, effective October 1, 2026'],
  ['Market', 'Currency', 'Marketing'],
  ['Atlantis', 'GBP', 0.11],
]);
const CSV_NAME = 'gbp-latam-india.csv';
const XLSX_NAME = 'gbp-germany.xlsx';
const CSV_SHA = sha(CSV_CARD);
const XLSX_SHA = sha(XLSX_CARD);

// Two marketing templates to India, one to Brazil and a utility template to Germany, none inside
// a customer-service window, in October 2026: each charged at its list rate (per-message pricing,
// from 2025-07-01). 2 × 0.0090 + 0.0500 + 0.0450 = 0.1130 GBP with both cards; without the
// workbook Germany's utility is unpriced (0.068 at least); without either card all are.
const LOG = [
  'at,user,kind,category',
  '2026-10-15T09:00:00Z,+919812345678,template,marketing',
  '2026-10-15T10:00:00Z,+919812345679,template,marketing',
  '2026-10-16T09:00:00Z,+5511987654321,template,marketing',
  '2026-10-17T09:00:00Z,+4915112345678,template,utility',
  '',
].join('\n');
const LOG_FILE = { name: 'october.csv', mimeType: 'text/csv', buffer: Buffer.from(LOG) };
const OPTIONS = { format: 'auto', currency: 'GBP', timezone: 'UTC', onError: 'skip' };

let server;
let baseUrl;
let browser;
let pkg;

before(async () => {
  for (const f of ['pkg/logs/waprice.js', 'pkg/logs/waprice_bg.wasm']) {
    assert.ok(fs.existsSync(path.join(root, f)), `${f} is missing: run \`bash scripts/build.sh\` first`);
  }
  pkg = await import(pathToFileURL(path.join(root, 'pkg', 'logs', 'waprice.js')).href);
  pkg.initSync({ module: fs.readFileSync(path.join(root, 'pkg', 'logs', 'waprice_bg.wasm')) });
  server = await startServer();
  baseUrl = `http://127.0.0.1:${server.port}`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.child.kill('SIGTERM');
});

/** The engine's report for the log with `cards` ([bytes, name, sha]) loaded. */
function expected(cards) {
  const engine = new pkg.Engine();
  for (const [bytes, name, digest] of cards) engine.loadRateCard(new Uint8Array(bytes), { name: `${name} (SHA-256 ${digest})` });
  const pricer = engine.logPricer(structuredClone(OPTIONS));
  pricer.push(LOG);
  const report = pricer.finish();
  pricer.free();
  engine.free();
  return report;
}

const text = (page, sel) => page.locator(sel).innerText();

/** Waits until the big total reads `value` (after "at least" when `atLeast`). */
async function waitTotal(page, value, atLeast) {
  await page.waitForFunction(([v, a]) => {
    const el = document.querySelector('[data-testid="total"]');
    return el && document.body.dataset.done === 'true' && el.textContent.includes(`GBP ${v}`) && Boolean(el.querySelector('[data-testid="at-least"]')) === a;
  }, [value, atLeast], { timeout: 30_000 });
}

/** Drops a card file and checks its preview, then uses it. */
async function addCard(page, d, file, want) {
  await page.setInputFiles('#card-file', file);
  const preview = page.locator('[data-testid="card-preview"]');
  await preview.waitFor();
  assert.equal(await preview.locator('[data-testid="preview-currency"]').innerText(), 'GBP');
  assert.equal(await preview.locator('[data-testid="preview-model"]').innerText(), d['model.PMP']);
  assert.equal(await preview.locator('[data-testid="preview-kind"]').innerText(), `${d['data.kind.rates']} (${want.format})`);
  assert.equal(await preview.locator('[data-testid="preview-markets"]').innerText(), `${want.markets.length}: ${want.markets.join(', ')}`);
  assert.equal(await preview.locator('[data-testid="preview-effect"]').innerText(), fill(d['data.effectText'], { rows: want.rows, replaced: 0, added: want.rows }));
  assert.match(await preview.locator('[data-testid="preview-date"]').innerText(), /2026/);
  assert.match(await preview.innerText(), new RegExp(want.sha));
  await page.click('[data-testid="use-card"]');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="loaded-card"]').length === n && !document.querySelector('[data-testid="card-preview"]'), want.count);
}

async function priceLog(page) {
  await page.evaluate(() => { document.body.dataset.done = 'false'; });
  await page.setInputFiles('#log-file', LOG_FILE);
  await page.waitForSelector('body[data-done="true"]', { timeout: 60_000 });
}

describe('Meta rate-card files on the log page', () => {
  for (const { code: lang, locale } of LANGS) {
    test(`${lang}: dropped, previewed, used, named in the report and its CSV, kept across a reload, removed`, { timeout: 180_000 }, async () => {
      const d = DICT[lang];
      const both = expected([[CSV_CARD, CSV_NAME, CSV_SHA], [XLSX_CARD, XLSX_NAME, XLSX_SHA]]);
      const csvOnly = expected([[CSV_CARD, CSV_NAME, CSV_SHA]]);
      const none = expected([]);
      // The engine's answers are the hand-computed ones.
      assert.equal(Number(both.totals.amount), 0.113);
      assert.equal(both.totals.complete, true);
      assert.deepEqual(both.files.map((f) => [f.name, f.sha256, f.date, f.currency, f.kind]),
        [[CSV_NAME, CSV_SHA, '2026-10-01', 'GBP', 'rates'], [XLSX_NAME, XLSX_SHA, '2026-10-01', 'GBP', 'rates']].sort((a, b) => a[0].localeCompare(b[0])));
      assert.deepEqual([Number(csvOnly.totals.amount), csvOnly.totals.complete, csvOnly.totals.unpriced],
        [0.068, false, [{ market: 'Germany', category: 'utility', messages: 1 }]]);
      assert.deepEqual([none.totals.amount, none.totals.complete, none.totals.unpriced.length, none.files], ['0', false, 3, []]);

      const { context, page, problems } = await openPage(browser, undefined, { locale: lang === 'en' ? 'en-GB' : locale });
      try {
        await page.goto(`${baseUrl}/www/logs.html#currency=GBP&whatIf=`, { waitUntil: 'load' });
        await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
        if (lang !== 'en') {
          await page.selectOption('#lang', lang);
          await page.waitForFunction((l) => document.documentElement.lang === l, locale);
        }
        // A card with a market the table does not know: its error is written in the language, from
        // the error's reason and value (docs/errors.md), and nothing is loaded.
        for (const [file, reason] of [[{ name: 'bad.csv', mimeType: 'text/csv', buffer: BAD_CSV_CARD }, 'csv_error.card_unknown_market'],
          [{ name: 'bad.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: BAD_XLSX_CARD }, 'xlsx_error.sheet_unknown_market']]) {
          await page.setInputFiles('#card-file', file);
          const failed = page.locator('[data-testid="card-preview"] .error');
          await failed.waitFor();
          const shown = await failed.innerText();
          assert.ok(shown.includes(fill(d[`err.${reason}`], { value: 'Atlantis' })), `${lang}: ${shown}`);
          if (lang !== 'en') {
            const sentences = await englishSentences(page);
            assert.deepEqual(sentences, [], `${lang}: English sentences remain: ${sentences.join(' | ')}`);
          }
          if (reason.startsWith('xlsx')) await page.screenshot({ path: path.join(artifacts, `logcards-error-${lang}.png`), fullPage: true });
          await page.click('[data-action="discard-pending"]');
          await page.waitForFunction(() => !document.querySelector('[data-testid="card-preview"]'));
        }
        await addCard(page, d, { name: CSV_NAME, mimeType: 'text/csv', buffer: CSV_CARD }, { format: 'CSV', markets: ['Brazil', 'India'], rows: 9, sha: CSV_SHA, count: 1 });
        await addCard(page, d, { name: XLSX_NAME, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: XLSX_CARD },
          { format: 'XLSX', markets: ['Germany'], rows: 4, sha: XLSX_SHA, count: 2 });
        assert.deepEqual(await page.locator('[data-testid="loaded-sha"]').allInnerTexts(), [CSV_SHA, XLSX_SHA]);

        // The log priced with both cards: complete, and the report names both files.
        await priceLog(page);
        await waitTotal(page, both.totals.amount, false);
        assert.equal(await page.locator('#totals [data-testid="unpriced"]').count(), 0);
        const files = await text(page, '[data-testid="report-files"]');
        for (const f of both.files) {
          assert.ok(files.includes(f.name) && files.includes(f.sha256), `${lang}: the report names ${f.name} and its SHA-256 prefix: ${files}`);
        }
        assert.ok(files.startsWith(d['log.files']), `${lang}: the files are introduced by the catalog's words: ${files}`);
        assert.equal(await page.locator('[data-testid="report-files"] li').count(), 2);
        if (lang !== 'en') {
          const sentences = await englishSentences(page);
          assert.deepEqual(sentences, [], `${lang}: English sentences remain: ${sentences.join(' | ')}`);
        }
        await page.screenshot({ path: path.join(artifacts, `logcards-${lang}.png`), fullPage: true });
        const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="report-csv"]')]);
        const csv = fs.readFileSync(await download.path(), 'utf8');
        const fileRows = csv.split('\r\n').filter((l) => l.startsWith(`${d['log.csv.file']},`) || l.startsWith(`"${d['log.csv.file']}",`));
        assert.equal(fileRows.length, 2, `${lang}: the CSV has a row per file: ${csv}`);
        for (const f of both.files) assert.ok(fileRows.some((r) => r.includes(f.name) && r.includes(f.sha256) && r.includes('GBP')), `${lang}: the CSV names ${f.name}`);

        // Kept in the browser: after a reload both cards are in use again.
        await reload(page);
        await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
        assert.equal(await page.evaluate(() => document.documentElement.lang), locale);
        assert.deepEqual(await page.locator('[data-testid="loaded-sha"]').allInnerTexts(), [CSV_SHA, XLSX_SHA]);
        await priceLog(page);
        await waitTotal(page, both.totals.amount, false);

        // Removing the workbook prices the log again: Germany's utility unpriced, "at least".
        await page.click(`[data-testid="remove-card"][aria-label="${fill(d['data.remove'], { name: XLSX_NAME })}"]`);
        await waitTotal(page, csvOnly.totals.amount, true);
        const lines = await page.locator('#totals [data-testid="unpriced-line"]').allInnerTexts();
        assert.equal(lines.length, 1, `${lang}: one unpriced line: ${lines}`);
        assert.ok(!(await text(page, '[data-testid="report-files"]')).includes(XLSX_NAME), 'the removed file is not named');
        // And removing the last: nothing priced, no file named, every line unpriced.
        await page.click('[data-testid="remove-card"]');
        await waitTotal(page, '0', true);
        assert.equal(await page.locator('[data-testid="report-files"]').count(), 0);
        assert.equal(await page.locator('#totals [data-testid="unpriced-line"]').count(), 3);
        assert.equal(await page.locator('[data-testid="loaded-card"]').count(), 0);
        // Removed for good: not back after a reload.
        await reload(page);
        await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
        assert.equal(await page.locator('[data-testid="loaded-card"]').count(), 0);
        assert.equal(await page.evaluate(() => localStorage.getItem('waprice.logcards.v1')), null);
        assert.deepEqual(problems, [], 'no console errors, page errors or failed requests');
      } finally {
        await context.close();
      }
    });
  }

  test('an unreadable store of cards is reported, neither used nor overwritten, until set aside', { timeout: 90_000 }, async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await page.goto(`${baseUrl}/www/logs.html`, { waitUntil: 'load' });
      await page.evaluate(() => localStorage.setItem('waprice.logcards.v1', '{"version":1,"files":[{"name":"x.csv"}]}'));
      await reload(page);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
      const box = page.locator('[data-testid="cards-unreadable"]');
      await box.waitFor();
      assert.match(await box.innerText(), /log_cards_corrupt/);
      assert.equal(await page.locator('[data-testid="loaded-card"]').count(), 0);
      await page.click('[data-action="aside-cards"]');
      await page.waitForFunction(() => !document.querySelector('[data-testid="cards-unreadable"]'));
      const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('waprice.logcards.v1.unreadable.')).map((k) => localStorage.getItem(k)));
      assert.deepEqual(kept, ['{"version":1,"files":[{"name":"x.csv"}]}'], 'the unreadable text is kept aside');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
