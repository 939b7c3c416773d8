// The log page's form: the file (chosen or dropped) and the options. It shows the state's options
// and sends every change up (log-file, log-option, log-price, log-stop); main.js acts on them.
import { html } from '../../shared/html.js';
import { t } from '../../shared/i18n/index.js';
import { CHOICES } from '../state.js';
import { LogView, emit } from './view.js';
import { size } from '../text.js';

const CSV_COLUMNS = ['at', 'user', 'kind', 'category', 'referral', 'from', 'status'];

/** A sentence with the CSV column names (identifiers of the format, shown as code) at its mark. */
function withColumns(sentence) {
  const [before, after = ''] = sentence.split('\u0000');
  return html`${before}${CSV_COLUMNS.map((c, i) => html`${i ? ', ' : ''}<code>${c}</code>`)}${after}`;
}

/** The option each field holds. */
const FIELD = { format: 'format', currency: 'currency', timezone: 'timezone', 'what-if-date': 'whatIf', shift: 'shift', 'on-error': 'onError', opening: 'opening' };

export class WaLogForm extends LogView {
  setup() {
    this.addEventListener('input', (e) => this.onField(e));
    this.addEventListener('change', (e) => {
      if (e.target.id === 'log-file') {
        const file = e.target.files?.[0];
        if (file) emit(this, 'log-file', { file });
        return;
      }
      this.onField(e);
    });
    this.addEventListener('submit', (e) => {
      e.preventDefault();
      emit(this, 'log-price');
    });
    this.addEventListener('click', (e) => {
      if (e.target.closest('#stop')) emit(this, 'log-stop');
    });
    this.addEventListener('dragover', (e) => {
      if (!e.target.closest('#drop-zone')) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    });
    this.addEventListener('drop', (e) => {
      if (!e.target.closest('#drop-zone')) return;
      e.preventDefault();
      const file = e.dataTransfer.files?.[0];
      if (file) emit(this, 'log-file', { file });
    });
  }

  onField(e) {
    const key = FIELD[e.target.id];
    if (!key) return;
    emit(this, 'log-option', { key, value: e.target.value });
  }

  select(id, key, value) {
    return html`<select id="${id}" name="${id}">${(CHOICES[key] ?? []).map((v) => html`<option value="${v}"${v === value ? html` selected` : ''}>${t(`log.${key}.${v}`)}</option>`)}</select>`;
  }

  view(s) {
    const o = s.options;
    return html`<section class="card" id="drop" aria-labelledby="drop-title">
      <h2 id="drop-title">${t('log.drop.title')}</h2>
      <p class="muted">${withColumns(t('log.drop.intro', { columns: '\u0000' }))}</p>
      <form id="log-form" novalidate>
        <div class="upload" id="drop-zone">
          <label class="upload-label" for="log-file">${t('log.choose')}</label>
          <input type="file" id="log-file" name="log-file" accept=".csv,.jsonl,.ndjson,.json,.txt,.log,text/csv,application/json">
          <p class="hint" id="file-name">${s.file ? `${s.file.name} (${size(s.file.size)})` : t('log.dropHint')}</p>
        </div>
        <div class="grid">
          <div class="field"><label for="format">${t('log.format')}</label>${this.select('format', 'format', o.format)}</div>
          <div class="field"><label for="currency">${t('log.currency')}</label>
            <input type="text" id="currency" name="currency" value="${o.currency ?? ''}" maxlength="3" autocomplete="off" spellcheck="false"></div>
          <div class="field"><label for="timezone">${t('log.timezone')}</label>
            <input type="text" id="timezone" name="timezone" value="${o.timezone ?? ''}" autocomplete="off" spellcheck="false"></div>
          <div class="field"><label for="what-if-date">${t('log.whatIf')}</label>
            <input id="what-if-date" name="what-if-date" type="date" value="${o.whatIf ?? ''}">
            <p class="hint">${t('log.whatIfHint')}</p></div>
          <div class="field"><label for="shift">${t('log.shift')}</label>${this.select('shift', 'shift', o.shift)}</div>
          <div class="field"><label for="on-error">${t('log.onError')}</label>${this.select('on-error', 'onError', o.onError)}</div>
          <div class="field wide"><label for="opening">${t('log.opening')}</label>
            <textarea id="opening" name="opening" rows="2" spellcheck="false" autocomplete="off" class="mono short"
              placeholder='{"month":"2026-10","service":{"+15550001111":950},"charged":{"Egypt":{"utility":99999}}}'>${o.opening}</textarea>
            <p class="hint">${t('log.openingHint')}</p></div>
        </div>
        <div class="actions">
          <button type="submit" id="price"${s.ready ? '' : html` disabled`}>${t('log.price')}</button>
          <button type="button" id="stop" class="secondary"${s.running ? '' : html` disabled`}>${t('log.stop')}</button>
        </div>
      </form>
    </section>`;
  }
}

customElements.define('wa-log-form', WaLogForm);
