#!/usr/bin/env node
// Benchmark of the log page in headless Chromium (Debian's, through playwright-core): the log of
// `cargo run --release --example bench_logs` (target/bench-logs/, 10M events, 1M customers) chosen
// in www/logs.html, priced as logged (the what-if date cleared), as a person would. Prints the
// page's own progress line (events per second from the file's bytes, as the page measures them)
// and the wall time from choosing the file to the report, with the total (compare it with
// scripts/bench-logs.mjs). Asserts nothing. Needs pkg/ (bash scripts/build.sh) and the log.
// Usage: node scripts/bench-page.mjs [--events N] [--users N] [--runs N]
import fs from 'node:fs';
import path from 'node:path';
import { launch, openPage, root, startServer } from '../tests/e2e/harness.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const EVENTS = Number(arg('events', 10_000_000));
const USERS = Number(arg('users', 1_000_000));
const RUNS = Number(arg('runs', 2));
const file = path.join(root, 'target', 'bench-logs', `events-${EVENTS}-${USERS}.csv`);
if (!fs.existsSync(file)) {
  console.error(`${path.relative(root, file)} is missing: run \`cargo run --release --example bench_logs\` (or node scripts/bench-logs.mjs) first`);
  process.exit(1);
}

const server = await startServer();
const browser = await launch();
try {
  console.log(`waprice page bench (${browser.version()}): ${path.basename(file)}, ${(fs.statSync(file).size / 1e6).toFixed(0)} MB`);
  for (let run = 1; run <= RUNS; run++) {
    const { context, page, problems } = await openPage(browser);
    try {
      await page.goto(`http://127.0.0.1:${server.port}/www/logs.html`, { waitUntil: 'networkidle' });
      await page.fill('#what-if-date', '');
      await page.evaluate(() => { document.body.dataset.done = 'false'; });
      const t0 = performance.now();
      await page.setInputFiles('#log-file', file);
      await page.waitForSelector('body[data-done="true"]', { timeout: 600_000 });
      const wall = (performance.now() - t0) / 1000;
      const progress = await page.locator('[data-testid="progress-text"]').innerText();
      const total = await page.locator('[data-testid="total"]').innerText();
      console.log(`page run ${run}: ${progress}; ${wall.toFixed(2)} s from choosing the file to the report; ${total.split('\n').join(' ')}`);
      if (problems.length) console.log(`problems: ${problems.join('; ')}`);
    } finally {
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.child.kill();
}
