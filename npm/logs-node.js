// The Node entry of the log package (`waprice/logs`): the WebAssembly module is read from the
// package's own folder and instantiated synchronously on import (Node's fetch cannot read file:
// URLs). `init()` is then a no-op, kept so that code written for browsers runs unchanged.
import { readFileSync } from 'node:fs';
import init, { initSync } from './waprice.js';

initSync({ module: readFileSync(new URL('./waprice_bg.wasm', import.meta.url)) });

export * from './waprice.js';
export default init;
