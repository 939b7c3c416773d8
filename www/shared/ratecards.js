// Meta's own rate-card files (CSV or XLSX, as downloaded) dropped on a page: read once into a
// plain object that can be kept in localStorage, `{ name, sha, text }` or `{ name, sha, base64 }`
// (a spreadsheet's bytes), then given to the engine's card reader (engine.loadRateCard) with the
// name that every estimate, quote and log report shows: file name and SHA-256 prefix. Before a
// file is used its preview (engine.previewRateCard) is shown: kind, date, currency, pricing model,
// markets, and what it adds or replaces.
import { sha256Prefix, describeError } from './engine.js';
import { html } from './html.js';
import { t } from './i18n/index.js';
import * as fmt from './format.js';
import { errorSentence } from './ui.js';

/** How a loaded Meta file is named in estimates, quotes, links and log reports. */
export function metaLabel(f) {
  return `${f.name} (SHA-256 ${f.sha})`;
}

/** A stored spreadsheet's bytes (kept in localStorage as base64). */
export function fromBase64(b64) {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function toBase64(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** The input and options of engine.loadRateCard (and previewRateCard) for a stored Meta file. */
export function metaArgs(f) {
  const opts = { name: metaLabel(f) };
  if (f.date) opts.date = f.date;
  if (f.currency) opts.currency = f.currency;
  return [f.base64 ? fromBase64(f.base64) : f.text, opts];
}

/**
 * A dropped file as `{ name, sha, text }` (CSV) or `{ name, sha, base64 }` (an XLSX workbook: a
 * zip, recognised by its first bytes), with the first 12 hex digits of its SHA-256.
 */
export async function readDropped(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const sha = await sha256Prefix(bytes);
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (isZip) return { name: file.name, sha, base64: toBase64(bytes) };
  return { name: file.name, sha, text: new TextDecoder().decode(bytes) };
}

/** Previews a pending file (`p.preview`, or `p.error` when the reader refuses it) with `engine`. */
export function previewDropped(p, engine) {
  try {
    p.preview = engine.previewRateCard(...metaArgs(p));
    p.error = null;
  } catch (err) {
    p.preview = null;
    p.error = describeError(err);
  }
}

/**
 * The previews of pending files, each with its facts (or the reader's error), the fields for a
 * date and currency the file does not state (`data-pending-field`, `data-pending-index`), and the
 * buttons `data-action="use-pending"` and `discard-pending` (`data-index`): the page acts on them.
 */
export function cardPreviews(list) {
  if (!list.length) return '';
  return html`<div class="pending" data-testid="card-preview">${list.map((p, i) => html`<div class="card-preview">
      <h3>${t('data.preview', { name: p.name })}</h3>
      ${p.preview ? html`<dl class="preview-facts">
          <dt>${t('data.date')}</dt><dd data-testid="preview-date">${fmt.date(p.preview.date)}</dd>
          <dt>${t('data.currency')}</dt><dd data-testid="preview-currency">${p.preview.currency}</dd>
          <dt>${t('data.model')}</dt><dd data-testid="preview-model">${t(`model.${p.preview.pricingModel}`)}</dd>
          <dt>${t('data.kind')}</dt><dd data-testid="preview-kind">${t(`data.kind.${p.preview.kind === 'tiers' ? 'tiers' : 'rates'}`)} (${p.preview.format.toUpperCase()})</dd>
          <dt>${t('data.markets')}</dt><dd data-testid="preview-markets">${p.preview.markets.length}: ${p.preview.markets.join(', ')}</dd>
          <dt>${t('data.effect')}</dt><dd data-testid="preview-effect">${t('data.effectText', { rows: p.preview.rows, replaced: p.preview.replaced, added: p.preview.rows - p.preview.replaced })}</dd>
          <dt>SHA-256</dt><dd class="mono">${p.sha}</dd>
        </dl>` : html`<div class="error" role="alert"><p class="error-line"><span class="error-code">${p.error?.code}</span>${p.error?.path ? html` · <code class="error-path">${p.error.path}</code>` : ''}</p><p>${errorSentence(p.error)}</p></div>`}
      <div class="row">
        <label>${t('data.fileDate')} <input type="date" value="${p.date ?? ''}" data-pending-field="date" data-pending-index="${i}"></label>
        <label>${t('data.fileCurrency')} <input type="text" size="4" value="${p.currency ?? ''}" data-pending-field="currency" data-pending-index="${i}"></label>
      </div>
      <button type="button" class="primary small" data-action="use-pending" data-index="${i}" data-testid="use-card"${p.preview ? '' : html` disabled`}>${t('data.use')}</button>
      <button type="button" class="secondary small" data-action="discard-pending" data-index="${i}">${t('data.discard')}</button>
    </div>`)}</div>`;
}
