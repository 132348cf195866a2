// Applying an académie's schedules is idempotent: a schedule that exists is updated to the plan,
// one that does not is created; applying twice gives the same schedules.
import { ScheduleNotFoundError, type Client, type ScheduleDescription, type ScheduleOptions } from '@temporalio/client';
import { academySchedules, type AcademyScheduleConfig } from './plan';

export interface AppliedSchedule {
  scheduleId: string;
  change: 'created' | 'updated';
}

export async function applyOne(client: Client, options: ScheduleOptions): Promise<AppliedSchedule> {
  const handle = client.schedule.getHandle(options.scheduleId);
  try {
    await handle.describe();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    await client.schedule.create(options);
    return { scheduleId: options.scheduleId, change: 'created' };
  }
  await handle.update((previous) => ({ ...previous, spec: options.spec, action: options.action, policies: { ...previous.policies, ...options.policies } }));
  return { scheduleId: options.scheduleId, change: 'updated' };
}

export async function applyAcademySchedules(client: Client, config: AcademyScheduleConfig): Promise<AppliedSchedule[]> {
  const applied: AppliedSchedule[] = [];
  for (const options of academySchedules(config)) applied.push(await applyOne(client, options));
  return applied;
}

export interface ListedSchedule {
  scheduleId: string;
  paused: boolean;
  note?: string;
  nextRuns: string[];
}

/** Our schedules (ids start with synchro/), optionally of one académie. */
export async function listSchedules(client: Client, academie?: string): Promise<ListedSchedule[]> {
  const prefix = academie ? `synchro/${academie}/` : 'synchro/';
  const listed: ListedSchedule[] = [];
  for await (const summary of client.schedule.list()) {
    if (!summary.scheduleId.startsWith(prefix)) continue;
    const description: ScheduleDescription = await client.schedule.getHandle(summary.scheduleId).describe();
    listed.push({
      scheduleId: summary.scheduleId,
      paused: description.state.paused,
      note: description.state.note,
      nextRuns: description.info.nextActionTimes.slice(0, 3).map((d) => d.toISOString()),
    });
  }
  return listed.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

export async function pauseSchedule(client: Client, scheduleId: string, note: string): Promise<void> {
  await client.schedule.getHandle(scheduleId).pause(note);
}

export async function resumeSchedule(client: Client, scheduleId: string, note: string): Promise<void> {
  await client.schedule.getHandle(scheduleId).unpause(note);
}

/** Runs the actions a schedule would have run between two instants (a missed night). */
export async function backfillSchedule(client: Client, scheduleId: string, start: Date, end: Date): Promise<void> {
  await client.schedule.getHandle(scheduleId).backfill({ start, end });
}
