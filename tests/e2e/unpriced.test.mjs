// End-to-end: never a silent zero (issue 20). A scenario whose traffic needs rates the data lacks
// shows "at least" beside its total, how many markets have no rate on this card, each unpriced line
// and the way out, in English and Chinese; its quote is a draft, marked on the page and on every
// page of the printed PDF (checked with pdftotext; the pages as PNG in tests/artifacts/).
// Needs pkg/ (bash scripts/build.sh), Debian's chromium and poppler-utils.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { LANGS, catalog } from '../../www/shared/i18n/index.js';
import { artifacts, startServer, loadPkg, launch, openPage, gotoReady } from './harness.mjs';

const DICT = Object.fromEntries(await Promise.all(LANGS.map(async (l) => [l.code, await catalog(l.code)])));
const fill = (template, vars) => template.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));

let server;
let base;
let browser;
let engine;

before(async () => {
  const pkg = await loadPkg();
  engine = new pkg.Engine();
  server = await startServer();
  base = `http://127.0.0.1:${server.port}/www/`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.child.kill('SIGTERM');
});

/**
 * EUR in April 2026: the data's EUR per-message cards start on 2026-07-01 (data/PROVENANCE.md), so
 * none of these marketing messages to Germany and France has a rate: two markets unpriced.
 */
const EUR_APRIL = {
  business: { currency: 'EUR', date: '2026-04-15' },
  audience: { contacts: 2000, mix: [{ country: 'DE', share: 50 }, { country: 'FR', share: 50 }] },
  journeys: [{ preset: 'marketing_campaign' }],
};

