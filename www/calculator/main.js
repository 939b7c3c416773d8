// The calculator page: loads the engine and the country list, restores the scenario (URL first,
// then the localStorage draft), and on every change asks the engine for the estimate, the
// comparison, the quote and the timeline verdicts. The engine does all pricing; the views only
// show its answers. One state object (state.js); every view re-renders from it.
import { html, render } from '../shared/html.js';
import { store, runtime } from './state.js';
import { loadEngine, createEngine, loadCardsPackage, describeError } from '../shared/engine.js';
import { loadCountries, parseCsv } from '../shared/countries.js';
import { setMarketEngine } from '../shared/markets.js';
import { t, setLang, loadLang, getLocale, detectLang, LANGS } from '../shared/i18n/index.js';
import {
  readHash, buildHash, parseCards, saveDraft, loadDraft, saveCustom, loadCustom, LANG_KEY, VIEWS, initialState,
} from './store.js';
import { timelineInput } from './timeline.js';
import { QUOTE_CURRENCIES } from './quick-starts.js';
import { setSchema } from './schema.js';
import { setMessageCatalogue, errorSentence } from '../shared/ui.js';
import { KINDS, metaArgs } from './components/wa-data.js';
import './components/wa-nav.js';
import './components/wa-estimator.js';
import './components/wa-results.js';
import './components/wa-compare.js';
import './components/wa-timeline.js';
import './components/wa-quote.js';

const s = store.state;
const memo = { estimate: null, compare: null, quote: null, sim: null, engine: 0 };
let engineVersion = 0;
let lastHash = null;
let editAt = null;
let firstTotalAt = null;
let uploadedRateKeys = new Set();

// ------------------------------------------------------------------ language

function applyLang(lang) {
  const code = LANGS.some((l) => l.code === lang) ? lang : 'en';
  setLang(code);
  s.lang = code;
  document.documentElement.lang = getLocale();
  document.title = t('app.title');
  const meta = document.querySelector('meta[name="description"]');
  if (meta) meta.content = t('app.description');
  const skip = document.getElementById('skip');
  if (skip) skip.textContent = t('app.skip');
  const footer = document.getElementById('footer-text');
  if (footer) render(footer, html`${t('app.footer')} <a href="../data/PROVENANCE.md">data/PROVENANCE.md</a>`);
}

let storedLang = null;
try {
  storedLang = localStorage.getItem(LANG_KEY);
} catch {
  storedLang = null;
}
applyLang(await loadLang(storedLang ?? detectLang(navigator.languages ?? [navigator.language])));

// ------------------------------------------------------------------ derive: the engine's answers

const key = (...parts) => `${engineVersion}\u0000${JSON.stringify(parts)}`;

function deriveEstimate() {
  const k = key(s.scenario);
  if (memo.estimate === k) return;
  memo.estimate = k;
  const engine = runtime.engine;
  const t0 = performance.now();
  try {
    const estimate = engine.estimate(s.scenario);
    performance.clearMeasures('waprice:estimate');
    performance.measure('waprice:estimate', { start: t0 });
    const ms = performance.now() - t0;
    s.result = { estimate, error: null, ms, customLines: customLines(estimate) };
    s.lastGood = s.result;
  } catch (err) {
    s.result = { estimate: null, error: describeError(err), ms: performance.now() - t0 };
  }
}

/**
 * The markets whose card of the scenario's date has an authentication-international rate, for the
 * eligibility fields (the engine's rate card; empty when the date or currency is not valid yet).
 */
function deriveAuthMarkets() {
  const b = s.scenario.business ?? {};
  const date = b.date ?? '2026-10-01';
  const currency = b.currency ?? 'USD';
  const k = key(date, currency);
  if (memo.authMarkets === k) return;
  memo.authMarkets = k;
  try {
    const card = runtime.engine.rateCard(`${date}T12:00:00Z`, currency);
    s.authMarkets = card.markets.filter((m) => m.rates.authentication_international).map((m) => m.market);
  } catch {
    s.authMarkets = [];
  }
}

/** "market|category" of the estimate's lines whose rate row comes from an uploaded rates file. */
function customLines(est) {
  const out = new Set();
  if (!uploadedRateKeys.size) return out;
  for (const l of est.meta.lines) {
    try {
      const r = runtime.engine.rate(`${est.date}T12:00:00Z`, est.currency, l.market, l.category, { timezone: est.timezone });
      if (uploadedRateKeys.has(`${r.effectiveDate}|${est.currency}|${l.market}|${l.category}`)) out.add(`${l.market}|${l.category}`);
    } catch {
      // no rate for this line (free lines)
    }
  }
  return out;
}

