// `/ecoles/:uai`: a school's timeline, every step run newest first, with its attempts, times and
// the re-run links both ways (this run repeats #n / was repeated by #m).
import { html } from 'hono/html';
import type { School, StepRun } from '../../../db/schema';
import { formatTime, STEP_LABELS } from '../../actions/labels';
import { anomalyCounts, statusBadge } from '../cells';
import { page, type Html } from '../layout';

/** `extra`: sections added below the runs (the audit log's, pages/audit.ts). */
export function schoolPage(school: School, runs: StepRun[], extra: Html = html``): Html {
  const rerunsOf = new Map<number, number[]>();
  for (const r of runs) if (r.rerunOf !== null) rerunsOf.set(r.rerunOf, [...(rerunsOf.get(r.rerunOf) ?? []), r.id]);
  const rows = runs.map((r) => {
    const counts = { info: r.infoCount, warning: r.warningCount, error: r.errorCount, blocking: r.blockingCount };
    const links = [
      ...(r.rerunOf !== null ? [html`relance de <a href="/runs/${r.rerunOf}">#${r.rerunOf}</a>`] : []),
      ...(rerunsOf.get(r.id) ?? []).map((id) => html`relancée par <a href="/runs/${id}">#${id}</a>`),
    ];
    return html`<tr><td><a href="/runs/${r.id}">#${r.id}</a></td><td title="${r.step}">${STEP_LABELS[r.step]}</td><td>${r.millesime}</td><td>${r.period ?? '—'}</td><td>${statusBadge(r.status)}</td><td>${r.attempts}</td><td>${formatTime(r.startedAt)}</td><td>${formatTime(r.finishedAt)}</td><td>${r.night ?? '—'}</td><td>${anomalyCounts(counts)}</td><td>${links.map((l, i) => (i === 0 ? l : html`, ${l}`))}</td></tr>`;
  });
  const body = html`<h1>${school.uai} — ${school.name}</h1>
<p>Académie ${school.academie} · connecteur ${school.connectorKind} · <a href="/etablissement/${school.uai}">page de l'établissement (étapes à faire, dépôt des fichiers)</a></p>
<h2>Exécutions, des plus récentes aux plus anciennes</h2>
${runs.length === 0
    ? html`<p class="notice">Aucune exécution pour cet établissement.</p>`
    : html`<table class="timeline"><thead><tr><th>N°</th><th>Étape</th><th>Millésime</th><th>Période</th><th>État</th><th>Tentatives</th><th>Début</th><th>Fin</th><th>Nuit</th><th>Anomalies</th><th>Relances</th></tr></thead><tbody>${rows}</tbody></table>`}
${extra}`;
  return page(`${school.uai} ${school.name}`, body);
}
