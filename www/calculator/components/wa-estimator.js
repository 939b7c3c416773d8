// <wa-estimator>: the scenario editor (business profile, audience and its country mix, journeys,
// reseller fees, quote currency). Every input writes into state.scenario at its data-path; the
// engine validates and the error it reports is shown at the field whose path it names.
import { html } from '../../shared/html.js';
import { store } from '../state.js';
import { t, getLocale } from '../../shared/i18n/index.js';
import * as fmt from '../../shared/format.js';
import { parsePath, setIn, getIn } from '../store.js';
import { countryName, country, callingCodeLabel, searchCountries, allCountries } from '../../shared/countries.js';
import { QUICK_STARTS, newJourney } from '../quick-starts.js';
import { presetIds, presetParams, paramDefault, messagingLimits, templateCategories, stepKinds, statuses } from '../schema.js';
import {
  field, coerce, errorContext, errorBox, fieldError, presetLabel, categoryLabel, marketLabel, cardLine,
  confidenceBadge, idOf,
} from '../../shared/ui.js';
import { View } from './view.js';
import { marketOf } from '../../shared/markets.js';

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function mixMode(mix) {
  return (mix ?? []).some((m) => m && m.count !== undefined) ? 'count' : 'share';
}

/** Journey label shown for a journey (its name, else the preset's, else "Custom journey n"). */
export function journeyTitle(j, i) {
  if (j?.name) return j.name;
  if (j?.preset) return presetLabel(j.preset);
  return t('journey.customN', { n: i + 1 });
}

/** The messaging-limit advice of the estimate, next to its field: the busiest day against the tier. */
function limitAdvice(est) {
  const l = est?.limits;
  if (!l) return '';
  const tier = (v) => (v === null || v === undefined ? t('biz.unlimited') : fmt.num(v));
  const peak = fmt.num(Math.ceil(Number(l.peakDailyRecipients)));
  return html`<p class="hint limit-advice${l.ok ? '' : ' warn'}" data-testid="limit-advice" aria-live="polite">${l.ok
    ? t('limit.ok', { peak, tier: tier(l.tier) })
    : t('limit.advice', { peak, tier: tier(l.tier), needed: tier(l.neededTier), days: fmt.num(l.rampDays) })}</p>`;
}

class WaEstimator extends View {
  static viewName = 'estimate';

  setup() {
    this.setAttribute('role', 'form');
    this.setAttribute('aria-labelledby', 'estimator-title');
    this.dataset.testid = 'estimator';
    this.addEventListener('input', (e) => this.onInput(e));
    this.addEventListener('change', (e) => this.onInput(e));
    this.addEventListener('click', (e) => this.onClick(e));
    this.addEventListener('keydown', (e) => this.onKey(e));
    this.addEventListener('focusout', (e) => {
      // Closed a moment later, so that a click on an option lands first; not if the search box
      // has the focus again by then (typing there right after a click elsewhere keeps it open).
      if (e.target.id !== 'mix-search') return;
      setTimeout(() => {
        if (document.activeElement?.id !== 'mix-search') store.set((s) => { s.ui.searchOpen = false; });
      }, 150);
    });
  }

  onInput(e) {
    const el = e.target;
    if (el.id === 'mix-search') {
      if (e.type !== 'input') return;
      store.set((s) => {
        s.ui.search = el.value;
        s.ui.searchActive = 0;
        s.ui.searchOpen = true;
      });
      return;
    }
    if (el.dataset.ui === 'journeyAdd') {
      store.set((s) => { s.ui.journeyAdd = el.value; });
      return;
    }
    if (el.dataset.action === 'journey-preset') {
      if (e.type !== 'change') return;
      this.changePreset(Number(el.dataset.index), el.value);
      return;
    }
    if (!el.dataset.path) return;
    // Text inputs update on `input`; selects and checkboxes on `change`.
    const isText = el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' && el.type !== 'checkbox' && el.type !== 'radio');
    if (isText ? e.type !== 'input' : e.type !== 'change') return;
    const parts = parsePath(el.dataset.path);
    const value = coerce(el);
    store.markEdit?.(e.timeStamp);
    store.set((s) => {
      // Follow-ups left at their defaults are materialized on the first edit.
      const fu = parts.indexOf('followUps');
      if (fu > 0 && !Array.isArray(getIn(s.scenario, parts.slice(0, fu + 1)))) {
        setIn(s.scenario, parts.slice(0, fu + 1), paramDefault('ad_lead', 'followUps'));
      }
      setIn(s.scenario, parts, value);
      if (parts[0] === 'audience' && parts[1] === 'mix' && parts[3] === 'count') syncContacts(s.scenario);
      // A journey's frequency is given one way: the other field then shows the conversion.
      if (parts[0] === 'journeys' && parts.length === 3 && value !== undefined) {
        const j = s.scenario.journeys?.[parts[1]];
        if (j && parts[2] === 'timesPerMonth') delete j.occurrencesPerMonth;
        if (j && parts[2] === 'occurrencesPerMonth') delete j.timesPerMonth;
      }
    });
  }

