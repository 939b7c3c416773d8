// The JS-visible shape of estimate, compare, quote and share links (docs/estimate.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { initSync, Engine } from '../../pkg/waprice.js';

initSync({ module: readFileSync(new URL('../../pkg/waprice_bg.wasm', import.meta.url)) });
const engine = new Engine();

const scenario = {
  business: { date: '2026-10-01', phoneNumbers: 1 },
  audience: { contacts: 40000, mix: [{ country: 'IN', share: 60 }, { country: 'BR', share: 25 }, { market: 'Germany', share: 15 }] },
  journeys: [{ preset: 'marketing_campaign', timesPerMonth: 4 }],
  reseller: { perOutbound: '0.001', quoteCurrency: 'EUR', fxRate: '0.9' },
};

test('estimate returns money as decimal strings and the documented fields', () => {
  const e = engine.estimate(scenario);
  // 24,000 × 4 × 0.0118 + 10,000 × 4 × 0.0625 + 6,000 × 4 × 0.1365 = 6908.8 Meta; 160,000 × 0.001 = 160 reseller
  assert.equal(e.meta.total, '6908.8');
  assert.equal(e.reseller.total, '160');
  assert.equal(e.total, '7068.8');
  for (const k of ['date', 'month', 'currency', 'timezone', 'total', 'meta', 'free', 'tierSavings', 'reseller', 'quote',
    'perContact', 'perDeliveredMessage', 'messages', 'journeys', 'cards', 'limits', 'warnings']) {
    assert.ok(k in e, `estimate.${k}`);
  }
  assert.equal(typeof e.meta.lines[0].amount, 'string');
  assert.equal(e.quote.currency, 'EUR');
  assert.equal(e.cards[0].date, '2026-10-01');
  assert.equal(e.limits.ok, false);
});

test('compare gives deltas from the first date', () => {
  const c = engine.compare(scenario, ['2026-07-01', '2026-10-01']);
  assert.deepEqual(c.dates, ['2026-07-01', '2026-10-01']);
  assert.equal(c.estimates.length, 2);
  assert.equal(c.deltas[0].from, '2026-07-01');
  assert.equal(typeof c.deltas[0].total, 'string');
});

test('quote lines sum to the total and the encoded string round-trips', () => {
  const q = engine.quote(scenario, { seller: 'Seller', customer: 'Buyer <b>', issued: '2026-11-21', validDays: 30 });
  assert.match(q.id, /^WQ-[0-9A-F]{16}$/);
  assert.equal(q.validUntil, '2026-12-20');
  const sum = q.lines.reduce((a, l) => a + Math.round(Number(l.amount) * 100), 0);
  assert.equal(sum, Math.round(Number(q.total) * 100));
  const back = engine.decodeQuote(q.encoded);
  assert.deepEqual(back.scenario.audience, scenario.audience);
  assert.equal(back.meta.customer, 'Buyer <b>');
  assert.equal(engine.quote(back.scenario, back.meta).id, q.id, 'the id is derived from the content');
  const link = engine.encodeScenario(scenario);
  assert.match(link, /^w1\.[A-Za-z0-9_-]+$/);
  assert.deepEqual(engine.decodeScenario(link).scenario.journeys, scenario.journeys);
});

test('nonsense is an error with code and path', () => {
  const bad = (s, code, path) => assert.throws(() => engine.estimate(s), (e) => e.code === code && e.path === path);
  bad({ ...scenario, audience: { contacts: 10, mix: [{ country: 'IN', share: 50 }] } }, 'invalid_input', 'audience.mix');
  bad({ ...scenario, audience: { contacts: -1, mix: [{ country: 'IN', share: 100 }] } }, 'invalid_option', 'audience.contacts');
  bad({ ...scenario, business: { currency: 'XAU' } }, 'missing_rate', 'business.currency');
  bad({ ...scenario, journeys: [{ preset: 'otp_login', share: 150 }] }, 'invalid_input', 'journeys[0].share');
  assert.throws(() => engine.decodeScenario('w1.@@@'), (e) => e.code === 'invalid_encoding');
  assert.equal(engine.estimate(scenario).total, '7068.8', 'the engine keeps working after errors');
});

test('never a silent zero: complete, unpriced and a draft quote through the JS API', () => {
  // GBP: one of Meta's billing currencies, with no card in the data (data/PROVENANCE.md).
  const gbp = { ...scenario, business: { date: '2026-10-01', currency: 'GBP' }, reseller: undefined };
  const e = engine.estimate(gbp);
  assert.equal(e.complete, false);
  assert.deepEqual(e.unpriced, [
    { market: 'Germany', category: 'marketing', messages: 24000 },
    { market: 'India', category: 'marketing', messages: 96000 },
    { market: 'Brazil', category: 'marketing', messages: 40000 },
  ].sort((a, b) => (a.market < b.market ? -1 : 1)));
  assert.equal(e.total, '0');
  assert.equal(e.meta.lines.every((l) => l.rate === null), true);
  const c = engine.compare(gbp, ['2026-10-01', '2026-11-01']);
  assert.equal(c.complete, false);
  assert.deepEqual(c.estimates.map((x) => x.complete), [false, false]);
  const q = engine.quote(gbp, { issued: '2026-10-01' });
  assert.deepEqual([q.status, q.draftReason, q.complete], ['draft', 'unpriced', false]);
  assert.deepEqual(q.unpriced, e.unpriced);
  // The same scenario in USD is complete, and its quote final.
  const usd = engine.estimate(scenario);
  assert.deepEqual([usd.complete, usd.unpriced], [true, []]);
  assert.deepEqual([engine.quote(scenario, { issued: '2026-10-01' }).status, engine.quote(scenario, { issued: '2026-10-01' }).draftReason], ['final', null]);
});
