// The schools the installation looks after. The UAI is the identity; everything else may change
// (a school moves to the folder connector, an académie is renamed).
import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { schools, type NewSchool, type School } from '../schema';

export async function upsertSchool(db: Db, school: NewSchool): Promise<School> {
  const { uai: _uai, createdAt: _createdAt, ...changes } = school;
  const [row] = await db
    .insert(schools)
    .values(school)
    .onConflictDoUpdate({ target: schools.uai, set: { ...changes, updatedAt: sql`now()` } })
    .returning();
  return row!;
}

export async function getSchool(db: Db, uai: string): Promise<School | undefined> {
  const [row] = await db.select().from(schools).where(eq(schools.uai, uai));
  return row;
}

export async function listSchools(db: Db): Promise<School[]> {
  return db.select().from(schools).orderBy(asc(schools.uai));
}

/**
 * Many schools in few statements (the académie's list: thousands of lines), inside the caller's
 * transaction: each chunk travels as ONE JSON parameter unpacked by json_to_recordset (a VALUES
 * list of 500 rows is 3,500 parameters, and several times slower on PGlite).
 */
export async function upsertSchools(db: Db, rows: readonly NewSchool[], chunk = 5000): Promise<void> {
  for (let at = 0; at < rows.length; at += chunk) {
    const part = rows.slice(at, at + chunk).map((r) => ({ uai: r.uai, name: r.name, academie: r.academie, calendar_zone: r.calendarZone, connector_kind: r.connectorKind ?? 'sandbox' }));
    await db.execute(sql`
      insert into schools (uai, name, academie, calendar_zone, connector_kind)
      select uai, name, academie, calendar_zone, connector_kind
        from json_to_recordset(${JSON.stringify(part)}::json) as x(uai text, name text, academie text, calendar_zone text, connector_kind text)
      on conflict (uai) do update set name = excluded.name, academie = excluded.academie, calendar_zone = excluded.calendar_zone,
        connector_kind = excluded.connector_kind, updated_at = now()`);
  }
}
