// The log page's reading worker: reads the chosen File in chunks and turns each into a tape with
// its own instance of the log package (engine.logReader), which the page's pricer replays. The
// page prices while this worker reads and parses the next chunks (wasm has no shared-memory
// threads: the tape is what crosses, transferred without a copy). Messages:
//   in:  { type: 'read', file, options }, then { type: 'ack' } for each tape priced
//   out: { type: 'tape', tape, last }, or { type: 'error', error: { code, path, message } }
import { loadLogEngine, describeError } from '../shared/engine.js';

const CHUNK = 4 * 1024 * 1024;
/** Chunks being read from the file while one is parsed. */
const READ_AHEAD = 2;
/** Tapes sent and not yet priced: the reading waits beyond this (bounded memory). */
const IN_FLIGHT = 3;

// The module loads as soon as the worker starts: the page starts one before a log is chosen.
const loaded = loadLogEngine();
// A failure to load is reported when a log is read.
loaded.catch(() => {});

let inFlight = 0;
let wake = null;

async function send(tape, last) {
  while (inFlight >= IN_FLIGHT) await new Promise((resolve) => { wake = resolve; });
  inFlight++;
  self.postMessage({ type: 'tape', tape, last }, [tape.buffer]);
}

async function read(file, options) {
  const engine = await loaded;
  const reader = engine.logReader(options);
  try {
    // A read left pending when the worker is stopped is not reported.
    const slice = (at) => {
      if (at >= file.size) return null;
      const pending = file.slice(at, at + CHUNK).arrayBuffer();
      pending.catch(() => {});
      return pending;
    };
    const ahead = [];
    for (let k = 0; k < READ_AHEAD; k++) ahead.push(slice(k * CHUNK));
    for (let at = 0; at < file.size; at += CHUNK) {
      const bytes = new Uint8Array(await ahead.shift());
      ahead.push(slice(at + READ_AHEAD * CHUNK));
      await send(reader.push(bytes), false);
    }
    await send(reader.finish(), true);
  } finally {
    reader.free();
  }
}

self.onmessage = ({ data }) => {
  if (data.type === 'ack') {
    inFlight--;
    wake?.();
    wake = null;
  } else if (data.type === 'read') {
    read(data.file, data.options).catch((err) => {
      self.postMessage({ type: 'error', error: describeError(err) });
    });
  }
};
