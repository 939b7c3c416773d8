#!/usr/bin/env node
// Benchmark of log pricing in WebAssembly under Node: events per second from CSV bytes (the log
// read in 4 MiB chunks and pushed as Uint8Arrays, as the page does with File.slice), and memory.
// The log is the one `cargo run --release --example bench_logs` generates into target/bench-logs/
// (generated here with the same generator when missing). Prints figures, asserts nothing; prints
// the wasm/native ratio when the native figures (target/bench-logs/*.native.json) are there.
// The runs `price2` and `whatif2` read the log in a worker thread (its own instance of the module,
// `engine.logReader`) and price its tapes on the main thread (`pricer.replay`), as the page does.
// The worker is started and has loaded its module before the clock starts (as the page keeps a
// reading worker started); the time that took is printed apart.
// The run `replay` (not run by default) times the reading into tapes (the worker's part, without
// the file's reads), then the pricing alone: the tapes of the whole log (about 290 MB for 10M
// events, held in memory), replayed three times into fresh pricers.
// Usage: node scripts/bench-logs.mjs [--events N] [--users N] [--runs parse,price,whatif,price2,whatif2,replay]
// Needs pkg/logs/ (bash scripts/build.sh).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const EVENTS = Number(arg('events', 10_000_000));
const USERS = Number(arg('users', 1_000_000));
const RUNS = String(arg('runs', 'parse,price,whatif,price2,whatif2')).split(',');
const CHUNK = 4 * 1024 * 1024;
/** Tapes in flight from the reading worker. */
const DEPTH = 4;

const pkgDir = path.join(root, 'pkg', 'logs');
const load = async () => {
  const { initSync, Engine } = await import(pathToFileURL(path.join(pkgDir, 'waprice.js')).href);
  const wasm = initSync({ module: fs.readFileSync(path.join(pkgDir, 'waprice_bg.wasm')) });
  return { wasm, engine: new Engine() };
};

if (!isMainThread) {
  // The reading worker: loads the module, says so, and on the word reads the file in chunks, a
  // tape per chunk, at most DEPTH unacknowledged.
  const { engine } = await load();
  let go;
  const started = new Promise((resolve) => { go = resolve; });
  let inFlight = 0;
  let wake = null;
  parentPort.on('message', (m) => {
    if (m === 'go') { go(); return; }
    inFlight--;
    if (wake) { wake(); wake = null; }
  });
  parentPort.postMessage('ready');
  await started;
  const reader = engine.logReader(workerData.options);
  const fd = fs.openSync(workerData.file, 'r');
  const buf = Buffer.allocUnsafe(CHUNK);
  const send = async (tape) => {
    while (inFlight >= DEPTH) await new Promise((r) => { wake = r; });
    inFlight++;
    parentPort.postMessage(tape, [tape.buffer]);
  };
  let readMs = 0;
  for (;;) {
    const r0 = performance.now();
    const n = fs.readSync(fd, buf, 0, CHUNK, null);
    readMs += performance.now() - r0;
    if (n === 0) break;
    await send(reader.push(buf.subarray(0, n)));
  }
  await send(reader.finish());
  fs.closeSync(fd);
  parentPort.postMessage({ readMs });
  parentPort.close();
  process.exit(0);
}
if (!fs.existsSync(path.join(pkgDir, 'waprice_bg.wasm'))) {
  console.error('pkg/logs/ is missing: run `bash scripts/build.sh` first');
  process.exit(1);
}
const dir = path.join(root, 'target', 'bench-logs');
const file = path.join(dir, `events-${EVENTS}-${USERS}.csv`);

// The generator of examples/bench_logs.rs (xorshift32, September 2026, sorted by time).
function generate() {
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  const START = 1_788_220_800;
  const SPAN = 30 * 86_400;
  const PREFIXES = ['+9198', '+5511', '+6281', '+2010'];
  let x = 2_463_534_242;
  const next = () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x;
  };
  let out = 'at,user,kind,category,referral,from,status\n';
  let lastSec = -1;
  let at = '';
  for (let i = 0; i < EVENTS; i++) {
    const sec = START + Math.floor((i * SPAN) / EVENTS);
    if (sec !== lastSec) {
      lastSec = sec;
      at = new Date(sec * 1000).toISOString().slice(0, 19) + 'Z';
    }
    const r1 = next(); const r2 = next(); const r3 = next(); const r4 = next();
    const u = r1 % USERS;
    const prefix = PREFIXES[u % 4];
    let kind; let category = ''; let referral = '';
    switch (r2 % 10) {
      case 0: case 1: case 2: kind = 'inbound'; if (r3 % 50 === 0) referral = 'ctwa'; break;
      case 3: case 4: kind = 'message'; break;
      case 5: kind = 'template'; category = 'marketing'; break;
      case 6: case 7: kind = 'template'; category = 'utility'; break;
      case 8: kind = 'template'; category = 'authentication'; break;
      default: kind = 'reaction';
    }
    const status = kind !== 'inbound' && r4 % 40 === 0 ? 'failed' : '';
    out += `${at},${prefix}${String(u).padStart(8, '0')},${kind},${category},${referral},,${status}\n`;
    if (out.length > 1 << 22) {
      fs.writeSync(fd, out);
      out = '';
    }
  }
  fs.writeSync(fd, out);
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
}

