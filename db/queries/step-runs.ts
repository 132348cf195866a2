// One row per step run, keyed by (UAI, millésime, step, period, input sha256): Temporal retries an
// activity as often as it likes, and every attempt lands on the same row. A re-run asked by a
// person (after a failure) is a new row, linked to the run it repeats.
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
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
}


/**
 * uai|millesime|step|period|input sha256 ("-" for what is absent). A re-run gets its own key
 * (suffixed with the run it repeats), otherwise it would fold into the failed row.
 */
export function stepRunKey(run: Pick<StepRunStart, 'uai' | 'millesime' | 'step' | 'period' | 'inputSha256' | 'rerunOf'>): string {
  const base = [run.uai, run.millesime, run.step, run.period ?? '-', run.inputSha256 ?? '-'].join('|');
  return run.rerunOf == null ? base : `${base}|rerun-of:${run.rerunOf}`;
}

/**
 * Starts a run, or finds the one a previous attempt started: then attempts goes up by one, the
 * run is `running` again and the previous attempt's anomalies and counts are dropped (the step is
 * redone whole: "annule et remplace", like the imports of SIECLE and LSU).
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
    idempotencyKey: stepRunKey(start),
    status: 'running' as const,
    attempts: start.attempt ?? 1,
  };
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: stepRuns.id }).from(stepRuns).where(eq(stepRuns.idempotencyKey, values.idempotencyKey));
    if (existing) await tx.delete(anomalies).where(eq(anomalies.stepRunId, existing.id));
    const [row] = await tx
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
          finishedAt: null,
          updatedAt: sql`now()`,
          ...zeroCounts,
        },
      })
      .returning();
    return row!;
  });
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
