// Worked examples (SPEC §11) as simulator inputs. Plain data: the page and the tests share them.
// The page loads them into the timeline explainer; the engine prices them (nothing here is a price
// except `expect`, which the tests check against the engine).

/**
 * SPEC §11 worked example 1 under the 2026-10-01 rules (§7.4): one customer in India.
 * t0 marketing template → charged; t2h the customer writes (window until t26h);
 * t3h free-form reply → a service message, free within the 1,000 a month;
 * t4h utility template → charged even inside the window (2026-10 rule); t30h utility → charged.
 */
export const EXAMPLE_1_2026_10 = {
  id: 'example1_2026_10',
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

/** A click-to-WhatsApp ad lead in Brazil: the reply opens a 72-hour free entry point. */
export const EXAMPLE_AD_ENTRY_POINT = {
  id: 'ad_entry_point',
  title: 'A lead from a click-to-WhatsApp ad',
  description:
    'A customer in Brazil writes from an ad. The reply within 24 hours opens a free 72-hour ' +
    'entry-point window: the reply and a marketing template a day later are free. A marketing ' +
    'template after the window closes is charged.',
  input: {
    currency: 'USD',
    timezone: 'America/Sao_Paulo',
    business: { country: 'BR' },
    events: [
      { at: '2026-10-12T09:00:00-03:00', user: '+5511912345678', kind: 'inbound', referral: 'ctwa' },
      { at: '2026-10-12T09:20:00-03:00', user: '+5511912345678', kind: 'message' },
      { at: '2026-10-13T10:00:00-03:00', user: '+5511912345678', kind: 'template', category: 'marketing' },
      { at: '2026-10-16T10:00:00-03:00', user: '+5511912345678', kind: 'template', category: 'marketing' },
    ],
  },
};

/** The conversation era (2024): 24-hour conversations, one charge each, riders free. */
export const EXAMPLE_CONVERSATIONS_2024 = {
  id: 'conversations_2024',
  title: 'Conversations in June 2024',
  description:
    'Before 2025-07-01 Meta charged per 24-hour conversation. A marketing template opens a ' +
    'marketing conversation; the reply inside it rides for free. A day later the customer writes ' +
    'again and the reply opens a service conversation (free within the first 1,000 of the month); ' +
    'a utility template then opens its own, charged, utility conversation.',
  input: {
    currency: 'USD',
    timezone: 'America/Sao_Paulo',
    business: { country: 'BR' },
    events: [
      { at: '2024-06-10T10:00:00-03:00', user: '+5511987654321', kind: 'template', category: 'marketing' },
      { at: '2024-06-10T12:00:00-03:00', user: '+5511987654321', kind: 'inbound' },
      { at: '2024-06-10T12:10:00-03:00', user: '+5511987654321', kind: 'message' },
      { at: '2024-06-11T15:00:00-03:00', user: '+5511987654321', kind: 'inbound' },
      { at: '2024-06-11T15:05:00-03:00', user: '+5511987654321', kind: 'message' },
      { at: '2024-06-11T18:00:00-03:00', user: '+5511987654321', kind: 'template', category: 'utility' },
    ],
  },
};

/** Two customers: a one-time password that fails and is sent again, and a support chat. */
export const EXAMPLE_TWO_USERS = {
  id: 'two_users_2026_10',
  title: 'Two customers: a failed code and a support chat',
  description:
    'An authentication code to Indonesia is not delivered (not charged) and sent again ' +
    '(charged). A customer in India writes to support: the replies and a reaction are free, and ' +
    'an order update sent inside the window is a charged utility template.',
  input: {
    currency: 'USD',
    timezone: 'Asia/Kolkata',
    business: { country: 'IN' },
    events: [
      { at: '2026-10-20T09:00:00+05:30', user: '+6281234567890', kind: 'template', category: 'authentication', status: 'failed' },
      { at: '2026-10-20T09:02:00+05:30', user: '+6281234567890', kind: 'template', category: 'authentication' },
      { at: '2026-10-20T11:00:00+05:30', user: '+919876543210', kind: 'inbound' },
      { at: '2026-10-20T11:05:00+05:30', user: '+919876543210', kind: 'message' },
      { at: '2026-10-20T11:06:00+05:30', user: '+919876543210', kind: 'reaction' },
      { at: '2026-10-20T15:00:00+05:30', user: '+919876543210', kind: 'template', category: 'utility' },
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

export const EXAMPLES = [EXAMPLE_1_2026_10, EXAMPLE_AD_ENTRY_POINT, EXAMPLE_CONVERSATIONS_2024, EXAMPLE_TWO_USERS];
