// Anomalies are data: stored as the rules return them, attached to a file, a step run or both,
// and read back in the order they were found (which is the order the applications print them).
import { asc, count, eq } from 'drizzle-orm';
import type { Anomaly, AnomalyLevel } from '../../rules/anomaly';
import type { Db } from '../client';
import { anomalies, type AnomalyRow } from '../schema';
import type { LevelCounts } from '../../rules/anomaly';

export interface AnomalyToStore extends Anomaly {
  stepRunId?: number | null;
  fileSha256?: string | null;
  /** Anything else worth keeping (values compared, line of the file…): never a pupil's name. */
  details?: Record<string, unknown> | null;
}

/** 13 parameters a row: 1,000 rows stay far below Postgres' 65,535 bind parameters. */
const BATCH_SIZE = 1_000;

/** Stores all or nothing; returns how many rows were written. */
export async function insertAnomalies(db: Db, items: readonly AnomalyToStore[]): Promise<number> {
  if (items.length === 0) return 0;
  const rows = items.map((a, i) => {
    if (a.stepRunId == null && a.fileSha256 == null) {
      throw new Error(`Anomaly #${i} (${a.code}) belongs to neither a file nor a step run.`);
    }
    return {
      stepRunId: a.stepRunId ?? null,
      fileSha256: a.fileSha256 ?? null,
      code: a.code,
      level: a.level,
      label: a.label ?? null,
      message: a.message,
      subject: a.subject ?? null,
      cause: a.cause ?? null,
      correction: a.correction ?? null,
      details: a.details ?? null,
    };
  });
  await db.transaction(async (tx) => {
    for (let start = 0; start < rows.length; start += BATCH_SIZE) {
      await tx.insert(anomalies).values(rows.slice(start, start + BATCH_SIZE));
    }
  });
  return rows.length;
}

export async function listAnomaliesByRun(db: Db, stepRunId: number): Promise<AnomalyRow[]> {
  return db.select().from(anomalies).where(eq(anomalies.stepRunId, stepRunId)).orderBy(asc(anomalies.id));
}

export async function listAnomaliesByFile(db: Db, fileSha256: string): Promise<AnomalyRow[]> {
  return db.select().from(anomalies).where(eq(anomalies.fileSha256, fileSha256)).orderBy(asc(anomalies.id));
}

/** Back to the shape of rules/anomaly.ts (what the report renderers take). */
export function toAnomaly(row: AnomalyRow): Anomaly {
  const anomaly: Anomaly = { code: row.code, level: row.level, message: row.message };
  if (row.label !== null) anomaly.label = row.label;
  if (row.subject !== null) anomaly.subject = row.subject;
  if (row.cause !== null) anomaly.cause = row.cause;
  if (row.correction !== null) anomaly.correction = row.correction;
  return anomaly;
}

export async function countAnomaliesByLevel(db: Db, owner: { stepRunId: number } | { fileSha256: string }): Promise<LevelCounts> {
  const where = 'stepRunId' in owner ? eq(anomalies.stepRunId, owner.stepRunId) : eq(anomalies.fileSha256, owner.fileSha256);
  const rows = await db.select({ level: anomalies.level, n: count() }).from(anomalies).where(where).groupBy(anomalies.level);
  const counts: LevelCounts = { info: 0, warning: 0, error: 0, blocking: 0 };
  for (const row of rows) counts[row.level satisfies AnomalyLevel] = row.n;
  return counts;
}
