// The log page: a worker (log-reader.js) reads a dropped log file in chunks (File.slice) into
// tapes, which the engine's streaming log pricer prices here; shows a progress bar with events
// per second, then the totals, the what-if delta by category and market, the expected invoice and
// the disagreements with Meta. The engine does all the pricing; this module only hands over tapes
// and shows its answers.
import { html, render } from '../shared/html.js';
import { loadLogEngine, describeError } from '../shared/engine.js';
import { linkOptions } from './log-options.js';

const $ = (id) => document.getElementById(id);
const fmt = (n) => Number(n ?? 0).toLocaleString('en-US');
const label = (s) => String(s ?? '').replaceAll('_', ' ');

/** Where in the log: `line 12`, `line 12, column 3`, or nothing. */
const where = (e) => (e.line ? `line ${e.line}${e.column ? `, column ${e.column}` : ''}` : '');

/** One error: its code, its line in the log, the field at fault, and its message. */
function errorLine(err) {
  const e = describeError(err);
  return html`<p class="error-line"><span class="error-code">${e.code}</span>${e.line
    ? html` on <span class="error-where">${where(e)}</span>`
    : ''}${e.path
    ? html` at <code class="error-path">${e.path}</code>`
    : ''}: <span class="error-message">${e.message}</span></p>`;
}

function errorBox(err, title) {
  return html`<div class="error" role="alert" data-testid="error">
    <p class="error-title">${title}</p>
    ${errorLine(err)}
  </div>`;
}

function options() {
  const o = {
    format: $('format').value,
    currency: $('currency').value.trim() || 'USD',
    timezone: $('timezone').value.trim() || 'UTC',
    onError: $('on-error').value,
  };
  const date = $('what-if-date').value;
  const shift = $('shift').value;
  if (date && shift === 'months') o.whatIf = { date, shift };
  else if (shift === 'none') o.whatIf = { shift: 'none' };
  return o;
}

