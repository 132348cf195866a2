// An académie run never hangs and never miscounts: a school's year terminated by an operator in
// the middle of the académie's run never signals that it is done; the académie hears it from the
// child's result, and ends with that school failed (cause: terminated) and the other succeeded.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { listStepRuns } from '../../db/queries/step-runs';
import { uaiCheckLetter } from '../../formats/uai';
import { academy } from '../../workflows';
import { schoolYearWorkflowId } from '../../workflows/ids';
import { connectorDouble } from '../support/connector-double';
import { useTemporalHarness } from '../support/temporal';

const harness = useTemporalHarness();
const [DONE, STUCK] = ['0751401', '0751402'].map((digits) => `${digits}${uaiCheckLetter(digits)}`) as [string, string];

describe('an académie run whose school is terminated', () => {
  it('ends, with that school counted failed (terminated) and the other succeeded', async () => {
    const millesime = 2100 + Math.floor(Math.random() * 800); // a year still running: the schools' workflows stay
    // The second school's sts_emp never comes: its year stays in its first pass.
    const connector = connectorDouble((request) =>
      Promise.resolve(request.uai === STUCK && request.step === 'sts-edt' ? { kind: 'waiting-file', expected: 'sts_emp_*.xml' } : { kind: 'done', anomalies: [] }),
    );
    await harness.withWorker(connector, async (taskQueue) => {
      const handle = await harness.client.workflow.start(academy, {
        taskQueue, workflowId: `academie/TERM-TEST/${randomUUID()}`,
        args: [{
          academie: 'TERM-TEST', kind: 'year', millesime, businessDate: '2025-09-15', uais: [DONE, STUCK], concurrency: 2, confirmAutomatically: true,
          timings: { fileRetryInterval: '1 hour', maxFileChecks: 10, nightTimeout: '1 minute' },
        }],
      });
      try {
        for (let i = 0; i < 200 && (await listStepRuns(harness.db, { uai: STUCK, millesime, step: 'sts-edt' }))[0]?.status !== 'waiting-file'; i += 1) {
          await new Promise((r) => setTimeout(r, 100));
        }
        expect((await listStepRuns(harness.db, { uai: STUCK, millesime, step: 'sts-edt' }))[0]?.status).toBe('waiting-file');
        await harness.client.workflow.getHandle(schoolYearWorkflowId(STUCK, millesime)).terminate('arrêté par un opérateur');
        const result = await handle.result();
        expect(result).toMatchObject({ succeeded: 1, failed: 1, alreadyRunning: 0, failures: [{ uai: STUCK, cause: 'terminated' }] });
      } finally {
        await harness.client.workflow.getHandle(schoolYearWorkflowId(DONE, millesime)).terminate('fin du test').catch(() => undefined);
      }
    });
  }, 120_000);
});
