// The morning after: every failed run of a night (or of a school) re-run at once, each one a new
// run linked to its failed run. A run that cannot be re-run (already re-running, not failed) is
// reported with the reason and the others go on.
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import { listFailedRunsOfNight, listStepRuns } from '../../db/queries/step-runs';
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

export async function rerunFailed(client: Client, db: Db, selection: RerunSelection, options: { taskQueue: string; now?: Date }): Promise<RerunOutcome[]> {
  const failed = selection.stepRunId !== undefined
    ? [{ id: selection.stepRunId }]
    : (selection.night ? await listFailedRunsOfNight(db, selection.night) : await listStepRuns(db, { status: 'failed', uai: selection.uai }))
        .filter((run) => !selection.uai || run.uai === selection.uai);
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
