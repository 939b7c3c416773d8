// Base class of the pages' custom elements: each one renders its whole view from its page's one
// state object (`static store`, set by the page's own base class) on every change, through
// `patch`, which only touches what changed.
// A view may return a list of [key, markup] sections: then only the sections whose markup changed
// are patched (typing in one field re-renders the form from state but touches one section).
import { html, patch } from './html.js';

const idle = window.requestIdleCallback ?? ((fn) => setTimeout(fn, 50));
const cancelIdle = window.cancelIdleCallback ?? clearTimeout;

export class View extends HTMLElement {
  /** The page's store (shared/store.js); each page's base class sets it. */
  static store = null;

  get store() {
    return this.constructor.store;
  }

  /** The view's name in state.view, or null for elements shown on every view. */
  static viewName = null;
  /** Render while hidden too, when the page is idle (the quote: printing works from any view). */
  static renderHidden = false;

  connectedCallback() {
    if (this.unsubscribe) return;
    this.unsubscribe = this.store.subscribe(() => this.update());
    this.setup?.();
    this.update();
  }

  disconnectedCallback() {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  get active() {
    const name = this.constructor.viewName;
    return !name || this.store.state.view === name;
  }

  update() {
    const active = this.active;
    this.hidden = !active;
    if (this.idleHandle) {
      cancelIdle(this.idleHandle);
      this.idleHandle = null;
    }
    if (!active) {
      if (this.constructor.renderHidden) {
        this.idleHandle = idle(() => {
          this.idleHandle = null;
          this.render();
        }, { timeout: 1000 });
      }
      return;
    }
    this.render();
  }

  /** Render now, from the current state. */
  render() {
    const t0 = performance.now();
    this.beforeRender?.(this.store.state);
    const out = this.view(this.store.state);
    if (Array.isArray(out)) this.patchSections(out);
    else patch(this, out);
    this.afterRender?.();
    const name = `waprice:render:${this.localName}`;
    performance.clearMeasures(name);
    performance.measure(name, { start: t0 });
  }

  patchSections(list) {
    const sections = list.filter(Boolean);
    const keys = sections.map(([k]) => k).join('|');
    if (this.sectionKeys !== keys) {
      patch(this, html`${sections.map(([k]) => html`<div class="section" data-section="${k}"></div>`)}`);
      this.sectionKeys = keys;
      this.sectionCache = new Map();
      this.sectionEls = new Map([...this.children].map((el) => [el.dataset.section, el]));
    }
    for (const [k, markup] of sections) {
      const text = markup.toString();
      if (this.sectionCache.get(k) === text) continue;
      patch(this.sectionEls.get(k), markup);
      this.sectionCache.set(k, text);
    }
  }
}
