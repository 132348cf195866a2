// A person confirms a manual step as soon as its « waiting-person » row is written (`synchro done`
// and the demo read that row), which can be before the school's year has taken in that its
// activity is over: the confirmation must be taken then, not refused as « en cours ».
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { schoolYear } from '../../workflows';
import { confirmManualStep } from '../../workflows/messages';
import { connectorDouble } from '../support/connector-double';
import { useTemporalHarness } from '../support/temporal';

const harness = useTemporalHarness();

describe('confirming a manual step while its wait for a person is being recorded', () => {
  it('takes the confirmation given between the row and the year learning of it, and the year goes on', async () => {
    const uai = '0750680G';
    const millesime = 4900 + Math.floor(Math.random() * 90); // a key of its own in the shared database
    const answers: string[] = [];
    const workflowId = `school-year/${uai}/${millesime}/${randomUUID()}`;
    const result = await harness.withWorker(connectorDouble(() => Promise.resolve({ kind: 'done', anomalies: [] })), async (taskQueue) => {
      const handle = await harness.client.workflow.start(schoolYear, {
        taskQueue,
        workflowId,
        args: [{ uai, millesime, businessDate: '2025-09-15', yearEnd: '2000-01-01', timings: { fileRetryInterval: '200 milliseconds', maxFileChecks: 20, nightTimeout: '1 minute' } }],
      });
      return handle.result();
    }, {
      wrapActivities: (activities) => ({
        ...activities,
        // The row is written, and before this activity returns, the person confirms.
        async recordStepStatus(input) {
          const id = await activities.recordStepStatus(input);
          if (input.status === 'waiting-person') {
            const year = harness.client.workflow.getHandle(workflowId);
            const answer = await year.executeUpdate(confirmManualStep, { args: [{ step: input.step, by: 'agent.dane' }] });
            answers.push(answer.message);
          }
          return id;
        },
      }),
    });
    expect(answers).toEqual([`Étape sts-siecle-structure confirmée pour ${uai}.`, `Étape sts-siecle-services confirmée pour ${uai}.`]);
    expect(result.steps.find((s) => s.step === 'sts-siecle-services')?.status).toBe('succeeded');
  });
});
