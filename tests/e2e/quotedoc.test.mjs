// End-to-end tests of the quote as a document and of saved quotes (www/calculator/saved.js,
// wa-saved-quotes, wa-side-banner): a colleague's link opens beside the user's own draft (which
// survives, one click away, after a reload too); saved quotes are reopened, duplicated, deleted;
// a stored list that cannot be read is shown with its text and kept; the printed quote in A4 and
// Letter carries the quote number and "page N of M" on every page, starts its table on the first
// page, and prints in Chinese and Japanese with CJK fonts (PDF pages as PNG in tests/artifacts/).
// Needs pkg/ (bash scripts/build.sh), Debian's chromium, poppler-utils and fonts-noto-cjk.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { QUICK_STARTS } from '../../www/calculator/quick-starts.js';
import { LANGS, catalog } from '../../www/shared/i18n/index.js';
import { SAVED_KEY, SIDE_KEY } from '../../www/calculator/saved.js';
import { DRAFT_KEY } from '../../www/calculator/store.js';
import { artifacts, startServer, loadPkg, launch, openPage, gotoReady, view, reload, englishRuns } from './harness.mjs';

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

const draftOf = (page) => page.evaluate((k) => JSON.parse(localStorage.getItem(k) ?? 'null'), DRAFT_KEY);
const docCustomer = (page) => page.locator('[data-testid="quote-customer"]').innerText();
const banner = (page) => page.locator('[data-testid="side-banner"]');
const savedRows = (page) => page.locator('[data-testid="saved-list"] tbody tr');

/** Wait until the draft in localStorage names `customer` (it is written after each change). */
async function draftHas(page, customer) {
  await page.waitForFunction(([k, c]) => JSON.parse(localStorage.getItem(k) ?? 'null')?.quoteMeta?.customer === c, [DRAFT_KEY, customer]);
}

