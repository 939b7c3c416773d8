// <wa-data>: the rate cards the engine holds, and custom data: upload a rate-card, tier or market
// CSV in the schemas of data/, or one of Meta's own rate-card files (CSV or XLSX, as downloaded),
// which is previewed (date, currency, pricing model, markets, what it adds or replaces) before it
// is used; the engine validates every file (errors name file, line and column, or sheet and cell);
// the page says which cards and figures come from the upload, and shows the coverage of every
// card date × currency.
import { html } from '../../shared/html.js';
import { store, runtime } from '../state.js';
import { loadCardsPackage } from '../../shared/engine.js';
import { readDropped, cardPreviews, previewDropped } from '../../shared/ratecards.js';
import { t, has } from '../../shared/i18n/index.js';
import * as fmt from '../../shared/format.js';
import { confidenceBadge, errorSentence } from '../../shared/ui.js';
import { View } from './view.js';

export const KINDS = ['rates', 'tiers', 'markets'];

/** Guess the kind of a CSV from its header: the schemas of data/, else one of Meta's files. */
export function guessKind(text) {
  const header = String(text).split(/\r?\n/, 1)[0].toLowerCase();
  if (header.includes('iso2') || header.includes('calling_code')) return 'markets';
  if (!header.includes('effective_date')) return 'meta';
  if (header.includes('volume_from') || header.includes('tier')) return 'tiers';
  return 'rates';
}

/** An engine of the card-reading package holding what the engine in use holds. */
async function cardsEngineLikeInUse() {
  const pkg = await loadCardsPackage();
  return runtime.cardsEngine ?? new pkg.Engine();
}

async function readUpload(file) {
  const f = await readDropped(file);
  return { ...f, kind: f.base64 ? 'meta' : guessKind(f.text) };
}

class WaData extends View {
  static viewName = 'data';

  setup() {
    this.addEventListener('change', async (e) => {
      const el = e.target;
      if (el.id === 'csv-upload') {
        const files = [...(el.files ?? [])];
        el.value = '';
        await this.addFiles(files);
      } else if (el.dataset.pendingField !== undefined) {
        const engine = await cardsEngineLikeInUse();
        store.set((s) => {
          const p = s.custom.pending[Number(el.dataset.pendingIndex)];
          if (!p) return;
          p[el.dataset.pendingField] = el.value.trim() || undefined;
          previewDropped(p, engine); // over the same custom data as the engine in use
        });
      } else if (el.dataset.kindOf !== undefined) {
        store.set((s) => {
          s.custom.files[Number(el.dataset.kindOf)].kind = el.value;
          s.custom.changed = true;
        });
      } else if (el.id === 'custom-replace') {
        store.set((s) => {
          s.custom.replace = el.checked;
          s.custom.changed = true;
        });
      }
    });
    this.addEventListener('dragover', (e) => {
      if (e.target.closest('.upload')) e.preventDefault();
    });
    this.addEventListener('drop', async (e) => {
      if (!e.target.closest('.upload')) return;
      e.preventDefault();
      await this.addFiles([...(e.dataTransfer?.files ?? [])]);
    });
    this.addEventListener('click', (e) => {
      const el = e.target.closest('[data-action]');
      if (!el) return;
      if (el.dataset.action === 'use-pending') {
        store.set((s) => {
          const i = Number(el.dataset.index);
          const p = s.custom.pending[i];
          if (!p?.preview) return;
          s.custom.pending.splice(i, 1);
          const { preview, error, ...file } = p;
          s.custom.files = s.custom.files.filter((x) => x.name !== file.name);
          s.custom.files.push(file);
          s.custom.changed = true;
        });
      } else if (el.dataset.action === 'discard-pending') {
        store.set((s) => {
          s.custom.pending.splice(Number(el.dataset.index), 1);
        });
      } else if (el.dataset.action === 'remove-file') {
        store.set((s) => {
          s.custom.files.splice(Number(el.dataset.index), 1);
          s.custom.changed = true;
        });
      } else if (el.dataset.action === 'clear-files') {
        store.set((s) => {
          s.custom.files = [];
          s.custom.changed = true;
        });
      }
    });
  }

