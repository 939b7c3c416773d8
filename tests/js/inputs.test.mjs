// Numbers that JSON cannot carry, through the built pkg/: NaN and ±Infinity given to the engine
// from JavaScript are errors with code `invalid_input` and the path of the value, never a default
// in their place (JSON.stringify would write them as null, which reads as "not given").
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkgDir = process.env.WAPRICE_PKG_DIR ? path.resolve(process.env.WAPRICE_PKG_DIR) : path.join(root, 'pkg');
const pkgJs = path.join(pkgDir, 'waprice.js');
const pkgWasm = path.join(pkgDir, 'waprice_bg.wasm');

let engine;
let logEngine; // the log-import package (pkg/logs/), which has engine.logPricer

before(async () => {
  assert.ok(fs.existsSync(pkgJs) && fs.existsSync(pkgWasm), 'pkg/ is missing: run `bash scripts/build.sh` first');
  const mod = await import(pathToFileURL(pkgJs).href);
  mod.initSync({ module: fs.readFileSync(pkgWasm) });
  engine = new mod.Engine();
  const logs = path.join(pkgDir, 'logs');
  const logMod = await import(pathToFileURL(path.join(logs, 'waprice.js')).href);
  logMod.initSync({ module: fs.readFileSync(path.join(logs, 'waprice_bg.wasm')) });
  logEngine = new logMod.Engine();
});

const scenario = (patch = {}) => ({
  business: { date: '2026-10-01', ...(patch.business ?? {}) },
  audience: { contacts: 1000, mix: [{ country: 'IN', share: 100 }], ...(patch.audience ?? {}) },
  journeys: patch.journeys ?? [{ preset: 'otp_login' }],
  ...(patch.options ? { options: patch.options } : {}),
  ...(patch.reseller ? { reseller: patch.reseller } : {}),
});
const META = { seller: 'S', customer: 'C', issued: '2026-11-21' };
const EVENT = { at: '2026-10-05T10:00:00Z', user: '+201001234567', kind: 'template', category: 'utility' };

function thrown(f) {
  try {
    f();
  } catch (e) {
    return e;
  }
  assert.fail('no error thrown');
}

for (const bad of [NaN, Infinity, -Infinity]) {
  const shown = String(bad);
  const cases = [
    ['timesPerMonth', () => engine.estimate(scenario({ journeys: [{ preset: 'otp_login', timesPerMonth: bad }] })), 'journeys[0].timesPerMonth'],
    ['journey share', () => engine.estimate(scenario({ journeys: [{ preset: 'otp_login', share: bad }] })), 'journeys[0].share'],
    ['mix share', () => engine.estimate(scenario({ audience: { mix: [{ country: 'IN', share: bad }] } })), 'audience.mix[0].share'],
    ['contacts', () => engine.estimate(scenario({ audience: { contacts: bad } })), 'audience.contacts'],
    ['phoneNumbers', () => engine.estimate(scenario({ business: { phoneNumbers: bad } })), 'business.phoneNumbers'],
    ['messagingLimit', () => engine.estimate(scenario({ business: { messagingLimit: bad } })), 'business.messagingLimit'],
    ['preset parameter', () => engine.estimate(scenario({ journeys: [{ preset: 'marketing_campaign', params: { replyShare: bad } }] })), 'journeys[0].params.replyShare'],
    ['step share', () => engine.estimate(scenario({ journeys: [{ steps: [{ afterHours: 0, kind: 'template', category: 'utility', share: bad }] }] })), 'journeys[0].steps[0].share'],
    ['scenario fepHours', () => engine.estimate(scenario({ options: { fepHours: bad } })), 'options.fepHours'],
    ['scenario serviceAllowance', () => engine.compare(scenario({ options: { serviceAllowance: bad } }), ['2026-10-01']), 'options.serviceAllowance'],
    ['markup', () => engine.estimate(scenario({ reseller: { markupPercent: { all: bad } } })), 'reseller.markupPercent.all'],
    ['pointsPerUnit', () => engine.estimate(scenario({ reseller: { prepaid: { pointPrice: '0.01', pointsPerUnit: bad } } })), 'reseller.prepaid.pointsPerUnit'],
    ['validDays', () => engine.quote(scenario(), { ...META, validDays: bad }), 'meta.validDays'],
    ['share link', () => engine.encodeScenario(scenario({ journeys: [{ preset: 'otp_login', timesPerMonth: bad }] })), 'journeys[0].timesPerMonth'],
    ['simulate fepHours', () => engine.simulate({ options: { fepHours: bad }, events: [EVENT] }), 'options.fepHours'],
    ['simulate serviceAllowance', () => engine.simulate({ options: { serviceAllowance: bad }, events: [EVENT] }), 'options.serviceAllowance'],
    ['simulate at', () => engine.simulate({ events: [EVENT, { ...EVENT, at: bad }] }), 'events[1].at'],
    ['log reorderWindow', () => logEngine.logPricer({ format: 'csv', reorderWindow: bad }), 'reorderWindow'],
  ];
  for (const [name, call, where] of cases) {
    test(`${shown} for ${name} is an error at ${where}`, () => {
      const e = thrown(call);
      assert.equal(e.code, 'invalid_input', `${e.code}: ${e.message}`);
      assert.equal(e.path, where, e.message);
      assert.ok(e.message.includes(shown), e.message);
    });
  }
}

test('a Number object holding NaN is refused like NaN', () => {
  // eslint-disable-next-line no-new-wrappers
  const e = thrown(() => engine.estimate(scenario({ journeys: [{ preset: 'otp_login', timesPerMonth: new Number(NaN) }] })));
  assert.equal(e.path, 'journeys[0].timesPerMonth');
});

test('finite numbers still price as before', () => {
  const a = engine.estimate(scenario({ journeys: [{ preset: 'otp_login', timesPerMonth: 2 }] }));
  const b = engine.estimate(JSON.stringify(scenario({ journeys: [{ preset: 'otp_login', timesPerMonth: 2 }] })));
  assert.equal(a.total, b.total);
  assert.ok(Number(a.total) > 0);
});
