// How every process opens the configured database: PGlite under the data dir or PostgreSQL from
// DATABASE_URL, with the pending migrations applied at start (under a lock: see migrate()).
import type { Settings } from '../config/settings';
import { migrate, openDb, type OpenedDb } from './client';

export async function openDatabase(settings: Pick<Settings, 'databaseUrl' | 'dataDir'>): Promise<OpenedDb> {
  const opened = await openDb({ databaseUrl: settings.databaseUrl, dataDir: settings.dataDir });
  try {
    await migrate(opened.db);
  } catch (error) {
    await opened.close();
    throw error;
  }
  return opened;
}
