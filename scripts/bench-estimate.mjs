// Benchmark of engine.estimate in Node (wasm, initSync): 50 markets × 5 journeys × 10 million
// contacts, the size the page recomputes on every keystroke. Prints milliseconds per call.
//
// Usage: node scripts/bench-estimate.mjs [--runs N]
import { readFileSync } from 'node:fs';
import { initSync, Engine } from '../pkg/waprice.js';

initSync({ module: readFileSync(new URL('../pkg/waprice_bg.wasm', import.meta.url)) });
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 20;
const countries = ['IN', 'BR', 'DE', 'ID', 'EG', 'NG', 'MX', 'CO', 'AR', 'CL', 'PE', 'SA', 'AE', 'TR', 'PK', 'MY', 'IT',
  'ES', 'FR', 'GB', 'NL', 'IL', 'RU', 'ZA', 'US', 'CA', 'KE', 'GH', 'TH', 'VN', 'PH', 'BD', 'LK', 'NP', 'KZ', 'UA', 'PL',
  'RO', 'HU', 'QA', 'KW', 'OM', 'IQ', 'MA', 'HK', 'SG', 'JP', 'KR', 'AU', 'NZ'];
const scenario = {
  business: { date: '2026-10-01', phoneNumbers: 3 },
  audience: { contacts: 10_000_000, mix: countries.map((country) => ({ country, share: 2 })) },
  journeys: [
    { preset: 'marketing_campaign', timesPerMonth: 4, params: { replyShare: 30, repliesPerChat: 2 } },
    { preset: 'order_lifecycle', share: 60, timesPerMonth: 3, params: { writesFirstShare: 20 } },
    { preset: 'otp_login', timesPerMonth: 8, params: { failShare: 2 } },
    { preset: 'support', share: 5, params: { agentReplies: 4 } },
    { preset: 'ad_lead', share: 10 },
  ],
  reseller: { perOutbound: '0.001', markupPercent: { all: 10 }, platformMonthly: '99' },
};
const engine = new Engine();
const first = performance.now();
let result = engine.estimate(scenario);
console.log(`first estimate (builds tables): ${(performance.now() - first).toFixed(1)} ms`);
const times = [];
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  result = engine.estimate(scenario);
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
console.log(`estimate, ${countries.length} markets × ${scenario.journeys.length} journeys × 10,000,000 contacts: ` +
  `median ${times[times.length >> 1].toFixed(1)} ms, best ${times[0].toFixed(1)} ms over ${runs} runs; total ${result.currency} ${result.total}`);
