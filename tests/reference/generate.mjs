// Seeded, deterministic generator of realistic random timelines for the differential test.
// No Math.random: every choice comes from mulberry32(seed).
//
//   generateTimeline(seed) -> simulate() input
//
// Each timeline picks a scenario (a date window around a rule or card boundary, a currency, and the
// recipients whose markets have rates there), a business time zone, 1-6 users, and a mix of events:
// inbound (some from click-to-WhatsApp ads), templates, free-form messages, reactions, failed and
// sent statuses, several sending numbers, events at equal instants and at exactly 24 h / 72 h offsets,
// plus scripted snippets (entry points, the 2025-07-01 transition, window edges).

export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeRandom(seed) {
  const next = mulberry32(seed);
  const r = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)), // inclusive
    chance: (p) => next() < p,
    pick: (list) => list[Math.floor(next() * list.length)],
    digits: (n) => { let s = ''; for (let i = 0; i < n; i += 1) s += String(Math.floor(next() * 10)); return s; },
    weighted: (pairs) => { // [[value, weight], ...]
      const total = pairs.reduce((s, [, w]) => s + w, 0);
      let x = next() * total;
      for (const [v, w] of pairs) { if ((x -= w) < 0) return v; }
      return pairs[pairs.length - 1][0];
    },
  };
  return r;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------------------------
// Recipients
// ---------------------------------------------------------------------------------------------

const UNLISTED_NANP = ['242', '246', '264', '268', '284', '340', '345', '441', '473', '649', '664', '670', '671',
  '684', '721', '758', '767', '784', '868', '869'];

const PHONES = {
  IN: (r) => `+91${r.pick(['9', '8', '7'])}${r.digits(9)}`,
  BR: (r) => `+55${r.pick(['11', '21', '31'])}9${r.digits(8)}`,
  EG: (r) => `+20${r.pick(['10', '11', '12'])}${r.digits(8)}`,
  ID: (r) => `+62812${r.digits(8)}`,
  DE: (r) => `+49151${r.digits(8)}`,
  US: (r) => `+1${r.pick(['212', '415', '646', '312', '416', '604'])}${r.pick(['2', '5', '8'])}${r.digits(6)}`,
  BS: (r) => `+1242${r.pick(['3', '4', '5'])}${r.digits(6)}`,
  NANPX: (r) => `+1${r.pick(UNLISTED_NANP)}${r.pick(['2', '5', '8'])}${r.digits(6)}`,
  DO: (r) => `+1${r.pick(['809', '829', '849'])}${r.digits(7)}`,
  JM: (r) => `+1${r.pick(['876', '658'])}${r.digits(7)}`,
  PR: (r) => `+1${r.pick(['787', '939'])}${r.digits(7)}`,
  KZ: (r) => `+7${r.pick(['701', '705', '747', '777', '727', '600', '612'])}${r.digits(7)}`,
  RU: (r) => `+79${r.digits(9)}`,
  ZW: (r) => `+26377${r.digits(7)}`,
  HK: (r) => `+852${r.pick(['5', '6', '9'])}${r.digits(7)}`,
  SG: (r) => `+65${r.pick(['8', '9'])}${r.digits(7)}`,
  PL: (r) => `+48${r.pick(['50', '60', '69'])}${r.digits(7)}`,
  AR: (r) => `+549${r.digits(10)}`,
  CL: (r) => `+569${r.digits(8)}`,
  NG: (r) => `+234${r.pick(['80', '81', '70'])}${r.digits(8)}`,
  MX: (r) => `+52${r.digits(10)}`,
  CO: (r) => `+573${r.digits(9)}`,
  ZA: (r) => `+27${r.pick(['82', '72'])}${r.digits(7)}`,
  SA: (r) => `+9665${r.digits(8)}`,
  AE: (r) => `+9715${r.digits(8)}`,
  MY: (r) => `+601${r.digits(8)}`,
  PK: (r) => `+923${r.digits(9)}`,
  BD: (r) => `+8801${r.digits(9)}`,
  MA: (r) => `+2126${r.digits(8)}`,
  UA: (r) => `+380${r.pick(['50', '67'])}${r.digits(7)}`,
  GB: (r) => `+447${r.digits(9)}`,
  IT: (r) => `+393${r.digits(9)}`,
  CG: (r) => `+24206${r.digits(7)}`,   // Republic of the Congo, calling code 242 (not +1 242)
  MU: (r) => `+2305${r.digits(7)}`,    // Mauritius: not listed, Other
};

