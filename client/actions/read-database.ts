// The database for a reading command (status, report, web). A PGlite folder belongs to one process:
// while `synchro start` runs, the others cannot open it, and say so in the lock's own words rather
// than failing with a stack trace.
import type { Settings } from '../../config/settings';
import type { OpenedDb } from '../../db/client';
import { openDatabase } from '../../db/open';
import { PgliteBusyError } from '../../db/pglite-lock';

export const PGLITE_HELP =
  'Avec PGlite (par défaut), la base appartient au « synchro start » en cours : arrêtez-le, ou partagez une base PostgreSQL entre les processus (DATABASE_URL).';

export async function openForReading(settings: Settings): Promise<{ database: OpenedDb } | { busy: string }> {
  try {
    return { database: await openDatabase(settings) };
  } catch (error) {
    if (error instanceof PgliteBusyError) return { busy: error.message };
    throw error;
  }
}
