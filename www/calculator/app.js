// Boot: start fetching and compiling the WebAssembly engine at once, while the rest of the page's
performance.mark('waprice:app-start');
// modules load (main.js), so the first total appears as early as possible.
import { loadEngine } from '../shared/engine.js';
import { prefetchCountries } from '../shared/countries.js';

loadEngine().catch(() => {
  // main.js reports a failure to load the engine on the page.
});
prefetchCountries().catch(() => {
  // main.js says so if the list cannot be read.
});
import('./main.js');
