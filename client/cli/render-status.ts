// The académie grid as text: `synchro status` and `synchro demo` print the same lines.
import { LEVEL_LABELS, type AnomalyLevel } from '../../rules/anomaly';
import { formatTime, STATUS_LABELS, STEP_LABELS } from '../actions/labels';
import type { SchoolStatus } from '../actions/school-status';

export const LEVELS: AnomalyLevel[] = ['blocking', 'error', 'warning', 'info'];

export function renderStatus(rows: SchoolStatus[]): string {
  if (rows.length === 0) return 'Aucun établissement ne correspond.';
  const out: string[] = [];
  for (const row of rows) {
    out.push(`${row.uai}  ${row.name}  (${row.academie}, millésime ${row.millesime ?? '—'})`);
    for (const cell of row.steps) {
      const counts = cell.anomalies ? LEVELS.filter((l) => cell.anomalies![l] > 0).map((l) => `${LEVEL_LABELS[l]} ${cell.anomalies![l]}`).join(', ') : '';
      const status = cell.status === null ? '—' : STATUS_LABELS[cell.status];
      const run = cell.stepRunId === null ? '' : `  n° ${cell.stepRunId}, ${formatTime(cell.updatedAt ? new Date(cell.updatedAt) : null)}`;
      out.push(`  ${STEP_LABELS[cell.step].padEnd(24)} ${status.padEnd(24)} ${counts.padEnd(30)}${run}`.trimEnd());
    }
    out.push('');
  }
  return out.join('\n');
}

/** One school of `status --json`: { uai, name, academie, millesime, steps: [{ step, status, anomalies, updatedAt, stepRunId }] }. */
export function statusJson(row: SchoolStatus) {
  return {
    uai: row.uai,
    name: row.name,
    academie: row.academie,
    millesime: row.millesime,
    steps: row.steps.map((s) => ({ step: s.step, status: s.status, anomalies: s.anomalies, updatedAt: s.updatedAt, stepRunId: s.stepRunId })),
  };
}
