// PGlite is one process's database: two processes opening the same folder would corrupt it. The
// process that opens it writes its pid in a lock file (0600), then, once it serves the folder to
// the others (db/pglite-server.ts), where to reach it and the password. Another process finds
// that and connects instead of opening the files; while the owner is still opening it waits; a
// live holder that serves nothing refuses it with a clear message; a stale lock from a crash is
// taken over.
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export class PgliteBusyError extends Error {
  constructor(readonly dir: string, readonly pid: number) {
    super(
      `La base PGlite « ${dir} » est ouverte par un autre processus synchro (pid ${pid}) qui ne la partage pas. ` +
        'Arrêtez-le, ou partagez une base PostgreSQL entre les processus avec DATABASE_URL.',
    );
    this.name = 'PgliteBusyError';
  }
}

const LOCK_NAME = 'synchro.lock';
/** How long a process waits for an owner that is still opening the folder (PGlite's start and migrations). */
const OPENING_WAIT_MS = 60_000;

/** Where the owner serves the folder: a local socket and the password it asks. */
export interface PgliteServed {
  pid: number;
  socketPath: string;
  secret: string;
}

interface LockContent {
  pid: number;
  served?: { socketPath: string; secret: string };
}

export type PgliteClaim =
  | { kind: 'owner'; release: () => Promise<void>; advertise: (served: { socketPath: string; secret: string }) => Promise<void> }
  | ({ kind: 'served' } & PgliteServed);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock's content: JSON from this version, a bare pid from earlier ones. */
async function readLock(file: string): Promise<LockContent | undefined> {
  const text = (await readFile(file, 'utf8').catch(() => undefined))?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return { pid: Number(text) };
  try {
    const parsed = JSON.parse(text) as Partial<LockContent>;
    if (!Number.isInteger(parsed.pid)) return undefined;
    const served = parsed.served;
    return {
      pid: parsed.pid as number,
      served: typeof served?.socketPath === 'string' && typeof served.secret === 'string' ? served : undefined,
    };
  } catch {
    return undefined; // being rewritten, or damaged: read again
  }
}

async function writeLock(file: string, content: LockContent): Promise<void> {
  // Readers see the old content or the new one, never half of it (rename is atomic).
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(content), { mode: 0o600 });
  await rename(temporary, file);
}

/** The live pid holding the folder, if another process holds it. */
export async function pgliteHolder(dir: string): Promise<number | undefined> {
  const lock = await readLock(path.join(dir, LOCK_NAME));
  if (!lock || lock.pid <= 0 || lock.pid === process.pid) return undefined;
  return isAlive(lock.pid) ? lock.pid : undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Takes the folder for this process, or tells where its live owner serves it. */
export async function lockPgliteDir(dir: string, options: { openingWaitMs?: number } = {}): Promise<PgliteClaim> {
  const file = path.join(dir, LOCK_NAME);
  const deadline = Date.now() + (options.openingWaitMs ?? OPENING_WAIT_MS);
  for (;;) {
    try {
      await writeFile(file, JSON.stringify({ pid: process.pid } satisfies LockContent), { flag: 'wx', mode: 0o600 });
      return {
        kind: 'owner',
        release: () => rm(file, { force: true }),
        advertise: (served) => writeLock(file, { pid: process.pid, served }),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const lock = await readLock(file);
    // Served (by this very process, too): connect to it.
    if (lock?.served && (lock.pid === process.pid || isAlive(lock.pid))) return { kind: 'served', pid: lock.pid, ...lock.served };
    // Our own pid, not serving: this process is opening it and must reuse that handle.
    if (lock?.pid === process.pid) throw new PgliteBusyError(dir, process.pid);
    if (lock && isAlive(lock.pid)) {
      // A bare pid is an earlier version's lock: it will never serve.
      const text = await readFile(file, 'utf8').catch(() => '');
      if (/^\d+\s*$/.test(text) || Date.now() > deadline) throw new PgliteBusyError(dir, lock.pid);
      await sleep(200); // still opening (PGlite's start, migrations)
      continue;
    }
    if (lock === undefined && Date.now() <= deadline) {
      // Unreadable: perhaps caught between creation and first write. Look again before taking it.
      await sleep(100);
      if ((await readLock(file)) !== undefined) continue;
    }
    await rm(file, { force: true }); // stale: its process is gone
  }
}
