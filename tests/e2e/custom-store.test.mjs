// End-to-end test of the calculator's kept upload files (www/calculator/store.js, CUSTOM_KEY):
// a stored text the page cannot read is never dropped nor overwritten. It is moved to a key of its
// own and the data view says where, in every language; new uploads are then kept as usual.
// Needs pkg/ (bash scripts/build.sh) and Debian's chromium.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { LANGS, catalog } from '../../www/shared/i18n/index.js';
import { CUSTOM_KEY } from '../../www/calculator/store.js';
import { artifacts, startServer, launch, openPage, gotoReady, view, reload } from './harness.mjs';

const DICT = Object.fromEntries(await Promise.all(LANGS.map(async (l) => [l.code, await catalog(l.code)])));

let server;
let base;
let browser;

before(async () => {
  server = await startServer();
  base = `http://127.0.0.1:${server.port}/www/`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.child.kill('SIGTERM');
});

const RATES = 'effective_date,currency,market,category,rate,pricing_model,unit,confidence,sources,note\n'
  + '2026-10-01,USD,Brazil,marketing,0.0999,per_message,per delivered template message,high,MY-CARD,negotiated test rate\n';

describe('kept upload files that cannot be read', () => {
  for (const [lang, locale] of [['en', 'en-GB'], ['zh', 'zh-CN'], ['ja', 'ja-JP']]) {
    test(`${lang}: set aside under a key of their own, named on the data view, never overwritten`, { timeout: 90_000 }, async () => {
      const d = DICT[lang];
      const { context, page, problems } = await openPage(browser, undefined, { locale });
      try {
        await gotoReady(page, base);
        const raw = `{"files":[{"name":"rates.csv","kind":"rates","text":"effective_date,cur`;
        await page.evaluate(([k, v]) => localStorage.setItem(k, v), [CUSTOM_KEY, raw]);
        await reload(page);
        await page.waitForSelector('body[data-ready="true"]');
        const kept = await page.evaluate((k) => Object.keys(localStorage)
          .filter((x) => x.startsWith(`${k}.unreadable.`))
          .map((x) => [x, localStorage.getItem(x)]), CUSTOM_KEY);
        assert.equal(kept.length, 1, 'one copy set aside');
        assert.equal(kept[0][1], raw, 'the stored text, unchanged');
        assert.equal(await page.evaluate((k) => localStorage.getItem(k), CUSTOM_KEY), null);
        await view(page, 'data');
        const note = page.locator('[data-testid="custom-set-aside"]');
        await note.waitFor();
        assert.equal(await note.innerText(), d['data.storeSetAside'].replace('{key}', kept[0][0]));
        await page.screenshot({ path: path.join(artifacts, `custom-store-${lang}.png`), fullPage: true });
        // A new upload is kept as usual; the copy set aside stays.
        await page.setInputFiles('[data-testid="csv-upload"]', { name: 'usd.csv', mimeType: 'text/csv', buffer: Buffer.from(RATES) });
        await page.locator('[data-testid="custom-ok"]').waitFor();
        await page.waitForFunction((k) => JSON.parse(localStorage.getItem(k) ?? 'null')?.files?.[0]?.name === 'usd.csv', CUSTOM_KEY);
        assert.equal(await page.evaluate((k) => localStorage.getItem(k), kept[0][0]), raw);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }
});
