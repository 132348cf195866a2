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

/** Many schools in few statements (the académie's list: thousands of lines), inside the caller's transaction. */
export async function upsertSchools(db: Db, rows: readonly NewSchool[], chunk = 500): Promise<void> {
  for (let at = 0; at < rows.length; at += chunk) {
    await db
      .insert(schools)
      .values(rows.slice(at, at + chunk))
      .onConflictDoUpdate({
        target: schools.uai,
        set: { name: sql`excluded.name`, academie: sql`excluded.academie`, calendarZone: sql`excluded.calendar_zone`, connectorKind: sql`excluded.connector_kind`, updatedAt: sql`now()` },
      });
  }
}
