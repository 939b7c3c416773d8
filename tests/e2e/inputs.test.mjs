// End-to-end: numbers typed as people type them, in English, Chinese and Japanese (and a German
// browser): the page reads them into the plain numbers the engine takes, prices exactly what the
// engine prices for those numbers in Node, and says how it read them.
// Needs pkg/ (bash scripts/build.sh) and Debian's chromium.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { QUICK_STARTS } from '../../www/calculator/quick-starts.js';
import { LANGS, catalog } from '../../www/shared/i18n/index.js';
import { startServer, loadPkg, launch, openPage, gotoReady, waitTotal, shot } from './harness.mjs';

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

const OTP = QUICK_STARTS.find((q) => q.id === 'fintech_otp').scenario;

/** The engine's total for the quick start with `patch` applied. */
function expected(patch) {
  const s = structuredClone(OTP);
  patch(s);
  return engine.estimate(s).total;
}

const CASES = [
  // [page language, browser locale, contacts typed, platform fee typed]
  ['en', 'en-US', '80,000', '1,250.50'],
  ['zh', 'zh-CN', '８０，０００', '１，２５０．５０'],
  ['ja', 'ja-JP', '８００００', '1,250.5'],
  ['en', 'de-DE', '80.000', '1.250,50'],
];

describe('numbers as people type them', () => {
  for (const [lang, locale, contacts, fee] of CASES) {
    test(`${lang} page, ${locale} browser: "${contacts}" contacts and a fee of "${fee}"`, { timeout: 120_000 }, async () => {
      const { context, page, problems } = await openPage(browser, undefined, { locale });
      try {
        await gotoReady(page, base);
        await page.click('[data-testid="quick-fintech_otp"]');
        await waitTotal(page, engine.estimate(structuredClone(OTP)).total);
        if (lang !== 'en') {
          await page.selectOption('#lang', lang);
          await page.waitForFunction((l) => document.documentElement.dataset.lang === l, lang);
        }
        await page.fill('#f-audience-contacts', contacts);
        await waitTotal(page, expected((s) => { s.audience.contacts = 80000; }));
        // The typed text stays; the line under it says how it was read, in the page's language.
        assert.equal(await page.inputValue('#f-audience-contacts'), contacts);
        const pageLocale = LANGS.find((l) => l.code === lang).locale;
        const read = DICT[lang]['num.understood'].replace('{n}', new Intl.NumberFormat(pageLocale).format(80000));
        const hint = page.locator('#f-audience-contacts-read');
        assert.equal((await hint.innerText()).trim(), read);
        // Money is read into the same plain decimal, kept exact.
        await page.fill('#f-reseller-platformMonthly', fee);
        await waitTotal(page, expected((s) => {
          s.audience.contacts = 80000;
          s.reseller.platformMonthly = '1250.5';
        }));
        assert.equal(await page.locator('[aria-invalid="true"]').count(), 0);
        await shot(page, `inputs-numbers-${lang}-${locale}`);
        // What cannot be read unambiguously goes to the engine as typed and is explained there.
        await page.fill('#f-audience-contacts', '8,00,00');
        await page.waitForSelector('#f-audience-contacts[aria-invalid="true"]');
        assert.equal(await page.inputValue('#f-audience-contacts'), '8,00,00');
        assert.equal(await page.locator('#f-audience-contacts-read').count(), 0);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }
});

describe('authentication-international and the messaging-limit advice', () => {
  for (const lang of ['en', 'zh', 'ja']) {
    test(`${lang}: a China-based exporter ticks its eligible markets and is priced as the engine prices it`, { timeout: 120_000 }, async () => {
      const { context, page, problems } = await openPage(browser);
      try {
        await gotoReady(page, base);
        await page.click('[data-testid="quick-fintech_otp"]');
        await waitTotal(page, engine.estimate(structuredClone(OTP)).total);
        if (lang !== 'en') {
          await page.selectOption('#lang', lang);
          await page.waitForFunction((l) => document.documentElement.dataset.lang === l, lang);
        }
        const box = page.locator('[data-testid="auth-intl"]');
        assert.equal((await box.locator('#auth-intl-explain').innerText()).trim(), DICT[lang]['auth.explain']);
        // The markets listed are those whose card of the date has the rate.
        const card = engine.rateCard('2026-10-01T12:00:00Z', 'USD');
        const withRate = card.markets.filter((m) => m.rates.authentication_international).map((m) => m.market);
        const listed = await box.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.market));
        assert.deepEqual(listed, withRate);
        await page.selectOption('#f-business-country', 'CN');
        await waitTotal(page, expected((s) => { s.business.country = 'CN'; }));
        for (const m of ['Indonesia', 'United Arab Emirates']) {
          await box.locator(`input[data-market="${m}"]`).check();
        }
        const eligible = expected((s) => {
          s.business.country = 'CN';
          s.business.authInternational = { Indonesia: '2026-10-01', 'United Arab Emirates': '2026-10-01' };
        });
        await waitTotal(page, eligible);
        const est = engine.estimate({ ...structuredClone(OTP), business: { ...OTP.business, country: 'CN', authInternational: { Indonesia: '2026-10-01', 'United Arab Emirates': '2026-10-01' } } });
        assert.ok(Number(est.meta.byCategory.authentication_international) > 0);
        // A later eligibility date: back to the authentication rate for that market.
        await page.fill('#f-business-authInternational-United-Arab-Emirates', '2026-11-01');
        await waitTotal(page, expected((s) => {
          s.business.country = 'CN';
          s.business.authInternational = { Indonesia: '2026-10-01', 'United Arab Emirates': '2026-11-01' };
        }));
        // The limit advice sits next to its field, in the page's language.
        const advice = (await page.locator('[data-testid="limit-advice"]').innerText()).trim();
        const head = DICT[lang][est.limits.ok ? 'limit.ok' : 'limit.advice'].split('{')[0];
        assert.ok(advice.startsWith(head), `${advice} / ${head}`);
        await shot(page, `inputs-auth-intl-${lang}`);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }
});
