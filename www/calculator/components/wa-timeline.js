// <wa-timeline>: the timeline explainer. Build a timeline (events at hours after a start), paste
// one as JSON, or load a worked example; the engine prices every business message (simulate) and
// each gets its verdict and explanation; an SVG per customer draws the customer-service windows,
// the free-entry-point windows and the conversations as bands, each message charged or free.
import { html } from '../../shared/html.js';
import { store, runtime } from '../state.js';
import { t } from '../../shared/i18n/index.js';
import * as fmt from '../../shared/format.js';
import { parsePath, setIn } from '../store.js';
import { builderFromInput, timelineInput } from '../timeline.js';
import { EXAMPLES } from '../examples.js';
import { timelineSvg, catClass } from '../../shared/charts.js';
import { templateCategories, stepKinds, statuses, windows } from '../schema.js';
import { field, errorContext, errorBox, categoryLabel, typeLabel, marketLabel, coerce, idOf, warningTitle, messageText, explanationText, errorSentence } from '../../shared/ui.js';
import { countryName, allCountries } from '../../shared/countries.js';
import { View } from './view.js';

const HOUR = 3_600_000;
const MAX_ROWS = 500;

const hours = (dt) => (Number.isFinite(dt) ? String(Math.round((dt / HOUR) * 10000) / 10000) : '');

class WaTimeline extends View {
  static viewName = 'timeline';

  setup() {
    let resize = null;
    window.addEventListener('resize', () => {
      clearTimeout(resize);
      resize = setTimeout(() => { if (this.active) store.set(); }, 150);
    });
    this.addEventListener('input', (e) => this.onInput(e));
    this.addEventListener('change', (e) => this.onInput(e));
    this.addEventListener('click', (e) => this.onClick(e));
  }

  onInput(e) {
    const el = e.target;
    if (el.id === 'input') {
      if (e.type === 'input') store.set((s) => { s.timelineJson = el.value; });
      return;
    }
    if (el.id === 'example-select') {
      if (e.type === 'change') store.set((s) => { s.ui.example = el.value; });
      return;
    }
    if (!el.dataset.path || el.dataset.root !== 'tl') return;
    const isText = el.tagName === 'INPUT' && el.type !== 'checkbox';
    if (isText ? e.type !== 'input' : e.type !== 'change') return;
    const parts = parsePath(el.dataset.path);
    store.markEdit?.(e.timeStamp);
    store.set((s) => {
      const tl = s.timeline;
      if (parts[0] === 'events' && parts[2] === 'at') {
        const ev = tl.events[parts[1]];
        const v = el.value.trim();
        if (/^-?(\d+\.?\d*|\.\d+)$/.test(v)) {
          ev.dt = Math.round(Number(v) * HOUR);
          delete ev.hoursText;
        } else ev.hoursText = el.value;
        return;
      }
      if (parts[0] === 'startLocal') {
        tl.startLocal = el.value;
        return;
      }
      if (parts[0] === 'events' && parts[2] === 'referral') {
        tl.events[parts[1]].referral = el.checked ? 'ctwa' : undefined;
        return;
      }
      setIn(tl, parts, coerce(el));
      if (parts[0] === 'events' && parts[2] === 'kind') {
        const ev = tl.events[parts[1]];
        if (ev.kind !== 'template') delete ev.category;
        else ev.category ??= 'utility';
        if (ev.kind !== 'inbound') delete ev.referral;
        if (ev.kind === 'inbound') delete ev.status;
      }
    });
  }

