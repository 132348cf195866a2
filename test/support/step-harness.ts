// The step harness of the connector and check tests: a data dir in a temporary folder, PGlite in
// memory, and a step environment that records heartbeats.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContentStore } from '../../connectors/content-store';
import type { ContentStore, StepEnvironment, StepRequest } from '../../connectors/types';
import { migrate, openDb, type Db } from '../../db/client';
import type { StepId } from '../../workflows/steps';

export interface Harness {
  dataDir: string;
  db: Db;
  store: ContentStore;
  heartbeats: unknown[];
  env: StepEnvironment;
  close(): Promise<void>;
}

export async function openHarness(): Promise<Harness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'synchro-connectors-'));
  const opened = await openDb({ inMemory: true });
  await migrate(opened.db);
  const store = createContentStore(dataDir);
  const heartbeats: unknown[] = [];
  return {
    dataDir, db: opened.db, store, heartbeats,
    env: { attempt: 1, heartbeat: (d) => void heartbeats.push(d), store },
    async close() {
      await opened.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The two schools of the brief: a metropolitan collège and a Nouvelle-Calédonie collège (SIECLE 2017 = STS-Web 2018). */
export const SCHOOLS = [
  { uai: '0750680G', millesime: 2025, stsMillesime: 2025, businessDate: '2025-12-31' },
  { uai: '9830418M', millesime: 2017, stsMillesime: 2018, businessDate: '2018-05-29' },
] as const;

export function request(school: { uai: string; millesime: number; businessDate: string }, step: StepId, period?: number): StepRequest {
  return { uai: school.uai, millesime: school.millesime, step, businessDate: school.businessDate, ...(period !== undefined && { period }) };
}
