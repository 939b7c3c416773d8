// The priced log as CSV, in the chosen language: a section column, then the totals (with the
// loaded rate-card files they used: file name, SHA-256 prefix, card) and by category, the what-if
// delta, the expected invoice and the disagreements with Meta. Amounts are the
// engine's exact decimal strings; labels, markets and categories are the catalog's.
import { t } from '../shared/i18n/index.js';
import { toCsv, download } from '../shared/download.js';
import { categoryLabel, marketLabel } from '../shared/ui.js';
import { inWords, reason, fileLabel } from './components/wa-log-report.js';

export function reportCsv(report) {
  const cur = report.currency;
  const rows = [[t('log.csv.section'), t('log.market'), t('log.category'), t('log.csv.detail'), t('log.amount'), t('log.csv.currency')]];
  // An incomplete total says "at least", and each unpriced line follows it (no amount: none is known).
  rows.push([t('log.total'), '', '', report.totals.complete === false ? t('unpriced.atLeast') : '', report.totals.amount, cur]);
  for (const u of report.totals.unpriced ?? []) {
    rows.push([t('log.total'), marketLabel(u.market), categoryLabel(u.category), t('unpriced.line', { market: marketLabel(u.market), category: categoryLabel(u.category), n: u.messages }), '', cur]);
  }
  for (const f of report.files ?? []) rows.push([t('log.csv.file'), '', '', fileLabel(f), '', f.currency]);
  for (const [k, v] of Object.entries(report.totals.byCategory)) rows.push([t('log.asLogged'), '', categoryLabel(k), '', v, cur]);
  const w = report.whatIf;
  if (w) {
    rows.push([t('log.whatIf.total'), '', '', w.date ?? '', w.totals.amount, w.currency]);
    for (const f of w.files ?? []) rows.push([t('log.whatIf.total'), '', '', fileLabel(f), '', f.currency]);
    for (const r of w.delta?.byCategory ?? []) rows.push([t('log.delta'), '', categoryLabel(r.key), `${r.base} → ${r.whatIf}`, r.delta, cur]);
    for (const r of w.delta?.byMarket ?? []) rows.push([t('log.delta'), marketLabel(r.key), '', `${r.base} → ${r.whatIf}`, r.delta, cur]);
  }
  for (const r of report.invoice) {
    rows.push([t('log.invoice.title'), marketLabel(r.market), categoryLabel(r.category), t('log.csv.invoiceDetail', { delivered: r.delivered, charged: r.charged }), r.amount, cur]);
  }
  const by = report.reconciliation?.byClass;
  if (by && report.reconciliation.disagreed) {
    for (const c of ['money', 'label', 'context']) {
      rows.push([t('log.rec.classes'), '', '', `${t(`log.class.${c}`)} | ${t('log.rec.count')}: ${by[c].count}`, by[c].amount, cur]);
    }
  }
  for (const d of report.reconciliation?.disagreements ?? []) {
    rows.push([
      t('log.rec.title'), marketLabel(d.market), '',
      [t('log.lineN', { line: d.line }), d.id, d.at, d.user, t(`log.class.${d.class}`),
        `${t('log.rec.differs')}: ${d.fields.map((f) => t(`log.field.${f}`)).join(t('log.listSep'))}`,
        `${t('log.rec.meta')}: ${inWords(d.meta, 'meta', cur)}`, `${t('log.rec.engine')}: ${inWords(d.engine, 'engine', cur)}`,
        reason(d, cur)].join(' | '),
      d.atStake, cur,
    ]);
  }
  return toCsv(rows);
}

export function exportReport(report, fileName) {
  const base = String(fileName ?? 'log').replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._-]+/g, '-') || 'log';
  download(`waprice-${base}.csv`, 'text/csv;charset=utf-8', '\ufeff' + reportCsv(report));
}
