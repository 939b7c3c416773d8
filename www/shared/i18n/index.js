// The page's strings by language: one catalog file per language beside this module. English is
// loaded with the page (it is the reference and the fallback of every key); the others are loaded
// when chosen (`loadLang`). `t(key, vars)` fills {name} placeholders. Numbers, money and dates are
// not in the catalogs: format.js formats them with Intl for the chosen language's locale.
//
// Adding a language: write `xx.js` (a copy of en.js, translated) and add its line to LANGS.
// tests/js/i18n.test.mjs checks that every catalog has every key of en.js and a template for every
// code the engine can emit.
import en from './en.js';

export const LANGS = [
  { code: 'en', label: 'English', locale: 'en', load: async () => en },
  { code: 'zh', label: '简体中文', locale: 'zh-CN', load: () => import('./zh.js').then((m) => m.default) },
  { code: 'ja', label: '日本語', locale: 'ja-JP', load: () => import('./ja.js').then((m) => m.default) },
];

const loaded = new Map([['en', en]]);
let lang = 'en';

const known = (code) => LANGS.some((l) => l.code === code);

/** Load the catalog of `code` (once); resolves to the code that can be used (English if unknown). */
export async function loadLang(code) {
  if (!known(code)) return 'en';
  if (!loaded.has(code)) loaded.set(code, await LANGS.find((l) => l.code === code).load());
  return code;
}

/** The catalog of a language, loading it if needed (for tests and exports). */
export async function catalog(code) {
  return loaded.get(await loadLang(code));
}

/** Use `code` from now on; its catalog must have been loaded (`loadLang`), else English is used. */
export function setLang(code) {
  lang = loaded.has(code) ? code : 'en';
}

export const getLang = () => lang;
export const getLocale = () => LANGS.find((l) => l.code === lang)?.locale ?? 'en';

/** Where both pages keep the chosen language (localStorage). */
export const LANG_KEY = 'waprice.lang';

/** The language a page starts in, loaded: the one chosen before (where storage is allowed), else detected. */
export async function startLang() {
  let stored = null;
  try {
    stored = localStorage.getItem(LANG_KEY);
  } catch {
    stored = null;
  }
  return loadLang(stored ?? detectLang(navigator.languages ?? [navigator.language]));
}

/** Keeps the chosen language for the next visit (not kept where storage is refused). */
export function keepLang(code) {
  try {
    localStorage.setItem(LANG_KEY, code);
  } catch {
    // not persisted
  }
}

/** Uses `code` (loaded) for the page: the document's language, and its title and description from the catalog keys given. */
export function applyDocumentLang(code, titleKey, descriptionKey) {
  setLang(code);
  document.documentElement.lang = getLocale();
  document.title = t(titleKey);
  const meta = document.querySelector('meta[name="description"]');
  if (meta) meta.content = t(descriptionKey);
}

/** The language to start with: the browser's preference among ours, else English. */
export function detectLang(preferred = []) {
  for (const p of preferred) {
    const code = String(p).toLowerCase().split('-')[0];
    if (known(code)) return code;
  }
  return 'en';
}

export function has(key) {
  return Object.prototype.hasOwnProperty.call(loaded.get(lang), key) || Object.prototype.hasOwnProperty.call(en, key);
}

/** The string for `key` in the current language with {placeholders} filled. */
export function t(key, vars) {
  let s = loaded.get(lang)[key] ?? en[key];
  if (s === undefined) return key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, name) => (vars[name] === undefined || vars[name] === null ? m : String(vars[name])));
  return s;
}
