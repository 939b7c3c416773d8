// <wa-results>: the engine's estimate of the scenario: the monthly total in large type, Meta vs
// reseller, charts by category and by market, the market × category table, free messages, tier
// savings, cost per contact, warnings, and the exports. Shows the last good estimate (marked) while
// the form holds an error, so nothing jumps while the user types.
import { html } from '../../shared/html.js';
import { store } from '../state.js';
import { t } from '../../shared/i18n/index.js';
import * as fmt from '../../shared/format.js';
import { stackedBar, barRows, legend, categorySegments, categoryOrder, catClass } from '../../shared/charts.js';
import { categoryLabel, marketLabel, warningTitle, cardLine, confidenceBadge, presetLabel, errorBox, messageText, atLeast, unpricedNote } from '../../shared/ui.js';
import { exportCsv, exportJson, copyShareLink } from '../exporters.js';
import { View } from './view.js';

const FREE_REASONS = ['window', 'entryPoint', 'allowance', 'freeTier', 'conversation'];

export function journeyName(name) {
  // The engine names unnamed journeys after their preset; show the preset in the current language.
  if (/^[a-z_]+$/.test(name ?? '')) return presetLabel(name);
  const m = /^journey journeys\[(\d+)\]$/.exec(name ?? '');
  if (m) return t('journey.customN', { n: Number(m[1]) + 1 });
  return name;
}

class WaResults extends View {
  static viewName = 'estimate';

  setup() {
    this.id = 'results';
    this.dataset.testid = 'results';
    this.addEventListener('click', async (e) => {
      const el = e.target.closest('[data-action]');
      if (!el) return;
      const s = store.state;
      const est = s.result?.estimate;
      if (el.dataset.action === 'export-csv' && est) exportCsv(est, s);
      else if (el.dataset.action === 'export-json' && est) exportJson(est, s);
      else if (el.dataset.action === 'copy-link') {
        const ok = await copyShareLink();
        store.set((st) => { st.ui.copied = ok ? 'ok' : 'manual'; });
        setTimeout(() => store.set((st) => { st.ui.copied = false; }), 2500);
      } else if (el.dataset.action === 'to-results') {
        e.preventDefault();
        this.querySelector('.total-card')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
      } else if (el.dataset.action === 'go-quote') {
        store.set((st) => { st.view = 'quote'; });
        window.scrollTo(0, 0);
      }
    });
  }

  view(s) {
    if (!s.engineReady) {
      return [['loading', html`<section class="card total-card loading" aria-busy="true"><p class="muted">${t('app.loading')}</p></section>`]];
    }
    const r = s.result;
    const est = r?.estimate ?? s.lastGood?.estimate;
    const stale = Boolean(r?.error);
    if (!est) {
      return [['none', html`${r?.error ? errorBox(r.error, t('res.cannot')) : ''}`]];
    }
    const cur = est.currency;
    const m = (v, o) => fmt.money(v, cur, o);
    this.classList.toggle('stale', stale);
    return [
      ['mobile', html`<div class="mobile-total${stale ? ' stale' : ''}" aria-hidden="true">
        <span><span class="mt-label">${t('res.monthlyShort')}</span><span class="mt-amount">${atLeast(est)}${m(est.total, { digits: 'minor' })}</span></span>
        <a href="#results" tabindex="-1" data-action="to-results">${t('res.seeDetails')}</a>
      </div>`],
      ['total', this.totalCard(s, est, stale, m)],
      ['kpis', this.kpis(est, m)],
      ['charts', this.charts(s, est, m)],
      ['table', this.table(s, est, m)],
      ['free', this.freeAndTiers(est, m)],
      ['journeys', this.journeys(est, m)],
      ['reseller', this.resellerLines(s, est, m) || html``],
      ['limits', this.limits(est) || html``],
      ['warnings', this.warnings(est) || html``],
      ['exports', html`<section class="card exports" aria-labelledby="exp-title">
        <h3 id="exp-title">${t('exp.title')}</h3>
        <div class="actions">
          <button type="button" data-action="copy-link" data-testid="copy-link">${t('exp.copyLink')}</button>
          <button type="button" class="secondary" data-action="go-quote">${t('exp.quote')}</button>
          <button type="button" class="secondary" data-action="export-csv" data-testid="export-csv">${t('exp.csv')}</button>
          <button type="button" class="secondary" data-action="export-json" data-testid="export-json">${t('exp.json')}</button>
        </div>
        ${s.ui.copied ? html`<p class="hint" role="status">${s.ui.copied === 'ok' ? t('exp.copied') : t('exp.copyManual')}</p>` : ''}
        <label class="visually-hidden" for="share-url">${t('exp.link')}</label>
        <input type="text" id="share-url" class="share-url" readonly value="${s.shareUrl ?? ''}" data-testid="share-url">
      </section>`],
      ['perf', html`<p class="perf muted small" data-testid="perf">${r?.ms !== undefined ? t('res.computed', { ms: fmt.num(r.ms, { digits: 1 }) }) : ''}</p>`],
    ];
  }

