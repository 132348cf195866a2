// Schools' contacts (who is told by e-mail) and the notifications already sent. A mail is claimed
// by its key before it is sent and the claim given back if sending fails: it goes out once, and
// a failed send is tried again by the next sweep.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { AnomalyLevel } from '../../rules/anomaly';
import type { Db } from '../client';
import { anomalies, notificationsSent, schoolContacts, type NotificationSent } from '../schema';

export async function addContact(db: Db, uai: string, email: string): Promise<boolean> {
  const rows = await db.insert(schoolContacts).values({ uai, email: email.toLowerCase() }).onConflictDoNothing().returning();
  return rows.length > 0;
}

export async function removeContact(db: Db, uai: string, email: string): Promise<boolean> {
  const rows = await db.delete(schoolContacts).where(and(eq(schoolContacts.uai, uai), eq(schoolContacts.email, email.toLowerCase()))).returning();
  return rows.length > 0;
}

export async function listContacts(db: Db, uai: string): Promise<string[]> {
  const rows = await db.select({ email: schoolContacts.email }).from(schoolContacts).where(eq(schoolContacts.uai, uai)).orderBy(asc(schoolContacts.email));
  return rows.map((r) => r.email);
}

export interface NotificationClaim {
  key: string;
  kind: string;
  uai?: string;
  recipients: readonly string[];
  subject: string;
}

/** True when this call claimed the key (no mail with that key was sent or is being sent). */
export async function claimNotification(db: Db, claim: NotificationClaim): Promise<boolean> {
  const rows = await db
    .insert(notificationsSent)
    .values({ key: claim.key, kind: claim.kind, uai: claim.uai ?? null, recipients: claim.recipients.join(', '), subject: claim.subject })
    .onConflictDoNothing()
    .returning({ key: notificationsSent.key });
  return rows.length > 0;
}

/** The send failed: the next sweep may try again. */
export async function releaseNotification(db: Db, key: string): Promise<void> {
  await db.delete(notificationsSent).where(eq(notificationsSent.key, key));
}

export async function listNotifications(db: Db, uai?: string): Promise<NotificationSent[]> {
  return db.select().from(notificationsSent).where(uai ? eq(notificationsSent.uai, uai) : undefined).orderBy(asc(notificationsSent.sentAt), asc(notificationsSent.key));
}

export interface CodeCount {
  code: string;
  level: AnomalyLevel;
  count: number;
}

/** A run's anomalies as codes and counts only: what a mail may say (messages can carry pupils' names). */
export async function anomalyCodeCounts(db: Db, stepRunId: number): Promise<CodeCount[]> {
  const rows = await db
    .select({ code: anomalies.code, level: anomalies.level, count: sql<number>`count(*)::int` })
    .from(anomalies)
    .where(eq(anomalies.stepRunId, stepRunId))
    .groupBy(anomalies.code, anomalies.level)
    .orderBy(asc(anomalies.code));
  return rows.map((r) => ({ code: r.code, level: r.level, count: Number(r.count) }));
}
