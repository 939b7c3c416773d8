// An escaping `html` tagged template: every interpolated value is text unless it is itself the
// result of `html`. Arrays are joined (each element escaped the same way); null/undefined/false
// render as nothing. All rendering of strings in the page goes through this module.
//
// `render` replaces an element's content; `patch` brings an element's content to the new markup
// by changing only what differs (so a view can re-render from state on every keystroke without
// losing focus, caret, scroll or an open <details>).

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Markup produced by `html`; the only thing `render` and `patch` accept. */
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

/** Join pieces of markup (or text, escaped) with a separator. */
export function join(items, separator = '') {
  return html`${items.flatMap((item, i) => (i ? [separator, item] : [item]))}`;
}

function checkMarkup(markup) {
  if (!(markup instanceof SafeHtml)) throw new TypeError('render() and patch() take the result of html`...`');
}

/** Replace the content of `element` with `markup` (which must come from `html`). */
export function render(element, markup) {
  checkMarkup(markup);
  element.innerHTML = markup.toString();
}

/** Parse markup into an inert fragment (a <template> never runs scripts nor loads images). */
function parse(markup) {
  const template = document.createElement('template');
  template.innerHTML = markup.toString();
  return template.content;
}

const keyOf = (node) => (node.nodeType === 1 ? node.getAttribute('data-key') : null);
const sameKind = (a, b) => a.nodeType === b.nodeType && (a.nodeType !== 1 || a.tagName === b.tagName);

/** Bring the children of `from` to those of `to` (keyed by data-key where given). */
function morphChildren(from, to) {
  const keyed = new Map();
  for (let n = from.firstChild; n; n = n.nextSibling) {
    const k = keyOf(n);
    if (k !== null) keyed.set(k, n);
  }
  let cur = from.firstChild;
  for (const t of [...to.childNodes]) {
    const k = keyOf(t);
    let match = null;
    if (k !== null) {
      match = keyed.get(k) ?? null;
      if (match && !sameKind(match, t)) match = null;
      if (match) keyed.delete(k);
    } else if (cur && keyOf(cur) === null && sameKind(cur, t)) {
      match = cur;
    }
    if (match) {
      if (match === cur) cur = cur.nextSibling;
      else from.insertBefore(match, cur);
      morphNode(match, t);
    } else {
      from.insertBefore(t, cur);
    }
  }
  while (cur) {
    const next = cur.nextSibling;
    cur.remove();
    cur = next;
  }
}

function morphAttributes(from, to) {
  const keepOpen = from.tagName === 'DETAILS'; // the user opens and closes these
  for (const { name } of [...from.attributes]) {
    if (keepOpen && name === 'open') continue;
    if (!to.hasAttribute(name)) from.removeAttribute(name);
  }
  for (const { name, value } of [...to.attributes]) {
    if (keepOpen && name === 'open') continue;
    if (from.getAttribute(name) !== value) from.setAttribute(name, value);
  }
}

function morphNode(from, to) {
  if (from.nodeType !== 1) {
    if (from.nodeValue !== to.nodeValue) from.nodeValue = to.nodeValue;
    return;
  }
  morphAttributes(from, to);
  const focused = from === document.activeElement;
  switch (from.tagName) {
    case 'INPUT':
      if (from.type === 'checkbox' || from.type === 'radio') {
        from.checked = to.hasAttribute('checked');
      } else if (!focused && from.type !== 'file') {
        const value = to.getAttribute('value') ?? '';
        if (from.value !== value) from.value = value;
      }
      return;
    case 'TEXTAREA':
      if (!focused && from.value !== to.textContent) from.value = to.textContent;
      return;
    case 'SELECT': {
      // Read the wanted value first: morphing moves the new options out of `to`.
      const selected = [...to.options].find((o) => o.hasAttribute('selected')) ?? to.options[0];
      const value = selected ? selected.value : '';
      morphChildren(from, to);
      if (from.value !== value) from.value = value;
      return;
    }
    default:
      morphChildren(from, to);
  }
}

/** Update the content of `element` to `markup`, touching only what changed. */
export function patch(element, markup) {
  checkMarkup(markup);
  morphChildren(element, parse(markup));
}
