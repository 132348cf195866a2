// Ten operators press "Relancer" on the same failed run at the same moment (the dashboard's POST,
// on the real dev server): one re-run starts, the nine others are told one is already under way.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createWebApp } from '../../client/web/app';
import type { StepOutcome } from '../../connectors/types';
import { upsertSchool } from '../../db/queries/schools';
import { finishStepRun, listReruns, startStepRun } from '../../db/queries/step-runs';
import { connectorDouble } from '../support/connector-double';
import { useTemporalHarness } from '../support/temporal';

const harness = useTemporalHarness();

describe('ten "Relancer" at once on the same failed run', () => {
  it('start exactly one re-run and tell the nine others it is under way', async () => {
    const uai = '0382032C';
    const millesime = 2100 + Math.floor(Math.random() * 800);
    await upsertSchool(harness.db, { uai, name: 'Collège Les Buclos', academie: 'Grenoble', calendarZone: 'metropole' });
    const failed = await startStepRun(harness.db, { uai, millesime, step: 'siecle-pronote', workflowId: `w-${randomUUID()}`, runId: 'r', inputSha256: 'c'.repeat(64) });
    await finishStepRun(harness.db, failed.id, 'failed', { info: 0, warning: 0, error: 1, blocking: 0 });

    // The re-run's step waits until every answer is in: all ten presses land while it runs.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let stepRuns = 0;
    const connector = connectorDouble(async (): Promise<StepOutcome> => {
      stepRuns += 1;
      await released;
      return { kind: 'done', anomalies: [] };
    });

    await harness.withWorker(connector, async (taskQueue) => {
      const app = createWebApp({
        db: harness.db,
        temporal: { client: harness.client, taskQueue },
        settings: { web: { host: '127.0.0.1', port: 0, token: 't' }, temporal: { namespace: 'default' } },
      });
      const press = async (): Promise<{ status: number; text: string }> => {
        const response = await app.request(`/runs/${failed.id}/relancer`, { method: 'POST', headers: { authorization: 'Bearer t' } });
        return { status: response.status, text: await response.text() };
      };
      const answers = await Promise.all(Array.from({ length: 10 }, press));
      release();

      expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
      for (const refused of answers.filter((a) => a.status === 409)) expect(refused.text).toMatch(/déjà (en cours de relance|relancée)/);

      let reruns = await listReruns(harness.db, failed.id);
      for (let i = 0; i < 100 && !reruns.some((r) => r.status === 'succeeded'); i += 1) {
        await new Promise((r) => setTimeout(r, 100));
        reruns = await listReruns(harness.db, failed.id);
      }
      expect(reruns).toHaveLength(1);
      expect(reruns[0]).toMatchObject({ status: 'succeeded', rerunOf: failed.id, workflowId: `rerun/${uai}/${millesime}/siecle-pronote/${failed.id}/1` });
      expect(stepRuns).toBe(1);

      // Temporal agrees: one stepRun workflow for this failed run.
      const started: string[] = [];
      for await (const execution of harness.client.workflow.list({ query: `WorkflowType = 'stepRun' AND WorkflowId STARTS_WITH 'rerun/${uai}/${millesime}/'` })) {
        started.push(execution.workflowId);
      }
      expect(started).toEqual([`rerun/${uai}/${millesime}/siecle-pronote/${failed.id}/1`]);

      // The re-run succeeded: nobody can re-run the failed run again.
      const after = await press();
      expect(after.status).toBe(409);
      expect(after.text).toContain('déjà relancée, avec succès');
    });
  });
});