  onClick(e) {
    const el = e.target.closest('[data-action]');
    if (!el) return;
    const a = el.dataset.action;
    if (a === 'load-example') {
      const ex = EXAMPLES.find((x) => x.id === (store.state.ui.example ?? EXAMPLES[0].id)) ?? EXAMPLES[0];
      store.set((s) => {
        s.timeline = { ...builderFromInput(ex.input), example: ex.id };
        s.jsonError = null;
      });
    } else if (a === 'add-event') {
      store.set((s) => {
        const evs = s.timeline.events;
        const last = evs[evs.length - 1];
        const ev = { dt: (Number.isFinite(last?.dt) ? last.dt : 0) + (evs.length ? HOUR : 0), user: last?.user ?? '+919812345678', kind: el.dataset.kind };
        if (el.dataset.category) ev.category = el.dataset.category;
        if (el.dataset.referral) ev.referral = el.dataset.referral;
        evs.push(ev);
        s.timeline.example = null;
      });
    } else if (a === 'add-user') {
      store.set((s) => {
        const evs = s.timeline.events;
        const last = evs[evs.length - 1];
        const used = new Set(evs.map((x) => x.user));
        let n = 5511900000001;
        while (used.has(`+${n}`)) n += 1;
        evs.push({ dt: (Number.isFinite(last?.dt) ? last.dt : 0) + HOUR, user: `+${n}`, kind: 'inbound' });
      });
    } else if (a === 'remove-event') {
      store.set((s) => { s.timeline.events.splice(Number(el.dataset.index), 1); });
    } else if (a === 'clear') {
      store.set((s) => { s.timeline.events = []; s.timeline.example = null; });
    } else if (a === 'load-json') {
      this.loadJson();
    } else if (a === 'show-json') {
      store.set((s) => {
        s.timelineJson = JSON.stringify(timelineInput(s.timeline), null, 2);
        s.jsonError = null;
      });
    }
  }

  loadJson() {
    const text = this.querySelector('#input')?.value ?? store.state.timelineJson;
    store.markEdit?.(performance.now());
    store.set((s) => {
      s.timelineJson = text;
      let input;
      try {
        input = JSON.parse(text);
      } catch (err) {
        s.jsonError = { code: 'invalid_json', path: '', message: err.message };
        return;
      }
      if (!input || typeof input !== 'object' || !Array.isArray(input.events)) {
        // Let the engine say what is wrong with the shape.
        s.jsonError = simulateError(input) ?? { code: 'invalid_input', path: 'events', message: 'the input needs an events array' };
        return;
      }
      const bad = input.events.findIndex((ev) => !ev || (typeof ev.at !== 'number' && !Number.isFinite(Date.parse(ev.at))));
      if (bad >= 0) {
        s.jsonError = simulateError(input) ?? { code: 'invalid_instant', path: `events[${bad}].at`, message: `invalid instant ${JSON.stringify(input.events[bad]?.at)}` };
        return;
      }
      // A field the editor does not hold (`statu` for `status`) would be dropped without a word:
      // the engine names it, and the text stays as typed. Other errors are shown at their field
      // once the timeline is loaded into the editor.
      const unknown = simulateError(input);
      if (unknown?.params?.reason === 'unknown_field') {
        s.jsonError = unknown;
        return;
      }
      s.jsonError = null;
      s.timeline = { ...builderFromInput(input), example: null };
    });
  }

