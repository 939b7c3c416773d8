// End-to-end: the page served by scripts/serve.mjs, in Debian's Chromium driven by playwright-core,
// at desktop and phone widths. Fails on any console error, page error, failed request or HTTP error.
// Screenshots go to tests/artifacts/ (gitignored). Needs pkg/ (bash scripts/build.sh).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { EXAMPLE_1_2026_10, SAMPLE_INPUT } from '../../www/calculator/examples.js';
import { artifacts, launch, loadPkg, openPage as openContext, startServer, VIEWPORTS } from './harness.mjs';

let server;
let baseUrl;
let browser;
let expected; // the engine's own answer for the example, computed in Node from the same pkg/
let cardCount;


before(async () => {
  const pkg = await loadPkg();
  const engine = new pkg.Engine();
  expected = engine.simulate(structuredClone(EXAMPLE_1_2026_10.input));
  cardCount = engine.dataInfo().cards.length;

  server = await startServer();
  baseUrl = `http://127.0.0.1:${server.port}`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.child.kill('SIGTERM');
});

/** A fresh page that records every console error, page error, failed request and HTTP error. */
const openPage = (vp) => openContext(browser, vp);

async function pasteAndPrice(page, text) {
  await page.fill('#input', text);
  await page.click('#price');
}

for (const vp of VIEWPORTS) {
  describe(`the page at ${vp.name} width (${vp.viewport.width}x${vp.viewport.height})`, () => {
    test('loads the engine, shows the cards and the example verdicts, prices pasted input', { timeout: 120_000 }, async () => {
      const { context, page, problems } = await openPage(vp);
      try {
        const response = await page.goto(`${baseUrl}/`, { waitUntil: 'load' });
        assert.equal(new URL(page.url()).pathname, '/www/', '/ redirects to /www/');
        const csp = response.headers()['content-security-policy'] ?? '';
        assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/, 'the page is served with the CSP');

        await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });

        // The rate cards table (Rate data view), one row per card of dataInfo().
        await page.click('wa-nav [data-view="data"]');
        const cardRows = page.locator('[data-testid="cards-table"] tbody tr');
        await cardRows.first().waitFor();
        assert.equal(await cardRows.count(), cardCount);
        const cardsText = await page.locator('[data-testid="cards-table"]').innerText();
        assert.match(cardsText, /Oct 1, 2026/);
        assert.match(cardsText, /USD/);
        assert.match(cardsText, /per-message/);
        await page.locator('#cards').screenshot({ path: path.join(artifacts, `cards-${vp.name}.png`) });

        // The example (Timeline explainer view): one row per business message, the engine's verdicts and total.
        await page.click('wa-nav [data-view="timeline"]');
        await page.selectOption('#example-select', EXAMPLE_1_2026_10.id);
        await page.click('[data-testid="load-example"]');
        const rows = page.locator('[data-testid="example-result"] table.verdicts tbody tr.verdict');
        await rows.first().waitFor();
        assert.equal(await rows.count(), expected.messages.length);
        for (let i = 0; i < expected.messages.length; i++) {
          const m = expected.messages[i];
          const row = rows.nth(i);
          const text = await row.innerText();
          assert.equal(await row.locator('.amount').getAttribute('data-value'), m.amount, `row ${i} amount`);
          assert.equal(await row.locator('.type').getAttribute('data-type'), m.type, `row ${i} type`);
          assert.equal(await row.locator('.explanation').getAttribute('data-code'), m.explanationCode, `row ${i} explanation code`);
          assert.match(await row.locator('.explanation').innerText(), /^[A-Z][^{}]{20,}$/, `row ${i} shows the explanation: ${text}`);
        }
        const total = page.locator('[data-testid="example-result"] [data-testid="total"]');
        assert.equal(await total.locator('.total-amount').getAttribute('data-value'), expected.totals.amount);
        assert.ok((await total.innerText()).includes(expected.totals.amount), 'the exact total is shown');

        // Nothing wider than the screen.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the page is ${overflow}px wider than the ${vp.name} viewport`);
        await page.screenshot({ path: path.join(artifacts, `page-${vp.name}.png`), fullPage: true });
        await page.locator('[data-testid="example-result"]').screenshot({ path: path.join(artifacts, `example-${vp.name}.png`) });

        // A bad phone number pasted as JSON: the engine's error at the field, the textarea untouched.
        await page.click('details.json-box > summary');
        const bad = structuredClone(SAMPLE_INPUT);
        bad.events[0].user = '+12';
        const badText = JSON.stringify(bad, null, 2);
        await pasteAndPrice(page, badText);
        const field = page.locator('#ftl-events-0-user');
        await page.waitForSelector('#ftl-events-0-user[aria-invalid="true"]', { timeout: 10_000 });
        const errorText = await page.locator('wa-timeline').innerText();
        assert.match(errorText, /\+12/);
        assert.match(await page.locator('#ftl-events-0-user-err').innerText(), /\+12/);
        assert.equal(await field.inputValue(), '+12');
        assert.equal(await page.inputValue('#input'), badText, 'the textarea keeps its content');
        await page.locator('wa-timeline').screenshot({ path: path.join(artifacts, `error-${vp.name}.png`) });

        // Markup in input is shown as text, never rendered.
        const hostile = structuredClone(SAMPLE_INPUT);
        hostile.events[0].user = '<img src=x onerror=alert(1)>';
        await pasteAndPrice(page, JSON.stringify(hostile));
        await page.waitForSelector('#ftl-events-0-user[aria-invalid="true"]');
        assert.equal(await page.locator('wa-timeline img').count(), 0, 'no element from the input');
        assert.match(await page.locator('wa-timeline').innerText(), /<img src=x onerror=alert\(1\)>/);

        // Not JSON at all.
        await pasteAndPrice(page, '{ "events": [');
        await page.locator('#try-result .error').waitFor();
        assert.match(await page.locator('#try-result').innerText(), /invalid_json/);
        assert.equal(await page.inputValue('#input'), '{ "events": [');

        // A good input: its verdicts replace the error.
        await pasteAndPrice(page, JSON.stringify(SAMPLE_INPUT, null, 2));
        await page.waitForFunction(() => document.querySelectorAll('[data-testid="example-result"] table.verdicts tbody tr.verdict').length === 3);
        assert.equal(await page.locator('#try-result .error').count(), 0);
        assert.equal(await page.locator('wa-timeline [aria-invalid="true"]').count(), 0);
        await page.locator('wa-timeline').screenshot({ path: path.join(artifacts, `try-${vp.name}.png`) });

        assert.deepEqual(problems, [], 'no console errors, page errors or failed requests');
      } finally {
        await context.close();
      }
    });
  });
}

