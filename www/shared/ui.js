// Small markup helpers shared by the views: form fields bound to a state path, error boxes,
// labels of the engine's codes in the current language.
import { html } from './html.js';
import { t, has, getLang, getLocale } from './i18n/index.js';
import { describeError } from './engine.js';
import { countryName } from './countries.js';
import { readNumber, typingLocale } from './numbers.js';
import { num as formatNumber, money as formatMoney, date as formatDate } from './format.js';

/** Numbers typed in a person's way ("80,000", full-width digits): path → { raw, value } read. */
const typed = new Map();

/** "Read as 80,000" under a field whose number was typed otherwise than it is stored. */
function understood(path, value, id) {
  const seen = typed.get(path);
  if (!seen || seen.value !== value || seen.raw.trim() === String(value)) return '';
  return html`<p class="hint understood" id="${id}-read" data-testid="understood" aria-live="polite">${
    t('num.understood', { n: formatNumber(value, { digits: 20 }) })}</p>`;
}

/** A DOM id from a state path ("audience.mix[2].share" → "f-audience-mix-2-share"). */
export const idOf = (path, prefix = 'f') => `${prefix}-${String(path).replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '')}`;

/** The value of a field as text for an input. */
export function shown(value) {
  if (value === undefined || value === null) return '';
  return String(value);
}

/**
 * Error context of a form: `at(path)` gives the engine error for exactly this path (and marks it
 * shown); `unclaimed()` tells whether no field showed it (then the form shows it at the top).
 */
export function errorContext(error) {
  const e = error ? describeError(error) : null;
  let claimed = false;
  return {
    error: e,
    at(path) {
      if (e && e.path === path) {
        claimed = true;
        return e;
      }
      return null;
    },
    /** An error under `prefix` not shown elsewhere (for a section's slot). */
    under(prefix) {
      if (e && !claimed && (e.path === prefix || e.path.startsWith(`${prefix}.`) || e.path.startsWith(`${prefix}[`))) {
        claimed = true;
        return e;
      }
      return null;
    },
    get claimed() {
      return claimed;
    },
  };
}

/** The localized title of an engine error code, with the error's sentence under it. */
export function errorBox(error, title) {
  const e = describeError(error);
  const codeTitle = has(`errcode.${e.code}`) ? t(`errcode.${e.code}`) : t('errcode.error');
  return html`<div class="error" role="alert">
    <p class="error-title">${title ?? codeTitle}</p>
    <p class="error-line"><span class="error-code">${e.code}</span>${e.path
      ? html` · <code class="error-path">${e.path}</code>`
      : ''}: ${errorSentence(e)}</p>
  </div>`;
}

/**
 * An engine error's sentence in the current language: the catalog's `err.CODE` filled from the
 * error's params (docs/errors.md) when it names only params the error has; else, in English, the
 * engine's message; in another language, the catalog's sentence for an invalid value.
 */
export function errorText(error) {
  const e = describeError(error);
  const params = e.params ?? {};
  // An error with a reason (docs/errors.md, Reasons) is written from `err.CODE.REASON`.
  const key = params.reason ? `err.${e.code}.${params.reason}` : `err.${e.code}`;
  if (has(key)) {
    const template = t(key);
    const names = [...template.matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1]);
    if (names.every((n) => n in params)) return fillMessage(template, params, errorKinds);
  }
  return getLang() === 'en' ? e.message : t('err.generic');
}

/** The error's sentence as a span (marked English when it is the engine's own). */
export function errorSentence(error) {
  const text = errorText(error);
  const english = getLang() === 'en' && text === describeError(error).message;
  return html`<span class="error-message"${english ? html` lang="en"` : ''}>${text}</span>`;
}

/** Inline message under a field. */
export function fieldError(e, id, sentence) {
  if (!e) return '';
  return html`<p class="field-error" id="${id}" role="alert"><span class="field-error-title">${
    has(`errcode.${e.code}`) ? t(`errcode.${e.code}`) : t('errcode.error')}</span> ${sentence ? html`<span class="error-message">${sentence}</span>` : errorSentence(e)}</p>`;
}

