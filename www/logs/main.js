// The log page: a worker (log-reader.js) reads a dropped log file in chunks (File.slice) into
// tapes, which the engine's streaming log pricer prices here; the views show the progress, then
// the report. One state object (state.js), in the link for its options; the views render from it
// and send their events up to this module, which acts on them. The engine does all the pricing,
// with Meta's rate-card files the user loaded (cards.js keeps them) laid over the embedded data.
import { setMessageCatalogue } from '../shared/ui.js';
import { loadLogPackage, loadLogEngine, describeError } from '../shared/engine.js';
import { metaArgs, readDropped, previewDropped } from '../shared/ratecards.js';
import { readCards, writeCards, setAsideCards } from './cards.js';
import { t, loadLang, startLang, keepLang, applyDocumentLang } from '../shared/i18n/index.js';
import { store, readHash, buildHash, engineOptions, useSchema } from './state.js';
import { exportReport } from './export.js';
import './components/wa-log-header.js';
import './components/wa-log-status.js';
import './components/wa-log-form.js';
import './components/wa-log-progress.js';
import './components/wa-log-report.js';
import './components/wa-log-cards.js';

const s = store.state;

// ------------------------------------------------------------------ language

function applyLang(code) {
  applyDocumentLang(code, 'log.title', 'log.description');
  s.lang = code;
  const footer = document.getElementById('footer-text');
  if (footer) footer.textContent = t('log.footer');
  const back = document.getElementById('footer-back');
  if (back) back.textContent = t('log.back');
}

applyLang(await startLang());

document.addEventListener('log-lang', async (e) => {
  const code = await loadLang(e.detail.lang);
  applyLang(code);
  keepLang(code);
  store.set();
});

// ------------------------------------------------------------------ the options in the link

function fromLink() {
  const { options, problems } = readHash();
  store.set((st) => {
    st.options = options;
    st.linkProblems = problems;
  }, { now: true });
}

/** Writes the options into the address (replacing the entry: no history per keystroke). */
function writeLink() {
  const hash = buildHash(s.options);
  if (hash === location.hash) return;
  history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
}

document.addEventListener('log-option', (e) => {
  store.set((st) => { st.options[e.detail.key] = e.detail.value; });
  writeLink();
});
// Before the engine has loaded there are no options to read (their defaults are the engine's).
let schemaRead = false;
addEventListener('hashchange', () => {
  if (schemaRead) fromLink();
});

// ------------------------------------------------------------------ Meta's rate-card files

/** The engine with the loaded rate-card files laid over the embedded data (null: none loaded). */
let cardsEngine = null;

/**
 * Builds the engine of the files in use, in their order (later files win): each is loaded or
 * keeps the reader's error (then it is not used, and the page says so).
 */
async function buildCardsEngine() {
  const pkg = await loadLogPackage();
  // A pricing under way holds its own copy of the engine: freeing this one does not touch it.
  cardsEngine?.free();
  cardsEngine = null;
  const files = s.cards.files;
  if (!files.length) return;
  const engine = new pkg.Engine();
  for (const f of files) {
    try {
      f.info = engine.loadRateCard(...metaArgs(f));
      f.error = null;
    } catch (err) {
      f.info = null;
      f.error = describeError(err);
    }
  }
  cardsEngine = engine;
}

/** The engine that prices logs: the embedded data with the files in use. */
async function pricingEngine() {
  return cardsEngine ?? loadLogEngine();
}

/** Keeps the files in use in the browser (unless the stored ones cannot be read). */
function keepCards() {
  const out = writeCards(localStorage, s.cards.files);
  s.cards.saved = out.ok ? out.saved : false;
  if (!out.ok) s.cards.problem = out;
}

/** After a change of the files in use: rebuild the engine, and price the last log again. */
async function cardsChanged() {
  await buildCardsEngine();
  keepCards();
  store.set();
  if (lastFile) price(lastFile);
}

