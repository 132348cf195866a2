// Where every school stands: for each school, the latest run of each step (of its newest
// millésime unless one is asked). The académie grid of the dashboard and `synchro status` both
// print this, so that the screen and the scripts never disagree.
import type { Db } from '../../db/client';
import { listSchools } from '../../db/queries/schools';
import { listLatestStepRuns, listStepRuns } from '../../db/queries/step-runs';
import type { StepRun } from '../../db/schema';
import type { LevelCounts } from '../../rules/anomaly';
import { STEP_IDS, type StepId, type StepStatus } from '../../workflows/steps';

export interface StatusFilter {
  uai?: string;
  academie?: string;
  millesime?: number;
  /** Only this column. */
  step?: StepId;
  /** Only schools with at least one shown step in this status. */
  status?: StepStatus;
}

export interface StepCell {
  step: StepId;
  /** null: never run for this millésime. */
  status: StepStatus | null;
  stepRunId: number | null;
  anomalies: LevelCounts | null;
  updatedAt: string | null;
  /** sha256 of the file the latest run moved (exchange_files), null when it moved none. */
  inputSha256: string | null;
  /** Every run of the step, newest first (the latest is the cell): the step's history. */
  runs: RunSummary[];
}

export interface RunSummary {
  stepRunId: number;
  status: StepStatus;
  inputSha256: string | null;
  anomalies: LevelCounts;
  startedAt: string;
  finishedAt: string | null;
  rerunOf: number | null;
  night: string | null;
}

export interface SchoolStatus {
  uai: string;
  name: string;
  academie: string;
  /** null: nothing has run yet for this school. */
  millesime: number | null;
  steps: StepCell[];
}

const countsOf = (run: StepRun): LevelCounts => ({ info: run.infoCount, warning: run.warningCount, error: run.errorCount, blocking: run.blockingCount });

const summaryOf = (run: StepRun): RunSummary => ({
  stepRunId: run.id, status: run.status, inputSha256: run.inputSha256, anomalies: countsOf(run), startedAt: run.startedAt.toISOString(),
  finishedAt: run.finishedAt?.toISOString() ?? null, rerunOf: run.rerunOf, night: run.night,
});

export async function schoolStatuses(db: Db, filter: StatusFilter = {}): Promise<SchoolStatus[]> {
  const schools = (await listSchools(db)).filter((s) => (filter.uai === undefined || s.uai === filter.uai) && (filter.academie === undefined || s.academie === filter.academie));
  const latest = await listLatestStepRuns(db, { uai: filter.uai, millesime: filter.millesime });
  // The history behind each cell: every run, newest first (one query, grouped here).
  const history = new Map<string, RunSummary[]>();
  for (const run of await listStepRuns(db, { uai: filter.uai, millesime: filter.millesime })) {
    const key = `${run.uai}|${run.millesime}|${run.step}`;
    history.set(key, [...(history.get(key) ?? []), summaryOf(run)]);
  }
  const byUai = new Map<string, StepRun[]>();
  for (const run of latest) byUai.set(run.uai, [...(byUai.get(run.uai) ?? []), run]);
  const steps = filter.step ? [filter.step] : STEP_IDS;

  const rows = schools.map((school): SchoolStatus => {
    const runs = byUai.get(school.uai) ?? [];
    const millesime = runs.length > 0 ? Math.max(...runs.map((r) => r.millesime)) : null;
    const cells = steps.map((step): StepCell => {
      const run = runs.find((r) => r.millesime === millesime && r.step === step);
      return run
        ? { step, status: run.status, stepRunId: run.id, anomalies: countsOf(run), updatedAt: run.updatedAt.toISOString(), inputSha256: run.inputSha256, runs: history.get(`${run.uai}|${run.millesime}|${step}`) ?? [] }
        : { step, status: null, stepRunId: null, anomalies: null, updatedAt: null, inputSha256: null, runs: [] };
    });
    return { uai: school.uai, name: school.name, academie: school.academie, millesime, steps: cells };
  });
  return filter.status === undefined ? rows : rows.filter((row) => row.steps.some((cell) => cell.status === filter.status));
}

export async function listAcademies(db: Db): Promise<string[]> {
  return [...new Set((await listSchools(db)).map((s) => s.academie))].sort();
}
