// The calculator page: loads the engine and the country list, restores the scenario (URL first,
// then the localStorage draft), and on every change asks the engine for the estimate, the
// comparison, the quote and the timeline verdicts. The engine does all pricing; the views only
// show its answers. One state object (state.js); every view re-renders from it.
import { html, render } from '../shared/html.js';
import { store, runtime } from './state.js';
import { loadEngine, createEngine, loadCardsPackage, describeError } from '../shared/engine.js';
import { loadCountries, parseCsv } from '../shared/countries.js';
import { setMarketEngine } from '../shared/markets.js';
import { t, LANGS, startLang, keepLang, applyDocumentLang } from '../shared/i18n/index.js';
import {
  readHash, buildHash, parseCards, saveDraft, loadDraft, saveCustom, loadCustom, VIEWS, initialState,
} from './store.js';
import { timelineInput } from './timeline.js';
import {
  readSaved, updateSaved, setAsideSaved, entryFrom, entryOk, putEntry, duplicateEntry, deleteEntry, newKey,
  readSide, writeSide,
} from './saved.js';
import { QUOTE_CURRENCIES } from './quick-starts.js';
import { setSchema } from './schema.js';
import { setMessageCatalogue, errorSentence } from '../shared/ui.js';
import { KINDS } from './components/wa-data.js';
import { metaArgs } from '../shared/ratecards.js';
import { optionsForEngine } from './components/quote-options.js';
import './components/wa-nav.js';
import './components/wa-estimator.js';
import './components/wa-results.js';
import './components/wa-compare.js';
import './components/wa-timeline.js';
import './components/wa-quote.js';
import './components/wa-saved-quotes.js';
import './components/wa-side-banner.js';

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
  applyDocumentLang(code, 'app.title', 'app.description');
  s.lang = code;
  const skip = document.getElementById('skip');
  if (skip) skip.textContent = t('app.skip');
  const footer = document.getElementById('footer-text');
  if (footer) render(footer, html`${t('app.footer')} <a href="../data/PROVENANCE.md">data/PROVENANCE.md</a>`);
}

applyLang(await startLang());

// ------------------------------------------------------------------ print setup

const FONTS = {
  zh: '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Noto Sans", sans-serif',
  ja: '"Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", "Meiryo", "Noto Sans", sans-serif',
  en: 'system-ui, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif',
};

/** A value as a CSS string. */
function cssString(v) {
  return `"${String(v).replace(/[\\"]/g, '\\$&').replace(/[\n\r\f]/g, ' ')}"`;
}

/** A catalog template with `{page}` and `{pages}` as a CSS `content` value with page counters. */
function pageCounterContent(template) {
  const parts = template.split(/(\u0001|\u0002)/);
  return parts.filter((p) => p !== '').map((p) => (p === '\u0001' ? 'counter(page)' : p === '\u0002' ? 'counter(pages)' : cssString(p))).join(' ') || '""';
}

let printSheet = null;
let printText = '';

/**
 * The printed page: its size (the quote view's A4 / Letter choice) and its margin boxes — the quote
 * number at the top and "page N of M" at the bottom of every page, in the page's language
 * (Chromium draws `@page` margin boxes; other browsers print the document without them).
 */
function applyPrintSetup() {
  const size = s.quoteMeta.paper === 'letter' ? 'letter' : 'A4';
  const id = s.quote?.quote?.id;
  const font = FONTS[s.lang] ?? FONTS.en;
  const box = `font-family: ${font}; font-size: 8pt; color: #555;`;
  const text = `@page { size: ${size};
  @top-right { content: ${id ? cssString(t('q.pageNumber', { number: id })) : '""'}; ${box} }
  @bottom-right { content: ${pageCounterContent(t('q.pageOf', { page: '\u0001', pages: '\u0002' }))}; ${box} }
}`;
  if (text === printText) return;
  printText = text;
  // A constructed style sheet: the page's CSP (style-src 'self') allows no inline <style>.
  if (!printSheet) {
    printSheet = new CSSStyleSheet();
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, printSheet];
  }
  printSheet.replaceSync(text);
  document.body.dataset.paper = size;
}

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

function quoteMeta(m = s.quoteMeta) {
  const out = { issued: m.issued };
  for (const k of ['seller', 'customer', 'reference']) if (m[k]) out[k] = m[k];
  if (m.validDays !== undefined && m.validDays !== '') out.validDays = m.validDays;
  return { ...out, ...optionsForEngine(m) };
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
      persist();
    }, 0);
  }
}

let draftTimer = null;
addEventListener('pagehide', () => persist());

/**
 * Write what the user sees where it belongs: the draft, or (when a link or a saved quote is open
 * beside it) the side entry, so that opening a link never overwrites the draft.
 */
