// The first page: embedded rate cards, one worked example priced by the engine, and a box to
// price any simulator input. The engine does all pricing; this module only shows its answers.
import { html, render } from './html.js';
import { loadEngine, describeError } from './engine.js';
import { EXAMPLES, SAMPLE_INPUT } from './examples.js';

const $ = (id) => document.getElementById(id);
const MAX_ROWS = 500; // verdict rows shown for a pasted timeline; totals always cover everything

const KIND_LABELS = {
  inbound: 'customer writes',
  message: 'free-form message',
  reaction: 'reaction',
};
const CONFIDENCES = new Set(['high', 'medium', 'low', 'derived']);

function describeEvent(event) {
  if (!event || typeof event !== 'object') return '';
  if (event.kind === 'template') return `${event.category ?? ''} template`.trim();
  return KIND_LABELS[event.kind] ?? String(event.kind ?? '');
}

/** "2026-10-05T04:30:00Z" → "2026-10-05 04:30 UTC" (display only). */
function shortInstant(at) {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?Z$/.exec(String(at ?? ''));
  if (!m) return String(at ?? '');
  return `${m[1]} ${m[2]}${m[3] && m[3] !== ':00' ? m[3] : ''} UTC`;
}

function label(text) {
  return String(text ?? '').replaceAll('_', ' ');
}

function errorBox(err, title) {
  const e = describeError(err);
  return html`<div class="error" role="alert">
    <p class="error-title">${title}</p>
    <p class="error-line"><span class="error-code">${e.code}</span>${e.path
      ? html` at <code class="error-path">${e.path}</code>`
      : ''}: <span class="error-message">${e.message}</span></p>
  </div>`;
}

/** Epoch milliseconds of a verdict's or an inbound event's instant (for ordering only). */
function instantOf(row, events) {
  const at = row.inbound ? row.inbound.at : row.at ?? events[row.index]?.at;
  const ms = typeof at === 'number' ? at : Date.parse(at);
  return Number.isFinite(ms) ? ms : 0;
}

function typeClass(m) {
  if (m.type === 'not_delivered') return 'undelivered';
  return m.charged ? 'charged' : 'free';
}

function inboundRow(event, index) {
  const ms = typeof event.at === 'number' ? event.at : Date.parse(event.at);
  const when = Number.isFinite(ms) ? shortInstant(new Date(ms).toISOString().replace('.000Z', 'Z')) : String(event.at);
  const what = event.referral === 'ctwa' ? 'customer writes (from an ad)' : 'customer writes';
  return html`<tr class="inbound">
      <td data-label="#">${index}</td>
      <td data-label="When"><span class="nowrap">${when}</span></td>
      <td data-label="Message">${what}</td>
      <td class="inbound-note" colspan="5">Not priced: the customer's message opens a 24-hour customer-service window${
        event.referral === 'ctwa' ? ' and a free-entry-point chance' : ''}.</td>
    </tr>`;
}

function verdictTable(input, result) {
  const currency = (result.cards?.[0]?.currency ?? input.currency ?? 'USD').toString();
  const messages = Array.isArray(result.messages) ? result.messages : [];
  const events = Array.isArray(input.events) ? input.events : [];
  const shown = messages.slice(0, MAX_ROWS);
  // The customer's own messages are not priced; they are shown (muted) where they fall, because
  // they open the windows that make later business messages free.
  const byIndex = new Map(shown.map((m) => [m.index, m]));
  const lastIndex = shown.length ? shown[shown.length - 1].index : -1;
  const order = [];
  events.forEach((event, index) => {
    if (byIndex.has(index)) order.push(byIndex.get(index));
    else if (event && event.kind === 'inbound' && index < lastIndex) order.push({ inbound: event, index });
  });
  // Events are priced in order of time; show them so.
  order.sort((a, b) => instantOf(a, events) - instantOf(b, events) || a.index - b.index);
  const rows = order.map((m) => {
    if (m.inbound) return inboundRow(m.inbound, m.index);
    const event = events[m.index];
    return html`<tr class="verdict ${typeClass(m)}">
      <td data-label="#">${m.index}</td>
      <td data-label="When"><span class="nowrap">${shortInstant(m.at)}</span></td>
      <td data-label="Message">${describeEvent(event)}</td>
      <td data-label="Market">${m.market ?? '—'}</td>
      <td data-label="Category">${label(m.category)}</td>
      <td data-label="Type"><span class="type type-${typeClass(m)}">${label(m.type)}</span></td>
      <td data-label="Amount" class="num"><span class="amount">${m.amount} <span class="cur">${currency}</span></span></td>
      <td data-label="Why" class="explanation">${m.explanation}</td>
    </tr>`;
  });
  const t = result.totals ?? {};
  const warnings = Array.isArray(result.warnings) ? result.warnings : [];
  return html`
    <div class="total" data-testid="total">
      <span class="total-label">Total</span>
      <span class="total-amount">${t.amount ?? '0'} <span class="cur">${currency}</span></span>
      <span class="total-counts">${t.messages ?? messages.length} business messages ·
        ${t.charged ?? 0} charged · ${t.free ?? 0} free${t.notDelivered
          ? html` · ${t.notDelivered} not delivered` : ''}</span>
    </div>
    <div class="table-wrap">
      <table class="verdicts stack">
        <thead><tr>
          <th scope="col">#</th><th scope="col">When</th><th scope="col">Message</th>
          <th scope="col">Market</th><th scope="col">Category</th><th scope="col">Type</th>
          <th scope="col" class="num">Amount</th><th scope="col">Why</th>
        </tr></thead>
        <tbody>${rows}</tbody>
      </table>
    </div>
    ${messages.length > shown.length
      ? html`<p class="muted">Showing the first ${shown.length} of ${messages.length} business messages.</p>`
      : ''}
    ${warnings.length
      ? html`<ul class="warnings">${warnings.map(
          (w) => html`<li><span class="warning-code">${w.code}</span>${w.index !== null && w.index !== undefined
            ? html` (event ${w.index})` : ''}: ${w.message}</li>`)}</ul>`
      : ''}`;
}

