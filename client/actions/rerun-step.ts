// A person re-runs a failed step: a new stepRun workflow with the same inputs, linked to the
// failed run by `rerunOf` (the failed row stays, for the audit trail). Only failed runs qualify:
// re-running a success would deposit the same file twice in the applications' eyes. Several people
// pressing "Relancer" at once start one re-run: its workflow id is the failed run's and the
// re-run's rank, and Temporal refuses a second workflow of a running id (the others are told so).
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { StepWorkflowInput, stepRun } from '../../workflows/step-run';
import type { Db } from '../../db/client';
import { getStepRun, listReruns } from '../../db/queries/step-runs';
import { rerunWorkflowId } from '../../workflows/ids';
import type { StepStatus } from '../../workflows/steps';
import { ActionRefused } from './errors';

export interface StartedRerun {
  workflowId: string;
  runId: string;
  rerunOf: number;
}

const STILL_GOING: ReadonlySet<StepStatus> = new Set(['pending', 'waiting-file', 'waiting-person', 'running']);

export async function rerunStep(
  client: Client,
  db: Db,
  stepRunId: number,
  options: { taskQueue: string; now?: Date },
): Promise<StartedRerun> {
  const run = await getStepRun(db, stepRunId);
  if (!run) throw new ActionRefused('not-found', `Exécution ${stepRunId} introuvable.`);
  if (run.status !== 'failed') {
    throw new ActionRefused('conflict', `L'exécution ${stepRunId} (${run.step}, ${run.uai}) n'a pas échoué (état : ${run.status}) : seule une exécution en échec se relance.`);
  }
  const reruns = await listReruns(db, stepRunId);
  const going = reruns.find((r) => STILL_GOING.has(r.status));
  if (going) throw new ActionRefused('conflict', `L'exécution ${stepRunId} est déjà relancée (exécution ${going.id}, état : ${going.status}).`);
  const redone = reruns.find((r) => r.status === 'succeeded' || r.status === 'succeeded-with-anomalies');
  if (redone) throw new ActionRefused('conflict', `L'exécution ${stepRunId} est déjà relancée, avec succès (exécution ${redone.id}).`);

  const now = options.now ?? new Date();
  // The calendar checks need a business date: the failed night's, else today's.
  const businessDate = run.night ?? now.toISOString().slice(0, 10);
  const input: StepWorkflowInput = { uai: run.uai, millesime: run.millesime, step: run.step, rerunOf: run.id, businessDate };
  if (run.period !== null) input.period = run.period;
  if (run.inputSha256 !== null) input.inputSha256 = run.inputSha256;
  // A night that failed is resumed where it failed: the same night's processing, no new deposit.
  if (run.night !== null && run.step === 'pronote-siecle-elegroupe') input.night = run.night;
  // Every re-run of this run so far is over (checked above): the next rank is free unless someone
  // else is starting it right now.
  const workflowId = rerunWorkflowId(run, reruns.length + 1);
  try {
    const handle = await client.workflow.start<typeof stepRun>('stepRun', {
      workflowId,
      taskQueue: options.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
      // A re-run of that rank that is over without a row of its own (it stopped before its step
      // began) may be started again; one still running may not.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    return { workflowId, runId: handle.firstExecutionRunId, rerunOf: run.id };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new ActionRefused('conflict', `L'exécution ${stepRunId} (${run.step}, ${run.uai}) est déjà en cours de relance (workflow ${workflowId}) : une seule relance à la fois.`);
    }
    throw error;
  }
}
