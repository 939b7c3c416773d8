// The reading's progress: a bar of the bytes read and a line of counts and speed.
import { html } from '../../shared/html.js';
import { t } from '../../shared/i18n/index.js';
import * as fmt from '../../shared/format.js';
import { LogView } from './view.js';
import { count, size } from '../text.js';

export class WaLogProgress extends LogView {
  view(s) {
    const p = s.progress;
    if (!p) return html``;
    const percent = p.total > 0 ? Math.min(100, (100 * p.bytes) / p.total) : 100;
    const rate = p.seconds > 0 ? p.events / p.seconds : 0;
    const perSecond = rate >= 1e6 ? t('log.progress.millions', { n: fmt.num(rate / 1e6, { digits: 2 }) }) : count(Math.round(rate));
    const line = t('log.progress.line', {
      read: size(p.bytes), total: size(p.total), events: count(p.events), rate: perSecond, errors: count(p.errors), users: count(p.users),
    }) + (p.state === 'reading' ? '' : t(`log.progress.end.${p.state}`));
    return html`<section class="card" id="progress" aria-labelledby="progress-title">
      <h2 id="progress-title">${t(`log.progress.${p.state}`)}</h2>
      <svg class="bar" id="progress-bar" role="progressbar" aria-label="${t('log.progress.aria')}" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${percent.toFixed(0)}">
        <rect class="bar-track" width="100%" height="100%"></rect>
        <rect class="cat-utility" id="progress-fill" width="${percent.toFixed(1)}%" height="100%"></rect>
      </svg>
      <p id="progress-text" class="muted" data-testid="progress-text">${line}</p>
    </section>`;
  }
}

customElements.define('wa-log-progress', WaLogProgress);
