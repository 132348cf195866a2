// `/`: the académie grid. One row per school, one column per step of the chain in order; each cell
// is the latest run's status (coloured) and its anomaly counts, linked to its report. Filters are
// a plain GET form, so a filtered view is a URL an operator can bookmark or send.
import { html } from 'hono/html';
import { STATUS_LABELS, STEP_LABELS } from '../../actions/labels';
import type { SchoolStatus, StatusFilter } from '../../actions/school-status';
import { STEP_IDS, STEP_STATUSES } from '../../../workflows/steps';
import { anomalyCounts } from '../cells';
import { page, STATUS_COLOURS, type Html } from '../layout';

export interface GridView {
  rows: SchoolStatus[];
  academies: string[];
  filter: StatusFilter;
  failedOnly: boolean;
}

function option(value: string, label: string, selected: boolean): Html {
  return selected ? html`<option value="${value}" selected>${label}</option>` : html`<option value="${value}">${label}</option>`;
}

function filters(view: GridView): Html {
  const f = view.filter;
  return html`<form class="filters" method="get" action="/">
<label>Académie<select name="academie">${option('', 'toutes', !f.academie)}${view.academies.map((a) => option(a, a, f.academie === a))}</select></label>
<label>Étape<select name="step">${option('', 'toutes', !f.step)}${STEP_IDS.map((s) => option(s, STEP_LABELS[s], f.step === s))}</select></label>
<label>État<select name="status">${option('', 'tous', !f.status || view.failedOnly)}${STEP_STATUSES.map((s) => option(s, STATUS_LABELS[s], !view.failedOnly && f.status === s))}</select></label>
<label><span><input type="checkbox" name="echecs" value="1"${view.failedOnly ? html` checked` : html``}> échecs seulement</span></label>
<button type="submit">Filtrer</button> <a href="/">tout afficher</a>
</form>`;
}

export function gridPage(view: GridView): Html {
  const steps = view.filter.step ? [view.filter.step] : STEP_IDS;
  const head = html`<tr><th>Établissement</th><th>Académie</th><th>Millésime</th>${steps.map((s) => html`<th title="${s}">${STEP_LABELS[s]}</th>`)}</tr>`;
  const rows = view.rows.map(
    (row) => html`<tr data-uai="${row.uai}"><td><a href="/ecoles/${encodeURIComponent(row.uai)}">${row.uai}</a> ${row.name}</td><td>${row.academie}</td><td>${row.millesime ?? '—'}</td>${row.steps.map((cell) =>
      cell.status === null || cell.stepRunId === null
        ? html`<td class="cell muted" data-step="${cell.step}">—</td>`
        : html`<td class="cell status-${cell.status}" data-step="${cell.step}" style="background:${STATUS_COLOURS[cell.status]}"><a href="/runs/${cell.stepRunId}">${STATUS_LABELS[cell.status]}<br>${anomalyCounts(cell.anomalies)}</a></td>`,
    )}</tr>`,
  );
  const body = html`<h1>Établissements de l'académie : état de la chaîne</h1>
${filters(view)}
${view.rows.length === 0 ? html`<p class="notice">Aucun établissement ne correspond à ces filtres.</p>` : html`<table class="grid"><thead>${head}</thead><tbody>${rows}</tbody></table>`}
<p class="muted">Chaque case montre la dernière exécution de l'étape (millésime le plus récent de l'établissement). B bloquant · E erreur · A avertissement · I informatif.</p>`;
  return page("État de l'académie", body);
}
