// The log page's one state object and its link: the options live in the address
// (`logs.html#currency=EUR&whatIf=2026-07-01&onError=fail`). The defaults and the choices are the
// engine's (`engine.schema().logOptions`, given to `useSchema` once the engine has loaded). Only
// options that differ from the defaults are written, so the page's own address stays plain; a link restores them, and so
// does a reload. A value the page cannot take is not used and is reported (the option and the
// value); the option keeps its default.
import { createStore } from '../shared/store.js';

/**
 * The options' defaults (the log priced as logged and again under the newest rules, month by
 * month) and the values a choice can take (the others are free text): the engine's, set by
 * `useSchema`.
 */
export let DEFAULTS = {};
export let CHOICES = {};
let KEYS = [];

/** Takes the defaults and choices of the engine's schema (`engine.schema()`, docs/api.md). */
export function useSchema(schema) {
  const lo = schema.logOptions;
  // The opening state is the page's JSON text (none by default), not one of the engine's defaults.
  DEFAULTS = { ...lo.defaults, opening: '' };
  CHOICES = { format: [...lo.formats], shift: [...lo.shifts], onError: [...lo.onErrors] };
  KEYS = Object.keys(DEFAULTS);
}

const MAX_LENGTH = { currency: 3 };

export const store = createStore({
  lang: 'en',
  ready: false,
  options: {},
  /** Options of the link that were not used: { code, path, why: { key, vars } }. */
  linkProblems: [],
  /** The status line: { key, vars }. */
  status: { key: 'log.loading', vars: {} },
  /** The file being (or last) priced: { name, size }. */
  file: null,
  /** { bytes, events, errors, users, total, seconds, state: 'reading' | 'done' | 'stopped' } */
  progress: null,
  running: false,
  report: null,
  /** { error, title: { key, vars } } */
  failure: null,
  /**
   * Meta's rate-card files: `files` in use, in the order loaded (each `{ name, sha, text | base64,
   * date?, currency? }` with `info`, what engine.loadRateCard returned, or `error`), `pending`
   * files previewed and not yet used (`preview` or `error`), `saved` (false when the browser
   * did not keep them), `problem` (the stored files could not be read: logs/cards.js).
   */
  cards: { files: [], pending: [], saved: true, problem: null },
});

/** A real calendar date written YYYY-MM-DD. */
function isDate(s) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Why `value` cannot be the option `key` ({ key, vars } of a catalog sentence), or null. */
function refusal(key, value) {
  if (CHOICES[key] && !CHOICES[key].includes(value)) return { key: 'log.link.oneOf', vars: { list: CHOICES[key].map((v) => `"${v}"`).join(', ') } };
  if (MAX_LENGTH[key] && value.length > MAX_LENGTH[key]) return { key: 'log.link.maxLength', vars: { n: MAX_LENGTH[key] } };
  if (key === 'whatIf' && value !== '' && !isDate(value)) return { key: 'log.link.date', vars: {} };
  if (key === 'opening' && value.trim() !== '' && parseOpening(value) === null) return { key: 'log.link.json', vars: {} };
  return null;
}

/** The options of a hash (those it does not name keep their defaults), and what was not used. */
export function readHash(hash = location.hash) {
  const params = new URLSearchParams(String(hash).replace(/^#/, ''));
  const options = { ...DEFAULTS };
  const problems = [];
  for (const key of new Set(params.keys())) {
    if (!KEYS.includes(key)) {
      problems.push({ code: 'invalid_option', path: `link.${key}`, why: { key: 'log.link.unknown', vars: { key: JSON.stringify(key), expected: KEYS.join(', ') } } });
    }
  }
  for (const key of KEYS) {
    const value = params.get(key);
    if (value === null) continue;
    const why = refusal(key, value);
    if (why) {
      problems.push({ code: 'invalid_option', path: `link.${key}`, why: { key: 'log.link.invalid', vars: { key, value: JSON.stringify(value), why, default: JSON.stringify(DEFAULTS[key]) } } });
    } else {
      options[key] = value;
    }
  }
  return { options, problems };
}

/** The hash of options: those that differ from the defaults. */
export function buildHash(options) {
  const params = new URLSearchParams();
  for (const key of KEYS) if (options[key] !== DEFAULTS[key]) params.set(key, options[key]);
  const s = params.toString();
  return s ? `#${s}` : '';
}

/** The opening state written as a JSON object, or null when it is not one. */
export function parseOpening(text) {
  try {
    const v = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

/**
 * The engine's log options (docs/logs.md) for the page's options. An opening state that is not a
 * JSON object is refused here, as the engine refuses a bad option: { code, path, message }.
 */
export function engineOptions(o) {
  const out = {
    format: o.format,
    currency: o.currency.trim() || DEFAULTS.currency,
    timezone: o.timezone.trim() || DEFAULTS.timezone,
    onError: o.onError,
  };
  if (o.whatIf && o.shift === 'months') out.whatIf = { date: o.whatIf, shift: o.shift };
  else if (o.shift === 'none') out.whatIf = { shift: 'none' };
  const opening = (o.opening ?? '').trim();
  if (opening) {
    const v = parseOpening(opening);
    if (v === null) throw { code: 'invalid_option', path: 'opening', message: `invalid opening ${JSON.stringify(opening.slice(0, 40))}: expected a JSON object such as {"service":{"+15550001111":950}}` };
    out.opening = v;
  }
  return out;
}
