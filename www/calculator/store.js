// The one state object every view renders from, and its persistence: the scenario lives in the
// URL (#s=<engine.encodeScenario(scenario)>, or #q=<quote.encoded> for a quote link), a draft of
// everything the user typed lives in localStorage, and the language choice persists on its own.
import { DEFAULT_SCENARIO } from './quick-starts.js';
import { EXAMPLES } from './examples.js';
import { builderFromInput } from './timeline.js';

export const DRAFT_KEY = 'waprice.draft.v1';
export const CUSTOM_KEY = 'waprice.custom.v1';
export const VIEWS = ['estimate', 'compare', 'timeline', 'quote', 'data'];

function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

// Where Letter is the usual paper size (the rest of the world uses A4).
const LETTER_REGIONS = new Set(['US', 'CA', 'MX', 'PH', 'CL', 'CO', 'VE', 'PR', 'GT', 'CR', 'DO', 'PA', 'SV', 'NI', 'HN']);

/** The quote's default paper size from the browser's language tag (`en-US` → letter). */
export function defaultPaper(languages = globalThis.navigator?.languages ?? []) {
  const region = /^[a-z]{2,3}(?:-[A-Za-z]{4})?-([A-Z]{2})\b/i.exec(languages[0] ?? '')?.[1]?.toUpperCase();
  return region && LETTER_REGIONS.has(region) ? 'letter' : 'a4';
}

export function initialState() {
  return {
    lang: 'en',
    view: 'estimate',
    scenario: structuredClone(DEFAULT_SCENARIO),
    compareDates: ['2026-07-01', '2026-10-01'],
    quoteMeta: { seller: '', customer: '', reference: '', issued: today(), validDays: 30, paper: defaultPaper() },
    timeline: { ...builderFromInput(EXAMPLES[0].input), example: EXAMPLES[0].id },
    timelineJson: '',
    custom: { files: [], replace: false, pending: [] },
    ui: { search: '', searchActive: 0, searchOpen: false, journeyAdd: 'marketing_campaign', copied: false, savedNote: null, lastDeleted: null },
    // The draft, or a link / saved quote open beside it (saved.js); the saved list as read.
    workspace: 'draft',
    side: null, // { origin: 'link' | 'saved', savedKey, hash }
    saved: { ok: true, quotes: [], unreadable: 0, raw: null, error: null },
    // Derived by app.js on every change; never persisted.
    engineReady: false,
    dataInfo: null,
    result: null, // { estimate, error, ms }
    lastGood: null,
    compare: null, // { comparison, error }
    quote: null, // { quote, error }
    sim: null, // { input, result, error }
    jsonError: null,
    customStatus: null, // { error, fileName, lineText } | { ok }
    customStore: null, // { setAside: key } | { blocked: true }: the stored files could not be read
    markets: new Map(),
  };
}

// ------------------------------------------------------------------ URL and localStorage