function deriveCompare() {
  if (s.view !== 'compare') return;
  const k = key(s.scenario, s.compareDates);
  if (memo.compare === k) return;
  memo.compare = k;
  try {
    s.compare = { comparison: runtime.engine.compare(s.scenario, s.compareDates), error: null };
  } catch (err) {
    s.compare = { comparison: null, error: describeError(err) };
  }
}

function quoteMeta() {
  const m = s.quoteMeta;
  const out = { issued: m.issued };
  for (const k of ['seller', 'customer', 'reference']) if (m[k]) out[k] = m[k];
  if (m.validDays !== undefined && m.validDays !== '') out.validDays = m.validDays;
  return out;
}

/** The quote: derived when its view is open, else when the hidden quote renders (page idle). */
function deriveQuote() {
  if (!runtime.engine) return;
  const k = key(s.scenario, s.quoteMeta);
  if (memo.quote === k) return;
  memo.quote = k;
  try {
    s.quote = { quote: runtime.engine.quote(s.scenario, quoteMeta()), error: null };
  } catch (err) {
    s.quote = { quote: null, error: describeError(err) };
  }
}

function deriveSim() {
  if (s.view !== 'timeline') return;
  const input = timelineInput(s.timeline);
  const k = key(input);
  if (memo.sim === k) return;
  memo.sim = k;
  if (!input.events.length) {
    s.sim = null;
    return;
  }
  try {
    s.sim = { input, result: runtime.engine.simulate(input), error: null };
  } catch (err) {
    s.sim = { input, result: null, error: describeError(err) };
  }
}

runtime.deriveQuote = deriveQuote;

// ------------------------------------------------------------------ custom data

function lineExcerpt(text, line, column) {
  const lines = String(text).split(/\r?\n/);
  const lineText = Number.isInteger(line) && line >= 1 ? lines[line - 1] : undefined;
  if (lineText === undefined) return {};
  // The engine's column is the field number; find that field's characters.
  let start = 0;
  let field = 1;
  let quoted = false;
  let end = lineText.length;
  for (let i = 0; i < lineText.length; i++) {
    const c = lineText[i];
    if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      if (field === column) {
        end = i;
        break;
      }
      field += 1;
      start = i + 1;
    }
  }
  if (field < column) start = end = lineText.length;
  return { lineText, lineBefore: lineText.slice(0, start), lineAt: lineText.slice(start, end), lineAfter: lineText.slice(end) };
}

function applyCustom() {
  const files = s.custom.files;
  const previous = runtime.engine;
  const swap = (engine) => {
    if (previous && previous !== runtime.embedded && previous !== engine) previous.free();
    runtime.engine = engine;
    setMarketEngine(engine);
    engineVersion += 1;
    s.dataInfo = engine.dataInfo();
  };
  const saved = saveCustom({ files, replace: s.custom.replace });
  if (!files.length) {
    uploadedRateKeys = new Set();
    runtime.cardsEngine = null;
    s.customStatus = null;
    if (previous !== runtime.embedded) swap(runtime.embedded);
    return;
  }
  // Each file alone first, so an error names the file it is in.
  for (const [i, f] of files.entries()) {
    try {
      if (f.kind === 'meta') {
        const alone = new runtime.cards.Engine();
        try {
          alone.loadRateCard(...metaArgs(f));
        } finally {
          alone.free();
        }
      } else {
        createEngine({ [f.kind]: f.text }).free();
      }
    } catch (err) {
      const e = describeError(err);
      s.customStatus = { error: e, fileIndex: i, fileName: f.name, ...(f.text ? lineExcerpt(f.text, e.line, e.column) : {}) };
      return;
    }
  }
  const data = { replace: Boolean(s.custom.replace) };
  for (const k of KINDS) {
    const texts = files.filter((f) => f.kind === k).map((f) => f.text);
    if (texts.length) data[k] = texts.length === 1 ? texts[0] : texts;
  }
  try {
    // With one of Meta's files, the engine is the card-reading package's (pkg/cards/): the
    // calculator's own package has no reader of Meta's files. Meta's files are laid over the
    // others in the order they were added (docs/data.md).
    const metas = files.filter((x) => x.kind === 'meta');
    const engine = metas.length ? new runtime.cards.Engine(data) : createEngine(data);
    for (const f of metas) f.info = engine.loadRateCard(...metaArgs(f));
    runtime.cardsEngine = metas.length ? engine : null;
    uploadedRateKeys = rateKeys(files.filter((f) => f.kind === 'rates'));
    swap(engine);
    s.customStatus = { ok: true, saved };
  } catch (err) {
    s.customStatus = { error: describeError(err), fileName: files.map((f) => f.name).join(', ') };
  }
}

function rateKeys(files) {
  const keys = new Set();
  for (const f of files) {
    const rows = parseCsv(f.text);
    const header = rows.shift() ?? [];
    const [d, c, m, k] = ['effective_date', 'currency', 'market', 'category'].map((n) => header.indexOf(n));
    for (const r of rows) if (r.length > 3) keys.add(`${r[d]}|${r[c]}|${r[m]}|${r[k]}`);
  }
  return keys;
}

