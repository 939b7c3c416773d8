// End-to-end: a journey given as occurrences per month or as times per contact, each showing the
// other beside it; and the compare view's "what changed" between June 2023, July 2026 and January
// 2027 in English, Chinese and Japanese, with the engine's effects and no English sentence left.
// Needs pkg/ (bash scripts/build.sh) and Debian's chromium.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { QUICK_STARTS } from '../../www/calculator/quick-starts.js';
import { LANGS, catalog } from '../../www/shared/i18n/index.js';
import path from 'node:path';
import { artifacts, startServer, loadPkg, launch, openPage, gotoReady, waitTotal, englishSentences, shot } from './harness.mjs';

const DICT = Object.fromEntries(await Promise.all(LANGS.map(async (l) => [l.code, await catalog(l.code)])));

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

const SHOP = QUICK_STARTS.find((q) => q.id === 'ecommerce').scenario;

describe('a journey by count or by times per contact, side by side', () => {
  test('occurrences per month typed: the engine prices them and the times per contact show beside; and back', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await gotoReady(page, base);
      await page.click('[data-testid="quick-ecommerce"]');
      await waitTotal(page, engine.estimate(structuredClone(SHOP)).total);
      const occ = '#f-journeys-2-occurrencesPerMonth';
      const times = '#f-journeys-2-timesPerMonth';
      await page.locator('[data-testid="how-often-2"]').scrollIntoViewIfNeeded();
      // "5,000 chats a month" for the support journey: sent as a count, times per contact cleared.
      await page.fill(occ, '5000');
      const byCount = structuredClone(SHOP);
      delete byCount.journeys[2].timesPerMonth;
      byCount.journeys[2].occurrencesPerMonth = 5000;
      const e = engine.estimate(byCount);
      await waitTotal(page, e.total);
      assert.equal(await page.inputValue(times), '');
      const perContact = Number(e.journeys[2].timesPerMonth);
      assert.ok(perContact > 0);
      // The other form shows the engine's conversion (times per contact) as its placeholder.
      const shown = new Intl.NumberFormat('en', { maximumFractionDigits: 6 }).format(e.journeys[2].timesPerMonth);
      await page.waitForFunction(([sel, v]) => document.querySelector(sel)?.placeholder === v, [times, shown]);
      assert.equal(e.journeys[2].occurrences, '5000');
      await shot(page, 'journey-by-count');
      // Back to times per contact: the count is cleared and shows the engine's occurrences.
      await page.fill(times, '2');
      const byTimes = structuredClone(SHOP);
      byTimes.journeys[2].timesPerMonth = 2;
      const e2 = engine.estimate(byTimes);
      await waitTotal(page, e2.total);
      assert.equal(await page.inputValue(occ), '');
      const count = new Intl.NumberFormat('en', { maximumFractionDigits: 2 }).format(e2.journeys[2].occurrences);
      await page.waitForFunction(([sel, v]) => document.querySelector(sel)?.placeholder === v, [occ, count]);
      assert.equal(await page.locator('[aria-invalid="true"]').count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

const DATES = ['2023-06-15', '2026-07-15', '2027-01-15'];

describe('what changed between the dates of a comparison', () => {
  for (const lang of ['en', 'zh', 'ja']) {
    test(`${lang}: the changes of June 2023 → July 2026 → January 2027, each with the engine's effect`, { timeout: 120_000 }, async () => {
      const { context, page, problems } = await openPage(browser);
      try {
        const cmp = engine.compare(structuredClone(SHOP), DATES);
        const encoded = engine.encodeScenario(structuredClone(SHOP));
        await gotoReady(page, base);
        if (lang !== 'en') {
          await page.selectOption('#lang', lang);
          await page.waitForFunction((l) => document.documentElement.dataset.lang === l, lang);
        }
        await page.goto(`${base}#s=${encoded}&v=compare&d=${DATES.join(',')}`);
        await page.waitForSelector('body[data-ready="true"]');
        const card = page.locator('[data-testid="compare-changes"]');
        await card.waitFor();
        assert.equal(await card.locator('h3').innerText(), DICT[lang]['cmp.changes']);
        const pairs = card.locator('[data-testid="changes-pair"]');
        assert.equal(await pairs.count(), 2);
        for (let i = 0; i < 2; i++) {
          const want = cmp.changes[i].changes;
          assert.ok(want.length > 0, `the engine names changes between ${DATES[i]} and ${DATES[i + 1]}`);
          const items = pairs.nth(i).locator('li');
          assert.equal(await items.count(), want.length);
          for (let k = 0; k < want.length; k++) {
            assert.equal(await items.nth(k).getAttribute('data-code'), want[k].code);
            assert.equal(await items.nth(k).getAttribute('data-effect'), want[k].effect ?? '');
          }
        }
        // The rule of 2026-10-01 on service messages, in the page's language with its values.
        const allowance = pairs.nth(1).locator('li[data-code="rule_service_charged"]');
        if (await allowance.count()) {
          const text = await allowance.innerText();
          assert.ok(text.includes(new Intl.NumberFormat(LANGS.find((l) => l.code === lang).locale).format(1000)), text);
          assert.ok(text.includes(DICT[lang]['chg.scope.number']), text);
        }
        if (lang !== 'en') {
          const sentences = await englishSentences(page);
          assert.deepEqual(sentences, [], `${lang}: English sentences remain: ${sentences.join(' | ')}`);
        }
        await card.screenshot({ path: path.join(artifacts, `compare-changes-${lang}.png`) });
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }
});
