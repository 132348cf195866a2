// The notification sweep, started by a schedule every few minutes (per académie, its schools):
// one activity that mails what is due (failed steps, files expected for N days, the night's
// compte-rendu, the admins' daily digest), each mail once. A step that fails starts one at once for
// its school (activities/failure-mail.ts), so that its mail does not wait for the schedule. A small workflow of its own, so the
// school year and the night stay as they are.
import { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { NotificationSweepOutcome } from '../activities/notifications';

const { sendNotifications } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 5 },
});

const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

export interface NotificationsInput {
  uais?: string[];
  /** The instant to stand at (ISO); default: the schedule's start time, else the workflow's start. */
  at?: string;
  /** false: no admins' digest (the sweep a failure starts for its school: activities/failure-mail.ts). */
  digest?: boolean;
}

export async function notificationsSweep(input: NotificationsInput = {}): Promise<NotificationSweepOutcome> {
  const info = workflowInfo();
  const at = input.at ?? (info.typedSearchAttributes.get(SCHEDULED_START) ?? info.runStartTime).toISOString();
  return sendNotifications({ at, ...(input.uais && { uais: input.uais }), ...(input.digest === false && { digest: false }) });
}
