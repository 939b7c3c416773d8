// End-to-end tests of the calculator (www/): presets priced exactly as the engine prices them in
// Node, share links, languages, the print view, custom rate data, inline errors, escaping, the
// timeline explainer and compare view, no console errors, screenshots and timings.
// Needs pkg/ (bash scripts/build.sh) and Debian's chromium. Screenshots go to tests/artifacts/.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { QUICK_STARTS } from '../../www/calculator/quick-starts.js';
import { EXAMPLES } from '../../www/calculator/examples.js';
import { LANGS, catalog } from '../../www/shared/i18n/index.js';
import {
  root, artifacts, VIEWPORTS, startServer, loadPkg, launch, openPage, gotoReady, waitTotal, totalValue, view, shot, noOverflow, reload,
  BRANDS, englishSentences,
} from './harness.mjs';

const DICT = Object.fromEntries(await Promise.all(LANGS.map(async (l) => [l.code, await catalog(l.code)])));

let server;
let base;
let browser;
let pkg;
let engine;

before(async () => {
  pkg = await loadPkg();
  engine = new pkg.Engine();
  server = await startServer();
  base = `http://127.0.0.1:${server.port}/www/`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.child.kill('SIGTERM');
});

const CUSTOM_RATES = [
  'effective_date,currency,market,category,rate,pricing_model,unit,confidence,sources,note',
  '2026-10-01,USD,Brazil,marketing,0.0999,per_message,per delivered template message,high,MY-CARD,negotiated test rate',
  '2026-10-01,USD,Mexico,marketing,0.0777,per_message,per delivered template message,high,MY-CARD,negotiated test rate',
].join('\n') + '\n';

const BROKEN_RATES = [
  'effective_date,currency,market,category,rate,pricing_model,unit,confidence,sources,note',
  '2026-10-01,USD,Brazil,marketing,0.0999,per_message,per delivered template message,high,MY-CARD,ok',
  '2026-10-01,USD,Mexico,marketing,12abc,per_message,per delivered template message,high,MY-CARD,bad rate',
].join('\n') + '\n';