  async addFiles(files) {
    const read = await Promise.all(files.map(readUpload));
    const engine = read.some((f) => f.kind === 'meta') ? await cardsEngineLikeInUse() : null;
    store.set((s) => {
      for (const f of read) {
        if (f.kind === 'meta') {
          // Meta's files are previewed first: used only when the user says so.
          s.custom.pending = s.custom.pending.filter((x) => x.name !== f.name);
          previewDropped(f, engine);
          s.custom.pending.push(f);
          continue;
        }
        s.custom.files = s.custom.files.filter((x) => x.name !== f.name);
        s.custom.files.push(f);
        s.custom.changed = true;
      }
    });
  }

  view(s) {
    const info = s.dataInfo;
    const st = s.customStatus;
    const files = s.custom.files;
    return html`<div class="data-view">
      <section class="card" aria-labelledby="up-title">
        <h2 id="up-title">${t('data.title')}</h2>
        <p class="muted">${t('data.intro')}</p>
        <div class="upload">
          <label for="csv-upload" class="upload-label">${t('data.choose')}</label>
          <input id="csv-upload" type="file" accept=".csv,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" multiple data-testid="csv-upload">
          <p class="hint">${t('data.hint')}</p>
        </div>
        ${cardPreviews(s.custom.pending ?? [])}
        <label class="check"><input type="checkbox" id="custom-replace"${s.custom.replace ? html` checked` : ''}> <span>${t('data.replace')}</span></label>
        ${files.length ? html`<table class="plain files" data-testid="custom-files">
          <thead><tr><th scope="col">${t('data.file')}</th><th scope="col">${t('data.kind')}</th><th scope="col" class="num">${t('data.lines')}</th><th scope="col"><span class="visually-hidden">${t('common.actions')}</span></th></tr></thead>
          <tbody>${files.map((f, i) => html`<tr class="${st?.error && st.fileIndex === i ? 'invalid' : ''}">
            <th scope="row" class="mono">${f.name}</th>
            ${f.kind === 'meta' ? html`<td data-testid="meta-file">${t('data.kind.meta')}${f.info ? html` · ${fmt.date(f.info.date)} · ${f.info.currency}` : ''} · <span class="mono">${f.sha}</span></td>
            <td class="num">${f.info ? fmt.num(f.info.rows) : ''}</td>` : html`<td><label class="visually-hidden" for="kind-${i}">${t('data.kindOf', { name: f.name })}</label>
              <select id="kind-${i}" data-kind-of="${i}">${KINDS.map((k) => html`<option value="${k}"${k === f.kind ? html` selected` : ''}>${t(`data.kind.${k}`)}</option>`)}</select></td>
            <td class="num">${fmt.num(f.text.split(/\r?\n/).filter(Boolean).length)}</td>`}
            <td><button type="button" class="icon danger" data-action="remove-file" data-index="${i}" aria-label="${t('data.remove', { name: f.name })}">×</button></td>
          </tr>`)}</tbody></table>
          <button type="button" class="secondary small" data-action="clear-files">${t('data.clear')}</button>` : ''}
        ${s.customStore ? html`<p class="notice" role="status" data-testid="custom-set-aside">${s.customStore.blocked ? t('data.storeBlocked') : t('data.storeSetAside', { key: s.customStore.setAside })}</p>` : ''}
        ${st?.error ? this.csvError(st) : ''}
        ${st?.ok && files.length ? html`<p class="ok-line" role="status" data-testid="custom-ok">${t('data.ok', { n: files.length })}${st.saved === false ? html` ${t('data.notSaved')}` : ''}</p>` : ''}
      </section>
      ${info ? this.cards(info) : ''}
    </div>`;
  }

  csvError(st) {
    const e = st.error;
    return html`<div class="error csv-error" role="alert" data-testid="csv-error">
      <p class="error-title">${t('data.error', { file: st.fileName ?? e.file ?? '?' })}</p>
      <p class="error-line">${e.sheet ? t('data.whereCell', { sheet: e.sheet, cell: e.cell ?? '?' }) : t('data.where', { line: e.line ?? '?', column: e.column ?? '?' })} · <span class="error-code">${e.code}</span>
        ${e.path ? html` · <code class="error-path">${e.path}</code>` : ''}</p>
      <p>${errorSentence(e)}</p>
      ${st.lineText !== undefined ? html`<pre class="csv-line" aria-label="${t('data.lineText', { line: e.line })}"><span class="csv-lineno">${e.line}</span>${
        st.lineBefore}<mark>${st.lineAt || ' '}</mark>${st.lineAfter}</pre>` : ''}
      <p class="hint">${t('data.kept')}</p>
    </div>`;
  }

