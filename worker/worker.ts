// The worker process's core: one task queue, the bundled workflows, the activities built from
// their dependencies. Call installTemporalRuntime() before the first Temporal connection.
import { Worker, type NativeConnection, type WorkerOptions as SdkWorkerOptions } from '@temporalio/worker';
import { dataConverterFor } from '../client/temporal/payload-codec';
import { workflowBundle } from './bundle';

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: object;
  /** SYNCHRO_CODEC_KEY: encrypt payloads (AES-GCM) when set. */
  codecKey?: string;
  /**
   * Bounded so that a 2-core machine keeps up (parsing is CPU-bound). The same bound applies to
   * local activities (the school year's steps, workflows/year-runner.ts), counted apart by the SDK.
   */
  maxConcurrentActivityTaskExecutions?: number;
  /** Workflows kept in memory between their tasks (default WORKFLOW_CACHE_SIZE). */
  maxCachedWorkflows?: number;
  /**
   * Longest run of workflow code at one entry into it (ms), Temporal's isolate execution timeout;
   * none when absent (see createWorker).
   */
  workflowTimeoutMs?: number;
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

/**
 * The worker. Temporal's watchdog on workflow code (5 s by default in the SDK) is off here: Node
 * enforces a `vm` timeout with a thread started and joined on every entry into the workflow's
 * context, about 90 µs of CPU each (nodejs/node#47739), several entries per workflow task.
 * Measured on 2026-12-04, the year of 500 schools: 213.4 → 178.8 s, worker CPU 552 → 464 ms a
 * school. Without it, a workflow stuck in a synchronous loop would hold the worker's workflow
 * thread instead of failing its task after 5 s: our workflows are ours, replay-tested, and
 * `synchro worker --workflow-timeout` puts a watchdog back. patches/@temporalio+worker+1.24.0.patch
 * makes the SDK pass no timeout when it is not finite.
 */
export async function createWorker(options: WorkerOptions): Promise<Worker> {
  // isolateExecutionTimeout is an option the SDK takes without declaring it (sdk-typescript#249).
  const activitySlots = options.maxConcurrentActivityTaskExecutions ?? 20;
  const sdkOptions: SdkWorkerOptions & { isolateExecutionTimeout: number } = {
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: await workflowBundle(),
    activities: options.activities,
    dataConverter: dataConverterFor(options.codecKey),
    maxConcurrentActivityTaskExecutions: activitySlots,
    maxConcurrentLocalActivityExecutions: activitySlots,
    maxCachedWorkflows: options.maxCachedWorkflows ?? WORKFLOW_CACHE_SIZE,
    isolateExecutionTimeout: options.workflowTimeoutMs ?? Infinity,
  };
  return Worker.create(sdkOptions);
}