  changePreset(index, preset) {
    store.set((s) => {
      const j = s.scenario.journeys[index];
      if (!j) return;
      const keep = { name: j.name, share: j.share, timesPerMonth: j.timesPerMonth, occurrencesPerMonth: j.occurrencesPerMonth };
      const fresh = newJourney(preset);
      for (const k of Object.keys(j)) delete j[k];
      Object.assign(j, fresh, Object.fromEntries(Object.entries(keep).filter(([, v]) => v !== undefined)));
    });
  }

  onKey(e) {
    if (e.target.id !== 'mix-search') return;
    const hits = this.searchHits();
    const s = store.state;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!hits.length) return;
      const d = e.key === 'ArrowDown' ? 1 : -1;
      store.set((st) => {
        st.ui.searchOpen = true;
        st.ui.searchActive = (st.ui.searchActive + d + hits.length) % hits.length;
      });
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const hit = hits[s.ui.searchActive] ?? hits[0];
      if (hit) this.addMix(hit);
    } else if (e.key === 'Escape') {
      store.set((st) => { st.ui.searchOpen = false; });
    }
  }

  searchHits() {
    const s = store.state;
    const markets = (s.dataInfo?.markets?.markets ?? []).map((m) => ({ market: m, label: marketLabel(m) }));
    return searchCountries(s.ui.search, markets);
  }

  addMix(hit) {
    store.set((s) => {
      const mix = (s.scenario.audience ??= { contacts: 0, mix: [] }).mix ??= [];
      const entry = hit.kind === 'market' ? { market: hit.market } : { country: hit.iso };
      if (mixMode(mix) === 'count') entry.count = 0;
      else {
        const used = mix.reduce((acc, m) => acc + (num(m?.share) ?? 0), 0);
        entry.share = Math.max(0, Math.round((100 - used) * 1000) / 1000);
      }
      mix.push(entry);
      s.ui.search = '';
      s.ui.searchOpen = false;
      s.ui.searchActive = 0;
    });
    requestAnimationFrame(() => {
      const inputs = this.querySelectorAll('.mix-row input[data-path]');
      inputs[inputs.length - 1]?.focus();
      inputs[inputs.length - 1]?.select();
    });
  }

  onClick(e) {
    const el = e.target.closest('[data-action]');
    if (!el) return;
    const a = el.dataset.action;
    if (a === 'auth-intl') {
      // Eligible from the pricing date when ticked; the row's date field changes it.
      const market = el.dataset.market;
      store.set((s) => {
        const b = (s.scenario.business ??= {});
        const given = b.authInternational && typeof b.authInternational === 'object' ? b.authInternational : {};
        if (el.checked) given[market] = b.date ?? '2026-10-01';
        else delete given[market];
        if (Object.keys(given).length) b.authInternational = given;
        else delete b.authInternational;
      });
      return;
    }
    const i = Number(el.dataset.index);
    const k = Number(el.dataset.sub);
    if (a === 'quick') {
      const qs = QUICK_STARTS.find((q) => q.id === el.dataset.id);
      if (!qs) return;
      store.set((s) => {
        s.ui.undo = { scenario: structuredClone(s.scenario), loaded: qs.id };
        s.scenario = structuredClone(qs.scenario);
        s.lastGood = null; // a result of another scenario must not stand in for this one
      });
    } else if (a === 'undo') {
      store.set((s) => {
        if (s.ui.undo) s.scenario = s.ui.undo.scenario;
        s.ui.undo = null;
        s.lastGood = null;
      });
    } else if (a === 'dismiss-undo') {
      store.set((s) => { s.ui.undo = null; });
    } else if (a === 'add-mix') {
      const hit = this.searchHits()[Number(el.dataset.hit)];
      if (hit) this.addMix(hit);
    } else if (a === 'remove-mix') {
      store.set((s) => {
        s.scenario.audience.mix.splice(i, 1);
        syncContacts(s.scenario);
      });
    } else if (a === 'mix-mode') {
      store.set((s) => switchMixMode(s.scenario, el.dataset.mode));
    } else if (a === 'fill-mix') {
      store.set((s) => fillRemainder(s.scenario, i));
    } else if (a === 'add-journey') {
      store.set((s) => {
        (s.scenario.journeys ??= []).push(newJourney(s.ui.journeyAdd));
      });
    } else if (a === 'remove-journey') {
      store.set((s) => { s.scenario.journeys.splice(i, 1); });
    } else if (a === 'add-step') {
      store.set((s) => {
        const steps = (s.scenario.journeys[i].steps ??= []);
        const last = steps[steps.length - 1];
        steps.push({ afterHours: (num(last?.afterHours) ?? 0) + 1, kind: 'message' });
      });
    } else if (a === 'remove-step') {
      store.set((s) => { s.scenario.journeys[i].steps.splice(k, 1); });
    } else if (a === 'add-followup') {
      store.set((s) => {
        const params = (s.scenario.journeys[i].params ??= {});
        const list = Array.isArray(params.followUps) ? params.followUps : paramDefault('ad_lead', 'followUps');
        const last = list[list.length - 1];
        list.push({ afterHours: (num(last?.afterHours) ?? 0) + 24, category: 'marketing' });
        params.followUps = list;
      });
    } else if (a === 'remove-followup') {
      store.set((s) => {
        const params = (s.scenario.journeys[i].params ??= {});
        const list = Array.isArray(params.followUps) ? params.followUps : paramDefault('ad_lead', 'followUps');
        list.splice(k, 1);
        params.followUps = list;
      });
    }
  }

  view(s) {
    // The form needs the engine's data (currencies, markets): until it is loaded, a placeholder.
    if (!s.engineReady) return [['loading', html`<section class="card"><p class="muted">${t('app.loading')}</p></section>`]];
    const sc = s.scenario ?? {};
    const ctx = errorContext(s.result?.error);
    const sections = [
      ['quick', this.quickStart(s)],
      ['business', this.business(s, sc, ctx)],
      ['audience', this.audience(s, sc, ctx)],
      ['journeys', this.journeys(s, sc, ctx)],
      ['reseller', this.reseller(s, sc, ctx)],
      ['options', this.options(s, sc, ctx)],
    ];
    const top = ctx.error && !ctx.claimed
      ? html`<div class="form-error">${errorBox(ctx.error, t('form.errorTop'))}</div>`
      : html``;
    return [['title', html`<h2 id="estimator-title" class="visually-hidden">${t('est.title')}</h2>`], ['top', top], ...sections];
  }

  quickStart(s) {
    const undo = s.ui.undo;
    return html`<section class="card quick" aria-labelledby="qs-title">
      <h3 id="qs-title">${t('qs.title')}</h3>
      <div class="quick-grid">${QUICK_STARTS.map((q) => html`<button type="button" class="quick-btn" data-action="quick" data-id="${q.id}" data-testid="quick-${q.id}">
        <span class="quick-name">${t(`qs.${q.id}`)}</span>
        <span class="quick-desc">${t(`qs.${q.id}.desc`)}</span></button>`)}</div>
      ${undo ? html`<p class="undo" role="status">${t('qs.loaded', { name: t(`qs.${undo.loaded}`) })}
        <button type="button" class="link" data-action="undo">${t('qs.undo')}</button>
        <button type="button" class="link" data-action="dismiss-undo" aria-label="${t('common.dismiss')}">×</button></p>` : ''}
    </section>`;
  }

  business(s, sc, ctx) {
    const b = sc.business ?? {};
    const currencies = [...new Set([...(s.dataInfo?.currencies ?? ['USD']), ...(b.currency ? [b.currency] : [])])];
    const est = s.result?.estimate ?? s.lastGood?.estimate;
    const cards = est?.cards ?? [];
    const countryOptions = [{ value: '', label: t('biz.countryNone') }, ...sortedCountries()];
    const countryField = memoField(`country|${getLocale()}|${b.country ?? ''}|${allCountries().length}|${JSON.stringify(ctx.error?.path === 'business.country' ? ctx.error : null)}`,
      () => field(ctx, { path: 'business.country', label: t('biz.country'), value: b.country ?? '', type: 'select', options: countryOptions, hint: t('biz.countryHint') }));
    if (ctx.error?.path === 'business.country') ctx.at('business.country');
    const limitOptions = [{ value: '', label: t('biz.limitDefault') }, ...messagingLimits().map((l) => ({
      value: l, label: l === 'unlimited' ? t('biz.unlimited') : t('biz.limitN', { n: fmt.num(l) }),
    }))];
    const custom = s.dataInfo?.cards?.filter((c) => c.source !== 'embedded') ?? [];
    return html`<section class="card" aria-labelledby="biz-title">
      <h3 id="biz-title">${t('biz.title')}</h3>
      <div class="grid">
        ${field(ctx, { path: 'business.currency', label: t('biz.currency'), value: b.currency ?? 'USD', type: 'select',
          options: currencies.map((c) => ({ value: c, label: currencyLabel(c) })), hint: t('biz.currencyHint') })}
        ${field(ctx, { path: 'business.timezone', label: t('biz.timezone'), value: b.timezone, placeholder: 'UTC', list: 'tz-list', hint: t('biz.timezoneHint') })}
        ${field(ctx, { path: 'business.date', label: t('biz.date'), value: b.date ?? '2026-10-01', type: 'date', hint: t('biz.dateHint') })}
        ${field(ctx, { path: 'business.phoneNumbers', label: t('biz.numbers'), value: b.phoneNumbers, type: 'number', placeholder: '1', inputmode: 'numeric' })}
        ${countryField}
        <div class="field-group">
          ${field(ctx, { path: 'business.messagingLimit', label: t('biz.limit'), value: b.messagingLimit ?? '', type: 'select', as: 'limit', options: limitOptions })}
          ${limitAdvice(est)}
        </div>
      </div>
      ${this.authInternational(s, b, ctx)}
      <div class="provenance" data-testid="card-provenance">
        ${cards.length ? cards.map((c) => html`<p class="prov-line"><span class="prov-label">${t('biz.cardInForce')}</span>
          <strong>${cardLine(c, fmt.date)}</strong> ${confidenceBadge(c.confidence)}
          <span class="prov-sources">${t('biz.sources')}: <span class="mono">${c.sources}</span></span>
          ${custom.some((x) => x.date === c.date && x.currency === c.currency && x.pricingModel === c.pricingModel)
            ? html`<span class="badge custom-badge">${t('data.fromUpload')}</span>` : ''}</p>`)
          : html`<p class="prov-line muted">${t('biz.noCard')}</p>`}
        ${est ? html`<p class="prov-line muted">${t('biz.month', { month: fmt.month(est.month), tz: est.timezone })}</p>` : ''}
      </div>
    </section>`;
  }

  /** Authentication-international eligibility: one row per market with the rate on the card. */
  authInternational(s, b, ctx) {
    const given = b.authInternational && typeof b.authInternational === 'object' ? b.authInternational : {};
    const markets = [...new Set([...(s.authMarkets ?? []), ...Object.keys(given)])];
    const date = b.date ?? '2026-10-01';
    return html`<fieldset class="auth-intl" data-testid="auth-intl">
      <legend>${t('auth.title')}</legend>
      <p class="hint" id="auth-intl-explain">${t('auth.explain')}</p>
      ${!b.country && Object.keys(given).length ? html`<p class="hint warn" data-testid="auth-intl-country">${t('auth.needCountry')}</p>` : ''}
      ${markets.length ? html`<table class="auth-table" aria-describedby="auth-intl-explain">
        <thead><tr><th scope="col">${t('auth.market')}</th><th scope="col">${t('auth.from')}</th></tr></thead>
        <tbody>${markets.map((m) => {
          const on = Object.prototype.hasOwnProperty.call(given, m);
          const path = `business.authInternational.${m}`;
          const err = ctx.at(path);
          const id = idOf(path);
          return html`<tr data-market="${m}">
            <td><label class="check"><input type="checkbox" data-action="auth-intl" data-market="${m}"${on ? html` checked` : ''}>
              <span>${m.length === 2 ? countryName(m) : marketLabel(m)}</span></label></td>
            <td>${on ? html`<input type="date" id="${id}" data-path="${path}" data-type="text" value="${given[m] ?? ''}"
              aria-label="${t('auth.fromFor', { market: m.length === 2 ? countryName(m) : marketLabel(m) })}"${err ? html` aria-invalid="true"` : ''}>
              ${fieldError(err, `${id}-err`)}` : html`<span class="muted">—</span>`}</td></tr>`;
        })}</tbody></table>` : html`<p class="hint muted">${t('auth.none', { date: fmt.date(date) })}</p>`}
    </fieldset>`;
  }

  audience(s, sc, ctx) {
    const a = sc.audience ?? {};
    const mix = Array.isArray(a.mix) ? a.mix : [];
    const mode = mixMode(mix);
    const date = sc.business?.date ?? '2026-10-01';
    const rows = mix.map((m, i) => this.mixRow(s, m, i, mode, date, ctx));
    const total = mix.reduce((acc, m) => acc + (num(mode === 'count' ? m?.count : m?.share) ?? 0), 0);
    const target = mode === 'count' ? num(a.contacts) : 100;
    const ok = target !== null && Math.abs(total - target) < 1e-9;
    const mixErr = ctx.at('audience.mix') ?? ctx.under('audience.mix');
    const hits = s.ui.searchOpen ? this.searchHits() : [];
    const active = Math.min(s.ui.searchActive, Math.max(0, hits.length - 1));
    return html`<section class="card" aria-labelledby="aud-title">
      <h3 id="aud-title">${t('aud.title')}</h3>
      <div class="grid">
        ${field(ctx, { path: 'audience.contacts', label: t('aud.contacts'), value: a.contacts, type: 'number', inputmode: 'numeric',
          hint: mode === 'count' ? t('aud.contactsCountHint') : t('aud.contactsHint') })}
        <div class="field">
          <span class="label" id="mix-mode-label">${t('aud.mode')}</span>
          <div class="segmented" role="group" aria-labelledby="mix-mode-label">
            <button type="button" data-action="mix-mode" data-mode="share" aria-pressed="${mode === 'share'}">${t('aud.shares')}</button>
            <button type="button" data-action="mix-mode" data-mode="count" aria-pressed="${mode === 'count'}">${t('aud.counts')}</button>
          </div>
        </div>
      </div>
      <div class="mix${mixErr ? ' invalid' : ''}">
        <table class="mix-table">
          <caption class="visually-hidden">${t('aud.mixCaption')}</caption>
          <thead><tr><th scope="col">${t('aud.country')}</th><th scope="col">${t('aud.market')}</th>
            <th scope="col" class="num">${mode === 'count' ? t('aud.count') : t('aud.share')}</th><th scope="col"><span class="visually-hidden">${t('common.actions')}</span></th></tr></thead>
          <tbody>${rows}</tbody>
          <tfoot><tr class="${ok ? 'total-ok' : 'total-bad'}" data-testid="mix-total">
            <th scope="row" colspan="2">${t('aud.runningTotal')}</th>
            <td class="num"><output aria-live="polite">${mode === 'count'
              ? t('aud.totalCount', { n: fmt.num(total) })
              : fmt.percent(total, 3)}</output>
              <span class="total-state">${ok ? '✓' : mode === 'count' ? t('aud.mustCount', { n: fmt.num(target ?? 0) }) : t('aud.mustShare')}</span></td>
            <td></td></tr></tfoot>
        </table>
        ${fieldError(mixErr, 'mix-err')}
      </div>
      <div class="combo" data-testid="mix-search">
        <label for="mix-search">${t('aud.add')}</label>
        <input id="mix-search" type="search" role="combobox" aria-autocomplete="list" aria-controls="mix-options"
          aria-expanded="${hits.length ? 'true' : 'false'}"${hits.length ? html` aria-activedescendant="mix-opt-${active}"` : ''}
          value="${s.ui.search}" placeholder="${t('aud.searchPlaceholder')}" autocomplete="off" spellcheck="false">
        <p class="hint">${t('aud.searchHint')}</p>
        <ul id="mix-options" role="listbox" class="options"${hits.length ? '' : html` hidden`} aria-label="${t('aud.add')}">
          ${hits.map((h, i) => html`<li id="mix-opt-${i}" role="option" aria-selected="${i === active}" data-action="add-mix" data-hit="${i}" class="${i === active ? 'active' : ''}">
            ${h.kind === 'market'
              ? html`<span class="opt-name">${h.name}</span><span class="opt-meta">${t('aud.marketEntry')}</span>`
              : html`<span class="opt-name">${h.name}</span><span class="opt-meta">${h.iso} · ${callingCodeLabel(h.country)} · ${marketLabel(marketOf(h.iso, date))}</span>`}
          </li>`)}
        </ul>
        ${s.ui.searchOpen && s.ui.search.trim() && !hits.length ? html`<p class="hint">${t('aud.noMatch')}</p>` : ''}
      </div>
    </section>`;
  }

  mixRow(s, m, i, mode, date, ctx) {
    const base = `audience.mix[${i}]`;
    const c = m?.country ? country(m.country) : null;
    const market = m?.market ?? (m?.country ? marketOf(m.country, date) : null);
    const key = mode === 'count' ? 'count' : 'share';
    const path = `${base}.${key}`;
    const e = ctx.at(path) ?? ctx.at(`${base}.country`) ?? ctx.at(`${base}.market`) ?? ctx.under(base);
    const name = m?.country ? countryName(m.country) : marketLabel(m?.market);
    const inputId = idOf(path);
    return html`<tr class="mix-row${e ? ' invalid' : ''}">
      <th scope="row"><span class="mix-name">${name}</span>
        <span class="mix-meta">${m?.country ? html`${m.country}${c ? html` · ${callingCodeLabel(c)}` : ''}` : t('aud.marketEntry')}</span></th>
      <td class="mix-market">${market ? marketLabel(market) : '—'}</td>
      <td class="num"><div class="control has-suffix mix-input">
        <label class="visually-hidden" for="${inputId}">${t(mode === 'count' ? 'aud.countOf' : 'aud.shareOf', { name })}</label>
        <input id="${inputId}" type="text" inputmode="decimal" data-path="${path}" data-type="number" value="${m?.[key] ?? ''}"
          autocomplete="off"${e ? html` aria-invalid="true" aria-describedby="${inputId}-err"` : ''}>
        <span class="suffix" aria-hidden="true">${mode === 'count' ? '' : '%'}</span></div>
        ${fieldError(e, `${inputId}-err`)}</td>
      <td class="row-actions">
        ${mode === 'share' ? html`<button type="button" class="icon" data-action="fill-mix" data-index="${i}" title="${t('aud.fill')}" aria-label="${t('aud.fillFor', { name })}">⤒</button>` : ''}
        <button type="button" class="icon danger" data-action="remove-mix" data-index="${i}" aria-label="${t('aud.remove', { name })}" title="${t('common.remove')}">×</button></td>
    </tr>`;
  }

  journeys(s, sc, ctx) {
    const list = Array.isArray(sc.journeys) ? sc.journeys : [];
    const err = ctx.at('journeys');
    return html`<section class="card" aria-labelledby="jr-title">
      <h3 id="jr-title">${t('jr.title')}</h3>
      <p class="muted small">${t('jr.intro')}</p>
      ${fieldError(err, 'journeys-err')}
      <div class="journeys">${list.map((j, i) => this.journey(j ?? {}, i, ctx))}</div>
      <div class="add-row">
        <label for="journey-add" class="visually-hidden">${t('jr.addKind')}</label>
        <select id="journey-add" data-ui="journeyAdd">${[...presetIds(), 'custom'].map((p) => html`<option value="${p}"${p === s.ui.journeyAdd ? html` selected` : ''}>${p === 'custom' ? t('preset.custom') : presetLabel(p)}</option>`)}</select>
        <button type="button" class="secondary" data-action="add-journey">${t('jr.add')}</button>
      </div>
    </section>`;
  }

  /**
   * How often, in both forms side by side: times per contact, or occurrences in the month over
   * the journey's contacts ("5,000 chats"). The one typed is sent; the other shows the engine's
   * conversion (whole occurrences, times to 6 decimals) as its placeholder.
   */
  howOften(j, i, ctx) {
    const base = `journeys[${i}]`;
    const line = (store.state.result?.estimate ?? store.state.lastGood?.estimate)?.journeys?.[i];
    const byCount = j.occurrencesPerMonth !== undefined;
    const timesShown = byCount && line ? fmt.num(line.timesPerMonth, { digits: 6 }) : '1';
    const countShown = !byCount && line ? fmt.num(line.occurrences, { digits: 2 }) : '';
    return html`<div class="field-pair" data-testid="how-often-${i}">
      ${field(ctx, { path: `${base}.timesPerMonth`, label: t('jr.times'), value: j.timesPerMonth, type: 'number', placeholder: timesShown, hint: t('jr.timesHint') })}
      ${field(ctx, { path: `${base}.occurrencesPerMonth`, label: t('jr.occurrences'), value: j.occurrencesPerMonth, type: 'number', inputmode: 'numeric', placeholder: countShown, hint: t('jr.occurrencesHint') })}
    </div>`;
  }

  journey(j, i, ctx) {
    const base = `journeys[${i}]`;
    const preset = j.steps ? 'custom' : j.preset ?? 'custom';
    const presetId = idOf(`${base}.preset`);
    const params = presetParams(j.preset);
    const title = journeyTitle(j, i);
    const body = html`
      <div class="grid">
        <div class="field">
          <label for="${presetId}">${t('jr.preset')}</label>
          <div class="control"><select id="${presetId}" data-action="journey-preset" data-index="${i}">${[...presetIds(), 'custom'].map(
            (p) => html`<option value="${p}"${p === preset ? html` selected` : ''}>${p === 'custom' ? t('preset.custom') : presetLabel(p)}</option>`)}</select></div>
        </div>
        ${field(ctx, { path: `${base}.name`, label: t('jr.name'), value: j.name, placeholder: j.preset ? presetLabel(j.preset) : t('journey.customN', { n: i + 1 }) })}
        ${field(ctx, { path: `${base}.share`, label: t('jr.share'), value: j.share, type: 'percent', suffix: '%', placeholder: '100', hint: t('jr.shareHint') })}
        ${this.howOften(j, i, ctx)}
      </div>
      ${j.steps ? this.steps(j, i, ctx) : params.length ? html`<div class="grid params">${params.map((p) => this.param(j, i, p, ctx))}</div>` : ''}
      ${ctx.under(base) ? fieldError(ctx.error, `${idOf(base)}-err`) : ''}`;
    return html`<fieldset class="journey" data-key="j${i}">
      <legend><span class="journey-title">${title}</span></legend>
      <button type="button" class="icon danger journey-remove" data-action="remove-journey" data-index="${i}" aria-label="${t('jr.remove', { name: title })}" title="${t('common.remove')}">×</button>
      <p class="hint journey-desc">${j.preset && !j.steps ? t(`preset.${j.preset}.desc`) : t('preset.custom.desc')}</p>
      ${body}
    </fieldset>`;
  }

  param(j, i, p, ctx) {
    const path = `journeys[${i}].params.${p.key}`;
    const v = j.params?.[p.key];
    const label = t(`param.${p.key}`);
    if (p.type === 'bool') return field(ctx, { path, label, value: v ?? p.default, type: 'bool' });
    if (p.type === 'followUps') {
      const list = Array.isArray(v) ? v : p.default;
      return html`<div class="field wide followups">
        <span class="label">${label}</span>
        <ol class="rows">${list.map((f, k) => html`<li class="row-inline">
          ${field(ctx, { path: `${path}[${k}].afterHours`, label: t('param.afterHours'), value: f?.afterHours, type: 'number', suffix: t('unit.h') })}
          ${field(ctx, { path: `${path}[${k}].category`, label: t('param.category'), value: f?.category, type: 'select',
            options: templateCategories().map((c) => ({ value: c, label: categoryLabel(c) })) })}
          <button type="button" class="icon danger" data-action="remove-followup" data-index="${i}" data-sub="${k}" aria-label="${t('param.removeFollowUp', { n: k + 1 })}">×</button>
        </li>`)}</ol>
        <button type="button" class="secondary small" data-action="add-followup" data-index="${i}">${t('param.addFollowUp')}</button>
      </div>`;
    }
    return field(ctx, {
      path, label, value: v, type: p.type === 'percent' ? 'percent' : 'number', placeholder: String(p.default),
      suffix: p.type === 'percent' ? '%' : p.key.endsWith('Hours') ? t('unit.h') : null,
      hint: t(`param.${p.key}.hint`),
    });
  }

  steps(j, i, ctx) {
    const base = `journeys[${i}].steps`;
    return html`<div class="steps">
      <span class="label">${t('step.title')}</span>
      <ol class="rows">${j.steps.map((st, k) => {
        const p = `${base}[${k}]`;
        const kind = st?.kind;
        return html`<li class="row-inline step">
          ${field(ctx, { path: `${p}.afterHours`, label: t('step.after'), value: st?.afterHours, type: 'number', suffix: t('unit.h') })}
          ${field(ctx, { path: `${p}.kind`, label: t('step.kind'), value: kind, type: 'select', options: stepKinds().map((k2) => ({ value: k2, label: t(`kind.${k2}`) })) })}
          ${kind === 'template' || kind === 'direct_send' ? field(ctx, { path: `${p}.category`, label: t('param.category'), value: st?.category ?? '', type: 'select',
            options: [{ value: '', label: '—' }, ...templateCategories().map((c) => ({ value: c, label: categoryLabel(c) }))] }) : ''}
          ${kind === 'inbound' ? field(ctx, { path: `${p}.referral`, label: t('step.ctwa'), value: st?.referral ?? '', type: 'select',
            options: [{ value: '', label: t('step.noReferral') }, { value: 'ctwa', label: t('step.fromAd') }] }) : ''}
          ${kind && kind !== 'inbound' ? field(ctx, { path: `${p}.status`, label: t('step.status'), value: st?.status ?? '', type: 'select',
            // `read` is delivered as far as pricing goes: a journey's step offers the others.
            options: statuses().filter((x) => x !== 'read').map((x) => ({ value: x === 'delivered' ? '' : x, label: t(`status.${x}`) })) }) : ''}
          ${field(ctx, { path: `${p}.share`, label: t('step.share'), value: st?.share, type: 'percent', suffix: '%', placeholder: '100' })}
          <button type="button" class="icon danger" data-action="remove-step" data-index="${i}" data-sub="${k}" aria-label="${t('step.remove', { n: k + 1 })}">×</button>
        </li>`;
      })}</ol>
      <button type="button" class="secondary small" data-action="add-step" data-index="${i}">${t('step.add')}</button>
    </div>`;
  }

  reseller(s, sc, ctx) {
    const r = sc.reseller ?? {};
    const cur = sc.business?.currency ?? 'USD';
    const m = r.markupPercent ?? {};
    const money = (path, label, value, hint) => field(ctx, { path, label, value, type: 'money', suffix: cur, placeholder: '0', hint });
    const pct = (path, label, value) => field(ctx, { path, label, value, type: 'percent', suffix: '%', placeholder: '0' });
    const pkg = r.package ?? {};
    const open = Object.keys(r).length > 0;
    return html`<section class="card" aria-labelledby="rs-title">
      <details class="section-details"${open ? html` open` : ''}>
        <summary><h3 id="rs-title">${t('rs.title')}</h3><span class="muted small">${t('rs.summary')}</span></summary>
        <div class="grid">
          ${money('reseller.perOutbound', t('rs.perOutbound'), r.perOutbound)}
          ${money('reseller.perInbound', t('rs.perInbound'), r.perInbound)}
          ${money('reseller.perFailed', t('rs.perFailed'), r.perFailed)}
          ${money('reseller.perNumberMonthly', t('rs.perNumber'), r.perNumberMonthly)}
          ${money('reseller.platformMonthly', t('rs.platform'), r.platformMonthly)}
          ${money('reseller.setupFee', t('rs.setup'), r.setupFee, t('rs.setupHint'))}
        </div>
        <h4>${t('rs.markup')}</h4>
        <div class="grid">
          ${pct('reseller.markupPercent.all', t('rs.markupAll'), m.all)}
          ${['marketing', 'utility', 'authentication', 'service'].map((c) => pct(`reseller.markupPercent.${c}`, categoryLabel(c), m[c]))}
        </div>
        <details class="sub-details"${r.subAccounts || r.package || r.prepaid ? html` open` : ''}>
          <summary>${t('rs.more')}</summary>
          <div class="grid">
            ${field(ctx, { path: 'reseller.subAccounts.count', label: t('rs.subCount'), value: r.subAccounts?.count, type: 'number', inputmode: 'numeric' })}
            ${money('reseller.subAccounts.monthlyFee', t('rs.subFee'), r.subAccounts?.monthlyFee)}
            ${field(ctx, { path: 'reseller.package.kind', label: t('rs.pkgKind'), value: pkg.kind ?? '', type: 'select',
              options: [{ value: '', label: t('rs.pkgNone') }, ...['messages', 'active_users', 'conversations'].map((k) => ({ value: k, label: t(`rs.pkgOpt.${k}`) }))] })}
            ${field(ctx, { path: 'reseller.package.included', label: t('rs.pkgIncluded'), value: pkg.included, type: 'number', inputmode: 'numeric' })}
            ${money('reseller.package.price', t('rs.pkgPrice'), pkg.price)}
            ${money('reseller.package.overage', t('rs.pkgOverage'), pkg.overage)}
            ${money('reseller.prepaid.pointPrice', t('rs.pointPrice'), r.prepaid?.pointPrice)}
            ${field(ctx, { path: 'reseller.prepaid.pointsPerUnit', label: t('rs.pointsPerUnit'), value: r.prepaid?.pointsPerUnit, type: 'money' })}
            ${pct('reseller.prepaid.handlingPercent', t('rs.handling'), r.prepaid?.handlingPercent)}
          </div>
        </details>
        <h4>${t('rs.quoteCurrency')}</h4>
        <div class="grid">
          ${field(ctx, { path: 'reseller.quoteCurrency', label: t('rs.qc'), value: r.quoteCurrency, type: 'upper', list: 'currency-list', placeholder: cur, hint: t('rs.qcHint') })}
          ${field(ctx, { path: 'reseller.fxRate', label: t('rs.fx', { from: cur, to: r.quoteCurrency || '…' }), value: r.fxRate, type: 'money' })}
          ${pct('reseller.fxMarginPercent', t('rs.fxMargin'), r.fxMarginPercent)}
        </div>
        ${ctx.under('reseller') ? fieldError(ctx.error, 'reseller-err') : ''}
      </details>
    </section>`;
  }

  options(s, sc, ctx) {
    const o = sc.options ?? {};
    return html`<section class="card" aria-labelledby="opt-title">
      <details class="section-details"${Object.keys(o).length ? html` open` : ''}>
        <summary><h3 id="opt-title">${t('opt.title')}</h3><span class="muted small">${t('opt.summary')}</span></summary>
        <div class="grid">
          ${field(ctx, { path: 'options.serviceAllowance', label: t('opt.allowance'), value: o.serviceAllowance, type: 'number', placeholder: '1000', inputmode: 'numeric' })}
          ${field(ctx, { path: 'options.serviceAllowanceScope', label: t('opt.scope'), value: o.serviceAllowanceScope ?? '', type: 'select',
            options: [{ value: '', label: t('opt.scope.number') }, { value: 'waba', label: t('opt.scope.waba') }] })}
          ${field(ctx, { path: 'options.fepHours', label: t('opt.fep'), value: o.fepHours, type: 'number', placeholder: '72', suffix: t('unit.h') })}
          ${field(ctx, { path: 'options.conversationFreeTier', label: t('opt.freeTier'), value: o.conversationFreeTier, type: 'number', placeholder: '1000' })}
          ${field(ctx, { path: 'options.nonprofit', label: t('opt.nonprofit'), value: o.nonprofit, type: 'bool', wide: true })}
        </div>
        ${ctx.under('options') ? fieldError(ctx.error, 'options-err') : ''}
      </details>
    </section>`;
  }
}

