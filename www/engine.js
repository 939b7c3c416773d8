// The only module that imports the WebAssembly package. Everything else asks this module.
import init, { Engine } from '../pkg/waprice.js';

let enginePromise = null;

/** The engine with the embedded data, loaded once. */
export function loadEngine() {
  enginePromise ??= init().then(() => new Engine());
  return enginePromise;
}

/** An engine error (or any thrown value) as plain { code, path, message } strings. */
export function describeError(error) {
  if (error && typeof error === 'object') {
    return {
      code: typeof error.code === 'string' ? error.code : 'error',
      path: typeof error.path === 'string' ? error.path : '',
      message: String(error.message ?? error),
    };
  }
  return { code: 'error', path: '', message: String(error) };
}
