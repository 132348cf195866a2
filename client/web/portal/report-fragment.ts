// The answer to one upload, as an HTML fragment the page's script inserts as is (every value is
// escaped here): the decision first (deposited, or refused and why), then the report `synchro
// check` prints — verdict, messages grouped by code with their counts, cause and correction — and
// the full compte-rendu / rapport d'exécution text of `synchro check` for the details.
import { html } from 'hono/html';
import { LEVEL_LABELS, type Anomaly } from '../../../rules/anomaly';
import { renderResult } from '../../cli/check/render';
import { STEP_LABELS } from '../../actions/labels';
import type { Html } from '../layout';
import type { HandInResult } from './hand-in';

const VERDICTS = { accepted: 'accepté', 'accepted-with-anomalies': 'accepté avec anomalies', rejected: 'rejeté' } as const;

interface CodeGroup {
  code: string;
  label?: string;
  level: Anomaly['level'];
  count: number;
  message: string;
  cause?: string;
  correction?: string;
}

export function groupByCode(anomalies: readonly Anomaly[]): CodeGroup[] {
  const groups = new Map<string, CodeGroup>();
  for (const a of anomalies) {
    const g = groups.get(a.code);
    if (g) {
      g.count += 1;
      g.cause ??= a.cause;
      g.correction ??= a.correction;
    } else {
      groups.set(a.code, { code: a.code, ...(a.label && { label: a.label }), level: a.level, count: 1, message: a.message, ...(a.cause && { cause: a.cause }), ...(a.correction && { correction: a.correction }) });
    }
  }
  return [...groups.values()];
}

function decision(r: HandInResult): Html {
  if (!r.deposited) return html`<p class="notice error decision" data-outcome="refused"><strong>Refusé, rien n'a été déposé :</strong> ${r.refusal ?? ''}</p>`;
  const woke = r.signalled === 'sent'
    ? "l'étape qui l'attend est prévenue et reprend sans attendre."
    : r.signalled === 'not-running'
      ? "l'année scolaire de l'établissement n'est pas en cours : le fichier sera pris à son prochain lancement."
      : "Temporal n'est pas joignable d'ici : le fichier sera pris au prochain passage de l'étape.";
  return html`<p class="notice decision" data-outcome="deposited"><strong>Déposé</strong> dans la boîte de réception ${r.application ?? ''}${r.step ? ` (étape « ${STEP_LABELS[r.step]} »)` : ''} : ${woke}</p>`;
}

export function uploadReport(r: HandInResult): Html {
  const res = r.result;
  const groups = groupByCode(res.anomalies);
  return html`<article class="upload-report" data-file="${res.file}" data-kind="${res.kind}" data-verdict="${res.verdict}" data-outcome="${r.deposited ? 'deposited' : 'refused'}">
<h3>${res.file}${res.uai ? ` — UAI ${res.uai}` : ''}${res.millesime !== undefined ? ` — millésime ${res.millesime}` : ''}</h3>
${decision(r)}
<p>Verdict : <strong class="verdict">${VERDICTS[res.verdict]}</strong></p>
${groups.length === 0 ? html`<p>Aucune anomalie.</p>` : html`<table class="codes"><thead><tr><th>Nombre</th><th>Niveau</th><th>Code</th><th>Message</th><th>Cause</th><th>Correction</th></tr></thead><tbody>${groups.map((g) => html`<tr data-code="${g.code}" data-count="${g.count}"><td>${String(g.count).padStart(2, '0')}</td><td>${LEVEL_LABELS[g.level]}</td><td>${g.code}${g.label && g.label !== g.code ? ` (${g.label})` : ''}</td><td>${g.message}${g.count > 1 ? html` <span class="muted">(et ${g.count - 1} autre${g.count > 2 ? 's' : ''})</span>` : html``}</td><td>${g.cause ?? ''}</td><td>${g.correction ?? ''}</td></tr>`)}</tbody></table>`}
<details><summary>Rapport complet (comme « synchro check »)</summary><pre class="report">${renderResult(res)}</pre></details>
</article>`;
}

export function refusedUpload(name: string, message: string): Html {
  return html`<article class="upload-report" data-file="${name}" data-outcome="refused"><h3>${name}</h3><p class="notice error decision" data-outcome="refused"><strong>Refusé, rien n'a été déposé :</strong> ${message}</p></article>`;
}
