import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client';
import { PgliteBusyError } from '../../db/pglite-lock';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'synchro-lock-'));
  dirs.push(dir);
  return dir;
}

describe('the PGlite folder belongs to one process', () => {
  it('refuses a second opening while the first is open, and allows it once closed', async () => {
    const dir = await dataDir();
    const first = await openDb({ dataDir: dir });
    expect(await readFile(path.join(dir, 'pglite', 'synchro.lock'), 'utf8')).toBe(String(process.pid));
    await expect(openDb({ dataDir: dir })).rejects.toBeInstanceOf(PgliteBusyError);
    await first.close();
    const second = await openDb({ dataDir: dir });
    await second.close();
  });

  it('names the live process that holds it, and takes over the lock of a dead one', async () => {
    const dir = await dataDir();
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    const first = await openDb({ dataDir: dir });
    await first.close();
    await writeFile(path.join(dir, 'pglite', 'synchro.lock'), String(sleeper.pid));
    await expect(openDb({ dataDir: dir })).rejects.toThrow(`pid ${sleeper.pid}`);

    sleeper.kill();
    await once(sleeper, 'exit');
    const taken = await openDb({ dataDir: dir });
    expect(await readFile(path.join(dir, 'pglite', 'synchro.lock'), 'utf8')).toBe(String(process.pid));
    await taken.close();
  });
});
