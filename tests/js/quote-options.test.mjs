// The quote's options as JavaScript sees them (docs/estimate.md, "Terms, FX, wallet and the
// marketing max price"): notes with codes and flat params, lines by kind, errors with code and path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { initSync, Engine } from '../../pkg/waprice.js';

initSync({ module: readFileSync(new URL('../../pkg/waprice_bg.wasm', import.meta.url)) });
const engine = new Engine();

// Billed in EUR, quoted in GBP at 0.9 (no margin); Germany only, marketing at Meta's EUR card.
const scenario = {
  business: { date: '2026-10-15', phoneNumbers: 1, currency: 'EUR' },
  audience: { contacts: 10000, mix: [{ market: 'Germany', share: 100 }] },
  journeys: [{ preset: 'marketing_campaign', timesPerMonth: 1 }],
  reseller: { perOutbound: '0.001', quoteCurrency: 'GBP', fxRate: '0.9' },
};

test('a quote with taxes, wallet, FX source, terms and max price', () => {
  const q = engine.quote(structuredClone(scenario), {
    issued: '2026-10-01', validUntil: '2026-10-31', linesBy: 'market', markup: 'line',
    taxes: [{ name: 'VAT', percent: 19, on: 'all' }], paymentTerms: 'Net 14',
    fxSource: 'ECB 2026-09-30', wallet: { days: 30, minimumTopUp: '50', cardFeePercent: 2.9 },
    maxPrice: { perThousand: '100', currency: 'EUR' },
  });
  assert.equal(q.currency, 'GBP');
  assert.deepEqual(q.fx, { from: 'EUR', to: 'GBP', rate: '0.9', source: 'ECB 2026-09-30' });
  // Lines by market carry their category and market; taxes come after the subtotal.
  const meta = q.lines.filter((l) => l.kind === 'meta');
  assert.ok(meta.length >= 1 && meta.every((l) => l.market === 'Germany' && l.category));
  assert.equal(q.taxLines.length, 1);
  assert.equal(q.taxLines[0].kind, 'tax');
  // total = subtotal + tax, both decimal strings.
  const cents = (s) => Math.round(Number(s) * 100);
  assert.equal(cents(q.total), cents(q.subtotal) + cents(q.taxLines[0].amount));
  // Terms: codes with flat params (dates YYYY-MM-DD), then the English message.
  assert.deepEqual(q.terms.map((n) => n.code), ['quote_valid_until', 'quote_card_embedded', 'quote_pass_through', 'quote_payment_terms']);
  assert.deepEqual(q.terms[0].params, { date: '2026-10-31' });
  assert.equal(q.terms[2].params.next, '2027-01-01');
  // Wallet: October has 31 days; counts are integers, amounts strings; the fee is a `fee` line.
  assert.equal(q.wallet.days, 30);
  assert.equal(q.wallet.daysInMonth, 31);
  assert.equal(q.wallet.notes[0].params.days, 30);
  assert.equal(q.wallet.fee.kind, 'fee');
  assert.equal(cents(q.wallet.payable), cents(q.wallet.topUp) + cents(q.wallet.fee.amount));
  // Max price: 100 EUR per 1,000 = 0.1 per message, a ceiling beside the rate.
  assert.equal(q.maxPrice.lines[0].market, 'Germany');
  assert.equal(q.maxPrice.lines[0].ceiling, '0.1');
  assert.equal(q.maxPrice.note.code, 'max_price_ceiling');
  // The options travel in the encoded quote (share links) and give the same quote back.
  const back = engine.decodeQuote(q.encoded);
  assert.deepEqual(back.meta.wallet, { days: 30, minimumTopUp: '50', cardFeePercent: 2.9 });
  assert.equal(engine.quote(back.scenario, back.meta).id, q.id);
});

