// The morning after a failed night: SIECLE's processing could not write its compte-rendu for three
// schools (their siecle/reports folder replaced by a file: an unwritable share), so each school's
// élève-groupe run is failed and filed under that night. Once the share is fixed, re-running the
// night's failed runs resumes each at the night's processing: every school ends succeeded, the
// failed runs stay for the audit, and each school has exactly one deposit and one processing.
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { describeFailed, rerunFailed } from '../../client/actions/rerun-failed';
import { createConnectors, createContentStore, provisionSandboxSchool, type ProvisionedSchool } from '../../connectors';
import { SchoolFolders } from '../../connectors/school-folders';
import { listAnomaliesByRun } from '../../db/queries/anomalies';
import { NIGHT_PROCESSING_STEP } from '../../db/queries/deposits';
import { listFailedRunsOfNight, listLatestStepRuns, listStepRuns } from '../../db/queries/step-runs';
import { deposits } from '../../db/schema';
import { uaiCheckLetter } from '../../formats/uai';
import type { StepRunResult } from '../../activities/step-run';
import { academy, nightlyEleGroupe } from '../../workflows';
import { useTemporalHarness } from '../support/temporal';

const harness = useTemporalHarness();
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const NIGHT = '2026-03-02';
const MILLESIME = 2025;
// UAIs of this file only: the school-year workflow ids must not meet another test's.
const UAIS = ['0751201', '0751202', '0751203'].map((digits) => `${digits}${uaiCheckLetter(digits)}`);

