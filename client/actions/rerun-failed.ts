// The morning after: every failed run of a night (or of a school) re-run at once, each one a new
// run linked to its failed run. A run that cannot be re-run (already re-running, not failed) is
// reported with the reason and the others go on.
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import { listFailedRunsOfNight, listReruns, listStepRuns } from '../../db/queries/step-runs';
import type { StepRun } from '../../db/schema';
import { ActionRefused } from './errors';
import { rerunStep } from './rerun-step';

export interface RerunSelection {
  /** One run by id; otherwise every failed run of the night / of the school. */
  stepRunId?: number;
  night?: string;
  uai?: string;
}

export interface RerunOutcome {
  stepRunId: number;
  uai?: string;
  step?: string;
  workflowId?: string;
  refused?: string;
}

/** The failed runs of a night (or of a school): the morning report. */
export async function listFailed(db: Db, selection: Omit<RerunSelection, 'stepRunId'>): Promise<StepRun[]> {
  const runs = selection.night ? await listFailedRunsOfNight(db, selection.night) : await listStepRuns(db, { status: 'failed', uai: selection.uai });
  return runs.filter((run) => !selection.uai || run.uai === selection.uai);
}

export interface FailedRunView {
  stepRunId: number;
  uai: string;
  step: string;
  night: string | null;
  workflowId: string;
  /** What Temporal's visibility says of the run's workflow (FAILED, COMPLETED, RUNNING…), or null when it has none. */
  temporalStatus: string | null;
  /**
   * The run was an activity of the school's year, not a workflow of its own (workflows/year-runner.ts):
   * temporalStatus is then the year's.
   */
  inYear: boolean;
  /** The re-runs already made, newest last. */
  reruns: { stepRunId: number; status: string }[];
}

/** The same list with what Temporal and the re-runs say of each: what `rerun --list` prints. */
export async function describeFailed(client: Client, db: Db, selection: Omit<RerunSelection, 'stepRunId'>): Promise<FailedRunView[]> {
  const views: FailedRunView[] = [];
  for (const run of await listFailed(db, selection)) {
    const description = run.workflowId ? await client.workflow.getHandle(run.workflowId).describe().catch(() => undefined) : undefined;
    views.push({
      stepRunId: run.id, uai: run.uai, step: run.step, night: run.night, workflowId: run.workflowId,
      temporalStatus: description?.status.name ?? null,
      inYear: description?.type === 'schoolYear',
      reruns: (await listReruns(db, run.id)).map((r) => ({ stepRunId: r.id, status: r.status })),
    });
  }
  return views;
}

export async function rerunFailed(client: Client, db: Db, selection: RerunSelection, options: { taskQueue: string; now?: Date }): Promise<RerunOutcome[]> {
  const failed = selection.stepRunId !== undefined ? [{ id: selection.stepRunId }] : await listFailed(db, selection);
  const outcomes: RerunOutcome[] = [];
  for (const run of failed) {
    const described = 'uai' in run ? { uai: run.uai, step: run.step } : {};
    try {
      const started = await rerunStep(client, db, run.id, options);
      outcomes.push({ stepRunId: run.id, ...described, workflowId: started.workflowId });
    } catch (error) {
      if (!(error instanceof ActionRefused)) throw error;
      outcomes.push({ stepRunId: run.id, ...described, refused: error.message });
    }
  }
  return outcomes;
}