describe('the Content-Security-Policy', () => {
  test('blocks inline scripts and inline event handlers injected into the page', { timeout: 60_000 }, async () => {
    const { context, page, problems } = await openPage(VIEWPORTS[0]);
    try {
      await page.goto(`${baseUrl}/www/`, { waitUntil: 'load' });
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
      const ran = await page.evaluate(async () => {
        window.__inline = 0;
        const s = document.createElement('script');
        s.textContent = 'window.__inline = 1';
        document.body.append(s);
        document.body.insertAdjacentHTML('beforeend', '<img id="csp-probe" src="data:," onerror="window.__inline = 2" onload="window.__inline = 3">');
        await new Promise((r) => setTimeout(r, 300));
        return window.__inline;
      });
      assert.equal(ran, 0, 'an inline script or handler ran despite the CSP');
      // The browser reports the blocked script as a CSP violation on the console: expected here.
      const unexpected = problems.filter((p) => !/Content Security Policy/i.test(p));
      assert.deepEqual(unexpected, []);
    } finally {
      await context.close();
    }
  });
});

describe('scripts/serve.mjs', () => {
  test('MIME types, CSP, redirects and path escapes', async () => {
    const get = (p, init) => fetch(`${baseUrl}${p}`, { redirect: 'manual', ...init });
    const root = await get('/');
    assert.equal(root.status, 302);
    assert.equal(root.headers.get('location'), '/www/');
    const index = await get('/www/');
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type'), /^text\/html/);
    assert.equal(
      index.headers.get('content-security-policy'),
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
    assert.equal((await get('/www')).headers.get('location'), '/www/');
    for (const [p, type] of [
      ['/pkg/waprice_bg.wasm', 'application/wasm'],
      ['/pkg/waprice.js', 'text/javascript'],
      ['/www/calculator/app.js', 'text/javascript'],
      ['/www/style.css', 'text/css'],
      ['/www/favicon.svg', 'image/svg+xml'],
      ['/data/markets.csv', 'text/csv'],
      ['/package.json', 'application/json'],
      ['/scripts/serve.mjs', 'text/javascript'],
    ]) {
      const res = await get(p);
      assert.equal(res.status, 200, p);
      assert.ok(res.headers.get('content-type').startsWith(type), `${p}: ${res.headers.get('content-type')}`);
      await res.arrayBuffer();
    }
    for (const p of ['/../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/www/..%2f..%2f..%2fetc%2fpasswd', '/.git/HEAD', '/nope.js']) {
      const res = await get(p);
      assert.ok([400, 403, 404].includes(res.status), `${p} must be refused, got ${res.status}`);
      const body = await res.text();
      assert.ok(!body.includes('root:'), `${p} leaked a file`);
    }
    assert.equal((await get('/www/', { method: 'POST' })).status, 405);
  });
});
