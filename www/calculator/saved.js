// Saved quotes and the quote opened beside the draft, in localStorage. Plain functions over a
// `Storage`-like object (getItem/setItem/removeItem), so they run in Node too (tests/js/saved.test.mjs).
//
// - `waprice.quotes.v1`: `{ version: 1, quotes: [entry…] }`, the user's list of saved quotes. An
//   entry is `{ key, number, customer, seller, reference, issued, total, currency, savedAt,
//   scenario, quoteMeta }`; `number` is the engine's quote id (a hash of what the resolved quote says,
//   so the same content always has the same number) and `key` tells two copies apart.
// - `waprice.side.v1`: the scenario opened beside the draft (from a share link or a saved quote),
//   with the user's edits to it, until it is saved or discarded. The draft (`waprice.draft.v1`,
//   store.js) is never written while it is open.
//
// A list that cannot be read (not JSON, not the expected shape, or written by a newer version) is
// never dropped nor overwritten: `readSaved` reports it with its raw text, writes are refused, and
// only `setAsideSaved` (the user's explicit choice) moves the raw text to a backup key and starts
// an empty list. An entry that cannot be read is kept in the list as it is and counted.

export const SAVED_KEY = 'waprice.quotes.v1';
export const SAVED_VERSION = 1;
export const SIDE_KEY = 'waprice.side.v1';
export const BACKUP_PREFIX = `${SAVED_KEY}.unreadable.`;

/** Whether a stored entry has what the list shows and what reopening needs. */
export function entryOk(e) {
  return Boolean(e) && typeof e === 'object' && !Array.isArray(e)
    && typeof e.key === 'string' && typeof e.number === 'string'
    && typeof e.total === 'string' && typeof e.currency === 'string'
    && e.scenario !== null && typeof e.scenario === 'object' && !Array.isArray(e.scenario);
}

function corrupt(code, raw, params, message) {
  return { ok: false, quotes: [], unreadable: 0, raw, error: { code, params, message } };
}

/**
 * The saved list: `{ ok: true, quotes, unreadable }` (every stored element in `quotes`, readable or
 * not; `unreadable` counts those `entryOk` rejects), or `{ ok: false, raw, error: { code, params,
 * message } }` when the stored text cannot be used as a list.
 */
