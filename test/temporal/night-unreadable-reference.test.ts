// Issue 11, item 6, on a real dev server: a pupils export that is in siecle/inbox but cannot be
// read (an interrupted copy) makes SIECLE's night give up on that school at ONCE (one attempt,
// however many are allowed), with the file named in the run's NUIT_NON_TRAITEE anomaly, instead of
// retrying or writing a compte-rendu without pupils.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createConnectors, createContentStore, provisionSandboxSchool } from '../../connectors';
import { SchoolFolders } from '../../connectors/school-folders';
import { listAnomaliesByRun } from '../../db/queries/anomalies';
import { listFailedRunsOfNight } from '../../db/queries/step-runs';
import { uaiCheckLetter } from '../../formats/uai';
import { academy, nightlyEleGroupe } from '../../workflows';
import { useTemporalHarness } from '../support/temporal';

const harness = useTemporalHarness();
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const NIGHT = '2026-03-03';
const MILLESIME = 2025;
const PUPILS = 'ExportXML_ElevesSansAdresses.zip';
// A UAI of this file only: the school-year workflow ids must not meet another test's.
const UAI = `0751301${uaiCheckLetter('0751301')}`;

describe('a corrupt pupils export at night', () => {
  it('fails that school at the first attempt, naming the file', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'synchro-night-reference-'));
    dirs.push(dataDir);
    await provisionSandboxSchool({ dataDir, db: harness.db, uai: UAI, kind: 'college', millesime: MILLESIME, seed: 61 });
    const siecle = createConnectors({ dataDir, db: harness.db, store: createContentStore(dataDir) }).connectorFor({ connectorKind: 'sandbox' });

    await harness.withRealWorker(dataDir, async (taskQueue) => {
      const year = await harness.client.workflow.start(academy, {
        taskQueue, workflowId: `academie/REFNUIT/${randomUUID()}`,
        args: [{ academie: 'REFNUIT', kind: 'year', millesime: MILLESIME, businessDate: NIGHT, uais: [UAI], concurrency: 1, confirmAutomatically: true }],
      });
      for (let i = 0; i < 480 && !(await siecle.hasWaitingDeposit(UAI, MILLESIME)); i += 1) await new Promise((r) => setTimeout(r, 250));
      expect(await siecle.hasWaitingDeposit(UAI, MILLESIME)).toBe(true);

      const pupils = new SchoolFolders(dataDir, UAI).path('siecle', 'inbox', PUPILS);
      const bytes = await readFile(pupils);
      await writeFile(pupils, bytes.subarray(0, Math.floor(bytes.length / 2)));

      const workflowId = `nightly/${randomUUID()}`;
      const night = await harness.client.workflow.execute(nightlyEleGroupe, { taskQueue, workflowId, args: [{ night: NIGHT, uais: [UAI], attempts: 5 }] });
      expect(night.outcomes.map((o) => [o.uai, o.processed, o.status])).toEqual([[UAI, false, 'failed']]);
      const history = await harness.client.workflow.getHandle(workflowId).fetchHistory();
      const events = history.events ?? [];
      const typeOf = new Map(events.flatMap((e) => (e.activityTaskScheduledEventAttributes ? [[String(e.eventId), e.activityTaskScheduledEventAttributes.activityType?.name]] : [])));
      const attempts = events.flatMap((e) => (e.activityTaskStartedEventAttributes ? [[typeOf.get(String(e.activityTaskStartedEventAttributes.scheduledEventId)), e.activityTaskStartedEventAttributes.attempt]] : []));
      expect(attempts).toEqual([['listQueuedDeposits', 1], ['processNightBatch', 1], ['recordNightFailure', 1]]); // 5 allowed, 1 made
      expect(await year.result()).toMatchObject({ succeeded: 0, failed: 1 });
    });

    const [failed] = await listFailedRunsOfNight(harness.db, NIGHT);
    const anomaly = (await listAnomaliesByRun(harness.db, failed!.id)).find((a) => a.code === 'NUIT_NON_TRAITEE');
    expect(anomaly?.message).toContain(`n'a pas pu se faire : Fichier de référence illisible : ${PUPILS} (`);
  }, 300_000);
});
