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
  /** Workflows kept in memory between their tasks (default WORKFLOW_CACHE_SIZE). */
  maxCachedWorkflows?: number;
}

/**
 * Workflows a worker keeps in memory between tasks; one evicted is replayed from its history at its
 * next task (a step run's history is a few dozen events). The SDK's default follows the heap limit,
 * 2,311 on a machine of 24 GB, and 10,000 step runs waiting for SIECLE's night took a worker to
 * 1.35 GB. 400 still holds an académie's window of 100 schools (their years and running steps):
 * measured on 2026-12-02 (`npm run bench chain`, 1 worker), 400 instead of 1,000 cost no CPU (year
 * of 500 schools 445 vs 452 ms a school; night of 2,000 collèges 83 vs 82 ms, 17.3/s both) and
 * took the night's peak RSS from 1,153 to 962 Mo (about 0.3 Mo per workflow kept).
 */
export const WORKFLOW_CACHE_SIZE = 400;

export async function createWorker(options: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: await workflowBundle(),
    activities: options.activities,
    dataConverter: dataConverterFor(options.codecKey),
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions ?? 20,
    maxCachedWorkflows: options.maxCachedWorkflows ?? WORKFLOW_CACHE_SIZE,
  });
}
