// SIECLE's night for every school whose élève-groupe file waits: each processed exactly once (the
// connector keeps that promise across retries and worker crashes), with bounded concurrency, and
// the school's step told that its compte-rendu is there.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { ApplicationFailure, getExternalWorkflowHandle, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { DEFAULT_TIME_ZONE, localDate } from '../rules/time-zones';
import type { Activities } from '../activities';
import type { NightOutcome, QueuedDeposit } from '../activities/night';
import { nightProcessed } from './messages';
import { NON_RETRYABLE_FAILURES } from './steps';

const { listQueuedDeposits, processNight } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURES] },
});

export interface NightlyInput {
  /** The night, YYYY-MM-DD; when absent, the schedule's start time in `timeZone`. */
  night?: string;
  /** The académie's time zone, to read the scheduled start time as a local date. */
  timeZone?: string;
  /** Only these schools (a re-run of some); all waiting ones otherwise. */
  uais?: string[];
  concurrency?: number;
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
  const queued = await listQueuedDeposits({ uais: input.uais });
  const outcomes: NightOutcome[] = [];
  const pending = [...queued];

  async function lane(): Promise<void> {
    for (let next = pending.shift(); next; next = pending.shift()) outcomes.push(await processOne(next));
  }

  async function processOne(deposit: QueuedDeposit): Promise<NightOutcome> {
    const outcome = await processNight({ ...deposit, night, workflowId, runId });
    if (outcome.processed && outcome.stepWorkflowId && outcome.stepRunId !== undefined && outcome.status) {
      try {
        await getExternalWorkflowHandle(outcome.stepWorkflowId).signal(nightProcessed, { night, stepRunId: outcome.stepRunId, status: outcome.status });
      } catch {
        // No step workflow waits (a file dropped by hand, or a step already given up): the run row says it all.
      }
    }
    return outcome;
  }

  await Promise.all(Array.from({ length: Math.max(1, input.concurrency ?? 20) }, lane));
  outcomes.sort((a, b) => a.uai.localeCompare(b.uai));
  return { night, outcomes };
}
