// <wa-side-banner>: shown on every view while a share link or a saved quote is open beside the
// user's own draft (state.workspace === 'side'): says so, and offers the way back to the draft,
// saving the open quote, or discarding it. The page's main.js does the work (`wa-saved` events).
import { html } from '../../shared/html.js';
import { t } from '../../shared/i18n/index.js';
import { View } from './view.js';

class WaSideBanner extends View {
  setup() {
    this.addEventListener('click', (e) => {
      const el = e.target.closest('[data-saved-action]');
      if (!el) return;
      this.dispatchEvent(new CustomEvent('wa-saved', { bubbles: true, detail: { action: el.dataset.savedAction } }));
    });
  }

  view(s) {
    if (s.workspace !== 'side' || !s.side) return html``;
    const entry = s.side.savedKey ? (s.saved.quotes ?? []).find((e) => e?.key === s.side.savedKey) : null;
    const text = entry
      ? t('side.fromSaved', { number: entry.number })
      : t(s.side.origin === 'saved' ? 'side.unsaved' : 'side.fromLink');
    return html`<div class="side-banner no-print" role="status" data-testid="side-banner" data-origin="${entry ? 'saved' : 'link'}">
      <p>${text}</p>
      <div class="actions">
        <button type="button" data-saved-action="back" data-testid="side-back">${t('side.back')}</button>
        ${entry ? '' : html`<button type="button" class="secondary" data-saved-action="save" data-testid="side-save">${t('side.save')}</button>`}
        ${entry ? '' : html`<button type="button" class="link" data-saved-action="discard" data-testid="side-discard">${t('side.discard')}</button>`}
      </div>
    </div>`;
  }
}

customElements.define('wa-side-banner', WaSideBanner);