  totalCard(s, est, stale, m) {
    const resellerTotal = est.reseller?.total ?? '0';
    const segs = [
      { key: 'meta', value: fmt.toFloat(est.meta.total), title: `${t('res.meta')}: ${m(est.meta.total)}` },
      { key: 'reseller', value: fmt.toFloat(resellerTotal), title: `${t('res.reseller')}: ${m(resellerTotal)}` },
    ];
    const total = fmt.toFloat(est.total);
    const share = (v) => (total > 0 ? fmt.percent((fmt.toFloat(v) / total) * 100, 0) : '—');
    const q = est.quote;
    const customCards = (s.dataInfo?.cards ?? []).filter((c) => c.source !== 'embedded');
    const fromUpload = est.cards.some((c) => customCards.some((x) => x.date === c.date && x.currency === c.currency && x.pricingModel === c.pricingModel));
    return html`<section class="card total-card" aria-labelledby="total-title" aria-live="polite">
      ${stale ? html`<p class="stale-note" role="status">${t('res.stale')}</p>` : ''}
      <h2 id="total-title" class="total-caption">${t('res.monthly', { month: fmt.month(est.month) })}</h2>
      <p class="total-big" data-testid="total" data-value="${est.total}" data-currency="${est.currency}">${atLeast(est)}${m(est.total, { digits: 'minor' })}</p>
      ${fmt.hasMoreDigits(est.total, est.currency) ? html`<p class="total-exact">${t('res.exact')} <span class="mono" data-testid="total-exact">${est.total} ${est.currency}</span></p>` : ''}
      ${unpricedNote(est, est.currency)}
      ${q ? html`<p class="total-quote" data-testid="quote-total">${t('res.inQuote')} <strong>${fmt.money(q.total, q.currency, { digits: 'minor' })}</strong>
        <span class="muted small">${t('res.fx', { rate: fmt.num(q.fxRate, { digits: 8 }), from: est.currency, to: q.currency })}</span></p>` : ''}
      <div class="split" data-testid="split">
        ${stackedBar(segs, { label: t('res.splitLabel'), height: 14 })}
        <ul class="split-legend">
          <li><span class="swatch cat-meta" aria-hidden="true"></span>${t('res.meta')} <strong class="num">${m(est.meta.total, { digits: 'minor' })}</strong> <span class="muted">${share(est.meta.total)}</span></li>
          <li><span class="swatch cat-reseller" aria-hidden="true"></span>${t('res.reseller')} <strong class="num">${m(resellerTotal, { digits: 'minor' })}</strong> <span class="muted">${share(resellerTotal)}</span></li>
        </ul>
      </div>
      ${fmt.decSign(est.reseller?.oneTime) ? html`<p class="one-time">${t('res.oneTime')} <strong>${m(est.reseller.oneTime, { digits: 'minor' })}</strong>${
        q && fmt.decSign(q.oneTime) ? html` <span class="muted">(${fmt.money(q.oneTime, q.currency, { digits: 'minor' })})</span>` : ''}</p>` : ''}
      <p class="card-note">${est.cards.map((c) => html`<span class="nowrap">${cardLine(c, fmt.date)} ${confidenceBadge(c.confidence)}</span> `)}
        ${fromUpload ? html`<span class="badge custom-badge" data-testid="from-upload">${t('data.fromUpload')}</span>` : ''}</p>
    </section>`;
  }

