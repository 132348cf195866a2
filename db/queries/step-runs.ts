// One row per step run, and rows are never reused by another run: the ledger keeps what every
// file said. A run is named by its run key (the step workflow that does it): Temporal retries an
// activity as often as it likes, and every attempt of that run lands on the same row and replaces
// only that row's anomalies. A new file is a new step workflow, so a new row; a re-run asked by a
// person (after a failure) is a new row too, linked to the run it repeats.
import { and, asc, desc, eq, getTableColumns, isNull, sql, type SQL } from 'drizzle-orm';
import type { LevelCounts } from '../../rules/anomaly';
import type { StepId, StepStatus } from '../../steps/vocabulary';
import type { Db } from '../client';
import { anomalies, stepRuns, type StepRun } from '../schema';

export interface StepRunStart {
  uai: string;
  millesime: number;
  step: StepId;
  period?: number | null;
  inputSha256?: string | null;
  workflowId: string;
  runId: string;
  /** Business date (YYYY-MM-DD) of a nightly run. */
  night?: string | null;
  /** The failed run this one repeats. */
  rerunOf?: number | null;
  /**
   * Temporal's attempt number of the activity doing the work: stored as is. Without it, each
   * start adds one. (A step that looks for its file again later is a new activity, attempt 1:
   * looking again is not a failure.)
   */
  attempt?: number;
  /**
   * The run this row is: the step workflow doing it (its id and the school year's first run id),
   * so that two runs of a step never share a row. Without it (older callers, the night's fallback),
   * the key is the business key of the input.
   */
  runKey?: string | null;
  /** Manual steps: who confirmed, and when (ISO time). */
  confirmedBy?: string | null;
  confirmedAt?: string | null;
}


/**
 * uai|millesime|step|period|run key, or |input sha256 when no run key is given ("-" for what is
 * absent). A re-run gets its own key (suffixed with the run it repeats), otherwise it would fold
 * into the failed row.
 */
export function stepRunKey(run: Pick<StepRunStart, 'uai' | 'millesime' | 'step' | 'period' | 'inputSha256' | 'rerunOf' | 'runKey'>): string {
  const base = [run.uai, run.millesime, run.step, run.period ?? '-', run.runKey ? `run:${run.runKey}` : (run.inputSha256 ?? '-')].join('|');
  return run.rerunOf == null ? base : `${base}|rerun-of:${run.rerunOf}`;
}

/**
 * Starts a run, or finds the one a previous attempt of the same run started: then attempts goes up
 * by one, the run is `running` again and that run's own anomalies and counts are dropped (the
 * attempt redoes the step whole: "annule et remplace", like the imports of SIECLE and LSU). Other
 * runs of the step, earlier or later, are never touched.
 */
export async function startStepRun(db: Db, start: StepRunStart): Promise<StepRun> {
  const values = {
    uai: start.uai,
    millesime: start.millesime,
    step: start.step,
    period: start.period ?? null,
    inputSha256: start.inputSha256 ?? null,
    workflowId: start.workflowId,
    runId: start.runId,
    night: start.night ?? null,
    rerunOf: start.rerunOf ?? null,
    confirmedBy: start.confirmedBy ?? null,
    confirmedAt: start.confirmedAt ? new Date(start.confirmedAt) : null,
    idempotencyKey: stepRunKey(start),
    status: 'running' as const,
    attempts: start.attempt ?? 1,
  };
  // One statement for a new run (most starts): the upsert says whether it found the row (a row
  // it updated has a transaction id in xmax, a row it inserted has none), and only then are that
  // run's anomalies dropped. A crash in between leaves them until the next attempt drops them.
  const [upserted] = await db
    .insert(stepRuns)
    .values(values)
    .onConflictDoUpdate({
      target: stepRuns.idempotencyKey,
      set: {
        attempts: start.attempt ?? sql`${stepRuns.attempts} + 1`,
        status: 'running',
        workflowId: sql`excluded.workflow_id`,
        runId: sql`excluded.run_id`,
        // A run tried again on a later night belongs to that night's report.
        night: sql`coalesce(excluded.night, ${stepRuns.night})`,
        inputSha256: sql`coalesce(excluded.input_sha256, ${stepRuns.inputSha256})`,
        confirmedBy: sql`coalesce(excluded.confirmed_by, ${stepRuns.confirmedBy})`,
        confirmedAt: sql`coalesce(excluded.confirmed_at, ${stepRuns.confirmedAt})`,
        finishedAt: null,
        updatedAt: sql`now()`,
        ...zeroCounts,
      },
    })
    .returning({ ...getTableColumns(stepRuns), found: sql<boolean>`(xmax <> 0)` });
  const { found, ...row } = upserted!;
  if (found) await db.delete(anomalies).where(eq(anomalies.stepRunId, row.id));
  return row;
}

