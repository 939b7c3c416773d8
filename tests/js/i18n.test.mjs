// The page's catalogs (www/shared/i18n/): every language has every key of the English catalog with
// the same {placeholders}, and every code the engine can emit has a template in each language:
// the error codes of docs/errors.md, the warning codes written in src/, the verdict types and the
// categories. A code without a template fails here, before a person sees it untranslated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGS, catalog, detectLang } from '../../www/shared/i18n/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (p) => fs.readFileSync(path.join(root, p), 'utf8');

const catalogs = Object.fromEntries(await Promise.all(LANGS.map(async (l) => [l.code, await catalog(l.code)])));
const en = catalogs.en;
const placeholders = (s) => [...String(s).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function rustFiles(dir) {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return p.endsWith('wasm') ? rustFiles(p) : rustFiles(p);
    return e.name.endsWith('.rs') ? [p] : [];
  });
}

/** Warning codes as the engine writes them: `code: "x"`, `code: "x".to_string()`, `.once("x"`, `.event("x"`. */
function warningCodes() {
  const codes = new Set();
  for (const file of rustFiles('src')) {
    const src = read(file);
    for (const m of src.matchAll(/\bcode: "([a-z_]+)"/g)) codes.add(m[1]);
    for (const m of src.matchAll(/\.(?:once|event)\(\s*"([a-z_]+)"/g)) codes.add(m[1]);
    // Scenario warnings are built as ("code".to_string(), message) pairs.
    for (const m of src.matchAll(/^\s*"([a-z_]+)"\.to_string\(\),\s*$/gm)) codes.add(m[1]);
  }
  return [...codes].sort();
}

/** The codes of compare's changes: the keys of TEMPLATES in src/estimate/changes.rs. */
function changeCodes() {
  const src = read('src/estimate/changes.rs');
  const table = src.slice(src.indexOf('const TEMPLATES'), src.indexOf('];', src.indexOf('const TEMPLATES')));
  return [...table.matchAll(/^\s*\("([a-z_0-9]+)",/gm)].map((m) => m[1]);
}

/** The codes of a quote's notes (src/quote/): `Note::new("code", …)`. */
function noteCodes() {
  const codes = new Set();
  for (const file of rustFiles('src')) {
    for (const m of read(file).matchAll(/Note::new\(\s*"([a-z_]+)"/g)) codes.add(m[1]);
  }
  return [...codes].sort();
}

/** The error codes of docs/errors.md's table. */
function errorCodes() {
  return [...read('docs/errors.md').matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
}

test('each language is listed once, with a locale, and detected from the browser preference', () => {
  assert.deepEqual(LANGS.map((l) => l.code), [...new Set(LANGS.map((l) => l.code))]);
  for (const l of LANGS) assert.ok(l.locale && l.label, `${l.code} has a locale and a label`);
  assert.equal(detectLang(['ja-JP', 'en']), 'ja');
  assert.equal(detectLang(['zh-Hans-CN']), 'zh');
  assert.equal(detectLang(['fr-FR']), 'en');
});

for (const { code } of LANGS.filter((l) => l.code !== 'en')) {
  test(`the ${code} catalog has every English key, no other, with the same placeholders`, () => {
    const other = catalogs[code];
    const missing = Object.keys(en).filter((k) => !(k in other));
    const extra = Object.keys(other).filter((k) => !(k in en));
    assert.deepEqual(missing, [], `keys missing in ${code}.js`);
    assert.deepEqual(extra, [], `keys in ${code}.js that en.js does not have`);
    for (const k of Object.keys(en)) {
      assert.deepEqual(placeholders(other[k]), placeholders(en[k]), `${code}.js ${k}: placeholders`);
      assert.ok(String(other[k]).trim(), `${code}.js ${k} is empty`);
    }
  });
}

test('the code lists read from the engine are not empty (the readers still match the source)', () => {
  assert.ok(changeCodes().length >= 15, `changes.rs has ${changeCodes().length} change codes`);
  assert.ok(errorCodes().length >= 18, `docs/errors.md lists ${errorCodes().length} codes`);
  const warnings = warningCodes();
  for (const c of ['no_window', 'messaging_limit', 'auth_international_no_rate', 'empty_log']) assert.ok(warnings.includes(c), `${c} found in src/`);
  for (const c of ['quote_pass_through', 'wallet_top_up', 'max_price_ceiling']) assert.ok(noteCodes().includes(c), `note ${c} found in src/`);
});

for (const { code } of LANGS) {
  test(`every code the engine can emit has a template in ${code}`, () => {
    const c = catalogs[code];
    const missing = [
      ...errorCodes().map((e) => `errcode.${e}`),
      ...warningCodes().map((w) => `warn.${w}`),
      ...changeCodes().map((w) => `chg.${w}`),
      ...['number', 'waba'].map((w) => `chg.scope.${w}`),
      ...noteCodes().map((n) => `note.${n}`),
      ...['regular', 'free_customer_service', 'free_entry_point', 'free_tier', 'not_delivered'].map((v) => `type.${v}`),
      ...['marketing', 'utility', 'authentication', 'authentication_international', 'service'].map((k) => `cat.${k}`),
      ...['delivered', 'read', 'failed', 'sent'].map((s) => `status.${s}`),
      ...['inbound', 'template', 'message', 'reaction'].map((k) => `kind.${k}`),
    ].filter((k) => !(k in c));
    assert.deepEqual(missing, [], `${code}: codes without a template`);
  });
}

// A key written twice in a catalog silently keeps only the later value (an object literal), so a
// template edited in one place may never be shown.
for (const { code } of LANGS) {
  test(`${code}: no key is defined twice in its catalog file`, () => {
    const src = read(`www/shared/i18n/${code}.js`);
    const keys = [...src.matchAll(/^\s*'([^']+)':/gm)].map((m) => m[1]);
    const dup = keys.filter((k, i) => keys.indexOf(k) !== i);
    assert.deepEqual(dup, [], `keys defined twice in ${code}.js`);
  });
}
