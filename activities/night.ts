// SIECLE's night: the élève-groupe deposits queued during the day are processed, each exactly once
// (the connector guarantees it), and each school's step run is finished with the compte-rendu's
// anomalies. Activities return ids and statuses only.
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { Db } from '../db/client';
import { hasAnomalies } from '../rules/anomaly';
import { countAnomaliesByLevel, insertAnomalies } from '../db/queries/anomalies';
import { finishStepRun, listStepRuns, startStepRun } from '../db/queries/step-runs';
import type { StepStatus } from '../steps/vocabulary';
import { StepRejected } from '../steps/rejected';
import type { StepActivityDeps } from './step-run';

export interface QueuedDeposit {
  uai: string;
  millesime: number;
}

export interface NightOutcome extends QueuedDeposit {
  processed: boolean;
  stepRunId?: number;
  status?: StepStatus;
  /** The step workflow waiting for this night (from its run row), to be signalled. */
  stepWorkflowId?: string;
}

/** What a batch says of each of its schools: the outcome, or why it failed (retryable or not). */
export type NightBatchAnswer = { outcome: NightOutcome } | { failure: { message: string; nonRetryable: boolean } };

const STEP = 'pronote-siecle-elegroupe' as const;
/** Schools looked at together by listQueuedDeposits (file reads and queries, not CPU). */
export const LIST_LANES = 8;

/** The running activity's heartbeat; nothing when called outside an activity (the bench times the listing alone). */
function heartbeatOrNothing(): (details: unknown) => void {
  try {
    const context = Context.current();
    return (details) => context.heartbeat(details);
  } catch {
    return () => undefined;
  }
}

