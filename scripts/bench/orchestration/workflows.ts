// Trivial years for `npm run bench orchestration`: the same number of steps, each either a child
// workflow shaped like a step run (started with its search attributes, one activity, its status
// upserted at the end: workflows/step-run.ts), an activity of the year itself, or a local
// activity of the year. The steps do nothing, so what is measured is what Temporal costs per
// step, on the server and in the worker.
import { executeChild, proxyActivities, proxyLocalActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { STEP_STATUS, stepRunAttributes } from '../../../workflows/search-attributes';
import type * as activities from './activities';

const { noop } = proxyActivities<typeof activities>({ startToCloseTimeout: '1 minute' });
const local = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '1 minute' });

/** A step run's shape without its work. */
export async function trivialStepRun(step: number): Promise<number> {
  const done = await noop(step);
  upsertSearchAttributes([{ key: STEP_STATUS, value: 'succeeded' }]);
  return done;
}

/** A year whose steps are child workflows, one after the other (as today's school year). */
export async function yearOfChildSteps(uai: string, steps: number): Promise<number> {
  let done = 0;
  for (let step = 1; step <= steps; step += 1) {
    done += await executeChild(trivialStepRun, {
      workflowId: `${workflowInfo().workflowId}/step-${step}`,
      // The attributes the school year starts a step run with (workflows/year-runner.ts).
      typedSearchAttributes: stepRunAttributes({ uai, millesime: 2025, step: `step-${step}` }),
      args: [step],
    });
  }
  return done;
}

/** A year whose steps are activities of its own. */
export async function yearOfActivitySteps(_uai: string, steps: number): Promise<number> {
  let done = 0;
  for (let step = 1; step <= steps; step += 1) done += await noop(step);
  return done;
}

/** A year whose steps are local activities: run inside the year's workflow task, no activity task on the server. */
export async function yearOfLocalActivitySteps(_uai: string, steps: number): Promise<number> {
  let done = 0;
  for (let step = 1; step <= steps; step += 1) done += await local.noop(step);
  return done;
}
