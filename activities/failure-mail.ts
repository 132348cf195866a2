// A failed or refused step is mailed to the school at once rather than at the next sweep (the
// schedule runs every 15 minutes): the activity that records the failure starts the
// notificationsSweep workflow for that one school, on its own task queue, under the id
// `notifications/step-failed/<run>` — one per failed run, however often the activity is retried
// (a second start is refused by Temporal). The sweep is the same as the schedule's (each mail
// once: notifications_sent), without the admins' digest. Best effort: a start that fails or takes
// long leaves the mail to the scheduled sweep, and never fails or delays the step's own record.
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';

/** How long the failure's activity waits for Temporal to accept the start (a gRPC round trip). */
const START_WAIT_MS = 5_000;

export const failureSweepWorkflowId = (stepRunId: number): string => `notifications/step-failed/${stepRunId}`;

export async function mailFailureNow(uai: string, stepRunId: number): Promise<void> {
  let context: Context;
  let client: Context['client'];
  try {
    context = Context.current();
    client = context.client;
  } catch {
    return; // not in a worker's activity (a test environment without a client): the schedule sends it
  }
  const start = client.workflow
    .start('notificationsSweep', {
      taskQueue: context.info.taskQueue,
      workflowId: failureSweepWorkflowId(stepRunId),
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      args: [{ uais: [uai], digest: false }],
    })
    .then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof WorkflowExecutionAlreadyStartedError) return;
        context.log.warn('Envoi immédiat du courriel d’échec non démarré : il partira avec la prochaine tournée', { uai, stepRunId, error: String(error) });
      },
    );
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([start, new Promise<void>((resolve) => (timer = setTimeout(resolve, START_WAIT_MS)))]);
  clearTimeout(timer);
}
