// <wa-quote>: a quote from the engine (engine.quote): seller, customer, date, validity, line items,
// assumptions and card provenance, laid out as a document that prints to a clean A4/Letter page;
// a share link that restores the exact scenario and quote details; CSV and JSON exports.
import { html } from '../../shared/html.js';
import { store, runtime } from '../state.js';
import { t, has } from '../../shared/i18n/index.js';
import * as fmt from '../../shared/format.js';
import { field, errorContext, errorBox, categoryInline, confidenceBadge, cardLine, mixEntryLabel, atLeast, unpricedNote } from '../../shared/ui.js';
import { journeyTitle } from './wa-estimator.js';
import { resellerLabel } from './wa-results.js';
import { exportQuoteCsv, exportQuoteJson, copyShareLink } from '../exporters.js';
import { View } from './view.js';
import { setOption, optionsAction, optionsForm, lineLabel, taxRows, headline, extraSections } from './quote-options.js';

/** The markets of an estimate with marketing messages (a max-price multiplier lowers their bid). */
function marketingMarkets(est) {
  return [...new Set((est?.meta?.lines ?? []).filter((l) => l.category === 'marketing').map((l) => l.market))];
}

class WaQuote extends View {
  static viewName = 'quote';
  static renderHidden = true; // printing from any view prints the quote

  setup() {
    this.addEventListener('input', (e) => {
      const el = e.target;
      if (el.dataset.root !== 'quote' || !el.dataset.path) return;
      const key = el.dataset.path.replace(/^meta\./, '');
      store.set((s) => {
        const v = el.value;
        if (key === 'validDays') s.quoteMeta.validDays = /^\d+$/.test(v.trim()) ? Number(v) : v === '' ? undefined : v;
        else if (['seller', 'customer', 'reference', 'issued'].includes(key)) s.quoteMeta[key] = v;
        else setOption(s.quoteMeta, el.dataset.path, el);
      });
    });
    this.addEventListener('click', async (e) => {
      const el = e.target.closest('[data-action]');
      if (!el) return;
      const q = store.state.quote?.quote;
      if (['tax-preset', 'tax-remove', 'multiplier-add', 'multiplier-remove'].includes(el.dataset.action)) {
        const picked = this.querySelector('[data-testid="multiplier-market"]')?.value;
        store.set((s) => { optionsAction(el, s.quoteMeta, picked); });
        return;
      }
      if (el.dataset.action === 'print') window.print();
      else if (el.dataset.action === 'quote-csv' && q) exportQuoteCsv(q, this.shownLines(store.state, q));
      else if (el.dataset.action === 'quote-json' && q) exportQuoteJson(q);
      else if (el.dataset.action === 'quote-link') {
        const ok = await copyShareLink(store.state.quoteUrl ?? location.href);
        store.set((s) => { s.ui.quoteCopied = ok ? 'ok' : 'manual'; });
        setTimeout(() => store.set((s) => { s.ui.quoteCopied = false; }), 2500);
      } else if (el.dataset.action === 'go-estimate') {
        store.set((s) => { s.view = 'estimate'; });
      }
    });
  }

  beforeRender() {
    runtime.deriveQuote?.();
  }

  view(s) {
    const meta = s.quoteMeta;
    const qr = s.quote;
    const ctx = errorContext(qr?.error);
    const errPath = (p) => (qr?.error?.path === p ? qr.error : null);
    return html`<div class="quote-view">
      <section class="card no-print" aria-labelledby="q-title">
        <h2 id="q-title">${t('q.title')}</h2>
        <p class="muted">${t('q.intro')}</p>
        <div class="grid">
          ${field(ctx, { path: 'meta.seller', root: 'quote', label: t('q.seller'), value: meta.seller, placeholder: t('q.sellerPh') })}
          ${field(ctx, { path: 'meta.customer', root: 'quote', label: t('q.customer'), value: meta.customer, placeholder: t('q.customerPh') })}
          ${field(ctx, { path: 'meta.reference', root: 'quote', label: t('q.reference'), value: meta.reference })}
          ${field(ctx, { path: 'meta.issued', root: 'quote', label: t('q.issued'), value: meta.issued, type: 'date' })}
          ${field(ctx, { path: 'meta.validDays', root: 'quote', label: t('q.validDays'), value: meta.validDays, type: 'number', inputmode: 'numeric', suffix: t('unit.days') })}
          ${field(ctx, { path: 'meta.paper', root: 'quote', label: t('q.paper'), value: meta.paper === 'letter' ? 'letter' : 'a4', type: 'select', options: [{ value: 'a4', label: t('q.paper.a4') }, { value: 'letter', label: t('q.paper.letter') }] })}
        </div>
        <div class="actions">
          <button type="button" data-action="print" data-testid="print">${t('q.print')}</button>
          <button type="button" class="secondary" data-action="quote-link" data-testid="quote-link">${t('q.link')}</button>
          <button type="button" class="secondary" data-action="quote-csv">${t('exp.csv')}</button>
          <button type="button" class="secondary" data-action="quote-json">${t('exp.json')}</button>
          <button type="button" class="link" data-action="go-estimate">${t('q.edit')}</button>
        </div>
        ${s.ui.quoteCopied ? html`<p class="hint" role="status">${s.ui.quoteCopied === 'ok' ? t('exp.copied') : t('exp.copyManual')}</p>` : ''}
        <label class="visually-hidden" for="quote-url">${t('q.link')}</label>
        <input type="text" id="quote-url" class="share-url" readonly value="${s.quoteUrl ?? ''}" data-testid="quote-url">
        ${qr?.error && !ctx.claimed ? errorBox(qr.error, t('q.cannot')) : ''}
        ${errPath('') ? '' : ''}
      </section>
      ${optionsForm(ctx, meta, marketingMarkets(s.result?.estimate))}
      ${qr?.quote ? this.doc(s, qr.quote) : ''}
    </div>`;
  }