  kpis(est, m) {
    const items = [
      ['res.perContact', est.perContact !== null ? m(est.perContact, { digits: 4 }) : '—', 'kpi-contact'],
      ['res.perDelivered', est.perDeliveredMessage !== null ? m(est.perDeliveredMessage, { digits: 4 }) : '—', 'kpi-delivered'],
      ['res.contacts', fmt.num(est.contacts), 'kpi-contacts'],
      ['res.business', fmt.num(est.messages.business), 'kpi-business'],
      ['res.charged', fmt.num(est.messages.charged), 'kpi-charged'],
      ['res.free', fmt.num(est.messages.free), 'kpi-free'],
      ['res.inbound', fmt.num(est.messages.inbound), 'kpi-inbound'],
      ['res.tierSavings', m(est.tierSavings, { digits: 'minor' }), 'kpi-tier'],
    ];
    if (fmt.decSign(est.messages.notDelivered)) items.push(['res.notDelivered', fmt.num(est.messages.notDelivered), 'kpi-nd']);
    return html`<section class="card" aria-labelledby="kpi-title">
      <h3 id="kpi-title">${t('res.keyFigures')}</h3>
      <dl class="kpis">${items.map(([k, v, id]) => html`<div class="kpi" data-testid="${id}"><dt>${t(k)}</dt><dd class="num">${v}</dd></div>`)}</dl>
    </section>`;
  }

  charts(s, est, m) {
    const by = { ...est.meta.byCategory };
    const cats = Object.keys(by).filter((c) => fmt.decSign(by[c]) !== 0).sort(categoryOrder);
    const all = {};
    for (const c of cats) all[c] = by[c];
    if (fmt.decSign(est.reseller?.total)) all.reseller = est.reseller.total;
    const title = (k, v) => `${k === 'reseller' ? t('res.reseller') : categoryLabel(k)}: ${m(v)}`;
    const segs = categorySegments(all, title);
    const markets = Object.keys(est.meta.byMarket ?? {}).sort((a, b) => fmt.toFloat(est.meta.byMarket[b]) - fmt.toFloat(est.meta.byMarket[a]));
    const rows = markets.map((mk) => {
      const byCat = {};
      for (const l of est.meta.lines) if (l.market === mk && fmt.decSign(l.amount)) byCat[l.category] = l.amount;
      return {
        key: mk,
        label: marketLabel(mk),
        amountText: m(est.meta.byMarket[mk], { digits: 'minor' }),
        segments: categorySegments(byCat, (k, v) => `${marketLabel(mk)} · ${categoryLabel(k)}: ${m(v)}`),
      };
    });
    return html`<section class="card" aria-labelledby="chart-cat-title">
      <h3 id="chart-cat-title">${t('res.byCategory')}</h3>
      <div class="chart-cat" data-testid="chart-category">${stackedBar(segs, { label: t('res.byCategory'), height: 28 })}</div>
      ${legend(Object.keys(all).sort(categoryOrder).map((k) => ({
        key: k, label: k === 'reseller' ? t('res.reseller') : categoryLabel(k), valueText: m(all[k], { digits: 'minor' }),
      })))}
      <h3 id="chart-market-title" class="spaced">${t('res.byMarket')}</h3>
      <div data-testid="chart-market">${rows.length ? barRows(rows, { label: t('res.byMarket') }) : html`<p class="muted">${t('res.nothing')}</p>`}</div>
    </section>`;
  }

