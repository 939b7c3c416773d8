// The npm package (pkg/, made by scripts/build.sh from npm/): packed with `npm pack`, installed
// from the tarball into an empty temporary folder, and used from a Node script there through its
// exports: the Node entry (no fetch), the browser/bundler entry given the wasm bytes, the log
// package and the TypeScript types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initSync, Engine } from '../../pkg/waprice.js';

initSync({ module: readFileSync(new URL('../../pkg/waprice_bg.wasm', import.meta.url)) });

const pkg = fileURLToPath(new URL('../../pkg', import.meta.url));
const npm = (args, cwd) => execFileSync('npm', args, {
  cwd,
  encoding: 'utf8',
  env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' },
});

const script = `
import init, { Engine } from 'waprice';
import initLogs, { Engine as LogEngine } from 'waprice/logs';
import * as web from './node_modules/waprice/waprice.js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

await init();                          // a no-op in Node: the wasm was read on import
const engine = new Engine();
const scenario = {
  audience: { contacts: 50000, mix: [{ country: 'ID', share: 100 }] },
  journeys: [{ preset: 'otp_login' }],
  business: { date: '2026-10-01' },
};
const e = engine.estimate(scenario);

// The browser and bundler entry, given the bytes instead of fetching them.
const require = createRequire(import.meta.url);
web.initSync({ module: readFileSync(require.resolve('waprice/waprice_bg.wasm')) });
const w = new web.Engine().estimate(scenario);

await initLogs();
const pricer = new LogEngine().logPricer({ format: 'csv' });
pricer.push(new TextEncoder().encode('at,user,kind,category\\n2026-10-05T10:00:00Z,+6281234567890,template,authentication\\n'));
const log = pricer.finish();

console.log(JSON.stringify({ total: e.total, cards: e.cards, web: w.total, log: log.totals.amount }));
`;

test('npm pack, install the tarball into an empty folder, run a Node script against it', (t) => {
  assert.ok(existsSync(path.join(pkg, 'package.json')), 'pkg/package.json (run scripts/build.sh)');
  const dir = mkdtempSync(path.join(tmpdir(), 'waprice-npm-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], pkg));
  const files = packed[0].files.map((f) => f.path).sort();
  for (const f of ['package.json', 'node.js', 'waprice.js', 'waprice.d.ts', 'waprice_bg.wasm', 'logs/node.js',
    'logs/waprice.js', 'logs/waprice_bg.wasm', 'README.md']) {
    assert.ok(files.includes(f), `the tarball holds ${f}: ${files.join(', ')}`);
  }
  assert.ok(files.some((f) => f.startsWith('snippets/') && f.endsWith('pack.js')), 'the binding snippet');

  const app = path.join(dir, 'app');
  execFileSync('mkdir', [app]);
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  npm(['install', '--no-package-lock', '--ignore-scripts', '--offline', path.join(dir, packed[0].filename)], app);
  writeFileSync(path.join(app, 'main.mjs'), script);
  const out = JSON.parse(execFileSync(process.execPath, ['main.mjs'], { cwd: app, encoding: 'utf8' }));
  // 50,000 authentication templates to Indonesia under the 2026-10-01 USD card, as the built pkg/
  // prices them here.
  const want = new Engine().estimate({
    audience: { contacts: 50000, mix: [{ country: 'ID', share: 100 }] },
    journeys: [{ preset: 'otp_login' }],
    business: { date: '2026-10-01' },
  });
  assert.ok(Number(want.total) > 0);
  assert.equal(out.total, want.total);
  assert.equal(out.cards[0].date, '2026-10-01');
  assert.equal(out.cards[0].pricingModel, 'PMP');
  assert.equal(out.web, out.total, 'the browser entry computes the same');
  assert.match(out.log, /^\d+(\.\d+)?$/);

  // The exports name the types for TypeScript and an entry for Node and for the rest.
  const manifest = JSON.parse(readFileSync(path.join(app, 'node_modules/waprice/package.json'), 'utf8'));
  assert.deepEqual(Object.keys(manifest.exports['.']), ['types', 'node', 'default']);
  assert.ok(readFileSync(path.join(app, 'node_modules/waprice', manifest.exports['.'].types), 'utf8').includes('interface Scenario'));
  assert.equal(manifest.version, readFileSync(new URL('../../Cargo.toml', import.meta.url), 'utf8').match(/^version = "(.*)"$/m)[1]);
});
