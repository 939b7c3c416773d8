// The log page's options in the link (www/logs/state.js), without a browser: a link's options are
// used, the page's defaults are not written, and a value the page cannot take is named with its
// option and value and replaced by the default.
// The defaults and choices are the engine's (`engine.schema().logOptions`): needs the log
// package built by `bash scripts/build.sh` (pkg/logs/, as the page loads it).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readHash, buildHash, engineOptions, useSchema, DEFAULTS, CHOICES } from '../../www/logs/state.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const logsDir = path.join(root, 'pkg', 'logs');

before(async () => {
  assert.ok(fs.existsSync(path.join(logsDir, 'waprice.js')), 'pkg/logs/ is missing: run `bash scripts/build.sh` first');
  const mod = await import(pathToFileURL(path.join(logsDir, 'waprice.js')).href);
  mod.initSync({ module: fs.readFileSync(path.join(logsDir, 'waprice_bg.wasm')) });
  useSchema(new mod.Engine().schema());
});

test("the page's defaults and choices are the engine's", () => {
  // The engine's defaults, and the page's own opening-state text (empty: none).
  assert.deepEqual(DEFAULTS, { format: 'auto', currency: 'USD', timezone: 'UTC', whatIf: '2026-10-01', shift: 'months', onError: 'skip', opening: '' });
  assert.deepEqual(CHOICES, { format: ['auto', 'csv', 'jsonl', 'webhook'], shift: ['months', 'none'], onError: ['skip', 'fail'] });
});

test('a link restores its options; the defaults are not written', () => {
  const { options, problems } = readHash('#currency=EUR&onError=fail&whatIf=');
  assert.deepEqual(problems, []);
  assert.deepEqual(options, { ...DEFAULTS, currency: 'EUR', onError: 'fail', whatIf: '' });
  assert.equal(buildHash(options), '#currency=EUR&whatIf=&onError=fail');
  assert.equal(buildHash(DEFAULTS), '');
});

test('values the page cannot take are reported and not used', () => {
  const { options, problems } = readHash('#format=xml&whatIf=2026-02-30&currency=EURO&colour=red&onError=fail');
  assert.deepEqual(options, { ...DEFAULTS, onError: 'fail' });
  assert.deepEqual(problems.map((p) => [p.code, p.path]), [
    ['invalid_option', 'link.colour'], ['invalid_option', 'link.format'], ['invalid_option', 'link.currency'], ['invalid_option', 'link.whatIf'],
  ]);
  assert.equal(problems[1].why.vars.value, '"xml"');
  assert.equal(problems[3].why.vars.why.key, 'log.link.date', '30 February is not a date');
});

test('the engine gets a what-if only with a date moved by months, or instants kept', () => {
  assert.deepEqual(engineOptions(DEFAULTS).whatIf, { date: '2026-10-01', shift: 'months' });
  assert.equal(engineOptions({ ...DEFAULTS, whatIf: '' }).whatIf, undefined);
  assert.deepEqual(engineOptions({ ...DEFAULTS, shift: 'none' }).whatIf, { shift: 'none' });
  assert.equal(engineOptions({ ...DEFAULTS, currency: '  ', timezone: '' }).currency, 'USD');
});
