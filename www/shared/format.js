// Display formatting with Intl for the chosen locale. Money arrives from the engine as decimal
// strings; it is handed to Intl.NumberFormat as a string (exact, no float on the way) and rounded
// for display only with Intl's half-expand rounding. The page never prices anything itself.
import { getLocale } from './i18n/index.js';

const DECIMAL = /^-?\d+(\.\d+)?$/;
const cache = new Map();

function nf(options) {
  const key = getLocale() + JSON.stringify(options);
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(getLocale(), options);
    cache.set(key, f);
  }
  return f;
}

/** Digits after the point of a decimal string. */
export function decimals(s) {
  const i = String(s).indexOf('.');
  return i < 0 ? 0 : String(s).length - i - 1;
}

const currencyInfo = new Map();

/** { valid, digits } of a currency code, cached (building an Intl formatter is not free). */
function currency(code) {
  const key = String(code ?? '');
  let info = currencyInfo.get(key);
  if (!info) {
    info = { valid: false, digits: 2 };
    if (/^[A-Z]{3}$/.test(key)) {
      try {
        info = { valid: true, digits: new Intl.NumberFormat('en', { style: 'currency', currency: key }).resolvedOptions().maximumFractionDigits };
      } catch {
        // not a currency Intl knows
      }
    }
    currencyInfo.set(key, info);
  }
  return info;
}

/** The minor-unit digits of a currency (2 for USD, 0 for JPY); 2 when unknown. */
export function minorDigits(code) {
  return currency(code).digits;
}

function isCurrency(code) {
  return currency(code).valid;
}

/**
 * A decimal string as money. `digits`: 'minor' rounds to the currency's minor unit; 'exact' shows
 * every digit the engine gave (up to 12); a number caps the fraction digits.
 */
export function money(value, currency, { digits = 6, sign = false } = {}) {
  if (value === null || value === undefined || value === '') return '—';
  const s = String(value);
  if (!DECIMAL.test(s)) return s;
  const minor = minorDigits(currency);
  const max = digits === 'minor' ? minor : digits === 'exact' ? Math.max(minor, Math.min(decimals(s), 20)) : Math.max(minor, Math.min(decimals(s), digits));
  const options = { minimumFractionDigits: minor, maximumFractionDigits: max };
  if (sign) options.signDisplay = 'exceptZero';
  if (isCurrency(currency)) {
    return nf({ style: 'currency', currency, ...options }).format(s);
  }
  return `${nf(options).format(s)} ${currency ?? ''}`.trim();
}

/** True when rounding to the minor unit hides digits of the engine's exact amount. */
export function hasMoreDigits(value, currency) {
  const s = String(value ?? '');
  if (!DECIMAL.test(s)) return false;
  const frac = s.includes('.') ? s.split('.')[1].replace(/0+$/, '') : '';
  return frac.length > minorDigits(currency);
}

/** A count or any decimal string/number, grouped for the locale. */
export function num(value, { digits = 2, sign = false } = {}) {
  if (value === null || value === undefined || value === '') return '—';
  const s = typeof value === 'number' ? value : String(value);
  if (typeof s === 'string' && !DECIMAL.test(s)) return s;
  const options = { maximumFractionDigits: digits };
  if (sign) options.signDisplay = 'exceptZero';
  return nf(options).format(s);
}

/** A percentage given as 0-100. */
export function percent(value, digits = 1, sign = false) {
  if (!Number.isFinite(value)) return '—';
  const options = { style: 'percent', maximumFractionDigits: digits };
  if (sign) options.signDisplay = 'exceptZero';
  return nf(options).format(value / 100);
}

const dtfCache = new Map();
function dtf(options) {
  const key = getLocale() + JSON.stringify(options);
  let f = dtfCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(getLocale(), options);
    dtfCache.set(key, f);
  }
  return f;
}

/** "YYYY-MM-DD" as a localized date. */
export function date(ymd, style = 'medium') {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(ymd ?? ''));
  if (!m) return String(ymd ?? '');
  const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return dtf({ dateStyle: style, timeZone: 'UTC' }).format(at);
}

/** "YYYY-MM" as a localized month. */
export function month(ym) {
  const m = /^(\d{4})-(\d{2})$/.exec(String(ym ?? ''));
  if (!m) return String(ym ?? '');
  const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, 1);
  return dtf({ year: 'numeric', month: 'long', timeZone: 'UTC' }).format(at);
}

const zoneCache = new Map();

