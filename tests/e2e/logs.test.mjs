// End-to-end: the log page (www/logs.html) served by scripts/serve.mjs, in Debian's Chromium
// driven by playwright-core. A fixture log is dropped into the page with setInputFiles; the totals,
// the what-if deltas, the reconciliation and the malformed lines shown must be the engine's own
// answer for the same file, computed here in Node from the same package (pkg/logs/). Fails on any
// console error, page error, failed request or HTTP error. Needs pkg/ (bash scripts/build.sh).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { catalog } from '../../www/shared/i18n/index.js';
import { artifacts, englishSentences, launch, openPage as openContext, root, startServer, VIEWPORTS } from './harness.mjs';

const fixtures = path.join(root, 'tests', 'fixtures', 'logs');
// The page's default options: what-if at 2026-10-01, instants moved by whole months.
const PAGE_OPTIONS = { format: 'auto', currency: 'USD', timezone: 'UTC', onError: 'skip', whatIf: { date: '2026-10-01', shift: 'months' } };

let server;
let baseUrl;
let browser;
let engine;


/** The engine's report for a file, fed in uneven chunks as a browser would. */
function expectedReport(file, options = PAGE_OPTIONS) {
  const bytes = fs.readFileSync(file);
  const pricer = engine.logPricer(structuredClone(options));
  for (let at = 0; at < bytes.length; at += 777) pricer.push(bytes.subarray(at, at + 777));
  const report = pricer.finish();
  pricer.free();
  return report;
}

before(async () => {
  for (const f of ['pkg/logs/waprice.js', 'pkg/logs/waprice_bg.wasm']) {
    assert.ok(fs.existsSync(path.join(root, f)), `${f} is missing: run \`bash scripts/build.sh\` first`);
  }
  const pkg = await import(pathToFileURL(path.join(root, 'pkg', 'logs', 'waprice.js')).href);
  pkg.initSync({ module: fs.readFileSync(path.join(root, 'pkg', 'logs', 'waprice_bg.wasm')) });
  engine = new pkg.Engine();
  server = await startServer();
  baseUrl = `http://127.0.0.1:${server.port}`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.child.kill('SIGTERM');
});

async function openPage(vp, hash = '') {
  const { context, page, problems } = await openContext(browser, vp);
  // The workers the page starts, from the first (its spare reader, started at load).
  const workers = [];
  page.on('worker', (w) => {
    const entry = { path: new URL(w.url()).pathname, closed: false };
    workers.push(entry);
    w.on('close', () => { entry.closed = true; });
  });
  const response = await page.goto(`${baseUrl}/www/logs.html${hash}`, { waitUntil: 'load' });
  assert.match(response.headers()['content-security-policy'] ?? '', /script-src 'self' 'wasm-unsafe-eval'/);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return { context, page, problems, workers };
}

async function drop(page, file) {
  await page.evaluate(() => { document.body.dataset.done = 'false'; });
  await page.setInputFiles('#log-file', file);
  await page.waitForSelector('body[data-done="true"]', { timeout: 60_000 });
}

const text = (page, sel) => page.locator(sel).innerText();

async function rows(page, sel) {
  return page.locator(`${sel} tbody tr`).allInnerTexts();
}