const ALL = Object.keys(PHONES);
const ISO = { IN: 'IN', BR: 'BR', EG: 'EG', ID: 'ID', DE: 'DE', US: 'US', KZ: 'KZ', RU: 'RU', ZW: 'ZW', HK: 'HK', SG: 'SG',
  PL: 'PL', AR: 'AR', CL: 'CL', NG: 'NG', MX: 'MX', CO: 'CO', ZA: 'ZA', SA: 'SA', AE: 'AE', MY: 'MY', PK: 'PK', BD: 'BD',
  MA: 'MA', UA: 'UA', GB: 'GB', IT: 'IT', CG: 'CG', DO: 'DO', JM: 'JM', PR: 'PR' };
const MARKET_NAMES = { IN: 'India', EG: 'Egypt', ID: 'Indonesia', KZ: 'Kazakhstan', NG: 'Nigeria', MY: 'Malaysia', PK: 'Pakistan',
  ZA: 'South Africa', SA: 'Saudi Arabia', AE: 'United Arab Emirates', BD: 'Bangladesh', MA: 'Morocco', UA: 'Ukraine' };
const without = (list, excluded) => list.filter((k) => !excluded.includes(k));

// Markets with marketing/utility on the partial USD 2025-07-01 per-message card, and those with authentication too.
const PMP_2025_07_USD = without(ALL, ['US', 'SA', 'AE', 'ZA', 'GB']);
const PMP_2025_07_USD_AUTH = ['AR', 'ZW', 'BS', 'NANPX', 'KZ', 'MU', 'HK', 'SG', 'BD', 'PL', 'UA', 'DO', 'JM', 'PR', 'CG', 'MA'];
const NEW_2026_07 = ['HK', 'SG', 'PL'];
const NEW_2026_10 = ['KZ', 'BD', 'MA', 'UA'];

// ---------------------------------------------------------------------------------------------
// Scenarios: a window, currencies, and who can be priced there
// ---------------------------------------------------------------------------------------------

// around: a local date; the window starts `before` hours before its local midnight and lasts `span` days.
// pool(currency, options) -> recipient kinds; auth(kind, currency) -> may send authentication templates.
const SCENARIOS = [
  { name: 'two-type start', around: '2022-02-01', before: [0, 20], span: [1, 5], currencies: ['USD', 'EUR'], era: 'tt', weight: 2 },
  { name: 'two-type month end', around: '2022-07-01', before: [24, 72], span: [2, 6], currencies: ['USD', 'EUR'], era: 'tt', weight: 3 },
  { name: 'two-type any', around: '2022-11-15', before: [0, 400], span: [2, 10], currencies: ['USD', 'EUR'], era: 'tt', weight: 2 },
  { name: 'fep 72h from 2023-03-01', around: '2023-03-01', before: [24, 80], span: [3, 7], currencies: ['USD', 'EUR'], era: 'tt', weight: 4 },
  { name: 'categories start 2023-06-01', around: '2023-06-01', before: [6, 60], span: [2, 5], currencies: ['USD'], era: 'tt-cat', weight: 5 },
  { name: 'categories month end', around: '2023-08-01', before: [12, 60], span: [2, 5], currencies: ['USD'], era: 'cat-early', weight: 3 },
  { name: 'india authentication 2024-07-01', around: '2024-07-01', before: [12, 60], span: [2, 5], currencies: ['USD'], era: 'cat-early', weight: 2 },
  { name: 'free service 2024-11-01', around: '2024-11-01', before: [6, 60], span: [2, 5], currencies: ['USD'], era: 'cat', weight: 4 },
  { name: 'auth-intl 2025-02-01', around: '2025-02-01', before: [6, 60], span: [2, 5], currencies: ['USD'], era: 'cat', weight: 2 },
  { name: 'per-message 2025-07-01', around: '2025-07-01', before: [4, 40], span: [2, 4], currencies: ['USD'], era: 'transition', weight: 8 },
  { name: 'per-message 2025-07-01 INR', around: '2025-07-01', before: [20, 60], span: [2, 4], currencies: ['INR'], era: 'transition-inr', weight: 1 },
  { name: 'zimbabwe 2025-10-01', around: '2025-10-01', before: [6, 60], span: [2, 5], currencies: ['USD', 'INR'], era: 'pm-2025-10', weight: 4 },
  { name: 'card 2026-01-01', around: '2026-01-01', before: [6, 60], span: [2, 5], currencies: ['USD', 'INR'], era: 'pm', weight: 2 },
  { name: 'markets 2026-07-01', around: '2026-07-01', before: [6, 60], span: [2, 5], currencies: ['USD', 'USD', 'INR', 'EUR', 'COP', 'BRL', 'IDR'], era: 'pm-2026-07', weight: 4 },
  { name: 'paid service 2026-10-01', around: '2026-10-01', before: [6, 60], span: [2, 6], currencies: ['USD', 'USD', 'INR', 'COP', 'EUR', 'BRL', 'IDR'], era: 'pm-2026-10', weight: 8 },
  { name: 'paid service month end', around: '2026-12-01', before: [12, 100], span: [2, 6], currencies: ['USD', 'INR', 'COP', 'EUR', 'BRL', 'IDR', 'AED'], era: 'ps', weight: 5 },
  { name: 'auth-intl mid-month', around: '2026-03-12', before: [0, 100], span: [3, 8], currencies: ['USD', 'USD', 'INR'], era: 'pm-auth', weight: 4 },
  // rates may be missing here (North America, UK... on the partial USD 2025-07-01 card; India
  // authentication before 2024-07-01; EUR conversation-era categories): missing_rate only when a
  // verdict needs the rate (utility inside the window and free-form stay free)
  { name: 'rates not always needed 2025-08', around: '2025-08-14', before: [0, 100], span: [1, 4], currencies: ['USD'], era: 'anything', weight: 2 },
  { name: 'rates not always needed 2023-09', around: '2023-09-14', before: [0, 100], span: [1, 4], currencies: ['USD', 'EUR'], era: 'anything', weight: 1 },
  { name: 'nonprofit end 2028-01-01', around: '2028-01-01', before: [6, 60], span: [2, 4], currencies: ['USD', 'INR'], era: 'ps', weight: 2 },
];

