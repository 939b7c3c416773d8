// Hand-made edge timelines for the differential test: exact local midnights at every boundary,
// windows carried across eras, equal instants, and the corners of docs/simulator.md's decisions.
// No expected values here: the engine and the oracle must agree on them.

const IN = '+919876543210';
const EG = '+201001234567';
const US = '+12125550100';
const BS = '+12425550100';
const KZ = '+77011234567';
const ZW = '+263771234567';

const t = (user, at, kind, extra = {}) => ({ at, user, kind, ...extra });
const tpl = (user, at, category, extra = {}) => t(user, at, 'template', { category, ...extra });

export function edgeCases() {
  const cases = [];
  const add = (name, input) => cases.push({ name, input });

  for (const timezone of ['UTC', 'Asia/Kolkata', '-03:00', 'America/New_York']) {
    const off = { UTC: 'Z', 'Asia/Kolkata': '+05:30', '-03:00': '-03:00', 'America/New_York': null }[timezone];
    const local = (dt) => (off ? `${dt}${off}` : null);
    if (!off) continue;
    // exact local midnights
    for (const day of ['2023-03-01', '2023-06-01', '2024-11-01', '2025-07-01', '2025-10-01', '2026-07-01', '2026-10-01', '2028-01-01']) {
      const prev = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      add(`midnight ${day} (${timezone})`, {
        timezone,
        options: { conversationFreeTier: 1, serviceAllowance: 1, nonprofit: day === '2028-01-01' },
        events: [
          t(IN, local(`${prev}T23:00:00`), 'inbound', { referral: 'ctwa' }),
          tpl(IN, local(`${prev}T23:59:59.999`), 'utility'),
          tpl(ZW, local(`${prev}T23:59:59.999`), 'marketing'),
          t(IN, local(`${day}T00:00:00`), 'message'),
          tpl(IN, local(`${day}T00:00:00`), 'utility'),
          tpl(ZW, local(`${day}T00:00:00`), 'marketing'),
          tpl(KZ, local(`${day}T00:00:00`), 'authentication'),
          t(IN, local(`${day}T00:00:00`), 'inbound'),
          t(IN, local(`${day}T00:00:00`), 'message'),
          t(IN, local(`${day}T00:00:00`), 'reaction'),
          tpl(IN, local(`${day}T01:00:00`), 'marketing'),
        ],
      });
    }
  }

  add('FEP opened 2025-06-30 continues after 2025-07-01', { events: [
    t(IN, '2025-06-30T10:00:00Z', 'inbound', { referral: 'ctwa' }),
    tpl(IN, '2025-06-30T12:00:00Z', 'marketing'),
    tpl(IN, '2025-07-01T12:00:00Z', 'utility'),
    tpl(IN, '2025-07-02T12:00:00Z', 'marketing'),
    tpl(IN, '2025-07-03T12:00:00Z', 'marketing'),
  ] });
  add('FEP opened 2023-05-31 continues after 2023-06-01', { events: [
    t(IN, '2023-05-31T10:00:00Z', 'inbound', { referral: 'ctwa' }),
    t(IN, '2023-05-31T12:00:00Z', 'message'),
    tpl(IN, '2023-06-01T12:00:00Z', 'utility'),
    tpl(IN, '2023-06-03T11:59:59.999Z', 'marketing'),
    tpl(IN, '2023-06-03T12:00:00Z', 'marketing'),
  ] });
  add('FEP opened 2023-02-28 (24 h) and 2023-03-01 (72 h)', { options: { fepHours: 100 }, events: [
    t(IN, '2023-02-28T10:00:00Z', 'inbound', { referral: 'ctwa' }),
    tpl(IN, '2023-02-28T12:00:00Z', 'marketing'),
    tpl(IN, '2023-03-01T11:59:59.999Z', 'marketing'),
    tpl(IN, '2023-03-01T12:00:00Z', 'marketing'),
    t(EG, '2023-02-28T23:00:00Z', 'inbound', { referral: 'ctwa' }),
    tpl(EG, '2023-03-01T00:00:00Z', 'marketing'),
    tpl(EG, '2023-03-05T03:59:59.999Z', 'marketing'),
    tpl(EG, '2023-03-05T04:00:00Z', 'marketing'),
  ] });
  add('FEP ends the carried-over utility conversation', { events: [
    tpl(IN, '2025-06-30T20:00:00Z', 'utility'),
    t(IN, '2025-07-01T01:00:00Z', 'inbound', { referral: 'ctwa' }),
    tpl(IN, '2025-07-01T02:00:00Z', 'utility'),
    tpl(IN, '2025-07-04T02:00:00Z', 'utility'),
    tpl(IN, '2025-07-04T02:00:00Z', 'marketing'),
  ] });
  add('FEP with fepHours 1 ends a conversation early', { options: { fepHours: 1 }, events: [
    tpl(EG, '2024-03-04T08:00:00Z', 'marketing'),
    t(EG, '2024-03-04T09:00:00Z', 'inbound', { referral: 'ctwa' }),
    t(EG, '2024-03-04T10:00:00Z', 'message'),
    t(EG, '2024-03-04T11:00:00Z', 'message'),
    tpl(EG, '2024-03-04T12:00:00Z', 'marketing'),
    tpl(EG, '2024-03-04T12:30:00Z', 'utility'),
    t(EG, '2024-03-04T13:00:00Z', 'message'),
  ] });
  add('failed and sent templates in the carried utility conversation', { events: [
    tpl(IN, '2025-06-30T20:00:00Z', 'utility'),
    tpl(IN, '2025-07-01T02:00:00Z', 'utility', { status: 'failed' }),
    tpl(IN, '2025-07-01T03:00:00Z', 'utility', { status: 'sent' }),
    tpl(IN, '2025-07-01T04:00:00Z', 'authentication', { status: 'failed' }),
    t(IN, '2025-07-01T05:00:00Z', 'message', { status: 'failed' }),
  ] });
  add('two-type conversation carried into 2023-06-01 absorbs free-form only', { events: [
    t(IN, '2023-05-31T20:00:00Z', 'inbound'),
    t(IN, '2023-05-31T21:00:00Z', 'reaction'),
    tpl(IN, '2023-06-01T01:00:00Z', 'marketing'),
    t(IN, '2023-06-01T02:00:00Z', 'message'),
    tpl(IN, '2023-06-01T03:00:00Z', 'utility'),
    t(IN, '2023-06-01T04:00:00Z', 'reaction'),
    t(IN, '2023-06-01T21:00:00Z', 'message'),
  ] });
  add('reaction opens a service conversation (2024)', { options: { conversationFreeTier: 1 }, events: [
    t(EG, '2024-03-04T08:00:00Z', 'inbound'),
    t(EG, '2024-03-04T08:10:00Z', 'reaction'),
    t(IN, '2024-03-04T09:00:00Z', 'inbound'),
    t(IN, '2024-03-04T09:10:00Z', 'reaction'),
    t(IN, '2024-03-04T09:20:00Z', 'message'),
  ] });
  add('reaction uses the entry-point chance', { events: [
    t(EG, '2026-11-04T08:00:00Z', 'inbound', { referral: 'ctwa' }),
    t(EG, '2026-11-04T08:10:00Z', 'reaction'),
    tpl(EG, '2026-11-05T08:10:00Z', 'marketing'),
  ] });
  add('free-form without a window does not use the entry-point chance', { events: [
    t(EG, '2026-11-04T08:00:00Z', 'inbound', { referral: 'ctwa' }),
    t(EG, '2026-11-05T08:00:00Z', 'message'),
    tpl(EG, '2026-11-05T07:59:59.999Z', 'marketing', { status: 'failed' }),
    tpl(EG, '2026-11-05T07:59:59.999Z', 'marketing'),
    tpl(EG, '2026-11-06T08:10:00Z', 'marketing'),
  ] });
  add('a second ad inbound inside an open window renews it', { events: [
    t(EG, '2026-11-04T08:00:00Z', 'inbound', { referral: 'ctwa' }),
    tpl(EG, '2026-11-04T09:00:00Z', 'marketing'),
    t(EG, '2026-11-06T08:00:00Z', 'inbound', { referral: 'ctwa' }),
    tpl(EG, '2026-11-06T09:00:00Z', 'marketing'),
    tpl(EG, '2026-11-07T09:00:00Z', 'marketing'),
    tpl(EG, '2026-11-09T08:59:59.999Z', 'marketing'),
    tpl(EG, '2026-11-09T09:00:00Z', 'marketing'),
  ] });
  add('equal instants: marketing, utility, free-form (rides in the first)', { events: [
    t(EG, '2024-03-04T08:00:00Z', 'inbound'),
    tpl(EG, '2024-03-04T09:00:00Z', 'utility'),
    tpl(EG, '2024-03-04T09:00:00Z', 'marketing'),
    t(EG, '2024-03-04T09:00:00Z', 'message'),
    tpl(EG, '2024-03-04T09:00:00Z', 'authentication'),
    t(EG, '2024-03-04T20:00:00Z', 'message'),
  ] });
  add('authentication-international decided at opening (2025-02)', {
    business: { country: 'BR', authInternational: { EG: '2025-02-04' } },
    events: [
      tpl(EG, '2025-02-03T20:00:00Z', 'authentication'),
      tpl(EG, '2025-02-04T10:00:00Z', 'authentication'),
      tpl(EG, '2025-02-04T20:00:00Z', 'authentication'),
      tpl(EG, '2025-02-05T20:00:00Z', 'authentication'),
    ] });
  add('authentication-international by market name, business in the same country', {
    business: { country: 'IN', authInternational: { India: '2025-01-01', EG: '2025-01-01' } },
    events: [
      tpl(IN, '2026-11-03T20:00:00Z', 'authentication'),
      tpl(EG, '2026-11-03T20:00:00Z', 'authentication'),
    ] });
  add('authentication-international with no business country', {
    business: { authInternational: { India: '2025-01-01', Egypt: '2026-11-04' } },
    events: [
      tpl(IN, '2026-11-03T20:00:00Z', 'authentication'),
      tpl(EG, '2026-11-03T20:00:00Z', 'authentication'),
      tpl(EG, '2026-11-04T20:00:00Z', 'authentication'),
      tpl(KZ, '2026-11-04T20:00:00Z', 'authentication'),
    ] });
  add('+1 numbers and options', { options: { unlistedNanpMarket: 'Rest of Latin America' }, events: [
    tpl(US, '2026-11-03T20:00:00Z', 'marketing'),
    tpl(BS, '2026-11-03T20:00:00Z', 'marketing'),
    tpl('+18095550100', '2026-11-03T20:00:00Z', 'marketing'),
    tpl('+16585550100', '2026-11-03T20:00:00Z', 'marketing'),
    tpl('+19395550100', '2026-11-03T20:00:00Z', 'marketing'),
    tpl('+16715550100', '2026-11-03T20:00:00Z', 'marketing'),
    tpl('+18685550100', '2026-11-03T20:00:00Z', 'marketing'),
    tpl('+12845550100', '2026-11-03T20:00:00Z', 'marketing'),
    tpl('+18005550100', '2026-11-03T20:00:00Z', 'marketing'),
    tpl('+1242555010', '2026-11-03T20:00:00Z', 'marketing'),
    tpl('+242061234567', '2026-11-03T20:00:00Z', 'marketing'),
  ] });
  add('+7 numbers', { options: { kazakhstanMarketBefore202610: 'Russia' }, events: [
    tpl('+76001234567', '2026-09-30T20:00:00Z', 'marketing'),
    tpl('+77001234567', '2026-09-30T20:00:00Z', 'marketing'),
    tpl('+79001234567', '2026-09-30T20:00:00Z', 'marketing'),
    tpl('+78001234567', '2026-09-30T20:00:00Z', 'marketing'),
    tpl('+76001234567', '2026-10-01T20:00:00Z', 'marketing'),
    tpl('+77001234567', '2026-10-01T20:00:00Z', 'marketing'),
    tpl('+79001234567', '2026-10-01T20:00:00Z', 'marketing'),
  ] });
  add('service allowance per number and default number', { options: { serviceAllowance: 1 }, events: [
    t(IN, '2026-11-03T08:00:00Z', 'inbound'),
    t(IN, '2026-11-03T09:00:00Z', 'message'),
    t(IN, '2026-11-03T09:01:00Z', 'message', { from: '+14155550100' }),
    t(IN, '2026-11-03T09:02:00Z', 'message', { from: '+14155550100' }),
    t(IN, '2026-11-03T09:03:00Z', 'message'),
    t(IN, '2026-11-03T09:04:00Z', 'reaction'),
    t(IN, '2026-11-03T09:05:00Z', 'message', { status: 'failed' }),
    t(IN, '2026-11-30T23:59:00Z', 'inbound'),
    t(IN, '2026-12-01T00:00:00Z', 'message'),
  ] });
  add('service allowance per account', { options: { serviceAllowance: 2, serviceAllowanceScope: 'waba' }, events: [
    t(IN, '2026-11-03T08:00:00Z', 'inbound'),
    t(IN, '2026-11-03T09:00:00Z', 'message'),
    t(IN, '2026-11-03T09:01:00Z', 'message', { from: '+14155550100' }),
    t(IN, '2026-11-03T09:02:00Z', 'message', { from: '+14155550101' }),
    t(EG, '2026-11-03T09:00:00Z', 'inbound'),
    t(EG, '2026-11-03T09:03:00Z', 'message'),
  ] });
  add('free tier 2023-06 counts service conversations only', { options: { conversationFreeTier: 1 }, events: [
    tpl(EG, '2023-07-03T08:00:00Z', 'marketing'),
    t(EG, '2023-07-04T08:00:00Z', 'inbound'),
    t(EG, '2023-07-04T09:00:00Z', 'message'),
    t(IN, '2023-07-04T08:00:00Z', 'inbound'),
    t(IN, '2023-07-04T09:00:00Z', 'message'),
    t(IN, '2023-07-31T23:00:00Z', 'inbound'),
    t(IN, '2023-08-01T00:00:00Z', 'message'),
  ] });
  add('two-type free tier counts every conversation', { options: { conversationFreeTier: 2 }, events: [
    tpl('+5511987654321', '2022-03-07T08:00:00Z', 'marketing'),
    t('+5511987654321', '2022-03-07T09:00:00Z', 'inbound'),
    t('+5511987654321', '2022-03-07T10:00:00Z', 'message'),
    tpl('+5611987654321', '2022-03-07T08:00:00Z', 'utility'),
    t('+5611987654321', '2022-03-07T09:00:00Z', 'inbound'),
    t('+5611987654321', '2022-03-08T10:00:00Z', 'message'),
    tpl('+5411987654321', '2022-03-08T10:00:00Z', 'authentication'),
  ] });
  add('Zimbabwe moves on 2025-10-01', { events: [
    tpl(ZW, '2025-09-30T23:00:00Z', 'marketing'),
    tpl(ZW, '2025-10-01T00:00:00Z', 'marketing'),
    tpl(ZW, '2025-06-30T22:00:00Z', 'utility'),
    tpl(ZW, '2025-07-01T00:00:00Z', 'utility'),
  ] });
  add('epoch milliseconds and offsets', { timezone: '+05:30', events: [
    t(IN, 1751308200000, 'inbound'), // 2025-07-01T00:00:00+05:30
    tpl(IN, '2025-06-30T18:29:59.999Z', 'utility'),
    tpl(IN, 1751308200000, 'utility'),
    tpl(IN, '2025-07-01T00:00:00.000+05:30', 'marketing'),
  ] });
  add('messages: none', { options: { messages: 'none' }, events: [
    tpl(IN, '2026-11-03T08:00:00Z', 'marketing'),
    tpl(IN, '2026-11-03T09:00:00Z', 'utility'),
  ] });
  return cases;
}
