// The market each country falls in on a date: the engine's answer for the country's example
// number (engine.resolveMarket), cached per engine, country and date.
import { country } from './countries.js';

let engine = null;
let cache = new Map();

export function setMarketEngine(e) {
  engine = e;
  cache = new Map();
}

/** The market of an ISO country on `date` (YYYY-MM-DD), or null when unknown. */
export function marketOf(iso, date) {
  if (!engine || !iso) return null;
  const d = /^\d{4}-\d{2}-\d{2}$/.test(String(date ?? '')) ? date : '2026-10-01';
  const key = `${iso}|${d}`;
  if (cache.has(key)) return cache.get(key);
  let market = null;
  const c = country(iso);
  if (!c) return null; // the country list is not loaded yet: ask again later
  if (c.example) {
    try {
      market = engine.resolveMarket(c.example, `${d}T12:00:00Z`).market ?? null;
    } catch {
      market = null;
    }
  }
  cache.set(key, market);
  return market;
}