// ------------------------------------------------------------------ URL and draft

function syncUrl() {
  let encoded = null;
  try {
    encoded = runtime.engine.encodeScenario(s.scenario);
    s.encoded = encoded;
  } catch {
    encoded = s.encoded ?? null; // the last scenario that could be encoded; the draft has the rest
  }
  const base = `${location.origin}${location.pathname}`;
  const quoteEncoded = s.quote?.quote?.encoded ?? null;
  // A link names the loaded Meta cards its figures need (file name and SHA-256 prefix), so the
  // page that opens it can ask for a missing one instead of pricing without it.
  const c = s.customStatus?.ok ? s.custom.files.filter((f) => f.kind === 'meta').map((f) => `${f.sha}:${f.name}`).join('|') || null : null;
  s.shareUrl = encoded ? `${base}${buildHash({ s: encoded, v: s.view === 'compare' ? 'compare' : null, d: s.view === 'compare' ? s.compareDates.join(',') : null, c })}` : base;
  s.quoteUrl = quoteEncoded ? `${base}${buildHash({ q: quoteEncoded, v: 'quote', c })}` : s.shareUrl;
  const hash = s.view === 'quote' && quoteEncoded
    ? buildHash({ q: quoteEncoded, v: 'quote', c })
    : buildHash({ s: encoded, v: s.view, d: s.view === 'compare' ? s.compareDates.join(',') : null, c });
  if (hash !== location.hash && !(hash === '#' && !location.hash)) {
    history.replaceState(null, '', hash === '#' ? location.pathname : hash);
  }
  lastHash = location.hash;
  // The draft is written after the views have been updated (it is not on the way to the total).
  if (!draftTimer) {
    draftTimer = setTimeout(() => {
      draftTimer = null;
      saveDraft(s, location.hash);
    }, 0);
  }
}

let draftTimer = null;
addEventListener('pagehide', () => saveDraft(s, location.hash));

/** Restore from the URL (a share link wins) or the draft. Needs the engine (to decode). */
function restore({ fromHashChange = false } = {}) {
  const h = readHash();
  const draft = fromHashChange ? null : loadDraft();
  const sameSession = draft && draft.hash === location.hash;
  const useDraft = (d) => {
    if (d.scenario && typeof d.scenario === 'object') s.scenario = d.scenario;
    if (Array.isArray(d.compareDates) && d.compareDates.length) s.compareDates = d.compareDates;
    if (d.quoteMeta && typeof d.quoteMeta === 'object') s.quoteMeta = { ...s.quoteMeta, ...d.quoteMeta };
    if (d.timeline && Array.isArray(d.timeline.events)) s.timeline = d.timeline;
    if (typeof d.timelineJson === 'string') s.timelineJson = d.timelineJson;
    if (VIEWS.includes(d.view)) s.view = d.view;
  };
  s.linkError = null;
  s.linkCards = parseCards(h.c);
  if ((h.q || h.s) && !sameSession) {
    if (draft && !fromHashChange) {
      // Keep the user's own timeline and quote details; the link brings the scenario.
      if (draft.timeline && Array.isArray(draft.timeline.events)) s.timeline = draft.timeline;
    }
    try {
      const decoded = h.q ? runtime.engine.decodeQuote(h.q) : runtime.engine.decodeScenario(h.s);
      s.scenario = decoded.scenario;
      s.lastGood = null;
      if (decoded.meta) s.quoteMeta = { ...initialState().quoteMeta, ...stripNulls(decoded.meta) };
      s.view = h.q ? 'quote' : 'estimate';
    } catch (err) {
      s.linkError = describeError(err);
      if (draft) useDraft(draft);
    }
  } else if (draft) {
    useDraft(draft);
  }
  if (VIEWS.includes(h.v)) s.view = h.v;
  if (h.d) {
    const dates = h.d.split(',').filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d));
    if (dates.length) s.compareDates = dates;
  }
}

function stripNulls(o) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
}

// ------------------------------------------------------------------ the store's hooks

store.hooks.before = (state) => {
  if (state.lang !== document.documentElement.dataset.lang) {
    applyLang(state.lang);
    document.documentElement.dataset.lang = state.lang;
    try {
      localStorage.setItem(LANG_KEY, state.lang);
    } catch {
      // not persisted
    }
  }
  if (!runtime.engine) return;
  const t0 = performance.now();
  if (state.custom.changed) {
    if (!runtime.cards && state.custom.files.some((f) => f.kind === 'meta')) {
      // The card-reading package first; the figures are derived again once it is here.
      loadCardsPackage().then((pkg) => {
        runtime.cards = pkg;
        store.set(null);
      }, (err) => store.set((st) => {
        st.customStatus = { error: describeError(err), fileName: 'pkg/cards/' };
        st.custom.changed = false;
      }));
    } else {
      state.custom.changed = false;
      applyCustom();
    }
  }
  deriveEstimate();
  deriveAuthMarkets();
  if (state.view === 'quote') deriveQuote();
  deriveCompare();
  deriveSim();
  syncUrl();
  document.getElementById('view-estimate').hidden = state.view !== 'estimate';
  performance.clearMeasures('waprice:derive');
  performance.measure('waprice:derive', { start: t0 });
};

