// The quote's options and the parts of the quote document they add (issue 21): Meta's lines by
// category or by market, the markup as a line or folded, taxes (presets India GST 18 % and EU VAT
// with the customer's tax id), terms, the prepaid wallet, the FX source and the marketing max price
// with its per-market multipliers.
// The engine computes everything; this module lays out its figures and notes in the page's language.
import { html } from '../../shared/html.js';
import { t, has } from '../../shared/i18n/index.js';
import * as fmt from '../../shared/format.js';
import { field, coerce, categoryInline, marketLabel, warningTitle, engineSentence, messageText } from '../../shared/ui.js';

/** Meta's max price is offered only to accounts billed in these currencies (SPEC §15). */
export const MAX_PRICE_CURRENCIES = ['USD', 'EUR', 'GBP', 'AUD', 'MXN', 'BRL'];

/**
 * Tax presets: India GST 18 % on all lines; EU VAT on all lines, its rate typed by the seller (there
 * is no single EU rate: the seller's member state's; the field's hint gives examples).
 */
export const TAX_PRESETS = {
  gst: () => ({ name: 'GST', percent: 18, on: 'all' }),
  vat: () => ({ name: 'VAT', percent: '', on: 'all' }),
};

/** Sets `meta.a.b` of the quote's inputs from an input element; empty removes the key (and an emptied object). */
export function setOption(meta, path, el) {
  const keys = path.replace(/^meta\./, '').replace(/\[(\d+)\]/g, '.$1').split('.');
  const value = coerce(el);
  const parents = [meta];
  let o = meta;
  for (const k of keys.slice(0, -1)) {
    if (o[k] === undefined || o[k] === null || typeof o[k] !== 'object') o[k] = /^\d+$/.test(k) ? [] : {};
    o = o[k];
    parents.push(o);
  }
  const last = keys[keys.length - 1];
  // An emptied multiplier keeps its row (the engine names it until it is filled or removed).
  if (value === undefined && keys[1] === 'multipliers') o[last] = '';
  else if (value === undefined) delete o[last];
  else o[last] = value;
  // An object left empty (wallet, maxPrice) is no option at all.
  for (let i = keys.length - 2; i >= 0; i--) {
    const parent = parents[i];
    const child = parent[keys[i]];
    if (child && !Array.isArray(child) && typeof child === 'object' && Object.keys(child).length === 0) delete parent[keys[i]];
  }
}

/** The options the engine reads, from the page's quote inputs (empty ones left out). */
export function optionsForEngine(m) {
  const out = {};
  for (const k of ['linesBy', 'markup', 'customerTaxId', 'validUntil', 'paymentTerms', 'fxSource']) {
    if (m[k] !== undefined && m[k] !== null && m[k] !== '') out[k] = m[k];
  }
  if (Array.isArray(m.taxes) && m.taxes.length) {
    // A rate not typed yet is left out: the engine then says the tax has no rate (never 0 %).
    out.taxes = m.taxes.map((x) => ({ name: x.name ?? '', ...(x.percent === '' || x.percent === undefined ? {} : { percent: x.percent }), on: x.on ?? 'all' }));
  }
  if (m.wallet && Object.keys(m.wallet).length) out.wallet = { ...m.wallet };
  if (m.maxPrice && Object.keys(m.maxPrice).length) out.maxPrice = { ...m.maxPrice };
  return out;
}

/** The multipliers of the max price in the page's language: a row per market, and a market to add. */
function multiplierRows(f, m, markets) {
  const set = m.maxPrice?.multipliers ?? {};
  const free = markets.filter((k) => !(k in set));
  const sentence = (value) => (e) => (e.code === 'invalid_option' && !markets.includes(e.path.split('.').pop())
    ? t('err.unknown_market', { value: e.path.split('.').pop() })
    : t('q.opt.multiplierError', { value: value ?? '' }));
  return html`<h4>${t('q.opt.multipliers')}</h4>
    <p class="hint">${t('q.opt.multipliersHint')}</p>
    ${Object.entries(set).map(([market, v]) => html`<div class="grid multiplier-row" data-testid="multiplier-row" data-market="${market}">
      ${f({ path: `meta.maxPrice.multipliers.${market}`, label: t('q.opt.multiplierFor', { market: marketLabel(market) }), type: 'number', value: v, placeholder: '0.5', errorSentence: sentence(v) })}
      <div class="field"><button type="button" class="link" data-action="multiplier-remove" data-market="${market}" data-testid="multiplier-remove">${t('q.opt.multiplierRemove')}</button></div>
    </div>`)}
    ${free.length ? html`<div class="grid multiplier-add">
      <div class="field"><label for="fquote-multiplier-market">${t('q.opt.multiplierMarket')}</label>
        <div class="control"><select id="fquote-multiplier-market" data-testid="multiplier-market">${free.map((k) => html`<option value="${k}">${marketLabel(k)}</option>`)}</select></div></div>
      <div class="field"><button type="button" class="secondary" data-action="multiplier-add" data-testid="multiplier-add">${t('q.opt.multiplierAdd')}</button></div>
    </div>` : markets.length ? '' : html`<p class="hint" data-testid="multipliers-none">${t('q.opt.multipliersNone')}</p>`}`;
}

