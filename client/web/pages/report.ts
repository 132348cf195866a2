// `/runs/:id`: one run's report, read the way SIECLE's compte-rendu and LSU's rapport d'exécution
// read: the counts by level, the messages grouped by label and code with their counts, then the
// detail (what each anomaly concerns, its cause and correction). The actions an operator may take
// on this run sit at the top: confirm a step waiting for a person, re-run a failed one.
import { html } from 'hono/html';
import { LEVEL_LABELS, type AnomalyLevel } from '../../../rules/anomaly';
import { formatTime, STATUS_LABELS, STEP_LABELS } from '../../actions/labels';
import { describeSubject, type AnomalyGroup, type RunReport } from '../../actions/run-report';
import { statusBadge } from '../cells';
import { csrfField, page, type Html } from '../layout';

const LEVELS: AnomalyLevel[] = ['blocking', 'error', 'warning', 'info'];

export interface ReportView {
  report: RunReport;
  /** Link to the run in the Temporal Web UI, when one is configured. */
  temporalUrl?: string;
  /** Why the buttons cannot work here (no Temporal), if they cannot. */
  actionsDisabled?: string;
}

/** A button of a signed-in page: the session acts, the form carries its synchronizer token. */
function actionForm(action: string, label: string): Html {
  return html`<form method="post" action="${action}">${csrfField()}<button type="submit">${label}</button></form>`;
}

function actions(view: ReportView): Html {
  const { run } = view.report;
  const buttons: Html[] = [];
  if (run.status === 'waiting-person') {
    buttons.push(actionForm(`/runs/${run.id}/confirmer`, "Confirmer l'étape"));
  }
  if (run.status === 'failed') buttons.push(actionForm(`/runs/${run.id}/relancer`, 'Relancer'));
  if (buttons.length === 0) return html``;
  if (view.actionsDisabled) return html`<p class="notice">${view.actionsDisabled}</p>`;
  return html`<div class="actions">${buttons}</div>`;
}

function group(g: AnomalyGroup): Html {
  const title = g.label && g.label !== g.code ? html`${g.code} (${g.label})` : html`${g.code}`;
  return html`<section class="group" data-code="${g.code}"><h3>${title} — ${g.count}</h3>
${g.cause ? html`<p><strong>Cause</strong> ${g.cause}</p>` : html``}${g.correction ? html`<p><strong>Correction</strong> ${g.correction}</p>` : html``}
<table><thead><tr><th>Niveau</th><th>Concerne</th><th>Message</th></tr></thead><tbody>${g.items.map(
    (a) => html`<tr><td>${LEVEL_LABELS[a.level]}</td><td>${describeSubject(a.subject) || '—'}</td><td>${a.message}${a.cause && a.cause !== g.cause ? html`<br><em>Cause</em> ${a.cause}` : html``}${a.correction && a.correction !== g.correction ? html`<br><em>Correction</em> ${a.correction}` : html``}</td></tr>`,
  )}</tbody></table></section>`;
}

export function reportPage(view: ReportView): Html {
  const { run, school, counts, groups, rerunOf, reruns } = view.report;
  const head = html`<h1>Exécution #${run.id} — ${STEP_LABELS[run.step]}</h1>
<dl>
<dt>Établissement</dt><dd><a href="/ecoles/${encodeURIComponent(run.uai)}">${run.uai}</a> ${school?.name ?? ''}</dd>
<dt>Étape</dt><dd>${STEP_LABELS[run.step]} (${run.step}), millésime ${run.millesime}${run.period !== null ? `, période ${run.period}` : ''}</dd>
<dt>État</dt><dd>${statusBadge(run.status)}</dd>
<dt>Tentatives</dt><dd>${run.attempts}</dd>
<dt>Début · fin</dt><dd>${formatTime(run.startedAt)} · ${formatTime(run.finishedAt)}</dd>
${run.night ? html`<dt>Nuit</dt><dd>${run.night}</dd>` : html``}
${rerunOf ? html`<dt>Relance de</dt><dd><a href="/runs/${rerunOf.id}">#${rerunOf.id}</a> (${STATUS_LABELS[rerunOf.status]})</dd>` : html``}
${reruns.length > 0 ? html`<dt>Relancée par</dt><dd>${reruns.map((r, i) => html`${i > 0 ? ', ' : ''}<a href="/runs/${r.id}">#${r.id}</a> (${STATUS_LABELS[r.status]})`)}</dd>` : html``}
<dt>Workflow</dt><dd>${view.temporalUrl ? html`<a href="${view.temporalUrl}">${run.workflowId}</a> (Temporal UI)` : run.workflowId}</dd>
</dl>`;
  const summary = html`<h2>Synthèse</h2><table class="summary"><tbody>${LEVELS.map((l) => html`<tr><th>${LEVEL_LABELS[l]}</th><td data-level="${l}">${counts[l]}</td></tr>`)}</tbody></table>`;
  const messages = html`<h2>Messages</h2>${groups.length === 0
    ? html`<p>Aucune anomalie.</p>`
    : html`<table class="messages"><thead><tr><th>Nombre</th><th>Niveau</th><th>Code</th><th>Libellé</th></tr></thead><tbody>${groups.map(
        (g) => html`<tr><td>${String(g.count).padStart(2, '0')}</td><td>${LEVEL_LABELS[g.level]}</td><td>${g.code}</td><td>${g.label ?? ''}${g.familyMessage ? html` — ${g.familyMessage}` : html``}</td></tr>`,
      )}</tbody></table>`}`;
  const detail = groups.length === 0 ? html`` : html`<h2>Détail des anomalies</h2>${groups.map(group)}`;
  return page(`Exécution ${run.id}`, html`${head}${actions(view)}${summary}${messages}${detail}`);
}

export function messagePage(title: string, message: string, back: string | undefined, isError: boolean): Html {
  return page(title, html`<h1>${title}</h1><p class="notice${isError ? ' error' : ''}">${message}</p>${back ? html`<p><a href="${back}">Retour</a></p>` : html``}`);
}
