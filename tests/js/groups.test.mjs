// Group messages through pkg/ (docs/simulator.md "Group messages"; Meta's Groups API pricing page,
// updated 2025-10-22 and the copy of 2026-05-21): one verdict per participant at its market, with
// the index of the group message and Meta's group labels; the group's window opened for every
// participant by any writer; the 8-participant limit as a JS Error with code and path.
//   bash scripts/build.sh && node --test tests/js/groups.test.mjs
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let engine;

before(async () => {
  const mod = await import(pathToFileURL(path.join(root, 'pkg', 'waprice.js')).href);
  mod.initSync({ module: fs.readFileSync(path.join(root, 'pkg', 'waprice_bg.wasm')) });
  engine = new mod.Engine();
});

const IN = '+919812345678';
const DE = '+4915112345678';
const BR = '+5511987654321';

function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected an error');
}

test('a group message gives one verdict per participant, priced at its market', () => {
  // USD rates of data/rates_per_message.csv, card of 2025-10-01: India marketing 0.0107, Germany
  // 0.1365, Brazil 0.0625.
  const r = engine.simulate({ events: [
    { at: '2025-11-03T09:00:00Z', kind: 'template', category: 'marketing', group: 'G1',
      participants: [IN, DE], statuses: { [BR]: 'failed' } },
    { at: '2025-11-03T10:00:00Z', user: IN, kind: 'template', category: 'marketing' },
  ] });
  assert.deepEqual(r.messages.map((m) => [m.index, m.user, m.market, m.category, m.type, m.amount]), [
    [0, IN, 'India', 'group_marketing', 'regular', '0.0107'],
    [0, DE, 'Germany', 'group_marketing', 'regular', '0.1365'],
    [0, BR, 'Brazil', 'group_marketing', 'not_delivered', '0'],
    [1, IN, 'India', 'marketing', 'regular', '0.0107'],
  ]);
  assert.equal(r.totals.amount, '0.1579');
});

test('any writer opens the window of the whole group', () => {
  const r = engine.simulate({ events: [
    { at: '2026-03-02T09:00:00Z', user: DE, kind: 'inbound', group: 'G1' },
    { at: '2026-03-02T10:00:00Z', kind: 'message', group: 'G1', participants: [IN, DE, BR] },
  ] });
  assert.deepEqual(r.messages.map((m) => [m.user, m.category, m.type, m.charged]), [
    [IN, 'group_service', 'free_group_customer_service', false],
    [DE, 'group_service', 'free_group_customer_service', false],
    [BR, 'group_service', 'free_group_customer_service', false],
  ]);
  assert.deepEqual(r.windows.map((w) => [w.kind, w.index, w.user]).sort(),
    [['service', 0, DE], ['service', 0, BR], ['service', 0, IN]]);
});

test('group errors are JS Errors with code and path', () => {
  const nine = Array.from({ length: 9 }, (_, i) => `+9198123456${String(i).padStart(2, '0')}`);
  let e = thrown(() => engine.simulate({ events: [
    { at: '2026-03-02T09:00:00Z', kind: 'template', category: 'utility', group: 'G1', participants: nine },
  ] }));
  assert.ok(e instanceof Error);
  assert.equal(e.code, 'limit_exceeded');
  assert.equal(e.path, 'events[0].participants');
  e = thrown(() => engine.simulate({ events: [
    { at: '2026-03-02T09:00:00Z', kind: 'message', group: 'G1', participants: [IN, 'x123'] },
  ] }));
  assert.equal(e.code, 'invalid_phone');
  assert.equal(e.path, 'events[0].participants[1]');
  assert.match(e.message, /x123/);
  e = thrown(() => engine.simulate({ events: [
    { at: '2026-03-02T09:00:00Z', kind: 'message', group: 'G1', statuses: { [IN]: 'lost' } },
  ] }));
  assert.equal(e.code, 'invalid_status');
  assert.equal(e.path, `events[0].statuses.${IN}`);
  assert.match(e.message, /lost/);
});
