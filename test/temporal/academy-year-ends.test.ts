// An académie's run hands each school's year the day it ends (worked out by whoever starts the run,
// rules/calendar.ts): those years ask no activity for it; a school missing from the list asks, as
// a year started alone does. A run that continues as new carries the ends of the schools still to
// start only.
import { randomInt, randomUUID } from 'node:crypto';
import type { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { uaiCheckLetter } from '../../formats/uai';
import { schoolYearEnd } from '../../rules/calendar';
import { academy } from '../../workflows';
import { schoolYearWorkflowId } from '../../workflows/ids';
import { connectorDouble } from '../support/connector-double';
import { useTemporalHarness } from '../support/temporal';

const harness = useTemporalHarness();

const activitiesOf = (events: temporal.api.history.v1.IHistoryEvent[]): string[] =>
  events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter((name): name is string => Boolean(name));

describe('an académie run of years', () => {
  it("starts each year with its end, so that the year asks no activity for it; a school left out asks", async () => {
    const millesime = 2025; // over since 2026-08: each year ends once its chain is through
    const uais = Array.from({ length: 3 }, () => {
      const digits = `07${String(randomInt(0, 100_000)).padStart(5, '0')}`;
      return `${digits}${uaiCheckLetter(digits)}`;
    });
    const [first, second, leftOut] = uais as [string, string, string];
    const connector = connectorDouble(() => Promise.resolve({ kind: 'done', anomalies: [] }));
    const workflowId = `academie/YEAR-ENDS/${randomUUID()}`;
    await harness.withWorker(connector, async (taskQueue) => {
      const handle = await harness.client.workflow.start(academy, {
        taskQueue, workflowId,
        args: [{
          academie: 'YEAR-ENDS', kind: 'year', millesime, businessDate: '2025-09-15', uais, concurrency: 1, pageSize: 1, confirmAutomatically: true,
          yearEnds: { [first]: schoolYearEnd(first, millesime), [second]: schoolYearEnd(second, millesime) },
        }],
      });
      expect(await handle.result()).toMatchObject({ succeeded: 3, failed: 0, alreadyRunning: 0 });
    });
    const history = async (id: string) => (await harness.client.workflow.getHandle(id).fetchHistory()).events ?? [];
    for (const uai of [first, second]) expect(activitiesOf(await history(schoolYearWorkflowId(uai, millesime)))).not.toContain('schoolYearEnd');
    expect(activitiesOf(await history(schoolYearWorkflowId(leftOut, millesime)))).toContain('schoolYearEnd');
    // pageSize 1: the académie continued as new before each school after the first; its last run
    // was started with the school still to start, and no end (that school had none).
    const lastStart = (await history(workflowId))[0]?.workflowExecutionStartedEventAttributes;
    const input = JSON.parse(Buffer.from(lastStart!.input!.payloads![0]!.data!).toString()) as { uais: string[]; yearEnds?: Record<string, string> };
    expect(input.uais).toEqual([leftOut]);
    expect(input.yearEnds).toEqual({});
  }, 120_000);
});