  view(s) {
    const tl = s.timeline;
    const sim = s.sim;
    const ctx = errorContext(sim?.error);
    const users = [...new Set(tl.events.map((e) => e?.user).filter(Boolean))];
    const example = s.ui.example ?? tl.example ?? EXAMPLES[0].id;
    const ex = EXAMPLES.find((x) => x.id === tl.example);
    return html`<div class="timeline-view">
      <section class="card" aria-labelledby="tl-title">
        <h2 id="tl-title">${t('tl.title')}</h2>
        <p class="muted">${t('tl.intro')}</p>
        <div class="example-picker">
          <label for="example-select">${t('tl.examples')}</label>
          <div class="add-row">
            <select id="example-select">${EXAMPLES.map((x) => html`<option value="${x.id}"${x.id === example ? html` selected` : ''}>${t(`ex.${x.id}`)}</option>`)}</select>
            <button type="button" class="secondary" data-action="load-example" data-testid="load-example">${t('tl.load')}</button>
          </div>
        </div>
        ${ex ? html`<p class="example-desc" data-testid="example-desc"><strong>${t(`ex.${ex.id}`)}.</strong> ${t(`ex.${ex.id}.desc`)}</p>` : ''}
        <div class="grid">
          ${field(ctx, { path: 'startLocal', root: 'tl', label: t('tl.start'), value: tl.startLocal, type: 'datetime' })}
          ${field(ctx, { path: 'timezone', root: 'tl', label: t('biz.timezone'), value: tl.timezone, list: 'tz-list' })}
          ${field(ctx, { path: 'currency', root: 'tl', label: t('biz.currency'), value: tl.currency, type: 'select',
            options: [...new Set([...(s.dataInfo?.currencies ?? ['USD']), tl.currency])].map((c) => ({ value: c, label: c })) })}
          ${field(ctx, { path: 'business.country', root: 'tl', label: t('biz.country'), value: tl.business?.country ?? '', type: 'select',
            options: [{ value: '', label: t('biz.countryNone') }, ...allCountries().map((c) => ({ value: c.iso, label: `${countryName(c.iso)} (${c.iso})` }))
              .sort((a, b) => a.label.localeCompare(b.label))] })}
          ${field(ctx, { path: 'options.fepHours', root: 'tl', label: t('opt.fep'), value: tl.options?.fepHours, type: 'number', placeholder: String(windows()?.entryPointHours ?? ''), suffix: t('unit.h') })}
        </div>
        <datalist id="tl-users">${users.map((u) => html`<option value="${u}"></option>`)}</datalist>
        <h3>${t('tl.events')}</h3>
        <ol class="events" data-testid="events">${tl.events.map((e, i) => this.eventRow(e ?? {}, i, ctx))}</ol>
        ${tl.events.length ? '' : html`<p class="muted">${t('tl.empty')}</p>`}
        <div class="add-events" role="group" aria-label="${t('tl.addEvent')}">
          <span class="label">${t('tl.addEvent')}</span>
          <button type="button" class="chip" data-action="add-event" data-kind="inbound">${t('tl.add.inbound')}</button>
          <button type="button" class="chip" data-action="add-event" data-kind="inbound" data-referral="ctwa">${t('tl.add.ctwa')}</button>
          <button type="button" class="chip" data-action="add-event" data-kind="template" data-category="marketing">${t('tl.add.marketing')}</button>
          <button type="button" class="chip" data-action="add-event" data-kind="template" data-category="utility">${t('tl.add.utility')}</button>
          <button type="button" class="chip" data-action="add-event" data-kind="template" data-category="authentication">${t('tl.add.authentication')}</button>
          <button type="button" class="chip" data-action="add-event" data-kind="message">${t('tl.add.message')}</button>
          <button type="button" class="chip" data-action="add-event" data-kind="reaction">${t('tl.add.reaction')}</button>
          <button type="button" class="chip" data-action="add-user">${t('tl.add.user')}</button>
          <button type="button" class="chip danger" data-action="clear">${t('tl.clear')}</button>
        </div>
        ${ctx.error && !ctx.claimed ? errorBox(ctx.error, t('tl.refused')) : ''}
        <details class="json-box"${s.timelineJson || s.jsonError ? html` open` : ''}>
          <summary>${t('tl.json')}</summary>
          <p class="muted small">${t('tl.jsonHint')}</p>
          <label for="input" class="label">${t('tl.jsonLabel')}</label>
          <textarea id="input" rows="12" spellcheck="false" autocomplete="off" autocapitalize="off">${s.timelineJson}</textarea>
          <div class="actions">
            <button type="button" id="price" data-action="load-json">${t('tl.jsonLoad')}</button>
            <button type="button" class="secondary" data-action="show-json">${t('tl.jsonShow')}</button>
          </div>
          <div id="try-result">${s.jsonError ? errorBox(s.jsonError, s.jsonError.code === 'invalid_json' ? t('tl.notJson') : t('tl.refused')) : ''}</div>
        </details>
      </section>
      ${sim?.result ? this.results(s, sim) : ''}
    </div>`;
  }

