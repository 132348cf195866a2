// One database handle for the whole project, whatever runs underneath: PGlite (embedded, a folder
// under the data dir, or in memory for tests) when no URL is configured, postgres-js otherwise.
// Both drizzle drivers extend PgDatabase, so queries are written once against that base type.
// A PGlite folder already open in another synchro process is reached through that process
// (db/pglite-server.ts) with postgres-js: one process keeps the files, the others just work.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type SQL } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { lockPgliteDir, type PgliteServed } from './pglite-lock';
import { servePglite } from './pglite-server';
import * as schema from './schema';

export type Schema = typeof schema;
/** The query builder common to both drivers: what every module of db/queries takes. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Driver = 'pglite' | 'postgres';

export interface OpenDbOptions {
  /** postgres://…: use postgres-js. Absent: PGlite. */
  databaseUrl?: string;
  /** PGlite stores its files in `<dataDir>/pglite`. */
  dataDir?: string;
  /** PGlite in memory (tests); ignored when databaseUrl is set. */
  inMemory?: boolean;
  /** postgres-js pool size. */
  maxConnections?: number;
}

export interface OpenedDb {
  db: Db;
  driver: Driver;
  /** PGlite opened by another process and reached through it: that process's pid. */
  servedBy?: number;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));
const MIGRATION_CONFIG = { migrationsFolder: MIGRATIONS_FOLDER } as const;
/** Any constant will do, as long as every synchro process uses the same one. */
const MIGRATION_LOCK_KEY = 4_242_000_001;

interface Handle {
  driver: Driver;
  /** A PGlite folder served by its owner: the owner migrates it, this process only waits for that. */
  served?: PgliteServed;
  /** Runs `body` while holding a lock that other processes migrating the same database wait on. */
  withMigrationLock<T>(body: () => Promise<T>): Promise<T>;
}

// Which driver is behind a Db: migrate() needs it, and callers only carry the Db around.
const handles = new WeakMap<Db, Handle>();

export async function openDb(options: OpenDbOptions = {}): Promise<OpenedDb> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.maxConnections ?? 10);
  return openPglite(options);
}

async function openPglite(options: OpenDbOptions): Promise<OpenedDb> {
  // Imported lazily so that a PostgreSQL deployment never loads the WebAssembly build.
  const [{ PGlite }, { drizzle }] = await Promise.all([import('@electric-sql/pglite'), import('drizzle-orm/pglite')]);
  let dir: string | undefined;
  let unlock = (): Promise<void> => Promise.resolve();
  let advertise: ((served: { socketPath: string; secret: string }) => Promise<void>) | undefined;
  if (!options.inMemory) {
    dir = path.join(options.dataDir ?? 'data', 'pglite');
    await mkdir(dir, { recursive: true });
    const claim = await lockPgliteDir(dir);
    if (claim.kind === 'served') return openServedPglite(claim);
    unlock = claim.release;
    advertise = claim.advertise;
  }
  const client = await PGlite.create(dir).catch(async (error: unknown) => {
    await unlock();
    throw error;
  });
  // Served from the start: a process that comes meanwhile waits in migrate() for our migrations.
  const service = advertise
    ? await servePglite(client).catch(async (error: unknown) => {
        await client.close();
        await unlock();
        throw error;
      })
    : undefined;
  if (service && advertise) await advertise({ socketPath: service.socketPath, secret: service.secret });
  const db: Db = drizzle({ client, schema });
  // One process owns a PGlite folder, but two callers in it may still migrate at once (both would
  // see nothing applied): they take turns.
  let turn: Promise<unknown> = Promise.resolve();
  handles.set(db, {
    driver: 'pglite',
    withMigrationLock(body) {
      const result = turn.then(body, body);
      turn = result.catch(() => undefined);
      return result;
    },
  });
  return {
    db,
    driver: 'pglite',
    close: async () => {
      await service?.stop();
      if (!client.closed) await client.close();
      await unlock();
    },
  };
}

/** Clients of a served PGlite: a few connections, taking turns on the owner's one session. */
const SERVED_POOL = 4;

