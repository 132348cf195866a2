// The school year's order, waits and failures on the real dev server, with a connector double:
// what is under test is the chain (dependencies, manual steps, night, blocking), not the files.
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { StepRejected } from '../../activities/step-run';
import { describeFailed } from '../../client/actions/rerun-failed';
import type { StepOutcome, StepRequest } from '../../connectors/types';
import { listAnomaliesByRun } from '../../db/queries/anomalies';
import { listLatestStepRuns } from '../../db/queries/step-runs';
import { nightlyEleGroupe, schoolYear } from '../../workflows';
import { confirmManualStep, stepStates } from '../../workflows/messages';
import { stepWorkflowId } from '../../workflows/ids';
import { MILLESIME, STEP, STEP_STATUS, UAI } from '../../workflows/search-attributes';
import type { StepId } from '../../workflows/steps';
import { connectorDouble } from '../support/connector-double';
import { useTemporalHarness } from '../support/temporal';

const harness = useTemporalHarness();
const fast = { fileRetryInterval: '200 milliseconds', maxFileChecks: 20, nightTimeout: '1 minute' };

async function untilWaitingPerson(handle: { query: (q: typeof stepStates) => Promise<{ step: StepId; status: string }[]> }, step: StepId): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    const states = await handle.query(stepStates);
    if (states.find((s) => s.step === step)?.status === 'waiting-person') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${step} never waited for a person`);
}

// These are about the chain's first pass: a year the calendar says is over ends right after it
// (the loop that follows is test/temporal/year-loop.test.ts).
const YEAR_OVER = '2000-01-01';

describe('the school year of one school', () => {
  it('runs the steps in order, waits for a person on 4a and 4b, and finishes the élève-groupe step after the night', async () => {
    const uai = '0750680G';
    const millesime = 2100 + Math.floor(Math.random() * 800); // a key of its own in the shared database
    const calls: StepId[] = [];
    const connector = connectorDouble(
      (request: StepRequest): Promise<StepOutcome> => {
        calls.push(request.step);
        if (request.step === 'pronote-siecle-elegroupe') {
          return Promise.resolve({ kind: 'queued-for-night', input: { key: 'k', sha256: 'a'.repeat(64), bytes: 10, name: `${uai}ELEGROUPE${millesime}250101000000.zip` }, anomalies: [] });
        }
        return Promise.resolve({ kind: 'done', anomalies: [] });
      },
      {
        hasWaitingDeposit: (u, m) => Promise.resolve(u === uai && m === millesime),
        processNight: (request) =>
          Promise.resolve({
            processed: request.uai === uai && request.millesime === millesime,
            anomalies: [{ code: 'GROUPE_A_01', level: 'warning', label: 'GROUPE', message: 'Le groupe "4EME LV2 AJE" n\'est pas référencé. L\'inscription de l\'élève dans ce groupe a été rejetée.', subject: { pupilId: '1234567', groupCode: '4EME LV2 AJE' } }],
          }),
      },
    );

    await harness.withWorker(connector, async (taskQueue) => {
      const workflowId = `school-year/${uai}/${millesime}/${randomUUID()}`;
      const handle = await harness.client.workflow.start(schoolYear, {
        taskQueue,
        workflowId,
        args: [{ uai, millesime, businessDate: '2025-09-15', timings: fast, yearEnd: YEAR_OVER }],
      });
      await untilWaitingPerson(handle, 'sts-siecle-structure');
      // A step that is not done by a person cannot be confirmed.
      await expect(handle.executeUpdate(confirmManualStep, { args: [{ step: 'sts-edt' }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      expect(await handle.executeUpdate(confirmManualStep, { args: [{ step: 'sts-siecle-structure', by: 'dane.admin' }] })).toMatchObject({ accepted: true });
      await untilWaitingPerson(handle, 'sts-siecle-services');
      await handle.executeUpdate(confirmManualStep, { args: [{ step: 'sts-siecle-services' }] });

      // The deposit waits for SIECLE's night.
      for (let i = 0; i < 100 && !calls.includes('pronote-siecle-elegroupe'); i += 1) await new Promise((r) => setTimeout(r, 100));
      const night = await harness.client.workflow.execute(nightlyEleGroupe, { taskQueue, workflowId: `nightly/${randomUUID()}`, args: [{ night: '2025-09-15', uais: [uai] }] });
      expect(night.outcomes.filter((o) => o.millesime === millesime)).toMatchObject([{ uai, processed: true, status: 'succeeded-with-anomalies' }]);

      const result = await handle.result();
      expect(Object.fromEntries(result.steps.map((s) => [s.step, s.status]))).toEqual({
        'sts-edt': 'succeeded',
        'siecle-pronote': 'succeeded',
        'edt-sts': 'succeeded',
        'sts-siecle-structure': 'succeeded',
        'sts-siecle-services': 'succeeded',
        'pronote-siecle-elegroupe': 'succeeded-with-anomalies',
        'lsu-base-sync': 'succeeded',
      });

      // Each step run was started with its search attributes: no upsert for them, and the
      // élève-groupe run, 'running' from its start to its deposit, upserts only its final status.
      const step = harness.client.workflow.getHandle(stepWorkflowId(workflowId, 'pronote-siecle-elegroupe'));
      const attributes = (await step.describe()).typedSearchAttributes;
      expect([attributes.get(UAI), attributes.get(MILLESIME), attributes.get(STEP), attributes.get(STEP_STATUS)]).toEqual([uai, millesime, 'pronote-siecle-elegroupe', 'succeeded-with-anomalies']);
      const events = (await step.fetchHistory()).events ?? [];
      expect(events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes)).toHaveLength(1);
    });

    // Order: each step after the ones it depends on.
    const at = (step: StepId): number => calls.indexOf(step);
    expect(at('edt-sts')).toBeGreaterThan(at('sts-edt'));
    expect(at('sts-siecle-structure')).toBeGreaterThan(at('edt-sts'));
    expect(at('pronote-siecle-elegroupe')).toBeGreaterThan(Math.max(at('sts-siecle-structure'), at('sts-siecle-services'), at('siecle-pronote')));

    const rows = await listLatestStepRuns(harness.db, { uai, millesime });
    const elegroupe = rows.find((r) => r.step === 'pronote-siecle-elegroupe')!;
    expect(elegroupe).toMatchObject({ status: 'succeeded-with-anomalies', warningCount: 1 });
    expect((await listAnomaliesByRun(harness.db, elegroupe.id)).map((a) => a.code)).toEqual(['GROUPE_A_01']);
  });

  it('blocks the steps after a rejected file, looks again for a missing file, and records both', async () => {
    const uai = '9830418M';
    const millesime = 3000 + Math.floor(Math.random() * 800);
    let siecleLooks = 0;
    const connector = connectorDouble((request) => {
      if (request.step === 'sts-edt') {
        return Promise.reject(new StepRejected('Fichier refusé', [{ code: 'UAI_DIFFERENT', level: 'blocking', message: "Le fichier sts_emp est celui d'un autre établissement (0750680G).", subject: { file: 'sts_emp_0750680G_2018.xml' } }]));
      }
      if (request.step === 'siecle-pronote' && ++siecleLooks < 3) return Promise.resolve({ kind: 'waiting-file', expected: 'ExportXML_*.zip' });
      return Promise.resolve({ kind: 'done', anomalies: [] });
    });

    const yearId = `school-year/${uai}/${millesime}/${randomUUID()}`;
    const result = await harness.withWorker(connector, (taskQueue) =>
      harness.client.workflow.execute(schoolYear, {
        taskQueue,
        workflowId: yearId,
        args: [{ uai, millesime, businessDate: '2018-03-01', timings: fast, confirmAutomatically: true, yearEnd: YEAR_OVER }],
      }),
    );
    expect(Object.fromEntries(result.steps.map((s) => [s.step, s.status]))).toEqual({
      'sts-edt': 'failed',
      'siecle-pronote': 'succeeded',
      'edt-sts': 'blocked',
      'sts-siecle-structure': 'blocked',
      'sts-siecle-services': 'blocked',
      'pronote-siecle-elegroupe': 'blocked',
      'lsu-base-sync': 'blocked',
    });
    expect(siecleLooks).toBe(3);
    const rows = Object.fromEntries((await listLatestStepRuns(harness.db, { uai, millesime })).map((r) => [r.step, r]));
    expect(rows['sts-edt']).toMatchObject({ status: 'failed', blockingCount: 1, attempts: 1 });
    expect(rows['edt-sts']).toMatchObject({ status: 'blocked' });
    // Looking again for a file is not an attempt that failed.
    expect(rows['siecle-pronote']).toMatchObject({ status: 'succeeded', attempts: 1 });
    // The rejected file was found by the year's own look (an activity of the year), the missing one
    // waited in a child: `rerun --list` says so rather than show the year's status as the run's.
    expect(rows['sts-edt']!.workflowId).toBe(yearId);
    expect(rows['siecle-pronote']!.workflowId).toBe(`${yearId}/siecle-pronote`);
    const listed = (await describeFailed(harness.client, harness.db, { uai })).filter((v) => v.stepRunId === rows['sts-edt']!.id);
    expect(listed.map((v) => [v.step, v.inYear, v.temporalStatus])).toEqual([['sts-edt', true, 'COMPLETED']]);
  });
});