describe('a colleague’s link beside the user’s own draft', () => {
  test('the draft survives the link, is one click away, and after a reload too', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await gotoReady(page, base);
      await page.click('[data-testid="quick-ecommerce"]');
      await view(page, 'quote');
      await page.fill('#fquote-meta-customer', 'My Own Customer');
      await page.locator('[data-testid="quote-customer"]', { hasText: 'My Own Customer' }).waitFor();
      await draftHas(page, 'My Own Customer');
      const mine = await page.locator('[data-testid="quote-id"]').innerText();

      // The colleague's link, opened in this browser.
      const theirs = engine.quote(structuredClone(QUICK_STARTS[1].scenario), { seller: 'Acme Messaging', customer: 'PayNow Ltd', issued: '2026-11-21', validDays: 15 });
      await page.goto('about:blank');
      await gotoReady(page, `${base}#q=${theirs.encoded}&v=quote`);
      await banner(page).waitFor();
      assert.equal(await banner(page).innerText().then((x) => x.includes(DICT.en['side.fromLink'])), true);
      assert.equal(await docCustomer(page), 'PayNow Ltd');
      assert.equal(await page.locator('[data-testid="quote-id"]').innerText(), theirs.id);
      // The user's draft is untouched in storage, also after an edit of the link's quote.
      await page.fill('#fquote-meta-reference', 'RFQ-9');
      await page.waitForFunction((k) => JSON.parse(localStorage.getItem(k) ?? 'null')?.quoteMeta?.reference === 'RFQ-9', SIDE_KEY);
      assert.equal((await draftOf(page)).quoteMeta.customer, 'My Own Customer');

      // A reload keeps the link's quote (with the edit) beside the draft.
      await reload(page);
      await page.waitForSelector('body[data-ready="true"]');
      await banner(page).waitFor();
      assert.equal(await docCustomer(page), 'PayNow Ltd');
      assert.equal(await page.inputValue('#fquote-meta-reference'), 'RFQ-9');

      // One click back to the draft.
      await page.click('[data-testid="side-back"]');
      await page.locator('[data-testid="quote-customer"]', { hasText: 'My Own Customer' }).waitFor();
      assert.equal(await banner(page).isVisible(), false);
      assert.equal(await page.locator('[data-testid="quote-id"]').innerText(), mine);
      await reload(page);
      await page.waitForSelector('body[data-ready="true"]');
      await page.locator('[data-testid="quote-customer"]', { hasText: 'My Own Customer' }).waitFor();
      assert.equal(await banner(page).isVisible(), false);

      // The link's quote is kept aside until saved or discarded: open it again, save it.
      await page.locator('[data-testid="side-aside"]').waitFor();
      await page.click('[data-testid="side-aside"] [data-saved-action="open-side"]');
      await page.locator('[data-testid="quote-customer"]', { hasText: 'PayNow Ltd' }).waitFor();
      await page.click('[data-testid="side-save"]');
      await page.locator('[data-testid="side-banner"][data-origin="saved"]').waitFor();
      assert.equal(await savedRows(page).count(), 1);
      const savedNumber = await page.locator('[data-testid="quote-id"]').innerText();
      assert.equal(await savedRows(page).first().getAttribute('data-number'), savedNumber);
      await page.click('[data-testid="side-back"]');
      await page.locator('[data-testid="quote-customer"]', { hasText: 'My Own Customer' }).waitFor();
      assert.equal(await page.locator('[data-testid="side-aside"]').count(), 0, 'a saved link is in the list, not kept aside');

      // A link pasted into the address bar of the open page (a hash change) opens beside it too.
      const other = engine.quote(structuredClone(QUICK_STARTS[2].scenario), { customer: 'Third Co', issued: '2026-11-21', validDays: 30 });
      await page.evaluate((h) => { location.hash = h; }, `q=${other.encoded}&v=quote`);
      await page.locator('[data-testid="quote-customer"]', { hasText: 'Third Co' }).waitFor();
      await banner(page).waitFor();
      assert.equal((await draftOf(page)).quoteMeta.customer, 'My Own Customer');
      // Opening a saved quote in its place saves this link's quote first: nothing opened is lost.
      await page.click(`[data-testid="saved-list"] tr[data-number="${savedNumber}"] [data-saved-action="open"]`);
      await page.locator('[data-testid="quote-customer"]', { hasText: 'PayNow Ltd' }).waitFor();
      await page.locator('[data-testid="saved-list"] tr', { hasText: 'Third Co' }).waitFor();
      assert.equal(await page.locator('[data-testid="saved-list"] tr', { hasText: 'Third Co' }).getAttribute('data-number'), other.id);
      await page.click('[data-testid="side-back"]');
      await page.locator('[data-testid="quote-customer"]', { hasText: 'My Own Customer' }).waitFor();
      // A link discarded is gone; the draft is back.
      const fourth = engine.quote(structuredClone(QUICK_STARTS[2].scenario), { customer: 'Fourth Co', issued: '2026-11-21', validDays: 30 });
      await page.evaluate((h) => { location.hash = h; }, `q=${fourth.encoded}&v=quote`);
      await page.locator('[data-testid="quote-customer"]', { hasText: 'Fourth Co' }).waitFor();
      await page.click('[data-testid="side-discard"]');
      await page.locator('[data-testid="quote-customer"]', { hasText: 'My Own Customer' }).waitFor();
      assert.equal(await page.evaluate((k) => localStorage.getItem(k), SIDE_KEY), null, 'discarded');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe('saved quotes', () => {
  test('save, reopen, duplicate, delete (with undo); kept after a reload', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await gotoReady(page, base);
      await page.click('[data-testid="quick-ecommerce"]');
      await view(page, 'quote');
      await page.locator('[data-testid="saved-empty"]').waitFor();
      await page.fill('#fquote-meta-customer', 'Alpha SA');
      await page.locator('[data-testid="quote-customer"]', { hasText: 'Alpha SA' }).waitFor();
      const issued = await page.inputValue('#fquote-meta-issued');
      const alpha = engine.quote(structuredClone(QUICK_STARTS[0].scenario), { customer: 'Alpha SA', issued, validDays: 30 });
      await page.click('[data-testid="save-quote"]');
      await savedRows(page).first().waitFor();
      // The number is the engine's (a hash of the quote's content), shown with customer, date, total.
      const row = savedRows(page).first();
      assert.equal(await row.getAttribute('data-number'), alpha.id);
      assert.match(await row.innerText(), /Alpha SA/);
      assert.equal(await row.locator('td.num').getAttribute('data-value'), alpha.total);
      // Saving the same content again is the same quote.
      await page.click('[data-testid="save-quote"]');
      assert.equal(await savedRows(page).count(), 1);

      await page.fill('#fquote-meta-customer', 'Beta GmbH');
      await page.locator('[data-testid="quote-customer"]', { hasText: 'Beta GmbH' }).waitFor();
      await page.click('[data-testid="save-quote"]');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="saved-list"] tbody tr').length === 2);

      // Reopen Alpha: beside the draft (which stays Beta).
      await page.click(`[data-testid="saved-list"] tr[data-number="${alpha.id}"] [data-saved-action="open"]`);
      await page.locator('[data-testid="side-banner"][data-origin="saved"]').waitFor();
      assert.equal(await docCustomer(page), 'Alpha SA');
      assert.ok((await banner(page).innerText()).includes(fill(DICT.en['side.fromSaved'], { number: alpha.id })));
      await page.click('[data-testid="side-back"]');
      await page.locator('[data-testid="quote-customer"]', { hasText: 'Beta GmbH' }).waitFor();

      // Duplicate Alpha: same content, same number, its own entry.
      await page.click(`[data-testid="saved-list"] tr[data-number="${alpha.id}"] [data-saved-action="duplicate"]`);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="saved-list"] tbody tr').length === 3);
      assert.equal(await page.locator(`[data-testid="saved-list"] tr[data-number="${alpha.id}"]`).count(), 2);

      // Delete one, undo, delete again.
      await page.locator(`[data-testid="saved-list"] tr[data-number="${alpha.id}"] [data-saved-action="delete"]`).first().click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="saved-list"] tbody tr').length === 2);
      await page.click('[data-testid="saved-undo"]');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="saved-list"] tbody tr').length === 3);
      await page.locator(`[data-testid="saved-list"] tr[data-number="${alpha.id}"] [data-saved-action="delete"]`).first().click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="saved-list"] tbody tr').length === 2);

      await reload(page);
      await page.waitForSelector('body[data-ready="true"]');
      await savedRows(page).first().waitFor();
      assert.equal(await savedRows(page).count(), 2);
      const stored = await page.evaluate((k) => JSON.parse(localStorage.getItem(k)), SAVED_KEY);
      assert.equal(stored.version, 1);
      assert.deepEqual(stored.quotes.map((e) => e.customer).sort(), ['Alpha SA', 'Beta GmbH']);

      // Deleting the quote that is open: it stays open, says it is no longer saved, and can be saved again.
      await page.click('[data-testid="saved-list"] tr:has-text("Beta GmbH") [data-saved-action="open"]');
      await page.locator('[data-testid="side-banner"][data-origin="saved"]').waitFor();
      await page.click('[data-testid="saved-list"] tr:has-text("Beta GmbH") [data-saved-action="delete"]');
      await page.locator('[data-testid="side-banner"]', { hasText: DICT.en['side.unsaved'] }).waitFor();
      assert.equal(await docCustomer(page), 'Beta GmbH');
      await page.click('[data-testid="side-save"]');
      await page.locator('[data-testid="saved-list"] tr', { hasText: 'Beta GmbH' }).waitFor();
      await page.locator('[data-testid="side-banner"][data-origin="saved"]').waitFor();
      await page.click('[data-testid="side-back"]');
      await banner(page).waitFor({ state: 'hidden' });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('a stored list that cannot be read is shown with its text, kept, and set aside only on request', { timeout: 60_000 }, async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await gotoReady(page, base);
      const raw = '{"version":1,"quotes":[{"key":"k1","number":"WQ-';
      await page.evaluate(([k, v]) => localStorage.setItem(k, v), [SAVED_KEY, raw]);
      await reload(page);
      await page.waitForSelector('body[data-ready="true"]');
      await view(page, 'quote');
      const err = page.locator('[data-testid="saved-error"]');
      await err.waitFor();
      assert.equal(await err.getAttribute('data-code'), 'saved_quotes_corrupt');
      assert.ok((await err.innerText()).includes(DICT.en['sq.err.saved_quotes_corrupt']));
      assert.equal(await page.inputValue('[data-testid="saved-raw"]'), raw);
      assert.equal(await page.locator('[data-testid="save-quote"]').isDisabled(), true);
      assert.equal(await page.evaluate((k) => localStorage.getItem(k), SAVED_KEY), raw, 'not overwritten');
      await page.click('[data-testid="saved-set-aside"]');
      await page.locator('[data-testid="saved-empty"]').waitFor();
      const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('waprice.quotes.v1.unreadable.')).map((k) => localStorage.getItem(k)));
      assert.deepEqual(kept, [raw]);
      await page.click('[data-testid="save-quote"]');
      await savedRows(page).first().waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

