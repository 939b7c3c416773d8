// The calculator's saved quotes in localStorage (www/calculator/saved.js), without a browser: a
// list that cannot be read is reported with its raw text and never overwritten nor dropped; an
// unreadable entry is kept; saving the same content again is one quote; the quote number is the
// engine's hash of the canonical quote input (the same content in any key order, the same number).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { initSync, Engine } from '../../pkg/waprice.js';
import {
  SAVED_KEY, readSaved, updateSaved, setAsideSaved, putEntry, duplicateEntry, deleteEntry, entryFrom, newKey,
  readSide, writeSide, SIDE_KEY,
} from '../../www/calculator/saved.js';

initSync({ module: readFileSync(new URL('../../pkg/waprice_bg.wasm', import.meta.url)) });
const engine = new Engine();

/** A Storage-like map. */
function memoryStorage(initial = {}) {
  const m = new Map(Object.entries(initial));
  return {
    getItem: (k) => (m.has(k) ? m.get(k) : null),
    setItem: (k, v) => m.set(k, String(v)),
    removeItem: (k) => m.delete(k),
    keys: () => [...m.keys()],
  };
}

const scenario = {
  business: { date: '2026-10-01', phoneNumbers: 1 },
  audience: { contacts: 5000, mix: [{ country: 'IN', share: 100 }] },
  journeys: [{ preset: 'marketing_campaign', timesPerMonth: 2 }],
};
const meta = { seller: 'Acme', customer: 'Loja', issued: '2026-11-21', validDays: 30 };

function entry(key, q = engine.quote(structuredClone(scenario), meta)) {
  return entryFrom(q, scenario, meta, { key, savedAt: '2026-11-21T10:00:00.000Z' });
}

test('an empty browser has an empty list; saving adds, the same content is one quote', () => {
  const st = memoryStorage();
  assert.deepEqual(readSaved(st), { ok: true, quotes: [], unreadable: 0, raw: null, error: null });
  let res = updateSaved(st, (qs) => putEntry(qs, entry('a'))[0]);
  assert.equal(res.ok, true);
  assert.equal(res.quotes.length, 1);
  assert.equal(JSON.parse(st.getItem(SAVED_KEY)).version, 1);
  // Saved again under another key: the same number, so the same entry (its key kept).
  res = updateSaved(st, (qs) => putEntry(qs, entry('b'))[0]);
  assert.deepEqual(res.quotes.map((e) => e.key), ['a']);
  // Another customer is another quote.
  const other = entry('c', engine.quote(structuredClone(scenario), { ...meta, customer: 'Other' }));
  res = updateSaved(st, (qs) => putEntry(qs, other)[0]);
  assert.deepEqual(res.quotes.map((e) => e.customer), ['Other', 'Loja']);
  assert.notEqual(res.quotes[0].number, res.quotes[1].number);
});

test('duplicate keeps the content (and so the number) under a new key; delete removes one', () => {
  const a = entry('a');
  let qs = duplicateEntry([a], 'a', { newKey: newKey([a], 1), savedAt: 'x' });
  assert.equal(qs.length, 2);
  assert.notEqual(qs[1].key, 'a');
  assert.equal(qs[1].number, a.number);
  assert.deepEqual(qs[1].scenario, a.scenario);
  qs = deleteEntry(qs, 'a');
  assert.deepEqual(qs.map((e) => e.key), [qs[0].key]);
  assert.notEqual(qs[0].key, 'a');
});

for (const [what, raw, code] of [
  ['text that is not JSON', '{"version":1,"quotes":[{"key":', 'saved_quotes_corrupt'],
  ['a list instead of an object', '[1,2,3]', 'saved_quotes_corrupt'],
  ['quotes that are not a list', '{"version":1,"quotes":"none"}', 'saved_quotes_corrupt'],
  ['an unknown version', '{"quotes":[]}', 'saved_quotes_corrupt'],
  ['a newer version', '{"version":2,"quotes":[]}', 'saved_quotes_newer'],
]) {
  test(`a stored list with ${what} is reported, kept, and not overwritten`, () => {
    const st = memoryStorage({ [SAVED_KEY]: raw });
    const r = readSaved(st);
    assert.equal(r.ok, false);
    assert.equal(r.error.code, code);
    assert.equal(r.raw, raw, 'the raw text is handed back to be shown');
    assert.match(r.error.message, /waprice\.quotes\.v1/);
    assert.equal(r.error.message, r.error.message.toLowerCase(), 'messages are lowercase');
    const res = updateSaved(st, (qs) => putEntry(qs, entry('a'))[0]);
    assert.equal(res.ok, false, 'a write is refused');
    assert.equal(st.getItem(SAVED_KEY), raw, 'the stored text is untouched');
    // Only the user's choice sets it aside, and the text is kept under a backup key.
    const backup = setAsideSaved(st, 42);
    assert.equal(st.getItem(backup), raw);
    assert.equal(readSaved(st).ok, true);
    assert.equal(updateSaved(st, (qs) => putEntry(qs, entry('a'))[0]).quotes.length, 1);
    assert.equal(st.getItem(backup), raw);
    // A second set-aside in the same millisecond does not overwrite the first backup.
    st.setItem(SAVED_KEY, 'broken again');
    const backup2 = setAsideSaved(st, 42);
    assert.notEqual(backup2, backup);
    assert.equal(st.getItem(backup), raw);
    assert.equal(st.getItem(backup2), 'broken again');
  });
}

