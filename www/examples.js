// Worked examples (SPEC §11) as simulator inputs. Plain data: the page and the tests share them.

/**
 * SPEC §11 worked example 1 under the 2026-10-01 rules (§7.4): one customer in India.
 * t0 marketing template → charged; t2h the customer writes (window until t26h);
 * t3h free-form reply → a service message, free within the 1,000 a month;
 * t4h utility template → charged even inside the window (2026-10 rule); t30h utility → charged.
 */
export const EXAMPLE_1_2026_10 = {
  title: 'Worked example 1 under the 2026-10-01 rules',
  description:
    'A customer in India: a marketing template, the customer writes two hours later, a free-form ' +
    'reply, then utility templates at four and thirty hours. From 2026-10-01 utility templates are ' +
    'charged even inside the customer-service window, and the free-form reply is a service ' +
    'message, free within the first 1,000 of the month.',
  expect: { charged: 3, total: '0.0146' },
  input: {
    currency: 'USD',
    timezone: 'Asia/Kolkata',
    business: { country: 'IN' },
    events: [
      { at: '2026-10-05T10:00:00+05:30', user: '+919812345678', kind: 'template', category: 'marketing' },
      { at: '2026-10-05T12:00:00+05:30', user: '+919812345678', kind: 'inbound' },
      { at: '2026-10-05T13:00:00+05:30', user: '+919812345678', kind: 'message' },
      { at: '2026-10-05T14:00:00+05:30', user: '+919812345678', kind: 'template', category: 'utility' },
      { at: '2026-10-06T16:00:00+05:30', user: '+919812345678', kind: 'template', category: 'utility' },
    ],
  },
};

/** The sample input of the engine's JS contract (issue 2): an ad entry point, mixed kinds. */
export const SAMPLE_INPUT = {
  currency: 'USD',
  timezone: 'Asia/Kolkata',
  business: { country: 'IN', authInternational: { ID: '2025-01-01' } },
  options: { fepHours: 72 },
  events: [
    { at: '2026-10-05T10:00:00Z', user: '+919812345678', kind: 'inbound', referral: 'ctwa' },
    { at: '2026-10-05T10:05:00Z', user: '+919812345678', kind: 'message', from: '+15550001111' },
    { at: 1791198000000, user: '+919812345678', kind: 'template', category: 'utility' },
    { at: '2026-10-05T11:01:00Z', user: '+919812345678', kind: 'reaction', status: 'failed' },
  ],
};

export const EXAMPLES = [EXAMPLE_1_2026_10];
