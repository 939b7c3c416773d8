// The status line and the notice of options in the link that were not used.
import { html } from '../../shared/html.js';
import { t } from '../../shared/i18n/index.js';
import { LogView } from './view.js';
import { errorLine } from '../text.js';

export class WaLogStatus extends LogView {
  view(s) {
    const problems = s.linkProblems;
    return html`<p id="status" class="status" role="status" aria-live="polite">${s.status ? t(s.status.key, s.status.vars) : ''}</p>
      <div id="link-problems" data-testid="link-problems">${problems.length
        ? html`<div class="error" role="alert" data-testid="link-problem">
          <p class="error-title">${t('log.link.title')}</p>
          ${problems.map((p) => errorLine({ code: p.code, path: p.path, message: t(p.why.key, { ...p.why.vars, why: p.why.vars.why ? t(p.why.vars.why.key, p.why.vars.why.vars) : undefined }) }, true))}
        </div>` : ''}</div>`;
  }
}

customElements.define('wa-log-status', WaLogStatus);
