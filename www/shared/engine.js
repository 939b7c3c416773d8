// The only module that imports the WebAssembly package. Everything else asks this module.
import init, { Engine } from '../../pkg/waprice.js';

let ready = null;
let enginePromise = null;

/** Load and instantiate the WebAssembly module once. */
export function loadWasm() {
  ready ??= init().then((out) => {
    performance.mark('waprice:wasm-ready');
    return out;
  });
  return ready;
}

/** The engine with the embedded data, loaded once. */
export function loadEngine() {
  enginePromise ??= loadWasm().then(() => {
    const engine = new Engine();
    performance.mark('waprice:engine-built');
    return engine;
  });
  return enginePromise;
}

/**
 * A new engine with CSV data laid over (or replacing) the embedded data:
 * `data = { rates, tiers, markets, replace }` as in docs/api.md. Throws the engine's `csv_error`.
 * Call only after `loadEngine()` (or `loadWasm()`) has resolved.
 */
export function createEngine(data) {
  return new Engine(data);
}

let logPackagePromise = null;
let logEnginePromise = null;

/**
 * The log-import package (pkg/logs/: the engine with the log importer and the reader of Meta's
 * rate-card files, `loadRateCard`), loaded on demand by the log page; the calculator's package
 * (pkg/) stays small.
 */
export function loadLogPackage() {
  logPackagePromise ??= import('../../pkg/logs/waprice.js').then(async (pkg) => {
    await pkg.default();
    return pkg;
  });
  return logPackagePromise;
}

/** The engine of the log-import package with the embedded data, built once. */
export function loadLogEngine() {
  logEnginePromise ??= loadLogPackage().then((pkg) => new pkg.Engine());
  return logEnginePromise;
}

let cardsPromise = null;

/**
 * The card-reading package (pkg/cards/: the engine with `loadRateCard` for Meta's own CSV and XLSX
 * rate-card files), loaded on the first call only: the calculator's package (pkg/) has no reader
 * of Meta's files, to stay within its size budget.
 */
export function loadCardsPackage() {
  cardsPromise ??= import('../../pkg/cards/waprice.js').then(async (pkg) => {
    await pkg.default();
    return pkg;
  });
  return cardsPromise;
}

/**
 * A new engine of the card-reading package with CSV data laid over the embedded data (as
 * `createEngine`); call only after `loadCardsPackage()` has resolved.
 */
export async function createCardsEngine(data) {
  const pkg = await loadCardsPackage();
  return new pkg.Engine(data);
}

/** The first 12 hex digits of a SHA-256 of bytes (names a loaded rate card in links and quotes). */
export async function sha256Prefix(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest.slice(0, 6)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** An engine error (or any thrown value) as plain strings and numbers. */
export function describeError(error) {
  if (error && typeof error === 'object') {
    const out = {
      code: typeof error.code === 'string' ? error.code : 'error',
      path: typeof error.path === 'string' ? error.path : '',
      message: String(error.message ?? error),
    };
    if (typeof error.file === 'string') out.file = error.file;
    if (Number.isFinite(error.line)) out.line = error.line;
    if (Number.isFinite(error.column)) out.column = error.column;
    if (typeof error.sheet === 'string') out.sheet = error.sheet;
    if (typeof error.cell === 'string') out.cell = error.cell;
    if (error.params && typeof error.params === 'object') out.params = error.params;
    return out;
  }
  return { code: 'error', path: '', message: String(error) };
}
