// The audit log: one row per act of a person or a script (sign-in, upload, confirmation, re-run),
// written by the portal, the dashboard's actions and the CLI, read by the school's page and by
// `synchro audit`. Rows are never updated or deleted.
import { and, desc, eq, gte, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { auditLog, type AuditEntry } from '../schema';

export interface AuditInput {
  actor: { subject: string; name?: string };
  action: string;
  uai?: string;
  address?: string;
  /** Ids, file names, sha256, step ids: never a pupil's data. */
  details?: Record<string, unknown>;
}

export async function recordAudit(db: Db, input: AuditInput): Promise<AuditEntry> {
  const [row] = await db
    .insert(auditLog)
    .values({
      actorSubject: input.actor.subject,
      actorName: input.actor.name ?? null,
      action: input.action,
      uai: input.uai ?? null,
      address: input.address ?? null,
      details: input.details ?? {},
    })
    .returning();
  return row!;
}

export interface AuditFilter {
  uai?: string;
  since?: Date;
  limit?: number;
}

/** Newest first. */
export async function listAudit(db: Db, filter: AuditFilter = {}): Promise<AuditEntry[]> {
  const where: SQL[] = [];
  if (filter.uai) where.push(eq(auditLog.uai, filter.uai));
  if (filter.since) where.push(gte(auditLog.at, filter.since));
  return db
    .select()
    .from(auditLog)
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(filter.limit ?? 500);
}
