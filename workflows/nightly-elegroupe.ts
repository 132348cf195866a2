// SIECLE's night for every school whose élève-groupe file waits: each processed exactly once (the
// connector keeps that promise across retries and worker crashes), with bounded concurrency, and
// the school's step told that its compte-rendu is there.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { ActivityFailure, ApplicationFailure, type ActivityOptions, continueAsNew, getExternalWorkflowHandle, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { DEFAULT_TIME_ZONE, localDate } from '../rules/time-zones';
import type { Activities } from '../activities';
import type { NightOutcome, QueuedDeposit } from '../activities/night';
import { nightProcessed } from './messages';
import { NON_RETRYABLE_FAILURES } from './steps';

const ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURES] },
};
const { listQueuedDeposits, recordNightFailure } = proxyActivities<Activities>(ACTIVITY_OPTIONS);

/**
 * Schools processed by one run before it continues as new: about 6.5 history events a school, so a
 * run stays near 6,500 events, under Temporal's 10,240-event warning, however many schools wait.
 */
export const NIGHT_PAGE_SIZE = 1000;

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
  const { processNight } = proxyActivities<Activities>({ ...ACTIVITY_OPTIONS, retry: { ...ACTIVITY_OPTIONS.retry, maximumAttempts: input.attempts ?? DEFAULT_NIGHT_ATTEMPTS } });
  // The queue is read once, when the night starts; continued runs carry what is left of it.
  const pending = input.carried ? [...input.carried.queue] : await listQueuedDeposits({ uais: input.uais });
  const outcomes: NightOutcome[] = [...(input.carried?.outcomes ?? [])];
  const pageSize = Math.max(1, input.pageSize ?? NIGHT_PAGE_SIZE);
  let taken = 0;

  async function lane(): Promise<void> {
    while (taken < pageSize) {
      const next = pending.shift();
      if (!next) return;
      taken += 1;
      outcomes.push(await processOne(next));
    }
  }

  async function processOne(deposit: QueuedDeposit): Promise<NightOutcome> {
    let outcome: NightOutcome;
    try {
      outcome = await processNight({ ...deposit, night, workflowId, runId });
    } catch (error) {
      // One school's night failing must not stop the others: it is recorded for the morning's re-run.
      if (!(error instanceof ActivityFailure)) throw error;
      outcome = await recordNightFailure({ ...deposit, night, cause: error.cause?.message ?? error.message });
    }
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

  await Promise.all(Array.from({ length: Math.max(1, input.concurrency ?? 20) }, lane));
  if (pending.length > 0) {
    await continueAsNew<typeof nightlyEleGroupe>({ ...input, night, carried: { queue: pending, outcomes } });
  }
  outcomes.sort((a, b) => a.uai.localeCompare(b.uai));
  return { night, outcomes };
}
