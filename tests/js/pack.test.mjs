// The fast path of `simulate` (src/wasm/pack.js: events read into columns, not JSON text) says
// exactly what the JSON path says: for every input here, `simulate(object)` and
// `simulate(JSON.stringify(object))` (text always takes the JSON path) give the same result, or
// the same error code, path and message.
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

const outcome = (input) => {
  try {
    return { ok: engine.simulate(input) };
  } catch (e) {
    return { error: { name: e.name, code: e.code, path: e.path, message: e.message } };
  }
};

/** Asserts that the object and its JSON text give the same outcome; returns it. */
function same(input, label) {
  const viaColumns = outcome(input);
  let text;
  try {
    text = JSON.stringify(input);
  } catch {
    return viaColumns; // not JSON at all (a cycle, a BigInt): only the object form exists
  }
  assert.deepEqual(viaColumns, outcome(text ?? 'null'), label);
  return viaColumns;
}

const base = (events, extra = {}) => ({ currency: 'USD', timezone: 'UTC', ...extra, events });
const ev = (fields) => ({ at: '2026-10-05T10:00:00Z', user: '+919800000001', kind: 'template', category: 'marketing', ...fields });

test('a realistic timeline prices the same through the columns and through JSON text', () => {
  const events = [];
  const kinds = ['inbound', 'message', 'reaction', 'template'];
  const cats = ['marketing', 'utility', 'authentication'];
  let t = Date.UTC(2026, 8, 20); // across the 2026-10-01 rules
  for (let i = 0; i < 3000; i++) {
    t += ((i * 7919) % 97) * 60_000;
    const kind = kinds[(i * 31) % 4];
    const e = { at: i % 5 === 0 ? t : new Date(t).toISOString(), user: `+${[91, 55, 62, 20, 1][i % 5]}98${String(i % 211).padStart(8, '0')}`, kind };
    if (kind === 'template') e.category = cats[i % 3];
    if (kind !== 'inbound') e.from = i % 2 ? '+15550001111' : '+15550002222';
    if (kind === 'inbound' && i % 13 === 0) e.referral = 'ctwa';
    if (i % 17 === 0 && kind !== 'inbound') e.status = ['failed', 'sent', 'delivered', 'read'][i % 4];
    if (i % 19 === 0 && kind !== 'inbound') e.status = null;
    events.push(e);
  }
  const r = same(base(events, { options: { messages: 'all' } }), 'timeline');
  assert.ok(r.ok, JSON.stringify(r.error));
  assert.ok(r.ok.messages.length > 1000);
});

test('instants: every shape of text and number gives what the JSON path gives', () => {
  const ats = [
    '2026-10-05T10:00:00Z', '2026-10-05T10:00:00.123Z', '2026-10-05T10:00:00.5Z', '2026-10-05T10:00:00+02:00',
    '2026-10-05t10:00:00z', ' 2026-10-05T10:00:00Z ', '2026-10-05T10:00:60Z', '2016-12-31T23:59:60Z', '2026-02-29T10:00:00Z',
    '2024-02-29T10:00:00Z', '2026-13-05T10:00:00Z', '2026-10-05T24:00:00Z', '1899-12-31T23:59:59Z', '0099-10-05T10:00:00Z',
    '9999-12-31T23:59:59.999Z', '2026-10-05', 'soon', '', '２０２６-10-05T10:00:00Z', 1_790_000_000_000, 1_790_000_000_000.5,
    -0, 0, 1e300, -2_208_988_800_001, null, undefined,
  ];
  for (const at of ats) same(base([ev({ at })]), `at ${String(at)}`);
});

test('fields of other types, unknown keys and odd objects take the JSON path with its errors', () => {
  class Event { constructor() { Object.assign(this, ev({})); } }
  const proto = Object.assign(Object.create(null), ev({}));
  const withGetter = ev({});
  Object.defineProperty(withGetter, 'kind', { get: () => 'message', enumerable: true });
  const cases = {
    'unknown key': ev({ statu: 'failed' }),
    'undefined value': ev({ from: undefined }),
    'null values': ev({ category: null, from: null, status: null, referral: null }),
    'number user': ev({ user: 919800000001 }),
    'user of 7 digits': ev({ user: '+1234567' }),
    'user of 15 digits': ev({ user: '+999999999999999' }),
    'user of 6 digits': ev({ user: '+123456' }),
    'user of 16 digits': ev({ user: '+1234567890123456' }),
    'user with a leading 0': ev({ user: '+0919800000001' }),
    'user without +': ev({ user: '919800000001' }),
    'user +': ev({ user: '+' }),
    'user with a space': ev({ user: ' +919800000001' }),
    'user with a letter': ev({ user: '+9198000000O1' }),
    'user with an Arabic-Indic digit': ev({ user: '+91980000000\u0661' }),
    'user with an exponent': ev({ user: '+10000e2' }),
    'boolean referral': ev({ kind: 'inbound', referral: true }),
    'array kind': ev({ kind: ['template'] }),
    'NUL in user': ev({ user: '+9198\u000000001' }),
    'lone surrogate': ev({ user: '+9198\ud800' }),
    'replacement character': ev({ user: '+9198\ufffd' }),
    'Date instant': ev({ at: new Date('2026-10-05T10:00:00Z') }),
    'toJSON': { ...ev({}), toJSON: () => ev({ kind: 'message' }) },
    'class instance': new Event(),
    'null prototype': proto,
    'getter': withGetter,
    'symbol key': { ...ev({}), [Symbol('x')]: 1 },
    'function value': ev({ from: () => 1 }),
    'array event': [ev({})],
    'null event': null,
    'string event': 'event',
  };
  for (const [label, e] of Object.entries(cases)) same(base([ev({}), e, ev({ kind: 'reaction' })]), label);
  same(base([ev({}), , ev({})]), 'sparse array');
  same({ ...base([ev({})]), currenccy: 'USD' }, 'unknown key in the request');
  same(base([ev({ user: 'nobody' }), ev({ kind: 'nothing' })]), 'the first bad event is the one reported');
  same(base('not a list'), 'events not a list');
  same(base([ev({})], { options: { messages: 'some' } }), 'bad option beside good events');
  same(base([]), 'no events');
  same({ events: [ev({})], __proto__: { currency: 'EUR' } }, 'inherited field');
});

