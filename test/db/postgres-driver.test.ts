// postgres.js as patched here (patches/postgres+3.4.9.patch): the catalog query it makes on every
// new connection (fetch_types) can be ended by the server — a statement timeout, or 57P01 while
// PostgreSQL restarts (CI met it in test/temporal/postgres-restart.test.ts). Unpatched, that was an
// unhandled rejection, which stops a worker process (porsager/postgres#1192, #1205, #1223).
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';

const adminUrl = process.env.TEST_DATABASE_URL?.trim() || undefined;
const unavailable = adminUrl ? undefined : 'TEST_DATABASE_URL is not set: run `export TEST_DATABASE_URL=$(scripts/ci/postgres.sh)` to test on PostgreSQL';
const suite = unavailable && !process.env.CI ? describe.skip : describe;

suite(`postgres.js driver [postgres]${unavailable && !process.env.CI ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('a connection whose catalog query is cancelled fails its query, with no unhandled rejection', async () => {
    if (!adminUrl) throw new Error(unavailable);
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown): void => {
      rejections.push(reason);
    };
    process.on('unhandledRejection', onRejection);
    // A 1 ms statement timeout, set at the startup handshake, cancels the catalog query (57014).
    const sql = postgres(adminUrl, { max: 1, connection: { statement_timeout: 1 }, onnotice: () => undefined });
    try {
      const outcome = await sql`select 1 as x`.then(
        () => 'ok',
        (error: { code?: string }) => error.code,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The catalog query did fail (no array type was learnt), so the case is the one meant.
      const shared = (sql.options as unknown as { shared: { typeArrayMap: Record<string, unknown> } }).shared;
      expect(Object.keys(shared.typeArrayMap)).toHaveLength(0);
      expect(outcome).toBe('57014');
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
      await sql.end({ timeout: 5 });
    }
  });
});
