// One step of one school: the unit every larger workflow is made of. The activity does the work
// and records it; Temporal retries infrastructure failures with backoff, never bad data.
import { proxyActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { StepActivities, StepRunInput, StepRunResult } from '../activities/step-run';
import { MILLESIME, STEP, STEP_STATUS, UAI } from './search-attributes';
import { NON_RETRYABLE_FAILURES } from './steps';

const { executeStep } = proxyActivities<StepActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURES],
  },
});

export async function stepRun(input: StepRunInput): Promise<StepRunResult> {
  upsertSearchAttributes([
    { key: UAI, value: input.uai },
    { key: MILLESIME, value: input.millesime },
    { key: STEP, value: input.step },
    { key: STEP_STATUS, value: 'running' },
  ]);
  const { workflowId, runId } = workflowInfo();
  const result = await executeStep({ ...input, workflowId, runId });
  upsertSearchAttributes([{ key: STEP_STATUS, value: result.status }]);
  return result;
}