export function readSaved(storage) {
  let raw;
  try {
    raw = storage.getItem(SAVED_KEY);
  } catch (err) {
    return corrupt('saved_quotes_unavailable', null, { key: SAVED_KEY }, `the browser's storage cannot be read: ${err?.message ?? err}`);
  }
  if (raw === null || raw === undefined) return { ok: true, quotes: [], unreadable: 0, raw: null, error: null };
  let data;
  try {
    data = JSON.parse(raw);
  } catch (err) {
    return corrupt('saved_quotes_corrupt', raw, { key: SAVED_KEY }, `${SAVED_KEY} is not valid json: ${String(err.message).toLowerCase()}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return corrupt('saved_quotes_corrupt', raw, { key: SAVED_KEY }, `${SAVED_KEY} is not an object`);
  }
  if (data.version !== SAVED_VERSION) {
    const newer = Number.isInteger(data.version) && data.version > SAVED_VERSION;
    return corrupt(newer ? 'saved_quotes_newer' : 'saved_quotes_corrupt', raw, { key: SAVED_KEY, version: String(data.version) },
      `${SAVED_KEY} has version ${JSON.stringify(data.version)}; this page reads version ${SAVED_VERSION}`);
  }
  if (!Array.isArray(data.quotes)) {
    return corrupt('saved_quotes_corrupt', raw, { key: SAVED_KEY }, `${SAVED_KEY}.quotes is not a list`);
  }
  return { ok: true, quotes: data.quotes, unreadable: data.quotes.filter((e) => !entryOk(e)).length, raw, error: null };
}

/**
 * Change the list with `fn(quotes) → quotes` and store it. Refused (returns the read error) when
 * the stored list cannot be read, so that nothing the user had is overwritten.
 */
export function updateSaved(storage, fn) {
  const cur = readSaved(storage);
  if (!cur.ok) return cur;
  const quotes = fn(cur.quotes.slice());
  try {
    storage.setItem(SAVED_KEY, JSON.stringify({ version: SAVED_VERSION, quotes }));
  } catch (err) {
    return { ...cur, ok: false, error: { code: 'saved_quotes_full', params: { key: SAVED_KEY }, message: `the quote could not be stored: ${err?.message ?? err}` } };
  }
  return readSaved(storage);
}

/** Move an unreadable list's raw text to a backup key (returned) and start an empty list. */
export function setAsideSaved(storage, now = Date.now()) {
  const raw = storage.getItem(SAVED_KEY);
  if (raw === null) return null;
  let backup = `${BACKUP_PREFIX}${now}`;
  for (let i = 1; storage.getItem(backup) !== null; i++) backup = `${BACKUP_PREFIX}${now}-${i}`;
  storage.setItem(backup, raw);
  storage.setItem(SAVED_KEY, JSON.stringify({ version: SAVED_VERSION, quotes: [] }));
  return backup;
}

/** A fresh key for an entry (unique in `quotes`). */
export function newKey(quotes, now = Date.now()) {
  const used = new Set(quotes.map((e) => e?.key));
  let key = `k${now.toString(36)}`;
  for (let i = 1; used.has(key); i++) key = `k${now.toString(36)}-${i}`;
  return key;
}

/** An entry from the engine's quote and what the quote was made from. */
export function entryFrom(quote, scenario, quoteMeta, { key, savedAt }) {
  return {
    key,
    number: quote.id,
    customer: quote.customer ?? '',
    seller: quote.seller ?? '',
    reference: quote.reference ?? '',
    issued: quote.issued,
    total: quote.total,
    currency: quote.currency,
    savedAt,
    scenario: structuredClone(scenario),
    quoteMeta: structuredClone(quoteMeta),
  };
}

/**
 * Save: replace the entry `key` if given and present, else the entry with the same number (the
 * same content is one quote), else add it first. Returns `[quotes, key]`.
 */
export function putEntry(quotes, entry) {
  const at = quotes.findIndex((e) => e?.key === entry.key);
  const same = at >= 0 ? at : quotes.findIndex((e) => entryOk(e) && e.number === entry.number);
  if (same >= 0) {
    const out = quotes.slice();
    out[same] = { ...entry, key: quotes[same].key };
    return [out, quotes[same].key];
  }
  return [[entry, ...quotes], entry.key];
}

/** A copy of entry `key` right after it, with a new key (same content, so the same number). */
export function duplicateEntry(quotes, key, { newKey: k, savedAt }) {
  const at = quotes.findIndex((e) => e?.key === key);
  if (at < 0 || !entryOk(quotes[at])) return quotes;
  const copy = { ...structuredClone(quotes[at]), key: k, savedAt };
  return [...quotes.slice(0, at + 1), copy, ...quotes.slice(at + 1)];
}

export function deleteEntry(quotes, key) {
  return quotes.filter((e) => e?.key !== key);
}

// ------------------------------------------------------------------ the side workspace

/** The scenario open beside the draft, or null (an unreadable one is kept and reported). */
export function readSide(storage) {
  let raw = null;
  try {
    raw = storage.getItem(SIDE_KEY);
    if (raw === null) return null;
    const side = JSON.parse(raw);
    if (side && typeof side === 'object' && (side.origin === 'link' || side.origin === 'saved')
      && side.scenario && typeof side.scenario === 'object') return side;
  } catch {
    // fall through: reported below
  }
  return { origin: 'unreadable', raw };
}

export function writeSide(storage, side) {
  try {
    if (side) storage.setItem(SIDE_KEY, JSON.stringify(side));
    else storage.removeItem(SIDE_KEY);
    return true;
  } catch {
    return false;
  }
}
