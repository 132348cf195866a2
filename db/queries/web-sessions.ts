// Signed-in browsers, looked up by the sha256 of the cookie's session id (never the id itself).
import { eq, inArray, lt } from 'drizzle-orm';
import type { Db } from '../client';
import { schools, webSessions, type WebSession } from '../schema';

export type NewWebSession = Omit<WebSession, 'createdAt' | 'lastSeenAt'> & { now: Date };

export async function insertWebSession(db: Db, session: NewWebSession): Promise<void> {
  const { now, ...row } = session;
  await db.insert(webSessions).values({ ...row, createdAt: now, lastSeenAt: now });
}

export async function getWebSession(db: Db, idHash: string): Promise<WebSession | undefined> {
  const [row] = await db.select().from(webSessions).where(eq(webSessions.idHash, idHash)).limit(1);
  return row;
}

export async function touchWebSession(db: Db, idHash: string, at: Date): Promise<void> {
  await db.update(webSessions).set({ lastSeenAt: at }).where(eq(webSessions.idHash, idHash));
}

export async function deleteWebSession(db: Db, idHash: string): Promise<void> {
  await db.delete(webSessions).where(eq(webSessions.idHash, idHash));
}

/** Sessions past their absolute end; idle ones are refused on use and go when they pass it too. */
export async function deleteExpiredWebSessions(db: Db, now: Date): Promise<void> {
  await db.delete(webSessions).where(lt(webSessions.expiresAt, now));
}

/** Which of these UAIs are registered schools (a claim may name schools this instance does not serve). */
export async function registeredAmong(db: Db, uais: readonly string[]): Promise<string[]> {
  if (uais.length === 0) return [];
  const rows = await db.select({ uai: schools.uai }).from(schools).where(inArray(schools.uai, [...uais]));
  return rows.map((r) => r.uai).sort();
}
