// The whole chain on the real dev server and the sandbox applications: an académie of three
// generated schools (a metropolitan collège, a lycée, a Nouvelle-Calédonie collège) runs its
// school year to the end, and the database holds exactly the anomalies of the injected faults,
// while the Temporal histories hold no pupil's name, birth date or INE.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createConnectors, createContentStore, provisionSandboxSchool, type ProvisionedSchool } from '../../connectors';
import { listAnomaliesByRun } from '../../db/queries/anomalies';
import { listLatestStepRuns } from '../../db/queries/step-runs';
import { academy, nightlyEleGroupe } from '../../workflows';
import { generateSchool } from '../../generators';
import { YEAR_CHAIN } from '../../workflows/chain';
import { schoolYearWorkflowId, stepWorkflowId } from '../../workflows/ids';
import { historyText, runCount } from '../support/history-text';
import { useTemporalHarness } from '../support/temporal';

const harness = useTemporalHarness();
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

// 02/03/2026: SIECLE base 2025 in use both in metropolitan France (2025-2026) and in Nouvelle-
// Calédonie (February–December 2026).
const BUSINESS_DATE = '2026-03-02';
const MILLESIME = 2025;

describe('an académie on the sandbox applications', () => {
  it('runs the school year of three schools to the end, with the injected faults reported where SIECLE reports them', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'synchro-academie-'));
    dirs.push(dataDir);
    const schools: ProvisionedSchool[] = [
      await provisionSandboxSchool({ dataDir, db: harness.db, uai: '0750680G', kind: 'college', millesime: MILLESIME, seed: 11, faults: [{ kind: 'unknown-group' }] }),
      await provisionSandboxSchool({ dataDir, db: harness.db, uai: '0660864F', kind: 'lycee', millesime: MILLESIME, seed: 12, faults: [{ kind: 'date-outside-calendar' }] }),
      await provisionSandboxSchool({ dataDir, db: harness.db, uai: '9830418M', kind: 'college', millesime: MILLESIME, seed: 13, faults: [{ kind: 'unknown-group' }, { kind: 'date-outside-calendar' }] }),
    ];
    const uais = schools.map((s) => s.uai);

    const academyId = `academie/TEST/${randomUUID()}`;
    const nightId = `nightly/${randomUUID()}`;
    const result = await harness.withRealWorker(dataDir, async (taskQueue) => {
      const handle = await harness.client.workflow.start(academy, {
        taskQueue,
        workflowId: academyId,
        args: [{ academie: 'TEST', kind: 'year', millesime: MILLESIME, businessDate: BUSINESS_DATE, uais, concurrency: 3, confirmAutomatically: true }],
      });
      // The élève-groupe deposits wait for SIECLE's night: run it once all three are deposited
      // (all three run at once: with a narrower window the third would only start after the night).
      const siecle = createConnectors({ dataDir, db: harness.db, store: createContentStore(dataDir) }).connectorFor({ connectorKind: 'sandbox' });
      for (let i = 0; i < 240; i += 1) {
        const waiting = await Promise.all(uais.map((uai) => siecle.hasWaitingDeposit(uai, MILLESIME)));
        if (waiting.every(Boolean)) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const stuck = (await listLatestStepRuns(harness.db, { millesime: MILLESIME }))
        .filter((r) => uais.includes(r.uai) && !['succeeded', 'succeeded-with-anomalies'].includes(r.status) && r.step !== 'pronote-siecle-elegroupe' && r.step !== 'lsu-base-sync');
      expect(stuck.map((r) => `${r.uai} ${r.step} ${r.status}`)).toEqual([]);
      // Two schools a run: the night continues as new once, and its result still holds all three.
      const night = await harness.client.workflow.execute(nightlyEleGroupe, { taskQueue, workflowId: nightId, args: [{ night: BUSINESS_DATE, uais, pageSize: 2, concurrency: 1 }] });
      expect(night.outcomes.map((o) => [o.uai, o.processed])).toEqual([...uais].sort().map((uai) => [uai, true]));
      expect(await runCount(harness.client, nightId)).toBe(2);
      return handle.result();
    });
    expect(result).toMatchObject({ succeeded: 3, failed: 0 });

    for (const school of schools) {
      const runs = Object.fromEntries((await listLatestStepRuns(harness.db, { uai: school.uai, millesime: MILLESIME })).map((r) => [r.step, r]));
      // Every yearly step ended; only the élève-groupe step has something to say (the faults).
      for (const step of ['sts-edt', 'siecle-pronote', 'edt-sts', 'sts-siecle-structure', 'sts-siecle-services', 'lsu-base-sync']) {
        expect(['succeeded', 'succeeded-with-anomalies'], `${school.uai} ${step}`).toContain(runs[step]?.status);
      }
      const elegroupe = runs['pronote-siecle-elegroupe']!;
      expect(elegroupe.status).toBe('succeeded-with-anomalies');
      const reported = (await listAnomaliesByRun(harness.db, elegroupe.id))
        .filter((a) => !['GROUPE', 'ELEGRP'].includes(a.code))
        .map((a) => `${a.code} ${(a.subject)?.pupilId ?? ''}`)
        .sort();
      const expected = school.injected.filter((f) => f.file === 'elegroupe').map((f) => `${f.code} ${f.eleveId ?? ''}`).sort();
      expect(expected.length).toBeGreaterThan(0);
      for (const fault of expected) expect(reported, school.uai).toContain(fault);
    }
  
    // Each run's history: the steps that found their file ran as activities of the school's year;
    // the élève-groupe deposit, which waits for the night, as the year's child.
    const ledger = (await listLatestStepRuns(harness.db, { millesime: MILLESIME })).filter((r) => uais.includes(r.uai));
    expect(ledger).toHaveLength(uais.length * YEAR_CHAIN.length);
    for (const run of ledger) {
      const year = schoolYearWorkflowId(run.uai, MILLESIME);
      expect(run.workflowId, `${run.uai} ${run.step}`).toBe(run.step === 'pronote-siecle-elegroupe' ? stepWorkflowId(year, run.step) : year);
    }

    // Privacy: files travel by reference. No pupil's name, birth date or INE is anywhere in the
    // histories of the académie, the night, the school years and every step run.
    const histories: string[] = [];
    for (const id of new Set([academyId, nightId, ...uais.map((uai) => schoolYearWorkflowId(uai, MILLESIME)), ...ledger.map((r) => r.workflowId)])) {
      histories.push(await historyText(harness.client, id));
    }
    const text = histories.join('\n');
    expect(text).toContain(`"businessDate":"${BUSINESS_DATE}"`); // payloads are decoded (a JSON input)
    const seeds = [{ uai: '0750680G', kind: 'college', seed: 11 }, { uai: '0660864F', kind: 'lycee', seed: 12 }, { uai: '9830418M', kind: 'college', seed: 13 }] as const;
    let pupils = 0;
    for (const spec of seeds) {
      const { model } = generateSchool({ ...spec, millesime: MILLESIME });
      for (const pupil of model.pupils) {
        pupils += 1;
        const [y, m, d] = pupil.birthDate.split('-');
        for (const value of [pupil.ine, `${pupil.lastName} ${pupil.firstName}`, `${pupil.firstName} ${pupil.lastName}`, pupil.birthDate, `${d}/${m}/${y}`]) {
          if (text.includes(value)) expect.fail(`pupil data in a history: ${spec.uai} ELEVE_ID ${pupil.eleveId}`);
        }
      }
    }
    expect(pupils).toBeGreaterThan(1000);
  }, 300_000);
});
