// The log page's views: the shared base class (shared/view.js) bound to the log page's store.
import { View } from '../../shared/view.js';
import { store } from '../state.js';

export class LogView extends View {
  static store = store;
}

/** Send `name` up from `el` with `detail` (the page's main module acts on it). */
export function emit(el, name, detail = {}) {
  el.dispatchEvent(new CustomEvent(name, { bubbles: true, detail }));
}
