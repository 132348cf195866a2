// The configured database for one command: opened (migrated), handed over, closed. While a
// `synchro start` holds the embedded PGlite, the command goes through it (it serves the folder);
// only a holder that does not serve it stops the command with the lock's message and exit 2.
import { loadSettings, type Settings } from '../../config/settings';
import type { Db } from '../../db/client';
import { openForReading } from '../actions/read-database';
import { EXIT } from './command';

export async function withDatabase(body: (db: Db, settings: Settings) => Promise<void>): Promise<void> {
  const settings = loadSettings();
  const opened = await openForReading(settings);
  if ('busy' in opened) {
    console.error(opened.busy);
    process.exitCode = EXIT.failed;
    return;
  }
  try {
    await body(opened.database.db, settings);
  } finally {
    await opened.database.close();
  }
}
