// The worker runs workflow code without Temporal's watchdog (worker/worker.ts: a thread per entry
// into the workflow's context) unless asked for one: patches/@temporalio+worker+1.24.0.patch lets
// the SDK take an infinite isolateExecutionTimeout (Node refuses one as a vm timeout), and a finite
// one still fails a task that runs too long.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { useTemporalHarness } from '../support/temporal';

const harness = useTemporalHarness();
let connection: NativeConnection;
let workflowBundle: Awaited<ReturnType<typeof bundleWorkflowCode>>;
/** A few hundred milliseconds of arithmetic on this machine, far over the 50 ms watchdog below. */
const ITERATIONS = 20_000_000;

beforeAll(async () => {
  connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  workflowBundle = await bundleWorkflowCode({ workflowsPath: path.resolve('test/support/workflows/spin.ts'), logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } });
});
afterAll(() => connection?.close());

async function runSpin(isolateExecutionTimeout: number): Promise<{ result?: number; taskFailure?: string }> {
  const taskQueue = `watchdog-${randomUUID()}`;
  const options: WorkerOptions & { isolateExecutionTimeout: number } = { connection, namespace: inject('temporalNamespace'), taskQueue, workflowBundle, isolateExecutionTimeout };
  const worker = await Worker.create(options);
  return worker.runUntil(async () => {
    const handle = await harness.client.workflow.start('spin', { taskQueue, workflowId: `spin/${randomUUID()}`, args: [ITERATIONS] });
    for (let i = 0; i < 150; i += 1) {
      const events = (await handle.fetchHistory()).events ?? [];
      const failed = events.find((e) => e.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes?.failure?.message;
      if (failed) {
        await handle.terminate('test over');
        return { taskFailure: failed };
      }
      if (events.some((e) => e.workflowExecutionCompletedEventAttributes)) return { result: await handle.result() as number };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the spin workflow neither completed nor failed a task in 15 s');
  });
}

describe('the watchdog on workflow code', () => {
  it('is off with an infinite timeout: a long synchronous task completes', async () => {
    expect(typeof (await runSpin(Infinity)).result).toBe('number');
  });

  it('fails a task that runs longer than a finite timeout', async () => {
    const outcome = await runSpin(50);
    expect(outcome.taskFailure).toMatch(/timed out/i);
  });
});
