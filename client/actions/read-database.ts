// The database for a reading command (status, report, web). A PGlite folder belongs to one process,
// which serves it to the others (db/pglite-server.ts): while `synchro start` runs, this connects
// through it. Only a holder that serves nothing (an earlier version) refuses, and that is said in
// the lock's own words rather than with a stack trace.
import type { Settings } from '../../config/settings';
import type { OpenedDb } from '../../db/client';
import { openDatabase } from '../../db/open';
import { PgliteBusyError } from '../../db/pglite-lock';

export const PGLITE_HELP =
  'Avec PGlite (par défaut), la base est servie par le « synchro start » en cours, qui en garde seul les fichiers.';

export async function openForReading(settings: Settings): Promise<{ database: OpenedDb } | { busy: string }> {
  try {
    return { database: await openDatabase(settings) };
  } catch (error) {
    if (error instanceof PgliteBusyError) return { busy: error.message };
    throw error;
  }
}
