// The priced log: the totals as logged, the what-if and its delta by category and market, the
// reconciliation with Meta's verdicts, the expected invoice, and what was read. Every label is
// the catalog's; markets and categories are named in the chosen language; amounts are the
// engine's exact decimal strings. The report can be downloaded as CSV, in the same language.
import { html } from '../../shared/html.js';
import { t } from '../../shared/i18n/index.js';
import * as fmt from '../../shared/format.js';
import { categoryLabel, categoryInline, marketLabel, typeLabel, warningTitle, messageText, explanationText, errorSentence, atLeast, unpricedNote } from '../../shared/ui.js';
import { LogView, emit } from './view.js';
import { count, errorBox, where } from '../text.js';

const signed = (d) => `${Number(d) > 0 ? '+' : ''}${d}`;

function deltaClass(d) {
  const n = Number(d);
  if (n > 0) return 'delta up';
  if (n < 0) return 'delta down';
  return 'delta same';
}

const modelLabel = (m) => (m ? t(`model.${m}`) : '?');
const formatLabel = (f) => t(`log.format.${f}`);

/** Why the engine priced a message so, in the current language (the explanation's code and params). */
export function reason(d) {
  return explanationText(d);
}

function deltaTable(rows, what, testid, labelOf) {
  return html`<div class="table-wrap"><table class="plain" data-testid="${testid}">
    <thead><tr><th scope="col">${what}</th><th scope="col" class="num">${t('log.asLogged')}</th>
      <th scope="col" class="num">${t('log.whatIfCol')}</th><th scope="col" class="num">${t('log.delta')}</th></tr></thead>
    <tbody>${rows.map((r) => html`<tr>
      <th scope="row">${labelOf(r.key)}</th><td class="num">${r.base}</td><td class="num">${r.whatIf}</td>
      <td class="num"><span class="${deltaClass(r.delta)}">${signed(r.delta)}</span></td>
    </tr>`)}</tbody>
  </table></div>`;
}

/** A loaded rate-card file a pricing used: file name, SHA-256 prefix, kind and card. */
export function fileLabel(f) {
  return t('log.file', {
    name: f.name, sha: f.sha256, kind: t(`data.kind.${f.kind === 'tiers' ? 'tiers' : 'rates'}`),
    currency: f.currency, model: modelLabel(f.pricingModel), date: fmt.date(f.date),
  });
}

/** The same, the file name marked as the user's text (not a sentence of the page). */
function fileMarkup(f) {
  const [before, after = ''] = fileLabel({ ...f, name: '\u0000' }).split('\u0000');
  return html`${before}<span class="mono" data-user-text>${f.name}</span>${after}`;
}

/** The line naming the loaded rate-card files a pricing used (none: nothing). */
function filesLine(files, testid) {
  if (!files?.length) return '';
  return html`<div class="muted files-used" data-testid="${testid}"><p>${t('log.files')}</p>
    <ul>${files.map((f) => html`<li>${fileMarkup(f)}</li>`)}</ul></div>`;
}

function totals(report) {
  const tt = report.totals;
  const cards = report.cards.map((c) => t('log.card', { date: fmt.date(c.date), currency: c.currency, model: modelLabel(c.pricingModel) }));
  return html`<section class="card" id="totals" aria-labelledby="totals-title">
    <h2 id="totals-title">${t('log.asLogged')}</h2>
    <div class="total">
      <span class="total-label">${t('log.total')}</span>
      <span class="total-amount" data-testid="total">${atLeast(tt)}${report.currency} ${tt.amount}</span>
      <span class="total-counts">${t('log.counts', { messages: count(tt.messages), charged: count(tt.charged), free: count(tt.free), nd: count(tt.notDelivered) })}</span>
    </div>
    ${unpricedNote(tt, report.currency, { way: 'unpriced.wayOutLogs' })}
    <div class="table-wrap"><table class="plain" data-testid="by-category">
      <thead><tr><th scope="col">${t('log.category')}</th><th scope="col" class="num">${t('log.amount')}</th></tr></thead>
      <tbody>${Object.entries(tt.byCategory).map(([k, v]) => html`<tr><th scope="row">${categoryLabel(k)}</th><td class="num">${v}</td></tr>`)}</tbody>
    </table></div>
    <p class="muted" data-testid="report-cards">${cards.length ? t('log.cards', { list: cards.join(t('log.listSep')) }) : t('log.cardsNone')}</p>
    ${filesLine(report.files, 'report-files')}
    <div class="actions"><button type="button" class="secondary small" data-action="csv" data-testid="report-csv">${t('log.csv')}</button></div>
  </section>`;
}

