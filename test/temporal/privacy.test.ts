// What reaches the Temporal server: with SYNCHRO_CODEC_KEY set, every payload of a history is
// sealed (AES-GCM); without the key, the server and anyone reading histories see none of it.
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { dataConverterFor } from '../../client/temporal/payload-codec';
import { schoolYear } from '../../workflows';
import { connectorDouble } from '../support/connector-double';
import { useTemporalHarness } from '../support/temporal';

const harness = useTemporalHarness();

interface PayloadLike {
  metadata?: Record<string, Uint8Array> | null;
  data?: Uint8Array | null;
}

/** Every payload of a history, except search attributes and headers (not encoded by codecs). */
/** Patch markers (workflows/*: `patched(...)`) are written by the SDK's core, outside the codec. */
const patchMarkers: PayloadLike[] = [];
/** Local activity markers (the school year's steps) hold Core's record of each run beside its result. */
const localActivityRecords: PayloadLike[] = [];

function payloadsOf(node: unknown, found: PayloadLike[] = []): PayloadLike[] {
  if (Array.isArray(node)) for (const item of node) payloadsOf(item, found);
  else if (node && typeof node === 'object' && !(node instanceof Uint8Array)) {
    const record = node as Record<string, unknown>;
    if (record.metadata && typeof record.metadata === 'object' && 'data' in record) found.push(record);
    else {
      for (const [key, value] of Object.entries(record)) {
        if (key === 'searchAttributes' || key === 'header') continue;
        if (key === 'markerRecordedEventAttributes' && (value as { markerName?: string }).markerName === 'core_patch') {
          payloadsOf(value, patchMarkers);
          continue;
        }
        if (key === 'markerRecordedEventAttributes' && (value as { markerName?: string }).markerName === 'core_local_activity') {
          // Its result goes through the codec; its `data` is Core's own account of the run.
          const { details, ...rest } = value as { details?: Record<string, { payloads?: unknown[] }> };
          const { data, ...others } = details ?? {};
          payloadsOf(data, localActivityRecords);
          payloadsOf(others, found);
          payloadsOf(rest, found);
          continue;
        }
        payloadsOf(value, found);
      }
    }
  }
  return found;
}

describe('payload encryption', () => {
  it('leaves no readable payload in a school year history when a codec key is configured', async () => {
    const codecKey = randomBytes(32).toString('base64');
    const uai = '0382032C';
    const millesime = 4000 + Math.floor(Math.random() * 800);
    const connector = connectorDouble(() => Promise.resolve({ kind: 'done', anomalies: [] }));
    const sealed = new Client({ connection: harness.client.connection, namespace: harness.client.options.namespace, dataConverter: dataConverterFor(codecKey) });
    const workflowId = `school-year/${uai}/${millesime}/${randomUUID()}`;

    const result = await harness.withWorker(
      connector,
      (taskQueue) =>
        sealed.workflow.execute(schoolYear, {
          taskQueue,
          workflowId,
          args: [{ uai, millesime, businessDate: '2025-09-15', confirmAutomatically: true, yearEnd: '2000-01-01' }],
        }),
      { codecKey },
    );
    expect(result.steps.every((s) => s.status === 'succeeded')).toBe(true);

    const history = await harness.client.workflow.getHandle(workflowId).fetchHistory();
    const encodings = new Map<string, number>();
    for (const payload of payloadsOf(history.events ?? [])) {
      const encoding = new TextDecoder().decode(payload.metadata?.encoding ?? new Uint8Array());
      encodings.set(encoding, (encodings.get(encoding) ?? 0) + 1);
    }
    // Inputs, results, activity arguments: all sealed (search attributes are ids, in clear by design).
    expect([...encodings.keys()]).toEqual(['binary/encrypted']);
    // The year's input and result, and each step's result (a local activity records no input).
    expect(encodings.get('binary/encrypted')).toBeGreaterThanOrEqual(localActivityRecords.length + 2);
    // What the codec does not see: the versioning markers, which hold a patch id and a flag, nothing else.
    for (const marker of patchMarkers) {
      const data = JSON.parse(new TextDecoder().decode(marker.data)) as Record<string, unknown>;
      expect(Object.keys(data).sort()).toEqual(['deprecated', 'id']);
      expect(data.id).toMatch(/^[a-z-]+$/);
    }
    // Core's record of each step run as a local activity: ids, attempt and times, nothing else.
    expect(localActivityRecords.length).toBeGreaterThan(0);
    for (const record of localActivityRecords) {
      const data = JSON.parse(new TextDecoder().decode(record.data)) as Record<string, unknown>;
      expect(Object.keys(data).sort()).toEqual(['activity_id', 'activity_type', 'attempt', 'backoff', 'complete_time', 'original_schedule_time', 'seq']);
      expect(data.activity_type).toBe('executeStep');
    }
    // The client without the key cannot read the result.
    await expect(harness.client.workflow.getHandle(workflowId).result()).rejects.toThrow();
  });
});
