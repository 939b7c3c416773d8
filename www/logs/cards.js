// The log page's rate-card files (Meta's own CSV or XLSX files the user dropped), kept in
// localStorage until removed. Plain functions over a `Storage`-like object (getItem, setItem,
// removeItem), so they run in Node too (tests/js/logcards.test.mjs).
//
// `waprice.logcards.v1`: `{ version: 1, files: [{ name, sha, text } | { name, sha, base64 }, with
// `date` and `currency` when the file states none] }`, in the order they were loaded (later files
// win, as in engine.loadRateCard).
//
// As with the saved quotes (calculator/saved.js), a store that cannot be read (not JSON, not the
// expected shape, an entry that is not a file, or written by a newer version) is never dropped
// nor overwritten: `readCards` reports it with its raw text, `writeCards` refuses, and only
// `setAsideCards` (the user's explicit choice) moves the raw text to a backup key.

export const CARDS_KEY = 'waprice.logcards.v1';
export const CARDS_VERSION = 1;
export const CARDS_BACKUP_PREFIX = `${CARDS_KEY}.unreadable.`;
/** Beyond this many characters the files are not kept (localStorage holds a few megabytes). */
export const MAX_STORED = 2_000_000;

/** Whether a stored entry is a file the card reader can be given. */
export function fileOk(f) {
  return Boolean(f) && typeof f === 'object' && !Array.isArray(f)
    && typeof f.name === 'string' && typeof f.sha === 'string' && /^[0-9a-f]{6,64}$/.test(f.sha)
    && (typeof f.text === 'string' || typeof f.base64 === 'string')
    && (f.date === undefined || typeof f.date === 'string')
    && (f.currency === undefined || typeof f.currency === 'string');
}

function unreadable(code, raw, params, message) {
  return { ok: false, files: [], raw, error: { code, params, message } };
}

/**
 * The stored files: `{ ok: true, files }`, or `{ ok: false, files: [], raw, error: { code,
 * params, message } }` when the stored text cannot be used.
 */
export function readCards(storage) {
  let raw;
  try {
    raw = storage.getItem(CARDS_KEY);
  } catch (err) {
    return unreadable('log_cards_unavailable', null, { key: CARDS_KEY }, `the browser's storage cannot be read: ${err?.message ?? err}`);
  }
  if (raw === null || raw === undefined) return { ok: true, files: [], raw: null, error: null };
  let data;
  try {
    data = JSON.parse(raw);
  } catch (err) {
    return unreadable('log_cards_corrupt', raw, { key: CARDS_KEY }, `${CARDS_KEY} is not valid json: ${String(err.message).toLowerCase()}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return unreadable('log_cards_corrupt', raw, { key: CARDS_KEY }, `${CARDS_KEY} is not an object`);
  }
  if (data.version !== CARDS_VERSION) {
    const newer = Number.isInteger(data.version) && data.version > CARDS_VERSION;
    return unreadable(newer ? 'log_cards_newer' : 'log_cards_corrupt', raw, { key: CARDS_KEY, version: String(data.version) },
      `${CARDS_KEY} has version ${JSON.stringify(data.version)}; this page reads version ${CARDS_VERSION}`);
  }
  if (!Array.isArray(data.files)) {
    return unreadable('log_cards_corrupt', raw, { key: CARDS_KEY }, `${CARDS_KEY}.files is not a list`);
  }
  const bad = data.files.findIndex((f) => !fileOk(f));
  if (bad >= 0) {
    return unreadable('log_cards_corrupt', raw, { key: CARDS_KEY, index: String(bad) }, `${CARDS_KEY}.files[${bad}] is not a rate-card file`);
  }
  return { ok: true, files: data.files, raw, error: null };
}

/**
 * Stores `files` (only the fields above). Returns `{ ok: true, saved }` (`saved: false` when they
 * are too large to keep or the storage refuses them), or the read error when the stored text
 * cannot be read: nothing the user had is overwritten.
 */
export function writeCards(storage, files) {
  const now = readCards(storage);
  if (!now.ok) return now;
  const keep = files.map(({ name, sha, text, base64, date, currency }) => ({ name, sha, text, base64, date, currency }));
  try {
    if (!keep.length) {
      storage.removeItem(CARDS_KEY);
      return { ok: true, saved: true };
    }
    const text = JSON.stringify({ version: CARDS_VERSION, files: keep });
    if (text.length > MAX_STORED) {
      storage.removeItem(CARDS_KEY);
      return { ok: true, saved: false };
    }
    storage.setItem(CARDS_KEY, text);
    return { ok: true, saved: true };
  } catch {
    return { ok: true, saved: false };
  }
}

/** Moves an unreadable store to a backup key (`…unreadable.<ms>`) and starts an empty one. */
export function setAsideCards(storage, now = Date.now()) {
  const raw = storage.getItem(CARDS_KEY);
  if (raw !== null && raw !== undefined) storage.setItem(`${CARDS_BACKUP_PREFIX}${now}`, raw);
  storage.removeItem(CARDS_KEY);
  return `${CARDS_BACKUP_PREFIX}${now}`;
}