  eventRow(e, i, ctx) {
    const p = `events[${i}]`;
    const business = e.kind && e.kind !== 'inbound';
    const atErr = ctx.at(`${p}.at`);
    const hoursId = idOf(`${p}.at`, 'ftl');
    const verdict = store.state.sim?.result?.messages?.find((m) => m.index === i);
    return html`<li class="event kind-${e.kind ?? 'none'}${verdict ? ` v-${verdictState(verdict)}` : ''}" data-key="ev${i}">
      <span class="event-n" aria-hidden="true">${i}</span>
      <div class="field${atErr ? ' invalid' : ''}">
        <label for="${hoursId}">${t('tl.hours')}</label>
        <div class="control has-suffix"><input id="${hoursId}" type="text" inputmode="decimal" data-root="tl" data-path="${p}.at" value="${e.hoursText ?? hours(e.dt)}"${
          atErr ? html` aria-invalid="true" aria-describedby="${hoursId}-err"` : ''} autocomplete="off"><span class="suffix" aria-hidden="true">${t('unit.h')}</span></div>
        ${atErr ? html`<p class="field-error" id="${hoursId}-err" role="alert">${errorSentence(atErr)}</p>`
          : html`<p class="hint nowrap">${this.clock(e)}</p>`}
      </div>
      ${field(ctx, { path: `${p}.user`, root: 'tl', label: t('tl.user'), value: e.user, list: 'tl-users', inputmode: 'tel', cls: 'f-user' })}
      ${field(ctx, { path: `${p}.kind`, root: 'tl', label: t('step.kind'), value: e.kind, type: 'select', options: stepKinds().map((k) => ({ value: k, label: t(`kind.${k}`) })) })}
      ${e.kind === 'template' || e.kind === 'direct_send' ? field(ctx, { path: `${p}.category`, root: 'tl', label: t('param.category'), value: e.category ?? '', type: 'select',
        options: [{ value: '', label: '—' }, ...templateCategories().map((c) => ({ value: c, label: categoryLabel(c) }))] })
        : e.kind === 'inbound' ? field(ctx, { path: `${p}.referral`, root: 'tl', label: t('step.fromAd'), value: e.referral === 'ctwa', type: 'bool' })
        : html`<div class="field slot" aria-hidden="true"></div>`}
      ${business ? field(ctx, { path: `${p}.status`, root: 'tl', label: t('step.status'), value: e.status ?? '', type: 'select',
        options: statuses().map((st) => ({ value: st === 'delivered' ? '' : st, label: t(`status.${st}`) })) })
        : html`<div class="field slot" aria-hidden="true"></div>`}
      ${ctx.under(p) ? html`<p class="field-error wide" role="alert">${errorSentence(ctx.error)}</p>` : ''}
      <button type="button" class="icon danger" data-action="remove-event" data-index="${i}" aria-label="${t('tl.removeEvent', { n: i })}" title="${t('common.remove')}">×</button>
    </li>`;
  }

  /** The event's wall-clock time in the business time zone (a hint under its hours). */
  clock(e) {
    const tl = store.state.timeline;
    const zone = fmt.safeZone(tl.timezone || 'UTC');
    const start = fmt.localToEpoch(tl.startLocal, zone);
    if (!Number.isFinite(start) || !Number.isFinite(e.dt) || e.hoursText !== undefined) return '';
    return fmt.dateTime(start + e.dt, zone);
  }