/** The hash parameters: s (scenario), q (quote), v (view), d (compare dates). */
export function readHash(hash = location.hash) {
  const params = new URLSearchParams(String(hash).replace(/^#/, ''));
  return {
    s: params.get('s'),
    q: params.get('q'),
    v: params.get('v'),
    d: params.get('d'),
    c: params.get('c'),
  };
}

/** The `c` parameter: `sha:name|sha:name`, the loaded Meta cards a link's figures need. */
export function parseCards(c) {
  if (!c) return [];
  return String(c).split('|').map((x) => {
    const i = x.indexOf(':');
    return i > 0 ? { sha: x.slice(0, i), name: x.slice(i + 1) } : { sha: x, name: x };
  }).filter((x) => /^[0-9a-f]{6,64}$/.test(x.sha));
}

export function buildHash({ s, q, v, d, c }) {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  else if (s) params.set('s', s);
  if (v && v !== 'estimate') params.set('v', v);
  if (d) params.set('d', d);
  if (c) params.set('c', c);
  return `#${params.toString()}`;
}

export function saveDraft(state, hash) {
  const draft = {
    hash,
    view: state.view,
    scenario: state.scenario,
    compareDates: state.compareDates,
    quoteMeta: state.quoteMeta,
    timeline: state.timeline,
    timelineJson: state.timelineJson,
  };
  try {
    localStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the URL still carries the scenario.
  }
}

export function loadDraft() {
  try {
    const draft = JSON.parse(localStorage.getItem(DRAFT_KEY) ?? 'null');
    return draft && typeof draft === 'object' ? draft : null;
  } catch {
    return null;
  }
}

/** Whether a stored text of the uploaded files is one this page reads. */
function customOk(raw) {
  try {
    const custom = JSON.parse(raw);
    return Boolean(custom) && typeof custom === 'object' && Array.isArray(custom.files);
  } catch {
    return false;
  }
}

/**
 * Keeps the uploaded files. An unreadable text under the key (one `loadCustom` could not set
 * aside) is never overwritten: nothing is saved then.
 */
export function saveCustom(custom) {
  try {
    const now = localStorage.getItem(CUSTOM_KEY);
    if (now !== null && !customOk(now)) return false;
    const text = JSON.stringify(custom);
    if (text.length > 2_000_000) {
      localStorage.removeItem(CUSTOM_KEY);
      return false;
    }
    localStorage.setItem(CUSTOM_KEY, text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The uploaded files kept in this browser, or null. A stored text this page cannot read (not
 * JSON, not `{ files: [...] }`) is never dropped: it is moved to a key of its own,
 * `waprice.custom.v1.unreadable.<time>`, and the result says so (`{ files: [], setAside: key }`);
 * if the browser refuses the copy, the text stays where it is (`{ files: [], blocked: true }`)
 * and `saveCustom` will not overwrite it.
 */
export function loadCustom() {
  let raw;
  try {
    raw = localStorage.getItem(CUSTOM_KEY);
  } catch {
    return null;
  }
  if (raw === null) return null;
  if (customOk(raw)) return JSON.parse(raw);
  const key = `${CUSTOM_KEY}.unreadable.${Date.now()}`;
  try {
    localStorage.setItem(key, raw);
    localStorage.removeItem(CUSTOM_KEY);
    return { files: [], replace: false, setAside: key };
  } catch {
    return { files: [], replace: false, blocked: true };
  }
}

// ------------------------------------------------------------------ paths

/** "audience.mix[2].share" → ["audience", "mix", 2, "share"]. */
export function parsePath(path) {
  const out = [];
  for (const part of String(path ?? '').split('.')) {
    if (!part) continue;
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** ["audience", "mix", 2, "share"] → "audience.mix[2].share" (the engine's form). */
export function formatPath(parts) {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${p}` : p;
  }
  return out;
}

export function getIn(obj, parts) {
  let cur = obj;
  for (const p of parts) {
    if (cur === null || cur === undefined) return undefined;
    cur = cur[p];
  }
  return cur;
}

/** Set (or, with `undefined`, delete) a value, creating containers; prunes emptied objects. */
export function setIn(obj, parts, value) {
  let cur = obj;
  const trail = [];
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i];
    if (cur[p] === null || typeof cur[p] !== 'object') {
      if (value === undefined) return;
      cur[p] = typeof parts[i + 1] === 'number' ? [] : {};
    }
    trail.push([cur, p]);
    cur = cur[p];
  }
  const last = parts[parts.length - 1];
  if (value === undefined) {
    if (Array.isArray(cur)) cur[last] = undefined;
    else delete cur[last];
    // Remove objects left empty (an emptied `reseller.package` must not be sent half-filled).
    for (let i = trail.length - 1; i >= 0; i--) {
      const [parent, key] = trail[i];
      const v = parent[key];
      if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0 && parts[0] !== 'audience') delete parent[key];
      else break;
    }
  } else {
    cur[last] = value;
  }
}
