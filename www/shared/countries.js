// The country list: ISO codes, calling codes and example numbers from data/countries.csv (served
// next to the page), names in the current language from Intl.DisplayNames. The market a country
// falls in is the engine's answer for the country's example number on the pricing date.
import { getLocale } from './i18n/index.js';

let countries = [];
let byIso = new Map();

/** RFC 4180 CSV → array of rows (arrays of strings). */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

let fetching = null;

/** Start fetching data/countries.csv (once); `loadCountries` uses the same request. */
export function prefetchCountries(url = new URL('../../data/countries.csv', import.meta.url)) {
  fetching ??= fetch(url);
  return fetching;
}

/** Load data/countries.csv once. */
export async function loadCountries() {
  const res = await prefetchCountries();
  if (!res.ok) throw new Error(`countries.csv: HTTP ${res.status}`);
  const rows = parseCsv(await res.text());
  const header = rows.shift() ?? [];
  const col = (name) => header.indexOf(name);
  const [iIso, iName, iCode, iArea, iEx] = ['iso2', 'country', 'calling_code', 'area_code', 'example_number'].map(col);
  countries = rows
    .filter((r) => r.length > 1 && /^[A-Z]{2}$/.test(r[iIso]))
    .map((r) => ({
      iso: r[iIso],
      englishName: r[iName],
      callingCode: r[iCode],
      areaCodes: r[iArea] ? r[iArea].split(';').filter(Boolean) : [],
      example: r[iEx],
    }));
  byIso = new Map(countries.map((c) => [c.iso, c]));
  return countries;
}

export const allCountries = () => countries;
export const country = (iso) => byIso.get(iso) ?? null;

const namesCache = new Map();
function displayNames() {
  const locale = getLocale();
  let dn = namesCache.get(locale);
  if (!dn) {
    try {
      dn = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
    } catch {
      dn = { of: (code) => code };
    }
    namesCache.set(locale, dn);
  }
  return dn;
}

/** A country's name in the current language (falls back to the English name, then the code). */
export function countryName(iso) {
  if (!/^[A-Z]{2}$/.test(String(iso ?? ''))) return String(iso ?? '');
  try {
    const name = displayNames().of(iso);
    if (name && name !== iso) return name;
  } catch {
    // unknown region
  }
  return byIso.get(iso)?.englishName ?? iso;
}

/** "+1 242" style calling code of a country. */
export function callingCodeLabel(c) {
  if (!c) return '';
  return c.areaCodes.length === 1 ? `+${c.callingCode} ${c.areaCodes[0]}` : `+${c.callingCode}`;
}

const fold = (s) => String(s ?? '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/**
 * Countries (and rate-card markets) matching a query typed by the user: a name in the current
 * language or in English, an ISO code, or a calling code (with or without +). Best matches first.
 */
export function searchCountries(query, markets = [], limit = 12) {
  const q = fold(query).trim();
  if (!q) return [];
  const digits = q.replace(/^\+/, '').replace(/[\s-]/g, '');
  const isDigits = /^\d+$/.test(digits);
  const hits = [];
  for (const c of countries) {
    const name = fold(countryName(c.iso));
    const english = fold(c.englishName);
    let score = -1;
    if (isDigits) {
      const full = c.callingCode + (c.areaCodes.length === 1 ? c.areaCodes[0] : '');
      if (c.callingCode === digits) score = c.areaCodes.length ? 80 : 100;
      else if (full === digits) score = 100;
      else if (full.startsWith(digits) || c.callingCode.startsWith(digits)) score = 50;
    } else {
      if (c.iso.toLowerCase() === q) score = 100;
      else if (name === q || english === q) score = 95;
      else if (name.startsWith(q) || english.startsWith(q)) score = 80;
      else if (name.split(/[\s,()-]+/).some((w) => w.startsWith(q)) || english.split(/[\s,()-]+/).some((w) => w.startsWith(q))) score = 60;
      else if (q.length >= 1 && (name.includes(q) || english.includes(q))) score = 40;
    }
    if (score >= 0) hits.push({ kind: 'country', iso: c.iso, score, name: countryName(c.iso), country: c });
  }
  if (!isDigits) {
    for (const m of markets) {
      const f = fold(m.label);
      const e = fold(m.market);
      if (f.includes(q) || e.includes(q)) hits.push({ kind: 'market', market: m.market, name: m.label, score: f.startsWith(q) || e.startsWith(q) ? 70 : 30 });
    }
  }
  const collator = new Intl.Collator(getLocale());
  hits.sort((a, b) => b.score - a.score || collator.compare(a.name, b.name));
  return hits.slice(0, limit);
}
