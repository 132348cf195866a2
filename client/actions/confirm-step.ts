// "I have pressed the button in STS-Web": a person confirms a manual step of a school's year.
// The confirmation is a Temporal update, so the answer (accepted, or why not) comes back at once
// from the workflow's own validator.
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { schoolYearWorkflowId } from '../../workflows/ids';
import { confirmManualStep, type ConfirmationAnswer } from '../../workflows/messages';
import type { StepId } from '../../workflows/steps';
import { ActionRefused } from './errors';

export interface ConfirmStepRequest {
  uai: string;
  millesime: number;
  step: StepId;
  /** The operator's login, kept in the workflow history (never a pupil). */
  by?: string;
}

export async function confirmStep(client: Client, request: ConfirmStepRequest): Promise<ConfirmationAnswer> {
  const workflowId = schoolYearWorkflowId(request.uai, request.millesime);
  const handle = client.workflow.getHandle(workflowId);
  const notRunning = `L'année scolaire ${request.millesime} de ${request.uai} n'est pas en cours dans Temporal (workflow ${workflowId}) : rien à confirmer.`;
  // An update on a finished workflow fails with a bare gRPC error: ask first, answer in French.
  const description = await handle.describe().catch((error: unknown) => {
    if (error instanceof WorkflowNotFoundError) throw new ActionRefused('not-found', notRunning);
    throw error;
  });
  if (description.status.name !== 'RUNNING') throw new ActionRefused('conflict', notRunning);
  try {
    return await handle.executeUpdate(confirmManualStep, { args: [{ step: request.step, by: request.by }] });
  } catch (error) {
    // The workflow's validator refused (not a manual step, not waiting): its message is French.
    if (error instanceof WorkflowUpdateFailedError) throw new ActionRefused('conflict', error.cause?.message ?? error.message);
    if (error instanceof WorkflowNotFoundError) throw new ActionRefused('not-found', notRunning);
    throw error;
  }
}