/** Recipient kinds for a scenario era and currency. */
function poolFor(era, currency, options) {
  const smallFreeTier = options.conversationFreeTier !== undefined && options.conversationFreeTier < 50;
  switch (era) {
    case 'tt':
      if (currency === 'EUR') return without(ALL, ['PL', 'UA']); // no EUR business-initiated rate for Rest of C&E Europe
      return smallFreeTier ? ['AR', 'BR', 'CL', 'NG'] : ALL;
    case 'tt-cat':
      return smallFreeTier ? ['AR', 'BR', 'CL', 'NG'] : ALL;
    case 'cat-early': case 'cat':
      return ALL;
    case 'transition':
      return PMP_2025_07_USD;
    case 'transition-inr':
      return ['IN'];
    case 'pm-2025-10':
      return currency === 'INR' ? ['IN'] : PMP_2025_07_USD;
    case 'pm':
      return ALL;
    case 'pm-auth':
      return ['IN', 'EG', 'ID', 'IN', 'EG', 'NG', 'PK', 'MY'];
    case 'pm-2026-07':
      if (currency === 'INR') return without(ALL, NEW_2026_07);
      if (currency === 'BRL') return ['BR', 'AR'];
      if (currency === 'IDR') return ['ID'];
      return ALL; // USD, EUR, COP: EUR and COP only from 2026-07-01 (window is clamped below)
    case 'pm-2026-10':
    case 'ps':
      if (currency === 'EUR') return without(ALL, NEW_2026_10);
      if (currency === 'BRL') return ['BR', 'AR'];
      if (currency === 'IDR') return ['ID'];
      if (currency === 'AED') return ['AR', 'BR', 'CL', 'CO', 'EG'];
      if (currency === 'INR' && era === 'pm-2026-10') return without(ALL, NEW_2026_07);
      return ALL;
    default:
      return ALL;
  }
}

/** May this kind receive an authentication template at local date `date` in this scenario? */
function authAllowed(era, currency, kind, date) {
  if (era === 'anything') return true;
  if (kind === 'IN' && date < '2024-07-01') return false; // no India authentication rate before 2024-07-01
  const partialCard = date >= '2025-07-01' && date < '2025-10-01' && currency === 'USD';
  if (partialCard) return PMP_2025_07_USD_AUTH.includes(kind);
  return true;
}

/** The earliest local date from which the currency has any rate in this scenario (window clamp). */
function earliestDate(era, currency) {
  if (['EUR', 'COP', 'BRL', 'IDR'].includes(currency) && era.startsWith('pm-2026-07')) return '2026-07-01';
  if (currency === 'AED') return '2026-10-01';
  if (currency === 'INR' && era === 'transition-inr') return '2025-07-01'; // no INR conversation-era rates
  return null;
}

// ---------------------------------------------------------------------------------------------
// Time zones
// ---------------------------------------------------------------------------------------------

const TIMEZONES = ['UTC', 'UTC', 'Asia/Kolkata', 'America/Sao_Paulo', '-03:00', '+05:30', 'Europe/Berlin',
  'America/New_York', 'Asia/Jakarta', 'Pacific/Kiritimati', '+14:00', '-11:00'];

