import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDb, selectRows, type OpenedDb } from '../../db/client';
import { PgliteBusyError } from '../../db/pglite-lock';

const dirs: string[] = [];
const opened: OpenedDb[] = [];
afterEach(async () => {
  for (const db of opened.splice(0).reverse()) await db.close();
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'synchro-lock-'));
  dirs.push(dir);
  return dir;
}

async function open(dir: string): Promise<OpenedDb> {
  const db = await openDb({ dataDir: dir });
  opened.push(db);
  return db;
}

interface Lock {
  pid: number;
  served?: { socketPath: string; secret: string };
}
const readLock = async (dir: string): Promise<Lock> => JSON.parse(await readFile(path.join(dir, 'pglite', 'synchro.lock'), 'utf8')) as Lock;

const count = async (db: OpenedDb): Promise<number> =>
  (await selectRows<{ n: number }>(db.db, sql`select count(*)::int as n from probe`))[0]?.n ?? -1;

describe('the PGlite folder belongs to one process, which serves it to the others', () => {
  it('serves a second opening through the owner instead of opening the files twice', async () => {
    const dir = await dataDir();
    const owner = await open(dir);
    await migrate(owner.db);
    expect(owner.servedBy).toBeUndefined();
    const lock = await readLock(dir);
    expect(lock.pid).toBe(process.pid);
    expect(lock.served?.socketPath).toBeTruthy();

    const client = await open(dir);
    expect(client).toMatchObject({ driver: 'pglite', servedBy: process.pid });
    await migrate(client.db); // waits for the owner's migrations, applies none itself
    await owner.db.execute(sql`create table probe (id int primary key)`);
    await client.db.execute(sql`insert into probe values (1), (2)`);
    expect(await count(owner)).toBe(2);
  });

  it('keeps its socket and password to this user', async () => {
    const dir = await dataDir();
    await open(dir);
    const lock = await readLock(dir);
    const served = lock.served;
    if (!served) throw new Error('the lock does not say where the folder is served');
    expect((await stat(path.join(dir, 'pglite', 'synchro.lock'))).mode & 0o777).toBe(0o600);
    if (process.platform !== 'win32') {
      expect((await stat(served.socketPath)).mode & 0o777).toBe(0o600);
      expect((await stat(path.dirname(served.socketPath))).mode & 0o777).toBe(0o700);
    }
    const intruder = postgres({ path: served.socketPath, user: 'postgres', database: 'postgres', pass: 'not-the-secret', max: 1, connect_timeout: 5 });
    await expect(intruder`select 1`).rejects.toMatchObject({ code: '28P01' });
    await intruder.end({ timeout: 1 });
  });

  it('never mixes a transaction of the owner with a client statement, nor the reverse', async () => {
    const dir = await dataDir();
    const owner = await open(dir);
    await owner.db.execute(sql`create table probe (id int primary key)`);
    const client = await open(dir);

    let clientSaw: number | undefined;
    await owner.db.transaction(async (tx) => {
      await tx.execute(sql`insert into probe values (1)`);
      const reading = count(client).then((n) => (clientSaw = n));
      await new Promise((resolve) => setTimeout(resolve, 150));
      await tx.execute(sql`insert into probe values (2)`);
      void reading;
    });
    await expect.poll(() => clientSaw).toBe(2); // after the commit, never in the middle

    let ownerSaw: number | undefined;
    await client.db.transaction(async (tx) => {
      await tx.execute(sql`insert into probe values (3)`);
      const reading = count(owner).then((n) => (ownerSaw = n));
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(ownerSaw).toBeUndefined(); // waits for the client's transaction
      await tx.execute(sql`insert into probe values (4)`);
      void reading;
    });
    await expect.poll(() => ownerSaw).toBe(4);

    // A client transaction that fails is rolled back, and the owner's own go on.
    await expect(
      client.db.transaction(async (tx) => {
        await tx.execute(sql`insert into probe values (5)`);
        await tx.execute(sql`insert into probe values (5)`);
      }),
    ).rejects.toThrow();
    expect(await count(owner)).toBe(4);
  });

  it('rolls back the open transaction of a client that disappears', async () => {
    const dir = await dataDir();
    const owner = await open(dir);
    await owner.db.execute(sql`create table probe (id int primary key)`);
    const served = (await readLock(dir)).served;
    if (!served) throw new Error('not served');
    const client = postgres({ path: served.socketPath, user: 'postgres', database: 'postgres', pass: served.secret, max: 1, prepare: false });
    const reserved = await client.reserve();
    await reserved`begin`;
    await reserved`insert into probe values (1)`;
    await client.end({ timeout: 0 }); // gone without COMMIT
    expect(await count(owner)).toBe(0);
    await owner.db.execute(sql`insert into probe values (2)`);
    expect(await count(owner)).toBe(1);
  });

  it('refuses a live holder that does not serve, and takes over the lock of a dead one', async () => {
    const dir = await dataDir();
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    const first = await openDb({ dataDir: dir });
    await first.close();
    // What an earlier version writes: its pid alone.
    await writeFile(path.join(dir, 'pglite', 'synchro.lock'), String(sleeper.pid));
    await expect(openDb({ dataDir: dir })).rejects.toBeInstanceOf(PgliteBusyError);
    await expect(openDb({ dataDir: dir })).rejects.toThrow(`pid ${sleeper.pid}`);

    sleeper.kill();
    await once(sleeper, 'exit');
    const taken = await open(dir);
    expect(taken.servedBy).toBeUndefined();
    expect((await readLock(dir)).pid).toBe(process.pid);
  });

  it('releases the folder on close: the next opening owns it', async () => {
    const dir = await dataDir();
    const first = await openDb({ dataDir: dir });
    const socketPath = (await readLock(dir)).served?.socketPath;
    await first.close();
    if (socketPath && process.platform !== 'win32') await expect(stat(socketPath)).rejects.toMatchObject({ code: 'ENOENT' });
    const second = await open(dir);
    expect(second.servedBy).toBeUndefined();
  });
});