test('an entry that cannot be read is counted and kept through later writes', () => {
  const good = entry('a');
  const st = memoryStorage({ [SAVED_KEY]: JSON.stringify({ version: 1, quotes: [{ key: 'x', number: 7 }, good, 'junk'] }) });
  const r = readSaved(st);
  assert.equal(r.ok, true);
  assert.equal(r.unreadable, 2);
  const res = updateSaved(st, (qs) => deleteEntry(qs, 'a'));
  assert.deepEqual(res.quotes, [{ key: 'x', number: 7 }, 'junk']);
  assert.equal(res.unreadable, 2);
});

test('a storage that throws is reported, not a crash', () => {
  const st = { getItem() { throw new Error('denied'); }, setItem() { throw new Error('denied'); } };
  const r = readSaved(st);
  assert.equal(r.ok, false);
  assert.equal(r.error.code, 'saved_quotes_unavailable');
  const full = memoryStorage();
  full.setItem = () => { throw new Error('quota exceeded'); };
  const w = updateSaved(full, (qs) => putEntry(qs, entry('a'))[0]);
  assert.equal(w.ok, false);
  assert.equal(w.error.code, 'saved_quotes_full');
});

test('the side entry round-trips; an unreadable one is reported with its text', () => {
  const st = memoryStorage();
  assert.equal(readSide(st), null);
  writeSide(st, { origin: 'link', savedKey: null, hash: '#s=abc', scenario });
  assert.deepEqual(readSide(st).scenario, scenario);
  writeSide(st, null);
  assert.equal(st.getItem(SIDE_KEY), null);
  st.setItem(SIDE_KEY, '{oops');
  assert.deepEqual(readSide(st), { origin: 'unreadable', raw: '{oops' });
});

test('the quote number is a hash of the canonical quote input: key order and re-decoding do not change it', () => {
  const q1 = engine.quote(structuredClone(scenario), meta);
  const reordered = {
    journeys: [{ timesPerMonth: 2, preset: 'marketing_campaign' }],
    audience: { mix: [{ share: 100, country: 'IN' }], contacts: 5000 },
    business: { phoneNumbers: 1, date: '2026-10-01' },
  };
  const q2 = engine.quote(reordered, { validDays: 30, issued: '2026-11-21', customer: 'Loja', seller: 'Acme' });
  assert.match(q1.id, /^WQ-[0-9A-F]{16}$/);
  assert.equal(q2.id, q1.id);
  const back = engine.decodeQuote(q1.encoded);
  assert.equal(engine.quote(back.scenario, back.meta).id, q1.id);
  // Any change of content is another number.
  assert.notEqual(engine.quote(structuredClone(scenario), { ...meta, validDays: 31 }).id, q1.id);
  assert.notEqual(engine.quote({ ...structuredClone(scenario), audience: { contacts: 5001, mix: [{ country: 'IN', share: 100 }] } }, meta).id, q1.id);
});

test('the quote prints on Letter where that is the usual paper, else on A4', async () => {
  const { defaultPaper } = await import('../../www/calculator/store.js');
  assert.equal(defaultPaper(['en-US']), 'letter');
  assert.equal(defaultPaper(['es-MX', 'en']), 'letter');
  assert.equal(defaultPaper(['fr-CA']), 'letter');
  assert.equal(defaultPaper(['en-GB']), 'a4');
  assert.equal(defaultPaper(['zh-Hans-CN']), 'a4');
  assert.equal(defaultPaper(['ja']), 'a4');
  assert.equal(defaultPaper([]), 'a4');
});