function fixedOffsetMinutes(tz) {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(tz);
  if (!m) return null;
  const v = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -v : v;
}

const formats = new Map();
/** Offset (minutes) of a zone at an instant. */
function offsetAt(tz, ms) {
  const fixed = fixedOffsetMinutes(tz);
  if (fixed !== null) return fixed;
  if (!formats.has(tz)) {
    formats.set(tz, new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    }));
  }
  const p = {};
  for (const part of formats.get(tz).formatToParts(new Date(ms))) p[part.type] = part.value;
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return Math.round((asUtc - (ms - (ms % 1000 + 1000) % 1000)) / 60_000);
}

/** The UTC instant of local midnight starting a local date. */
function localMidnight(date, tz) {
  const naive = Date.parse(`${date}T00:00:00Z`);
  let guess = naive - offsetAt(tz, naive) * 60_000;
  guess = naive - offsetAt(tz, guess) * 60_000;
  return guess;
}

function formatOffset(minutes) {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** An instant as RFC 3339 (Z or an offset, with or without milliseconds) or epoch milliseconds. */
function formatAt(r, ms, tz) {
  const form = r.weighted([['z', 5], ['local', 3], ['epoch', 2], ['odd', 1]]);
  if (form === 'epoch') return ms;
  let offset = 0;
  if (form === 'local') offset = offsetAt(tz, ms);
  if (form === 'odd') offset = r.pick([-600, -180, 330, 345, 540, 840]);
  const text = new Date(ms + offset * 60_000).toISOString().slice(0, 23);
  const body = ms % 1000 === 0 && r.chance(0.7) ? text.slice(0, 19) : text;
  return body + (offset === 0 && form !== 'odd' && r.chance(0.8) ? 'Z' : formatOffset(offset));
}

// ---------------------------------------------------------------------------------------------
// Timeline
// ---------------------------------------------------------------------------------------------

const AUTH_INTL_KEYS = ['IN', 'EG', 'ID', 'NG', 'MY', 'PK', 'SA', 'ZA', 'AE', 'BD', 'MA', 'KZ', 'UA',
  'India', 'Egypt', 'Indonesia', 'Kazakhstan'];

function addDays(date, days) {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

export function generateTimeline(seed, { size } = {}) {
  const r = makeRandom(seed * 2654435761 + 12345);
  const scenario = r.weighted(SCENARIOS.map((s) => [s, s.weight]));
  const currency = r.pick(scenario.currencies);
  const timezone = r.pick(TIMEZONES);

  // options: mostly defaults, sometimes small values so that allowances and free tiers get crossed
  const options = {};
  if (r.chance(0.25)) options.conversationFreeTier = r.pick([0, 1, 2, 3, 5]);
  if (r.chance(0.25)) options.serviceAllowance = r.pick([0, 1, 2, 3, 5]);
  if (r.chance(0.2)) options.serviceAllowanceScope = r.pick(['waba', 'number']);
  if (r.chance(0.2)) options.fepHours = r.pick([1, 6, 12, 24, 48, 72, 168]);
  if (r.chance(0.15)) options.unlistedNanpMarket = r.pick(['Other', 'Rest of Latin America', 'North America']);
  if (r.chance(0.15)) options.kazakhstanMarketBefore202610 = r.pick(['Other', 'Russia', 'Rest of Central & Eastern Europe']);
  if (r.chance(0.1)) options.nonprofit = r.chance(0.7);

  const perMessage = ['transition', 'pm-2025-10', 'pm', 'pm-2026-07', 'pm-2026-10', 'ps', 'pm-auth'].includes(scenario.era);
  const tiers = perMessage && ['USD', 'INR', 'EUR'].includes(currency) &&
    r.chance(scenario.era === 'pm-auth' ? 0.8 : 0.4) ? 'small' : 'embedded';
  const heavy = tiers === 'small' ? 1 : 0; // more templates to fewer users, so that small tier bands get crossed

  let pool = poolFor(scenario.era, currency, options);
  if (options.unlistedNanpMarket === 'North America' &&
      (scenario.era === 'transition' || (scenario.era === 'pm-2025-10' && currency === 'USD'))) {
    pool = without(pool, ['BS', 'NANPX']); // North America has no USD 2025-07-01 per-message rate
  }
  if (options.kazakhstanMarketBefore202610 && options.kazakhstanMarketBefore202610 !== 'Other') {
    if (scenario.era === 'transition' || scenario.era === 'pm-2025-10' ||
        (scenario.era === 'tt' && currency === 'EUR') || scenario.era === 'pm-2026-07') pool = without(pool, ['KZ']);
  }

  // window
  const windowDay = earliestDate(scenario.era, currency);
  let start = localMidnight(scenario.around, timezone) - r.int(scenario.before[0] * 60, scenario.before[1] * 60) * 60_000;
  if (windowDay) start = Math.max(start, localMidnight(windowDay, timezone) + r.int(0, 6 * 60) * 60_000);
  if (scenario.name === 'two-type start' && r.chance(0.7)) {
    start = Math.max(start, localMidnight('2022-02-01', timezone)); // mostly valid; sometimes unsupported_date
  }
  const spanMs = r.int(scenario.span[0] * 24, scenario.span[1] * 24) * HOUR;

  // users
  const userCount = heavy ? r.int(1, 3) : r.int(1, 6);
  const users = [];
  for (let i = 0; i < userCount; i += 1) {
    const kind = r.pick(pool);
    users.push({ kind, phone: PHONES[kind](r) });
  }
  const fromNumbers = ['+14155550100', '+919800000001', '+5511900000002'].slice(0, r.int(1, 3));

  // business
  const business = {};
  if (r.chance(0.6)) {
    if (r.chance(0.7)) business.country = r.chance(0.3) ? (ISO[r.pick(users).kind] ?? 'IN') : r.pick(['IN', 'EG', 'ID', 'BR', 'US', 'DE', 'NG']);
    if (r.chance(0.8)) {
      business.authInternational = {};
      const n = r.int(1, 4);
      for (let i = 0; i < n; i += 1) {
        // mostly the recipients' own countries (ISO code, sometimes the market name)
        const kind = r.pick(users).kind;
        const own = r.chance(0.25) && MARKET_NAMES[kind] ? MARKET_NAMES[kind] : ISO[kind];
        const key = own && r.chance(0.75) ? own : r.pick(AUTH_INTL_KEYS);
        const localStart = new Date(start).toISOString().slice(0, 10);
        business.authInternational[key] = r.weighted([
          [addDays(localStart, r.int(-30, 0)), 4],
          [addDays(localStart, r.int(0, Math.ceil(spanMs / DAY))), 3],
          ['2024-06-01', 1], ['2025-02-01', 1], ['2026-10-01', 1], ['2099-01-01', 1],
        ]);
      }
    }
  }

  if (scenario.era === 'pm-auth') {
    // eligibility for authentication-international starts in the middle of the window (same month)
    business.country = r.pick(['BR', 'US', 'DE', undefined]);
    if (business.country === undefined) delete business.country;
    business.authInternational = {};
    for (const u of users) {
      const middle = new Date(start + Math.floor(r.next() * spanMs) + offsetAt(timezone, start) * 60_000).toISOString().slice(0, 10);
      const key = r.chance(0.3) && MARKET_NAMES[u.kind] ? MARKET_NAMES[u.kind] : ISO[u.kind];
      business.authInternational[key] = middle;
    }
  }

  // events
  const count = size ?? (heavy
    ? r.weighted([[r.int(30, 120), 3], [r.int(120, 500), 2]])
    : r.weighted([[r.int(3, 15), 3], [r.int(15, 60), 5], [r.int(60, 250), 3], [r.int(250, 800), 1]]));
  const raw = []; // { t, event }
  let cursor = start;
  const recent = []; // recent instants to build exact 24 h / 72 h offsets from
  const fepHours = options.fepHours ?? 72;
  const end = start + spanMs;

  const from = () => (r.chance(0.35) ? undefined : r.pick(fromNumbers));
  const status = () => r.weighted([['delivered', 86], ['failed', 7], ['sent', 7]]);
  // local date of an instant, for the authentication check (business time zone)
  const localDateOf = (t) => new Date(t + offsetAt(timezone, t) * 60_000).toISOString().slice(0, 10);
  const templateCategory = (user, t) => r.weighted([
    ['marketing', 4], ['utility', 5], ['authentication', authAllowed(scenario.era, currency, user.kind, localDateOf(t)) ? 3 + 4 * heavy : 0],
  ]);
  const push = (t, event) => {
    raw.push({ t, event });
    recent.push(t);
    if (recent.length > 12) recent.shift();
  };
  const business_ = (t, user, kind, extra = {}) => {
    const e = { user: user.phone, kind };
    if (kind === 'template' || kind === 'direct_send') {
      e.category = extra.category ?? templateCategory(user, t);
      if (e.category === 'authentication' && !authAllowed(scenario.era, currency, user.kind, localDateOf(t))) e.category = 'utility';
    }
    const f = extra.from !== undefined ? extra.from : from();
    if (f !== undefined) e.from = f;
    const s = extra.status ?? status();
    if (s !== 'delivered' || r.chance(0.2)) e.status = s;
    push(t, e);
  };
  const inbound = (t, user, ctwa = false) => {
    const e = { user: user.phone, kind: 'inbound' };
    if (ctwa) e.referral = 'ctwa';
    push(t, e);
  };

  const nextTime = () => {
    const how = r.weighted([['same', 8], ['offset', 8], ['minutes', 40], ['hours', 30], ['day', 6], ['jump', 2]]);
    if (how === 'same') return cursor;
    if (how === 'offset' && recent.length) {
      const base = r.pick(recent);
      const delta = r.pick([24 * HOUR, 24 * HOUR, 24 * HOUR - 1, 24 * HOUR + 1, 72 * HOUR, fepHours * HOUR, 48 * HOUR]);
      return base + delta;
    }
    if (how === 'minutes') return cursor + r.int(1, 90) * 60_000 + (r.chance(0.2) ? r.int(0, 999) : 0);
    if (how === 'hours') return cursor + r.int(1, 12) * HOUR + r.int(0, 59) * 60_000;
    if (how === 'day') return cursor + r.int(20, 30) * HOUR;
    return cursor + r.int(2, 4) * DAY;
  };

  const ctwaWeight = r.weighted([[0, 5], [0.5, 3], [2, 2]]);
  while (raw.length < count) {
    let t = nextTime();
    if (t > end && raw.length > 0 && r.chance(0.8)) t = start + Math.floor(r.next() * spanMs); // stay in the window
    cursor = Math.max(cursor, Math.min(t, end + 3 * DAY));
    let user = r.pick(users);
    const what = r.weighted([
      ['inbound', 22], ['ctwa', ctwaWeight], ['template', 36 + 40 * heavy], ['message', 22], ['reaction', 5], ['snippet', 6],
      ['lite', 4], ['direct', 2],
    ]);
    if ((what === 'message' || what === 'reaction') && r.chance(0.7)) {
      // free-form mostly answers a user who wrote recently
      const recentWriters = raw.filter((x) => x.event.kind === 'inbound' && x.t <= t && t - x.t < 26 * HOUR);
      if (recentWriters.length) user = users.find((u) => u.phone === r.pick(recentWriters).event.user) ?? user;
    }
    if (what === 'inbound') inbound(t, user);
    else if (what === 'ctwa') inbound(t, user, true);
    else if (what === 'template' || what === 'message' || what === 'reaction') business_(t, user, what);
    else if (what === 'lite') {
      // SPEC §15: MM Lite at the marketing rate, from the four-category cards on (the two-type
      // era has no marketing rate).
      business_(t, user, localDateOf(t) >= '2023-06-01' ? 'marketing_lite' : 'template', { category: 'marketing' });
    } else if (what === 'direct') business_(t, user, 'direct_send');
    else snippet(t, user);
  }

  function snippet(t, user) {
    let kind = ctwaWeight > 0
      ? r.pick(['fep', 'fep-late', 'edge24', 'same-instant', 'transition', 'burst', 'fep-expiry'])
      : r.pick(['edge24', 'same-instant', 'transition', 'burst', 'burst']);
    if (kind === 'transition' && currency !== 'USD') kind = 'burst';
    if (kind === 'fep' || kind === 'fep-late') {
      inbound(t, user, true);
      const reply = kind === 'fep' ? r.pick([0, 60_000, 23 * HOUR, 24 * HOUR - 1]) : r.pick([24 * HOUR, 24 * HOUR + 1, 30 * HOUR]);
      const first = r.pick(['template', 'message', 'reaction']);
      business_(t + reply, user, first, { status: r.chance(0.85) ? 'delivered' : 'failed' });
      for (const dt of [HOUR, 25 * HOUR, fepHours * HOUR - 1, fepHours * HOUR, fepHours * HOUR + 1]) {
        if (r.chance(0.6)) business_(t + reply + dt, user, r.chance(0.7) ? 'template' : 'message');
      }
      if (r.chance(0.5)) inbound(t + reply + r.int(26, 60) * HOUR, user);
    } else if (kind === 'edge24') {
      inbound(t, user);
      business_(t + 24 * HOUR - 1, user, r.pick(['message', 'template', 'reaction']));
      business_(t + 24 * HOUR, user, r.pick(['message', 'template', 'reaction']));
      business_(t + 24 * HOUR, user, 'template', { category: 'utility' });
    } else if (kind === 'same-instant') {
      if (r.chance(0.5)) { business_(t, user, r.pick(['message', 'template'])); inbound(t, user, r.chance(0.3)); }
      else { inbound(t, user, r.chance(0.3)); business_(t, user, r.pick(['message', 'template', 'reaction'])); }
      business_(t, user, 'template');
    } else if (kind === 'transition') {
      // a utility conversation opened in the evening of 2025-06-30 local (only meaningful near that date)
      const eve = localMidnight('2025-06-30', timezone) + r.int(17 * 60, 23 * 60 + 59) * 60_000;
      const base = Math.abs(eve - t) < 5 * DAY ? eve : t;
      if (r.chance(0.4)) inbound(base - r.int(1, 20) * HOUR, user);
      business_(base, user, 'template', { category: 'utility', status: 'delivered' });
      for (const dt of [HOUR, 5 * HOUR, 24 * HOUR - 1, 24 * HOUR, 26 * HOUR]) {
        if (r.chance(0.6)) business_(base + dt, user, r.chance(0.8) ? 'template' : 'message', { category: r.chance(0.7) ? 'utility' : undefined });
      }
    } else if (kind === 'burst') {
      const n = r.int(3, 12);
      const category = templateCategory(user, t);
      for (let i = 0; i < n; i += 1) business_(t + i * r.int(0, 5) * 60_000, user, r.chance(0.8) ? 'template' : 'message', { category });
    } else if (kind === 'fep-expiry') {
      inbound(t, user, true);
      inbound(t + r.int(1, 10) * HOUR, user, r.chance(0.5));
      business_(t + r.int(11, 23) * HOUR, user, 'template');
      business_(t + (fepHours + 1) * HOUR, user, 'template');
    }
  }

  // Group messages (docs/simulator.md "Group messages"), from 2025-10 (the Groups API), drawn
  // from their own stream so that the rest of each seed's timeline stays as it was.
  const g = makeRandom(seed * 40503 + 7);
  if (['pm-2025-10', 'pm', 'pm-2026-07', 'pm-2026-10', 'ps'].includes(scenario.era) && users.length > 1 && g.chance(0.4)) {
    const members = users.map((u) => u.phone).filter((p, i, all) => all.indexOf(p) === i).slice(0, g.int(2, 8));
    const times = raw.map((x) => x.t);
    const n = g.int(2, 10);
    for (let k = 0; k < n; k += 1) {
      const t = g.chance(0.5) && times.length ? g.pick(times) + g.pick([0, 60_000, HOUR, 24 * HOUR]) : start + Math.floor(g.next() * spanMs);
      if (g.chance(0.35)) {
        raw.push({ t, event: { user: g.pick(members), kind: 'inbound', group: 'G1' } });
        continue;
      }
      const kind = g.weighted([['template', 5], ['message', 3], ['reaction', 1]]);
      const event = { kind, group: 'G1' };
      if (kind === 'template') event.category = g.pick(['marketing', 'utility']);
      const participants = members.filter(() => g.chance(0.7));
      if (participants.length === 0) participants.push(members[0]);
      event.participants = participants;
      if (g.chance(0.3)) event.statuses = { [g.pick(members)]: g.pick(['failed', 'sent', 'delivered']) };
      if (g.chance(0.2)) event.status = g.pick(['failed', 'sent']);
      raw.push({ t, event });
    }
  }

  // Events sorted by instant (stably); sometimes shuffled a little or fully (the engine sorts).
  raw.sort((a, b) => a.t - b.t);
  const shuffle = r.weighted([['none', 6], ['some', 3], ['all', 1]]);
  if (shuffle !== 'none') {
    const swaps = shuffle === 'all' ? raw.length * 2 : Math.ceil(raw.length / 10);
    for (let k = 0; k < swaps; k += 1) {
      const i = r.int(0, raw.length - 1);
      const j = shuffle === 'all' ? r.int(0, raw.length - 1) : Math.min(raw.length - 1, i + 1);
      [raw[i], raw[j]] = [raw[j], raw[i]];
    }
  }
  const events = raw.map(({ t, event }) => ({ at: formatAt(r, t, timezone), ...event }));

  const input = { events };
  if (currency !== 'USD' || r.chance(0.5)) input.currency = currency;
  if (timezone !== 'UTC' || r.chance(0.5)) input.timezone = timezone;
  if (Object.keys(business).length) input.business = business;
  if (r.chance(0.03)) options.messages = 'none';
  if (Object.keys(options).length) input.options = options;
  return { seed, scenario: scenario.name, tiers, input };
}

// ---------------------------------------------------------------------------------------------
// Small volume-tier tables, laid over the embedded data (new Engine({ tiers }) / loadData(dir, { tiers }))
// so that timelines of a few hundred messages cross bands: contiguous tables, partial tables with
// gaps, and band-1 rates that differ from the list rate.
// ---------------------------------------------------------------------------------------------

export function smallTiersCsv() {
  const header = 'effective_date,currency,market,category,tier,volume_from,volume_to,rate_type,rate,discount_vs_list,confidence,sources,note';
  const lines = [header];
  const note = '"test table, small bands; ""synthetic"", not Meta\'s"';
  const shapes = {
    full: [[1, 0, 3], [2, 4, 6], [3, 7, 10], [4, 11, 20], [5, 21, 40], [6, 41, null]],
    gap: [[1, 0, 2], [2, 3, 5], [5, 12, 30], [6, 31, null]],
    short: [[1, 0, 1], [2, 2, null]],
  };
  const tables = [
    // date, currency, market, category, shape, band-1 rate, step
    ['2025-10-01', 'USD', 'India', 'utility', 'full', '0.0014', '0.00007'],
    ['2025-10-01', 'USD', 'India', 'authentication', 'gap', '0.0014', '0.00011'],
    ['2025-10-01', 'USD', 'India', 'authentication_international', 'full', '0.0280', '0.0011'],
    ['2025-10-01', 'USD', 'Brazil', 'utility', 'gap', '0.0068', '0.0003'],
    ['2025-10-01', 'USD', 'Egypt', 'utility', 'short', '0.0035', '0.00015'],   // band 1 differs from the list rate
    ['2025-10-01', 'USD', 'Egypt', 'authentication', 'full', '0.0036', '0.0001'],
    ['2025-10-01', 'USD', 'Egypt', 'authentication_international', 'gap', '0.0650', '0.002'],
    ['2025-10-01', 'USD', 'Indonesia', 'authentication', 'short', '0.0250', '0.001'],
    ['2025-10-01', 'INR', 'India', 'authentication_international', 'full', '2.3', '0.05'],
    ['2025-10-01', 'USD', 'Other', 'utility', 'full', '0.0077', '0.0004'],
    ['2025-10-01', 'USD', 'Other', 'authentication', 'full', '0.0077', '0.0004'],
    ['2025-10-01', 'USD', 'Rest of Latin America', 'authentication', 'gap', '0.0113', '0.0005'],
    ['2025-10-01', 'INR', 'India', 'utility', 'full', '0.1150', '0.0069'],
    ['2025-10-01', 'INR', 'India', 'authentication', 'short', '0.1150', '0.005'],
    ['2026-07-01', 'USD', 'Hong Kong', 'utility', 'gap', '0.0089', '0.00041'],
    ['2026-07-01', 'EUR', 'Germany', 'utility', 'full', '0.0458', '0.0021'],
    ['2026-07-01', 'EUR', 'India', 'utility', 'short', '0.0012', '0.0001'],
    ['2026-10-01', 'USD', 'India', 'utility', 'gap', '0.0014', '0.00009'],     // replaces the embedded table
    ['2026-10-01', 'USD', 'Brazil', 'authentication', 'full', '0.0068', '0.0003'],
    ['2026-10-01', 'USD', 'Indonesia', 'authentication_international', 'gap', '0.1360', '0.005'],
    ['2026-10-01', 'USD', 'Kazakhstan', 'utility', 'short', '0.0180', '0.001'],
    ['2026-10-01', 'INR', 'India', 'authentication', 'full', '0.1150', '0.006'],
  ];
  for (const [date, currency, market, category, shape, base, step] of tables) {
    shapes[shape].forEach(([tier, from, to], k) => {
      const rate = subtractSteps(base, step, tier - 1);
      const type = tier === 1 ? 'List rate' : 'Tier rate';
      const name = market.includes(',') ? `"${market}"` : market;
      lines.push([date, currency, name, category, tier, from, to ?? '', type, rate, '', 'low', 'TEST', k === 0 ? note : ''].join(','));
    });
  }
  return `${lines.join('\n')}\n`;
}

function subtractSteps(base, step, n) {
  // exact decimal arithmetic on strings through BigInt (scale 1e-8)
  const toInt = (x) => { const [i, f = ''] = x.split('.'); return BigInt(i + f.padEnd(8, '0')); };
  const v = toInt(base) - toInt(step) * BigInt(n);
  const text = v.toString().padStart(9, '0');
  return `${text.slice(0, -8)}.${text.slice(-8)}`.replace(/0+$/, '').replace(/\.$/, '');
}