/**
 * The options card of the quote view (not printed). `markets`: the markets of the estimate with
 * marketing messages, the ones a max-price multiplier can lower.
 */
export function optionsForm(ctx, m, markets = []) {
  const f = (o) => field(ctx, { root: 'quote', ...o });
  const taxes = Array.isArray(m.taxes) ? m.taxes : [];
  const onOptions = ['all', 'meta', 'reseller'].map((v) => ({ value: v, label: t(`q.opt.taxOn.${v}`) }));
  return html`<section class="card no-print quote-options" aria-labelledby="qo-title" data-testid="quote-options">
    <h2 id="qo-title">${t('q.opt.title')}</h2>
    <div class="grid">
      ${f({ path: 'meta.linesBy', label: t('q.opt.linesBy'), type: 'select', value: m.linesBy ?? 'category', options: [
        { value: 'category', label: t('q.opt.linesBy.category') }, { value: 'market', label: t('q.opt.linesBy.market') }] })}
      ${f({ path: 'meta.markup', label: t('q.opt.markup'), type: 'select', value: m.markup ?? 'line', options: [
        { value: 'line', label: t('q.opt.markup.line') }, { value: 'folded', label: t('q.opt.markup.folded') }] })}
      ${f({ path: 'meta.validUntil', label: t('q.validUntil'), type: 'date', value: m.validUntil, hint: t('q.opt.validUntilHint') })}
    </div>
    <h3>${t('q.opt.taxes')}</h3>
    <div class="actions">
      <button type="button" class="secondary" data-action="tax-preset" data-preset="gst" data-testid="tax-gst">${t('q.opt.gst')}</button>
      <button type="button" class="secondary" data-action="tax-preset" data-preset="vat" data-testid="tax-vat">${t('q.opt.vat')}</button>
    </div>
    ${taxes.map((x, i) => html`<div class="grid tax-row" data-testid="tax-row">
      ${f({ path: `meta.taxes[${i}].name`, label: t('q.opt.taxName'), value: x.name })}
      ${f({ path: `meta.taxes[${i}].percent`, label: t('q.opt.taxPercent'), type: 'percent', value: x.percent, suffix: '%',
        ...(/vat/i.test(x.name ?? '') ? { placeholder: t('q.opt.vatRatePh'), hint: t('q.opt.vatRateHint') } : {}),
        errorSentence: () => (x.percent === '' || x.percent === undefined
          ? t('q.opt.taxRateMissing', { name: x.name || t('q.opt.taxName') })
          : t('q.opt.taxRateError', { value: x.percent })) })}
      ${f({ path: `meta.taxes[${i}].on`, label: t('q.opt.taxOn'), type: 'select', value: x.on ?? 'all', options: onOptions })}
      <div class="field"><button type="button" class="link" data-action="tax-remove" data-index="${i}">${t('q.opt.taxRemove')}</button></div>
    </div>`)}
    <div class="grid">
      ${f({ path: 'meta.customerTaxId', label: t('q.opt.customerTaxId'), value: m.customerTaxId, hint: t('q.opt.customerTaxIdHint') })}
    </div>
    <h3>${t('q.opt.payment')}</h3>
    <div class="grid">
      ${f({ path: 'meta.wallet.days', label: t('q.opt.walletDays'), type: 'number', value: m.wallet?.days, suffix: t('unit.days'), inputmode: 'numeric' })}
      ${f({ path: 'meta.wallet.minimumTopUp', label: t('q.opt.minimumTopUp'), type: 'money', value: m.wallet?.minimumTopUp })}
      ${f({ path: 'meta.wallet.cardFeePercent', label: t('q.opt.cardFee'), type: 'percent', value: m.wallet?.cardFeePercent, suffix: '%' })}
      ${f({ path: 'meta.fxSource', label: t('q.opt.fxSource'), value: m.fxSource, placeholder: 'ECB 2026-12-04', hint: t('q.opt.fxSourceHint') })}
      ${f({ path: 'meta.paymentTerms', label: t('q.opt.paymentTerms'), value: m.paymentTerms, wide: true })}
    </div>
    <h3>${t('q.opt.maxPrice')}</h3>
    <p class="hint">${t('q.opt.maxPriceHint')}</p>
    <div class="grid">
      ${f({ path: 'meta.maxPrice.perThousand', label: t('q.opt.perThousand'), type: 'money', value: m.maxPrice?.perThousand })}
      ${f({ path: 'meta.maxPrice.currency', label: t('q.opt.maxPriceCurrency'), type: 'select', value: m.maxPrice?.currency ?? '', options: [
        { value: '', label: '—' }, ...MAX_PRICE_CURRENCIES.map((c) => ({ value: c, label: c }))] })}
    </div>
    ${multiplierRows(f, m, markets)}
  </section>`;
}

