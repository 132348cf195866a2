// The worker process's core: one task queue, the bundled workflows, the activities built from
// their dependencies. Call installTemporalRuntime() before the first Temporal connection.
import { Worker, type NativeConnection } from '@temporalio/worker';
import { dataConverterFor } from '../client/temporal/payload-codec';
import { workflowBundle } from './bundle';

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: object;
  /** SYNCHRO_CODEC_KEY: encrypt payloads (AES-GCM) when set. */
  codecKey?: string;
  /** Bounded so that a 2-core machine keeps up (parsing is CPU-bound). */
  maxConcurrentActivityTaskExecutions?: number;
}

export async function createWorker(options: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: await workflowBundle(),
    activities: options.activities,
    dataConverter: dataConverterFor(options.codecKey),
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions ?? 20,
  });
}
