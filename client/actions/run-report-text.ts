// `synchro report` in a terminal: the same sections as the dashboard's report page.
import { LEVEL_LABELS, type AnomalyLevel } from '../../rules/anomaly';
import { formatTime, STATUS_LABELS, STEP_LABELS } from './labels';
import { describeSubject, type RunReport } from './run-report';

const LEVELS: AnomalyLevel[] = ['blocking', 'error', 'warning', 'info'];
const pad2 = (n: number): string => String(n).padStart(2, '0');

export function renderRunReportText(report: RunReport): string {
  const { run } = report;
  const out = [
    `═══ Exécution ${run.id} — ${STEP_LABELS[run.step]} (${run.step}) — ${run.uai}${report.school ? ` ${report.school.name}` : ''} — millésime ${run.millesime}${run.period !== null ? ` — période ${run.period}` : ''}`,
    `État : ${STATUS_LABELS[run.status]} · tentatives : ${run.attempts} · début : ${formatTime(run.startedAt)} · fin : ${formatTime(run.finishedAt)}`,
  ];
  if (run.inputSha256) out.push(`Fichier : sha256 ${run.inputSha256}`);
  if (run.confirmedAt) out.push(`Confirmée par ${run.confirmedBy ?? 'personne nommée'} le ${formatTime(run.confirmedAt)}`);
  if (report.rerunOf) out.push(`Relance de l'exécution ${report.rerunOf.id} (${STATUS_LABELS[report.rerunOf.status]})`);
  for (const r of report.reruns) out.push(`Relancée par l'exécution ${r.id} (${STATUS_LABELS[r.status]})`);

  if (report.history.length > 1) {
    out.push('', `Historique de l'étape (${report.history.length} exécutions, la plus récente d'abord)`);
    for (const h of report.history) {
      const counts = LEVELS.map((level) => `${LEVEL_LABELS[level][0]} ${h[`${level}Count`]}`).join(' · ');
      out.push(`  ${h.id === run.id ? '→' : ' '} ${String(h.id).padStart(6)} ${STATUS_LABELS[h.status].padEnd(24)} ${formatTime(h.startedAt)}  ${h.inputSha256 ? h.inputSha256.slice(0, 12) : '—'.padEnd(12)}  ${counts}`);
    }
  }
  out.push('', 'Synthèse', ...LEVELS.map((level) => `  ${LEVEL_LABELS[level].padEnd(14)} ${report.counts[level]}`));
  out.push('', 'Messages');
  if (report.groups.length === 0) out.push('  Aucune anomalie.');
  for (const g of report.groups) {
    out.push(`  ${pad2(g.count)} ${LEVEL_LABELS[g.level].padEnd(14)} ${g.code}${g.label && g.label !== g.code ? ` (${g.label})` : ''}${g.familyMessage ? ` — ${g.familyMessage}` : ''}`);
  }
  for (const g of report.groups) {
    out.push('', `Détail : ${g.code}${g.label && g.label !== g.code ? ` (${g.label})` : ''} — ${g.count}`);
    if (g.cause) out.push(`  Cause      ${g.cause}`);
    if (g.correction) out.push(`  Correction ${g.correction}`);
    for (const a of g.items) {
      const subject = describeSubject(a.subject);
      out.push(`  [${LEVEL_LABELS[a.level]}] ${a.message}${subject ? ` (${subject})` : ''}`);
      if (a.cause && a.cause !== g.cause) out.push(`    Cause      ${a.cause}`);
      if (a.correction && a.correction !== g.correction) out.push(`    Correction ${a.correction}`);
    }
  }
  return [...out, ''].join('\n');
}