/**
 * Handles the options card's buttons; true when the click was one of them. `picked`: the market
 * chosen to add a multiplier for (it starts at 1, the bid unchanged).
 */
export function optionsAction(el, meta, picked) {
  const a = el.dataset.action;
  if (a === 'multiplier-add') {
    if (!picked) return true;
    meta.maxPrice = { ...(meta.maxPrice ?? {}) };
    meta.maxPrice.multipliers = { ...(meta.maxPrice.multipliers ?? {}), [picked]: meta.maxPrice.multipliers?.[picked] ?? 1 };
    return true;
  }
  if (a === 'multiplier-remove') {
    const mults = { ...(meta.maxPrice?.multipliers ?? {}) };
    delete mults[el.dataset.market];
    if (Object.keys(mults).length) meta.maxPrice.multipliers = mults;
    else if (meta.maxPrice) {
      delete meta.maxPrice.multipliers;
      if (!Object.keys(meta.maxPrice).length) delete meta.maxPrice;
    }
    return true;
  }
  if (a === 'tax-preset') {
    meta.taxes = [...(Array.isArray(meta.taxes) ? meta.taxes : []), TAX_PRESETS[el.dataset.preset]()];
    return true;
  }
  if (a === 'tax-remove') {
    meta.taxes = (meta.taxes ?? []).filter((_, i) => i !== Number(el.dataset.index));
    if (!meta.taxes.length) delete meta.taxes;
    return true;
  }
  return false;
}