test('bad options are errors with a code and the path of the field', () => {
  const bad = [
    [{ wallet: { days: 0 } }, 'meta.wallet.days'],
    [{ maxPrice: { perThousand: '100', currency: 'INR' } }, 'meta.maxPrice.currency'],
    [{ validUntil: '2026-09-01' }, 'meta.validUntil'],
    [{ taxes: [{ name: 'VAT', percent: '', on: 'all' }] }, 'meta.taxes[0].percent'],
  ];
  for (const [extra, path] of bad) {
    assert.throws(() => engine.quote(structuredClone(scenario), { issued: '2026-10-01', ...extra }), (e) => {
      assert.equal(e.path, path, e.message);
      assert.match(e.code, /^[a-z_]+$/);
      return true;
    });
  }
});

test('max-price multipliers: added, edited, removed; the engine lowers the bid and names a bad one', async () => {
  const { optionsAction, setOption, optionsForEngine } = await import('../../www/calculator/components/quote-options.js');
  const meta = { maxPrice: { perThousand: '100', currency: 'EUR' } };
  // Adding a market starts its multiplier at 1 (the bid unchanged).
  optionsAction({ dataset: { action: 'multiplier-add' } }, meta, 'Germany');
  assert.deepEqual(meta.maxPrice.multipliers, { Germany: 1 });
  const input = (value) => ({ value, dataset: { type: 'number', root: 'quote', path: 'meta.maxPrice.multipliers.Germany' } });
  setOption(meta, 'meta.maxPrice.multipliers.Germany', input('0.5'));
  assert.equal(meta.maxPrice.multipliers.Germany, 0.5);
  const q = engine.quote(structuredClone(scenario), { issued: '2026-10-01', ...optionsForEngine(meta) });
  // 100 EUR per 1,000 = 0.1 per message, halved in Germany.
  assert.equal(q.maxPrice.lines[0].ceiling, '0.05');
  assert.deepEqual(engine.decodeQuote(q.encoded).meta.maxPrice.multipliers, { Germany: 0.5 });
  // An emptied multiplier keeps its row, and the engine names it; so are 0 and above 1.
  setOption(meta, 'meta.maxPrice.multipliers.Germany', input(''));
  assert.deepEqual(meta.maxPrice.multipliers, { Germany: '' });
  for (const v of ['', 0, 1.5]) {
    const m = { issued: '2026-10-01', maxPrice: { perThousand: '100', currency: 'EUR', multipliers: { Germany: v } } };
    assert.throws(() => engine.quote(structuredClone(scenario), m), (e) => {
      assert.equal(e.path, 'meta.maxPrice.multipliers.Germany', e.message);
      assert.equal(e.code, 'invalid_input');
      return true;
    });
  }
  // Removing the last multiplier leaves the bid as it was.
  optionsAction({ dataset: { action: 'multiplier-remove', market: 'Germany' } }, meta);
  assert.deepEqual(meta, { maxPrice: { perThousand: '100', currency: 'EUR' } });
  optionsAction({ dataset: { action: 'multiplier-add' } }, meta, 'Germany');
  meta.maxPrice = { multipliers: meta.maxPrice.multipliers };
  optionsAction({ dataset: { action: 'multiplier-remove', market: 'Germany' } }, meta);
  assert.deepEqual(meta, {});
});

test('EU VAT without its rate: left out, and the engine says the tax has no rate at its percent', async () => {
  const { optionsAction, optionsForEngine } = await import('../../www/calculator/components/quote-options.js');
  const meta = {};
  optionsAction({ dataset: { action: 'tax-preset', preset: 'vat' } }, meta);
  assert.deepEqual(meta.taxes, [{ name: 'VAT', percent: '', on: 'all' }]);
  const opts = optionsForEngine(meta);
  assert.deepEqual(opts.taxes, [{ name: 'VAT', on: 'all' }]);
  assert.throws(() => engine.quote(structuredClone(scenario), { issued: '2026-10-01', ...opts }), (e) => {
    assert.equal(e.path, 'meta.taxes[0].percent');
    assert.equal(e.code, 'invalid_input');
    assert.match(e.message, /"VAT" has no rate/);
    return true;
  });
  // Typed, it is a tax line; 0 is a rate when typed.
  for (const percent of [19, 0]) {
    const q = engine.quote(structuredClone(scenario), { issued: '2026-10-01', ...optionsForEngine({ taxes: [{ name: 'VAT', percent, on: 'all' }] }) });
    assert.equal(q.taxLines.length, 1);
  }
});
