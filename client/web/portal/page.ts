// `/etablissement/:uai`: the school's page for its staff. The year and the current term step by
// step (state, what to do next with the application, the menu and the file, every run newest
// first with its report), the school's audit log, and the drop zone: each file is sent by the
// page's script (upload-script.ts, a same-origin file: the CSP runs no inline script) as its own
// PUT with the raw file as the body (no multipart parser, streamed to disk on the server), and the
// server's report for it appears at once, before anything is deposited.
import { html } from 'hono/html';
import { formatTime, STATUS_LABELS } from '../../actions/labels';
import { anomalyCounts, statusBadge } from '../cells';
import { page, type Html } from '../layout';
import type { MenuAction } from './guidance';
import type { SchoolYearView, StepView } from './school-year';
import { MAX_UPLOAD_BYTES } from './upload-body';
import { UPLOAD_SCRIPT_URL } from './upload-script';

function menu(label: string, action: MenuAction | undefined): Html {
  if (!action) return html``;
  return html`<tr><th>${label}</th><td>${action.application}</td><td>${action.menu ? html`« ${action.menu} »` : html`<span class="muted">menu non décrit par la procédure</span>`}</td><td>${action.what}</td></tr>`;
}

function history(view: StepView): Html {
  if (view.history.length === 0) return html`<p class="muted">Aucune exécution pour l'instant.</p>`;
  return html`<table class="history"><thead><tr><th>N°</th><th>État</th><th>Début</th><th>Fin</th><th>Tentatives</th><th>Anomalies</th><th>Rapport</th></tr></thead><tbody>${view.history.map((r) => {
    const counts = { info: r.infoCount, warning: r.warningCount, error: r.errorCount, blocking: r.blockingCount };
    return html`<tr data-run="${r.id}"><td>#${r.id}${r.rerunOf !== null ? html` <span class="muted">(relance de #${r.rerunOf})</span>` : html``}</td><td>${statusBadge(r.status)}</td><td>${formatTime(r.startedAt)}</td><td>${formatTime(r.finishedAt)}</td><td>${r.attempts}</td><td>${anomalyCounts(counts)}</td><td><a href="/runs/${r.id}">rapport</a></td></tr>`;
  })}</tbody></table>`;
}

function step(view: StepView, index: number): Html {
  const g = view.guidance;
  return html`<section class="step" data-step="${view.step}" data-status="${view.status ?? 'none'}">
<h3>${index}. ${g.title}</h3>
<p>État : ${view.status ? statusBadge(view.status) : html`<span class="muted">pas commencée</span>`}${view.latest ? html` <span class="muted">(${STATUS_LABELS[view.latest.status]} depuis ${formatTime(view.latest.updatedAt)})</span>` : html``}</p>
<p class="notice next"><strong>À faire :</strong> ${view.next}</p>
<table class="how"><tbody>${menu('Export', g.export)}${menu('Import', g.import)}${menu('Vérifier', g.verify)}${view.expectedFile ? html`<tr><th>Fichier</th><td colspan="3"><code>${view.expectedFile}</code>${g.file?.note ? html` — ${g.file.note}` : html``}</td></tr>` : html``}</tbody></table>
${g.file ? html`<p><label>Déposer le fichier de cette étape <input type="file" multiple data-step="${view.step}"></label></p>` : html``}
<details${view.history.length > 0 && view.history.length <= 3 ? html` open` : html``}><summary>Historique des exécutions (${view.history.length})</summary>${history(view)}</details>
<p class="muted">Procédure : ${g.source}.</p>
</section>`;
}

const STYLE = `#zone{border:2px dashed #000091;padding:1.5em;text-align:center;margin:.5em 0}#zone.over{background:#e3e3fd}
#rapports{list-style:none;padding:0}#rapports>li{border:1px solid #ced4da;margin:.5em 0;padding:.5em}
section.step{border-top:1px solid #ced4da;margin-top:1em}table.how th{width:6em}pre.report{white-space:pre-wrap;font-size:.85em;background:#f8f9fa;padding:.5em}`;

export function etablissementPage(view: SchoolYearView, upload: { url: string; csrf: string }, audit: Html = html``): Html {
  const { school, millesime } = view;
  const body = html`<style>${STYLE}</style>
<h1>${school.uai} — ${school.name}</h1>
<p>Académie ${school.academie} · année scolaire ${millesime}-${millesime + 1} (millésime SIECLE ${millesime})</p>
<h2>Déposer des fichiers</h2>
<div id="depot" data-url="${upload.url}" data-csrf="${upload.csrf}" data-max="${MAX_UPLOAD_BYTES}">
<div id="zone">Glissez ici les fichiers exportés (plusieurs à la fois, 100 Mo au plus chacun), ou <label>choisissez-les <input type="file" multiple id="fichiers"></label>.</div>
<noscript><p class="notice error">Le dépôt depuis cette page demande JavaScript. Sans lui : « synchro drop FICHIER --uai ${school.uai} » sur le serveur.</p></noscript>
<p class="muted">Chaque fichier est reconnu à son contenu et contrôlé comme le feraient SIECLE ou LSU ; le rapport s'affiche ci-dessous avant tout dépôt. Un fichier d'un autre établissement, d'un autre millésime ou d'une autre application est refusé.</p>
<ul id="rapports"></ul>
</div>
<h2>L'année, étape par étape</h2>
${view.year.map((s, i) => step(s, i + 1))}
${view.term ? html`<h2>Période ${view.term.period} : fin de période</h2>${view.term.steps.map((s, i) => step(s, i + 1))}` : html`<h2>Fin de période</h2><p class="muted">Aucune période commencée pour ce millésime.</p>`}
${audit}
<script src="${UPLOAD_SCRIPT_URL}" defer></script>`;
  return page(`${school.uai} ${school.name}`, body);
}
