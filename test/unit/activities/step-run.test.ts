// The step activity in Temporal's mock activity environment (its Context, attempt numbers and
// heartbeats, without a server): the ledger keeps every run, a retry of one run replaces only
// that run's anomalies, and "with anomalies" does not count Informatif.
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../../activities';
import type { ExecuteStepInput, StepRunResult } from '../../../activities/step-run';
import type { StepOutcome } from '../../../connectors/types';
import { migrate, openDb, type OpenedDb } from '../../../db/client';
import { listAnomaliesByRun } from '../../../db/queries/anomalies';
import { listStepRuns } from '../../../db/queries/step-runs';
import { connectorDouble, MemoryStore } from '../../support/connector-double';

let database: OpenedDb;
beforeAll(async () => {
  database = await openDb({ inMemory: true });
  await migrate(database.db);
});
afterAll(() => database?.close());

/** One attempt of the activity, as Temporal's worker would call it. */
function attempt(activities: ReturnType<typeof createActivities>, n: number, input: ExecuteStepInput): Promise<StepRunResult> {
  return new MockActivityEnvironment({ attempt: n }).run<[ExecuteStepInput], StepRunResult, typeof activities.executeStep>(activities.executeStep, input);
}

const ref = (sha: string) => ({ key: sha, sha256: sha.repeat(64), bytes: 1, name: 'sts_emp_0750680G_2025.xml' });

describe('executeStep (MockActivityEnvironment)', () => {
  it('keeps each run with its input and its anomalies; a retry of the same run replaces only its own', async () => {
    let outcome: StepOutcome = { kind: 'done', input: ref('a'), anomalies: [{ code: 'W1', level: 'warning', message: 'premier fichier' }] };
    const activities = createActivities({ db: database.db, store: new MemoryStore(), connectorFor: () => Promise.resolve(connectorDouble(() => Promise.resolve(outcome))) });
    const input = { uai: '0750680G', millesime: 2025, step: 'sts-edt' as const, businessDate: '2025-09-15' };

    const first = await attempt(activities, 1, { ...input, workflowId: 'y/sts-edt', runId: 'r1', runKey: 'y/sts-edt@first' });
    expect(first).toMatchObject({ status: 'succeeded-with-anomalies', inputSha256: ref('a').sha256 });

    // Temporal retries the same run (attempt 2): same row, its anomalies replaced.
    outcome = { kind: 'done', input: ref('a'), anomalies: [{ code: 'W2', level: 'warning', message: 'même fichier, nouvel essai' }] };
    const retried = await attempt(activities, 2, { ...input, workflowId: 'y/sts-edt', runId: 'r1', runKey: 'y/sts-edt@first' });
    expect(retried.stepRunId).toBe(first.stepRunId);
    expect((await listAnomaliesByRun(database.db, first.stepRunId)).map((a) => a.code)).toEqual(['W2']);

    // A new file: a new run (another step workflow), and the first keeps its anomalies.
    outcome = { kind: 'done', input: ref('b'), anomalies: [{ code: 'I1', level: 'info', message: 'pour information' }] };
    const second = await attempt(activities, 1, { ...input, workflowId: 'y/sts-edt#2', runId: 'r2', runKey: 'y/sts-edt#2@first' });
    expect(second.stepRunId).not.toBe(first.stepRunId);
    // Informatif only: a plain success.
    expect(second.status).toBe('succeeded');
    expect((await listAnomaliesByRun(database.db, first.stepRunId)).map((a) => a.code)).toEqual(['W2']);
    expect((await listAnomaliesByRun(database.db, second.stepRunId)).map((a) => a.code)).toEqual(['I1']);

    const runs = await listStepRuns(database.db, { uai: '0750680G', millesime: 2025, step: 'sts-edt' });
    expect(runs.map((r) => [r.id, r.inputSha256, r.attempts])).toEqual([
      [second.stepRunId, ref('b').sha256, 1],
      [first.stepRunId, ref('a').sha256, 2],
    ]);
  });

  it('records who confirmed a manual step and when', async () => {
    const activities = createActivities({ db: database.db, store: new MemoryStore(), connectorFor: () => Promise.resolve(connectorDouble(() => Promise.resolve({ kind: 'done', anomalies: [] }))) });
    const at = '2025-10-01T08:00:00.000Z';
    const result = await attempt(activities, 1, {
      uai: '0750680G', millesime: 2025, step: 'sts-siecle-services', businessDate: '2025-10-01', workflowId: 'y/sts-siecle-services', runId: 'r', confirmedBy: 'dane.ops', confirmedAt: at,
    });
    const [row] = await listStepRuns(database.db, { uai: '0750680G', millesime: 2025, step: 'sts-siecle-services' });
    expect(row).toMatchObject({ id: result.stepRunId, status: 'succeeded', confirmedBy: 'dane.ops', infoCount: 0 });
    expect(row!.confirmedAt?.toISOString()).toBe(at);
  });
});