async function openServedPglite(served: PgliteServed): Promise<OpenedDb> {
  const [{ default: postgres }, { drizzle }] = await Promise.all([import('postgres'), import('drizzle-orm/postgres-js')]);
  const client = postgres({
    path: served.socketPath,
    user: 'postgres',
    database: 'postgres',
    pass: served.secret,
    max: SERVED_POOL,
    // One backend session behind every connection: named prepared statements would collide.
    prepare: false,
    connect_timeout: 10,
    onnotice: () => undefined,
  });
  const db: Db = drizzle({ client, schema });
  handles.set(db, { driver: 'postgres', served, withMigrationLock: (body) => body() });
  return { db, driver: 'pglite', servedBy: served.pid, close: () => client.end({ timeout: 5 }) };
}

/** How long a client of a served PGlite waits for its owner to finish migrating. */
const OWNER_MIGRATION_WAIT_MS = 60_000;

async function waitForOwnerMigrations(db: Db, served: PgliteServed): Promise<void> {
  const deadline = Date.now() + OWNER_MIGRATION_WAIT_MS;
  for (;;) {
    const status = await migrationsStatus(db);
    if (status.applied >= status.available) return;
    if (Date.now() > deadline) {
      throw new Error(
        `La base PGlite servie par le processus synchro ${served.pid} n'a que ${status.applied} migrations sur ${status.available} : ` +
          'ce processus est plus ancien que cette commande ; redémarrez-le.',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function openPostgres(url: string, max: number): Promise<OpenedDb> {
  const [{ default: postgres }, { drizzle }] = await Promise.all([import('postgres'), import('drizzle-orm/postgres-js')]);
  // Notices ("schema drizzle already exists, skipping") are noise on every start.
  const client = postgres(url, { max, onnotice: () => undefined });
  const db: Db = drizzle({ client, schema });
  handles.set(db, {
    driver: 'postgres',
    async withMigrationLock(body) {
      // A worker and a CLI started together must not both create the tables: the advisory lock
      // is held on one reserved connection while the migrator works through the pool.
      const reserved = await client.reserve();
      try {
        await reserved`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        try {
          return await body();
        } finally {
          await reserved`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
        }
      } finally {
        reserved.release();
      }
    },
  });
  return { db, driver: 'postgres', close: () => client.end({ timeout: 5 }) };
}

function handleOf(db: Db): Handle {
  const handle = handles.get(db);
  if (!handle) throw new Error('This database handle was not opened with openDb() (db/client.ts).');
  return handle;
}

/** Applies the pending migrations of db/migrations; running it again changes nothing. */
export async function migrate(db: Db): Promise<void> {
  const handle = handleOf(db);
  if (handle.served) return waitForOwnerMigrations(db, handle.served);
  await handle.withMigrationLock(async () => {
    if (handle.driver === 'pglite') {
      const { migrate: migratePglite } = await import('drizzle-orm/pglite/migrator');
      await migratePglite(db as unknown as PgliteDatabase<Schema>, MIGRATION_CONFIG);
    } else {
      const { migrate: migratePostgres } = await import('drizzle-orm/postgres-js/migrator');
      await migratePostgres(db as unknown as PostgresJsDatabase<Schema>, MIGRATION_CONFIG);
    }
  });
}

export interface MigrationsStatus {
  applied: number;
  available: number;
}

/**
 * How many of the migrations shipped with this code the database has. Counted the way drizzle's
 * migrator decides: a migration is applied when the last recorded one is not older than it.
 */
export async function migrationsStatus(db: Db): Promise<MigrationsStatus> {
  const available = readMigrationFiles(MIGRATION_CONFIG);
  const exists = await selectRows<{ present: boolean }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  if (!exists[0]?.present) return { applied: 0, available: available.length };
  const last = await selectRows<{ created_at: string | number | null }>(
    db,
    sql`select max(created_at) as created_at from drizzle.__drizzle_migrations`,
  );
  const lastMillis = Number(last[0]?.created_at ?? 0);
  return { applied: available.filter((m) => m.folderMillis <= lastMillis).length, available: available.length };
}

/** Raw SQL rows from either driver (PGlite answers `{ rows }`, postgres-js an array). */
export async function selectRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return (result as { rows: T[] }).rows;
}