  results(s, sim) {
    const input = sim.input;
    const result = sim.result;
    const tz = input.timezone ?? 'UTC';
    const cur = result.currency ?? input.currency ?? 'USD';
    const totals = result.totals ?? {};
    const users = [...new Set(input.events.flatMap(recipients).filter(Boolean))];
    return html`<section class="card" aria-labelledby="tl-res-title" data-testid="example-result">
      <h2 id="tl-res-title">${t('tl.verdicts')}</h2>
      <div class="total" data-testid="total">
        <span class="total-label">${t('res.total')}</span>
        <span class="total-amount" data-value="${totals.amount}">${fmt.money(totals.amount, cur, { digits: 'exact' })}</span>
        <span class="total-counts">${t('tl.counts', { n: fmt.num(totals.messages), charged: fmt.num(totals.charged), free: fmt.num(totals.free) })}${
          totals.notDelivered ? html` · ${t('tl.notDelivered', { n: fmt.num(totals.notDelivered) })}` : ''}</span>
      </div>
      <div class="timelines">${users.map((u) => this.userTimeline(u, input, result, tz))}</div>
      ${this.legendRow()}
      ${this.verdictTable(input, result, tz, cur)}
      ${(result.warnings ?? []).length ? html`<ul class="warnings">${result.warnings.map((w) => html`<li data-code="${w.code}"><strong>${warningTitle(w.code) ?? w.code}</strong>${
        t('tl.warnSep')}<span class="message-text">${messageText(w)}</span></li>`)}</ul>` : ''}
      <p class="muted small">${(result.cards ?? []).map((c) => html`<span class="nowrap">${t('card.line', { currency: c.currency, model: t(`model.${c.pricingModel}`), date: fmt.date(c.date) })}</span> `)}</p>
    </section>`;
  }

  legendRow() {
    return html`<ul class="legend tl-legend">
      <li><span class="swatch band-csw" aria-hidden="true"></span>${t('tl.csw')}</li>
      <li><span class="swatch band-fep" aria-hidden="true"></span>${t('tl.fep')}</li>
      <li><span class="swatch band-conv" aria-hidden="true"></span>${t('tl.conversations')}</li>
      <li><span class="dot msg-charged" aria-hidden="true"></span>${t('tl.charged')}</li>
      <li><span class="dot msg-free" aria-hidden="true"></span>${t('tl.free')}</li>
      <li><span class="dot msg-nd" aria-hidden="true"></span>${t('type.not_delivered')}</li>
      <li><span class="tri" aria-hidden="true">▼</span>${t('tl.customerMsg')}</li>
    </ul>`;
  }

  userTimeline(user, input, result, tz) {
    const zone = fmt.safeZone(tz);
    const evs = input.events.map((e, index) => ({ ...e, index, ms: typeof e.at === 'number' ? e.at : Date.parse(e.at) }))
      .filter((e) => recipients(e).includes(user) && Number.isFinite(e.ms));
    if (!evs.length) return '';
    const verdicts = (result.messages ?? []).filter((m) => m.user === user);
    const vByIndex = new Map(verdicts.map((m) => [m.index, m]));
    const inbound = evs.filter((e) => e.kind === 'inbound' && e.user === user);
    // The windows are the engine's (result.windows): the page computes none.
    const band = (w, title, label) => {
      const from = Date.parse(w.start);
      const to = Date.parse(w.end);
      return { from, to, title: t(title, { from: fmt.dateTime(from, zone), to: fmt.dateTime(to, zone) }), label: t(label) };
    };
    const userWindows = (result.windows ?? []).filter((w) => w.user === user);
    const csw = userWindows.filter((w) => w.kind === 'service').map((w) => band(w, 'tl.cswTitle', 'tl.csw24'));
    const fep = userWindows.filter((w) => w.kind === 'entry_point').map((w) => band(w, 'tl.fepTitle', 'tl.fepShort'));
    // Conversations (conversation era); an entry-point window's referral conversation is drawn as
    // its window.
    const conversations = new Map();
    for (const v of verdicts) {
      const c = v.conversation;
      if (!c || c.category === 'referral_conversion' || conversations.has(c.id)) continue;
      const from = Date.parse(c.start);
      const to = Date.parse(c.end);
      conversations.set(c.id, { from, to, category: c.category, title: t('tl.convTitle', { cat: categoryLabel(c.category), from: fmt.dateTime(from, zone), to: fmt.dateTime(to, zone) }), label: categoryLabel(c.category) });
    }
    const bands = [...csw, ...fep, ...conversations.values()];
    const first = Math.min(...evs.map((e) => e.ms));
    const last = Math.max(...evs.map((e) => e.ms));
    const end = Math.min(Math.max(last, ...bands.map((b) => b.to)), last + 4 * 24 * HOUR);
    const pad = Math.max((end - first) * 0.03, HOUR / 2);
    const from = first - pad;
    const to = end + pad;
    const business = evs.filter((e) => e.kind !== 'inbound').map((e) => {
      const v = vByIndex.get(e.index);
      const state = v ? verdictState(v) : 'nd';
      return {
        at: e.ms, n: e.index, state,
        label: `#${e.index} ${eventLabel(e)} · ${fmt.dateTime(e.ms, zone)} · ${v ? `${typeLabel(v.type)} · ${fmt.money(v.amount, result.currency, { digits: 'exact' })}` : ''}`,
      };
    });
    const inboundMarks = inbound.map((e) => ({ at: e.ms, ctwa: e.referral === 'ctwa', label: `#${e.index} ${eventLabel(e)} · ${fmt.dateTime(e.ms, zone)}` }));
    const market = verdicts[0]?.market;
    return html`<figure class="user-timeline" data-testid="user-timeline">
      <figcaption><strong class="mono">${user}</strong>${market ? html` · ${marketLabel(market)}` : ''}
        <span class="muted small">· ${t('tl.userSummary', { n: business.length, charged: business.filter((b) => b.state === 'charged').length })}</span></figcaption>
      <div class="scroll-x">${timelineSvg({ from, to, csw, fep, conversations: [...conversations.values()], inbound: inboundMarks, business, ticks: ticks(from, to, zone, this.svgWidth()) }, {
        title: t('tl.svgTitle', { user }), csw: t('tl.lane.csw'), fep: t('tl.fep'), conversations: t('tl.conversations'), customer: t('tl.customerLane'), business: t('tl.businessLane'),
      }, this.svgWidth())}</div>
    </figure>`;
  }

