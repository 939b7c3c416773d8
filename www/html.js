// An escaping `html` tagged template: every interpolated value is text unless it is itself the
// result of `html`. Arrays are joined (each element escaped the same way); null/undefined/false
// render as nothing. All rendering of strings in the page goes through this module.

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Markup produced by `html`; the only thing `render` accepts. */
export class SafeHtml {
  #text;
  constructor(text) {
    this.#text = text;
  }
  toString() {
    return this.#text;
  }
}

/** Escape a value for use as HTML text or a quoted attribute value. */
export function escapeHtml(value) {
  return String(value).replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

function piece(value) {
  if (value instanceof SafeHtml) return value.toString();
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(piece).join('');
  return escapeHtml(value);
}

/** html`<p>${untrusted}</p>` → SafeHtml with `untrusted` escaped. */
export function html(strings, ...values) {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += piece(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Replace the content of `element` with `markup` (which must come from `html`). */
export function render(element, markup) {
  if (!(markup instanceof SafeHtml)) throw new TypeError('render() takes the result of html`...`');
  element.innerHTML = markup.toString();
}