describe('re-running a failed night', () => {
  it('ends with each school succeeded, the failed runs kept, and one deposit and one processing each', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'synchro-night-rerun-'));
    dirs.push(dataDir);
    const schools: ProvisionedSchool[] = [];
    for (const [i, uai] of UAIS.entries()) {
      schools.push(await provisionSandboxSchool({ dataDir, db: harness.db, uai, kind: 'college', millesime: MILLESIME, seed: 40 + i, faults: i === 0 ? [{ kind: 'unknown-group' }] : [] }));
    }
    const siecle = createConnectors({ dataDir, db: harness.db, store: createContentStore(dataDir) }).connectorFor({ connectorKind: 'sandbox' });
    const reportsDir = (uai: string): string => new SchoolFolders(dataDir, uai).dir('siecle', 'reports');

    await harness.withRealWorker(dataDir, async (taskQueue) => {
      const year = await harness.client.workflow.start(academy, {
        taskQueue, workflowId: `academie/RERUN/${randomUUID()}`,
        args: [{ academie: 'RERUN', kind: 'year', millesime: MILLESIME, businessDate: NIGHT, uais: UAIS, concurrency: 3, confirmAutomatically: true }],
      });
      // Up to 5 minutes: the whole suite runs beside this test on 2 cores.
      const allWaiting = async (): Promise<boolean> => (await Promise.all(UAIS.map((u) => siecle.hasWaitingDeposit(u, MILLESIME)))).every(Boolean);
      for (let i = 0; i < 1200 && !(await allWaiting()); i += 1) await new Promise((r) => setTimeout(r, 250));
      expect(await allWaiting()).toBe(true);

      // The night: SIECLE cannot write its compte-rendu anywhere.
      for (const uai of UAIS) {
        await rm(reportsDir(uai), { recursive: true, force: true });
        await writeFile(reportsDir(uai), 'not a folder');
      }
      const night = await harness.client.workflow.execute(nightlyEleGroupe, { taskQueue, workflowId: `nightly/${randomUUID()}`, args: [{ night: NIGHT, uais: UAIS, attempts: 2 }] });
      expect(night.outcomes.map((o) => [o.uai, o.processed, o.status])).toEqual(UAIS.map((uai) => [uai, false, 'failed']));
      // The school years end with the élève-groupe step failed (the night told them).
      expect(await year.result()).toMatchObject({ succeeded: 0, failed: 3 });

      const failed = await listFailedRunsOfNight(harness.db, NIGHT);
      expect(failed.map((r) => [r.uai, r.step]).sort()).toEqual(UAIS.map((uai) => [uai, 'pronote-siecle-elegroupe']));
      for (const run of failed) {
        const anomaly = (await listAnomaliesByRun(harness.db, run.id)).find((a) => a.code === 'NUIT_NON_TRAITEE');
        expect(anomaly).toMatchObject({ code: 'NUIT_NON_TRAITEE', level: 'blocking' });
        expect(anomaly!.message).toContain(`Le traitement de nuit SIECLE du ${NIGHT} n'a pas pu se faire`);
      }
      // The morning list, as `rerun --list` prints it: the database's rows and Temporal's view agree.
      const listed = await describeFailed(harness.client, harness.db, { night: NIGHT });
      expect(listed.map((v) => [v.uai, v.temporalStatus, v.inYear, v.reruns.length]).sort()).toEqual(UAIS.map((uai) => [uai, 'FAILED', false, 0]));
      // Still waiting in SIECLE's hands: nothing was lost.
      for (const uai of UAIS) expect(await siecle.hasWaitingDeposit(uai, MILLESIME)).toBe(true);

      // The share is fixed; the operator re-runs the night's failed runs.
      for (const uai of UAIS) {
        await rm(reportsDir(uai), { force: true });
        await mkdir(reportsDir(uai));
      }
      const reruns = await rerunFailed(harness.client, harness.db, { night: NIGHT }, { taskQueue });
      expect(reruns.map((r) => [r.stepRunId, r.refused])).toEqual(failed.map((r) => [r.id, undefined]));
      const results = await Promise.all(reruns.map((r) => harness.client.workflow.getHandle(r.workflowId!).result() as Promise<StepRunResult>));
      expect(reruns.map((r, i) => [r.uai, results[i]!.status]).sort()).toEqual([[UAIS[0], 'succeeded-with-anomalies'], [UAIS[1], 'succeeded'], [UAIS[2], 'succeeded']]);
      // A second re-run of the same night finds nothing left to re-run.
      const relisted = await describeFailed(harness.client, harness.db, { night: NIGHT });
      expect(relisted.flatMap((v) => v.reruns.map((r) => r.status)).sort()).toEqual(['succeeded', 'succeeded', 'succeeded-with-anomalies']);
      const again = await rerunFailed(harness.client, harness.db, { night: NIGHT }, { taskQueue });
      expect(again.map((r) => r.stepRunId)).toEqual(failed.map((r) => r.id));
      for (const r of again) expect(r.refused).toContain('déjà relancée, avec succès');
    });

    for (const [i, uai] of UAIS.entries()) {
      const latest = (await listLatestStepRuns(harness.db, { uai, millesime: MILLESIME })).find((r) => r.step === 'pronote-siecle-elegroupe')!;
      const all = await listStepRuns(harness.db, { uai, millesime: MILLESIME, step: 'pronote-siecle-elegroupe' });
      const failedRun = all.find((r) => r.status === 'failed')!;
      expect(all).toHaveLength(2);
      expect(latest.rerunOf).toBe(failedRun.id);
      expect(latest.status).toBe(i === 0 ? 'succeeded-with-anomalies' : 'succeeded');
      const rows = await harness.db.select().from(deposits).where(eq(deposits.uai, uai));
      expect(rows.filter((d) => d.step === 'pronote-siecle-elegroupe')).toHaveLength(1);
      expect(rows.filter((d) => (d.step as string) === NIGHT_PROCESSING_STEP)).toHaveLength(1);
      expect(await siecle.hasWaitingDeposit(uai, MILLESIME)).toBe(false);
    }
    // The fault injected in the first school is in its re-run's report.
    const first = (await listLatestStepRuns(harness.db, { uai: UAIS[0], millesime: MILLESIME })).find((r) => r.step === 'pronote-siecle-elegroupe')!;
    const expected = schools[0]!.injected.filter((f) => f.file === 'elegroupe').map((f) => f.code);
    expect((await listAnomaliesByRun(harness.db, first.id)).map((a) => a.code)).toEqual(expect.arrayContaining(expected));
  }, 540_000);
});
