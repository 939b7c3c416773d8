// Runs the SPEC §11 worked examples against the oracle alone: `node tests/reference/selftest.mjs`.
import { loadData, simulate, normaliseDecimal } from './spec.mjs';
import { workedExamples, checkExample } from './examples.mjs';

const data = loadData(new URL('../../data/', import.meta.url));
let failures = 0;
for (const c of workedExamples()) {
  const started = performance.now();
  const result = simulate(data, c.input);
  const problems = checkExample(result, c.expect, normaliseDecimal);
  const ms = (performance.now() - started).toFixed(0);
  if (problems.length) {
    failures += 1;
    console.log(`FAIL ${c.name} (${ms} ms)`);
    for (const p of problems) console.log(`  ${p}`);
  } else {
    console.log(`ok   ${c.name} (${ms} ms)`);
  }
}
process.exitCode = failures ? 1 : 0;
