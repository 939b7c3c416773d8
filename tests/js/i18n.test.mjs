// The page's catalogs (www/shared/i18n/): every language has every key of the English catalog with
// the same {placeholders}, and every code the engine can emit has a template in each language:
// the error codes of docs/errors.md, every message of the engine's catalogue (engine.schema().messages,
// src/messages.rs: warnings, notices, explanations) with only the parameters that code has, the
// words of every term, the verdict types and the categories. A code without a template fails here,
// before a person sees it untranslated. Needs pkg/ (`bash scripts/build.sh`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LANGS, catalog, detectLang } from '../../www/shared/i18n/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (p) => fs.readFileSync(path.join(root, p), 'utf8');

const catalogs = Object.fromEntries(await Promise.all(LANGS.map(async (l) => [l.code, await catalog(l.code)])));
const en = catalogs.en;
/** The parameter names a template uses: `{name}` and `{name, plural, …}`, each once, sorted. */
const placeholders = (s) => [...new Set([...String(s).matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1]))].sort();

const pkgJs = path.join(root, 'pkg', 'waprice.js');
const pkgWasm = path.join(root, 'pkg', 'waprice_bg.wasm');
assert.ok(fs.existsSync(pkgJs) && fs.existsSync(pkgWasm), 'pkg/ is missing: run `bash scripts/build.sh` first');
const wasm = await import(pathToFileURL(pkgJs).href);
wasm.initSync({ module: fs.readFileSync(pkgWasm) });
const schema = new wasm.Engine().schema();

/** Warning codes the engine writes, from its catalogue. */
function warningCodes() {
  return schema.messages.filter((m) => m.group === 'warning').map((m) => m.code);
}

/** The codes of compare's changes: the keys of TEMPLATES in src/estimate/changes.rs. */
function changeCodes() {
  const src = read('src/estimate/changes.rs');
  const table = src.slice(src.indexOf('const TEMPLATES'), src.indexOf('];', src.indexOf('const TEMPLATES')));
  return [...table.matchAll(/^\s*\("([a-z_0-9]+)",/gm)].map((m) => m[1]);
}

function rustFiles(dir) {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return rustFiles(p);
    return e.name.endsWith('.rs') ? [p] : [];
  });
}