function persist() {
  // The hash this state was written to (a hash change is read after the state is kept).
  const hash = lastHash ?? location.hash;
  if (s.workspace === 'side' && s.side) {
    writeSide(localStorage, {
      ...s.side, hash, view: s.view, scenario: s.scenario, quoteMeta: s.quoteMeta, compareDates: s.compareDates,
    });
  } else {
    saveDraft(s, hash);
  }
}

/**
 * Restore from the URL, the draft and the side entry (saved.js). A share link that differs from the
 * draft opens beside it (`workspace: 'side'`), the draft kept as it is, one click away; after a
 * reload the side entry whose hash is the URL's comes back. Needs the engine (to decode).
 */
function restore() {
  const h = readHash();
  const draft = loadDraft();
  const side = readSide(localStorage);
  const sameSession = draft && draft.hash === location.hash;
  s.linkError = null;
  s.linkCards = parseCards(h.c);
  s.side = side && side.origin !== 'unreadable' ? pickSide(side) : null;
  s.workspace = 'draft';
  if (side && side.origin !== 'unreadable' && side.hash === location.hash && !sameSession) {
    useSaved(side);
    s.workspace = 'side';
  } else if ((h.q || h.s) && !sameSession) {
    try {
      const decoded = h.q ? runtime.engine.decodeQuote(h.q) : runtime.engine.decodeScenario(h.s);
      if (draft) {
        // The user's own draft stays in storage untouched; the link opens beside it.
        useSaved(draft);
        s.side = { origin: 'link', savedKey: null, hash: location.hash };
        s.workspace = 'side';
      }
      s.scenario = decoded.scenario;
      s.lastGood = null;
      if (decoded.meta) s.quoteMeta = { ...initialState().quoteMeta, ...stripNulls(decoded.meta), ...(s.quoteMeta.paper ? { paper: s.quoteMeta.paper } : {}) };
      s.view = h.q ? 'quote' : 'estimate';
      if (s.workspace === 'side') writeSide(localStorage, { ...s.side, scenario: s.scenario, quoteMeta: s.quoteMeta, view: s.view, compareDates: s.compareDates });
    } catch (err) {
      s.linkError = describeError(err);
      if (draft) useSaved(draft);
    }
  } else if (draft) {
    useSaved(draft);
  }
  if (VIEWS.includes(h.v)) s.view = h.v;
  if (h.d) {
    const dates = h.d.split(',').filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d));
    if (dates.length) s.compareDates = dates;
  }
}

/** The side entry's description (what the banner and the list need), without its content. */
function pickSide(side) {
  return { origin: side.origin, savedKey: side.savedKey ?? null, hash: side.hash ?? null };
}

/** Put a stored workspace (the draft, the side entry or a saved quote) into the state. */
function useSaved(d) {
  if (d.scenario && typeof d.scenario === 'object') s.scenario = structuredClone(d.scenario);
  if (Array.isArray(d.compareDates) && d.compareDates.length) s.compareDates = d.compareDates;
  if (d.quoteMeta && typeof d.quoteMeta === 'object') s.quoteMeta = { ...initialState().quoteMeta, ...d.quoteMeta };
  if (d.timeline && Array.isArray(d.timeline.events)) s.timeline = d.timeline;
  if (typeof d.timelineJson === 'string') s.timelineJson = d.timelineJson;
  if (VIEWS.includes(d.view)) s.view = d.view;
  s.lastGood = null;
}

// ------------------------------------------------------------------ saved quotes (saved.js)

function refreshSaved() {
  s.saved = readSaved(localStorage);
}

/**
 * Before a saved quote takes the place beside the draft: a link's quote not saved yet goes to the
 * saved list first (nothing the user opened is lost). False, with a note, when it cannot be.
 */
function keepUnsavedSide(now, savedAt) {
  if (!s.side || s.side.savedKey) return true;
  const side = s.workspace === 'side' ? { scenario: s.scenario, quoteMeta: s.quoteMeta } : readSide(localStorage);
  if (!side?.scenario) return true;
  let q;
  try {
    q = runtime.engine.quote(structuredClone(side.scenario), quoteMeta({ ...initialState().quoteMeta, ...side.quoteMeta }));
  } catch (err) {
    const e = describeError(err);
    s.ui.savedNote = { code: 'error', error: { code: 'saved_quotes_side_unpriced', params: { code: e.code }, message: `the quote opened from a link cannot be priced (${e.code}: ${e.message}); save or discard it first` } };
    return false;
  }
  const res = updateSaved(localStorage, (quotes) => putEntry(quotes, entryFrom(q, side.scenario, side.quoteMeta ?? {}, { key: newKey(quotes, now), savedAt }))[0]);
  if (!res.ok) {
    s.ui.savedNote = { code: 'error', error: res.error };
    return false;
  }
  s.ui.savedNote = { code: 'saved', number: q.id };
  return true;
}