const zeroCounts = { infoCount: 0, warningCount: 0, errorCount: 0, blockingCount: 0 };

/** Ends a run with its status and anomaly counts; `night` files it under a night's report. */
export async function finishStepRun(db: Db, id: number, status: StepStatus, counts: LevelCounts, filed: { night?: string } = {}): Promise<StepRun> {
  const [row] = await db
    .update(stepRuns)
    .set({
      status,
      finishedAt: sql`now()`,
      updatedAt: sql`now()`,
      infoCount: counts.info,
      warningCount: counts.warning,
      errorCount: counts.error,
      blockingCount: counts.blocking,
      ...(filed.night !== undefined && { night: filed.night }),
    })
    .where(eq(stepRuns.id, id))
    .returning();
  if (!row) throw new Error(`Step run ${id} does not exist.`);
  return row;
}

/** The file the run moved, once the step has picked it (its sha256: the exchange_files row). */
export async function setStepRunInput(db: Db, id: number, inputSha256: string): Promise<void> {
  await db.update(stepRuns).set({ inputSha256, updatedAt: sql`now()` }).where(eq(stepRuns.id, id));
}

/** For the states in between: waiting for a file or a person, blocked by an earlier step. */
export async function setStepStatus(db: Db, id: number, status: StepStatus): Promise<StepRun> {
  const [row] = await db.update(stepRuns).set({ status, updatedAt: sql`now()` }).where(eq(stepRuns.id, id)).returning();
  if (!row) throw new Error(`Step run ${id} does not exist.`);
  return row;
}

export async function getStepRun(db: Db, id: number): Promise<StepRun | undefined> {
  const [row] = await db.select().from(stepRuns).where(eq(stepRuns.id, id));
  return row;
}

export interface StepRunFilter {
  uai?: string;
  millesime?: number;
  step?: StepId;
  status?: StepStatus;
  night?: string;
  limit?: number;
}

function conditionsOf(filter: Omit<StepRunFilter, 'limit'>): SQL | undefined {
  const conditions: SQL[] = [];
  if (filter.uai !== undefined) conditions.push(eq(stepRuns.uai, filter.uai));
  if (filter.millesime !== undefined) conditions.push(eq(stepRuns.millesime, filter.millesime));
  if (filter.step !== undefined) conditions.push(eq(stepRuns.step, filter.step));
  if (filter.status !== undefined) conditions.push(eq(stepRuns.status, filter.status));
  if (filter.night !== undefined) conditions.push(eq(stepRuns.night, filter.night));
  return conditions.length > 0 ? and(...conditions) : undefined;
}

/** Newest first. */
export async function listStepRuns(db: Db, filter: StepRunFilter = {}): Promise<StepRun[]> {
  const query = db.select().from(stepRuns).where(conditionsOf(filter)).orderBy(desc(stepRuns.id));
  return filter.limit === undefined ? query : query.limit(filter.limit);
}

/**
 * Where every school stands: the latest run of each (UAI, millésime, step), whatever its period.
 * Sorted by UAI, millésime, step.
 */
export async function listLatestStepRuns(db: Db, filter: { uai?: string; millesime?: number } = {}): Promise<StepRun[]> {
  return db
    .selectDistinctOn([stepRuns.uai, stepRuns.millesime, stepRuns.step])
    .from(stepRuns)
    .where(conditionsOf(filter))
    .orderBy(asc(stepRuns.uai), asc(stepRuns.millesime), asc(stepRuns.step), desc(stepRuns.id));
}

/** The morning report: what failed during the night of `night` (YYYY-MM-DD), oldest first. */
export async function listFailedRunsOfNight(db: Db, night: string): Promise<StepRun[]> {
  return db
    .select()
    .from(stepRuns)
    .where(and(eq(stepRuns.night, night), eq(stepRuns.status, 'failed')))
    .orderBy(asc(stepRuns.id));
}

/** The re-runs of a run, oldest first. */
export async function listReruns(db: Db, id: number): Promise<StepRun[]> {
  return db.select().from(stepRuns).where(eq(stepRuns.rerunOf, id)).orderBy(asc(stepRuns.id));
}

/** Every run of one step of one school (same millésime and period), newest first: its history. */
export async function listStepHistory(db: Db, of: Pick<StepRun, 'uai' | 'millesime' | 'step' | 'period'>): Promise<StepRun[]> {
  const conditions = [eq(stepRuns.uai, of.uai), eq(stepRuns.millesime, of.millesime), eq(stepRuns.step, of.step)];
  conditions.push(of.period === null ? isNull(stepRuns.period) : eq(stepRuns.period, of.period));
  return db.select().from(stepRuns).where(and(...conditions)).orderBy(desc(stepRuns.id));
}
