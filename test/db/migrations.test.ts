import { expect, it } from 'vitest';
import { migrate, migrationsStatus, selectRows } from '../../db/client';
import { describeOnDrivers } from './drivers';
import { sql } from 'drizzle-orm';

describeOnDrivers('migrations', (ctx) => {
  it('apply twice without error and report every migration applied', async () => {
    const db = ctx.db();
    await migrate(db);
    await migrate(db);
    const status = await migrationsStatus(db);
    expect(status.available).toBeGreaterThan(0);
    expect(status.applied).toBe(status.available);
    const tables = await selectRows<{ name: string }>(
      db,
      sql`select table_name as name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    expect(tables.map((t) => t.name)).toEqual(['anomalies', 'audit_log', 'deposits', 'exchange_files', 'notifications_sent', 'school_contacts', 'schools', 'step_runs', 'web_sessions']);
  });

  it('report nothing applied on an empty database, then all after two concurrent starts', async () => {
    const fresh = await ctx.fresh();
    // Two handles: on PostgreSQL, two pools as if a worker and the CLI started together.
    const [a, b] = [await fresh.open(), await fresh.open()];
    const before = await migrationsStatus(a.db);
    expect(before.applied).toBe(0);
    await Promise.all([migrate(a.db), migrate(b.db)]);
    expect(await migrationsStatus(b.db)).toEqual({ applied: before.available, available: before.available });
  });
});
