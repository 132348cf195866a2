// PGlite is one process's database: two processes opening the same folder would corrupt it. The
// process that opens it writes its pid in a lock file; another process is refused with a clear
// message while that pid is alive (a stale lock from a crash is taken over).
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export class PgliteBusyError extends Error {
  constructor(readonly dir: string, readonly pid: number) {
    super(
      `La base PGlite « ${dir} » est ouverte par un autre processus synchro (pid ${pid}, sans doute « synchro start »). ` +
        'Arrêtez-le, ou partagez une base PostgreSQL entre les processus avec DATABASE_URL.',
    );
    this.name = 'PgliteBusyError';
  }
}

const LOCK_NAME = 'synchro.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live pid holding the folder, if another process holds it. */
export async function pgliteHolder(dir: string): Promise<number | undefined> {
  const text = await readFile(path.join(dir, LOCK_NAME), 'utf8').catch(() => undefined);
  const pid = Number(text?.trim());
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  return isAlive(pid) ? pid : undefined;
}

/** Takes the folder for this process; returns the release function. */
export async function lockPgliteDir(dir: string): Promise<() => Promise<void>> {
  const file = path.join(dir, LOCK_NAME);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await pgliteHolder(dir);
      if (holder !== undefined) throw new PgliteBusyError(dir, holder);
      const text = await readFile(file, 'utf8').catch(() => '');
      // Our own pid: this process opened it already and must reuse that handle.
      if (Number(text.trim()) === process.pid) throw new PgliteBusyError(dir, process.pid);
      await rm(file, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`Impossible de prendre le verrou de ${file}.`);
}
