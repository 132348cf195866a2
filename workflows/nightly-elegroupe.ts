// SIECLE's night for every school whose élève-groupe file waits: each processed exactly once (the
// connector keeps that promise across retries and worker crashes), with bounded concurrency, and
// the school's step told that its compte-rendu is there.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { ActivityFailure, ApplicationFailure, type ActivityOptions, continueAsNew, getExternalWorkflowHandle, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { DEFAULT_TIME_ZONE, localDate } from '../rules/time-zones';
import type { Activities } from '../activities';
import type { NightBatchAnswer, NightOutcome, QueuedDeposit } from '../activities/night';
import { nightProcessed } from './messages';
import { NON_RETRYABLE_FAILURES } from './steps';

const ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURES] },
};
const { listQueuedDeposits, recordNightFailure } = proxyActivities<Activities>(ACTIVITY_OPTIONS);

/**
 * Schools processed by one run before it continues as new: about 2.8 history events a school in
 * batches (6.5 one school per activity, as runs started before batches do), so a run stays well
 * under Temporal's 10,240-event warning, however many schools wait.
 */
export const NIGHT_PAGE_SIZE = 1000;

/**
 * Schools processed by one activity (processNightBatch), at most: each activity costs the Temporal
 * server an activity task and the night a workflow task, whatever it carries. Fewer when the queue
 * is short, so that every lane still has work.
 */
export const NIGHT_BATCH_SIZE = 10;

/** Runs started before batches process each school in its own activity, as their histories say. */
export const NIGHT_BATCH_PATCH = 'night-batches';

/** Tries of one school's processing before the night gives up on it (about 11 minutes of backoff). */
export const DEFAULT_NIGHT_ATTEMPTS = 16;

export interface NightlyInput {
  /** The night, YYYY-MM-DD; when absent, the schedule's start time in `timeZone`. */
  night?: string;
  /** The académie's time zone, to read the scheduled start time as a local date. */
  timeZone?: string;
  /** Only these schools (a re-run of some); all waiting ones otherwise. */
  uais?: string[];
  concurrency?: number;
  /** Tries of each school's processing before it is reported failed (default DEFAULT_NIGHT_ATTEMPTS). */
  attempts?: number;
  /** Schools per run before continuing as new (default NIGHT_PAGE_SIZE). */
  pageSize?: number;
  /** Schools per activity, at most (default NIGHT_BATCH_SIZE; 1: one activity a school). */
  batchSize?: number;
  /** Set by continue-as-new: the night's queue still to process, and the outcomes so far. */
  carried?: { queue: QueuedDeposit[]; outcomes: NightOutcome[] };
}

export interface NightlyResult {
  night: string;
  outcomes: NightOutcome[];
}

const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/** The business night: given, or when the schedule meant to start this run (never the clock). */
function nightOf(input: NightlyInput): string {
  if (input.night) return input.night;
  const scheduled = workflowInfo().typedSearchAttributes.get(SCHEDULED_START);
  if (!scheduled) throw ApplicationFailure.nonRetryable('Nuit non précisée et exécution non planifiée : indiquer la nuit (AAAA-MM-JJ).', 'MissingNight');
  return localDate(scheduled, input.timeZone ?? DEFAULT_TIME_ZONE);
}

export async function nightlyEleGroupe(input: NightlyInput): Promise<NightlyResult> {
  const { workflowId, runId } = workflowInfo();
  const night = nightOf(input);
  const retry = { ...ACTIVITY_OPTIONS.retry, maximumAttempts: input.attempts ?? DEFAULT_NIGHT_ATTEMPTS };
  const { processNight, processNightBatch } = proxyActivities<Activities>({ ...ACTIVITY_OPTIONS, retry });
  const batches = patched(NIGHT_BATCH_PATCH);
  // The queue is read once, when the night starts; continued runs carry what is left of it.
  const pending = input.carried ? [...input.carried.queue] : await listQueuedDeposits({ uais: input.uais });
  const outcomes: NightOutcome[] = [...(input.carried?.outcomes ?? [])];
  const pageSize = Math.max(1, input.pageSize ?? NIGHT_PAGE_SIZE);
  const lanes = Math.max(1, input.concurrency ?? 20);
  const batchSize = Math.max(1, input.batchSize ?? NIGHT_BATCH_SIZE);
  let taken = 0;

  async function lane(): Promise<void> {
    while (taken < pageSize) {
      const next = pending.shift();
      if (!next) return;
      taken += 1;
      outcomes.push(await processOne(next));
    }
  }

  async function batchLane(): Promise<void> {
    while (taken < pageSize && pending.length > 0) {
      const batch = pending.splice(0, Math.min(batchSize, pageSize - taken, Math.ceil(pending.length / lanes)));
      taken += batch.length;
      let answers: NightBatchAnswer[] | undefined;
      try {
        answers = await processNightBatch({ deposits: batch, night, workflowId, runId });
      } catch (error) {
        if (!(error instanceof ActivityFailure)) throw error;
        // The batch gave up as a whole (the database unreachable for every try…): each school is
        // tried again alone, so that one school's trouble is never charged to the others.
      }
      outcomes.push(...(await Promise.all(batch.map((deposit, i) => {
        const answer = answers?.[i];
        if (!answer) return processOne(deposit);
        if ('outcome' in answer) return told(answer.outcome);
        // Bad data will not read better alone: recorded failed at once. Anything else gets the
        // school's own tries.
        return answer.failure.nonRetryable ? failed(deposit, answer.failure.message) : processOne(deposit);
      }))));
    }
  }

  async function processOne(deposit: QueuedDeposit): Promise<NightOutcome> {
    try {
      return await told(await processNight({ ...deposit, night, workflowId, runId }));
    } catch (error) {
      // One school's night failing must not stop the others: it is recorded for the morning's re-run.
      if (!(error instanceof ActivityFailure)) throw error;
      return failed(deposit, error.cause?.message ?? error.message);
    }
  }

  async function failed(deposit: QueuedDeposit, cause: string): Promise<NightOutcome> {
    return told(await recordNightFailure({ ...deposit, night, cause }));
  }

  /** The school's step workflow is told its night is over; the outcome is kept without its id. */
  async function told(outcome: NightOutcome): Promise<NightOutcome> {
    const { stepWorkflowId, ...kept } = outcome;
    if ((outcome.processed || outcome.status === 'failed') && stepWorkflowId && outcome.stepRunId !== undefined && outcome.status) {
      try {
        await getExternalWorkflowHandle(stepWorkflowId).signal(nightProcessed, { night, stepRunId: outcome.stepRunId, status: outcome.status });
      } catch {
        // No step workflow waits (a file dropped by hand, or a step already given up): the run row says it all.
      }
    }
    // The step workflow's id was for the signal: results (carried from run to run) stay small.
    return kept;
  }

  await Promise.all(Array.from({ length: lanes }, batches ? batchLane : lane));
  if (pending.length > 0) {
    await continueAsNew<typeof nightlyEleGroupe>({ ...input, night, carried: { queue: pending, outcomes } });
  }
  outcomes.sort((a, b) => a.uai.localeCompare(b.uai));
  return { night, outcomes };
}
