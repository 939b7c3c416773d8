// End-to-end: a timeline with group messages (docs/simulator.md "Group messages") in the
// calculator's timeline view, in every language: one verdict row per participant with Meta's group
// labels, one lane per participant with the group window the engine opened, no console errors.
// Needs pkg/ (bash scripts/build.sh) and Debian's chromium. Screenshots go to tests/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { artifacts, startServer, loadPkg, launch, openPage, gotoReady, view } from './harness.mjs';

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

const IN = '+919812345678';
const DE = '+4915112345678';
const BR = '+5511987654321';
const INPUT = { currency: 'USD', timezone: 'UTC', events: [
  { at: '2026-10-05T09:00:00Z', user: DE, kind: 'inbound', group: 'G1' },
  { at: '2026-10-05T10:00:00Z', kind: 'message', group: 'G1', participants: [IN, DE], statuses: { [BR]: 'failed' } },
  { at: '2026-10-05T11:00:00Z', kind: 'template', category: 'utility', group: 'G1', participants: [IN, DE, BR] },
  { at: '2026-10-05T12:00:00Z', user: IN, kind: 'template', category: 'marketing' },
] };

for (const lang of ['en', 'zh', 'ja']) {
  test(`a timeline with group messages (${lang})`, { timeout: 60_000 }, async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await gotoReady(page, base);
      if (lang !== 'en') {
        await page.selectOption('#lang', lang);
        await page.waitForFunction((l) => document.documentElement.dataset.lang === l, lang);
      }
      await view(page, 'timeline');
      const expected = engine.simulate(structuredClone(INPUT));
      assert.equal(expected.messages.length, 7);
      if (await page.locator('details.json-box[open]').count() === 0) await page.click('details.json-box > summary');
      await page.fill('#input', JSON.stringify(INPUT));
      await page.click('#price');
      await page.waitForFunction((k) => document.querySelectorAll('[data-testid="verdicts"] tr.verdict').length === k, expected.messages.length);
      const rows = await page.$$eval('[data-testid="verdicts"] tr.verdict', (trs) => trs.map((tr) => [
        Number(tr.dataset.index), tr.querySelector('.mono').textContent.trim(), tr.querySelector('[data-type]').dataset.type,
        tr.querySelector('.amount').dataset.value,
      ]));
      assert.deepEqual(rows, expected.messages.map((m) => [m.index, m.user, m.type, m.amount]));
      assert.ok(expected.messages.some((m) => m.type === 'free_group_customer_service'));
      // One lane per participant, each with the group window opened by the German writer.
      assert.equal(await page.locator('[data-testid="user-timeline"]').count(), 3);
      assert.equal(await page.locator('[data-testid="user-timeline"] .band-csw').count(), 3);
      await page.locator('wa-timeline').screenshot({ path: path.join(artifacts, `timeline-groups-${lang}.png`) });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}
