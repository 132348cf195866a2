// An accepted upload wakes the school's year: the real schoolYear workflow, running on the real
// dev server, receives the fileArrived signal (its history holds it) with the file's official
// name and sha256, and nothing of the file's content; and the step that was waiting for that file
// (its next look an hour away) looks again at once and ends succeeded.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StepOutcome } from '../../connectors/types';
import { schoolYear } from '../../workflows';
import { schoolYearWorkflowId } from '../../workflows/ids';
import { stepStates } from '../../workflows/messages';
import { connectorDouble } from '../support/connector-double';
import { useTemporalHarness } from '../support/temporal';
import { PARIS, upload, usePortal } from '../unit/web/portal-harness';

const harness = useTemporalHarness();
const portal = usePortal();

describe('an upload accepted on the portal', () => {
  it("sends fileArrived to the school's running year, which records it in its history, and the waiting step resumes", async () => {
    const millesime = 2100 + Math.floor(Math.random() * 800); // a workflow id of its own on the shared server
    const { byRole } = await portal.generate(PARIS, { millesime, seed: 31 });
    const file = byRole['sts-emp']!;
    // STS → EDT is done once its file is in the school's STS inbox; it waits for it otherwise.
    const stsInbox = path.join(portal.dataDir, 'schools', PARIS, 'sts', 'inbox');
    const looks: string[] = [];
    const connector = connectorDouble(async (request): Promise<StepOutcome> => {
      looks.push(request.step);
      if (request.step === 'sts-edt' && (await readdir(stsInbox).catch((): string[] => [])).includes(path.basename(file))) {
        // The run names the file it took: the year sees it took the new one and does not run it again.
        const bytes = await readFile(file);
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        return { kind: 'done', input: { key: sha256, sha256, bytes: bytes.length, name: path.basename(file) }, anomalies: [] };
      }
      return { kind: 'waiting-file', expected: `${request.step}.xml` };
    });
    await harness.withWorker(connector, async (taskQueue) => {
      const handle = await harness.client.workflow.start(schoolYear, {
        taskQueue, workflowId: schoolYearWorkflowId(PARIS, millesime),
        args: [{ uai: PARIS, millesime, businessDate: '2026-09-15', timings: { fileRetryInterval: '1 hour' } }],
      });
      const stsEdt = async () => (await handle.query(stepStates)).find((st) => st.step === 'sts-edt')?.status;
      try {
        // The step has looked once and waits (its next look would be in an hour).
        for (let i = 0; i < 100 && !looks.includes('sts-edt'); i += 1) await new Promise((r) => setTimeout(r, 100));
        expect(looks.filter((st) => st === 'sts-edt')).toHaveLength(1);
        expect(await stsEdt()).not.toMatch(/^succeeded/);
        const response = await upload(portal.app(PARIS, { temporal: harness.client }), PARIS, file, { millesime, json: true });
        const json = (await response.json()) as { deposited: boolean; signalled: string; application: string };
        expect(response.status).toBe(200);
        expect(json).toMatchObject({ deposited: true, signalled: 'sent', application: 'sts' });

        // A signal that arrives during a workflow task is written to the history when that task ends.
        let signals: NonNullable<Awaited<ReturnType<typeof handle.fetchHistory>>['events']> = [];
        for (let i = 0; i < 100 && signals.length === 0; i += 1) {
          if (i > 0) await new Promise((r) => setTimeout(r, 100));
          signals = ((await handle.fetchHistory()).events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'fileArrived');
        }
        expect(signals).toHaveLength(1);
        const payload = signals[0]!.workflowExecutionSignaledEventAttributes!.input!.payloads![0]!;
        const sha256 = createHash('sha256').update(await readFile(file)).digest('hex');
        expect(JSON.parse(Buffer.from(payload.data!).toString('utf8'))).toEqual({ application: 'sts', name: path.basename(file), sha256 });
        // Only the name and the hash travel: the payload is a few bytes, not the file.
        expect(payload.data!.length).toBeLessThan(200);

        // The waiting step looked again at once (not in an hour), found its file, and succeeded.
        let status = await stsEdt();
        for (let i = 0; i < 200 && !['succeeded', 'succeeded-with-anomalies'].includes(status ?? ''); i += 1) {
          await new Promise((r) => setTimeout(r, 100));
          status = await stsEdt();
        }
        expect(status).toBe('succeeded');
        expect(looks.filter((st) => st === 'sts-edt')).toHaveLength(2);
      } finally {
        await handle.terminate('test over');
      }
    });

    // No year running for that millésime: the file is deposited and waits for the next run.
    const next = await portal.generate(PARIS, { millesime: millesime + 1, seed: 32 });
    const response = await upload(portal.app(PARIS, { temporal: harness.client }), PARIS, next.byRole['emp-sts']!, { millesime: millesime + 1, json: true });
    expect(await response.json()).toMatchObject({ deposited: true, signalled: 'not-running' });
  });
});
