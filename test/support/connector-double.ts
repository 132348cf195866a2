// A connector whose steps the test decides, for workflow and activity tests that are about
// Temporal's behaviour (retries, waiting, order) rather than about files.
import { createHash } from 'node:crypto';
import type { Connector, ContentStore, StepOutcome, StepRequest, StepEnvironment, NightResult } from '../../connectors/types';

export class MemoryStore implements ContentStore {
  private readonly files = new Map<string, Buffer>();

  put(name: string, bytes: Buffer) {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    this.files.set(sha256, bytes);
    return Promise.resolve({ key: sha256, sha256, bytes: bytes.length, name });
  }

  get(ref: { key: string }) {
    const bytes = this.files.get(ref.key);
    return bytes ? Promise.resolve(bytes) : Promise.reject(new Error(`no file ${ref.key}`));
  }

  pathOf(ref: { key: string }): string {
    return `memory:${ref.key}`;
  }
}

export function connectorDouble(
  runStep: (request: StepRequest, env: StepEnvironment) => Promise<StepOutcome>,
  night: Partial<Pick<Connector, 'processNight' | 'hasWaitingDeposit'>> = {},
): Connector {
  return {
    kind: 'sandbox',
    runStep,
    processNight: night.processNight ?? ((): Promise<NightResult> => Promise.resolve({ processed: false, anomalies: [] })),
    hasWaitingDeposit: night.hasWaitingDeposit ?? (() => Promise.resolve(false)),
  };
}