// ------------------------------------------------------------------ the printed document

/** A quote long enough for two pages: twelve markets and fifteen journeys (long assumptions). */
const LONG = (() => {
  const sc = structuredClone(QUICK_STARTS[0].scenario);
  const countries = ['BR', 'MX', 'CO', 'AR', 'CL', 'PE', 'IN', 'ID', 'DE', 'FR', 'ES', 'IT'];
  sc.audience.mix = countries.map((country, i) => ({ country, share: i < 4 ? 10 : 7.5 }));
  const presets = [
    { preset: 'marketing_campaign', share: 50, timesPerMonth: 2, params: { replyShare: 5, repliesPerChat: 1 } },
    { preset: 'order_lifecycle', share: 20, timesPerMonth: 1 },
    { preset: 'support', share: 4 },
  ];
  for (let i = 0; i < 4; i++) sc.journeys.push(...structuredClone(presets));
  return sc;
})();

const PAPER = { A4: [595, 842], Letter: [612, 792] };

/** pdfinfo's page count and size (points). */
function pdfInfo(file) {
  const out = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(out)[1]);
  const m = /^Page size:\s+([\d.]+) x ([\d.]+)/m.exec(out);
  return { pages, width: Number(m[1]), height: Number(m[2]) };
}

/** Page n's text: laid out as on paper, or (layout false) in reading order, a table cell's lines together. */
const pageText = (file, n, layout = true) => execFileSync('pdftotext', ['-f', String(n), '-l', String(n), ...(layout ? ['-layout'] : []), file, '-'], { encoding: 'utf8' });