document.addEventListener('log-cards-add', async (e) => {
  const read = await Promise.all(e.detail.files.map(readDropped));
  const engine = await pricingEngine();
  store.set((st) => {
    for (const f of read) {
      // Previewed over the files in use (what it adds or replaces), used only when the user says so.
      st.cards.pending = st.cards.pending.filter((x) => x.name !== f.name);
      previewDropped(f, engine);
      st.cards.pending.push(f);
    }
  });
});
document.addEventListener('log-card-field', async (e) => {
  const { index, key, value } = e.detail;
  const p = s.cards.pending[index];
  if (!p || !['date', 'currency'].includes(key)) return;
  const engine = await pricingEngine();
  store.set(() => {
    p[key] = value || undefined;
    previewDropped(p, engine);
  });
});
document.addEventListener('log-card-use', async (e) => {
  const p = s.cards.pending[e.detail.index];
  if (!p?.preview) return;
  s.cards.pending.splice(e.detail.index, 1);
  const { preview, error, ...file } = p;
  s.cards.files = s.cards.files.filter((x) => x.name !== file.name);
  s.cards.files.push(file);
  await cardsChanged();
});
document.addEventListener('log-card-discard', (e) => {
  store.set((st) => { st.cards.pending.splice(e.detail.index, 1); });
});
document.addEventListener('log-card-remove', async (e) => {
  if (!s.cards.files[e.detail.index]) return;
  s.cards.files.splice(e.detail.index, 1);
  await cardsChanged();
});
document.addEventListener('log-cards-aside', () => {
  setAsideCards(localStorage);
  store.set((st) => {
    st.cards.problem = null;
    keepCards();
  });
});

/** The files kept in the browser, loaded when the page opens. */
async function restoreCards() {
  let stored;
  try {
    stored = readCards(localStorage);
  } catch (err) {
    stored = { ok: false, files: [], raw: null, error: { code: 'log_cards_unavailable', params: {}, message: String(err?.message ?? err) } };
  }
  s.cards.problem = stored.ok ? null : stored;
  s.cards.files = stored.files.map((f) => ({ ...f }));
  await buildCardsEngine();
}

// ------------------------------------------------------------------ reading and pricing

/** Nothing read yet: the progress of a pricing that has just started. */
const NO_PROGRESS = { bytes: 0, events: 0, errors: 0, users: 0 };

function progress(p, total, seconds, state) {
  store.set((st) => {
    st.progress = { bytes: p.bytes, events: p.events, errors: p.errors, users: p.users, total, seconds, state };
  });
}

/** The progress of a pricing that ended early (Stop, or an error) says so. */
function markStopped() {
  if (s.progress?.state === 'reading') s.progress = { ...s.progress, state: 'stopped' };
}

let run = 0;
/** Stops the reading of the pricing under way, if any. */
let stopReading = () => {};

/** A reading worker started before a log is chosen, its module loading meanwhile (or `null`). */
let spare = null;
function startReader() {
  const worker = new Worker(new URL('./log-reader.js', import.meta.url), { type: 'module' });
  // A worker that fails to start before it is used says so when it is.
  worker.onerror = (ev) => {
    ev.preventDefault();
    worker.failed = ev.message || 'it could not start';
  };
  return worker;
}

/**
 * Reads `file` in a worker (the spare one, if started) and gives each tape to `onTape(tape)` as
 * it comes; resolves after the last, rejects with the worker's error (or `onTape`'s), and stops
 * the worker either way.
 */