if (!fs.existsSync(file)) {
  const t = performance.now();
  generate();
  console.log(`generated ${path.relative(root, file)} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

const { wasm, engine } = await load();
const mib = (n) => (n / 1048576).toFixed(0);
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const bytes = fs.statSync(file).size;
console.log(`waprice log bench (Node ${process.version}, wasm): ${path.basename(file)}, ${(bytes / 1e6).toFixed(0)} MB`);

const buffer = Buffer.allocUnsafe(CHUNK);
const results = {};
const OPTIONS = {
  parse: { format: 'csv', parseOnly: true },
  price: { format: 'csv' },
  whatif: { format: 'csv', whatIf: { date: '2026-10-01' } },
};
OPTIONS.price2 = OPTIONS.price;
OPTIONS.whatif2 = OPTIONS.whatif;
const NAMES = {
  parse: 'read only (parseOnly)',
  price: 'priced as logged',
  whatif: 'priced + what-if 2026-10-01',
  price2: 'priced as logged, read in a worker',
  whatif2: 'priced + what-if 2026-10-01, read in a worker',
};
let peakRss = 0;

/**
 * Starts a reading worker for `options` and resolves once it has loaded its module (as the page
 * keeps one started); `run()` then prices the log it reads and resolves to the report.
 */
function startWorker(options) {
  return new Promise((ready, failed) => {
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { file, options } });
    let pricer = null;
    let readMs = 0;
    let settle = { resolve: () => {}, reject: failed };
    const run = () => new Promise((resolve, reject) => {
      settle = { resolve, reject };
      pricer = engine.logPricer(options);
      worker.postMessage('go');
    });
    worker.on('message', (tape) => {
      if (tape === 'ready') {
        ready(run);
        return;
      }
      if (tape.readMs !== undefined) {
        readMs = tape.readMs;
        return;
      }
      try {
        pricer.replay(tape);
        worker.postMessage(0);
        peakRss = Math.max(peakRss, process.memoryUsage.rss());
      } catch (e) {
        worker.terminate();
        settle.reject(e);
      }
    });
    worker.on('error', (e) => settle.reject(e));
    worker.on('exit', () => {
      if (!pricer) return;
      try {
        const report = pricer.finish();
        pricer.free();
        settle.resolve({ report, readMs });
      } catch (e) {
        settle.reject(e);
      }
    });
  });
}

/** Times the replay of tapes made beforehand from the log. */
function replayOnly() {
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK);
  const reader = engine.logReader(OPTIONS.price);
  const tapes = [];
  // The reading worker's part, timed without the file's reads.
  let readingMs = 0;
  for (;;) {
    const n = fs.readSync(fd, buffer, 0, CHUNK, null);
    if (n === 0) break;
    const t0 = performance.now();
    tapes.push(reader.push(buffer.subarray(0, n)));
    readingMs += performance.now() - t0;
  }
  const t0 = performance.now();
  tapes.push(reader.finish());
  readingMs += performance.now() - t0;
  reader.free();
  fs.closeSync(fd);
  const mb = tapes.reduce((n, t) => n + t.length, 0) / 1e6;
  console.log(`wasm reading into tapes, without the file's reads: ${fmt(EVENTS)} events in ${(readingMs / 1000).toFixed(2)} s = ` +
    `${(EVENTS / readingMs / 1e3).toFixed(2)} million events/s`);
  let best = Infinity;
  for (let rep = 1; rep <= 3; rep++) {
    const pricer = engine.logPricer(OPTIONS.price);
    const t0 = performance.now();
    for (const t of tapes) pricer.replay(t);
    const report = pricer.finish();
    pricer.free();
    const secs = (performance.now() - t0) / 1000;
    const events = report.input.records;
    best = Math.min(best, secs / events);
    console.log(`wasm replay of tapes made beforehand (${mb.toFixed(0)} MB of tapes), run ${rep}: ${fmt(events)} events in ` +
      `${secs.toFixed(2)} s = ${(events / secs / 1e6).toFixed(2)} million events/s; ${fmt(report.input.users)} customers`);
  }
  // The two halves of the two-instance pipeline cost this much processor time an event together:
  // however they share the machine's cores, the pipeline cannot beat it.
  const readNs = readingMs * 1e6 / EVENTS;
  const replayNs = best * 1e9;
  const cores = os.availableParallelism();
  console.log(`wasm bound on ${cores} cores: reading into tapes ${readNs.toFixed(0)} ns + replay ${replayNs.toFixed(0)} ns ` +
    `(the fastest run) = ${(readNs + replayNs).toFixed(0)} ns an event; the pipeline (a worker reads, the main thread ` +
    `replays) runs at most at the rate of its slower half, ${(1e3 / Math.max(readNs, replayNs)).toFixed(2)} million ` +
    `events/s, and no split of that work over ${cores} cores beats ${(cores / (readNs + replayNs) * 1e3).toFixed(2)}`);
}

