// The JavaScript half of the binding's fast path for `simulate`: the events of a request are read
// here, in the JavaScript engine, into columns (typed arrays and one string table) instead of being
// written out as JSON text, which for a million events costs more than pricing them.
//
// The columns say exactly what JSON.stringify would have said, or nothing: `packRequest` returns
// null as soon as an input holds anything they cannot say (an unknown key, a value of another
// type, a Date, a getter-made object with toJSON, a string with NUL or a lone surrogate...), and
// the binding then reads the input as JSON, which reports the error with its path.

// Fields of an event, in the order of their columns (`src/wasm/mod.rs` reads them in this order).
const WIDTH = 7; // at, user, kind, category, referral, from, status
// Field ids above any string index (a request holds at most 20 million events): null, and a value
// the columns cannot say. BAD is a power of two so that one OR of the ids tells if any is BAD.
const MISSING_NULL = 0x3fffffff;
const BAD = 0x40000000;

function plain(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && typeof value.toJSON !== 'function';
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The two digits at `i` and `i + 1` as a number, or 1000 (outside every range checked) if either is not a digit. */
function two(s, i) {
  const a = s.charCodeAt(i) - 48, b = s.charCodeAt(i + 1) - 48;
  return (a >>> 0) <= 9 && (b >>> 0) <= 9 ? a * 10 + b : 1000;
}

/**
 * Epoch milliseconds of `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.sssZ` (the shape
 * toISOString writes) from the year 1900, or NaN for any other text, which then crosses as text.
 * It accepts exactly what `parse_utc_instant` in `src/time.rs` accepts, with the same result.
 * (Integer arithmetic only: every quantity is a small non-negative integer.)
 */
function utcMillis(s) {
  const n = s.length;
  let ms = 0;
  if (n === 24) {
    if (s.charCodeAt(19) !== 46) return NaN; // '.'
    const a = s.charCodeAt(20) - 48, b = s.charCodeAt(21) - 48, c = s.charCodeAt(22) - 48;
    if ((a >>> 0) > 9 || (b >>> 0) > 9 || (c >>> 0) > 9) return NaN;
    ms = a * 100 + b * 10 + c;
  } else if (n !== 20) {
    return NaN;
  }
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 ||
      s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(n - 1) !== 90) {
    return NaN; // '-', '-', 'T', ':', ':', 'Z'
  }
  const y = two(s, 0) * 100 + two(s, 2);
  const mo = two(s, 5), d = two(s, 8), h = two(s, 11), mi = two(s, 14), sec = two(s, 17);
  if (!(y >= 1900 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && h <= 23 && mi <= 59 && sec <= 59)) {
    return NaN;
  }
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (mo === 2 && leap ? 29 : DAYS[mo - 1])) return NaN;
  // Days from 1970-01-01 to the date (proleptic Gregorian calendar, civil-from-days inverted);
  // yy >= 1899, so `| 0` truncates non-negative quotients, as Math.floor would.
  const yy = mo <= 2 ? y - 1 : y;
  const era = (yy / 400) | 0;
  const yoe = yy - era * 400;
  const doy = (((153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5) | 0) + d - 1;
  const doe = yoe * 365 + ((yoe / 4) | 0) - ((yoe / 100) | 0) + doy;
  const days = era * 146097 + doe - 719468;
  return ((days * 24 + h) * 60 + mi) * 60000 + sec * 1000 + ms;
}

/**
 * The digits of a strict E.164 number (`+`, then 7 to 15 digits, the first not 0: what
 * `Phone::parse` in `src/markets.rs` accepts) as a number, exact below 2^53; NaN for any other text.
 */