/** A line's label in the page's language, from its kind, category and market (never parsed). */
export function lineLabel(l) {
  if (l.kind === 'meta' && l.category) {
    const cat = categoryInline(l.category);
    if (l.market) return t('q.metaLineMarket', { cat, market: marketLabel(l.market) });
    return t('q.metaLine', { cat, n: (l.markets ?? []).length });
  }
  if (l.kind === 'tax') {
    const m = /^(.+?) ([\d.]+)% on /.exec(l.label);
    const name = m ? m[1] : l.label;
    const on = (() => {
      if (/on Meta's charges/.test(l.label)) return t('q.opt.taxOn.meta');
      if (/on the reseller's charges/.test(l.label)) return t('q.opt.taxOn.reseller');
      return t('q.opt.taxOn.all');
    })();
    const percent = fmt.num(String(Number(l.unitPrice) * 100), { digits: 4 });
    const id = /\(tax id (.+)\)$/.exec(l.label);
    return id ? t('q.taxReverse', { name, percent, on, id: id[1] }) : t('q.taxLine', { name, percent, on });
  }
  return null;
}

/** A note of the engine ({ code, params, message }) in the page's language. */
export function noteText(n) {
  const key = `note.${n.code}`;
  const p = { ...n.params };
  for (const k of ['date', 'next']) if (p[k]) p[k] = fmt.date(p[k], 'long');
  if (p.model) p.model = t(p.model === 'per-message' ? 'model.PMP' : 'model.CBP');
  for (const k of ['monthlyTotal', 'exact', 'rounded', 'minimum', 'perThousand']) if (p[k] !== undefined && p.currency) p[k] = fmt.money(p[k], p.currency, { digits: k === 'exact' ? 6 : 'minor' });
  if (has(key)) return html`${t(key, p)}`;
  // A data notice forwarded by the quote (card_not_verified, …): the engine catalogue's sentence.
  if (has(`msg.${n.code}`)) return html`${messageText(n)}`;
  const title = warningTitle(n.code);
  return title ? html`<strong>${title}</strong> ${engineSentence(n.message) || ''}` : html`<span lang="en">${n.message}</span>`;
}

/** The rows of the lines table after the monthly lines when taxes are given: subtotal, taxes. */
export function taxRows(q, m) {
  if (!q.subtotal) return '';
  return html`<tr class="qd-subtotal"><th scope="row">${t('q.subtotal')}</th><td class="qd-qty"></td><td class="qd-unit"></td><td class="num" data-testid="quote-subtotal">${m(q.subtotal, { digits: 'minor' })}</td></tr>
    ${(q.taxLines ?? []).map((l) => html`<tr class="qd-tax" data-testid="tax-line"><td>${lineLabel(l)}</td><td class="num qd-qty">${m(l.quantity, { digits: 'minor' })}</td><td class="num qd-unit">${fmt.num(String(Number(l.unitPrice) * 100), { digits: 4 })}%</td><td class="num">${m(l.amount, { digits: 'minor' })}</td></tr>`)}`;
}

/** The headline: the monthly total in the quote currency, with the FX rate and its source. */
export function headline(q) {
  return html`<div class="qd-headline" data-testid="quote-headline">
    <p class="qd-label">${q.subtotal ? t('q.totalWithTax') : t('q.monthlyTotal')}</p>
    <p class="qd-big" data-testid="quote-headline-total" data-currency="${q.currency}" data-value="${q.total}">${fmt.money(q.total, q.currency, { digits: 'minor' })}</p>
    ${q.fx ? html`<p class="qd-note" data-testid="quote-fx">${q.fx.source
      ? t('q.fxWithSource', { from: q.fx.from, to: q.fx.to, rate: fmt.num(q.fx.rate, { digits: 8 }), source: q.fx.source })
      : t('q.fxNoSource', { from: q.fx.from, to: q.fx.to, rate: fmt.num(q.fx.rate, { digits: 8 }) })}</p>` : ''}
  </div>`;
}

/** Terms, wallet and max price sections of the quote document. */
export function extraSections(q) {
  const cur = q.currency;
  const w = q.wallet;
  const mp = q.maxPrice;
  const mm = (v) => fmt.money(v, mp?.currency, { digits: 'minor' });
  return html`
    ${w ? html`<section class="qd-section" data-testid="quote-wallet">
      <h3>${t('q.wallet')}</h3>
      <dl class="qd-meta qd-wallet">
        <div><dt>${t('q.walletTopUp', { days: fmt.num(w.days, { digits: 0 }) })}</dt><dd data-testid="wallet-top-up" data-value="${w.topUp}">${fmt.money(w.topUp, cur, { digits: 'minor' })}</dd></div>
        ${w.fee ? html`<div data-testid="wallet-fee"><dt>${t('q.walletFee', { percent: fmt.num(String(Number(w.fee.unitPrice) * 100), { digits: 4 }) })}</dt><dd>${fmt.money(w.fee.amount, cur, { digits: 'minor' })}</dd></div>` : ''}
        <div><dt>${t('q.walletPayable')}</dt><dd data-testid="wallet-payable" data-value="${w.payable}">${fmt.money(w.payable, cur, { digits: 'minor' })}</dd></div>
      </dl>
      <ul class="qd-assumptions">${w.notes.map((n) => html`<li>${noteText(n)}</li>`)}</ul>
    </section>` : ''}
    ${mp ? html`<section class="qd-section" data-testid="quote-max-price">
      <h3>${t('q.maxPrice')}</h3>
      <p class="qd-note">${noteText(mp.note)}</p>
      ${mp.lines.length ? html`<div class="qd-table"><table class="qd-lines">
        <thead><tr><th scope="col">${t('q.maxPriceMarket')}</th><th scope="col" class="num">${t('q.maxPriceRate')}</th><th scope="col" class="num">${t('q.maxPriceCeiling')}</th><th scope="col" class="num">${t('q.maxPriceRateAmount')}</th><th scope="col" class="num">${t('q.maxPriceCeilingAmount')}</th></tr></thead>
        <tbody>${mp.lines.map((l) => html`<tr data-testid="ceiling-line"><td>${marketLabel(l.market)} · ${fmt.num(l.messages, { digits: 0 })}</td><td class="num">${l.rate ? fmt.money(l.rate, mp.currency, { digits: 6 }) : '—'}</td><td class="num">${fmt.money(l.ceiling, mp.currency, { digits: 6 })}${l.aboveRate ? html` <span class="muted">(${t('q.maxPriceAbove')})</span>` : ''}</td><td class="num">${mm(l.rateAmount)}</td><td class="num">${mm(l.ceilingAmount)}</td></tr>`)}</tbody>
        <tfoot><tr><th scope="row">${t('q.maxPriceTotal')}</th><td></td><td></td><td class="num">${mm(mp.rateTotal)}</td><td class="num" data-testid="ceiling-total" data-value="${mp.ceilingTotal}">${mm(mp.ceilingTotal)}</td></tr></tfoot>
      </table></div>` : html`<p class="qd-note">${t('q.maxPriceNone')}</p>`}
    </section>` : ''}
    <section class="qd-section" data-testid="quote-terms">
      <h3>${t('q.terms')}</h3>
      <ul class="qd-assumptions">${(q.terms ?? []).map((n) => html`<li data-code="${n.code}">${noteText(n)}</li>`)}</ul>
    </section>`;
}