function whatIf(report) {
  const w = report.whatIf;
  if (!w) return '';
  const when = w.date
    ? t(Math.abs(w.months) === 1 ? 'log.whatIf.moved1' : 'log.whatIf.moved', { date: fmt.date(w.date), months: count(w.months) })
    : t('log.whatIf.kept');
  const d = w.delta;
  return html`<section class="card" id="what-if" aria-labelledby="what-if-title">
    <h2 id="what-if-title">${t('log.whatIf.title', { when })}</h2>
    <div class="total">
      <span class="total-label">${t('log.whatIf.total')}</span>
      <span class="total-amount" data-testid="what-if-total">${atLeast(w.totals)}${w.currency} ${w.totals.amount}</span>
      ${d ? html`<span class="${deltaClass(d.amount.delta)}" data-testid="what-if-delta">${t('log.whatIf.delta', { delta: signed(d.amount.delta) })}</span>` : ''}
    </div>
    ${d ? html`<h3>${t('log.byCategory')}</h3>${deltaTable(d.byCategory, t('log.category'), 'delta-category', categoryLabel)}
      <h3>${t('log.byMarket')}</h3>${deltaTable(d.byMarket, t('log.market'), 'delta-market', marketLabel)}`
      : html`<p class="muted">${t('log.whatIf.otherCurrency')}</p>`}
    ${unpricedNote(w.totals, w.currency, { way: 'unpriced.wayOutLogs' })}
    ${filesLine(w.files, 'what-if-files')}
  </section>`;
}

function invoice(report) {
  if (!report.invoice.length) return '';
  const meta = report.invoice.some((r) => r.metaBillable !== null && r.metaBillable !== undefined);
  return html`<section class="card" id="invoice" aria-labelledby="invoice-title">
    <h2 id="invoice-title">${t('log.invoice.title')}</h2>
    <div class="table-wrap"><table class="plain" data-testid="invoice">
      <thead><tr><th scope="col">${t('log.market')}</th><th scope="col">${t('log.category')}</th><th scope="col" class="num">${t('log.delivered')}</th>
        <th scope="col" class="num">${t('log.charged')}</th><th scope="col" class="num">${t('log.amount')}</th>
        ${meta ? html`<th scope="col" class="num">${t('log.metaBillable')}</th>` : ''}</tr></thead>
      <tbody>${report.invoice.map((r) => html`<tr>
        <th scope="row">${marketLabel(r.market)}</th><td>${categoryLabel(r.category)}</td><td class="num">${count(r.delivered)}</td>
        <td class="num">${count(r.charged)}</td><td class="num">${r.amount}</td>
        ${meta ? html`<td class="num">${count(r.metaBillable)}</td>` : ''}
      </tr>`)}</tbody>
    </table></div>
  </section>`;
}

/** A label of Meta's or the engine's: a category or type word, with Meta's spellings read. */
const catWord = (c) => (c ? categoryInline(String(c).replace('-', '_')) : t('log.words.noCategory'));
const typeWord = (v) => (v ? typeLabel(v) : '?');

/**
 * A verdict in words, the way a finance reader says it: charged (with the amount, for the
 * engine's) as a category, free and why, counted in a conversation (conversation eras), not
 * delivered. `side` is `meta` or `engine`.
 */
export function inWords(v, side, currency) {
  if (!v || (side === 'meta' && !v.pricingModel && !v.type && !v.category && (v.billable === null || v.billable === undefined))) return t('log.words.noLabel');
  if (v.type === 'not_delivered') return t('log.words.notDelivered');
  const cat = catWord(v.category);
  if (v.pricingModel === 'CBP') {
    if (v.billable === false) return t('log.words.notCounted', { cat });
    if (side === 'engine' && v.charged) return t('log.words.conversationCharged', { cat, amount: fmt.money(v.amount, currency, { digits: 'exact' }) });
    return t('log.words.conversation', { cat });
  }
  const charged = side === 'engine' ? v.charged : v.type ? v.type === 'regular' : v.billable === true;
  if (charged) {
    return side === 'engine'
      ? t('log.words.chargedAmount', { cat, amount: fmt.money(v.amount, currency, { digits: 'exact' }) })
      : t('log.words.charged', { cat });
  }
  return t('log.words.free', { cat, type: typeWord(v.type) });
}

const CLASSES = ['money', 'label', 'context'];

/** The disagreements by class: how many, and the money at stake in each. */
function classes(r, currency) {
  const by = r.byClass;
  if (!by || !r.disagreed) return '';
  return html`<h3>${t('log.rec.classes')}</h3>
    <div class="table-wrap"><table class="plain" data-testid="classes">
      <thead><tr><th scope="col">${t('log.rec.class')}</th><th scope="col" class="num">${t('log.rec.count')}</th><th scope="col" class="num">${t('log.rec.atStake')}</th></tr></thead>
      <tbody>${CLASSES.map((c) => html`<tr data-class="${c}">
        <th scope="row">${t(`log.class.${c}`)}<br><span class="muted">${t(`log.classWhy.${c}`)}</span></th>
        <td class="num">${count(by[c].count)}</td><td class="num">${fmt.money(by[c].amount, currency, { digits: 'exact' })}</td>
      </tr>`)}</tbody>
    </table></div>`;
}