/** The codes of a quote's notes (src/quote/): `Note::new("code", …)`. */
function noteCodes() {
  const codes = new Set();
  for (const file of rustFiles('src')) {
    for (const m of read(file).matchAll(/Note::new\(\s*"([a-z_]+)"/g)) codes.add(m[1]);
  }
  return [...codes].sort();
}

/** The error codes of docs/errors.md's table (before its Reasons). */
function errorCodes() {
  const doc = read('docs/errors.md');
  return [...doc.slice(0, doc.indexOf('## Reasons')).matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
}

/** docs/errors.md's Reasons: the parameter table ({name: {kind, ids}}) and the reasons ({code, reason, params}). */
function errorReasons() {
  const doc = read('docs/errors.md');
  let section = doc.slice(doc.indexOf('## Reasons'));
  section = section.slice(0, section.indexOf('\n## ') > 0 ? section.indexOf('\n## ') : undefined);
  const firstTable = section.indexOf('\n### ');
  const params = {};
  for (const m of section.matchAll(/^\| `(\w+)` \| (\w+) \| (.*) \|$/gm)) {
    params[m[1]] = { kind: m[2], ids: m[2] === 'term' ? [...m[3].matchAll(/`([a-z_0-9]+)`/g)].map((x) => x[1]) : [] };
  }
  const reasons = [];
  for (const m of section.slice(firstTable).matchAll(/^\| `([a-z_]+)` \| (—|`[a-z_0-9]+`) \| ([^|]*) \|/gm)) {
    reasons.push({
      code: m[1],
      reason: m[2] === '—' ? '' : m[2].slice(1, -1),
      params: m[3].trim() === '—' ? [] : [...m[3].matchAll(/`(\w+)`/g)].map((x) => x[1]),
    });
  }
  return { params, reasons };
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
  for (const c of ['no_window', 'messaging_limit', 'auth_international_no_rate', 'empty_log']) assert.ok(warnings.includes(c), `${c} in the catalogue`);
  assert.ok(schema.messages.filter((m) => m.group === 'explanation').length >= 15, 'explanations in the catalogue');
  assert.ok(schema.terms.length > 0, 'terms in the catalogue');
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

for (const { code } of LANGS) {
  test(`every message of the engine has a template in ${code} that names only its parameters`, () => {
    const c = catalogs[code];
    const problems = [];
    for (const m of schema.messages) {
      const key = `msg.${m.code}`;
      if (!(key in c)) {
        problems.push(`${key} missing`);
        continue;
      }
      const params = Object.keys(m.params);
      for (const p of placeholders(c[key])) if (!params.includes(p)) problems.push(`${key}: {${p}} is not a parameter of ${m.code}`);
      // The words of a term parameter may name the message's other parameters.
      for (const [name, kind] of Object.entries(m.params)) {
        if (kind !== 'term') continue;
        for (const [, id] of schema.terms.filter(([n]) => n === name)) {
          for (const p of placeholders(c[`term.${name}.${id}`] ?? '')) {
            if (!params.includes(p)) problems.push(`term.${name}.${id}: {${p}} is not a parameter of ${m.code}`);
          }
        }
      }
      if (m.group === 'warning' && !(`warn.${m.code}` in c)) problems.push(`warn.${m.code} (title) missing`);
    }
    for (const [name, id] of schema.terms) if (!(`term.${name}.${id}` in c)) problems.push(`term.${name}.${id} missing`);
    assert.deepEqual(problems, []);
  });
}

test("the errors' parameter kinds of the engine are those of docs/errors.md", () => {
  const { params, reasons } = errorReasons();
  assert.ok(reasons.length >= 11, `docs/errors.md lists ${reasons.length} reasons`);
  assert.deepEqual(
    Object.fromEntries(Object.entries(params).map(([n, p]) => [n, p.kind])),
    schema.errorParams,
  );
});

for (const { code } of LANGS) {
  test(`every error reason has a template in ${code} that names only its parameters`, () => {
    const c = catalogs[code];
    const { params, reasons } = errorReasons();
    const problems = [];
    const keys = new Set(['err.generic']);
    for (const r of reasons) {
      const key = r.reason ? `err.${r.code}.${r.reason}` : `err.${r.code}`;
      keys.add(key);
      if (!(key in c)) {
        problems.push(`${key} missing`);
        continue;
      }
      for (const p of placeholders(c[key])) if (!r.params.includes(p)) problems.push(`${key}: {${p}} is not a parameter of ${r.code}.${r.reason}`);
      for (const p of r.params) {
        if (!params[p]) problems.push(`${key}: parameter ${p} is not in the parameter table`);
        for (const id of params[p]?.ids ?? []) if (!(`term.${p}.${id}` in c)) problems.push(`term.${p}.${id} missing`);
      }
    }
    for (const k of Object.keys(c)) if (k.startsWith('err.') && !keys.has(k)) problems.push(`${k} is no reason of docs/errors.md`);
    assert.deepEqual(problems, []);
  });
}

test("an error renders from its reason's template with its parameters", async () => {
  const { setLang, loadLang } = await import('../../www/shared/i18n/index.js');
  const { setMessageCatalogue, errorText } = await import('../../www/shared/ui.js');
  setMessageCatalogue(schema);
  const engine = new wasm.Engine();
  let error;
  try {
    engine.simulate({ currency: 'USD', events: [{ at: '2026-10-05T10:00:00Z', user: '+91 98', kind: 'inbound' }] });
  } catch (e) {
    error = e;
  }
  assert.equal(error?.code, 'invalid_phone');
  try {
    setLang('en');
    assert.match(errorText(error), /“\+91 98” is not a phone number/);
    await loadLang('zh');
    setLang('zh');
    assert.match(errorText(error), /\+91 98/);
    assert.doesNotMatch(errorText(error), /phone number/);
    // An error whose reason no catalog knows is the engine's English on the English page only.
    const unknown = { code: 'invalid_input', message: 'as the engine wrote it', params: { reason: 'not_a_reason' } };
    assert.equal(errorText(unknown), catalogs.zh['err.generic']);
    setLang('en');
    assert.equal(errorText(unknown), 'as the engine wrote it');
  } finally {
    setLang('en');
  }
});

test('a message renders from the catalog with Intl formatting and plural forms', async () => {
  const { setLang, loadLang } = await import('../../www/shared/i18n/index.js');
  const { setMessageCatalogue, messageText, explanationText } = await import('../../www/shared/ui.js');
  setMessageCatalogue(schema);
  const missing = {
    code: 'missing_rate',
    params: { currency: 'USD', market: 'India', category: 'authentication_international', date: '2026-10-01' },
    message: 'the engine English',
  };
  const more = { code: 'more_warnings', params: { count: 1, total: 21, warning: 'no_window' }, message: '' };
  const charged = {
    explanationCode: 'expl_template_charged_tier',
    explanationParams: { what: 'template', category: 'marketing', market: 'India', rate: '0.0107', currency: 'USD', tier: 2 },
    explanation: 'the engine English',
  };
  try {
    setLang('en');
    assert.match(messageText(missing), /^No USD rate is known for authentication \(international\) messages to India on Oct 1, 2026/);
    assert.match(messageText(more), /^1 more warning of the kind/);
    assert.match(messageText({ ...more, params: { ...more.params, count: 2 } }), /^2 more warnings of the kind/);
    assert.match(explanationText(charged), /^Charged \$0\.0107 for a delivered marketing template to India \(volume tier 2/);
    await loadLang('zh');
    setLang('zh');
    assert.match(messageText(missing), /2026年10月1日.*印度.*身份验证（国际）.*USD/);
    assert.match(explanationText(charged), /营销模板.*US\$0\.0107.*第 2 档/);
    await loadLang('ja');
    setLang('ja');
    assert.match(messageText(missing), /2026\/10\/01.*インド/);
    assert.doesNotMatch(explanationText(charged), /template|marketing/);
    // A code no catalog knows falls back to the engine's English.
    assert.equal(messageText({ code: 'not_a_code', params: {}, message: 'as the engine wrote it' }), 'as the engine wrote it');
  } finally {
    setLang('en');
  }
});
