// <wa-compare>: the same scenario priced under two or more dates (engine.compare), totals and
// every line side by side with the change from the first date, and a chart.
import { html } from '../../shared/html.js';
import { store } from '../state.js';
import { t } from '../../shared/i18n/index.js';
import * as fmt from '../../shared/format.js';
import { barRows, legend, categorySegments, categoryOrder } from '../../shared/charts.js';
import { categoryLabel, categoryInline, marketLabel, errorBox, cardLine, confidenceBadge, idOf, atLeast, unpricedNote } from '../../shared/ui.js';
import { countryName } from '../../shared/countries.js';
import { View } from './view.js';

const PAIRS = [
  ['2026-07-01', '2026-10-01'],
  ['2025-06-01', '2025-07-01'],
  ['2024-10-01', '2024-11-01', '2025-07-01', '2026-10-01'],
];

class WaCompare extends View {
  static viewName = 'compare';

  setup() {
    this.addEventListener('input', (e) => {
      const el = e.target;
      if (el.dataset.date === undefined) return;
      store.set((s) => { s.compareDates[Number(el.dataset.date)] = el.value; });
    });
    this.addEventListener('click', (e) => {
      const el = e.target.closest('[data-action]');
      if (!el) return;
      const i = Number(el.dataset.index);
      if (el.dataset.action === 'add-date') {
        store.set((s) => {
          const last = s.compareDates[s.compareDates.length - 1] ?? '2026-10-01';
          s.compareDates.push(nextQuarter(last));
        });
      } else if (el.dataset.action === 'remove-date') {
        store.set((s) => { if (s.compareDates.length > 1) s.compareDates.splice(i, 1); });
      } else if (el.dataset.action === 'pair') {
        store.set((s) => { s.compareDates = [...PAIRS[i]]; });
      } else if (el.dataset.action === 'use-scenario-date') {
        store.set((s) => { s.compareDates[0] = s.scenario.business?.date ?? '2026-10-01'; });
      }
    });
  }

  view(s) {
    const dates = s.compareDates;
    const c = s.compare;
    const err = c?.error;
    const errPath = err?.path ?? '';
    return html`<div class="compare">
      <section class="card" aria-labelledby="cmp-title">
        <h2 id="cmp-title">${t('cmp.title')}</h2>
        <p class="muted">${t('cmp.intro')}</p>
        <div class="date-list" role="group" aria-label="${t('cmp.dates')}">
          ${dates.map((d, i) => html`<div class="date-chip${errPath === `dates[${i}]` ? ' invalid' : ''}" data-key="d${i}">
            <label for="${idOf(`cmp-${i}`)}">${i === 0 ? t('cmp.base') : t('cmp.dateN', { n: i + 1 })}</label>
            <input type="date" id="${idOf(`cmp-${i}`)}" data-date="${i}" value="${d}"${errPath === `dates[${i}]` ? html` aria-invalid="true"` : ''}>
            ${dates.length > 1 ? html`<button type="button" class="icon danger" data-action="remove-date" data-index="${i}" aria-label="${t('cmp.remove', { date: d })}">×</button>` : ''}
          </div>`)}
          <button type="button" class="secondary" data-action="add-date">${t('cmp.add')}</button>
        </div>
        <p class="pairs-row"><span class="muted small">${t('cmp.try')}</span>
          ${PAIRS.map((p, i) => html`<button type="button" class="link" data-action="pair" data-index="${i}">${p.map((d) => fmt.date(d)).join(' → ')}</button>`)}
          <button type="button" class="link" data-action="use-scenario-date">${t('cmp.useScenario')}</button></p>
      </section>
      ${err ? errorBox(err, t('cmp.error')) : ''}
      ${c?.comparison ? this.result(s, c.comparison) : ''}
    </div>`;
  }

