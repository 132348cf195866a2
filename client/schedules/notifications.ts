// The notification sweep's schedule, one per académie (its schools): every 15 minutes, so that a
// failure is told within a quarter of an hour and the digest goes out soon after its hour. Kept
// apart from plan.ts (the chain's own schedules), applied by `synchro schedule apply` with them.
import { ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { applyOne, type AppliedSchedule } from './apply';
import type { AcademyScheduleConfig } from './plan';

export const NOTIFICATION_SWEEP_EVERY = '15 minutes';

export function notificationSchedule(config: Pick<AcademyScheduleConfig, 'academie' | 'millesime' | 'uais' | 'taskQueue'>): ScheduleOptions {
  return {
    scheduleId: `synchro/${config.academie}/${config.millesime}/notifications`,
    spec: { intervals: [{ every: NOTIFICATION_SWEEP_EVERY }] },
    action: { type: 'startWorkflow', workflowType: 'notificationsSweep', workflowId: `notifications/${config.academie}`, taskQueue: config.taskQueue, args: [{ uais: config.uais }] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    state: { note: `Notifications par courriel de l'académie ${config.academie}` },
  };
}

export function applyNotificationSchedule(client: Client, config: Pick<AcademyScheduleConfig, 'academie' | 'millesime' | 'uais' | 'taskQueue'>): Promise<AppliedSchedule> {
  return applyOne(client, notificationSchedule(config));
}