function cardsTable(info) {
  const cards = [...(info.cards ?? [])].sort(
    (a, b) => String(b.date).localeCompare(String(a.date)) ||
      String(a.currency).localeCompare(String(b.currency)));
  const rows = cards.map((c) => {
    const conf = CONFIDENCES.has(c.confidence) ? c.confidence : 'unknown';
    return html`<tr>
      <td data-label="Date"><span class="nowrap">${c.date}</span></td>
      <td data-label="Currency">${c.currency}</td>
      <td data-label="Pricing model">${c.pricingModel}</td>
      <td data-label="Markets" class="num">${c.markets}</td>
      <td data-label="Confidence"><span class="badge conf-${conf}">${c.confidence}</span></td>
    </tr>`;
  });
  return html`
    <p class="muted">${cards.length} cards (effective date × currency) are built in. A rate stays in
      force until a later card replaces it; confidence is the lowest of the card's rows.</p>
    <div class="table-wrap cards-wrap">
      <table class="cards" data-testid="cards-table">
        <thead><tr>
          <th scope="col">Date</th>
          <th scope="col"><span class="long">Currency</span><span class="short" aria-hidden="true">Cur.</span></th>
          <th scope="col"><span class="long">Pricing model</span><span class="short" aria-hidden="true">Model</span></th>
          <th scope="col" class="num"><span class="long">Markets</span><span class="short" aria-hidden="true">Mkts</span></th>
          <th scope="col">Confidence</th>
        </tr></thead>
        <tbody>${rows}</tbody>
      </table>
    </div>`;
}

function showExample(engine, example) {
  const body = $('example-body');
  let content;
  try {
    const result = engine.simulate(example.input);
    content = verdictTable(example.input, result);
  } catch (err) {
    content = errorBox(err, 'The engine could not price this example.');
  }
  render(body, html`<h3 class="example-title">${example.title}</h3>
    <p class="muted">${example.description}</p>
    <div class="example-result" data-testid="example-result">${content}</div>`);
}

function priceTextarea(engine) {
  const out = $('try-result');
  const text = $('input').value;
  let input;
  try {
    input = JSON.parse(text);
  } catch (err) {
    render(out, errorBox({ code: 'invalid_json', path: '', message: err.message }, 'This is not valid JSON.'));
    return;
  }
  try {
    const result = engine.simulate(input);
    render(out, verdictTable(input, result));
  } catch (err) {
    render(out, errorBox(err, 'The engine refused this input.'));
  }
}

async function main() {
  const status = $('status');
  const textarea = $('input');
  if (!textarea.value) textarea.value = JSON.stringify(SAMPLE_INPUT, null, 2);
  $('load-sample').addEventListener('click', () => {
    textarea.value = JSON.stringify(SAMPLE_INPUT, null, 2);
  });
  $('load-example').addEventListener('click', () => {
    textarea.value = JSON.stringify(EXAMPLES[0].input, null, 2);
  });

  let engine;
  try {
    engine = await loadEngine();
  } catch (err) {
    render(status, errorBox(err, 'The pricing engine failed to load.'));
    status.classList.add('status-error');
    return;
  }

  try {
    const info = engine.dataInfo();
    render($('cards-body'), cardsTable(info));
    render($('data-version'), html`Embedded data version ${info.version}.`);
  } catch (err) {
    render($('cards-body'), errorBox(err, 'The engine could not list its rate cards.'));
  }
  showExample(engine, EXAMPLES[0]);

  $('try-form').addEventListener('submit', (event) => {
    event.preventDefault();
    priceTextarea(engine);
  });
  $('price').disabled = false;
  status.textContent = 'Engine ready.';
  status.classList.add('status-ready');
  document.body.dataset.ready = 'true';
}

main();
