// SPEC §11 worked examples as explicit timelines, with the verdicts the SPEC text states.
// Each case: { name, input, expect: { messages: [{ index, ...fields }], total } }.
// Only the fields listed in an expected message are checked.

const HOUR = 3_600_000;
const at = (base, hours) => new Date(Date.parse(base) + hours * HOUR).toISOString();

const IN = '+919876543210';   // India
const EG = '+201001234567';   // Egypt
const BR = '+5511987654321';  // Brazil

const charged = (category, amount, extra = {}) => ({ category, type: 'regular', charged: true, amount, ...extra });
const free = (category, type, extra = {}) => ({ category, type, charged: false, amount: '0', ...extra });

export function workedExamples() {
  const cases = [];

  // 1. Per-message (2025-07..2026-09)
  {
    const b = '2025-11-03T08:00:00Z';
    cases.push({
      name: '§11.1 per-message era: 2 charges',
      input: {
        currency: 'USD',
        events: [
          { at: at(b, 0), user: IN, kind: 'template', category: 'marketing' },
          { at: at(b, 2), user: IN, kind: 'inbound' },
          { at: at(b, 3), user: IN, kind: 'message' },
          { at: at(b, 4), user: IN, kind: 'template', category: 'utility' },
          { at: at(b, 30), user: IN, kind: 'template', category: 'utility' },
        ],
      },
      expect: {
        messages: [
          { index: 0, pricingModel: 'PMP', market: 'India', ...charged('marketing', '0.0107', { tier: null }) },
          { index: 2, pricingModel: 'PMP', ...free('service', 'free_customer_service') },
          { index: 3, pricingModel: 'PMP', ...free('utility', 'free_customer_service') },
          { index: 4, pricingModel: 'PMP', ...charged('utility', '0.0014', { tier: null }) },
        ],
        total: '0.0121',
      },
    });
    const c = '2026-11-02T08:00:00Z';
    cases.push({
      name: '§11.1 under 7.4 rules: t3 is a free service message, t4 charged',
      input: {
        currency: 'USD',
        events: [
          { at: at(c, 0), user: IN, kind: 'template', category: 'marketing' },
          { at: at(c, 2), user: IN, kind: 'inbound' },
          { at: at(c, 3), user: IN, kind: 'message' },
          { at: at(c, 4), user: IN, kind: 'template', category: 'utility' },
          { at: at(c, 30), user: IN, kind: 'template', category: 'utility' },
        ],
      },
      expect: {
        messages: [
          { index: 0, ...charged('marketing', '0.0118', { tier: null }) },
          { index: 2, ...free('service', 'free_customer_service') },
          { index: 3, ...charged('utility', '0.0014', { tier: 1 }) },
          { index: 4, ...charged('utility', '0.0014', { tier: 1 }) },
        ],
        total: '0.0146',
      },
    });
  }

  // 2. Categories (2023-06..2025-06)
  {
    const b = '2024-03-04T08:00:00Z';
    cases.push({
      name: '§11.2 four categories: 2 conversations',
      input: {
        events: [
          { at: at(b, 0), user: EG, kind: 'template', category: 'marketing' },
          { at: at(b, 4), user: EG, kind: 'template', category: 'utility' },
          { at: at(b, 10), user: EG, kind: 'template', category: 'utility' },
        ],
      },
      expect: {
        messages: [
          { index: 0, pricingModel: 'CBP', ...charged('marketing', '0.1073') },
          { index: 1, pricingModel: 'CBP', ...charged('utility', '0.0687') },
          { index: 2, pricingModel: 'CBP', ...free('utility', 'regular') },
        ],
        total: '0.176',
      },
    });
  }

  // 3. Service conversation (2023-06..2025-06), before and after 2024-11-01
  for (const [b, serviceType] of [['2024-03-04T08:00:00Z', 'free_tier'], ['2024-12-02T08:00:00Z', 'free_customer_service']]) {
    const marketing = b.startsWith('2024-03') ? '0.1073' : '0.1073';
    cases.push({
      name: `§11.3 service conversation (${b.slice(0, 7)}: ${serviceType})`,
      input: {
        events: [
          { at: at(b, 0), user: EG, kind: 'template', category: 'marketing' },
          { at: at(b, 4), user: EG, kind: 'inbound' },
          { at: at(b, 5), user: EG, kind: 'message' },
          { at: at(b, 25), user: EG, kind: 'message' },
          { at: at(b, 26), user: EG, kind: 'message' },
        ],
      },
      expect: {
        messages: [
          { index: 0, ...charged('marketing', marketing) },
          { index: 2, ...free('marketing', 'regular') },
          { index: 3, ...free('service', serviceType) },
          { index: 4, ...free('service', serviceType) },
        ],
        total: marketing,
      },
    });
  }

  // 4. FEP, in the conversation era and in the per-message era
  for (const day0 of ['2024-05-06', '2025-11-03']) {
    const b = `${day0}T00:00:00Z`;
    const model = day0 < '2025-07-01' ? 'CBP' : 'PMP';
    const marketing = day0 < '2025-07-01' ? '0.0099' : '0.0107';
    cases.push({
      name: `§11.4 free entry point (${day0})`,
      input: {
        events: [
          { at: at(b, 10), user: IN, kind: 'inbound', referral: 'ctwa' },
          { at: at(b, 22), user: IN, kind: 'message' },                         // opens FEP 22:00 d0 .. 22:00 d3
          { at: at(b, 24 + 11), user: IN, kind: 'message' },                    // CSW ended 10:00 d1
          { at: at(b, 48 + 9), user: IN, kind: 'template', category: 'marketing' },
          { at: at(b, 48 + 12), user: IN, kind: 'inbound' },
          { at: at(b, 48 + 13), user: IN, kind: 'message' },
          { at: at(b, 72 + 21), user: IN, kind: 'template', category: 'utility' },
          { at: at(b, 72 + 22), user: IN, kind: 'template', category: 'marketing' }, // window ended
        ],
      },
      expect: {
        messages: [
          { index: 1, pricingModel: model, ...free('referral_conversion', 'free_entry_point') },
          { index: 2, pricingModel: model, ...free('service', 'not_delivered') },
          { index: 3, ...free('referral_conversion', 'free_entry_point') },
          { index: 5, ...free('referral_conversion', 'free_entry_point') },
          { index: 6, ...free('referral_conversion', 'free_entry_point') },
          { index: 7, pricingModel: model, ...charged('marketing', marketing) },
        ],
        total: marketing,
      },
    });
  }

  // 5. Tiers: 150,000 Egypt utility messages on the 2026-10-01 USD card
  {
    const events = [];
    const start = Date.parse('2026-11-01T00:00:00Z');
    for (let i = 0; i < 150_000; i += 1) {
      events.push({ at: start + i * 10_000, user: EG, kind: 'template', category: 'utility' });
    }
    cases.push({
      name: '§11.5 volume tiers: 150,000 Egypt utility = USD 530',
      input: { currency: 'USD', events },
      expect: {
        messages: [
          { index: 0, ...charged('utility', '0.0036', { tier: 1, market: 'Egypt' }) },
          { index: 99_999, ...charged('utility', '0.0036', { tier: 1 }) },
          { index: 100_000, ...charged('utility', '0.0034', { tier: 2 }) },
          { index: 149_999, ...charged('utility', '0.0034', { tier: 2 }) },
        ],
        total: '530',
      },
    });
  }

  // 6. Transition at 2025-07-01
  {
    cases.push({
      name: '§11.6 transition: a utility conversation opened 2025-06-30 20:00 absorbs utility templates',
      input: {
        events: [
          { at: '2025-06-30T20:00:00Z', user: IN, kind: 'template', category: 'utility' },
          { at: '2025-07-01T02:00:00Z', user: IN, kind: 'template', category: 'utility' },
          { at: '2025-07-01T10:00:00Z', user: IN, kind: 'template', category: 'utility' },
          { at: '2025-07-01T21:00:00Z', user: IN, kind: 'template', category: 'utility' },
        ],
      },
      expect: {
        messages: [
          { index: 0, pricingModel: 'CBP', ...charged('utility', '0.0014') },
          { index: 1, pricingModel: 'CBP', ...free('utility', 'regular') },
          { index: 2, pricingModel: 'CBP', ...free('utility', 'regular') },
          { index: 3, pricingModel: 'PMP', ...charged('utility', '0.0014', { tier: null }) },
        ],
        total: '0.0028',
      },
    });
    cases.push({
      name: '§11.6 transition in a business time zone (Asia/Kolkata, opened 2025-06-30 20:00 local)',
      input: {
        timezone: 'Asia/Kolkata',
        events: [
          { at: '2025-06-30T20:00:00+05:30', user: IN, kind: 'template', category: 'utility' },
          { at: '2025-07-01T02:00:00+05:30', user: IN, kind: 'inbound' },
          { at: '2025-07-01T03:00:00+05:30', user: IN, kind: 'template', category: 'utility' },
          { at: '2025-07-01T19:59:59.999+05:30', user: IN, kind: 'template', category: 'utility' },
          { at: '2025-07-01T20:00:00+05:30', user: IN, kind: 'template', category: 'utility' },
          { at: '2025-07-02T03:00:00+05:30', user: IN, kind: 'template', category: 'utility' },
        ],
      },
      expect: {
        messages: [
          { index: 0, pricingModel: 'CBP', ...charged('utility', '0.0014') },
          { index: 2, pricingModel: 'CBP', ...free('utility', 'regular') },
          { index: 3, pricingModel: 'CBP', ...free('utility', 'regular') },
          { index: 4, pricingModel: 'PMP', ...free('utility', 'free_customer_service') },
          { index: 5, pricingModel: 'PMP', ...charged('utility', '0.0014') },
        ],
        total: '0.0028',
      },
    });
  }

  // 7. Two types (2022)
  {
    const b = '2022-03-07T08:00:00Z';
    cases.push({
      name: '§11.7 two types: user-initiated then business-initiated, both in the free tier',
      input: {
        currency: 'USD',
        events: [
          { at: at(b, 0), user: BR, kind: 'inbound' },
          { at: at(b, 1), user: BR, kind: 'message' },
          { at: at(b, 20), user: BR, kind: 'template', category: 'marketing' },
          { at: at(b, 30), user: BR, kind: 'template', category: 'utility' },
        ],
      },
      expect: {
        messages: [
          { index: 1, pricingModel: 'CBP', ...free('user_initiated', 'free_tier') },
          { index: 2, pricingModel: 'CBP', ...free('user_initiated', 'free_tier') },
          { index: 3, pricingModel: 'CBP', ...free('business_initiated', 'free_tier') },
        ],
        total: '0',
      },
    });
    cases.push({
      name: '§11.7 two types past the free tier (conversationFreeTier: 1)',
      input: {
        currency: 'USD',
        options: { conversationFreeTier: 1 },
        events: [
          { at: at(b, 0), user: BR, kind: 'inbound' },
          { at: at(b, 1), user: BR, kind: 'message' },
          { at: at(b, 30), user: BR, kind: 'template', category: 'marketing' },
        ],
      },
      expect: {
        messages: [
          { index: 1, ...free('user_initiated', 'free_tier') },
          { index: 2, ...charged('business_initiated', '0.0500') },
        ],
        total: '0.05',
      },
    });
  }
  // SPEC §15, §14: an MM Lite message in the conversation era (May 2025) is charged per message at
  // the marketing rate, labelled PMP, and opens no conversation (status webhook reference,
  // 2025-11-20; BSP documentation of the 2025-04 launch). India, USD card of 2024-11-01: 0.0107.
  {
    const b = '2025-05-05T08:00:00Z';
    cases.push({
      name: '§15 MM Lite in the conversation era: per message, no conversation',
      input: {
        currency: 'USD',
        events: [
          { at: at(b, 0), user: IN, kind: 'marketing_lite' },
          { at: at(b, 1), user: IN, kind: 'inbound' },
          { at: at(b, 2), user: IN, kind: 'message' },
          { at: at(b, 3), user: IN, kind: 'template', category: 'marketing' },
          { at: at(b, 4), user: IN, kind: 'marketing_lite' },
        ],
      },
      expect: {
        messages: [
          { index: 0, ...charged('marketing', '0.0107', { pricingModel: 'PMP' }) },
          { index: 2, ...free('service', 'free_customer_service') },
          { index: 3, ...charged('marketing', '0.0107', { pricingModel: 'CBP' }) },
          { index: 4, ...charged('marketing', '0.0107', { pricingModel: 'PMP' }) },
        ],
        total: '0.0321',
      },
    });
  }
  return cases;
}

/** Checks one simulate() result against a case; returns a list of problems (empty when fine). */
export function checkExample(result, expect, normalise) {
  const problems = [];
  const byIndex = new Map(result.messages.map((m) => [m.index, m]));
  for (const want of expect.messages) {
    const got = byIndex.get(want.index);
    if (!got) { problems.push(`message ${want.index}: missing`); continue; }
    for (const [field, value] of Object.entries(want)) {
      let actual = got[field];
      let wanted = value;
      if (field === 'amount') { actual = normalise(String(actual)); wanted = normalise(value); }
      if (actual !== wanted) problems.push(`message ${want.index}: ${field} is ${JSON.stringify(actual)}, expected ${JSON.stringify(wanted)}`);
    }
  }
  if (normalise(String(result.totals.amount)) !== normalise(expect.total)) {
    problems.push(`total is ${result.totals.amount}, expected ${expect.total}`);
  }
  return problems;
}
