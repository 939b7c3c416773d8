// Reference implementation ("oracle") of the waprice pricing rules, written from docs/rules.md and
// docs/simulator.md alone, independently of the Rust engine in src/. It exists to be compared with
// the engine timeline by timeline: every disagreement is a bug on one side.
//
// Clarity beats speed here. Money is exact: decimals are BigInt integers scaled by 10^12.
//
// Exports:
//   loadData(dir)          dir: a URL (or file: URL string, or plain path) of a folder holding the four CSVs
//   simulate(data, input)  -> { messages: [...], totals: { amount }, warnings: [...] }
//   parseCsv(text)         -> array of row objects keyed by the header
//   decimal helpers: parseDecimal, formatDecimal

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// ---------------------------------------------------------------------------------------------
// Exact decimals
// ---------------------------------------------------------------------------------------------

const SCALE_DIGITS = 12;
const SCALE = 10n ** BigInt(SCALE_DIGITS);

/** "0.0036" -> 3600000000n (scaled by 10^12). Throws on anything that is not a plain decimal. */
export function parseDecimal(text) {
  const s = String(text).trim();
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) throw new Error(`not a decimal: ${JSON.stringify(text)}`);
  const [, sign, intPart, fracRaw = ''] = m;
  const frac = fracRaw.replace(/0+$/, '');
  if (frac.length > SCALE_DIGITS) throw new Error(`too many decimals: ${text}`);
  const value = BigInt(intPart) * SCALE + BigInt(frac.padEnd(SCALE_DIGITS, '0') || '0');
  return sign === '-' ? -value : value;
}

/** 3600000000n -> "0.0036"; 0n -> "0"; no trailing zeros. */
export function formatDecimal(value) {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const intPart = abs / SCALE;
  const frac = (abs % SCALE).toString().padStart(SCALE_DIGITS, '0').replace(/0+$/, '');
  const text = frac ? `${intPart}.${frac}` : `${intPart}`;
  return negative && abs !== 0n ? `-${text}` : text;
}

/** Normalise any decimal string ("530.0000" -> "530"). */
export function normaliseDecimal(text) {
  return formatDecimal(parseDecimal(text));
}

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

/** Parses RFC 4180 CSV: quoted fields may hold commas, newlines and doubled quotes. */
export function parseCsvRecords(text) {
  const records = [];
  let record = [];
  let field = '';
  let i = 0;
  let inQuotes = false;
  let fieldWasQuoted = false;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // BOM
  while (i < text.length) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        inQuotes = false; i += 1; continue;
      }
      field += c; i += 1; continue;
    }
    if (c === '"' && field === '' && !fieldWasQuoted) { inQuotes = true; fieldWasQuoted = true; i += 1; continue; }
    if (c === ',') { record.push(field); field = ''; fieldWasQuoted = false; i += 1; continue; }
    if (c === '\r' || c === '\n') {
      record.push(field); field = ''; fieldWasQuoted = false;
      records.push(record); record = [];
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      i += 1; continue;
    }
    field += c; i += 1;
  }
  if (inQuotes) throw new Error('unterminated quoted field');
  if (field !== '' || fieldWasQuoted || record.length > 0) { record.push(field); records.push(record); }
  // drop blank lines
  return records.filter((r) => !(r.length === 1 && r[0] === ''));
}

export function parseCsv(text) {
  const [header, ...rows] = parseCsvRecords(text);
  return rows.map((cells, n) => {
    if (cells.length !== header.length) {
      throw new Error(`csv line ${n + 2}: ${cells.length} fields, header has ${header.length}`);
    }
    const row = {};
    header.forEach((name, k) => { row[name.trim()] = cells[k]; });
    return row;
  });
}

// ---------------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------------

function readIn(dir, name) {
  if (dir instanceof URL) return readFileSync(new URL(name, dir.href.endsWith('/') ? dir : `${dir.href}/`), 'utf8');
  if (typeof dir === 'string' && dir.startsWith('file:')) return readIn(new URL(dir), name);
  return readFileSync(join(dir, name), 'utf8');
}

/** Leading digits of each ';'-separated part ("6;7 (ITU ...)" -> ["6", "7"]); parts without any are ignored. */
function prefixParts(column) {
  if (!column) return [''];
  const parts = column.split(';').map((p) => /^\s*(\d*)/.exec(p)[1]).filter((d) => d !== '');
  return parts.length ? parts : [''];
}

