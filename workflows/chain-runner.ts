// Runs a chain of steps for one school: each step as a child workflow (its own history, status
// and search attributes), started when its dependencies are done; manual steps wait for a person;
// a step whose dependency failed is blocked. Shared by the school year and the term.
import { condition, executeChild, log, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ChainStep } from './chain';
import { stepWorkflowId } from './ids';
import { confirmManualStep, stepStates, type ManualStepConfirmation, type StepState } from './messages';
import { stepRunAttributes } from './search-attributes';
import { stepRun, type StepTimings } from './step-run';
import type { StepId, StepStatus } from './steps';

const { recordStepStatus } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute' });

export interface ChainInput {
  uai: string;
  millesime: number;
  period?: number;
  /** Business date YYYY-MM-DD: from the caller or the schedule, never the clock. */
  businessDate: string;
  timings?: Partial<StepTimings>;
  /** How long a manual step waits before a reminder is logged (and again after each reminder). */
  reminderAfter?: string;
  /** Sandbox demos and benchmarks only: a simulated person confirms the manual steps at once. */
  confirmAutomatically?: boolean;
}

const FINAL_FAILURES: ReadonlySet<StepStatus> = new Set(['failed', 'blocked']);

export async function runChain(chain: ChainStep[], input: ChainInput): Promise<StepState[]> {
  const parentId = workflowInfo().workflowId;
  const states = new Map(chain.map((s): [StepId, StepState] => [s.step, { step: s.step, status: 'pending' }]));
  const confirmed = new Set<StepId>();
  const manual = new Set(chain.filter((s) => s.manual).map((s) => s.step));

  setHandler(stepStates, () => [...states.values()]);
  setHandler(
    confirmManualStep,
    ({ step }) => {
      confirmed.add(step);
      return { accepted: true, message: `Étape ${step} confirmée pour ${input.uai}.` };
    },
    {
      validator: ({ step }: ManualStepConfirmation) => {
        if (!manual.has(step)) throw new Error(`L'étape ${step} n'est pas une étape à confirmer.`);
        const status = states.get(step)?.status;
        if (status !== 'pending' && status !== 'waiting-person') throw new Error(`L'étape ${step} n'attend pas de confirmation (état : ${status}).`);
      },
    },
  );

  const set = (step: StepId, state: Omit<StepState, 'step'>): void => {
    states.set(step, { step, ...state, updatedAt: new Date().toISOString() });
  };
  const base = { uai: input.uai, millesime: input.millesime, period: input.period, businessDate: input.businessDate };

  async function waitForPerson(step: StepId): Promise<void> {
    if (input.confirmAutomatically) return;
    const stepRunId = await recordStepStatus({ ...base, step, workflowId: stepWorkflowId(parentId, step), runId: '', status: 'waiting-person' });
    set(step, { status: 'waiting-person', stepRunId });
    for (let reminder = 1; !(await condition(() => confirmed.has(step), input.reminderAfter ?? '2 days')); reminder += 1) {
      log.warn('Étape manuelle en attente de confirmation', { uai: input.uai, step, reminder });
    }
  }

  const started = new Map<StepId, Promise<StepStatus>>();
  const run = (step: ChainStep): Promise<StepStatus> => {
    let promise = started.get(step.step);
    if (!promise) {
      promise = execute(step);
      started.set(step.step, promise);
    }
    return promise;
  };

  async function execute(step: ChainStep): Promise<StepStatus> {
    const before = await Promise.all(step.after.map((id) => run(chain.find((s) => s.step === id)!)));
    if (before.some((s) => FINAL_FAILURES.has(s))) {
      const stepRunId = await recordStepStatus({ ...base, step: step.step, workflowId: stepWorkflowId(parentId, step.step), runId: '', status: 'blocked' });
      set(step.step, { status: 'blocked', stepRunId });
      return 'blocked';
    }
    if (step.manual) await waitForPerson(step.step);
    set(step.step, { status: 'running' });
    try {
      const result = await executeChild(stepRun, {
        workflowId: stepWorkflowId(parentId, step.step),
        typedSearchAttributes: stepRunAttributes({ ...base, step: step.step }),
        args: [{ ...base, step: step.step, timings: input.timings }],
      });
      set(step.step, { status: result.status, stepRunId: result.stepRunId });
      return result.status;
    } catch {
      // The step's own run row says why (anomalies, attempts); the chain goes on around it.
      set(step.step, { status: 'failed' });
      return 'failed';
    }
  }

  await Promise.all(chain.map(run));
  return chain.map((s) => states.get(s.step)!);
}
