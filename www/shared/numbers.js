// Numbers as people type them: locale digits and separators ("80,000", "80.000" in German,
// "１２，０００" with full-width digits, "1 234,5" in French) read into the plain decimal the engine
// takes ("80000", "1234.5"). The engine's own inputs stay strict; this page module is where a
// person's way of writing becomes that form, and the form shows back what it understood.

// Digit blocks of ten consecutive code points: full-width, Arabic-Indic, extended Arabic-Indic
// (Persian, Urdu), Devanagari, Bengali, Thai.
const DIGIT_ZEROS = [0xff10, 0x0660, 0x06f0, 0x0966, 0x09e6, 0x0e50];

/** `text` with every digit written in ASCII and full-width punctuation made ASCII. */
export function asciiDigits(text) {
  let out = '';
  for (const ch of String(text)) {
    const c = ch.codePointAt(0);
    const zero = DIGIT_ZEROS.find((z) => c >= z && c <= z + 9);
    if (zero !== undefined) out += String(c - zero);
    else if (ch === '．' || ch === '٫') out += '.'; // full-width full stop, Arabic decimal separator
    else if (ch === '，' || ch === '٬' || ch === '、') out += ','; // full-width comma, Arabic thousands separator
    else if (ch === '－' || ch === '−') out += '-'; // full-width hyphen-minus, minus sign
    else if (ch === '＋') out += '+';
    else out += ch;
  }
  return out;
}

const separators = new Map();

/** { decimal, group } of a locale, as Intl writes them ('.' and ',' when Intl does not know it). */
export function localeSeparators(locale) {
  let s = separators.get(locale);
  if (!s) {
    s = { decimal: '.', group: ',' };
    try {
      const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
      s = {
        decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
        group: parts.find((p) => p.type === 'group')?.value ?? ',',
      };
    } catch {
      // an unknown locale: the defaults
    }
    separators.set(locale, s);
  }
  return s;
}

// Spaces that group digits: space, no-break space, narrow no-break space, thin space.
const SPACES = /[\u0020\u00a0\u202f\u2009]/g;

/**
 * The plain decimal ("80000", "1234.5", "-2") that `text` means in `locale`, or null when it is not
 * a number written in a way this reader knows (the engine then reports the text as it was typed).
 * The locale's decimal separator is decimal ("80,000" in German is 80); its group separator (and
 * spaces, and an apostrophe as in Swiss German) must group digits in threes ("80.000" in German is
 * 80 thousand). The other one of "." and "," must group digits in threes: "1,5" in English or
 * "1.5" in German could mean either, so it is not read (nor is anything else unusual), and the
 * engine's message then names the text as typed.
 */
export function readNumber(text, locale = 'en') {
  let s = asciiDigits(text).trim().replace(SPACES, '').replace(/['’]/g, '');
  if (s === '') return null;
  let sign = '';
  if (s[0] === '-' || s[0] === '+') {
    sign = s[0] === '-' ? '-' : '';
    s = s.slice(1);
  }
  if (!/^[\d.,]+$/.test(s) || !/\d/.test(s)) return null;
  const dec = localeSeparators(locale).decimal === ',' ? ',' : '.';
  const alt = dec === '.' ? ',' : '.'; // the other one, which groups digits (or is a stray point)
  const grouped = (t) => new RegExp(`^\\d{1,3}(?:\\${alt}\\d{3})+$`).test(t);
  const parts = s.split(dec);
  if (parts.length > 2) return null; // two decimal separators
  let [int, frac = ''] = parts; // eslint-disable-line prefer-const
  if (frac.includes(alt)) return null;
  if (int.includes(alt)) {
    if (!grouped(int)) return null; // "1,5" in English, "1.5" in German: which was meant is unknown
    int = int.replaceAll(alt, '');
  }
  if (!/^\d*$/.test(int) || !/^\d*$/.test(frac) || (int === '' && frac === '')) return null;
  int = int.replace(/^0+(?=\d)/, '') || '0';
  frac = frac.replace(/0+$/, '');
  const plain = frac ? `${int}.${frac}` : int;
  return plain === '0' ? '0' : sign + plain;
}

/** The locale numbers are typed in: the browser's first language, else the page's. */
export function typingLocale(pageLocale) {
  const nav = typeof navigator !== 'undefined' ? navigator.languages?.[0] ?? navigator.language : undefined;
  return nav || pageLocale || 'en';
}