  /** Drawing width: the space available (1 SVG unit = 1 CSS pixel), at least 640 (then it scrolls). */
  svgWidth() {
    const box = this.querySelector('.timelines') ?? this;
    return Math.max(640, (box.clientWidth || 960) - 24);
  }

  verdictTable(input, result, tz, cur) {
    const zone = fmt.safeZone(tz);
    const messages = (result.messages ?? []).slice(0, MAX_ROWS);
    // A group message has one verdict per participant, all with its index.
    const byIndex = new Map();
    for (const m of messages) byIndex.set(m.index, [...(byIndex.get(m.index) ?? []), m]);
    const lastIndex = messages.length ? messages[messages.length - 1].index : -1;
    const rows = [];
    input.events.forEach((ev, index) => {
      const ms = typeof ev.at === 'number' ? ev.at : Date.parse(ev.at);
      if (byIndex.has(index)) for (const v of byIndex.get(index)) rows.push({ v, ev, index, ms });
      else if (ev.kind === 'inbound' && index < lastIndex + 1000) rows.push({ inbound: true, ev, index, ms });
    });
    rows.sort((a, b) => a.ms - b.ms || a.index - b.index);
    return html`<div class="table-wrap"><table class="verdicts stack" data-testid="verdicts">
      <thead><tr><th scope="col">#</th><th scope="col">${t('tl.when')}</th><th scope="col">${t('tl.user')}</th><th scope="col">${t('tl.message')}</th>
        <th scope="col">${t('res.market')}</th><th scope="col">${t('tl.category')}</th><th scope="col">${t('tl.verdict')}</th>
        <th scope="col" class="num">${t('res.amount')}</th><th scope="col">${t('tl.why')}</th></tr></thead>
      <tbody>${rows.map((r) => r.inbound
        ? html`<tr class="inbound"><td data-label="#">${r.index}</td><td data-label="${t('tl.when')}"><span class="nowrap">${fmt.dateTime(r.ms, zone)}</span></td>
          <td data-label="${t('tl.user')}" class="mono">${r.ev.user}</td><td data-label="${t('tl.message')}">${eventLabel(r.ev)}</td>
          <td class="inbound-note" colspan="5">${r.ev.referral === 'ctwa' ? t('tl.inboundNoteCtwa') : t('tl.inboundNote')}</td></tr>`
        : html`<tr class="verdict ${verdictState(r.v)}" data-index="${r.index}">
          <td data-label="#">${r.index}</td>
          <td data-label="${t('tl.when')}"><span class="nowrap">${fmt.dateTime(r.v.at, zone)}</span></td>
          <td data-label="${t('tl.user')}" class="mono">${r.v.user}</td>
          <td data-label="${t('tl.message')}">${eventLabel(r.ev)}</td>
          <td data-label="${t('res.market')}">${marketLabel(r.v.market)}</td>
          <td data-label="${t('tl.category')}"><span class="swatch ${catClass(r.v.category.replace(/^group_/, ''))}" aria-hidden="true"></span>${categoryLabel(r.v.category)}</td>
          <td data-label="${t('tl.verdict')}"><span class="type type-${verdictState(r.v)}" data-type="${r.v.type}">${verdictText(r.v)}</span></td>
          <td data-label="${t('res.amount')}" class="num"><span class="amount" data-value="${r.v.amount}">${fmt.money(r.v.amount, cur, { digits: 'exact' })}</span></td>
          <td data-label="${t('tl.why')}" class="explanation" data-code="${r.v.explanationCode}"><span class="why-local">${explanationText(r.v)}</span></td>
        </tr>`)}</tbody></table></div>
      ${(result.messages ?? []).length > MAX_ROWS ? html`<p class="muted">${t('tl.truncated', { n: MAX_ROWS, total: result.messages.length })}</p>` : ''}`;
  }
}