/** Intl's rendering of a money string, as the page formats the big total (minor unit). */
function shownMoney(value, currency, locale = 'en') {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

describe('quick-start presets', () => {
  test('each preset shows the total the engine computes for the same scenario', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await gotoReady(page, base);
      for (const qs of QUICK_STARTS) {
        const expected = engine.estimate(structuredClone(qs.scenario));
        await page.click(`[data-testid="quick-${qs.id}"]`);
        await waitTotal(page, expected.total);
        const text = await page.locator('wa-results [data-testid="total"]').innerText();
        assert.equal(text.trim(), shownMoney(expected.total, expected.currency), `${qs.id}: displayed total`);
        assert.equal(await page.locator('[data-testid="split"]').count(), 1);
        // The market × category table has one row per market of the estimate.
        const markets = Object.keys(expected.meta.byMarket);
        assert.equal(await page.locator('[data-testid="matrix"] tbody tr').count(), markets.length, `${qs.id}: one row per market`);
        // Cost per contact is the engine's.
        if (expected.perContact !== null) {
          const perContact = await page.locator('[data-testid="kpi-contact"] dd').innerText();
          const want = new Intl.NumberFormat('en', { style: 'currency', currency: expected.currency, minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(expected.perContact);
          assert.equal(perContact.trim(), want, `${qs.id}: cost per contact`);
        }
        if (expected.quote) {
          const q = await page.locator('[data-testid="quote-total"]').innerText();
          assert.ok(q.includes(shownMoney(expected.quote.total, expected.quote.currency)), `${qs.id}: quote-currency total ${q}`);
        }
        assert.equal(await page.locator('[data-testid="chart-category"] svg rect').count() > 1, true, `${qs.id}: category chart`);
        assert.equal(await page.locator('[data-testid="chart-market"] .bar-row').count(), markets.length, `${qs.id}: market chart`);
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe('share links and drafts', () => {
  test('a share link restores the scenario in a fresh page; a reload restores the draft', { timeout: 120_000 }, async () => {
    const first = await openPage(browser);
    let link;
    let total;
    try {
      await gotoReady(first.page, base);
      await first.page.click('[data-testid="quick-support_desk"]');
      await first.page.fill('#f-audience-contacts', '12345');
      await first.page.fill('#f-audience-mix-0-share', '40');
      await first.page.fill('#f-audience-mix-1-share', '30');
      await first.page.fill('#f-reseller-platformMonthly', '175.5');
      const scenario = structuredClone(QUICK_STARTS.find((q) => q.id === 'support_desk').scenario);
      scenario.audience.contacts = 12345;
      scenario.audience.mix[0].share = 40;
      scenario.audience.mix[1].share = 30;
      scenario.reseller.platformMonthly = '175.5';
      total = engine.estimate(scenario).total;
      await waitTotal(first.page, total);
      link = await first.page.inputValue('#share-url');
      assert.match(link, /#s=w1\./);
      assert.deepEqual(engine.decodeScenario(link.split('#s=')[1]).scenario.audience.contacts, 12345);
      // Reload: the draft and the URL bring back everything.
      await reload(first.page);
      await first.page.waitForSelector('body[data-ready="true"]');
      await waitTotal(first.page, total);
      assert.equal(await first.page.inputValue('#f-audience-contacts'), '12345');
      assert.deepEqual(first.problems, []);
    } finally {
      await first.context.close();
    }
    // A fresh browser context: no localStorage, only the link.
    const second = await openPage(browser);
    try {
      await gotoReady(second.page, link);
      await waitTotal(second.page, total);
      assert.equal(await second.page.inputValue('#f-audience-contacts'), '12345');
      assert.equal(await second.page.inputValue('#f-audience-mix-0-share'), '40');
      assert.equal(await second.page.inputValue('#f-reseller-platformMonthly'), '175.5');
      assert.equal(await second.page.inputValue('#f-business-currency'), 'EUR');
      assert.deepEqual(second.problems, []);
    } finally {
      await second.context.close();
    }
  });

  test('a quote link restores the scenario and the quote details', { timeout: 60_000 }, async () => {
    const scenario = QUICK_STARTS[1].scenario;
    const q = engine.quote(structuredClone(scenario), { seller: 'Acme Messaging', customer: 'PayNow Ltd', issued: '2026-11-21', validDays: 15, reference: 'RFQ-7' });
    const { context, page, problems } = await openPage(browser);
    try {
      await gotoReady(page, `${base}#q=${q.encoded}&v=quote`);
      await page.locator('[data-testid="quote-doc"]').waitFor();
      assert.equal(await page.locator('[data-testid="quote-id"]').innerText(), q.id);
      assert.equal(await page.locator('[data-testid="quote-total-doc"]').getAttribute('data-value'), q.total);
      assert.match(await page.locator('[data-testid="quote-customer"]').innerText(), /PayNow Ltd/);
      assert.equal(await page.inputValue('#fquote-meta-validDays'), '15');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

/** Visible UI text of the page (engine text, marked lang="en", and user data excluded). */
function visibleUiText(page) {
  return page.evaluate(() => {
    const out = [];
    const skip = (el) => el.closest('[lang="en"], script, style, datalist, .mono, code, [data-user-text]');
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || skip(el)) continue;
      const opt = el.closest('option');
      if (opt && !opt.selected) continue;
      if (!el.checkVisibility({ checkVisibilityCSS: true })) continue;
      const text = n.nodeValue.trim();
      if (text) out.push(text);
    }
    for (const el of document.querySelectorAll('[placeholder], [aria-label], [title]')) {
      if (skip(el) || !el.checkVisibility()) continue;
      for (const a of ['placeholder', 'aria-label', 'title']) if (el.getAttribute(a)) out.push(el.getAttribute(a));
    }
    return out.join('\n');
  });
}

// Product names stay as they are in every language.

/** English UI strings that must not remain: fragments of the English dictionary (without placeholders). */
function englishFragments(lang) {
  const en = DICT.en;
  const other = DICT[lang];
  const frags = new Set();
  for (const [key, value] of Object.entries(en)) {
    if (other[key] === value) continue; // identical in both
    for (const part of value.replace(BRANDS, '{}').split(/\{\w*\}/)) {
      const f = part.trim().replace(/^[^A-Za-z]+|[^A-Za-z)]+$/g, '');
      if (f.length >= 4 && /[a-z]{3}/.test(f)) frags.add(f);
    }
  }
  return [...frags];
}

describe('languages', () => {
  for (const lang of ['zh', 'ja']) {
    test(`switching to ${lang} changes every visible label, and the choice persists`, { timeout: 120_000 }, async () => {
      const { context, page, problems } = await openPage(browser);
      try {
        await gotoReady(page, base);
        await page.click('[data-testid="quick-lead_ads"]');
        const englishTotal = await page.locator('wa-results [data-testid="total"]').innerText();
        await page.selectOption('#lang', lang);
        await page.waitForFunction((l) => document.documentElement.dataset.lang === l, lang);
        const locale = lang === 'zh' ? 'zh-CN' : 'ja-JP';
        assert.equal(await page.evaluate(() => document.documentElement.lang), locale);
        const frags = englishFragments(lang);
        for (const v of ['estimate', 'compare', 'timeline', 'quote', 'data']) {
          await view(page, v);
          if (v === 'timeline') await page.locator('[data-testid="verdicts"]').waitFor();
          if (v === 'compare') await page.locator('[data-testid="compare-table"]').waitFor();
          if (v === 'quote') await page.locator('[data-testid="quote-doc"]').waitFor();
          const text = (await visibleUiText(page)).replace(BRANDS, '');
          const left = frags.filter((f) => text.includes(f));
          assert.deepEqual(left, [], `${lang} ${v}: English UI text remains: ${left.join(' | ')}`);
          // Nor any English sentence of the engine's (warnings, explanations, assumptions).
          const sentences = await englishSentences(page);
          assert.deepEqual(sentences, [], `${lang} ${v}: English sentences remain: ${sentences.join(' | ')}`);
          await shot(page, `calculator-${lang}-${v}-desktop`);
        }
        // A field error (a number without its +) is written in the language, not the engine's English.
        await view(page, 'timeline');
        const user = page.locator('.f-user input').first();
        await user.fill('201001234567');
        await user.press('Tab');
        await page.locator('.field-error').first().waitFor();
        const fieldSentences = await englishSentences(page);
        assert.deepEqual(fieldSentences, [], `${lang} field error: English sentences remain: ${fieldSentences.join(' | ')}`);
        assert.match(await page.locator('.field-error').first().innerText(), /201001234567/);
        await view(page, 'estimate');
        // Numbers and money follow the locale.
        const total = await page.locator('wa-results [data-testid="total"]').innerText();
        const value = await totalValue(page);
        assert.equal(total.trim(), shownMoney(value, 'USD', locale));
        assert.notEqual(total, '');
        assert.ok(englishTotal.length > 0);
        // Country search in this language.
        const name = new Intl.DisplayNames([locale], { type: 'region' }).of('JP');
        await page.fill('#mix-search', name);
        await page.locator('#mix-options li').first().waitFor();
        assert.match(await page.locator('#mix-options li').first().innerText(), new RegExp(name));
        // The choice persists.
        await reload(page);
        await page.waitForSelector('body[data-ready="true"]');
        assert.equal(await page.evaluate(() => document.documentElement.lang), locale);
        assert.equal(await page.inputValue('#lang'), lang);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }
});

describe('quote print view', () => {
  test('prints to A4 and Letter PDFs with seller, customer, lines and provenance', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await gotoReady(page, base);
      await page.click('[data-testid="quick-ecommerce"]');
      await view(page, 'quote');
      await page.fill('#fquote-meta-seller', 'Acme Messaging Ltd');
      await page.fill('#fquote-meta-customer', 'Loja Exemplo S.A.');
      await page.fill('#fquote-meta-reference', 'RFQ-2026-118');
      await page.locator('[data-testid="quote-seller"]', { hasText: 'Acme Messaging Ltd' }).waitFor();
      const q = engine.quote(structuredClone(QUICK_STARTS[0].scenario), {
        seller: 'Acme Messaging Ltd', customer: 'Loja Exemplo S.A.', reference: 'RFQ-2026-118',
        issued: await page.inputValue('#fquote-meta-issued'), validDays: 30,
      });
      assert.equal(await page.locator('[data-testid="quote-total-doc"]').getAttribute('data-value'), q.total);
      assert.equal(await page.locator('[data-testid="quote-id"]').innerText(), q.id);
      assert.equal(await page.locator('.qd-lines').first().locator('tbody tr').count(), q.lines.length);
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('wa-nav').isVisible(), false, 'no navigation on paper');
      assert.equal(await page.locator('.quote-doc').isVisible(), true);
      assert.equal(await page.locator('.no-print').first().isVisible(), false, 'no form on paper');
      for (const format of ['A4', 'Letter']) {
        const pdf = await page.pdf({ format, printBackground: true });
        assert.ok(pdf.length > 5000, `${format} PDF has content`);
        assert.equal(pdf.subarray(0, 4).toString(), '%PDF');
        fs.writeFileSync(path.join(artifacts, `quote-${format}.pdf`), pdf);
      }
      await shot(page, 'quote-print-desktop');
      // Printing from another view prints the quote too.
      await page.emulateMedia({ media: 'screen' });
      await view(page, 'estimate');
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('.quote-doc').isVisible(), true, 'the quote prints from the estimate view');
      assert.equal(await page.locator('wa-estimator').isVisible(), false);
      await page.emulateMedia({ media: 'screen' });
      // Exports: CSV and JSON of the quote and of the estimate.
      await view(page, 'quote');
      const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="quote-csv"]')]);
      const csvText = fs.readFileSync(await csv.path(), 'utf8');
      // In the page's language (English here): the catalog's labels, the engine's exact figures.
      assert.ok(csvText.includes(`\r\n${DICT.en['q.monthlyTotal']},,,,${q.total},USD\r\n`), csvText);
      await view(page, 'estimate');
      const [json] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-json"]')]);
      const body = JSON.parse(fs.readFileSync(await json.path(), 'utf8'));
      assert.equal(body.estimate.total, engine.estimate(structuredClone(QUICK_STARTS[0].scenario)).total);
      const [csv2] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-csv"]')]);
      assert.match(fs.readFileSync(await csv2.path(), 'utf8'), /^\ufeffsection,market,category/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe('custom rate data', () => {
  test('an uploaded card changes the total; a broken one shows its line and changes nothing', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await gotoReady(page, base);
      await page.click('[data-testid="quick-ecommerce"]');
      const scenario = structuredClone(QUICK_STARTS[0].scenario);
      const embeddedTotal = engine.estimate(scenario).total;
      await waitTotal(page, embeddedTotal);
      const custom = new pkg.Engine({ rates: CUSTOM_RATES });
      const customTotal = custom.estimate(structuredClone(scenario)).total;
      assert.notEqual(customTotal, embeddedTotal);

      await view(page, 'data');
      await page.setInputFiles('#csv-upload', { name: 'my-rates.csv', mimeType: 'text/csv', buffer: Buffer.from(CUSTOM_RATES) });
      await page.locator('[data-testid="custom-ok"]').waitFor();
      assert.ok(await page.locator('[data-testid="cards-table"] tr.from-upload').count() >= 1, 'the card is marked as from the upload');
      await view(page, 'estimate');
      await waitTotal(page, customTotal);
      assert.equal(await page.locator('[data-testid="from-upload"]').count(), 1, 'the total says it uses the upload');
      assert.equal(await page.locator('[data-testid="matrix"] td.from-upload').count(), 2, 'Brazil and Mexico marketing come from the upload');
      await shot(page, 'custom-data-desktop');

      // A broken file: its name, line and column, the line itself; the figures stay as they were.
      await view(page, 'data');
      await page.setInputFiles('#csv-upload', { name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from(BROKEN_RATES) });
      const err = page.locator('[data-testid="csv-error"]');
      await err.waitFor();
      let expectedError;
      try {
        new pkg.Engine({ rates: BROKEN_RATES });
      } catch (e) {
        expectedError = e;
      }
      assert.equal(expectedError.code, 'csv_error');
      const text = await err.innerText();
      assert.match(text, /broken\.csv/);
      assert.ok(text.includes(`Line ${expectedError.line}, column ${expectedError.column}`), text);
      // The sentence is the catalog's, written from the error's reason and parameters
      // (docs/errors.md), in each language.
      assert.deepEqual(expectedError.params, { reason: 'not_a_decimal', field: 'rate', value: '12abc' });
      const sentence = (lang) => DICT[lang]['err.csv_error.not_a_decimal'].replace('{value}', '12abc').replace('{field}', 'rate');
      assert.ok(text.includes(sentence('en')), text);
      assert.equal(await err.locator('mark').innerText(), '12abc');
      assert.match(await err.locator('.csv-line').innerText(), /Mexico,marketing,12abc/);
      await shot(page, 'custom-data-error-desktop');
      for (const lang of ['zh', 'ja', 'en']) {
        await page.selectOption('#lang', lang);
        await page.waitForFunction((l) => document.documentElement.dataset.lang === l, lang);
        const shown = await page.locator('[data-testid="csv-error"]').innerText();
        assert.ok(shown.includes(sentence(lang)), `${lang}: ${shown}`);
        if (lang !== 'en') await shot(page, `custom-data-error-${lang}-desktop`);
      }
      await view(page, 'estimate');
      await waitTotal(page, customTotal);

      // Removing the uploads brings back the embedded data.
      await view(page, 'data');
      await page.click('[data-action="clear-files"]');
      await view(page, 'estimate');
      await waitTotal(page, embeddedTotal);
      assert.equal(await page.locator('[data-testid="from-upload"]').count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe('never lose input', () => {
  test('a bad input shows the engine error at its field and keeps every other input', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await gotoReady(page, base);
      await page.click('[data-testid="quick-fintech_otp"]');
      const good = engine.estimate(structuredClone(QUICK_STARTS[1].scenario)).total;
      await waitTotal(page, good);
      const before = {
        contacts: await page.inputValue('#f-audience-contacts'),
        share0: await page.inputValue('#f-audience-mix-0-share'),
        tz: await page.inputValue('#f-business-timezone'),
        fee: await page.inputValue('#f-reseller-platformMonthly'),
      };
      // A negative share: the engine names audience.mix[2].share.
      await page.fill('#f-audience-mix-2-share', '-5');
      const bad = structuredClone(QUICK_STARTS[1].scenario);
      bad.audience.mix[2].share = -5;
      let engineError;
      try {
        engine.estimate(bad);
      } catch (e) {
        engineError = e;
      }
      assert.equal(engineError.path, 'audience.mix[2].share');
      assert.deepEqual(engineError.params, { reason: 'percent_out_of_range', value: '-5', min: '0', max: '100' });
      const input = page.locator('#f-audience-mix-2-share');
      await page.waitForFunction(() => document.querySelector('#f-audience-mix-2-share')?.getAttribute('aria-invalid') === 'true');
      const msg = await page.locator('#f-audience-mix-2-share-err').innerText();
      // Written from the error's reason and values (docs/errors.md), not the engine's English.
      const sentence = DICT.en['err.invalid_input.percent_out_of_range'].replace('{value}', '-5').replace('{min}', '0').replace('{max}', '100');
      assert.ok(msg.includes(sentence), msg);
      assert.equal(await input.inputValue(), '-5');
      assert.equal(await page.inputValue('#f-audience-contacts'), before.contacts);
      assert.equal(await page.inputValue('#f-audience-mix-0-share'), before.share0);
      assert.equal(await page.inputValue('#f-business-timezone'), before.tz);
      assert.equal(await page.inputValue('#f-reseller-platformMonthly'), before.fee);
      // The last good total stays on screen, marked.
      assert.equal(await totalValue(page), good);
      assert.equal(await page.locator('.stale-note').count(), 1);
      await shot(page, 'bad-input-desktop');

      // The bad value survives a reload (the draft), still marked.
      await reload(page);
      await page.waitForSelector('#f-audience-mix-2-share[aria-invalid="true"]');
      assert.equal(await page.inputValue('#f-audience-mix-2-share'), '-5');

      // A second kind: an unknown time zone, at its own field; fixing both prices again.
      await page.fill('#f-audience-mix-2-share', '5');
      await page.fill('#f-business-timezone', 'Mars/Olympus');
      await page.waitForSelector('#f-business-timezone[aria-invalid="true"]');
      assert.match(await page.locator('#f-business-timezone-err').innerText(), /Mars\/Olympus/);
      await page.fill('#f-business-timezone', before.tz);
      await waitTotal(page, good);
      assert.equal(await page.locator('[aria-invalid="true"]').count(), 0);
      assert.equal(await page.locator('.stale-note').count(), 0);

      // A typed word in a number field is kept and explained.
      await page.fill('#f-audience-contacts', '20k');
      await page.waitForSelector('#f-audience-contacts[aria-invalid="true"]');
      assert.equal(await page.inputValue('#f-audience-contacts'), '20k');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  // The country list arrives after the first total; a query typed before it is typed again, as a
  // person would when no option shows up.
  async function searchFor(page, query) {
    for (let attempt = 0; ; attempt++) {
      await page.fill('#mix-search', '');
      await page.fill('#mix-search', query);
      try {
        await page.locator('#mix-options li').first().waitFor({ timeout: 10_000 });
        return;
      } catch (err) {
        if (attempt >= 2) throw err;
      }
    }
  }

  test('the country search finds by name, ISO code and calling code, by keyboard', { timeout: 60_000 }, async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await gotoReady(page, base);
      await page.click('[data-testid="quick-ecommerce"]');
      const rows = page.locator('.mix-row');
      const n = await rows.count();
      for (const [query, name] of [['ind', 'India'], ['JP', 'Japan'], ['+234', 'Nigeria'], ['rest of af', 'Rest of Africa']]) {
        await searchFor(page, query);
        await page.press('#mix-search', 'Enter');
        await page.waitForFunction((c) => document.querySelectorAll('.mix-row').length === c, n + 1);
        assert.match(await rows.last().innerText(), new RegExp(name), `${query} → ${name}`);
        await rows.last().locator('[data-action="remove-mix"]').click();
        await page.waitForFunction((c) => document.querySelectorAll('.mix-row').length === c, n);
      }
      // Typing right after the focus went elsewhere: the list closes 150 ms after the search box
      // loses the focus, but not if it has the focus back by then.
      await page.focus('#mix-search');
      await page.evaluate(() => document.querySelector('#mix-search').blur());
      await page.fill('#mix-search', 'united');
      await page.waitForTimeout(300);
      assert.equal(await page.locator('#mix-options').isVisible(), true, 'the options stay open');
      // Arrow keys move through the options.
      await page.locator('#mix-options li').nth(1).waitFor();
      const second = await page.locator('#mix-options li').nth(1).locator('.opt-name').innerText();
      await page.press('#mix-search', 'ArrowDown');
      await page.press('#mix-search', 'Enter');
      await page.waitForFunction((c) => document.querySelectorAll('.mix-row').length === c, n + 1);
      assert.match(await rows.last().innerText(), new RegExp(second.replace(/[()]/g, '.')));
      // The market a country falls in is shown (desktop).
      assert.match(await page.locator('.mix-row').first().locator('.mix-market').innerText(), /Brazil/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe('escaping', () => {
  const HOSTILE = ['<script>window.__pwned = 1</script>', '"><img src=x onerror="window.__pwned=2">', "'><svg onload=window.__pwned=3>"];

  test('a shared link with markup in text fields renders it as text', { timeout: 120_000 }, async () => {
    const scenario = structuredClone(QUICK_STARTS[0].scenario);
    scenario.journeys[0].name = HOSTILE[0];
    scenario.journeys[1].name = HOSTILE[1];
    scenario.journeys[2].name = HOSTILE[2];
    const link = `${base}#s=${engine.encodeScenario(scenario)}`;
    const q = engine.quote(structuredClone(scenario), { seller: HOSTILE[1], customer: HOSTILE[0], reference: HOSTILE[2], issued: '2026-11-21' });
    const quoteLink = `${base}#q=${q.encoded}`;
    const marketLink = `${base}#s=${engine.encodeScenario({ ...scenario, audience: { contacts: 10, mix: [{ market: HOSTILE[1], share: 100 }] } })}`;
    const { context, page, problems } = await openPage(browser);
    try {
      await gotoReady(page, link);
      await waitTotal(page, engine.estimate(scenario).total);
      const check = async (where) => {
        assert.equal(await page.evaluate(() => window.__pwned), undefined, `${where}: no script ran`);
        assert.equal(await page.locator('img[src="x"], body script, svg[onload]').count(), 0, `${where}: no element from the data`);
      };
      const text = await page.locator('main').innerText();
      for (const h of HOSTILE) assert.ok(text.includes(h), `shown as text: ${h}`);
      assert.equal(await page.inputValue('#f-journeys-1-name'), HOSTILE[1]);
      await check('estimate');
      await view(page, 'compare');
      await page.locator('[data-testid="compare-table"]').waitFor();
      await check('compare');
      await page.goto(quoteLink);
      await page.locator('[data-testid="quote-doc"]').waitFor();
      assert.equal(await page.locator('[data-testid="quote-seller"]').innerText(), HOSTILE[1]);
      assert.equal(await page.locator('[data-testid="quote-customer"]').innerText(), HOSTILE[0]);
      await check('quote');
      await page.goto(marketLink);
      await page.waitForSelector('.form-error .error, .field-error');
      assert.ok((await page.locator('wa-estimator').innerText()).includes(HOSTILE[1]));
      await check('unknown market');
      // An uploaded file is data too: its name and its content.
      await view(page, 'data');
      await page.setInputFiles('#csv-upload', { name: `${HOSTILE[1]}.csv`, mimeType: 'text/csv', buffer: Buffer.from(`effective_date,currency,market,category,rate,pricing_model,unit,confidence,sources,note\n2026-10-01,USD,Brazil,marketing,${HOSTILE[0]},per_message,x,high,S,n\n`) });
      await page.locator('[data-testid="csv-error"]').waitFor();
      assert.ok((await page.locator('[data-testid="csv-error"]').innerText()).includes(HOSTILE[0]));
      await check('upload');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe("Meta's own rate-card files", () => {
  // A USD card in the layout of Meta's downloads (preamble, note line, a header cell with a line
  // break, n/a, $US cells), dated 2026-10-01 like the quick start, with new marketing rates.
  const META_CARD = [
    'Cost per message in USD, effective October 1, 2026,,,,,,',
    'Rates are subject to change.,,,,,,',
    'Market,Currency,Marketing,Utility,Authentication,"Authentication-',
    'International",Service',
    'Brazil,$US,0.0900,0.0068,0.0068,n/a,0.0068',
    'Mexico,$US,0.0500,0.0085,0.0085,n/a,0.0085',
    'India,$US,0.0150,0.0014,0.0014,0.0280,0.0014',
    '',
  ].join('\n');

  test('a dropped Meta card is previewed, used, named, kept across a reload, and asked for by a link', { timeout: 180_000 }, async () => {
    const { createHash } = await import('node:crypto');
    const sha = createHash('sha256').update(META_CARD).digest('hex').slice(0, 12);
    const scenario = structuredClone(QUICK_STARTS[0].scenario);
    const embeddedTotal = engine.estimate(structuredClone(scenario)).total;
    const { pathToFileURL } = await import('node:url');
    const cards = await import(pathToFileURL(path.join(root, 'pkg/cards/waprice.js')).href);
    cards.initSync({ module: fs.readFileSync(path.join(root, 'pkg/cards/waprice_bg.wasm')) });
    const withCard = new cards.Engine();
    const info = withCard.loadRateCard(META_CARD, { name: `usd-2026-10.csv (SHA-256 ${sha})` });
    const cardTotal = withCard.estimate(structuredClone(scenario)).total;
    assert.notEqual(cardTotal, embeddedTotal, 'the card changes the quick start');
    const { context, page, problems } = await openPage(browser);
    let shareUrl;
    try {
      await gotoReady(page, base);
      await page.click('[data-testid="quick-ecommerce"]');
      await waitTotal(page, embeddedTotal);
      await view(page, 'data');
      await page.setInputFiles('#csv-upload', { name: 'usd-2026-10.csv', mimeType: 'text/csv', buffer: Buffer.from(META_CARD) });
      const preview = page.locator('[data-testid="card-preview"]');
      await preview.waitFor();
      assert.equal(await preview.locator('[data-testid="preview-currency"]').innerText(), 'USD');
      assert.match(await preview.locator('[data-testid="preview-effect"]').innerText(), new RegExp(`${info.rows}`));
      assert.match(await preview.innerText(), new RegExp(sha));
      // Previewed only: the total has not moved.
      await view(page, 'estimate');
      await waitTotal(page, embeddedTotal);
      await view(page, 'data');
      await page.click('[data-testid="use-card"]');
      await page.locator('[data-testid="custom-ok"]').waitFor();
      assert.ok(await page.locator('[data-testid="coverage-table"] td.cov-loaded').count() >= 1, 'coverage shows the loaded card');
      await view(page, 'estimate');
      await waitTotal(page, cardTotal);

      // Kept in the browser across a reload.
      await reload(page);
      await page.waitForSelector('body[data-ready="true"]');
      await waitTotal(page, cardTotal);
      await view(page, 'data');
      assert.match(await page.locator('[data-testid="meta-file"]').innerText(), new RegExp(sha));
      await view(page, 'estimate');
      shareUrl = await page.evaluate(() => location.href);
      assert.match(shareUrl, new RegExp(`[#&]c=${sha}`), 'the link names the card');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }

    // The link opened in a browser without the card: the page asks for it.
    const other = await openPage(browser);
    try {
      await gotoReady(other.page, shareUrl);
      const banner = other.page.locator('[data-testid="missing-card"]');
      await banner.waitFor();
      assert.match(await banner.innerText(), /usd-2026-10\.csv/);
    } finally {
      await other.context.close();
    }
  });
});

describe('timeline explainer and compare', () => {
  test('worked examples: every business message with its verdict, one SVG timeline per customer', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await gotoReady(page, base);
      await view(page, 'timeline');
      for (const ex of EXAMPLES) {
        await page.selectOption('#example-select', ex.id);
        await page.click('[data-testid="load-example"]');
        const expected = engine.simulate(structuredClone(ex.input));
        await page.waitForFunction((v) => document.querySelector('wa-timeline [data-testid="total"] .total-amount')?.dataset.value === v, expected.totals.amount);
        const rows = page.locator('[data-testid="verdicts"] tbody tr.verdict');
        assert.equal(await rows.count(), expected.messages.length, ex.id);
        for (let i = 0; i < expected.messages.length; i++) {
          const m = expected.messages[i];
          const row = page.locator(`[data-testid="verdicts"] tr.verdict[data-index="${m.index}"]`);
          assert.equal(await row.locator('.amount').getAttribute('data-value'), m.amount);
          assert.equal(await row.locator('.type').getAttribute('data-type'), m.type);
          // The explanation is written from the catalog (its rendering: tests/js/i18n.test.mjs).
          const why = row.locator('.explanation');
          assert.equal(await why.getAttribute('data-code'), m.explanationCode, `${ex.id} #${m.index}: explanation code`);
          assert.match(await why.innerText(), /^[A-Z][^{}]{20,}$/, `${ex.id} #${m.index}: explanation`);
        }
        const users = new Set(ex.input.events.map((e) => e.user));
        assert.equal(await page.locator('[data-testid="user-timeline"]').count(), users.size);
        assert.equal(await page.locator('.timeline-svg .msg-charged').count(), expected.messages.filter((m) => m.charged).length);
        const inbound = ex.input.events.filter((e) => e.kind === 'inbound').length;
        assert.equal(await page.locator('.timeline-svg .band-csw').count(), inbound, 'one customer-service window per inbound');
        if (expected.messages.some((m) => m.type === 'free_entry_point')) assert.ok(await page.locator('.timeline-svg .band-fep').count() >= 1);
        if (expected.messages.some((m) => m.conversation && m.conversation.category !== 'referral_conversion')) assert.ok(await page.locator('.timeline-svg .band-conv').count() >= 1);
      }
      // Build: add a customer message and a reply; the verdicts follow.
      await page.selectOption('#example-select', EXAMPLES[0].id);
      await page.click('[data-testid="load-example"]');
      await page.click('[data-action="add-event"][data-kind="inbound"]');
      await page.click('[data-action="add-event"][data-kind="message"]');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="verdicts"] tr.verdict').length === 5);
      // Paste JSON with a bad number: the engine's error at the field, the text kept.
      await page.click('details.json-box > summary');
      const bad = structuredClone(EXAMPLES[0].input);
      bad.events[2].user = '+12';
      const badText = JSON.stringify(bad, null, 2);
      await page.fill('#input', badText);
      await page.click('#price');
      await page.waitForSelector('#ftl-events-2-user[aria-invalid="true"]');
      assert.match(await page.locator('wa-timeline').innerText(), /\+12/);
      assert.equal(await page.inputValue('#input'), badText);
      // A misspelt field is not dropped: the engine names it and the timeline is not replaced.
      const typo = structuredClone(EXAMPLES[0].input);
      typo.events[0].statu = 'failed';
      const typoText = JSON.stringify(typo);
      await page.fill('#input', typoText);
      await page.click('#price');
      await page.locator('#try-result .error').waitFor();
      assert.match(await page.locator('#try-result').innerText(), /statu/);
      assert.equal(await page.inputValue('#input'), typoText);
      await page.fill('#input', '{ "events": [');
      await page.click('#price');
      await page.locator('#try-result', { hasText: 'invalid_json' }).waitFor();
      assert.equal(await page.inputValue('#input'), '{ "events": [');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  // The bands are the engine's windows (result.windows), the page computes none: a free entry point
  // of 24 h before 2023-03-01 and of 72 h after, an ad message re-opening it, and the fepHours
  // option (SPEC §6, §13.3), in every language.
  for (const lang of ['en', 'zh', 'ja']) {
    test(`timeline bands are the engine's windows (${lang})`, { timeout: 60_000 }, async () => {
      const { context, page, problems } = await openPage(browser);
      try {
        await gotoReady(page, base);
        if (lang !== 'en') {
          await page.selectOption('#lang', lang);
          await page.waitForFunction((l) => document.documentElement.dataset.lang === l, lang);
        }
        await view(page, 'timeline');
        const H = 3_600_000;
        const input = { currency: 'USD', timezone: 'UTC', events: [
          { at: '2023-02-20T10:00:00Z', user: '+919812345678', kind: 'inbound', referral: 'ctwa' },
          { at: '2023-02-20T11:00:00Z', user: '+919812345678', kind: 'template', category: 'marketing' },
          { at: '2023-02-21T09:00:00Z', user: '+919812345678', kind: 'template', category: 'marketing' },
          { at: '2023-03-10T10:00:00Z', user: '+5511912345678', kind: 'inbound', referral: 'ctwa' },
          { at: '2023-03-10T11:00:00Z', user: '+5511912345678', kind: 'message' },
          { at: '2023-03-11T12:00:00Z', user: '+5511912345678', kind: 'inbound', referral: 'ctwa' },
          { at: '2023-03-11T13:00:00Z', user: '+5511912345678', kind: 'template', category: 'utility' },
        ] };
        /** Per customer, the [from, to] of its drawn bands of a class, and of the engine's windows of a kind. */
        const drawn = (cls) => page.$$eval('[data-testid="user-timeline"]', (figs, c) => figs.map((f) => [...f.querySelectorAll(`.${c}`)]
          .map((g) => [Number(g.dataset.from), Number(g.dataset.to)])), cls);
        const engineWindows = (result, kind) => ['+919812345678', '+5511912345678'].map((u) => result.windows
          .filter((w) => w.user === u && w.kind === kind).map((w) => [Date.parse(w.start), Date.parse(w.end)]));
        const load = async (text, n) => {
          if (await page.locator('details.json-box[open]').count() === 0) await page.click('details.json-box > summary');
          await page.fill('#input', text);
          await page.click('#price');
          await page.waitForFunction((k) => document.querySelectorAll('[data-testid="verdicts"] tr.verdict').length === k, n);
        };
        await load(JSON.stringify(input), 4);
        const result = engine.simulate(structuredClone(input));
        const fep = await drawn('band-fep');
        assert.deepEqual(fep, engineWindows(result, 'entry_point'), 'entry-point bands are the engine windows');
        assert.deepEqual(await drawn('band-csw'), engineWindows(result, 'service'), 'service bands are the engine windows');
        assert.deepEqual(fep[0].map(([a, b]) => (b - a) / H), [24], 'before 2023-03-01: 24 h');
        assert.deepEqual(fep[1].map(([a, b]) => (b - a) / H), [72, 72], 'from 2023-03-01: 72 h, re-opened by the second ad message');
        assert.equal(fep[1][1][0], Date.parse('2023-03-11T13:00:00Z'), 'the second window opens at the reply after the second ad message');
        // fepHours: 48 changes the window from 2023-03-01 only.
        await load(JSON.stringify({ ...input, options: { fepHours: 48 } }), 4);
        const longer = await drawn('band-fep');
        assert.deepEqual(longer.map((u) => u.map(([a, b]) => (b - a) / H)), [[24], [48, 48]], 'fepHours 48');
        assert.deepEqual(longer, engineWindows(engine.simulate({ ...structuredClone(input), options: { fepHours: 48 } }), 'entry_point'));
        await page.locator('.timelines').screenshot({ path: path.join(artifacts, `timeline-windows-${lang}.png`) });
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  test('compare shows every date side by side with the engine’s deltas', { timeout: 60_000 }, async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await gotoReady(page, base);
      await page.click('[data-testid="quick-ecommerce"]');
      await view(page, 'compare');
      await page.click('[data-action="add-date"]');
      const dates = await page.$$eval('[data-date]', (els) => els.map((e) => e.value));
      assert.equal(dates.length, 3);
      const cmp = engine.compare(structuredClone(QUICK_STARTS[0].scenario), dates);
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="compare-totals"] .cmp-amount').length === n, dates.length);
      const shown = await page.$$eval('[data-testid="compare-totals"] .cmp-amount', (els) => els.map((e) => e.dataset.value));
      assert.deepEqual(shown, cmp.estimates.map((e) => e.total));
      const table = await page.locator('[data-testid="compare-table"]').innerText();
      for (const d of cmp.deltas) {
        const want = new Intl.NumberFormat('en', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4, signDisplay: 'exceptZero' }).format(d.total);
        if (d.total !== '0') assert.ok(table.includes(want), `delta ${want}`);
      }
      assert.ok(await page.locator('[data-testid="compare-chart"] .bar-row').count() === 3);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe('screens, keyboard and timings', () => {
  for (const vp of VIEWPORTS) {
    test(`every view at ${vp.name} width: no overflow, screenshots`, { timeout: 120_000 }, async () => {
      const { context, page, problems } = await openPage(browser, vp);
      try {
        await gotoReady(page, base);
        await page.click('[data-testid="quick-ecommerce"]');
        await noOverflow(page, `${vp.name} estimate`);
        await shot(page, `calculator-estimate-${vp.name}`);
        for (const v of ['compare', 'timeline', 'quote', 'data']) {
          await view(page, v);
          await page.waitForTimeout(100);
          await noOverflow(page, `${vp.name} ${v}`);
          await shot(page, `calculator-${v}-${vp.name}`);
        }
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  test('keyboard: the views and the form work without a mouse', { timeout: 60_000 }, async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await gotoReady(page, base);
      await page.focus('#tab-estimate');
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction(() => document.body.dataset.view === 'compare');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-compare');
      await page.keyboard.press('ArrowLeft');
      await page.waitForFunction(() => document.body.dataset.view === 'estimate');
      // Every form control has an accessible name.
      const unnamed = await page.$$eval('wa-estimator input, wa-estimator select, wa-estimator button', (els) =>
        els.filter((el) => {
          if (el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) return false;
          return !(el.tagName === 'BUTTON' && el.textContent.trim());
        }).map((el) => el.outerHTML.slice(0, 80)));
      assert.deepEqual(unnamed, []);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('timings: navigation to first total, recompute after an edit', { timeout: 120_000 }, async () => {
    const firsts = [];
    const edits = [];
    for (let run = 0; run < 3; run++) {
      const { context, page, problems } = await openPage(browser);
      try {
        await gotoReady(page, base);
        firsts.push(Number(await page.evaluate(() => document.body.dataset.firstTotalMs)));
        // Let the page settle (the hidden quote renders when the page is idle), as a user would.
        await page.evaluate(() => new Promise((r) => requestIdleCallback(() => r(), { timeout: 2000 })));
        for (let i = 0; i < 5; i++) {
          // From the input event to the new total in the DOM.
          const ms = await page.evaluate((n) => new Promise((resolve) => {
            const input = document.querySelector('#f-audience-contacts');
            const total = document.querySelector('wa-results [data-testid="total"]');
            const old = total.dataset.value;
            const t0 = performance.now();
            const obs = new MutationObserver(() => {
              const now = document.querySelector('wa-results [data-testid="total"]');
              if (now.dataset.value !== old) {
                obs.disconnect();
                resolve(performance.now() - t0);
              }
            });
            obs.observe(document.querySelector('wa-results'), { subtree: true, attributes: true, childList: true, characterData: true });
            input.value = String(40000 + n * 1000 + 7);
            input.dispatchEvent(new Event('input', { bubbles: true }));
          }), run * 10 + i);
          edits.push(ms);
        }
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    }
    const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
    const report = `first total: median ${median(firsts).toFixed(0)} ms (runs ${firsts.map((x) => x.toFixed(0)).join(', ')} ms; target < 1000 ms); ` +
      `recompute after an edit: median ${median(edits).toFixed(1)} ms, max ${Math.max(...edits).toFixed(1)} ms (target < 50 ms)`;
    console.log(`# timings: ${report}`);
    fs.writeFileSync(path.join(artifacts, 'timings.txt'), report + '\n');
    // Generous bounds (shared CI machines are noisy); the figures above are the report.
    assert.ok(median(firsts) < 5000, report);
    assert.ok(median(edits) < 500, report);
  });
});