test('keys and toJSON added to Object.prototype are seen as JSON.stringify sees them', async () => {
  const { packRequest } = await import(pathToFileURL(path.join(root, 'src', 'wasm', 'pack.js')).href);
  const memory = new WebAssembly.Memory({ initial: 1 });
  const input = base([ev({}), ev({ kind: 'reaction' }), Object.assign(Object.create(null), ev({}))]);
  assert.ok(packRequest(input, input.events, memory, 0, 512, 1024), 'packed as it is');
  const added = [
    ['an enumerable key', () => { Object.prototype.extra = 'x'; }, () => { delete Object.prototype.extra; }],
    ['a toJSON', () => { Object.prototype.toJSON = function () { return { at: 1, user: '+919800000001', kind: 'inbound' }; }; },
      () => { delete Object.prototype.toJSON; }],
  ];
  for (const [label, add, remove] of added) {
    add();
    try {
      assert.equal(packRequest(input, input.events, memory, 0, 512, 1024), null, label);
      same(input, `Object.prototype with ${label}`);
    } finally {
      remove();
    }
  }
  assert.ok(packRequest(input, input.events, memory, 0, 512, 1024), 'packed again once removed');
  same({ ...base([ev({}), ev({ toJSON: () => ({ at: 1 }) })]) }, 'own toJSON on an event');
});

test('a request whose head cannot be JSON still gives a coded error', () => {
  const cyclic = base([ev({})]);
  cyclic.business = { self: cyclic };
  const r = outcome(cyclic);
  assert.equal(r.error?.code, 'invalid_input', JSON.stringify(r));
  const big = outcome(base([ev({})], { options: { serviceAllowance: 10n } }));
  assert.equal(big.error?.code, 'invalid_input', JSON.stringify(big));
});

test('the JavaScript half packs clean requests and refuses the others', async () => {
  const { packRequest } = await import(pathToFileURL(path.join(root, 'src', 'wasm', 'pack.js')).href);
  const memory = new WebAssembly.Memory({ initial: 1 });
  const pack = (input) => packRequest(input, input.events, memory, 0, 512, 1024);
  const events = [
    ev({}),
    { at: 1_790_000_000_000, user: '+919800000001', kind: 'inbound', referral: 'ctwa' },
    ev({ at: '2026-10-05T10:00:00+02:00', status: null, from: '+15550001111' }),
    ev({ user: '+0919800000001' }),
  ];
  const p = pack(base(events));
  assert.ok(p, 'a clean request is packed');
  const at = new Float64Array(memory.buffer, 0, 4);
  const users = new Float64Array(memory.buffer, 512, 4);
  const ids = new Uint32Array(memory.buffer, 1024, 28);
  assert.deepEqual([...at.slice(0, 2)], [Date.UTC(2026, 9, 5, 10), 1_790_000_000_000]);
  assert.ok(Number.isNaN(at[2]), 'other text crosses as text');
  assert.deepEqual([...users.slice(0, 3)], [919800000001, 919800000001, 919800000001], 'E.164 numbers cross as digits');
  assert.ok(Number.isNaN(users[3]), 'any other customer crosses as text');
  const table = new TextDecoder().decode(p.text).split('\0');
  assert.equal(table.length, p.count);
  const str = (id) => (id === 0 ? undefined : table[id - 1]);
  assert.deepEqual([...ids.slice(0, 7)].map(str), [undefined, undefined, 'template', 'marketing', undefined, undefined, undefined]);
  assert.deepEqual([...ids.slice(7, 14)].map(str), [undefined, undefined, 'inbound', undefined, 'ctwa', undefined, undefined]);
  assert.deepEqual([...ids.slice(14, 21)].map(str), ['2026-10-05T10:00:00+02:00', undefined, 'template', 'marketing', undefined, '+15550001111', undefined]);
  assert.deepEqual([...ids.slice(21, 28)].map(str), [undefined, '+0919800000001', 'template', 'marketing', undefined, undefined, undefined]);
  assert.deepEqual(JSON.parse(p.head), { currency: 'USD', timezone: 'UTC' });
  for (const odd of [ev({ statu: 'x' }), ev({ from: undefined }), ev({ user: 1 }), ev({ at: new Date() }), [ev({})], null]) {
    assert.equal(pack(base([ev({}), odd])), null, JSON.stringify(odd));
  }
  assert.equal(pack('text'), null);
});