  cards(info) {
    const cards = [...(info.cards ?? [])].sort((a, b) => String(b.date).localeCompare(String(a.date)) || String(a.currency).localeCompare(String(b.currency)));
    const tiers = [...(info.tierTables ?? [])].sort((a, b) => String(b.date).localeCompare(String(a.date)));
    const src = (x) => html`<span class="badge src-${x === 'embedded' ? 'embedded' : 'custom'}">${t(`data.src.${x}`)}</span>`;
    return html`<section class="card" aria-labelledby="cards-title" id="cards">
      <h2 id="cards-title">${t('data.cards')}</h2>
      <p class="muted">${t('data.cardsIntro', { n: cards.length, version: info.version })}</p>
      <div class="table-wrap cards-wrap"><table class="cards" data-testid="cards-table">
        <thead><tr><th scope="col">${t('data.date')}</th><th scope="col">${t('data.currency')}</th><th scope="col">${t('data.model')}</th>
          <th scope="col" class="num">${t('data.markets')}</th><th scope="col">${t('data.confidence')}</th><th scope="col">${t('data.source')}</th></tr></thead>
        <tbody>${cards.map((c) => html`<tr class="${c.source !== 'embedded' ? 'from-upload' : ''}"><td class="nowrap">${fmt.date(c.date)}</td><td>${c.currency}</td>
          <td>${t(`model.${c.pricingModel}`)}</td><td class="num">${c.markets}</td><td>${confidenceBadge(c.confidence)}</td><td>${src(c.source)}</td></tr>`)}</tbody>
      </table></div>
      <h3 class="spaced">${t('data.tiers')}</h3>
      <div class="table-wrap cards-wrap"><table class="cards">
        <thead><tr><th scope="col">${t('data.date')}</th><th scope="col">${t('data.currency')}</th><th scope="col" class="num">${t('data.markets')}</th>
          <th scope="col" class="num">${t('data.tables')}</th><th scope="col">${t('data.confidence')}</th><th scope="col">${t('data.source')}</th></tr></thead>
        <tbody>${tiers.map((c) => html`<tr class="${c.source !== 'embedded' ? 'from-upload' : ''}"><td class="nowrap">${fmt.date(c.date)}</td><td>${c.currency}</td>
          <td class="num">${c.markets}</td><td class="num">${c.tables}</td><td>${confidenceBadge(c.confidence)}</td><td>${src(c.source)}</td></tr>`)}</tbody>
      </table></div>
      ${this.coverage(info)}
      <p class="muted small spaced">${t('data.marketsInfo', { rows: info.markets?.rows ?? 0, markets: info.markets?.markets?.length ?? 0 })} ${src(info.markets?.source ?? 'embedded')}
        · <a href="../data/PROVENANCE.md">${t('data.provenance')}</a></p>
    </section>`;
  }

  coverage(info) {
    const cells = info.coverage ?? [];
    if (!cells.length) return '';
    const dates = [...new Set(cells.map((c) => c.date))].sort().reverse();
    const currencies = [...new Set(cells.map((c) => c.currency))];
    const at = new Map(cells.map((c) => [`${c.date}|${c.currency}`, c]));
    const cell = (c) => {
      if (!c || c.status === 'missing') return html`<td class="cov-missing" title="${t('data.cov.missing')}">–</td>`;
      const title = t('data.cov.title', { markets: c.markets, of: c.of, card: c.cardDate, confidence: has(`conf.${c.confidence}`) ? t(`conf.${c.confidence}`) : c.confidence });
      return html`<td class="cov-${c.status}${c.markets < c.of ? ' cov-partial' : ''}" title="${title}">${c.status === 'loaded' ? '●' : '○'} ${c.markets}</td>`;
    };
    return html`<h3 class="spaced">${t('data.coverage')}</h3>
      <p class="muted small">${t('data.coverageIntro')}</p>
      <div class="table-wrap cards-wrap"><table class="cards coverage" data-testid="coverage-table">
        <thead><tr><th scope="col">${t('data.date')}</th>${currencies.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
        <tbody>${dates.map((d) => html`<tr><th scope="row" class="nowrap">${fmt.date(d)}</th>${currencies.map((c) => cell(at.get(`${d}|${c}`)))}</tr>`)}</tbody>
      </table></div>`;
  }
}

customElements.define('wa-data', WaData);
