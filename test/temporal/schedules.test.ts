// Schedules on the real dev server: applying twice gives one set of schedules; a missed night can
// be backfilled, and the nightly job then knows its night from the schedule, in the académie's zone.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { applyAcademySchedules, backfillSchedule, listSchedules, pauseSchedule, resumeSchedule } from '../../client/schedules/apply';
import { closureSkips, type AcademyScheduleConfig } from '../../client/schedules/plan';
import type { NightlyResult } from '../../workflows/nightly-elegroupe';
import { connectorDouble } from '../support/connector-double';
import { useTemporalHarness } from '../support/temporal';

const harness = useTemporalHarness();

function noumea(taskQueue: string, academie: string): AcademyScheduleConfig {
  return {
    academie,
    timeZone: 'Pacific/Noumea',
    millesime: 2017,
    uais: ['9830418M'],
    schoolYear: { start: '2018-02-19', end: '2018-12-14' },
    periodEnds: ['2018-05-18', '2018-08-31', '2018-12-14'],
    closures: [{ start: '2018-04-14', end: '2018-04-29' }],
    taskQueue,
  };
}

describe('académie schedules', () => {
  it('are created once and updated when applied again, with the year bounds and closures of the calendar', async () => {
    const academie = `NC${randomUUID().slice(0, 6)}`;
    const config = noumea('unused', academie);
    const first = await applyAcademySchedules(harness.client, config);
    const second = await applyAcademySchedules(harness.client, config);
    expect(first.map((s) => s.change)).toEqual(['created', 'created', 'created', 'created', 'created']);
    expect(second.map((s) => s.change)).toEqual(['updated', 'updated', 'updated', 'updated', 'updated']);
    const listed = await listSchedules(harness.client, academie);
    expect(listed.map((s) => s.scheduleId)).toEqual([
      `synchro/${academie}/2017/nightly-elegroupe`,
      `synchro/${academie}/2017/term-1`,
      `synchro/${academie}/2017/term-2`,
      `synchro/${academie}/2017/term-3`,
      `synchro/${academie}/2017/year`,
    ]);
    const nightly = await harness.client.schedule.getHandle(`synchro/${academie}/2017/nightly-elegroupe`).describe();
    expect(nightly.spec.timezone).toBe('Pacific/Noumea');
    expect(nightly.spec.startAt?.toISOString()).toBe('2018-02-18T13:00:00.000Z'); // 19/02 00:00 in Nouméa (UTC+11)
    expect(nightly.spec.skip).toHaveLength(1);

    await pauseSchedule(harness.client, `synchro/${academie}/2017/nightly-elegroupe`, 'vacances');
    expect((await listSchedules(harness.client, academie)).find((s) => s.scheduleId.endsWith('nightly-elegroupe'))?.paused).toBe(true);
    await resumeSchedule(harness.client, `synchro/${academie}/2017/nightly-elegroupe`, 'reprise');
    expect((await listSchedules(harness.client, academie)).find((s) => s.scheduleId.endsWith('nightly-elegroupe'))?.paused).toBe(false);
  });

  it('splits a closure over two months into skip specs that cover every second of those days', () => {
    expect(closureSkips({ start: '2018-10-20', end: '2018-11-04' })).toEqual([
      { year: 2018, month: 'OCTOBER', dayOfMonth: { start: 20, end: 31 }, hour: '*', minute: '*', second: '*', comment: 'fermeture' },
      { year: 2018, month: 'NOVEMBER', dayOfMonth: { start: 1, end: 4 }, hour: '*', minute: '*', second: '*', comment: 'fermeture' },
    ]);
  });

  it('backfills a missed night: the nightly job runs for that night, read in the académie time zone', async () => {
    const academie = `NC${randomUUID().slice(0, 6)}`;
    const connector = connectorDouble(() => Promise.resolve({ kind: 'done', anomalies: [] }));
    await harness.withWorker(connector, async (taskQueue) => {
      await applyAcademySchedules(harness.client, noumea(taskQueue, academie));
      // 22:30 in Nouméa on 15/05/2018 is 11:30 UTC.
      await backfillSchedule(harness.client, `synchro/${academie}/2017/nightly-elegroupe`, new Date('2018-05-15T00:00:00Z'), new Date('2018-05-15T23:00:00Z'));
      let result: NightlyResult | undefined;
      for (let i = 0; i < 100 && !result; i += 1) {
        for await (const run of harness.client.workflow.list({ query: `WorkflowId STARTS_WITH 'nightly-elegroupe/${academie}'` })) {
          result = (await harness.client.workflow.getHandle(run.workflowId, run.runId).result()) as NightlyResult;
        }
        if (!result) await new Promise((r) => setTimeout(r, 200));
      }
      expect(result?.night).toBe('2018-05-15');
    });
  });
});
