// The command line's `--json` output is what the JavaScript API returns for the same input: the
// built pkg/ in Node against the `waprice` binary (built here if missing), command by command,
// results and errors alike (docs/cli.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { initSync, Engine } from '../../pkg/waprice.js';
import { waprice } from './cli-binary.mjs';

initSync({ module: readFileSync(new URL('../../pkg/waprice_bg.wasm', import.meta.url)) });
const engine = new Engine();
const fixture = (f) => fileURLToPath(new URL(`../fixtures/${f}`, import.meta.url));
const scenario = JSON.parse(readFileSync(fixture('cli/scenario.json'), 'utf8'));

/** Runs the command line; its JSON output and exit status. */
function cli(args, input) {
  const r = spawnSync(waprice(), [...args, '--json'], { input, encoding: 'utf8' });
  assert.ok(r.stdout, `no output from waprice ${args.join(' ')}: ${r.stderr}`);
  return { status: r.status, json: JSON.parse(r.stdout) };
}

function same(args, want, input, adjust = (x) => x) {
  const { status, json } = cli(args, input);
  assert.equal(status, 0, JSON.stringify(json));
  assert.deepEqual(adjust(json), want);
}

/** A native rate card without the free-text notes, which the wasm build leaves out (build.rs). */
function withoutNotes(card) {
  for (const m of card.markets ?? []) for (const r of Object.values(m.rates)) r.note = '';
  return card;
}

/** The error the JS API throws, in the command line's shape. */
function thrown(f) {
  try {
    f();
  } catch (e) {
    return { error: { code: e.code, path: e.path, message: e.message, params: e.params } };
  }
  assert.fail('expected an error');
}

test('estimate: the same result from the JS API and the command line (JSON and YAML files)', () => {
  const want = engine.estimate(scenario);
  assert.equal(want.total, '7068.8');
  same(['estimate', fixture('cli/scenario.json')], want);
  same(['estimate', fixture('cli/scenario.yaml')], want);
  same(['estimate', '-'], want, JSON.stringify(scenario));
});

test('compare and quote: the same results', () => {
  same(['compare', fixture('cli/scenario.json'), '--dates', '2026-06-01,2026-07-01,2026-10-01'],
    engine.compare(scenario, ['2026-06-01', '2026-07-01', '2026-10-01']));
  const meta = { seller: 'Acme Messaging', customer: 'Shop Ltd', issued: '2026-10-01', validDays: 30 };
  same(['quote', fixture('cli/scenario.json'), '--meta', fixture('cli/meta.yaml')], engine.quote(scenario, meta));
});

test('an incomplete estimate and quote: the same complete: false and unpriced lines', () => {
  // The data has no INR rate for India authentication conversations on 2024-02-15 (issue 20).
  const otp = { business: { currency: 'INR', date: '2024-02-15' },
    audience: { contacts: 100000, mix: [{ country: 'IN', share: 100 }] }, journeys: [{ preset: 'otp_login' }] };
  const want = engine.estimate(otp);
  assert.equal(want.complete, false);
  assert.deepEqual(want.unpriced, [{ market: 'India', category: 'authentication', messages: 100000 }]);
  same(['estimate', '-'], want, JSON.stringify(otp));
  same(['compare', '-', '--dates', '2024-02-15,2026-10-15'], engine.compare(otp, ['2024-02-15', '2026-10-15']), JSON.stringify(otp));
});

test('rates: the rate card of a date, whole and for one market', () => {
  // A card in force, one of the conversation era, and a currency with no card on the date.
  for (const [date, currency] of [['2026-10-05', 'USD'], ['2025-03-01', 'EUR'], ['2026-10-05', 'XYZ']]) {
    let want;
    try {
      want = engine.rateCard(`${date}T00:00:00Z`, currency);
    } catch (e) {
      want = { error: { code: e.code, path: e.path, message: e.message, params: e.params } };
    }
    const got = cli(['rates', '--date', date, '--currency', currency]);
    assert.equal(got.status, want.error ? 1 : 0);
    assert.deepEqual(withoutNotes(got.json), want);
  }
  const card = engine.rateCard('2026-10-05T00:00:00+05:30', 'USD', { timezone: 'Asia/Kolkata' });
  const india = { ...card, markets: card.markets.filter((m) => m.market === 'India'), missing: card.missing.filter((m) => m.market === 'India') };
  assert.equal(india.markets.length, 1);
  same(['rates', '--date', '2026-10-05', '--currency', 'USD', '--market', 'India', '--timezone', 'Asia/Kolkata'], india, undefined, withoutNotes);
});

test('simulate: the same verdicts, in another time zone too', () => {
  const input = {
    currency: 'USD',
    timezone: 'Asia/Kolkata',
    events: [
      { at: '2026-10-05T10:00:00Z', user: '+919876543210', kind: 'inbound' },
      { at: '2026-10-05T10:05:00Z', user: '+919876543210', kind: 'message' },
      { at: '2026-10-05T11:00:00Z', user: '+919876543210', kind: 'template', category: 'utility' },
      { at: '2026-06-30T20:00:00Z', user: '+201001234567', kind: 'template', category: 'marketing' },
      { at: '2026-10-07T09:00:00Z', user: '+5511987654321', kind: 'template', category: 'authentication', status: 'failed' },
    ],
  };
  same(['simulate', '-'], engine.simulate(input), JSON.stringify(input));
});

test('errors: the same code, path and message', () => {
  const bad = { audience: { contacts: 10, mix: [{ country: 'XX', share: 100 }] }, journeys: [{ preset: 'otp_login' }] };
  const want = thrown(() => engine.estimate(bad));
  assert.equal(want.error.code, 'unknown_country');
  // The values the message names cross too, for a front end to write it in its language.
  assert.equal(want.error.params.value, 'XX');
  let got = cli(['estimate', '-'], JSON.stringify(bad));
  assert.equal(got.status, 1);
  assert.deepEqual(got.json, want);

  got = cli(['rates', '--date', '2026-10-05', '--currency', 'US']);
  assert.equal(got.status, 1);
  assert.deepEqual(got.json, thrown(() => engine.rateCard('2026-10-05T00:00:00Z', 'US')));

  got = cli(['compare', fixture('cli/scenario.json'), '--dates', '2026-07-01,2026-02-30']);
  assert.equal(got.status, 1);
  assert.deepEqual(got.json, thrown(() => engine.compare(scenario, ['2026-07-01', '2026-02-30'])));

  const input = { events: [{ at: '2026-10-05T10:00:00Z', user: '+12', kind: 'template', category: 'utility' }] };
  got = cli(['simulate', '-'], JSON.stringify(input));
  assert.equal(got.status, 1);
  assert.deepEqual(got.json, thrown(() => engine.simulate(input)));
});