for (const run of RUNS) {
  if (run === 'replay') {
    replayOnly();
    continue;
  }
  if (run.endsWith('2')) {
    const w0 = performance.now();
    const priceFromWorker = await startWorker(OPTIONS[run]);
    const startMs = performance.now() - w0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const { report, readMs } = await priceFromWorker();
    const secs = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSecs = (cpu.user + cpu.system) / 1e6;
    const events = report.input.records;
    const m = process.memoryUsage();
    results[run] = { seconds: secs, cpuSeconds: cpuSecs, events, eventsPerSecond: events / secs };
    const what = `total USD ${report.totals.amount}${report.whatIf ? `, what-if USD ${report.whatIf.totals.amount}` : ''}`;
    console.log(`wasm ${NAMES[run]}: ${fmt(events)} events in ${secs.toFixed(2)} s = ${(events / secs / 1e6).toFixed(2)} million events/s ` +
      `(${(events / cpuSecs / 1e6).toFixed(2)} M per CPU second, both threads); ${fmt(report.input.users)} customers; ${what}; ` +
      `rss ${mib(m.rss)} MiB (peak ${mib(peakRss)}), wasm memory of the pricer ${mib(wasm.memory.buffer.byteLength)} MiB; ` +
      `the worker's file reads took ${(readMs / 1000).toFixed(2)} s; it was started beforehand, in ${startMs.toFixed(0)} ms ` +
      `(with that: ${(events / (secs + startMs / 1000) / 1e6).toFixed(2)} M/s)`);
    continue;
  }
  const fd = fs.openSync(file, 'r');
  const cpu0 = process.cpuUsage();
  let readMs = 0; // time in the file's reads, printed apart: the engine's rate is without it
  const t0 = performance.now();
  const pricer = engine.logPricer(OPTIONS[run]);
  for (;;) {
    const r0 = performance.now();
    const n = fs.readSync(fd, buffer, 0, CHUNK, null);
    readMs += performance.now() - r0;
    if (n === 0) break;
    pricer.push(buffer.subarray(0, n));
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }
  const report = pricer.finish();
  pricer.free();
  fs.closeSync(fd);
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSecs = (cpu.user + cpu.system) / 1e6;
  const events = report.input.records;
  const m = process.memoryUsage();
  const readSecs = readMs / 1000;
  results[run] = { seconds: secs, readSeconds: readSecs, cpuSeconds: cpuSecs, events, eventsPerSecond: events / secs };
  const what = report.totals ? `total USD ${report.totals.amount}${report.whatIf ? `, what-if USD ${report.whatIf.totals.amount}` : ''}` : 'not priced';
  console.log(`wasm ${NAMES[run]}: ${fmt(events)} events in ${secs.toFixed(2)} s = ${(events / secs / 1e6).toFixed(2)} million events/s ` +
    `(${(events / cpuSecs / 1e6).toFixed(2)} M per CPU second); without the ${readSecs.toFixed(2)} s of file reads: ` +
    `${(events / (secs - readSecs) / 1e6).toFixed(2)} M/s; ${fmt(report.input.users)} customers; ${what}; ` +
    `rss ${mib(m.rss)} MiB (peak ${mib(peakRss)}), wasm memory ${mib(wasm.memory.buffer.byteLength)} MiB, JS heap ${mib(m.heapUsed)} MiB`);
}

const nativeFile = file.replace(/\.csv$/, '.native.json');
if (fs.existsSync(nativeFile)) {
  const native = JSON.parse(fs.readFileSync(nativeFile, 'utf8'));
  const byName = Object.fromEntries(native.runs.map((r) => [r.name, r]));
  for (const run of RUNS) {
    const n = byName[NAMES[run]];
    if (!n) continue;
    const w = results[run];
    const perCpu = n.eventsPerCpuSecond
      ? `; per CPU second ${(w.events / w.cpuSeconds / n.eventsPerCpuSecond).toFixed(2)} ` +
        `(wasm ${(w.events / w.cpuSeconds / 1e6).toFixed(2)} M, native ${(n.eventsPerCpuSecond / 1e6).toFixed(2)} M)`
      : '';
    const engineOnly = n.readSeconds !== undefined
      ? `; without file reads ${((n.seconds - n.readSeconds) / (w.seconds - w.readSeconds)).toFixed(2)}`
      : '';
    console.log(`wasm/native, ${NAMES[run]}: ${(w.eventsPerSecond / n.eventsPerSecond).toFixed(2)} ` +
      `(wasm ${(w.eventsPerSecond / 1e6).toFixed(2)} M/s, native ${(n.eventsPerSecond / 1e6).toFixed(2)} M/s)${perCpu}${engineOnly}`);
  }
} else {
  console.log('no native figures: run `cargo run --release --example bench_logs` for the wasm/native ratio');
}
