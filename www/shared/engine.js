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

let logEnginePromise = null;

/**
 * The engine of the log-import package (pkg/logs/, the build with the log importer), loaded on
 * demand by the log page; the calculator's package (pkg/) stays small.
 */
export function loadLogEngine() {
  logEnginePromise ??= import('../../pkg/logs/waprice.js').then(async (pkg) => {
    await pkg.default();
    return new pkg.Engine();
  });
  return logEnginePromise;
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
    return out;
  }
  return { code: 'error', path: '', message: String(error) };
}