  result(s, cmp) {
    const ests = cmp.estimates;
    const cur = ests[0]?.currency ?? 'USD';
    const m = (v, o) => fmt.money(v, cur, o);
    const delta = (v) => html`<span class="delta ${fmt.decSign(v) > 0 ? 'up' : fmt.decSign(v) < 0 ? 'down' : 'same'}">${
      fmt.decSign(v) ? m(v, { digits: 4, sign: true }) : t('cmp.same')}</span>`;
    const pct = (from, d) => {
      const base = fmt.toFloat(from);
      return base && fmt.decSign(d) ? html` <span class="muted small">${fmt.percent((fmt.toFloat(d) / base) * 100, 1, true)}</span>` : '';
    };
    const deltas = cmp.deltas;
    const cats = [...new Set(ests.flatMap((e) => Object.keys(e.meta.byCategory)))].sort(categoryOrder);
    const markets = [...new Set(ests.flatMap((e) => Object.keys(e.meta.byMarket)))].sort((a, b) => marketLabel(a).localeCompare(marketLabel(b)));
    const lineKeys = [...new Set(ests.flatMap((e) => e.meta.lines.map((l) => `${l.market}|${l.category}`)))].sort();
    const lineOf = (e, k) => e.meta.lines.find((l) => `${l.market}|${l.category}` === k);
    const head = html`<tr><th scope="col">${t('cmp.line')}</th>${ests.map((e, i) => html`<th scope="col" class="num">${fmt.date(cmp.dates[i])}</th>${
      i > 0 ? html`<th scope="col" class="num delta-col">${t('cmp.deltaVs', { date: fmt.date(cmp.dates[0], 'short') })}</th>` : ''}`)}</tr>`;
    // The totals of an incomplete date read "at least", as beside its big total (issue 20).
    const row = (label, values, deltaValues, cls = '', floors = []) => html`<tr class="${cls}"><th scope="row">${label}</th>${values.map((v, i) => html`<td class="num">${floors[i] ? atLeast(ests[i]) : ''}${v === null ? '—' : m(v, { digits: 4 })}</td>${
      i > 0 ? html`<td class="num delta-col">${delta(deltaValues[i - 1])}${pct(values[0], deltaValues[i - 1])}</td>` : ''}`)}</tr>`;
    const rows = [
      row(t('cmp.total'), ests.map((e) => e.total), deltas.map((d) => d.total), 'strong total-row', ests.map((e) => e.complete === false)),
      row(t('res.meta'), ests.map((e) => e.meta.total), deltas.map((d) => d.meta), '', ests.map((e) => e.complete === false)),
      row(t('res.reseller'), ests.map((e) => e.reseller?.total ?? '0'), deltas.map((d) => fmt.decSub(d.total, d.meta))),
      html`<tr class="group"><th scope="rowgroup" colspan="${ests.length * 2}">${t('res.byCategory')}</th></tr>`,
      ...cats.map((c) => row(categoryLabel(c), ests.map((e) => e.meta.byCategory[c] ?? '0'), deltas.map((d) => d.byCategory[c] ?? '0'))),
      html`<tr class="group"><th scope="rowgroup" colspan="${ests.length * 2}">${t('res.byMarket')}</th></tr>`,
      ...markets.map((mk) => row(marketLabel(mk), ests.map((e) => e.meta.byMarket[mk] ?? '0'), deltas.map((d) => d.byMarket[mk] ?? '0'))),
      html`<tr class="group"><th scope="rowgroup" colspan="${ests.length * 2}">${t('cmp.lines')}</th></tr>`,
      ...lineKeys.map((k) => {
        const [mk, c] = k.split('|');
        const values = ests.map((e) => lineOf(e, k)?.amount ?? null);
        return row(html`${marketLabel(mk)} · ${categoryLabel(c)}`, values, values.slice(1).map((v) => fmt.decSub(v ?? '0', values[0] ?? '0')));
      }),
    ];
    const allCats = [...new Set(ests.flatMap((e) => Object.keys(e.meta.byCategory)))].sort(categoryOrder);
    const chartRows = ests.map((e, i) => {
      const by = { ...e.meta.byCategory };
      if (fmt.decSign(e.reseller?.total)) by.reseller = e.reseller.total;
      return {
        key: cmp.dates[i],
        label: fmt.date(cmp.dates[i]),
        amountText: `${e.complete === false ? `${t('unpriced.atLeast')} ` : ''}${m(e.total, { digits: 'minor' })}`,
        segments: categorySegments(by, (k, v) => `${k === 'reseller' ? t('res.reseller') : categoryLabel(k)}: ${m(v)}`),
      };
    });
    const legendKeys = [...allCats.filter((c) => ests.some((e) => fmt.decSign(e.meta.byCategory[c]))), ...(ests.some((e) => fmt.decSign(e.reseller?.total)) ? ['reseller'] : [])];
    return html`<section class="card" aria-labelledby="cmp-sum-title">
        <h3 id="cmp-sum-title">${t('cmp.totals')}</h3>
        <div class="cmp-totals" data-testid="compare-totals">${ests.map((e, i) => html`<div class="cmp-total">
          <p class="cmp-date">${fmt.date(cmp.dates[i])}</p>
          <p class="cmp-amount" data-value="${e.total}">${atLeast(e)}${m(e.total, { digits: 'minor' })}</p>
          ${i > 0 ? html`<p>${delta(deltas[i - 1].total)}${pct(ests[0].total, deltas[i - 1].total)}</p>` : html`<p class="muted small">${t('cmp.baseline')}</p>`}
          <p class="muted small">${e.cards.map((c) => html`<span class="nowrap">${cardLine(c, fmt.date)} ${confidenceBadge(c.confidence)}</span> `)}</p>
          ${unpricedNote(e, e.currency)}
        </div>`)}</div>
        <div data-testid="compare-chart" class="spaced">${barRows(chartRows, { label: t('cmp.chart') })}</div>
        ${legend(legendKeys.map((k) => ({ key: k, label: k === 'reseller' ? t('res.reseller') : categoryLabel(k) })))}
      </section>
      ${changesCard(cmp, m, delta)}
      <section class="card" aria-labelledby="cmp-table-title">
        <h3 id="cmp-table-title">${t('cmp.table')}</h3>
        <div class="table-wrap"><table class="compare-table" data-testid="compare-table"><thead>${head}</thead><tbody>${rows}</tbody></table></div>
      </section>`;
  }
}

