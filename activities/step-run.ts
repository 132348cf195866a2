// The activity behind every step: record the run (idempotent by UAI, millésime, step, period and
// input sha256), do the work through the school's connector, store the anomalies, finish the run.
// Bad data fails at once (non-retryable, anomalies kept); anything else is thrown back to Temporal,
// which retries with backoff, and the run row counts the attempts.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../db/client';
import { insertAnomalies } from '../db/queries/anomalies';
import { finishStepRun, startStepRun } from '../db/queries/step-runs';
import { countByLevel, type Anomaly, type LevelCounts } from '../rules/anomaly';
import type { StepId, StepStatus } from '../workflows/steps';

export interface StepRunInput {
  uai: string;
  millesime: number;
  step: StepId;
  period?: number;
  /** sha256 of the file the step moves, when there is one (part of the idempotency key). */
  inputSha256?: string;
  /** A re-run asked by a person: the id of the failed step run it repeats. */
  rerunOf?: number;
  /** Nightly runs: the night (YYYY-MM-DD). */
  night?: string;
}

export interface StepRunResult {
  stepRunId: number;
  status: StepStatus;
  attempts: number;
  anomalies: LevelCounts;
}

export interface StepWork {
  anomalies: Anomaly[];
}

/** Does the work of a step for a school (a connector's job). Throws StepRejected for bad data. */
export type StepPerformer = (input: StepRunInput, context: { attempt: number; heartbeat(details?: unknown): void }) => Promise<StepWork>;

/** Bad data: the step fails at once with these anomalies, and Temporal does not retry. */
export class StepRejected extends Error {
  constructor(message: string, readonly anomalies: Anomaly[]) {
    super(message);
    this.name = 'StepRejected';
  }
}

export interface StepActivityDeps {
  db: Db;
  perform: StepPerformer;
}

export interface StepActivities {
  executeStep(input: StepRunInput & { workflowId: string; runId: string }): Promise<StepRunResult>;
}

export function createStepActivities(deps: StepActivityDeps): StepActivities {
  return {
    async executeStep(input) {
      const context = Context.current();
      const run = await startStepRun(deps.db, input);
      let work: StepWork;
      try {
        work = await deps.perform(input, { attempt: context.info.attempt, heartbeat: (d) => context.heartbeat(d) });
      } catch (error) {
        if (!(error instanceof StepRejected)) throw error;
        const counts = countByLevel(error.anomalies);
        await insertAnomalies(deps.db, error.anomalies.map((a) => ({ ...a, stepRunId: run.id })));
        await finishStepRun(deps.db, run.id, 'failed', counts);
        throw ApplicationFailure.nonRetryable(error.message, 'RejectedByRules', { stepRunId: run.id, anomalies: counts });
      }
      const counts = countByLevel(work.anomalies);
      const status: StepStatus = work.anomalies.length > 0 ? 'succeeded-with-anomalies' : 'succeeded';
      await insertAnomalies(deps.db, work.anomalies.map((a) => ({ ...a, stepRunId: run.id })));
      await finishStepRun(deps.db, run.id, status, counts);
      return { stepRunId: run.id, status, attempts: run.attempts, anomalies: counts };
    },
  };
}