const currencyNames = new Map();
function currencyLabel(code) {
  try {
    let dn = currencyNames.get(getLocale());
    if (!dn) {
      dn = new Intl.DisplayNames([getLocale()], { type: 'currency' });
      currencyNames.set(getLocale(), dn);
    }
    const name = dn.of(code);
    return name && name !== code ? `${code} — ${name}` : code;
  } catch {
    return code;
  }
}

const fieldMemo = new Map();
/** A field's markup, built again only when its key changes (the 250-country select). */
function memoField(key, build) {
  let hit = fieldMemo.get(key);
  if (!hit) {
    if (fieldMemo.size > 20) fieldMemo.clear();
    hit = build();
    fieldMemo.set(key, hit);
  }
  return hit;
}

let sortedCache = { lang: null, list: [] };
function sortedCountries() {
  const lang = document.documentElement.lang;
  if (sortedCache.lang !== lang || sortedCache.list.length !== allCountries().length) {
    const collator = new Intl.Collator(lang);
    sortedCache = {
      lang,
      list: allCountries().map((c) => ({ value: c.iso, label: `${countryName(c.iso)} (${c.iso})` }))
        .sort((a, b) => collator.compare(a.label, b.label)),
    };
  }
  return sortedCache.list;
}

/** In count mode the contacts are the sum of the counts. */
function syncContacts(scenario) {
  const mix = scenario.audience?.mix ?? [];
  if (mixMode(mix) !== 'count') return;
  const sum = mix.reduce((acc, m) => acc + (num(m?.count) ?? 0), 0);
  scenario.audience.contacts = sum;
}