/**
 * Loads the four CSVs of `dir`. `overlay.tiers` (CSV text in the schema of volume_tiers.csv) is laid
 * over them as the engine's `new Engine({ tiers })` does: a tier table (the rows of one effective
 * date x currency x market x category) given in the overlay replaces the loaded one whole.
 */
export function loadData(dir, overlay = {}) {
  const markets = [];
  for (const row of parseCsv(readIn(dir, 'markets.csv'))) {
    const catchAll = row.calling_code.trim() === '*';
    for (const part of prefixParts(row.nanp_area_codes_or_prefixes)) {
      markets.push({
        iso2: catchAll ? null : row.iso2.trim(),
        market: row.market.trim(),
        catchAll,
        prefix: catchAll ? '' : row.calling_code.trim() + part,
        validFrom: row.valid_from.trim() || null,
        validTo: row.valid_to.trim() || null,
      });
    }
  }

  // rates: key currency|pricing_model|market|category -> [{ date, rate }] ascending by date
  const rates = new Map();
  for (const file of ['rates_conversation_era.csv', 'rates_per_message.csv']) {
    for (const row of parseCsv(readIn(dir, file))) {
      const key = [row.currency, row.pricing_model, row.market, row.category].map((s) => s.trim()).join('|');
      if (!rates.has(key)) rates.set(key, []);
      rates.get(key).push({ date: row.effective_date.trim(), rate: parseDecimal(row.rate) });
    }
  }
  for (const list of rates.values()) list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  // tiers: key currency|market|category -> [{ date, bands: [{ tier, from, to, rate }] }] ascending by date
  const tierTables = new Map();
  const tierRows = parseCsv(readIn(dir, 'volume_tiers.csv'));
  if (overlay.tiers) {
    const extra = parseCsv(overlay.tiers);
    const tableKey = (row) => [row.effective_date, row.currency, row.market, row.category].map((s) => s.trim()).join('|');
    const replaced = new Set(extra.map(tableKey));
    tierRows.splice(0, tierRows.length, ...tierRows.filter((row) => !replaced.has(tableKey(row))), ...extra);
  }
  for (const row of tierRows) {
    const key = [row.currency, row.market, row.category].map((s) => s.trim()).join('|');
    if (!tierTables.has(key)) tierTables.set(key, []);
    const tables = tierTables.get(key);
    const date = row.effective_date.trim();
    let table = tables.find((t) => t.date === date);
    if (!table) { table = { date, bands: [] }; tables.push(table); }
    table.bands.push({
      tier: Number(row.tier),
      from: Number(row.volume_from),
      to: row.volume_to.trim() === '' ? null : Number(row.volume_to),
      rate: parseDecimal(row.rate),
    });
  }
  for (const tables of tierTables.values()) {
    tables.sort((a, b) => (a.date < b.date ? -1 : 1));
    for (const t of tables) t.bands.sort((a, b) => a.from - b.from);
  }

  return { markets, rates, tierTables };
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

export class PricingError extends Error {
  constructor(code, path, message) {
    super(message);
    this.code = code;
    this.path = path;
  }
}

// ---------------------------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------------------------

const HOUR = 3_600_000;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

function parseOffsetMinutes(text) {
  if (text === 'Z' || text === 'z') return 0;
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (Number(m[2]) > 23 || Number(m[3]) > 59) return null;
  return m[1] === '-' ? -minutes : minutes;
}

/** An event's `at` -> epoch milliseconds. */
function parseInstant(at, path) {
  if (typeof at === 'number') {
    if (!Number.isInteger(at)) throw new PricingError('invalid_input', path, `invalid instant ${at}`);
    return at;
  }
  if (typeof at !== 'string') throw new PricingError('invalid_input', path, `invalid instant ${JSON.stringify(at)}`);
  const m = RFC3339.exec(at);
  if (!m) throw new PricingError('invalid_input', path, `invalid instant ${at}`);
  const [, y, mo, d, h, mi, s, frac = '', off] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  return local - parseOffsetMinutes(off) * 60_000;
}

function utcDate(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A business time zone: IANA name or fixed offset. Returns { localDate(ms) -> 'YYYY-MM-DD' }. */
function makeTimeZone(name) {
  const offset = typeof name === 'string' && /^[+-]\d{2}:\d{2}$/.test(name) ? parseOffsetMinutes(name) : null;
  if (offset !== null) {
    return { localDate: (ms) => utcDate(ms + offset * 60_000) };
  }
  let format;
  try {
    format = new Intl.DateTimeFormat('en-US', { timeZone: name, year: 'numeric', month: '2-digit', day: '2-digit' });
  } catch {
    throw new PricingError('invalid_timezone', 'timezone', `unknown time zone ${name}`);
  }
  const cache = new Map(); // instant (ms) -> local date
  return {
    localDate(ms) {
      if (cache.has(ms)) return cache.get(ms);
      const parts = {};
      for (const p of format.formatToParts(new Date(ms))) parts[p.type] = p.value;
      const date = `${parts.year}-${parts.month}-${parts.day}`;
      cache.set(ms, date);
      return date;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Markets
// ---------------------------------------------------------------------------------------------

const E164 = /^\+[1-9]\d{6,14}$/;

// +1 area codes of NANP countries and territories that Meta does not list (SPEC §4).
const UNLISTED_NANP = new Set(['242', '246', '264', '268', '284', '340', '345', '441', '473', '649', '664', '670',
  '671', '684', '721', '758', '767', '784', '868', '869']);

function validAt(row, date) {
  return (row.validFrom === null || row.validFrom <= date) && (row.validTo === null || date <= row.validTo);
}

/** -> { country, market } of an E.164 number at a local date (SPEC §4, §13.14). */
function resolveMarket(data, phone, date, options) {
  const digits = phone.slice(1);
  let best = null;
  for (const row of data.markets) {
    if (row.catchAll || !validAt(row, date) || !digits.startsWith(row.prefix)) continue;
    if (best === null || row.prefix.length > best.prefix.length) best = row;
  }
  if (best === null) {
    const other = data.markets.find((r) => r.catchAll && validAt(r, date));
    return { country: null, market: other ? other.market : 'Other' };
  }
  // +1: a number matched only by the bare calling code (US/CA rows)
  if (best.prefix === '1') {
    if (UNLISTED_NANP.has(digits.slice(1, 4))) return { country: null, market: options.unlistedNanpMarket };
    return { country: best.iso2, market: 'North America' };
  }
  // +7: Kazakhstan prefixes before 2026-10-01
  if (best.iso2 === 'KZ' && date < '2026-10-01') {
    return { country: 'KZ', market: options.kazakhstanMarketBefore202610 };
  }
  return { country: best.iso2, market: best.market };
}

// ---------------------------------------------------------------------------------------------
// Rates and tiers
// ---------------------------------------------------------------------------------------------

/** Latest row on or before the date, never crossing pricing models; null when none. */
function rateInForce(data, currency, pricingModel, market, category, date) {
  const list = data.rates.get(`${currency}|${pricingModel}|${market}|${category}`);
  if (!list) return null;
  let found = null;
  for (const row of list) if (row.date <= date) found = row;
  return found ? found.rate : null;
}

function tierTableInForce(data, currency, market, category, date) {
  const tables = data.tierTables.get(`${currency}|${market}|${category}`);
  if (!tables) return null;
  let found = null;
  for (const t of tables) if (t.date <= date) found = t;
  return found;
}

// ---------------------------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------------------------

const DEFAULT_OPTIONS = {
  fepHours: 72,
  unlistedNanpMarket: 'Other',
  kazakhstanMarketBefore202610: 'Other',
  serviceAllowanceScope: 'number',
  serviceAllowance: 1000,
  conversationFreeTier: 1000,
  nonprofit: false,
  messages: 'all',
};

// SPEC §15: `marketing_lite` (a Marketing Messages API message) and `direct_send` (a business
// message with a category and no pre-made template) besides the four kinds of the simulator.
const KINDS = new Set(['inbound', 'template', 'message', 'reaction', 'marketing_lite', 'direct_send']);
const TEMPLATE_CATEGORIES = new Set(['marketing', 'utility', 'authentication']);
const STATUSES = new Set(['delivered', 'failed', 'sent']);
const DEFAULT_FROM = '(default number)';

function readEvents(input) {
  if (!Array.isArray(input.events)) throw new PricingError('invalid_input', 'events', 'events must be an array');
  // docs/simulator.md "Group messages": a group's participants are every number the input names in
  // it (participants, statuses, writers); a group message is one message per participant; a
  // message written in a group is a customer message of every participant.
  const members = new Map();
  const member = (group, phone, path) => {
    if (!members.has(group)) members.set(group, new Set());
    members.get(group).add(phone);
    if (members.get(group).size > 8) throw new PricingError('limit_exceeded', path, `group ${group} has more than 8 participants`);
  };
  const events = input.events.flatMap((e, index) => {
    const path = `events[${index}]`;
    if (e === null || typeof e !== 'object') throw new PricingError('invalid_input', path, 'event must be an object');
    if (e.group !== undefined && e.kind !== 'inbound') return readGroupMessage(e, index, member);
    const t = parseInstant(e.at, `${path}.at`);
    if (typeof e.user !== 'string' || !E164.test(e.user)) {
      throw new PricingError('invalid_phone', `${path}.user`, `invalid phone number ${e.user}`);
    }
    if (!KINDS.has(e.kind)) throw new PricingError('invalid_input', `${path}.kind`, `invalid kind ${e.kind}`);
    if ((e.kind === 'template' || e.kind === 'direct_send') && !TEMPLATE_CATEGORIES.has(e.category)) {
      throw new PricingError('invalid_input', `${path}.category`, `invalid category ${e.category}`);
    }
    const status = e.status ?? 'delivered';
    if (!STATUSES.has(status)) throw new PricingError('invalid_input', `${path}.status`, `invalid status ${status}`);
    if (e.from !== undefined && e.from !== null && (typeof e.from !== 'string' || !E164.test(e.from))) {
      throw new PricingError('invalid_phone', `${path}.from`, `invalid phone number ${e.from}`);
    }
    // SPEC §15: Direct Send is priced as a template of its category (inferred); MM Lite is always
    // marketing.
    const kind = e.kind === 'direct_send' ? 'template' : e.kind;
    const category = e.kind === 'marketing_lite' ? 'marketing' : e.category ?? null;
    if (e.group !== undefined) member(e.group, e.user, `${path}.user`);
    return [{
      index, t, user: e.user, kind, category, group: e.group ?? null,
      referral: e.referral ?? null, from: e.from ?? DEFAULT_FROM, status,
    }];
  });
  return events.flatMap((ev) => (ev.kind === 'inbound' && ev.group !== null
    ? [ev, ...[...members.get(ev.group)].filter((p) => p !== ev.user).map((user) => ({ ...ev, user }))]
    : [ev]));
}

/** A business message to a group: one event per participant, each with its own status. */
function readGroupMessage(e, index, member) {
  const path = `events[${index}]`;
  const t = parseInstant(e.at, `${path}.at`);
  if (!['template', 'direct_send', 'message', 'reaction'].includes(e.kind)) {
    throw new PricingError('invalid_kind', `${path}.kind`, `invalid group message kind ${e.kind}`);
  }
  if (e.kind === 'template' || e.kind === 'direct_send') {
    if (!['marketing', 'utility'].includes(e.category)) {
      throw new PricingError(TEMPLATE_CATEGORIES.has(e.category) ? 'invalid_kind' : 'invalid_category', `${path}.category`, `invalid group category ${e.category}`);
    }
  }
  const status = e.status ?? 'delivered';
  const statuses = e.statuses ?? {};
  const participants = [...(e.participants ?? [])];
  for (const p of Object.keys(statuses)) if (!participants.includes(p)) participants.push(p);
  return participants.map((p) => {
    member(e.group, p, `${path}.participants`);
    const own = statuses[p] ?? status;
    return {
      index, t, user: p, kind: e.kind === 'direct_send' ? 'template' : e.kind, category: e.category ?? null,
      group: e.group, referral: null, from: e.from ?? DEFAULT_FROM, status: own === 'read' ? 'delivered' : own,
    };
  });
}

/** docs/simulator.md "Group messages": Meta's words for a verdict of a group message. */
function groupLabels(v) {
  const category = ['marketing', 'utility', 'service'].includes(v.category) ? `group_${v.category}` : v.category;
  const type = v.type === 'free_customer_service' ? 'free_group_customer_service' : v.type;
  return { category, type };
}

// ---------------------------------------------------------------------------------------------
// Eras
// ---------------------------------------------------------------------------------------------

const FIRST_SUPPORTED_DATE = '2022-02-01';
const CATEGORY_ERA = '2023-06-01';      // four categories
const FEP_72H_FROM = '2023-03-01';
const FREE_SERVICE_FROM = '2024-11-01'; // service conversations free
const PER_MESSAGE_ERA = '2025-07-01';
const PAID_SERVICE_ERA = '2026-10-01';
const NONPROFIT_UNTIL = '2027-12-31';

function eraOf(date) {
  if (date < CATEGORY_ERA) return 'two-type';
  if (date < PER_MESSAGE_ERA) return 'categories';
  if (date < PAID_SERVICE_ERA) return 'per-message';
  return 'paid-service';
}

const isConversationEra = (era) => era === 'two-type' || era === 'categories';

// ---------------------------------------------------------------------------------------------
// Simulation
// ---------------------------------------------------------------------------------------------

export function simulate(data, input) {
  const currency = input.currency ?? 'USD';
  const timeZone = makeTimeZone(input.timezone ?? 'UTC');
  const business = input.business ?? {};
  const options = { ...DEFAULT_OPTIONS, ...(input.options ?? {}) };
  const authInternational = business.authInternational ?? {};
  const events = readEvents(input);

  // Processing order: by instant, stably (SPEC §13.2).
  const order = [...events].sort((a, b) => a.t - b.t || a.index - b.index);

  // Business events before 2022-02-01 (local) are an error (SPEC §13.16); the earliest is named.
  for (const ev of order) {
    if (ev.kind !== 'inbound' && timeZone.localDate(ev.t) < FIRST_SUPPORTED_DATE) {
      throw new PricingError('unsupported_date', `events[${ev.index}].at`,
        `business events before ${FIRST_SUPPORTED_DATE} are not supported (${timeZone.localDate(ev.t)})`);
    }
  }

  // --- state -----------------------------------------------------------------------------
  const users = new Map();          // per recipient: windows and conversations (SPEC §13.1)
  const conversationCounts = new Map(); // local month -> conversations counted toward the free tier
  const serviceCounts = new Map();  // scope|month -> delivered service messages (2026-10 allowance)
  const tierCounts = new Map();     // market|group|month -> charged messages
  const warnings = [];
  const verdicts = [];
  const marketCache = new Map();
  let nextConversationId = 1;

  const userState = (phone) => {
    if (!users.has(phone)) {
      users.set(phone, { cswEnd: null, fepChance: null, fep: null, conversations: [] });
    }
    return users.get(phone);
  };
  const increment = (map, key) => {
    const n = (map.get(key) ?? 0) + 1;
    map.set(key, n);
    return n;
  };
  const missingRate = (ev, date, market, category) => new PricingError('missing_rate', `events[${ev.index}]`,
    `no ${currency} rate for ${market} ${category} on ${date}; load a rate card file`);

  for (const ev of order) {
    const user = userState(ev.user);

    if (ev.kind === 'inbound') {
      user.cswEnd = ev.t + 24 * HOUR;           // each user message (re)starts the CSW
      if (ev.referral === 'ctwa') user.fepChance = ev.t; // a later entry point replaces an unused one
      continue;
    }

    const date = timeZone.localDate(ev.t);
    const month = date.slice(0, 7);
    const era = eraOf(date);
    const pricingModel = isConversationEra(era) ? 'CBP' : 'PMP';
    const marketKey = `${ev.user}|${date}`;
    if (!marketCache.has(marketKey)) marketCache.set(marketKey, resolveMarket(data, ev.user, date, options));
    const { country, market } = marketCache.get(marketKey);
    const isTemplate = ev.kind === 'template';
    const isLite = ev.kind === 'marketing_lite';
    const intendedCategory = isTemplate || isLite ? ev.category : 'service';
    const cswOpen = user.cswEnd !== null && ev.t < user.cswEnd;

    const verdict = {
      group: ev.group, index: ev.index, localDate: date, user: ev.user, from: ev.from === DEFAULT_FROM ? null : ev.from,
      country, market, pricingModel, category: intendedCategory, type: 'regular',
      amount: 0n, rate: null, tier: null, charged: false, conversation: null,
    };
    verdicts.push(verdict);

    const free = (category, type, model = pricingModel) => {
      verdict.category = category; verdict.type = type; verdict.pricingModel = model;
    };
    const charge = (category, rate, tier = null) => {
      verdict.category = category; verdict.type = 'regular';
      verdict.amount = rate; verdict.rate = rate; verdict.tier = tier; verdict.charged = true;
    };
    const ride = (conversation) => {
      free(conversation.category, conversation.type, 'CBP');
      verdict.conversation = conversation.id;
    };
    const openConversation = (category, type, conversationEra) => {
      const c = { id: nextConversationId++, category, type, start: ev.t, end: ev.t + 24 * HOUR, era: conversationEra };
      user.conversations.push(c);
      verdict.conversation = c.id;
      return c;
    };
    // Time only moves forward, so a conversation that has ended is dropped for good.
    user.conversations = user.conversations.filter((c) => ev.t < c.end);
    const openConversations = () => user.conversations.filter((c) => c.start <= ev.t && ev.t < c.end);

    // 1. Not delivered: opens nothing, counts toward nothing (docs decision 1).
    if (ev.status !== 'delivered') {
      free(intendedCategory, 'not_delivered');
      continue;
    }
    // 2. Free-form without a customer-service window (docs decision 2), before everything else.
    if (!isTemplate && !isLite && !cswOpen) {
      free('service', 'not_delivered');
      warnings.push({ code: 'no_window', index: ev.index });
      continue;
    }
    // 3. Entry point: the first delivered business message after a ctwa inbound uses the chance.
    if (user.fepChance !== null) {
      const inboundAt = user.fepChance;
      user.fepChance = null;
      if (ev.t - inboundAt < 24 * HOUR) {
        const hours = date >= FEP_72H_FROM ? options.fepHours : 24;
        for (const c of openConversations()) c.end = ev.t; // opening ends every open conversation
        user.fep = { start: ev.t, end: ev.t + hours * HOUR };
      }
    }
    if (user.fep !== null && user.fep.start <= ev.t && ev.t < user.fep.end) {
      free('referral_conversion', 'free_entry_point');
      continue;
    }

    // 4. The era's rules.
    // SPEC §15, §14: an MM Lite message is charged at the market's marketing rate in every era in
    // which it appears, labelled PMP even before 2025-07-01; it opens no conversation and rides
    // in none. (The two-type era has no marketing rate: a missing rate there.)
    if (isLite) {
      const kindOfCard = isConversationEra(era) ? 'per_conversation' : 'per_message';
      const rate = rateInForce(data, currency, kindOfCard, market, 'marketing', date);
      if (rate === null) throw missingRate(ev, date, market, 'marketing');
      verdict.pricingModel = 'PMP';
      charge('marketing', rate);
      continue;
    }
    if (era === 'two-type') {
      const open = openConversations();
      if (open.length > 0) { ride(open[0]); continue; }
      const category = cswOpen ? 'user_initiated' : 'business_initiated';
      const n = increment(conversationCounts, month);
      if (n <= options.conversationFreeTier) {
        ride(openConversation(category, 'free_tier', era));
      } else {
        const rate = rateInForce(data, currency, 'per_conversation', market, category, date);
        if (rate === null) throw missingRate(ev, date, market, category);
        openConversation(category, 'regular', era);
        charge(category, rate);
      }
      continue;
    }

    if (era === 'categories') {
      if (isTemplate) {
        const sameCategory = (c) => c.era === 'categories' &&
          (c.category === ev.category ||
           (ev.category === 'authentication' && c.category === 'authentication_international'));
        const rideIn = openConversations().find(sameCategory);
        if (rideIn) { ride(rideIn); continue; }
        let category = ev.category;
        if (category === 'authentication' &&
            authInternationalApplies(data, currency, 'per_conversation', market, country, date, business, authInternational)) {
          category = 'authentication_international';
        }
        const rate = rateInForce(data, currency, 'per_conversation', market, category, date);
        if (rate === null) throw missingRate(ev, date, market, category);
        openConversation(category, 'regular', era);
        charge(category, rate);
        continue;
      }
      // free-form or reaction: rides in the conversation opened first, else opens a service conversation
      const open = openConversations();
      if (open.length > 0) { ride(open[0]); continue; }
      if (date >= FREE_SERVICE_FROM) {
        ride(openConversation('service', 'free_customer_service', era));
        continue;
      }
      const n = increment(conversationCounts, month);
      if (n <= options.conversationFreeTier) {
        ride(openConversation('service', 'free_tier', era));
        continue;
      }
      const rate = rateInForce(data, currency, 'per_conversation', market, 'service', date);
      if (rate === null) throw missingRate(ev, date, market, 'service');
      openConversation('service', 'regular', era);
      charge('service', rate);
      continue;
    }

    // Per-message eras.
    if (isTemplate && ev.category === 'utility') {
      // transition: a utility conversation opened before 2025-07-01 keeps absorbing utility templates
      const carried = openConversations().find((c) => c.era === 'categories' && c.category === 'utility');
      if (carried) { ride(carried); continue; }
    }
    if (!isTemplate) {
      if (era === 'per-message' || ev.kind === 'reaction' || (options.nonprofit && date <= NONPROFIT_UNTIL)) {
        free('service', 'free_customer_service');
        continue;
      }
      const scope = options.serviceAllowanceScope === 'waba' ? '(account)' : ev.from;
      const n = increment(serviceCounts, `${scope}|${month}`);
      // SPEC §14: Meta labels a service message within the allowance free_customer_service
      if (n <= options.serviceAllowance) { free('service', 'free_customer_service'); continue; }
      let rate = rateInForce(data, currency, 'per_message', market, 'service', date);
      if (rate === null) rate = rateInForce(data, currency, 'per_message', market, 'utility', date);
      if (rate === null) throw missingRate(ev, date, market, 'service');
      charge('service', rate);
      continue;
    }
    if (ev.category === 'utility' && era === 'per-message' && cswOpen) {
      free('utility', 'free_customer_service');
      continue;
    }
    if (ev.category === 'marketing') {
      const rate = rateInForce(data, currency, 'per_message', market, 'marketing', date);
      if (rate === null) throw missingRate(ev, date, market, 'marketing');
      charge('marketing', rate);
      continue;
    }
    // utility or authentication: volume tiers
    let category = ev.category;
    if (category === 'authentication' &&
        authInternationalApplies(data, currency, 'per_message', market, country, date, business, authInternational)) {
      category = 'authentication_international';
    }
    const group = ev.category; // authentication and authentication_international share a counter
    const n = increment(tierCounts, `${market}|${group}|${month}`);
    const table = tierTableInForce(data, currency, market, category, date);
    if (table !== null) {
      let band = null;
      for (const b of table.bands) if (b.from <= n) band = b; // highest band starting at or below n
      if (band !== null) { charge(category, band.rate, band.tier); continue; }
    } else {
      warnings.push({ code: 'no_tier_table', index: ev.index });
    }
    const rate = rateInForce(data, currency, 'per_message', market, category, date);
    if (rate === null) throw missingRate(ev, date, market, category);
    charge(category, rate);
  }

  verdicts.sort((a, b) => a.index - b.index);
  let total = 0n;
  for (const v of verdicts) total += v.amount;
  const messages = verdicts.map(({ group, ...v }) => ({
    ...v,
    ...(group ? groupLabels(v) : {}),
    billable: metaBillable(v),
    amount: formatDecimal(v.amount),
    rate: v.rate === null ? null : formatDecimal(v.rate),
  }));
  return { messages: options.messages === 'none' ? [] : messages, totals: { amount: formatDecimal(total) }, warnings };
}

/**
 * SPEC §14: Meta's `pricing.billable`. Per-message pricing: the message is charged. Conversation
 * eras (and a utility conversation carried over 2025-07-01): every message of a conversation, the
 * free-tier and free service ones included; never inside an entry-point window. Not delivered:
 * false (Meta sends no pricing object).
 */
function metaBillable(v) {
  if (v.type === 'not_delivered') return false;
  if (v.pricingModel === 'PMP') return v.charged;
  return v.type !== 'free_entry_point';
}

/** Docs decision 9 and SPEC §9, §13.13. */
function authInternationalApplies(data, currency, pricingModel, market, country, date, business, authInternational) {
  const starts = [country !== null ? authInternational[country] : undefined, authInternational[market]]
    .filter((d) => typeof d === 'string');
  if (!starts.some((d) => d <= date)) return false;
  if (business.country != null && business.country === country) return false;
  return rateInForce(data, currency, pricingModel, market, 'authentication_international', date) !== null;
}