  table(s, est, m) {
    const lines = est.meta.lines ?? [];
    // Categories with nothing charged (free entry points, the free allowance) are in "Free messages".
    const cats = [...new Set(lines.filter((l) => fmt.decSign(l.amount) !== 0 || fmt.decSign(l.charged) !== 0).map((l) => l.category))].sort(categoryOrder);
    const markets = Object.keys(est.meta.byMarket ?? {}).sort((a, b) => fmt.toFloat(est.meta.byMarket[b]) - fmt.toFloat(est.meta.byMarket[a]));
    const cell = (mk, c) => lines.find((l) => l.market === mk && l.category === c);
    const custom = s.result?.customLines ?? new Set();
    // With a max price, each marketing cell shows its market's ceiling beside the rate-card price,
    // labelled as a ceiling (SPEC §15): what Meta charges at most, never the estimate's charge.
    const mp = this.maxPrice(s, est);
    const ceilingOf = (mk, c) => (mp && c === 'marketing' ? mp.lines.find((x) => x.market === mk) : null);
    return html`<section class="card" aria-labelledby="table-title">
      <h3 id="table-title">${t('res.table')}</h3>
      <div class="table-wrap">
        <table class="matrix" data-testid="matrix">
          <thead><tr><th scope="col">${t('res.market')}</th>${cats.map((c) => html`<th scope="col" class="num"><span class="swatch ${catClass(c)}" aria-hidden="true"></span>${categoryLabel(c)}</th>`)}<th scope="col" class="num">${t('res.total')}</th></tr></thead>
          <tbody>${markets.map((mk) => html`<tr data-key="${mk}"><th scope="row">${marketLabel(mk)}</th>${cats.map((c) => {
            const l = cell(mk, c);
            if (!l) return html`<td class="num muted">—</td>`;
            const up = custom.has(`${mk}|${c}`);
            return html`<td class="num${up ? ' from-upload' : ''}" title="${t('res.cellTitle', { charged: fmt.num(l.charged), free: fmt.num(l.free), rate: l.rate ? m(l.rate, { digits: 8 }) : '—' })}">${m(l.amount, { digits: 4 })}${up ? html`<span class="upload-mark" title="${t('data.fromUpload')}">↑</span>` : ''}
              <span class="cell-sub">${fmt.num(l.charged)} × ${l.rate ? m(l.rate, { digits: 8 }) : '—'}${fmt.decSign(l.free) ? html` · ${t('res.freeN', { n: fmt.num(l.free) })}` : ''}</span>${
              ceilingOf(mk, c) ? html`<span class="cell-sub ceiling" data-testid="ceiling-cell" data-value="${ceilingOf(mk, c).ceiling}">${t('res.ceilingCell', { ceiling: fmt.money(ceilingOf(mk, c).ceiling, mp.currency, { digits: 8 }) })}</span>` : ''}</td>`;
          })}<td class="num strong">${m(est.meta.byMarket[mk], { digits: 4 })}</td></tr>`)}</tbody>
          <tfoot><tr><th scope="row">${t('res.metaTotal')}</th>${cats.map((c) => html`<td class="num">${m(est.meta.byCategory[c] ?? '0', { digits: 4 })}</td>`)}<td class="num strong">${m(est.meta.total, { digits: 4 })}</td></tr></tfoot>
        </table>
      </div>
      ${custom.size ? html`<p class="hint"><span class="upload-mark">↑</span> ${t('data.cellsFromUpload')}</p>` : ''}
      ${this.maxPriceCap(s, est)}
    </section>`;
  }

  /** The quote's max price, when the quote options have one and the quote was made from `est`. */
  maxPrice(s, est) {
    const mp = s.quote?.quote?.maxPrice;
    const qe = s.quote?.quote?.estimate;
    if (!s.quoteMeta?.maxPrice || !mp || !mp.lines.length || qe?.total !== est.total || qe?.meta?.total !== est.meta.total) return null;
    return mp;
  }

  /**
   * With a marketing max price in the quote options, the marketing cells are at the rate card and
   * Meta charges at most the ceiling: said under the table, with the quote's figures (only when
   * the quote was made from this estimate).
   */
  maxPriceCap(s, est) {
    const mp = this.maxPrice(s, est);
    if (!mp) return '';
    const mm = (v, digits = 'minor') => fmt.money(v, mp.currency, { digits });
    return html`<p class="hint max-price-cap" data-testid="max-price-cap" data-value="${mp.ceilingTotal}">${t('res.maxPriceCap', {
      bid: mm(mp.perThousand), rate: mm(mp.rateTotal), ceiling: mm(mp.ceilingTotal) })}</p>`;
  }

  freeAndTiers(est, m) {
    const f = est.free ?? {};
    return html`<section class="card" aria-labelledby="free-title">
      <h3 id="free-title">${t('res.freeTitle')}</h3>
      <dl class="pairs" data-testid="free">
        ${FREE_REASONS.filter((k) => f[k] !== undefined).map((k) => html`<div class="${fmt.decSign(f[k]) ? '' : 'zero'}"><dt>${t(`free.${k}`)}</dt><dd class="num">${fmt.num(f[k])}</dd></div>`)}
        <div class="sum"><dt>${t('free.total')}</dt><dd class="num">${fmt.num(f.total)}</dd></div>
        <div class="sum"><dt>${t('res.tierSavings')}</dt><dd class="num">${m(est.tierSavings, { digits: 4 })}</dd></div>
        ${fmt.decSign(est.notDelivered) ? html`<div><dt>${t('res.notDelivered')}</dt><dd class="num">${fmt.num(est.notDelivered)}</dd></div>` : ''}
      </dl>
    </section>`;
  }

