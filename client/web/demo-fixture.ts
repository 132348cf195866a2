// The dashboard's demo data: the database rows of a real run of the demo académie
// (client/demo/demo-academie.ts: three generated schools with injected faults through the real
// workflows on an embedded dev server), recorded once by `npx tsx scripts/record-demo-fixture.ts`
// into demo-fixture.json and loaded as they are. Nothing here is written by hand: a test
// (test/e2e/demo-fixture.test.ts) runs the demo again and checks the fixture still has the
// chain's schools, step statuses and anomaly codes and levels. `synchro web --demo`, the web tests
// and the README's screenshot all show this.
import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { selectRows, type Db } from '../../db/client';

export const DEMO_FIXTURE = new URL('./demo-fixture.json', import.meta.url);

/** Tables a run of the chain fills, parents first (foreign keys). */
export const DEMO_TABLES = ['schools', 'exchange_files', 'step_runs', 'anomalies', 'deposits'] as const;
type Table = (typeof DEMO_TABLES)[number];

export type DemoFixture = Record<Table, Record<string, unknown>[]>;

/** Every row of the chain's tables, as PostgreSQL's own JSON of each row (column names as in SQL). */
export async function recordDemoRows(db: Db): Promise<DemoFixture> {
  const fixture = {} as DemoFixture;
  for (const table of DEMO_TABLES) {
    const order = table === 'schools' ? 'uai' : table === 'exchange_files' ? 'sha256' : 'id';
    const rows = await selectRows<{ row: Record<string, unknown> }>(db, sql.raw(`select to_jsonb(t) as row from ${table} t order by ${order}`));
    fixture[table] = rows.map((r) => (typeof r.row === 'string' ? (JSON.parse(r.row) as Record<string, unknown>) : r.row));
  }
  return fixture;
}

export async function readDemoFixture(): Promise<DemoFixture> {
  return JSON.parse(await readFile(DEMO_FIXTURE, 'utf8')) as DemoFixture;
}

/** Loads the recorded rows into a migrated, empty database, ids kept (so links between rows hold). */
export async function loadDemoFixture(db: Db, fixture?: DemoFixture): Promise<void> {
  const rows = fixture ?? (await readDemoFixture());
  for (const table of DEMO_TABLES) {
    if (rows[table].length === 0) continue;
    await db.execute(sql`insert into ${sql.identifier(table)} select * from jsonb_populate_recordset(null::${sql.identifier(table)}, ${JSON.stringify(rows[table])}::jsonb)`);
    // Later inserts (a test's own runs, a re-run) take ids after the recorded ones.
    if (table !== 'schools' && table !== 'exchange_files') await db.execute(sql.raw(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`));
  }
}