function phoneValue(s) {
  const n = s.length;
  if (n < 8 || n > 16 || s.charCodeAt(0) !== 43) return NaN; // '+'
  let v = s.charCodeAt(1) - 48;
  if (v < 1 || v > 9) return NaN;
  for (let i = 2; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if ((c >>> 0) > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/**
 * The string table of a request: every distinct string of the events gets one entry, found
 * again through `seen`; the fields with few distinct values (kind, category, referral, from,
 * status) first look in a short list of their own (a few `===`, cheaper than hashing the string).
 */
class Strings {
  constructor() {
    this.list = [];
    this.seen = new Map();
    this.recent = [[], [], [], [], [], [], []]; // per column: [string, id, string, id...]
  }

  /** 1 + the index of `s` in the table, added if new. */
  intern(s) {
    let k = this.seen.get(s);
    if (k === undefined) {
      this.list.push(s);
      k = this.list.length;
      this.seen.set(s, k);
    }
    return k;
  }

  /**
   * The id of the value `v` of column `f` (other than `at`): 1 + the index of its string in the
   * table, 0 when undefined (missing), MISSING_NULL when null (missing too, but a key), BAD for
   * anything JSON would not write as a string or null.
   */
  id(f, v) {
    if (typeof v === 'string') {
      const r = this.recent[f];
      for (let j = 0; j < r.length; j += 2) if (r[j] === v) return r[j + 1];
      const k = this.intern(v);
      if (r.length < 16) r.push(v, k);
      return k;
    }
    if (v === undefined) return 0;
    return v === null ? MISSING_NULL : BAD;
  }
}

/**
 * Packs the events of a simulate request into columns that the caller allocated in the wasm
 * memory (no JavaScript allocation of their size, no copy): `{ head, text, count }`, or null.
 * - `at` (Float64Array view of `n` entries at `atPtr`): per event the instant in epoch
 *   milliseconds (given so, or read here from the common UTC text), or NaN when it is other text
 *   or missing;
 * - `users` (Float64Array view of `n` entries at `usersPtr`): per event the digits of the
 *   customer's number when it is a strict E.164 number (most are), else NaN and the number, or
 *   what stands in its place, is in `ids`;
 * - `ids` (Uint32Array view of `n * WIDTH` entries at `idsPtr`): 0 when the field is missing (or,
 *   for `user`, given in `users`), else 1 + the index of its string in the table;
 * - `head`: the JSON text of the request without its events;
 * - `text`: the table's `count` strings joined by NUL, as UTF-8 bytes (TextEncoder). A string
 *   holding a NUL, or a lone surrogate (which TextEncoder replaces by U+FFFD), is found on the
 *   Rust side by the count of entries or by U+FFFD, and the request is then read as JSON.
 * `events` is `input.events`, read once by the caller (its length sized the columns).
 */
export function packRequest(input, events, memory, atPtr, usersPtr, idsPtr) {
  try {
    return pack(input, events, memory, atPtr, usersPtr, idsPtr);
  } catch {
    return null; // a throwing getter, a cycle or a BigInt in the head: the JSON path reports it
  }
}

function pack(input, events, memory, atPtr, usersPtr, idsPtr) {
  if (!plain(input) || !Array.isArray(events)) return null;
  // An enumerable key or a toJSON added to Object.prototype changes what JSON.stringify writes
  // for every event: left to the JSON path, so that the loop below need not look for them.
  if (typeof Object.prototype.toJSON === 'function') return null;
  for (const k in Object.prototype) return null; // eslint-disable-line no-unused-vars
  const head = Object.create(null);
  for (const key of Object.keys(input)) if (key !== 'events') head[key] = input[key];
  const n = events.length;
  const at = new Float64Array(memory.buffer, atPtr, n);
  const users = new Float64Array(memory.buffer, usersPtr, n);
  const ids = new Uint32Array(memory.buffer, idsPtr, n * WIDTH);
  const strings = new Strings();
  for (let i = 0; i < n; i++) {
    const e = events[i];
    // plain(e), cheaper: what Object.prototype could add was checked above.
    if (e === null || typeof e !== 'object') return null;
    const proto = Object.getPrototypeOf(e);
    if (proto !== Object.prototype && proto !== null) return null;
    const base = i * WIDTH;
    let present = 0;
    // at: epoch milliseconds, or text (each instant its own entry: they rarely repeat).
    const a = e.at;
    if (typeof a === 'number') {
      if (!Number.isFinite(a)) return null;
      at[i] = a === 0 ? 0 : a; // JSON has no -0
      present++;
    } else {
      const ms = typeof a === 'string' ? utcMillis(a) : NaN;
      at[i] = ms;
      if (ms === ms) {
        present++;
      } else if (typeof a === 'string') {
        strings.list.push(a);
        ids[base] = strings.list.length;
        present++;
      } else if (a === null) {
        present++;
      } else if (a !== undefined) {
        return null;
      }
    }
    // user: its digits, or its string (interned: a customer has many events).
    const u = e.user;
    const digits = typeof u === 'string' ? phoneValue(u) : NaN;
    users[i] = digits;
    let f1 = 0;
    if (digits === digits) {
      present++;
    } else {
      f1 = strings.id(1, u);
      if (f1 >= BAD) return null;
      if (f1 !== 0) present++;
      if (f1 === MISSING_NULL) f1 = 0;
    }
    ids[base + 1] = f1;
    // The other string fields: kind, category, referral, from, status.
    const f2 = strings.id(2, e.kind), f3 = strings.id(3, e.category);
    const f4 = strings.id(4, e.referral), f5 = strings.id(5, e.from);
    const f6 = strings.id(6, e.status);
    if ((f2 | f3 | f4 | f5 | f6) >= BAD) return null;
    ids[base + 2] = f2 < MISSING_NULL ? f2 : 0;
    ids[base + 3] = f3 < MISSING_NULL ? f3 : 0;
    ids[base + 4] = f4 < MISSING_NULL ? f4 : 0;
    ids[base + 5] = f5 < MISSING_NULL ? f5 : 0;
    ids[base + 6] = f6 < MISSING_NULL ? f6 : 0;
    present += (f2 !== 0) + (f3 !== 0) + (f4 !== 0) + (f5 !== 0) + (f6 !== 0);
    // A key beyond the known fields (or a known one set to undefined, or an own toJSON) is left
    // to the JSON path. (Every key for-in finds is an own key: Object.prototype has none.)
    let keys = 0;
    for (const k in e) keys++; // eslint-disable-line no-unused-vars
    if (keys !== present) return null;
  }
  const text = new TextEncoder().encode(strings.list.join('\0'));
  return { head: toJsonText(head), text, count: strings.list.length };
}

// JSON has no NaN or Infinity: JSON.stringify writes them as null, which the engine reads as "not
// given" and replaces by a default. They cross instead as a string with this mark, which the engine
// reports as an error at its path (`input::non_finite_number` in `src/input.rs`).
const NON_FINITE = '\u0000non-finite:';

function markNonFinite(_key, value) {
  // A Number object reaches the replacer before JSON.stringify unwraps it.
  const v = value instanceof Number ? Number(value) : value;
  return typeof v === 'number' && !Number.isFinite(v) ? NON_FINITE + String(v) : value;
}

/** `JSON.stringify(value)`, with NaN and ±Infinity marked instead of written as null. */
export function toJsonText(value) {
  return JSON.stringify(value, markNonFinite);
}
