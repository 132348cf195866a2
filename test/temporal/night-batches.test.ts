// SIECLE's night processes its schools in batches (several schools per activity: fewer tasks for
// the Temporal server). One school's trouble stays its own: a school whose processing fails for a
// passing cause is tried again alone, with its own tries; a school whose data is bad is recorded
// failed at once; the other schools of the batch are done once, in the same activity.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NightResult } from '../../connectors/types';
import { startStepRun } from '../../db/queries/step-runs';
import { uaiCheckLetter } from '../../formats/uai';
import { StepRejected } from '../../steps/rejected';
import { nightlyEleGroupe } from '../../workflows';
import { connectorDouble } from '../support/connector-double';
import { useTemporalHarness } from '../support/temporal';

const harness = useTemporalHarness();
const NIGHT = '2026-03-03';
const STEP = 'pronote-siecle-elegroupe';
const uaiOf = (n: number): string => {
  const digits = `07514${String(n).padStart(2, '0')}`;
  return `${digits}${uaiCheckLetter(digits)}`;
};

describe('the night in batches', () => {
  it('retries a school that failed alone, records a rejected one at once, and processes the others once', async () => {
    const millesime = 4000 + Math.floor(Math.random() * 800); // keys of their own in the shared database
    const [fine1, flaky, rejected, fine2] = [1, 2, 3, 4].map(uaiOf) as [string, string, string, string];
    const uais = [fine1, flaky, rejected, fine2];
    // Each school's élève-groupe run, running since its deposit (no step workflow waits: the signal finds nobody).
    for (const uai of uais) await startStepRun(harness.db, { uai, millesime, step: STEP, workflowId: `step/${uai}/${randomUUID()}`, runId: 'day' });
    const calls = new Map<string, number>();
    const connector = connectorDouble(() => Promise.reject(new Error('no day step here')), {
      hasWaitingDeposit: (uai, m) => Promise.resolve(m === millesime && uais.includes(uai)),
      processNight: (request): Promise<NightResult> => {
        const n = (calls.get(request.uai) ?? 0) + 1;
        calls.set(request.uai, n);
        if (request.uai === flaky && n === 1) return Promise.reject(new Error('SIECLE injoignable'));
        if (request.uai === rejected) return Promise.reject(new StepRejected('Fichier de référence illisible : ExportXML_ElevesSansAdresses.zip', []));
        return Promise.resolve({ processed: true, anomalies: [] });
      },
    });

    const workflowId = `nightly/${randomUUID()}`;
    const night = await harness.withWorker(connector, (taskQueue) =>
      harness.client.workflow.execute(nightlyEleGroupe, { taskQueue, workflowId, args: [{ night: NIGHT, uais, concurrency: 1, attempts: 3 }] }),
    );

    expect(night.outcomes.map((o) => [o.uai, o.processed, o.status])).toEqual([
      [fine1, true, 'succeeded'],
      [flaky, true, 'succeeded'],
      [rejected, false, 'failed'],
      [fine2, true, 'succeeded'],
    ]);
    // Once each, the flaky school twice (in the batch, then alone), the rejected one once of the 3 tries allowed.
    expect(Object.fromEntries(calls)).toEqual({ [fine1]: 1, [flaky]: 2, [rejected]: 1, [fine2]: 1 });

    const events = (await harness.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const scheduled = events.flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes] : []));
    // One batch of the four schools (one lane), then the flaky one alone and the rejected one recorded.
    expect(scheduled.map((a) => a.activityType?.name)).toEqual(['listQueuedDeposits', 'processNightBatch', 'processNight', 'recordNightFailure']);
    const batchInput = JSON.parse(Buffer.from(scheduled[1]!.input!.payloads![0]!.data!).toString()) as { deposits: { uai: string }[] };
    expect(batchInput.deposits.map((d) => d.uai)).toEqual(uais);
    // Started with the patch: a night recorded before batches replays its one-school activities.
    expect(events.some((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')).toBe(true);
  });
});
