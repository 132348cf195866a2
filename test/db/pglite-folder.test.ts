// The embedded default (no DATABASE_URL): PGlite in <dataDir>/pglite, kept across restarts.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { migrate, migrationsStatus, openDb } from '../../db/client';
import { listSchools, upsertSchool } from '../../db/queries/schools';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

it('keeps its data in <dataDir>/pglite across a close and a reopen, and closes twice quietly', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'synchro-db-'));
  dirs.push(dataDir);
  const first = await openDb({ dataDir });
  expect(first.driver).toBe('pglite');
  await migrate(first.db);
  await upsertSchool(first.db, { uai: '0750680G', name: 'Lycée', academie: 'Paris', calendarZone: 'metropole' });
  await first.close();
  await first.close();
  expect(await readdir(path.join(dataDir, 'pglite'))).toContain('PG_VERSION');

  const again = await openDb({ dataDir });
  try {
    const status = await migrationsStatus(again.db);
    expect(status.applied).toBe(status.available);
    await migrate(again.db);
    expect((await listSchools(again.db)).map((s) => s.uai)).toEqual(['0750680G']);
  } finally {
    await again.close();
  }
});
