// The db suite runs every case on each driver: PGlite in memory always, PostgreSQL when
// TEST_DATABASE_URL names a server (scripts/ci/postgres.sh prints one). Each test file gets a
// database of its own, created for the run and dropped after, so parallel files and parallel
// runs never see each other's rows. In CI a missing server is a failure, never a silent skip.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe } from 'vitest';
import { migrate, openDb, type Db, type Driver, type OpenedDb } from '../../db/client';

export interface FreshDatabase {
  /** PGlite: always the same in-memory instance. PostgreSQL: a new pool on the same database. */
  open(): Promise<OpenedDb>;
  drop(): Promise<void>;
}

interface DriverTarget {
  driver: Driver;
  /** Why this variant cannot run here. */
  unavailable?: string;
  create(): Promise<FreshDatabase>;
}

const adminUrl = process.env.TEST_DATABASE_URL?.trim() || undefined;
const inCi = Boolean(process.env.CI);

const pglite: DriverTarget = {
  driver: 'pglite',
  async create() {
    const opened = await openDb({ inMemory: true });
    return { open: () => Promise.resolve(opened), drop: () => opened.close() };
  },
};

const postgresTarget: DriverTarget = {
  driver: 'postgres',
  unavailable: adminUrl
    ? undefined
    : 'TEST_DATABASE_URL is not set: run `export TEST_DATABASE_URL=$(scripts/ci/postgres.sh)` to test on PostgreSQL',
  async create() {
    const admin = postgres(adminUrl!, { max: 1, onnotice: () => undefined });
    const name = `synchro_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
    await admin.unsafe(`create database "${name}"`);
    const url = new URL(adminUrl!);
    url.pathname = `/${name}`;
    const pools: OpenedDb[] = [];
    return {
      async open() {
        const opened = await openDb({ databaseUrl: url.toString(), maxConnections: 5 });
        pools.push(opened);
        return opened;
      },
      async drop() {
        try {
          await Promise.all(pools.map((p) => p.close()));
          await admin.unsafe(`drop database if exists "${name}" with (force)`);
        } finally {
          await admin.end({ timeout: 5 });
        }
      },
    };
  },
};

export interface DriverContext {
  driver: Driver;
  /** The migrated database of this file (throws the reason when the driver is unavailable). */
  db(): Db;
  /** Another empty database, not migrated, dropped with the file's. */
  fresh(): Promise<FreshDatabase>;
}

/** Declares `cases` once per driver. */
export function describeOnDrivers(title: string, cases: (ctx: DriverContext) => void): void {
  for (const target of [pglite, postgresTarget]) {
    if (target.unavailable && !inCi) {
      describe.skip(`${title} [${target.driver}] (skipped: ${target.unavailable})`, () => cases(unavailableContext(target)));
      continue;
    }
    describe(`${title} [${target.driver}]`, () => {
      let main: FreshDatabase | undefined;
      let db: Db | undefined;
      const extra: FreshDatabase[] = [];
      beforeAll(async () => {
        if (target.unavailable) return; // every case fails with the reason (see db() below)
        main = await target.create();
        db = (await main.open()).db;
        await migrate(db);
      });
      afterAll(async () => {
        await Promise.all([...extra, ...(main ? [main] : [])].map((d) => d.drop()));
      });
      const unavailable = unavailableContext(target);
      cases({
        driver: target.driver,
        db: () => db ?? unavailable.db(),
        async fresh() {
          if (target.unavailable) return unavailable.fresh();
          const created = await target.create();
          extra.push(created);
          return created;
        },
      });
    });
  }
}

function unavailableContext(target: DriverTarget): DriverContext {
  const fail = (): never => {
    throw new Error(
      target.unavailable
        ? `${target.unavailable}. CI is set, so the ${target.driver} variant of the db suite must run, not be skipped.`
        : `The ${target.driver} database was not opened (see the beforeAll error above).`,
    );
  };
  return { driver: target.driver, db: fail, fresh: fail };
}
