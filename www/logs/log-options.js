// The log page's options in the link: `logs.html#currency=EUR&whatIf=2026-07-01&onError=fail`.
// Only options that differ from the page's defaults are written, so the page's own address stays
// plain; a link restores them, and so does a reload. A value the page cannot take is not used and
// is reported (the field and the value); the field keeps its default.

/** The hash key of each option, and the id of its field. */
const FIELDS = [
  ['format', 'format'],
  ['currency', 'currency'],
  ['timezone', 'timezone'],
  ['whatIf', 'what-if-date'],
  ['shift', 'shift'],
  ['onError', 'on-error'],
];

const field = (id) => document.getElementById(id);

/** The default of a field: its `selected` option, or its `value` attribute. */
function defaultOf(el) {
  if (el instanceof HTMLSelectElement) {
    return [...el.options].find((o) => o.defaultSelected)?.value ?? el.options[0]?.value ?? '';
  }
  return el.defaultValue;
}

/** Sets a field to `value`; returns why it cannot take it, or '' when it did. */
function setField(el, value) {
  if (el instanceof HTMLSelectElement) {
    const allowed = [...el.options].map((o) => o.value);
    if (!allowed.includes(value)) return `expected one of ${allowed.map((v) => `"${v}"`).join(', ')}`;
    el.value = value;
    return '';
  }
  if (el.maxLength > 0 && value.length > el.maxLength) return `at most ${el.maxLength} characters`;
  const before = el.value;
  el.value = value;
  // A date field empties itself on a value that is not a date.
  if (el.type === 'date' && value !== '' && el.value !== value) {
    el.value = before;
    return 'expected a date such as 2026-10-01, or nothing for no what-if';
  }
  return '';
}

/**
 * Sets the fields from the hash of the address (fields the hash does not name get their
 * defaults). Returns the problems, as errors with `code`, `path` and `message`.
 */
export function readOptions(hash = location.hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const known = new Map(FIELDS);
  const problems = [];
  for (const key of new Set(params.keys())) {
    if (!known.has(key)) {
      problems.push({
        code: 'invalid_option',
        path: `link.${key}`,
        message: `the link names an unknown option ${JSON.stringify(key)}: expected ${FIELDS.map(([k]) => k).join(', ')}`,
      });
    }
  }
  for (const [key, id] of FIELDS) {
    const el = field(id);
    const value = params.get(key);
    if (value === null) {
      el.value = defaultOf(el);
      continue;
    }
    const why = setField(el, value);
    if (why) {
      el.value = defaultOf(el);
      problems.push({
        code: 'invalid_option',
        path: `link.${key}`,
        message: `invalid ${key} ${JSON.stringify(value)} in the link: ${why}; the default ${JSON.stringify(defaultOf(el))} is used`,
      });
    }
  }
  return problems;
}

/** The hash for the fields' current values: those that differ from the defaults. */
export function optionsHash() {
  const params = new URLSearchParams();
  for (const [key, id] of FIELDS) {
    const el = field(id);
    if (el.value !== defaultOf(el)) params.set(key, el.value);
  }
  const s = params.toString();
  return s ? `#${s}` : '';
}

/** Writes the fields' values into the address (replacing the entry: no history per keystroke). */
export function writeOptions() {
  const hash = optionsHash();
  if (hash === location.hash) return;
  history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
}

/** Keeps the address in step with the fields, and the fields with a hash changed by hand. */
export function linkOptions(onProblems) {
  for (const [, id] of FIELDS) {
    field(id).addEventListener('input', writeOptions);
    field(id).addEventListener('change', writeOptions);
  }
  addEventListener('hashchange', () => onProblems(readOptions()));
  onProblems(readOptions());
}