describe('an incomplete estimate', () => {
  for (const [lang, locale] of [['en', 'en-GB'], ['zh', 'zh-CN']]) {
    test(`${lang}: "at least" beside the total, the unpriced lines and the way out`, { timeout: 90_000 }, async () => {
      const want = engine.estimate(structuredClone(EUR_APRIL));
      assert.equal(want.complete, false);
      assert.deepEqual(want.unpriced.map((u) => [u.market, u.category, u.messages]), [['France', 'marketing', 1000], ['Germany', 'marketing', 1000]]);
      const d = DICT[lang];
      const { context, page, problems } = await openPage(browser, undefined, { locale });
      try {
        await gotoReady(page, `${base}#s=${engine.encodeScenario(structuredClone(EUR_APRIL))}`);
        const total = page.locator('wa-results [data-testid="total"]');
        await total.waitFor();
        assert.equal(await total.getAttribute('data-value'), want.total);
        assert.ok((await total.innerText()).startsWith(d['unpriced.atLeast']), `${lang}: the total reads "at least": ${await total.innerText()}`);
        const note = page.locator('wa-results [data-testid="unpriced"]');
        const text = await note.innerText();
        assert.ok(text.includes(fill(d['unpriced.marketsN'], { n: 2 })), `${lang}: "2 markets have no rate on this card" in ${text}`);
        assert.equal(await note.locator('[data-testid="unpriced-line"]').count(), 2);
        assert.ok(text.includes('1,000') || text.includes('1000'), `${lang}: the messages of each line in ${text}`);
        assert.ok(text.includes(fill(d['unpriced.wayOut'], { currency: 'EUR' })), `${lang}: the way out in ${text}`);
        await page.screenshot({ path: path.join(artifacts, `unpriced-estimate-${lang}.png`), fullPage: true });
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  test('the compare view: "at least" and the unpriced lines beside each incomplete date, nothing beside a complete one', { timeout: 90_000 }, async () => {
    // EUR has no card before 2026-07-01 in the data (issue 20): April is incomplete, July complete.
    const dates = ['2026-04-15', '2026-07-15'];
    const want = engine.compare(structuredClone(EUR_APRIL), dates);
    assert.deepEqual(want.estimates.map((e) => e.complete), [false, true]);
    const d = DICT.en;
    const { context, page, problems } = await openPage(browser);
    try {
      await page.goto(`${base}#s=${engine.encodeScenario(structuredClone(EUR_APRIL))}&v=compare&d=${dates.join(',')}`);
      const totals = page.locator('[data-testid="compare-totals"] .cmp-total');
      await totals.nth(1).waitFor();
      const first = await totals.nth(0).innerText();
      const second = await totals.nth(1).innerText();
      assert.ok(first.includes(d['unpriced.atLeast']), `the April total reads "at least": ${first}`);
      assert.ok(first.includes(fill(d['unpriced.marketsN'], { n: 2 })), `April names its 2 unpriced markets: ${first}`);
      assert.ok(first.includes(fill(d['unpriced.wayOut'], { currency: 'EUR' })), `April gives the way out: ${first}`);
      assert.equal(await totals.nth(0).locator('.cmp-amount').getAttribute('data-value'), want.estimates[0].total);
      assert.ok(!second.includes(d['unpriced.atLeast']), `the July total is complete: ${second}`);
      assert.equal(await totals.nth(1).locator('[data-testid="unpriced"]').count(), 0);
      // The table's total and Meta rows say it too, for the incomplete date only.
      const totalRow = page.locator('[data-testid="compare-table"] tr.total-row td');
      assert.ok((await totalRow.nth(0).innerText()).startsWith(d['unpriced.atLeast']));
      assert.ok(!(await totalRow.nth(1).innerText()).includes(d['unpriced.atLeast']));
      await page.screenshot({ path: path.join(artifacts, 'unpriced-compare-en.png'), fullPage: true });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('a complete estimate says nothing of the kind', { timeout: 60_000 }, async () => {
    const covered = { ...structuredClone(EUR_APRIL), business: { currency: 'EUR', date: '2026-07-15' } };
    assert.equal(engine.estimate(structuredClone(covered)).complete, true);
    const { context, page, problems } = await openPage(browser);
    try {
      await gotoReady(page, `${base}#s=${engine.encodeScenario(covered)}`);
      await page.locator('wa-results [data-testid="total"]').waitFor();
      assert.equal(await page.locator('[data-testid="at-least"]').count(), 0);
      assert.equal(await page.locator('[data-testid="unpriced"]').count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe('an incomplete quote is a draft', () => {
  test('the DRAFT mark on the page and on every page of its PDF', { timeout: 180_000 }, async () => {
    // Long enough for two pages: twelve markets, none priced in EUR in April 2026.
    const sc = structuredClone(EUR_APRIL);
    sc.audience.mix = ['BR', 'MX', 'CO', 'AR', 'CL', 'PE', 'IN', 'ID', 'DE', 'FR', 'ES', 'IT'].map((country, i) => ({ country, share: i < 4 ? 10 : 7.5 }));
    for (let i = 0; i < 12; i++) sc.journeys.push({ preset: i % 2 ? 'order_lifecycle' : 'support', share: 10 });
    const q = engine.quote(structuredClone(sc), { seller: 'Acme', customer: 'Shop', issued: '2026-04-01' });
    assert.equal(q.status, 'draft');
    assert.equal(q.draftReason, 'unpriced');
    const d = DICT.en;
    const { context, page, problems } = await openPage(browser, undefined, { locale: 'en-GB' });
    try {
      await gotoReady(page, `${base}#s=${engine.encodeScenario(structuredClone(sc))}&v=quote`);
      const doc = page.locator('[data-testid="quote-doc"]');
      await doc.waitFor();
      assert.equal(await doc.getAttribute('data-status'), 'draft');
      assert.equal(await page.locator('[data-testid="draft-mark"]').innerText(), d['q.draft']);
      assert.ok((await page.locator('[data-testid="draft-note"]').innerText()).includes(d['q.draftUnpriced']));
      assert.ok((await page.locator('[data-testid="quote-total-doc"]').innerText()).startsWith(d['unpriced.atLeast']));
      const file = path.join(artifacts, 'unpriced-draft-quote.pdf');
      fs.writeFileSync(file, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
      const pages = Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))[1]);
      assert.ok(pages >= 2, `the draft quote takes ${pages} page(s)`);
      for (let n = 1; n <= pages; n++) {
        const text = execFileSync('pdftotext', ['-raw', '-f', String(n), '-l', String(n), file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
        assert.ok(text.includes(d['q.draft']), `page ${n} of ${pages} carries the DRAFT mark`);
      }
      execFileSync('pdftoppm', ['-png', '-r', '50', file, path.join(artifacts, 'unpriced-draft-quote')]);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe('an incomplete log report', () => {
  test('"at least" beside the log total, the unpriced line and the way out on the log page', { timeout: 120_000 }, async () => {
    // The data has no BRL rate for Egypt (data/PROVENANCE.md): both templates are unpriced.
    const file = path.join(artifacts, 'unpriced-egypt-brl.csv');
    fs.writeFileSync(file, 'at,user,kind,category\n2024-05-01T10:00:00Z,+201001234567,template,marketing\n2024-05-02T10:00:00Z,+201001234567,template,marketing\n');
    const d = DICT.en;
    const { context, page, problems } = await openPage(browser, undefined, { locale: 'en-GB' });
    try {
      await page.goto(`${base}logs.html#currency=BRL&whatIf=`, { waitUntil: 'load' });
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
      await page.evaluate(() => { document.body.dataset.done = 'false'; });
      await page.setInputFiles('#log-file', file);
      await page.waitForSelector('body[data-done="true"]', { timeout: 60_000 });
      const total = await page.locator('[data-testid="total"]').innerText();
      assert.ok(total.startsWith(d['unpriced.atLeast']) && total.includes('BRL 0'), total);
      const note = await page.locator('#totals [data-testid="unpriced"]').innerText();
      assert.ok(note.includes(d['unpriced.markets1']), note);
      assert.equal(await page.locator('#totals [data-testid="unpriced-line"]').count(), 1);
      assert.ok(note.includes(fill(d['unpriced.wayOutLogs'], { currency: 'BRL' })), note);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