for (const vp of VIEWPORTS) {
  describe(`the log page at ${vp.name} width`, () => {
    test('a CSV log: totals, what-if across 2026-10-01 by category and market, as the engine says', { timeout: 120_000 }, async () => {
      const file = path.join(fixtures, 'events.csv');
      const want = expectedReport(file);
      const { context, page, problems, workers } = await openPage(vp);
      try {
        await drop(page, file);
        assert.equal(await page.locator('#result .error').count(), 0, await text(page, '#result'));
        // The reader started at load read this log and was stopped after it; the next one may
        // have started by now.
        const paths = workers.map((w) => w.path);
        assert.ok(workers.length >= 1 && workers.length <= 2, `workers: ${paths}`);
        assert.ok(paths.every((w) => w === '/www/logs/log-reader.js'), `the log is read in a worker: ${paths}`);
        for (let i = 0; i < 50 && !workers[0].closed; i++) await page.waitForTimeout(100);
        assert.ok(workers[0].closed, 'the reader that read the log is stopped once it is read');
        assert.ok((await text(page, '[data-testid="total"]')).includes(`USD ${want.totals.amount}`));
        assert.ok((await text(page, '[data-testid="what-if-total"]')).includes(`USD ${want.whatIf.totals.amount}`));
        assert.ok((await text(page, '[data-testid="what-if-delta"]')).includes(want.whatIf.delta.amount.delta));
        for (const [sel, list] of [['[data-testid="delta-category"]', want.whatIf.delta.byCategory], ['[data-testid="delta-market"]', want.whatIf.delta.byMarket]]) {
          const shown = await rows(page, sel);
          assert.equal(shown.length, list.length, sel);
          list.forEach((r, i) => {
            for (const v of [r.base, r.whatIf, r.delta]) assert.ok(shown[i].includes(v), `${sel} row ${i} shows ${v}: ${shown[i]}`);
          });
        }
        assert.equal((await rows(page, '[data-testid="invoice"]')).length, want.invoice.length);
        assert.equal(await text(page, '[data-testid="business-messages"]'), want.input.businessMessages.toLocaleString('en-US'));
        const progress = await text(page, '[data-testid="progress-text"]');
        assert.match(progress, /events\/s/);
        assert.match(progress, /done/);
        assert.equal(await page.locator('#reconciliation').count(), 0, 'no Meta pricing in a CSV log');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the page is ${overflow}px wider than the ${vp.name} viewport`);
        await page.screenshot({ path: path.join(artifacts, `logs-${vp.name}.png`), fullPage: true });
        assert.deepEqual(problems, [], 'no console errors, page errors or failed requests');
      } finally {
        await context.close();
      }
    });
  });
}

describe('the log page', () => {
  test('webhook payloads: the reconciliation with Meta shows the engine disagreements', { timeout: 120_000 }, async () => {
    const file = path.join(fixtures, 'webhooks.jsonl');
    const want = expectedReport(file);
    const { context, page, problems } = await openPage(VIEWPORTS[0]);
    try {
      await drop(page, file);
      assert.ok((await text(page, '[data-testid="total"]')).includes(`USD ${want.totals.amount}`));
      const summary = await text(page, '[data-testid="reconciliation-summary"]');
      assert.ok(summary.includes(`${want.reconciliation.disagreed} disagree`), summary);
      const shown = await rows(page, '[data-testid="disagreements"]');
      assert.equal(shown.length, want.reconciliation.disagreements.length);
      want.reconciliation.disagreements.forEach((d, i) => {
        assert.ok(shown[i].includes(d.id), shown[i]);
      });
      // Each explanation is written from the catalog, for its code (tests/js/i18n.test.mjs).
      const codes = await page.locator('[data-testid="disagreements"] td.explanation').evaluateAll((tds) => tds.map((td) => td.dataset.code));
      assert.deepEqual(codes, want.reconciliation.disagreements.map((d) => d.explanationCode));
      const invoice = await rows(page, '[data-testid="invoice"]');
      assert.equal(invoice.length, want.invoice.length);
      assert.ok(invoice.some((r) => r.includes('Egypt')));
      await page.screenshot({ path: path.join(artifacts, 'logs-webhooks.png'), fullPage: true });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('malformed lines are listed with their line numbers; markup in a log stays text', { timeout: 120_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waprice-logs-'));
    const hostile = path.join(dir, 'hostile.csv');
    fs.writeFileSync(hostile, fs.readFileSync(path.join(fixtures, 'broken.csv'), 'utf8') +
      '2026-10-05T17:00:00Z,<img src=x onerror=alert(1)>,template,utility\n');
    const want = expectedReport(hostile);
    const { context, page, problems } = await openPage(VIEWPORTS[0]);
    try {
      await drop(page, hostile);
      assert.equal(await text(page, '[data-testid="errors-count"]'), String(want.input.errors));
      const listed = await page.locator('[data-testid="errors"] li').allInnerTexts();
      assert.equal(listed.length, want.input.errorList.length);
      want.input.errorList.forEach((e, i) => assert.ok(listed[i].includes(`line ${e.line}`) && listed[i].includes(e.code), listed[i]));
      assert.equal(await page.locator('#result img').count(), 0, 'no element from the log');
      assert.ok(listed.some((l) => l.includes('<img src=x onerror=alert(1)>')));
      assert.ok((await text(page, '[data-testid="total"]')).includes(want.totals.amount));
      // An invalid option: the engine's error, as text.
      await page.fill('#currency', 'US');
      await page.click('#price');
      await page.waitForSelector('[data-testid="error"]');
      assert.match(await text(page, '[data-testid="error"]'), /invalid_currency/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('onError: fail shows the first malformed line as the engine reports it', { timeout: 120_000 }, async () => {
    const file = path.join(fixtures, 'broken.csv');
    const want = (() => {
      try {
        expectedReport(file, { ...PAGE_OPTIONS, onError: 'fail' });
      } catch (e) {
        return e;
      }
      return null;
    })();
    assert.ok(Number.isInteger(want?.line) && want.source === 'log', 'the engine stops at a line');
    const { context, page, problems } = await openPage(VIEWPORTS[0]);
    try {
      // A log priced first: its figures must not stay on the progress line of the next one.
      await drop(page, path.join(fixtures, 'events.csv'));
      assert.match(await text(page, '[data-testid="progress-text"]'), /done$/);
      await page.selectOption('#on-error', 'fail');
      await drop(page, file);
      const shown = await text(page, '[data-testid="error"]');
      for (const part of [want.code, `line ${want.line}`, want.path]) assert.ok(shown.includes(part), `${part} in ${shown}`);
      // The sentence is the catalog's for the code, filled from the error's params (its date).
      assert.equal(want.code, 'unsupported_date');
      assert.deepEqual(want.params, { date: '2021-12-01' });
      assert.ok(shown.includes('Dec 1, 2021 is before 1 February 2022'), shown);
      assert.equal(await page.inputValue('#on-error'), 'fail', 'the options are kept');
      const progress = await text(page, '[data-testid="progress-text"]');
      assert.match(progress, /· stopped$/, progress);
      // Sizes under a kilobyte are shown in bytes: this is the broken log's, not the one before.
      assert.ok(progress.includes(` of ${fs.statSync(file).size} bytes ·`), `the broken log's size in ${progress}`);
      assert.equal(await text(page, '#progress-title'), 'Stopped');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('the options live in the link: a link restores them, a bad one is reported', { timeout: 120_000 }, async () => {
    const file = path.join(fixtures, 'events.csv');
    // A link with options: the fields take them; a change goes into the address at once.
    let link;
    {
      const { context, page, problems } = await openPage(VIEWPORTS[0], '#currency=EUR&onError=fail&whatIf=');
      try {
        assert.equal(await page.inputValue('#currency'), 'EUR');
        assert.equal(await page.inputValue('#on-error'), 'fail');
        assert.equal(await page.inputValue('#what-if-date'), '', 'no what-if');
        assert.equal(await page.inputValue('#format'), 'auto', 'a field the link does not name keeps its default');
        assert.equal(await page.locator('[data-testid="link-problem"]').count(), 0);
        await page.selectOption('#format', 'csv');
        assert.match(await page.evaluate(() => location.hash), /format=csv/);
        await page.fill('#currency', 'USD');
        assert.doesNotMatch(await page.evaluate(() => location.hash), /currency/, 'a default is not written');
        await page.fill('#currency', 'EUR');
        link = await page.evaluate(() => location.hash);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    }
    // That address, opened afresh (as a link, or a reload), prices with those options.
    const { context, page, problems } = await openPage(VIEWPORTS[0], link);
    try {
      assert.equal(await page.inputValue('#format'), 'csv');
      assert.equal(await page.inputValue('#currency'), 'EUR');
      assert.equal(await page.inputValue('#on-error'), 'fail');
      assert.equal(await page.inputValue('#what-if-date'), '');
      await drop(page, file);
      const want = expectedReport(file, { format: 'csv', currency: 'EUR', timezone: 'UTC', onError: 'fail' });
      assert.ok((await text(page, '[data-testid="total"]')).includes(`EUR ${want.totals.amount}`));
      assert.equal(await page.locator('[data-testid="what-if-total"]').count(), 0, 'no what-if, as the link says');
      // A link with values the page cannot take: each is named with its value, and not used.
      await page.goto(`${baseUrl}/www/logs.html#format=xml&whatIf=2026-13-45&currency=EURO&colour=red&onError=fail`);
      const shown = await text(page, '[data-testid="link-problem"]');
      for (const part of ['link.format', '"xml"', 'link.whatIf', '"2026-13-45"', 'link.currency', '"EURO"', 'link.colour']) {
        assert.ok(shown.includes(part), `${part} in ${shown}`);
      }
      assert.equal(await page.inputValue('#format'), 'auto');
      assert.equal(await page.inputValue('#what-if-date'), '2026-10-01');
      assert.equal(await page.inputValue('#currency'), 'USD');
      assert.equal(await page.inputValue('#on-error'), 'fail', 'the good values of the link are used');
      // A good link clears the notice of a bad one.
      await page.goto(`${baseUrl}/www/logs.html#onError=fail`);
      assert.equal(await page.locator('[data-testid="link-problem"]').count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('Stop ends the reading; pricing the same file again gives the engine\'s total', { timeout: 120_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waprice-logs-'));
    const big = path.join(dir, 'big.csv');
    const lines = ['at,user,kind,category'];
    // Large enough that Stop lands while the worker still reads, even on an idle machine (1.5M
    // lines were sometimes priced whole before the click took effect).
    for (let i = 0; i < 4_500_000; i++) {
      const at = new Date(Date.UTC(2026, 8, 1) + i * 6000).toISOString().replace('.000Z', 'Z');
      lines.push(`${at},+9198${String(i % 50_000).padStart(8, '0')},${i % 3 ? 'template' : 'inbound'},${i % 3 ? 'utility' : ''}`);
    }
    fs.writeFileSync(big, lines.join('\n') + '\n');
    const want = expectedReport(big);
    const { context, page, problems } = await openPage(VIEWPORTS[0]);
    try {
      await page.setInputFiles('#log-file', big);
      await page.click('#stop');
      await page.waitForSelector('body[data-done="true"]');
      assert.equal(await text(page, '#status'), 'Stopped.');
      assert.equal(await page.locator('[data-testid="total"]').count(), 0, 'no report for a stopped pricing');
      assert.equal(await text(page, '#progress-title'), 'Stopped');
      assert.match(await text(page, '[data-testid="progress-text"]'), /· stopped$/);
      await page.evaluate(() => { document.body.dataset.done = 'false'; });
      await page.click('#price');
      await page.waitForSelector('body[data-done="true"]', { timeout: 60_000 });
      assert.ok((await text(page, '[data-testid="total"]')).includes(`USD ${want.totals.amount}`));
      // Pricing again while a pricing runs, then Stop: no reading worker is left running.
      const open = new Set();
      page.on('worker', (w) => {
        open.add(w);
        w.on('close', () => open.delete(w));
      });
      await page.evaluate(() => { document.body.dataset.done = 'false'; });
      await page.click('#price');
      await page.click('#price');
      await page.click('#stop');
      await page.waitForSelector('body[data-done="true"]');
      assert.equal(await text(page, '#status'), 'Stopped.');
      for (let i = 0; i < 50 && open.size > 0; i++) await page.waitForTimeout(100);
      assert.equal(open.size, 0, 'every reading worker was stopped');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const lang of ['zh', 'ja']) {
    test(`in ${lang}: a priced log and its reconciliation have no English sentence; the choice persists; the CSV is in ${lang}`, { timeout: 120_000 }, async () => {
      const file = path.join(fixtures, 'webhooks.jsonl');
      const want = expectedReport(file);
      const { context, page, problems } = await openPage(VIEWPORTS[0]);
      try {
        await page.selectOption('#lang', lang);
        const locale = lang === 'zh' ? 'zh-CN' : 'ja-JP';
        await page.waitForFunction((l) => document.documentElement.lang === l, locale);
        await drop(page, file);
        assert.ok((await text(page, '[data-testid="total"]')).includes(`USD ${want.totals.amount}`));
        assert.equal((await rows(page, '[data-testid="disagreements"]')).length, want.reconciliation.disagreements.length);
        // Markets in the language of the page (Egypt's name from Intl, as a reader there writes it).
        const egypt = new Intl.DisplayNames([locale], { type: 'region' }).of('EG');
        assert.ok((await rows(page, '[data-testid="invoice"]')).some((r) => r.includes(egypt)), `${egypt} in the invoice`);
        const sentences = await englishSentences(page);
        assert.deepEqual(sentences, [], `${lang}: English sentences remain: ${sentences.join(' | ')}`);
        await page.screenshot({ path: path.join(artifacts, `logs-${lang}.png`), fullPage: true });
        // The report as CSV: its labels in the same language.
        const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="report-csv"]')]);
        const body = fs.readFileSync(await csv.path(), 'utf8');
        const header = body.replace(/^\ufeff/, '').split('\r\n')[0];
        assert.doesNotMatch(header, /[A-Za-z]{3}/, `the CSV header is in ${lang}: ${header}`);
        assert.ok(body.includes(egypt), `the CSV names markets in ${lang}`);
        for (const d of want.reconciliation.disagreements) assert.ok(body.includes(d.id), `${d.id} in the CSV`);
        // The choice is kept for the next visit, and for the calculator.
        await page.reload({ waitUntil: 'load' });
        await page.waitForSelector('body[data-ready="true"]');
        assert.equal(await page.evaluate(() => document.documentElement.lang), locale);
        assert.equal(await page.inputValue('#lang'), lang);
        // A log with malformed lines: each error is written in the language too.
        await drop(page, path.join(fixtures, 'broken.csv'));
        await page.locator('[data-testid="errors"] li').first().waitFor();
        const malformed = await englishSentences(page);
        assert.deepEqual(malformed, [], `${lang}: English sentences remain with malformed lines: ${malformed.join(' | ')}`);
        // JSON Lines that are not events of the right shape (an unknown field, a number for a
        // phone, no category, an unknown category, cut JSON, a short number): each written in the
        // language with the value at fault.
        await drop(page, path.join(fixtures, 'broken.jsonl'));
        await page.locator('[data-testid="errors"] li').nth(5).waitFor();
        const jsonErrors = await page.locator('[data-testid="errors"] li').allInnerTexts();
        assert.equal(jsonErrors.length, 6, jsonErrors.join('\n'));
        for (const [line, value] of [[2, 'usr'], [3, '919812345678'], [5, 'promo'], [7, '919812']]) {
          assert.ok(jsonErrors[line - 2].includes(value), `${lang}: line ${line} names ${value}: ${jsonErrors[line - 2]}`);
        }
        // None falls back to the generic sentence: every error has its reason's template.
        const generic = (await catalog(lang))['err.generic'];
        assert.ok(!jsonErrors.some((t) => t.includes(generic)), `${lang}: a generic sentence in ${jsonErrors.join(' | ')}`);
        const jsonSentences = await englishSentences(page);
        assert.deepEqual(jsonSentences, [], `${lang}: English sentences remain with malformed JSON lines: ${jsonSentences.join(' | ')}`);
        await page.screenshot({ path: path.join(artifacts, `logs-${lang}-malformed-json.png`), fullPage: true });
        await page.waitForLoadState('networkidle');
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }
});

describe('the log page: disagreements by class and the opening state', () => {
  const file = path.join(fixtures, 'meta-labels.jsonl');

  for (const lang of ['en', 'ja']) {
    test(`in ${lang}: the classes table gives each class's count and money at stake, the rows both verdicts in words`, { timeout: 120_000 }, async () => {
      const want = expectedReport(file);
      const rec = want.reconciliation;
      const { context, page, problems } = await openPage(VIEWPORTS[0]);
      try {
        if (lang !== 'en') {
          await page.selectOption('#lang', lang);
          await page.waitForFunction(() => document.documentElement.lang === 'ja-JP');
        }
        await drop(page, file);
        const classes = await rows(page, '[data-testid="classes"]');
        assert.equal(classes.length, 3);
        ['money', 'label', 'context'].forEach((c, i) => {
          const row = classes[i];
          assert.ok(row.includes(String(rec.byClass[c].count)), `${c}: ${row}`);
          assert.ok(row.includes(rec.byClass[c].amount), `${c} at stake ${rec.byClass[c].amount}: ${row}`);
        });
        const shown = await rows(page, '[data-testid="disagreements"]');
        assert.equal(shown.length, rec.disagreements.length);
        const meta = await page.locator('[data-testid="meta-words"]').allInnerTexts();
        const engineWords = await page.locator('[data-testid="engine-words"]').allInnerTexts();
        rec.disagreements.forEach((d, i) => {
          assert.ok(shown[i].includes(d.id), shown[i]);
          assert.ok(meta[i].trim() && engineWords[i].trim(), `row ${i} has both verdicts in words`);
          assert.notEqual(meta[i], engineWords[i], `row ${i}: Meta's words and the engine's differ`);
          // Words, not the engine's field names.
          assert.doesNotMatch(`${meta[i]} ${engineWords[i]}`, /\b(PMP|CBP|billable|free_customer_service|regular)\b/);
        });
        const inferences = page.locator('[data-testid="inferences"] li');
        assert.equal(await inferences.count(), rec.inferences.length);
        const suggested = JSON.parse(await text(page, '[data-testid="suggested-opening"]'));
        assert.deepEqual(suggested, rec.inferences.find((i) => i.code === 'allowance_used_before').opening);
        if (lang === 'en') {
          assert.ok(classes[2].includes('Missing context'), classes[2]);
        } else {
          assert.ok(classes[2].includes('情報の不足'), classes[2]);
          const sentences = await englishSentences(page);
          assert.deepEqual(sentences, [], `English sentences remain: ${sentences.join(' | ')}`);
        }
        await page.screenshot({ path: path.join(artifacts, `logs-classes-${lang}.png`), fullPage: true });
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  test('the opening state from the form prices as the engine does, and lives in the link', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await openPage(VIEWPORTS[0]);
    try {
      await drop(page, file);
      const suggested = JSON.parse(await text(page, '[data-testid="suggested-opening"]'));
      await page.fill('#opening', JSON.stringify(suggested));
      await page.evaluate(() => { document.body.dataset.done = 'false'; });
      await page.click('#price');
      await page.waitForSelector('body[data-done="true"]', { timeout: 60_000 });
      const want = expectedReport(file, { ...PAGE_OPTIONS, opening: suggested });
      assert.ok((await text(page, '[data-testid="total"]')).includes(`USD ${want.totals.amount}`));
      assert.ok(!want.reconciliation.inferences.some((i) => i.code === 'allowance_used_before'));
      assert.equal(await page.locator('[data-testid="inferences"] li[data-code="allowance_used_before"]').count(), 0);
      assert.match(await page.evaluate(() => location.hash), /opening=/);
      // Not a JSON object: refused before reading, naming the option.
      await page.fill('#opening', '{"service":');
      await page.evaluate(() => { document.body.dataset.done = 'false'; });
      await page.click('#price');
      await page.waitForSelector('body[data-done="true"]', { timeout: 60_000 });
      assert.ok((await text(page, '[data-testid="error"]')).includes('opening'));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
