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

/**
 * The id of one field other than `at`: 1 + the index of its string in `strings` (interned:
 * numbers and words repeat), 0 when undefined (missing), MISSING_NULL when null (missing too, but
 * a key), BAD for anything JSON would not write as a string or null.
 */
function id(seen, strings, v) {
  if (typeof v === 'string') {
    let k = seen.get(v);
    if (k === undefined) {
      strings.push(v);
      k = strings.length;
      seen.set(v, k);
    }
    return k;
  }
  if (v === undefined) return 0;
  return v === null ? MISSING_NULL : BAD;
}

const DIGIT = (s, i) => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN;
};
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Epoch milliseconds of `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.sssZ` (the shape
 * toISOString writes) from the year 1900, or NaN for any other text, which then crosses as text.
 * It accepts exactly what `parse_utc_instant` in `src/time.rs` accepts, with the same result.
 */
function utcMillis(s) {
  const n = s.length;
  let ms = 0;
  if (n === 24) {
    if (s.charCodeAt(19) !== 46) return NaN; // '.'
    ms = DIGIT(s, 20) * 100 + DIGIT(s, 21) * 10 + DIGIT(s, 22);
  } else if (n !== 20) {
    return NaN;
  }
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 ||
      s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(n - 1) !== 90) {
    return NaN; // '-', '-', 'T', ':', ':', 'Z'
  }
  const y = DIGIT(s, 0) * 1000 + DIGIT(s, 1) * 100 + DIGIT(s, 2) * 10 + DIGIT(s, 3);
  const mo = DIGIT(s, 5) * 10 + DIGIT(s, 6);
  const d = DIGIT(s, 8) * 10 + DIGIT(s, 9);
  const h = DIGIT(s, 11) * 10 + DIGIT(s, 12);
  const mi = DIGIT(s, 14) * 10 + DIGIT(s, 15);
  const sec = DIGIT(s, 17) * 10 + DIGIT(s, 18);
  // NaN fails every comparison, so a non-digit anywhere gives NaN here.
  if (!(y >= 1900 && mo >= 1 && mo <= 12 && d >= 1 && h <= 23 && mi <= 59 && sec <= 59 && ms >= 0)) {
    return NaN;
  }
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (mo === 2 && leap ? 29 : DAYS[mo - 1])) return NaN;
  // Days from 1970-01-01 to the date (proleptic Gregorian calendar, civil-from-days inverted).
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146097 + doe - 719468;
  return ((days * 24 + h) * 60 + mi) * 60000 + sec * 1000 + ms;
}

/**
 * Packs the events of a simulate request into columns that the caller allocated in the wasm
 * memory (no JavaScript allocation of their size, no copy): `{ head, text, count }`, or null.
 * - `at` (Float64Array view of `n` entries at `atPtr`): per event the instant in epoch
 *   milliseconds (given so, or read here from the common UTC text), or NaN when it is other text
 *   or missing;
 * - `ids` (Uint32Array view of `n * WIDTH` entries at `idsPtr`): 0 when the field is missing,
 *   else 1 + the index of its string in the table;
 * - `head`: the JSON text of the request without its events;
 * - `text`: the table's `count` strings joined by NUL, as UTF-8 bytes (TextEncoder). A string
 *   holding a NUL, or a lone surrogate (which TextEncoder replaces by U+FFFD), is found on the
 *   Rust side by the count of entries or by U+FFFD, and the request is then read as JSON.
 * `events` is `input.events`, read once by the caller (its length sized the columns).
 */
export function packRequest(input, events, memory, atPtr, idsPtr) {
  try {
    return pack(input, events, memory, atPtr, idsPtr);
  } catch {
    return null; // a throwing getter, a cycle or a BigInt in the head: the JSON path reports it
  }
}

function pack(input, events, memory, atPtr, idsPtr) {
  if (!plain(input) || !Array.isArray(events)) return null;
  const head = Object.create(null);
  for (const key of Object.keys(input)) if (key !== 'events') head[key] = input[key];
  const n = events.length;
  const at = new Float64Array(memory.buffer, atPtr, n);
  const ids = new Uint32Array(memory.buffer, idsPtr, n * WIDTH);
  const strings = [];
  const seen = new Map();
  for (let i = 0; i < n; i++) {
    const e = events[i];
    if (!plain(e)) return null;
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
        strings.push(a);
        ids[base] = strings.length;
        present++;
      } else if (a === null) {
        present++;
      } else if (a !== undefined) {
        return null;
      }
    }
    // The string fields: user, kind, category, referral, from, status.
    const f1 = id(seen, strings, e.user), f2 = id(seen, strings, e.kind);
    const f3 = id(seen, strings, e.category), f4 = id(seen, strings, e.referral);
    const f5 = id(seen, strings, e.from), f6 = id(seen, strings, e.status);
    if ((f1 | f2 | f3 | f4 | f5 | f6) >= BAD) return null;
    ids[base + 1] = f1 < MISSING_NULL ? f1 : 0;
    ids[base + 2] = f2 < MISSING_NULL ? f2 : 0;
    ids[base + 3] = f3 < MISSING_NULL ? f3 : 0;
    ids[base + 4] = f4 < MISSING_NULL ? f4 : 0;
    ids[base + 5] = f5 < MISSING_NULL ? f5 : 0;
    ids[base + 6] = f6 < MISSING_NULL ? f6 : 0;
    present += (f1 !== 0) + (f2 !== 0) + (f3 !== 0) + (f4 !== 0) + (f5 !== 0) + (f6 !== 0);
    // A key beyond the known fields (or a known one set to undefined) is left to the JSON path.
    let keys = 0;
    for (const k in e) if (Object.prototype.hasOwnProperty.call(e, k)) keys++;
    if (keys !== present) return null;
  }
  const text = new TextEncoder().encode(strings.join('\0'));
  return { head: JSON.stringify(head), text, count: strings.length };
}