/** The lowest text on page n above the bottom margin box (points from the top), from pdftotext -bbox. */
function lowestBodyText(file, n, height) {
  const out = execFileSync('pdftotext', ['-f', String(n), '-l', String(n), '-bbox', file, '-'], { encoding: 'utf8' });
  const ys = [...out.matchAll(/yMax="([\d.]+)"/g)].map((m) => Number(m[1])).filter((y) => y < height - 45);
  return Math.max(...ys);
}

/** Print the open quote with the page's own @page rules and check it page by page. */
async function printAndCheck(page, { lang, format, name }) {
  const d = DICT[lang];
  const file = path.join(artifacts, `${name}.pdf`);
  fs.writeFileSync(file, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
  const info = pdfInfo(file);
  const [w, h] = PAPER[format];
  assert.ok(Math.abs(info.width - w) < 2 && Math.abs(info.height - h) < 2, `${name}: ${info.width}×${info.height} is ${format}`);
  assert.ok(info.pages >= 2, `${name}: the long quote takes ${info.pages} page(s)`);
  const id = await page.locator('[data-testid="quote-id"]').innerText();
  for (let n = 1; n <= info.pages; n++) {
    const text = pageText(file, n).replace(/\s+/g, ' ');
    assert.ok(text.includes(fill(d['q.pageNumber'], { number: id }).replace(/\s+/g, ' ')), `${name} page ${n}: the quote number`);
    assert.ok(text.includes(fill(d['q.pageOf'], { page: n, pages: info.pages }).replace(/\s+/g, ' ')), `${name} page ${n}: "${fill(d['q.pageOf'], { page: n, pages: info.pages })}" in ${text.slice(-200)}`);
  }
  // No half-empty first page: the table is on it and the text reaches its lower part.
  const first = pageText(file, 1).replace(/\s+/g, ' ');
  assert.ok(first.includes(d['q.monthlyTotal']), `${name}: the line table and its total are on the first page`);
  assert.ok(lowestBodyText(file, 1, info.height) > 0.75 * info.height, `${name}: the first page is filled`);
  // A row is never split: each line label appears whole on one page.
  return { file, pages: info.pages, id };
}

describe('the printed quote', () => {
  for (const lang of ['en', 'zh', 'ja']) {
    test(`${lang}: A4 and Letter PDFs carry the quote number and page numbers on every page`, { timeout: 180_000 }, async () => {
      const { context, page, problems } = await openPage(browser, undefined, { locale: { en: 'en-GB', zh: 'zh-CN', ja: 'ja-JP' }[lang] });
      try {
        await gotoReady(page, `${base}#s=${engine.encodeScenario(structuredClone(LONG))}&v=quote`);
        await page.locator('[data-testid="quote-doc"]').waitFor();
        assert.equal(await page.evaluate(() => document.documentElement.lang.slice(0, 2)), lang);
        await page.fill('#fquote-meta-seller', { en: 'Acme Messaging Ltd', zh: '深圳云讯科技有限公司', ja: '株式会社アクメメッセージング' }[lang]);
        await page.fill('#fquote-meta-customer', { en: 'Loja Exemplo S.A.', zh: '跨境优品商城', ja: '越境ショップ株式会社' }[lang]);
        await page.locator('[data-testid="quote-customer"]', { hasText: { en: 'Loja', zh: '跨境', ja: '越境' }[lang] }).waitFor();
        assert.equal(await page.inputValue('#fquote-meta-paper'), 'a4', 'A4 outside the Letter countries');
        await page.emulateMedia({ media: 'print' });
        const a4 = await printAndCheck(page, { lang, format: 'A4', name: `quotedoc-${lang}-a4` });
        await page.emulateMedia({ media: 'screen' });
        await page.selectOption('#fquote-meta-paper', 'letter');
        await page.waitForFunction(() => document.body.dataset.paper === 'letter');
        await page.emulateMedia({ media: 'print' });
        await printAndCheck(page, { lang, format: 'Letter', name: `quotedoc-${lang}-letter` });
        // Rows never split, the table header repeats, the total is not repeated on each page.
        const css = await page.evaluate(() => {
          const st = (sel) => getComputedStyle(document.querySelector(sel));
          return { row: st('.qd-lines tbody tr').breakInside, head: st('.qd-lines thead').display, foot: st('.qd-lines tfoot').display };
        });
        assert.deepEqual(css, { row: 'avoid', head: 'table-header-group', foot: 'table-row-group' });
        if (lang === 'en') {
          // Twice the size on A5 the line table runs over pages: every page with rows repeats the
          // table's header, and each row is whole on one page.
          const file = path.join(artifacts, 'quotedoc-en-a5x2.pdf');
          fs.writeFileSync(file, await page.pdf({ format: 'A5', scale: 2 }));
          const { pages } = pdfInfo(file);
          const texts = Array.from({ length: pages }, (_, i) => pageText(file, i + 1, false).replace(/\s+/g, ''));
          const labels = await page.evaluate(() => [...document.querySelectorAll('.qd-lines tbody tr td:first-child')].map((td) => td.firstChild.textContent));
          const header = DICT.en['res.item'].replace(/\s+/g, '');
          const withRows = new Set();
          for (const label of labels) {
            const at = texts.findIndex((t) => t.includes(label.replace(/\s+/g, '')));
            assert.ok(at >= 0, `the row "${label}" is whole on one page`);
            withRows.add(at);
          }
          assert.ok(withRows.size >= 2, `the table runs over ${withRows.size} page(s) of A5 at 200 %`);
          for (const n of withRows) assert.ok(texts[n].toLowerCase().includes(header.toLowerCase()), `page ${n + 1} repeats the table header`);
        }
        if (lang !== 'en') {
          // The glyphs come from the language's own CJK font (no tofu, no fallback to the other
          // language's shapes); the PDF's text is the catalog's. The pages are kept as PNG to look at.
          const cdp = await context.newCDPSession(page);
          await cdp.send('DOM.enable');
          await cdp.send('CSS.enable');
          const { root: doc } = await cdp.send('DOM.getDocument');
          for (const sel of ['.qd-title', '[data-testid="quote-customer"]', '.qd-assumptions li']) {
            const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: doc.nodeId, selector: sel });
            const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
            assert.ok(fonts.some((f) => f.familyName === (lang === 'zh' ? 'Noto Sans CJK SC' : 'Noto Sans CJK JP')), `${sel}: ${JSON.stringify(fonts)}`);
          }
          assert.ok(pageText(a4.file, 1).includes(DICT[lang]['q.docTitle']), 'the title in the PDF text');
          // No English sentence anywhere in the PDF (every page), nor in the quote's CSV.
          const pdfText = Array.from({ length: a4.pages }, (_, i) => pageText(a4.file, i + 1, false)).join('\n');
          assert.deepEqual(englishRuns([pdfText]), [], `${lang} PDF: English sentences remain`);
          await page.emulateMedia({ media: 'screen' });
          const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="quote-csv"]')]);
          const csvText = fs.readFileSync(await csv.path(), 'utf8');
          assert.ok(csvText.includes(DICT[lang]['q.monthlyTotal']), `${lang} CSV: the catalog's labels`);
          assert.deepEqual(englishRuns([csvText]), [], `${lang} CSV: English sentences remain`);
          execFileSync('pdftoppm', ['-r', '60', '-png', a4.file, path.join(artifacts, `quotedoc-${lang}-a4`)]);
        }
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }
});
