// The quick-start scenarios (complete scenarios the engine takes as is) and the quote currencies
// the page suggests. Plain data: the page and the tests share it. The presets' parameters and
// defaults come from the engine (schema.js).

export const QUOTE_CURRENCIES = ['USD', 'EUR', 'GBP', 'INR', 'BRL', 'MXN', 'IDR', 'COP', 'AED', 'SGD', 'JPY', 'CNY', 'HKD', 'AUD', 'CAD', 'ZAR', 'NGN', 'TRY', 'SAR'];

/**
 * The four quick starts. Each is a complete Scenario the engine takes as is. Brazil, India and
 * Mexico keep no daylight-saving time, so their fixed offsets are exact (and quick to load).
 */
export const QUICK_STARTS = [
  {
    id: 'ecommerce',
    scenario: {
      business: { currency: 'USD', timezone: '-03:00', phoneNumbers: 1, country: 'BR', date: '2026-10-01', messagingLimit: 100000 },
      audience: {
        contacts: 50000,
        mix: [{ country: 'BR', share: 60 }, { country: 'MX', share: 25 }, { country: 'CO', share: 15 }],
      },
      journeys: [
        { preset: 'order_lifecycle', share: 40, timesPerMonth: 1.5, params: { writesFirstShare: 10 } },
        { preset: 'marketing_campaign', share: 100, timesPerMonth: 4, params: { replyShare: 3, repliesPerChat: 2 } },
        { preset: 'support', share: 8 },
      ],
      reseller: { perOutbound: '0.001', platformMonthly: '99' },
    },
  },
  {
    id: 'fintech_otp',
    scenario: {
      business: { currency: 'USD', timezone: '+05:30', phoneNumbers: 2, country: 'IN', date: '2026-10-01', messagingLimit: 'unlimited' },
      audience: {
        contacts: 200000,
        mix: [{ country: 'IN', share: 80 }, { country: 'ID', share: 10 }, { country: 'AE', share: 5 }, { country: 'NG', share: 5 }],
      },
      journeys: [
        { preset: 'otp_login', share: 100, timesPerMonth: 6, params: { failShare: 2 } },
        { preset: 'order_lifecycle', share: 60, timesPerMonth: 3, params: { shipping: false, delivery: false } },
        { preset: 'support', share: 2 },
      ],
      reseller: { perOutbound: '0.0005', perNumberMonthly: '10', platformMonthly: '250' },
    },
  },
  {
    id: 'support_desk',
    scenario: {
      business: { currency: 'EUR', timezone: 'Europe/Berlin', phoneNumbers: 1, country: 'DE', date: '2026-10-01', messagingLimit: 10000 },
      audience: {
        contacts: 8000,
        mix: [{ country: 'DE', share: 45 }, { country: 'FR', share: 25 }, { country: 'ES', share: 15 }, { country: 'IT', share: 15 }],
      },
      journeys: [
        { preset: 'support', share: 100, timesPerMonth: 1.5, params: { agentReplies: 4, customerMessages: 4, chatHours: 2 } },
        {
          share: 30,
          steps: [
            { afterHours: 0, kind: 'inbound' },
            { afterHours: 0.5, kind: 'message' },
            { afterHours: 26, kind: 'template', category: 'utility', share: 60 },
          ],
        },
      ],
      reseller: { perInbound: '0.002', perNumberMonthly: '15', platformMonthly: '149' },
    },
  },
  {
    id: 'lead_ads',
    scenario: {
      business: { currency: 'USD', timezone: '-06:00', phoneNumbers: 1, country: 'MX', date: '2026-10-01', messagingLimit: 10000 },
      audience: {
        contacts: 12000,
        mix: [{ country: 'MX', count: 6000 }, { country: 'BR', count: 3600 }, { country: 'CO', count: 2400 }],
      },
      journeys: [
        { preset: 'ad_lead', share: 100 },
        { preset: 'marketing_campaign', share: 50, timesPerMonth: 2, params: { replyShare: 10 } },
      ],
      reseller: { markupPercent: { all: 12 }, setupFee: '250', quoteCurrency: 'MXN', fxRate: '18.2', fxMarginPercent: 2 },
    },
  },
];

export const DEFAULT_SCENARIO = QUICK_STARTS[0].scenario;

/** A fresh journey of a preset. */
export function newJourney(preset) {
  if (preset === 'custom') {
    return { share: 100, steps: [{ afterHours: 0, kind: 'template', category: 'utility' }] };
  }
  return { preset, share: 100 };
}