  /** The quote's lines with their labels in the chosen language (the page and the CSV show these). */
  shownLines(s, q) {
    const est = q.estimate;
    const monthly = (est.reseller?.lines ?? []).filter((l) => !l.oneTime);
    // With the markup folded into Meta's lines, the quote has no markup line: skip them here too.
    const folded = q.lines.filter((l) => l.kind === 'reseller').length < monthly.length;
    const resellerLines = folded ? monthly.filter((l) => !String(l.code).startsWith('markup_')) : monthly;
    const oneTimeSrc = (est.reseller?.lines ?? []).filter((l) => l.oneTime);
    let r = 0;
    const label = (line) => {
      const own = lineLabel(line);
      if (own) return own;
      if (line.kind === 'meta') {
        const mm = /^WhatsApp (.+) charges by Meta \((\d+) markets?\)$/.exec(line.label);
        if (mm) return t('q.metaLine', { cat: categoryInline(mm[1].replaceAll('-', '_')), n: mm[2] });
        return line.label;
      }
      const src = resellerLines[r++];
      return src ? resellerLabel(src, s.scenario) : line.label;
    };
    const lines = q.lines.map((l) => ({ ...l, shown: label(l) }));
    const oneTime = (q.oneTimeLines ?? []).map((l, i) => ({ ...l, shown: oneTimeSrc[i] ? resellerLabel(oneTimeSrc[i], s.scenario) : l.label }));
    const taxes = (q.taxLines ?? []).map((l) => ({ ...l, shown: lineLabel(l) }));
    return { lines, oneTime, taxes };
  }

