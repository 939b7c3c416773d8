// <wa-nav>: the site header: brand, the views (tabs), a link to the log-import page and the
// language switch (persisted).
import { html } from '../../shared/html.js';
import { store } from '../state.js';
import { t, LANGS, loadLang } from '../../shared/i18n/index.js';
import { VIEWS } from '../store.js';
import { View } from './view.js';

class WaNav extends View {
  setup() {
    this.addEventListener('click', (e) => {
      const el = e.target.closest('[data-view]');
      if (!el) return;
      e.preventDefault();
      store.set((s) => { s.view = el.dataset.view; });
      document.getElementById('main')?.focus({ preventScroll: true });
      window.scrollTo(0, 0);
    });
    this.addEventListener('keydown', (e) => {
      const tab = e.target.closest('[role="tab"]');
      if (!tab || (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft')) return;
      const i = VIEWS.indexOf(tab.dataset.view);
      const next = VIEWS[(i + (e.key === 'ArrowRight' ? 1 : -1) + VIEWS.length) % VIEWS.length];
      store.set((s) => { s.view = next; }, { now: true });
      this.querySelector(`[data-view="${next}"]`)?.focus();
    });
    this.addEventListener('change', (e) => {
      if (e.target.id !== 'lang') return;
      // The catalog is loaded on demand; the state changes once it is there.
      loadLang(e.target.value).then((code) => store.set((s) => { s.lang = code; }));
    });
  }

  view(s) {
    return html`<header class="site-header">
      <div class="wrap header-row">
        <a class="brand" href="./" data-view="estimate"><img class="logo" src="favicon.svg" alt="" width="28" height="28"><span>waprice</span></a>
        <p class="tagline">${t('app.tagline')}</p>
        <a class="logs-top" href="logs.html">${t('nav.short.logs')}</a>
        <div class="lang">
          <label for="lang" class="visually-hidden">${t('app.language')}</label>
          <select id="lang" data-testid="lang">${LANGS.map((l) => html`<option value="${l.code}" lang="${l.locale}"${l.code === s.lang ? html` selected` : ''}>${l.label}</option>`)}</select>
        </div>
      </div>
      <nav class="wrap tabs-row" aria-label="${t('app.views')}">
        <div class="tabs" role="tablist">
          ${VIEWS.map((v) => html`<button type="button" role="tab" id="tab-${v}" data-view="${v}" aria-selected="${s.view === v}" aria-controls="view-${v}"
            tabindex="${s.view === v ? '0' : '-1'}" class="tab${s.view === v ? ' active' : ''}"><span class="long">${t(`nav.${v}`)}</span><span class="short">${t(`nav.short.${v}`)}</span></button>`)}
        </div>
        <a class="tab tab-link" href="logs.html"><span class="long">${t('nav.logs')}</span><span class="short">${t('nav.short.logs')}</span></a>
      </nav>
    </header>`;
  }
}

customElements.define('wa-nav', WaNav);