function savedAction({ action, key }) {
  persist();
  const now = Date.now();
  const savedAt = new Date(now).toISOString();
  s.ui.savedNote = null;
  if (action === 'save') {
    deriveQuote();
    const q = s.quote?.quote;
    if (!q) return;
    const onSide = s.workspace === 'side' && s.side;
    const cur = readSaved(localStorage);
    const entryKey = (onSide && s.side.savedKey) || newKey(cur.quotes ?? [], now);
    let stored = entryKey;
    const res = updateSaved(localStorage, (quotes) => {
      const [out, k] = putEntry(quotes, entryFrom(q, s.scenario, s.quoteMeta, { key: entryKey, savedAt }));
      stored = k;
      return out;
    });
    if (res.ok) {
      s.ui.savedNote = { code: 'saved', number: q.id };
      if (onSide) {
        s.side = { ...s.side, origin: 'saved', savedKey: stored };
        persist();
      }
    } else {
      s.ui.savedNote = { code: 'error', error: res.error };
    }
  } else if (action === 'open') {
    const entry = (readSaved(localStorage).quotes ?? []).find((e) => e?.key === key);
    if (!entryOk(entry) || !keepUnsavedSide(now, savedAt)) return;
    if (s.workspace === 'draft') saveDraft(s, location.hash);
    useSaved(entry);
    s.view = 'quote';
    s.side = { origin: 'saved', savedKey: key, hash: null };
    s.workspace = 'side';
    memo.quote = null;
  } else if (action === 'open-side') {
    const side = readSide(localStorage);
    if (!side || side.origin === 'unreadable') return;
    if (s.workspace === 'draft') saveDraft(s, location.hash);
    useSaved(side);
    s.side = pickSide(side);
    s.workspace = 'side';
  } else if (action === 'duplicate') {
    const res = updateSaved(localStorage, (quotes) => duplicateEntry(quotes, key, { newKey: newKey(quotes, now), savedAt }));
    if (!res.ok) s.ui.savedNote = { code: 'error', error: res.error };
  } else if (action === 'delete') {
    const cur = readSaved(localStorage);
    const at = (cur.quotes ?? []).findIndex((e) => e?.key === key);
    if (at < 0) return;
    const entry = cur.quotes[at];
    const res = updateSaved(localStorage, (quotes) => deleteEntry(quotes, key));
    if (res.ok) {
      s.ui.savedNote = { code: 'deleted', number: entry.number ?? '', entry, at };
      if (s.side?.savedKey === key) s.side = { ...s.side, savedKey: null }; // open, no longer saved
    } else {
      s.ui.savedNote = { code: 'error', error: res.error };
    }
  } else if (action === 'undo') {
    const note = store.state.ui.lastDeleted;
    if (note) updateSaved(localStorage, (quotes) => (quotes.some((e) => e?.key === note.entry.key) ? quotes : [...quotes.slice(0, note.at), note.entry, ...quotes.slice(note.at)]));
  } else if (action === 'back') {
    // The side entry stays stored (it is listed beside the saved quotes) until saved or discarded.
    const draft = loadDraft();
    s.workspace = 'draft';
    if (draft) useSaved(draft);
  } else if (action === 'discard') {
    writeSide(localStorage, null);
    s.side = null;
    if (s.workspace === 'side') {
      s.workspace = 'draft';
      const draft = loadDraft();
      if (draft) useSaved(draft);
    }
  } else if (action === 'set-aside') {
    const backup = setAsideSaved(localStorage, now);
    s.ui.savedNote = { code: 'set-aside', key: backup };
  }
  s.ui.lastDeleted = s.ui.savedNote?.code === 'deleted' ? s.ui.savedNote : null;
  refreshSaved();
}

function stripNulls(o) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
}

// ------------------------------------------------------------------ the store's hooks

store.hooks.before = (state) => {
  if (state.lang !== document.documentElement.dataset.lang) {
    applyLang(state.lang);
    document.documentElement.dataset.lang = state.lang;
    keepLang(state.lang);
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
  applyPrintSetup();
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
  if (custom?.setAside || custom?.blocked) s.customStore = { setAside: custom.setAside ?? null, blocked: Boolean(custom.blocked) };
  restore();
  refreshSaved();
  store.set(null, { now: true });
  window.addEventListener('hashchange', () => {
    if (location.hash === lastHash) return;
    persist();
    restore();
    store.set(null, { now: true });
  });
  document.getElementById('status').addEventListener('click', (e) => {
    if (!e.target.closest('[data-action="go-data"]')) return;
    e.preventDefault();
    store.set((st) => {
      st.view = 'data';
    });
  });
  document.addEventListener('wa-saved', (e) => {
    store.set(() => savedAction(e.detail ?? {}), { now: true });
  });
  window.addEventListener('beforeprint', () => {
    store.flush();
    document.querySelector('wa-quote')?.render();
    applyPrintSetup();
  });
}

main();
