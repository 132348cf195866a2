// One step of one school: the unit every larger workflow is made of. The activity does the work
// and records it; Temporal retries infrastructure failures with backoff, never bad data. A step
// whose file is not there yet looks again later; the élève-groupe deposit waits for SIECLE's night.
import { ApplicationFailure, condition, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo, type ActivityOptions, type LocalActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { StepRunInput, StepRunResult } from '../activities/step-run';
import { lookAgain, nightProcessed, type NightProcessed } from './messages';
import { STEP, STEP_STATUS, stepRunAttributes } from './search-attributes';
import { NON_RETRYABLE_FAILURES, type StepStatus } from './steps';

/** Infrastructure failures retried with backoff, never bad data. */
const STEP_RETRY = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '5 minutes',
  nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURES],
};

/** How a step's activity is run, wherever it runs (here, or in the school's year: year-runner.ts). */
export const STEP_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: STEP_RETRY,
};

/**
 * The same as a local activity (the school's year): no heartbeat timeout, a local activity has
 * none (the worker that runs it holds the year's workflow task, which times out if that worker
 * is lost, and another worker runs the step again).
 */
export const STEP_LOCAL_ACTIVITY_OPTIONS: LocalActivityOptions = {
  startToCloseTimeout: '10 minutes',
  retry: STEP_RETRY,
};

const { executeStep, recordStepStatus, processNight } = proxyActivities<Activities>(STEP_ACTIVITY_OPTIONS);

export interface StepTimings {
  /** How long to wait before looking again for a missing file. */
  fileRetryInterval: string;
  /** How many looks before the step is failed for want of its file. */
  maxFileChecks: number;
  /** How long the élève-groupe step waits for SIECLE's night before failing. */
  nightTimeout: string;
}

export const DEFAULT_TIMINGS: StepTimings = { fileRetryInterval: '1 hour', maxFileChecks: 24 * 14, nightTimeout: '3 days' };

export interface StepWorkflowInput extends StepRunInput {
  timings?: Partial<StepTimings>;
  /**
   * The school's year looked for the file once already (as its own activity) and did not find it:
   * the first look here is after the retry interval, or when woken (workflows/year-runner.ts).
   */
  lookedOnce?: { expected?: string };
}

export async function stepRun(input: StepWorkflowInput): Promise<StepRunResult> {
  const timings = { ...DEFAULT_TIMINGS, ...input.timings };
  const { workflowId, runId } = workflowInfo();
  // Started with its attributes (by the school's year): no upsert for them, and none for a status
  // it already shows. Started without (histories recorded before, a hand-started run): as then,
  // every upsert is made, so that those histories replay the same commands.
  const tagged = workflowInfo().typedSearchAttributes.get(STEP) !== undefined;
  const setStatus = (status: StepStatus): void => {
    if (tagged && workflowInfo().typedSearchAttributes.get(STEP_STATUS) === status) return;
    upsertSearchAttributes([{ key: STEP_STATUS, value: status }]);
  };
  let night: NightProcessed | undefined;
  setHandler(nightProcessed, (signal) => {
    night = signal;
  });
  // A file arrived for this step (the school's year says so): look again now, not in an hour.
  let woken = false;
  setHandler(lookAgain, () => {
    woken = true;
  });
  if (!tagged) upsertSearchAttributes(stepRunAttributes(input));
  const { timings: _timings, lookedOnce, ...request } = input;

  for (let check = 1; ; check += 1) {
    const result = check === 1 && lookedOnce ? { progress: 'waiting-file' as const, expected: lookedOnce.expected } : await executeStep({ ...request, workflowId, runId });
    if (result.progress === 'done') {
      setStatus(result.status);
      return result;
    }
    if (result.progress === 'queued-for-night') {
      setStatus('running');
      if (input.night && input.rerunOf !== undefined) {
        // A re-run of a night that failed: that night's processing again, here, now (the file is
        // already in SIECLE's hands; the connector processes it once whoever asks).
        const outcome = await processNight({ uai: input.uai, millesime: input.millesime, night: input.night, workflowId, runId });
        if (outcome.processed && outcome.status) night = { night: input.night, stepRunId: outcome.stepRunId ?? result.stepRunId, status: outcome.status };
      }
      const processed = await condition(() => night !== undefined, timings.nightTimeout);
      if (!processed || !night) {
        await recordStepStatus({ ...request, workflowId, runId, status: 'failed' });
        setStatus('failed');
        throw ApplicationFailure.create({
          type: 'StepTimedOut',
          nonRetryable: true,
          message: `SIECLE n'a pas traité le fichier élève-groupe de ${input.uai} dans le délai (${timings.nightTimeout}).`,
        });
      }
      setStatus(night.status);
      if (night.status === 'failed') {
        throw ApplicationFailure.create({
          type: 'NightFailed',
          nonRetryable: true,
          message: `Le traitement de nuit SIECLE du ${night.night} a échoué pour ${input.uai} : relancer avec « synchro rerun --failed --night ${night.night} ».`,
        });
      }
      return { ...result, status: night.status, progress: 'done' };
    }
    setStatus('waiting-file');
    if (check >= timings.maxFileChecks) {
      await recordStepStatus({ ...request, workflowId, runId, status: 'failed' });
      setStatus('failed');
      // A workflow fails only through an ApplicationFailure (a plain Error would retry the task forever).
      throw ApplicationFailure.create({
        type: 'StepTimedOut',
        nonRetryable: true,
        message: `Fichier attendu absent pour l'étape ${input.step} de ${input.uai} : ${result.expected ?? '?'}.`,
      });
    }
    // A timer, as sleep() was (histories recorded before the signal replay the same commands).
    await condition(() => woken, timings.fileRetryInterval);
    woken = false;
  }
}
