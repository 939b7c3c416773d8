// The log package in wasm (pkg/logs/) against the native command line on the same logs: the wasm
// build has code paths of its own (SIMD compares of the CSV splitter with `simd128`, and loading
// customers' slots in groups where native code prefetches), so its reports are compared with
// `waprice price --json`, key for key. Needs `bash scripts/build.sh` (pkg/logs/) and cargo (the
// command line is built here in the debug profile if it is not already).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkgDir = path.join(root, 'pkg', 'logs');
const fixtures = path.join(root, 'tests', 'fixtures', 'logs');

let engine;
/** A second instance of the module (another module record), as a worker of the page has. */
let readerEngine;
let cli;
let tmp;

before(async () => {
  for (const f of ['waprice.js', 'waprice_bg.wasm']) {
    assert.ok(fs.existsSync(path.join(pkgDir, f)), `pkg/logs/${f} is missing: run \`bash scripts/build.sh\` first`);
  }
  const pkg = await import(pathToFileURL(path.join(pkgDir, 'waprice.js')).href);
  pkg.initSync({ module: fs.readFileSync(path.join(pkgDir, 'waprice_bg.wasm')) });
  engine = new pkg.Engine();
  const second = await import(`${pathToFileURL(path.join(pkgDir, 'waprice.js')).href}?reader`);
  second.initSync({ module: fs.readFileSync(path.join(pkgDir, 'waprice_bg.wasm')) });
  readerEngine = new second.Engine();
  execFileSync('cargo', ['build', '--quiet', '-p', 'waprice-cli'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  cli = path.join(root, process.env.CARGO_TARGET_DIR || 'target', 'debug', 'waprice');
  assert.ok(fs.existsSync(cli), `${cli} was not built`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'waprice-logs-'));
});

after(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** The wasm report of a file pushed in chunks of `size` bytes. */
function wasmReport(file, options, size) {
  const bytes = fs.readFileSync(file);
  const pricer = engine.logPricer(structuredClone(options));
  try {
    for (let at = 0; at < bytes.length; at += size) pricer.push(bytes.subarray(at, at + size));
    return pricer.finish();
  } finally {
    pricer.free();
  }
}

/**
 * The report of a file read in chunks of `size` bytes by a `logReader` of the second instance, its
 * tapes replayed by a `logPricer` of the first (as the page does across a worker).
 */
function tapedReport(file, options, size) {
  const bytes = fs.readFileSync(file);
  const reader = readerEngine.logReader(structuredClone(options));
  const pricer = engine.logPricer(structuredClone(options));
  try {
    for (let at = 0; at < bytes.length; at += size) pricer.replay(reader.push(bytes.subarray(at, at + size)));
    pricer.replay(reader.finish());
    return pricer.finish();
  } finally {
    reader.free();
    pricer.free();
  }
}

/** The command line's report (`--json`), on a second thread or on one. */
function nativeReport(file, args, singleThread = false) {
  const out = execFileSync(cli, ['price', file, '--json', ...args, ...(singleThread ? ['--single-thread'] : [])], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return JSON.parse(out);
}

/** A plain-data copy (wasm returns plain objects; this drops undefined and normalises Maps). */
const plain = (value) => JSON.parse(JSON.stringify(value, (_, v) => (v instanceof Map ? Object.fromEntries(v) : v)));

// The same pricing spelled both ways: JS options and command-line flags.
const WHAT_IF = {
  js: { format: 'auto', currency: 'USD', timezone: 'UTC', whatIf: { date: '2026-10-01', shift: 'months' } },
  cli: ['--format', 'auto', '--currency', 'USD', '--timezone', 'UTC', '--date', '2026-10-01', '--shift', 'months'],
};
const AS_LOGGED = {
  js: { format: 'auto', currency: 'USD', timezone: 'Asia/Kolkata' },
  cli: ['--format', 'auto', '--currency', 'USD', '--timezone', 'Asia/Kolkata'],
};

/**
 * A CSV log of `n` events of `users` customers over September 2026, in order of time, from a
 * seeded generator: many customers (their slots loaded in groups), records crossing every chunk
 * boundary, a few malformed lines, spaces in some fields (the trimming path) and CRLF ends.
 */
function generate(file, n, users, seed) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x;
  };
  const start = Date.UTC(2026, 8, 1) / 1000;
  const prefixes = ['+9198', '+5511', '+6281', '+2010', '+1650', '+7701'];
  const lines = ['at,user,kind,category,referral,from,status'];
  for (let i = 0; i < n; i++) {
    const sec = start + Math.floor((i * 30 * 86400) / n);
    const at = new Date(sec * 1000).toISOString().replace('.000Z', 'Z');
    const u = next() % users;
    const r = next() % 100;
    const [kind, category, referral] =
      r < 25 ? ['inbound', '', next() % 40 === 0 ? 'ctwa' : ''] :
      r < 45 ? ['message', '', ''] :
      r < 55 ? ['template', 'marketing', ''] :
      r < 75 ? ['template', 'utility', ''] :
      r < 85 ? ['template', 'authentication', ''] :
      ['reaction', '', ''];
    const status = kind !== 'inbound' && next() % 30 === 0 ? 'failed' : '';
    const user = `${prefixes[u % prefixes.length]}${String(u).padStart(8, '0')}`;
    let line = `${at},${user},${kind},${category},${referral},,${status}`;
    const q = next() % 1000;
    if (q === 0) line = `${at},not-a-number,${kind},${category},,,`;
    else if (q === 1) line = ` ${at} , ${user} ,${kind},${category},${referral},,${status}`;
    lines.push(line + (q === 2 ? '\r' : ''));
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

describe('the wasm log pricer reports what the native command line does', () => {
  for (const name of ['events.csv', 'events.jsonl', 'webhooks.json', 'webhooks.jsonl', 'broken.csv']) {
    for (const [label, how] of [['as logged', AS_LOGGED], ['with a what-if at 2026-10-01', WHAT_IF]]) {
      test(`${name}, ${label}`, () => {
        const file = path.join(fixtures, name);
        const native = nativeReport(file, how.cli);
        for (const size of [7, 777, 1 << 20]) {
          assert.deepEqual(plain(wasmReport(file, how.js, size)), native, `${name} in chunks of ${size} bytes`);
          assert.deepEqual(plain(tapedReport(file, how.js, size)), native, `${name} read into tapes of ${size} bytes`);
        }
      });
    }
  }

  test('a generated CSV log of 60,000 events of 5,000 customers, on one thread and on two', { timeout: 300_000 }, () => {
    const file = path.join(tmp, 'generated.csv');
    generate(file, 60_000, 5_000, 2_463_534_242);
    for (const how of [AS_LOGGED, WHAT_IF]) {
      const native = nativeReport(file, how.cli);
      assert.deepEqual(nativeReport(file, how.cli, true), native, 'the command line on one thread');
      assert.ok(native.input.records > 59_000 && native.input.errors > 0, 'the log has events and malformed lines');
      for (const size of [4093, 1 << 22]) {
        assert.deepEqual(plain(wasmReport(file, how.js, size)), native, `chunks of ${size} bytes`);
        assert.deepEqual(plain(tapedReport(file, how.js, size)), native, `tapes of ${size} bytes`);
      }
    }
  });
});

describe('tapes of a reader in another instance', () => {
  const csv = () => fs.readFileSync(path.join(fixtures, 'events.csv'));

  test('a malformed line with onError: fail throws from replay what push throws', () => {
    const bytes = fs.readFileSync(path.join(fixtures, 'broken.csv'));
    const options = { format: 'csv', onError: 'fail' };
    const pushed = (() => {
      const p = engine.logPricer(options);
      try { p.push(bytes); return null; } catch (e) { return e; } finally { p.free(); }
    })();
    assert.ok(pushed instanceof Error, 'push throws');
    assert.deepEqual([pushed.path, pushed.source, pushed.line, 'column' in pushed], ['at', 'log', 2, false],
      'the field at fault and the line as fields');
    const reader = readerEngine.logReader(options);
    const pricer = engine.logPricer(options);
    const tape = reader.push(bytes);
    assert.ok(tape instanceof Uint8Array && tape.length > 0, 'a tape is a Uint8Array');
    assert.throws(() => pricer.replay(tape), (e) => e instanceof Error && e.code === pushed.code &&
      e.path === pushed.path && e.message === pushed.message && e.line === pushed.line && e.source === 'log' &&
      JSON.stringify(e.params) === JSON.stringify(pushed.params));
    // The pricer stays failed.
    assert.throws(() => pricer.finish(), (e) => e.path === pushed.path);
    reader.free();
    pricer.free();
  });

  test('a tape that is not a reader\'s, or a pricer fed both ways, is refused with code and path', () => {
    const reader = readerEngine.logReader({});
    const tape = reader.push(csv());
    const broken = engine.logPricer({});
    assert.throws(() => broken.replay(new Uint8Array([99, 1, 2])), (e) => e instanceof Error &&
      e.code === 'invalid_encoding' && e.path === 'tape' && /byte 0/.test(e.message) &&
      e.params.reason === 'log_tape_broken' && e.params.byte === 0);
    broken.free();
    const wrong = engine.logPricer({});
    assert.throws(() => wrong.replay('not bytes'), (e) => e.code === 'invalid_input' && e.path === 'tape' &&
      e.params.reason === 'log_tape_type');
    assert.throws(() => wrong.push(42), (e) => e.code === 'invalid_input' && e.path === 'chunk' &&
      e.params.reason === 'log_chunk_type');
    wrong.free();
    const mixed = engine.logPricer({});
    mixed.push(csv().subarray(0, 10));
    assert.throws(() => mixed.replay(tape), (e) => e.code === 'invalid_input' && /other kind of feed/.test(e.message) &&
      e.params.reason === 'log_feed_mixed' && e.params.method === 'replay');
    mixed.free();
    const early = engine.logPricer({});
    early.replay(tape);
    assert.throws(() => early.finish(), (e) => e.path === 'tape' && /was not replayed/.test(e.message));
    early.free();
    const ok = engine.logPricer({});
    ok.replay(tape);
    ok.replay(reader.finish());
    assert.equal(ok.progress().format, 'csv');
    assert.deepEqual(plain(ok.finish()), plain(wasmReport(path.join(fixtures, 'events.csv'), {}, 1 << 20)));
    ok.free();
    assert.throws(() => reader.push(csv()), (e) => e.code === 'invalid_input' && /reading is over/.test(e.message));
    reader.free();
  });
});

test('a log whose messages have no rate on the card is incomplete: unpriced lines, not 0', () => {
  // The data has no BRL rate for Egypt (data/PROVENANCE.md): the two templates are unpriced.
  const pricer = engine.logPricer({ currency: 'BRL' });
  try {
    pricer.push('at,user,kind,category\n2024-05-01T10:00:00Z,+201001234567,template,marketing\n2024-05-02T10:00:00Z,+201001234567,template,marketing\n');
    const r = pricer.finish();
    assert.equal(r.totals.complete, false);
    assert.deepEqual(r.totals.unpriced, [{ market: 'Egypt', category: 'marketing', messages: 2 }]);
    assert.equal(r.totals.amount, '0');
    assert.ok(r.warnings.some((w) => w.code === 'missing_rate'));
  } finally {
    pricer.free();
  }
  // The same log in USD is priced whole.
  const usd = engine.logPricer({ currency: 'USD' });
  try {
    usd.push('at,user,kind,category\n2024-05-01T10:00:00Z,+201001234567,template,marketing\n');
    const r = usd.finish();
    assert.deepEqual([r.totals.complete, r.totals.unpriced], [true, []]);
  } finally {
    usd.free();
  }
});
