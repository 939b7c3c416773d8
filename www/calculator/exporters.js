// Exports of the engine's results as files (Blob downloads) and the share link. The figures are
// the engine's exact decimal strings, unformatted, so a spreadsheet gets what the engine said.

/** One CSV field (RFC 4180); a leading = + - @ is neutralized so a spreadsheet shows it as text. */
export function csvField(value) {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsv(rows) {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

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

function download(name, type, text) {
  const blob = new Blob([text], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
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

export function exportQuoteCsv(quote) {
  const rows = [['kind', 'label', 'quantity', 'unit_price', 'amount', 'currency']];
  for (const l of quote.lines) rows.push([l.kind, l.label, l.quantity, l.unitPrice, l.amount, quote.currency]);
  rows.push(['total_monthly', '', '', '', quote.total, quote.currency]);
  for (const l of quote.oneTimeLines ?? []) rows.push([`${l.kind}_one_time`, l.label, l.quantity, l.unitPrice, l.amount, quote.currency]);
  if (quote.oneTimeLines?.length) rows.push(['total_one_time', '', '', '', quote.oneTimeTotal, quote.currency]);
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
