#!/usr/bin/env node
// Benchmark of engine.simulate in Node (wasm, initSync): a 1,000,000-event timeline of 100,000
// users (ten events each) over October 2026 in India, Brazil, Indonesia and Egypt, with a realistic mix of inbound
// messages, free-form replies, reactions and marketing / utility / authentication templates.
// Prints events per second with options.messages 'none' (as objects and as JSON text) and 'all', and
// the gzipped wasm size.
// Figures only; nothing is asserted.
// Usage: node scripts/bench-js.mjs [--events N] [--runs N] [--modes all,none] [--pregrow-mb N]
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WANT_HEAP_MB = 8192;

// A million input objects and as many verdicts need more than Node's default heap: re-run with more.
if (v8.getHeapStatistics().heap_size_limit < (WANT_HEAP_MB - 512) * 1024 * 1024 && !process.env.WAPRICE_BENCH_CHILD) {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${WANT_HEAP_MB}`, '--expose-gc', ...process.execArgv,
    fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, WAPRICE_BENCH_CHILD: '1' },
  });
  process.exit(r.status ?? 1);
}

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const EVENTS = arg('events', 1_000_000);
const USERS = Math.max(1, Math.min(100_000, Math.floor(EVENTS / 10))); // ten events per user
const RUNS = arg('runs', 3);
const MODES = (() => {
  const i = process.argv.indexOf('--modes');
  return i > 0 ? process.argv[i + 1].split(',') : ['none', 'none-json', 'all'];
})();

const wasmPath = path.join(root, 'pkg', 'waprice_bg.wasm');
if (!fs.existsSync(wasmPath)) {
  console.error('pkg/ is missing: run `bash scripts/build.sh` first');
  process.exit(1);
}
const { initSync, Engine } = await import(pathToFileURL(path.join(root, 'pkg', 'waprice.js')).href);
const wasmBytes = fs.readFileSync(wasmPath);
const wasm = initSync({ module: wasmBytes });
const mib = (n) => `${(n / 1048576).toFixed(0)} MiB`;
// Diagnostic: grow the wasm linear memory up front (--pregrow-mb N), to tell the cost of the
// engine's many small memory.grow calls (each can make V8 run a full GC) from the engine's own work.
const PREGROW_MB = arg('pregrow-mb', 0);
if (PREGROW_MB > 0) wasm.memory.grow(Math.ceil((PREGROW_MB * 1048576) / 65536));
const memory = () => {
  const m = process.memoryUsage();
  const linear = wasm?.memory?.buffer?.byteLength;
  return `rss ${mib(m.rss)}, JS heap ${mib(m.heapUsed)}${linear ? `, wasm memory ${mib(linear)}` : ''}`;
};

// Deterministic pseudo-random numbers (mulberry32), so every run prices the same timeline.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(20261001);
const pick = (weights) => {
  let r = random() * weights.reduce((s, [, w]) => s + w, 0);
  for (const [value, w] of weights) if ((r -= w) < 0) return value;
  return weights[weights.length - 1][0];
};

// Markets: [name, share, number for the i-th user].
const MARKETS = [
  ['India', 0.4, (i) => `+9198${String(i).padStart(8, '0')}`],
  ['Brazil', 0.25, (i) => `+55119${String(i).padStart(8, '0')}`],
  ['Indonesia', 0.2, (i) => `+62812${String(i).padStart(8, '0')}`],
  ['Egypt', 0.15, (i) => `+2010${String(i).padStart(8, '0')}`],
];
const BUSINESS_NUMBERS = ['+15550001111', '+15550002222', '+15550003333'];
const MONTH_START = Date.parse('2026-10-01T00:00:00Z');
const MONTH_MS = 31 * 24 * 3600 * 1000;
const HOUR = 3600 * 1000;

function buildTimeline() {
  const events = [];
  const mix = {};
  const add = (event) => {
    events.push(event);
    const key = event.kind === 'template' ? `template/${event.category}` : event.kind;
    mix[key] = (mix[key] ?? 0) + 1;
  };
  const perUser = EVENTS / USERS;
  let marketIndex = 0;
  let marketLeft = Math.round(MARKETS[0][1] * USERS);
  for (let u = 0; u < USERS && events.length < EVENTS; u++) {
    while (marketLeft === 0 && marketIndex < MARKETS.length - 1) {
      marketIndex++;
      marketLeft = Math.round(MARKETS[marketIndex][1] * USERS);
    }
    marketLeft--;
    const user = MARKETS[marketIndex][2](u);
    const from = BUSINESS_NUMBERS[u % BUSINESS_NUMBERS.length];
    const budget = Math.min(Math.round(perUser * (u + 1)) - Math.round(perUser * u), EVENTS - events.length);
    let used = 0;
    while (used < budget) {
      const t = MONTH_START + Math.floor(random() * (MONTH_MS - 2 * HOUR));
      const left = budget - used;
      const journey = left >= 3 ? pick([['chat', 35], ['marketing', 30], ['utility', 20], ['otp', 10], ['ad', 5]])
        : left === 2 ? pick([['chat2', 1], ['marketing', 1]]) : pick([['marketing', 2], ['utility', 2], ['otp', 1]]);
      const status = () => (random() < 0.02 ? 'failed' : undefined);
      const template = (at, category) => {
        const e = { at, user, kind: 'template', category, from };
        const s = status();
        if (s) e.status = s;
        add(e);
      };
      if (journey === 'marketing') { template(t, 'marketing'); used += 1; }
      else if (journey === 'utility') { template(t, 'utility'); used += 1; }
      else if (journey === 'otp') { template(t, 'authentication'); used += 1; }
      else if (journey === 'chat2') {
        add({ at: t, user, kind: 'inbound' });
        add({ at: t + 5 * 60_000, user, kind: 'message', from });
        used += 2;
      } else {
        // A conversation: the customer writes (sometimes from an ad), the business answers
        // with a free-form reply, then a reaction, a utility template or another reply.
        add({ at: t, user, kind: 'inbound', ...(journey === 'ad' ? { referral: 'ctwa' } : {}) });
        add({ at: t + 3 * 60_000, user, kind: 'message', from });
        const third = pick([['message', 3], ['reaction', 1], ['utility', 1]]);
        if (third === 'utility') template(t + 40 * 60_000, 'utility');
        else add({ at: t + 10 * 60_000, user, kind: third, from });
        used += 3;
      }
    }
  }
  events.sort((a, b) => a.at - b.at);
  for (const e of events) e.at = new Date(e.at).toISOString();
  // The objects as a caller has them: read from a JSON file (JSON.parse), not retyped in place
  // (V8 reads objects whose field changed type after creation, here `at`, several times slower).
  return { events: JSON.parse(JSON.stringify(events)), mix };
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');

console.log(`waprice bench (Node ${process.version}, wasm)`);
const gz = zlib.gzipSync(wasmBytes, { level: 9 }).length;
console.log(`pkg/waprice_bg.wasm: ${fmt(wasmBytes.length)} bytes raw, ${fmt(gz)} bytes gzipped ` +
  `(${(gz / 1024).toFixed(1)} KiB, Node zlib level 9; scripts/test.sh measures with gzip -9)`);

let t0 = performance.now();
const { events, mix } = buildTimeline();
const usersSeen = new Set(events.map((e) => e.user)).size;
console.log(`timeline: ${fmt(events.length)} events, ${fmt(usersSeen)} users, 2026-10, built in ${fmt(performance.now() - t0)} ms`);
console.log(`  mix: ${Object.entries(mix).sort().map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`);

t0 = performance.now();
const engine = new Engine();
console.log(`new Engine(): ${(performance.now() - t0).toFixed(1)} ms`);

for (const mode of MODES) {
  // 'none-json' passes the same input as JSON text (the engine then skips JSON.stringify).
  const messages = mode.replace('-json', '');
  const object = { currency: 'USD', timezone: 'UTC', options: { messages }, events };
  const input = mode.endsWith('-json') ? JSON.stringify(object) : object;
  let best = Infinity;
  let result;
  for (let run = 0; run < RUNS; run++) {
    result = undefined;
    globalThis.gc?.();
    const start = performance.now();
    result = engine.simulate(input);
    const ms = performance.now() - start;
    best = Math.min(best, ms);
    console.log(`  simulate ${mode} run ${run + 1}: ${fmt(ms)} ms (${memory()})`);
  }
  const t = result.totals;
  console.log(`simulate ${mode}: ${fmt(events.length / (best / 1000))} events/s (best of ${RUNS}: ${fmt(best)} ms); ` +
    `total USD ${t.amount}, ${fmt(t.messages)} business messages, ${fmt(t.charged)} charged, ` +
    `${fmt(t.free)} free, ${fmt(t.notDelivered)} not delivered, ${result.warnings.length} warnings`);
}
