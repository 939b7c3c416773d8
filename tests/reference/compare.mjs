// Comparing the engine with the oracle: running both, diffing verdicts, and shrinking a failing
// timeline to a minimal one (delta debugging over events, then over options and business fields).

import { normaliseDecimal } from './spec.mjs';

export const COMPARED_FIELDS = ['market', 'pricingModel', 'category', 'type', 'amount', 'tier', 'charged', 'billable'];

function normaliseAmount(value) {
  try { return normaliseDecimal(String(value)); } catch { return `unparsable:${value}`; }
}

/** Runs a simulate function; returns { ok: true, result } or { ok: false, code, message }. */
export function run(fn) {
  try {
    return { ok: true, result: fn() };
  } catch (error) {
    return { ok: false, code: error?.code ?? '(no code)', message: String(error?.message ?? error), path: error?.path };
  }
}

/** The compared view of one message. */
export function view(message) {
  const v = {};
  for (const f of COMPARED_FIELDS) v[f] = f === 'amount' ? normaliseAmount(message[f]) : (message[f] ?? null);
  return v;
}

/**
 * Compares an engine outcome and an oracle outcome (from run()).
 * Returns null when they agree, else { kind, ... } describing the disagreement.
 */
export function diff(engine, oracle) {
  if (!engine.ok || !oracle.ok) {
    if (!engine.ok && !oracle.ok) {
      if (engine.code !== oracle.code) {
        return { kind: 'error-code', engine: engine.code, oracle: oracle.code,
          engineMessage: engine.message, oracleMessage: oracle.message };
      }
      // SPEC §13.10 names the path of a missing rate: events[i], the first event whose verdict needs it
      if (engine.code === 'missing_rate' && engine.path !== oracle.path) {
        return { kind: 'error-path', engine: `${engine.code} at ${engine.path}`, oracle: `${oracle.code} at ${oracle.path}`,
          engineMessage: engine.message, oracleMessage: oracle.message };
      }
      return null;
    }
    return { kind: 'one-threw', engine: engine.ok ? 'ok' : `${engine.code}: ${engine.message}`,
      oracle: oracle.ok ? 'ok' : `${oracle.code}: ${oracle.message}` };
  }
  const em = engine.result.messages ?? [];
  const om = oracle.result.messages;
  const rows = [];
  // A group message has one verdict per participant, all with its index.
  const byIndex = new Map(em.map((m) => [`${m.index} ${m.user}`, m]));
  for (const o of om) {
    const e = byIndex.get(`${o.index} ${o.user}`);
    const ov = view(o);
    if (!e) { rows.push({ index: o.index, engine: null, oracle: ov, fields: ['(missing)'] }); continue; }
    const ev = view(e);
    const fields = COMPARED_FIELDS.filter((f) => ev[f] !== ov[f]);
    if (fields.length) rows.push({ index: o.index, engine: ev, oracle: ov, fields });
  }
  if (em.length !== om.length) rows.push({ index: null, engine: `${em.length} messages`, oracle: `${om.length} messages`, fields: ['(count)'] });
  const et = normaliseAmount(engine.result.totals?.amount);
  const ot = normaliseAmount(oracle.result.totals.amount);
  if (rows.length === 0 && et === ot) return null;
  return { kind: 'verdicts', rows, totals: et === ot ? null : { engine: et, oracle: ot } };
}

/** A readable report of a disagreement: verdicts side by side for the differing messages. */
export function report(d, input, { maxRows = 20 } = {}) {
  const lines = [];
  if (d.kind !== 'verdicts') {
    lines.push(`  ${d.kind}: engine=${JSON.stringify(d.engine)} oracle=${JSON.stringify(d.oracle)}`);
    if (d.engineMessage) lines.push(`    engine: ${d.engineMessage}`, `    oracle: ${d.oracleMessage}`);
    return lines.join('\n');
  }
  if (d.totals) lines.push(`  totals: engine ${d.totals.engine}  oracle ${d.totals.oracle}`);
  for (const row of d.rows.slice(0, maxRows)) {
    const ev = row.index === null ? null : input.events[row.index];
    lines.push(`  events[${row.index}] ${ev ? JSON.stringify(ev) : ''}  differs in ${row.fields.join(', ')}`);
    const fmt = (v) => (v && typeof v === 'object' ? COMPARED_FIELDS.map((f) => `${f}=${v[f]}`).join(' ') : String(v));
    lines.push(`    engine: ${fmt(row.engine)}`);
    lines.push(`    oracle: ${fmt(row.oracle)}`);
  }
  if (d.rows.length > maxRows) lines.push(`  ... ${d.rows.length - maxRows} more differing messages`);
  return lines.join('\n');
}

/**
 * Shrinks `input` while `stillFails(candidate)` holds: removes events (ddmin-style chunks, then one by
 * one), then options and business fields one at a time. Returns the smallest failing input found.
 */
export function minimise(input, stillFails, { budget = 3000 } = {}) {
  let best = structuredClone(input);
  let tries = 0;
  const attempt = (candidate) => {
    if (tries >= budget) return false;
    tries += 1;
    try { return stillFails(candidate); } catch { return false; }
  };
  // events
  let chunk = Math.max(1, Math.floor(best.events.length / 2));
  while (chunk >= 1) {
    let removed = false;
    for (let start = 0; start < best.events.length;) {
      const events = [...best.events.slice(0, start), ...best.events.slice(start + chunk)];
      const candidate = { ...best, events };
      if (events.length > 0 && attempt(candidate)) { best = candidate; removed = true; } else { start += chunk; }
    }
    if (!removed) chunk = Math.floor(chunk / 2);
  }
  // options, business, currency, timezone
  for (const group of ['options', 'business']) {
    if (!best[group]) continue;
    const without = { ...best };
    delete without[group];
    if (attempt(without)) { best = without; continue; }
    for (const key of Object.keys(best[group])) {
      const g = { ...best[group] };
      delete g[key];
      const candidate = { ...best, [group]: g };
      if (attempt(candidate)) best = candidate;
    }
  }
  // simplify event fields
  for (let i = 0; i < best.events.length; i += 1) {
    for (const key of ['from', 'status', 'referral']) {
      if (!(key in best.events[i])) continue;
      const events = best.events.map((e, k) => { if (k !== i) return e; const c = { ...e }; delete c[key]; return c; });
      const candidate = { ...best, events };
      if (attempt(candidate)) best = candidate;
    }
  }
  return best;
}
