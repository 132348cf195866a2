// The report of one step run, shaped like the applications' own: counts by level first (LSU's
// "Alertes : 03 Enseignant inconnu"), then the messages grouped by label and code with how many
// times each occurs (SIECLE's families GROUPE / ELEGRP), then every anomaly with what it concerns,
// the cause and the correction. The dashboard's report page and `synchro report` both print it.
import type { Db } from '../../db/client';
import { listAnomaliesByRun, toAnomaly } from '../../db/queries/anomalies';
import { getSchool } from '../../db/queries/schools';
import { getStepRun, listReruns, listStepHistory } from '../../db/queries/step-runs';
import type { School, StepRun } from '../../db/schema';
import { compareLevels, countByLevel, type Anomaly, type AnomalyLevel, type AnomalySubject, type LevelCounts } from '../../rules/anomaly';
import { familyMessage } from '../../rules/elegroupe-import';

export interface AnomalyGroup {
  code: string;
  label?: string;
  /** The family's own sentence for SIECLE (GROUPE, ELEGRP), when it has one. */
  familyMessage?: string;
  /** The worst level inside the group. */
  level: AnomalyLevel;
  count: number;
  cause?: string;
  correction?: string;
  items: Anomaly[];
}

export interface RunReport {
  run: StepRun;
  school?: School;
  counts: LevelCounts;
  groups: AnomalyGroup[];
  /** The failed run this one repeats, and the re-runs of this one. */
  rerunOf?: StepRun;
  reruns: StepRun[];
  /** Every run of this step for this school, millésime and period, newest first (this one included). */
  history: StepRun[];
}

/** Blocking first; inside a level, in the order found (the order the applications print). */
export function groupAnomalies(anomalies: readonly Anomaly[]): AnomalyGroup[] {
  const groups = new Map<string, AnomalyGroup>();
  for (const a of anomalies) {
    const key = `${a.label ?? ''}\u0000${a.code}`;
    let group = groups.get(key);
    if (!group) {
      group = { code: a.code, level: a.level, count: 0, items: [] };
      if (a.label !== undefined) group.label = a.label;
      const family = a.label === undefined ? undefined : familyMessage(a.label);
      if (family !== undefined) group.familyMessage = family;
      groups.set(key, group);
    }
    group.count += 1;
    group.items.push(a);
    if (compareLevels(a.level, group.level) > 0) group.level = a.level;
    group.cause ??= a.cause;
    group.correction ??= a.correction;
  }
  return [...groups.values()].sort((x, y) => compareLevels(y.level, x.level));
}

export async function runReport(db: Db, stepRunId: number): Promise<RunReport | undefined> {
  const run = await getStepRun(db, stepRunId);
  if (!run) return undefined;
  const [school, rows, reruns, rerunOf, history] = await Promise.all([
    getSchool(db, run.uai),
    listAnomaliesByRun(db, run.id),
    listReruns(db, run.id),
    run.rerunOf === null ? undefined : getStepRun(db, run.rerunOf),
    listStepHistory(db, run),
  ]);
  const anomalies = rows.map(toAnomaly);
  return { run, school, counts: countByLevel(anomalies), groups: groupAnomalies(anomalies), rerunOf, reruns, history };
}

/** "élève 1234567 · groupe 4A_ESP · ligne 12": ids only, never a name. */
export function describeSubject(subject: AnomalySubject | undefined): string {
  if (!subject) return '';
  const parts: string[] = [];
  if (subject.pupilId) parts.push(`élève ${subject.pupilId}`);
  if (subject.division) parts.push(`division ${subject.division}`);
  if (subject.groupCode) parts.push(`groupe ${subject.groupCode}`);
  if (subject.teacherId) parts.push(`enseignant ${subject.teacherId}`);
  if (subject.file) parts.push(`fichier ${subject.file}`);
  if (subject.line !== undefined) parts.push(`ligne ${subject.line}`);
  return parts.join(' · ');
}
