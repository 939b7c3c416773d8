// Differential test: the Rust engine (pkg/) against an independent JavaScript implementation of
// docs/rules.md + docs/simulator.md (tests/reference/spec.mjs), on seeded random timelines.
// Every disagreement is a bug on one side; the failure message shows the seed, the input, both
// verdicts side by side for the differing messages, and a minimised input that still disagrees.
//
//   node --test tests/js/differential.test.mjs
//   DIFF_TIMELINES=5000 DIFF_SEED=1 node --test tests/js/differential.test.mjs   (more / other seeds)

import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { initSync, Engine } from '../../pkg/waprice.js';
import { loadData, simulate, normaliseDecimal } from '../reference/spec.mjs';
import { generateTimeline, smallTiersCsv } from '../reference/generate.mjs';
import { workedExamples, checkExample } from '../reference/examples.mjs';
import { edgeCases } from '../reference/edges.mjs';
import { run, diff, report, minimise } from '../reference/compare.mjs';

initSync({ module: readFileSync(new URL('../../pkg/waprice_bg.wasm', import.meta.url)) });

const DATA_DIR = new URL('../../data/', import.meta.url);
const TIMELINES = Number(process.env.DIFF_TIMELINES ?? 600);
const FIRST_SEED = Number(process.env.DIFF_SEED ?? 1);
const LARGE_TIMELINES = [9001, 9007, 9015, 9026, 9031]; // seeds of ~5,000-event timelines
const SHOW_FULL = 3; // failing timelines printed in full (input JSON); the rest are summarised

const smallTiers = smallTiersCsv();
const oracleData = { embedded: loadData(DATA_DIR), small: loadData(DATA_DIR, { tiers: smallTiers }) };
const engines = { embedded: new Engine(), small: new Engine({ tiers: smallTiers }) };

function compareOne(timeline) {
  const { input, tiers } = timeline;
  const engine = run(() => engines[tiers].simulate(structuredClone(input)));
  const oracle = run(() => simulate(oracleData[tiers], input));
  return { d: diff(engine, oracle), engine, oracle };
}

