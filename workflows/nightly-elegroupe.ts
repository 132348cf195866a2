// SIECLE's night for every school whose élève-groupe file waits: each processed exactly once (the
// connector keeps that promise across retries and worker crashes), with bounded concurrency, and
// the school's step told that its compte-rendu is there.
import { getExternalWorkflowHandle, proxyActivities, workflowInfo } from '@temporalio/workflow';
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
  /** The night, YYYY-MM-DD (from the schedule's start time, or the operator). */
  night: string;
  /** Only these schools (a re-run of some); all waiting ones otherwise. */
  uais?: string[];
  concurrency?: number;
}

export interface NightlyResult {
  night: string;
  outcomes: NightOutcome[];
}

export async function nightlyEleGroupe(input: NightlyInput): Promise<NightlyResult> {
  const { workflowId, runId } = workflowInfo();
  const queued = await listQueuedDeposits({ uais: input.uais });
  const outcomes: NightOutcome[] = [];
  const pending = [...queued];

  async function lane(): Promise<void> {
    for (let next = pending.shift(); next; next = pending.shift()) outcomes.push(await processOne(next));
  }

  async function processOne(deposit: QueuedDeposit): Promise<NightOutcome> {
    const outcome = await processNight({ ...deposit, night: input.night, workflowId, runId });
    if (outcome.processed && outcome.stepWorkflowId && outcome.stepRunId !== undefined && outcome.status) {
      try {
        await getExternalWorkflowHandle(outcome.stepWorkflowId).signal(nightProcessed, { night: input.night, stepRunId: outcome.stepRunId, status: outcome.status });
      } catch {
        // No step workflow waits (a file dropped by hand, or a step already given up): the run row says it all.
      }
    }
    return outcome;
  }

  await Promise.all(Array.from({ length: Math.max(1, input.concurrency ?? 20) }, lane));
  outcomes.sort((a, b) => a.uai.localeCompare(b.uai));
  return { night: input.night, outcomes };
}