/** The engine's error for a raw input it cannot take, or null. */
function simulateError(input) {
  try {
    runtime.engine?.simulate({ ...input, options: { ...(input?.options ?? {}), messages: 'none' } });
    return null;
  } catch (err) {
    return { code: err.code ?? 'error', path: err.path ?? '', message: String(err.message ?? err), params: err.params ?? {} };
  }
}

/** The customers an event is about: its `user`, and a group message's participants. */
function recipients(e) {
  if (!e || typeof e !== 'object') return [];
  return [e.user, ...(Array.isArray(e.participants) ? e.participants : []), ...Object.keys(e.statuses ?? {})];
}

export function verdictState(v) {
  if (v.type === 'not_delivered') return 'nd';
  return v.charged ? 'charged' : 'free';
}

function verdictText(v) {
  if (v.type === 'not_delivered') return typeLabel('not_delivered');
  if (v.charged) return t('tl.chargedType', { type: typeLabel(v.type) });
  if (fmt.decSign(v.amount) === 0 && v.type === 'regular') return t('tl.rider');
  return typeLabel(v.type);
}

function eventLabel(ev) {
  if (ev.kind === 'template') return t('tl.templateOf', { cat: categoryLabel(ev.category ?? '') });
  if (ev.kind === 'inbound') return ev.referral === 'ctwa' ? t('tl.add.ctwa') : t('kind.inbound');
  return t(`kind.${ev.kind}`);
}

/** Axis ticks aligned to local hours/days in the zone. */
function ticks(from, to, zone, width = 960) {
  const span = to - from;
  // About one labelled tick per 90 px.
  const want = span / Math.max(4, Math.floor((width - 190) / 90));
  const step = [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR, 48 * HOUR, 7 * 24 * HOUR].find((s) => s >= want) ?? 7 * 24 * HOUR;
  const out = [];
  const off = fmt.zoneOffsetMinutes(zone, from) * 60000;
  let at = Math.ceil((from + off) / step) * step - off;
  for (; at <= to && out.length < 60; at += step) {
    const localMidnight = ((at + fmt.zoneOffsetMinutes(zone, at) * 60000) % (24 * HOUR) + 24 * HOUR) % (24 * HOUR) === 0;
    out.push({ at, major: localMidnight, label: localMidnight ? fmt.shortDate(at, zone) : fmt.time(at, zone) });
  }
  return out;
}

customElements.define('wa-timeline', WaTimeline);
