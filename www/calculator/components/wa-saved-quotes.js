// <wa-saved-quotes>: the quotes saved in this browser (saved.js), under the quote view: number,
// customer, date and total, each to reopen (beside the draft), duplicate or delete; the quote
// opened from a link and kept beside the draft; and, when the stored list cannot be read, its
// error with the stored text kept (downloadable), never dropped. main.js does the work
// (`wa-saved` events).
import { html } from '../../shared/html.js';
import { t } from '../../shared/i18n/index.js';
import * as fmt from '../../shared/format.js';
import { download } from '../../shared/download.js';
import { entryOk } from '../saved.js';
import { View } from './view.js';

class WaSavedQuotes extends View {
  static viewName = 'quote';

  setup() {
    this.addEventListener('click', (e) => {
      const el = e.target.closest('[data-saved-action]');
      if (!el) return;
      const action = el.dataset.savedAction;
      if (action === 'download-raw') {
        download('waprice-saved-quotes.json', 'application/json', this.store.state.saved.raw ?? '');
        return;
      }
      this.dispatchEvent(new CustomEvent('wa-saved', { bubbles: true, detail: { action, key: el.dataset.key } }));
    });
  }

  view(s) {
    const saved = s.saved;
    const note = s.ui.savedNote;
    const openKey = s.workspace === 'side' ? s.side?.savedKey : null;
    const rows = (saved.quotes ?? []).filter(entryOk);
    const sideAside = s.side && !s.side.savedKey && s.workspace !== 'side';
    return html`<section class="card no-print saved-quotes" aria-labelledby="sq-title" data-testid="saved-quotes">
      <h2 id="sq-title">${t('sq.title')}</h2>
      ${saved.ok ? '' : html`<div class="error" role="alert" data-testid="saved-error" data-code="${saved.error.code}">
        <p class="error-title">${t(`sq.err.${saved.error.code}`)}</p>
        <p class="error-line"><span class="error-code">${saved.error.code}</span>: <span lang="en">${saved.error.message}</span></p>
        ${saved.raw !== null ? html`<label class="visually-hidden" for="sq-raw">${t('sq.raw')}</label>
        <textarea id="sq-raw" class="saved-raw" readonly rows="3" data-testid="saved-raw">${saved.raw}</textarea>
        <div class="actions">
          <button type="button" class="secondary" data-saved-action="download-raw">${t('sq.download')}</button>
          <button type="button" class="secondary" data-saved-action="set-aside" data-testid="saved-set-aside">${t('sq.setAside')}</button>
        </div>` : ''}
      </div>`}
      ${sideAside ? html`<p class="saved-aside" data-testid="side-aside">${t('side.keptAside')}
        <button type="button" class="link" data-saved-action="open-side">${t('side.open')}</button>
        <button type="button" class="link" data-saved-action="discard">${t('side.discard')}</button></p>` : ''}
      <div class="actions">
        <button type="button" data-saved-action="save" data-testid="save-quote" ${s.quote?.quote && saved.ok ? '' : 'disabled'}>${t('sq.save')}</button>
      </div>
      ${note ? this.note(note) : ''}
      ${saved.unreadable ? html`<p class="hint" data-testid="saved-unreadable">${t('sq.unreadable', { n: saved.unreadable })}</p>` : ''}
      ${rows.length ? html`<div class="table-wrap"><table class="plain saved-list" data-testid="saved-list">
        <thead><tr><th scope="col">${t('q.number')}</th><th scope="col">${t('q.customer')}</th><th scope="col">${t('q.issued')}</th><th scope="col" class="num">${t('sq.total')}</th><th scope="col"><span class="visually-hidden">${t('sq.actions')}</span></th></tr></thead>
        <tbody>${rows.map((e) => html`<tr data-key="${e.key}" data-number="${e.number}" class="${e.key === openKey ? 'saved-open' : ''}">
          <td class="mono">${e.number}${e.key === openKey ? html` <span class="badge">${t('sq.openNow')}</span>` : ''}</td>
          <td data-user-text>${e.customer || '—'}</td>
          <td>${/^\d{4}-\d{2}-\d{2}$/.test(e.issued ?? '') ? fmt.date(e.issued) : ''}</td>
          <td class="num" data-value="${e.total}">${fmt.money(e.total, e.currency, { digits: 'minor' })}</td>
          <td class="saved-actions">
            <button type="button" class="link" data-saved-action="open" data-key="${e.key}" aria-label="${t('sq.open')} ${e.number}">${t('sq.open')}</button>
            <button type="button" class="link" data-saved-action="duplicate" data-key="${e.key}" aria-label="${t('sq.duplicate')} ${e.number}">${t('sq.duplicate')}</button>
            <button type="button" class="link danger" data-saved-action="delete" data-key="${e.key}" aria-label="${t('sq.delete')} ${e.number}">${t('sq.delete')}</button>
          </td>
        </tr>`)}</tbody>
      </table></div>` : saved.ok ? html`<p class="muted" data-testid="saved-empty">${t('sq.empty')}</p>` : ''}
    </section>`;
  }

  note(note) {
    if (note.code === 'saved') return html`<p class="hint" role="status" data-testid="saved-note">${t('sq.savedAs', { number: note.number })}</p>`;
    if (note.code === 'deleted') {
      return html`<p class="hint" role="status" data-testid="saved-note">${t('sq.deleted', { number: note.number })}
        <button type="button" class="link" data-saved-action="undo" data-testid="saved-undo">${t('sq.undo')}</button></p>`;
    }
    if (note.code === 'set-aside') return html`<p class="hint" role="status" data-testid="saved-note">${t('sq.setAsideDone', { key: note.key ?? '' })}</p>`;
    if (note.code === 'error') {
      return html`<div class="error" role="alert"><p class="error-title">${t(`sq.err.${note.error.code}`)}</p>
        <p class="error-line"><span class="error-code">${note.error.code}</span>: <span lang="en">${note.error.message}</span></p></div>`;
    }
    return '';
  }
}

customElements.define('wa-saved-quotes', WaSavedQuotes);