  doc(s, q) {
    const cur = q.currency;
    const m = (v, o) => fmt.money(v, cur, o);
    const est = q.estimate;
    const { lines, oneTime } = this.shownLines(s, q);
    const row = (l) => html`<tr><td>${l.shown}<span class="qd-line-sub">${fmt.num(l.quantity, { digits: 4 })} × ${m(l.unitPrice, { digits: 6 })}</span></td><td class="num qd-qty">${fmt.num(l.quantity, { digits: 4 })}</td><td class="num qd-unit">${m(l.unitPrice, { digits: 6 })}</td><td class="num">${m(l.amount, { digits: 'minor' })}</td></tr>`;
    const draft = q.status === 'draft';
    return html`<article class="quote-doc${draft ? ' qd-is-draft' : ''}" data-testid="quote-doc" data-status="${q.status ?? ''}" aria-labelledby="qd-title">
      <header class="qd-head">
        <div>
          <p class="qd-brand">${q.seller || t('q.sellerUnnamed')}</p>
          <h2 id="qd-title" class="qd-title">${t('q.docTitle')}</h2>
          <p class="qd-sub">${t('q.docSub', { month: fmt.month(est.month) })}</p>
        </div>
        <dl class="qd-meta">
          <div><dt>${t('q.number')}</dt><dd class="mono" data-testid="quote-id">${q.id}</dd></div>
          ${q.reference ? html`<div><dt>${t('q.reference')}</dt><dd>${q.reference}</dd></div>` : ''}
          <div><dt>${t('q.issued')}</dt><dd>${fmt.date(q.issued, 'long')}</dd></div>
          <div><dt>${t('q.validUntil')}</dt><dd>${fmt.date(q.validUntil, 'long')}</dd></div>
        </dl>
      </header>
      ${draft ? html`<div class="qd-draft-note" role="note" data-testid="draft-note"><p><strong>${t('q.draftUnpriced')}</strong></p>${unpricedNote(q, est.currency)}</div>` : ''}
      <div class="qd-parties">
        <div><p class="qd-label">${t('q.from')}</p><p class="qd-party" data-testid="quote-seller">${q.seller || '—'}</p></div>
        <div><p class="qd-label">${t('q.to')}</p><p class="qd-party" data-testid="quote-customer">${q.customer || '—'}</p></div>
      </div>
      <div class="qd-table"><table class="qd-lines">
        <thead><tr><th scope="col">${t('res.item')}</th><th scope="col" class="num qd-qty">${t('res.quantity')}</th><th scope="col" class="num qd-unit">${t('res.unitPrice')}</th><th scope="col" class="num">${t('res.amount')} (${cur})</th></tr></thead>
        <tbody>${lines.map(row)}</tbody>
        <tfoot>${taxRows(q, m)}<tr class="qd-total"><th scope="row">${q.subtotal ? t('q.totalWithTax') : t('q.monthlyTotal')}</th><td class="qd-qty"></td><td class="qd-unit"></td><td class="num" data-testid="quote-total-doc" data-value="${q.total}">${atLeast(q)}${m(q.total, { digits: 'minor' })}</td></tr></tfoot>
      </table></div>
      ${oneTime.length ? html`<div class="qd-table"><table class="qd-lines qd-once">
        <thead><tr><th scope="col">${t('q.oneTime')}</th><th scope="col" class="num qd-qty">${t('res.quantity')}</th><th scope="col" class="num qd-unit">${t('res.unitPrice')}</th><th scope="col" class="num">${t('res.amount')} (${cur})</th></tr></thead>
        <tbody>${oneTime.map(row)}</tbody>
        <tfoot><tr class="qd-total"><th scope="row">${t('q.oneTimeTotal')}</th><td class="qd-qty"></td><td class="qd-unit"></td><td class="num">${m(q.oneTimeTotal, { digits: 'minor' })}</td></tr></tfoot>
      </table></div>` : ''}
      ${headline(q)}
      ${extraSections(q)}
      <section class="qd-section">
        <h3>${t('q.assumptions')}</h3>
        <ul class="qd-assumptions">${assumptions(q, s.scenario).map((a) => html`<li>${a}</li>`)}</ul>
      </section>
      <section class="qd-section">
        <h3>${t('q.provenance')}</h3>
        <ul class="qd-cards">${(est.cards ?? []).map((c) => html`<li>${cardLine(c, fmt.date)} · ${confidenceBadge(c.confidence)}</li>`)}</ul>
        ${has('q.footer') ? html`<p class="qd-foot">${q.subtotal ? t('q.footerTaxed') : t('q.footer')}</p>` : ''}
      </section>
    </article>
    ${draft ? html`<p class="qd-draft-mark" data-testid="draft-mark" aria-hidden="true">${t('q.draft')}</p>` : ''}`;
  }
}

/**
 * The quote's assumptions in the chosen language, written from the quote's own figures (the
 * engine's English sentences are `q.assumptions`); no internal identifier appears in them.
 */
export function assumptions(q, scenario) {
  const est = q.estimate;
  const out = [];
  const cards = (est.cards ?? []).map((c) => t('q.a.card', { card: cardLine(c, fmt.date), confidence: has(`conf.${c.confidence}`) ? t(`conf.${c.confidence}`) : c.confidence }));
  out.push(t('q.a.rules', { date: fmt.date(est.date, 'long'), month: fmt.month(est.month), timezone: est.timezone, cards: cards.length ? cards.join(t('q.a.sep')) : t('q.a.noCards') }));
  const mix = (scenario?.audience?.mix ?? []).map((m) => {
    const who = mixEntryLabel(m);
    if (m.share !== undefined && m.share !== null) return t('q.a.mixShare', { share: fmt.num(m.share), who });
    if (m.count !== undefined && m.count !== null) return t('q.a.mixCount', { count: fmt.num(m.count), who });
    return who;
  });
  out.push(t('q.a.audience', { contacts: fmt.num(est.contacts), mix: mix.join(t('q.a.sep')) }));
  (est.journeys ?? []).forEach((line, i) => {
    const j = scenario?.journeys?.[i];
    out.push(t('q.a.journey', { name: journeyTitle(j, i), contacts: fmt.num(line.contacts), times: fmt.num(j?.timesPerMonth ?? 1), messages: fmt.num(line.messages) }));
  });
  out.push(t('q.a.method'));
  if (est.free?.allowance && est.free.allowance !== '0') out.push(t('q.a.allowance', { n: fmt.num(est.free.allowance) }));
  if (est.tierSavings && est.tierSavings !== '0') out.push(t('q.a.tiers', { amount: fmt.money(est.tierSavings, est.currency) }));
  if (q.currency !== est.currency && est.quote) out.push(t('q.a.fx', { billed: est.currency, quoted: est.quote.currency, rate: fmt.num(est.quote.fxRate, { digits: 8 }) }));
  out.push(t('q.a.rounding', { currency: q.currency }));
  out.push(q.subtotal ? t('q.a.invoicesTaxed') : t('q.a.invoices'));
  return out;
}

customElements.define('wa-quote', WaQuote);
