// `waprice mcp`: a plain JSON-RPC client over the server's standard input and output (the
// Model Context Protocol's stdio transport: one JSON message a line) lists the tools and calls
// every one; the structured answers are what the JS API (or `waprice price --json`) returns for
// the same input, and the text names the card and the rules used (docs/cli.md).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { initSync, Engine } from '../../pkg/waprice.js';
import { waprice } from './cli-binary.mjs';

initSync({ module: readFileSync(new URL('../../pkg/waprice_bg.wasm', import.meta.url)) });
const engine = new Engine();
const fixture = (f) => fileURLToPath(new URL(`../fixtures/${f}`, import.meta.url));
const scenario = JSON.parse(readFileSync(fixture('cli/scenario.json'), 'utf8'));

const server = spawn(waprice(), ['mcp'], { stdio: ['pipe', 'pipe', 'inherit'] });
const pending = new Map();
createInterface({ input: server.stdout }).on('line', (line) => {
  const msg = JSON.parse(line);
  if (msg.id !== undefined && pending.has(msg.id)) {
    pending.get(msg.id)(msg);
    pending.delete(msg.id);
  }
});
let nextId = 1;
function request(method, params) {
  const id = nextId++;
  server.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${method} in 60 s`)), 60_000);
    pending.set(id, (msg) => { clearTimeout(timer); resolve(msg); });
  });
}
async function call(name, args) {
  const msg = await request('tools/call', { name, arguments: args });
  assert.equal(msg.error, undefined, JSON.stringify(msg.error));
  return msg.result;
}
after(() => server.stdin.end());

test('initialize, then list six tools, each with a JSON schema of its arguments', async () => {
  const init = await request('initialize', {
    protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'waprice-test', version: '0' },
  });
  assert.equal(init.result.serverInfo.name, 'waprice');
  assert.ok(init.result.capabilities.tools);
  server.stdin.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) + '\n');
  const list = await request('tools/list', {});
  const names = list.result.tools.map((t) => t.name).sort();
  assert.deepEqual(names, ['compare', 'estimate', 'explain_timeline', 'quote', 'rates', 'summarise_log']);
  for (const t of list.result.tools) {
    assert.equal(t.inputSchema.type, 'object', t.name);
    assert.ok(t.inputSchema.required.length > 0, t.name);
    assert.ok(t.description.length > 40, t.name);
  }
});

test('estimate, compare and quote answer what the JS API returns, naming card and rules', async () => {
  let r = await call('estimate', { scenario });
  assert.equal(r.isError, false);
  assert.deepEqual(r.structuredContent, engine.estimate(scenario));
  assert.match(r.content[0].text, /^Total USD 7068\.8 for 2026-10/);
  assert.match(r.content[0].text, /Card: 2026-10-01 USD PMP \(confidence high/);
  assert.match(r.content[0].text, /Rules: per-message pricing \(PMP\)/);

  r = await call('compare', { scenario, dates: ['2025-06-01', '2026-10-01'] });
  assert.deepEqual(r.structuredContent, engine.compare(scenario, ['2025-06-01', '2026-10-01']));
  assert.match(r.content[0].text, /2025-06-01: total USD .*card 2025-\d\d-\d\d USD CBP.*conversation-based pricing \(CBP\)/);

  const meta = { seller: 'Acme Messaging', customer: 'Shop Ltd', issued: '2026-10-01' };
  r = await call('quote', { scenario, meta });
  assert.deepEqual(r.structuredContent, engine.quote(scenario, meta));
  assert.match(r.content[0].text, /^Quote WQ-/);
});

test('rates and explain_timeline answer what the JS API returns', async () => {
  let r = await call('rates', { date: '2026-10-05', currency: 'USD', market: 'Indonesia' });
  const card = engine.rateCard('2026-10-05T00:00:00Z', 'USD');
  // The native build keeps the rates' free-text notes, which the wasm build leaves out (build.rs).
  for (const m of r.structuredContent.markets) for (const x of Object.values(m.rates)) x.note = '';
  assert.deepEqual(r.structuredContent, {
    ...card,
    markets: card.markets.filter((m) => m.market === 'Indonesia'),
    missing: card.missing.filter((m) => m.market === 'Indonesia'),
  });
  assert.match(r.content[0].text, /^Card: USD PMP of 2026-10-01, in force on 2026-10-05\./);

  const input = {
    currency: 'USD',
    events: [
      { at: '2026-10-05T10:00:00Z', user: '+6281234567890', kind: 'inbound' },
      { at: '2026-10-05T10:05:00Z', user: '+6281234567890', kind: 'message' },
      { at: '2026-10-06T10:00:00Z', user: '+6281234567890', kind: 'template', category: 'authentication' },
    ],
  };
  r = await call('explain_timeline', input);
  const want = engine.simulate(input);
  assert.deepEqual(r.structuredContent, want);
  assert.match(r.content[0].text, /^Card: 2026-10-01 USD PMP\./);
  for (const m of want.messages) assert.ok(r.content[0].text.includes(m.explanation), m.explanation);
});

test('summarise_log answers what `waprice price --json` prints', async () => {
  const log = readFileSync(fixture('logs/events.csv'), 'utf8');
  const r = await call('summarise_log', { log, options: { format: 'csv', whatIf: { date: '2026-10-01' } } });
  const cli = spawnSync(waprice(), ['price', fixture('logs/events.csv'), '--format', 'csv', '--date', '2026-10-01', '--json'], { encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  assert.deepEqual(r.structuredContent, JSON.parse(cli.stdout));
  assert.match(r.content[0].text, /^Card: \d{4}-\d\d-\d\d USD (CBP|PMP)/);
});

test('a refused input is a tool error with the JS API\'s code, path and message; an unknown tool a protocol error', async () => {
  const bad = { ...scenario, audience: { contacts: 10, mix: [{ country: 'XX', share: 100 }] } };
  const r = await call('estimate', { scenario: bad });
  assert.equal(r.isError, true);
  let want;
  try { engine.estimate(bad); } catch (e) { want = { code: e.code, path: e.path, message: e.message, params: e.params }; }
  assert.equal(want.code, 'unknown_country');
  assert.deepEqual(r.structuredContent.error, want);
  const shape = await call('estimate', { scenario: { ...scenario, journeys: 'none' } });
  try { engine.estimate({ ...scenario, journeys: 'none' }); } catch (e) { want = { code: e.code, path: e.path, message: e.message, params: e.params }; }
  assert.deepEqual(shape.structuredContent.error, want);
  const dates = await call('compare', { scenario, dates: ['2026-07-01', '2026-02-30'] });
  try { engine.compare(scenario, ['2026-07-01', '2026-02-30']); } catch (e) { want = { code: e.code, path: e.path, message: e.message, params: e.params }; }
  assert.deepEqual(dates.structuredContent.error, want);
  const missing = await call('rates', { date: '2026-10-05' });
  assert.equal(missing.isError, true);
  assert.equal(missing.structuredContent.error.path, 'currency');
  assert.deepEqual(missing.structuredContent.error.params, { reason: 'mcp_missing_argument', field: 'currency' });
  const unknown = await request('tools/call', { name: 'frobnicate', arguments: {} });
  assert.ok(unknown.error, 'a JSON-RPC error');
});