export function createNightActivities(deps: StepActivityDeps & { db: Db }) {
  const { db } = deps;

  /**
   * Schools whose élève-groupe file waits for SIECLE's night: step run still running, deposit made.
   * Each school's outbox is looked at (its newest file read and hashed), LIST_LANES at a time, with
   * a heartbeat as it goes: 10,000 schools one after the other took 38 s, and past the night's
   * one-minute heartbeat timeout the listing would be retried without end.
   */
  async function listQueuedDeposits(filter: { uais?: string[] } = {}): Promise<QueuedDeposit[]> {
    const heartbeat = heartbeatOrNothing();
    const runs = await listStepRuns(db, { step: STEP, status: 'running' });
    const wanted = filter.uais && new Set(filter.uais);
    const seen = new Set<string>();
    const candidates: QueuedDeposit[] = [];
    for (const run of runs) {
      const key = `${run.uai}|${run.millesime}`;
      if (seen.has(key) || (wanted && !wanted.has(run.uai))) continue;
      seen.add(key);
      candidates.push({ uai: run.uai, millesime: run.millesime });
    }
    const queued: QueuedDeposit[] = [];
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < candidates.length) {
        const candidate = candidates[next++]!;
        if (next % 500 === 0) heartbeat({ listed: next, of: candidates.length });
        // A run is running from the start of its deposit: only a deposit already in SIECLE's hands counts.
        const connector = await deps.connectorFor(candidate.uai);
        if (await connector.hasWaitingDeposit(candidate.uai, candidate.millesime)) queued.push(candidate);
      }
    };
    await Promise.all(Array.from({ length: LIST_LANES }, lane));
    return queued.sort((a, b) => a.uai.localeCompare(b.uai) || a.millesime - b.millesime);
  }

  async function processNight(input: QueuedDeposit & { night: string; workflowId: string; runId: string }): Promise<NightOutcome> {
    const context = Context.current();
    const connector = await deps.connectorFor(input.uai);
    const env = { attempt: context.info.attempt, heartbeat: (d?: unknown) => context.heartbeat(d), store: deps.store };
    const night = await connector.processNight({ uai: input.uai, millesime: input.millesime, night: input.night, businessDate: input.night }, env).catch((error: unknown) => {
      // Bad data (an unreadable pupils export) will not read better on a retry: the night gives up on this school at once.
      throw error instanceof StepRejected ? ApplicationFailure.nonRetryable(error.message, 'RejectedByRules') : error;
    });
    if (!night.processed) return { uai: input.uai, millesime: input.millesime, processed: false };

    // The run whose deposit this is (by the file's sha256: a school deposits again when its groups
    // change, and every run keeps its own row), else the latest; created if it is unknown here.
    const runs = await listStepRuns(db, { uai: input.uai, millesime: input.millesime, step: STEP, limit: 20 });
    const dayRun = (night.input && runs.find((r) => r.inputSha256 === night.input!.sha256)) || runs[0];
    const stepWorkflowId = dayRun?.workflowId;
    if (dayRun && dayRun.status !== 'running') {
      // A retry after this activity already finished the run (then the worker died): nothing to add.
      return { uai: input.uai, millesime: input.millesime, processed: true, stepRunId: dayRun.id, status: dayRun.status, stepWorkflowId };
    }
    const runId = dayRun?.id ?? (await startStepRun(db, { ...input, step: STEP, inputSha256: night.input?.sha256, attempt: context.info.attempt })).id;
    // The compte-rendu's anomalies and the run's end in one transaction: a crash leaves both or neither.
    const status = await db.transaction(async (tx) => {
      await insertAnomalies(tx, night.anomalies.map((a) => ({ ...a, stepRunId: runId })));
      const counts = await countAnomaliesByLevel(tx, { stepRunId: runId });
      // SIECLE's night never refuses the file (that happened at deposit): a rejected pupil is an
      // anomaly of the compte-rendu, the deposit's own anomalies count too.
      const finalStatus: StepStatus = hasAnomalies(counts) ? 'succeeded-with-anomalies' : 'succeeded';
      // Filed under the night that processed it: each deposit's run says which night it was.
      await finishStepRun(tx, runId, finalStatus, counts, { night: input.night });
      return finalStatus;
    });
    return { uai: input.uai, millesime: input.millesime, processed: true, stepRunId: runId, status, stepWorkflowId };
  }

  /**
   * Several schools' nights in one activity, one after the other: one activity task, and one
   * workflow task to read its result, for the batch instead of for each school (most of what the
   * Temporal server does in a night). Each school is processed exactly as processNight does it (a
   * retry of the batch finds the schools done already claimed and gets their compte-rendu back);
   * one school failing does not fail the others: its failure is answered, for the workflow to
   * retry that school alone or record it failed.
   */
  async function processNightBatch(input: { deposits: QueuedDeposit[]; night: string; workflowId: string; runId: string }): Promise<NightBatchAnswer[]> {
    const answers: NightBatchAnswer[] = [];
    for (const deposit of input.deposits) {
      try {
        answers.push({ outcome: await processNight({ ...deposit, night: input.night, workflowId: input.workflowId, runId: input.runId }) });
      } catch (error) {
        // The batch itself is cancelled (the worker shuts down, its heartbeat timed out): not this school's doing.
        if (error instanceof CancelledFailure) throw error;
        const nonRetryable = error instanceof ApplicationFailure && error.nonRetryable === true;
        answers.push({ failure: { message: error instanceof Error ? error.message : String(error), nonRetryable } });
      }
    }
    return answers;
  }

  /**
   * The night gave up on a school (SIECLE unreachable, its folder unwritable… every attempt
   * failed): the day's run is failed and filed under that night, with the cause as an anomaly,
   * for the morning's `rerun --failed --night`. The deposit stays waiting: a re-run processes it.
   */
  async function recordNightFailure(input: QueuedDeposit & { night: string; cause: string }): Promise<NightOutcome> {
    const [dayRun] = await listStepRuns(db, { uai: input.uai, millesime: input.millesime, step: STEP, limit: 1 });
    const base = { uai: input.uai, millesime: input.millesime, processed: false };
    if (!dayRun || dayRun.status !== 'running') return { ...base, ...(dayRun && { stepRunId: dayRun.id, status: dayRun.status, stepWorkflowId: dayRun.workflowId }) };
    await db.transaction(async (tx) => {
      await insertAnomalies(tx, [{
        stepRunId: dayRun.id, code: 'NUIT_NON_TRAITEE', level: 'blocking',
        message: `Le traitement de nuit SIECLE du ${input.night} n'a pas pu se faire : ${input.cause}`,
        correction: `Corriger la cause, puis relancer : synchro rerun --failed --night ${input.night}. Le fichier déposé reste en attente ; il ne sera pas déposé une seconde fois.`,
      }]);
      await finishStepRun(tx, dayRun.id, 'failed', await countAnomaliesByLevel(tx, { stepRunId: dayRun.id }), { night: input.night });
    });
    await deps.onStepFailed?.(input.uai, dayRun.id);
    return { ...base, stepRunId: dayRun.id, status: 'failed', stepWorkflowId: dayRun.workflowId };
  }

  return { listQueuedDeposits, processNight, processNightBatch, recordNightFailure };
}

export type NightActivities = ReturnType<typeof createNightActivities>;
