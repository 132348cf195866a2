// A hostile file in a school's inbox, met by the real step activity on the real dev server: the
// step fails ONCE with a Bloquant that says why (non-retryable RejectedByRules), the worker keeps
// running (the next workflow on the same worker succeeds to its own end), and the file is never
// parsed into memory (zip central directory refused at its entry count, size refused from stat).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, truncate } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { SchoolFolders } from '../../connectors/school-folders';
import { listAnomaliesByRun } from '../../db/queries/anomalies';
import { upsertSchool } from '../../db/queries/schools';
import { listStepRuns } from '../../db/queries/step-runs';
import { uaiCheckLetter } from '../../formats/uai';
import { zipOfEmptyEntries } from '../../generators/hostile';
import { stepRun } from '../../workflows';
import { useTemporalHarness } from '../support/temporal';

const harness = useTemporalHarness();
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const MILLESIME = 2025;
const UAIS = ['0751411', '0751412'].map((digits) => `${digits}${uaiCheckLetter(digits)}`);

describe('a hostile élève-groupe file met by the step', () => {
  it('fails once, non-retryable, with a Bloquant naming the file and the reason; the worker carries on', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'synchro-hostile-step-'));
    dirs.push(dataDir);
    const [many, huge] = UAIS as [string, string];
    for (const uai of UAIS) await upsertSchool(harness.db, { uai, name: `Collège ${uai}`, academie: 'Paris', calendarZone: 'metropole', connectorKind: 'folder' });
    // 70,000 empty entries under the official name; and a 40 Mo zip (sparse), past the 16 Mo cap.
    const manyName = `${many}ELEGROUPE${MILLESIME}250901080000.zip`;
    await new SchoolFolders(dataDir, many).write('pronote', 'inbox', manyName, zipOfEmptyEntries(70_000));
    const hugeName = `${huge}ELEGROUPE${MILLESIME}250901080000.zip`;
    const hugePath = await new SchoolFolders(dataDir, huge).write('pronote', 'inbox', hugeName, '');
    await truncate(hugePath, 40 * 1024 * 1024);

    const outcomes = await harness.withRealWorker(dataDir, async (taskQueue) => {
      const results: { uai: string; workflowId: string; failure: unknown }[] = [];
      for (const uai of UAIS) {
        const workflowId = `hostile-${uai}-${randomUUID()}`;
        const failure = await harness.client.workflow
          .execute(stepRun, { taskQueue, workflowId, args: [{ uai, millesime: MILLESIME, step: 'pronote-siecle-elegroupe', businessDate: '2025-10-01' }] })
          .then(() => undefined, (e: unknown) => e);
        results.push({ uai, workflowId, failure });
      }
      return results;
    });

    for (const { uai, workflowId, failure } of outcomes) {
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      const cause = (failure as WorkflowFailedError).cause?.cause as { type?: string; nonRetryable?: boolean } | undefined;
      expect(cause?.type).toBe('RejectedByRules');
      const row = (await listStepRuns(harness.db, { uai })).find((r) => r.workflowId === workflowId);
      expect(row).toMatchObject({ status: 'failed', attempts: 1 });
      const history = await harness.client.workflow.getHandle(workflowId).fetchHistory();
      expect((history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes)).toHaveLength(1);
      const anomalies = await listAnomaliesByRun(harness.db, row!.id);
      const blocking = anomalies.filter((a) => a.level === 'blocking');
      expect(blocking.length).toBeGreaterThan(0);
      const said = blocking.map((a) => `${a.message} ${a.cause ?? ''}`).join(' | ');
      if (uai === many) expect(said).toMatch(new RegExp(`${manyName}.*70000 entrées, au plus 16 attendues`));
      else expect(said).toMatch(new RegExp(`${hugeName}.*au-delà de la limite de 16 Mo`));
    }
  }, 180_000);
});