/**
 * A labelled input bound to `path` in the scenario (or another state root via `root`).
 * type: text | number | money | percent | date | select | bool | textarea
 * `errorSentence(e)`, when given, writes the field's error from the page's catalog instead of the
 * engine's sentence (for an error whose meaning the field alone fixes).
 */
export function field(ctx, { path, label, value, type = 'text', as, options = [], hint, suffix, placeholder, root, list, wide, inputmode, attrs, cls, errorSentence: sentenceOf }) {
  const id = idOf(path, root ? `f${root}` : 'f');
  const e = ctx?.at(path);
  const described = [e ? `${id}-err` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
  const common = html`id="${id}" data-path="${path}" data-type="${as ?? type}"${root ? html` data-root="${root}"` : ''}${
    e ? html` aria-invalid="true"` : ''}${described ? html` aria-describedby="${described}"` : ''}`;
  let control;
  if (type === 'select') {
    control = html`<select ${common}>${options.map(
      (o) => html`<option value="${o.value}"${String(o.value) === shown(value) ? html` selected` : ''}>${o.label}</option>`,
    )}</select>`;
  } else if (type === 'bool') {
    return html`<div class="field field-bool${e ? ' invalid' : ''}${wide ? ' wide' : ''}">
      <label class="check"><input type="checkbox" ${common}${value ? html` checked` : ''}> <span>${label}</span></label>
      ${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}
      ${fieldError(e, `${id}-err`)}
    </div>`;
  } else if (type === 'textarea') {
    control = html`<textarea ${common} rows="6" spellcheck="false">${shown(value)}</textarea>`;
  } else {
    const inputType = type === 'date' ? 'date' : type === 'datetime' ? 'datetime-local' : 'text';
    const mode = inputmode ?? (type === 'number' || type === 'percent' || type === 'money' ? 'decimal' : null);
    control = html`<input type="${inputType}" ${common} value="${shown(value)}"${
      placeholder !== undefined && placeholder !== null ? html` placeholder="${placeholder}"` : ''}${
      mode ? html` inputmode="${mode}"` : ''}${list ? html` list="${list}"` : ''}${attrs ?? ''} autocomplete="off" spellcheck="false">`;
  }
  return html`<div class="field${e ? ' invalid' : ''}${wide ? ' wide' : ''}${cls ? ` ${cls}` : ''}">
    <label for="${id}">${label}</label>
    <div class="control${suffix ? ' has-suffix' : ''}">${control}${suffix ? html`<span class="suffix" aria-hidden="true">${suffix}</span>` : ''}</div>
    ${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}
    ${understood(root ? `${root}:${path}` : path, value, id)}
    ${fieldError(e, `${id}-err`, e && sentenceOf ? sentenceOf(e) : null)}
  </div>`;
}

/** Read an input's value as the scenario wants it (raw text kept when it is not a number). */
export function coerce(el) {
  const type = el.dataset.type;
  if (type === 'bool') return el.checked;
  const raw = el.value;
  const v = raw.trim();
  if (v === '') return undefined;
  if (type === 'number' || type === 'percent' || type === 'money') {
    // Locale separators and digits are read here; what cannot be read goes to the engine as typed,
    // whose error names it.
    const plain = readNumber(v, typingLocale(getLocale()));
    const key = el.dataset.root ? `${el.dataset.root}:${el.dataset.path}` : el.dataset.path;
    if (plain === null) {
      typed.delete(key);
      return raw;
    }
    const value = type === 'money' ? plain : Number(plain);
    typed.set(key, { raw, value });
    return value;
  }
  if (type === 'limit') return v === 'unlimited' ? v : Number(v);
  if (type === 'upper') return v.toUpperCase();
  return raw;
}

// ------------------------------------------------------------------ labels of engine codes

export function categoryLabel(cat) {
  return has(`cat.${cat}`) ? t(`cat.${cat}`) : String(cat ?? '').replaceAll('_', ' ');
}

/** A category inside a sentence (lower case in English). */
export function categoryInline(cat) {
  const label = categoryLabel(cat);
  return getLang() === 'en' ? label.toLowerCase() : label;
}

export function typeLabel(type) {
  return has(`type.${type}`) ? t(`type.${type}`) : String(type ?? '').replaceAll('_', ' ');
}

export function presetLabel(preset) {
  return has(`preset.${preset}`) ? t(`preset.${preset}`) : String(preset ?? '');
}

// Markets that are countries carry the country's name in the current language.
const MARKET_ISO = {
  Argentina: 'AR', Bangladesh: 'BD', Brazil: 'BR', Chile: 'CL', Colombia: 'CO', Egypt: 'EG', France: 'FR',
  Germany: 'DE', 'Hong Kong': 'HK', Hungary: 'HU', India: 'IN', Indonesia: 'ID', Iraq: 'IQ', Israel: 'IL',
  Italy: 'IT', Kazakhstan: 'KZ', Kuwait: 'KW', Malaysia: 'MY', Mexico: 'MX', Morocco: 'MA', Nepal: 'NP',
  Netherlands: 'NL', Nigeria: 'NG', Oman: 'OM', Pakistan: 'PK', Peru: 'PE', Poland: 'PL', Qatar: 'QA',
  Romania: 'RO', Russia: 'RU', 'Saudi Arabia': 'SA', Singapore: 'SG', 'South Africa': 'ZA', Spain: 'ES',
  'Sri Lanka': 'LK', Turkey: 'TR', Ukraine: 'UA', 'United Arab Emirates': 'AE', 'United Kingdom': 'GB',
  Philippines: 'PH', Vietnam: 'VN', Thailand: 'TH', Japan: 'JP', 'South Korea': 'KR', Taiwan: 'TW',
  Jordan: 'JO', Lebanon: 'LB', Bahrain: 'BH', Kenya: 'KE', Ghana: 'GH', Ecuador: 'EC', Venezuela: 'VE',
};

/** A rate-card market name in the current language (data names stay as given when unknown). */
export function marketLabel(market) {
  if (market === null || market === undefined) return '—';
  const key = `market.${market}`;
  if (has(key)) return t(key);
  const iso = MARKET_ISO[market];
  if (iso) return countryName(iso);
  return String(market);
}

/** The name of a mix entry (a country or a market) in the current language. */
export function mixEntryLabel(entry) {
  if (entry?.country) return countryName(entry.country);
  if (entry?.market) return marketLabel(entry.market);
  return '—';
}

/**
 * A sentence the engine wrote (its messages and explanations are English): shown as it is on the
 * English page, left out on the others, which show the catalog's text for its code instead.
 */
export function engineSentence(text) {
  return getLang() === 'en' && text ? html`<span class="engine-text" lang="en">${text}</span>` : '';
}

// ------------------------------------------------------------------ the engine's messages
// Warnings, notices and explanations arrive as { code, params, message } (docs/messages.md); the
// sentence is the catalog's `msg.CODE` with each parameter formatted by its kind (from
// engine.schema().messages): money with its currency, dates, counts (with plural forms written
// `{n, plural, one {# item} other {# items}}`), markets, countries and categories by name, and
// `term` parameters by the catalog's `term.PARAM.ID`. The engine's English is the fallback only
// for a code that a catalog lacks, which tests/js/i18n.test.mjs rules out.

let messageKinds = new Map();
let errorKinds = {};

/**
 * Keep the kinds of each message's parameters and of the errors' parameters (engine.schema(),
 * once the engine has loaded).
 */
export function setMessageCatalogue(schema) {
  messageKinds = new Map((schema?.messages ?? []).map((m) => [m.code, m.params]));
  errorKinds = schema?.errorParams ?? {};
}

/** A kind guessed from the value, for a code the schema has not named (a newer engine). */
function guessKind(value) {
  if (typeof value === 'number') return 'count';
  return /^\d{4}-\d{2}-\d{2}$/.test(String(value)) ? 'date' : 'text';
}

function formatParam(name, value, params, kinds) {
  if (value === null || value === undefined) return '';
  switch (kinds[name] ?? guessKind(value)) {
    case 'money': return formatMoney(value, params.currency, { digits: 'exact' });
    case 'number': return formatNumber(value, { digits: 6 });
    case 'count': return formatNumber(value, { digits: 0 });
    case 'date': return formatDate(value);
    case 'market': return marketLabel(value);
    case 'country': return countryName(value);
    case 'category': return categoryInline(value);
    case 'limit': return value === 'unlimited' ? t('limit.unlimited') : formatNumber(value, { digits: 0 });
    case 'term': return has(`term.${name}.${value}`) ? fillMessage(t(`term.${name}.${value}`), params, kinds) : String(value);
    case 'code': return warningTitle(value) ?? String(value);
    default: return String(value);
  }
}

const PLURAL = /\{(\w+), plural,((?:\s*[=\w]+\s*\{[^{}]*\})+)\s*\}/g;

/** A template with its {placeholders} and plural forms filled from `params`. */
export function fillMessage(template, params = {}, kinds = {}) {
  return String(template)
    .replace(PLURAL, (whole, name, forms) => {
      const n = Number(params[name]);
      if (!Number.isFinite(n)) return whole;
      const options = Object.fromEntries([...forms.matchAll(/([=\w]+)\s*\{([^{}]*)\}/g)].map((m) => [m[1], m[2]]));
      const form = options[`=${n}`] ?? options[new Intl.PluralRules(getLocale()).select(n)] ?? options.other ?? '';
      return form.replaceAll('#', formatParam(name, params[name], params, kinds));
    })
    .replace(/\{(\w+)\}/g, (m, name) => (name in params ? formatParam(name, params[name], params, kinds) : m));
}

/** The sentence of an engine message (`{ code, params, message }`) in the current language. */
export function messageText(m) {
  if (!m) return '';
  if (!has(`msg.${m.code}`)) return m.message ?? m.code;
  return fillMessage(t(`msg.${m.code}`), m.params ?? {}, messageKinds.get(m.code) ?? {});
}

/** Why a verdict costs what it costs, in the current language (`explanationCode` and its params). */
export function explanationText(v) {
  if (!v?.explanationCode) return v?.explanation ?? '';
  return messageText({ code: v.explanationCode, params: v.explanationParams, message: v.explanation });
}

/** "at least" before a total that leaves charged messages unpriced (`complete: false`), or nothing. */
export function atLeast(result) {
  return result && result.complete === false
    ? html`<span class="at-least" data-testid="at-least">${t('unpriced.atLeast')}</span> `
    : '';
}

/**
 * Beside an incomplete total: how many markets have no rate on this card, each unpriced line
 * (market × category, messages), and the way out; nothing when the result is complete.
 */
export function unpricedNote(result, currency, { way = 'unpriced.wayOut' } = {}) {
  if (!result || result.complete !== false) return '';
  const lines = result.unpriced ?? [];
  const n = new Set(lines.map((u) => u.market)).size;
  return html`<div class="unpriced-note" role="note" data-testid="unpriced">
    <p class="unpriced-title"><strong>${t(n === 1 ? 'unpriced.markets1' : 'unpriced.marketsN', { n: formatNumber(n) })}</strong> ${t('unpriced.leftOut')}</p>
    <ul class="unpriced-lines">${lines.map((u) => html`<li data-testid="unpriced-line">${t('unpriced.line', {
      market: marketLabel(u.market), category: categoryLabel(u.category), n: formatNumber(u.messages) })}</li>`)}</ul>
    <p class="unpriced-way">${t(way, { currency })}</p>
  </div>`;
}

/** The localized label of an engine warning code, or null. */
export function warningTitle(code) {
  return has(`warn.${code}`) ? t(`warn.${code}`) : null;
}

/** Card provenance line: "USD per-message card of 1 Oct 2026". */
export function cardLine(card, fmtDate) {
  return t('card.line', {
    currency: card.currency,
    model: has(`model.${card.pricingModel}`) ? t(`model.${card.pricingModel}`) : card.pricingModel,
    date: fmtDate(card.date),
  });
}

export function confidenceBadge(conf) {
  const known = ['high', 'medium', 'low', 'derived'].includes(conf) ? conf : 'unknown';
  return html`<span class="badge conf-${known}">${has(`conf.${conf}`) ? t(`conf.${conf}`) : conf}</span>`;
}