/** Shares ↔ counts, keeping the total: counts by largest remainder so they add up to contacts. */
function switchMixMode(scenario, mode) {
  const a = (scenario.audience ??= { contacts: 0, mix: [] });
  const mix = a.mix ?? [];
  if (mixMode(mix) === mode) return;
  const contacts = num(a.contacts) ?? 0;
  if (mode === 'count') {
    const exact = mix.map((m) => ((num(m.share) ?? 0) * contacts) / 100);
    const counts = exact.map(Math.floor);
    let left = Math.round(contacts - counts.reduce((x, y) => x + y, 0));
    const order = exact.map((v, i) => [v - Math.floor(v), i]).sort((x, y) => y[0] - x[0]);
    for (const [, i] of order) {
      if (left <= 0) break;
      counts[i] += 1;
      left -= 1;
    }
    mix.forEach((m, i) => {
      delete m.share;
      m.count = counts[i];
    });
    syncContacts(scenario);
  } else {
    const sum = mix.reduce((acc, m) => acc + (num(m.count) ?? 0), 0);
    mix.forEach((m) => {
      const c = num(m.count) ?? 0;
      delete m.count;
      m.share = sum > 0 ? Math.round((c / sum) * 100 * 1000) / 1000 : 0;
    });
    // Rounding may leave the shares a hair off 100: the last row takes the difference.
    const total = mix.reduce((acc, m) => acc + m.share, 0);
    if (mix.length && Math.abs(total - 100) > 1e-9 && sum > 0) {
      mix[mix.length - 1].share = Math.round((mix[mix.length - 1].share + 100 - total) * 1000) / 1000;
    }
  }
}

/** Give row i whatever share is left to reach 100 %. */
function fillRemainder(scenario, i) {
  const mix = scenario.audience?.mix ?? [];
  const others = mix.reduce((acc, m, k) => acc + (k === i ? 0 : num(m?.share) ?? 0), 0);
  if (mix[i]) mix[i].share = Math.max(0, Math.round((100 - others) * 1000) / 1000);
}

customElements.define('wa-estimator', WaEstimator);
