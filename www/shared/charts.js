// Charts as SVG markup built from the engine's figures (no canvas, no library). Geometry uses
// floats; every number shown as text is the engine's decimal string, formatted by format.js.
// Colours come from CSS classes (cat-<category>), so the stylesheet and print view control them.
import { html } from './html.js';
import { toFloat } from './format.js';

const CATEGORY_ORDER = [
  'marketing', 'utility', 'authentication', 'authentication_international', 'service',
  'business_initiated', 'user_initiated', 'referral_conversion', 'reseller',
];

export function categoryOrder(a, b) {
  const ia = CATEGORY_ORDER.indexOf(a);
  const ib = CATEGORY_ORDER.indexOf(b);
  return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || String(a).localeCompare(String(b));
}

/** Class name for a category (only [a-z_] survive). */
export const catClass = (cat) => `cat-${String(cat).replace(/[^a-z_]/g, '')}`;

/**
 * One horizontal bar split into segments: [{ key, value (float), title }]. Scales to its box.
 * `max` sets the full width (defaults to the sum), so several bars can share a scale.
 */
export function stackedBar(segments, { max, label, height = 18 } = {}) {
  const total = segments.reduce((s, x) => s + Math.max(0, x.value), 0);
  const full = max ?? total;
  let x = 0;
  const rects = [];
  for (const seg of segments) {
    const w = full > 0 ? (Math.max(0, seg.value) / full) * 1000 : 0;
    if (w <= 0) continue;
    rects.push(html`<rect class="${catClass(seg.key)}" x="${x.toFixed(2)}" y="0" width="${Math.max(w, 1.5).toFixed(2)}" height="${height}"><title>${seg.title}</title></rect>`);
    x += w;
  }
  return html`<svg class="bar" viewBox="0 0 1000 ${height}" preserveAspectRatio="none" role="img" aria-label="${label ?? ''}" focusable="false">
    <rect class="bar-track" x="0" y="0" width="1000" height="${height}"></rect>${rects}</svg>`;
}

/**
 * Rows of labelled stacked bars on one scale: [{ key, label, amountText, segments }].
 * Labels and amounts are HTML (they wrap and stay legible at phone width); bars are SVG.
 */
export function barRows(rows, { label } = {}) {
  const max = Math.max(0, ...rows.map((r) => r.segments.reduce((s, x) => s + Math.max(0, x.value), 0)));
  return html`<div class="bar-rows" role="group" aria-label="${label ?? ''}">${rows.map(
    (r) => html`<div class="bar-row" data-key="${r.key}">
      <span class="bar-label">${r.label}</span>
      <span class="bar-amount num">${r.amountText}</span>
      ${stackedBar(r.segments, { max, label: `${r.label}: ${r.amountText}` })}
    </div>`,
  )}</div>`;
}

/** A legend: [{ key, label, valueText }]. */
export function legend(items) {
  return html`<ul class="legend">${items.map(
    (i) => html`<li><span class="swatch ${catClass(i.key)}" aria-hidden="true"></span><span class="legend-label">${i.label}</span>${
      i.valueText ? html` <span class="legend-value num">${i.valueText}</span>` : ''}</li>`,
  )}</ul>`;
}

/** Segments of a byCategory map (engine decimal strings), in the usual category order. */
export function categorySegments(byCategory, titleOf) {
  return Object.keys(byCategory ?? {})
    .sort(categoryOrder)
    .map((key) => ({ key, value: toFloat(byCategory[key]), title: titleOf(key, byCategory[key]) }));
}

// ------------------------------------------------------------------ the timeline

const HOUR = 3_600_000;

/**
 * An SVG timeline of one customer: bands for the customer-service windows, the free-entry-point
 * windows and the conversations; the customer's messages above the axis, the business messages
 * below it, each marked charged, free or not delivered.
 *
 * `data = { from, to, csw: [{from, to}], fep: [{from, to}], conversations: [{from, to, category, id, label}],
 *           inbound: [{at, label, ctwa}], business: [{at, label, state, n}], ticks: [{at, label, major}] }`
 */
export function timelineSvg(data, text, width = 960) {
  const W = Math.max(640, Math.round(width));
  const left = 170;
  const right = 16;
  const span = Math.max(data.to - data.from, HOUR);
  const xOf = (ms) => left + ((ms - data.from) / span) * (W - left - right);
  const clampBand = (b) => ({ x1: xOf(Math.max(b.from, data.from)), x2: xOf(Math.min(b.to, data.to)) });
  const lanes = [
    { key: 'csw', label: text.csw, y: 34 },
    { key: 'fep', label: text.fep, y: 62 },
    { key: 'conv', label: text.conversations, y: 90 },
  ];
  const axisY = 150;
  const H = 206;
  const bandH = 20;
  const band = (b, lane, cls, title, label) => {
    const { x1, x2 } = clampBand(b);
    if (x2 <= x1) return '';
    return html`<g class="band ${cls}" data-from="${b.from}" data-to="${b.to}"><rect x="${x1.toFixed(1)}" y="${lane.y - bandH / 2}" width="${Math.max(2, x2 - x1).toFixed(1)}" height="${bandH}" rx="4"><title>${title}</title></rect>${
      label && x2 - x1 > 70 ? html`<text x="${(x1 + 6).toFixed(1)}" y="${lane.y + 4}" class="band-text">${label}</text>` : ''}</g>`;
  };
  return html`<svg class="timeline-svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${text.title}">
    <title>${text.title}</title>
    ${lanes.map((l) => html`<text class="lane-label" x="8" y="${l.y + 4}">${l.label}</text>
      <line class="lane-line" x1="${left}" x2="${W - right}" y1="${l.y}" y2="${l.y}"></line>`)}
    ${data.ticks.map((t) => html`<g class="tick ${t.major ? 'major' : ''}">
      <line x1="${xOf(t.at).toFixed(1)}" x2="${xOf(t.at).toFixed(1)}" y1="18" y2="${axisY + 6}"></line>
      <text x="${xOf(t.at).toFixed(1)}" y="${H - 6}" text-anchor="middle">${t.label}</text></g>`)}
    ${data.csw.map((b) => band(b, lanes[0], 'band-csw', b.title, b.label))}
    ${data.fep.map((b) => band(b, lanes[1], 'band-fep', b.title, b.label))}
    ${data.conversations.map((b) => band(b, lanes[2], `band-conv ${catClass(b.category)}`, b.title, b.label))}
    <text class="lane-label" x="8" y="${axisY - 18}">${text.customer}</text>
    <text class="lane-label" x="8" y="${axisY + 26}">${text.business}</text>
    <line class="axis" x1="${left}" x2="${W - right}" y1="${axisY}" y2="${axisY}"></line>
    ${data.inbound.map((m) => html`<g class="msg msg-inbound${m.ctwa ? ' msg-ctwa' : ''}">
      <path d="M ${xOf(m.at).toFixed(1)} ${axisY - 4} l -7 -14 h 14 z"><title>${m.label}</title></path></g>`)}
    ${data.business.map((m) => html`<g class="msg msg-${m.state}">
      <circle cx="${xOf(m.at).toFixed(1)}" cy="${axisY + 14}" r="8"><title>${m.label}</title></circle>
      <text x="${xOf(m.at).toFixed(1)}" y="${axisY + 18}" text-anchor="middle" class="msg-n">${m.n}</text></g>`)}
  </svg>`;
}
