// Exports of the engine's results as files (Blob downloads) and the share link. The figures are
// the engine's exact decimal strings, unformatted, so a spreadsheet gets what the engine said.
import { toCsv, download } from '../shared/download.js';
import { t, has } from '../shared/i18n/index.js';

/** The estimate as CSV rows: section, market, category, label, quantity, unit price, amount, currency. */
export function estimateCsv(est) {
  const cur = est.currency;
  const rows = [['section', 'market', 'category', 'label', 'charged_or_quantity', 'free', 'unit_price', 'amount', 'tier_savings', 'currency']];
  for (const l of est.meta.lines ?? []) {
    rows.push(['meta', l.market, l.category, '', l.charged, l.free, l.rate ?? '', l.amount, l.tierSavings, cur]);
  }
  for (const l of est.reseller?.lines ?? []) {
    rows.push([l.oneTime ? 'reseller_one_time' : 'reseller', '', '', l.label, l.quantity, '', l.unitPrice, l.amount, '', cur]);
  }
  rows.push(['total_meta', '', '', '', '', '', '', est.meta.total, est.tierSavings, cur]);
  rows.push(['total_reseller', '', '', '', '', '', '', est.reseller?.total ?? '0', '', cur]);
  rows.push(['total_monthly', '', '', est.month, '', '', '', est.total, '', cur]);
  if (est.quote) rows.push(['total_monthly_quote', '', '', `fx ${est.quote.fxRate}`, '', '', '', est.quote.total, '', est.quote.currency]);
  for (const c of est.cards ?? []) rows.push(['card', '', '', `${c.date} ${c.pricingModel} ${c.confidence}`, '', '', '', '', '', c.currency]);
  return toCsv(rows);
}

const stamp = (est) => `${est.month ?? 'estimate'}-${est.currency ?? ''}`.replace(/[^A-Za-z0-9-]/g, '');

export function exportCsv(est) {
  download(`waprice-${stamp(est)}.csv`, 'text/csv;charset=utf-8', '\ufeff' + estimateCsv(est));
}

export function exportJson(est, state) {
  const body = { scenario: state.scenario, estimate: est, link: state.shareUrl ?? null };
  download(`waprice-${stamp(est)}.json`, 'application/json', JSON.stringify(body, null, 2) + '\n');
}

export function exportQuoteJson(quote) {
  const { estimate, ...rest } = quote;
  download(`${quote.id}.json`, 'application/json', JSON.stringify({ ...rest, estimate }, null, 2) + '\n');
}

/**
 * The quote as CSV in the chosen language: `shown` is `{ lines, oneTime }`, the quote's lines with
 * their labels as the page shows them; the figures are the engine's exact decimal strings.
 */
export function exportQuoteCsv(quote, shown) {
  const kind = (k) => (has(`q.csv.kind.${k}`) ? t(`q.csv.kind.${k}`) : k);
  const rows = [[t('q.csv.kind'), t('q.csv.label'), t('q.csv.quantity'), t('q.csv.unitPrice'), t('q.csv.amount'), t('q.csv.currency')]];
  for (const l of shown.lines) rows.push([kind(l.kind), l.shown, l.quantity, l.unitPrice, l.amount, quote.currency]);
  if (quote.subtotal) {
    rows.push([t('q.subtotal'), '', '', '', quote.subtotal, quote.currency]);
    for (const l of shown.taxes ?? []) rows.push([kind(l.kind), l.shown, l.quantity, l.unitPrice, l.amount, quote.currency]);
  }
  rows.push([quote.subtotal ? t('q.totalWithTax') : t('q.monthlyTotal'), '', '', '', quote.total, quote.currency]);
  for (const l of shown.oneTime) rows.push([t('q.oneTime'), l.shown, l.quantity, l.unitPrice, l.amount, quote.currency]);
  if (shown.oneTime.length) rows.push([t('q.oneTimeTotal'), '', '', '', quote.oneTimeTotal, quote.currency]);
  const w = quote.wallet;
  if (w) {
    rows.push([t('q.wallet'), t('q.walletTopUp', { days: w.days }), '', '', w.topUp, quote.currency]);
    if (w.fee) rows.push([kind('fee'), t('q.walletFee', { percent: String(Number(w.fee.unitPrice) * 100) }), w.fee.quantity, w.fee.unitPrice, w.fee.amount, quote.currency]);
    rows.push([t('q.wallet'), t('q.walletPayable'), '', '', w.payable, quote.currency]);
  }
  download(`${quote.id}.csv`, 'text/csv;charset=utf-8', '\ufeff' + toCsv(rows));
}

/** Copy the current URL (which carries the scenario). False when the clipboard is refused. */
export async function copyShareLink(url = location.href) {
  try {
    await navigator.clipboard.writeText(url);
    return true;
  } catch {
    return false;
  }
}
