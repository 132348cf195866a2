// The operators' actions against the real dev server and the real step workflow: re-running a
// failed run from the dashboard's button and seeing the grid change, confirming a manual step of
// a running school year, and the French refusals when there is nothing to confirm.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { confirmStep } from '../../client/actions/confirm-step';
import { ActionRefused } from '../../client/actions/errors';
import { rerunStep } from '../../client/actions/rerun-step';
import { createWebApp } from '../../client/web/app';
import type { StepOutcome } from '../../connectors/types';
import { listAudit } from '../../db/queries/audit';
import { upsertSchool } from '../../db/queries/schools';
import { finishStepRun, listReruns, startStepRun } from '../../db/queries/step-runs';
import { schoolYear } from '../../workflows';
import { schoolYearWorkflowId } from '../../workflows/ids';
import { stepStates } from '../../workflows/messages';
import { connectorDouble } from '../support/connector-double';
import { useTemporalHarness } from '../support/temporal';

const harness = useTemporalHarness();
const done = (): Promise<StepOutcome> => Promise.resolve({ kind: 'done', anomalies: [] });

describe('re-running a failed run', () => {
  it('starts a new stepRun workflow linked by rerunOf, and the grid then shows the re-run’s status', async () => {
    const uai = '0382032C';
    const millesime = 2100 + Math.floor(Math.random() * 800);
    await upsertSchool(harness.db, { uai, name: 'Collège Les Buclos', academie: 'Grenoble', calendarZone: 'metropole' });
    const failed = await startStepRun(harness.db, { uai, millesime, step: 'siecle-pronote', workflowId: `w-${randomUUID()}`, runId: 'r', inputSha256: 'b'.repeat(64) });
    await finishStepRun(harness.db, failed.id, 'failed', { info: 0, warning: 0, error: 1, blocking: 0 });

    await harness.withWorker(connectorDouble(done), async (taskQueue) => {
      const app = createWebApp({
        db: harness.db,
        temporal: { client: harness.client, taskQueue },
        settings: { web: { host: '127.0.0.1', port: 0, token: 't' }, temporal: { namespace: 'default' } },
      });
      const before = await (await app.request(`/?academie=Grenoble&step=siecle-pronote`, { headers: { authorization: 'Bearer t' } })).text();
      expect(before).toContain(`<a href="/runs/${failed.id}">Échec`);

      const response = await app.request(`/runs/${failed.id}/relancer`, { method: 'POST', headers: { authorization: 'Bearer t' } });
      expect(response.status).toBe(200);
      const [rerun] = await (async () => {
        for (let i = 0; i < 100; i += 1) {
          const reruns = await listReruns(harness.db, failed.id);
          if (reruns.some((r) => r.status === 'succeeded')) return reruns;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error('the re-run never succeeded');
      })();
      expect(rerun).toMatchObject({ uai, millesime, step: 'siecle-pronote', inputSha256: 'b'.repeat(64), rerunOf: failed.id, status: 'succeeded' });
      expect(rerun!.workflowId).toBe(`rerun/${uai}/${millesime}/siecle-pronote/${failed.id}/1`);
      // The script's re-run is in the audit log as "jeton", and stays there after the re-run ran.
      expect((await listAudit(harness.db, { uai })).find((e) => e.action === 'rerun' && e.details.stepRunId === failed.id)).toMatchObject({ actorSubject: 'jeton', details: { workflowId: rerun!.workflowId } });

      const after = await (await app.request(`/?academie=Grenoble&step=siecle-pronote`, { headers: { authorization: 'Bearer t' } })).text();
      expect(after).toContain(`<a href="/runs/${rerun!.id}">Réussie`);
      // The failed run is re-run once; it is not failed any more from the grid's point of view.
      await expect(rerunStep(harness.client, harness.db, rerun!.id, { taskQueue })).rejects.toBeInstanceOf(ActionRefused);
    });
  });
});

describe('confirming a manual step', () => {
  it('sends confirmManualStep to the running school year, and refuses in French what is not waiting or not running', async () => {
    const uai = '9830418M';
    const millesime = 2100 + Math.floor(Math.random() * 800);
    await harness.withWorker(connectorDouble(done), async (taskQueue) => {
      const handle = await harness.client.workflow.start(schoolYear, {
        taskQueue,
        workflowId: schoolYearWorkflowId(uai, millesime),
        args: [{ uai, millesime, businessDate: '2025-03-15', timings: { fileRetryInterval: '200 milliseconds', maxFileChecks: 20, nightTimeout: '1 minute' } }],
      });
      try {
        for (let i = 0; i < 100 && (await handle.query(stepStates)).find((s) => s.step === 'sts-siecle-structure')?.status !== 'waiting-person'; i += 1) {
          await new Promise((r) => setTimeout(r, 100));
        }
        await expect(confirmStep(harness.client, { uai, millesime, step: 'sts-edt' })).rejects.toThrow(/n'est pas une étape à confirmer/);
        expect(await confirmStep(harness.client, { uai, millesime, step: 'sts-siecle-structure', by: 'dane.ops' })).toMatchObject({ accepted: true });
      } finally {
        await handle.terminate('fin du test');
      }
      const refusal = await confirmStep(harness.client, { uai, millesime, step: 'sts-siecle-services' }).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(ActionRefused);
      expect((refusal as ActionRefused).message).toContain("n'est pas en cours dans Temporal");
      await expect(confirmStep(harness.client, { uai, millesime: 1999, step: 'sts-siecle-services' })).rejects.toMatchObject({ kind: 'not-found' });
    });
  });
});
