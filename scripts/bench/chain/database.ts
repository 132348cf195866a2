// A fresh database for each bench run: on PostgreSQL a new database on the given server (created,
// migrated with db/client's migrate, dropped at the end), else PGlite in memory.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { migrate, openDb, type Db } from '../../../db/client';

export interface BenchDatabase {
  db: Db;
  driver: 'postgres' | 'pglite';
  /** The URL the worker processes get (PostgreSQL only). */
  url?: string;
  /** Pids of the server's backends serving this database (PostgreSQL only). */
  backendPids?: () => Promise<number[]>;
  close(): Promise<void>;
}

/** The PostgreSQL server the bench may use: BENCH_DATABASE_URL, else TEST_DATABASE_URL (scripts/ci/postgres.sh). */
export function benchServerUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return (env.BENCH_DATABASE_URL ?? '').trim() || (env.TEST_DATABASE_URL ?? '').trim() || undefined;
}

/** The URL without its password, for the printout. */
export function displayUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

export async function freshDatabase(serverUrl: string | undefined): Promise<BenchDatabase> {
  if (!serverUrl) {
    const opened = await openDb({ inMemory: true });
    await migrate(opened.db);
    return { db: opened.db, driver: 'pglite', close: () => opened.close() };
  }
  const name = `synchro_bench_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let opened: Awaited<ReturnType<typeof openDb>> | undefined;
  const drop = async (): Promise<void> => {
    await opened?.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
  try {
    opened = await openDb({ databaseUrl: url.toString(), maxConnections: 10 });
    await migrate(opened.db);
  } catch (error) {
    await drop();
    throw error;
  }
  return {
    db: opened.db,
    driver: 'postgres',
    url: url.toString(),
    backendPids: async () => (await admin<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${name}`).map((r) => Number(r.pid)),
    close: drop,
  };
}