/** A size in bytes, kB or MB (decimal units), so that a small log does not show as 0.00 MB. */
function size(bytes) {
  if (bytes < 1e3) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`;
}

/** Nothing read yet: the progress of a pricing that has just started. */
const NO_PROGRESS = { bytes: 0, events: 0, errors: 0, users: 0 };

/** The progress bar and line; `state` is 'reading', 'done' or 'stopped'. */
function showProgress(p, total, seconds, state) {
  const percent = total > 0 ? Math.min(100, (100 * p.bytes) / total) : 100;
  $('progress-fill').setAttribute('width', `${percent.toFixed(1)}%`);
  $('progress-bar').setAttribute('aria-valuenow', percent.toFixed(0));
  const rate = seconds > 0 ? p.events / seconds : 0;
  const perSecond = rate >= 1e6 ? `${(rate / 1e6).toFixed(2)} M` : fmt(Math.round(rate));
  const end = { reading: '', done: ' · done', stopped: ' · stopped' }[state];
  const text = `${size(p.bytes)} of ${size(total)} · ${fmt(p.events)} events · ${perSecond} events/s` +
    ` · ${fmt(p.errors)} malformed · ${fmt(p.users)} customers${end}`;
  $('progress-text').textContent = text;
  $('progress-title').textContent = { reading: 'Reading', done: 'Read', stopped: 'Stopped' }[state];
}

/** The progress line of a pricing that ended early (Stop, or an error): it says so. */
function showStopped() {
  if ($('progress').hidden || $('progress-title').textContent !== 'Reading') return;
  $('progress-title').textContent = 'Stopped';
  $('progress-text').textContent += ' · stopped';
}

function deltaClass(d) {
  const n = Number(d);
  if (n > 0) return 'delta up';
  if (n < 0) return 'delta down';
  return 'delta same';
}

function deltaTable(rows, what, testid) {
  return html`<div class="table-wrap"><table class="plain" data-testid="${testid}">
    <thead><tr><th scope="col">${what}</th><th scope="col" class="num">As logged</th>
      <th scope="col" class="num">What-if</th><th scope="col" class="num">Delta</th></tr></thead>
    <tbody>${rows.map((r) => html`<tr>
      <th scope="row">${label(r.key)}</th><td class="num">${r.base}</td><td class="num">${r.whatIf}</td>
      <td class="num"><span class="${deltaClass(r.delta)}">${Number(r.delta) > 0 ? '+' : ''}${r.delta}</span></td>
    </tr>`)}</tbody>
  </table></div>`;
}

function whatIfSection(report) {
  const w = report.whatIf;
  if (!w) return '';
  const when = w.date ? `${w.date} (instants moved ${w.months} month${Math.abs(w.months) === 1 ? '' : 's'})` : 'instants kept';
  const d = w.delta;
  return html`<section class="card" id="what-if" aria-labelledby="what-if-title">
    <h2 id="what-if-title">What-if: ${when}</h2>
    <div class="total">
      <span class="total-label">What-if total</span>
      <span class="total-amount" data-testid="what-if-total">${w.currency} ${w.totals.amount}</span>
      ${d ? html`<span class="${deltaClass(d.amount.delta)}" data-testid="what-if-delta">${Number(d.amount.delta) > 0 ? '+' : ''}${d.amount.delta} against the log as priced</span>` : ''}
    </div>
    ${d ? html`<h3>By category</h3>${deltaTable(d.byCategory, 'Category', 'delta-category')}
      <h3>By market</h3>${deltaTable(d.byMarket, 'Market', 'delta-market')}`
      : html`<p class="muted">The what-if is in another currency: no delta.</p>`}
  </section>`;
}

function invoiceSection(report) {
  if (!report.invoice.length) return '';
  const meta = report.invoice.some((r) => r.metaBillable !== null && r.metaBillable !== undefined);
  return html`<section class="card" id="invoice" aria-labelledby="invoice-title">
    <h2 id="invoice-title">Expected invoice by market and category</h2>
    <div class="table-wrap"><table class="plain" data-testid="invoice">
      <thead><tr><th scope="col">Market</th><th scope="col">Category</th><th scope="col" class="num">Delivered</th>
        <th scope="col" class="num">Charged</th><th scope="col" class="num">Amount</th>
        ${meta ? html`<th scope="col" class="num">Meta billable</th>` : ''}</tr></thead>
      <tbody>${report.invoice.map((r) => html`<tr>
        <th scope="row">${r.market}</th><td>${label(r.category)}</td><td class="num">${fmt(r.delivered)}</td>
        <td class="num">${fmt(r.charged)}</td><td class="num">${r.amount}</td>
        ${meta ? html`<td class="num">${fmt(r.metaBillable)}</td>` : ''}
      </tr>`)}</tbody>
    </table></div>
  </section>`;
}

function verdict(v, withAmount) {
  const billable = v.billable === null || v.billable === undefined ? '?' : v.billable ? 'billable' : 'not billable';
  return html`${billable}, ${v.pricingModel ?? '?'}, ${label(v.category ?? '?')}, ${label(v.type ?? '?')}${
    withAmount ? html` (${v.amount})` : ''}`;
}

function reconciliationSection(report) {
  const r = report.reconciliation;
  if (!r) return '';
  return html`<section class="card" id="reconciliation" aria-labelledby="reconciliation-title">
    <h2 id="reconciliation-title">Meta's verdicts against the engine's</h2>
    <p data-testid="reconciliation-summary">${fmt(r.compared)} delivered messages carry Meta's
      <code>pricing</code>: ${fmt(r.agreed)} agree, <strong>${fmt(r.disagreed)} disagree</strong>;
      ${fmt(r.withoutPricing)} have none.</p>
    ${r.disagreements.length ? html`<div class="table-wrap"><table class="plain" data-testid="disagreements">
      <thead><tr><th scope="col">Line</th><th scope="col">Message</th><th scope="col">Differs in</th>
        <th scope="col">Meta</th><th scope="col">Engine</th><th scope="col">Why (engine)</th></tr></thead>
      <tbody>${r.disagreements.map((d) => html`<tr>
        <td class="num">${d.line}</td>
        <td><code>${d.id}</code><br><span class="muted">${d.at} · ${d.user} · ${d.market}</span></td>
        <td>${d.fields.join(', ')}</td>
        <td>${verdict(d.meta, false)}</td>
        <td>${verdict(d.engine, true)}</td>
        <td class="explanation">${d.explanation}</td>
      </tr>`)}</tbody>
    </table></div>
    ${r.disagreed > r.disagreements.length
      ? html`<p class="muted">The first ${fmt(r.disagreements.length)} of ${fmt(r.disagreed)} are listed.</p>`
      : ''}` : ''}
  </section>`;
}

function inputSection(report) {
  const i = report.input;
  const list = i.errorList;
  return html`<section class="card" id="input" aria-labelledby="input-title">
    <h2 id="input-title">What was read</h2>
    <dl class="kpis">
      <div class="kpi"><dt>Format</dt><dd>${report.format}</dd></div>
      <div class="kpi"><dt>Lines</dt><dd>${fmt(i.lines)}</dd></div>
      <div class="kpi"><dt>Customer messages</dt><dd>${fmt(i.inbound)}</dd></div>
      <div class="kpi"><dt>Business messages</dt><dd data-testid="business-messages">${fmt(i.businessMessages)}</dd></div>
      <div class="kpi"><dt>Customers</dt><dd>${fmt(i.users)}</dd></div>
      <div class="kpi"><dt>Malformed</dt><dd data-testid="errors-count">${fmt(i.errors)}</dd></div>
      ${report.format === 'webhook' ? html`
        <div class="kpi"><dt>Statuses</dt><dd>${fmt(i.statuses)}</dd></div>
        <div class="kpi"><dt>After their message</dt><dd>${fmt(i.statusesAfterPriced)}</dd></div>` : ''}
    </dl>
    ${list.length ? html`<h3>Malformed lines</h3><ul class="warnings" data-testid="errors">${list.map((e) => html`<li>
      <strong>${where(e)}</strong> <code>${e.code}</code>${e.path ? html` at <code>${e.path}</code>` : ''}: ${e.message}</li>`)}</ul>
      ${i.errors > list.length ? html`<p class="muted">The first ${fmt(list.length)} of ${fmt(i.errors)} are listed.</p>` : ''}` : ''}
    ${report.warnings.length ? html`<h3>Warnings</h3><ul class="warnings">${report.warnings.map((w) => html`<li>
      <strong>${w.code}</strong>${w.message}</li>`)}</ul>` : ''}
  </section>`;
}

function showReport(report) {
  const t = report.totals;
  render($('result'), html`
    <section class="card" id="totals" aria-labelledby="totals-title">
      <h2 id="totals-title">As logged</h2>
      <div class="total">
        <span class="total-label">Total</span>
        <span class="total-amount" data-testid="total">${report.currency} ${t.amount}</span>
        <span class="total-counts">${fmt(t.messages)} business messages: ${fmt(t.charged)} charged,
          ${fmt(t.free)} free, ${fmt(t.notDelivered)} not delivered</span>
      </div>
      <div class="table-wrap"><table class="plain" data-testid="by-category">
        <thead><tr><th scope="col">Category</th><th scope="col" class="num">Amount</th></tr></thead>
        <tbody>${Object.entries(t.byCategory).map(([k, v]) => html`<tr><th scope="row">${label(k)}</th><td class="num">${v}</td></tr>`)}</tbody>
      </table></div>
      <p class="muted">Cards: ${report.cards.map((c) => `${c.date} ${c.currency} ${c.pricingModel}`).join(', ') || 'none'}.</p>
    </section>
    ${whatIfSection(report)}
    ${reconciliationSection(report)}
    ${invoiceSection(report)}
    ${inputSection(report)}`);
}

let run = 0;
/** Stops the reading of the pricing under way, if any. */
let stopReading = () => {};

/** A reading worker started before a log is chosen, its module loading meanwhile (or `null`). */
let spare = null;
function startReader() {
  const worker = new Worker(new URL('./log-reader.js', import.meta.url), { type: 'module' });
  // A worker that fails to start before it is used says so when it is.
  worker.onerror = (ev) => {
    ev.preventDefault();
    worker.failed = ev.message || 'it could not start';
  };
  return worker;
}

/**
 * Reads `file` in a worker (the spare one, if started) and gives each tape to `onTape(tape)` as
 * it comes; resolves after the last, rejects with the worker's error (or `onTape`'s), and stops
 * the worker either way.
 */
function readInWorker(file, options, onTape) {
  const worker = spare ?? startReader();
  spare = null;
  let stop;
  return new Promise((resolve, reject) => {
    stop = () => {
      worker.terminate();
      resolve();
    };
    stopReading = stop;
    worker.onmessage = ({ data }) => {
      if (data.type === 'error') {
        reject(data.error);
        return;
      }
      try {
        onTape(data.tape);
      } catch (err) {
        reject(err);
        return;
      }
      if (data.last) resolve();
      else worker.postMessage({ type: 'ack' });
    };
    const failed = (why) => reject({ code: 'error', path: '', message: `the log reader stopped: ${why}` });
    if (worker.failed) failed(worker.failed);
    worker.onerror = (ev) => {
      ev.preventDefault();
      failed(ev.message || 'it could not start');
    };
    worker.postMessage({ type: 'read', file, options });
  }).finally(() => {
    worker.terminate();
    // A pricing started since has its own.
    if (stopReading === stop) stopReading = () => {};
  });
}

async function price(file) {
  stopReading();
  const token = ++run;
  const status = $('status');
  render($('result'), html``);
  $('progress').hidden = false;
  // Not the last log's figures: this one's, from nothing.
  showProgress(NO_PROGRESS, file.size, 0, 'reading');
  $('stop').disabled = false;
  status.textContent = `Pricing ${file.name}…`;
  $('file-name').textContent = `${file.name} (${size(file.size)})`;
  document.body.dataset.done = 'false';
  let pricer;
  let start = performance.now();
  try {
    const engine = await loadLogEngine();
    const opts = options();
    pricer = engine.logPricer(opts);
    start = performance.now();
    let shown = 0;
    await readInWorker(file, opts, (tape) => {
      pricer.replay(tape);
      const now = performance.now();
      if (now - shown > 100) {
        shown = now;
        showProgress(pricer.progress(), file.size, (now - start) / 1000, 'reading');
      }
    });
    if (token !== run) return;
    const report = pricer.finish();
    showProgress(pricer.progress(), file.size, (performance.now() - start) / 1000, 'done');
    showReport(report);
    status.textContent = `${file.name}: priced.`;
  } catch (err) {
    if (token !== run) return;
    render($('result'), errorBox(err, `${file.name} could not be priced`));
    // How far the reading got before the error (the pricer's counts stay readable after one).
    if (pricer) showProgress(pricer.progress(), file.size, (performance.now() - start) / 1000, 'stopped');
    else showStopped();
    status.textContent = `${file.name}: stopped.`;
  } finally {
    pricer?.free();
    if (token === run) {
      $('stop').disabled = true;
      document.body.dataset.done = 'true';
      // The next log's reader starts loading now, not while this one was priced.
      spare ??= startReader();
    }
  }
}

/** The last file chosen or dropped. */
let lastFile = null;

/** The options of the link that could not be used, each with its field and value. */
function showLinkProblems(problems) {
  render($('link-problems'), problems.length
    ? html`<div class="error" role="alert" data-testid="link-problem">
        <p class="error-title">Some options in the link were not used</p>
        ${problems.map(errorLine)}
      </div>`
    : html``);
}

async function main() {
  const status = $('status');
  // The options come from the link (or stay the page's defaults) before anything is priced.
  linkOptions(showLinkProblems);
  try {
    await loadLogEngine();
  } catch (err) {
    render($('result'), errorBox(err, 'The log importer could not be loaded'));
    status.textContent = '';
    return;
  }
  spare = startReader();
  status.textContent = 'Ready: choose a log file.';
  document.body.dataset.ready = 'true';
  $('price').disabled = false;
  $('log-file').addEventListener('change', () => {
    const f = $('log-file').files?.[0];
    if (!f) return;
    lastFile = f;
    price(f);
  });
  const zone = $('drop-zone');
  zone.addEventListener('dragover', (ev) => {
    ev.preventDefault();
    ev.dataTransfer.dropEffect = 'copy';
  });
  zone.addEventListener('drop', (ev) => {
    ev.preventDefault();
    const f = ev.dataTransfer.files?.[0];
    if (!f) return;
    lastFile = f;
    price(f);
  });
  $('log-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (lastFile) price(lastFile);
    else status.textContent = 'Choose a log file first.';
  });
  $('stop').addEventListener('click', () => {
    run++;
    stopReading();
    $('stop').disabled = true;
    showStopped();
    status.textContent = 'Stopped.';
    document.body.dataset.done = 'true';
  });
}

main();
