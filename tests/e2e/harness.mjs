// Shared by the end-to-end tests: the static server (scripts/serve.mjs on a free port), Debian's
// Chromium through playwright-core, pages that record every console error, page error, failed
// request and HTTP error, and the engine loaded in Node from the same pkg/ (the oracle).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const artifacts = path.join(root, 'tests', 'artifacts');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic',
];
export const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1280, height: 800 }, isMobile: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
];

export function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'scripts', 'serve.mjs'), '--port', '0'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`serve.mjs did not start: ${out}${err}`)), 15_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /http:\/\/[^:/\s]+:(\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.stderr.on('data', (chunk) => { err += chunk; });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve.mjs exited with ${code}: ${out}${err}`));
    });
  });
}

/** The engine module loaded in Node (initSync) from pkg/. */
export async function loadPkg() {
  for (const f of ['pkg/waprice.js', 'pkg/waprice_bg.wasm']) {
    assert.ok(fs.existsSync(path.join(root, f)), `${f} is missing: run \`bash scripts/build.sh\` first`);
  }
  const pkg = await import(pathToFileURL(path.join(root, 'pkg', 'waprice.js')).href);
  pkg.initSync({ module: fs.readFileSync(path.join(root, 'pkg', 'waprice_bg.wasm')) });
  return pkg;
}

export async function launch() {
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium chromium-driver`);
  fs.mkdirSync(artifacts, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A fresh context and page that record every console error, page error, failed request, HTTP error. */
export async function openPage(browser, vp = VIEWPORTS[0], options = {}) {
  const context = await browser.newContext({
    viewport: vp.viewport,
    isMobile: vp.isMobile ?? false,
    hasTouch: vp.hasTouch ?? false,
    deviceScaleFactor: vp.deviceScaleFactor ?? 1,
    acceptDownloads: true,
    locale: options.locale ?? 'en-US',
  });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (req) => {
    // A download's blob: URL is "aborted" by the browser once it is saved; that is not a failure.
    if (!req.url().startsWith('blob:')) problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return { context, page, problems };
}

/** Navigate and wait for the first total. */
export async function gotoReady(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
}

/**
 * Reload once the page has nothing in flight. A reload cancels the old document's requests (Chromium
 * fetches the favicon late and at low priority), and a cancelled request is reported as failed;
 * waiting for the network to be idle first keeps that from passing for a real failure.
 */
export async function reload(page) {
  await page.waitForLoadState('networkidle');
  await page.reload({ waitUntil: 'load' });
}

/** Wait until the big total shows `value` (the engine's decimal string). */
export async function waitTotal(page, value, timeout = 10_000) {
  await page.waitForFunction(
    (v) => document.querySelector('[data-testid="total"]')?.dataset.value === v,
    value,
    { timeout },
  );
}

export const totalValue = (page) => page.evaluate(() => document.querySelector('wa-results [data-testid="total"]')?.dataset.value ?? null);

/** Switch view with the tab. */
export async function view(page, name) {
  await page.click(`wa-nav [data-view="${name}"]`);
  await page.waitForFunction((n) => document.body.dataset.view === n, name);
}

export function shot(page, name, options = {}) {
  return page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true, ...options });
}

export async function noOverflow(page, label) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${label}: the page is ${overflow}px wider than the viewport`);
}

// Product, brand and format names stay as they are in every language.
export const BRANDS = /WhatsApp Business Platform|WhatsApp|Meta|waprice|Cloud API|JSON Lines|JSON|CSV|PDF|ISO|IANA|OTP|webhook/g;

/**
 * The English sentences visible on the page: runs of three or more English words in any visible
 * text, whatever its lang attribute (an engine sentence marked lang="en" is still English to a
 * reader), except code, user-typed text, file paths and the names above.
 */
export async function englishSentences(page) {
  const texts = await page.evaluate(() => {
    const out = [];
    const skip = (el) => el.closest('script, style, datalist, code, .mono, [data-user-text]');
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
    out.push(document.title);
    return out;
  });
  return englishRuns(texts);
}

/**
 * Runs of three or more English words in `texts` (strings), the names above, URLs and file paths
 * left out: the test of a Chinese or Japanese page, PDF or CSV.
 */
export function englishRuns(texts) {
  const found = [];
  for (const text of texts) {
    const clean = text.replace(/\bhttps?:\/\/\S+/g, ' ').replace(BRANDS, ' ').replace(/\b[\w.-]+\/[\w./-]+/g, ' ');
    for (const m of clean.matchAll(/[A-Za-z][a-z]+(?:[ ,'’-]+[A-Za-z][a-z]+){2,}/g)) found.push(m[0]);
  }
  return [...new Set(found)];
}
