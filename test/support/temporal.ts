// The Temporal test harness: connections to the dev server started by the global setup, a PGlite
// database, and a worker on a fresh task queue for each body, with the activities wired to the
// connector the test chooses.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, inject } from 'vitest';
import { createActivities, type Activities, type ActivityDeps } from '../../activities';
import type { Connector } from '../../connectors/types';
import { migrate, openDb, type OpenedDb } from '../../db/client';
import { createWorkerDependencies } from '../../worker/dependencies';
import { createWorker } from '../../worker/worker';
import { MemoryStore } from './connector-double';

export interface WorkerChoices {
  codecKey?: string;
  maxCachedWorkflows?: number;
  /** Given the worker before it runs (tests that watch its status). */
  inspect?: (worker: Worker) => void;
  /** Wraps the real activities (tests that act at a precise moment of one). */
  wrapActivities?: (activities: Activities) => Activities;
}

export interface TemporalHarness {
  client: Client;
  db: OpenedDb['db'];
  /** Runs `body` while a worker serves a fresh task queue with this connector for every school. */
  withWorker<T>(connector: Connector, body: (taskQueue: string) => Promise<T>, options?: WorkerChoices): Promise<T>;
  /** The same with the real activities' dependencies (content store, folder/sandbox connectors) over `dataDir`. */
  withRealWorker<T>(dataDir: string, body: (taskQueue: string) => Promise<T>): Promise<T>;
}

export function useTemporalHarness(): TemporalHarness {
  let database: OpenedDb;
  let connection: Connection;
  let nativeConnection: NativeConnection;
  const harness = {} as TemporalHarness;

  beforeAll(async () => {
    const address = inject('temporalAddress');
    database = await openDb({ inMemory: true });
    await migrate(database.db);
    connection = await Connection.connect({ address });
    nativeConnection = await NativeConnection.connect({ address });
    harness.client = new Client({ connection, namespace: inject('temporalNamespace') });
    harness.db = database.db;
  });

  afterAll(async () => {
    await nativeConnection?.close();
    await connection?.close();
    await database?.close();
  });

  async function runWith<T>(deps: ActivityDeps, body: (taskQueue: string) => Promise<T>, options: WorkerChoices = {}): Promise<T> {
    const taskQueue = `test-${randomUUID()}`;
    const { inspect, wrapActivities, ...choices } = options;
    const activities = createActivities(deps);
    const worker = await createWorker({ connection: nativeConnection, namespace: inject('temporalNamespace'), taskQueue, activities: wrapActivities ? wrapActivities(activities) : activities, ...choices });
    inspect?.(worker);
    return worker.runUntil(body(taskQueue));
  }
  harness.withWorker = (connector, body, options = {}) =>
    runWith({ db: database.db, store: new MemoryStore(), connectorFor: () => Promise.resolve(connector) }, body, options);
  harness.withRealWorker = (dataDir, body) => runWith(createWorkerDependencies({ dataDir }, database.db), body);
  return harness;
}
