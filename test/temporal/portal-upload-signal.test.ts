// An accepted upload wakes the school's year: the real schoolYear workflow, running on the real
// dev server, receives the fileArrived signal (its history holds it) with the file's official
// name and sha256, and nothing of the file's content.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StepOutcome } from '../../connectors/types';
import { schoolYear } from '../../workflows';
import { schoolYearWorkflowId } from '../../workflows/ids';
import { connectorDouble } from '../support/connector-double';
import { useTemporalHarness } from '../support/temporal';
import { PARIS, upload, usePortal } from '../unit/web/portal-harness';

const harness = useTemporalHarness();
const portal = usePortal();

describe('an upload accepted on the portal', () => {
  it("sends fileArrived to the school's running year, which records it in its history", async () => {
    const millesime = 2100 + Math.floor(Math.random() * 800); // a workflow id of its own on the shared server
    const { byRole } = await portal.generate(PARIS, { millesime, seed: 31 });
    const file = byRole['sts-emp']!;
    const connector = connectorDouble((request): Promise<StepOutcome> => Promise.resolve({ kind: 'waiting-file', expected: `${request.step}.xml` }));
    await harness.withWorker(connector, async (taskQueue) => {
      const handle = await harness.client.workflow.start(schoolYear, {
        taskQueue, workflowId: schoolYearWorkflowId(PARIS, millesime),
        args: [{ uai: PARIS, millesime, businessDate: '2026-09-15', timings: { fileRetryInterval: '1 hour' } }],
      });
      try {
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