store.hooks.after = (state) => {
  if (!runtime.engine) return;
  const now = performance.now();
  const body = document.body.dataset;
  if (state.result?.estimate && firstTotalAt === null) {
    firstTotalAt = now;
    performance.mark('waprice:first-total');
    body.firstTotalMs = now.toFixed(1);
    body.ready = 'true';
  }
  if (editAt !== null) {
    body.recomputeMs = (now - editAt).toFixed(1);
    editAt = null;
  }
  body.view = state.view;
  renderBanner(state);
};

store.markEdit = (timeStamp) => {
  editAt = Number.isFinite(timeStamp) && timeStamp > 0 ? timeStamp : performance.now();
};

/** The cards a link needs (its `c` parameter) that this browser does not hold. */
function missingCards(state) {
  const held = new Set(state.custom.files.filter((f) => f.kind === 'meta').map((f) => f.sha));
  return (state.linkCards ?? []).filter((c) => !held.has(c.sha)).map((c) => `${c.name} (SHA-256 ${c.sha})`);
}

function renderBanner(state) {
  const el = document.getElementById('status');
  if (state.linkError) {
    render(el, html`<div class="error" role="alert"><p class="error-title">${t('app.linkError')}</p>
      <p class="error-line"><span class="error-code">${state.linkError.code}</span>: ${errorSentence(state.linkError)}</p></div>`);
  } else if (missingCards(state).length) {
    render(el, html`<div class="error" role="alert" data-testid="missing-card"><p class="error-title">${t('app.cardMissing', { names: missingCards(state).join(', ') })}</p>
      <p class="error-line">${t('app.cardMissingHow')} <a href="#" data-action="go-data">${t('nav.data')}</a></p></div>`);
  } else if (state.dataInfo && state.custom.files.length && state.customStatus?.ok) {
    render(el, html`<p class="status-custom" data-testid="custom-banner"><span class="badge custom-badge">${t('data.fromUpload')}</span> ${t('app.customActive', { n: state.custom.files.length })}</p>`);
  } else {
    render(el, html``);
  }
}

// ------------------------------------------------------------------ start

function fillDatalists() {
  let zones = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = ['UTC'];
  }
  render(document.getElementById('tz-list'), html`<option value="UTC"></option>${zones.map((z) => html`<option value="${z}"></option>`)}`);
  render(document.getElementById('currency-list'), html`${QUOTE_CURRENCIES.map((c) => html`<option value="${c}"></option>`)}`);
}

async function main() {
  performance.mark('waprice:main');
  fillDatalists();
  store.set(null, { now: true }); // first paint: header and placeholders in the chosen language
  performance.mark('waprice:first-paint');
  // The country list only adds names and calling codes: the first total does not wait for it.
  loadCountries()
    .then(() => store.set(() => { memo.estimate = null; }))
    .catch((err) => console.warn('country list unavailable', err));
  let engine;
  try {
    engine = await loadEngine();
  } catch (err) {
    const e = describeError(err);
    render(document.getElementById('status'), html`<div class="error" role="alert"><p class="error-title">${t('app.engineFailed')}</p><p class="error-line"><span lang="en">${e.message}</span></p></div>`);
    return;
  }
  performance.mark('waprice:engine-ready');
  runtime.embedded = engine;
  runtime.engine = engine;
  setMarketEngine(engine);
  const schema = engine.schema();
  setSchema(schema);
  setMessageCatalogue(schema);
  s.dataInfo = engine.dataInfo();
  s.engineReady = true;
  const custom = loadCustom();
  if (custom?.files?.length) {
    s.custom = { files: custom.files, replace: Boolean(custom.replace), pending: [], changed: true };
  }
  restore();
  store.set(null, { now: true });
  window.addEventListener('hashchange', () => {
    if (location.hash === lastHash) return;
    restore({ fromHashChange: true });
    store.set(null, { now: true });
  });
  document.getElementById('status').addEventListener('click', (e) => {
    if (!e.target.closest('[data-action="go-data"]')) return;
    e.preventDefault();
    store.set((st) => {
      st.view = 'data';
    });
  });
  window.addEventListener('beforeprint', () => {
    store.flush();
    document.querySelector('wa-quote')?.render();
  });
}

main();
