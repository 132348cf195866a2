import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RunRequestError, startRun } from '../../client/runs/start-runs';
import { upsertSchool } from '../../db/queries/schools';
import { useTemporalHarness } from '../support/temporal';

const harness = useTemporalHarness();

describe('starting runs from the CLI', () => {
  it("starts a school's year under its business id once, and reports the second start instead of duplicating it", async () => {
    const academie = `A${randomUUID().slice(0, 6)}`;
    await upsertSchool(harness.db, { uai: '9830418M', name: 'Collège de Nouméa', academie, calendarZone: 'pacifique-sud' });
    const taskQueue = `nowhere-${randomUUID()}`; // no worker: only the start is under test
    const request = { kind: 'yearly' as const, uai: '9830418M', on: '2018-03-01', taskQueue };
    const first = await startRun(harness.client, harness.db, request);
    const second = await startRun(harness.client, harness.db, request);
    // SIECLE millésime of the February–December 2018 year in Nouvelle-Calédonie is 2017.
    expect(first).toEqual({ workflowId: 'school-year/9830418M/2017', started: true });
    expect(second).toEqual({ workflowId: 'school-year/9830418M/2017', started: false });
    await harness.client.workflow.getHandle(first.workflowId).terminate('test');

    const academy = await startRun(harness.client, harness.db, { kind: 'term', academie, period: 2, on: '2018-08-31', taskQueue });
    expect(academy).toEqual({ workflowId: `academie/${academie}/2017/term/2`, started: true });
    await harness.client.workflow.getHandle(academy.workflowId).terminate('test');
  });

  it('says what is missing in French', async () => {
    await expect(startRun(harness.client, harness.db, { kind: 'yearly', uai: '0750680G', on: '2025-09-15', taskQueue: 'q' })).rejects.toThrow(RunRequestError);
    await expect(startRun(harness.client, harness.db, { kind: 'term', uai: '0750680G', on: '2025-09-15', taskQueue: 'q' })).rejects.toThrow('--period est obligatoire');
  });
});