/** What the log lacks, as Meta's labels show it: each inference, its evidence, the way to say it. */
function inferences(r) {
  const list = r.inferences ?? [];
  if (!list.length) return '';
  return html`<ul class="warnings" data-testid="inferences">${list.map((i) => html`<li data-code="${i.code}">
    ${t(`log.inference.${i.code}`, { count: count(i.count) })}
    ${i.evidence.length ? html`<br><span class="muted">${t('log.rec.evidence')}</span> ${i.evidence.map((id, k) => html`${k ? ', ' : ''}<code>${id}</code>`)}` : ''}
    ${i.opening ? html`<br><span class="muted">${t('log.rec.suggested')}</span> <code data-testid="suggested-opening">${JSON.stringify(i.opening)}</code>` : ''}
  </li>`)}</ul>`;
}

function reconciliation(report) {
  const r = report.reconciliation;
  if (!r) return '';
  const cur = report.currency;
  return html`<section class="card" id="reconciliation" aria-labelledby="reconciliation-title">
    <h2 id="reconciliation-title">${t('log.rec.title')}</h2>
    <p data-testid="reconciliation-summary">${t('log.rec.summary', { compared: count(r.compared), agreed: count(r.agreed), disagreed: count(r.disagreed), without: count(r.withoutPricing) })}</p>
    ${classes(r, cur)}
    ${inferences(r)}
    ${r.disagreements.length ? html`<div class="table-wrap"><table class="plain" data-testid="disagreements">
      <thead><tr><th scope="col">${t('log.rec.line')}</th><th scope="col">${t('log.rec.message')}</th><th scope="col">${t('log.rec.class')}</th>
        <th scope="col">${t('log.rec.meta')}</th><th scope="col">${t('log.rec.engine')}</th><th scope="col" class="num">${t('log.rec.atStake')}</th><th scope="col">${t('log.rec.why')}</th></tr></thead>
      <tbody>${r.disagreements.map((d) => html`<tr data-class="${d.class}">
        <td class="num">${d.line}</td>
        <td><code>${d.id}</code><br><span class="muted">${d.at} · ${d.user} · ${marketLabel(d.market)}</span></td>
        <td>${t(`log.class.${d.class}`)}<br><span class="muted">${t('log.rec.differs')}: ${d.fields.map((f) => t(`log.field.${f}`)).join(t('log.listSep'))}</span></td>
        <td data-testid="meta-words">${inWords(d.meta, 'meta', cur)}</td>
        <td data-testid="engine-words">${inWords(d.engine, 'engine', cur)}</td>
        <td class="num">${fmt.money(d.atStake, cur, { digits: 'exact' })}</td>
        <td class="explanation" data-code="${d.explanationCode}">${reason(d)}</td>
      </tr>`)}</tbody>
    </table></div>
    ${r.disagreed > r.disagreements.length ? html`<p class="muted">${t('log.firstOf', { n: count(r.disagreements.length), total: count(r.disagreed) })}</p>` : ''}` : ''}
  </section>`;
}

function input(report) {
  const i = report.input;
  const list = i.errorList;
  const kpi = (key, value, testid) => html`<div class="kpi"><dt>${t(`log.kpi.${key}`)}</dt><dd${testid ? html` data-testid="${testid}"` : ''}>${value}</dd></div>`;
  return html`<section class="card" id="input" aria-labelledby="input-title">
    <h2 id="input-title">${t('log.input.title')}</h2>
    <dl class="kpis">
      ${kpi('format', formatLabel(report.format))}
      ${kpi('lines', count(i.lines))}
      ${kpi('inbound', count(i.inbound))}
      ${kpi('business', count(i.businessMessages), 'business-messages')}
      ${kpi('users', count(i.users))}
      ${kpi('errors', count(i.errors), 'errors-count')}
      ${report.format === 'webhook' ? html`${kpi('statuses', count(i.statuses))}${kpi('after', count(i.statusesAfterPriced))}` : ''}
    </dl>
    ${list.length ? html`<h3>${t('log.malformed')}</h3><ul class="warnings" data-testid="errors">${list.map((e) => html`<li>
      <strong>${where(e)}</strong> <code>${e.code}</code>${e.path ? html` · <code>${e.path}</code>` : ''}: ${errorSentence(e)}</li>`)}</ul>
      ${i.errors > list.length ? html`<p class="muted">${t('log.firstOf', { n: count(list.length), total: count(i.errors) })}</p>` : ''}` : ''}
    ${report.warnings.length ? html`<h3>${t('log.warnings')}</h3><ul class="warnings">${report.warnings.map((w) => html`<li>
      <strong>${warningTitle(w.code) ?? w.code}</strong> <span class="message-text">${messageText(w)}</span></li>`)}</ul>` : ''}
  </section>`;
}

export class WaLogReport extends LogView {
  setup() {
    this.addEventListener('click', (e) => {
      if (e.target.closest('[data-action="csv"]')) emit(this, 'log-csv');
    });
  }

  view(s) {
    if (s.failure) return errorBox(s.failure.error, t(s.failure.title.key, s.failure.title.vars));
    const report = s.report;
    if (!report) return html``;
    return html`${totals(report)}${whatIf(report)}${reconciliation(report)}${invoice(report)}${input(report)}`;
  }
}

customElements.define('wa-log-report', WaLogReport);