  journeys(est, m) {
    return html`<section class="card" aria-labelledby="jt-title">
      <h3 id="jt-title">${t('res.journeys')}</h3>
      <div class="table-wrap"><table class="plain">
        <thead><tr><th scope="col">${t('res.journey')}</th><th scope="col" class="num">${t('res.contacts')}</th><th scope="col" class="num">${t('res.messages')}</th><th scope="col" class="num">${t('res.metaAmount')}</th></tr></thead>
        <tbody>${(est.journeys ?? []).map((j) => html`<tr><th scope="row">${journeyName(j.name)}</th><td class="num">${fmt.num(j.contacts)}</td><td class="num">${fmt.num(j.messages)}</td><td class="num">${m(j.amount, { digits: 4 })}</td></tr>`)}</tbody>
      </table></div>
    </section>`;
  }

  resellerLines(s, est, m) {
    const lines = est.reseller?.lines ?? [];
    if (!lines.length) return '';
    return html`<section class="card" aria-labelledby="rl-title">
      <h3 id="rl-title">${t('res.resellerFees')}</h3>
      <div class="table-wrap"><table class="plain" data-testid="reseller-lines">
        <thead><tr><th scope="col">${t('res.item')}</th><th scope="col" class="num">${t('res.quantity')}</th><th scope="col" class="num">${t('res.unitPrice')}</th><th scope="col" class="num">${t('res.amount')}</th></tr></thead>
        <tbody>${lines.map((l) => html`<tr><th scope="row">${resellerLabel(l, s.scenario)}${l.oneTime ? html` <span class="badge">${t('res.oneTimeBadge')}</span>` : ''}</th>
          <td class="num">${fmt.num(l.quantity, { digits: 4 })}</td><td class="num">${m(l.unitPrice, { digits: 8 })}</td><td class="num">${m(l.amount, { digits: 4 })}</td></tr>`)}</tbody>
        <tfoot><tr><th scope="row" colspan="3">${t('res.resellerMonthly')}</th><td class="num strong">${m(est.reseller.total, { digits: 4 })}</td></tr></tfoot>
      </table></div>
    </section>`;
  }

  limits(est) {
    const l = est.limits;
    if (!l) return '';
    const tierText = (v) => (v === null || v === undefined ? t('biz.unlimited') : v === 'unlimited' ? t('biz.unlimited') : fmt.num(v));
    return html`<section class="card" aria-labelledby="lim-title">
      <h3 id="lim-title">${t('res.limits')}</h3>
      <p class="${l.ok ? 'ok-line' : 'warn-line'}">${l.ok
        ? t('res.limitOk', { peak: fmt.num(l.peakDailyRecipients), tier: tierText(l.tier) })
        : t('res.limitBad', { peak: fmt.num(l.peakDailyRecipients), tier: tierText(l.tier), needed: tierText(l.neededTier), days: fmt.num(l.rampDays) })}</p>
    </section>`;
  }

  warnings(est) {
    const ws = est.warnings ?? [];
    if (!ws.length) return '';
    return html`<section class="card" aria-labelledby="warn-title">
      <h3 id="warn-title">${t('res.warnings')}</h3>
      <ul class="warnings" data-testid="warnings">${ws.map((w) => html`<li data-code="${w.code}"><strong>${warningTitle(w.code) ?? w.code}</strong>
        <span class="message-text">${messageText(w)}</span></li>`)}</ul>
    </section>`;
  }
}

/** A reseller line in the current language, from its code and the scenario's figures. */
export function resellerLabel(line, scenario) {
  const code = line.code ?? '';
  const r = scenario?.reseller ?? {};
  if (code.startsWith('markup_')) {
    const cat = code.slice('markup_'.length);
    const pct = r.markupPercent?.[cat];
    return t('rl.markup', { pct: fmt.num(pct ?? '', { digits: 4 }), cat: cat === 'all' ? t('rl.allCharges') : categoryLabel(cat) });
  }
  if (code === 'package') {
    return t('rl.package', { n: fmt.num(r.package?.included ?? ''), kind: t(`rs.pkg.${r.package?.kind}`) });
  }
  if (code === 'package_overage') return t('rl.package_overage', { kind: t(`rs.pkg.${r.package?.kind}`) });
  if (code === 'prepaid_handling') return t('rl.prepaid_handling', { pct: fmt.num(r.prepaid?.handlingPercent ?? '', { digits: 4 }) });
  const key = `rl.${code}`;
  const known = ['per_outbound', 'per_inbound', 'per_failed', 'per_number', 'platform', 'sub_accounts', 'prepaid_points', 'setup'];
  return known.includes(code) ? t(key) : line.label;
}

customElements.define('wa-results', WaResults);
