// The platform's honest end-to-end test: a real dev server, a real worker, the real step activity
// writing to the database. The connector fails twice; Temporal (not a loop of ours) retries it.
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { StepRejected } from '../../activities/step-run';
import type { StepEnvironment, StepOutcome, StepRequest } from '../../connectors/types';
import { listStepRuns } from '../../db/queries/step-runs';
import { listAnomaliesByRun } from '../../db/queries/anomalies';
import { stepRun } from '../../workflows';
import { STEP_STATUS } from '../../workflows/search-attributes';
import { connectorDouble } from '../support/connector-double';
import { useTemporalHarness } from '../support/temporal';

type StepPerformer = (request: StepRequest, env: StepEnvironment) => Promise<StepOutcome>;

const harness = useTemporalHarness();

function runWithWorker<T>(perform: StepPerformer, body: (taskQueue: string) => Promise<T>): Promise<T> {
  return harness.withWorker(connectorDouble(perform), body);
}

describe('a step on the real Temporal dev server', () => {
  it('is retried by Temporal after two infrastructure failures, and its run is recorded once with 3 attempts', async () => {
    const seenAttempts: number[] = [];
    const flakySiecle: StepPerformer = (_input, { attempt }) => {
      seenAttempts.push(attempt);
      if (attempt < 3) return Promise.reject(new Error(`SIECLE ne répond pas (tentative ${attempt})`));
      return Promise.resolve({ kind: 'done', anomalies: [] });
    };
    const workflowId = `step-retry-${randomUUID()}`;
    const result = await runWithWorker(flakySiecle, (taskQueue) =>
      harness.client.workflow.execute(stepRun, {
        taskQueue,
        workflowId,
        args: [{ uai: '0750680G', millesime: 2025, step: 'siecle-pronote' }],
      }),
    );

    expect(seenAttempts).toEqual([1, 2, 3]);
    expect(result.status).toBe('succeeded');
    expect(result.attempts).toBe(3);

    const rows = await listStepRuns(harness.db, { uai: '0750680G' });
    const row = rows.find((r) => r.workflowId === workflowId);
    expect(row).toMatchObject({ step: 'siecle-pronote', millesime: 2025, status: 'succeeded', attempts: 3 });
    expect(row?.finishedAt).toBeTruthy();

    const history = await harness.client.workflow.getHandle(workflowId).fetchHistory();
    const started = (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes);
    expect(started).toHaveLength(1);
    expect(started[0]?.activityTaskStartedEventAttributes?.attempt).toBe(3);
    expect(started[0]?.activityTaskStartedEventAttributes?.lastFailure?.message).toBe('SIECLE ne répond pas (tentative 2)');

    const description = await harness.client.workflow.getHandle(workflowId).describe();
    expect(description.typedSearchAttributes.get(STEP_STATUS)).toBe('succeeded');
  });

  it('fails at once, without retry, when the data is bad, and keeps the anomalies', async () => {
    const seenAttempts: number[] = [];
    const badFile: StepPerformer = (_input, { attempt }) => {
      seenAttempts.push(attempt);
      return Promise.reject(
        new StepRejected('Fichier refusé', [
          { code: 'DEPOT_NOM', level: 'blocking', message: 'Nom du fichier mal formaté!', subject: { file: 'x.zip' } },
        ]),
      );
    };
    const workflowId = `step-bad-${randomUUID()}`;
    const failure = await runWithWorker(badFile, (taskQueue) =>
      harness.client.workflow
        .execute(stepRun, { taskQueue, workflowId, args: [{ uai: '0750680G', millesime: 2025, step: 'pronote-siecle-elegroupe' }] })
        .then(() => undefined, (e: unknown) => e),
    );

    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect(seenAttempts).toEqual([1]);
    const row = (await listStepRuns(harness.db, { uai: '0750680G' })).find((r) => r.workflowId === workflowId);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    const anomalies = await listAnomaliesByRun(harness.db, row!.id);
    expect(anomalies.map((a) => [a.code, a.level, a.message])).toEqual([['DEPOT_NOM', 'blocking', 'Nom du fichier mal formaté!']]);
  });
});
