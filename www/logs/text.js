// Small pieces of text of the log page: error lines, sizes and counts in the chosen language.
import { html } from '../shared/html.js';
import { t, has } from '../shared/i18n/index.js';
import { describeError } from '../shared/engine.js';
import { errorSentence } from '../shared/ui.js';
import * as fmt from '../shared/format.js';

/** Where in the log: `line 12`, `line 12, column 3` (in the chosen language), or nothing. */
export function where(e) {
  if (!e.line) return '';
  return e.column ? t('log.lineColumn', { line: e.line, column: e.column }) : t('log.lineN', { line: e.line });
}

/**
 * One error: its code, its line in the log, the field at fault, and its message. The engine's messages are English
 * (marked so); `localized` says the message was written from the page's catalog.
 */
export function errorLine(err, localized = false) {
  const e = describeError(err);
  return html`<p class="error-line"><span class="error-code">${e.code}</span>${e.line
    ? html` · <span class="error-where">${where(e)}</span>`
    : ''}${e.path
    ? html` · <code class="error-path">${e.path}</code>`
    : ''}: ${localized ? html`<span class="error-message">${e.message}</span>` : errorSentence(e)}</p>`;
}

/** An error box: a title, then the error's line. */
export function errorBox(err, title) {
  const e = describeError(err);
  return html`<div class="error" role="alert" data-testid="error">
    <p class="error-title">${title ?? (has(`errcode.${e.code}`) ? t(`errcode.${e.code}`) : t('errcode.error'))}</p>
    ${errorLine(err)}
  </div>`;
}

/** A count, grouped for the locale. */
export const count = (n) => fmt.num(Number(n ?? 0), { digits: 0 });

/** A size in bytes, kB or MB (decimal units), so that a small log does not show as 0.00 MB. */
export function size(bytes) {
  if (bytes < 1e3) return t(bytes === 1 ? 'log.size.byte' : 'log.size.bytes', { n: count(bytes) });
  if (bytes < 1e6) return t('log.size.kB', { n: fmt.num(bytes / 1e3, { digits: 1 }) });
  return t('log.size.MB', { n: fmt.num(bytes / 1e6, { digits: bytes < 1e7 ? 2 : 1 }) });
}