function readInWorker(file, options, onTape) {
  const worker = spare ?? startReader();
  spare = null;
  let stop;
  return new Promise((resolve, reject) => {
    stop = () => {
      worker.terminate();
      resolve();
    };
    stopReading = stop;
    worker.onmessage = ({ data }) => {
      if (data.type === 'error') {
        reject(data.error);
        return;
      }
      try {
        onTape(data.tape);
      } catch (err) {
        reject(err);
        return;
      }
      if (data.last) resolve();
      else worker.postMessage({ type: 'ack' });
    };
    const failed = (why) => reject({ code: 'error', path: '', message: `the log reader stopped: ${why}` });
    if (worker.failed) failed(worker.failed);
    worker.onerror = (ev) => {
      ev.preventDefault();
      failed(ev.message || 'it could not start');
    };
    worker.postMessage({ type: 'read', file, options });
  }).finally(() => {
    worker.terminate();
    // A pricing started since has its own.
    if (stopReading === stop) stopReading = () => {};
  });
}

async function price(file) {
  stopReading();
  const token = ++run;
  store.set((st) => {
    st.report = null;
    st.failure = null;
    st.file = { name: file.name, size: file.size };
    // Not the last log's figures: this one's, from nothing.
    st.progress = { ...NO_PROGRESS, total: file.size, seconds: 0, state: 'reading' };
    st.running = true;
    st.status = { key: 'log.pricing', vars: { name: file.name } };
  }, { now: true });
  document.body.dataset.done = 'false';
  let pricer;
  let start = performance.now();
  try {
    const engine = await pricingEngine();
    const opts = engineOptions(s.options);
    pricer = engine.logPricer(opts);
    start = performance.now();
    let shown = 0;
    await readInWorker(file, opts, (tape) => {
      pricer.replay(tape);
      const now = performance.now();
      if (now - shown > 100) {
        shown = now;
        progress(pricer.progress(), file.size, (now - start) / 1000, 'reading');
      }
    });
    if (token !== run) return;
    const report = pricer.finish();
    progress(pricer.progress(), file.size, (performance.now() - start) / 1000, 'done');
    store.set((st) => {
      st.report = report;
      st.status = { key: 'log.priced', vars: { name: file.name } };
    });
  } catch (err) {
    if (token !== run) return;
    // How far the reading got before the error (the pricer's counts stay readable after one).
    if (pricer) progress(pricer.progress(), file.size, (performance.now() - start) / 1000, 'stopped');
    store.set((st) => {
      if (!pricer) markStopped();
      st.failure = { error: err, title: { key: 'log.failed', vars: { name: file.name } } };
      st.status = { key: 'log.stoppedFile', vars: { name: file.name } };
    });
  } finally {
    pricer?.free();
    if (token === run) {
      store.set((st) => { st.running = false; }, { now: true });
      document.body.dataset.done = 'true';
      // The next log's reader starts loading now, not while this one was priced.
      spare ??= startReader();
    }
  }
}

/** The last file chosen or dropped. */
let lastFile = null;

document.addEventListener('log-file', (e) => {
  lastFile = e.detail.file;
  price(lastFile);
});
document.addEventListener('log-price', () => {
  if (lastFile) price(lastFile);
  else store.set((st) => { st.status = { key: 'log.chooseFirst', vars: {} }; });
});
document.addEventListener('log-stop', () => {
  run++;
  stopReading();
  store.set((st) => {
    st.running = false;
    markStopped();
    st.status = { key: 'log.stopped', vars: {} };
  }, { now: true });
  document.body.dataset.done = 'true';
});
document.addEventListener('log-csv', () => {
  if (s.report) exportReport(s.report, s.file?.name);
});

async function main() {
  try {
    // The options' defaults are the engine's; the options come from the link (or stay the
    // defaults) before anything is priced.
    const schema = (await loadLogEngine()).schema();
    useSchema(schema);
    setMessageCatalogue(schema);
    schemaRead = true;
    fromLink();
    await restoreCards();
  } catch (err) {
    store.set((st) => {
      st.failure = { error: err, title: { key: 'log.loadFailed', vars: {} } };
      st.status = null;
    });
    return;
  }
  spare = startReader();
  store.set((st) => {
    st.ready = true;
    st.status = { key: 'log.ready', vars: {} };
  }, { now: true });
  document.body.dataset.ready = 'true';
}

main();
