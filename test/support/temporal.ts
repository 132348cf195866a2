// The Temporal test harness: connections to the dev server started by the global setup, a PGlite
// database, and a worker on a fresh task queue for each body, with the activities wired to the
// connector the test chooses.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, inject } from 'vitest';
import { createActivities } from '../../activities';
import type { Connector } from '../../connectors/types';
import { migrate, openDb, type OpenedDb } from '../../db/client';
import { createWorker } from '../../worker/worker';
import { MemoryStore } from './connector-double';

export interface TemporalHarness {
  client: Client;
  db: OpenedDb['db'];
  /** Runs `body` while a worker serves a fresh task queue with this connector for every school. */
  withWorker<T>(connector: Connector, body: (taskQueue: string) => Promise<T>, options?: { codecKey?: string }): Promise<T>;
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

  harness.withWorker = async (connector, body, options = {}) => {
    const taskQueue = `test-${randomUUID()}`;
    const worker = await createWorker({
      connection: nativeConnection,
      namespace: inject('temporalNamespace'),
      taskQueue,
      activities: createActivities({ db: database.db, store: new MemoryStore(), connectorFor: () => Promise.resolve(connector) }),
      codecKey: options.codecKey,
    });
    return worker.runUntil(body(taskQueue));
  };
  return harness;
}
