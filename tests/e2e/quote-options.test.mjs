// End-to-end test of the quote view's options (issue 21): Meta's lines by market, a tax preset,
// a prepaid wallet, in English and Japanese: the document shows the engine's figures for the
// same options, its sections in the page's language, and no console error.
// Needs pkg/ (bash scripts/build.sh) and Debian's chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { QUICK_STARTS } from '../../www/calculator/quick-starts.js';
import { catalog } from '../../www/shared/i18n/index.js';
import { startServer, loadPkg, launch, openPage, gotoReady, view, shot, artifacts } from './harness.mjs';

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

for (const lang of ['en', 'ja']) {
  test(`quote options in ${lang}: lines by market, GST, a 30-day wallet`, { timeout: 120_000 }, async () => {
    const dict = await catalog(lang);
    const { context, page, problems } = await openPage(browser);
    try {
      await gotoReady(page, base);
      if (lang !== 'en') {
        await page.selectOption('#lang', lang);
        await page.waitForFunction((l) => document.documentElement.dataset.lang === l, lang);
      }
      await page.click('[data-testid="quick-ecommerce"]');
      await view(page, 'quote');
      await page.locator('[data-testid="quote-options"]').waitFor();
      await page.selectOption('#fquote-meta-linesBy', 'market');
      await page.click('[data-testid="tax-gst"]');
      await page.fill('#fquote-meta-wallet-days', '30');
      await page.fill('#fquote-meta-wallet-minimumTopUp', '100');
      await page.fill('#fquote-meta-wallet-cardFeePercent', '3.5');
      await page.locator('[data-testid="wallet-fee"]').waitFor();
      const q = engine.quote(structuredClone(QUICK_STARTS[0].scenario), {
        issued: await page.inputValue('#fquote-meta-issued'), validDays: 30, linesBy: 'market',
        taxes: [{ name: 'GST', percent: 18, on: 'all' }], wallet: { days: 30, minimumTopUp: '100', cardFeePercent: 3.5 },
      });
      const doc = page.locator('[data-testid="quote-doc"]');
      assert.equal(await doc.locator('[data-testid="quote-total-doc"]').getAttribute('data-value'), q.total);
      assert.equal(await doc.locator('[data-testid="quote-headline-total"]').getAttribute('data-value'), q.total);
      assert.equal(await doc.locator('[data-testid="quote-subtotal"]').count(), 1);
      assert.equal(await doc.locator('[data-testid="tax-line"]').count(), q.taxLines.length);
      assert.equal(await doc.locator('.qd-lines').first().locator('tbody tr').count(), q.lines.length);
      assert.equal(await doc.locator('[data-testid="wallet-top-up"]').getAttribute('data-value'), q.wallet.topUp);
      assert.equal(await doc.locator('[data-testid="wallet-payable"]').getAttribute('data-value'), q.wallet.payable);
      // Sections and terms in the page's language.
      assert.match(await doc.locator('[data-testid="quote-wallet"] h3').innerText(), new RegExp(dict['q.wallet'].replace(/[()]/g, '.')));
      assert.equal(await doc.locator('[data-testid="quote-terms"] h3').innerText(), dict['q.terms']);
      const terms = await doc.locator('[data-testid="quote-terms"] li').allInnerTexts();
      assert.equal(terms.length, q.terms.length);
      const pass = await doc.locator('[data-testid="quote-terms"] li[data-code="quote_pass_through"]').innerText();
      assert.ok(pass.startsWith(dict['note.quote_pass_through'].split('{')[0].trim().slice(0, 8)), pass);
      // The share link carries the options: opening it shows the same quote.
      const url = await page.inputValue('[data-testid="quote-url"]');
      assert.ok(url.includes('#q='), url);
      // The CSV has the subtotal, the tax line, the total with tax and the wallet's rows.
      const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="quote-csv"]')]);
      const csvText = fs.readFileSync(await csv.path(), 'utf8');
      for (const row of [
        `\r\n${dict['q.subtotal']},,,,${q.subtotal},${q.currency}\r\n`,
        `,${q.taxLines[0].amount},${q.currency}\r\n`,
        `\r\n${dict['q.totalWithTax']},,,,${q.total},${q.currency}\r\n`,
        `,${q.wallet.payable},${q.currency}`,
      ]) assert.ok(csvText.includes(row), `${row} in ${csvText}`);
      await shot(page, `quote-options-${lang}`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}

for (const lang of ['en', 'zh', 'ja']) {
  test(`max-price multipliers in ${lang}: add a market, lower its bid, a bad value at the field, remove`, { timeout: 120_000 }, async () => {
    const dict = await catalog(lang);
    const { context, page, problems } = await openPage(browser);
    try {
      await gotoReady(page, base);
      if (lang !== 'en') {
        await page.selectOption('#lang', lang);
        await page.waitForFunction((l) => document.documentElement.dataset.lang === l, lang);
      }
      await page.click('[data-testid="quick-ecommerce"]');
      await view(page, 'quote');
      await page.locator('[data-testid="quote-options"]').waitFor();
      await page.fill('#fquote-meta-maxPrice-perThousand', '20');
      await page.selectOption('#fquote-meta-maxPrice-currency', 'USD');
      await page.locator('[data-testid="quote-max-price"]').waitFor();
      // The markets offered are those of the estimate with marketing messages.
      const offered = await page.locator('[data-testid="multiplier-market"] option').evaluateAll((os) => os.map((o) => o.value));
      const scenario = structuredClone(QUICK_STARTS[0].scenario);
      const est = engine.estimate(structuredClone(scenario));
      const marketing = [...new Set(est.meta.lines.filter((l) => l.category === 'marketing').map((l) => l.market))];
      assert.deepEqual(offered, marketing);
      const market = offered[0];
      await page.selectOption('[data-testid="multiplier-market"]', market);
      await page.click('[data-testid="multiplier-add"]');
      const row = page.locator(`[data-testid="multiplier-row"][data-market="${market}"]`);
      await row.waitFor();
      const input = row.locator('input');
      assert.equal(await input.inputValue(), '1');
      await input.fill('0.5');
      const issued = await page.inputValue('#fquote-meta-issued');
      const q = engine.quote(structuredClone(scenario), {
        issued, validDays: 30, maxPrice: { perThousand: '20', currency: 'USD', multipliers: { [market]: 0.5 } },
      });
      const doc = page.locator('[data-testid="quote-doc"]');
      await page.waitForFunction((v) => document.querySelector('[data-testid="ceiling-total"]')?.dataset.value === v, q.maxPrice.ceilingTotal);
      // The share link carries the multiplier.
      const url = await page.inputValue('[data-testid="quote-url"]');
      const back = engine.decodeQuote(new URLSearchParams(url.split('#')[1]).get('q'));
      assert.deepEqual(back.meta.maxPrice.multipliers, { [market]: 0.5 });
      await page.locator('[data-testid="quote-options"]').screenshot({ path: `${artifacts}/quote-multipliers-${lang}.png` });
      // Above 1: the engine's error at the field, in the page's language.
      await input.fill('2');
      const err = row.locator('.field-error');
      await err.waitFor();
      assert.ok((await err.innerText()).includes(dict['q.opt.multiplierError'].split('{')[0].trim().slice(0, 4)), await err.innerText());
      assert.ok((await err.innerText()).includes('2'));
      assert.equal(await input.getAttribute('aria-invalid'), 'true');
      await page.locator('[data-testid="quote-options"]').screenshot({ path: `${artifacts}/quote-multipliers-error-${lang}.png` });
      // Removed: the row goes, the market is offered again, the ceiling is the bid's.
      await row.locator('[data-testid="multiplier-remove"]').click();
      await row.waitFor({ state: 'detached' });
      const plain = engine.quote(structuredClone(scenario), { issued, validDays: 30, maxPrice: { perThousand: '20', currency: 'USD' } });
      await page.waitForFunction((v) => document.querySelector('[data-testid="ceiling-total"]')?.dataset.value === v, plain.maxPrice.ceilingTotal);
      assert.notEqual(plain.maxPrice.ceilingTotal, q.maxPrice.ceilingTotal);
      assert.equal(await doc.locator('[data-testid="ceiling-line"]').count(), plain.maxPrice.lines.length);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}

for (const lang of ['en', 'zh', 'ja']) {
  test(`EU VAT in ${lang}: the rate is the seller's to type, said at the field until it is`, { timeout: 120_000 }, async () => {
    const dict = await catalog(lang);
    const { context, page, problems } = await openPage(browser);
    try {
      await gotoReady(page, base);
      if (lang !== 'en') {
        await page.selectOption('#lang', lang);
        await page.waitForFunction((l) => document.documentElement.dataset.lang === l, lang);
      }
      await page.click('[data-testid="quick-ecommerce"]');
      await view(page, 'quote');
      await page.click('[data-testid="tax-vat"]');
      const rate = page.locator('#fquote-meta-taxes-0-percent');
      await rate.waitFor();
      assert.equal(await rate.getAttribute('placeholder'), dict['q.opt.vatRatePh']);
      assert.equal(await page.locator('#fquote-meta-taxes-0-percent-hint').innerText(), dict['q.opt.vatRateHint']);
      // No rate: the engine's error at the rate, in the page's language; no quote document.
      const err = page.locator('#fquote-meta-taxes-0-percent-err');
      await err.waitFor();
      assert.ok((await err.innerText()).includes(dict['q.opt.taxRateMissing'].replace('{name}', 'VAT').split('{')[0].trim().slice(0, 6)), await err.innerText());
      assert.equal(await page.locator('[data-testid="quote-doc"]').count(), 0);
      await page.locator('[data-testid="quote-options"]').screenshot({ path: `${artifacts}/quote-vat-${lang}.png` });
      // Typed: a tax line at that rate.
      await rate.fill('19');
      await page.locator('[data-testid="tax-line"]').waitFor();
      assert.equal(await err.count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}

for (const lang of ['en', 'zh', 'ja']) {
  test(`max price in ${lang}: the estimate view says the marketing cells are capped`, { timeout: 120_000 }, async () => {
    const dict = await catalog(lang);
    const { context, page, problems } = await openPage(browser);
    try {
      await gotoReady(page, base);
      if (lang !== 'en') {
        await page.selectOption('#lang', lang);
        await page.waitForFunction((l) => document.documentElement.dataset.lang === l, lang);
      }
      await page.click('[data-testid="quick-ecommerce"]');
      assert.equal(await page.locator('[data-testid="max-price-cap"]').count(), 0);
      await view(page, 'quote');
      await page.fill('#fquote-meta-maxPrice-perThousand', '20');
      await page.selectOption('#fquote-meta-maxPrice-currency', 'USD');
      await page.locator('[data-testid="quote-max-price"]').waitFor();
      await view(page, 'estimate');
      const issued = await page.inputValue('#fquote-meta-issued');
      const q = engine.quote(structuredClone(QUICK_STARTS[0].scenario), { issued, validDays: 30, maxPrice: { perThousand: '20', currency: 'USD' } });
      const cap = page.locator('[data-testid="max-price-cap"]');
      await cap.waitFor();
      assert.equal(await cap.getAttribute('data-value'), q.maxPrice.ceilingTotal);
      assert.ok((await cap.innerText()).startsWith(dict['res.maxPriceCap'].split('{')[0].trim()), await cap.innerText());
      // Each marketing cell shows its market's ceiling beside the rate-card price, labelled.
      const cells = page.locator('[data-testid="matrix"] [data-testid="ceiling-cell"]');
      assert.equal(await cells.count(), q.maxPrice.lines.length);
      assert.deepEqual((await cells.evaluateAll((els) => els.map((e) => e.dataset.value))).sort(), q.maxPrice.lines.map((l) => l.ceiling).sort());
      const label = dict['res.ceilingCell'].split('{')[0].trim();
      assert.ok((await cells.first().innerText()).includes(label), await cells.first().innerText());
      await page.locator('[data-testid="matrix"]').screenshot({ path: `${artifacts}/estimate-ceiling-cells-${lang}.png` });
      await cap.screenshot({ path: `${artifacts}/estimate-max-price-${lang}.png` });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}
