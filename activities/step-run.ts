// The activity behind every step: record the run (keyed by the run: a Temporal retry lands on the
// same row, another run of the step gets its own), let the school's connector do the work, store
// the anomalies and the file it moved, and say where the step stands. Bad data fails at once (non-retryable, anomalies
// kept); anything else is thrown back to Temporal, which retries with backoff.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Connector, ContentStore } from '../connectors/types';
import type { Db } from '../db/client';
import { insertAnomalies } from '../db/queries/anomalies';
import { finishStepRun, setStepRunInput, setStepStatus, startStepRun } from '../db/queries/step-runs';
import { countByLevel, hasAnomalies, type Anomaly, type LevelCounts } from '../rules/anomaly';
import { StepRejected } from '../steps/rejected';
import { runStepOn } from './step-ports';
import type { StepId, StepStatus } from '../steps/vocabulary';

export { StepRejected };

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
  /** Business date YYYY-MM-DD given by the caller (never the clock). */
  businessDate?: string;
  /** Which run this is (db/queries/step-runs.ts stepRunKey); the step workflow's id and run id when absent. */
  runKey?: string;
  /** Manual steps: who confirmed the action in the national application, and when (ISO time). */
  confirmedBy?: string;
  confirmedAt?: string;
}

/** done: finished here; waiting-file: look again later; queued-for-night: SIECLE finishes it tonight. */
export type StepProgress = 'done' | 'waiting-file' | 'queued-for-night';

export interface StepRunResult {
  stepRunId: number;
  status: StepStatus;
  progress: StepProgress;
  attempts: number;
  anomalies: LevelCounts;
  /** sha256 of the file the run moved (the exchange_files row), when it moved one. */
  inputSha256?: string;
  /** waiting-file: the file looked for (an official name pattern, no personal data). */
  expected?: string;
}


export interface StepActivityDeps {
  db: Db;
  store: ContentStore;
  /** The school's connector; throws StepRejected when the school has none. */
  connectorFor(uai: string): Promise<Connector>;
  /** Told when a run is recorded failed (with mail configured: its mail goes at once, failure-mail.ts). */
  onStepFailed?: (uai: string, stepRunId: number) => Promise<void>;
}

export type ExecuteStepInput = StepRunInput & { workflowId: string; runId: string };

/** Success, "with anomalies" as rules/anomaly.ts hasAnomalies defines it (Informatif does not count). */
export function statusOf(anomalies: readonly Anomaly[]): StepStatus {
  return hasAnomalies(countByLevel(anomalies)) ? 'succeeded-with-anomalies' : 'succeeded';
}

/** The run key of a step run: the one given by the school's year, or the step workflow's own. */
export function runKeyOf(input: ExecuteStepInput): string {
  return input.runKey ?? `${input.workflowId}@${input.runId}`;
}

export function createStepActivities(deps: StepActivityDeps) {
  const { db } = deps;

  async function executeStep(input: ExecuteStepInput): Promise<StepRunResult> {
    const context = Context.current();
    const attempt = context.info.attempt;
    const run = await startStepRun(db, { ...input, runKey: runKeyOf(input), attempt });
    const env = { attempt, heartbeat: (d?: unknown) => context.heartbeat(d), store: deps.store };
    const request = { uai: input.uai, millesime: input.millesime, step: input.step, period: input.period, businessDate: input.businessDate ?? '' };
    let inputSha256: string | undefined;
    const result = (status: StepStatus, progress: StepProgress, anomalies: readonly Anomaly[]): StepRunResult => ({
      stepRunId: run.id,
      status,
      progress,
      attempts: attempt,
      anomalies: countByLevel(anomalies),
      ...(inputSha256 && { inputSha256 }),
    });
    try {
      const connector = await deps.connectorFor(input.uai);
      const outcome = await runStepOn(deps, connector, request, env);
      // The ledger: which file this run moved (exchange_files.sha256), before anything else is kept.
      if (outcome.kind !== 'waiting-file' && outcome.input) {
        inputSha256 = outcome.input.sha256;
        await setStepRunInput(db, run.id, inputSha256);
      }
      switch (outcome.kind) {
        case 'waiting-file':
          await setStepStatus(db, run.id, 'waiting-file');
          return { ...result('waiting-file', 'waiting-file', []), expected: outcome.expected };
        case 'queued-for-night':
          // Deposited: SIECLE processes it at night; the deposit's own anomalies are kept.
          await insertAnomalies(db, outcome.anomalies.map((a) => ({ ...a, stepRunId: run.id })));
          return result('running', 'queued-for-night', outcome.anomalies);
        case 'done': {
          const status = statusOf(outcome.anomalies);
          await insertAnomalies(db, outcome.anomalies.map((a) => ({ ...a, stepRunId: run.id })));
          await finishStepRun(db, run.id, status, countByLevel(outcome.anomalies));
          return result(status, 'done', outcome.anomalies);
        }
      }
    } catch (error) {
      if (!(error instanceof StepRejected)) throw error;
      const counts = countByLevel(error.anomalies);
      await insertAnomalies(db, error.anomalies.map((a) => ({ ...a, stepRunId: run.id })));
      await finishStepRun(db, run.id, 'failed', counts);
      await deps.onStepFailed?.(input.uai, run.id);
      // Only counts travel in the failure: anomaly subjects stay in the database.
      throw ApplicationFailure.nonRetryable(error.message, 'RejectedByRules', { stepRunId: run.id, anomalies: counts });
    }
  }

  /** States a step is put in without running: waiting for a person, blocked by an earlier failure. */
  async function recordStepStatus(input: StepRunInput & { workflowId: string; runId: string; status: StepStatus }): Promise<number> {
    const run = await startStepRun(db, { ...input, runKey: runKeyOf(input), attempt: 0 });
    if (input.status === 'blocked' || input.status === 'failed') await finishStepRun(db, run.id, input.status, countByLevel([]));
    else await setStepStatus(db, run.id, input.status);
    // A step given up (its file never came, SIECLE's night never answered) is a failure to mail.
    if (input.status === 'failed') await deps.onStepFailed?.(input.uai, run.id);
    return run.id;
  }

  return { executeStep, recordStepStatus };
}

export type StepActivities = ReturnType<typeof createStepActivities>;