/** A valid Intl time zone for `tz` (IANA name or ±hh:mm), or 'UTC'. */
export function safeZone(tz) {
  let z = zoneCache.get(tz);
  if (z === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      z = tz;
    } catch {
      z = 'UTC';
    }
    zoneCache.set(tz, z);
  }
  return z;
}

/** An instant (ms or RFC 3339) as local date + time in `timeZone`. */
export function dateTime(at, timeZone = 'UTC', { seconds = false } = {}) {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) return String(at ?? '');
  return dtf({ dateStyle: 'medium', timeStyle: seconds ? 'medium' : 'short', timeZone: safeZone(timeZone) }).format(ms);
}

export function time(at, timeZone = 'UTC') {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) return '';
  return dtf({ timeStyle: 'short', timeZone: safeZone(timeZone) }).format(ms);
}

export function shortDate(at, timeZone = 'UTC') {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) return '';
  return dtf({ month: 'short', day: 'numeric', timeZone: safeZone(timeZone) }).format(ms);
}

/** Offset of `timeZone` from UTC at `ms`, in minutes. */
const partsCache = new Map();
export function zoneOffsetMinutes(timeZone, ms) {
  const zone = safeZone(timeZone);
  let f = partsCache.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23',
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    partsCache.set(zone, f);
  }
  const parts = f.formatToParts(ms);
  const get = (t) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

/** "YYYY-MM-DDTHH:MM" wall time in `timeZone` → epoch ms (NaN if unparseable). */
export function localToEpoch(local, timeZone) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(String(local ?? ''));
  if (!m) return NaN;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0));
  let ms = wall - zoneOffsetMinutes(timeZone, wall) * 60000;
  ms = wall - zoneOffsetMinutes(timeZone, ms) * 60000; // second pass across a DST change
  return ms;
}

/** epoch ms → "YYYY-MM-DDTHH:MM" wall time in `timeZone`. */
export function epochToLocal(ms, timeZone) {
  const shifted = new Date(ms + zoneOffsetMinutes(timeZone, ms) * 60000);
  return shifted.toISOString().slice(0, 16);
}

/** epoch ms → RFC 3339 with the zone's offset ("2026-10-05T10:00:00+05:30"). */
export function epochToRfc3339(ms, timeZone) {
  const off = zoneOffsetMinutes(timeZone, ms);
  const shifted = new Date(ms + off * 60000).toISOString().replace(/\.\d{3}Z$/, '').replace(/Z$/, '');
  if (off === 0) return `${shifted}Z`;
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${shifted}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

// ------------------------------------------------------------------ exact decimal arithmetic
// Differences of two engine amounts (compare view) are shown exactly: BigInt on scaled strings.

function toScaled(s, scale) {
  const neg = s.startsWith('-');
  const [int, frac = ''] = (neg ? s.slice(1) : s).split('.');
  const v = BigInt(int + frac.padEnd(scale, '0'));
  return neg ? -v : v;
}

function fromScaled(v, scale) {
  const neg = v < 0n;
  let digits = (neg ? -v : v).toString().padStart(scale + 1, '0');
  let int = digits.slice(0, digits.length - scale);
  let frac = digits.slice(digits.length - scale).replace(/0+$/, '');
  const out = frac ? `${int}.${frac}` : int;
  return neg && out !== '0' ? `-${out}` : out;
}

/** a − b for decimal strings, exactly. Missing values count as 0. */
export function decSub(a, b) {
  const x = DECIMAL.test(String(a ?? '')) ? String(a) : '0';
  const y = DECIMAL.test(String(b ?? '')) ? String(b) : '0';
  const scale = Math.max(decimals(x), decimals(y));
  return fromScaled(toScaled(x, scale) - toScaled(y, scale), scale);
}

/** Sum of decimal strings, exactly. */
export function decSum(values) {
  const list = values.map((v) => (DECIMAL.test(String(v ?? '')) ? String(v) : '0'));
  const scale = Math.max(0, ...list.map(decimals));
  return fromScaled(list.reduce((acc, v) => acc + toScaled(v, scale), 0n), scale);
}

/** Sign of a decimal string: -1, 0 or 1. */
export function decSign(a) {
  const s = String(a ?? '0');
  if (!DECIMAL.test(s) || /^-?0(\.0+)?$/.test(s)) return 0;
  return s.startsWith('-') ? -1 : 1;
}

/** A decimal string as a float, for geometry and ordering only (never for money shown). */
export function toFloat(s) {
  const v = Number.parseFloat(String(s ?? '0'));
  return Number.isFinite(v) ? v : 0;
}