/**
 * What changed between each date and the next (engine `changes`), in the page's language: each
 * code's catalog sentence with its values formatted for the locale, and its effect on the total.
 * A change priced together with others has no effect of its own: the combined line after it has.
 */
function changesCard(cmp, m, delta) {
  const pairs = cmp.changes ?? [];
  if (!pairs.length) return '';
  const cur = cmp.estimates[0]?.currency ?? 'USD';
  const vars = (p) => ({
    ...p,
    date: p.date ? fmt.date(p.date) : p.date,
    market: p.market ? (/^[A-Z]{2}$/.test(p.market) ? countryName(p.market) : marketLabel(p.market)) : p.market,
    category: p.category ? categoryInline(p.category) : p.category,
    old: p.old ? fmt.money(p.old, p.currency ?? cur) : p.old,
    new: p.new ? fmt.money(p.new, p.currency ?? cur) : p.new,
    percent: p.percent ? fmt.percent(Number(p.percent), 1, true) : p.percent,
    allowance: p.allowance ? fmt.num(p.allowance, { digits: 0 }) : p.allowance,
    hours: p.hours ? fmt.num(p.hours, { digits: 0 }) : p.hours,
    scope: p.scope ? t(`chg.scope.${p.scope}`) : p.scope,
    from: p.from ? fmt.month(p.from) : p.from,
    to: p.to ? fmt.month(p.to) : p.to,
  });
  return html`<section class="card" aria-labelledby="cmp-chg-title" data-testid="compare-changes">
    <h3 id="cmp-chg-title">${t('cmp.changes')}</h3>
    <p class="muted small">${t('cmp.changesIntro')}</p>
    ${pairs.map((pair) => html`<div class="changes-pair" data-testid="changes-pair" data-key="${pair.from}|${pair.to}">
      <h4>${fmt.date(pair.from)} → ${fmt.date(pair.to)} <span class="small">${delta(pair.total)}</span></h4>
      ${pair.changes.length ? html`<ul class="changes-list">${pair.changes.map((c) => html`<li data-code="${c.code}" data-effect="${c.effect ?? ''}"${
        c.code === 'combined_change' ? html` class="combined"` : ''}>
        <span>${t(`chg.${c.code}`, vars(c.params))}</span>
        <span class="nowrap">${c.effect === null ? html`<span class="muted small">${t('cmp.changeGrouped')}</span>` : delta(c.effect)}</span>
      </li>`)}</ul>` : html`<p class="muted">${t('cmp.changesNone')}</p>`}
    </div>`)}
    <p class="muted small changes-method">${t('cmp.changesMethod', { currency: cur })}</p>
  </section>`;
}

function nextQuarter(ymd) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd ?? '');
  if (!m) return '2026-10-01';
  let y = Number(m[1]);
  let mo = Number(m[2]) + 3;
  if (mo > 12) {
    mo -= 12;
    y += 1;
  }
  return `${y}-${String(mo).padStart(2, '0')}-01`;
}

customElements.define('wa-compare', WaCompare);
