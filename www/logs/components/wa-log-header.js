// The log page's header: the brand (a link to the calculator), the tagline and the language
// switch, the same as the calculator's (its choice is kept for both pages).
import { html } from '../../shared/html.js';
import { t, LANGS } from '../../shared/i18n/index.js';
import { LogView, emit } from './view.js';

export class WaLogHeader extends LogView {
  setup() {
    this.addEventListener('change', (e) => {
      if (e.target.id === 'lang') emit(this, 'log-lang', { lang: e.target.value });
    });
  }

  view(s) {
    return html`<header class="site-header">
      <div class="wrap header-row">
        <a class="brand" href="./"><img class="logo" src="favicon.svg" alt="" width="28" height="28"> waprice</a>
        <p class="tagline">${t('log.tagline')}</p>
        <div class="lang">
          <label for="lang" class="visually-hidden">${t('app.language')}</label>
          <select id="lang" data-testid="lang">${LANGS.map((l) => html`<option value="${l.code}" lang="${l.locale}"${l.code === s.lang ? html` selected` : ''}>${l.label}</option>`)}</select>
        </div>
      </div>
    </header>`;
  }
}

customElements.define('wa-log-header', WaLogHeader);