function describeFailure(timeline, d, full) {
  const { seed, scenario, tiers, input } = timeline;
  const lines = [`seed ${seed} (scenario "${scenario}", tiers ${tiers}, ${input.events.length} events)`, report(d, input)];
  const stillFails = (candidate) => compareOne({ ...timeline, input: candidate }).d !== null;
  const small = minimise(input, stillFails, { budget: full ? 3000 : 600 });
  const smallDiff = compareOne({ ...timeline, input: small }).d;
  lines.push(`  minimised input (${small.events.length} events): ${JSON.stringify(small)}`);
  if (smallDiff) lines.push(report(smallDiff, small));
  if (full) lines.push(`  full input: ${JSON.stringify(input)}`);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// The oracle on its own: SPEC §11 worked examples, with the numbers SPEC writes.
// ---------------------------------------------------------------------------------------------

test('oracle: SPEC §11 worked examples', async (t) => {
  for (const c of workedExamples()) {
    await t.test(c.name, () => {
      const problems = checkExample(simulate(oracleData.embedded, c.input), c.expect, normaliseDecimal);
      assert.deepEqual(problems, []);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// The engine on the same worked examples (SPEC numbers, and agreement with the oracle).
// ---------------------------------------------------------------------------------------------

test('engine: SPEC §11 worked examples', async (t) => {
  for (const c of workedExamples()) {
    await t.test(c.name, () => {
      const outcome = run(() => engines.embedded.simulate(structuredClone(c.input)));
      assert.ok(outcome.ok, `engine threw ${outcome.code}: ${outcome.message}`);
      const problems = checkExample(outcome.result, c.expect, normaliseDecimal);
      assert.deepEqual(problems, []);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Errors whose codes the documents name: invalid E.164 numbers (SPEC §4, §13.15), business events
// before 2022-02-01 local (SPEC §13.16), missing rates only when a verdict needs them (SPEC §13.10).
// ---------------------------------------------------------------------------------------------

test('engine and oracle: documented error codes', async (t) => {
  const base = { at: '2026-11-02T10:00:00Z', user: '+919876543210', kind: 'template', category: 'marketing' };
  const cases = [
    ['first digit 0', { events: [{ ...base, user: '+0919876543210' }] }, 'invalid_phone'],
    ['6 digits', { events: [{ ...base, user: '+123456' }] }, 'invalid_phone'],
    ['7 digits', { events: [{ ...base, user: '+1234567' }] }, null],
    ['15 digits', { events: [{ ...base, user: '+123456789012345' }] }, null],
    ['16 digits', { events: [{ ...base, user: '+1234567890123456' }] }, 'invalid_phone'],
    ['no +', { events: [{ ...base, user: '919876543210' }] }, 'invalid_phone'],
    ['spaces', { events: [{ ...base, user: '+91 98765 43210' }] }, 'invalid_phone'],
    ['invalid from', { events: [{ ...base, from: '12345' }] }, 'invalid_phone'],
    ['business event 2022-01-31 UTC', { events: [{ ...base, at: '2022-01-31T23:59:59.999Z' }] }, 'unsupported_date'],
    ['2022-01-31 UTC is 2022-02-01 in Kolkata', { timezone: 'Asia/Kolkata', events: [{ ...base, at: '2022-01-31T20:00:00Z' }] }, null],
    ['2022-02-01 UTC is 2022-01-31 in -03:00', { timezone: '-03:00', events: [{ ...base, at: '2022-02-01T02:00:00Z' }] }, 'unsupported_date'],
    ['inbound before 2022-02-01 is fine', { events: [{ ...base, kind: 'inbound', at: '2021-12-31T10:00:00Z' }] }, null],
    ['North America marketing on the partial 2025-07-01 card', { events: [{ ...base, user: '+12125550100', at: '2025-08-04T10:00:00Z' }] }, 'missing_rate'],
    ['North America utility inside the window needs no rate', { events: [
      { ...base, user: '+12125550100', at: '2025-08-04T10:00:00Z', kind: 'inbound' },
      { ...base, user: '+12125550100', at: '2025-08-04T11:00:00Z', category: 'utility' },
      { ...base, user: '+12125550100', at: '2025-08-04T12:00:00Z', kind: 'message' }] }, null],
    ['India authentication conversation 2023-09 (no rate)', { events: [{ ...base, category: 'authentication', at: '2023-09-04T10:00:00Z' }] }, 'missing_rate'],
    ['EUR 2022 within the free tier needs no rate', { currency: 'EUR', events: [{ ...base, user: '+48500000000', at: '2022-09-04T10:00:00Z' }] }, null],
    ['EUR 2022 past the free tier: no Rest of C&E Europe business-initiated rate', {
      currency: 'EUR', options: { conversationFreeTier: 0 }, events: [{ ...base, user: '+48500000000', at: '2022-09-04T10:00:00Z' }] }, 'missing_rate'],
  ];
  for (const [name, input, code] of cases) {
    await t.test(name, () => {
      const engine = run(() => engines.embedded.simulate(structuredClone(input)));
      const oracle = run(() => simulate(oracleData.embedded, input));
      assert.equal(oracle.ok ? null : oracle.code, code, `oracle: ${oracle.message ?? 'ok'}`);
      assert.equal(diff(engine, oracle), null, report(diff(engine, oracle) ?? {}, input));
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Hand-made edge timelines (exact local midnights at every boundary, windows carried across eras,
// equal instants, options): no expected numbers, the two implementations must agree.
// ---------------------------------------------------------------------------------------------

test('engine agrees with the oracle on edge timelines', async (t) => {
  for (const c of edgeCases()) {
    await t.test(c.name, () => {
      const timeline = { seed: '(edge)', scenario: c.name, tiers: 'embedded', input: c.input };
      const { d } = compareOne(timeline);
      if (d !== null) assert.fail(describeFailure(timeline, d, true));
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Random timelines.
// ---------------------------------------------------------------------------------------------

test(`engine agrees with the oracle on ${TIMELINES} random timelines (+${LARGE_TIMELINES.length} large)`, () => {
  const timelines = [];
  for (let seed = FIRST_SEED; seed < FIRST_SEED + TIMELINES; seed += 1) timelines.push(generateTimeline(seed));
  for (const seed of LARGE_TIMELINES) timelines.push(generateTimeline(seed, { size: 5000 }));

  const failures = [];
  const outcomes = { agreedPriced: 0, agreedError: 0 };
  for (const timeline of timelines) {
    const { d, oracle } = compareOne(timeline);
    if (d === null) {
      if (oracle.ok) outcomes.agreedPriced += 1; else outcomes.agreedError += 1;
    } else {
      failures.push({ timeline, d });
    }
  }
  const summary = `${timelines.length} timelines: ${outcomes.agreedPriced} priced alike, ` +
    `${outcomes.agreedError} failed alike (same error code), ${failures.length} disagree`;
  if (failures.length) {
    const shown = failures.map(({ timeline, d }, k) => (k < SHOW_FULL + 7
      ? describeFailure(timeline, d, k < SHOW_FULL)
      : `seed ${timeline.seed}: ${d.kind}${d.rows ? ` (${d.rows.length} messages)` : ''}`));
    assert.fail(`${summary}\n\n${shown.join('\n\n')}`);
  }
  // the generator should mostly produce timelines that price fully
  assert.ok(outcomes.agreedPriced >= timelines.length * 0.8, summary);
});
