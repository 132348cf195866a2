// One in-memory PGlite per test file, loaded with the demo fixture (the rows a real run of the demo
// académie left: client/web/demo-fixture.ts), and the dashboard app over it. `fakeTemporal` records what the actions would send to Temporal.
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll } from 'vitest';
import { createWebApp, type WebAppDeps } from '../../../client/web/app';
import { loadDemoFixture } from '../../../client/web/demo-fixture';
import { migrate, openDb, type Db, type OpenedDb } from '../../../db/client';

export interface WebHarness {
  db: Db;
  /**
   * The dashboard app; its `request` signs in as the script token (`Authorization: Bearer`, the
   * viewer who sees every school) unless `anonymous` or the request carries its own Authorization.
   */
  app(options?: { token?: string; temporal?: WebAppDeps['temporal']; temporalUiUrl?: string; anonymous?: boolean }): { request(path: string, init?: RequestInit): Promise<Response> };
}

export const HARNESS_TOKEN = 'jeton-de-test';

export function useDemoDashboard(): WebHarness {
  let opened: OpenedDb;
  const harness = {} as WebHarness;
  beforeAll(async () => {
    opened = await openDb({ inMemory: true });
    await migrate(opened.db);
    await loadDemoFixture(opened.db);
    harness.db = opened.db;
  });
  afterAll(() => opened?.close());
  harness.app = (options = {}) => {
    const token = options.token ?? HARNESS_TOKEN;
    const app = createWebApp({
      db: harness.db,
      temporal: options.temporal,
      settings: { web: { host: '127.0.0.1', port: 0, token, temporalUiUrl: options.temporalUiUrl }, temporal: { namespace: 'default' } },
      onError: (error) => {
        throw error;
      },
    });
    return {
      request: (path, init = {}) => {
        const headers = new Headers(init.headers);
        if (!options.anonymous && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
        return Promise.resolve(app.request(path, { ...init, headers }));
      },
    };
  };
  return harness;
}

export interface FakeTemporal {
  client: Client;
  started: { type: string; options: { workflowId: string; taskQueue: string; args: unknown[] } }[];
  updates: { workflowId: string; args: unknown[] }[];
}

/** A Client double: `workflow.start` and `getHandle(…).describe/executeUpdate`, recorded. */
export function fakeTemporal(running: Set<string> = new Set()): FakeTemporal {
  const fake: FakeTemporal = { client: undefined as unknown as Client, started: [], updates: [] };
  const workflow = {
    start: (type: string, options: FakeTemporal['started'][number]['options']) => {
      fake.started.push({ type, options });
      return Promise.resolve({ workflowId: options.workflowId, firstExecutionRunId: 'run-1' });
    },
    getHandle: (workflowId: string) => ({
      describe: () => Promise.resolve({ status: { name: running.has(workflowId) ? 'RUNNING' : 'COMPLETED' } }),
      executeUpdate: (_def: unknown, options: { args: unknown[] }) => {
        fake.updates.push({ workflowId, args: options.args });
        return Promise.resolve({ accepted: true, message: 'Étape confirmée.' });
      },
    }),
  };
  fake.client = { workflow } as unknown as Client;
  return fake;
}
