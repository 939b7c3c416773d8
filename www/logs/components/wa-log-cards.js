// The log page's rate cards: Meta's own rate-card files (CSV or XLSX, list rates or volume tiers,
// any currency) dropped or chosen here are previewed (shared/ratecards.js), used when the user
// says so, and then price every log of the page; they are kept in this browser until removed
// (logs/cards.js). It shows the state and sends every action up (log-cards-add, log-card-field,
// log-card-use, log-card-discard, log-card-remove, log-cards-aside); main.js acts on them.
import { html } from '../../shared/html.js';
import { t } from '../../shared/i18n/index.js';
import * as fmt from '../../shared/format.js';
import { errorSentence } from '../../shared/ui.js';
import { cardPreviews } from '../../shared/ratecards.js';
import { LogView, emit } from './view.js';

const ACCEPT = '.csv,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export class WaLogCards extends LogView {
  setup() {
    this.addEventListener('change', (e) => {
      const el = e.target;
      if (el.id === 'card-file') {
        const files = [...(el.files ?? [])];
        el.value = '';
        if (files.length) emit(this, 'log-cards-add', { files });
      } else if (el.dataset.pendingField !== undefined) {
        emit(this, 'log-card-field', { index: Number(el.dataset.pendingIndex), key: el.dataset.pendingField, value: el.value.trim() });
      }
    });
    this.addEventListener('dragover', (e) => {
      if (!e.target.closest('#card-drop')) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    });
    this.addEventListener('drop', (e) => {
      if (!e.target.closest('#card-drop')) return;
      e.preventDefault();
      const files = [...(e.dataTransfer?.files ?? [])];
      if (files.length) emit(this, 'log-cards-add', { files });
    });
    this.addEventListener('click', (e) => {
      const el = e.target.closest('[data-action]');
      if (!el) return;
      const index = Number(el.dataset.index);
      const action = {
        'use-pending': 'log-card-use', 'discard-pending': 'log-card-discard', 'remove-card': 'log-card-remove', 'aside-cards': 'log-cards-aside',
      }[el.dataset.action];
      if (action) emit(this, action, { index });
    });
  }

  loaded(files) {
    if (!files.length) return '';
    return html`<div class="table-wrap"><table class="plain files" data-testid="loaded-cards">
      <caption>${t('log.rc.loaded')}</caption>
      <thead><tr><th scope="col">${t('data.file')}</th><th scope="col">${t('log.rc.card')}</th><th scope="col">SHA-256</th>
        <th scope="col"><span class="visually-hidden">${t('common.actions')}</span></th></tr></thead>
      <tbody>${files.map((f, i) => html`<tr data-testid="loaded-card"${f.error ? html` class="invalid"` : ''}>
        <th scope="row" class="mono">${f.name}</th>
        <td>${f.info ? html`${t(`data.kind.${f.info.kind === 'tiers' ? 'tiers' : 'rates'}`)} · ${t('log.card', { date: fmt.date(f.info.date), currency: f.info.currency, model: t(`model.${f.info.pricingModel}`) })} · ${t('data.markets')} ${f.info.markets.length}`
          : html`<div class="error" role="alert"><p class="error-title">${t('log.rc.failed')}</p><p class="error-line"><span class="error-code">${f.error?.code}</span>${f.error?.path ? html` · <code class="error-path">${f.error.path}</code>` : ''}</p><p>${errorSentence(f.error)}</p></div>`}</td>
        <td class="mono" data-testid="loaded-sha">${f.sha}</td>
        <td><button type="button" class="icon danger" data-action="remove-card" data-index="${i}" data-testid="remove-card" data-user-text aria-label="${t('data.remove', { name: f.name })}">×</button></td>
      </tr>`)}</tbody>
    </table></div>`;
  }

  unreadable(problem) {
    if (!problem) return '';
    return html`<div class="error" role="alert" data-testid="cards-unreadable">
      <p class="error-title">${t(`log.rc.err.${problem.error.code}`)}</p>
      <p class="error-line"><span class="error-code">${problem.error.code}</span> · <code class="error-path">${problem.error.params?.key ?? ''}</code></p>
      ${problem.raw !== null && problem.raw !== undefined ? html`<pre class="csv-line">${String(problem.raw).slice(0, 2000)}</pre>
        <button type="button" class="secondary small" data-action="aside-cards">${t('log.rc.setAside')}</button>` : ''}
    </div>`;
  }

  view(s) {
    const c = s.cards;
    return html`<section class="card" id="rate-cards" aria-labelledby="rate-cards-title">
      <h2 id="rate-cards-title">${t('log.rc.title')}</h2>
      <p class="muted">${t('log.rc.intro')}</p>
      ${this.unreadable(c.problem)}
      <div class="upload" id="card-drop">
        <label class="upload-label" for="card-file">${t('log.rc.choose')}</label>
        <input type="file" id="card-file" name="card-file" accept="${ACCEPT}" multiple data-testid="card-upload"${s.ready ? '' : html` disabled`}>
        <p class="hint">${t('log.rc.hint')}</p>
      </div>
      ${cardPreviews(c.pending)}
      ${this.loaded(c.files)}
      ${c.saved === false ? html`<p class="hint" data-testid="cards-not-saved">${t('log.rc.notSaved')}</p>` : ''}
    </section>`;
  }
}

customElements.define('wa-log-cards', WaLogCards);
